import { createRandom } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { GaussianProcess, GP_NUGGET, LENGTH_SCALE_BOUNDS, standardization, STD_EPSILON } from '../src/index.js';
import { matern32 } from '../src/matern-kernel.js';

/** A dense inverse by Gauss–Jordan elimination: independent of the Cholesky code under test. */
function inverse(a: number[][]): number[][] {
  const n = a.length;
  const m = a.map((row, i) => [...row, ...Array.from({ length: n }, (_, j) => (i === j ? 1 : 0))]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const pivot = m[c][c];
    for (let j = 0; j < 2 * n; j++) m[c][j] /= pivot;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c];
      for (let j = 0; j < 2 * n; j++) m[r][j] -= f * m[c][j];
    }
  }
  return m.map((row) => row.slice(n));
}

const dist = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));

/** Posterior by the textbook formulas, in target units (W&B's standardisation included). */
function directPosterior(xs: number[][], y: number[], ls: number, at: number[]) {
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const std = Math.sqrt(y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length) + STD_EPSILON;
  const yn = y.map((v) => (v - mean) / std);
  const k = xs.map((a, i) => xs.map((b, j) => matern32(dist(a, b), ls) + (i === j ? GP_NUGGET : 0)));
  const kInv = inverse(k);
  const ks = xs.map((a) => matern32(dist(a, at), ls));
  const w = kInv.map((row) => row.reduce((s, v, j) => s + v * yn[j], 0));
  const mu = ks.reduce((s, v, i) => s + v * w[i], 0);
  const kInvKs = kInv.map((row) => row.reduce((s, v, j) => s + v * ks[j], 0));
  const variance = 1 - ks.reduce((s, v, i) => s + v * kInvKs[i], 0);
  // log det by the same inverse route: det of a 2×2 or 3×3 directly.
  const det =
    xs.length === 2
      ? k[0][0] * k[1][1] - k[0][1] * k[1][0]
      : k[0][0] * (k[1][1] * k[2][2] - k[1][2] * k[2][1]) - k[0][1] * (k[1][0] * k[2][2] - k[1][2] * k[2][0]) +
        k[0][2] * (k[1][0] * k[2][1] - k[1][1] * k[2][0]);
  const quad = yn.reduce((s, v, i) => s + v * w[i], 0);
  const lml = -0.5 * quad - 0.5 * Math.log(det) - (xs.length / 2) * Math.log(2 * Math.PI);
  return { mean: mu * std + mean, std: Math.sqrt(variance) * std, lml };
}

const flat = (xs: number[][]) => Float64Array.from(xs.flat());

describe('Matern 3/2 kernel', () => {
  it('matches (1 + √3 r/ℓ) exp(−√3 r/ℓ)', () => {
    expect(matern32(0, 1)).toBe(1);
    expect(matern32(0.5, 2)).toBeCloseTo((1 + Math.sqrt(3) / 4) * Math.exp(-Math.sqrt(3) / 4), 15);
  });
});

