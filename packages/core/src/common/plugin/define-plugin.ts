import type { ContainerModule } from 'inversify';
import type { Pruner, SearchMethod } from './contracts.js';
import type { Resource } from './resource.js';
import type { Sampler } from './sampler.js';
import type { TrialPruner } from './trial-pruner.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { SchedulerContext } from '../scheduler/scheduler-types.js';

export const PLUGIN_KINDS = ['scheduler', 'search', 'sampler', 'pruner', 'resource', 'logger'] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** What each kind of plugin creates. Kinds whose contracts come later map to `unknown`. */
export interface PluginProducts {
  search: SearchMethod;
  /** W&B-style (`early_terminate`, judges every run at once) or Optuna-style (`scheduler.settings.pruner`). */
  pruner: Pruner | TrialPruner;
  /** A scheduler plugin makes one Scheduler per sweep, given the sweep's context. */
  scheduler: (context: SchedulerContext) => Scheduler;
  sampler: Sampler;
  resource: Resource;
  logger: unknown;
}

export interface PluginMeta<K extends PluginKind = PluginKind> {
  /** The package name (or a file plugin's own name). */
  name: string;
  version: string;
  kind: K;
  /** A short name users may write in the sweep config (`grid`, `percentile`). */
  alias?: string;
  description?: string;
}

/**
 * The structural part of a zod schema that the loader uses: plugins bring their own zod, so core does
 * not force its copy on them (and the CLI does not pay zod's load time for plugins with no options).
 */
export interface OptionsSchema<T> {
  safeParse(input: unknown):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string; code?: string; keys?: readonly string[] }[] } };
}

export interface PluginDefinition<K extends PluginKind = PluginKind, O = Record<string, never>> {
  meta: PluginMeta<K>;
  /** A strict schema (`z.strictObject`) for the plugin's options; absent means it takes none. */
  options?: OptionsSchema<O>;
  /**
   * The plain factory: builds the product from validated options. This is what the engine, the CLI
   * and worker threads call; it needs no container.
   */
  create: (options: O) => PluginProducts[K];
  /** Optional DI wiring for hosts that assemble plugins in an inversify container (the server). */
  module?: (options: O) => ContainerModule;
}

const PLUGIN_BRAND = Symbol.for('broom.plugin');

/** Declare a plugin: the default export of a plugin package or file. */
export function definePlugin<K extends PluginKind, O = Record<string, never>>(
  definition: PluginDefinition<K, O>,
): PluginDefinition<K, O> {
  Object.defineProperty(definition, PLUGIN_BRAND, { value: true, enumerable: false });
  return definition;
}

export function isPluginDefinition(value: unknown): value is PluginDefinition {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[PLUGIN_BRAND] === true;
}
