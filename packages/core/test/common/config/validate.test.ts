import { describe, expect, it } from 'vitest';
import { formatIssue, formatIssues } from '../../../src/common/config/issues.js';
import { parseConfigText } from '../../../src/common/config/parse.js';
import { validateConfig, validateConfigText } from '../../../src/common/config/validate.js';
import { PyFloat } from '../../../src/common/values.js';

/** The full rendered text of every issue, as `broom validate` prints it. */
function lines(yaml: string, opts: { launch?: boolean } = {}): string[] {
  return validateConfigText(yaml, 'sweep.yaml', opts).issues.map((i) => formatIssue(i, 'sweep.yaml'));
}

const ok = 'method: random\nmetric: {name: loss}\nparameters:\n  lr: {min: 0.0, max: 1.0}\n';

describe('validateConfig: valid configs', () => {
  it('returns the filled config', () => {
    const r = validateConfigText(ok, 'sweep.yaml');
    expect(r).toEqual({
      valid: true,
      issues: [],
      config: {
        method: 'random',
        metric: { name: 'loss', goal: 'minimize', impute: 'worst', impute_while_running: 'false' },
        parameters: { lr: { distribution: 'uniform', min: 0, max: 1 } },
      },
    });
  });

  it('fills hyperband eta 3 and strict true, and keeps every documented top-level key', () => {
    const r = validateConfigText(
      [
        'method: grid', 'program: train.py', 'command:', '  - ${env}', '  - ${interpreter}', '  - ${program}', '  - ${args}', 'run_cap: 4',
        'name: n', 'description: d', 'project: p', 'entity: e', 'job: j', 'controller: {type: local}',
        'apiVersion: v1', 'kind: sweep', 'metric: {name: acc, goal: maximize, target: 0.99, impute: best, impute_while_running: latest}',
        'early_terminate: {type: hyperband, max_iter: 27, s: 2}', 'parameters: {a: {values: [1, 2]}}',
      ].join('\n'),
      'sweep.yaml',
    );
    expect(r.issues).toEqual([]);
    expect(r.config).toMatchObject({
      early_terminate: { type: 'hyperband', max_iter: 27, s: 2, eta: 3, strict: true },
      metric: { name: 'acc', goal: 'maximize', target: 0.99, impute: 'best', impute_while_running: 'latest' },
      run_cap: 4, controller: { type: 'local' }, kind: 'sweep', command: ['${env}', '${interpreter}', '${program}', '${args}'],
    });
  });

  it('accepts the 2026 scheduler.engine form without parameters when search_space is set', () => {
    expect(validateConfigText('method: grid\nscheduler: {engine: wandb, source: s.py, search_space: space}\n', 's.yaml').valid).toBe(true);
  });

  it('accepts metrics (multi-objective) with method custom', () => {
    const r = validateConfigText('method: custom\nmetrics: [{name: a, goal: minimize}, {name: b, goal: maximize}]\nparameters: {x: {value: 1}}\n', 's');
    expect(r.valid).toBe(true);
    expect(r.config?.metrics).toEqual([{ name: 'a', goal: 'minimize' }, { name: 'b', goal: 'maximize' }]);
  });
});

