import type { Random } from '@broom/core';
import { maximizeFrom } from './bounded-maximizer.js';
import {
  choleskyWithJitter, solveLowerInPlace, solveLowerTransposedInPlace, type CholeskyFactor,
} from './linear-algebra.js';
import { crossDistances, maternLowerTriangle, maternMatrix, pairwiseDistances } from './matern-kernel.js';

/** scikit-learn's `alpha` as W&B sets it (`GAUSSIAN_PROCESS_NUGGET`): added to the kernel diagonal. */
export const GP_NUGGET = 1e-7;
/** W&B's `STD_NUMERICAL_STABILITY_EPSILON`: added to the targets' standard deviation. */
export const STD_EPSILON = 1e-6;
/** scikit-learn's default length-scale bounds for `Matern`. */
export const LENGTH_SCALE_BOUNDS: readonly [number, number] = [1e-5, 1e5];

const LOG_2PI = Math.log(2 * Math.PI);

export interface GaussianProcessOptions {
  /** Use this length-scale instead of fitting one (tests, or callers who know better). */
  lengthScale?: number;
  /** Where the optimiser's restarts come from; without it only the initial length-scale is tried. */
  random?: Random;
  /** Restarts drawn log-uniformly within the bounds (scikit-learn's `n_restarts_optimizer`). Default 2. */
  restarts?: number;
  /** The first length-scale tried. Default 1.0. */
  initialLengthScale?: number;
  bounds?: readonly [number, number];
  /** Added to the kernel diagonal. Default 1e-7. */
  nugget?: number;
}

/** Posterior mean and standard deviation at some points, in standardised units. */
export interface Posterior {
  mean: Float64Array;
  std: Float64Array;
}

/**
 * A Gaussian-process regressor as W&B configures scikit-learn's (`bayes_search.py`): Matern ν=1.5,
 * isotropic, unit amplitude, nugget 1e-7, targets standardised by the caller's recipe (mean and
 * population std + 1e-6; one sample: mean y₀, std 1), the log length-scale fitted by maximising the
 * log marginal likelihood from 1.0 and from `restarts` random starts. Points are rows of a row-major
 * `Float64Array` with `d` columns; predictions are in standardised units (see {@link yMean}, {@link yStd}).
 */
export class GaussianProcess {
  private constructor(
    private readonly x: Float64Array,
    readonly n: number,
    readonly d: number,
    readonly yMean: number,
    readonly yStd: number,
    /** The fitted (or given) length-scale. */
    readonly lengthScale: number,
    /** The log marginal likelihood at {@link lengthScale}, for the standardised targets. */
    readonly logMarginalLikelihood: number,
    /** Whether the fitted log length-scale is `np.isclose` to a log bound (W&B's "bad fit"). */
    readonly lengthScaleAtBound: boolean,
    private readonly factor: CholeskyFactor,
    private readonly weights: Float64Array,
  ) {}

