import { describe, expect, it } from 'vitest';
import { fillConfig, PyFloat, schedulerJobName, studyFromConfig, studySpace, trialsFromRuns, type Run } from '../src/index.js';

const config = fillConfig({
  method: 'custom',
  metric: { name: 'loss', goal: 'maximize' },
  parameters: {
    a: { min: 0, max: 1, distribution: 'uniform' },
    n: { min: 2, max: 9 },
    lr: { min: 1e-4, max: 1e-1, distribution: 'log_uniform_values' },
    e: { min: -3, max: 0, distribution: 'log_uniform' },
    q: { min: 0, max: 1, q: 0.25, distribution: 'q_uniform' },
    qi: { min: 0, max: 10, q: 2, distribution: 'q_uniform' },
    w: { mu: 0, sigma: 1, distribution: 'normal' },
    c: { values: ['x', 1, [1, 2], null] },
    k: { value: 'fixed' },
    nest: { parameters: { inner: { values: [true, false] } } },
  },
  scheduler: { job: 'optuna', settings: { sampler: { type: 'TPESampler', args: { n_startup_trials: 3 } } } },
});

describe('studySpace: W&B parameters as a sampler space', () => {
  const s = studySpace(config);

  it('maps each distribution to its Optuna equivalent, or to its quantile', () => {
    expect(s.space).toEqual({
      a: { type: 'float', low: 0, high: 1 },
      c: { type: 'categorical', choices: ['x', 1, '[1,2]', null] },
      e: { type: 'float', low: Math.exp(-3), high: 1, log: true },
      lr: { type: 'float', low: 1e-4, high: 1e-1, log: true },
      n: { type: 'int', low: 2, high: 9 },
      'nest.inner': { type: 'categorical', choices: [true, false] },
      q: { type: 'float', low: 0, high: 1, step: 0.25 },
      qi: { type: 'int', low: 0, high: 10, step: 2 },
      w: { type: 'float', low: 0, high: 1 },
    });
    expect(s.constants).toEqual([{ path: ['k'], value: 'fixed' }]);
  });

  it('turns a proposal into a run config and back', () => {
    const run = s.toConfig({ a: 0.5, c: '[1,2]', e: 0.5, lr: 0.01, n: 4, 'nest.inner': false, q: 0.5, qi: 4, w: 0.5 });
    expect(run).toMatchObject({ c: [1, 2], k: 'fixed', n: 4, nest: { inner: false }, qi: 4 });
    expect(run.w).toEqual(new PyFloat(0)); // the median of N(0, 1), a float
    expect(s.paramsOf(run)).toEqual({ a: 0.5, c: '[1,2]', e: 0.5, lr: 0.01, n: 4, 'nest.inner': false, q: 0.5, qi: 4, w: 0.5 });
    // A run from another config (a value outside the space) is not a trial of this study.
    expect(s.paramsOf({ ...run, n: 12 })).toBeNull();
    expect(s.paramsOf({ ...run, c: 'y' })).toBeNull();
    expect(() => s.toConfig({ a: 0.5 })).toThrow(/no value for c/);
    expect(() => s.toConfig({ ...s.paramsOf(run), c: 'nope' })).toThrow(/not one of its choices/);
  });
});

describe('trialsFromRuns', () => {
  const s = studySpace(config);
  const base = s.toConfig({ a: 0.5, c: 'x', e: 0.5, lr: 0.01, n: 4, 'nest.inner': true, q: 0.5, qi: 4, w: 0.5 });
  const run = (name: string, state: Run['state'], losses: number[], extra: Partial<Run> = {}): Run => ({
    name, state, config: base, history: losses.map((loss) => ({ loss, other: 1 })), summary: {}, ...extra,
  });

  it('maps run states to trial states, values to the last logged value, steps to logged indices', () => {
    const trials = trialsFromRuns(
      [
        run('done', 'finished', [1, 3, 2]),
        run('silent', 'finished', []),
        run('live', 'running', [5]),
        run('queued', 'pending', []),
        run('pruned', 'killed', [1, 0.5], { stop_reason: 'pruned' }),
        run('user-stopped', 'killed', [4]),
        run('crashed', 'crashed', [9]),
        { ...run('alien', 'finished', [1]), config: { ...base, n: 100 } },
      ],
      s,
      [{ name: 'loss', goal: 'maximize' }],
    );
    expect(trials.map((t) => [t.number, t.state, t.values])).toEqual([
      [0, 'complete', [2]],
      [1, 'fail', undefined],
      [2, 'running', undefined],
      [3, 'running', undefined],
      [4, 'pruned', undefined],
      [5, 'complete', [4]],
      [6, 'fail', undefined],
    ]);
    expect(trials[0].intermediate).toEqual({ 0: 1, 1: 3, 2: 2 });
    expect(trials[3].intermediate).toBeUndefined();
    expect(structuredClone(trials)).toEqual(trials);
  });

  it('gives every objective of a multi-objective study, and no intermediate values', () => {
    const [t] = trialsFromRuns([run('done', 'finished', [1, 2])], s, [{ name: 'loss', goal: 'minimize' }, { name: 'other', goal: 'maximize' }]);
    expect(t).toMatchObject({ state: 'complete', values: [2, 1] });
    expect(t.intermediate).toBeUndefined();
  });
});

describe('studyFromConfig', () => {
  it('reads sampler, pruner and objectives, with Optuna defaults', () => {
    expect(studyFromConfig(config)).toEqual({
      sampler: { type: 'TPESampler', args: { n_startup_trials: 3 } },
      pruner: { type: 'MedianPruner', args: {} },
      objectives: [{ name: 'loss', goal: 'maximize' }],
    });
    expect(studyFromConfig({ ...config, scheduler: { job: 'wandb' } })).toBeNull();
    expect(studyFromConfig({ ...config, scheduler: { settings: { pruner: 'NopPruner' } } }, true)?.pruner).toBeNull();
  });
});

describe("W&B's public scheduler jobs", () => {
  it('name the built-in schedulers, so a W&B launch config runs unchanged', () => {
    expect(schedulerJobName('wandb/sweep-jobs/job-optuna-sweep-scheduler:latest')).toBe('optuna');
    expect(schedulerJobName('wandb/sweep-jobs/job-wandb-sweep-scheduler:v2')).toBe('wandb');
    expect(schedulerJobName('wandb/jobs/Wandb Sweep Scheduler:latest')).toBe('wandb');
    expect(schedulerJobName('acme/jobs/job-optuna-sweep-scheduler:latest')).toBe('acme/jobs/job-optuna-sweep-scheduler:latest');
    expect(schedulerJobName('./my-scheduler.ts')).toBe('./my-scheduler.ts');
    const w = { ...config, scheduler: { job: 'wandb/sweep-jobs/job-optuna-sweep-scheduler:latest', settings: { pruner: null } } };
    expect(studyFromConfig(w)).toMatchObject({ sampler: { type: 'TPESampler' }, pruner: null });
  });
});
