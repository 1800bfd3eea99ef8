import type { MetricsRequest, MetricsResponse, ValueRecord } from '@broom/core';
import { withRetry } from './retry.js';

export interface MetricsUploaderOptions {
  send: (request: MetricsRequest) => Promise<MetricsResponse>;
  /** Longest wait before pending rows are sent (default 1000 ms). */
  intervalMs?: number;
  /** Rows per request; this many pending rows are sent at once (default 500). */
  maxRows?: number;
  /** How long to keep retrying an unreachable server (default 10 min). */
  retryDeadlineMs?: number;
  warn: (message: string) => void;
}

/**
 * Sends a run's history rows to the server in order, in batches: at most one request every
 * `intervalMs` unless `maxRows` rows are waiting. Each batch names the index of its first row
 * (`seq`), so a batch sent again after a lost answer is not stored twice. While the server cannot be
 * reached, rows are kept and the batch is retried with backoff; the program is never slowed, since
 * it only appends to a file.
 */
export class MetricsUploader {
  private readonly pending: ValueRecord[] = [];
  /** Index (in the run's history) of `pending[0]`. */
  private base = 0;
  private summary: ValueRecord | undefined;
  private summaryDirty = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private lastSend = 0;
  private failed = false;
  private readonly intervalMs: number;
  private readonly maxRows: number;
  private readonly deadlineMs: number;

  constructor(private readonly opts: MetricsUploaderOptions) {
    this.intervalMs = opts.intervalMs ?? 1000;
    this.maxRows = opts.maxRows ?? 500;
    this.deadlineMs = opts.retryDeadlineMs ?? 600_000;
  }

  /** Rows handed over so far (sent or waiting). */
  get rowCount(): number {
    return this.base + this.pending.length;
  }

  add(rows: readonly ValueRecord[], summary?: ValueRecord): void {
    if (this.failed) return;
    this.pending.push(...rows);
    if (summary) {
      this.summary = { ...this.summary, ...summary };
      this.summaryDirty = true;
    }
    this.schedule();
  }

  /** Send everything still waiting; resolves when sent, or when given up (returns false). */
  async flush(): Promise<boolean> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (!this.failed && (this.inFlight || this.pending.length > 0 || this.summaryDirty)) {
      await (this.inFlight ?? this.sendNext());
    }
    return !this.failed;
  }

  private schedule(): void {
    if (this.inFlight || this.timer || this.failed) return;
    if (this.pending.length === 0 && !this.summaryDirty) return;
    const wait = this.pending.length >= this.maxRows ? 0 : Math.max(0, this.lastSend + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sendNext();
    }, wait);
  }

  private sendNext(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.sendBatch().finally(() => {
      this.inFlight = undefined;
      this.lastSend = Date.now();
      this.schedule();
    });
    return this.inFlight;
  }

  private async sendBatch(): Promise<void> {
    const rows = this.pending.slice(0, this.maxRows);
    const seq = this.base;
    const withSummary = this.summaryDirty;
    const request: MetricsRequest = { seq, rows };
    if (withSummary && this.summary) request.summary = this.summary;
    this.summaryDirty = false;
    let warned = false;
    try {
      const answer = await withRetry(() => this.opts.send(request), {
        deadlineMs: this.deadlineMs,
        onRetry: (error, attempt) => {
          if (!warned && attempt >= 2) {
            warned = true;
            this.opts.warn(`cannot send metrics (${(error as Error).message}); keeping them and retrying`);
          }
        },
      });
      // The server may hold fewer rows than we think (a gap it refused): resend from its count.
      const stored = typeof answer?.historyLength === 'number' ? answer.historyLength : seq + rows.length;
      const done = Math.min(Math.max(stored, seq), seq + rows.length) - seq;
      this.pending.splice(0, done);
      this.base += done;
      if (warned) this.opts.warn('metrics are being sent again');
    } catch (error) {
      if (withSummary) this.summaryDirty = true;
      this.failed = true;
      this.opts.warn(`giving up sending metrics: ${(error as Error).message}`);
    }
  }
}
