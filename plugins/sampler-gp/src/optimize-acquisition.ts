import type { Random } from '@broom/core';
import { maximizeFrom } from '@broom/search-bayes';
import type { GPRegressor } from './gp.js';
import { minimizeLbfgsb } from './lbfgsb.js';
import { logEi } from './log-ei.js';
import { shiftedHalton } from './qmc.js';
import type { GpSpace } from './search-space.js';

/** log EI of a fitted Gaussian process against the best standardised value so far. */
export class LogEiAcquisition {
  private readonly mean: Float64Array;
  private readonly variance: Float64Array;
  evaluations = 0;

  constructor(readonly gp: GPRegressor, readonly best: number) {
    this.mean = new Float64Array(1);
    this.variance = new Float64Array(1);
  }

  /** log EI at `m` points (row-major). */
  values(points: Float64Array, m: number): Float64Array {
    this.evaluations += m;
    const mean = new Float64Array(m);
    const variance = new Float64Array(m);
    this.gp.posterior(points, m, mean, variance);
    const out = new Float64Array(m);
    for (let i = 0; i < m; i++) out[i] = logEi(mean[i], variance[i], this.best).value;
    return out;
  }

  value(point: Float64Array): number {
    this.evaluations++;
    this.gp.posterior(point, 1, this.mean, this.variance);
    return logEi(this.mean[0], this.variance[0], this.best).value;
  }

  /** log EI at one point, with its gradient in the numerical coordinates written into `grad`. */
  valueAndGradient(point: Float64Array, grad: Float64Array): number {
    this.evaluations++;
    let value = 0;
    this.gp.posteriorWithGradient(point, grad, (mean, variance) => {
      const r = logEi(mean, variance, this.best);
      value = r.value;
      return [r.dMean, r.dVariance];
    });
    return value;
  }
}

export interface OptimizeOptions {
  /** Quasi-random points looked at first (Optuna's `n_preliminary_samples`). Default 2048. */
  preliminarySamples?: number;
  /** Local searches, the best preliminary point and warm starts included (`n_local_search`). Default 10. */
  localSearches?: number;
  /** Optuna's `tol` (the gradient tolerance of the continuous step is its square root). Default 1e-4. */
  tol?: number;
}

/** Discrete parameters with at most this many grid points are searched exhaustively. */
const EXHAUSTIVE_GRID = 16;

/**
 * Optuna's `optimize_acqf_mixed`: evaluate the acquisition on quasi-random points of the space,
 * then run a local search from the best one, from the `warmStarts` (the best trial so far) and from
 * others drawn by roulette (probability ∝ exp(value − best value)); return the best point found.
 */
export function optimizeAcquisition(
  acqf: LogEiAcquisition,
  space: GpSpace,
  random: Random,
  warmStarts: Float64Array[],
  options: OptimizeOptions = {},
): { x: Float64Array; value: number } {
  const d = space.d;
  const m = options.preliminarySamples ?? 2048;
  const nLocal = options.localSearches ?? 10;
  const tol = options.tol ?? 1e-4;

  const points = space.fromUnitCubeInPlace(shiftedHalton(m, d, random), m);
  const values = acqf.values(points, m);
  let maxI = 0;
  for (let i = 1; i < m; i++) if (values[i] > values[maxI] || Number.isNaN(values[maxI])) maxI = i;
  const probs = new Float64Array(m);
  let nonZero = 0;
  for (let i = 0; i < m; i++) {
    probs[i] = i === maxI || !Number.isFinite(values[i]) ? 0 : Math.exp(values[i] - values[maxI]);
    if (probs[i] > 0) nonZero++;
  }
  const chosen = [maxI];
  const extra = Math.min(nLocal - 1 - warmStarts.length, nonZero);
  for (let k = 0; k < extra; k++) {
    let total = 0;
    for (let i = 0; i < m; i++) total += probs[i];
    if (!(total > 0)) break;
    let u = random.next() * total;
    let pick = -1;
    for (let i = 0; i < m; i++) {
      if (probs[i] <= 0) continue;
      pick = i;
      u -= probs[i];
      if (u <= 0) break;
    }
    chosen.push(pick);
    probs[pick] = 0;
  }

  let bestX: Float64Array = points.slice(maxI * d, (maxI + 1) * d);
  let bestF = values[maxI];
  const starts = [...chosen.map((i) => points.slice(i * d, (i + 1) * d)), ...warmStarts.map((w) => Float64Array.from(w))];
  for (const start of starts) {
    const { x, value } = localSearchMixed(acqf, space, start, tol);
    if (value > bestF || !Number.isFinite(bestF)) {
      bestX = x;
      bestF = value;
    }
  }
  return { x: bestX, value: bestF };
}

/**
 * Optuna's `local_search_mixed`: alternate a bounded quasi-Newton ascent over the continuous
 * coordinates (scaled by their length-scales, which makes the problem closer to isotropic), a
 * search over each discrete parameter's grid (exhaustive when small, else a line search on the
 * grid's piecewise-linear interpolation), and an exhaustive search over each categorical's choices,
 * until a whole round changes nothing. The result is snapped onto the space.
 */
