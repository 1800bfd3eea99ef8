import { createRandom } from '@broom/core';
import { describe, expect, it } from 'vitest';
import {
  defaultKernelParams, GPRegressor, kernel, KernelFitLoss, logEi, logMarginalLikelihood, logPrior, matern52,
  matern52Derivative, minimizeLbfgsb, PairDistances, type KernelParams,
} from '../src/index.js';

// Reference values computed with mpmath at 40 digits from the formulas in the docs of src/gp.ts.
describe('ARD Matérn 5/2 kernel with a Hamming distance for categoricals', () => {
  it('h(s) = (1 + √5 r + 5r²/3)·exp(−√5 r) with s = r²', () => {
    expect(matern52(0)).toBe(1);
    expect(matern52(1)).toBeCloseTo(0.5239941088318203, 14);
    expect(matern52(0.25)).toBeCloseTo(0.8286491424181253, 14);
  });

  it('dh/ds matches a central difference and is finite at 0', () => {
    for (const s of [1e-3, 0.25, 1, 4]) {
      const fd = (matern52(s + 1e-6) - matern52(s - 1e-6)) / 2e-6;
      expect(matern52Derivative(s)).toBeCloseTo(fd, 6);
    }
    expect(matern52Derivative(0)).toBeCloseTo(-5 / 6, 14);
  });

  it('scales each squared distance by its inverse squared length-scale; a categorical counts 1 when different', () => {
    const params: KernelParams = { inverseSquaredLengthscales: Float64Array.of(2, 0.5), kernelScale: 1.5, noiseVar: 0 };
    const isCat = Uint8Array.of(0, 1);
    expect(kernel([0.2, 1], [0.5, 0], isCat, params)).toBeCloseTo(0.9437866803579442, 14);
    // Categories 1 and 3 are as far apart as 1 and 2: only equality counts.
    expect(kernel([0.2, 1], [0.2, 3], isCat, params)).toBeCloseTo(kernel([0.2, 1], [0.2, 2], isCat, params), 15);
    expect(kernel([0.2, 1], [0.2, 1], isCat, params)).toBe(1.5);
  });
});

describe('marginal likelihood and priors', () => {
  const x = Float64Array.of(0.1, 0, 0.4, 1, 0.9, 0);
  const y = Float64Array.of(-1.2, 0.3, 0.9);
  const isCat = Uint8Array.of(0, 1);
  const params: KernelParams = { inverseSquaredLengthscales: Float64Array.of(3, 0.7), kernelScale: 1.3, noiseVar: 0.05 };

  it('log marginal likelihood of 3 points (one numerical, one categorical dimension)', () => {
    expect(logMarginalLikelihood(new PairDistances(x, 3, 2, isCat), y, params)).toBeCloseTo(-4.350745185065423, 12);
  });

  it("Optuna's log prior: −Σ(0.1/l + 0.1 l) + Gamma(2, 1) on c + Gamma(1.1, 30) on σ² (constants dropped)", () => {
    expect(logPrior(params)).toBeCloseTo(-3.383399439078384, 12);
  });

  it('the fitting loss is −(mll + prior) and its gradient matches central differences', () => {
    for (const deterministic of [false, true]) {
      const loss = new KernelFitLoss(new PairDistances(x, 3, 2, isCat), y, deterministic);
      const raw = loss.raw(params);
      const grad = new Float64Array(raw.length);
      const f = loss.evaluate(raw, grad);
      const p = loss.params(raw);
      expect(f).toBeCloseTo(-(logMarginalLikelihood(new PairDistances(x, 3, 2, isCat), y, p) + logPrior(p)), 10);
      const scratch = new Float64Array(raw.length);
      for (let k = 0; k < raw.length; k++) {
        const plus = Float64Array.from(raw);
        const minus = Float64Array.from(raw);
        plus[k] += 1e-6;
        minus[k] -= 1e-6;
        const fd = (loss.evaluate(plus, scratch) - loss.evaluate(minus, scratch)) / 2e-6;
        expect(grad[k], `∂loss/∂raw[${k}] (deterministic: ${deterministic})`).toBeCloseTo(fd, 5);
      }
    }
  });

  it('the gradient is right on a larger random problem too', () => {
    const r = createRandom(4);
    const n = 25;
    const d = 3;
    const xs = Float64Array.from({ length: n * d }, (_, i) => (i % d === 2 ? Math.floor(r.next() * 3) : r.next()));
    const ys = Float64Array.from({ length: n }, (_, i) => Math.sin(6 * xs[i * d]) + xs[i * d + 1] + 0.3 * xs[i * d + 2]);
    const loss = new KernelFitLoss(new PairDistances(xs, n, d, Uint8Array.of(0, 0, 1)), ys, false);
    const raw = Float64Array.of(0.5, -1, 0.2, 0.3, Math.log(0.01));
    const grad = new Float64Array(raw.length);
    loss.evaluate(raw, grad);
    const scratch = new Float64Array(raw.length);
    for (let k = 0; k < raw.length; k++) {
      const plus = Float64Array.from(raw);
      const minus = Float64Array.from(raw);
      plus[k] += 1e-6;
      minus[k] -= 1e-6;
      const fd = (loss.evaluate(plus, scratch) - loss.evaluate(minus, scratch)) / 2e-6;
      expect(Math.abs(grad[k] - fd)).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd)));
    }
  });
});

