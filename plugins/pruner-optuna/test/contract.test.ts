import { describeTrialPrunerContract } from '@broom/core/testing';
import { createOptunaPruner, optionsSchemaFor, type OptunaPrunerType } from '../src/index.js';

function make(type: OptunaPrunerType, args: Record<string, unknown>) {
  const parsed = optionsSchemaFor(type).safeParse(args);
  if (!parsed.success) throw new Error(`${type} ${JSON.stringify(args)}: ${parsed.error.message}`);
  return () => createOptunaPruner(type, parsed.data as Record<string, unknown>);
}

describeTrialPrunerContract('MedianPruner', make('MedianPruner', { n_startup_trials: 1 }));
describeTrialPrunerContract('MedianPruner (defaults)', make('MedianPruner', {}));
describeTrialPrunerContract('PercentilePruner', make('PercentilePruner', { percentile: 25, n_startup_trials: 2, n_warmup_steps: 2, interval_steps: 3 }));
describeTrialPrunerContract('SuccessiveHalvingPruner', make('SuccessiveHalvingPruner', {}));
describeTrialPrunerContract('SuccessiveHalvingPruner (eta 2, bootstrap 2)', make('SuccessiveHalvingPruner', { min_resource: 1, reduction_factor: 2, bootstrap_count: 2 }));
describeTrialPrunerContract('HyperbandPruner', make('HyperbandPruner', {}));
describeTrialPrunerContract('HyperbandPruner (max_resource 40, eta 2)', make('HyperbandPruner', { max_resource: 40, reduction_factor: 2 }));
describeTrialPrunerContract('ThresholdPruner', make('ThresholdPruner', { lower: 0.5, upper: 6, n_warmup_steps: 1 }), { mirrorSymmetric: false });
describeTrialPrunerContract('PatientPruner (no wrapped pruner)', make('PatientPruner', { wrapped_pruner: null, patience: 2, min_delta: 0.05 }));
describeTrialPrunerContract(
  'PatientPruner (wrapping SuccessiveHalvingPruner)',
  make('PatientPruner', { wrapped_pruner: { type: 'SuccessiveHalvingPruner', args: { min_resource: 1 } }, patience: 1 }),
);
describeTrialPrunerContract('NopPruner', make('NopPruner', {}));
