/**
 * W&B's own sentences, kept word for word (spec §1.1, §1.3, §1.4, §1.6): users search for them,
 * and the corpus test compares against them. broom adds its explanation after each.
 */
export const wandbMessages = {
  minNotLessThanMax: (name: string, min: string, max: string) => `${name}: min ${min} is not less than max ${max}`,
  deprecatedLog: (name: string, used: string, replacement: string) =>
    `${name} uses ${used}, where min/max specify base-e exponents. Use ${replacement} to specify limit values.`,
  probabilitiesLength: (name: string, values: string, probabilities: string) =>
    `Parameter ${name}: values ${values} and probabilities ${probabilities} are not the same length`,
  probabilitiesSum: (name: string, probabilities: string) => `Parameter ${name}: Probabilities ${probabilities} do not sum to 1`,
  parametersRequired: () => '`parameters` is required unless `scheduler.search_space` is set.',
  metricAndMetrics: () =>
    '`metric` and `metrics` cannot both be set: use `metric` for a single objective, or `metrics` for multi-objective optimization.',
  metricsNeedCustom: (method: string) =>
    `\`metrics\` requires \`method: custom\` (got \`method: ${method}\`): multi-objective optimization is only supported with a custom scheduler.`,
  schedulerWithLocalController: () =>
    '`controller: type:local` cannot be used together with `scheduler`: use `scheduler` instead of `controller`.',
  schedulerWithEarlyTerminate: () =>
    '`early_terminate` cannot be used together with `scheduler`: early termination must be implemented by the custom scheduler itself.',
  engineNotSupported: (engine: string, supported: readonly string[]) =>
    `scheduler.engine '${engine}' is not supported. supported engines are: ${supported.join(', ')}`,
  engineMethod: (engine: string, method: string, methods: readonly string[]) =>
    `\`scheduler.engine: ${engine}\` does not support \`method: ${method}\`. supported methods are: ${methods.map((m) => `\`method: ${m}\``).join(', ')}`,
};

/** The deprecated exponent-bound distributions and their value-bound replacements. */
export const DEPRECATED_DISTRIBUTIONS: Readonly<Record<string, string>> = {
  log_uniform: 'log_uniform_values',
  inv_log_uniform: 'inv_log_uniform_values',
  q_log_uniform: 'q_log_uniform_values',
};

/**
 * Scheduler engines W&B supports and the methods each allows (spec §1.1: only `wandb` today; the
 * open sweeps#141 adds `optuna`/`ax` with `method: custom`).
 */
export const SUPPORTED_ENGINES: Readonly<Record<string, readonly string[]>> = {
  wandb: ['grid', 'bayes', 'random'],
};

/** Distributions W&B's grid search accepts (spec §3.1). */
export const GRID_DISTRIBUTIONS: readonly string[] = ['categorical', 'constant', 'int_uniform', 'q_uniform'];

/** W&B's refusal of a config whose top level is not a mapping (or an empty document). */
export const NOT_AN_OBJECT = 'Sweep config must be parsable as a JSON object.';
