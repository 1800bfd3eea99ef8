import { createRandom } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { digitCount, firstPrimes, HaltonSequence, radicalInverse } from '../src/halton.js';
import { centeredDiscrepancy } from './discrepancy.js';

/** `n` points of `d` independent uniform draws. */
function randomPoints(d: number, n: number, seed: number): number[][] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => random.next()));
}

function haltonPoints(d: number, n: number, scramble: boolean, seed: number | string, start = 0): number[][] {
  const sequence = new HaltonSequence(d, { scramble, seed });
  return Array.from({ length: n }, (_, i) => sequence.point(start + i));
}

describe('the Halton sequence', () => {
  it('counts in the prime bases, digits reversed after the point', () => {
    expect(firstPrimes(10)).toEqual([2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    expect(radicalInverse(0, 2)).toBe(0);
    expect(radicalInverse(1, 2)).toBe(0.5);
    expect(radicalInverse(6, 2)).toBe(0.375); // 110₂ → 0.011₂
    expect(radicalInverse(5, 3)).toBeCloseTo(7 / 9, 15); // 12₃ → 0.21₃
    expect(radicalInverse(1, 7)).toBeCloseTo(1 / 7, 15);
    expect(new HaltonSequence(3, { scramble: false, seed: 0 }).point(5)).toEqual([radicalInverse(5, 2), radicalInverse(5, 3), radicalInverse(5, 5)]);
    expect(digitCount(2)).toBe(53);
    expect(2 ** -53 * 3 ** digitCount(3)).toBeGreaterThanOrEqual(1);
  });

  it.each([false, true])('puts the first b^m points of a base-b dimension one in each 1/b^m interval (scramble %s)', (scramble) => {
    const sequence = new HaltonSequence(4, { scramble, seed: 11 });
    sequence.bases.forEach((base, j) => {
      for (const m of [1, 2, 3]) {
        const cells = base ** m;
        if (cells > 2000) continue;
        const hits = new Set<number>();
        for (let n = 0; n < cells; n++) {
          const x = sequence.point(n)[j];
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          hits.add(Math.floor(x * cells + 1e-9)); // i/49·49 may round just below i
        }
        expect(hits.size, `base ${base}, ${cells} cells`).toBe(cells);
      }
    });
  });

  it('covers [0,1]^d more evenly than random draws (centered L2 discrepancy)', () => {
    // Measured on this code (seeds 0–9): d=5, 256 points: scrambled Halton ≤ 0.0214, random draws
    // ≥ 0.0651 (mean 0.0767); d=12, 512 points: ≤ 0.0866 against ≥ 0.1392 (mean 0.1524).
    for (const [d, n] of [
      [2, 128],
      [5, 256],
      [12, 512],
    ]) {
      const random = Array.from({ length: 10 }, (_, s) => centeredDiscrepancy(randomPoints(d, n, 100 + s)));
      const bestRandom = Math.min(...random);
      for (let seed = 0; seed < 5; seed++) {
        const halton = centeredDiscrepancy(haltonPoints(d, n, true, seed));
        expect(halton, `d=${d}, n=${n}, seed ${seed}: Halton ${halton} vs best of 10 random sets ${bestRandom}`).toBeLessThan(bestRandom);
      }
      if (d <= 5) {
        const mean = random.reduce((a, b) => a + b) / random.length;
        expect(centeredDiscrepancy(haltonPoints(d, n, true, 0))).toBeLessThan(mean / 2);
      }
    }
  });

  it('scrambling breaks the lines plain Halton draws in the projections of high bases', () => {
    // Dimensions 15 and 16 (bases 47 and 53): the first 40 plain points lie on one line, x ≈ y·53/47.
    const plain = haltonPoints(17, 40, false, 0, 1).map((p) => [p[15], p[16]]);
    const scrambled = haltonPoints(17, 40, true, 3).map((p) => [p[15], p[16]]);
    expect(centeredDiscrepancy(scrambled)).toBeLessThan(centeredDiscrepancy(plain) / 2);
  });

  it('is fixed by its seed: the same seed gives the same points, another seed other ones', () => {
    expect(haltonPoints(6, 50, true, 42)).toEqual(haltonPoints(6, 50, true, 42));
    expect(haltonPoints(6, 50, true, 'sweep-a')).toEqual(haltonPoints(6, 50, true, 'sweep-a'));
    const other = haltonPoints(6, 50, true, 43);
    expect(other).not.toEqual(haltonPoints(6, 50, true, 42));
    // Dimension j is scrambled the same way whatever the number of dimensions.
    expect(haltonPoints(3, 20, true, 42)).toEqual(haltonPoints(6, 20, true, 42).map((p) => p.slice(0, 3)));
    // Unscrambled, the seed is irrelevant.
    expect(haltonPoints(4, 20, false, 1)).toEqual(haltonPoints(4, 20, false, 2));
  });

  it('refuses a negative or fractional index and dimension', () => {
    expect(() => new HaltonSequence(2, { scramble: true, seed: 1 }).point(-1)).toThrow(/index must be a whole number ≥ 0, but got -1/);
    expect(() => new HaltonSequence(2, { scramble: true, seed: 1 }).point(1.5)).toThrow(/but got 1.5/);
    expect(() => new HaltonSequence(-1, { scramble: true, seed: 1 })).toThrow(/whole number of dimensions/);
  });
});
