/**
 * CLI latency: how long `broom` takes from process start to exit when run built, with plain node,
 * as a tool driving the engine runs it (one process per call). Times, over `--runs` runs each
 * (interleaved, after one warm-up run each), `node -e 0` (the floor), `broom --version`,
 * `broom next-runs` on a small grid and on a random sweep with 200 finished runs, `broom stop-runs`
 * (hyperband) on those runs, and `broom validate` on the first-sweep example. Prints median and p90
 * and the median minus node's own start-up, and writes `bench/results/cli-latency.json`.
 *
 *   pnpm build && npx tsx --conditions=source bench/src/cli-latency.ts [--runs 20] [--cli path/to/broom.mjs] [--out file.json]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRandom } from '@broom/core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Options {
  runs: number;
  cli: string;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const opts: Options = {
    runs: 20,
    cli: path.join(repoRoot, 'packages/cli/bin/broom.mjs'),
    out: path.join(repoRoot, 'bench/results/cli-latency.json'),
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--runs' && /^\d+$/.test(value ?? '') && Number(value) > 0) opts.runs = Number(value);
    else if (flag === '--cli' && value) opts.cli = path.resolve(value);
    else if (flag === '--out' && value) opts.out = path.resolve(value);
    else throw new Error(`unknown or incomplete option ${flag}; usage: cli-latency.ts [--runs N] [--cli FILE] [--out FILE]`);
    i++;
  }
  return opts;
}

/** The engine inputs and the config file the commands read. */
function writeInputs(dir: string): { grid: string; random: string; example: string } {
  const grid = {
    config: {
      method: 'grid',
      metric: { name: 'loss', goal: 'minimize' },
      parameters: { optimizer: { values: ['adam', 'sgd'] }, lr: { values: [0.1, 0.01, 0.001] }, layers: { min: 1, max: 3 } },
    },
    runs: [],
  };
  const rng = createRandom(20260101);
  const next = () => rng.next();
  const runs = Array.from({ length: 200 }, (_, i) => {
    const config = {
      lr: 10 ** (-5 + 4 * next()),
      batch_size: [16, 32, 64, 128][Math.floor(next() * 4)],
      dropout: 0.5 * next(),
      model: { depth: 2 + Math.floor(next() * 7), activation: ['relu', 'gelu'][Math.floor(next() * 2)] },
    };
    const steps = 1 + Math.floor(next() * 27);
    const history = Array.from({ length: steps }, (_, t) => ({ loss: 1 / (1 + t) + 0.2 * next() }));
    return { name: `run-${i}`, state: 'finished', config, history, summary: { loss: history[history.length - 1].loss } };
  });
  const random = {
    config: {
      method: 'random',
      metric: { name: 'loss', goal: 'minimize' },
      early_terminate: { type: 'hyperband', min_iter: 3 },
      run_cap: 1000,
      parameters: {
        lr: { distribution: 'log_uniform_values', min: 1e-5, max: 0.1 },
        batch_size: { values: [16, 32, 64, 128] },
        dropout: { min: 0, max: 0.5, distribution: 'uniform' },
        model: { parameters: { depth: { min: 2, max: 8 }, activation: { values: ['relu', 'gelu'] } } },
      },
    },
    runs,
  };
  const files = { grid: path.join(dir, 'grid.json'), random: path.join(dir, 'random-200.json') };
  writeFileSync(files.grid, JSON.stringify(grid));
  writeFileSync(files.random, JSON.stringify(random));
  return { ...files, example: path.join(repoRoot, 'examples/first-sweep/sweep.yaml') };
}

interface Command {
  name: string;
  args: string[];
  /** Exit codes that mean it ran as intended. */
  ok: number[];
}

/** The `q`-quantile of sorted samples (nearest rank). */
function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function timeOnce(cmd: Command): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, cmd.args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - start;
  if (r.error || !cmd.ok.includes(r.status ?? -1)) {
    throw new Error(`${cmd.name} failed (exit ${r.status}): ${r.error?.message ?? r.stderr.trim()}`);
  }
  return ms;
}

const round = (x: number) => Math.round(x * 10) / 10;

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'broom-cli-latency-'));
  try {
    const input = writeInputs(dir);
    const broom = (...args: string[]) => [opts.cli, ...args];
    const commands: Command[] = [
      { name: 'node -e 0', args: ['-e', '0'], ok: [0] },
      { name: 'broom --version', args: broom('--version'), ok: [0] },
      { name: 'broom next-runs (grid, 0 runs)', args: broom('next-runs', '--input', input.grid), ok: [0] },
      { name: 'broom next-runs (random, 200 runs)', args: broom('next-runs', '--input', input.random, '--seed', '1'), ok: [0] },
      { name: 'broom stop-runs (hyperband, 200 runs)', args: broom('stop-runs', '--input', input.random), ok: [0] },
      { name: 'broom validate (first-sweep example)', args: broom('validate', input.example), ok: [0] },
    ];
    for (const cmd of commands) timeOnce(cmd); // warm-up: file cache, and a failure shows before the timing starts
    const samples = commands.map(() => [] as number[]);
    for (let i = 0; i < opts.runs; i++) commands.forEach((cmd, j) => samples[j].push(timeOnce(cmd)));

    const stats = commands.map((cmd, j) => {
      const sorted = [...samples[j]].sort((a, b) => a - b);
      return { name: cmd.name, argv: ['node', ...cmd.args.map((a) => (path.isAbsolute(a) ? path.relative(repoRoot, a) || '.' : a))],
        medianMs: round(quantile(sorted, 0.5)), p90Ms: round(quantile(sorted, 0.9)), minMs: round(sorted[0]), samplesMs: samples[j].map(round) };
    });
    const baseline = stats[0].medianMs;
    const rows = stats.map((s) => ({ ...s, overNodeMs: round(s.medianMs - baseline) }));

    const width = Math.max(...rows.map((r) => r.name.length));
    const pad = (s: string | number, n: number) => String(s).padStart(n);
    console.log(`broom CLI latency: ${opts.runs} runs each, ${path.relative(repoRoot, opts.cli) || opts.cli}, node ${process.version}`);
    console.log(`${'command'.padEnd(width)}  ${pad('median', 8)}  ${pad('p90', 8)}  ${pad('- node', 8)}`);
    for (const r of rows) console.log(`${r.name.padEnd(width)}  ${pad(r.medianMs.toFixed(1), 8)}  ${pad(r.p90Ms.toFixed(1), 8)}  ${pad(r.overNodeMs.toFixed(1), 8)}`);

    const report = {
      date: new Date().toISOString(),
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      runs: opts.runs,
      cli: path.relative(repoRoot, opts.cli) || opts.cli,
      coreVersion: (JSON.parse(readFileSync(path.join(repoRoot, 'packages/core/package.json'), 'utf8')) as { version: string }).version,
      nodeBaselineMs: baseline,
      commands: rows,
    };
    mkdirSync(path.dirname(opts.out), { recursive: true });
    writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${path.relative(process.cwd(), opts.out) || opts.out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
