import type { PyFloat, Value } from '../values.js';

export const METHODS = ['grid', 'random', 'bayes', 'custom'] as const;
export type Method = (typeof METHODS)[number];

/** The 19 parameter definitions of W&B's schema, in the order `fill_parameter` tries them. */
export const DISTRIBUTION_ORDER = [
  'q_beta', 'beta', 'categorical', 'categorical_w_probabilities', 'int_uniform', 'uniform',
  'log_normal', 'log_uniform', 'inv_log_uniform', 'normal', 'q_log_normal', 'q_log_uniform',
  'q_normal', 'q_uniform', 'constant', 'inv_log_uniform_values', 'log_uniform_values',
  'q_log_uniform_values', 'param_dict',
] as const;
export type Distribution = (typeof DISTRIBUTION_ORDER)[number];

/**
 * One parameter after W&B's `fill_parameter`: the distribution is decided and every default is
 * present. Numbers are plain JS numbers; `q` keeps whether it was written as an int (results are
 * then cast to int) or a float (default `1.0`).
 */
export type ParamSpec =
  | { distribution: 'constant'; value: Value }
  | { distribution: 'categorical'; values: Value[] }
  | { distribution: 'categorical_w_probabilities'; values: Value[]; probabilities: number[] }
  | { distribution: 'int_uniform'; min: number; max: number }
  | {
      distribution:
        | 'uniform' | 'log_uniform' | 'log_uniform_values' | 'inv_log_uniform' | 'inv_log_uniform_values';
      min: number;
      max: number;
    }
  | { distribution: 'q_uniform' | 'q_log_uniform' | 'q_log_uniform_values'; min: number; max: number; q: Q }
  | { distribution: 'normal' | 'log_normal'; mu: number; sigma: number }
  | { distribution: 'q_normal' | 'q_log_normal'; mu: number; sigma: number; q: Q }
  | { distribution: 'beta'; a: number; b: number }
  | { distribution: 'q_beta'; a: number; b: number; q: Q }
  | { distribution: 'param_dict'; parameters: ParamSpecs };

/** A quantisation step: an int `q` casts results to int, a float one keeps them float. */
export interface Q {
  value: number;
  isInt: boolean;
}

export type ParamSpecs = { [name: string]: ParamSpec };

export type Goal = 'minimize' | 'maximize';
export type Impute = 'latest' | 'best' | 'worst';

export interface MetricConfig {
  name: string;
  goal: Goal;
  target?: number;
  impute: Impute;
  impute_while_running: Impute | 'false';
}

export interface HyperbandConfig {
  type: 'hyperband';
  min_iter?: number;
  max_iter?: number;
  s?: number;
  eta: number;
  strict: boolean;
}

/** The Launch `scheduler` block (spec §1.7) or the 2026 external-scheduler block (spec §1.1). */
export interface SchedulerBlock {
  job?: string;
  num_workers?: number;
  resource?: string;
  resource_args?: Record<string, unknown>;
  docker_image?: string;
  template_variables?: Record<string, unknown>;
  settings?: Record<string, unknown>;
  engine?: string;
  source?: string;
  optimizer?: unknown;
  search_space?: unknown;
}

/** A sweep config after validation and filling: what the engine and plugins read. */
export interface SweepConfig {
  method: Method;
  parameters: ParamSpecs;
  metric?: MetricConfig;
  metrics?: { name: string; goal: Goal }[];
  early_terminate?: HyperbandConfig;
  program?: string;
  command?: Value[];
  run_cap?: number;
  name?: string;
  description?: string;
  project?: string;
  entity?: string;
  job?: string;
  image_uri?: string;
  controller?: { type: 'local' | 'cloud' };
  scheduler?: SchedulerBlock;
  launch?: Record<string, unknown>;
  apiVersion?: string;
  kind?: string;
}

export type { PyFloat };