describe('validateConfig: golden error text', () => {
  it('a misspelled goal, with the nearest allowed value', () => {
    expect(lines('method: bayes\nmetric:\n  name: acc\n  goal: maximise\nparameters:\n  lr: {min: 0.0, max: 1.0}\n')).toEqual([
      'sweep.yaml:4:3: Key "metric.goal": must be one of "minimize", "maximize", but got "maximise". Did you mean "maximize"?',
    ]);
  });

  it('an unknown top-level key, with the nearest key', () => {
    expect(lines(`${ok}early_early_terminate:\n  type: hyperband\n  min_iter: 3\n`)).toEqual([
      'sweep.yaml:5:1: Key "early_early_terminate": unknown key. Did you mean "early_terminate"?',
    ]);
  });

  it('an unknown distribution, with the valid names and the nearest one', () => {
    expect(lines('method: bayes\nmetric: {name: m}\nparameters:\n  t:\n    distribution: uniform_values\n    min: 0.1\n    max: 1\n')).toEqual([
      'sweep.yaml:5:5: Key "parameters.t.distribution": "uniform_values" is not a distribution. Valid distributions: ' +
        'q_beta, beta, categorical, categorical_w_probabilities, int_uniform, uniform, log_normal, log_uniform, ' +
        'inv_log_uniform, normal, q_log_normal, q_log_uniform, q_normal, q_uniform, constant, inv_log_uniform_values, ' +
        'log_uniform_values, q_log_uniform_values. Did you mean "log_uniform_values"?',
    ]);
  });

  it('int_uniform with float bounds', () => {
    expect(lines('method: grid\nparameters:\n  depth:\n    distribution: int_uniform\n    min: 2.0\n    max: 8\n')).toEqual([
      'sweep.yaml:5:5: Key "parameters.depth.min": int_uniform needs integer min and max, but got 2.0. Write 2, or use distribution: uniform for a float range.',
    ]);
  });

  it('an extra key in a parameter form', () => {
    expect(lines('method: random\nparameters:\n  lr:\n    min: 0.001\n    max: 0.1\n    log: true\n')).toEqual([
      'sweep.yaml:6:5: Key "parameters.lr.log": unknown key for a uniform parameter (inferred from min and max). Allowed keys: min, max, distribution.',
    ]);
  });

  it('min not less than max, in W&B\'s words', () => {
    expect(lines('method: random\nparameters:\n  lr: {min: 0.1, max: 0.001}\n')).toEqual([
      'sweep.yaml:3:3: Key "parameters.lr": lr: min 0.1 is not less than max 0.001 (min must be smaller than max).',
    ]);
  });

  it('a deprecated log_uniform: an error for W&B\'s verdict, worded so the user knows it still runs', () => {
    expect(lines('method: random\nparameters:\n  lr: {distribution: log_uniform, min: -9.21, max: -2.3}\n')).toEqual([
      'sweep.yaml:3:8: Key "parameters.lr.distribution": lr uses log_uniform, where min/max specify base-e exponents. ' +
        'Use log_uniform_values to specify limit values. The sweep still runs (values e^-9.21 … e^-2.3 = 0.0001 … 0.1), ' +
        "but W&B's validator reports this as a violation.",
    ]);
  });

  it('a *_values distribution with min ≤ 0', () => {
    expect(lines('method: random\nparameters:\n  p: {distribution: log_uniform_values, min: -0.1, max: -0.001}\n')).toEqual([
      'sweep.yaml:3:41: Key "parameters.p.min": log_uniform_values needs min > 0 (min and max are the actual values, not exponents), ' +
        'but got -0.1. For a range of negative numbers use distribution: uniform.',
    ]);
  });

  it('a plain value where a parameter belongs', () => {
    expect(lines('method: random\nparameters:\n  epochs: 10\n')).toEqual([
      'sweep.yaml:3:3: Key "parameters.epochs": a parameter must be a mapping such as {value: …} (a fixed value), ' +
        '{values: […]} (a list to search) or {min: …, max: …} (a range), but got 10 (an integer). For a fixed value write epochs: {value: 10}.',
    ]);
  });

  it('the parameters W&B requires, in its own sentence', () => {
    expect(lines('method: random\n')).toEqual([
      'sweep.yaml: Key "parameters": `parameters` is required unless `scheduler.search_space` is set.',
    ]);
  });

  it('collects every problem, not just the first', () => {
    const out = lines(
      [
        'method: gird', 'metric: {name: loss, goal: down, impute: never}', 'run_cap: 0', 'projcet: x',
        'early_terminate: {type: hyperband, eta: 1}', 'parameters:', '  a: {values: []}', '  b: {min: 3, max: 1}',
        '  c: {distribution: normal, sigma: -1}', '  d: {distribution: q_uniform, min: 0, max: 1, q: 0}',
      ].join('\n'),
    );
    expect(out).toEqual([
      'sweep.yaml:1:1: Key "method": must be one of "grid", "random", "bayes", "custom", but got "gird". Did you mean "grid"?',
      'sweep.yaml:2:22: Key "metric.goal": must be one of "minimize", "maximize", but got "down".',
      'sweep.yaml:2:34: Key "metric.impute": must be one of "latest", "best", "worst", but got "never".',
      'sweep.yaml:3:1: Key "run_cap": must be > 0, but got 0 (an integer).',
      'sweep.yaml:4:1: Key "projcet": unknown key. Did you mean "project"?',
      'sweep.yaml:5:1: Key "early_terminate": hyperband needs either min_iter, or max_iter and s, but got neither.',
      'sweep.yaml:5:36: Key "early_terminate.eta": must be > 1, but got 1 (an integer).',
      'sweep.yaml:7:7: Key "parameters.a.values": must have at least 1 item, but got [] (a list).',
      'sweep.yaml:8:3: Key "parameters.b": b: min 3 is not less than max 1 (min must be smaller than max).',
      'sweep.yaml:9:29: Key "parameters.c.sigma": must be ≥ 0, but got -1 (an integer).',
      'sweep.yaml:10:48: Key "parameters.d.q": must be > 0, but got 0 (an integer).',
    ]);
  });

  it('formatIssues sorts errors by position and puts warnings last', () => {
    const r = validateConfigText('method: bayes\nparameters:\n  x: {min: 0.0, max: 1}\n  y: {values: []}\n', 'f.yaml');
    expect(formatIssues(r.issues, 'f.yaml').split('\n')).toEqual([
      'f.yaml:4:7: Key "parameters.y.values": must have at least 1 item, but got [] (a list).',
      'f.yaml:3:3: warning: Key "parameters.x": min 0.0 and max 1 mix an integer and a float: broom and W&B\'s engine infer uniform, ' +
        'but the W&B SDK (`wandb sweep`) refuses this as ambiguous. Write both as floats (e.g. 1.0) or both as integers.',
    ]);
  });
});

