import { createRandom, normalCdf, normalPdf } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { BAD_FIT_WARNING, expectedImprovement, MAX_GP_SAMPLES, nextPoint, type GpData } from '../src/index.js';

function data(points: number[][], y: number[], pending: number[][] = []): GpData {
  const d = (points[0] ?? pending[0] ?? [0]).length;
  return {
    d,
    x: Float64Array.from(points.flat()),
    y: Float64Array.from(y),
    n: points.length,
    pending: Float64Array.from(pending.flat()),
    p: pending.length,
  };
}

describe('expectedImprovement', () => {
  it('is (y* − μ)Φ(Z) + σφ(Z) with Z = (y* − μ)/(σ + 1e-6)', () => {
    const z = (0.2 - -0.3) / (0.7 + 1e-6);
    const { probability, expected } = expectedImprovement(-0.3, 0.7, 0.2);
    expect(probability).toBeCloseTo(normalCdf(z), 15);
    expect(expected).toBeCloseTo(0.5 * normalCdf(z) + 0.7 * normalPdf(z), 15);
    expect(expectedImprovement(1, 0, 0).expected).toBeCloseTo(0, 12);
  });
});

describe('nextPoint', () => {
  it('draws a uniform point with fewer than 2 observations', () => {
    const r = nextPoint(data([], [], [[0.5, 0.5]]), createRandom(1));
    const u = createRandom(1);
    expect(Array.from(r.point)).toEqual([u.next(), u.next()]);
    expect(r).toMatchObject({ successProbability: 1, predictedValue: 0, predictedStdDev: null, expectedImprovement: null });
    expect(nextPoint(data([[0.1, 0.2]], [3]), createRandom(1)).predictedValue).toBe(3);
  });

  it('picks the candidate with the largest expected improvement', () => {
    const points = [[0.1], [0.3], [0.5], [0.7], [0.9]];
    const r = nextPoint(data(points, points.map(([x]) => (x - 0.62) ** 2)), createRandom(4));
    expect(r.warnings).toEqual([]);
    expect(r.model).toBeDefined();
    // Near the bowl's minimum, between the two best observations.
    expect(Math.abs(r.point[0] - 0.62)).toBeLessThan(0.15);
    // search_info values agree with the model at the point.
    const post = r.model!.predict(r.point, 1);
    expect(r.predictedValue).toBeCloseTo(r.model!.toTargetUnits(post.mean[0]), 12);
    expect(r.predictedStdDev).toBeCloseTo(post.std[0] * r.model!.yStd, 12);
  });

  it('subsamples more than 100 observations to 100, with y* over all of them', () => {
    const random = createRandom(8);
    const points = Array.from({ length: 300 }, () => [random.next(), random.next()]);
    const r = nextPoint(data(points, points.map(([a, b]) => a + b)), createRandom(2));
    expect(r.model!.n).toBe(MAX_GP_SAMPLES);
  });

  it('fantasises at most 95 pending points (kriging believer)', () => {
    const random = createRandom(3);
    const points = Array.from({ length: 10 }, () => [random.next()]);
    const pending = Array.from({ length: 120 }, () => [random.next()]);
    const r = nextPoint(data(points, points.map(([a]) => Math.sin(5 * a)), pending), createRandom(2));
    expect(r.model!.n).toBe(10 + 95);
    // The refitted model believes its fantasies: next to no uncertainty left at a pending point.
    expect(r.model!.predict(Float64Array.from(pending[0]), 1).std[0]).toBeLessThan(1e-2);
  });

  it('warns and picks a random candidate when the length-scale fit hits a bound', () => {
    const r = nextPoint(data([[0.1], [0.4], [0.8]], [2, 2, 2]), createRandom(5));
    expect(r.model!.lengthScaleAtBound).toBe(true);
    expect(r.warnings).toEqual([BAD_FIT_WARNING]);
    expect(BAD_FIT_WARNING).toBe(
      'Some dimmensions of kernel are close to their bounds (bad fit), the next sample will be a random sample within parameter space',
    );
  });
});
