import { fillConfig } from '../../common/config/fill.js';
import type { SweepConfig } from '../../common/config/types.js';
import { SearchError } from '../../common/errors/broom-error.js';
import { messages } from '../../common/errors/messages.js';
import type { Proposal, Run } from '../../common/engine/run.js';
import type { Pruner, PrunerResult, SearchMethod } from '../../common/plugin/contracts.js';
import { requireRunPruner } from '../../common/plugin/run-pruner.js';
import { createRandom, deriveSeed } from '../../common/space/random.js';
import type { Value } from '../../common/values.js';
import { studyFromConfig, type StudySpec } from '../../common/study/study-spec.js';
import { loadPlugin, resolvePlugin, type ResolveOptions } from '../plugin/plugin-loader.js';
import { PRUNER_KEY, SAMPLER_KEY, studyPruner, studySearch } from './study-plugins.js';

export interface EngineOptions extends Pick<ResolveOptions, 'configDir' | 'file' | 'hostDirs'> {
  /** Same input and seed give the same proposals. Without one, proposals are not reproducible. */
  seed?: number | string;
  /**
   * Search the sweep as this Optuna study (sampler, pruner, objectives). By default a sweep whose
   * `scheduler.job` is `optuna` is one, read from `scheduler.settings`.
   */
  study?: StudySpec | null;
}

/** The study a call searches: the one given, else the one the config's `scheduler.job: optuna` implies. */
function studyOf(config: SweepConfig, opts: EngineOptions): StudySpec | null {
  return opts.study !== undefined ? opts.study : studyFromConfig(config);
}

/** Load the search method that `method:` names, through the same resolver third-party plugins use. */
export async function loadSearchMethod(config: SweepConfig, opts: EngineOptions = {}): Promise<SearchMethod> {
  if (config.method === 'custom') throw new SearchError('custom-method', messages.customMethod(), {});
  const { product } = await loadPlugin(config.method, 'search', { ...opts, key: 'method' });
  const problems = product.check?.(config) ?? [];
  if (problems.length > 0) {
    throw new SearchError('search-refused', messages.searchRefused({ method: config.method, problems }), { problems });
  }
  return product;
}

/**
 * Load the study's sampler and pruner as `next-runs` and `stop-runs` would, checking their `args`
 * against each plugin's strict schema (what `broom validate` reports). `null` for a sweep that is not
 * an Optuna study.
 */
export async function loadStudy(
  config: SweepConfig,
  opts: EngineOptions = {},
): Promise<{ study: StudySpec; search: SearchMethod; pruner: Pruner | null } | null> {
  const study = studyOf(config, opts);
  if (!study) return null;
  const search = await studySearch(resolvePlugin(study.sampler.type, 'sampler', { ...opts, key: `${SAMPLER_KEY}.type` }), study);
  const pruner = study.pruner
    ? await studyPruner(resolvePlugin(study.pruner.type, 'pruner', { ...opts, key: `${PRUNER_KEY}.type` }), study)
    : null;
  return { study, search, pruner };
}

/**
 * Propose up to `count` new runs for a sweep, given every run so far (W&B's `next_runs`). Fewer, or
 * none, when the grid is exhausted or `run_cap` is reached. Proposal i is drawn from its own random
 * stream seeded by (seed, number of runs before it), so `count: N` gives the same proposals as N
 * calls with `count: 1`, each with the earlier proposals appended as pending runs.
 */
export async function nextRuns(
  rawConfig: Value,
  runs: readonly Run[],
  count = 1,
  opts: EngineOptions = {},
): Promise<Proposal[]> {
  const config = fillConfig(rawConfig, { file: opts.file });
  const study = studyOf(config, opts);
  const method = study
    ? await studySearch(resolvePlugin(study.sampler.type, 'sampler', { ...opts, key: `${SAMPLER_KEY}.type` }), study)
    : await loadSearchMethod(config, opts);
  return proposeWith(method, config, runs, count, opts.seed);
}

/** The proposal loop on an already loaded method (the scheduler reuses it). */
export async function proposeWith(
  method: SearchMethod,
  config: SweepConfig,
  runs: readonly Run[],
  count: number,
  seed: number | string = Math.floor(Math.random() * 2 ** 32),
): Promise<Proposal[]> {
  const all: Run[] = [...runs];
  const out: Proposal[] = [];
  const cap = config.run_cap ?? Number.POSITIVE_INFINITY;
  while (out.length < count && all.length < cap) {
    const random = createRandom(deriveSeed(seed, all.length));
    const proposal = await method.next({ config, runs: all, random });
    if (proposal === null) break;
    out.push(proposal);
    all.push({ name: `(proposal ${all.length})`, state: 'pending', config: proposal.config, history: [], summary: {} });
  }
  return out;
}

/**
 * The runs to stop (W&B's `stop_runs`): the pruner named by `early_terminate.type` evaluates every
 * run's metric history. `stop` lists names in input order; `info` holds each evaluated run's
 * `early_terminate_info`. Without `early_terminate`, nothing is stopped.
 */
export async function stopRuns(rawConfig: Value, runs: readonly Run[], opts: EngineOptions = {}): Promise<PrunerResult> {
  const config = fillConfig(rawConfig, { file: opts.file });
  const study = studyOf(config, opts);
  if (study) {
    if (!study.pruner) return { stop: [], info: {} };
    const pruner = await studyPruner(resolvePlugin(study.pruner.type, 'pruner', { ...opts, key: `${PRUNER_KEY}.type` }), study);
    return pruner.evaluate(config, runs);
  }
  if (!config.early_terminate) return { stop: [], info: {} };
  const { product } = await loadPlugin(config.early_terminate.type, 'pruner', { ...opts, key: 'early_terminate.type' });
  return requireRunPruner(product, config.early_terminate.type).evaluate(config, runs);
}
