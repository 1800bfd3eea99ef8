import { BroomError } from '@broom/core';

/** A history batch that starts past the end of the stored history: rows in between would be lost. */
export class HistoryGapError extends BroomError {
  constructor(runId: string, seq: number, historyLength: number) {
    super(
      'history-gap',
      `Run ${runId} has ${historyLength} history row(s), so a batch must start at seq ≤ ${historyLength}, but this one starts at ${seq}; send the missing rows first.`,
      { runId, seq, historyLength },
    );
  }
}

/** A store operation on a sweep, run or agent that does not exist. */
export class StoreNotFoundError extends BroomError {
  constructor(kind: 'sweep' | 'run' | 'agent', id: string) {
    super(`${kind}-not-found`, `No ${kind} with id "${id}".`, { kind, id });
  }
}

/** The store's files were written by a newer broom (a schema this version does not know). */
export class StoreVersionError extends BroomError {}
