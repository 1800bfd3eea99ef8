import type { z } from 'zod';
import type { Value } from '../values.js';
import { issueProblems, type UnknownKeyHint } from './fields.js';
import type { Problem } from './issues.js';
import type { PathSegment } from './parse.js';
import { knownKeysAt } from './value-schemas.js';

export { valueAt, type UnknownKeyHint } from './fields.js';

/**
 * Zod issues as problems worded the Optuna/ESLint way (by `issueProblems`, which words the zod-free
 * checker's issues too): what was wrong, what is allowed, what was found. `root` is the value that
 * was parsed (to quote what the user wrote), `schema` the schema (to list allowed keys), `base` the
 * key path of `root` in the file.
 */
export function zodProblems(
  issues: readonly z.core.$ZodIssue[], root: Value, schema: z.ZodType, base: PathSegment[] = [], hint?: UnknownKeyHint,
): Problem[] {
  return issueProblems(issues, root, base, hint, (rel) => knownKeysAt(schema, rel));
}
