/**
 * One value as a line of the metrics protocol: JSON, except that non-finite numbers are written as
 * the tokens `NaN`, `Infinity` and `-Infinity` (what Python's `json.dumps` writes, and what the agent
 * reads), rather than `null` as `JSON.stringify` would. Values JSON cannot hold are handled as
 * `JSON.stringify` does: `toJSON()` is called, bigints become numbers, functions and undefined are
 * left out of objects, and a cycle becomes the string "[Circular]".
 */
export function toJsonLine(value: unknown): string {
  return write(value, new Set()) ?? 'null';
}

function write(value: unknown, seen: Set<object>): string | undefined {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return JSON.stringify(value);
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  }
  if (typeof value === 'bigint') return write(Number(value), seen);
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (typeof value !== 'object') return undefined;
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return write(withJson.toJSON(), seen);
  if (seen.has(value)) return '"[Circular]"';
  seen.add(value);
  try {
    if (Array.isArray(value) || ArrayBuffer.isView(value)) {
      const items = Array.from(value as ArrayLike<unknown>, (v) => write(v, seen) ?? 'null');
      return `[${items.join(',')}]`;
    }
    const parts: string[] = [];
    for (const [k, v] of Object.entries(value)) {
      const text = write(v, seen);
      if (text !== undefined) parts.push(`${JSON.stringify(k)}:${text}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    seen.delete(value);
  }
}
