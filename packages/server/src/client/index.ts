/** `@broom/server/client`: the typed HTTP client of broom's API, without the server's dependencies. */
export { ApiClient, ApiRequestError, type ApiClientOptions } from './api-client.js';
export { LaunchClient } from './launch-client.js';
export type * from '../launch/launch-api.js';
export type {
  ItemKind, ItemState, ItemSpec, QueueRow, QueueItemRow, LaunchAgentRow, LaunchSweepRow,
} from '../store/launch-types.js';
