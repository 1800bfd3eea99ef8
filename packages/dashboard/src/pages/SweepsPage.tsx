import { useRef } from 'preact/hooks';
import { ErrorBox, LiveDot, RunCounts, SweepStateBadge } from '../components/bits.js';
import { fmtAgo, fmtNumber, fmtTime } from '../format.js';
import { parseEvent, useNow, useStream } from '../hooks.js';
import { sweepHref } from '../router.js';
import type { SweepSummary, SweepsEvent } from '../types.js';

export function SweepsPage() {
  const sweeps = useRef(new Map<string, SweepSummary>()).current;
  const loaded = useRef(false);
  const { status, error } = useStream('/dashboard/events', (e) => {
    if (e.event !== 'sweeps') return;
    const data = parseEvent<SweepsEvent>(e);
    if (!loaded.current) sweeps.clear();
    loaded.current = true;
    for (const s of data.sweeps) sweeps.set(s.id, s);
    for (const id of data.removed ?? []) sweeps.delete(id);
  });
  useNow(10_000);
  if (status === 'retrying') loaded.current = false;
  const list = [...sweeps.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <div class="page">
      <div class="page-head">
        <h1>Sweeps</h1>
        <LiveDot status={status} />
      </div>
      {error && status === 'retrying' && <ErrorBox message={`Live updates interrupted: ${error}. Reconnecting…`} />}
      {list.length === 0 ? (
        <p class="empty" data-testid="no-sweeps">
          {sweeps.size === 0 && status !== 'open' ? 'Loading…' : 'No sweeps yet. Create one with '}
          {status === 'open' && <code>broom sweep sweep.yaml</code>}
        </p>
      ) : (
        <table class="grid" data-testid="sweeps-table">
          <thead>
            <tr>
              <th>Sweep</th>
              <th>State</th>
              <th>Method</th>
              <th>Runs</th>
              <th>Best</th>
              <th>Started</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr key={s.id} data-sweep={s.id}>
                <td>
                  <a href={sweepHref(s.id)} class="strong">
                    {s.name}
                  </a>
                  <div class="muted small">
                    {s.entity ? `${s.entity}/` : ''}
                    {s.project}/{s.id}
                  </div>
                </td>
                <td>
                  <SweepStateBadge state={s.state} />
                  {s.error && <div class="small err-text" title={s.error}>{s.error.slice(0, 80)}</div>}
                </td>
                <td>{s.method}</td>
                <td>
                  <RunCounts counts={s.runCounts} />
                  {s.expectedRunCount !== null && <span class="muted small"> of {s.expectedRunCount}</span>}
                </td>
                <td>
                  {s.bestRun && s.metric ? (
                    <span title={`${s.metric.goal} ${s.metric.name}`}>
                      {s.metric.name} <b>{fmtNumber(s.bestRun.value)}</b> <span class="muted small">({s.bestRun.name})</span>
                    </span>
                  ) : (
                    <span class="muted">{s.metric ? `${s.metric.goal} ${s.metric.name}` : 'no metric'}</span>
                  )}
                </td>
                <td title={fmtTime(s.createdAt)}>{fmtAgo(s.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
