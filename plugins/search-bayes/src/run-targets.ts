import {
  metricHistory, summaryMetric, TERMINAL_STATES,
  type Goal, type Impute, type MetricConfig, type Run,
} from '@broom/core';

/** What bayes search makes of one run (spec §3.3 step 2). */
export type RunTarget =
  /** Used to fit the GP, with this metric value (in the metric's own units, not negated). */
  | { role: 'observation'; value: number }
  /** In flight: its point is a kriging-believer fantasy, not an observation. */
  | { role: 'pending' };

/** The metric settings bayes reads, with W&B's defaults for anything missing. */
export interface TargetSettings {
  name: string;
  goal: Goal;
  impute: Impute;
  imputeWhileRunning: Impute | 'false';
}

export function targetSettings(metric: MetricConfig): TargetSettings {
  return {
    name: metric.name,
    goal: metric.goal === 'maximize' ? 'maximize' : 'minimize',
    impute: metric.impute ?? 'worst',
    imputeWhileRunning: metric.impute_while_running ?? 'false',
  };
}

/** W&B's `metric_extremum`: min or max over the finite history values and the summary value. */
export function metricExtremum(run: Run, name: string, kind: 'min' | 'max'): number | undefined {
  const values = metricHistory(run, name);
  const summary = summaryMetric(run, name);
  if (summary !== undefined) values.push(summary);
  if (values.length === 0) return undefined;
  let out = values[0];
  for (const v of values) out = kind === 'min' ? Math.min(out, v) : Math.max(out, v);
  return out;
}

/**
 * W&B's `worst` imputation: over terminal runs (finished, failed, crashed, killed), the worst of each
 * run's worst value (max of maxima when minimising, min of minima when maximising); 0.0 if none.
 */
export function worstMetric(settings: TargetSettings, runs: readonly Run[]): number {
  const maximize = settings.goal === 'maximize';
  let worst = maximize ? Infinity : -Infinity;
  for (const run of runs) {
    if (!TERMINAL_STATES.has(run.state)) continue;
    const v = metricExtremum(run, settings.name, maximize ? 'min' : 'max');
    if (v === undefined) continue;
    worst = maximize ? Math.min(worst, v) : Math.max(worst, v);
  }
  return Number.isFinite(worst) ? worst : 0;
}

/**
 * The bayes target of every run, in order (spec §3.3 step 2, `_construct_gp_data`):
 * - finished: its best value (min, or max when maximising) over finite history values and the
 *   summary; if it has none, imputed with `impute`;
 * - failed / crashed / killed: imputed with `impute`;
 * - running: pending, unless `impute_while_running` is not "false": then an observation, its best
 *   value if it has one, else imputed with that strategy;
 * - pending / preempting / preempted: pending.
 * Imputation: `worst` = {@link worstMetric}; `best` = this run's best or 0.0; `latest` = its last
 * finite history value or 0.0. A non-finite value becomes the worst.
 */
export function runTargets(metric: MetricConfig, runs: readonly Run[]): RunTarget[] {
  const settings = targetSettings(metric);
  const { name, goal } = settings;
  const bestKind = goal === 'maximize' ? 'max' : 'min';
  const worst = worstMetric(settings, runs);

  const impute = (strategy: Impute, run: Run): number => {
    switch (strategy) {
      case 'worst':
        return worst;
      case 'best':
        return metricExtremum(run, name, bestKind) ?? 0;
      case 'latest':
        return metricHistory(run, name).at(-1) ?? 0;
      default:
        throw new RangeError(`invalid impute strategy: ${String(strategy)}`);
    }
  };
  const best = (strategy: Impute, run: Run): number => metricExtremum(run, name, bestKind) ?? impute(strategy, run);
  const observation = (value: number): RunTarget => ({ role: 'observation', value: Number.isFinite(value) ? value : worst });

  return runs.map((run): RunTarget => {
    switch (run.state) {
      case 'finished':
        return observation(best(settings.impute, run));
      case 'failed':
      case 'crashed':
      case 'killed':
        return observation(impute(settings.impute, run));
      case 'running':
        return settings.imputeWhileRunning !== 'false' ? observation(best(settings.imputeWhileRunning, run)) : { role: 'pending' };
      case 'pending':
      case 'preempting':
      case 'preempted':
        return { role: 'pending' };
      default:
        throw new RangeError(`Run ${run.name} is in unknown state ${JSON.stringify(run.state)}`);
    }
  });
}
