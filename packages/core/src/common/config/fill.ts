import { SweepConfigError } from '../errors/broom-error.js';
import { isRecord, makeFloat, type Value, type ValueRecord } from '../values.js';
import { checkParameterValue, parameterNameProblem } from './diagnose-parameter.js';
import { checkField, fieldAccepts, fillField } from './fields.js';
import { showValue } from './format-value.js';
import { error, formatIssues, toIssue, type Locate, type Problem } from './issues.js';
import { splitLaunchConfig } from './launch-rule.js';
import { NOT_AN_OBJECT } from './messages.js';
import { matchParameter, matchParameters, PARAMETER_NAME } from './parameter-table.js';
import { crossKeyRules } from './rules.js';
import { GOALS, HYPERBAND_FIELD, IMPUTES, METRIC_FIELD, SWEEP_CONFIG_FIELD, SWEEP_CONFIG_FIELDS } from './sweep-fields.js';
import { METHODS, type ParamSpec, type ParamSpecs, type Q, type SweepConfig } from './types.js';

export interface FillOptions {
  file?: string;
  /** As for `validateConfig`: force or forbid reading the config as a Launch sweep. */
  launch?: boolean;
  locate?: Locate;
}

const SEARCH_METHODS = ['grid', 'random', 'bayes'];
const HYPERBAND_KEYS = ['type', 'min_iter', 'max_iter', 's', 'eta', 'strict'];

/**
 * The lenient, search-time reading of a sweep config (what W&B's engine does, spec §1.6): an invalid
 * `metric.goal` or `metric.impute` falls back to its default, unknown `early_terminate` keys are
 * dropped, unknown top-level keys and invalid optional scalars are ignored, deprecated distributions
 * are accepted. It throws `SweepConfigError` only where the engine refuses to run: no method or an
 * unknown one, a parameter that matches no definition, has min ≥ max or an invalid name, no
 * parameters for grid/random/bayes, and a metric or early_terminate block it cannot read (no metric
 * name, a hyperband without min_iter or max_iter and s).
 *
 * It reads the same tables as `validateConfig` (`sweep-fields.ts`, `parameter-table.ts`) but never
 * their zod schemas, so the engine (`nextRuns`, `stopRuns`) runs without loading zod or yaml.
 */
export function fillConfig(raw: Value, opts: FillOptions = {}): SweepConfig {
  const file = opts.file ?? '<config>';
  if (!isRecord(raw)) fail([error([], NOT_AN_OBJECT)], file, opts.locate);
  const split = splitLaunchConfig(raw, { launch: opts.launch });
  const c = split.config;
  const problems: Problem[] = [];
  const cleaned: ValueRecord = {};

  const method = c.method;
  if (method === undefined) {
    problems.push(error(split.methodPath, "is required: the engine cannot search without one (W&B: 'Sweep config must contain method section')."));
  } else if (!(METHODS as readonly Value[]).includes(method)) {
    problems.push(error(split.methodPath, `must be one of ${METHODS.map((m) => `"${m}"`).join(', ')}, but got ${showValue(method)}.`));
  } else cleaned.method = method;

  const params = c.parameters;
  if (params === undefined || (isRecord(params) && Object.keys(params).length === 0)) {
    if (typeof method === 'string' && SEARCH_METHODS.includes(method)) {
      problems.push(error(['parameters'], `${method} search needs at least one parameter (W&B: 'Parameters section of sweep config must be a dict of at least length 1').`));
    }
  } else if (!isRecord(params)) {
    problems.push(error(['parameters'], `must be a mapping of parameters, but got ${showValue(params)}.`));
  } else {
    for (const [name, p] of Object.entries(params)) {
      if (!PARAMETER_NAME.test(name)) problems.push(parameterNameProblem(['parameters', name], name));
      const matched = matchParameter(p) !== undefined;
      const found = checkParameterValue({ path: ['parameters', name], name, topLevel: true }, p);
      problems.push(...found.filter((x) => x.severity === 'error' && (!matched || x.code === 'min-max')));
    }
    cleaned.parameters = params;
  }

  if (c.metric !== undefined) {
    const m = isRecord(c.metric) ? { ...c.metric } : c.metric;
    if (isRecord(m)) {
      if ('goal' in m && !(GOALS as readonly Value[]).includes(m.goal)) delete m.goal;
      if ('impute' in m && !(IMPUTES as readonly Value[]).includes(m.impute)) delete m.impute;
    }
    problems.push(...checkField(METRIC_FIELD, m, ['metric']));
    cleaned.metric = m;
  }
  if (c.metrics !== undefined) {
    // Only a custom scheduler reads `metrics`: refuse bad ones there, ignore them elsewhere.
    const found = [
      ...checkField(SWEEP_CONFIG_FIELDS.metrics, c.metrics, ['metrics']),
      ...crossKeyRules({ metrics: c.metrics, parameters: {} }).filter((p) => p.path[0] === 'metrics'),
    ];
    if (found.length === 0) cleaned.metrics = c.metrics;
    else if (method === 'custom') problems.push(...found);
  }
  if (c.early_terminate !== undefined) {
    const et = isRecord(c.early_terminate)
      ? Object.fromEntries(Object.entries(c.early_terminate).filter(([k]) => HYPERBAND_KEYS.includes(k)))
      : c.early_terminate;
    problems.push(...checkField(HYPERBAND_FIELD, et, ['early_terminate']));
    problems.push(...crossKeyRules({ early_terminate: et, parameters: {} }).filter((p) => p.path[0] === 'early_terminate'));
    cleaned.early_terminate = et;
  }
  for (const [key, f] of Object.entries(SWEEP_CONFIG_FIELDS)) {
    if (key in cleaned || ['method', 'parameters', 'metric', 'metrics', 'early_terminate'].includes(key)) continue;
    if (c[key] !== undefined && fieldAccepts(f, c[key])) cleaned[key] = c[key];
  }
  if (problems.some((p) => p.severity === 'error')) fail(problems, file, opts.locate);

  // Every key of `cleaned` passed its field, and every parameter matched: fill in W&B's defaults.
  const filled = fillField(SWEEP_CONFIG_FIELD, cleaned, (v) => matchParameters(v)) as SweepConfig;
  return {
    ...filled,
    ...(split.scheduler ? { scheduler: split.scheduler } : {}),
    ...(split.launchBlock ? { launch: split.launchBlock } : {}),
  };
}

