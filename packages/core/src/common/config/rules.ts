import { isRecord, type ValueRecord } from '../values.js';
import { showValue } from './format-value.js';
import { error, warning, type Problem } from './issues.js';
import { GRID_DISTRIBUTIONS, SUPPORTED_ENGINES, wandbMessages } from './messages.js';
import type { PathSegment } from './parse.js';
import { ENGINES } from './sweep-fields.js';
import type { ParamSpecs } from './types.js';

/**
 * W&B's rules that its JSON Schema cannot express (cfg.py `schema_violations_from_proposed_config`,
 * `fill_validate_metrics`, and hyperband's `anyOf`), on a config whose Launch blocks are removed.
 */
export function crossKeyRules(config: ValueRecord): Problem[] {
  const out: Problem[] = [];
  const { method, scheduler, metric, metrics, controller, early_terminate: et } = config;
  const searchSpace = isRecord(scheduler) && Boolean(scheduler.search_space);
  if (config.parameters === undefined && !searchSpace) out.push(error(['parameters'], wandbMessages.parametersRequired()));
  if (metric !== undefined && metrics !== undefined) out.push(error(['metrics'], wandbMessages.metricAndMetrics()));
  else if (metrics !== undefined && method !== undefined && method !== 'custom') {
    out.push(error(['metrics'], wandbMessages.metricsNeedCustom(pyStr(method))));
  }
  if (Array.isArray(metrics)) {
    metrics.forEach((m, i) => {
      if (isRecord(m) && m.goal === undefined) out.push(error(['metrics', i, 'goal'], 'is required in each of metrics: "minimize" or "maximize".'));
    });
  }
  if (scheduler !== undefined) {
    if (isRecord(controller) && controller.type === 'local') out.push(error(['controller', 'type'], wandbMessages.schedulerWithLocalController()));
    if (et !== undefined) out.push(error(['early_terminate'], wandbMessages.schedulerWithEarlyTerminate()));
    if (isRecord(scheduler)) {
      const engine = scheduler.engine;
      const supported = Object.keys(SUPPORTED_ENGINES);
      if (typeof engine === 'string' && (ENGINES as readonly string[]).includes(engine) && !supported.includes(engine)) {
        out.push(error(['scheduler', 'engine'], `${wandbMessages.engineNotSupported(engine, supported)} (${engine} is planned upstream in wandb/sweeps#141).`));
      } else if (typeof engine === 'string' && supported.includes(engine) && !SUPPORTED_ENGINES[engine].includes(String(method))) {
        out.push(error(['method'], wandbMessages.engineMethod(engine, pyStr(method), SUPPORTED_ENGINES[engine])));
      }
      for (const key of ['optimizer', 'search_space']) {
        if (scheduler[key] !== undefined && scheduler.source === undefined) {
          out.push(error(['scheduler', 'source'], `is required when scheduler.${key} is set (the file that defines it).`));
        }
      }
    }
  }
  if (isRecord(et) && et.type === 'hyperband' && et.min_iter === undefined && (et.max_iter === undefined || et.s === undefined)) {
    const missing = et.max_iter === undefined ? (et.s === undefined ? 'neither' : 's without max_iter') : 'max_iter without s';
    out.push(error(['early_terminate'], `hyperband needs either min_iter, or max_iter and s, but got ${missing}.`));
  }
  return out;
}

/** Python's `str()` of a YAML value, as W&B's f-strings print it (`None`, `True`). */
function pyStr(v: unknown): string {
  if (v === undefined || v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return typeof v === 'string' ? v : showValue(v as never);
}

/**
 * Configs W&B accepts but its engine then refuses to search (spec §3.1, §3.3, §4): warnings, so the
 * user hears about them before the sweep starts.
 */
export function searchWarnings(config: ValueRecord, parameters: ParamSpecs): Problem[] {
  const out: Problem[] = [];
  if (config.method === 'bayes' && config.metric === undefined) {
    out.push(warning(['method'], 'bayes search needs a metric to optimize; W&B\'s engine stops with \'Bayesian search requires "metric" section\'. Add metric: {name: …, goal: …}.'));
  }
  if (config.early_terminate !== undefined && config.metric === undefined) {
    out.push(warning(['early_terminate'], 'hyperband compares runs by the metric, but there is no metric: add metric: {name: …, goal: …}.'));
  }
  if (config.method === 'grid') {
    const visit = (specs: ParamSpecs, path: PathSegment[]) => {
      for (const [name, spec] of Object.entries(specs)) {
        if (spec.distribution === 'param_dict') visit(spec.parameters, [...path, name, 'parameters']);
        else if (!GRID_DISTRIBUTIONS.includes(spec.distribution)) {
          const what = spec.distribution === 'categorical_w_probabilities' ? 'values with probabilities' : `distribution ${spec.distribution}`;
          out.push(warning([...path, name],
            `grid search cannot use ${what}: it needs categorical (values), constant (value), int_uniform or q_uniform parameters, and W&B's engine refuses the sweep.`));
        }
      }
    };
    visit(parameters, ['parameters']);
  }
  return out;
}