describe('validateConfig: explaining parameters that match no definition', () => {
  it('keys of another form and nested parameters without their key', () => {
    expect(lines(
      'method: random\nparameters:\n  h: {distribution: q_log_normal, mu: 3, sigma: 1, min: 1}\n  t:\n    epochs: {value: 5}\n    bs: {value: 8}\n  n: {mu: 0, sigma: 1}\n  v: {valeus: [1]}\n',
    )).toEqual([
      'sweep.yaml:3:52: Key "parameters.h.min": unknown key for distribution q_log_normal. Allowed keys: distribution, mu, sigma, q. ' +
        'q_log_normal is shaped by mu and sigma, not by min and max.',
      'sweep.yaml:4:3: Key "parameters.t": looks like nested parameters ("epochs" and "bs") without the "parameters:" key. ' +
        'Write t: {parameters: {epochs: …}}.',
      'sweep.yaml:7:3: Key "parameters.n": "mu" and "sigma" need an explicit distribution: add "distribution:" with one of log_normal, normal, q_log_normal, q_normal.',
      'sweep.yaml:8:3: Key "parameters.v": matches no parameter form: a parameter needs "value", "values", "min" and "max", ' +
        '"distribution" or "parameters", but has "valeus". Did you mean "values" instead of "valeus"?',
    ]);
  });

  it('mis-indented parameters and nested problems at any depth', () => {
    expect(lines(
      'method: random\nparameters:\n  sim:\n    values: [a, b]\n    layers:\n      values: [1, 2]\n  opt:\n    parameters:\n      lr: {min: 0.1, max: 0.01}\n      "bad name": {value: 1}\n',
    )).toEqual([
      'sweep.yaml:5:5: Key "parameters.sim.layers": unknown key for a categorical parameter. Allowed keys: values, distribution. It looks like a parameter: check its indentation.',
      'sweep.yaml:9:7: Key "parameters.opt.parameters.lr": opt.lr: min 0.1 is not less than max 0.01 (min must be smaller than max).',
      'sweep.yaml:10:7: Key "parameters.opt.parameters.bad name": parameter names must start with a letter or "_" and contain only letters, ' +
        'digits, "_", "." and "-" (^[A-Za-z_][A-Za-z0-9_.-]*$), but got "bad name".',
    ]);
  });

  it('probabilities', () => {
    expect(lines('method: random\nparameters:\n  x: {values: [1, 2], probabilities: [0.5, 0.4]}\n  y: {values: [1, 2], probabilities: [1]}\n')).toEqual([
      'sweep.yaml:3:23: Key "parameters.x.probabilities": Parameter x: Probabilities [0.5,0.4] do not sum to 1: they add up to 0.9.',
      'sweep.yaml:4:23: Key "parameters.y.probabilities": Parameter y: values [1,2] and probabilities [1] are not the same length: give one probability per value.',
    ]);
    expect(validateConfigText('method: random\nparameters:\n  x: {values: [1, 2, 3], probabilities: [0.1, 0.2, 0.7000001]}\n', 's').valid).toBe(true);
  });
});