function fail(problems: Problem[], file: string, locate?: Locate): never {
  const issues = problems.filter((p) => p.severity === 'error').map((p) => toIssue(p, locate));
  throw new SweepConfigError(`${file}: the sweep cannot run:\n${formatIssues(issues, file)}`, issues, { file });
}

/**
 * A filled config as YAML-ready values, for `broom validate --fill`: every parameter with its
 * `distribution` and defaults (q as `1.0`, an int q as written), continuous bounds and shapes as
 * floats, the metric with goal/impute/impute_while_running, hyperband with eta and strict. Reading it
 * back gives the same config.
 */
export function renderFilledConfig(config: SweepConfig): Value {
  const out: ValueRecord = {};
  const put = (key: string, v: unknown) => {
    if (v !== undefined) out[key] = v as Value;
  };
  put('program', config.program);
  put('method', config.method);
  if (config.metric) {
    const m = config.metric;
    put('metric', {
      name: m.name, goal: m.goal, ...(m.target !== undefined ? { target: m.target } : {}),
      impute: m.impute, impute_while_running: m.impute_while_running,
    });
  }
  put('metrics', config.metrics);
  if (config.early_terminate) {
    const h = config.early_terminate;
    const et: ValueRecord = { type: h.type };
    for (const k of ['min_iter', 'max_iter', 's'] as const) if (h[k] !== undefined) et[k] = h[k];
    put('early_terminate', { ...et, eta: h.eta, strict: h.strict });
  }
  if (Object.keys(config.parameters).length > 0) put('parameters', renderParameters(config.parameters));
  for (const key of ['command', 'run_cap', 'name', 'description', 'project', 'entity', 'job', 'image_uri', 'controller', 'scheduler', 'launch', 'apiVersion', 'kind'] as const) {
    put(key, config[key]);
  }
  return out;
}

function renderParameters(specs: ParamSpecs): ValueRecord {
  const out: ValueRecord = {};
  for (const [name, spec] of Object.entries(specs)) out[name] = renderParameter(spec);
  return out;
}

const q = (x: Q): Value => (x.isInt ? x.value : makeFloat(x.value));

function renderParameter(spec: ParamSpec): ValueRecord {
  const d = spec.distribution;
  switch (spec.distribution) {
    case 'param_dict':
      return { parameters: renderParameters(spec.parameters) };
    case 'constant':
      return { distribution: d, value: spec.value };
    case 'categorical':
      return { distribution: d, values: spec.values };
    case 'categorical_w_probabilities':
      return { distribution: d, values: spec.values, probabilities: spec.probabilities };
    case 'int_uniform':
      return { distribution: d, min: spec.min, max: spec.max };
    case 'q_uniform': case 'q_log_uniform': case 'q_log_uniform_values':
      return { distribution: d, min: makeFloat(spec.min), max: makeFloat(spec.max), q: q(spec.q) };
    case 'normal': case 'log_normal':
      return { distribution: d, mu: makeFloat(spec.mu), sigma: makeFloat(spec.sigma) };
    case 'q_normal': case 'q_log_normal':
      return { distribution: d, mu: makeFloat(spec.mu), sigma: makeFloat(spec.sigma), q: q(spec.q) };
    case 'beta':
      return { distribution: d, a: makeFloat(spec.a), b: makeFloat(spec.b) };
    case 'q_beta':
      return { distribution: d, a: makeFloat(spec.a), b: makeFloat(spec.b), q: q(spec.q) };
    default:
      return { distribution: d, min: makeFloat(spec.min), max: makeFloat(spec.max) };
  }
}
