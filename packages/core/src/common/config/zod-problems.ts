import type { z } from 'zod';
import { didYouMean } from '../text/did-you-mean.js';
import { isRecord, type Value } from '../values.js';
import { quoteList, showValue, showValueWithType } from './format-value.js';
import { error, type Problem } from './issues.js';
import type { PathSegment } from './parse.js';
import { knownKeysAt } from './value-schemas.js';

/** Extra advice for an unknown key (e.g. "this is a top-level key; check the indentation"). */
export type UnknownKeyHint = (path: PathSegment[], key: string, value: Value | undefined) => string | undefined;

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
 * Zod issues as problems worded the Optuna/ESLint way: what was wrong, what is allowed, what was
 * found. `root` is the value that was parsed (to quote what the user wrote), `schema` the schema
 * (to list allowed keys), `base` the key path of `root` in the file.
 */
export function zodProblems(
  issues: readonly z.core.$ZodIssue[], root: Value, schema: z.ZodType, base: PathSegment[] = [], hint?: UnknownKeyHint,
): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    const rel = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    const path = [...base, ...rel];
    const value = valueAt(root, rel);
    switch (issue.code) {
      case 'unrecognized_keys': {
        const allowed = knownKeysAt(schema, rel) ?? [];
        for (const key of issue.keys) {
          const keyValue = valueAt(value, [key]);
          const extra = hint?.([...path], key, keyValue) ?? didYouMean(key, allowed);
          out.push(error([...path, key], `unknown key.${extra ? ` ${extra}` : ` Allowed keys: ${allowed.join(', ')}.`}`));
        }
        break;
      }
      case 'invalid_type': {
        if (value === undefined) out.push(error(path, 'is required.'));
        else out.push(error(path, `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}, but got ${showValueWithType(value)}.`));
        break;
      }
      case 'invalid_value': {
        const values = issue.values.map(String);
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
