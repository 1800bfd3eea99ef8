import { definePlugin } from '@broom/core';
import { BayesSearch } from './bayes-search.js';
import { PACKAGE } from './meta.js';

export {
  BayesSearch, collectGpData, NO_METRIC_MESSAGE, NO_SEARCHABLE_PARAMETER_MESSAGE, NO_VALID_SAMPLES_WARNING,
} from './bayes-search.js';
export {
  nextPoint, expectedImprovement, BAD_FIT_WARNING, CANDIDATE_COUNT, MAX_GP_SAMPLES, MAX_PENDING_POINTS,
  type GpData, type NextPoint,
} from './next-point.js';
/** @experimental The GP is exported for tests and tools; its API may change. */
export {
  GaussianProcess, standardization, GP_NUGGET, STD_EPSILON, LENGTH_SCALE_BOUNDS,
  type GaussianProcessOptions, type Posterior,
} from './gaussian-process.js';
export { runTargets, worstMetric, metricExtremum, type RunTarget } from './run-targets.js';
export { UnitCubeEncoding, encodeValue, isPythonFalsy } from './unit-cube-encoding.js';
/** Dense linear algebra and the 1-D bounded maximiser, shared with `@broom/sampler-gp`. */
export {
  choleskyInto, choleskyWithJitter, choleskySolve, choleskyLogDet, solveLowerInPlace, solveLowerTransposedInPlace,
  JITTER_LEVELS, type CholeskyFactor,
} from './linear-algebra.js';
export { maximizeFrom, brentMaximize, type MaximizeOptions, type MaximizeResult } from './bounded-maximizer.js';

export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'search',
    alias: 'bayes',
    description: 'Bayesian search as W&B does it: a Gaussian process with expected improvement over the CDF-scaled space',
  },
  create: () => new BayesSearch(),
});
