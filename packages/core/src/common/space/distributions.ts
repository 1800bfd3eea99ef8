import type { ParamSpec, Q } from '../config/types.js';
import { PyFloat, makeFloat, type Value } from '../values.js';
import { inverseRegularizedBeta, normalCdf, normalPpf, regularizedBeta } from './special-functions.js';
import { pyEquals } from './value-key.js';

/** A parameter that produces a value itself (everything but a nested `param_dict`). */
export type LeafParamSpec = Exclude<ParamSpec, { distribution: 'param_dict' }>;

/** numpy's `round` (half to even), which W&B's `Q(x) = round(x/q)·q` uses. */
export function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  const r = d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r; // rint keeps the sign: round(-0.4) is -0.0
}

/** W&B's `Q(x)`: the nearest multiple of `q` (ties to even), an int if `q` was written as an int. */
export function quantize(x: number, q: Q): number | PyFloat {
  const r = roundHalfEven(x / q.value) * q.value;
  if (q.isInt && Number.isFinite(r)) return Math.trunc(r) + 0; // numpy astype(int); + 0 drops -0
  return makeFloat(r);
}

/** Spec numbers are plain numbers; tolerate boxed floats from hand-built specs. */
function num(x: number): number {
  return typeof x === 'number' ? x : Number(x);
}

/** scipy's `randint.ppf(u, low, high)` for u in (0, 1), with its off-by-rounding correction. */
function randintPpf(u: number, low: number, high: number): number {
  if (u <= 0) return low; // scipy returns low − 1 at exactly 0 (values[-1] for categorical); guarded
  if (u >= 1) return high - 1;
  const n = high - low;
  let k = Math.ceil(u * n + low) - 1;
  const k1 = Math.min(Math.max(k - 1, low), high - 1);
  if ((k1 - low + 1) / n >= u) k = k1;
  return Math.min(Math.max(k, low), high - 1);
}

function uniformPpf(u: number, min: number, max: number): number {
  return u * (max - min) + min;
}

function uniformCdf(x: number, min: number, max: number): number {
  if (Number.isNaN(x)) return NaN;
  return Math.min(1, Math.max(0, (x - min) / (max - min)));
}

function betaPpf(u: number, a: number, b: number): number {
  if (a <= 0 && b <= 0) return u < 0.5 ? 0 : 1; // the limits of Beta(ε, ε), Beta(ε, b), Beta(a, ε)
  if (a <= 0) return 0;
  if (b <= 0) return 1;
  return inverseRegularizedBeta(u, a, b);
}

function normalPpfAt(u: number, mu: number, sigma: number): number {
  return mu + sigma * normalPpf(u);
}

/**
 * The inverse CDF of a parameter's distribution at `u` ∈ [0, 1], exactly as W&B computes it (spec
 * §1.4): random search calls it with a uniform draw, bayes with a point of the unit cube. Ints come
 * back as JS integers, floats as numbers with whole values boxed as {@link PyFloat}.
 */
export function ppf(spec: LeafParamSpec, u: number): Value {
  if (!(u >= 0 && u <= 1)) throw new RangeError(`Can't call ppf on value outside of [0,1]: ${u}`);
  switch (spec.distribution) {
    case 'constant':
      return spec.value;
    case 'categorical':
      if (spec.values.length === 0) throw new RangeError('A categorical parameter needs at least one value');
      return spec.values[randintPpf(u, 0, spec.values.length)];
    case 'categorical_w_probabilities': {
      let cum = 0;
      let lastPositive = 0;
      for (let i = 0; i < spec.values.length; i++) {
        const p = spec.probabilities[i];
        cum += p;
        if (p > 0) lastPositive = i;
        if (u < cum) return spec.values[i];
      }
      // u ≥ the total (u = 1, or probabilities summing to 1 − ε): the last possible value.
      return spec.values[lastPositive];
    }
    case 'int_uniform':
      return randintPpf(u, num(spec.min), num(spec.max) + 1);
    case 'uniform':
      return makeFloat(uniformPpf(u, num(spec.min), num(spec.max)));
    case 'q_uniform':
      return quantize(uniformPpf(u, num(spec.min), num(spec.max)), spec.q);
    case 'log_uniform':
      return makeFloat(Math.exp(uniformPpf(u, num(spec.min), num(spec.max))));
    case 'log_uniform_values':
      return makeFloat(Math.exp(uniformPpf(u, Math.log(num(spec.min)), Math.log(num(spec.max)))));
    case 'q_log_uniform':
      return quantize(Math.exp(uniformPpf(u, num(spec.min), num(spec.max))), spec.q);
    case 'q_log_uniform_values':
      return quantize(Math.exp(uniformPpf(u, Math.log(num(spec.min)), Math.log(num(spec.max)))), spec.q);
    case 'inv_log_uniform':
      // exp(−U(min, max)) drawn at 1 − u: the same as log_uniform over [−max, −min].
      return makeFloat(Math.exp(-uniformPpf(1 - u, num(spec.min), num(spec.max))));
    case 'inv_log_uniform_values':
      // As W&B implements it: identical to log_uniform_values (spec §1.4 says to keep this).
      return makeFloat(Math.exp(-uniformPpf(1 - u, -Math.log(num(spec.max)), -Math.log(num(spec.min)))));
    case 'normal':
      return makeFloat(normalPpfAt(u, num(spec.mu), num(spec.sigma)));
    case 'q_normal':
      return quantize(normalPpfAt(u, num(spec.mu), num(spec.sigma)), spec.q);
    case 'log_normal':
      return makeFloat(logNormalPpf(u, num(spec.mu), num(spec.sigma)));
    case 'q_log_normal':
      return quantize(logNormalPpf(u, num(spec.mu), num(spec.sigma)), spec.q);
    case 'beta':
      return makeFloat(betaPpf(u, num(spec.a), num(spec.b)));
    case 'q_beta':
      return quantize(betaPpf(u, num(spec.a), num(spec.b)), spec.q);
    default:
      throw new TypeError(`No inverse CDF for distribution ${(spec as ParamSpec).distribution}`);
  }
}

