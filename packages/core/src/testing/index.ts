/**
 * @broom/core/testing: contract suites that plugin authors run in one line.
 * @experimental
 */
export { describeSearchMethodContract } from './search-method-contract.js';
export { describeTrialPrunerContract, type TrialPrunerContractOptions } from './pruner-contract.js';
export {
  describeSamplerContract,
  distributionViolation,
  plainDataViolation,
  CONTRACT_SPACE,
  type SamplerContractOptions,
} from './sampler-contract.js';
