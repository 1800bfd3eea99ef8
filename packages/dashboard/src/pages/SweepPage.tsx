import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { bestSoFar, metricOverSteps, parallelCoordinates, runsToDraw, searchedParameters } from '../charts.js';
import { Chart } from '../components/Chart.js';
import { Controls } from '../components/Controls.js';
import { ErrorBox, LiveDot, RunCounts, Section, SweepStateBadge } from '../components/bits.js';
import { RunsTable } from '../components/RunsTable.js';
import { fmtAgo, fmtNumber, fmtTime } from '../format.js';
import { parseEvent, useNow, useStream } from '../hooks.js';
import { LiveSweep } from '../live.js';
import type { ImportanceAnswer, Row, SweepDelta, SweepDetail, SweepSnapshot } from '../types.js';

export function SweepPage({ id }: { id: string }) {
  const live = useRef(new LiveSweep()).current;
  const [override, setOverride] = useState<SweepDetail | undefined>();
  const [gone, setGone] = useState(false);
  const { status, error, tick } = useStream(`/dashboard/events?sweep=${encodeURIComponent(id)}`, (e) => {
    if (e.event === 'snapshot') live.applySnapshot(parseEvent<SweepSnapshot>(e));
    else if (e.event === 'delta') live.applyDelta(parseEvent<SweepDelta>(e));
    else if (e.event === 'gone') setGone(true);
  });
  const now = useNow(5000);
  const sweep = live.sweep;
  const metric = sweep?.metric;

  // Load the metric's history of the drawn runs the stream has not brought in full (first load, reconnects).
  const loading = useRef(false);
  const [loadTick, setLoadTick] = useState(0);
  useEffect(() => {
    if (!sweep || !metric || loading.current || live.gaps.size === 0) return;
    const wanted = runsToDraw(live.orderedRuns(), metric.name, metric.goal)
      .map((r) => r.id)
      .filter((runId) => live.gaps.has(runId));
    if (wanted.length === 0) return;
    loading.current = true;
    const query = `?keys=${encodeURIComponent(`${metric.name},_step`)}&runs=${wanted.map(encodeURIComponent).join(',')}`;
    api<{ runs: Record<string, { rows: Row[] }> }>('GET', `/dashboard/sweeps/${encodeURIComponent(id)}/history${query}`)
      .then((answer) => {
        for (const [runId, h] of Object.entries(answer.runs)) live.loadHistory(runId, h.rows);
      })
      .catch(() => {})
      .finally(() => {
        loading.current = false;
        setLoadTick((t) => t + 1);
      });
  }, [tick, sweep?.id]);

  const runs = useMemo(() => live.orderedRuns(), [tick, loadTick]);
  const agents = live.agents;
  const finished = sweep?.runCounts.finished ?? 0;

  const [importance, setImportance] = useState<ImportanceAnswer | undefined>();
  useEffect(() => {
    if (!sweep) return;
    api<ImportanceAnswer>('GET', `/dashboard/sweeps/${encodeURIComponent(id)}/importance`)
      .then(setImportance)
      .catch((e) => setImportance({ metric: null, goal: null, runsUsed: 0, note: (e as Error).message, parameters: [] }));
  }, [sweep?.id, finished]);

  const charts = useMemo(() => {
    if (!sweep || !metric) return undefined;
    return {
      steps: metricOverSteps(runs, live.history, metric.name, metric.goal),
      best: bestSoFar(runs, metric.name, metric.goal),
      parallel: parallelCoordinates(runs, searchedParameters(sweep.config), metric.name, metric.goal),
    };
  }, [tick, loadTick, sweep, metric?.name]);

  if (gone) return <ErrorBox message={`Sweep ${id} no longer exists on this server.`} />;
  if (!sweep) {
    return (
      <div class="page">
        {status === 'retrying' && error ? <ErrorBox message={error} /> : <p class="muted">Loading sweep {id}…</p>}
      </div>
    );
  }
  const shownSweep = override && override.updatedAt >= sweep.updatedAt ? { ...sweep, state: override.state } : sweep;
  const configText = sweep.configText ?? JSON.stringify(sweep.config, null, 2);
  return (
    <div class="page" data-testid="sweep-page">
      <div class="page-head">
        <div>
          <div class="crumbs">
            <a href="#/">Sweeps</a> / {sweep.entity ? `${sweep.entity}/` : ''}
            {sweep.project}
          </div>
          <h1>
            {sweep.name} <span class="muted small">{sweep.id}</span>
          </h1>
          <div class="facts">
            <SweepStateBadge state={shownSweep.state} />
            <span>{sweep.method}</span>
            {metric && (
              <span>
                {metric.goal} <b>{metric.name}</b>
              </span>
            )}
            {sweep.bestRun && metric && (
              <span data-testid="best">
                best <b>{fmtNumber(sweep.bestRun.value)}</b> ({sweep.bestRun.name})
              </span>
            )}
            <RunCounts counts={sweep.runCounts} />
            {sweep.expectedRunCount !== null && <span class="muted">of {sweep.expectedRunCount} expected</span>}
            <span class="muted" title={fmtTime(sweep.createdAt)}>
              started {fmtAgo(sweep.createdAt, now)}
            </span>
            <LiveDot status={status} />
          </div>
        </div>
        <Controls sweep={shownSweep} onChange={setOverride} />
      </div>
      {sweep.error && <ErrorBox message={`The sweep failed: ${sweep.error}`} />}
      {status === 'retrying' && error && <ErrorBox message={`Live updates interrupted: ${error}. Reconnecting…`} />}

      {metric && charts ? (
        <div class="two">
          <Section title={`${metric.name} over steps`} id="chart-steps">
            <Chart data={charts.steps} testId="metric-chart" height={300} />
          </Section>
          <Section title={`Best ${metric.name} so far`} id="chart-best">
            <Chart data={charts.best} testId="best-chart" height={300} />
          </Section>
        </div>
      ) : (
        <p class="muted">This sweep has no metric: the charts compare runs by the metric of the sweep config.</p>
      )}
      {metric && charts && (
        <div class="two wide-first">
          <Section title="Parameters against the metric" id="chart-parallel">
            <Chart data={charts.parallel} testId="parallel-chart" height={320} />
          </Section>
          <Section title="Parameter importance" id="importance" right={<span class="muted small">random forest on finished runs</span>}>
            <Importance answer={importance} />
          </Section>
        </div>
      )}
      <Section title="Runs" id="runs">
        <RunsTable runs={runs} agents={agents} metric={metric} now={now} />
      </Section>
      <div class="two">
        <Section title="Sweep config" id="config">
          <pre class="code" data-testid="sweep-config">{configText}</pre>
        </Section>
        <Section title="Agents" id="agents">
          {agents.size === 0 ? (
            <p class="muted">
              No agent yet. Start one: <code>broom agent {sweep.id}</code>
            </p>
          ) : (
            <table class="grid">
              <thead>
                <tr>
                  <th>Agent</th>
                  <th>Host</th>
                  <th>PID</th>
                  <th>Slots</th>
                  <th>Registered</th>
                </tr>
              </thead>
              <tbody>
                {[...agents.values()].map((a) => (
                  <tr key={a.id}>
                    <td>{a.id}</td>
                    <td>{a.host}</td>
                    <td>{a.pid}</td>
                    <td>{a.slots}</td>
                    <td title={fmtTime(a.createdAt)}>{fmtAgo(a.createdAt, now)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
      </div>
    </div>
  );
}

function Importance({ answer }: { answer: ImportanceAnswer | undefined }) {
  if (!answer) return <p class="muted">Computing…</p>;
  if (answer.parameters.length === 0) return <p class="muted" data-testid="importance-note">{answer.note}</p>;
  return (
    <div>
      <table class="grid importance" data-testid="importance-table">
        <thead>
          <tr>
            <th>Parameter</th>
            <th>Importance</th>
            <th>Correlation</th>
          </tr>
        </thead>
        <tbody>
          {answer.parameters.map((p) => (
            <tr key={p.name} data-param={p.name}>
              <td>{p.name}</td>
              <td>
                <span class="bar" style={{ width: `${Math.round(p.importance * 100)}%` }} />
                <span class="small">{p.importance.toFixed(3)}</span>
              </td>
              <td>
                {p.correlation === null ? (
                  <span class="muted small">{p.kind === 'categorical' ? 'categorical' : '–'}</span>
                ) : (
                  <>
                    <span class={`bar corr ${p.correlation < 0 ? 'neg' : 'pos'}`} style={{ width: `${Math.round(Math.abs(p.correlation) * 100)}%` }} />
                    <span class="small">{p.correlation.toFixed(3)}</span>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">
        Fitted on {answer.runsUsed} finished runs for {answer.metric}.
      </p>
    </div>
  );
}
