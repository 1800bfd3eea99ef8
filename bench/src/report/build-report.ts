import { fixed, g, roundHalfEven, signed, table } from './format.js';
import type { RunResult } from './load-results.js';
import {
  CHECKPOINTS,
  STEP_BUDGETS,
  meanRanks,
  optima,
  pruningRows,
  regretRow,
  type ProblemNorm,
  type PruningRow,
  type RankRow,
  type RegretRow,
} from './metrics.js';

export interface Report {
  problems: string[];
  /** Regret reference per problem (curves: the best value ever seen in the compared runs). */
  optimum: Record<string, number>;
  regret: RegretRow[];
  ranks: RankRow[];
  /** Pruning tables of the learning-curve problems. */
  pruning: Record<string, PruningRow[]>;
}

/**
 * Compare result files. One-shot problems go into the regret table and the mean rank; the
 * learning-curve problems (`curvesProblems`) into a pruning table each.
 */
export function buildReport(
  results: readonly RunResult[],
  norms: Readonly<Record<string, ProblemNorm>>,
  curvesProblems: readonly string[],
): Report {
  const problems = Object.keys(norms).filter((p) => results.some((r) => r.problem === p));
  const optimum = optima(results, norms);
  const regret: RegretRow[] = [];
  const pruning: Record<string, PruningRow[]> = {};
  for (const problem of problems) {
    const here = results.filter((r) => r.problem === problem);
    if (optimum[problem] === undefined) continue;
    if (curvesProblems.includes(problem)) {
      pruning[problem] = pruningRows(here, optimum[problem], norms[problem].fRandomMedian);
      continue;
    }
    for (const r of here) regret.push(regretRow(r, optimum[problem], norms[problem].fRandomMedian));
  }
  regret.sort((a, b) => problems.indexOf(a.problem) - problems.indexOf(b.problem) || a.label.localeCompare(b.label));
  return { problems, optimum, regret, ranks: meanRanks(regret), pruning };
}

export function renderMarkdown(report: Report, meta: { sources: string[] }): string {
  const out: string[] = [];
  out.push('# broom benchmark report', '');
  out.push(`Sources: ${meta.sources.join(', ')}. Problems: ${report.problems.join(', ')}.`, '');
  out.push(
    'normalized regret = max(0, best_found − optimum) / (f_random_median − optimum); 0 = optimum found, 1 = as good as the median random draw. ' +
      'Each cell is the median over seeds. `ms/proposal` = median over seeds of the mean time per proposal inside the engine (Optuna: ask + suggest + tell), objective excluded. ' +
      'Timings compare only between runs made on the same machine.',
    '',
  );
  out.push('## Normalized regret (median over seeds)', '');
  out.push(
    table(
      ['problem', 'engine/sampler', 'seeds', ...CHECKPOINTS.map((k) => `@${k}`), 'median best @100', 'median wall s', 'ms/proposal'],
      report.regret.map((r) => [
        r.problem,
        r.label,
        String(r.seeds),
        ...CHECKPOINTS.map((k) => g(r.regret[k])),
        g(r.medianBest, 6),
        fixed(r.medianWallS, 2),
        fixed(r.overheadMs, 2),
      ]),
      'llrrrrrrr',
    ),
    '',
  );
  out.push('## Mean rank over problems', '');
  out.push('Rank of each engine/sampler\'s median normalized regret on each problem (1 = best; ties share the mean rank), averaged over the problems it ran on.', '');
  out.push(
    table(
      ['engine/sampler', 'problems', ...CHECKPOINTS.map((k) => `rank @${k}`)],
      report.ranks.map((r) => [r.label, String(r.problems), ...CHECKPOINTS.map((k) => fixed(r.rank[k], 2))]),
      'lrrrr',
    ),
    '',
  );
  for (const [problem, rows] of Object.entries(report.pruning)) {
    out.push(`## Pruning on \`${problem}\` (medians over seeds)`, '');
    out.push(
      `best final = best loss at the last step among completed trials; reference for the normalized regret = best value ever seen (${g(report.optimum[problem], 6)}); ` +
        'steps = total steps consumed; `pruner ms/trial` = time in the pruner (broom: `stopRuns`) per trial; the baseline of `<sampler>-<pruner>` is `<sampler>-nopruner` of the same engine.',
      '',
    );
    out.push(
      table(
        [
          'engine/sampler-pruner', 'seeds', 'best final', 'norm. regret @100 trials',
          ...STEP_BUDGETS.map((n) => `best within ${n.toLocaleString('en-US')} steps`),
          'steps', 'steps vs no-pruning', 'Δ best final vs no-pruning', 'pruned trials', 'median wall s', 'ms/proposal', 'pruner ms/trial',
        ],
        rows.map((r) => [
          r.label,
          String(r.seeds),
          g(r.bestFinal, 5),
          g(r.regret100),
          ...STEP_BUDGETS.map((n) => g(r.bestWithin[n], 5)),
          Number.isFinite(r.steps) ? String(roundHalfEven(r.steps)) : '—',
          fixed(r.stepsRatio, 3),
          signed(r.deltaBestFinal, 5),
          Number.isFinite(r.pruned) ? String(roundHalfEven(r.pruned)) : '—',
          fixed(r.medianWallS, 2),
          fixed(r.overheadMs, 2),
          fixed(r.pruneOverheadMs, 2),
        ]),
        'lrrrrrrrrrrrr',
      ),
      '',
    );
  }
  return out.join('\n');
}

/** JSON with non-finite numbers written as null. */
export function reportJson(report: Report): string {
  return `${JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
