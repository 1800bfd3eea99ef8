import type { Random } from '@broom/core';
import { choleskyWithJitter, solveLowerInPlace, solveLowerTransposedInPlace, type CholeskyFactor } from '@broom/search-bayes';
import { minimizeLbfgsb } from './lbfgsb.js';

/**
 * The Gaussian process of Optuna's GPSampler: zero prior mean, an ARD Matérn 5/2 kernel
 *
 *   k(a, b) = c · h(√(Σⱼ lⱼ·dⱼ²(aⱼ, bⱼ))),   h(r) = (1 + √5·r + 5r²/3)·exp(−√5·r),
 *
 * with dⱼ² = (aⱼ − bⱼ)² for a numerical coordinate and [aⱼ ≠ bⱼ] (a Hamming distance) for a
 * categorical one, lⱼ the inverse squared length-scales, c the kernel scale, plus a noise variance
 * σ² on the diagonal. Points are rows of a row-major `Float64Array` with `d` columns.
 */

/** Optuna's `DEFAULT_MINIMUM_NOISE_VAR`: σ² never goes below it (nor can a deterministic objective's). */
export const MINIMUM_NOISE_VAR = 1e-6;

const SQRT5 = Math.sqrt(5);
const LOG_2PI = Math.log(2 * Math.PI);

export interface KernelParams {
  /** lⱼ, one per dimension. */
  inverseSquaredLengthscales: Float64Array;
  /** c. */
  kernelScale: number;
  /** σ². */
  noiseVar: number;
}

/** h as a function of s = r². */
export function matern52(s: number): number {
  const r = Math.sqrt(s);
  return (1 + SQRT5 * r + (5 / 3) * s) * Math.exp(-SQRT5 * r);
}

/** dh/ds = −(5/6)(1 + √5·r)·exp(−√5·r), finite at s = 0. */
export function matern52Derivative(s: number): number {
  const r = Math.sqrt(s);
  return (-5 / 6) * (1 + SQRT5 * r) * Math.exp(-SQRT5 * r);
}

/** Σⱼ lⱼ·dⱼ²(a, b) for rows a and b. */
export function scaledSquaredDistance(
  a: ArrayLike<number>, ai: number, b: ArrayLike<number>, bi: number, d: number,
  isCategorical: Uint8Array, l: Float64Array,
): number {
  let s = 0;
  for (let k = 0; k < d; k++) {
    const diff = a[ai + k] - b[bi + k];
    s += isCategorical[k] ? (diff !== 0 ? l[k] : 0) : l[k] * diff * diff;
  }
  return s;
}

/** k(a, b) for two single points. */
export function kernel(a: ArrayLike<number>, b: ArrayLike<number>, isCategorical: Uint8Array, params: KernelParams): number {
  const s = scaledSquaredDistance(a, 0, b, 0, a.length, isCategorical, params.inverseSquaredLengthscales);
  return params.kernelScale * matern52(s);
}

/**
 * Optuna's default log prior on the kernel parameters (constants dropped): −Σⱼ(0.1/lⱼ + 0.1·lⱼ)
 * for the inverse squared length-scales, Gamma(2, 1) for c and Gamma(1.1, 30) for σ².
 */
export function logPrior(params: KernelParams): number {
  let s = 0;
  for (const l of params.inverseSquaredLengthscales) s -= 0.1 / l + 0.1 * l;
  s += Math.log(params.kernelScale) - params.kernelScale;
  s += 0.1 * Math.log(params.noiseVar) - 30 * params.noiseVar;
  return s;
}

/** The training points' per-pair, per-dimension squared distances dⱼ² (lower triangle, pair-major). */
export class PairDistances {
  readonly d2: Float64Array;
  readonly pairs: number;
  constructor(readonly x: Float64Array, readonly n: number, readonly d: number, readonly isCategorical: Uint8Array) {
    this.pairs = (n * (n - 1)) / 2;
    this.d2 = new Float64Array(this.pairs * d);
    let p = 0;
    for (let i = 1; i < n; i++) {
      for (let j = 0; j < i; j++, p++) {
        for (let k = 0; k < d; k++) {
          const diff = x[i * d + k] - x[j * d + k];
          this.d2[p * d + k] = isCategorical[k] ? (diff !== 0 ? 1 : 0) : diff * diff;
        }
      }
    }
  }
}

