/**
 * How long one bayes proposal takes with 500 finished runs in a 10-parameter space (the GP sees 100
 * of them, subsampled) and, separately, with 100 finished plus 95 pending runs (the largest matrices:
 * 195×195, fitted twice). Run from the repository root:
 *   npx tsx --conditions=source plugins/search-bayes/bench/proposal-time.ts
 */
import { createRandom, sampleConfig, type ParamSpecs, type Run, type SweepConfig } from '@broom/core';
import { BayesSearch } from '../src/index.js';

const parameters: ParamSpecs = {};
for (let i = 0; i < 10; i++) {
  parameters[`x${i}`] =
    i % 3 === 0
      ? { distribution: 'uniform', min: -2, max: 2 }
      : i % 3 === 1
        ? { distribution: 'log_uniform_values', min: 1e-4, max: 1 }
        : { distribution: 'int_uniform', min: 1, max: 64 };
}
const config: SweepConfig = {
  method: 'bayes',
  parameters,
  metric: { name: 'loss', goal: 'minimize', impute: 'worst', impute_while_running: 'false' },
};

function makeRuns(finished: number, pending: number, seed: number): Run[] {
  const random = createRandom(seed);
  const runs: Run[] = [];
  for (let i = 0; i < finished + pending; i++) {
    const c = sampleConfig(parameters, random);
    const loss = Object.values(c).reduce<number>((s, v) => s + (Number(v) - 0.5) ** 2, 0);
    runs.push(
      i < finished
        ? { name: `r${i}`, state: 'finished', config: c, history: [{ loss: loss * 1.1 }, { loss }], summary: { loss } }
        : { name: `r${i}`, state: 'pending', config: c },
    );
  }
  return runs;
}

function time(label: string, runs: Run[], repeats: number): void {
  const method = new BayesSearch();
  method.next({ config, runs, random: createRandom(0) }); // warm-up (JIT)
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    method.next({ config, runs, random: createRandom(i + 1) });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${label}: median ${median.toFixed(1)} ms, min ${times[0].toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms (${repeats} proposals)`);
}

time('500 finished runs, 10 params', makeRuns(500, 0, 1), 20);
time('100 finished + 95 pending runs, 10 params', makeRuns(100, 95, 2), 10);
