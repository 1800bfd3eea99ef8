import { definePlugin } from '@broom/core';
import { PACKAGE } from './meta.js';
import { TpeSamplerOptions } from './tpe-options.schema.js';
import { TpeSampler } from './tpe-sampler.js';

export { TpeSampler } from './tpe-sampler.js';
export { TpeSamplerOptions, type TpeSamplerInput } from './tpe-options.schema.js';
export { defaultGamma, defaultWeights, prunedTrialScore, splitTrials } from './split.js';
export { ParzenEstimator, numericalKernels, type Kernels, type ParzenParameters } from './parzen-estimator.js';
export { hypervolume, hypervolumeWeights, nonDominationRanks, referencePoint, solveHssp } from './hypervolume.js';

export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'sampler',
    alias: 'TPESampler',
    description: "Tree-structured Parzen Estimator, as Optuna's TPESampler does it (univariate or multivariate, constant liar, multi-objective)",
  },
  options: TpeSamplerOptions,
  create: (options) => new TpeSampler(options),
});
