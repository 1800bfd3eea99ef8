import { stringifyJson } from '@broom/core';
import { LaunchClient, type QueueSummary } from '@broom/server/client';
import { connect } from '../agent/server-connection.js';
import { table } from './runs-command.js';

export interface QueuesCommandOptions {
  json?: boolean;
  url?: string;
  token?: string;
}

const say = (l: string) => process.stderr.write(`broom: ${l}\n`);

/** `broom queues`: every queue with what waits and runs in it, and the launch agents polling it. */
export async function queuesCommand(opts: QueuesCommandOptions): Promise<number> {
  const { client } = await connect({ url: opts.url, token: opts.token, say });
  const { queues } = await new LaunchClient(client).listQueues();
  if (opts.json) {
    process.stdout.write(`${stringifyJson(queues as never, 2)}\n`);
    return 0;
  }
  if (queues.length === 0) {
    process.stdout.write('No queues yet. They are created by `broom launch-agent -q NAME` and `broom launch-sweep -q NAME`.\n');
    return 0;
  }
  const rows = queues.map((q) => [q.name, n(q, 'queued'), String((q.counts.claimed ?? 0) + (q.counts.running ?? 0)), n(q, 'finished'), String((q.counts.failed ?? 0) + (q.counts.stopped ?? 0) + (q.counts.canceled ?? 0)), String(q.agents)]);
  process.stdout.write(table(['QUEUE', 'QUEUED', 'RUNNING', 'FINISHED', 'FAILED/STOPPED', 'AGENTS'], rows));
  return 0;
}

/** `broom queue NAME`: the items of a queue in claim order (what waits, what runs, what ended). */
export async function queueCommand(name: string, opts: QueuesCommandOptions & { all?: boolean }): Promise<number> {
  const { client } = await connect({ url: opts.url, token: opts.token, say });
  const q = await new LaunchClient(client).getQueue(name);
  if (opts.json) {
    process.stdout.write(`${stringifyJson(q as never, 2)}\n`);
    return 0;
  }
  const ended = new Set(['finished', 'failed', 'stopped', 'canceled']);
  const items = opts.all ? q.items : q.items.filter((i) => !ended.has(i.state));
  const agents = q.launchAgents.map((a) => `${a.id} (${a.host}, pid ${a.pid})`).join(', ') || 'none';
  const endedCount = q.items.filter((i) => ended.has(i.state)).length;
  process.stdout.write(`Queue ${q.name}: ${n(q, 'queued')} queued, ${(q.counts.claimed ?? 0) + (q.counts.running ?? 0)} running, ${endedCount} ended${opts.all || endedCount === 0 ? '' : ' (shown with --all)'}; launch agents: ${agents}\n`);
  if (items.length === 0) return 0;
  const rows = items.map((i) => [
    i.id, i.kind, i.state, PRIORITY[i.priority] ?? String(i.priority), i.sweepId ?? '-', i.runId ?? '-', i.resource, i.launchAgentId ?? '-',
    i.createdAt.replace('T', ' ').slice(0, 19), i.message ?? '',
  ]);
  process.stdout.write(table(['ITEM', 'KIND', 'STATE', 'PRIORITY', 'SWEEP', 'RUN', 'RESOURCE', 'AGENT', 'CREATED', 'MESSAGE'], rows));
  return 0;
}

const PRIORITY = ['critical', 'high', 'medium', 'low'];

function n(q: QueueSummary, state: keyof QueueSummary['counts']): string {
  return String(q.counts[state] ?? 0);
}
