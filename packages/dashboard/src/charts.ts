import { fmtNumber, runMarks } from './format.js';
import { flatten } from './table.js';
import type { Goal, Row, RunState, RunView, Value } from './types.js';

export const STATE_COLORS: Record<RunState, string> = {
  pending: '#9aa4b2',
  running: '#1f6feb',
  finished: '#2da44e',
  failed: '#cf222e',
  crashed: '#bc4c00',
  killed: '#8250df',
  preempted: '#9a6700',
  preempting: '#9a6700',
};

/** A chart's option plus how much it shows (for the page's counters and the tests). */
export interface ChartData {
  option: Record<string, unknown>;
  series: number;
  points: number;
  note?: string;
}

const finite = (v: Value | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** The step of a history row: its `_step` when it has one, else its index. */
function stepOf(row: Row, index: number): number {
  return finite(row._step) ? row._step : index;
}

const BASE = { animation: false, textStyle: { fontFamily: 'inherit' } };

/** The most runs drawn as lines at once; past it, the running ones and the best ones are drawn. */
export const MAX_LINES = 300;

/** Pick which runs get a line: all when few; else every running run, then the best by the metric. */
export function runsToDraw(runs: readonly RunView[], metric: string, goal: Goal, max = MAX_LINES): RunView[] {
  if (runs.length <= max) return [...runs];
  const running = runs.filter((r) => r.state === 'running');
  const rest = runs
    .filter((r) => r.state !== 'running' && finite(r.summary[metric]))
    .sort((a, b) => (goal === 'minimize' ? 1 : -1) * ((a.summary[metric] as number) - (b.summary[metric] as number)));
  return [...running, ...rest].slice(0, max);
}

/** The metric of every run over its steps: one line per run, coloured by state, dashed when pruned. */
export function metricOverSteps(runs: readonly RunView[], history: ReadonlyMap<string, Row[]>, metric: string, goal: Goal): ChartData {
  const drawn = runsToDraw(runs, metric, goal);
  let points = 0;
  const series = drawn.map((r) => {
    const rows = history.get(r.id) ?? [];
    const data: Array<[number, number]> = [];
    rows.forEach((row, i) => {
      if (row && finite(row[metric])) data.push([stepOf(row, i), row[metric] as number]);
    });
    points += data.length;
    const pruned = runMarks(r).includes('pruned');
    return {
      type: 'line',
      name: r.name,
      data,
      showSymbol: data.length < 30,
      symbolSize: 4,
      sampling: 'lttb',
      lineStyle: { width: r.state === 'running' ? 2 : 1.2, type: pruned ? 'dashed' : 'solid', opacity: 0.85 },
      itemStyle: { color: STATE_COLORS[r.state] ?? '#888' },
      emphasis: { focus: 'series' },
    };
  });
  return {
    series: series.length,
    points,
    ...(drawn.length < runs.length ? { note: `Showing ${drawn.length} of ${runs.length} runs: the running ones and the best.` } : {}),
    option: {
      ...BASE,
      grid: { left: 56, right: 16, top: 16, bottom: 40 },
      tooltip: { trigger: 'item', valueFormatter: (v: number) => fmtNumber(v) },
      xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
      yAxis: { type: 'value', name: metric, scale: true },
      dataZoom: [{ type: 'inside' }],
      series,
    },
  };
}

/** Each run's metric by run number, with the best so far as a step line. */
export function bestSoFar(runs: readonly RunView[], metric: string, goal: Goal): ChartData {
  const ordered = [...runs].sort((a, b) => a.number - b.number);
  const scatter: Array<{ value: [number, number]; name: string; itemStyle: { color: string } }> = [];
  const best: Array<[number, number]> = [];
  let current: number | undefined;
  for (const r of ordered) {
    const v = r.summary[metric];
    if (!finite(v) || r.superseded) continue;
    scatter.push({ value: [r.number + 1, v], name: r.name, itemStyle: { color: STATE_COLORS[r.state] ?? '#888' } });
    if (r.state === 'finished' || r.state === 'running' || r.state === 'killed') {
      if (current === undefined || (goal === 'minimize' ? v < current : v > current)) current = v;
    }
    if (current !== undefined) best.push([r.number + 1, current]);
  }
  return {
    series: 2,
    points: scatter.length,
    option: {
      ...BASE,
      grid: { left: 56, right: 16, top: 28, bottom: 40 },
      legend: { data: ['run', `best ${metric}`], top: 0 },
      tooltip: { trigger: 'item', formatter: (p: { name: string; value: [number, number]; seriesName: string }) => `${p.seriesName === 'run' ? p.name : p.seriesName}<br/>run #${p.value[0]}: ${fmtNumber(p.value[1])}` },
      xAxis: { type: 'value', name: 'run', nameLocation: 'middle', nameGap: 24, minInterval: 1 },
      yAxis: { type: 'value', name: metric, scale: true },
      series: [
        { type: 'scatter', name: 'run', data: scatter, symbolSize: 7 },
        { type: 'line', name: `best ${metric}`, data: best, step: 'end', showSymbol: false, lineStyle: { width: 2, color: '#e36209' }, itemStyle: { color: '#e36209' } },
      ],
    },
  };
}

/** The sweep config's parameters that are searched (not fixed by `value`), flattened to dotted keys. */
export function searchedParameters(config: Value): string[] {
  const out: string[] = [];
  const walk = (params: Value, prefix: string) => {
    if (!params || typeof params !== 'object' || Array.isArray(params)) return;
    for (const [k, spec] of Object.entries(params)) {
      if (!spec || typeof spec !== 'object' || Array.isArray(spec)) continue;
      const key = prefix ? `${prefix}.${k}` : k;
      if ('parameters' in spec) walk(spec.parameters as Value, key);
      else if (!('value' in spec)) out.push(key);
    }
  };
  if (config && typeof config === 'object' && !Array.isArray(config)) walk((config as Record<string, Value>).parameters, '');
  return out;
}

/** Parameters against the metric: one axis per searched parameter, the metric last, lines coloured by the metric. */
export function parallelCoordinates(runs: readonly RunView[], params: readonly string[], metric: string, goal: Goal): ChartData {
  const withMetric = runs.filter((r) => finite(r.summary[metric]) && !r.superseded);
  const flat = withMetric.map((r) => flatten(r.config));
  const axes: Array<Record<string, unknown>> = params.map((p, dim) => {
    const values = flat.map((f) => f[p]);
    const numeric = values.every((v) => v === undefined || typeof v === 'number');
    if (numeric) {
      const nums = values.filter(finite);
      const lo = Math.min(...nums);
      const hi = Math.max(...nums);
      const log = nums.length > 1 && lo > 0 && hi / lo >= 100;
      return { dim, name: p, type: log ? 'log' : 'value', scale: true };
    }
    const cats = [...new Set(values.map((v) => String(v)))].sort();
    return { dim, name: p, type: 'category', data: cats };
  });
  const metricValues = withMetric.map((r) => r.summary[metric] as number);
  axes.push({ dim: params.length, name: metric, type: 'value', scale: true, nameTextStyle: { fontWeight: 'bold' } });
  const data = withMetric.map((r, i) => {
    const f = flat[i];
    const row = params.map((p, dim) => (axes[dim].type === 'category' ? String(f[p]) : (f[p] ?? null)));
    return { value: [...row, metricValues[i]], name: r.name, lineStyle: runMarks(r).includes('pruned') ? { type: 'dashed' } : undefined };
  });
  const lo = Math.min(...metricValues);
  const hi = Math.max(...metricValues);
  return {
    series: 1,
    points: data.length,
    option: {
      ...BASE,
      parallel: { left: 48, right: 96, top: 36, bottom: 24, parallelAxisDefault: { nameLocation: 'start', nameGap: 16, nameTextStyle: { fontSize: 12 } } },
      parallelAxis: axes.map((a) => ({ ...a, nameLocation: 'end' })),
      visualMap: data.length
        ? {
            type: 'continuous',
            min: lo,
            max: hi === lo ? lo + 1 : hi,
            dimension: params.length,
            // The best runs in warm colours: low values for minimize, high for maximize.
            inRange: { color: goal === 'minimize' ? ['#d73027', '#fdae61', '#abd9e9', '#4575b4'] : ['#4575b4', '#abd9e9', '#fdae61', '#d73027'] },
            right: 8,
            top: 'middle',
            calculable: true,
            text: [fmtNumber(hi), fmtNumber(lo)],
          }
        : undefined,
      tooltip: { trigger: 'item', formatter: (p: { name: string }) => p.name },
      series: [{ type: 'parallel', data, lineStyle: { width: 1.5, opacity: 0.7 }, emphasis: { lineStyle: { width: 3, opacity: 1 } } }],
    },
  };
}

/** Every numeric key of a run's history over steps, one chart each (the run page). */
export function historyKeys(rows: readonly Row[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const [k, v] of Object.entries(row ?? {})) if (typeof v === 'number' && !k.startsWith('_')) keys.add(k);
  return [...keys].sort();
}

export function singleSeries(rows: readonly Row[], key: string, color = '#1f6feb'): ChartData {
  const data: Array<[number, number]> = [];
  rows.forEach((row, i) => {
    if (row && finite(row[key])) data.push([stepOf(row, i), row[key] as number]);
  });
  return {
    series: 1,
    points: data.length,
    option: {
      ...BASE,
      grid: { left: 52, right: 12, top: 12, bottom: 28 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => fmtNumber(v) },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: { type: 'value', scale: true },
      series: [{ type: 'line', name: key, data, showSymbol: data.length < 30, lineStyle: { color }, itemStyle: { color } }],
    },
  };
}