export function localSearchMixed(acqf: LogEiAcquisition, space: GpSpace, initial: Float64Array, tol: number): { x: Float64Array; value: number } {
  const d = space.d;
  const ls = acqf.gp.params.inverseSquaredLengthscales;
  const continuous: number[] = [];
  const gridded: number[] = [];
  const categorical: number[] = [];
  space.dims.forEach((dim, j) => {
    if (dim.kind === 'categorical') categorical.push(j);
    else if (dim.discrete && dim.grid !== null) gridded.push(j);
    else continuous.push(j);
  });
  const lengthscales = continuous.map((j) => 1 / Math.sqrt(ls[j]));

  let x = space.snapInPlace(Float64Array.from(initial));
  let fx = acqf.value(x);
  const CONTINUOUS = -1;
  let lastChanged: number | null = null;
  const improves = (f: number) => f > fx + 1e-12 * Math.max(1, Math.abs(fx));

  const setAndCompare = (j: number, candidates: ArrayLike<number>): boolean => {
    const rows = new Float64Array(candidates.length * d);
    for (let c = 0; c < candidates.length; c++) {
      rows.set(x, c * d);
      rows[c * d + j] = candidates[c];
    }
    const vals = acqf.values(rows, candidates.length);
    let best = -1;
    let bestVal = fx;
    for (let c = 0; c < candidates.length; c++) {
      if (vals[c] > bestVal + 1e-12 * Math.max(1, Math.abs(bestVal))) {
        best = c;
        bestVal = vals[c];
      }
    }
    if (best < 0) return false;
    x[j] = candidates[best];
    fx = bestVal;
    return true;
  };

  for (let iter = 0; iter < 100; iter++) {
    if (lastChanged === CONTINUOUS) break;
    if (continuous.length > 0 && gradientAscent()) lastChanged = CONTINUOUS;
    let done = false;
    for (const j of gridded) {
      if (lastChanged === j) {
        done = true;
        break;
      }
      if (discreteSearch(j)) lastChanged = j;
    }
    if (done) break;
    for (const j of categorical) {
      if (lastChanged === j) {
        done = true;
        break;
      }
      const dim = space.dims[j];
      const choices = Array.from({ length: dim.kind === 'categorical' ? dim.nChoices : 0 }, (_, c) => c);
      if (setAndCompare(j, choices)) lastChanged = j;
    }
    if (done || lastChanged === null) break;
  }
  // Discrete parameters searched as continuous (very large grids) go onto their grid now.
  const snapped = space.snapInPlace(Float64Array.from(x));
  if (snapped.some((v, j) => v !== x[j])) {
    x = snapped;
    fx = acqf.value(x);
  }
  return { x, value: fx };

  function gradientAscent(): boolean {
    const full = new Float64Array(d);
    const work = Float64Array.from(x);
    const u0 = continuous.map((j, k) => x[j] / lengthscales[k]);
    const upper = lengthscales.map((l) => 1 / l);
    const result = minimizeLbfgsb(
      (u, grad) => {
        for (let k = 0; k < continuous.length; k++) work[continuous[k]] = u[k] * lengthscales[k];
        const v = acqf.valueAndGradient(work, full);
        for (let k = 0; k < continuous.length; k++) grad[k] = -full[continuous[k]] * lengthscales[k];
        return Number.isFinite(v) ? -v : Infinity;
      },
      u0,
      { lower: new Float64Array(continuous.length), upper, pgtol: Math.sqrt(tol), maxIterations: 200 },
    );
    if (!improves(-result.f)) return false;
    for (let k = 0; k < continuous.length; k++) x[continuous[k]] = Math.min(1, Math.max(0, result.x[k] * lengthscales[k]));
    fx = acqf.value(x);
    return true;
  }

  function discreteSearch(j: number): boolean {
    const dim = space.dims[j];
    const grid = dim.kind === 'numerical' ? dim.grid! : new Float64Array();
    if (grid.length <= EXHAUSTIVE_GRID) return setAndCompare(j, grid);
    // Line search over the grid index on the piecewise-linear interpolation of the acquisition.
    const cache = new Map<number, number>();
    const at = (k: number): number => {
      let v = cache.get(k);
      if (v === undefined) {
        const row = Float64Array.from(x);
        row[j] = grid[k];
        v = acqf.value(row);
        cache.set(k, v);
      }
      return v;
    };
    const interpolated = (t: number): number => {
      const k0 = Math.floor(t);
      const k1 = Math.min(grid.length - 1, k0 + 1);
      const w = t - k0;
      return w === 0 ? at(k0) : (1 - w) * at(k0) + w * at(k1);
    };
    let current = 0;
    for (let k = 1; k < grid.length; k++) if (Math.abs(grid[k] - x[j]) < Math.abs(grid[current] - x[j])) current = k;
    const found = maximizeFrom(interpolated, current, 0, grid.length - 1, { initialStep: 1, xTolerance: 0.25 });
    const lo = Math.floor(found.x);
    const candidates = [...new Set([lo, Math.min(grid.length - 1, lo + 1)])].map((k) => grid[k]);
    return setAndCompare(j, candidates);
  }
}
