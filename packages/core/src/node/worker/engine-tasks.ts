import { requireRunPruner } from '../../common/plugin/run-pruner.js';
import type { SweepConfig } from '../../common/config/types.js';
import type { Proposal, Run } from '../../common/engine/run.js';
import { BroomError, SearchError } from '../../common/errors/broom-error.js';
import { messages } from '../../common/errors/messages.js';
import type { PrunerResult } from '../../common/plugin/contracts.js';
import type { EngineCallOptions } from '../../common/scheduler/scheduler-types.js';
import { studyFromConfig, type StudySpec } from '../../common/study/study-spec.js';
import { proposeWith } from '../engine/engine.js';
import { PRUNER_KEY, SAMPLER_KEY, studyPruner, studySearch } from '../engine/study-plugins.js';
import { importPlugin, instantiatePlugin, resolvePlugin, type ResolvedPlugin } from '../plugin/plugin-loader.js';
import { engineMessages } from './engine-messages.js';

/**
 * The engine's work as plain data in, plain data out: what crosses to a worker thread (serialised
 * with `stringifyJson`) and what the in-process engine runs directly. Plugins arrive resolved to a
 * file URL: resolution happens once, on the main thread.
 */
export interface ProposeTask {
  /** The search method, or the study's sampler when `study` is set. */
  method: ResolvedPlugin;
  study?: StudySpec | null;
  config: SweepConfig;
  runs: readonly Run[];
  count: number;
  seed: number;
}

export interface PruneTask {
  /** The `early_terminate` pruner, or the study's pruner when `study` is set. */
  pruner: ResolvedPlugin;
  study?: StudySpec | null;
  config: SweepConfig;
  runs: readonly Run[];
}

/** `proposeWith(loadSearchMethod(...))`, on a plugin resolved elsewhere. */
export async function runPropose(task: ProposeTask): Promise<Proposal[]> {
  return asPluginError(task.method, async () => {
    if (task.study) return proposeWith(await studySearch(task.method, task.study), task.config, task.runs, task.count, task.seed);
    const plugin = await importPlugin(task.method as ResolvedPlugin & { kind: 'search' }, 'method');
    const method = instantiatePlugin(plugin, undefined, 'method');
    const problems = method.check?.(task.config) ?? [];
    if (problems.length > 0) {
      throw new SearchError('search-refused', messages.searchRefused({ method: task.config.method, problems }), { problems });
    }
    return proposeWith(method, task.config, task.runs, task.count, task.seed);
  });
}

/** The pruner's `evaluate`, on a plugin resolved elsewhere. */
export async function runPrune(task: PruneTask): Promise<PrunerResult> {
  return asPluginError(task.pruner, async () => {
    if (task.study) return (await studyPruner(task.pruner, task.study)).evaluate(task.config, task.runs);
    const plugin = await importPlugin(task.pruner as ResolvedPlugin & { kind: 'pruner' }, 'early_terminate.type');
    const pruner = instantiatePlugin(plugin, undefined, 'early_terminate.type');
    return requireRunPruner(pruner, task.pruner.name).evaluate(task.config, task.runs);
  });
}

/**
 * Resolves the plugins a sweep config names, on the main thread, once per name: the worker gets
 * URLs. Failures are not cached (a plugin installed later is found on the next call).
 */
export class EnginePlugins {
  private readonly cache = new Map<string, ResolvedPlugin>();

  constructor(private readonly hostDirs: readonly string[] = []) {}

  /** The study a call searches: the one it names, else the one `scheduler.job: optuna` implies. */
  study(config: SweepConfig, call: EngineCallOptions = {}): StudySpec | null {
    return call.study !== undefined ? call.study : studyFromConfig(config);
  }

  /** The search method of `method:` (`method: custom` has none), or the study's sampler. */
  search(config: SweepConfig, configDir?: string, study?: StudySpec | null): ResolvedPlugin {
    if (study) return this.resolve(study.sampler.type, 'sampler', `${SAMPLER_KEY}.type`, configDir);
    if (config.method === 'custom') throw new SearchError('custom-method', engineMessages.customMethod(), {});
    return this.resolve(config.method, 'search', 'method', configDir);
  }

  /** The pruner of `early_terminate.type` (or the study's), or null when the sweep has none. */
  pruner(config: SweepConfig, configDir?: string, study?: StudySpec | null): ResolvedPlugin | null {
    if (study) return study.pruner ? this.resolve(study.pruner.type, 'pruner', `${PRUNER_KEY}.type`, configDir) : null;
    const type = config.early_terminate?.type;
    return type ? this.resolve(type, 'pruner', 'early_terminate.type', configDir) : null;
  }

  private resolve(name: string, kind: 'search' | 'pruner' | 'sampler', key: string, configDir: string | undefined): ResolvedPlugin {
    // The same name may mean another file (or package) for another sweep's config directory.
    const id = `${kind}:${configDir ?? ''}:${name}`;
    let resolved = this.cache.get(id);
    if (!resolved) {
      resolved = resolvePlugin(name, kind, { hostDirs: this.hostDirs, key, ...(configDir !== undefined ? { configDir } : {}) });
      this.cache.set(id, resolved);
    }
    return resolved;
  }
}

/** Any error that is not already a BroomError becomes one that names the plugin and keeps its message. */
async function asPluginError<T>(plugin: ResolvedPlugin, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BroomError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new BroomError('plugin-failed', engineMessages.pluginFailed({ kind: plugin.kind, name: plugin.name, reason }), {
      name: plugin.name,
      kind: plugin.kind,
    }, { cause: error });
  }
}
