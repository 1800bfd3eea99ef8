import { didYouMean } from '../text/did-you-mean.js';
import { isInt, isNumeric, isRecord, toNumber, type Value, type ValueRecord } from '../values.js';
import { quoteList, showValue, showValueWithType } from './format-value.js';
import { error, type Problem } from './issues.js';
import type { PathSegment } from './parse.js';

/*
 * A small, zod-free vocabulary for the shapes of a sweep config: the parameter definitions
 * (`parameter-table.ts`) and the top-level blocks (`sweep-fields.ts`, `launch-fields.ts`) are
 * written with it once. Two readers use those tables: `fieldIssues` here (the engine's lenient
 * fill, which must not load zod), and `fieldSchema` in `value-schemas.ts`, which builds the zod
 * schemas of the strict validator from them. Both report the same issues, worded once by
 * `issueProblems`.
 */

/** A check on a number after its type: `x > 0`, with the predicate message W&B's rule gives. */
export interface Bound {
  test: (x: number) => boolean;
  message: string;
}

export type Field = (
  /** JSON Schema `number` (an int or a float, never a boolean), or a true int; with a bound. */
  | { kind: 'number' | 'int'; bound?: Bound }
  /** `any`: every value; `record`: a mapping with free keys; `parameters`: a mapping (read by its owner). */
  | { kind: 'string' | 'boolean' | 'any' | 'record' | 'parameters' }
  /** A list of any values, with a minimum length. */
  | { kind: 'list'; minItems?: number }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'literal'; value: string }
  /** A list whose items have a field of their own (z.array). */
  | { kind: 'array'; of: Field; minItems?: number; tooFew?: string }
  /**
   * A mapping with known keys: strict (unknown keys are errors), or loose; `fill` turns an accepted
   * mapping (its values filled in turn) into what the engine reads, W&B's defaults included.
   */
  | { kind: 'mapping'; fields: Fields; loose?: boolean; fill?: (v: ValueRecord) => unknown }
) & { optional?: boolean };

export type Fields = Readonly<Record<string, Field>>;

/** The field constructors the tables are written with. */
export const field = {
  number: { kind: 'number' } as Field,
  positive: { kind: 'number', bound: { test: (x) => x > 0, message: 'must be > 0' } } as Field,
  nonNegative: { kind: 'number', bound: { test: (x) => x >= 0, message: 'must be ≥ 0' } } as Field,
  int: { kind: 'int' } as Field,
  string: { kind: 'string' } as Field,
  boolean: { kind: 'boolean' } as Field,
  any: { kind: 'any' } as Field,
  record: { kind: 'record' } as Field,
  parameters: { kind: 'parameters' } as Field,
  numberWhere: (test: (x: number) => boolean, message: string): Field => ({ kind: 'number', bound: { test, message } }),
  intWhere: (test: (x: number) => boolean, message: string): Field => ({ kind: 'int', bound: { test, message } }),
  list: (minItems?: number): Field => (minItems === undefined ? { kind: 'list' } : { kind: 'list', minItems }),
  oneOf: (values: readonly string[]): Field => ({ kind: 'enum', values }),
  literal: (value: string): Field => ({ kind: 'literal', value }),
  arrayOf: (of: Field, minItems?: number, tooFew?: string): Field => ({ kind: 'array', of, minItems, tooFew }),
  mapping: (fields: Fields, fill?: (v: ValueRecord) => unknown): Field => ({ kind: 'mapping', fields, ...(fill ? { fill } : {}) }),
  looseMapping: (fields: Fields, fill?: (v: ValueRecord) => unknown): Field =>
    ({ kind: 'mapping', fields, loose: true, ...(fill ? { fill } : {}) }),
  optional: (f: Field): Field => ({ ...f, optional: true }),
};

/** The predicate of a `list` field's minimum length. */
export const atLeastItems = (n: number): string => `must have at least ${n} item${n === 1 ? '' : 's'}`;

/** One thing wrong with a value, as zod reports it (the same codes, paths and messages). */
export interface FieldIssue {
  code: 'custom' | 'invalid_type' | 'invalid_value' | 'too_small' | 'unrecognized_keys';
  path: PathSegment[];
  message: string;
  /** `invalid_type`: the type expected (`string`, `array`, …). */
  expected?: string;
  /** `invalid_value`: the allowed values. */
  values?: readonly string[];
  /** `too_small`: the minimum. */
  minimum?: number;
  /** `unrecognized_keys`: the unknown keys and the allowed ones. */
  keys?: readonly string[];
  allowed?: readonly string[];
}

