/**
 * @broom/core/config: strict validation of sweep configs (W&B's schema in zod) and YAML/JSON parsing
 * with line and column. Separate from the root entry because zod and yaml are slow to load.
 */
export * from './common/config/index.js';
export { loadConfigFile } from './node/config/load-config-file.js';