describe('GaussianProcess posterior against hand-computed formulas (fixed length-scale)', () => {
  it('2 points in 1-D', () => {
    const xs = [[0], [1]];
    const y = [1, 3];
    const gp = GaussianProcess.fit(flat(xs), 2, 1, y, { lengthScale: 0.5 });
    expect(gp.yMean).toBe(2);
    expect(gp.yStd).toBeCloseTo(1 + 1e-6, 15);
    for (const at of [0, 0.25, 0.5, 0.9, 1.7]) {
      const want = directPosterior(xs, y, 0.5, [at]);
      const got = gp.predict(Float64Array.of(at), 1);
      expect(gp.toTargetUnits(got.mean[0])).toBeCloseTo(want.mean, 10);
      expect(got.std[0] * gp.yStd).toBeCloseTo(want.std, 8);
    }
    expect(gp.logMarginalLikelihood).toBeCloseTo(directPosterior(xs, y, 0.5, [0]).lml, 9);
    // At a training point the posterior interpolates: mean = y, std ≈ √nugget-level.
    const atData = gp.predict(Float64Array.of(1), 1);
    expect(gp.toTargetUnits(atData.mean[0])).toBeCloseTo(3, 5);
    expect(atData.std[0]).toBeLessThan(1e-3);
  });

  it('3 points in 2-D', () => {
    const xs = [[0.1, 0.2], [0.7, 0.4], [0.4, 0.9]];
    const y = [0.3, -1.2, 2.5];
    const gp = GaussianProcess.fit(flat(xs), 3, 2, y, { lengthScale: 0.35 });
    const at = [[0.5, 0.5], [0, 0], [0.4, 0.85], [1, 1]];
    const got = gp.predict(flat(at), at.length);
    at.forEach((p, j) => {
      const want = directPosterior(xs, y, 0.35, p);
      expect(gp.toTargetUnits(got.mean[j])).toBeCloseTo(want.mean, 10);
      expect(got.std[j] * gp.yStd).toBeCloseTo(want.std, 8);
    });
    expect(gp.logMarginalLikelihood).toBeCloseTo(directPosterior(xs, y, 0.35, [0, 0]).lml, 9);
  });

  it("standardises as W&B: one sample → mean y0, std 1; else population std + 1e-6", () => {
    expect(standardization([4])).toEqual({ mean: 4, std: 1 });
    expect(standardization([1, 3])).toEqual({ mean: 2, std: 1 + 1e-6 });
    const gp = GaussianProcess.fit(Float64Array.of(0.3), 1, 1, [7], { lengthScale: 1 });
    expect(gp.toTargetUnits(gp.predict(Float64Array.of(0.3), 1).mean[0])).toBeCloseTo(7, 5);
  });
});

describe('GaussianProcess length-scale fit', () => {
  const xs = Array.from({ length: 12 }, (_, i) => [i / 11]);
  const y = xs.map(([x]) => Math.sin(6 * x));

  it('maximises the log marginal likelihood (no grid point beats the fit)', () => {
    const gp = GaussianProcess.fit(flat(xs), 12, 1, y, { random: createRandom(1) });
    expect(gp.lengthScaleAtBound).toBe(false);
    for (let t = -6; t <= 6; t += 0.25) {
      const other = GaussianProcess.fit(flat(xs), 12, 1, y, { lengthScale: Math.exp(t) });
      expect(other.logMarginalLikelihood).toBeLessThanOrEqual(gp.logMarginalLikelihood + 1e-9);
    }
  });

  it('is deterministic for the same random stream', () => {
    const a = GaussianProcess.fit(flat(xs), 12, 1, y, { random: createRandom(5) });
    const b = GaussianProcess.fit(flat(xs), 12, 1, y, { random: createRandom(5) });
    expect(a.lengthScale).toBe(b.lengthScale);
  });

  it('runs to the upper bound for a constant target, and flags it', () => {
    const gp = GaussianProcess.fit(flat(xs), 12, 1, xs.map(() => 3), { random: createRandom(1) });
    expect(gp.lengthScale).toBeCloseTo(LENGTH_SCALE_BOUNDS[1], -1);
    expect(gp.lengthScaleAtBound).toBe(true);
    const post = gp.predict(Float64Array.of(0.5, 2), 2);
    expect([...post.mean, ...post.std].every(Number.isFinite)).toBe(true);
    expect(gp.toTargetUnits(post.mean[0])).toBeCloseTo(3, 6);
  });

  it('stays finite with duplicate points (Cholesky jitter)', () => {
    const dup = [[0.2, 0.2], [0.2, 0.2], [0.2, 0.2], [0.8, 0.1], [0.8, 0.1]];
    for (const ls of [undefined, 1e-5, 1, 1e5]) {
      const gp = GaussianProcess.fit(flat(dup), 5, 2, [1, 2, 3, 0, 0], { lengthScale: ls, random: createRandom(2) });
      expect(Number.isFinite(gp.logMarginalLikelihood)).toBe(true);
      const post = gp.predict(flat([[0.2, 0.2], [0.5, 0.5]]), 2);
      expect([...post.mean, ...post.std].every(Number.isFinite)).toBe(true);
    }
  });

  it('refuses an empty data set and a non-positive length-scale', () => {
    expect(() => GaussianProcess.fit(new Float64Array(0), 0, 1, [])).toThrow(/at least one/);
    expect(() => GaussianProcess.fit(Float64Array.of(0), 1, 1, [1], { lengthScale: 0 })).toThrow(/positive/);
  });
});