  /** Fit on `n` points `x` (n×d, row-major) with raw targets `y`. */
  static fit(x: Float64Array, n: number, d: number, y: ArrayLike<number>, options: GaussianProcessOptions = {}): GaussianProcess {
    if (n < 1) throw new RangeError('A Gaussian process needs at least one observation');
    if (x.length < n * d || y.length < n) throw new RangeError(`Expected ${n} points of ${d} coordinates and ${n} targets`);
    const nugget = options.nugget ?? GP_NUGGET;
    const [lo, hi] = options.bounds ?? LENGTH_SCALE_BOUNDS;
    const logLo = Math.log(lo);
    const logHi = Math.log(hi);

    const { mean: yMean, std: yStd } = standardization(y, n);
    const yn = new Float64Array(n);
    for (let i = 0; i < n; i++) yn[i] = (y[i] - yMean) / yStd;

    // Distances once per fit; each likelihood evaluation only re-applies the kernel and factorises.
    const dist = pairwiseDistances(x, n, d);
    const k = new Float64Array(n * n);
    const l = new Float64Array(n * n);
    const z = new Float64Array(n);
    const logLikelihood = (theta: number): number => {
      maternLowerTriangle(dist, n, Math.exp(theta), k, nugget);
      const factor = choleskyWithJitter(k, n, l);
      if (factor === null) return -Infinity;
      z.set(yn);
      solveLowerInPlace(l, n, z);
      let quad = 0;
      let logDiag = 0;
      for (let i = 0; i < n; i++) {
        quad += z[i] * z[i];
        logDiag += Math.log(l[i * n + i]);
      }
      return -0.5 * quad - logDiag - 0.5 * n * LOG_2PI;
    };

    let theta: number;
    if (options.lengthScale !== undefined) {
      if (!(options.lengthScale > 0)) throw new RangeError(`A length-scale must be positive, but got ${options.lengthScale}`);
      theta = Math.log(options.lengthScale);
    } else {
      const starts = [Math.log(options.initialLengthScale ?? 1)];
      if (options.random) {
        for (let i = 0; i < (options.restarts ?? 2); i++) starts.push(logLo + options.random.next() * (logHi - logLo));
      }
      let best = { x: starts[0], fx: -Infinity };
      for (const start of starts) {
        const result = maximizeFrom(logLikelihood, start, logLo, logHi);
        if (result.fx > best.fx) best = result;
      }
      theta = best.x;
    }

    // The final factor: fresh buffers, since the optimiser's were scratch space.
    const kernel = maternMatrix(dist, Math.exp(theta), new Float64Array(n * n), n, nugget);
    const factor = choleskyWithJitter(kernel, n);
    if (factor === null) throw new Error('The Gaussian process kernel matrix could not be factorised, even with jitter');
    const weights = Float64Array.from(yn);
    solveLowerInPlace(factor.l, n, weights);
    let quad = 0;
    for (let i = 0; i < n; i++) quad += weights[i] * weights[i];
    solveLowerTransposedInPlace(factor.l, n, weights);
    let logDiag = 0;
    for (let i = 0; i < n; i++) logDiag += Math.log(factor.l[i * n + i]);
    const lml = -0.5 * quad - logDiag - 0.5 * n * LOG_2PI;

    const close = (bound: number) => Math.abs(bound - theta) <= 1e-8 + 1e-5 * Math.abs(theta); // np.isclose(bound, θ)
    const atBound = options.lengthScale === undefined && (close(logLo) || close(logHi));
    return new GaussianProcess(x.slice(0, n * d), n, d, yMean, yStd, Math.exp(theta), lml, atBound, factor, weights);
  }

  /**
   * Posterior at `m` points (m×d, row-major), in standardised units: mean k*ᵀK⁻¹y and standard
   * deviation √max(0, 1 − k*ᵀK⁻¹k*) (scikit-learn clips negative variances to 0).
   */
  predict(points: Float64Array, m: number, withStd = true): Posterior {
    const { n, d } = this;
    const distances = crossDistances(points, m, this.x, n, d);
    const ks = maternMatrix(distances, this.lengthScale, distances); // elementwise, so in place
    const mean = new Float64Array(m);
    const std = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      const row = ks.subarray(j * n, (j + 1) * n);
      let mu = 0;
      for (let i = 0; i < n; i++) mu += row[i] * this.weights[i];
      mean[j] = mu;
      if (!withStd) continue;
      solveLowerInPlace(this.factor.l, n, row);
      let explained = 0;
      for (let i = 0; i < n; i++) explained += row[i] * row[i];
      std[j] = Math.sqrt(Math.max(0, 1 - explained));
    }
    return { mean, std };
  }

  /** A standardised value back in the targets' units. */
  toTargetUnits(standardized: number): number {
    return standardized * this.yStd + this.yMean;
  }

  /** A target value in standardised units. */
  toStandardized(target: number): number {
    return (target - this.yMean) / this.yStd;
  }
}

/** W&B's `fit_normalized_gaussian_process` recipe: one sample → (y₀, 1); else (mean, std + 1e-6). */
export function standardization(y: ArrayLike<number>, n = y.length): { mean: number; std: number } {
  if (n === 1) return { mean: y[0], std: 1 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (y[i] - mean) * (y[i] - mean);
  return { mean, std: Math.sqrt(ss / n) + STD_EPSILON };
}
