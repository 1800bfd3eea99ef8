import { mean, median, normalizedRegret, ranks } from './stats.js';
import type { RunResult } from './load-results.js';

export const CHECKPOINTS = [25, 50, 100] as const;

export interface ProblemNorm {
  optimum: number | null;
  fRandomMedian: number;
}

export const label = (r: Pick<RunResult, 'engine' | 'sampler'>): string => `${r.engine}/${r.sampler}`;

/** Best value after `k` trials of one seed (null before a completion; undefined past the budget). */
export function bestAfter(trajectory: readonly (number | null)[], k: number): number | null | undefined {
  return k <= trajectory.length ? trajectory[k - 1] : undefined;
}

/**
 * The regret reference per problem: the known optimum, or (when unknown, as for `curves`) the best
 * value ever seen in any of the compared runs.
 */
export function optima(results: readonly RunResult[], norms: Readonly<Record<string, ProblemNorm>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [problem, norm] of Object.entries(norms)) {
    if (norm.optimum !== null) {
      out[problem] = norm.optimum;
      continue;
    }
    let best = Number.POSITIVE_INFINITY;
    for (const r of results) {
      if (r.problem !== problem) continue;
      for (const t of r.trajectories) for (const v of t) if (v !== null && v < best) best = v;
    }
    if (Number.isFinite(best)) out[problem] = best;
  }
  return out;
}

export interface RegretRow {
  problem: string;
  label: string;
  seeds: number;
  /** Median over seeds of the normalized regret after k trials (Infinity: no completed trial; NaN: past the budget). */
  regret: Record<number, number>;
  medianBest: number;
  medianWallS: number;
  overheadMs: number;
}

/** One row per result: median over seeds of the normalized regret at each checkpoint. */
export function regretRow(r: RunResult, optimum: number, fRandomMedian: number): RegretRow {
  const regret: Record<number, number> = {};
  for (const k of CHECKPOINTS) {
    if (k > r.budget) {
      regret[k] = Number.NaN;
      continue;
    }
    regret[k] = median(r.trajectories.map((t) => normalizedRegret(bestAfter(t, k), optimum, fRandomMedian)));
  }
  const finals = r.trajectories.map((t) => t[t.length - 1] ?? Number.POSITIVE_INFINITY);
  return {
    problem: r.problem,
    label: label(r),
    seeds: r.trajectories.length,
    regret,
    medianBest: median(finals),
    medianWallS: r.wall_s ? median(r.wall_s) : Number.NaN,
    overheadMs: r.overhead_ms ? median(r.overhead_ms) : Number.NaN,
  };
}

export interface RankRow {
  label: string;
  problems: number;
  rank: Record<number, number>;
}

/**
 * Mean rank: on each problem, rank the compared engine/samplers by their median regret (1 = best,
 * ties share the mean rank), then average each one's ranks over the problems it ran on.
 */
export function meanRanks(rows: readonly RegretRow[]): RankRow[] {
  const perLabel = new Map<string, { problems: Set<string>; ranks: Record<number, number[]> }>();
  const problems = [...new Set(rows.map((r) => r.problem))];
  for (const problem of problems) {
    const here = rows.filter((r) => r.problem === problem);
    for (const k of CHECKPOINTS) {
      const rk = ranks(here.map((r) => r.regret[k]));
      here.forEach((r, i) => {
        const entry = perLabel.get(r.label) ?? { problems: new Set<string>(), ranks: {} };
        perLabel.set(r.label, entry);
        entry.problems.add(problem);
        if (!Number.isNaN(rk[i])) (entry.ranks[k] ??= []).push(rk[i]);
      });
    }
  }
  return [...perLabel.entries()]
    .map(([l, e]) => ({
      label: l,
      problems: e.problems.size,
      rank: Object.fromEntries(CHECKPOINTS.map((k) => [k, mean(e.ranks[k] ?? [])])) as Record<number, number>,
    }))
    .sort((a, b) => (a.rank[100] - b.rank[100]) || a.label.localeCompare(b.label));
}

/** Best completed value of one seed among trials that ended within `steps` cumulative steps. */
export function bestWithinSteps(values: readonly (number | null)[], cumSteps: readonly number[], steps: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length && i < cumSteps.length; i++) {
    if (cumSteps[i] > steps) break;
    const v = values[i];
    if (v !== null && v < best) best = v;
  }
  return best;
}

export interface PruningRow {
  label: string;
  seeds: number;
  bestFinal: number;
  regret100: number;
  bestWithin: Record<number, number>;
  steps: number;
  /** Steps over the no-pruning baseline's (NaN without a baseline). */
  stepsRatio: number;
  /** Best final minus the baseline's (NaN without a baseline). */
  deltaBestFinal: number;
  pruned: number;
  medianWallS: number;
  /** Median over seeds of the mean ms per proposal in the engine. */
  overheadMs: number;
  /** Median over seeds of the mean ms per trial in the pruner. */
  pruneOverheadMs: number;
  baseline?: string;
}

export const STEP_BUDGETS = [2500, 5000] as const;

/** `<sampler>-<pruner>` → `<sampler>-nopruner`, same engine. */
export function baselineSampler(sampler: string): string {
  const i = sampler.lastIndexOf('-');
  return `${i < 0 ? sampler : sampler.slice(0, i)}-nopruner`;
}

/** The pruning table of a learning-curve problem: medians over seeds, against each sampler's no-pruning run. */
export function pruningRows(results: readonly RunResult[], optimum: number, fRandomMedian: number): PruningRow[] {
  const summary = (r: RunResult) => ({
    bestFinal: median(r.trajectories.map((t) => t[t.length - 1] ?? Number.POSITIVE_INFINITY)),
    steps: r.steps_consumed ? median(r.steps_consumed) : Number.NaN,
  });
  return results
    .map((r) => {
      const own = summary(r);
      const base = results.find((b) => b.engine === r.engine && b.sampler === baselineSampler(r.sampler));
      const baseSummary = base ? summary(base) : undefined;
      const bestWithin: Record<number, number> = {};
      for (const n of STEP_BUDGETS) {
        bestWithin[n] =
          r.values && r.cum_steps
            ? median(r.values.map((v, s) => bestWithinSteps(v, r.cum_steps![s] ?? [], n)))
            : Number.NaN;
      }
      return {
        label: label(r),
        seeds: r.trajectories.length,
        bestFinal: own.bestFinal,
        regret100: median(r.trajectories.map((t) => normalizedRegret(bestAfter(t, Math.min(100, r.budget)), optimum, fRandomMedian))),
        bestWithin,
        steps: own.steps,
        stepsRatio: baseSummary ? own.steps / baseSummary.steps : Number.NaN,
        deltaBestFinal: baseSummary ? own.bestFinal - baseSummary.bestFinal : Number.NaN,
        pruned: r.n_pruned ? median(r.n_pruned) : Number.NaN,
        medianWallS: r.wall_s ? median(r.wall_s) : Number.NaN,
        overheadMs: r.overhead_ms ? median(r.overhead_ms) : Number.NaN,
        pruneOverheadMs: r.prune_overhead_ms ? median(r.prune_overhead_ms) : Number.NaN,
        ...(base ? { baseline: label(base) } : {}),
      };
    })
    .sort((a, b) => a.label.localeCompare(b.label));
}
