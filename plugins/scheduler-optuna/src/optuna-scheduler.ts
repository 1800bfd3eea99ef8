import {
  metricHistory,
  PRUNED_REASON,
  Scheduler,
  StopTracker,
  studyFromConfig,
  TERMINAL_STATES,
  type Decision,
  type Proposal,
  type StudySpec,
  type SweepConfig,
  type SweepView,
  type Value,
} from '@broom/core';

/** W&B's Optuna scheduler fails the sweep after this many runs in a row end without the metric. */
export const MAX_CONSECUTIVE_FAILURES = 3;

/**
 * The Optuna-style scheduler (`scheduler.job: optuna`): each free slot gets a run from the
 * configured sampler (`scheduler.settings.sampler`, default TPESampler), and every poll the
 * configured pruner (`scheduler.settings.pruner`, default MedianPruner) judges each running run at
 * its last logged step; the runs it condemns are stopped with the reason `pruned` and become
 * PRUNED trials. One or several objectives (`metric`, or `metrics: [{name, goal}]`).
 *
 * The study is the sweep's runs: sampler and pruner see them as trials on every call, so nothing
 * but the set of runs already told to stop needs saving, and a restarted sweep continues exactly
 * (W&B's original loses its Optuna study on resume). Search and pruning run on the host's engine
 * service (worker threads on the server). Subclass it and override `_poll` (calling `super._poll`)
 * to observe runs; the subclass keeps the study.
 */
export class OptunaScheduler extends Scheduler {
  private readonly stops = new StopTracker();
  private cached?: { config: SweepConfig; study: StudySpec };

  /** The study of the sweep, from `scheduler.settings` (validated when the sweep was created). */
  protected studyOf(view: SweepView): StudySpec {
    const { config } = view;
    if (this.cached?.config !== config) {
      this.cached = { config, study: { ...(studyFromConfig(config, true) as StudySpec), name: `optuna-study-${view.sweepId}` } };
    }
    return this.cached.study;
  }

  protected async nextRun(view: SweepView): Promise<Proposal | null> {
    const [proposal] = await this.context.engine.propose(view.config, view.runs, 1, this.context.seed, { study: this.studyOf(view) });
    return proposal ?? null;
  }

  protected async _poll(view: SweepView): Promise<Decision[]> {
    const study = this.studyOf(view);
    const failure = this.consecutiveFailures(view, study);
    if (failure) return [{ type: 'fail', message: failure }];
    return this.prune(view, study);
  }

  /**
   * W&B's rule: when the last {@link MAX_CONSECUTIVE_FAILURES} runs to end all ended without a value
   * of an objective, the sweep fails (the program is probably not logging the metric).
   */
  protected consecutiveFailures(view: SweepView, study: StudySpec): string | null {
    const ended = view.runs.filter((r) => TERMINAL_STATES.has(r.state) && r.stop_reason !== PRUNED_REASON);
    if (ended.length < MAX_CONSECUTIVE_FAILURES) return null;
    const last = ended.slice(-MAX_CONSECUTIVE_FAILURES);
    const missing = (r: (typeof last)[number]) => study.objectives.some((o) => metricHistory(r, o.name).length === 0);
    if (!last.every(missing)) return null;
    const names = study.objectives.map((o) => o.name).join(', ');
    return (
      `${MAX_CONSECUTIVE_FAILURES} runs in a row (${last.map((r) => r.name).join(', ')}) ended without logging ${names}: ` +
      'the optuna scheduler stops the sweep. Check that the program logs the metric under that name.'
    );
  }

  /** A stop decision (reason `pruned`) for each running run the pruner condemns, once per run. */
  protected async prune(view: SweepView, study: StudySpec): Promise<Decision[]> {
    const running = this.stops.refresh(view);
    if (!study.pruner) return [];
    const { stop, info } = await this.context.engine.prune(view.config, view.runs, { study });
    const decisions: Decision[] = [];
    for (const run of this.stops.take(stop, running)) {
      const detail = info[run];
      const reason = typeof detail?.reason === 'string' ? `: ${detail.reason}` : '';
      this.context.log(`Pruning run ${run} (${study.pruner.type})${reason}`);
      decisions.push({ type: 'stop', run, reason: PRUNED_REASON, ...(detail ? { info: detail } : {}) });
    }
    return decisions;
  }

  getState(): Value {
    return this.stops.getState();
  }

  setState(state: Value): void {
    this.stops.setState(state);
  }
}
