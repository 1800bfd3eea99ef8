import { definePlugin } from '@broom/core';
import { z } from 'zod';
import { PACKAGE } from './meta.js';
import { OptunaScheduler } from './optuna-scheduler.js';

export { OptunaScheduler, MAX_CONSECUTIVE_FAILURES } from './optuna-scheduler.js';

const PluginRef = z.union([
  z.string().min(1),
  z.strictObject({
    /** An Optuna class name (TPESampler, PercentilePruner, …), a path, or a package. */
    type: z.string().min(1),
    /** The class's keyword arguments, validated by the named plugin's own schema. */
    args: z.record(z.string(), z.unknown()).optional(),
  }),
]);

/** `scheduler.settings` of `scheduler.job: optuna`. Strict: a misspelt key is an error naming this plugin. */
export const OptunaSettings = z.strictObject({
  sampler: PluginRef.optional(),
  pruner: PluginRef.nullable().optional(),
  metrics: z.array(z.strictObject({ name: z.string().min(1), goal: z.enum(['minimize', 'maximize']) })).min(1).optional(),
  /** Where W&B moves a `method:` other than custom when `scheduler.job` is set; the sampler decides instead. */
  method: z.string().optional(),
  /** W&B's Python study module: known, so that the error says why it is refused. */
  optuna_source: z.unknown().optional(),
  optuna_source_filename: z.unknown().optional(),
}).superRefine((settings, ctx) => {
  for (const key of ['optuna_source', 'optuna_source_filename'] as const) {
    if (settings[key] === undefined) continue;
    ctx.addIssue({
      code: 'custom',
      path: [key],
      message:
        'is not supported: broom runs no Python study module. Name the sampler and pruner in `sampler: {type, args}` and ' +
        '`pruner: {type, args}` (Optuna class names), and the search space in `parameters`.',
    });
  }
});

export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'scheduler',
    alias: 'optuna',
    description: 'Optuna-style scheduler: runs from scheduler.settings.sampler, live runs judged by scheduler.settings.pruner',
  },
  options: OptunaSettings,
  create: () => (context) => new OptunaScheduler(context),
});
