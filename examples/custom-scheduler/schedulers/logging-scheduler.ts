/**
 * A custom sweep scheduler, as in W&B's "custom sweep scheduler" guide: the built-in scheduler with
 * more logging in `_poll`, which runs every poll interval before new runs start. Named by path in
 * the sweep config: `scheduler.job: ./schedulers/logging-scheduler.ts` (relative to the config).
 */
import { definePlugin, type Decision, type SweepView } from '@broom/core';
import { WandbScheduler } from '@broom/scheduler-wandb';

class LoggingScheduler extends WandbScheduler {
  private polls = 0;

  protected async _poll(view: SweepView): Promise<Decision[]> {
    this.polls++;
    const metric = view.config.metric?.name ?? 'loss';
    this.context.log(`[custom _poll ${this.polls}] ${view.runs.length} run(s), sweep ${view.state}`);
    for (const run of view.runs) {
      const last = run.history?.at(-1)?.[metric];
      this.context.log(`[custom _poll ${this.polls}]   ${run.name} ${run.state} step ${run.history?.length ?? 0} ${metric}=${last ?? '-'}`);
    }
    // Keep the built-in behaviour (early_terminate) by returning the base class's decisions.
    return super._poll(view);
  }
}

export default definePlugin({
  meta: { name: 'logging-scheduler', version: '1.0.0', kind: 'scheduler' },
  create: () => (context) => new LoggingScheduler(context),
});
