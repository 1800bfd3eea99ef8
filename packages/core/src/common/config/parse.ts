import {
  isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument,
  type Document, type Node as YamlNode, type Pair, type YAMLMap,
} from 'yaml';
import { SweepConfigError, type ConfigIssue } from '../errors/broom-error.js';
import { PyFloat, isRecord, type Value, type ValueRecord } from '../values.js';
import { NOT_AN_OBJECT } from './messages.js';
import { findPyYamlTab } from './pyyaml-compat.js';
import { explicitFloatTag, FLOAT_TAG, isIntSource } from './yaml-tags.js';

/** One step of a key path: a mapping key or a list index. */
export type PathSegment = string | number;

/** A 1-based position in the config file. */
export interface SourceLocation {
  line: number;
  column: number;
}

/** A parsed config file: the plain value, and where each key path sits in the text. */
export interface ConfigSource {
  value: Value;
  file: string;
  /**
   * The position of the deepest key of `path` that exists in the file (the key itself for a
   * mapping entry, the item for a list index); `undefined` when not even the first key exists.
   */
  locate(path: readonly PathSegment[]): SourceLocation | undefined;
}

export { NOT_AN_OBJECT };

/**
 * Parse a sweep config (YAML 1.2; JSON is a subset) into plain values, keeping Python's int/float
 * distinction: a float literal whose value is whole (`1.0`, `3e6`, `!!float 1`) becomes a `PyFloat`.
 * Throws `SweepConfigError` naming the file, line and column for syntax errors, duplicate keys, and
 * tabs PyYAML would refuse; and W&B's "must be parsable as a JSON object" for an empty document or a
 * top level that is not a mapping.
 */
export function parseConfigText(text: string, file: string): Value {
  return parseConfigSource(text, file).value;
}

/** {@link parseConfigText}, also returning a `locate` function for error positions. */
export function parseConfigSource(text: string, file: string): ConfigSource {
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, {
    version: '1.2',
    schema: 'core',
    customTags: (tags) => [...tags, explicitFloatTag],
    merge: false, // `<<` is merged below, the way PyYAML does it
    uniqueKeys: false, // reported below with both lines
    lineCounter,
    prettyErrors: false,
  });
  const pos = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const problem = doc.errors[0] ?? doc.warnings[0];
  if (problem) {
    const detail = problem.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').split('\n')[0];
    throw syntaxError(file, source, pos(problem.pos[0]), detail);
  }
  const tab = findPyYamlTab(source);
  if (tab !== undefined) {
    throw syntaxError(
      file, source, pos(tab),
      'tab character used as whitespace. YAML 1.2 allows it here, but W&B reads sweep files with PyYAML, ' +
        'which refuses it ("found character \'\\t\' that cannot start any token"); use spaces instead',
    );
  }
  const value = toValue({ doc, file, source, pos }, doc.contents, new Set());
  if (!isRecord(value)) {
    const what = value === null ? 'the document is empty' : `the top level is ${Array.isArray(value) ? 'a list' : 'a single value'}`;
    throw new SweepConfigError(
      `${file}: ${NOT_AN_OBJECT} (${what}; a sweep config is a mapping of keys such as method: and parameters:)`,
      [{ path: '', message: NOT_AN_OBJECT, severity: 'error', ...(doc.contents ? pos(doc.contents.range?.[0] ?? 0) : {}) }],
      { file },
    );
  }
  return { value, file, locate: (path) => locate(doc, path, pos) };
}

function syntaxError(file: string, text: string, at: SourceLocation, detail: string): SweepConfigError {
  const message = `YAML syntax error: ${detail}`;
  const lineText = text.split(/\r?\n/)[at.line - 1] ?? '';
  const frame = `  ${lineText.replace(/\t/g, ' ')}\n  ${' '.repeat(Math.max(0, at.column - 1))}^`;
  const issue: ConfigIssue = { path: '', message, severity: 'error', ...at };
  return new SweepConfigError(`${file}:${at.line}:${at.column}: ${message}\n${frame}`, [issue], { file });
}