describe('posterior', () => {
  it('interpolates the data with a tiny noise and reverts to the prior far away', () => {
    const x = Float64Array.of(0.1, 0.5, 0.9);
    const y = Float64Array.of(1, -1, 0.5);
    const params: KernelParams = { inverseSquaredLengthscales: Float64Array.of(20), kernelScale: 2, noiseVar: 1e-6 };
    const gp = new GPRegressor(x, 3, 1, Uint8Array.of(0), y, params);
    const mean = new Float64Array(4);
    const variance = new Float64Array(4);
    gp.posterior(Float64Array.of(0.1, 0.5, 0.9, 30), 4, mean, variance);
    expect(mean[0]).toBeCloseTo(1, 4);
    expect(mean[1]).toBeCloseTo(-1, 4);
    expect(variance[0]).toBeLessThan(1e-5);
    expect(mean[3]).toBeCloseTo(0, 10);
    expect(variance[3]).toBeCloseTo(2, 10);
  });

  it('the gradient of a combination of mean and variance matches central differences', () => {
    const r = createRandom(2);
    const n = 12;
    const d = 3;
    const x = Float64Array.from({ length: n * d }, (_, i) => (i % d === 2 ? Math.floor(r.next() * 2) : r.next()));
    const y = Float64Array.from({ length: n }, () => r.next() - 0.5);
    const params: KernelParams = { inverseSquaredLengthscales: Float64Array.of(4, 1.5, 0.8), kernelScale: 1.2, noiseVar: 1e-3 };
    const gp = new GPRegressor(x, n, d, Uint8Array.of(0, 0, 1), y, params);
    const f = (p: Float64Array) => {
      const m = new Float64Array(1);
      const v = new Float64Array(1);
      gp.posterior(p, 1, m, v);
      return 0.7 * m[0] + 1.9 * v[0];
    };
    const point = Float64Array.of(0.3, 0.6, 1);
    const grad = new Float64Array(d);
    gp.posteriorWithGradient(point, grad, () => [0.7, 1.9]);
    for (const j of [0, 1]) {
      const plus = Float64Array.from(point);
      const minus = Float64Array.from(point);
      plus[j] += 1e-6;
      minus[j] -= 1e-6;
      expect(grad[j]).toBeCloseTo((f(plus) - f(minus)) / 2e-6, 6);
    }
    expect(grad[2]).toBe(0);
  });

  it('factorises duplicated points (with jitter when needed)', () => {
    const x = new Float64Array(20).fill(0.5);
    const y = new Float64Array(20);
    const params = { ...defaultKernelParams(1), noiseVar: 0 };
    const gp = new GPRegressor(x, 20, 1, Uint8Array.of(0), y, params);
    expect(gp.factor.jitter).toBeGreaterThan(0);
    const mean = new Float64Array(1);
    const variance = new Float64Array(1);
    gp.posterior(Float64Array.of(0.2), 1, mean, variance);
    expect(Number.isFinite(mean[0]) && Number.isFinite(variance[0])).toBe(true);
  });
});

describe('log expected improvement', () => {
  it('matches high-precision values, far into the tail', () => {
    expect(logEi(0.3, 0.5, 0.1).value).toBeCloseTo(-0.9331725418844643, 12);
    expect(logEi(-1, 0.04, 0.5).value).toBeCloseTo(-34.73353225722937, 9);
    expect(logEi(-40, 1, 0).value).toBeCloseTo(-808.2985683558185, 9);
    expect(logEi(-2000, 1, 0).value / -2000016.120742202).toBeCloseTo(1, 12);
    expect(logEi(0, 1e-6, 3).value / -4500019.339432281).toBeCloseTo(1, 12);
  });

  it('its derivatives in the mean and the variance match central differences', () => {
    for (const [mu, v, best] of [[0.3, 0.5, 0.1], [-1, 0.04, 0.5], [2, 0.3, 0], [-30, 2, 0]]) {
      const r = logEi(mu, v, best);
      const h = 1e-6;
      expect(r.dMean).toBeCloseTo((logEi(mu + h, v, best).value - logEi(mu - h, v, best).value) / (2 * h), 4);
      expect(r.dVariance).toBeCloseTo((logEi(mu, v + h, best).value - logEi(mu, v - h, best).value) / (2 * h), 4);
    }
  });
});

describe('bounded L-BFGS', () => {
  it('minimises the Rosenbrock function', () => {
    const r = minimizeLbfgsb(
      (x, g) => {
        g[0] = -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2);
        g[1] = 200 * (x[1] - x[0] ** 2);
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2;
      },
      [-1.2, 1],
      { pgtol: 1e-8, factr: 10 },
    );
    expect(r.x[0]).toBeCloseTo(1, 4);
    expect(r.x[1]).toBeCloseTo(1, 4);
  });

  it('stops on an active bound and finds the interior optimum of the free variable', () => {
    // min (x − 3)² + (y + 1)² on [0, 2] × [−5, 5]: x at its bound 2, y = −1.
    const r = minimizeLbfgsb(
      (x, g) => {
        g[0] = 2 * (x[0] - 3);
        g[1] = 2 * (x[1] + 1);
        return (x[0] - 3) ** 2 + (x[1] + 1) ** 2;
      },
      [0.5, 4],
      { lower: [0, -5], upper: [2, 5] },
    );
    expect(r.x[0]).toBe(2);
    expect(r.x[1]).toBeCloseTo(-1, 6);
    expect(r.converged).toBe(true);
  });
});
