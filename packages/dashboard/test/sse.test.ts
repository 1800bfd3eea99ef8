import { describe, expect, it } from 'vitest';
import { SseParser } from '../src/sse.js';

describe('SseParser', () => {
  it('parses events split anywhere across chunks, skipping comments and retry lines', () => {
    const text = 'retry: 2000\n\nevent: snapshot\ndata: {"a":1}\n\n: ping\n\nevent: delta\r\ndata: line1\r\ndata: line2\r\n\r\ndata: plain\n\n';
    const expected = [
      { event: 'snapshot', data: '{"a":1}' },
      { event: 'delta', data: 'line1\nline2' },
      { event: 'message', data: 'plain' },
    ];
    for (let size = 1; size <= text.length; size++) {
      const parser = new SseParser();
      const out = [];
      for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)));
      expect(out, `chunks of ${size}`).toEqual(expected);
    }
  });
});
