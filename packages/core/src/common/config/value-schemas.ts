import { z } from 'zod';
import { isFloat, isInt, isNumeric, isRecord, toNumber, type PyFloat, type Value, type ValueRecord } from '../values.js';
import { atLeastItems, type Field, type Fields } from './fields.js';

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
 * The zod schema of a field of the zod-free tables (`fields.ts`): the strict validator's schemas are
 * built from the same tables the engine reads, so the two cannot drift apart. `parameters` gives the
 * schema of a `parameters` field. A mapping's schema is built once and shared by every field that
 * holds it (e.g. `metric` and the items of `metrics`).
 */
export function fieldSchema(f: Field, parameters?: () => z.ZodType): z.ZodType {
  const s = baseSchema(f, parameters);
  return f.optional ? s.optional() : s;
}

const mappings = new WeakMap<Fields, Map<unknown, z.ZodType>>();

function baseSchema(f: Field, parameters?: () => z.ZodType): z.ZodType {
  switch (f.kind) {
    case 'number':
    case 'int': {
      const base = f.kind === 'int' ? zInt : zNumber;
      const bound = f.bound;
      return bound ? base.refine((v) => bound.test(toNumber(v)), { error: bound.message }) : base;
    }
    case 'string':
      return z.string();
    case 'boolean':
      return z.boolean();
    case 'any':
      return zValue;
    case 'record':
      return zRecord;
    case 'parameters':
      if (!parameters) throw new Error('fieldSchema: a parameters field needs the parameters schema');
      return parameters();
    case 'list': {
      const n = f.minItems;
      return n === undefined ? zList : zList.refine((l) => l.length >= n, { error: atLeastItems(n) });
    }
    case 'enum':
      return z.enum(f.values as [string, ...string[]]);
    case 'literal':
      return z.literal(f.value);
    case 'array': {
      const a = z.array(fieldSchema(f.of, parameters), { error: 'must be a list' });
      return f.minItems === undefined ? a : a.min(f.minItems, f.tooFew ? { error: f.tooFew } : undefined);
    }
    case 'mapping': {
      let built = mappings.get(f.fields);
      if (!built) mappings.set(f.fields, (built = new Map()));
      const cacheKey = f.fill ?? (f.loose ? 'loose' : 'strict');
      let s = built.get(cacheKey);
      if (!s) {
        const shape = shapeOf(f.fields, parameters);
        const object = f.loose ? looseMapping(shape) : mapping(shape);
        s = f.fill ? object.transform((v) => f.fill!(v as ValueRecord)) : object;
        built.set(cacheKey, s);
      }
      return s;
    }
  }
}

const shapes = new WeakMap<Fields, z.ZodRawShape>();

/** The zod shape of a table of fields (built once per table). */
export function shapeOf(fields: Fields, parameters?: () => z.ZodType): z.ZodRawShape {
  let shape = shapes.get(fields);
  if (!shape) {
    shape = Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, fieldSchema(f, parameters)]));
    shapes.set(fields, shape);
  }
  return shape;
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
