import { PluginContractError } from '../../common/errors/broom-error.js';
import type { Pruner, SearchMethod } from '../../common/plugin/contracts.js';
import type { Sampler } from '../../common/plugin/sampler.js';
import { isTrialPruner } from '../../common/plugin/trial-pruner.js';
import { SamplerSearch, StudyPruner } from '../../common/study/sampler-search.js';
import type { StudySpec } from '../../common/study/study-spec.js';
import { importPlugin, instantiatePlugin, type ResolvedPlugin } from '../plugin/plugin-loader.js';

export const SAMPLER_KEY = 'scheduler.settings.sampler';
export const PRUNER_KEY = 'scheduler.settings.pruner';

/** The study's sampler as a search method, from its resolved plugin. */
export async function studySearch(resolved: ResolvedPlugin, study: StudySpec): Promise<SearchMethod> {
  const plugin = await importPlugin(resolved as ResolvedPlugin & { kind: 'sampler' }, `${SAMPLER_KEY}.type`);
  const sampler = instantiatePlugin(plugin, study.sampler.args, `${SAMPLER_KEY}.args`) as Sampler;
  if (typeof sampler?.sample !== 'function') {
    throw new PluginContractError('not-a-sampler', `${SAMPLER_KEY}.type: the plugin "${study.sampler.type}" made no sampler (an object with a \`sample(request)\` method).`, { name: study.sampler.type });
  }
  return new SamplerSearch(sampler, study);
}

/** The study's pruner as the engine's pruner, from its resolved plugin. */
export async function studyPruner(resolved: ResolvedPlugin, study: StudySpec): Promise<Pruner> {
  const plugin = await importPlugin(resolved as ResolvedPlugin & { kind: 'pruner' }, `${PRUNER_KEY}.type`);
  const pruner = instantiatePlugin(plugin, study.pruner?.args ?? {}, `${PRUNER_KEY}.args`);
  if (!isTrialPruner(pruner)) {
    throw new PluginContractError(
      'not-a-trial-pruner',
      `${PRUNER_KEY}.type: the plugin "${study.pruner?.type}" is a W&B-style pruner (for early_terminate), not an Optuna-style one with \`prune(request)\`; name one such as PercentilePruner or MedianPruner.`,
      { name: study.pruner?.type },
    );
  }
  return new StudyPruner(pruner, study);
}
