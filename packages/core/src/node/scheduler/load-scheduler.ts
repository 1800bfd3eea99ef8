import type { SweepConfig } from '../../common/config/types.js';
import { BroomError, PluginContractError } from '../../common/errors/broom-error.js';
import type { Scheduler } from '../../common/scheduler/scheduler.js';
import type { SchedulerContext } from '../../common/scheduler/scheduler-types.js';
import { importPlugin, instantiatePlugin, resolvePlugin, type ResolveOptions } from '../plugin/plugin-loader.js';
import { schedulerJobName } from '../../common/scheduler/wandb-jobs.js';
import { schedulerMessages } from './scheduler-messages.js';

/** The scheduler a sweep gets when its config names none (W&B's built-in scheduler). */
export const DEFAULT_SCHEDULER = 'wandb';

const JOB_KEY = 'scheduler.job';
const SETTINGS_KEY = 'scheduler.settings';

/**
 * Make the sweep's scheduler: resolve `scheduler.job` (default `wandb`; an alias, a path relative
 * to `opts.configDir`, a package, or one of W&B's public scheduler jobs), validate `scheduler.settings` against the plugin's strict
 * options schema, and call the plugin's factory with the context and the validated settings.
 * Every failure is a BroomError that names the plugin (and, for settings, the key).
 * @experimental
 */
export async function loadScheduler(
  config: SweepConfig,
  context: Omit<SchedulerContext, 'settings'>,
  opts: ResolveOptions = {},
): Promise<Scheduler> {
  const name = schedulerJobName(config.scheduler?.job ?? DEFAULT_SCHEDULER);
  const rawSettings: unknown = config.scheduler?.settings ?? {};
  if (typeof rawSettings !== 'object' || rawSettings === null || Array.isArray(rawSettings)) {
    throw new PluginContractError('plugin-options', schedulerMessages.settingsNotAnObject({ got: JSON.stringify(rawSettings) }), { name });
  }
  const resolved = resolvePlugin(name, 'scheduler', { ...opts, key: JOB_KEY }) as ReturnType<typeof resolvePlugin> & { kind: 'scheduler' };
  const plugin = await importPlugin(resolved, JOB_KEY);
  const failed = (error: unknown): never => {
    if (error instanceof BroomError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new BroomError('scheduler-create-failed', schedulerMessages.createFailed({ name, plugin: plugin.meta.name, reason }), { name }, { cause: error });
  };

  // instantiatePlugin validates and renders option errors; the wrapper keeps the validated settings.
  let settings: Record<string, unknown> = {};
  let factory: unknown;
  try {
    factory = instantiatePlugin(
      {
        ...plugin,
        create: (options: unknown) => {
          settings = (options ?? {}) as Record<string, unknown>;
          return plugin.create(options);
        },
      },
      rawSettings,
      SETTINGS_KEY,
    );
  } catch (error) {
    failed(error);
  }
  if (typeof factory !== 'function') {
    throw new PluginContractError('not-a-scheduler', schedulerMessages.notAScheduler({ name, plugin: plugin.meta.name, got: describe(factory) }), { name });
  }
  let scheduler: unknown;
  try {
    scheduler = (factory as (context: SchedulerContext) => unknown)({ ...context, settings });
  } catch (error) {
    failed(error);
  }
  // Duck-typed: a plugin built against another copy of core has another Scheduler class.
  if (typeof (scheduler as Scheduler | null)?.step !== 'function') {
    throw new PluginContractError('not-a-scheduler', schedulerMessages.notAScheduler({ name, plugin: plugin.meta.name, got: describe(scheduler) }), { name });
  }
  return scheduler as Scheduler;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `an object without a \`step\` method (${value.constructor?.name ?? 'Object'})`;
  return `${typeof value} ${JSON.stringify(value)}`;
}
