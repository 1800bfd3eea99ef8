import { definePlugin } from '@broom/core';
import { GpSamplerOptions } from './gp-options.schema.js';
import { GpSampler } from './gp-sampler.js';
import { PACKAGE } from './meta.js';

export { GpSampler, standardize, type GpProposalInfo } from './gp-sampler.js';
export { GpSamplerOptions, type GpSamplerInput } from './gp-options.schema.js';
export {
  defaultKernelParams, fitKernelParams, GPRegressor, KernelFitLoss, kernel, logMarginalLikelihood, logPrior, matern52,
  matern52Derivative, MINIMUM_NOISE_VAR, PairDistances, type FitOptions, type FitResult, type KernelParams,
} from './gp.js';
export { logEi, logH, ACQF_STABILIZING_NOISE } from './log-ei.js';
export { minimizeLbfgsb, type LbfgsbOptions, type LbfgsbResult } from './lbfgsb.js';
export { LogEiAcquisition, localSearchMixed, optimizeAcquisition, type OptimizeOptions } from './optimize-acquisition.js';
export { GpSpace, MAX_GRID_POINTS, checkDistribution, decodeValue, encodeValue, type GpDim } from './search-space.js';
export { shiftedHalton, radicalInverse } from './qmc.js';

export default definePlugin({
  meta: {
    name: PACKAGE.name,
    version: PACKAGE.version,
    kind: 'sampler',
    alias: 'GPSampler',
    description: "Gaussian-process Bayesian optimisation as Optuna's GPSampler does it (ARD Matérn 5/2, MAP kernel fit, log EI, mixed spaces)",
  },
  options: GpSamplerOptions,
  create: (options) => new GpSampler(options),
});
