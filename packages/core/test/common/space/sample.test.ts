import { describe, expect, it } from 'vitest';
import type { ParamSpecs } from '../../../src/common/config/types.js';
import { createRandom } from '../../../src/common/space/random.js';
import { sampleConfig } from '../../../src/common/space/sample.js';
import { isFloat, isInt } from '../../../src/common/values.js';

const params: ParamSpecs = {
  lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 },
  epochs: { distribution: 'constant', value: 10 },
  layers: { distribution: 'int_uniform', min: 1, max: 4 },
  opt: {
    distribution: 'param_dict',
    parameters: {
      name: { distribution: 'categorical', values: ['adam', 'sgd'] },
      tags: { distribution: 'constant', value: { keep: [1, 2] } },
      beta: { distribution: 'beta', a: 2, b: 2 },
    },
  },
};

describe('sampleConfig', () => {
  it('draws every parameter into a nested config, constants passed through', () => {
    const random = createRandom(5);
    for (let i = 0; i < 200; i++) {
      const cfg = sampleConfig(params, random);
      expect(Object.keys(cfg).sort()).toEqual(['epochs', 'layers', 'lr', 'opt']);
      expect(cfg.epochs).toBe(10);
      expect(isInt(cfg.layers) && (cfg.layers as number) >= 1 && (cfg.layers as number) <= 4).toBe(true);
      expect(isFloat(cfg.lr)).toBe(true);
      const opt = cfg.opt as Record<string, unknown>;
      expect(['adam', 'sgd']).toContain(opt.name);
      expect(opt.tags).toEqual({ keep: [1, 2] });
      expect(opt.beta as number).toBeGreaterThanOrEqual(0);
    }
  });

  it('is reproducible from the seed, draws one u per non-constant parameter, and shares no objects', () => {
    expect(sampleConfig(params, createRandom(1))).toEqual(sampleConfig(params, createRandom(1)));
    expect(sampleConfig(params, createRandom(1))).not.toEqual(sampleConfig(params, createRandom(2)));
    let calls = 0;
    sampleConfig(params, { next: () => (calls++, 0.5) });
    expect(calls).toBe(4);
    const cfg = sampleConfig(params, createRandom(1));
    (cfg.opt as { tags: { keep: number[] } }).tags.keep.push(3);
    expect((params.opt as { parameters: ParamSpecs }).parameters.tags).toEqual({ distribution: 'constant', value: { keep: [1, 2] } });
  });

  it('draws in W&B parameter order (sorted, depth first)', () => {
    const us = [0.1, 0.9, 0.5, 0.3, 0.7];
    let i = 0;
    const cfg = sampleConfig(params, { next: () => us[i++] });
    // Order: layers, lr, opt.beta, opt.name (epochs and opt.tags are constants).
    expect(cfg.layers).toBe(1);
    expect(cfg.lr as number).toBeCloseTo(Math.exp(Math.log(1e-5) + 0.9 * (Math.log(1e-1) - Math.log(1e-5))), 12);
    expect((cfg.opt as { beta: number }).beta).toBeCloseTo(0.5, 12);
    expect((cfg.opt as { name: string }).name).toBe('adam');
  });
});
