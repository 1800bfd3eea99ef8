import { definePlugin } from '@broom/core';
import { LoggingScheduler } from './logging-scheduler.js';
import { LoggingSettings } from './logging-settings.schema.js';
import { PACKAGE } from './meta.js';

export { LoggingScheduler } from './logging-scheduler.js';
export { LoggingSettings } from './logging-settings.schema.js';

/** `scheduler.job: logging`: the built-in scheduler, logging every run's progress at every poll. */
export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'scheduler',
    alias: 'logging',
    description: "W&B's built-in scheduler that logs every run's progress at every poll",
  },
  options: LoggingSettings,
  create: (settings) => (context) => new LoggingScheduler(context, settings),
});