function keyText(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined;
  if (typeof key.value === 'string') return key.value;
  return key.source ?? String(key.value);
}

interface Ctx {
  doc: Document;
  file: string;
  source: string;
  pos: (offset: number) => SourceLocation;
}

function toValue(ctx: Ctx, node: unknown, active: Set<unknown>): Value {
  if (node === null || node === undefined) return null;
  if (isAlias(node)) {
    const target = node.resolve(ctx.doc);
    if (!target || active.has(target)) {
      const at = ctx.pos(node.range?.[0] ?? 0);
      throw syntaxError(ctx.file, ctx.source, at, `alias *${node.source} refers to itself or to nothing`);
    }
    return toValue(ctx, target, active);
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number') {
      const float = node.tag === FLOAT_TAG || (node.tag === undefined && node.type === 'PLAIN' && !isIntSource(node.source ?? ''));
      return float && Number.isInteger(v) ? new PyFloat(v) : v;
    }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    return String(v);
  }
  active.add(node);
  try {
    if (isSeq(node)) return node.items.map((item) => toValue(ctx, item, active));
    if (isMap(node)) return mapToValue(ctx, node, active);
  } finally {
    active.delete(node);
  }
  return null;
}

function mapToValue(ctx: Ctx, node: YAMLMap, active: Set<unknown>): ValueRecord {
  const { file, source, pos } = ctx;
  const merged: ValueRecord = {};
  const own: ValueRecord = {};
  const seen = new Map<string, Pair>();
  for (const pair of node.items as Pair[]) {
    const key = keyText(pair.key);
    const keyNode = pair.key as YamlNode | null;
    const at = pos(keyNode?.range?.[0] ?? node.range?.[0] ?? 0);
    if (key === undefined) throw syntaxError(file, source, at, 'complex mapping keys are not supported in a sweep config');
    if (key === '<<' && isScalar(pair.key) && pair.key.type === 'PLAIN') {
      // YAML 1.1 merge key, as PyYAML reads it: merged entries never override explicit ones.
      const sources = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const s of sources) {
        const v = toValue(ctx, s, active);
        if (!isRecord(v)) throw syntaxError(file, source, at, 'a merge key (<<) must refer to a mapping');
        for (const [k, x] of Object.entries(v)) if (!Object.hasOwn(merged, k)) setKey(merged, k, x);
      }
      continue;
    }
    const first = seen.get(key);
    if (first) {
      const firstLine = pos((first.key as YamlNode).range?.[0] ?? 0).line;
      const message = `duplicate key "${key}" (first defined on line ${firstLine}); YAML keys must be unique`;
      throw new SweepConfigError(`${file}:${at.line}:${at.column}: ${message}`, [{ path: key, message, severity: 'error', ...at }], { file });
    }
    seen.set(key, pair);
    setKey(own, key, toValue(ctx, pair.value, active));
  }
  const out: ValueRecord = {};
  for (const [k, v] of Object.entries(merged)) if (!Object.hasOwn(own, k)) setKey(out, k, v);
  for (const [k, v] of Object.entries(own)) setKey(out, k, v);
  return out;
}

/** `obj[key] = v`, safe for a key named `__proto__`. */
function setKey(obj: ValueRecord, key: string, v: Value): void {
  Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
}

function locate(
  doc: Document, path: readonly PathSegment[], pos: (o: number) => SourceLocation,
): SourceLocation | undefined {
  let node: unknown = doc.contents;
  let found: number | undefined;
  for (const seg of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = (node.items as Pair[]).find((p) => keyText(p.key) === String(seg));
      if (!pair) break;
      found = (pair.key as YamlNode).range?.[0];
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      const item = node.items[seg] as YamlNode;
      found = item?.range?.[0];
      node = item;
    } else break;
  }
  return found === undefined ? undefined : pos(found);
}
