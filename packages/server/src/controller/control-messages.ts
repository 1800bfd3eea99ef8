import type { SweepState } from '@broom/core';
import type { SweepRow } from '../store/store.js';

const lower = (s: SweepState) => s.toLowerCase();

/** The wording of sweep control answers; W&B's own where it has one (spec §5.2, §5.7). */
export const controlMessages = {
  cannotPause: (state: SweepState) => `Cannot pause ${lower(state)} sweep.`,
  already: (state: SweepState) => `Sweep already ${lower(state)}.`,
  notRunning: (sweep: SweepRow) =>
    `Sweep ${sweep.id} is not running (it is ${sweep.state}). Resume it with \`broom sweep --resume ${sweep.id}\` to start agents again.`,
  retryOnlyWithResume: (action: string) => `Key "retryFailed": only the "resume" action can retry failed runs, but the action is "${action}".`,
  exitReason: (sweep: SweepRow): string => {
    switch (sweep.state) {
      case 'FINISHED':
        return `Sweep ${sweep.id} is finished${sweep.finishing ? `: ${sweep.finishing}` : ''}.`;
      case 'CANCELED':
        return `Sweep ${sweep.id} was canceled.`;
      case 'FAILED':
        return `Sweep ${sweep.id} failed: ${sweep.error ?? 'no reason given'}`;
      default:
        return `Sweep ${sweep.id} is ${lower(sweep.state)}.`;
    }
  },
};
