// A first sweep, end to end, with no server: validate the config, then ask broom's engine for runs
// one at a time (`broom next-runs`), "train" each one, and tell the engine what happened by passing
// every run so far back in. Any language can drive broom this way: JSON in, JSON out.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const broomBin = path.join(path.dirname(require.resolve('@broom/cli/package.json')), 'bin', 'broom.mjs');
const broom = (args, input) => execFileSync(process.execPath, [broomBin, ...args], { input, encoding: 'utf8', cwd: here });

const sweepFile = path.join(here, 'sweep.yaml');
process.stdout.write(`$ broom validate sweep.yaml\n${broom(['validate', sweepFile])}\n`);

// The stand-in for a training script: a loss surface with its best at adam, lr 0.01, 2 layers.
function train({ optimizer, learning_rate, layers, epochs }) {
  const lrPenalty = Math.abs(Math.log10(learning_rate) + 2);
  return +(0.2 + 0.3 * lrPenalty + (optimizer === 'sgd' ? 0.15 : 0) + 0.1 / layers + 0.01 * (5 - epochs)).toFixed(4);
}

const config = YAML.parse(readFileSync(sweepFile, 'utf8'));
const runs = [];
for (;;) {
  const [proposal] = JSON.parse(broom(['next-runs', '--count', '1'], JSON.stringify({ config, runs })));
  if (!proposal) break; // the grid is exhausted
  const loss = train(proposal.config);
  runs.push({ name: `run-${runs.length + 1}`, state: 'finished', config: proposal.config, summary: { val_loss: loss } });
}

console.log(`The grid is exhausted after ${runs.length} runs:`);
console.log('run     optimizer  learning_rate  layers  val_loss');
for (const r of runs) {
  const c = r.config;
  console.log(`${r.name.padEnd(7)} ${c.optimizer.padEnd(10)} ${String(c.learning_rate).padEnd(14)} ${String(c.layers).padEnd(7)} ${r.summary.val_loss}`);
}
const best = runs.reduce((a, b) => (b.summary.val_loss < a.summary.val_loss ? b : a));
console.log(`Best run: ${best.name} ${JSON.stringify(best.config)} val_loss=${best.summary.val_loss}`);
