import { type Decision, type Run, type SchedulerContext, type SweepView, pyStr } from '@broom/core';
import { WandbScheduler } from '@broom/scheduler-wandb';
import type { LoggingSettings } from './logging-settings.schema.js';

/**
 * W&B's built-in scheduler with more logging, as in W&B's custom-scheduler guide: `_poll` (called
 * every poll interval, before new runs start) writes one line about the sweep and one per run that
 * is active or ended since the last poll, then keeps the built-in early termination.
 */
export class LoggingScheduler extends WandbScheduler {
  private polls = 0;
  /** Runs already reported as ended. */
  private reported = new Set<string>();

  constructor(
    context: SchedulerContext,
    private readonly settings: LoggingSettings = {},
  ) {
    super(context);
  }

  protected async _poll(view: SweepView): Promise<Decision[]> {
    this.polls++;
    if ((this.polls - 1) % (this.settings.every ?? 1) === 0) this.logProgress(view);
    return super._poll(view);
  }

  private logProgress(view: SweepView): void {
    const metric = this.settings.metric ?? view.config.metric?.name;
    const counts = new Map<string, number>();
    for (const r of view.runs) counts.set(r.state, (counts.get(r.state) ?? 0) + 1);
    const states = [...counts].map(([s, n]) => `${n} ${s}`).join(', ');
    this.context.log(`poll ${this.polls}: sweep ${view.sweepId} ${view.state}, ${view.runs.length} run(s)${states ? ` (${states})` : ''}`);
    for (const run of view.runs) {
      const active = run.state === 'pending' || run.state === 'running' || run.state === 'preempting';
      if (!active && this.reported.has(run.name)) continue;
      if (!active) this.reported.add(run.name);
      this.context.log(`  run ${run.name} ${run.state}: ${progress(run, metric)}`);
    }
  }
}

function progress(run: Run, metric: string | undefined): string {
  const steps = run.history?.length ?? 0;
  const parts = [`${steps} step${steps === 1 ? '' : 's'}`];
  if (metric !== undefined) {
    const last = [...(run.history ?? [])].reverse().find((row) => row[metric] !== undefined)?.[metric] ?? run.summary?.[metric];
    parts.push(`${metric}=${last === undefined ? '-' : pyStr(last)}`);
  }
  const config = Object.entries(run.config).map(([k, v]) => `${k}=${pyStr(v)}`).join(' ');
  return `${parts.join(', ')}${config ? ` [${config}]` : ''}`;
}
