import { isRecord, type Value } from '../values.js';
import type { SweepView } from './scheduler-types.js';

/**
 * The running runs a scheduler has already asked to stop, so that each gets one stop decision (and
 * one log line) while it runs. A run that stopped, or was never seen running, is forgotten, so a
 * resumed run can be stopped again. Saved with the scheduler's state.
 */
export class StopTracker {
  private stopping = new Set<string>();

  /** The names of the view's running runs; forgets the runs that are no longer running. */
  refresh(view: SweepView): Set<string> {
    const running = new Set(view.runs.filter((r) => r.state === 'running').map((r) => r.name));
    this.stopping = new Set([...this.stopping].filter((name) => running.has(name)));
    return running;
  }

  /** The runs of `stop` to stop now (running, not asked before), in order; they are marked as asked. */
  take(stop: readonly string[], running: ReadonlySet<string>): string[] {
    const out: string[] = [];
    for (const run of stop) {
      if (!running.has(run) || this.stopping.has(run)) continue;
      this.stopping.add(run);
      out.push(run);
    }
    return out;
  }

  /** `{stopping: [...]}`, for `getState`. */
  getState(): Value {
    return { stopping: [...this.stopping] };
  }

  /** Restore what `getState` returned (anything else is an empty set). */
  setState(state: Value): void {
    const names = isRecord(state) && Array.isArray(state.stopping) ? state.stopping : [];
    this.stopping = new Set(names.filter((n): n is string => typeof n === 'string'));
  }
}
