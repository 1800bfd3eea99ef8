/**
 * scikit-learn's `Matern(nu=1.5)` kernel, isotropic with one length-scale ℓ and unit amplitude:
 * k(r) = (1 + √3·r/ℓ)·exp(−√3·r/ℓ), r the Euclidean distance. Points are rows of a row-major
 * `Float64Array` with `d` columns.
 */

const SQRT3 = Math.sqrt(3);

/** Matern 3/2 at distance `r` for length-scale `lengthScale`. */
export function matern32(r: number, lengthScale: number): number {
  const t = (SQRT3 * r) / lengthScale;
  return (1 + t) * Math.exp(-t);
}

/** The n×n matrix of Euclidean distances between the rows of `x` (computed once per fit). */
export function pairwiseDistances(x: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = x[i * d + k] - x[j * d + k];
        s += diff * diff;
      }
      const r = Math.sqrt(s);
      out[i * n + j] = r;
      out[j * n + i] = r;
    }
  }
  return out;
}

/** The m×n matrix of distances from each row of `a` (m rows) to each row of `b` (n rows). */
export function crossDistances(a: Float64Array, m: number, b: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const diff = a[i * d + k] - b[j * d + k];
        s += diff * diff;
      }
      out[i * n + j] = Math.sqrt(s);
    }
  }
  return out;
}

/**
 * The kernel matrix for a distance matrix, written into `out`: k(r) elementwise, plus `nugget` on
 * the diagonal of a square matrix (scikit-learn's `alpha`).
 */
export function maternMatrix(distances: Float64Array, lengthScale: number, out: Float64Array, n = 0, nugget = 0): Float64Array {
  const c = SQRT3 / lengthScale;
  for (let i = 0; i < distances.length; i++) {
    const t = c * distances[i];
    out[i] = (1 + t) * Math.exp(-t);
  }
  if (nugget !== 0) for (let i = 0; i < n; i++) out[i * n + i] += nugget;
  return out;
}

/**
 * The lower triangle (with the diagonal) of the kernel matrix of an n×n symmetric distance matrix,
 * plus `nugget` on the diagonal: all that the Cholesky factorisation reads, at half the cost.
 */
export function maternLowerTriangle(distances: Float64Array, n: number, lengthScale: number, out: Float64Array, nugget = 0): Float64Array {
  const c = SQRT3 / lengthScale;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j < i; j++) {
      const t = c * distances[ri + j];
      out[ri + j] = (1 + t) * Math.exp(-t);
    }
    out[ri + i] = 1 + nugget;
  }
  return out;
}
