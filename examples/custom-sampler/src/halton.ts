import { createRandom, deriveSeed } from '@broom/core';

/** The largest double below 1: every coordinate is kept in [0, 1). */
const BELOW_ONE = 1 - 2 ** -53;

/** The first `n` primes (2, 3, 5, …): dimension j of the Halton sequence counts in base `primes[j]`. */
export function firstPrimes(n: number): number[] {
  const primes: number[] = [];
  for (let k = 2; primes.length < n; k++) {
    if (primes.every((p) => p * p > k || k % p !== 0)) primes.push(k);
  }
  return primes;
}

/**
 * How many base-`b` digits of a coordinate a double can hold (b^-K < 2^-53). A scrambled coordinate
 * uses all of them: the permuted zeros past the index's last digit are what spread a point over its
 * whole cell instead of leaving it at the cell's corner.
 */
export function digitCount(base: number): number {
  return Math.ceil(53 / Math.log2(base));
}

/**
 * The radical inverse of `index` in `base` (van der Corput): the digits of the index, written in
 * reverse after the point. `radicalInverse(6, 2)` is 0.011₂ = 0.375.
 */
export function radicalInverse(index: number, base: number): number {
  // Reversed digits over a power of the base, both whole numbers, divided once: the nearest double
  // to the exact fraction, so that a point such as 1/3 falls in the cell it belongs to.
  let reversed = 0;
  let power = 1;
  for (let n = index; n > 0; n = Math.floor(n / base)) {
    reversed = reversed * base + (n % base);
    power *= base;
  }
  return reversed / power;
}

/** A uniformly random permutation of 0 … size-1 (Fisher–Yates on a seeded stream). */
function permutation(size: number, random: { next(): number }): Uint8Array | Uint16Array {
  const p = size <= 256 ? new Uint8Array(size) : new Uint16Array(size);
  for (let i = 0; i < size; i++) p[i] = i;
  for (let i = size - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

export interface HaltonOptions {
  /** Randomise the digits (recommended); without it the sequence is the classic, fixed one. */
  scramble: boolean;
  /** The scrambling's seed: the same seed gives the same sequence, on every platform. */
  seed: number | string;
}

/**
 * A Halton sequence in `dimension` dimensions: point n has coordinate j = the radical inverse of n
 * in the j-th prime base. Scrambled, each dimension and digit position gets its own random
 * permutation of the digits 0 … b-1 (random digit permutation, the randomisation Owen describes for
 * Halton and scipy's `qmc.Halton(scramble=True)` uses): the points stay a low-discrepancy set, the
 * correlation between high bases that makes plain Halton draw lines in 2-D projections goes away,
 * and each point is uniformly distributed over the cube.
 */
export class HaltonSequence {
  readonly bases: readonly number[];
  /** perms[j][k]: the permutation of digit position k (from the point) in dimension j. */
  private readonly perms?: (Uint8Array | Uint16Array)[][];

  constructor(
    readonly dimension: number,
    options: HaltonOptions,
  ) {
    if (!Number.isInteger(dimension) || dimension < 0) throw new RangeError(`A Halton sequence needs a whole number of dimensions, but got ${dimension}`);
    this.bases = firstPrimes(dimension);
    if (options.scramble) {
      // Each dimension's permutations come from their own stream, so dimension j is scrambled the
      // same way whatever the number of dimensions.
      this.perms = this.bases.map((base, j) => {
        const random = createRandom(deriveSeed(options.seed, 'halton', j));
        return Array.from({ length: digitCount(base) }, () => permutation(base, random));
      });
    }
  }

  /** Point number `index` (0, 1, 2, …) of the sequence: one coordinate in [0, 1) per dimension. */
  point(index: number): number[] {
    if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`A Halton point's index must be a whole number ≥ 0, but got ${index}`);
    return this.bases.map((base, j) => {
      if (!this.perms) return radicalInverse(index, base);
      const perms = this.perms[j];
      let x = 0;
      let scale = 1 / base;
      let n = index;
      for (let k = 0; k < perms.length; k++) {
        x += perms[k][n % base] * scale;
        n = Math.floor(n / base);
        scale /= base;
      }
      return Math.min(x, BELOW_ONE);
    });
  }
}