/**
 * What is wrong with `value` under `f`, in the order zod would report it: each known key of a
 * mapping in table order, then its unknown keys; the items of a list, then its length. A value that
 * fails its type is not checked further (zod skips refinements after a failed custom check).
 */
export function fieldIssues(f: Field, value: Value | undefined, path: PathSegment[] = []): FieldIssue[] {
  if (value === undefined && f.optional) return [];
  const custom = (message: string): FieldIssue[] => [{ code: 'custom', path, message }];
  switch (f.kind) {
    case 'number':
    case 'int': {
      const ok = f.kind === 'int' ? isInt(value) : isNumeric(value);
      if (!ok) return custom(f.kind === 'int' ? 'must be an integer' : 'must be a number');
      return f.bound && !f.bound.test(toNumber(value as number)) ? custom(f.bound.message) : [];
    }
    case 'string':
    case 'boolean':
      return typeof value === f.kind ? [] : [{ code: 'invalid_type', path, expected: f.kind, message: `Invalid input: expected ${f.kind}` }];
    case 'any':
      // Any value, but it must be there (zod: "expected nonoptional").
      return value === undefined ? [{ code: 'invalid_type', path, expected: 'nonoptional', message: 'Invalid input: expected nonoptional, received undefined' }] : [];
    case 'record':
    case 'parameters':
      return isRecord(value) ? [] : custom('must be a mapping');
    case 'list':
      if (!Array.isArray(value)) return custom('must be a list');
      return f.minItems !== undefined && value.length < f.minItems ? custom(atLeastItems(f.minItems)) : [];
    case 'enum':
    case 'literal': {
      const values = f.kind === 'enum' ? f.values : [f.value];
      if (typeof value === 'string' && values.includes(value)) return [];
      const message = f.kind === 'enum'
        ? `Invalid option: expected one of ${values.map((v) => JSON.stringify(v)).join('|')}`
        : `Invalid input: expected ${JSON.stringify(f.value)}`;
      return [{ code: 'invalid_value', path, values, message }];
    }
    case 'array': {
      const out: FieldIssue[] = [];
      if (!Array.isArray(value)) out.push({ code: 'invalid_type', path, expected: 'array', message: 'must be a list' });
      else value.forEach((item, i) => out.push(...fieldIssues(f.of, item, [...path, i])));
      // Like zod's length check, which also runs on a string (not on other non-lists).
      const length = Array.isArray(value) || typeof value === 'string' ? value.length : undefined;
      if (f.minItems !== undefined && length !== undefined && length < f.minItems) {
        out.push({
          code: 'too_small', path, minimum: f.minItems,
          message: f.tooFew ?? `Too small: expected array to have >=${f.minItems} items`,
        });
      }
      return out;
    }
    case 'mapping': {
      if (!isRecord(value)) return custom('must be a mapping');
      const out: FieldIssue[] = [];
      for (const [key, sub] of Object.entries(f.fields)) out.push(...fieldIssues(sub, own(value, key), [...path, key]));
      if (!f.loose) {
        const allowed = Object.keys(f.fields);
        const keys = Object.keys(value).filter((k) => !Object.hasOwn(f.fields, k));
        if (keys.length > 0) {
          out.push({ code: 'unrecognized_keys', path, keys, allowed, message: `Unrecognized key${keys.length > 1 ? 's' : ''}` });
        }
      }
      return out;
    }
  }
}

/** `record[key]` when the record has it (never an inherited property such as `constructor`). */
export function own(record: ValueRecord, key: string): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** Whether `value` passes `f`. */
export function fieldAccepts(f: Field, value: Value | undefined): boolean {
  return fieldIssues(f, value).length === 0;
}

/**
 * The filled form of a value `f` accepts, as the zod schema built from `f` outputs it: a mapping
 * keeps its known keys in table order (a loose one then its other keys), fills each and then itself;
 * a list fills its items. `parameters` says how to fill a `parameters` field.
 */
