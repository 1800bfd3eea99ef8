import { definePlugin } from '@broom/core';
import { PACKAGE } from './meta.js';
import { WandbScheduler } from './wandb-scheduler.js';

export { WandbScheduler, CUSTOM_METHOD_MESSAGE } from './wandb-scheduler.js';

/** `scheduler.job: wandb` (the default). It takes no settings: any key in `scheduler.settings` is an error. */
export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'scheduler',
    alias: 'wandb',
    description: "W&B's built-in sweep scheduler: runs from the sweep's method, stops from early_terminate",
  },
  create: () => (context) => new WandbScheduler(context),
});
