import { definePlugin } from '@broom/core';
import { LocalProcessResource } from './local-process-resource.js';
import { PACKAGE } from './meta.js';
import { LocalProcessOptions } from './options.schema.js';

export { LocalProcessJob, LocalProcessResource, DEFAULT_KILL_DELAY_S } from './local-process-resource.js';
export { LocalProcessOptions } from './options.schema.js';

/** `resource: local-process` (the default): each item runs as a child process of the launch agent. */
export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'resource',
    alias: 'local-process',
    description: "Runs each launch queue item as a child process on the launch agent's machine",
  },
  options: LocalProcessOptions,
  create: (options) => new LocalProcessResource(options),
});
