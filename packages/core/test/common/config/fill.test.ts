import { describe, expect, it } from 'vitest';
import { fillConfig, renderFilledConfig } from '../../../src/common/config/fill.js';
import { parseConfigSource, parseConfigText } from '../../../src/common/config/parse.js';
import { validateConfig } from '../../../src/common/config/validate.js';
import { SweepConfigError } from '../../../src/common/errors/broom-error.js';
import { PyFloat } from '../../../src/common/values.js';

function fill(yaml: string, opts: { launch?: boolean } = {}) {
  const src = parseConfigSource(yaml, 'f.yaml');
  return fillConfig(src.value, { file: 'f.yaml', locate: src.locate, ...opts });
}

function refusal(yaml: string): SweepConfigError {
  try {
    fill(yaml);
  } catch (e) {
    expect(e).toBeInstanceOf(SweepConfigError);
    return e as SweepConfigError;
  }
  throw new Error('expected fillConfig to refuse the config');
}

describe('fillConfig: lenient where W&B\'s engine is lenient', () => {
  it('falls back to the default goal and impute, keeps a valid impute_while_running', () => {
    expect(fill('method: bayes\nmetric: {name: acc, goal: maximise, impute: never, impute_while_running: best}\nparameters: {x: {min: 0.0, max: 1.0}}\n').metric)
      .toEqual({ name: 'acc', goal: 'minimize', impute: 'worst', impute_while_running: 'best' });
    expect(fill('method: bayes\nmetric: {name: acc, goal: null}\nparameters: {x: {value: 1}}\n').metric?.goal).toBe('minimize');
  });

  it('drops unknown early_terminate keys and fills eta and strict', () => {
    expect(fill('method: random\nmetric: {name: m}\nearly_terminate: {type: hyperband, min_iter: 3, patience: 5}\nparameters: {x: {value: 1}}\n').early_terminate)
      .toEqual({ type: 'hyperband', min_iter: 3, eta: 3, strict: true });
  });

  it('ignores unknown top-level keys, invalid optional keys and deprecated distributions', () => {
    const c = fill('method: random\nearly_early_terminate: {}\nrun_cap: 0\nname: [not, a, string]\nproject: p\nparameters:\n  lr: {distribution: log_uniform, min: -5, max: -1}\n');
    expect(c).toEqual({
      method: 'random', project: 'p', parameters: { lr: { distribution: 'log_uniform', min: -5, max: -1 } },
    });
  });

  it('accepts a custom-method config without parameters', () => {
    expect(fill('method: custom\n').parameters).toEqual({});
  });

  it('applies the Launch method rule', () => {
    const c = fill('scheduler: {job: sched, settings: {n_startup_trials: 3}}\njob: train\nparameters: {x: {values: [1, 2]}}\n');
    expect(c.method).toBe('custom');
    expect(c.scheduler).toEqual({ job: 'sched', settings: { n_startup_trials: 3 } });
    expect(c.job).toBe('train');
  });

  it('uses the same parameter definitions as validate', () => {
    const yaml = 'method: random\nparameters:\n  a: {min: 0, max: 1}\n  b: {min: 0.0, max: 1}\n  c: {distribution: q_uniform, min: 0, max: 8, q: 2}\n  d: {parameters: {e: {values: [x]}}}\n';
    expect(fill(yaml).parameters).toEqual(validateConfig(parseConfigText(yaml, 'v'), { file: 'v' }).config?.parameters);
  });
});