export function fillField(f: Field, value: Value, parameters: (v: Value) => unknown = (v) => v): unknown {
  switch (f.kind) {
    case 'array':
      return (value as Value[]).map((item) => fillField(f.of, item, parameters));
    case 'parameters':
      return parameters(value);
    case 'mapping': {
      const v = value as ValueRecord;
      const out: Record<string, unknown> = {};
      for (const [key, sub] of Object.entries(f.fields)) {
        const x = own(v, key);
        if (x !== undefined) out[key] = fillField(sub, x, parameters);
      }
      if (f.loose) for (const key of Object.keys(v)) if (!Object.hasOwn(f.fields, key)) out[key] = v[key];
      return f.fill ? f.fill(out as ValueRecord) : out;
    }
    default:
      return value;
  }
}

/** The problems of `value` (found at `path` in the file) under `f`, worded as `issueProblems` words them. */
export function checkField(f: Field, value: Value | undefined, path: PathSegment[], hint?: UnknownKeyHint): Problem[] {
  return issueProblems(fieldIssues(f, value), value ?? null, path, hint);
}

/** Extra advice for an unknown key (e.g. "this is a top-level key; check the indentation"). */
export type UnknownKeyHint = (path: PathSegment[], key: string, value: Value | undefined) => string | undefined;

/** An issue from `fieldIssues` or from zod: the parts `issueProblems` reads. */
export interface IssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  expected?: string;
  values?: readonly unknown[];
  keys?: readonly string[];
  allowed?: readonly string[];
  minimum?: number | bigint;
  maximum?: number | bigint;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string', number: 'a number', int: 'an integer', boolean: 'true or false', array: 'a list',
  object: 'a mapping', record: 'a mapping',
};

/** The value at `path` inside `root`, or `undefined` when a key on the way is missing. */
export function valueAt(root: Value | undefined, path: readonly PathSegment[]): Value | undefined {
  let v: Value | undefined = root;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isRecord(v) && Object.hasOwn(v, String(seg))) v = v[String(seg)];
    else return undefined;
  }
  return v;
}

/**
 * Issues as problems worded the Optuna/ESLint way: what was wrong, what is allowed, what was found.
 * `root` is the value that was checked (to quote what the user wrote), `base` its key path in the
 * file, `allowedAt` the keys allowed at a path when an issue does not carry them (zod's do not).
 */
export function issueProblems(
  issues: readonly IssueLike[], root: Value, base: PathSegment[] = [], hint?: UnknownKeyHint,
  allowedAt: (path: PathSegment[]) => readonly string[] | undefined = () => undefined,
): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const rel = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const path = [...base, ...rel];
    const value = valueAt(root, rel);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = issue.allowed ?? allowedAt(rel) ?? [];
        for (const key of issue.keys ?? []) {
          const keyValue = valueAt(value, [key]);
          const extra = hint?.([...path], key, keyValue) ?? didYouMean(key, allowed);
          out.push(error([...path, key], `unknown key.${extra ? ` ${extra}` : ` Allowed keys: ${allowed.join(', ')}.`}`));
        }
        break;
      }
      case 'invalid_type': {
        if (value === undefined) out.push(error(path, 'is required.'));
        else out.push(error(path, `must be ${TYPE_WORDS[issue.expected ?? ''] ?? issue.expected}, but got ${showValueWithType(value)}.`));
        break;
      }
      case 'invalid_value': {
        const values = (issue.values ?? []).map(String);
        if (value === undefined) {
          out.push(error(path, `is required: ${values.length === 1 ? `"${values[0]}"` : `one of ${quoteList(values)}`}.`));
          break;
        }
        const near = typeof value === 'string' ? didYouMean(value, values) : '';
        const allowed = values.length === 1 ? `must be "${values[0]}"` : `must be one of ${values.map((v) => `"${v}"`).join(', ')}`;
        out.push(error(path, `${allowed}, but got ${showValue(value)}.${near ? ` ${near}` : ''}`));
        break;
      }
      case 'too_small':
      case 'too_big': {
        if (Array.isArray(value)) {
          const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
          out.push(error(path, `must have ${bound} items, but has ${value.length}.`));
        } else out.push(error(path, `${issue.message}, but got ${showValue(value)}.`));
        break;
      }
      case 'custom':
        out.push(error(path, value === undefined ? 'is required.' : `${issue.message}, but got ${showValueWithType(value)}.`));
        break;
      default:
        out.push(error(path, `${issue.message}.`));
    }
  }
  return out;
}
