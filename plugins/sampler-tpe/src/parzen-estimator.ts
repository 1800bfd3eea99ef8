import { roundHalfEven, type Random } from '@broom/core';
import type { Dim } from './space.js';
import { logGaussMass, normLogPdf, truncnormFromUniform } from './truncnorm.js';

/** The estimator settings shared by l(x) and g(x) (Optuna's `_ParzenEstimatorParameters`). */
export interface ParzenParameters {
  considerPrior: boolean;
  priorWeight: number;
  considerMagicClip: boolean;
  considerEndpoints: boolean;
  multivariate: boolean;
}

const EPS = 1e-12;
const SIGMA0_MAGNITUDE = 0.2;

/** One parameter's kernels: categorical rows, or truncated normals (discrete when `step` is set). */
export type Kernels =
  | { kind: 'categorical'; nChoices: number; /** row-major, one row per kernel */ weights: Float64Array }
  | { kind: 'numerical'; mu: Float64Array; sigma: Float64Array; low: number; high: number; step: number; logMass: Float64Array };

/**
 * A mixture of product distributions over a (sub)space, as Optuna's `_ParzenEstimator`: one kernel
 * per observation (plus the prior), each a product of one kernel per parameter. Numerical
 * parameters live in their internal space (log for log ranges; ints with a log range keep
 * Optuna's half-step widening and are continuous there); categoricals are indices.
 */
export class ParzenEstimator {
  readonly weights: Float64Array;
  readonly kernels: Kernels[];

  /**
   * @param observations one array per dimension, internal values, aligned across dimensions
   * @param baseWeights the observations' weights before the prior is appended
   */
  constructor(
    readonly dims: readonly Dim[],
    observations: readonly number[][],
    baseWeights: readonly number[],
    params: ParzenParameters,
  ) {
    const n = observations.length > 0 ? observations[0].length : 0;
    let w: number[];
    if (n === 0) w = [1];
    else if (params.considerPrior) w = [...baseWeights, params.priorWeight];
    else w = [...baseWeights];
    const total = w.reduce((a, b) => a + b, 0);
    this.weights = Float64Array.from(w, (x) => x / total);
    this.kernels = dims.map((d, i) =>
      d.kind === 'categorical'
        ? categoricalKernels(observations[i] ?? [], d.nChoices, params)
        : numericalKernels(observations[i] ?? [], d.low, d.high, d.step, params, dims.length),
    );
  }

  /** Draws `size` points (internal values, one array per dimension). */
  sample(random: Random, size: number): number[][] {
    const cdf = new Float64Array(this.weights.length);
    let acc = 0;
    for (let k = 0; k < cdf.length; k++) cdf[k] = acc += this.weights[k];
    const active: number[] = [];
    for (let s = 0; s < size; s++) {
      const u = random.next() * acc;
      let k = 0;
      while (k < cdf.length - 1 && cdf[k] <= u) k++;
      active.push(k);
    }
    const out: number[][] = this.kernels.map(() => new Array<number>(size));
    // Categorical dimensions first, then numerical ones, each drawing one uniform per point.
    this.kernels.forEach((kern, i) => {
      if (kern.kind !== 'categorical') return;
      for (let s = 0; s < size; s++) {
        const u = random.next();
        const row = active[s] * kern.nChoices;
        let cum = 0;
        let c = 0;
        for (; c < kern.nChoices - 1; c++) {
          cum += kern.weights[row + c];
          if (!(cum < u)) break;
        }
        out[i][s] = c;
      }
    });
    this.kernels.forEach((kern, i) => {
      if (kern.kind !== 'numerical') return;
      const half = kern.step / 2;
      for (let s = 0; s < size; s++) {
        const mu = kern.mu[active[s]];
        const sigma = kern.sigma[active[s]];
        const x = truncnormFromUniform(random.next(), (kern.low - half - mu) / sigma, (kern.high + half - mu) / sigma, mu, sigma);
        out[i][s] = kern.step > 0 ? snap(x, kern.low, kern.high, kern.step) : Math.min(kern.high, Math.max(kern.low, x));
      }
    });
    return out;
  }

