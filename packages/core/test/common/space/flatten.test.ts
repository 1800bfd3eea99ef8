import { describe, expect, it } from 'vitest';
import type { ParamSpecs } from '../../../src/common/config/types.js';
import { flattenParams, getPath, nestValues } from '../../../src/common/space/flatten.js';

const c = (...values: number[]) => ({ distribution: 'categorical' as const, values });

describe('flattenParams', () => {
  it('walks each level in sorted order, depth first, as W&B does', () => {
    const params: ParamSpecs = {
      zeta: c(1),
      opt: {
        distribution: 'param_dict',
        parameters: { lr: c(1), beta: { distribution: 'param_dict', parameters: { b2: c(1), b1: c(1) } } },
      },
      alpha: { distribution: 'constant', value: 1 },
      'opt-level': c(1),
    };
    expect(flattenParams(params).map((p) => p.name)).toEqual([
      'alpha', 'opt.beta.b1', 'opt.beta.b2', 'opt.lr', 'opt-level', 'zeta',
    ]);
    expect(flattenParams(params)[1].path).toEqual(['opt', 'beta', 'b1']);
  });

  it('allows the same name at different levels and skips empty blocks', () => {
    const params: ParamSpecs = {
      a: { distribution: 'param_dict', parameters: { a: c(1) } },
      e: { distribution: 'param_dict', parameters: {} },
    };
    expect(flattenParams(params).map((p) => p.path)).toEqual([['a', 'a']]);
  });
});

describe('nestValues and getPath', () => {
  it('re-nests leaf values', () => {
    const nested = nestValues([
      { path: ['opt', 'lr'], value: 0.01 },
      { path: ['opt', 'nadam', 'beta'], value: 0.9 },
      { path: ['epochs'], value: 3 },
    ]);
    expect(nested).toEqual({ opt: { lr: 0.01, nadam: { beta: 0.9 } }, epochs: 3 });
    expect(getPath(nested, ['opt', 'nadam', 'beta'])).toBe(0.9);
    expect(getPath(nested, ['opt', 'missing'])).toBeUndefined();
    expect(getPath(nested, ['epochs', 'x'])).toBeUndefined();
    expect(getPath({ a: null }, ['a'])).toBeNull();
  });

  it('refuses a path that runs through a leaf, in either order', () => {
    expect(() => nestValues([{ path: ['a'], value: 1 }, { path: ['a', 'b'], value: 2 }])).toThrow(/conflicts with key a/);
    expect(() => nestValues([{ path: ['a', 'b'], value: 2 }, { path: ['a'], value: 1 }])).toThrow(/conflicts/);
    expect(() => nestValues([{ path: ['a'], value: { b: 1 } }, { path: ['a', 'c'], value: 2 }])).toThrow(/conflicts/);
    expect(() => nestValues([{ path: ['a'], value: 1 }, { path: ['a'], value: 2 }])).toThrow(/conflicts/);
  });
});
