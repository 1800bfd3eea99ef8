import type { Random } from '@broom/core';

/**
 * Quasi-random points of the unit cube for the acquisition function's first, global look: a Halton
 * sequence started at a random index, with a random Cranley–Patterson shift per dimension (a
 * low-discrepancy set that is different for every seed, as Optuna's scrambled Sobol' set is).
 */

function primes(count: number): number[] {
  const out: number[] = [];
  for (let c = 2; out.length < count; c++) if (out.every((p) => c % p !== 0)) out.push(c);
  return out;
}

/** The radical inverse of `index` in base `base`. */
export function radicalInverse(index: number, base: number): number {
  let result = 0;
  let f = 1 / base;
  let i = index;
  while (i > 0) {
    result += f * (i % base);
    i = Math.floor(i / base);
    f /= base;
  }
  return result;
}

/** `m` points in [0, 1)^d, row-major. */
export function shiftedHalton(m: number, d: number, random: Random): Float64Array {
  const bases = primes(d);
  const shift = Float64Array.from({ length: d }, () => random.next());
  const start = 1 + Math.floor(random.next() * 100_000);
  const out = new Float64Array(m * d);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < d; j++) {
      const v = radicalInverse(start + i, bases[j]) + shift[j];
      out[i * d + j] = v >= 1 ? v - 1 : v;
    }
  }
  return out;
}
