/**
 * W&B's CLI agent guards against a program that keeps failing (spec §5.3): *flapping*, three
 * non-zero exits within the first 60 s of the agent (`WANDB_AGENT_DISABLE_FLAPPING=true` turns it
 * off), and *failing*, failed runs at least as many as finished ones and at least
 * `WANDB_AGENT_MAX_INITIAL_FAILURES` (default 5). broom reads the `BROOM_AGENT_*` variables first,
 * then the `WANDB_AGENT_*` ones. Runs the agent stopped itself (hyperband, Ctrl-C) do not count.
 */
export interface GuardSettings {
  flappingEnabled: boolean;
  /** Failures within {@link flappingWindowMs} of the agent's start that shut it down. */
  flappingFailures: number;
  flappingWindowMs: number;
  maxInitialFailures: number;
}

export function guardSettings(env: Readonly<Record<string, string | undefined>>): GuardSettings {
  const disable = env.BROOM_AGENT_DISABLE_FLAPPING ?? env.WANDB_AGENT_DISABLE_FLAPPING;
  const maxFailures = Number(env.BROOM_AGENT_MAX_INITIAL_FAILURES ?? env.WANDB_AGENT_MAX_INITIAL_FAILURES ?? 5);
  return {
    flappingEnabled: !/^(1|true|yes)$/i.test(disable ?? ''),
    flappingFailures: 3,
    flappingWindowMs: 60_000,
    maxInitialFailures: Number.isFinite(maxFailures) && maxFailures >= 1 ? Math.floor(maxFailures) : 5,
  };
}

export class AgentGuards {
  private failed = 0;
  private finished = 0;

  constructor(
    private readonly settings: GuardSettings,
    private readonly startedAt: number,
  ) {}

  /** Record a run that ended on its own; answers the message to shut down with, if a guard trips. */
  record(exitCode: number | null, now: number): string | undefined {
    if (exitCode === 0) this.finished++;
    else this.failed++;
    const s = this.settings;
    if (s.flappingEnabled && this.failed >= s.flappingFailures && now - this.startedAt < s.flappingWindowMs) {
      return (
        `Detected ${this.failed} failed runs in the first ${Math.round(s.flappingWindowMs / 1000)} seconds, shutting down.\n` +
        'To disable this check set BROOM_AGENT_DISABLE_FLAPPING=true'
      );
    }
    if (this.failed >= s.maxInitialFailures && this.failed >= this.finished) {
      return (
        `Detected ${this.failed} failed runs and ${this.finished} finished ones, shutting down.\n` +
        'To allow more set BROOM_AGENT_MAX_INITIAL_FAILURES'
      );
    }
    return undefined;
  }
}
