import { nearest } from '../text/did-you-mean.js';
import { isInt, isNumeric, isRecord, toNumber, type Value, type ValueRecord } from '../values.js';
import { checkParameter, type ParamSite } from './check-parameter.js';
import { fieldIssues } from './fields.js';
import { pyNumber, quoteList, showValue, showValueWithType } from './format-value.js';
import { error as anyError, type Problem } from './issues.js';
import {
  DISTRIBUTION_NAMES, matchParameter, PARAMETER_FORMS, PARAMETER_NAME, parameterForm, type ParameterForm,
} from './parameter-table.js';
import type { Distribution } from './types.js';

/*
 * Zod-free, like the table it reads (`parameter-table.ts`): the strict validator and the engine's
 * lenient fill explain a parameter the same way.
 */

/** Every problem found here means the parameter matches no definition. */
const error = (path: Problem['path'], message: string): Problem => anyError(path, message, 'no-match');

/** Keys that only make sense with an explicit distribution, and the distributions that take them. */
const EXPLICIT_ONLY: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  ['mu', 'sigma', 'a', 'b', 'q'].map((k) => [k, PARAMETER_FORMS.filter((d) => d.keys.includes(k)).map((d) => d.distribution)]),
);
const ALL_PARAM_KEYS = [...new Set(PARAMETER_FORMS.flatMap((d) => d.keys))];
const LOOKS_LIKE_PARAM = ['value', 'values', 'min', 'max', 'distribution', 'parameters'];

/** Whether a value looks like a parameter definition (a mapping with one of the parameter keys). */
export function looksLikeParameter(v: Value | undefined): boolean {
  return isRecord(v) && Object.keys(v).some((k) => LOOKS_LIKE_PARAM.includes(k));
}

/**
 * Check one parameter the way W&B does, and when it matches no definition, say which form it seems
 * to attempt and what is wrong with it (instead of W&B's "is not valid under any of the given
 * schemas"). Returns every problem, including those of nested parameters.
 */
export function checkParameterValue(site: ParamSite, raw: Value): Problem[] {
  const spec = isRecord(raw) ? matchParameter(raw) : undefined;
  if (spec && isRecord(raw)) return checkParameter(site, raw, spec);
  return diagnose(site, raw);
}

function diagnose(site: ParamSite, raw: Value): Problem[] {
  const { path } = site;
  if (!isRecord(raw)) {
    const suggestion = raw === null ? '' : ` For a fixed value write ${String(path[path.length - 1])}: {value: ${showValue(raw, 40)}}.`;
    return [error(path,
      `a parameter must be a mapping such as {value: …} (a fixed value), {values: […]} (a list to search) or ` +
        `{min: …, max: …} (a range), but got ${showValueWithType(raw)}.${suggestion}`)];
  }
  if ('distribution' in raw) {
    const d = raw.distribution;
    if (typeof d !== 'string' || !DISTRIBUTION_NAMES.includes(d)) {
      const hint = typeof d === 'string' ? nearest(d, DISTRIBUTION_NAMES) : undefined;
      return [error([...path, 'distribution'],
        `${showValue(d)} is not a distribution. Valid distributions: ${DISTRIBUTION_NAMES.join(', ')}.` +
          (hint ? ` Did you mean "${hint}"?` : ''))];
    }
    return explain(site, raw, parameterForm(d as Distribution), `distribution ${d}`);
  }
  const keys = Object.keys(raw);
  const has = (k: string) => keys.includes(k);
  if (has('parameters')) return explain(site, raw, parameterForm('param_dict'), 'nested parameters');
  if (has('probabilities')) return explain(site, raw, parameterForm('categorical_w_probabilities'), 'values with probabilities');
  if (has('values')) return explain(site, raw, parameterForm('categorical'), 'a categorical parameter');
  if (has('value')) return explain(site, raw, parameterForm('constant'), 'a constant parameter');
  if (has('min') || has('max')) {
    const d = isInt(raw.min) && isInt(raw.max) ? 'int_uniform' : 'uniform';
    return explain(site, raw, parameterForm(d), `${d === 'int_uniform' ? 'an' : 'a'} ${d} parameter (inferred from min and max)`);
  }
  const explicitOnly = keys.filter((k) => EXPLICIT_ONLY[k]);
  if (explicitOnly.length > 0) {
    const users = [...new Set(explicitOnly.flatMap((k) => EXPLICIT_ONLY[k]))];
    return [error(path,
      `${quoteList(explicitOnly, 'and')} need an explicit distribution: add "distribution:" with one of ${users.join(', ')}.`)];
  }
  if (keys.length > 0 && keys.every((k) => isRecord(raw[k]))) {
    return [error(path,
      `looks like nested parameters (${quoteList(keys, 'and')}) without the "parameters:" key. ` +
        `Write ${String(path[path.length - 1])}: {parameters: {${keys[0]}: …}}.`)];
  }
  const typos = keys.map((k) => [k, nearest(k, ALL_PARAM_KEYS)] as const).filter(([, n]) => n !== undefined);
  return [error(path,
    `matches no parameter form: a parameter needs "value", "values", "min" and "max", "distribution" or ` +
      `"parameters", but has ${keys.length ? quoteList(keys, 'and') : 'no keys'}.` +
      typos.map(([k, n]) => ` Did you mean "${n}" instead of "${k}"?`).join(''))];
}

