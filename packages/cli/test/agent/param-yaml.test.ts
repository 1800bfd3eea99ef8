import { PyFloat } from '@broom/core';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { sweepParamYaml } from '../../src/agent/param-yaml.js';

describe('sweepParamYaml', () => {
  it("writes W&B's config-<run>.yaml: wandb_version, then {name: {value}} in order", () => {
    const text = sweepParamYaml({ lr: 1e-5, epochs: 3, y: true, name: 'a b', one: new PyFloat(1), opt: { kind: 'adam', betas: [0.9, 0.99] }, none: null });
    expect(text).toBe(
      [
        'wandb_version: 1',
        'lr:',
        '  value: 1.0e-05',
        'epochs:',
        '  value: 3',
        '"y":',
        '  value: true',
        'name:',
        '  value: "a b"',
        'one:',
        '  value: 1.0',
        'opt:',
        '  value:',
        '    kind: "adam"',
        '    betas: [0.9, 0.99]',
        'none:',
        '  value: null',
        '',
      ].join('\n'),
    );
    expect(parse(text, { version: '1.1' })).toEqual({
      wandb_version: 1,
      lr: { value: 1e-5 },
      epochs: { value: 3 },
      y: { value: true },
      name: { value: 'a b' },
      one: { value: 1 },
      opt: { value: { kind: 'adam', betas: [0.9, 0.99] } },
      none: { value: null },
    });
  });
});