/** The kernel matrix K + σ²I (full, row-major) into `out`; `sOut` gets each pair's s = Σ lⱼdⱼ². */
function kernelMatrix(pd: PairDistances, params: KernelParams, out: Float64Array, sOut?: Float64Array): void {
  const { n, d, d2 } = pd;
  const l = params.inverseSquaredLengthscales;
  const c = params.kernelScale;
  let p = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++, p++) {
      let s = 0;
      const base = p * d;
      for (let k = 0; k < d; k++) s += l[k] * d2[base + k];
      if (sOut) sOut[p] = s;
      const v = c * matern52(s);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
    out[i * n + i] = c + params.noiseVar;
  }
}

/** Σₖ a[ai + k]·b[bi + k] for k < len, four accumulators wide (about twice as fast in V8). */
function dot(a: Float64Array, ai: number, b: Float64Array, bi: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[ai + k] * b[bi + k];
    s1 += a[ai + k + 1] * b[bi + k + 1];
    s2 += a[ai + k + 2] * b[bi + k + 2];
    s3 += a[ai + k + 3] * b[bi + k + 3];
  }
  for (; k < len; k++) s0 += a[ai + k] * b[bi + k];
  return s0 + s1 + s2 + s3;
}

/**
 * K⁻¹ from its Cholesky factor L, into `out` (full, row-major). `scratch` gets (L⁻¹)ᵀ row by row
 * (column j of L⁻¹ by forward substitution), so that every inner loop runs over contiguous memory;
 * then K⁻¹ᵢⱼ = Σₖ (L⁻¹)ₖᵢ(L⁻¹)ₖⱼ is a dot product of two of its rows.
 */
function inverseFromCholesky(l: Float64Array, n: number, scratch: Float64Array, out: Float64Array): void {
  const mt = scratch;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    for (let i = 0; i < j; i++) mt[rj + i] = 0;
    mt[rj + j] = 1 / l[j * n + j];
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      mt[rj + i] = -dot(l, ri + j, mt, rj + j, i - j) / l[ri + i];
    }
  }
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      const s = dot(mt, ri + i, mt, rj + i, n - i);
      out[ri + j] = s;
      out[rj + i] = s;
    }
  }
}

/**
 * The log marginal likelihood of standardised targets `y` (n of them) at the points of `pd`:
 * −½·yᵀK⁻¹y − ½·log|K| − (n/2)·log 2π, with K = kernel matrix + σ²I. −∞ when K cannot be
 * factorised even with jitter.
 */
export function logMarginalLikelihood(pd: PairDistances, y: ArrayLike<number>, params: KernelParams): number {
  const { n } = pd;
  const k = new Float64Array(n * n);
  kernelMatrix(pd, params, k);
  const factor = choleskyWithJitter(k, n);
  if (factor === null) return -Infinity;
  const z = Float64Array.from({ length: n }, (_, i) => y[i]);
  solveLowerInPlace(factor.l, n, z);
  let quad = 0;
  let logDiag = 0;
  for (let i = 0; i < n; i++) {
    quad += z[i] * z[i];
    logDiag += Math.log(factor.l[i * n + i]);
  }
  return -0.5 * quad - logDiag - 0.5 * n * LOG_2PI;
}

/** Raw (unconstrained) coordinates of the kernel parameters, as Optuna optimises them. */
function toRaw(params: KernelParams, deterministic: boolean, minimumNoise: number): Float64Array {
  const d = params.inverseSquaredLengthscales.length;
  const raw = new Float64Array(d + (deterministic ? 1 : 2));
  for (let k = 0; k < d; k++) raw[k] = Math.log(params.inverseSquaredLengthscales[k]);
  raw[d] = Math.log(params.kernelScale);
  // Optuna starts the noise 1% above its floor so that its logarithm is finite.
  if (!deterministic) raw[d + 1] = Math.log(Math.max(params.noiseVar - 0.99 * minimumNoise, 0.01 * minimumNoise));
  return raw;
}