/** Explain why `raw` does not match `def` (chosen by its distribution, or by its keys: `what`). */
function explain(site: ParamSite, raw: ValueRecord, def: ParameterForm, what: string): Problem[] {
  const { path } = site;
  const out: Problem[] = [];
  const dist = def.distribution;
  for (const key of Object.keys(raw)) {
    if (def.keys.includes(key)) continue;
    let hint = '';
    if (looksLikeParameter(raw[key])) hint = ' It looks like a parameter: check its indentation.';
    else if (['min', 'max'].includes(key) && def.keys.includes('mu')) hint = ` ${dist} is shaped by mu and sigma, not by min and max.`;
    else if (EXPLICIT_ONLY[key]) hint = ` "${key}" is used by ${EXPLICIT_ONLY[key].join(', ')}.`;
    else {
      const near = nearest(key, def.keys);
      if (near) hint = ` Did you mean "${near}"?`;
    }
    out.push(error([...path, key], `unknown key for ${what}. Allowed keys: ${def.keys.join(', ')}.${hint}`));
  }
  for (const key of def.required) {
    if (!(key in raw)) out.push(error([...path, key], `${what} needs "${key}".`));
  }
  for (const key of def.keys) {
    if (!(key in raw)) continue;
    if (key === 'parameters') {
      out.push(...diagnoseNested(site, raw.parameters));
      continue;
    }
    const issues = fieldIssues(def.fields[key], raw[key]);
    if (issues.length === 0) continue;
    out.push(error([...path, key], fieldMessage(dist, key, raw[key], issues[0].message)));
  }
  if (out.length === 0 && dist === 'uniform') {
    out.push(error(path, `uniform without "distribution: uniform" needs a float min or max, but got ${showValue(raw.min)} and ${showValue(raw.max)}.`));
  }
  if (out.length === 0) out.push(error(path, `does not match ${what}.`));
  return out;
}

function fieldMessage(dist: Distribution, key: string, v: Value | undefined, predicate: string): string {
  if (dist === 'int_uniform' && (key === 'min' || key === 'max') && isNumeric(v)) {
    const x = toNumber(v);
    const fix = Number.isInteger(x) ? `Write ${x}, or use` : 'Use';
    return `int_uniform needs integer min and max, but got ${pyNumber(v)}. ${fix} distribution: uniform for a float range.`;
  }
  if (dist.endsWith('_values') && key === 'min' && isNumeric(v)) {
    return `${dist} needs min > 0 (min and max are the actual values, not exponents), but got ${pyNumber(v)}.` +
      (toNumber(v) < 0 ? ' For a range of negative numbers use distribution: uniform.' : '');
  }
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) {
    return `${predicate}, but got ${showValueWithType(v)}. Remove the quotes to make it a number.`;
  }
  if (key === 'distribution') return `must be "${dist}", but got ${showValue(v)}.`;
  return `${predicate}, but got ${showValueWithType(v)}.`;
}

function diagnoseNested(site: ParamSite, children: Value | undefined): Problem[] {
  const path = [...site.path, 'parameters'];
  if (!isRecord(children)) return [error(path, `must be a mapping of parameters, but got ${showValueWithType(children)}.`)];
  const names = Object.keys(children);
  if (names.length === 0) return [error(path, 'must define at least one parameter.')];
  const out: Problem[] = [];
  for (const name of names) {
    const child: ParamSite = { path: [...path, name], name: `${site.name}.${name}`, topLevel: false };
    if (!PARAMETER_NAME.test(name)) out.push(parameterNameProblem(child.path, name));
    out.push(...checkParameterValue(child, children[name]));
  }
  return out;
}

/** A parameter name W&B's pattern refuses. */
export function parameterNameProblem(path: Problem['path'], name: string): Problem {
  return error(path,
    `parameter names must start with a letter or "_" and contain only letters, digits, "_", "." and "-" ` +
      `(^[A-Za-z_][A-Za-z0-9_.-]*$), but got ${JSON.stringify(name)}.`);
}
