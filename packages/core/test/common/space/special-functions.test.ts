import { describe, expect, it } from 'vitest';
import {
  inverseRegularizedBeta, logGamma, normalCdf, normalPpf, regularizedBeta,
} from '../../../src/common/space/special-functions.js';

/** |actual − expected| within `rel` of expected (or `abs` for values near 0). */
function close(actual: number, expected: number, rel = 1e-10, abs = 1e-300): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(Math.max(abs, rel * Math.abs(expected)));
}

// Reference values from scipy 1.17 (scipy.stats.norm / scipy.stats.beta).
const NORMAL_PPF: [number, number][] = [
  [1e-300, -37.0470962993612], [1e-20, -9.262340089798409], [1e-10, -6.361340902404056],
  [0.001, -3.090232306167813], [0.02425, -1.972961051311885], [0.3, -0.5244005127080409],
  [0.7, 0.5244005127080407], [0.975, 1.959963984540054], [0.999, 3.090232306167813],
  [0.999999999999, 7.0344869100478356],
];
const NORMAL_CDF: [number, number][] = [
  [-20, 2.7536241186061556e-89], [-8, 6.22096057427174e-16], [-3, 0.0013498980316300933],
  [-1.3, 0.09680048458561036], [0, 0.5], [0.5, 0.6914624612740131], [1.3, 0.9031995154143897],
  [3, 0.9986501019683699], [8, 0.9999999999999993],
];
const BETA_PPF: [number, number, number, number][] = [
  [0.3, 2, 5, 0.18180347131894917], [0.9, 0.5, 3, 0.38624888180536926],
  [1e-8, 2.5, 0.7, 0.0007945250743227268], [0.999999, 30, 200, 0.25695631220546344],
  [0.2, 0.2, 0.3, 0.0028553458582891277], [0.5, 1, 1, 0.5], [0.05, 100, 0.5, 0.9809289042487932],
  [0.7, 5000, 3000, 0.6278459998591595], [1e-12, 0.1, 0.1, 8.86928065555035e-118],
  [0.999, 0.3, 4, 0.7134437015152071],
];
const BETA_CDF: [number, number, number, number][] = [
  [0.3, 2.5, 0.7, 0.029814024845250465], [0.01, 0.5, 3, 0.18625375], [0.5, 2, 2, 0.5],
  [0.999, 30, 2, 0.9995438962809783], [1e-5, 0.2, 5, 0.1478390144080639],
];

describe('normal distribution', () => {
  it.each(NORMAL_PPF)('ppf(%s) = %s as scipy', (p, x) => close(normalPpf(p), x, 1e-12));
  it.each(NORMAL_CDF)('cdf(%s) = %s as scipy', (x, p) => close(normalCdf(x), p, 1e-12));
  it('is symmetric and round-trips', () => {
    for (let p = 0.001; p < 1; p += 0.0123) {
      close(normalPpf(p), -normalPpf(1 - p), 1e-9, 1e-12);
      close(normalCdf(normalPpf(p)), p, 1e-12);
    }
  });
  it('has the edges of scipy', () => {
    expect(normalPpf(0)).toBe(-Infinity);
    expect(normalPpf(1)).toBe(Infinity);
    expect(normalPpf(0.5)).toBe(0);
    expect(normalPpf(1.5)).toBeNaN();
  });
});

describe('log-gamma', () => {
  it('matches factorials and Γ(1/2) = √π', () => {
    close(logGamma(1), 0, 0, 1e-14);
    close(logGamma(5), Math.log(24), 1e-14);
    close(logGamma(21), Math.log(2432902008176640000), 1e-14);
    close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
    close(logGamma(0.1), 2.252712651734206, 1e-13);
  });
});

describe('beta distribution', () => {
  it.each(BETA_PPF)('ppf(%s; a=%s, b=%s) = %s as scipy', (p, a, b, x) => close(inverseRegularizedBeta(p, a, b), x, 1e-10));
  it.each(BETA_CDF)('cdf(%s; a=%s, b=%s) = %s as scipy', (x, a, b, p) => close(regularizedBeta(x, a, b), p, 1e-11));

  it('agrees with closed forms', () => {
    for (let u = 0.01; u < 1; u += 0.07) {
      // Beta(½, ½) is the arcsine law: ppf(u) = sin²(πu/2).
      close(inverseRegularizedBeta(u, 0.5, 0.5), Math.sin((Math.PI * u) / 2) ** 2, 1e-11);
      close(inverseRegularizedBeta(u, 3, 1), u ** (1 / 3), 1e-12);
      close(inverseRegularizedBeta(u, 1, 4), 1 - (1 - u) ** (1 / 4), 1e-12);
    }
  });

  it('agrees with the binomial sum for integer a, b', () => {
    // I_x(a, b) = Σ_{j=a}^{a+b−1} C(a+b−1, j) xʲ (1−x)^{a+b−1−j}
    const binomialCdf = (x: number, a: number, b: number): number => {
      const n = a + b - 1;
      let sum = 0;
      let c = 1;
      for (let j = 0; j <= n; j++) {
        if (j >= a) sum += c * x ** j * (1 - x) ** (n - j);
        c = (c * (n - j)) / (j + 1);
      }
      return sum;
    };
    for (const [a, b] of [[2, 5], [7, 3], [1, 9], [12, 12]]) {
      for (let x = 0.03; x < 1; x += 0.11) close(regularizedBeta(x, a, b), binomialCdf(x, a, b), 1e-12, 1e-15);
    }
  });

  it('round-trips ppf and cdf across shapes', () => {
    for (const [a, b] of [[0.3, 7], [2, 5], [40, 3], [1e4, 1e4]]) {
      for (let p = 0.0005; p < 1; p += 0.0617) close(regularizedBeta(inverseRegularizedBeta(p, a, b), a, b), p, 1e-9);
    }
    // Beta(0.05, 0.05) piles up at 0 and 1: above the median x rounds to 1 − O(ulp), so only the lower half round-trips.
    for (let p = 0.0005; p < 0.5; p += 0.0617) close(regularizedBeta(inverseRegularizedBeta(p, 0.05, 0.05), 0.05, 0.05), p, 1e-12);
    close(inverseRegularizedBeta(0.8643, 0.05, 0.05), 0.9999999999956459, 1e-15); // scipy
  });
});
