import { parseArgs } from 'node:util';

/** The curves variants the runner knows. */
export const PRUNERS = ['nopruner', 'hyperband', 'median', 'percentile25'];

export interface RunArgs {
  problems: string[];
  methods: string[];
  seeds: number[];
  budget: number;
  out: string;
  /** Modes: `sequential` and/or `parallel`. */
  modes: string[];
  /** Outstanding proposals in parallel mode. */
  parallel: number;
  /** `curves` variants: `nopruner`, `hyperband` (W&B), `median`, `percentile25` (Optuna-style, with the tpe methods). */
  pruners: string[];
  minIter: number;
}

export const USAGE = `usage: pnpm --filter @broom/bench bench -- [options]
  --problems a,b     problems (default: all: branin,hartmann6,rosenbrock4,mlp_surrogate,curves)
  --methods a,b      search methods (default: random,grid,bayes; unavailable ones are skipped)
  --seeds 0-9        seeds, as a range and/or a list (default: 0-9)
  --budget N         trials per run (default: 100)
  --modes a,b        sequential,parallel (default: both)
  --parallel N       outstanding proposals in parallel mode (default: 4)
  --pruners a,b      curves variants: nopruner,hyperband,median,percentile25 (default: nopruner,hyperband)
  --min-iter N       hyperband min_iter (default: 3)
  --out DIR          where broom-<problem>-<sampler>.json go (default: bench/results)`;

/** `0-9`, `0,3,5`, `0-2,7`. */
export function parseSeeds(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`--seeds: cannot read "${part}" (use e.g. 0-9 or 0,1,2)`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new Error(`--seeds: empty range "${part}"`);
    for (let s = lo; s <= hi; s++) out.push(s);
  }
  if (out.length === 0) throw new Error('--seeds: no seeds given');
  return out;
}

function list(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag}: expected a positive integer, got "${text}"`);
  return n;
}

export function parseRunArgs(argv: readonly string[], defaults: { out: string; problems: string[] }): RunArgs {
  // pnpm passes the `--` separator through to the script: drop it.
  const args = argv.filter((a) => a !== '--');
  const { values } = parseArgs({
    args,
    options: {
      problems: { type: 'string' },
      methods: { type: 'string', default: 'random,grid,bayes' },
      seeds: { type: 'string', default: '0-9' },
      budget: { type: 'string', default: '100' },
      modes: { type: 'string', default: 'sequential,parallel' },
      parallel: { type: 'string', default: '4' },
      pruners: { type: 'string', default: 'nopruner,hyperband' },
      'min-iter': { type: 'string', default: '3' },
      out: { type: 'string', default: defaults.out },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) throw new Error(USAGE);
  const modes = list(values.modes);
  for (const m of modes) if (m !== 'sequential' && m !== 'parallel') throw new Error(`--modes: unknown mode "${m}" (sequential, parallel)`);
  const pruners = list(values.pruners);
  for (const p of pruners) if (!PRUNERS.includes(p)) throw new Error(`--pruners: unknown pruner "${p}" (${PRUNERS.join(', ')})`);
  const problems = values.problems ? list(values.problems) : defaults.problems;
  for (const p of problems) {
    if (!defaults.problems.includes(p)) throw new Error(`--problems: unknown problem "${p}" (${defaults.problems.join(', ')})`);
  }
  return {
    problems,
    methods: list(values.methods),
    seeds: parseSeeds(values.seeds),
    budget: positiveInt(values.budget, '--budget'),
    out: values.out,
    modes,
    parallel: positiveInt(values.parallel, '--parallel'),
    pruners,
    minIter: positiveInt(values['min-iter'], '--min-iter'),
  };
}
