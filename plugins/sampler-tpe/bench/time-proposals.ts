/**
 * Per-proposal time of TPESampler with 100 and 1000 finished trials × 10 parameters (univariate
 * and multivariate). Prints figures; asserts nothing. Run from the repository root:
 *   npx tsx --conditions=source plugins/sampler-tpe/bench/time-proposals.ts
 */
import { createRandom, type SamplerSpace, type SamplerValue, type TrialSnapshot } from '@broom/core';
import { TpeSampler } from '../src/index.js';

const space: SamplerSpace = {
  f1: { type: 'float', low: -5, high: 5 },
  f2: { type: 'float', low: 0, high: 1 },
  lr: { type: 'float', low: 1e-5, high: 1e-1, log: true },
  wd: { type: 'float', low: 1e-6, high: 1e-2, log: true },
  q: { type: 'float', low: 0, high: 1, step: 0.05 },
  n: { type: 'int', low: 1, high: 100 },
  units: { type: 'int', low: 8, high: 1024, log: true },
  s: { type: 'int', low: 0, high: 64, step: 4 },
  opt: { type: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
  act: { type: 'categorical', choices: ['relu', 'gelu', 'tanh', 'silu'] },
};

function history(n: number): TrialSnapshot[] {
  const warm = new TpeSampler({ n_startup_trials: 1e9 });
  const trials: TrialSnapshot[] = [];
  for (let i = 0; i < n; i++) {
    const p = warm.sample({ space, trials: [], directions: ['minimize'], random: createRandom(i) });
    const v = Object.values(p).reduce<number>((acc, x: SamplerValue) => acc + (typeof x === 'number' ? Math.sin(x) : String(x).length), 0);
    trials.push({ number: i, state: 'complete', params: p, values: [v] });
  }
  return trials;
}

for (const n of [100, 1000]) {
  const trials = history(n);
  for (const options of [{}, { multivariate: true }, { constant_liar: true }]) {
    const sampler = new TpeSampler(options);
    const reps = n >= 1000 ? 10 : 40;
    sampler.sample({ space, trials, directions: ['minimize'], random: createRandom(-1) }); // warm up
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) sampler.sample({ space, trials, directions: ['minimize'], random: createRandom(r) });
    const ms = (performance.now() - t0) / reps;
    console.log(`${String(n).padStart(5)} trials × 10 params, ${JSON.stringify(options).padEnd(24)} ${ms.toFixed(2)} ms/proposal`);
  }
}
