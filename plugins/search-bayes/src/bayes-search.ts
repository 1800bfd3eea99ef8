import {
  flattenParams,
  type Proposal, type Run, type SearchContext, type SearchMethod, type SweepConfig, type MetricConfig, type Value,
} from '@broom/core';
import { nextPoint, type GpData } from './next-point.js';
import { runTargets } from './run-targets.js';
import { UnitCubeEncoding } from './unit-cube-encoding.js';

export const NO_METRIC_MESSAGE = 'Bayesian search requires "metric" section';
export const NO_SEARCHABLE_PARAMETER_MESSAGE = 'Need at least one searchable parameter for bayes search.';
export const NO_VALID_SAMPLES_WARNING = 'Sweep has no valid samples of the metric.';

/**
 * The GP's data from the sweep's runs (W&B's `_construct_gp_data`): every run's point in the unit
 * cube, its target from {@link runTargets} negated when maximising (the GP always minimises), or its
 * point as pending. Warns when there is no observation at all.
 */
export function collectGpData(metric: MetricConfig, runs: readonly Run[], encoding: UnitCubeEncoding): GpData & { warnings: string[] } {
  const d = encoding.size;
  const targets = runTargets(metric, runs);
  const observed = targets.filter((t) => t.role === 'observation').length;
  const x = new Float64Array(observed * d);
  const y = new Float64Array(observed);
  const pending = new Float64Array((targets.length - observed) * d);
  const sign = metric.goal === 'maximize' ? -1 : 1;
  let n = 0;
  let p = 0;
  targets.forEach((target, i) => {
    if (target.role === 'observation') {
      encoding.encode(runs[i].config, x, n * d);
      y[n++] = sign * target.value;
    } else {
      encoding.encode(runs[i].config, pending, p++ * d);
    }
  });
  return { d, x, y, n, pending, p, warnings: n === 0 ? [NO_VALID_SAMPLES_WARNING] : [] };
}

/**
 * W&B's bayes search (spec §3.3): a Gaussian process (Matern ν=1.5) over the unit cube the
 * parameters' CDFs map to, expected improvement over 1000 random candidates, pending runs as
 * kriging-believer fantasies. Each proposal carries `search_info` with `success_probability`,
 * `predicted_value` and `predicted_value_std_dev` (de-standardised, in the minimised scale: negated
 * for `goal: maximize`, as W&B reports them), `expected_improvement` (standardised units, as W&B)
 * and `warnings` (a list of W&B's texts; W&B joins them into one string). Never exhausts.
 */
export class BayesSearch implements SearchMethod {
  check(config: SweepConfig): string[] {
    const problems: string[] = [];
    if (!config.metric) problems.push(NO_METRIC_MESSAGE);
    if (!flattenParams(config.parameters ?? {}).some((p) => p.spec.distribution !== 'constant')) {
      problems.push(NO_SEARCHABLE_PARAMETER_MESSAGE);
    }
    return problems;
  }

  next({ config, runs, random }: SearchContext): Proposal {
    const problems = this.check(config);
    if (problems.length > 0) throw new Error(problems[0]);
    const metric = config.metric as MetricConfig;
    const encoding = new UnitCubeEncoding(config.parameters);
    const data = collectGpData(metric, runs, encoding);
    const next = nextPoint(data, random);
    // As W&B's engine reports them: the engine minimises, so for `goal: maximize` the predicted value
    // is the negated metric; the expected improvement is in standardised units.
    const searchInfo: { [key: string]: Value } = {
      success_probability: next.successProbability,
      predicted_value: next.predictedValue,
      predicted_value_std_dev: next.predictedStdDev,
      expected_improvement: next.expectedImprovement,
      warnings: [...data.warnings, ...next.warnings],
    };
    return { config: encoding.decode(next.point), search_info: searchInfo };
  }

  /** Unbounded: bayes search never runs out of points. */
  expectedRunCount(): null {
    return null;
  }
}