describe('validateConfig: W&B cross-key rules', () => {
  it.each([
    ['metric + metrics', 'method: custom\nmetric: {name: a}\nmetrics: [{name: a, goal: minimize}, {name: b, goal: maximize}]\nparameters: {x: {value: 1}}\n',
      'sweep.yaml:3:1: Key "metrics": `metric` and `metrics` cannot both be set: use `metric` for a single objective, or `metrics` for multi-objective optimization.'],
    ['metrics needs method custom', 'method: random\nmetrics: [{name: a, goal: minimize}, {name: b, goal: maximize}]\nparameters: {x: {value: 1}}\n',
      'sweep.yaml:2:1: Key "metrics": `metrics` requires `method: custom` (got `method: random`): multi-objective optimization is only supported with a custom scheduler.'],
    ['scheduler engine + local controller', 'method: grid\ncontroller: {type: local}\nscheduler: {engine: wandb}\nparameters: {x: {value: 1}}\n',
      'sweep.yaml:2:14: Key "controller.type": `controller: type:local` cannot be used together with `scheduler`: use `scheduler` instead of `controller`.'],
    ['scheduler + early_terminate', 'method: grid\nscheduler: {engine: wandb}\nearly_terminate: {type: hyperband, min_iter: 1}\nmetric: {name: m}\nparameters: {x: {value: 1}}\n',
      'sweep.yaml:3:1: Key "early_terminate": `early_terminate` cannot be used together with `scheduler`: early termination must be implemented by the custom scheduler itself.'],
    ['unsupported engine', 'method: custom\nscheduler: {engine: optuna}\nparameters: {x: {value: 1}}\n',
      "sweep.yaml:2:13: Key \"scheduler.engine\": scheduler.engine 'optuna' is not supported. supported engines are: wandb (optuna is planned upstream in wandb/sweeps#141)."],
    ['engine and method', 'method: custom\nscheduler: {engine: wandb}\nparameters: {x: {value: 1}}\n',
      'sweep.yaml:1:1: Key "method": `scheduler.engine: wandb` does not support `method: custom`. supported methods are: `method: grid`, `method: bayes`, `method: random`'],
    ['optimizer needs source', 'method: grid\nscheduler: {engine: wandb, optimizer: f}\nparameters: {x: {value: 1}}\n',
      'sweep.yaml:2:1: Key "scheduler.source": is required when scheduler.optimizer is set (the file that defines it).'],
  ])('%s', (_name, yaml, expected) => {
    expect(lines(yaml)).toEqual([expected]);
  });

  it('run_cap must be a true positive integer', () => {
    expect(lines(`${ok}run_cap: 2.0\n`)).toEqual(['sweep.yaml:5:1: Key "run_cap": must be an integer, but got 2.0 (a float).']);
    expect(lines(`${ok}run_cap: "5"\n`)).toEqual(['sweep.yaml:5:1: Key "run_cap": must be an integer, but got "5" (a string).']);
  });

  it('warns about what the engine would refuse, without changing the verdict', () => {
    const r = validateConfigText('method: grid\nparameters:\n  lr: {min: 0.0, max: 1.0}\n', 's.yaml');
    expect(r.valid).toBe(true);
    expect(r.issues.map((i) => [i.severity, i.path])).toEqual([['warning', 'parameters.lr']]);
    expect(r.issues[0].message).toContain('grid search cannot use distribution uniform');
    const b = validateConfigText('method: bayes\nparameters:\n  lr: {min: 0.0, max: 1.0}\n', 's.yaml');
    expect(b.valid).toBe(true);
    expect(b.issues[0].message).toContain('bayes search needs a metric');
  });

  it('the top level must be a mapping', () => {
    expect(validateConfig([1, 2], { file: 'x.yaml' }).issues).toEqual([
      { path: '', message: 'Sweep config must be parsable as a JSON object.', severity: 'error' },
    ]);
  });

  it('works on plain values too (no positions)', () => {
    const r = validateConfig({ method: 'grid', parameters: { x: { min: new PyFloat(2), max: 8, distribution: 'int_uniform' } } }, { file: 'api' });
    expect(r.issues.map((i) => formatIssue(i, 'api'))).toEqual([
      'api: Key "parameters.x.min": int_uniform needs integer min and max, but got 2.0. Write 2, or use distribution: uniform for a float range.',
    ]);
  });
});

