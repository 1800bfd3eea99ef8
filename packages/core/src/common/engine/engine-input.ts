import { EngineInputError } from '../errors/broom-error.js';
import { didYouMean } from '../text/did-you-mean.js';
import { isRecord, type Value, type ValueRecord } from '../values.js';
import { RUN_STATES, type Run, type RunState } from './run.js';

const RUN_KEYS = ['name', 'state', 'config', 'history', 'summary', 'stop_reason'];

/** What `broom next-runs` / `stop-runs` read: `{"config": <sweep config>, "runs": [Run]}`. */
export interface EngineInput {
  config: Value;
  runs: Run[];
}

function fail(source: string, key: string, what: string): never {
  throw new EngineInputError('engine-input', `${source}: Key "${key}": ${what}`, { key });
}

function describe(v: Value | undefined): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (isRecord(v)) return 'an object';
  return `${typeof v === 'object' ? 'a number' : typeof v} ${JSON.stringify(v)}`;
}

/** Check the shape of engine input and return it typed; every message names the key path. */
export function readEngineInput(value: Value, source = 'input'): EngineInput {
  if (!isRecord(value)) fail(source, '(top level)', `must be an object {"config": ..., "runs": [...]}, but got ${describe(value)}`);
  for (const key of Object.keys(value)) {
    if (key !== 'config' && key !== 'runs') {
      fail(source, key, `unknown key; the input has "config" and "runs". ${didYouMean(key, ['config', 'runs'])}`.trim());
    }
  }
  if (!('config' in value)) fail(source, 'config', 'missing: the sweep config is required');
  const rawRuns = value.runs ?? [];
  if (!Array.isArray(rawRuns)) fail(source, 'runs', `must be an array of runs, but got ${describe(rawRuns)}`);
  const names = new Set<string>();
  const runs = rawRuns.map((r, i) => {
    const at = `runs[${i}]`;
    if (!isRecord(r)) fail(source, at, `must be an object {"name", "state", "config", "history", "summary"}, but got ${describe(r)}`);
    for (const key of Object.keys(r)) {
      if (!RUN_KEYS.includes(key)) {
        const hint = didYouMean(key, RUN_KEYS);
        fail(source, `${at}.${key}`, `unknown key; a run has name, state, config, history, summary and stop_reason. ${hint}`.trim());
      }
    }
    if (typeof r.name !== 'string' || r.name === '') fail(source, `${at}.name`, `must be a non-empty string, but got ${describe(r.name)}`);
    if (names.has(r.name)) fail(source, `${at}.name`, `"${r.name}" is the name of an earlier run; run names must be unique`);
    names.add(r.name);
    const state = r.state ?? 'finished';
    if (typeof state !== 'string' || !(RUN_STATES as readonly string[]).includes(state)) {
      const hint = typeof state === 'string' ? didYouMean(state, RUN_STATES) : '';
      fail(source, `${at}.state`, `must be one of ${RUN_STATES.map((s) => `"${s}"`).join(', ')}, but got ${describe(state)}. ${hint}`.trim());
    }
    const config = r.config ?? {};
    if (!isRecord(config)) fail(source, `${at}.config`, `must be an object of parameter values, but got ${describe(config)}`);
    const history = r.history ?? [];
    if (!Array.isArray(history)) fail(source, `${at}.history`, `must be an array of metric rows, but got ${describe(history)}`);
    history.forEach((row, j) => {
      if (!isRecord(row)) fail(source, `${at}.history[${j}]`, `must be an object of metric values, but got ${describe(row)}`);
    });
    const summary = r.summary ?? {};
    if (!isRecord(summary)) fail(source, `${at}.summary`, `must be an object of metric values, but got ${describe(summary)}`);
    const stopReason = r.stop_reason;
    if (stopReason !== undefined && typeof stopReason !== 'string') fail(source, `${at}.stop_reason`, `must be a string (e.g. "pruned"), but got ${describe(stopReason)}`);
    return { name: r.name, state: state as RunState, config, history: history as ValueRecord[], summary, ...(stopReason !== undefined ? { stop_reason: stopReason } : {}) };
  });
  return { config: value.config, runs };
}
