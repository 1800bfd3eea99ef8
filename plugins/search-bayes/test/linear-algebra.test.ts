import { describe, expect, it } from 'vitest';
import {
  choleskyInto, choleskyLogDet, choleskySolve, choleskyWithJitter, solveLowerInPlace, solveLowerTransposedInPlace,
} from '../src/linear-algebra.js';

function multiplyLLt(l: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += l[i * n + k] * l[j * n + k];
    out[i * n + j] = s;
  }
  return out;
}

/** A random symmetric positive-definite matrix BᵀB + n·I. */
function spd(n: number, seed: number): Float64Array {
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5;
  const b = Array.from({ length: n * n }, rand);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let v = i === j ? n : 0;
    for (let k = 0; k < n; k++) v += b[k * n + i] * b[k * n + j];
    a[i * n + j] = v;
  }
  return a;
}

describe('Cholesky', () => {
  it('factorises SPD matrices of several sizes (L·Lᵀ = A, upper triangle zero)', () => {
    for (const n of [1, 2, 3, 5, 8, 17]) {
      const a = spd(n, n + 1);
      const l = new Float64Array(n * n).fill(9);
      expect(choleskyInto(a, n, l)).toBe(true);
      const back = multiplyLLt(l, n);
      for (let i = 0; i < n * n; i++) expect(back[i]).toBeCloseTo(a[i], 10);
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
    }
  });

  it('solves A·x = b and computes log det', () => {
    const n = 6;
    const a = spd(n, 3);
    const factor = choleskyWithJitter(a, n)!;
    expect(factor.jitter).toBe(0);
    const b = Float64Array.from({ length: n }, (_, i) => i - 2);
    const x = choleskySolve(factor, b);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j] * x[j];
      expect(s).toBeCloseTo(b[i], 10);
    }
    const z = Float64Array.from(b);
    solveLowerInPlace(factor.l, n, z);
    solveLowerTransposedInPlace(factor.l, n, z);
    expect(Array.from(z)).toEqual(Array.from(x));
    const two = Float64Array.of(4, 2, 2, 3);
    expect(choleskyLogDet(choleskyWithJitter(two, 2)!)).toBeCloseTo(Math.log(8), 12);
  });

  it('retries with jitter on a singular matrix, and gives up on NaN', () => {
    const ones = new Float64Array(9).fill(1); // rank 1
    expect(choleskyInto(ones, 3, new Float64Array(9))).toBe(false);
    const factor = choleskyWithJitter(ones, 3);
    expect(factor).not.toBeNull();
    expect(factor!.jitter).toBeGreaterThan(0);
    expect(factor!.jitter).toBeLessThanOrEqual(1e-2);
    expect(Array.from(factor!.l).every(Number.isFinite)).toBe(true);
    expect(choleskyWithJitter(Float64Array.of(1, NaN, NaN, 1), 2)).toBeNull();
  });
});
