import { normalPpf } from '@broom/core';
import erfc from '@stdlib/math-base-special-erfc';

/**
 * The truncated standard normal distribution in log space, the way Optuna's `_truncnorm` module
 * computes it (stable in both tails): `logNdtr`, the log of the Gaussian mass of an interval, its
 * inverse for sampling (`ppf`) and the log density. Written from the maths, not ported.
 */

const LN_SQRT_2PI = 0.9189385332046728; // ln √(2π)

/** Φ(x) = erfc(−x/√2)/2 (stdlib's erfc: full relative accuracy in the lower tail, and fast). */
export function ndtr(x: number): number {
  return 0.5 * erfc(-x * Math.SQRT1_2);
}
const normalCdf = ndtr;

/** ln Φ(x), accurate in both tails. */
export function logNdtr(x: number): number {
  if (x > 6) return Math.log1p(-normalCdf(-x));
  if (x > -20) return Math.log(normalCdf(x));
  if (x === -Infinity) return -Infinity;
  // Asymptotic series: Φ(x) = φ(x)/(-x) · (1 − 1/x² + 3/x⁴ − 15/x⁶ + …), converging fast for x ≤ −20.
  const x2 = x * x;
  let term = 1;
  let sum = 1;
  for (let i = 1; i < 20; i++) {
    term *= -(2 * i - 1) / x2;
    sum += term;
    if (Math.abs(term) < 1e-17) break;
  }
  return -0.5 * x2 - Math.log(-x) - LN_SQRT_2PI + Math.log(sum);
}

/** ln(e^p + e^q). */
export function logAddExp(p: number, q: number): number {
  if (p === -Infinity) return q;
  if (q === -Infinity) return p;
  const m = Math.max(p, q);
  return m + Math.log1p(Math.exp(-Math.abs(p - q)));
}

/** ln(e^p − e^q) for p ≥ q. */
function logDiff(p: number, q: number): number {
  if (q === -Infinity) return p;
  return p + Math.log1p(-Math.exp(q - p));
}

/** ln(Φ(b) − Φ(a)) for a ≤ b: the log of the standard normal mass of [a, b]. */
export function logGaussMass(a: number, b: number): number {
  if (a > 0) return logGaussMass(-b, -a); // by symmetry, work in the lower tail
  if (b <= 0) {
    if (b > -20) {
      // Both Φ are representable: take the difference directly unless it cancels badly.
      const pb = normalCdf(b);
      const d = pb - normalCdf(a);
      if (d > 0.01 * pb) return Math.log(d);
    }
    return logDiff(logNdtr(b), logNdtr(a));
  }
  // The interval holds 0: 1 − Φ(a) − Φ(−b) loses nothing to cancellation.
  return Math.log1p(-normalCdf(a) - normalCdf(-b));
}

/** x with ln Φ(x) = y (y ≤ 0): Newton's method on ln Φ from a rational first guess. */
export function ndtriExp(y: number): number {
  if (y >= 0) return Infinity;
  if (y === -Infinity) return -Infinity;
  // Near y = 0 Φ(x) is close to 1: solve for the complement, ln Φ(−x) = ln(1 − e^y), instead.
  const flipped = y > -1e-2;
  const z = flipped ? Math.log(-Math.expm1(y)) : y;
  let x = z > -700 ? normalPpf(Math.exp(z)) : -Math.sqrt(-2 * z - Math.log(-2 * z) - 2 * LN_SQRT_2PI);
  if (!Number.isFinite(x)) x = -Math.sqrt(-2 * z);
  for (let i = 0; i < 50; i++) {
    const logPhi = logNdtr(x);
    const logPdf = -0.5 * x * x - LN_SQRT_2PI;
    const dx = (logPhi - z) * Math.exp(logPhi - logPdf);
    if (!Number.isFinite(dx)) break;
    x -= dx;
    if (Math.abs(dx) <= 1e-14 * Math.max(1, Math.abs(x))) break;
  }
  return flipped ? -x : x;
}

/** The quantile of the standard normal truncated to [a, b], at q ∈ [0, 1]. */
export function truncnormPpf(q: number, a: number, b: number): number {
  if (q <= 0) return a;
  if (q >= 1) return b;
  const mass = logGaussMass(a, b);
  let x: number;
  if (a < 0) {
    x = ndtriExp(logAddExp(logNdtr(a), Math.log(q) + mass));
  } else {
    x = -ndtriExp(logAddExp(logNdtr(-b), Math.log1p(-q) + mass));
  }
  // Rounding may step a hair outside the interval; the distribution never does.
  return Math.min(b, Math.max(a, x));
}

/** A draw from N(loc, scale²) truncated to [loc + a·scale, loc + b·scale], from one uniform `u`. */
export function truncnormFromUniform(u: number, a: number, b: number, loc: number, scale: number): number {
  return truncnormPpf(u, a, b) * scale + loc;
}

/** ln φ(z) for the standard normal. */
export function normLogPdf(z: number): number {
  return -0.5 * z * z - LN_SQRT_2PI;
}

/** The log density at x of N(loc, scale²) truncated to [loc + a·scale, loc + b·scale]. */
export function truncnormLogPdf(x: number, a: number, b: number, loc: number, scale: number): number {
  const z = (x - loc) / scale;
  if (z < a || z > b) return -Infinity;
  return normLogPdf(z) - logGaussMass(a, b) - Math.log(scale);
}
