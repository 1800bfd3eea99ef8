import type { AgentView, HistoryDelta, Row, RunView, SweepDelta, SweepDetail, SweepSnapshot } from './types.js';

/**
 * A sweep as the page knows it, kept current by the server's stream: a snapshot replaces the runs and
 * agents; a delta replaces the runs it names and appends history rows at their index. Histories are
 * loaded separately (only the keys the charts need) and merged by row index, so a row that arrives
 * twice (in the loaded history and in a delta) is stored once.
 */
export class LiveSweep {
  sweep: SweepDetail | undefined;
  readonly runs = new Map<string, RunView>();
  readonly agents = new Map<string, AgentView>();
  readonly history = new Map<string, Row[]>();
  /** Runs whose history has a hole (a delta started past what is known): reload them. */
  readonly gaps = new Set<string>();
  /** Bumped on every change, for the views to notice. */
  version = 0;

  applySnapshot(snapshot: SweepSnapshot): void {
    this.sweep = snapshot.sweep;
    this.runs.clear();
    for (const r of snapshot.runs) this.runs.set(r.id, r);
    this.agents.clear();
    for (const a of snapshot.agents) this.agents.set(a.id, a);
    // A history known beyond the run's length (a reconnect after a restart) is cut; a short one is a gap.
    for (const r of snapshot.runs) {
      const h = this.history.get(r.id);
      if (h && h.length > r.historyLength) h.length = r.historyLength;
      if ((h?.length ?? 0) < r.historyLength) this.gaps.add(r.id);
    }
    this.version++;
  }

  applyDelta(delta: SweepDelta): void {
    if (delta.sweep) this.sweep = delta.sweep;
    for (const r of delta.runs ?? []) this.runs.set(r.id, r);
    for (const a of delta.agents ?? []) this.agents.set(a.id, a);
    for (const h of delta.history ?? []) this.appendHistory(h);
    this.version++;
  }

  /** Put rows `from, from+1, …` of a run; a delta starting past the known end is a gap. */
  appendHistory(delta: HistoryDelta): void {
    const rows = this.history.get(delta.runId) ?? [];
    if (delta.from > rows.length) {
      this.gaps.add(delta.runId);
      return;
    }
    delta.rows.forEach((row, i) => {
      rows[delta.from + i] = row;
    });
    this.history.set(delta.runId, rows);
  }

  /** A loaded history: kept when it is at least as long as what the stream already brought. */
  loadHistory(runId: string, rows: Row[]): void {
    const known = this.history.get(runId);
    if (!known || rows.length >= known.length) this.history.set(runId, rows);
    else rows.forEach((row, i) => (known[i] = { ...known[i], ...row }));
    const run = this.runs.get(runId);
    if (!run || (this.history.get(runId)?.length ?? 0) >= run.historyLength) this.gaps.delete(runId);
    this.version++;
  }

  /** Runs in creation order. */
  orderedRuns(): RunView[] {
    return [...this.runs.values()].sort((a, b) => a.number - b.number);
  }
}