function fromRaw(raw: ArrayLike<number>, d: number, deterministic: boolean, minimumNoise: number): KernelParams {
  return {
    inverseSquaredLengthscales: Float64Array.from({ length: d }, (_, k) => Math.exp(raw[k])),
    kernelScale: Math.exp(raw[d]),
    noiseVar: deterministic ? minimumNoise : Math.exp(raw[d + 1]) + minimumNoise,
  };
}

/** Bounds on the raw coordinates: far beyond anything the priors allow, only a guard against overflow. */
const RAW_BOUND = 25;

/**
 * The loss Optuna minimises to fit the kernel parameters, −(log marginal likelihood + log prior),
 * and its gradient in raw coordinates: log lⱼ, log c, and log(σ² − minimum noise) (absent for a
 * deterministic objective).
 */
export class KernelFitLoss {
  readonly dims: number;
  private readonly k: Float64Array;
  private readonly l: Float64Array<ArrayBuffer>;
  private readonly kinv: Float64Array;
  private readonly scratch: Float64Array;
  private readonly s: Float64Array;
  private readonly alpha: Float64Array;
  evaluations = 0;

  constructor(
    readonly pd: PairDistances,
    readonly y: Float64Array,
    readonly deterministic: boolean,
    readonly minimumNoise = MINIMUM_NOISE_VAR,
  ) {
    const { n, d } = pd;
    this.dims = d + (deterministic ? 1 : 2);
    this.k = new Float64Array(n * n);
    this.l = new Float64Array(n * n);
    this.kinv = new Float64Array(n * n);
    this.scratch = new Float64Array(n * n);
    this.s = new Float64Array(pd.pairs);
    this.alpha = new Float64Array(n);
  }

  params(raw: ArrayLike<number>): KernelParams {
    return fromRaw(raw, this.pd.d, this.deterministic, this.minimumNoise);
  }

  raw(params: KernelParams): Float64Array {
    return toRaw(params, this.deterministic, this.minimumNoise);
  }

  /** The loss at `raw`, writing its gradient into `grad`. +∞ when K cannot be factorised. */
  evaluate(raw: Float64Array, grad: Float64Array): number {
    this.evaluations++;
    const { n, d, d2 } = this.pd;
    const params = this.params(raw);
    const { inverseSquaredLengthscales: ls, kernelScale: c, noiseVar } = params;
    const { k, l, kinv, s, alpha, y } = this;
    kernelMatrix(this.pd, params, k, s);
    const factor = choleskyWithJitter(k, n, l);
    if (factor === null) return Infinity;
    alpha.set(y);
    solveLowerInPlace(l, n, alpha);
    let quad = 0;
    let logDiag = 0;
    for (let i = 0; i < n; i++) {
      quad += alpha[i] * alpha[i];
      logDiag += Math.log(l[i * n + i]);
    }
    solveLowerTransposedInPlace(l, n, alpha);
    const mll = -0.5 * quad - logDiag - 0.5 * n * LOG_2PI;
    const loss = -(mll + logPrior(params));
    if (!Number.isFinite(loss)) return Infinity;

    // ∂mll/∂θ = ½·tr(W·∂K/∂θ), W = ααᵀ − K⁻¹.
    inverseFromCholesky(l, n, this.scratch, kinv);
    grad.fill(0);
    let offDiagScale = 0; // Σ_{i≠j} W_ij·c·h(s_ij) / 2 = Σ_pairs W_p·c·h_p
    let p = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < i; j++, p++) {
        const w = alpha[i] * alpha[j] - kinv[i * n + j];
        const sp = s[p];
        const r = Math.sqrt(sp);
        const e = Math.exp(-SQRT5 * r);
        offDiagScale += w * c * (1 + SQRT5 * r + (5 / 3) * sp) * e;
        const coef = w * c * (-5 / 6) * (1 + SQRT5 * r) * e;
        if (coef === 0) continue;
        const base = p * d;
        for (let q = 0; q < d; q++) grad[q] += coef * d2[base + q];
      }
    }
    let traceW = 0;
    for (let i = 0; i < n; i++) traceW += alpha[i] * alpha[i] - kinv[i * n + i];
    for (let q = 0; q < d; q++) {
      // ∂/∂log lⱼ of mll, then of the prior (0.1/l − 0.1·l); the loss is their negation.
      grad[q] = -(grad[q] * ls[q] + 0.1 / ls[q] - 0.1 * ls[q]);
    }
    grad[d] = -(offDiagScale + 0.5 * traceW * c + (1 - c));
    if (!this.deterministic) {
      const e = noiseVar - this.minimumNoise;
      grad[d + 1] = -(0.5 * traceW * e + (0.1 / noiseVar - 30) * e);
    }
    return loss;
  }
}

