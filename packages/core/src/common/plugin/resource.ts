/**
 * What a launch agent runs for one queue item, on a resource (`scheduler.resource` /
 * `launch.resource`: `local-process`, `slurm`, …). Plain data.
 */
export interface LaunchSpec {
  /** The queue item's id (for names, logs and labels). */
  itemId: string;
  /** The argv to run; `command[0]` is the program. */
  command: string[];
  /** Extra environment variables (the agent's own environment is the base). */
  env: Record<string, string>;
  /** The working directory. */
  cwd: string;
  /** The file the job's stdout and stderr go to. */
  logFile: string;
  /** `resource_args` of the item, for this resource (validated by the resource plugin's schema). */
  resourceArgs: Record<string, unknown>;
  /**
   * A container image the item runs (the sweep's `image_uri`): then `command` holds the arguments of
   * the image's own entrypoint, not a program. Only resources with `runsImages` take it.
   */
  image?: string;
}

/** Where a launched job is, as the resource sees it. */
export type JobState = 'pending' | 'running' | 'finished' | 'failed' | 'stopped' | 'unknown';

export interface JobStatus {
  state: JobState;
  exitCode?: number;
  /** Why it failed or what the resource said, in words. */
  message?: string;
}

/** A job a resource started. */
export interface LaunchedJob {
  /** The resource's id of the job: a pid, a SLURM job id. */
  readonly id: string;
  /** Ask the resource where the job is now. */
  status(): Promise<JobStatus>;
  /** Resolves once the job has ended, with its final status. */
  wait(): Promise<JobStatus>;
  /** Stop the job (SIGTERM then SIGKILL, `scancel`, …); resolves once the resource has been told. */
  stop(): Promise<void>;
}

/** A resource plugin's product: starts jobs. Options come from the plugin's strict schema. */
export interface Resource {
  launch(spec: LaunchSpec): Promise<LaunchedJob>;
  /** Whether it runs container images (`LaunchSpec.image`, W&B's `image_uri`); absent means no. */
  readonly runsImages?: boolean;
  /**
   * What is missing for this resource to run the items of a sweep, checked when the sweep is
   * created and before each launch (e.g. a container resource with no image): a message, or undefined.
   */
  check?(item: { image?: string }): string | undefined;
}
