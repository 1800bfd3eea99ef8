import type { SweepConfig } from '../../common/config/types.js';
import type { Proposal, Run } from '../../common/engine/run.js';
import type { PrunerResult } from '../../common/plugin/contracts.js';
import type { EngineCallOptions } from '../../common/scheduler/scheduler-types.js';
import { EnginePlugins, runPropose, runPrune } from './engine-tasks.js';
import type { EngineHandle, EngineServiceOptions } from './worker-engine.js';

/**
 * The engine service on the caller's thread: the same resolution, plugins and errors as
 * `createWorkerEngine`, without the pool (for tests, the CLI, and hosts with nothing else to do).
 */
export function createInProcessEngine(opts: EngineServiceOptions = {}): EngineHandle {
  const plugins = new EnginePlugins(opts.hostDirs);
  return {
    async propose(config: SweepConfig, runs: readonly Run[], count: number, seed: number, call: EngineCallOptions = {}): Promise<Proposal[]> {
      const study = plugins.study(config, call);
      return runPropose({ method: plugins.search(config, call.configDir, study), config, runs, count, seed, study });
    },
    async prune(config: SweepConfig, runs: readonly Run[], call: EngineCallOptions = {}): Promise<PrunerResult> {
      const study = plugins.study(config, call);
      const pruner = plugins.pruner(config, call.configDir, study);
      return pruner ? runPrune({ pruner, config, runs, study }) : { stop: [], info: {} };
    },
    async terminate(): Promise<void> {},
  };
}
