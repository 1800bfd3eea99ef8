export * from './types.js';
export { parseConfigText, parseConfigSource, NOT_AN_OBJECT, type ConfigSource, type PathSegment, type SourceLocation } from './parse.js';
export { validateConfig, validateConfigText, type ValidateOptions, type ValidationResult } from './validate.js';
export { fillConfig, renderFilledConfig, type FillOptions } from './fill.js';
export { formatIssue, formatIssues, sortIssues, pathToString, type Locate } from './issues.js';
export { isLaunchConfig, splitLaunchConfig, type LaunchSplit } from './launch-rule.js';
export {
  SweepConfigSchema, SWEEP_CONFIG_SHAPE, MetricSchema, HyperbandSchema, EngineSchedulerSchema, ControllerSchema,
  TOP_LEVEL_KEYS, GOALS, IMPUTES, IMPUTES_WHILE_RUNNING, ENGINES,
} from './schema.js';
export { LaunchSchedulerSchema, LaunchBlockSchema, LAUNCH_SCHEDULER_KEYS } from './launch-schema.js';
export { ParameterSchema, ParametersSchema, PARAMETER_DEFINITIONS, parameterDefinition, type ParameterDefinition } from './parameter-schema.js';
export {
  PARAMETER_FORMS, PARAMETER_NAME, DISTRIBUTION_NAMES, matchParameter, matchParameters, parameterForm, type ParameterForm,
} from './parameter-table.js';
export type { Field, Fields, FieldIssue } from './fields.js';
