import { describe, expect, it } from 'vitest';
import { maximizeFrom } from '../src/bounded-maximizer.js';

describe('maximizeFrom', () => {
  it('finds an interior maximum from either side', () => {
    for (const start of [-10, -1, 0, 2.5, 9]) {
      const r = maximizeFrom((x) => -((x - 2) ** 2) + Math.sin(x) * 0.01, start, -11, 11);
      expect(r.x).toBeCloseTo(2 + Math.cos(2) * 0.005, 3);
    }
  });

  it('lands exactly on the bound when the function keeps rising to it', () => {
    expect(maximizeFrom((x) => x, 0, -11.5, 11.5).x).toBe(11.5);
    expect(maximizeFrom((x) => -x, 3, -11.5, 11.5).x).toBe(-11.5);
  });

  it('stays put on a plateau, as a gradient method would', () => {
    const r = maximizeFrom(() => 1, 0.3, -5, 5);
    expect(r.x).toBe(0.3);
    expect(r.evaluations).toBe(3);
  });

  it('treats NaN as −∞', () => {
    const r = maximizeFrom((x) => (x > 1 ? NaN : -((x - 0.5) ** 2)), -3, -5, 5);
    expect(r.x).toBeCloseTo(0.5, 3);
  });
});
