import type { Value, ValueRecord } from '../values.js';

export const RUN_STATES = [
  'pending', 'running', 'finished', 'failed', 'crashed', 'killed', 'preempted', 'preempting',
] as const;
export type RunState = (typeof RUN_STATES)[number];

export const TERMINAL_STATES: ReadonlySet<RunState> = new Set(['finished', 'failed', 'crashed', 'killed']);

/**
 * A run as the engine sees it: a frozen snapshot. `config` holds plain values (nested parameters
 * as nested objects), not W&B's `{name: {value}}` wrapping.
 */
export interface Run {
  name: string;
  state: RunState;
  config: ValueRecord;
  history?: ValueRecord[];
  summary?: ValueRecord;
  /** Why the run was asked to stop (`pruned`, `early_terminate`, …), when it was. */
  stop_reason?: string;
}

/** A proposal from `nextRuns`: the run config, and what the search method reports about it. */
export interface Proposal {
  config: ValueRecord;
  search_info?: { [key: string]: Value };
}
