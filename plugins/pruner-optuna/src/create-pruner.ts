import type { TrialPruner } from '@broom/core';
import { HyperbandPruner } from './hyperband-pruner.js';
import { NopPruner } from './nop-pruner.js';
import type {
  HyperbandPrunerOptions,
  MedianPrunerOptions,
  OptunaPrunerType,
  PatientPrunerOptions,
  PercentilePrunerOptions,
  SuccessiveHalvingPrunerOptions,
  ThresholdPrunerOptions,
} from './options.js';
import { PatientPruner } from './patient-pruner.js';
import { MedianPruner, PercentilePruner } from './percentile-pruner.js';
import { SuccessiveHalvingPruner } from './successive-halving-pruner.js';
import { ThresholdPruner } from './threshold-pruner.js';

/** Build the Optuna pruner `type` from its already validated `args`. */
export function createOptunaPruner(type: OptunaPrunerType, args: Record<string, unknown>): TrialPruner {
  switch (type) {
    case 'MedianPruner':
      return new MedianPruner(args as MedianPrunerOptions);
    case 'PercentilePruner':
      return new PercentilePruner(args as PercentilePrunerOptions);
    case 'SuccessiveHalvingPruner':
      return new SuccessiveHalvingPruner(args as SuccessiveHalvingPrunerOptions);
    case 'HyperbandPruner':
      return new HyperbandPruner(args as HyperbandPrunerOptions);
    case 'ThresholdPruner':
      return new ThresholdPruner(args as ThresholdPrunerOptions);
    case 'PatientPruner':
      return createPatientPruner(args as unknown as PatientPrunerOptions);
    case 'NopPruner':
      return new NopPruner();
  }
}

/** A PatientPruner with its `wrapped_pruner` ({type, args}, validated) built. */
export function createPatientPruner(options: PatientPrunerOptions): PatientPruner {
  const wrapped = options.wrapped_pruner ? createOptunaPruner(options.wrapped_pruner.type, options.wrapped_pruner.args) : null;
  return new PatientPruner(wrapped, { patience: options.patience, min_delta: options.min_delta });
}
