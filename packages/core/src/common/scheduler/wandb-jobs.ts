/**
 * W&B's public scheduler jobs, as sweep configs name them (`scheduler.job:
 * wandb/sweep-jobs/job-optuna-sweep-scheduler:latest`), and the built-in scheduler each one is in
 * broom, so that a W&B launch-sweep config runs unchanged. The alias (`:latest`, `:v3`) is ignored.
 */
const WANDB_SCHEDULER_JOBS: readonly { pattern: RegExp; alias: string }[] = [
  { pattern: /^wandb\/sweep-jobs\/job-optuna-sweep-scheduler(:[^/]*)?$/, alias: 'optuna' },
  { pattern: /^wandb\/sweep-jobs\/job-wandb-sweep-scheduler(:[^/]*)?$/, alias: 'wandb' },
  { pattern: /^wandb\/jobs\/Wandb Sweep Scheduler(:[^/]*)?$/, alias: 'wandb' },
];

/** The broom scheduler a `scheduler.job` names: W&B's public jobs map to their built-in alias. */
export function schedulerJobName(job: string): string {
  return WANDB_SCHEDULER_JOBS.find((j) => j.pattern.test(job))?.alias ?? job;
}
