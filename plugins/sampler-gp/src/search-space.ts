import type { Random, SamplerDistribution, SamplerSpace, SamplerValue } from '@broom/core';
import { checkDistribution as checkCoreDistribution, isSingleDistribution, roundHalfEven, type CheckedDistribution } from '@broom/core';

/**
 * The search space as the Gaussian process sees it, as Optuna's GPSampler normalises it: every
 * numerical parameter mapped onto [0, 1] (log ranges in log space; a discrete range, an int or a
 * float with `step`, widened by half a step at each end so that each grid point owns an equal
 * slice), and each categorical as the index of its choice (the kernel compares indices by
 * equality only: a Hamming distance). Single-valued parameters are left out of the model and
 * always get their only value.
 */

/** A discrete parameter with more grid points than this is searched as continuous, then rounded. */
export const MAX_GRID_POINTS = 1024;

export type { CheckedDistribution };

/** One modelled parameter. */
export type GpDim =
  | { name: string; kind: 'categorical'; dist: CheckedDistribution & { type: 'categorical' }; nChoices: number }
  | {
      name: string;
      kind: 'numerical';
      dist: CheckedDistribution & { type: 'float' | 'int' };
      /** The transformed range that maps onto [0, 1]. */
      lo: number;
      hi: number;
      /** Whether only grid values are allowed (an int, or a float with `step`). */
      discrete: boolean;
      /** The grid's normalised values, ascending, when discrete and not larger than {@link MAX_GRID_POINTS}. */
      grid: Float64Array | null;
    };

/** Checks one distribution as Optuna's distributions do (bounds, log, step). */
export function checkDistribution(name: string, d: SamplerDistribution): CheckedDistribution {
  return checkCoreDistribution('GPSampler', name, d);
}

const isSingle = isSingleDistribution;

function sameChoice(c: SamplerValue, v: SamplerValue): boolean {
  return c === v || (typeof c === 'number' && typeof v === 'number' && Number.isNaN(c) && Number.isNaN(v));
}

/** The normalised search space of one proposal. */
export class GpSpace {
  /** The modelled parameters (every parameter with more than one value), in the space's order. */
  readonly dims: GpDim[] = [];
  /** Parameters with a single value, and that value. */
  readonly singles = new Map<string, SamplerValue>();
  /** 1 where the dimension is categorical. */
  readonly isCategorical: Uint8Array;
  private readonly order: string[];

  constructor(space: SamplerSpace) {
    if (typeof space !== 'object' || space === null) throw new Error('GPSampler: the search space must be an object of parameter distributions');
    this.order = Object.keys(space);
    for (const [name, raw] of Object.entries(space)) {
      const d = checkDistribution(name, raw);
      if (isSingle(d)) {
        this.singles.set(name, d.type === 'categorical' ? d.choices[0] : d.low);
      } else if (d.type === 'categorical') {
        this.dims.push({ name, kind: 'categorical', dist: d, nChoices: d.choices.length });
      } else {
        this.dims.push(numericalDim(name, d));
      }
    }
    this.isCategorical = Uint8Array.from(this.dims, (d) => (d.kind === 'categorical' ? 1 : 0));
  }

  get d(): number {
    return this.dims.length;
  }

  /**
   * A trial's parameters as a normalised row, or undefined when one of them is missing or could not
   * have come from its distribution (such a trial is left out of the model, as Optuna leaves out
   * trials outside its search space).
   */
  encode(params: Record<string, SamplerValue>): Float64Array | undefined {
    const row = new Float64Array(this.dims.length);
    for (let j = 0; j < this.dims.length; j++) {
      const x = encodeValue(this.dims[j], params[this.dims[j].name]);
      if (x === undefined) return undefined;
      row[j] = x;
    }
    return row;
  }

  /** A normalised row as the trial's parameters, every parameter of the space, in its order. */
  decode(row: ArrayLike<number>): Record<string, SamplerValue> {
    const byName = new Map<string, SamplerValue>(this.singles);
    this.dims.forEach((d, j) => byName.set(d.name, decodeValue(d, row[j])));
    const out: Record<string, SamplerValue> = {};
    for (const name of this.order) out[name] = byName.get(name)!;
    return out;
  }

