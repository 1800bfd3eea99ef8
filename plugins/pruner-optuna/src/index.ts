/**
 * @broom/pruner-optuna: Optuna's pruners for `scheduler.settings.pruner: {type, args}`. Each is a
 * plugin behind its own subpath (`@broom/pruner-optuna/percentile`, `/median`,
 * `/successive-halving`, `/hyperband`, `/threshold`, `/patient`, `/nop`), known by Optuna's class
 * name. The package root default-exports MedianPruner, Optuna's default pruner.
 */
export { default } from './plugins/median.js';
export { crc32 } from './crc32.js';
export { createOptunaPruner, createPatientPruner } from './create-pruner.js';
export { HyperbandPruner, type HyperbandBrackets } from './hyperband-pruner.js';
export { NopPruner } from './nop-pruner.js';
export {
  HyperbandPrunerOptions,
  MedianPrunerOptions,
  NopPrunerOptions,
  OPTUNA_PRUNER_TYPES,
  PatientPrunerOptions,
  PercentilePrunerOptions,
  SuccessiveHalvingPrunerOptions,
  ThresholdPrunerOptions,
  optionsSchemaFor,
  type OptunaPrunerType,
  type WrappedPrunerSpec,
} from './options.js';
export { PatientPruner } from './patient-pruner.js';
export { MedianPruner, PercentilePruner } from './percentile-pruner.js';
export { SuccessiveHalvingPruner, estimateMinResource, successiveHalving } from './successive-halving-pruner.js';
export { ThresholdPruner } from './threshold-pruner.js';
