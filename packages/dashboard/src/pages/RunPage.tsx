import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api.js';
import { historyKeys, singleSeries } from '../charts.js';
import { Chart } from '../components/Chart.js';
import { ErrorBox, LiveDot, RunStateBadge, Section } from '../components/bits.js';
import { fmtDuration, fmtTime, fmtValue, runDuration } from '../format.js';
import { parseEvent, useNow, useStream } from '../hooks.js';
import { sweepHref } from '../router.js';
import { flatten } from '../table.js';
import type { LogChunk, Row, RunView, SweepDelta, SweepSnapshot } from '../types.js';

const ACTIVE = new Set(['pending', 'running']);
/** The log view keeps at most this many characters (the tail). */
const MAX_LOG = 512 * 1024;

export function RunPage({ id, focusLog }: { id: string; focusLog: boolean }) {
  const [run, setRun] = useState<RunView | undefined>();
  const [error, setError] = useState<string | undefined>();
  const history = useRef<Row[]>([]);
  const [historyTick, setHistoryTick] = useState(0);

  useEffect(() => {
    setRun(undefined);
    setError(undefined);
    api<RunView>('GET', `/runs/${encodeURIComponent(id)}?history=1`)
      .then((r) => {
        history.current = r.history ?? [];
        setRun({ ...r, historyLength: r.history?.length ?? 0 });
        setHistoryTick((t) => t + 1);
      })
      .catch((e) => setError((e as Error).message));
  }, [id]);

  // Follow the run through its sweep's stream: new state and new history rows.
  const { status } = useStream(run ? `/dashboard/events?sweep=${encodeURIComponent(run.sweepId)}` : undefined, (e) => {
    if (e.event === 'snapshot') {
      const mine = parseEvent<SweepSnapshot>(e).runs.find((r) => r.id === id);
      if (mine) setRun((r) => (r ? { ...r, ...mine } : r));
      if (mine && mine.historyLength > history.current.length) {
        api<RunView>('GET', `/runs/${encodeURIComponent(id)}?history=1`).then((r) => {
          history.current = r.history ?? [];
          setHistoryTick((t) => t + 1);
        }).catch(() => {});
      }
    } else if (e.event === 'delta') {
      const d = parseEvent<SweepDelta>(e);
      const mine = d.runs?.find((r) => r.id === id);
      if (mine) setRun((r) => (r ? { ...r, ...mine } : r));
      for (const h of d.history ?? []) {
        if (h.runId !== id || h.from > history.current.length) continue;
        h.rows.forEach((row, i) => (history.current[h.from + i] = row));
        setHistoryTick((t) => t + 1);
      }
    }
  });
  const now = useNow(2000);
  const keys = useMemo(() => historyKeys(history.current), [historyTick]);
  const charts = useMemo(() => keys.map((k) => ({ key: k, data: singleSeries(history.current, k) })), [historyTick, keys]);

  if (error) return <ErrorBox message={error} />;
  if (!run) return <p class="muted">Loading run {id}…</p>;
  const config = flatten(run.config);
  return (
    <div class="page" data-testid="run-page">
      <div class="page-head">
        <div>
          <div class="crumbs">
            <a href="#/">Sweeps</a> / <a href={sweepHref(run.sweepId)}>sweep {run.sweepId}</a>
          </div>
          <h1>
            {run.name} <span class="muted small">{run.id}</span>
          </h1>
          <div class="facts">
            <RunStateBadge run={run} />
            {run.exitCode !== undefined && run.exitCode !== null && <span>exit code {run.exitCode}</span>}
            <span>duration {fmtDuration(runDuration(run, now)) || '–'}</span>
            <span class="muted" title="created">{fmtTime(run.createdAt)}</span>
            {run.agentId && <span class="muted">agent {run.agentId}</span>}
            <LiveDot status={status} />
          </div>
          {run.stopReason && <p class="muted">Stopped early: {run.stopReason}</p>}
        </div>
      </div>
      <div class="two">
        <Section title="Config" id="run-config">
          <KeyValues values={config} testId="run-config-table" />
        </Section>
        <Section title="Summary" id="run-summary">
          <KeyValues values={run.summary} testId="run-summary-table" />
          {run.earlyTerminateInfo && (
            <details>
              <summary>early termination</summary>
              <pre class="code">{JSON.stringify(run.earlyTerminateInfo, null, 2)}</pre>
            </details>
          )}
          {run.searchInfo && (
            <details>
              <summary>search info</summary>
              <pre class="code">{JSON.stringify(run.searchInfo, null, 2)}</pre>
            </details>
          )}
        </Section>
      </div>
      <Section title="Charts" id="run-charts">
        {charts.length === 0 ? (
          <p class="muted">No metrics logged yet.</p>
        ) : (
          <div class="chart-grid">
            {charts.map((c) => (
              <div key={c.key}>
                <h3>{c.key}</h3>
                <Chart data={c.data} testId={`run-chart-${c.key}`} height={200} />
              </div>
            ))}
          </div>
        )}
      </Section>
      <Section title="Log" id="run-log">
        <LogView runId={run.id} active={ACTIVE.has(run.state)} focus={focusLog} />
      </Section>
    </div>
  );
}

function KeyValues({ values, testId }: { values: Record<string, unknown>; testId: string }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p class="muted">none</p>;
  return (
    <table class="grid kv" data-testid={testId}>
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td class={typeof v === 'number' ? 'num' : ''}>{fmtValue(v as never)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The run's output: its tail, then what it appends, every 2 s while the run is active. */
function LogView({ runId, active, focus }: { runId: string; active: boolean; focus: boolean }) {
  const [text, setText] = useState('');
  const [note, setNote] = useState<string | undefined>();
  const [path, setPath] = useState<string | undefined>();
  const next = useRef<number | undefined>(undefined);
  const pre = useRef<HTMLPreElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    next.current = undefined;
    setText('');
    let stopped = false;
    let timer: number | undefined;
    const read = async (again: boolean) => {
      try {
        const q = next.current === undefined ? '' : `?offset=${next.current}`;
        const chunk = await api<LogChunk>('GET', `/dashboard/runs/${encodeURIComponent(runId)}/log${q}`);
        if (stopped) return;
        setNote(undefined);
        setPath(chunk.path);
        if (next.current === undefined && chunk.offset > 0) setText(`… (${chunk.offset} earlier bytes not shown)\n`);
        next.current = chunk.next;
        if (chunk.text) setText((t) => (t + chunk.text).slice(-MAX_LOG));
        // A full chunk means more is there: read on at once.
        if (chunk.next < chunk.size) return read(again);
      } catch (e) {
        if (!stopped) setNote(e instanceof ApiError ? e.message : String(e));
      }
      if (again && !stopped) timer = window.setTimeout(() => void read(activeRef.current), 2000);
    };
    void read(true);
    return () => {
      stopped = true;
      if (timer !== undefined) window.clearTimeout(timer);
    };
  }, [runId]);
  const activeRef = useRef(active);
  activeRef.current = active;

  useEffect(() => {
    const el = pre.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  useEffect(() => {
    if (focus) pre.current?.scrollIntoView({ block: 'start' });
  }, [focus, path]);
  if (note) return <p class="muted" data-testid="log-note">{note}</p>;
  return (
    <div>
      {path && <div class="muted small">{path}</div>}
      <pre
        ref={pre}
        class="code log"
        data-testid="run-log-text"
        onScroll={(e) => {
          const el = e.target as HTMLPreElement;
          stick.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
        }}
      >
        {text || (active ? 'No output yet…' : '(empty)')}
      </pre>
    </div>
  );
}
