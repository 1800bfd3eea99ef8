/** `@broom/server/client`: the typed HTTP client of broom's API, without the server's dependencies. */
export { ApiClient, ApiRequestError, type ApiClientOptions } from './api-client.js';
