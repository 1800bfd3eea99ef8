/**
 * The benchmark runner: drives broom's engine (`nextRuns`, `stopRuns` from @broom/core) in an
 * ask/tell loop on each problem, for each method, seed and mode, and writes
 * `results/broom-<problem>-<sampler>.json` in the format of /work/shared/bench/README.md.
 *
 *   pnpm --filter @broom/bench bench -- --methods random --problems branin --seeds 0-2
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROBLEMS, isCurvesProblem, type Problem } from './problems/index.js';
import { g } from './report/format.js';
import { median, normalizedRegret } from './report/stats.js';
import { runCurves, runOneShot } from './runner/ask-tell.js';
import { parseRunArgs, USAGE, type RunArgs } from './runner/cli-args.js';
import { broomEngine, newTiming, probeEarlyTerminate, probeMethod, type Availability } from './runner/engine-client.js';
import { resultFile, type ResultFile } from './runner/result-file.js';
import { infiniteParameter, STUDY_METHODS, STUDY_PRUNERS, sweepConfig } from './runner/sweep-config.js';
import type { SeedRun } from './runner/trial-log.js';

/** The bench package directory: the built-in plugins resolve from its node_modules. */
export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function coreVersion(): string | undefined {
  try {
    const require = createRequire(path.join(benchDir, 'package.json'));
    return (JSON.parse(readFileSync(require.resolve('@broom/core/package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

interface Variant {
  method: string;
  sampler: string;
  parallel: number;
  prune: boolean;
  config: ReturnType<typeof sweepConfig>;
  mode: string;
}

function variantsFor(problem: Problem, method: string, args: RunArgs): Variant[] {
  const out: Variant[] = [];
  for (const mode of args.modes) {
    const parallel = mode === 'parallel' ? args.parallel : 1;
    const base = mode === 'parallel' ? `${method}-p${parallel}` : method;
    const modeName = mode === 'parallel' ? `parallel-${parallel}` : 'sequential';
    if (!isCurvesProblem(problem)) {
      out.push({ method, sampler: base, parallel, prune: false, config: sweepConfig(problem, { method }), mode: modeName });
      continue;
    }
    const study = method in STUDY_METHODS;
    for (const pruner of args.pruners) {
      // W&B's methods take hyperband in early_terminate; the Optuna-style ones take Optuna's pruners.
      if (study ? pruner === 'hyperband' : pruner !== 'nopruner' && pruner !== 'hyperband') continue;
      const optunaPruner = study ? STUDY_PRUNERS[pruner] : undefined;
      const prune = study ? optunaPruner !== null : pruner === 'hyperband';
      const config = sweepConfig(problem, { method, hyperbandMinIter: !study && prune ? args.minIter : undefined, optunaPruner });
      out.push({ method, sampler: `${base}-${pruner}`, parallel, prune, config, mode: modeName });
    }
  }
  return out;
}

async function runSeed(problem: Problem, v: Variant, seed: number, budget: number): Promise<SeedRun> {
  const timing = newTiming();
  const engine = broomEngine(v.config, { seed, hostDirs: [benchDir] }, timing);
  const t0 = performance.now();
  const trials = isCurvesProblem(problem)
    ? await runCurves(problem, engine, seed, { budget, parallel: v.parallel, prune: v.prune })
    : await runOneShot(problem, engine, seed, { budget, parallel: v.parallel });
  const wallS = (performance.now() - t0) / 1000;
  return {
    seed,
    trials,
    wallS,
    overheadMs: timing.proposals > 0 ? timing.nextMs / timing.proposals : 0,
    ...(v.prune ? { pruneOverheadMs: trials.length > 0 ? timing.stopMs / trials.length : 0 } : {}),
  };
}

const fmt = (x: number, digits = 3): string => (Number.isNaN(x) ? '-' : g(x, digits));

const HEADER = ['problem', 'sampler', 'seeds', 'reg@25', 'reg@50', 'reg@100', 'best@100', 'ms/prop', 'wall s', 'steps', 'pruned'];
const WIDTHS = [13, 22, 5, 9, 9, 9, 11, 8, 7, 6, 6];

function row(cells: string[]): string {
  return cells.map((c, i) => (i < 2 ? c.padEnd(WIDTHS[i]) : c.padStart(WIDTHS[i]))).join(' ');
}

/** One line of the live table. For curves the regret uses the noiseless optimum (report.ts uses the best ever seen). */
function summaryRow(problem: Problem, file: ResultFile): string {
  const optimum = problem.optimum ?? 0.25;
  const at = (k: number) => {
    const i = Math.min(k, file.budget) - 1;
    return fmt(median(file.trajectories.map((t) => normalizedRegret(t[i], optimum, problem.fRandomMedian))));
  };
  const last = file.trajectories.map((t) => t[t.length - 1] ?? Number.POSITIVE_INFINITY);
  return row([
    problem.name,
    file.sampler,
    String(file.seeds.length),
    at(25),
    at(50),
    at(file.budget),
    fmt(median(last), 6),
    fmt(median(file.overhead_ms)),
    fmt(median(file.wall_s)),
    file.steps_consumed ? String(median(file.steps_consumed)) : '',
    file.n_pruned ? String(median(file.n_pruned)) : '',
  ]);
}

function skip(problem: string, sampler: string, why: string): void {
  console.log(`  skip ${problem}/${sampler}: ${why}`);
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: RunArgs;
  try {
    args = parseRunArgs(argv, { out: path.join(benchDir, 'results'), problems: PROBLEMS.map((p) => p.name) });
  } catch (error) {
    console.error((error as Error).message === USAGE ? USAGE : `${(error as Error).message}\n\n${USAGE}`);
    return (error as Error).message === USAGE ? 0 : 2;
  }
  mkdirSync(args.out, { recursive: true });
  const engineVersion = coreVersion();
  console.log(
    `broom ${engineVersion ?? '?'}: problems ${args.problems.join(',')}; methods ${args.methods.join(',')}; ` +
      `seeds ${args.seeds[0]}..${args.seeds[args.seeds.length - 1]} (${args.seeds.length}); budget ${args.budget}; ` +
      `modes ${args.modes.join(',')}${args.modes.includes('parallel') ? ` (${args.parallel} outstanding)` : ''}`,
  );
  console.log(row(HEADER));
  let failures = 0;
  const started = performance.now();
  for (const problem of PROBLEMS.filter((p) => args.problems.includes(p.name))) {
    for (const method of args.methods) {
      if (method === 'grid') {
        const why = infiniteParameter(problem.parameters);
        if (why) {
          skip(problem.name, 'grid', `the space is not finite (${why})`);
          continue;
        }
      }
      let methodOk: Availability | undefined;
      for (const v of variantsFor(problem, method, args)) {
        methodOk ??= await probeMethod(sweepConfig(problem, { method }), { seed: args.seeds[0], hostDirs: [benchDir] });
        if (!methodOk.ok) {
          if (!methodOk.expected) failures++;
          skip(problem.name, method, `${methodOk.expected ? 'not available' : 'ERROR'}: ${methodOk.reason}`);
          break;
        }
        if (v.prune) {
          const pruneOk = await probeEarlyTerminate(v.config, { seed: args.seeds[0], hostDirs: [benchDir] });
          if (!pruneOk.ok) {
            if (!pruneOk.expected) failures++;
            skip(problem.name, v.sampler, `pruning ${pruneOk.expected ? 'not available' : 'ERROR'}: ${pruneOk.reason}`);
            continue;
          }
        }
        try {
          const seeds: SeedRun[] = [];
          for (const seed of args.seeds) seeds.push(await runSeed(problem, v, seed, args.budget));
          const file = resultFile(
            { problem: problem.name, sampler: v.sampler, budget: args.budget, curves: isCurvesProblem(problem), engineVersion, sweepConfig: v.config, mode: v.mode },
            seeds,
          );
          writeFileSync(path.join(args.out, `broom-${problem.name}-${v.sampler}.json`), `${JSON.stringify(file)}\n`);
          console.log(summaryRow(problem, file));
        } catch (error) {
          failures++;
          skip(problem.name, v.sampler, `ERROR: ${(error as Error)?.stack ?? error}`);
        }
      }
    }
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s; results in ${args.out}${failures ? `; ${failures} failure(s)` : ''}`);
  return failures > 0 ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
