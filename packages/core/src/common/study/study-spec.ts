import type { SweepConfig } from '../config/types.js';
import { SearchError } from '../errors/broom-error.js';
import type { StudyDirection } from '../plugin/sampler.js';
import { schedulerJobName } from '../scheduler/wandb-jobs.js';
import { isRecord } from '../values.js';

/** A plugin named in `scheduler.settings` as Optuna writes it: `{type: TPESampler, args: {...}}`. */
export interface StudyPluginRef {
  type: string;
  args: Record<string, unknown>;
}

/** One objective of the study: the metric it reads and its direction. */
export interface StudyObjective {
  name: string;
  goal: StudyDirection;
}

/**
 * How a sweep is searched as an Optuna study (`scheduler.job: optuna`): the sampler proposes each
 * run, the pruner judges running runs, over one or several objectives. Plain data, so it crosses
 * to a worker thread.
 */
export interface StudySpec {
  sampler: StudyPluginRef;
  /** `null`: never prune (`NopPruner` without loading anything). */
  pruner: StudyPluginRef | null;
  objectives: StudyObjective[];
  /**
   * The study's name (W&B's Optuna scheduler names it `optuna-study-<sweep id>`): HyperbandPruner
   * hashes it to place trials in brackets. Absent: `optuna-study-` plus the sweep config's `name`.
   */
  name?: string;
}

/** The scheduler aliases and package that make a sweep an Optuna study for the stateless engine. */
export const STUDY_SCHEDULERS: ReadonlySet<string> = new Set(['optuna', '@broom/scheduler-optuna']);

/** Optuna's defaults when `settings` names none (W&B logs "defaulting to TPESampler/MedianPruner"). */
export const DEFAULT_SAMPLER: StudyPluginRef = { type: 'TPESampler', args: {} };
export const DEFAULT_PRUNER: StudyPluginRef = { type: 'MedianPruner', args: {} };

/** `method` is where W&B moves a `method:` other than custom when `scheduler.job` is set; it is ignored. */
export const STUDY_SETTINGS_KEYS = ['sampler', 'pruner', 'metrics', 'method'];

function fail(key: string, problem: string): never {
  throw new SearchError('study-settings', `scheduler.settings.${key}: ${problem}`, { key: `scheduler.settings.${key}` });
}

function pluginRef(value: unknown, key: string): StudyPluginRef {
  if (typeof value === 'string' && value !== '') return { type: value, args: {} };
  if (!isRecord(value)) fail(key, `must be {type: <name>, args: {...}}, for example {type: TPESampler, args: {n_startup_trials: 10}}, but got ${JSON.stringify(value)}`);
  for (const k of Object.keys(value)) {
    if (k !== 'type' && k !== 'args') fail(`${key}.${k}`, 'unknown key; a plugin is named by `type` and configured by `args`');
  }
  if (typeof value.type !== 'string' || value.type === '') fail(`${key}.type`, `must name a ${key} plugin (an Optuna class name such as ${key === 'sampler' ? 'TPESampler' : 'PercentilePruner'}, a path or a package), but got ${JSON.stringify(value.type)}`);
  const args = value.args ?? {};
  if (!isRecord(args)) fail(`${key}.args`, `must be a mapping of the plugin's arguments, but got ${JSON.stringify(args)}`);
  return { type: value.type, args: args as Record<string, unknown> };
}

function objectives(config: SweepConfig, settings: Record<string, unknown>): StudyObjective[] {
  const list: unknown = settings.metrics ?? config.metrics;
  if (list !== undefined) {
    const key = settings.metrics !== undefined ? 'metrics' : '';
    const where = (i: number, k: string) => (key ? `${key}[${i}].${k}` : `(top-level metrics[${i}].${k})`);
    if (!Array.isArray(list) || list.length === 0) fail('metrics', `must be a non-empty list of {name, goal}, but got ${JSON.stringify(list)}`);
    return list.map((m, i) => {
      if (!isRecord(m) || typeof m.name !== 'string' || m.name === '') fail(where(i, 'name'), 'each objective needs a metric `name`');
      if (m.goal !== 'minimize' && m.goal !== 'maximize') fail(where(i, 'goal'), `must be minimize or maximize, but got ${JSON.stringify(m.goal)}`);
      return { name: m.name, goal: m.goal };
    });
  }
  if (config.metric) return [{ name: config.metric.name, goal: config.metric.goal }];
  throw new SearchError(
    'study-metric',
    'The optuna scheduler needs an objective: set `metric: {name, goal}` (one objective) or `metrics: [{name, goal}, ...]` (several).',
    {},
  );
}

/**
 * The study of a sweep whose `scheduler.job` is the Optuna scheduler, from `scheduler.settings`
 * (`sampler`, `pruner`, `metrics`); `null` for any other sweep. `force` reads the settings whatever
 * `scheduler.job` says (a subclass of the Optuna scheduler loaded by path).
 */
export function studyFromConfig(config: SweepConfig, force = false): StudySpec | null {
  const job = config.scheduler?.job;
  if (!force && (job === undefined || !STUDY_SCHEDULERS.has(schedulerJobName(job)))) return null;
  const settings = (config.scheduler?.settings ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(settings)) {
    if (k === 'optuna_source' || k === 'optuna_source_filename') {
      fail(k, 'is not supported: broom runs no Python study module. Name the sampler and pruner in `sampler: {type, args}` and `pruner: {type, args}` instead.');
    }
    if (!STUDY_SETTINGS_KEYS.includes(k)) fail(k, `unknown key; the optuna scheduler takes ${STUDY_SETTINGS_KEYS.map((s) => `\`${s}\``).join(', ')}`);
  }
  const sampler = settings.sampler === undefined ? DEFAULT_SAMPLER : pluginRef(settings.sampler, 'sampler');
  let pruner: StudyPluginRef | null = settings.pruner === undefined ? DEFAULT_PRUNER : settings.pruner === null ? null : pluginRef(settings.pruner, 'pruner');
  if (pruner?.type === 'NopPruner' && Object.keys(pruner.args).length === 0) pruner = null;
  const objs = objectives(config, settings);
  if (objs.length > 1 && pruner !== null) {
    if (settings.pruner !== undefined) fail('pruner', `cannot prune a study with ${objs.length} objectives (Optuna prunes single-objective studies only); remove \`pruner\` or use one metric`);
    pruner = null; // Optuna's default MedianPruner never acts on a multi-objective study.
  }
  return { sampler, pruner, objectives: objs };
}
