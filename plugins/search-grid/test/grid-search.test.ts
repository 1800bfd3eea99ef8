import { createRandom, isPluginDefinition, type ParamSpecs, type Run, type RunState, type SweepConfig } from '@broom/core';
import { describeSearchMethodContract } from '@broom/core/testing';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import plugin, { GridSearch } from '../src/index.js';

const cat = (...values: unknown[]) => ({ distribution: 'categorical' as const, values: values as never[] });
const sweep = (parameters: ParamSpecs): SweepConfig => ({ method: 'grid', parameters });
const run = (config: Run['config'], state: RunState = 'finished', name = 'r'): Run => ({ name, state, config });

/** Propose until exhausted, adding each proposal as a pending run, as the engine does. */
function exhaust(config: SweepConfig, runs: Run[] = [], limit = 1000): Run['config'][] {
  const method = new GridSearch();
  const out: Run['config'][] = [];
  for (let i = 0; i < limit; i++) {
    const p = method.next({ config, runs, random: createRandom(i) });
    if (p === null) return out;
    out.push(p.config);
    runs = [...runs, run(p.config, 'pending', `p${i}`)];
  }
  throw new Error('grid did not exhaust');
}

describe('@broom/search-grid plugin', () => {
  it('declares itself as the grid search method', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'search', alias: 'grid' });
    expect(plugin.create({})).toBeInstanceOf(GridSearch);
  });
});

describe('GridSearch', () => {
  it('refuses what it cannot enumerate, with W&B\'s message', () => {
    const problems = new GridSearch().check(sweep({
      a: cat(1),
      nested: { distribution: 'param_dict', parameters: { lr: { distribution: 'log_uniform_values', min: 1e-4, max: 1 } } },
    }));
    expect(problems).toEqual([
      'Parameter nested.lr is a disallowed type with grid search. Grid search requires all parameters to be ' +
        'categorical, constant, int_uniform, or q_uniform. Specification of probabilities for categorical ' +
        'parameters is disallowed in grid search',
    ]);
    expect(new GridSearch().check(sweep({ a: cat(1), b: { distribution: 'int_uniform', min: 0, max: 3 } }))).toEqual([]);
  });

  it('expects the product of the unique value counts', () => {
    const config = sweep({
      a: cat(1, 1.0, 2, 3e6, 3000000),
      b: { distribution: 'q_uniform', min: -9.211, max: 23.23, q: { value: 2.341, isInt: false } },
      c: { distribution: 'constant', value: 'x' },
      d: { distribution: 'int_uniform', min: 1, max: 5 },
    });
    expect(new GridSearch().expectedRunCount(config)).toBe(3 * 14 * 5);
    expect(exhaust(config)).toHaveLength(3 * 14 * 5);
  });

  it('proposes every combination once, in order, then null', () => {
    const config = sweep({ v2: cat('a', 'b'), v1: cat(1, 2, 3) });
    expect(exhaust(config)).toEqual([
      { v1: 1, v2: 'a' }, { v1: 1, v2: 'b' }, { v1: 2, v2: 'a' }, { v1: 2, v2: 'b' }, { v1: 3, v2: 'a' }, { v1: 3, v2: 'b' },
    ]);
  });

  it('skips combinations that runs in any state have, and only those', () => {
    const config = sweep({ a: cat(1, 2), b: cat(1, 2) });
    const states: RunState[] = ['running', 'failed', 'crashed'];
    const runs = [
      run({ a: 1, b: 1 }, states[0]),
      run({ a: 1, b: 2.0 }, states[1]),
      run({ a: 2, b: 2 }, states[2]),
      run({ a: 2 }, 'finished'), // partial: never matches
      run({ a: true, b: 1 }, 'killed'), // true is not 1
    ];
    expect(exhaust(config, runs)).toEqual([{ a: 2, b: 1 }]);
    for (const state of ['pending', 'preempted', 'preempting', 'finished', 'killed'] as RunState[]) {
      expect(new GridSearch().next({ config, runs: [run({ a: 1, b: 1 }, state)], random: createRandom(1) })).toEqual({
        config: { a: 1, b: 2 },
      });
    }
  });

  it('enumerates nested parameters and matches runs by nested path, ignoring injected keys', () => {
    const config = sweep({
      opt: {
        distribution: 'param_dict',
        parameters: { lr: cat(0.1, 0.01), kind: { distribution: 'constant', value: 'adam' }, sched: cat({ warm: 1 }) },
      },
      bs: cat(32),
    });
    const runs = [run({ bs: 32, opt: { lr: 0.1, kind: 'adam', sched: { warm: 1, injected: true }, other: 5 } })];
    expect(exhaust(config, runs)).toEqual([{ bs: 32, opt: { kind: 'adam', lr: 0.01, sched: { warm: 1 } } }]);
  });

  it('returns null at once for an exhausted grid', () => {
    const config = sweep({ a: cat('x') });
    expect(new GridSearch().next({ config, runs: [run({ a: 'x' }, 'failed')], random: createRandom(1) })).toBeNull();
  });

  it('works on a 10^9-combination grid with a few runs, without materialising it', () => {
    const params: ParamSpecs = {};
    for (let i = 0; i < 9; i++) params[`p${i}`] = { distribution: 'int_uniform', min: 0, max: 9 };
    const config = sweep(params);
    const method = new GridSearch();
    expect(method.expectedRunCount(config)).toBe(1e9);
    const zeros = Object.fromEntries(Object.keys(params).map((k) => [k, 0]));
    const runs = [run(zeros), run({ ...zeros, p8: 1 }), run({ ...zeros, p8: 3 })];
    const t = performance.now();
    expect(method.next({ config, runs, random: createRandom(1) })).toEqual({ config: { ...zeros, p8: 2 } });
    expect(performance.now() - t).toBeLessThan(100);
  });
});

describeSearchMethodContract('grid', () => new GridSearch(), [
  { config: sweep({ a: cat(1, 2, 3), b: { distribution: 'int_uniform', min: 0, max: 4 } }) },
  {
    config: sweep({
      q: { distribution: 'q_uniform', min: 0, max: 1, q: { value: 0.1, isInt: false } },
      c: { distribution: 'constant', value: { nested: [1, 2] } },
      n: { distribution: 'param_dict', parameters: { x: cat('u', 'v') } },
    }),
    proposals: 25,
  },
]);