/** Optuna's starting point: every lⱼ = 1, c = 1, σ² = 1. */
export function defaultKernelParams(d: number): KernelParams {
  return { inverseSquaredLengthscales: new Float64Array(d).fill(1), kernelScale: 1, noiseVar: 1 };
}

export interface FitOptions {
  deterministic: boolean;
  minimumNoise?: number;
  /** Where the extra starts come from. */
  random?: Random;
  /** Random starts tried when the fit from Optuna's default start fails. Default 1. */
  randomStarts?: number;
  /** scipy's `gtol` as Optuna sets it (1e-2). */
  gtol?: number;
}

export interface FitResult {
  params: KernelParams;
  /** −(log marginal likelihood + log prior) at {@link params}. */
  loss: number;
  evaluations: number;
  /** Starts the optimiser ran from. */
  starts: number;
}

/**
 * Optuna's `fit_kernel_params`: maximum a posteriori kernel parameters, minimising
 * −(log marginal likelihood + log prior) with L-BFGS in raw coordinates from Optuna's default
 * start (every lⱼ = 1, c = 1, σ² = 1). When that run fails (no finite loss, or the optimiser stops
 * before its tolerance), it runs again from `randomStarts` random starts (log lⱼ uniform in
 * [−2, 2], σ² = 0.01) and the best result wins, as Optuna falls back from one start to another.
 * Falls back on the default parameters if no start gives a finite loss.
 */
export function fitKernelParams(x: Float64Array, n: number, d: number, isCategorical: Uint8Array, y: Float64Array, options: FitOptions): FitResult {
  const minimumNoise = options.minimumNoise ?? MINIMUM_NOISE_VAR;
  const pd = new PairDistances(x, n, d, isCategorical);
  const loss = new KernelFitLoss(pd, y, options.deterministic, minimumNoise);
  const lower = new Float64Array(loss.dims).fill(-RAW_BOUND);
  const upper = new Float64Array(loss.dims).fill(RAW_BOUND);
  let best: { raw: Float64Array; f: number } | null = null;
  const runFrom = (start: KernelParams): boolean => {
    const result = minimizeLbfgsb((raw, grad) => loss.evaluate(raw, grad), loss.raw(start), {
      lower, upper, pgtol: options.gtol ?? 1e-2, maxIterations: 200,
    });
    if (Number.isFinite(result.f) && (best === null || result.f < best.f)) best = { raw: result.x, f: result.f };
    return result.converged && Number.isFinite(result.f);
  };
  let starts = 1;
  if (!runFrom(defaultKernelParams(d)) && options.random) {
    for (let r = 0; r < (options.randomStarts ?? 1); r++) {
      const p = defaultKernelParams(d);
      for (let k = 0; k < d; k++) p.inverseSquaredLengthscales[k] = Math.exp(-2 + 4 * options.random.next());
      p.noiseVar = 0.01;
      starts++;
      runFrom(p);
    }
  }
  if (best === null) {
    const params = defaultKernelParams(d);
    if (options.deterministic) params.noiseVar = minimumNoise;
    return { params, loss: Infinity, evaluations: loss.evaluations, starts };
  }
  const found = best as { raw: Float64Array; f: number };
  return { params: loss.params(found.raw), loss: found.f, evaluations: loss.evaluations, starts };
}

/**
 * A Gaussian-process regressor with fixed kernel parameters: the posterior mean k*ᵀK⁻¹y and the
 * latent variance c − k*ᵀK⁻¹k* (the noise not included; clipped at 0) at new points, and their
 * gradients with respect to a point's coordinates.
 */
export class GPRegressor {
  readonly factor: CholeskyFactor;
  /** K⁻¹y. */
  readonly alpha: Float64Array;
  private readonly kStar: Float64Array;
  private readonly v: Float64Array;
  private readonly sBuf: Float64Array;

