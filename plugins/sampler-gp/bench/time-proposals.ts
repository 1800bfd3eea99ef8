/**
 * Per-proposal time of GPSampler with 100 and 300 complete trials, on a 6-parameter continuous
 * space and on a 10-parameter mixed one, without and with 4 running trials. Prints figures;
 * asserts nothing. Run from the repository root:
 *   npx tsx --conditions=source plugins/sampler-gp/bench/time-proposals.ts [trials...]
 */
import { createRandom, type SamplerSpace, type SamplerValue, type TrialSnapshot } from '@broom/core';
import { GpSampler } from '../src/index.js';

const continuous: SamplerSpace = Object.fromEntries(
  Array.from({ length: 6 }, (_, j) => [`x${j}`, { type: 'float' as const, low: 0, high: 1 }]),
);
const mixed: SamplerSpace = {
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

function objective(p: Record<string, SamplerValue>): number {
  return Object.values(p).reduce<number>((acc, x) => acc + (typeof x === 'number' ? Math.sin(3 * x) : String(x).length / 4), 0);
}

function history(space: SamplerSpace, n: number, running: number): TrialSnapshot[] {
  const random = new GpSampler({ n_startup_trials: 1e9 });
  const trials: TrialSnapshot[] = [];
  for (let i = 0; i < n + running; i++) {
    const p = random.sample({ space, trials: [], directions: ['minimize'], random: createRandom(i) });
    trials.push(i < n ? { number: i, state: 'complete', params: p, values: [objective(p)] } : { number: i, state: 'running', params: p });
  }
  return trials;
}

const sizes = process.argv.slice(2).map(Number).filter((v) => v > 0);
for (const n of sizes.length > 0 ? sizes : [100, 300]) {
  for (const [name, space] of [['continuous 6-d', continuous], ['mixed 10-d', mixed]] as const) {
    for (const running of [0, 4]) {
      const trials = history(space, n, running);
      const sampler = new GpSampler();
      sampler.sample({ space, trials, directions: ['minimize'], random: createRandom(-1) }); // warm up
      const reps = n >= 300 ? 3 : 8;
      const t0 = performance.now();
      for (let r = 0; r < reps; r++) sampler.sample({ space, trials, directions: ['minimize'], random: createRandom(r) });
      const ms = (performance.now() - t0) / reps;
      console.log(`${n} complete + ${running} running, ${name}: ${ms.toFixed(1)} ms per proposal`);
    }
  }
}
