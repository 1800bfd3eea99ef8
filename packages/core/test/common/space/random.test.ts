import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed } from '../../../src/common/space/random.js';

const draw = (seed: number | string | undefined, n: number): number[] => {
  const r = createRandom(seed);
  return Array.from({ length: n }, () => r.next());
};

describe('createRandom', () => {
  it('gives the same stream for the same seed, and different ones otherwise', () => {
    expect(draw(42, 50)).toEqual(draw(42, 50));
    expect(draw('sweep-a', 50)).toEqual(draw('sweep-a', 50));
    expect(draw(42, 50)).not.toEqual(draw(43, 50));
    expect(draw(1, 5)).not.toEqual(draw('1', 5));
    expect(draw(undefined, 5)).not.toEqual(draw(undefined, 5));
  });

  it('keeps the seeded stream stable across versions', () => {
    // Pinned: changing these breaks reproducibility of every seeded sweep.
    expect(draw(42, 3)).toEqual(PINNED_42);
    expect(createRandom('broom').uint32()).toBe(PINNED_BROOM_UINT32);
  });

  it('returns numbers in [0, 1), uniformly (chi-square over 50 bins)', () => {
    const r = createRandom(7);
    const bins = new Array<number>(50).fill(0);
    const n = 200_000;
    let outside = 0;
    for (let i = 0; i < n; i++) {
      const x = r.next();
      if (!(x >= 0 && x < 1)) outside++;
      else bins[Math.floor(x * 50)]++;
    }
    expect(outside).toBe(0);
    const expected = n / 50;
    const chi2 = bins.reduce((s, b) => s + (b - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(100); // 49 degrees of freedom: p ≈ 4e-5
    // Consecutive draws are uncorrelated.
    const xs = draw(9, 100_000);
    let cov = 0;
    for (let i = 1; i < xs.length; i++) cov += (xs[i] - 0.5) * (xs[i - 1] - 0.5);
    expect(Math.abs(cov / xs.length / (1 / 12))).toBeLessThan(0.02);
  });

  it('uses all 53 bits', () => {
    const xs = draw(3, 1000);
    expect(xs.some((x) => !Number.isInteger(x * 2 ** 32))).toBe(true);
  });
});

describe('deriveSeed', () => {
  it('is stable, distinct per part, and a safe non-negative integer', () => {
    const a = deriveSeed(42, 'proposal', 1);
    expect(deriveSeed(42, 'proposal', 1)).toBe(a);
    expect(Number.isSafeInteger(a) && a >= 0).toBe(true);
    const seen = new Set<number>();
    for (let i = 0; i < 10_000; i++) seen.add(deriveSeed(42, i));
    expect(seen.size).toBe(10_000);
    expect(deriveSeed(42, 1, 2)).not.toBe(deriveSeed(42, 12));
    expect(deriveSeed(42, '1')).not.toBe(deriveSeed(42, 1));
    expect(deriveSeed(42)).not.toBe(deriveSeed(43));
  });

  it('gives streams that do not start alike', () => {
    const firsts = Array.from({ length: 1000 }, (_, i) => createRandom(deriveSeed('s', i)).next());
    const mean = firsts.reduce((s, x) => s + x, 0) / firsts.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.05);
    expect(new Set(firsts).size).toBe(1000);
  });
});

const PINNED_42 = [0.9575743063435419, 0.5403626610140276, 0.18026632537518128];
const PINNED_BROOM_UINT32 = 947522145;