  constructor(
    readonly x: Float64Array,
    readonly n: number,
    readonly d: number,
    readonly isCategorical: Uint8Array,
    readonly y: Float64Array,
    readonly params: KernelParams,
  ) {
    const k = new Float64Array(n * n);
    kernelMatrix(new PairDistances(x, n, d, isCategorical), params, k);
    const factor = choleskyWithJitter(k, n);
    if (factor === null) throw new Error('GPSampler: the kernel matrix could not be factorised, even with jitter');
    this.factor = factor;
    this.alpha = Float64Array.from(y.subarray(0, n));
    solveLowerInPlace(factor.l, n, this.alpha);
    solveLowerTransposedInPlace(factor.l, n, this.alpha);
    this.kStar = new Float64Array(n);
    this.v = new Float64Array(n);
    this.sBuf = new Float64Array(n);
  }

  /** Fills kStar (and sBuf with each s = Σ lⱼdⱼ²) for the point at `points[offset..offset+d)`. */
  private cross(points: ArrayLike<number>, offset: number): void {
    const { n, d, x, isCategorical } = this;
    const l = this.params.inverseSquaredLengthscales;
    const c = this.params.kernelScale;
    for (let i = 0; i < n; i++) {
      const s = scaledSquaredDistance(points, offset, x, i * d, d, isCategorical, l);
      this.sBuf[i] = s;
      this.kStar[i] = c * matern52(s);
    }
  }

  /** Posterior mean and variance at `m` points (row-major), into `mean` and `variance`. */
  posterior(points: Float64Array, m: number, mean: Float64Array, variance: Float64Array): void {
    const { n, d } = this;
    const l = this.factor.l;
    const w = this.v;
    for (let q = 0; q < m; q++) {
      this.cross(points, q * d);
      mean[q] = dot(this.kStar, 0, this.alpha, 0, n);
      // ‖L⁻¹k*‖² by forward substitution.
      let explained = 0;
      for (let i = 0; i < n; i++) {
        const ri = i * n;
        const wi = (this.kStar[i] - dot(l, ri, w, 0, i)) / l[ri + i];
        w[i] = wi;
        explained += wi * wi;
      }
      variance[q] = Math.max(0, this.params.kernelScale - explained);
    }
  }

  /**
   * Posterior mean and variance at one point, and ∂/∂xⱼ of `weightMean·mean + weightVar·variance`
   * for the numerical coordinates (0 for categorical ones), computed by `combine` once μ and v are
   * known: it returns [weightMean, weightVar].
   */
  posteriorWithGradient(
    point: Float64Array,
    grad: Float64Array,
    combine: (mean: number, variance: number) => [number, number],
  ): { mean: number; variance: number } {
    const { n, d, x, isCategorical } = this;
    const l = this.factor.l;
    this.cross(point, 0);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += this.kStar[i] * this.alpha[i];
    const v = this.v;
    v.set(this.kStar);
    solveLowerInPlace(l, n, v);
    let explained = 0;
    for (let i = 0; i < n; i++) explained += v[i] * v[i];
    solveLowerTransposedInPlace(l, n, v); // K⁻¹k*
    const rawVariance = this.params.kernelScale - explained;
    const variance = Math.max(0, rawVariance);
    const [wm, wv] = combine(mean, variance);
    grad.fill(0);
    const ls = this.params.inverseSquaredLengthscales;
    const c = this.params.kernelScale;
    // ∂k*ᵢ/∂xⱼ = c·h'(sᵢ)·lⱼ·2(xⱼ − Xᵢⱼ); ∂μ = Σ αᵢ∂k*ᵢ; ∂v = −2 Σ (K⁻¹k*)ᵢ∂k*ᵢ (0 where v is clipped).
    const wvEff = rawVariance > 0 ? wv : 0;
    for (let i = 0; i < n; i++) {
      const beta = c * matern52Derivative(this.sBuf[i]) * (wm * this.alpha[i] - 2 * wvEff * v[i]);
      if (beta === 0) continue;
      const base = i * d;
      for (let j = 0; j < d; j++) {
        if (isCategorical[j]) continue;
        grad[j] += beta * 2 * ls[j] * (point[j] - x[base + j]);
      }
    }
    return { mean, variance };
  }
}
