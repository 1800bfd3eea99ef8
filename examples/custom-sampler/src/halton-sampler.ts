import {
  deriveSeed,
  type Random,
  type SampleRequest,
  type Sampler,
  type SamplerDistribution,
  type SamplerValue,
  type TrialSnapshot,
} from '@broom/core';
import { HaltonSequence } from './halton.js';

export interface HaltonSamplerSettings {
  /** Seed of the scrambling; proposals then depend only on it and the number of trials so far. */
  seed?: number;
  /** Randomise the sequence's digits (default true). Off: the classic sequence, the same for every sweep. */
  scramble?: boolean;
}

/** Whether a distribution has a single value (a one-choice categorical, `low == high`): it takes no dimension. */
function isFixed(dist: SamplerDistribution): boolean {
  return dist.type === 'categorical' ? dist.choices.length <= 1 : dist.low >= dist.high;
}

/**
 * `k` evenly sized cells over [0, 1): the cell of `u`, from 0 to k-1. Points of the unscrambled
 * sequence sit exactly on cell edges (i/49), and i/49·49 is not always i in floating point, hence the
 * nudge: a point on an edge belongs to the cell above it.
 */
function cell(u: number, k: number): number {
  return Math.min(k - 1, Math.floor(u * k + 1e-9));
}

/**
 * The value of a distribution at `u` ∈ [0, 1), as Optuna's search-space transform maps its unit
 * cube: linear for a float, in log space for `log`, one equal cell per grid point for `step` and
 * for integers (an int log range is widened by half a unit on each side, then rounded), one equal
 * cell per choice for a categorical. Evenly spread `u`s give evenly spread values.
 */
export function valueAt(dist: SamplerDistribution, u: number): SamplerValue {
  if (dist.type === 'categorical') return dist.choices[cell(u, dist.choices.length)];
  const { low, high } = dist;
  if (low >= high) return low;
  const clamp = (x: number) => Math.min(high, Math.max(low, x));
  if (dist.log) {
    const lo = dist.type === 'int' ? low - 0.5 : low;
    const hi = dist.type === 'int' ? high + 0.5 : high;
    const x = Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)));
    if (dist.type === 'int') return clamp(Math.round(x));
    if (dist.step === undefined) return clamp(x);
    // A log range on a grid (Optuna forbids it; kept valid here): the grid point nearest x.
    const k = Math.round((clamp(x) - low) / dist.step);
    return clamp(low + Math.min(k, Math.floor((high - low) / dist.step + 1e-9)) * dist.step);
  }
  const step = dist.step ?? (dist.type === 'int' ? 1 : undefined);
  if (step === undefined) return clamp(low + u * (high - low));
  const points = Math.floor((high - low) / step + 1e-9) + 1;
  const x = low + cell(u, points) * step;
  return dist.type === 'int' ? Math.round(x) : clamp(x);
}

/** A stable text of a trial's parameters (keys sorted), to seed a sweep's scrambling from. */
function paramsText(trial: TrialSnapshot): string {
  return JSON.stringify(Object.keys(trial.params).sort().map((k) => [k, trial.params[k]]));
}

/**
 * A quasi-random sampler: trial n gets point n of a (scrambled) Halton sequence in as many
 * dimensions as the space has free parameters (names sorted, so reordering the sweep config changes
 * nothing), mapped to each parameter's distribution. Points already taken by trials of any state,
 * running ones included, are skipped, so `count: 8` proposes eight different points. The history's
 * values are not used: like Optuna's QMCSampler it explores, it does not optimise.
 *
 * The scrambling seed is the `seed` option. Without it, the first trial's point comes from the
 * sweep's random stream, and the sequence of every later trial is seeded by the first trial's
 * parameters: every call of a sweep agrees on one sequence (broom builds a new sampler per call, so
 * a seed drawn in the constructor, as Optuna draws one, would change at every proposal), while two
 * sweeps get different sequences. Unscrambled, the sequence starts at point 1, since point 0 is the
 * corner where every parameter is at its lower bound.
 */
export class HaltonSampler implements Sampler {
  private readonly seed?: number;
  private readonly scramble: boolean;
  private cached?: { key: string; sequence: HaltonSequence };

  constructor(options: HaltonSamplerSettings = {}) {
    this.seed = options.seed;
    this.scramble = options.scramble ?? true;
  }

  /** The seed of the scrambling for a request (see the class comment). */
  private scrambleSeed(trials: readonly TrialSnapshot[], random: Random): number | string {
    if (this.seed !== undefined) return this.seed;
    if (trials.length > 0) return deriveSeed('halton:first-trial', paramsText(trials[0]));
    return Math.floor(random.next() * 2 ** 53);
  }

  private sequence(dimension: number, seed: number | string): HaltonSequence {
    const key = JSON.stringify([dimension, this.scramble ? seed : null]);
    if (this.cached?.key !== key) this.cached = { key, sequence: new HaltonSequence(dimension, { scramble: this.scramble, seed }) };
    return this.cached.sequence;
  }

  sample({ space, trials, random }: SampleRequest): Record<string, SamplerValue> {
    const names = Object.keys(space).sort();
    const free = names.filter((name) => !isFixed(space[name]));
    const seed = this.scramble ? this.scrambleSeed(trials, random) : 0;
    const index = trials.length + (this.scramble ? 0 : 1);
    const point = this.sequence(free.length, seed).point(index);
    const out: Record<string, SamplerValue> = {};
    for (const name of Object.keys(space)) {
      const j = free.indexOf(name);
      out[name] = valueAt(space[name], j < 0 ? 0 : point[j]);
    }
    return out;
  }
}
