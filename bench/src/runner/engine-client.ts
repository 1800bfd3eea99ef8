import { nextRuns, stopRuns, type Proposal, type Run, type Value } from '@broom/core';

/** What the ask/tell loops need from an engine: W&B's `next_runs` and `stop_runs`. */
export interface Engine {
  next(runs: readonly Run[], count: number): Promise<Proposal[]>;
  /** Names of the runs to stop now. */
  stop(runs: readonly Run[]): Promise<string[]>;
}

/** Time spent inside the engine (objective excluded). */
export interface EngineTiming {
  nextMs: number;
  proposals: number;
  stopMs: number;
  stopCalls: number;
}

export function newTiming(): EngineTiming {
  return { nextMs: 0, proposals: 0, stopMs: 0, stopCalls: 0 };
}

export interface BroomEngineOptions {
  seed: number;
  /** Where the built-in plugins resolve from: the bench package's directory. */
  hostDirs: string[];
}

/** broom's stateless engine through its public API, timed. */
export function broomEngine(config: Value, opts: BroomEngineOptions, timing: EngineTiming): Engine {
  return {
    async next(runs, count) {
      const t0 = performance.now();
      const out = await nextRuns(config, runs as Run[], count, { seed: opts.seed, hostDirs: opts.hostDirs });
      timing.nextMs += performance.now() - t0;
      timing.proposals += out.length;
      return out;
    },
    async stop(runs) {
      const t0 = performance.now();
      const { stop } = await stopRuns(config, runs as Run[], { seed: opts.seed, hostDirs: opts.hostDirs });
      timing.stopMs += performance.now() - t0;
      timing.stopCalls += 1;
      return stop;
    },
  };
}

/** Error codes by which the engine says "not in this version" or "not for this space". */
const UNAVAILABLE_CODES = new Set(['not-available', 'plugin-not-found', 'search-refused', 'custom-method']);

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export type Availability = { ok: true } | { ok: false; expected: boolean; reason: string };

function refusal(error: unknown): Availability {
  const code = errorCode(error);
  const message = String((error as Error)?.message ?? error).split('\n')[0];
  return { ok: false, expected: code !== undefined && UNAVAILABLE_CODES.has(code), reason: code ? `${code}: ${message}` : message };
}

/** Ask once on an empty sweep: does the engine offer this method for this space? */
export async function probeMethod(config: Value, opts: BroomEngineOptions): Promise<Availability> {
  try {
    await nextRuns(config, [], 1, { seed: opts.seed, hostDirs: opts.hostDirs });
    return { ok: true };
  } catch (error) {
    return refusal(error);
  }
}

/** Does the engine stop runs for this `early_terminate`, or does it warn that it cannot? */
export async function probeEarlyTerminate(config: Value, opts: BroomEngineOptions): Promise<Availability> {
  try {
    const { warnings } = (await stopRuns(config, [], { seed: opts.seed, hostDirs: opts.hostDirs })) as {
      warnings?: string[];
    };
    const refused = (warnings ?? []).find((w) => /not available|no run is stopped/i.test(w));
    return refused ? { ok: false, expected: true, reason: refused } : { ok: true };
  } catch (error) {
    return refusal(error);
  }
}
