import type { ComponentChildren } from 'preact';
import { STATE_COLORS } from '../charts.js';
import { runMarks } from '../format.js';
import type { RunState, RunView, SweepState } from '../types.js';

const SWEEP_COLORS: Record<SweepState, string> = {
  PENDING: '#9aa4b2',
  RUNNING: '#1f6feb',
  PAUSED: '#9a6700',
  FINISHED: '#2da44e',
  CANCELED: '#6e7781',
  FAILED: '#cf222e',
};

export function SweepStateBadge({ state }: { state: SweepState }) {
  return (
    <span class="badge" style={{ background: SWEEP_COLORS[state] }} data-testid="sweep-state">
      {state}
    </span>
  );
}

export function RunStateBadge({ run }: { run: Pick<RunView, 'state' | 'stopRequested' | 'stopReason' | 'superseded'> }) {
  return (
    <span class="run-state">
      <span class="badge" style={{ background: STATE_COLORS[run.state] ?? '#888' }}>
        {run.state}
      </span>
      {runMarks(run).map((m) => (
        <span key={m} class={`mark mark-${m}`} title={m === 'pruned' ? (run.stopReason ?? 'stopped early') : m}>
          {m}
        </span>
      ))}
    </span>
  );
}

const ORDER: RunState[] = ['running', 'pending', 'finished', 'failed', 'crashed', 'killed', 'preempting', 'preempted'];

export function RunCounts({ counts }: { counts: Partial<Record<RunState, number>> }) {
  const entries = ORDER.filter((s) => counts[s]);
  if (entries.length === 0) return <span class="muted">no runs</span>;
  return (
    <span class="counts">
      {entries.map((s) => (
        <span key={s} class="count" title={s} style={{ borderColor: STATE_COLORS[s] }}>
          <span class="dot" style={{ background: STATE_COLORS[s] }} />
          {counts[s]} {s}
        </span>
      ))}
    </span>
  );
}

export function Section({ title, children, id, right }: { title: string; children: ComponentChildren; id?: string; right?: ComponentChildren }) {
  return (
    <section class="card" id={id} data-testid={id}>
      <header class="card-head">
        <h2>{title}</h2>
        {right}
      </header>
      {children}
    </section>
  );
}

export function ErrorBox({ message }: { message: string }) {
  return (
    <div class="error" role="alert">
      {message}
    </div>
  );
}

export function LiveDot({ status }: { status: string }) {
  return (
    <span class={`live live-${status}`} data-testid="live-status" title={status === 'open' ? 'live: updates as they happen' : status}>
      {status === 'open' ? 'live' : status}
    </span>
  );
}
