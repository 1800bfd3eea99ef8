import type { ParamSpecs } from '../config/types.js';
import { isRecord, type Value, type ValueRecord } from '../values.js';
import type { LeafParamSpec } from './distributions.js';
import { compareCodePoints } from './value-key.js';

/** The delimiter W&B joins nested parameter names with (spec §1.5). */
export const NESTING_DELIMITER = '.wbnest[599c28ca25da].';

/** One leaf parameter of a (possibly nested) `parameters` block. */
export interface FlatParam {
  /** Keys from the top level down, e.g. `['optimizer', 'lr']`. */
  path: string[];
  /** The dotted name used in messages, e.g. `optimizer.lr`. */
  name: string;
  spec: LeafParamSpec;
}

/**
 * The leaf parameters in W&B's order: `HyperParameterSet.from_config` walks each level's keys in
 * sorted order (Python's code-point order), depth first, so a nested block's leaves sit where its
 * own key sorts. Grid order, random draws and bayes dimensions all follow this order.
 */
export function flattenParams(params: ParamSpecs): FlatParam[] {
  const out: FlatParam[] = [];
  const walk = (specs: ParamSpecs, prefix: string[]): void => {
    for (const key of Object.keys(specs).sort(compareCodePoints)) {
      const spec = specs[key];
      const path = [...prefix, key];
      if (spec.distribution === 'param_dict') walk(spec.parameters, path);
      else out.push({ path, name: path.join('.'), spec });
    }
  };
  walk(params, []);
  return out;
}

/** Build a nested record from leaf paths and values; a path that runs through a leaf is an error. */
export function nestValues(entries: readonly { path: readonly string[]; value: Value }[]): ValueRecord {
  const root: ValueRecord = {};
  const leaves = new Set<ValueRecord[string]>();
  for (const { path, value } of entries) {
    if (path.length === 0) throw new RangeError('A parameter path must have at least one key');
    let node = root;
    for (let i = 0; i < path.length - 1; i++) {
      const key = path[i];
      if (!Object.prototype.hasOwnProperty.call(node, key)) node[key] = {};
      const child = node[key];
      if (!isRecord(child) || leaves.has(child)) throw nestingClash(path, i);
      node = child;
    }
    const last = path[path.length - 1];
    if (Object.prototype.hasOwnProperty.call(node, last)) throw nestingClash(path, path.length - 1);
    node[last] = value;
    if (isRecord(value)) leaves.add(value);
  }
  return root;
}

function nestingClash(path: readonly string[], at: number): Error {
  return new RangeError(
    `While nesting, found key ${path.join('.')} which conflicts with key ${path.slice(0, at + 1).join('.')}`,
  );
}

/** The value at a path of a nested record, or `undefined` if any key on the way is missing. */
export function getPath(record: ValueRecord, path: readonly string[]): Value | undefined {
  let node: Value | undefined = record;
  for (const key of path) {
    if (!isRecord(node) || !Object.prototype.hasOwnProperty.call(node, key)) return undefined;
    node = node[key];
  }
  return node;
}
