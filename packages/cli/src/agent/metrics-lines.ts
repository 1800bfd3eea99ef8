import { isRecord, parseJson, type Value, type ValueRecord } from '@broom/core';

/** What one batch of metrics lines holds. */
export interface ParsedLines {
  rows: ValueRecord[];
  /** Summary values set by `{"_summary": {...}}` lines, merged in order; undefined when none. */
  summary?: ValueRecord;
  /** Lines that were not used, with why (1-based line numbers in the file). */
  skipped: { line: number; why: string; text: string }[];
}

/** Longest line kept; a longer one is skipped (a runaway program must not exhaust memory). */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;

/**
 * Read lines of the metrics protocol (docs/metrics-protocol.md): each line is a JSON object, a
 * history row; a `_summary` key holds summary values (its other keys, if any, still form a row).
 * Python's `NaN`, `Infinity`, `-Infinity` are read as numbers. Empty lines are ignored; a line that
 * is not a JSON object is skipped and reported, never fatal.
 */
export function parseMetricsLines(lines: readonly string[], firstLine: number): ParsedLines {
  const out: ParsedLines = { rows: [], skipped: [] };
  lines.forEach((raw, i) => {
    const text = raw.trim();
    const line = firstLine + i;
    if (text === '') return;
    let value: Value;
    try {
      value = parseJson(text, 'metrics');
    } catch {
      out.skipped.push({ line, why: 'not JSON', text });
      return;
    }
    if (!isRecord(value)) {
      out.skipped.push({ line, why: 'not a JSON object', text });
      return;
    }
    const { _summary: summary, ...row } = value;
    if (summary !== undefined) {
      if (isRecord(summary)) out.summary = { ...out.summary, ...summary };
      else out.skipped.push({ line, why: '"_summary" is not an object', text });
    }
    if (summary === undefined || Object.keys(row).length > 0) out.rows.push(row);
  });
  return out;
}

/**
 * Splits a byte stream into complete lines, keeping the unfinished tail for the next chunk. A line
 * longer than {@link MAX_LINE_BYTES} is dropped (reported as the empty string's neighbour: `onDrop`).
 */
export class LineSplitter {
  private tail = '';
  private dropping = false;
  private decoder = new TextDecoder('utf-8');
  /** Number of complete lines returned so far. */
  count = 0;

  constructor(private readonly onDrop: (line: number) => void = () => {}) {}

  push(chunk: Uint8Array): string[] {
    return this.split(this.decoder.decode(chunk, { stream: true }));
  }

  /** The last line, even without a final newline (when the program has ended). */
  end(): string[] {
    const rest = this.split(this.decoder.decode());
    if (this.tail === '' || this.dropping) return rest;
    const last = this.tail;
    this.tail = '';
    this.count++;
    return [...rest, last];
  }

  private split(text: string): string[] {
    const parts = (this.tail + text).split('\n');
    this.tail = parts.pop() ?? '';
    const lines: string[] = [];
    for (const part of parts) {
      this.count++;
      if (this.dropping) {
        this.dropping = false;
        this.onDrop(this.count);
        lines.push('');
      } else {
        lines.push(part);
      }
    }
    if (this.tail.length > MAX_LINE_BYTES) {
      this.tail = '';
      this.dropping = true;
    }
    return lines;
  }
}
