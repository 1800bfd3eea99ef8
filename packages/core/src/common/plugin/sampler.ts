import type { Random } from './random.js';

/** A parameter value a sampler proposes (Optuna's `CategoricalChoiceType` plus numbers). */
export type SamplerValue = number | string | boolean | null;

/** A trial's state, as in Optuna's `TrialState`. */
export type TrialState = 'running' | 'complete' | 'pruned' | 'fail' | 'waiting';

/**
 * An immutable, plain-data view of one trial (Optuna's `FrozenTrial`), the only thing a sampler or
 * pruner sees of the study. Safe to send across a worker boundary.
 */
export interface TrialSnapshot {
  /** The trial's number, in creation order from 0. */
  number: number;
  state: TrialState;
  /** The parameter values the trial ran with (in the distribution's own space, not log space). */
  params: Record<string, SamplerValue>;
  /**
   * The objective values of a complete trial, one per direction of the study (one for a
   * single-objective study). Absent for other states.
   */
  values?: number[];
  /** Intermediate values reported by the trial, keyed by step (single objective only). */
  intermediate?: Record<number, number>;
}

/** A continuous range `[low, high]`; `step` makes it discrete, `log` samples it in log space. */
export interface FloatDistribution {
  type: 'float';
  low: number;
  high: number;
  log?: boolean;
  step?: number;
}

/** An integer range `[low, high]`, both ends included; `step` defaults to 1. */
export interface IntDistribution {
  type: 'int';
  low: number;
  high: number;
  log?: boolean;
  step?: number;
}

/** An unordered set of choices. */
export interface CategoricalDistribution {
  type: 'categorical';
  choices: SamplerValue[];
}

export type SamplerDistribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** A flat search space: parameter name to distribution, in the sweep config's order. */
export type SamplerSpace = Record<string, SamplerDistribution>;

/** The direction of optimisation of one objective. */
export type StudyDirection = 'minimize' | 'maximize';

/** Everything a sampler is given for one proposal. Plain data, except `random`. */
export interface SampleRequest {
  space: SamplerSpace;
  /**
   * Every trial of the study so far, in number order, including the running ones (proposals made
   * earlier in the same call are running trials too). The trial being proposed is not in it.
   */
  trials: readonly TrialSnapshot[];
  /** One direction per objective; length 1 for a single-objective study. */
  directions: readonly StudyDirection[];
  /** Seeded randomness: the same request and stream give the same proposal. */
  random: Random;
}

/**
 * A sampler (Optuna's `BaseSampler`, relative sampling over a flat space): proposes the parameters
 * of the next trial from the space and the history. Plain data in, plain data out; randomness comes
 * from `request.random` only (or from the sampler's own `seed` option), so the same request gives the
 * same proposal. It must return a value for every parameter of the space, inside its distribution,
 * or `null` when it has nothing left to propose (a finished grid): the sweep then ends.
 */
export interface Sampler {
  sample(request: SampleRequest): SampleResult | Promise<SampleResult>;
}

export type SampleResult = Record<string, SamplerValue> | null;

export const SamplerToken = Symbol.for('broom.Sampler');
