import { stringifyJson, type SweepSummary } from '@broom/core';
import { connect } from '../agent/server-connection.js';
import { formatMetric, table } from './runs-command.js';

export interface SweepsCommandOptions {
  json?: boolean;
  url?: string;
  token?: string;
}

/** `broom sweeps`: every sweep on the server, newest first. */
export async function sweepsCommand(opts: SweepsCommandOptions): Promise<number> {
  const { client } = await connect({ url: opts.url, token: opts.token, say: (l) => process.stderr.write(`broom: ${l}\n`) });
  const { sweeps } = await client.listSweeps();
  if (opts.json) {
    process.stdout.write(`${stringifyJson(sweeps, 2)}\n`);
    return 0;
  }
  if (sweeps.length === 0) {
    process.stdout.write('No sweeps yet. Create one with: broom sweep sweep.yaml\n');
    return 0;
  }
  const rows = sweeps.map((s) => [s.id, s.name, s.state, s.method, runs(s), best(s), s.createdAt.replace('T', ' ').slice(0, 19)]);
  process.stdout.write(table(['ID', 'NAME', 'STATE', 'METHOD', 'RUNS', 'BEST', 'CREATED'], rows));
  return 0;
}

function runs(s: SweepSummary): string {
  const total = Object.values(s.runCounts).reduce((a, n) => a + (n ?? 0), 0);
  const active = (s.runCounts.running ?? 0) + (s.runCounts.pending ?? 0);
  return `${total}${s.expectedRunCount !== null ? `/${s.expectedRunCount}` : ''}${active ? ` (${active} running)` : ''}`;
}

function best(s: SweepSummary): string {
  if (!s.bestRun || !s.metric) return '-';
  return `${s.metric.name}=${formatMetric(s.bestRun.value)} (${s.bestRun.name})`;
}
