import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JobStatus, LaunchSpec } from '@broom/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SlurmArgsError, SlurmJob, SlurmResource, SlurmSubmitError } from '../src/index.js';
import { ensureSlurmCluster } from './helpers/slurm-cluster.js';

// Makes the one-node cluster when it is not up (root with apt-get only); otherwise says why these are skipped.
const cluster = await ensureSlurmCluster();
if (!cluster.ok) console.warn(`[@broom/resource-slurm] SLURM job tests skipped: ${cluster.reason}`);

const dir = mkdtempSync(path.join(tmpdir(), 'broom-slurm-'));
const resource = new SlurmResource({ pollInterval: 0.3, killWait: 1 });

function spec(itemId: string, command: string[], more: Partial<LaunchSpec> = {}): LaunchSpec {
  return { itemId, command, env: {}, cwd: dir, logFile: path.join(dir, 'logs', `${itemId}.log`), resourceArgs: {}, ...more };
}

async function until(job: SlurmJob, pred: (s: JobStatus) => boolean, what: string): Promise<JobStatus> {
  for (let i = 0; i < 600; i++) {
    const s = await job.status();
    if (pred(s)) return s;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job ${job.id} never ${what}; last status: ${JSON.stringify(await job.status())}`);
}

const log = (s: LaunchSpec) => (existsSync(s.logFile) ? readFileSync(s.logFile, 'utf8') : '');

describe.skipIf(!cluster.ok)(`SLURM jobs on a real cluster${cluster.ok ? '' : ` (skipped: ${cluster.reason})`}`, () => {
  // SLURM enforces time limits in whole minutes: this job starts first and is checked last.
  let overtime: { job: SlurmJob; spec: LaunchSpec } | undefined;
  beforeAll(async () => {
    const s = spec('overtime', ['bash', '-c', 'echo started; exec sleep 600'], { resourceArgs: { time: 1 } });
    overtime = { job: (await resource.launch(s)) as SlurmJob, spec: s };
  });

  it('runs the command in its directory with its env and args; exit 0 is finished with exit code 0', { timeout: 120_000 }, async () => {
    const s = spec('ok', ['bash', '-c', 'echo "args:$#"; printf "<%s>\\n" "$@"; echo "FOO=$FOO"; echo "cwd=$PWD"; echo "job=$SLURM_JOB_ID"', 'x', 'two words', `"dq" and 'sq'`, '$HOME'], {
      // The agent's environment is the base; SLURM's own variables in it do not override the job's.
      env: { ...(process.env as Record<string, string>), FOO: `a b 'c' "d"`, SLURM_JOB_ID: 'not-this-one' },
      resourceArgs: { cpus_per_task: 1, 'job-name': 'broom test ok', time: '00:05:00' },
    });
    // The agent may have written to the log already: the job appends.
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(s.logFile), { recursive: true }));
    writeFileSync(s.logFile, 'header from the agent\n');
    const job = await resource.launch(s);
    expect(job.id).toMatch(/^\d+$/);
    const final = await job.wait();
    expect(final).toEqual({ state: 'finished', exitCode: 0, message: `SLURM job ${job.id} completed (COMPLETED, exit code 0)` });
    expect(log(s)).toBe(
      [
        'header from the agent',
        'args:3',
        '<two words>',
        `<"dq" and 'sq'>`,
        '<$HOME>',
        `FOO=a b 'c' "d"`,
        `cwd=${dir}`,
        `job=${job.id}`,
        '',
      ].join('\n'),
    );
    expect(await job.status()).toEqual(final);
    // The script exports only the item's own variable, not the whole environment.
    expect(readFileSync(`${s.logFile}.sbatch`, 'utf8').split('\n').filter((l) => l.startsWith('export '))).toEqual([
      `export FOO='a b '\\''c'\\'' "d"'`,
    ]);
    // The fallback knows the ended job too: slurmctld's memory (scontrol). (jobcomp/filetxt, which
    // `sacct --completion` reads, garbles job names with spaces: see the next test for sacct.)
    expect(await resource.slurm.scontrol(job.id)).toMatchObject({ state: 'COMPLETED', exit: { code: 0, signal: 0 }, source: 'scontrol' });
  });

  it('a job that exits 3 is failed with exit code 3', { timeout: 120_000 }, async () => {
    const s = spec('exit3', ['bash', '-c', 'echo failing >&2; exit 3']);
    const job = await resource.launch(s);
    const final = await job.wait();
    expect(final).toEqual({ state: 'failed', exitCode: 3, message: `SLURM job ${job.id} failed (FAILED, NonZeroExitCode, exit code 3)` });
    expect(log(s)).toBe('failing\n');
    // The fallbacks know the ended job too: the completion log (sacct) and slurmctld's memory (scontrol).
    expect(await resource.slurm.sacct(job.id)).toEqual({ state: 'FAILED', exit: { code: 3, signal: 0 }, source: 'sacct' });
    expect(await resource.slurm.scontrol(job.id)).toMatchObject({ state: 'FAILED', exit: { code: 3, signal: 0 }, source: 'scontrol' });
  });

  it('a pending job says so and why; stop() cancels it', { timeout: 120_000 }, async () => {
    const s = spec('pending', ['bash', '-c', 'echo should not run'], { resourceArgs: { extra: ['--begin=now+1hour'] } });
    const job = await resource.launch(s);
    expect(await job.status()).toEqual({ state: 'pending', message: `SLURM job ${job.id} is PENDING (BeginTime)` });
    await job.stop();
    const final = await job.wait();
    expect(final.state).toBe('stopped');
    expect(final.message).toMatch(new RegExp(`^stopped on request; SLURM job ${job.id} was cancelled \\(CANCELLED`));
    expect(log(s)).toBe('');
  });

  it('a running job is running; stop() sends SIGTERM first and the job ends stopped', { timeout: 120_000 }, async () => {
    const s = spec('term', ['bash', '-c', 'trap "echo got SIGTERM; exit 0" TERM; echo started; while true; do sleep 0.2; done']);
    const job = (await resource.launch(s)) as SlurmJob;
    const running = await until(job, (st) => st.state === 'running' && log(s).includes('started'), 'ran');
    expect(running).toEqual({ state: 'running', message: `SLURM job ${job.id} is RUNNING` });
    await job.stop();
    const final = await job.wait();
    expect(final.state).toBe('stopped');
    expect(final.message).toMatch(/^stopped on request; SLURM job \d+ /);
    // slurmstepd notes the signal in the log as well (`*** JOB n ON host CANCELLED AT … ***`).
    expect(log(s)).toMatch(/^started\n[^]*got SIGTERM\n$/);
  });

  it('a job that ignores SIGTERM is cancelled after killWait and ends stopped', { timeout: 120_000 }, async () => {
    const s = spec('stubborn', ['bash', '-c', "trap '' TERM; echo started; for i in $(seq 600); do sleep 0.2; done; echo ended on its own"]);
    const job = (await resource.launch(s)) as SlurmJob;
    await until(job, (st) => st.state === 'running' && log(s).includes('started'), 'ran');
    await job.stop();
    const final = await job.wait();
    expect(final.state).toBe('stopped');
    expect(final.message).toMatch(/\(CANCELLED/);
    expect(log(s)).not.toContain('ended on its own');
  });

  it('sbatch refusing an option is an error with SLURM\'s words and the option', { timeout: 60_000 }, async () => {
    const s = spec('badpart', ['true'], { resourceArgs: { partition: 'no-such-partition', time: 5 } });
    const launch = resource.launch(s);
    await expect(launch).rejects.toBeInstanceOf(SlurmSubmitError);
    const message = await launch.catch((e: Error) => e.message);
    expect(message).toContain('sbatch refused queue item badpart (exit code 1):');
    expect(message).toContain('Batch job submission failed: Invalid partition name specified');
    expect(message).toContain('The option SLURM complains about is likely resource_args.partition = "no-such-partition".');
    expect(message).toContain('sbatch options from resource_args: --partition=no-such-partition --time=5');
  });

  it('bad resource_args are refused before anything is submitted', async () => {
    const s = spec('badargs', ['true'], { resourceArgs: { cpus_per_task: 'two' } });
    await expect(resource.launch(s)).rejects.toThrow(
      'Invalid resource_args for the slurm resource:\n  Key "resource_args.cpus_per_task": must be a whole number > 0, but got "two"',
    );
    expect(existsSync(`${s.logFile}.sbatch`)).toBe(false);
  });

  it('a job SLURM has never heard of is unknown, and wait() gives up on it', { timeout: 60_000 }, async () => {
    const job = new SlurmJob('987654321', resource.slurm, { pollInterval: 0.1, killWait: 1 });
    const expected = { state: 'unknown', message: 'SLURM job 987654321 is not known to squeue, sacct or scontrol any more' };
    expect(await job.status()).toEqual(expected);
    expect(await job.wait()).toEqual(expected);
  });

  it('a log path with % in it is written where it says', { timeout: 120_000 }, async () => {
    const s = spec('pct', ['echo', 'percent'], { logFile: path.join(dir, 'logs', '100%-run-%j.log') });
    const job = await resource.launch(s);
    expect((await job.wait()).state).toBe('finished');
    expect(readFileSync(s.logFile, 'utf8')).toBe('percent\n');
  });

  it('a job past its time limit is failed, and says so', { timeout: 240_000 }, async () => {
    const final = await overtime!.job.wait();
    expect(final.state).toBe('failed');
    expect(final.message).toMatch(new RegExp(`^SLURM job ${overtime!.job.id} reached its time limit \\(TIMEOUT`));
    expect(log(overtime!.spec)).toMatch(/^started\n[^]*DUE TO TIME LIMIT/);
  });
});
