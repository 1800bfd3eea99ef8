import type { RunView, Value } from './types.js';

export function fmtNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (Number.isInteger(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(3);
  return String(Number(x.toPrecision(5)));
}

export function fmtValue(v: Value | undefined): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (typeof v === 'number') return fmtNumber(v);
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function fmtDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
}

export function fmtTime(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function fmtAgo(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '';
  const s = Math.round((now - new Date(iso).getTime()) / 1000);
  if (s < 5) return 'just now';
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

/** A run's duration in ms: start to end, or to now while it runs. */
export function runDuration(run: Pick<RunView, 'startedAt' | 'endedAt'>, now = Date.now()): number | undefined {
  if (!run.startedAt) return undefined;
  return (run.endedAt ? new Date(run.endedAt).getTime() : now) - new Date(run.startedAt).getTime();
}

/** What the page says about how a run ended early: pruned by early termination, stopped by a cancel, or retried. */
export function runMarks(run: Pick<RunView, 'stopRequested' | 'stopReason' | 'superseded'>): string[] {
  const marks: string[] = [];
  if (run.stopRequested) marks.push(run.stopReason === 'sweep canceled' ? 'stopped' : 'pruned');
  if (run.superseded) marks.push('retried');
  return marks;
}

export function isNum(v: unknown): v is number {
  return typeof v === 'number';
}
