import { PluginContractError } from '../errors/broom-error.js';
import type { Pruner } from './contracts.js';
import { isTrialPruner, type TrialPruner } from './trial-pruner.js';

/**
 * The W&B-style pruner that `early_terminate.type` needs. An Optuna-style pruner (one with `prune`)
 * belongs in `scheduler.settings.pruner`; naming one in `early_terminate` is refused with that advice.
 */
export function requireRunPruner(product: Pruner | TrialPruner, name: string): Pruner {
  if (typeof (product as Pruner).evaluate === 'function') return product as Pruner;
  const hint = isTrialPruner(product)
    ? `it is an Optuna-style pruner: name it in scheduler.settings.pruner ({type: ${name}, args: {...}}) with scheduler.job: optuna`
    : 'it has no `evaluate(config, runs)` method';
  throw new PluginContractError('not-a-pruner', `early_terminate.type: the pruner plugin "${name}" cannot be used here: ${hint}.`, { name });
}