/** scipy's `lognorm.ppf(u, s=sigma, scale=e^mu)`. */
function logNormalPpf(u: number, mu: number, sigma: number): number {
  return Math.exp(sigma * normalPpf(u)) * Math.exp(mu);
}

/** The position of `value` among a categorical's values, by Python `==` (as W&B's `value_to_idx`); −1 if absent. */
export function categoricalIndex(values: readonly Value[], value: Value): number {
  return values.findIndex((v) => pyEquals(value, v));
}

function toNum(value: Value, spec: LeafParamSpec): number {
  if (typeof value === 'number') return value;
  if (value instanceof PyFloat) return value.value;
  if (typeof value === 'boolean') return value ? 1 : 0; // Python bools are ints
  throw new TypeError(`A ${spec.distribution} parameter needs a number, but got ${JSON.stringify(value)}`);
}

/**
 * The CDF of a parameter's distribution at a value: how bayes maps a run's value into [0, 1] (spec
 * §1.4 "Bayes CDFs"). Categoricals look the value up and use its index i: (i+1)/n; int_uniform is
 * (x−min+1)/(max−min+1); q_* use the continuous CDF; log variants are uniform in ln space; constants
 * give 0 (they are not part of the search space).
 */
export function cdf(spec: LeafParamSpec, value: Value, name = ''): number {
  switch (spec.distribution) {
    case 'constant':
      return 0;
    case 'categorical':
    case 'categorical_w_probabilities': {
      const i = categoricalIndex(spec.values, value);
      if (i < 0) {
        const param = name ? ` ${name}` : '';
        throw new RangeError(
          `${JSON.stringify(value)} is not a permitted value of the categorical hyperparameter${param} in the current sweep.`,
        );
      }
      if (spec.distribution === 'categorical') return (i + 1) / spec.values.length;
      let cum = 0;
      for (let j = 0; j <= i; j++) cum += spec.probabilities[j];
      return Math.min(1, cum);
    }
    case 'int_uniform': {
      const x = toNum(value, spec);
      if (Number.isNaN(x)) return NaN;
      const min = num(spec.min);
      const n = num(spec.max) - min + 1;
      return Math.min(1, Math.max(0, (Math.floor(x) - min + 1) / n));
    }
    case 'uniform':
    case 'q_uniform':
      return uniformCdf(toNum(value, spec), num(spec.min), num(spec.max));
    case 'log_uniform':
    case 'q_log_uniform':
      return uniformCdf(Math.log(toNum(value, spec)), num(spec.min), num(spec.max));
    case 'log_uniform_values':
    case 'q_log_uniform_values':
      return uniformCdf(Math.log(toNum(value, spec)), Math.log(num(spec.min)), Math.log(num(spec.max)));
    case 'inv_log_uniform':
      return 1 - uniformCdf(Math.log(1 / toNum(value, spec)), num(spec.min), num(spec.max));
    case 'inv_log_uniform_values': {
      const lo = -Math.log(num(spec.max));
      return 1 - uniformCdf(Math.log(1 / toNum(value, spec)), lo, lo + Math.abs(Math.log(num(spec.max)) - Math.log(num(spec.min))));
    }
    case 'normal':
    case 'q_normal': {
      const sigma = num(spec.sigma);
      const x = toNum(value, spec) - num(spec.mu);
      return sigma > 0 ? normalCdf(x / sigma) : stepCdf(x);
    }
    case 'log_normal':
    case 'q_log_normal': {
      const x = toNum(value, spec);
      if (Number.isNaN(x)) return NaN;
      if (x <= 0) return 0;
      const sigma = num(spec.sigma);
      const z = Math.log(x) - num(spec.mu);
      return sigma > 0 ? normalCdf(z / sigma) : stepCdf(z);
    }
    case 'beta':
    case 'q_beta': {
      const x = toNum(value, spec);
      const a = num(spec.a);
      const b = num(spec.b);
      if (Number.isNaN(x)) return NaN;
      if (x < 0) return 0;
      if (x >= 1) return 1;
      if (a <= 0 || b <= 0) return a <= 0 ? (b <= 0 ? 0.5 : 1) : 0;
      return regularizedBeta(x, a, b);
    }
    default:
      throw new TypeError(`No CDF for distribution ${(spec as ParamSpec).distribution}`);
  }
}

function stepCdf(x: number): number {
  return Number.isNaN(x) ? NaN : x < 0 ? 0 : 1;
}
