import { isNumeric, pyStr, stringifyJson, toNumber, type RunDetail, type SweepDetail, type Value } from '@broom/core';
import { connect } from '../agent/server-connection.js';
import { sweepPath } from './agent-command.js';

export interface RunsCommandOptions {
  json?: boolean;
  url?: string;
  token?: string;
  project?: string;
  entity?: string;
}

/** `broom runs SWEEP_ID`: the sweep's runs, best first by its metric, as a table (or JSON). */
export async function runsCommand(ref: string, opts: RunsCommandOptions): Promise<number> {
  const id = sweepPath(ref, opts);
  const { client } = await connect({ url: opts.url, token: opts.token, say: (l) => process.stderr.write(`broom: ${l}\n`) });
  const sweep = await client.getSweep(id);
  const { runs } = await client.listRuns(sweep.id);
  const sorted = sortRuns(runs, sweep);
  if (opts.json) {
    process.stdout.write(`${stringifyJson(sorted, 2)}\n`);
    return 0;
  }
  const metric = sweep.metric?.name;
  if (runs.length === 0) {
    process.stdout.write(`Sweep ${sweep.id} (${sweep.state}) has no runs yet. Start an agent: broom agent ${sweep.id}\n`);
    return 0;
  }
  const header = ['NAME', 'STATE', 'PARAMETERS', ...(metric ? [metric.toUpperCase()] : [])];
  const rows = sorted.map((r) => [
    r.name,
    r.superseded ? `${r.state} (retried)` : r.state,
    formatParams(r.config),
    ...(metric ? [formatMetric(metricValue(r, metric))] : []),
  ]);
  process.stdout.write(table(header, rows));
  const counts = Object.entries(sweep.runCounts)
    .filter(([, n]) => n)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ');
  const best = sweep.bestRun && metric ? `; best ${sweep.bestRun.name} ${metric}=${formatMetric(sweep.bestRun.value)} (${sweep.metric?.goal})` : '';
  process.stdout.write(`Sweep ${sweep.id} (${sweep.state}): ${runs.length} run${runs.length === 1 ? '' : 's'} (${counts})${best}\n`);
  return 0;
}

function metricValue(run: RunDetail, metric: string): number | undefined {
  const v = run.summary?.[metric];
  return isNumeric(v) && Number.isFinite(toNumber(v)) ? toNumber(v) : undefined;
}

/** Runs with a value of the metric first, best first (by the goal); the others after, in creation order. */
export function sortRuns(runs: readonly RunDetail[], sweep: Pick<SweepDetail, 'metric'>): RunDetail[] {
  const metric = sweep.metric;
  if (!metric) return [...runs];
  const sign = metric.goal === 'maximize' ? -1 : 1;
  return runs
    .map((run, index) => ({ run, index, value: metricValue(run, metric.name) }))
    .sort((a, b) => {
      if (a.value === undefined || b.value === undefined) return a.value === undefined ? (b.value === undefined ? a.index - b.index : 1) : -1;
      return sign * (a.value - b.value) || a.index - b.index;
    })
    .map((x) => x.run);
}

function formatParams(config: Record<string, Value>): string {
  return Object.entries(config)
    .map(([k, v]) => `${k}=${pyStr(v)}`)
    .join(' ');
}

export function formatMetric(v: number | undefined): string {
  if (v === undefined) return '-';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** A plain text table: columns padded to their widest cell, two spaces apart. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
