import { describe, expect, it } from 'vitest';
import { hypervolume, hypervolumeWeights, nonDominationRanks, referencePoint, solveHssp } from '../src/hypervolume.js';
import { logGaussMass, logNdtr, ndtriExp, truncnormLogPdf, truncnormPpf } from '../src/truncnorm.js';

// Reference values from scipy 1.17 (scipy.special.log_ndtr / ndtri_exp, scipy.stats.truncnorm).
describe('truncated normal numerics', () => {
  it('ln Φ matches scipy in both tails', () => {
    const cases: [number, number][] = [
      [-40, -804.6084420137539],
      [-25, -316.63940800802027],
      [-20, -203.9171553710973],
      [-5, -15.064998393988727],
      [0, -0.6931471805599453],
      [3, -0.0013508099647481925],
      [7, -1.2798125438866539e-12],
      [30, -4.906713927147908e-198],
    ];
    for (const [x, want] of cases) expect(logNdtr(x)).toBeCloseTo(want, 12 - Math.max(0, Math.round(Math.log10(Math.abs(want)))));
    for (const [x, want] of cases) expect(Math.abs(logNdtr(x) / want - 1)).toBeLessThan(1e-11);
  });

  it('ndtri_exp inverts ln Φ (scipy values)', () => {
    const cases: [number, number][] = [
      [-800, -39.88469483825668],
      [-50, -9.674825283612355],
      [-1, -0.33747496376420244],
      [-0.001, 3.090380786917045],
      [-1e-12, 7.034483825301202],
    ];
    for (const [y, want] of cases) expect(Math.abs(ndtriExp(y) / want - 1)).toBeLessThan(1e-9);
  });

  it('the truncated normal quantile and log density match scipy', () => {
    const ppf: [number, number, number, number][] = [
      [0.3, -1, 2, -0.2424038178892269],
      [0.9, 3, 8, 3.642522275830556],
      [0.01, -9, -7, -7.618840382081661],
      [0.999, -30, -29, -29.000034459113948],
    ];
    for (const [q, a, b, want] of ppf) expect(Math.abs(truncnormPpf(q, a, b) - want)).toBeLessThan(1e-9);
    expect(Math.abs(truncnormPpf(0.5, -0.5, 0.5))).toBeLessThan(1e-12);
    expect(truncnormLogPdf(0.2, -1, 2, 0, 1)).toBeCloseTo(-0.73877223888021, 11);
    expect(truncnormLogPdf(5, 3, 8, 0, 1)).toBeCloseTo(-6.811212311693861, 10);
    expect(truncnormLogPdf(-8, -9, -7, 0, 1)).toBeCloseTo(-5.53463094620971, 10);
    expect(truncnormLogPdf(3, -1, 2, 0, 1)).toBe(-Infinity);
    // The mass of the whole line is 1; of a far tail interval it stays finite in log space.
    expect(logGaussMass(-40, 40)).toBeCloseTo(0, 14);
    expect(Number.isFinite(logGaussMass(35, 36))).toBe(true);
    expect(logGaussMass(35, 36)).toBeCloseTo(logGaussMass(-36, -35), 10);
  });
});

/** Hypervolume by inclusion–exclusion, for checking (exponential, small sets only). */
function bruteHv(points: number[][], ref: number[]): number {
  let total = 0;
  const n = points.length;
  for (let mask = 1; mask < 1 << n; mask++) {
    const corner = ref.map(() => -Infinity);
    let size = 0;
    for (let i = 0; i < n; i++) {
      if (mask & (1 << i)) {
        size++;
        points[i].forEach((v, k) => (corner[k] = Math.max(corner[k], v)));
      }
    }
    const vol = corner.reduce((acc, v, k) => acc * Math.max(0, ref[k] - v), 1);
    total += size % 2 === 1 ? vol : -vol;
  }
  return total;
}

describe('hypervolume and subset selection', () => {
  it('hypervolume agrees with inclusion–exclusion in 2, 3 and 4 dimensions', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (const m of [2, 3, 4]) {
      for (let rep = 0; rep < 5; rep++) {
        const pts = Array.from({ length: 7 }, () => Array.from({ length: m }, () => rnd()));
        const ref = new Array(m).fill(1.2);
        expect(hypervolume(pts, ref)).toBeCloseTo(bruteHv(pts, ref), 12);
      }
    }
  });

  it('non-domination ranks peel fronts', () => {
    const pts = [[0, 3], [1, 1], [3, 0], [2, 2], [1.5, 3.5], [3.5, 1.5], [4, 4], [1, 1]];
    expect(nonDominationRanks(pts)).toEqual([0, 0, 0, 1, 1, 1, 2, 0]);
  });

  it('the greedy subset keeps the point with the largest box first, and the reference point is 1.1 × the worst', () => {
    const front = [[2, 2], [1.5, 3.5], [3.5, 1.5]];
    expect(referencePoint(front)).toEqual([1.1 * 3.5, 1.1 * 3.5]);
    expect(referencePoint([[-2, 0]])).toEqual([-1.8, 1e-12]);
    expect(solveHssp(front, 1, referencePoint(front))).toEqual([0]);
    // 3-D: the greedy pick of two out of four.
    const f3 = [[0, 0.5, 0.5], [0.5, 0, 0.5], [0.5, 0.5, 0], [0.2, 0.2, 0.2]];
    const ref3 = [1, 1, 1];
    const picked = solveHssp(f3, 2, ref3);
    expect(picked[0]).toBe(3); // the centre point has the largest box: 0.8³
    // The second is the best complement of the centre, by exhaustive check.
    const gains = [0, 1, 2].map((i) => hypervolume([f3[3], f3[i]], ref3));
    expect(gains[picked[1]]).toBeCloseTo(Math.max(...gains), 12);
  });

  it('MOTPE weights: hypervolume contributions relative to the largest, EPS off the front', () => {
    const w = hypervolumeWeights([[0, 3], [1, 1], [3, 0], [2, 2]]);
    // Reference (3.3, 3.3): contributions 0.3, 4.0, 0.3 (hand-computed), (2, 2) is dominated.
    expect(w[0]).toBeCloseTo(0.075, 12);
    expect(w[1]).toBeCloseTo(1, 12);
    expect(w[2]).toBeCloseTo(0.075, 12);
    expect(w[3]).toBe(1e-12);
    expect(hypervolumeWeights([[1, 2]])).toEqual([1]);
  });
});

describe('infinite objective values', () => {
  it('the subset selection and the weights still answer (Optuna falls back to order / all-ones)', () => {
    const front = [[-Infinity, 3], [0, 1], [1, 0], [2, -1]];
    const picked = solveHssp(front, 2, [3, 3.3]);
    expect(picked.length).toBe(2);
    expect(new Set(picked).size).toBe(2);
    expect(hypervolumeWeights(front)).toEqual([1, 1, 1, 1]);
  });
});
