import type { QueueItemRow } from '../store/launch-types.js';

/** The wording of Sweeps-on-Launch answers (identity is each error's code). */
export const launchMessages = {
  agentSilent(seconds: number): string {
    return `its launch agent sent no heartbeat for ${seconds} s (killed, or its machine is gone)`;
  },
  notLaunchSweep(id: string): string {
    return `Sweep ${id} is not a launch sweep: its runs come from \`broom agent ${id}\`, and \`broom sweep --resume ${id}\` resumes it.`;
  },
  resumeRunning(id: string): string {
    return (
      `Sweep ${id} is RUNNING: --resume_id continues a sweep that is not running (paused, stopped, finished, canceled or failed). ` +
      `Pause or stop it first (broom sweep --pause ${id}), or let it run.`
    );
  },
  schedulerActive(id: string, item: QueueItemRow): string {
    const where = item.state === 'queued' ? `waits in queue ${item.queue}` : `is ${item.state} by launch agent ${item.launchAgentId}`;
    return (
      `Sweep ${id} already has a scheduler: item ${item.id} ${where}. Resuming would start a second one. ` +
      `A paused sweep continues with \`broom sweep --resume ${id}\`; a queued scheduler starts once a launch agent polls ${item.queue}.`
    );
  },
  resumeIgnores(keys: readonly string[]): string {
    return (
      `With --resume_id only the config's \`scheduler\` and \`launch\` blocks are used: ${keys.map((k) => `"${k}"`).join(', ')} ${keys.length === 1 ? 'differs' : 'differ'} ` +
      'from the sweep\'s stored config, which a resumed sweep keeps (its runs were made with it), so they are ignored.'
    );
  },
  jobChanged(id: string, before: string, after: string): string {
    return `Key "scheduler.job": sweep ${id} was launched with scheduler "${before}", and a resumed sweep keeps its scheduler (its saved state belongs to it), but the config names "${after}". Remove scheduler.job from the config, or launch a new sweep.`;
  },
  noJob(file: string | undefined): string {
    return (
      `${file ?? 'the sweep config'}: a launch sweep needs something for its runs to execute: set \`job\` (a program, e.g. job: ./train.py), ` +
      '`program`, `command`, or `image_uri` (a container image, run on the local-container resource).'
    );
  },
  imageUri(file: string | undefined, resource: string): string {
    return (
      `Key "launch.resource" in ${file ?? 'the sweep config'}: the sweep has image_uri, a container image, but the resource "${resource}" runs programs, not images. ` +
      'Use `launch.resource: local-container` (the default with image_uri, needs Docker where the launch agents run), ' +
      'or drop image_uri and give the program as `job: ./train.py` (or `program`/`command`).'
    );
  },
  schedulerContainer(file: string | undefined, resource: string): string {
    return (
      `Key "scheduler.resource" in ${file ?? 'the sweep config'}: "${resource}" runs containers, but broom's scheduler is \`broom scheduler\`, ` +
      "a program of the launch agent's own broom, which an image does not have. Leave scheduler.resource out (local-process) " +
      'or use slurm; container resources are for the runs (launch.resource).'
    );
  },
  dockerImageIgnored(image: string): string {
    return (
      `scheduler.docker_image "${image}" is ignored: broom's scheduler runs as \`broom scheduler\` on scheduler.resource (a process of the launch agent's machine), ` +
      'not in an image. The runs can be images: image_uri.'
    );
  },
  resourceNeeds(file: string | undefined, where: string, resource: string, problem: string): string {
    return `Key "${where}.resource_args" in ${file ?? 'the sweep config'}: ${problem} (${where}.resource is "${resource}")`;
  },
  checkedLater(job: string): string {
    return `The scheduler plugin "${job}" is TypeScript, which this server cannot load: its scheduler.settings are checked when the scheduler starts (a bad one fails the sweep with the message).`;
  },
  resourceElsewhere(where: string, name: string): string {
    return `The resource "${name}" (${where}.resource) is not installed next to the server: the launch agents load it (and check ${where}.resource_args) when they start its items.`;
  },
  nobodyPolls(queue: string): string {
    return `No launch agent polls queue "${queue}" now: start one with \`broom launch-agent -q ${queue}\`.`;
  },
  noQueue(name: string, names: readonly string[]): string {
    return `No queue named "${name}" on this server${names.length ? ` (queues: ${names.join(', ')})` : ' (it has no queues yet)'}.`;
  },
  fenced(sweepId: string, itemId: string): string {
    return `Scheduler item ${itemId} is not the current scheduler of sweep ${sweepId} (the sweep was resumed with another one): it must stop.`;
  },
  schedulerEnded(sweepId: string, why: string, queue: string): string {
    return `its scheduler ended: ${why}. Continue the sweep with \`broom launch-sweep --resume_id ${sweepId} -q ${queue}\`.`;
  },
};
