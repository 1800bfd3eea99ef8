import { isFloat, isInt, isNumeric, type Value, type ValueRecord } from '../values.js';
import { pyFloatRepr, pyNumber, showValue } from './format-value.js';
import { error, warning, type Problem } from './issues.js';
import { DEPRECATED_DISTRIBUTIONS, wandbMessages } from './messages.js';
import type { PathSegment } from './parse.js';
import type { ParamSpec } from './types.js';

/** Where a parameter sits: its key path, the name W&B's messages use, and whether it is top level. */
export interface ParamSite {
  path: PathSegment[];
  name: string;
  topLevel: boolean;
}

/** `e^-11 … e^-2 = 1.67e-05 … 0.135`: what exponent bounds mean, for the deprecation message. */
function exponentRange(min: number, max: number): string {
  const fmt = (x: number, digits: number) =>
    Math.abs(x) >= 1e-4 && Math.abs(x) < 1e6 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1);
  const [lo, hi] = [Math.exp(min), Math.exp(max)];
  const digits = fmt(lo, 3) === fmt(hi, 3) ? 6 : 3;
  return `${fmt(lo, digits)} … ${fmt(hi, digits)}`;
}

/**
 * The checks W&B makes on a parameter after it matched a definition (spec §1.3, §1.4): min < max,
 * probabilities, deprecated exponent-bound distributions; plus the SDK's ambiguity warning. Nested
 * parameters are checked too. W&B's strict validator only looks at top-level parameters; its engine
 * then fails on a nested min ≥ max, so that stays an error at every depth, while a nested deprecated
 * distribution is only a warning (W&B accepts it).
 */
export function checkParameter(site: ParamSite, raw: ValueRecord, spec: ParamSpec): Problem[] {
  const out: Problem[] = [];
  if (spec.distribution === 'param_dict') {
    const children = raw.parameters as ValueRecord;
    for (const [name, child] of Object.entries(spec.parameters)) {
      const childSite = { path: [...site.path, 'parameters', name], name: `${site.name}.${name}`, topLevel: false };
      out.push(...checkParameter(childSite, children[name] as ValueRecord, child));
    }
    return out;
  }
  if ('min' in spec && 'max' in spec && spec.min >= spec.max) {
    out.push(error(site.path, `${wandbMessages.minNotLessThanMax(site.name, showNumber(raw.min), showNumber(raw.max))} (min must be smaller than max).`, 'min-max'));
  }
  if (spec.distribution === 'categorical_w_probabilities') {
    const values = raw.values as Value[];
    const probs = spec.probabilities;
    if (values.length !== probs.length) {
      out.push(error([...site.path, 'probabilities'],
        `${wandbMessages.probabilitiesLength(site.name, showValue(values), showValue(raw.probabilities))}: give one probability per value.`, 'probabilities'));
    } else {
      const sum = probs.reduce((a, b) => a + b, 0);
      if (!(Math.abs(sum - 1) <= 1e-8 + 1e-5)) { // numpy.isclose(sum, 1.0)
        out.push(error([...site.path, 'probabilities'],
          `${wandbMessages.probabilitiesSum(site.name, showValue(raw.probabilities))}: they add up to ${pyFloatRepr(sum)}.`, 'probabilities'));
      }
    }
  }
  const replacement = DEPRECATED_DISTRIBUTIONS[spec.distribution];
  if (replacement && 'min' in spec) {
    const [lo, hi] = spec.distribution === 'inv_log_uniform' ? [-spec.max, -spec.min] : [spec.min, spec.max];
    const text =
      `${wandbMessages.deprecatedLog(site.name, spec.distribution, replacement)} ` +
      `The sweep still runs (values e^${pyNumber(lo)} … e^${pyNumber(hi)} = ${exponentRange(lo, hi)}), ` +
      (site.topLevel
        ? "but W&B's validator reports this as a violation."
        : 'and W&B only checks top-level parameters for this.') +
      (lo > 0 && spec.distribution !== 'inv_log_uniform'
        ? ` If ${pyNumber(spec.min)} … ${pyNumber(spec.max)} are the values you want, write distribution: ${replacement}.`
        : '');
    out.push((site.topLevel ? error : warning)([...site.path, 'distribution'], text, 'deprecated'));
  }
  if (site.topLevel && (spec.distribution === 'uniform') && raw.distribution === undefined &&
      ((isInt(raw.min) && isFloat(raw.max)) || (isFloat(raw.min) && isInt(raw.max)))) {
    out.push(warning(site.path,
      `min ${showNumber(raw.min)} and max ${showNumber(raw.max)} mix an integer and a float: broom and W&B's engine ` +
        "infer uniform, but the W&B SDK (`wandb sweep`) refuses this as ambiguous. Write both as floats (e.g. 1.0) or both as integers.", 'ambiguous'));
  }
  return out;
}

function showNumber(v: Value | undefined): string {
  return isNumeric(v) ? pyNumber(v) : showValue(v);
}
