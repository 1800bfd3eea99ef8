import {
  BroomError,
  Scheduler,
  StopTracker,
  type Decision,
  type Proposal,
  type SweepView,
  type Value,
} from '@broom/core';

export const CUSTOM_METHOD_MESSAGE =
  'The wandb scheduler cannot run a sweep with `method: custom`: it proposes runs with the sweep\'s search ' +
  'method (grid, random, bayes or a search plugin), and `custom` has none. Set `method`, or name a ' +
  'scheduler that creates runs itself in `scheduler.job`.';

/**
 * W&B's built-in sweep scheduler: each free slot gets the next run of the sweep's `method`, and
 * `early_terminate` stops the running runs that its pruner condemns. Both are asked of the engine
 * service (`context.engine`), which the server runs on worker threads.
 *
 * Subclass it to customise a sweep: override `_poll` (call `super._poll(view)` to keep early
 * termination) to observe the runs and add decisions, as W&B's custom scheduler docs do.
 */
export class WandbScheduler extends Scheduler {
  /** Running runs already condemned: each gets one stop decision (and one log line) while it runs. */
  private readonly stops = new StopTracker();

  /**
   * The sweep's next run. The seed is the scheduler's, and the engine draws each proposal from a
   * stream derived from it and the number of runs before it, so the sweep proposes what
   * `broom next-runs` would with the same seed.
   */
  protected async nextRun(view: SweepView): Promise<Proposal | null> {
    if (view.config.method === 'custom') throw new BroomError('custom-method', CUSTOM_METHOD_MESSAGE, {});
    const [proposal] = await this.context.engine.propose(view.config, view.runs, 1, this.context.seed);
    return proposal ?? null;
  }

  protected async _poll(view: SweepView): Promise<Decision[]> {
    if (view.config.method === 'custom') return [{ type: 'fail', message: CUSTOM_METHOD_MESSAGE }];
    return this.earlyTerminate(view);
  }

  /** A stop decision for each running run that `early_terminate` condemns, with its `early_terminate_info`. */
  protected async earlyTerminate(view: SweepView): Promise<Decision[]> {
    const running = this.stops.refresh(view);
    if (!view.config.early_terminate) return [];
    const { stop, info } = await this.context.engine.prune(view.config, view.runs);
    const decisions: Decision[] = [];
    for (const run of this.stops.take(stop, running)) {
      const detail = detailLine(info[run], run);
      this.context.log(`Stopping run ${run}: early_terminate (${view.config.early_terminate.type})${detail ? `: ${detail}` : ''}`);
      decisions.push({ type: 'stop', run, reason: 'early_terminate', ...(info[run] ? { info: info[run] } : {}) });
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

/** The pruner's line about this run (hyperband's `Run: b Step: 2 (Band: …) STOP`), if it wrote one. */
function detailLine(info: Record<string, unknown> | undefined, run: string): string | undefined {
  const lines = info?.lines;
  if (!Array.isArray(lines)) return undefined;
  const line = lines.find((l): l is string => typeof l === 'string' && l.startsWith(`Run: ${run} `));
  return line?.replace(/\s+/g, ' ').trim();
}