describe('validateConfig: Launch sweeps (spec §1.7)', () => {
  const launch = (extra: string) =>
    `job: wandb/jobs/train:latest\nmetric: {name: loss}\nparameters:\n  lr: {min: 0.0, max: 1.0}\n${extra}`;

  it('scheduler.job and no method → method custom', () => {
    const r = validateConfigText(launch('scheduler:\n  job: wandb/jobs/optuna:latest\n  num_workers: 2\n  settings: {pruner: {type: MedianPruner}}\n'), 's.yaml');
    expect(r.issues).toEqual([]);
    expect(r.config?.method).toBe('custom');
    expect(r.config?.scheduler).toEqual({ job: 'wandb/jobs/optuna:latest', num_workers: 2, settings: { pruner: { type: 'MedianPruner' } } });
  });

  it('settings.method becomes the method', () => {
    const r = validateConfigText(launch('scheduler:\n  job: j\n  settings: {method: bayes}\n'), 's.yaml');
    expect(r.config?.method).toBe('bayes');
    expect(r.valid).toBe(true);
  });

  it('a method other than custom next to a scheduler job is a warning', () => {
    const r = validateConfigText(launch('method: grid\nscheduler: {job: j}\n'), 's.yaml');
    expect(r.valid).toBe(true);
    expect(r.config?.method).toBe('grid');
    expect(r.issues.map((i) => formatIssue(i, 's.yaml'))).toEqual([
      's.yaml:4:3: warning: Key "parameters.lr": grid search cannot use distribution uniform: it needs categorical (values), ' +
        "constant (value), int_uniform or q_uniform parameters, and W&B's engine refuses the sweep.",
      's.yaml:5:1: warning: Key "method": with a scheduler job the sweep\'s method is given to the job as scheduler.settings.method ' +
        '(W&B moves it there and warns); the sweep keeps method "grid".',
    ]);
  });

  it('an invalid settings.method is reported where it is written', () => {
    expect(lines(launch('scheduler:\n  job: j\n  settings:\n    method: hyperopt\n'))).toEqual([
      'sweep.yaml:8:5: Key "scheduler.settings.method": (the sweep\'s method) must be one of "grid", "random", "bayes", "custom", but got "hyperopt".',
    ]);
  });

  it('checks the scheduler and launch blocks on their own', () => {
    expect(lines(launch('method: random\nscheduler: {num_workers: 0, resource: local-process, docker_image: img, jbo: x}\nlaunch: {queue: q, priority: 4, overides: {}}\n'))).toEqual([
      'sweep.yaml:6:13: Key "scheduler.num_workers": must be > 0, but got 0 (an integer).',
      'sweep.yaml:6:29: Key "scheduler.resource": "local-process" cannot run a docker_image; use "local-container" (the default when scheduler.job is set).',
      'sweep.yaml:6:73: Key "scheduler.jbo": unknown key. Did you mean "job"?',
      'sweep.yaml:7:20: Key "launch.priority": must be 0 (critical), 1 (high), 2 (medium) or 3 (low), but got 4 (an integer).',
      'sweep.yaml:7:33: Key "launch.overides": unknown key. Did you mean "overrides"?',
    ]);
  });

  it('launch: false reads the same config as a plain sweep, where the Launch keys are unknown', () => {
    const r = validateConfigText(launch('method: random\nscheduler: {num_workers: 2}\n'), 's.yaml', { launch: false });
    expect(r.valid).toBe(false);
    expect(r.issues.map((i) => i.path)).toEqual(['scheduler.engine', 'scheduler.num_workers']);
  });

  it('a top-level Launch key is pointed back under scheduler:', () => {
    expect(lines(launch('scheduler: {job: j}\nsettings: {pruner: {}}\n'))).toEqual([
      'sweep.yaml:6:1: Key "settings": unknown key. "settings" belongs under scheduler: (a Launch scheduler setting); check its indentation.',
    ]);
  });
});

describe('validateConfig: unknown keys get specific advice', () => {
  it.each([
    ['a parameter outside parameters', `${ok}num_steps:\n  values: [1, 2]\n`, 'It looks like a parameter: move it under parameters:.'],
    ['a wrapper around the config', 'sweep:\n  method: grid\nparameters: {x: {value: 1}}\n', 'It holds top-level sweep keys (method): remove the "sweep:" wrapper.'],
    ['a top-level key indented under metric', 'metric:\n  name: m\n  method: grid\nparameters: {x: {value: 1}}\n', '"method" is a top-level key: check its indentation.'],
    ['count instead of run_cap', `${ok}count: 20\n`, 'The number of runs is set with run_cap: N'],
  ])('%s', (_name, yaml, advice) => {
    const r = validateConfigText(yaml, 's.yaml');
    expect(r.valid).toBe(false);
    expect(r.issues.some((i) => i.message.includes(advice))).toBe(true);
  });
});

describe('validateConfigText', () => {
  it('turns a syntax error into an invalid result with its position', () => {
    const r = validateConfigText('method: grid\nparameters:\n  a: [1, 2\n', 'bad.yaml');
    expect(r.valid).toBe(false);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0].message).toMatch(/^YAML syntax error: /);
    expect(r.issues[0].line).toBeTypeOf('number');
  });

  it('is the same as parse + validate', () => {
    const raw = parseConfigText(ok, 'x');
    expect(validateConfig(raw, { file: 'x' }).config).toEqual(validateConfigText(ok, 'x').config);
  });
});
