import type { Proposal, Run } from '../engine/run.js';
import type { Value } from '../values.js';
import type { Decision, SchedulerContext, SweepView } from './scheduler-types.js';

/** Sweep states in which a scheduler is asked anything; PAUSED sweeps are polled but launch nothing. */
const POLLED_STATES = new Set(['RUNNING', 'PAUSED']);

/**
 * The base class of every scheduler. It owns the loop step: the host (the server's sweep
 * controller, or a Launch job) calls `step` every poll interval and whenever runs could start, and
 * applies the decisions it returns. Subclasses implement `nextRun` (how a free slot gets its run)
 * and may override `_poll` (observe the runs and return decisions: stop these runs, finish the
 * sweep). `_poll` returns decisions; it never acts. State that must survive a restart goes through
 * `getState`/`setState` as JSON; the host persists it after every step.
 */
export abstract class Scheduler {
  constructor(protected readonly context: SchedulerContext) {}

  /** The next run for a free slot, or null when the search space is exhausted. */
  protected abstract nextRun(view: SweepView): Promise<Proposal | null>;

  /** Called every step with a view of the runs and their metrics; may return decisions. */
  protected _poll(view: SweepView): Decision[] | Promise<Decision[]> {
    void view;
    return [];
  }

  /** The scheduler's own state, as JSON, for the host to persist. */
  getState(): Value {
    return null;
  }

  /** Restore what `getState` returned before a restart. */
  setState(state: Value): void {
    void state;
  }

  /**
   * One step: `_poll`, then (while the sweep is RUNNING) one `nextRun` per free slot, within
   * `run_cap`. When the cap is reached or the search space is exhausted, a `finish` decision says
   * so; the host finishes the sweep once no run is active.
   */
  async step(view: SweepView, freeSlots: number): Promise<Decision[]> {
    if (!POLLED_STATES.has(view.state)) return [];
    const decisions = [...(await this._poll(view))];
    if (view.state !== 'RUNNING' || decisions.some((d) => d.type === 'finish' || d.type === 'fail')) return decisions;
    const cap = view.config.run_cap ?? Number.POSITIVE_INFINITY;
    let runs: Run[] = [...view.runs];
    for (let slot = 0; slot < freeSlots; slot++) {
      if (runs.length >= cap) {
        decisions.push({ type: 'finish', reason: `run_cap ${cap} reached` });
        break;
      }
      const proposal = await this.nextRun({ ...view, runs });
      if (proposal === null) {
        decisions.push({ type: 'finish', reason: 'the search space is exhausted' });
        break;
      }
      decisions.push({ type: 'launch', config: proposal.config, searchInfo: proposal.search_info });
      runs = [...runs, { name: `(proposal ${runs.length})`, state: 'pending', config: proposal.config, history: [], summary: {} }];
    }
    return decisions;
  }
}
