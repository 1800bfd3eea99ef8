/**
 * @broom/core: the W&B sweep config, the search space, the plugin contracts and loader, and the
 * stateless engine (`nextRuns`, `stopRuns`) that everything else in broom is built on.
 */
export * from './common/values.js';
export * from './common/errors/broom-error.js';
export { messages } from './common/errors/messages.js';
export * from './common/json/json-reader.js';
export * from './common/json/json-writer.js';
export * from './common/text/did-you-mean.js';
export * from './common/config/index.js';
export * from './common/space/index.js';
export * from './common/macros/index.js';
export * from './common/engine/run.js';
export * from './common/engine/engine-input.js';
export * from './common/engine/metrics.js';
export * from './common/plugin/contracts.js';
export * from './common/plugin/random.js';
export * from './common/plugin/define-plugin.js';
export * from './common/plugin/builtin-plugins.js';
export * from './node/plugin/plugin-loader.js';
export * from './node/engine/engine.js';