  /** ln of the mixture density at each point (internal values, one array per dimension). */
  logPdf(points: readonly number[][]): Float64Array {
    const size = points.length > 0 ? points[0].length : 0;
    const nk = this.weights.length;
    const acc = new Float64Array(size * nk);
    const logW = Float64Array.from(this.weights, Math.log);
    for (let s = 0; s < size; s++) acc.set(logW, s * nk);
    this.kernels.forEach((kern, i) => {
      const xs = points[i];
      if (kern.kind === 'categorical') {
        for (let s = 0; s < size; s++) {
          const c = xs[s];
          for (let k = 0; k < nk; k++) acc[s * nk + k] += Math.log(kern.weights[k * kern.nChoices + c]);
        }
        return;
      }
      const { mu, sigma, logMass, step, low, high } = kern;
      if (step === 0) {
        // ln φ(z) − ln mass − ln σ, with the per-kernel constant computed once.
        const constant = Float64Array.from(sigma, (sg, k) => normLogPdf(0) - logMass[k] - Math.log(sg));
        const inv = Float64Array.from(sigma, (sg) => 1 / sg);
        for (let s = 0; s < size; s++) {
          const x = xs[s];
          const row = s * nk;
          if (x < low || x > high) {
            for (let k = 0; k < nk; k++) acc[row + k] = -Infinity;
            continue;
          }
          for (let k = 0; k < nk; k++) {
            const z = (x - mu[k]) * inv[k];
            acc[row + k] += constant[k] - 0.5 * z * z;
          }
        }
      } else {
        const half = step / 2;
        const memo = new Map<number, Float64Array>();
        for (let s = 0; s < size; s++) {
          const x = xs[s];
          let row = memo.get(x);
          if (!row) {
            row = new Float64Array(nk);
            for (let k = 0; k < nk; k++) {
              row[k] = logGaussMass((x - half - mu[k]) / sigma[k], (x + half - mu[k]) / sigma[k]) - logMass[k];
            }
            memo.set(x, row);
          }
          for (let k = 0; k < nk; k++) acc[s * nk + k] += row[k];
        }
      }
    });
    const out = new Float64Array(size);
    for (let s = 0; s < size; s++) {
      let max = -Infinity;
      for (let k = 0; k < nk; k++) max = Math.max(max, acc[s * nk + k]);
      if (max === -Infinity) {
        out[s] = -Infinity;
        continue;
      }
      let sum = 0;
      for (let k = 0; k < nk; k++) sum += Math.exp(acc[s * nk + k] - max);
      out[s] = Math.log(sum) + max;
    }
    return out;
  }
}

/** The nearest grid point low + k·step, inside [low, high] (ties to even, as numpy's round). */
export function snap(x: number, low: number, high: number, step: number): number {
  return Math.min(high, Math.max(low, low + roundHalfEven((x - low) / step) * step));
}

function categoricalKernels(obs: readonly number[], nChoices: number, params: ParzenParameters): Kernels {
  if (obs.length === 0) return { kind: 'categorical', nChoices, weights: new Float64Array(nChoices).fill(1 / nChoices) };
  const nKernels = obs.length + (params.considerPrior ? 1 : 0);
  const weights = new Float64Array(nKernels * nChoices).fill(params.priorWeight / nKernels);
  obs.forEach((c, k) => (weights[k * nChoices + c] += 1));
  for (let k = 0; k < nKernels; k++) {
    let sum = 0;
    for (let c = 0; c < nChoices; c++) sum += weights[k * nChoices + c];
    for (let c = 0; c < nChoices; c++) weights[k * nChoices + c] /= sum;
  }
  return { kind: 'categorical', nChoices, weights };
}

/**
 * Optuna's bandwidths. Univariate: each kernel's sigma is the larger gap to its sorted neighbours
 * (the prior's centre counts as an observation; the range ends — widened by half a step — are the
 * outer neighbours, but without `consider_endpoints` the outermost kernels use their inner gap).
 * Multivariate: Scott-style 0.2 · n^(−1/(d+4)) · range. Then clipped to [range / min(100, 1 +
 * kernels), range] under magic clip (else [EPS, range]). The prior is N(centre, range).
 */
export function numericalKernels(
  obs: readonly number[],
  low: number,
  high: number,
  step: number,
  params: ParzenParameters,
  nDims: number,
): Kernels {
  const n = obs.length;
  const considerPrior = params.considerPrior || n === 0;
  const range = high - low + step;
  const priorMu = 0.5 * (low + high);
  let sigmas: number[];
  if (params.multivariate) {
    const sigma = SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (nDims + 4)) * range;
    sigmas = new Array<number>(n).fill(sigma);
  } else {
    const mus = considerPrior ? [...obs, priorMu] : [...obs];
    const order = mus.map((_, i) => i).sort((a, b) => mus[a] - mus[b] || a - b);
    const ext = [low - step / 2, ...order.map((i) => mus[i]), high + step / 2];
    const sorted = order.map((_, j) => Math.max(ext[j + 1] - ext[j], ext[j + 2] - ext[j + 1]));
    if (!params.considerEndpoints && ext.length >= 4) {
      sorted[0] = ext[2] - ext[1];
      sorted[sorted.length - 1] = ext[ext.length - 2] - ext[ext.length - 3];
    }
    const byIndex = new Array<number>(mus.length);
    order.forEach((i, j) => (byIndex[i] = sorted[j]));
    sigmas = byIndex.slice(0, n);
  }
  const maxSigma = range;
  const minSigma = params.considerMagicClip ? range / Math.min(100, 1 + n + (considerPrior ? 1 : 0)) : EPS;
  sigmas = sigmas.map((s) => Math.min(maxSigma, Math.max(minSigma, s)));
  const mu = considerPrior ? [...obs, priorMu] : [...obs];
  if (considerPrior) sigmas.push(range);
  const half = step / 2;
  const logMass = Float64Array.from(mu, (m, k) => logGaussMass((low - half - m) / sigmas[k], (high + half - m) / sigmas[k]));
  return { kind: 'numerical', mu: Float64Array.from(mu), sigma: Float64Array.from(sigmas), low, high, step, logMass };
}
