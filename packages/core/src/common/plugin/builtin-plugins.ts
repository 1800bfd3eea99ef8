import type { PluginKind } from './define-plugin.js';

/** A plugin that ships with broom, known by a short alias. */
export interface BuiltinPlugin {
  alias: string;
  kind: PluginKind;
  /** The npm package that holds it; resolved from the host's directories like any package. */
  specifier: string;
}

/**
 * Core's static map of built-in aliases (step (a) of plugin resolution). Only what exists is listed:
 * an alias here must resolve, or `broom` would promise a plugin it does not have.
 */
export const BUILTIN_PLUGINS: readonly BuiltinPlugin[] = [
  { alias: 'grid', kind: 'search', specifier: '@broom/search-grid' },
  { alias: 'random', kind: 'search', specifier: '@broom/search-random' },
  { alias: 'bayes', kind: 'search', specifier: '@broom/search-bayes' },
  { alias: 'hyperband', kind: 'pruner', specifier: '@broom/pruner-hyperband' },
  { alias: 'MedianPruner', kind: 'pruner', specifier: '@broom/pruner-optuna/median' },
  { alias: 'PercentilePruner', kind: 'pruner', specifier: '@broom/pruner-optuna/percentile' },
  { alias: 'SuccessiveHalvingPruner', kind: 'pruner', specifier: '@broom/pruner-optuna/successive-halving' },
  { alias: 'HyperbandPruner', kind: 'pruner', specifier: '@broom/pruner-optuna/hyperband' },
  { alias: 'ThresholdPruner', kind: 'pruner', specifier: '@broom/pruner-optuna/threshold' },
  { alias: 'PatientPruner', kind: 'pruner', specifier: '@broom/pruner-optuna/patient' },
  { alias: 'NopPruner', kind: 'pruner', specifier: '@broom/pruner-optuna/nop' },
  { alias: 'wandb', kind: 'scheduler', specifier: '@broom/scheduler-wandb' },
  { alias: 'optuna', kind: 'scheduler', specifier: '@broom/scheduler-optuna' },
  { alias: 'RandomSampler', kind: 'sampler', specifier: '@broom/sampler-random' },
  { alias: 'GridSampler', kind: 'sampler', specifier: '@broom/sampler-grid' },
  { alias: 'TPESampler', kind: 'sampler', specifier: '@broom/sampler-tpe' },
  { alias: 'GPSampler', kind: 'sampler', specifier: '@broom/sampler-gp' },
  { alias: 'slurm', kind: 'resource', specifier: '@broom/resource-slurm' },
  { alias: 'local-process', kind: 'resource', specifier: '@broom/resource-local-process' },
  { alias: 'local-container', kind: 'resource', specifier: '@broom/resource-docker' },
  { alias: 'docker', kind: 'resource', specifier: '@broom/resource-docker' },
  { alias: 'logging', kind: 'scheduler', specifier: '@broom/scheduler-logging' },
];

export function findBuiltin(alias: string, kind: PluginKind): BuiltinPlugin | undefined {
  return BUILTIN_PLUGINS.find((p) => p.alias === alias && p.kind === kind);
}

/**
 * The package names a plugin name may stand for (step (c)), ESLint style: `percentile` →
 * `broom-plugin-percentile`, `@acme/x` → `@acme/broom-plugin-x`, `@acme` → `@acme/broom-plugin`;
 * a name already in that form is kept.
 */
export function packageNamesFor(name: string): string[] {
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    if (slash < 0) return [`${name}/broom-plugin`];
    const scope = name.slice(0, slash);
    const rest = name.slice(slash + 1);
    return rest.startsWith('broom-plugin') ? [name] : [`${scope}/broom-plugin-${rest}`, name];
  }
  return name.startsWith('broom-plugin-') ? [name] : [`broom-plugin-${name}`];
}
