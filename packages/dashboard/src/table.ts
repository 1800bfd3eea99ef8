import { fmtValue, runDuration, runMarks } from './format.js';
import type { AgentView, RunView, Value } from './types.js';

/** A run's config with nested parameters flattened to dotted keys (`model.layers`). */
export function flatten(config: Record<string, Value>, prefix = '', out: Record<string, Value> = {}): Record<string, Value> {
  for (const [k, v] of Object.entries(config)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) flatten(v, key, out);
    else out[key] = v;
  }
  return out;
}

export interface Column {
  key: string;
  label: string;
  kind: 'param' | 'metric' | 'meta';
}

/** The table's columns: name, state, every parameter, the metric, every other summary value, duration, agent. */
export function columnsOf(runs: readonly RunView[], metric?: string): Column[] {
  const params = new Set<string>();
  const metrics = new Set<string>();
  for (const r of runs) {
    for (const k of Object.keys(flatten(r.config))) params.add(k);
    for (const [k, v] of Object.entries(r.summary)) {
      if (k.startsWith('_') || (v !== null && typeof v === 'object')) continue;
      metrics.add(k);
    }
  }
  const metricKeys = [...metrics].filter((k) => !params.has(k)).sort();
  if (metric) {
    const i = metricKeys.indexOf(metric);
    if (i > 0) metricKeys.splice(i, 1);
    if (i !== 0) metricKeys.unshift(metric);
  }
  return [
    { key: 'name', label: 'Name', kind: 'meta' },
    { key: 'state', label: 'State', kind: 'meta' },
    ...[...params].sort().map((k) => ({ key: `config.${k}`, label: k, kind: 'param' as const })),
    ...metricKeys.map((k) => ({ key: `summary.${k}`, label: k, kind: 'metric' as const })),
    { key: 'duration', label: 'Duration', kind: 'meta' },
    { key: 'agent', label: 'Agent', kind: 'meta' },
  ];
}

/** The value of a column for a run (what sorting and filtering use). */
export function cellValue(run: RunView, key: string, agents?: ReadonlyMap<string, AgentView>, now = Date.now()): Value | undefined {
  if (key === 'name') return run.name;
  if (key === 'state') return run.state;
  if (key === 'duration') return runDuration(run, now);
  if (key === 'agent') {
    const a = run.agentId ? agents?.get(run.agentId) : undefined;
    return a ? `${a.host}:${a.pid}` : (run.agentId ?? undefined);
  }
  if (key.startsWith('config.')) return flatten(run.config)[key.slice(7)];
  if (key.startsWith('summary.')) return run.summary[key.slice(8)];
  return undefined;
}

export type Op = '=' | '!=' | '>' | '>=' | '<' | '<=' | '~';
export interface Condition {
  key: string;
  op: Op;
  value: string;
}
export interface Filter {
  conditions: Condition[];
  words: string[];
  errors: string[];
}

/**
 * Parse the filter box: `lr>0.01 state=finished adam` is three terms; `key op value` compares a column
 * (keys as in the header: parameter and metric names, name, state, agent, duration in seconds; ops
 * = != > >= < <= and ~ for "contains"); any other word must appear in the run's name, state or agent.
 */
export function parseFilter(text: string, columns: readonly Column[]): Filter {
  const filter: Filter = { conditions: [], words: [], errors: [] };
  const byLabel = new Map(columns.map((c) => [c.label.toLowerCase(), c.key]));
  for (const c of columns) byLabel.set(c.key.toLowerCase(), c.key);
  for (const term of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([^<>=!~]+)(>=|<=|!=|=|>|<|~)(.*)$/.exec(term);
    if (!m) {
      filter.words.push(term.toLowerCase());
      continue;
    }
    const key = byLabel.get(m[1].toLowerCase());
    if (!key) {
      const known = columns.map((c) => c.label).join(', ');
      filter.errors.push(`No column "${m[1]}" (columns: ${known}).`);
      continue;
    }
    filter.conditions.push({ key, op: m[2] as Op, value: m[3] });
  }
  return filter;
}

function compare(a: Value | undefined, op: Op, text: string, key: string): boolean {
  if (a === undefined || a === null) return op === '!=' ? text !== '' : op === '=' && (text === '' || text === 'null');
  const wanted = Number(text);
  // Durations are compared in seconds.
  const actual = key === 'duration' && typeof a === 'number' ? a / 1000 : a;
  if (typeof actual === 'number' && text !== '' && !Number.isNaN(wanted)) {
    switch (op) {
      case '=': return actual === wanted;
      case '!=': return actual !== wanted;
      case '>': return actual > wanted;
      case '>=': return actual >= wanted;
      case '<': return actual < wanted;
      case '<=': return actual <= wanted;
      case '~': return fmtValue(actual).includes(text);
    }
  }
  const s = fmtValue(actual).toLowerCase();
  const t = text.toLowerCase();
  switch (op) {
    case '=': return s === t;
    case '!=': return s !== t;
    case '~': return s.includes(t);
    case '>': return s > t;
    case '>=': return s >= t;
    case '<': return s < t;
    case '<=': return s <= t;
  }
}

export function matches(run: RunView, filter: Filter, agents?: ReadonlyMap<string, AgentView>, now = Date.now()): boolean {
  for (const c of filter.conditions) if (!compare(cellValue(run, c.key, agents, now), c.op, c.value, c.key)) return false;
  if (filter.words.length) {
    const hay = [run.name, run.id, run.state, ...runMarks(run), String(cellValue(run, 'agent', agents) ?? '')].join(' ').toLowerCase();
    for (const w of filter.words) if (!hay.includes(w)) return false;
  }
  return true;
}

/** Sort runs by a column; runs without a value go last whatever the direction. */
export function sortRuns(runs: readonly RunView[], key: string, dir: 1 | -1, agents?: ReadonlyMap<string, AgentView>, now = Date.now()): RunView[] {
  const withValues = runs.map((run) => ({ run, v: cellValue(run, key, agents, now) }));
  withValues.sort((a, b) => {
    const av = a.v;
    const bv = b.v;
    const aMissing = av === undefined || av === null || (typeof av === 'number' && Number.isNaN(av));
    const bMissing = bv === undefined || bv === null || (typeof bv === 'number' && Number.isNaN(bv));
    if (aMissing || bMissing) return aMissing === bMissing ? a.run.number - b.run.number : aMissing ? 1 : -1;
    if (typeof av === 'number' && typeof bv === 'number') return dir * (av - bv) || a.run.number - b.run.number;
    return dir * fmtValue(av).localeCompare(fmtValue(bv), undefined, { numeric: true }) || a.run.number - b.run.number;
  });
  return withValues.map((x) => x.run);
}
