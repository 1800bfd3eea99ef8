import { z } from 'zod';
import { isFloat, isInt, isNumeric, isRecord, toNumber, type PyFloat, type Value, type ValueRecord } from '../values.js';

/*
 * Zod building blocks for values read from YAML. JSON Schema's `number` accepts Python ints and
 * floats but not booleans; zod's `z.number()` also rejects ±Infinity, which YAML (`.inf`) and W&B
 * allow, so numbers are checked with `isNumeric`. Every message is a predicate ("must be …"); the
 * issue renderer adds ", but got X" from the config itself.
 */

/** JSON Schema `number`: an int or a float (boxed or not), never a boolean. */
export const zNumber = z.custom<number | PyFloat>((v) => isNumeric(v), { error: 'must be a number' });

/** W&B's `format: integer`: a true Python int, so `2.0` is not one. */
export const zInt = z.custom<number>((v) => isInt(v), { error: 'must be an integer' });

/** W&B's `format: float`: a Python float (`0.5`, `1.0`, `1e-5`). */
export const zFloat = z.custom<number | PyFloat>((v) => isFloat(v), { error: 'must be a float' });

export const zPositive = zNumber.refine((v) => toNumber(v) > 0, { error: 'must be > 0' });
export const zNonNegative = zNumber.refine((v) => toNumber(v) >= 0, { error: 'must be ≥ 0' });

/** Any YAML value (what `value:` and `values:` items may be). */
export const zValue = z.custom<Value>(() => true);

/** A mapping with free keys (`scheduler.settings`, `resource_args`). */
export const zRecord = z.custom<ValueRecord>((v) => isRecord(v), { error: 'must be a mapping' });

/** The mapping guard in front of an object schema (typed loosely so the object's own input type applies). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const zMapping = z.custom<any>((v) => isRecord(v), { error: 'must be a mapping' });

/** A list of any values. */
export const zList = z.custom<Value[]>((v) => Array.isArray(v), { error: 'must be a list' });

/**
 * A strict object that first insists on a real mapping: `z.strictObject` alone would take any JS
 * object, including a boxed float, as an object with no keys.
 */
export function mapping<T extends z.ZodRawShape>(shape: T) {
  return zMapping.pipe(z.strictObject(shape));
}

/** A mapping that allows keys it does not know (W&B's `controller`). */
export function looseMapping<T extends z.ZodRawShape>(shape: T) {
  return zMapping.pipe(z.looseObject(shape));
}


/**
 * The keys a schema accepts at `path` (for "Did you mean"), found by walking the zod definitions:
 * objects, pipes, optionals, defaults, arrays, records, lazies and transforms.
 */
export function knownKeysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] | undefined {
  let s: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    if (!s) return undefined;
    if (s instanceof z.ZodObject) s = unwrap(s.shape[String(seg)] as z.ZodType | undefined);
    else if (s instanceof z.ZodArray) s = unwrap(s.element as z.ZodType);
    else if (s instanceof z.ZodRecord) s = unwrap(s.valueType as z.ZodType);
    else return undefined;
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape) : undefined;
}

function unwrap(schema: z.ZodType | undefined): z.ZodType | undefined {
  let s = schema;
  for (let i = 0; s && i < 20; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) s = s.unwrap() as z.ZodType;
    else if (s instanceof z.ZodPipe) s = (s.out instanceof z.ZodTransform ? s.in : s.out) as z.ZodType;
    else if (s instanceof z.ZodLazy) s = s.unwrap() as z.ZodType;
    else break;
  }
  return s;
}
