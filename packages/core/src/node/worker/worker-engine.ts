import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Pool } from 'workerpool';
import type { SweepConfig } from '../../common/config/types.js';
import type { Proposal, Run } from '../../common/engine/run.js';
import { BroomError } from '../../common/errors/broom-error.js';
import type { PrunerResult } from '../../common/plugin/contracts.js';
import type { EngineCallOptions, EngineService } from '../../common/scheduler/scheduler-types.js';
import { EnginePlugins, type ProposeTask, type PruneTask } from './engine-tasks.js';
import { engineMessages } from './engine-messages.js';
import { encode, unwrapReply } from './engine-wire.js';

export interface EngineServiceOptions {
  /** Directories whose dependencies hold the plugins (the host package: the server, the CLI). */
  hostDirs?: string[];
}

export interface WorkerEngineOptions extends EngineServiceOptions {
  /** Worker threads in the pool; default: the number of CPUs minus one (at least 1). */
  maxWorkers?: number;
}

/** An engine service that owns resources: call `terminate` when done with it. */
export type EngineHandle = EngineService & { terminate(): Promise<void> };

/** Running from TypeScript sources (tsx, vitest): the worker must be started through the tsx shim. */
const fromSource = import.meta.url.endsWith('.ts');

/**
 * The engine service on a pool of worker threads: search (`propose`) and pruning (`prune`) run off
 * the caller's event loop, so a slow GP fit never blocks an HTTP server. Plugins are resolved here,
 * on the main thread, and imported by URL in the workers; configs, runs and results cross as JSON
 * text (see `engine-wire.ts`). A plugin's error comes back as a BroomError with its message; a
 * crashed worker is replaced by the pool and its task fails with a BroomError. workerpool is loaded
 * on the first call, so importing `@broom/core` does not pay for it.
 */
export function createWorkerEngine(opts: WorkerEngineOptions = {}): EngineHandle {
  const plugins = new EnginePlugins(opts.hostDirs);
  let pool: Promise<Pool> | undefined;
  let terminated = false;

  async function run<T>(method: 'propose' | 'prune', task: ProposeTask | PruneTask): Promise<T> {
    if (terminated) throw new BroomError('engine-terminated', engineMessages.terminated());
    pool ??= startPool(opts.maxWorkers);
    let text: string;
    try {
      text = (await (await pool).exec(method, [encode(task)])) as string;
    } catch (error) {
      throw new BroomError('engine-worker-failed', engineMessages.workerFailed({ reason: poolFailure(error) }), { method }, { cause: error });
    }
    return unwrapReply<T>(text);
  }

  return {
    async propose(config: SweepConfig, runs: readonly Run[], count: number, seed: number, call: EngineCallOptions = {}): Promise<Proposal[]> {
      const study = plugins.study(config, call);
      return run('propose', { method: plugins.search(config, call.configDir, study), config, runs, count, seed, study });
    },
    async prune(config: SweepConfig, runs: readonly Run[], call: EngineCallOptions = {}): Promise<PrunerResult> {
      const study = plugins.study(config, call);
      const pruner = plugins.pruner(config, call.configDir, study);
      if (!pruner) return { stop: [], info: {} };
      return run('prune', { pruner, config, runs, study });
    },
    async terminate(): Promise<void> {
      terminated = true;
      if (pool) await (await pool).terminate();
    },
  };
}

async function startPool(maxWorkers?: number): Promise<Pool> {
  const workerpool = await import('workerpool');
  const script = fileURLToPath(new URL(fromSource ? './engine-worker.mjs' : './engine-worker.js', import.meta.url));
  return workerpool.pool(script, {
    workerType: 'thread',
    maxWorkers: maxWorkers ?? Math.max(1, availableParallelism() - 1),
    // From sources, workspace packages (core, the plugins) must resolve to src/ in the worker too.
    ...(fromSource ? { workerThreadOpts: { execArgv: ['--conditions=source'] } } : {}),
  });
}

/** workerpool's message for a failed task, on one line: `Workerpool Worker terminated Unexpectedly (exit code 3)`. */
function poolFailure(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const [first] = text.split('\n');
  const exit = /exitCode: `(-?\d+)`/.exec(text)?.[1];
  return exit === undefined ? first : `${first} (exit code ${exit})`;
}
