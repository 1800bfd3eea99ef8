import { isRecord, type Value, type ValueRecord } from '../values.js';
import { showValue } from './format-value.js';
import { error, warning, type Problem } from './issues.js';
import { checkField, fillField } from './fields.js';
import { LAUNCH_BLOCK_FIELD, LAUNCH_SCHEDULER_FIELD, LAUNCH_SCHEDULER_KEYS } from './launch-fields.js';
import type { PathSegment } from './parse.js';
import type { SchedulerBlock } from './types.js';

/** A config split the way `wandb launch-sweep` splits it before upload (spec §1.7). */
export interface LaunchSplit {
  /** Whether the config was read as a Launch sweep. */
  launch: boolean;
  /** The config as W&B would upload it: `scheduler` and `launch` removed, `method` decided. */
  config: ValueRecord;
  /** The Launch `scheduler` block, when it is valid. */
  scheduler?: SchedulerBlock;
  /** The `launch` block, when it is valid. */
  launchBlock?: ValueRecord;
  /** Problems in the Launch blocks, and the method rule's warnings. */
  problems: Problem[];
  /** Where the sweep's method came from, to place its errors (`method`, `scheduler.settings.method`). */
  methodPath: PathSegment[];
}

/**
 * Whether a config is a Launch sweep: it has a `launch` block, or a `scheduler` block of the Launch
 * kind (job, num_workers, resource, …) rather than the 2026 `engine` kind.
 */
export function isLaunchConfig(raw: ValueRecord): boolean {
  if (raw.launch !== undefined) return true;
  const s = raw.scheduler;
  return isRecord(s) && !('engine' in s) && Object.keys(s).some((k) => (LAUNCH_SCHEDULER_KEYS as readonly string[]).includes(k));
}

/**
 * Check the Launch blocks on their own, remove them, and apply W&B's method rule: with
 * `scheduler.job` and no method, the method is `custom`; a method other than `custom` next to a
 * scheduler job is handed to the job as `scheduler.settings.method` (with a warning); any
 * `scheduler.settings.method` then becomes the sweep's method.
 */
export function splitLaunchConfig(raw: ValueRecord, opts: { launch?: boolean } = {}): LaunchSplit {
  if (!(opts.launch ?? isLaunchConfig(raw))) return { launch: false, config: raw, problems: [], methodPath: ['method'] };
  const { scheduler, launch, ...rest } = raw;
  const out: LaunchSplit = { launch: true, config: { ...rest }, problems: [], methodPath: ['method'] };
  if (scheduler !== undefined) {
    const found = checkField(LAUNCH_SCHEDULER_FIELD, scheduler, ['scheduler'], schedulerHint);
    if (found.length === 0) out.scheduler = fillField(LAUNCH_SCHEDULER_FIELD, scheduler) as SchedulerBlock;
    else out.problems.push(...found);
  }
  if (launch !== undefined) {
    const found = checkField(LAUNCH_BLOCK_FIELD, launch, ['launch']);
    if (found.length === 0) out.launchBlock = launch as ValueRecord;
    else out.problems.push(...found);
  }
  const s: ValueRecord = isRecord(scheduler) ? scheduler : {};
  const l: ValueRecord = isRecord(launch) ? launch : {};
  // W&B also refuses local-process for a scheduler job (its jobs are container images); broom's
  // scheduler.job is a plugin that `broom scheduler` loads, which a local process runs fine.
  if (s.resource === 'local-process' && s.docker_image !== undefined) {
    out.problems.push(error(['scheduler', 'resource'],
      '"local-process" cannot run a docker_image; use "local-container" (the default when scheduler.job is set).'));
  }
  if (l.resource_args !== undefined && l.template_variables !== undefined) {
    out.problems.push(warning(['launch', 'resource_args'], 'is ignored because launch.template_variables is set (W&B drops it too).'));
  }
  if (rest.job !== undefined && rest.image_uri !== undefined) {
    out.problems.push(error(['image_uri'], 'a Launch sweep runs either a `job` or an `image_uri`, not both.'));
  }

  const settings = isRecord(s.settings) ? s.settings : undefined;
  const method: Value | undefined = rest.method;
  const hasJob = typeof s.job === 'string';
  if (hasJob && method === undefined) {
    out.config.method = 'custom';
    out.methodPath = ['scheduler', 'job'];
  } else if (hasJob && method !== 'custom') {
    const conflict = settings?.method !== undefined && settings.method !== method;
    out.problems.push(warning(['method'],
      `with a scheduler job the sweep's method is given to the job as scheduler.settings.method` +
        (conflict
          ? `; scheduler.settings.method ${showValue(settings?.method)} wins over method ${showValue(method)}.`
          : ` (W&B moves it there and warns); the sweep keeps method ${showValue(method)}.`)));
  }
  if (settings?.method !== undefined) {
    out.config.method = settings.method;
    out.methodPath = ['scheduler', 'settings', 'method'];
  }
  return out;
}

function schedulerHint(_path: PathSegment[], key: string): string | undefined {
  if (['engine', 'source', 'optimizer', 'search_space'].includes(key)) {
    return `"${key}" belongs to the 2026 scheduler.engine block, which cannot be mixed with Launch keys (${LAUNCH_SCHEDULER_KEYS.join(', ')}).`;
  }
  return undefined;
}