describe('fillConfig: refuses what the engine cannot run', () => {
  it.each([
    ['no method', 'parameters: {x: {value: 1}}\n', 'f.yaml: Key "method": is required: the engine cannot search without one'],
    ['an unknown method', 'method: protein\nparameters: {x: {value: 1}}\n', 'f.yaml:1:1: Key "method": must be one of "grid", "random", "bayes", "custom", but got "protein".'],
    ['no parameters for grid', 'method: grid\n', 'f.yaml: Key "parameters": grid search needs at least one parameter'],
    ['empty parameters for random', 'method: random\nparameters: {}\n', 'f.yaml:2:1: Key "parameters": random search needs at least one parameter'],
    ['a parameter matching no definition', 'method: random\nparameters:\n  x: {distribution: uniform_values, min: 0.1, max: 1}\n', 'f.yaml:3:7: Key "parameters.x.distribution": "uniform_values" is not a distribution.'],
    ['min ≥ max (W&B\'s fill_parameter raises)', 'method: random\nparameters:\n  x: {min: 0.5, max: 0.1}\n', 'f.yaml:3:3: Key "parameters.x": x: min 0.5 is not less than max 0.1'],
    ['a nested min ≥ max', 'method: random\nparameters:\n  o:\n    parameters:\n      x: {min: 2, max: 1}\n', 'f.yaml:5:7: Key "parameters.o.parameters.x": o.x: min 2 is not less than max 1'],
    ['a metric without a name', 'method: bayes\nmetric: {goal: maximize}\nparameters: {x: {value: 1}}\n', 'f.yaml:2:1: Key "metric.name": is required.'],
    ['hyperband without its bands', 'method: random\nearly_terminate: {type: hyperband, max_iter: 27}\nparameters: {x: {value: 1}}\n', 'hyperband needs either min_iter, or max_iter and s'],
    ['early_terminate that is not hyperband', 'method: random\nearly_terminate: {type: median}\nparameters: {x: {value: 1}}\n', 'Key "early_terminate.type": must be "hyperband", but got "median".'],
  ])('%s', (_why, yaml, text) => {
    const e = refusal(yaml);
    expect(e.message.startsWith('f.yaml: the sweep cannot run:\n')).toBe(true);
    expect(e.message).toContain(text);
    expect(e.issues.every((i) => i.severity === 'error')).toBe(true);
  });

  it('lists every refusal', () => {
    const e = refusal('parameters:\n  a: 1\n  b: {values: []}\n');
    expect(e.issues.map((i) => i.path)).toEqual(['method', 'parameters.a', 'parameters.b.values']);
  });

  it('ignores bad metrics unless the method is custom', () => {
    expect(fill('method: random\nmetrics: [a, b]\nparameters: {x: {value: 1}}\n').metrics).toBeUndefined();
    expect(refusal('method: custom\nmetrics: [a, b]\n').issues.map((i) => i.path)).toEqual(['metrics[0]', 'metrics[1]']);
  });
});

describe('renderFilledConfig', () => {
  const yaml = [
    'program: train.py', 'method: bayes', 'metric: {name: loss}', 'early_terminate: {type: hyperband, min_iter: 3}',
    'parameters:',
    '  a: {min: 0, max: 10}', '  b: {min: 0, max: 1.0}', '  c: {distribution: q_uniform, min: 0, max: 100, q: 5}',
    '  d: {distribution: q_normal}', '  e: {distribution: beta, a: 2}', '  f: {values: [x, 1.0]}', '  g: {value: 3}',
    '  h: {parameters: {i: {distribution: log_uniform_values, min: 1, max: 100}}}',
    '  j: {values: [p, q], probabilities: [0.3, 0.7]}', '  k: {distribution: normal, mu: 1}',
  ].join('\n');
  const rendered = renderFilledConfig(fill(yaml)) as Record<string, any>;

  it('writes every default in W&B\'s filled form', () => {
    expect(rendered.metric).toEqual({ name: 'loss', goal: 'minimize', impute: 'worst', impute_while_running: 'false' });
    expect(rendered.early_terminate).toEqual({ type: 'hyperband', min_iter: 3, eta: 3, strict: true });
    expect(rendered.parameters).toEqual({
      a: { distribution: 'int_uniform', min: 0, max: 10 },
      b: { distribution: 'uniform', min: new PyFloat(0), max: new PyFloat(1) },
      c: { distribution: 'q_uniform', min: new PyFloat(0), max: new PyFloat(100), q: 5 },
      d: { distribution: 'q_normal', mu: new PyFloat(0), sigma: new PyFloat(1), q: new PyFloat(1) },
      e: { distribution: 'beta', a: new PyFloat(2), b: new PyFloat(1) },
      f: { distribution: 'categorical', values: ['x', new PyFloat(1)] },
      g: { distribution: 'constant', value: 3 },
      h: { parameters: { i: { distribution: 'log_uniform_values', min: new PyFloat(1), max: new PyFloat(100) } } },
      j: { distribution: 'categorical_w_probabilities', values: ['p', 'q'], probabilities: [0.3, 0.7] },
      k: { distribution: 'normal', mu: new PyFloat(1), sigma: new PyFloat(1) },
    });
    expect(rendered.parameters.a.min).toBe(0); // an int, not a boxed float
    expect(rendered.parameters.c.q).toBe(5);
    expect(rendered.parameters.d.q).toBeInstanceOf(PyFloat);
  });

  it('reads back to the same config, and is valid', () => {
    expect(fillConfig(rendered, { file: 'r' })).toEqual(fill(yaml));
    expect(validateConfig(rendered, { file: 'r' }).valid).toBe(true);
  });

  it('leaves out parameters when there are none', () => {
    expect(renderFilledConfig(fill('method: custom\n'))).toEqual({ method: 'custom' });
  });
});
