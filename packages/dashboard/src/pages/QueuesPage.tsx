import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { ErrorBox, Section } from '../components/bits.js';
import { fmtAgo, fmtDuration, fmtTime } from '../format.js';
import { useNow } from '../hooks.js';
import { runHref, sweepHref } from '../router.js';
import type { ItemState, QueueDetail, QueueSummary } from '../types.js';

const ITEM_COLORS: Record<ItemState, string> = {
  queued: '#9aa4b2',
  claimed: '#9a6700',
  running: '#1f6feb',
  finished: '#2da44e',
  failed: '#cf222e',
  stopped: '#8250df',
  canceled: '#6e7781',
};
const ORDER: ItemState[] = ['queued', 'claimed', 'running', 'finished', 'failed', 'stopped', 'canceled'];
const PRIORITY = ['critical', 'high', 'medium', 'low'];
/** Queues change at the pace of launch agents' polls: the page reads them again every few seconds. */
const REFRESH_MS = 3000;

/** Sweeps on Launch: the queues, their items and the launch agents that poll them. */
export function QueuesPage({ name }: { name?: string }) {
  const [queues, setQueues] = useState<QueueSummary[] | undefined>();
  const [detail, setDetail] = useState<QueueDetail | undefined>();
  const [error, setError] = useState<string | undefined>();
  const now = useNow(REFRESH_MS);
  useEffect(() => {
    let stopped = false;
    (async () => {
      try {
        const list = await api<{ queues: QueueSummary[] }>('GET', '/queues');
        const selected = name ?? list.queues[0]?.name;
        const d = selected ? await api<QueueDetail>('GET', `/queues/${encodeURIComponent(selected)}`) : undefined;
        if (stopped) return;
        setQueues(list.queues);
        setDetail(d);
        setError(undefined);
      } catch (e) {
        if (stopped) return;
        setError(e instanceof ApiError && e.code === 'no-route' ? 'This server has no queues (Sweeps on Launch is not part of this broom).' : (e as Error).message);
      }
    })();
    return () => {
      stopped = true;
    };
  }, [name, now]);

  if (error) return <ErrorBox message={error} />;
  if (!queues) return <p class="muted">Loading queues…</p>;
  return (
    <div class="page" data-testid="queues-page">
      <div class="page-head">
        <h1>Queues and launch agents</h1>
      </div>
      {queues.length === 0 ? (
        <p class="empty">
          No queues yet. A launch sweep makes its queue: <code>broom launch-sweep sweep.yaml --queue gpu</code>, and <code>broom launch-agent --queue gpu</code> runs its items.
        </p>
      ) : (
        <Section title="Queues" id="queues">
          <table class="grid" data-testid="queues-table">
            <thead>
              <tr>
                <th>Queue</th>
                <th>Items</th>
                <th>Launch agents</th>
                <th>Created</th>
              </tr>
            </thead>
            <tbody>
              {queues.map((q) => (
                <tr key={q.name} data-queue={q.name} class={detail?.name === q.name ? 'selected' : ''}>
                  <td>
                    <a href={`#/queues/${encodeURIComponent(q.name)}`} class="strong">
                      {q.name}
                    </a>
                    {q.description && <div class="muted small">{q.description}</div>}
                  </td>
                  <td>
                    <ItemCounts counts={q.counts} />
                  </td>
                  <td>{q.agents}</td>
                  <td title={fmtTime(q.createdAt)}>{fmtAgo(q.createdAt, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      )}
      {detail && (
        <>
          <Section title={`Items of ${detail.name}`} id="queue-items">
            {detail.items.length === 0 ? (
              <p class="muted">The queue is empty.</p>
            ) : (
              <div class="scroll-x">
                <table class="grid" data-testid="items-table">
                  <thead>
                    <tr>
                      <th>Item</th>
                      <th>Kind</th>
                      <th>State</th>
                      <th>Priority</th>
                      <th>Sweep / run</th>
                      <th>Resource</th>
                      <th>Launch agent</th>
                      <th>Queued</th>
                      <th>Duration</th>
                      <th>Message</th>
                    </tr>
                  </thead>
                  <tbody>
                    {detail.items.map((it) => (
                      <tr key={it.id} data-item={it.id} data-state={it.state}>
                        <td>{it.id}</td>
                        <td>{it.kind}</td>
                        <td>
                          <span class="badge" style={{ background: ITEM_COLORS[it.state] }}>
                            {it.state}
                          </span>
                          {it.stopRequested && <span class="mark mark-stopped" title={it.stopReason}>stop asked</span>}
                        </td>
                        <td>{PRIORITY[it.priority] ?? it.priority}</td>
                        <td>
                          {it.sweepId && <a href={sweepHref(it.sweepId)}>{it.sweepId}</a>}
                          {it.runId && (
                            <>
                              {' / '}
                              <a href={runHref(it.runId)}>{it.spec.runName ?? it.runId}</a>
                            </>
                          )}
                        </td>
                        <td>
                          {it.resource}
                          {it.jobId && <span class="muted small"> job {it.jobId}</span>}
                        </td>
                        <td>{it.launchAgentId ?? ''}</td>
                        <td title={fmtTime(it.createdAt)}>{fmtAgo(it.createdAt, now)}</td>
                        <td class="num">{it.startedAt ? fmtDuration((it.endedAt ? new Date(it.endedAt).getTime() : now) - new Date(it.startedAt).getTime()) : ''}</td>
                        <td class="small">{it.message ?? (it.exitCode !== undefined && it.exitCode !== null ? `exit code ${it.exitCode}` : '')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>
          <Section title={`Launch agents polling ${detail.name}`} id="launch-agents">
            {detail.launchAgents.length === 0 ? (
              <p class="muted">
                None. Start one: <code>broom launch-agent --queue {detail.name}</code>
              </p>
            ) : (
              <table class="grid" data-testid="launch-agents-table">
                <thead>
                  <tr>
                    <th>Agent</th>
                    <th>Host</th>
                    <th>PID</th>
                    <th>Queues</th>
                    <th>Max jobs</th>
                    <th>Max schedulers</th>
                    <th>State</th>
                    <th>Last heartbeat</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.launchAgents.map((a) => (
                    <tr key={a.id} data-agent={a.id}>
                      <td>{a.id}</td>
                      <td>{a.host}</td>
                      <td>{a.pid}</td>
                      <td>{a.queues.join(', ')}</td>
                      <td>{a.maxJobs === -1 ? 'unlimited' : a.maxJobs}</td>
                      <td>{a.maxSchedulers === -1 ? 'unlimited' : a.maxSchedulers}</td>
                      <td>{a.state}</td>
                      <td title={fmtTime(a.heartbeatAt)}>{fmtAgo(a.heartbeatAt, now)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Section>
        </>
      )}
    </div>
  );
}

function ItemCounts({ counts }: { counts: Partial<Record<ItemState, number>> }) {
  const entries = ORDER.filter((s) => counts[s]);
  if (entries.length === 0) return <span class="muted">empty</span>;
  return (
    <span class="counts">
      {entries.map((s) => (
        <span key={s} class="count" style={{ borderColor: ITEM_COLORS[s] }}>
          <span class="dot" style={{ background: ITEM_COLORS[s] }} />
          {counts[s]} {s}
        </span>
      ))}
    </span>
  );
}
