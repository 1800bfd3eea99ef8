import erfc from '@stdlib/math-base-special-erfc';
import erfcx from '@stdlib/math-base-special-erfcx';

/**
 * The logarithm of expected improvement, stable far into the tail (Ament et al., "Unexpected
 * Improvements to Expected Improvement", the acquisition Optuna's GPSampler maximises):
 *
 *   EI = σ·h(z),  z = (μ − f*)/σ,  h(z) = φ(z) + z·Φ(z).
 *
 * For z < 0, h(z) = φ(z)·(1 − t·m(t)) with t = −z and Mills' ratio m(t) = Φ(−t)/φ(t) =
 * √(π/2)·erfcx(t/√2), and 1 − t·m(t) ≈ t⁻²(1 − 3t⁻² + 15t⁻⁴) where it would cancel.
 */

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);

/** log h(z), and the ratios Φ(z)/h(z) and φ(z)/h(z) that its derivatives need. */
export function logH(z: number): { logH: number; cdfRatio: number; pdfRatio: number } {
  if (z >= -1) {
    const pdf = Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
    const cdf = 0.5 * erfc(-z * Math.SQRT1_2);
    const h = pdf + z * cdf;
    return { logH: Math.log(h), cdfRatio: cdf / h, pdfRatio: pdf / h };
  }
  const t = -z;
  const mills = SQRT_HALF_PI * erfcx(t * Math.SQRT1_2);
  let q: number;
  if (t > 1e3) {
    const u = 1 / (t * t);
    q = u * (1 - 3 * u + 15 * u * u);
  } else {
    q = 1 - t * mills;
  }
  const logPdf = -0.5 * t * t - LOG_SQRT_2PI;
  return { logH: logPdf + Math.log(q), cdfRatio: mills / q, pdfRatio: 1 / q };
}

/** Optuna's stabilising noise, added to the posterior variance inside log EI. */
export const ACQF_STABILIZING_NOISE = 1e-12;

/**
 * log EI at posterior mean μ and variance v against the best value f* (maximisation), with its
 * partial derivatives in μ and v.
 */
export function logEi(mean: number, variance: number, best: number): { value: number; dMean: number; dVariance: number } {
  const sigma = Math.sqrt(variance + ACQF_STABILIZING_NOISE);
  const z = (mean - best) / sigma;
  const { logH: lh, cdfRatio, pdfRatio } = logH(z);
  // ∂/∂μ = Φ/(σh); ∂/∂σ = φ/(σh), and ∂σ/∂v = 1/(2σ).
  return { value: Math.log(sigma) + lh, dMean: cdfRatio / sigma, dVariance: pdfRatio / (2 * sigma * sigma) };
}