  /** Moves each coordinate of `row` onto a value the parameter can take (categorical index, grid point). */
  snapInPlace(row: Float64Array): Float64Array {
    for (let j = 0; j < this.dims.length; j++) {
      const d = this.dims[j];
      if (d.kind === 'categorical') row[j] = Math.min(d.nChoices - 1, Math.max(0, Math.floor(row[j])));
      else if (d.discrete) row[j] = encodeValue(d, decodeValue(d, row[j]))!;
      else row[j] = Math.min(1, Math.max(0, row[j]));
    }
    return row;
  }

  /**
   * Turns points of the unit cube (row-major, `m` rows) into points of the space, in place: a
   * categorical gets choice ⌊u·n⌋, a discrete parameter the grid point whose slice holds u.
   */
  fromUnitCubeInPlace(points: Float64Array, m: number): Float64Array {
    const d = this.dims.length;
    for (let i = 0; i < m; i++) {
      const row = points.subarray(i * d, (i + 1) * d);
      for (let j = 0; j < d; j++) {
        const dim = this.dims[j];
        if (dim.kind === 'categorical') row[j] *= dim.nChoices;
      }
      this.snapInPlace(row);
    }
    return points;
  }

  /**
   * Optuna's RandomSampler on the modelled parameters: uniform over the normalised range (so log
   * ranges in log space, each grid point equally likely), uniform over a categorical's choices.
   */
  randomRow(random: Random): Float64Array {
    const row = new Float64Array(this.dims.length);
    for (let j = 0; j < row.length; j++) row[j] = random.next();
    return this.fromUnitCubeInPlace(row, 1);
  }
}

function numericalDim(name: string, d: CheckedDistribution & { type: 'float' | 'int' }): GpDim {
  let lo: number;
  let hi: number;
  let discrete = false;
  let count = 0;
  if (d.type === 'int' && d.log) {
    lo = Math.log(d.low - 0.5);
    hi = Math.log(d.high + 0.5);
    discrete = true;
    count = d.high - d.low + 1;
  } else if (d.log) {
    lo = Math.log(d.low);
    hi = Math.log(d.high);
  } else if (d.type === 'int' || d.step !== undefined) {
    const step = d.step!;
    lo = d.low - 0.5 * step;
    hi = d.high + 0.5 * step;
    discrete = true;
    count = Math.round((d.high - d.low) / step) + 1;
  } else {
    lo = d.low;
    hi = d.high;
  }
  const dim: GpDim = { name, kind: 'numerical', dist: d, lo, hi, discrete, grid: null };
  if (discrete && count <= MAX_GRID_POINTS) {
    const step = d.type === 'int' ? d.step : d.step!;
    const grid = new Float64Array(count);
    for (let k = 0; k < count; k++) grid[k] = encodeValue(dim, d.low + k * step)!;
    dim.grid = grid;
  }
  return dim;
}

/** A parameter value as its normalised coordinate, or undefined when the distribution cannot give it. */
export function encodeValue(d: GpDim, value: SamplerValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (d.kind === 'categorical') {
    const i = d.dist.choices.findIndex((c) => sameChoice(c, value));
    return i < 0 ? undefined : i;
  }
  const dist = d.dist;
  if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
  const tol = 1e-9 * Math.max(1, Math.abs(dist.low), Math.abs(dist.high));
  if (value < dist.low - tol || value > dist.high + tol) return undefined;
  if (dist.type === 'int' && !Number.isInteger(value)) return undefined;
  const t = dist.log ? Math.log(value) : value;
  return (t - d.lo) / (d.hi - d.lo);
}

/** A normalised coordinate as the value the trial gets, inside the distribution and on its grid. */
export function decodeValue(d: GpDim, x: number): SamplerValue {
  if (d.kind === 'categorical') return d.dist.choices[Math.min(d.nChoices - 1, Math.max(0, Math.round(x)))];
  const dist = d.dist;
  const t = d.lo + Math.min(1, Math.max(0, x)) * (d.hi - d.lo);
  let v = dist.log ? Math.exp(t) : t;
  const step = dist.type === 'int' ? dist.step : dist.step;
  if (step !== undefined) v = dist.low + roundHalfEven((v - dist.low) / step) * step;
  v = Math.min(dist.high, Math.max(dist.low, v));
  return v + 0; // never -0
}
