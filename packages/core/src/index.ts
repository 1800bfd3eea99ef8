/**
 * @broom/core: the engine (`nextRuns`, `stopRuns`), the plugin contracts and loader, the search
 * space, the command macros and the value types that everything in broom is built on.
 *
 * This entry loads neither zod nor yaml: `broom next-runs` starts a fresh process for every call,
 * and loading zod, building the validator's schemas and loading yaml cost more than everything else
 * it does. The engine reads the sweep config with the zod-free tables that the validator's schemas
 * are generated from (`common/config/fill.ts`); plugins import their helpers from here, so loading
 * them stays cheap too. Strict validation and YAML parsing are in `@broom/core/config`.
 * `test/engine-entry.test.ts` checks that nothing imported here reaches a package.
 */
export * from './common/values.js';
export * from './common/errors/broom-error.js';
export { messages } from './common/errors/messages.js';
export * from './common/json/json-reader.js';
export * from './common/json/json-writer.js';
export * from './common/text/did-you-mean.js';
export * from './common/config/types.js';
export { fillConfig, renderFilledConfig, type FillOptions } from './common/config/fill.js';
export * from './common/engine/run.js';
export * from './common/engine/engine-input.js';
export * from './common/engine/metrics.js';
export * from './common/plugin/contracts.js';
export * from './common/plugin/random.js';
export * from './common/plugin/sampler.js';
export * from './common/plugin/sampler-distribution.js';
export * from './common/plugin/trial-pruner.js';
export * from './common/plugin/resource.js';
export * from './common/plugin/tool-args.js';
export * from './common/plugin/define-plugin.js';
export * from './common/plugin/run-pruner.js';
export * from './common/study/study-spec.js';
export * from './common/scheduler/wandb-jobs.js';
export * from './common/scheduler/stop-tracker.js';
export * from './common/study/study-space.js';
export * from './common/study/study-trials.js';
export * from './common/study/sampler-search.js';
export * from './common/plugin/builtin-plugins.js';
export * from './common/space/index.js';
export * from './common/macros/index.js';
export * from './common/protocol/api.js';
export * from './common/scheduler/scheduler-types.js';
export * from './node/plugin/plugin-loader.js';
export * from './node/engine/engine.js';
export * from './common/scheduler/scheduler.js';
export { createWorkerEngine, type WorkerEngineOptions, type EngineServiceOptions, type EngineHandle } from './node/worker/worker-engine.js';
export { createInProcessEngine } from './node/worker/in-process-engine.js';
export { loadScheduler, DEFAULT_SCHEDULER } from './node/scheduler/load-scheduler.js';
export * from './node/process/run-tool.js';
