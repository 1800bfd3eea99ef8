import type { SweepConfig } from '../config/types.js';
import type { Proposal, Run } from '../engine/run.js';
import type { Random } from './random.js';

/** What a search method is given for one proposal. Everything is plain, frozen data. */
export interface SearchContext {
  /** The filled sweep config. */
  readonly config: SweepConfig;
  /** Every run of the sweep so far, in any state, including proposals made earlier in this call. */
  readonly runs: readonly Run[];
  /** Seeded randomness: the same input and seed give the same proposal. */
  readonly random: Random;
}

/**
 * A search method (`method:` in the sweep config): grid, random, bayes, or a third party's.
 * Implement `next` only; the engine handles `count`, `run_cap` and pending proposals.
 */
export interface SearchMethod {
  /** One proposal, or `null` when the search space is exhausted. */
  next(context: SearchContext): Proposal | null | Promise<Proposal | null>;
  /** How many runs the method will produce in all (W&B's expected run count); `null` if unbounded. */
  expectedRunCount?(config: SweepConfig): number | null;
  /**
   * Problems that make the config unusable with this method (e.g. a `uniform` parameter in a grid),
   * as messages naming the parameter; checked by the engine before searching.
   */
  check?(config: SweepConfig): string[];
}

/** An early-termination rule (`early_terminate:`): names the running runs to stop. */
export interface Pruner {
  /**
   * Decide which runs to stop, given every run of the sweep with its metric history. `stop` lists
   * run names in input order; `info` holds, per evaluated run, what W&B reports as
   * `early_terminate_info` (bands, thresholds, readable lines).
   */
  evaluate(config: SweepConfig, runs: readonly Run[]): PrunerResult | Promise<PrunerResult>;
}

export interface PrunerResult {
  stop: string[];
  info: Record<string, Record<string, unknown>>;
}

export const SearchMethodToken = Symbol.for('broom.SearchMethod');
export const PrunerToken = Symbol.for('broom.Pruner');
