import type { ParamSpecs } from '../config/types.js';
import type { Random } from '../plugin/random.js';
import type { ValueRecord } from '../values.js';
import { ppf } from './distributions.js';
import { flattenParams, nestValues } from './flatten.js';
import { cloneValue } from './value-key.js';

/**
 * Random search's draw (spec §3.2): every non-constant parameter independently at `ppf(u)` with a
 * fresh uniform `u`, in W&B's parameter order; constants are passed through. Returns the nested
 * run config.
 */
export function sampleConfig(params: ParamSpecs, random: Random): ValueRecord {
  const entries = flattenParams(params).map(({ path, spec }) => ({
    path,
    value: cloneValue(spec.distribution === 'constant' ? spec.value : ppf(spec, random.next())),
  }));
  return nestValues(entries);
}
