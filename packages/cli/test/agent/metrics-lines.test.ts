import { describe, expect, it } from 'vitest';
import { LineSplitter, parseMetricsLines } from '../../src/agent/metrics-lines.js';

describe('parseMetricsLines', () => {
  it('reads rows, summaries, NaN and Infinity, and skips what is not a JSON object', () => {
    const parsed = parseMetricsLines(
      ['{"loss": 0.5, "epoch": 1}', '', 'hello', '[1, 2]', '{"v": NaN, "w": -Infinity, "s": "x"}', '{"_summary": {"best": 0.1}}', '{"_summary": {"n": 2}, "loss": 0.4}', '{"_summary": 3}'],
      10,
    );
    expect(parsed.rows).toHaveLength(3);
    expect(parsed.rows[0]).toEqual({ loss: 0.5, epoch: 1 });
    expect(Number.isNaN(parsed.rows[1].v)).toBe(true);
    expect(parsed.rows[1].w).toBe(-Infinity);
    expect(parsed.rows[2]).toEqual({ loss: 0.4 });
    expect(parsed.summary).toEqual({ best: 0.1, n: 2 });
    expect(parsed.skipped.map((s) => [s.line, s.why])).toEqual([
      [12, 'not JSON'],
      [13, 'not a JSON object'],
      [17, '"_summary" is not an object'],
    ]);
  });
});

describe('LineSplitter', () => {
  it('keeps an unfinished line for the next chunk and hands it over at the end', () => {
    const s = new LineSplitter();
    const enc = new TextEncoder();
    expect(s.push(enc.encode('{"a":1}\n{"b"'))).toEqual(['{"a":1}']);
    expect(s.push(enc.encode(':2}\n{"c":3}'))).toEqual(['{"b":2}']);
    expect(s.end()).toEqual(['{"c":3}']);
    expect(s.count).toBe(3);
  });

  it('decodes a character split across chunks', () => {
    const s = new LineSplitter();
    const bytes = new TextEncoder().encode('{"é":1}\n');
    expect([...s.push(bytes.subarray(0, 3)), ...s.push(bytes.subarray(3))]).toEqual(['{"é":1}']);
  });
});
