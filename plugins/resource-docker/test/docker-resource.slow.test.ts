import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JobStatus, LaunchSpec } from '@broom/core';
import { afterAll, describe, expect, it } from 'vitest';
import { DockerJob, DockerResource, DockerRunError } from '../src/index.js';
import { checkDocker } from './helpers/docker-daemon.js';

// Real containers, only where `docker info` answers; otherwise skipped, saying why (docker's words).
const docker = await checkDocker();
if (!docker.ok) console.warn(`[@broom/resource-docker] real container tests skipped: ${docker.reason}`);
else if (docker.note) console.warn(`[@broom/resource-docker] ${docker.note}`);
const image = docker.ok ? docker.image : 'busybox:1.36';

const dir = mkdtempSync(path.join(tmpdir(), 'broom-docker-'));
const broomDir = path.join(dir, 'broom');
const resource = new DockerResource({ killWait: 2, retryInterval: 0.2 });
const started: DockerJob[] = [];

function spec(itemId: string, command: string[], more: Partial<LaunchSpec> = {}): LaunchSpec {
  const id = `${itemId}-${process.pid}`;
  return { itemId: id, command, env: { BROOM_DIR: broomDir }, cwd: dir, logFile: path.join(broomDir, 'logs', `${id}.log`), resourceArgs: { image }, ...more };
}

async function launch(s: LaunchSpec): Promise<DockerJob> {
  const job = (await resource.launch(s)) as DockerJob;
  started.push(job);
  return job;
}

async function until(job: DockerJob, pred: (s: JobStatus) => boolean, what: string): Promise<JobStatus> {
  for (let i = 0; i < 300; i++) {
    const s = await job.status();
    if (pred(s)) return s;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`container ${job.name} never ${what}; last status: ${JSON.stringify(await job.status())}`);
}

const log = (s: LaunchSpec) => (existsSync(s.logFile) ? readFileSync(s.logFile, 'utf8') : '');
const known = (name: string) => {
  try {
    execFileSync('docker', ['container', 'inspect', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

afterAll(() => {
  for (const job of started) {
    try {
      execFileSync('docker', ['container', 'rm', '--force', job.container], { stdio: 'ignore' });
    } catch {
      // removed already
    }
  }
});

describe.skipIf(!docker.ok)(`real containers (${docker.ok ? `docker ${docker.server}, ${docker.image}` : `skipped: ${docker.ok ? '' : docker.reason}`})`, () => {
  it('runs the command in its directory with its args and env; its output reaches the log; exit 0 is finished; the container is removed', { timeout: 120_000 }, async () => {
    mkdirSync(path.join(broomDir, 'run'), { recursive: true });
    const metrics = path.join(broomDir, 'run', 'metrics.jsonl');
    writeFileSync(metrics, '');
    const s = spec('ok', ['sh', '-c', 'echo "args:$#"; printf "<%s>\\n" "$@"; echo "FOO=$FOO"; echo "cwd=$PWD"; echo "{\\"val_loss\\": 0.5}" >> "$BROOM_METRICS_FILE"; echo to-stderr >&2', 'sh', 'x', 'two words', `"dq" and 'sq'`, '$HOME'], {
      env: { BROOM_DIR: broomDir, BROOM_METRICS_FILE: metrics, FOO: 'bar baz' },
    });
    const job = await launch(s);
    expect(job.name).toBe(`broom-${s.itemId}`);
    expect(job.id).toMatch(/^[0-9a-f]{12}$/);
    const end = await job.wait();
    expect(end).toEqual({ state: 'finished', exitCode: 0 });
    expect(log(s)).toContain(['args:4', '<x>', '<two words>', `<"dq" and 'sq'>`, '<$HOME>', 'FOO=bar baz', `cwd=${dir}`].join('\n'));
    expect(log(s)).toContain('to-stderr');
    // The run's files are at the same path inside the container.
    expect(readFileSync(metrics, 'utf8')).toBe('{"val_loss": 0.5}\n');
    expect(known(job.name)).toBe(false);
    expect(await job.status()).toEqual(end);
  });

  it('a non-zero exit is failed with its exit code', { timeout: 120_000 }, async () => {
    const s = spec('three', ['sh', '-c', 'echo failing; exit 3']);
    const job = await launch(s);
    expect(await job.wait()).toEqual({ state: 'failed', exitCode: 3, message: 'exit code 3' });
    expect(log(s)).toContain('failing');
  });

  it('a long job that is stopped gets SIGTERM and ends stopped', { timeout: 120_000 }, async () => {
    const s = spec('long', ['sh', '-c', 'trap "echo got TERM; exit 0" TERM; echo started; while true; do sleep 1 & wait $!; done']);
    const job = await launch(s);
    await until(job, (st) => st.state === 'running', 'ran');
    for (let i = 0; i < 100 && !log(s).includes('started'); i++) await new Promise((r) => setTimeout(r, 100));
    await job.stop();
    const end = await job.wait();
    expect(end).toEqual({ state: 'stopped', exitCode: 0, message: 'stopped (exit code 0)' });
    expect(log(s)).toContain('got TERM');
    expect(known(job.name)).toBe(false);
  });

  it('a job that ignores SIGTERM is killed after kill-wait', { timeout: 120_000 }, async () => {
    const s = spec('stubborn', ['sh', '-c', 'trap "echo ignoring TERM" TERM; echo started; while true; do sleep 1 & wait $!; done'], { resourceArgs: { image, kill_wait: 1 } });
    const job = await launch(s);
    for (let i = 0; i < 100 && !log(s).includes('started'); i++) await new Promise((r) => setTimeout(r, 100));
    await job.stop();
    const end = await job.wait();
    expect(end).toEqual({ state: 'stopped', exitCode: 137, message: 'stopped (signal SIGKILL, exit code 137)' });
    expect(log(s)).toContain('ignoring TERM');
  });

  it('a container over its memory limit is failed as OOM-killed', { timeout: 120_000 }, async () => {
    const s = spec('oom', ['sh', '-c', 'exec dd if=/dev/zero of=/dev/null bs=100M count=1'], { resourceArgs: { image, memory: '16m' } });
    const job = await launch(s);
    const end = await job.wait();
    expect(end.state).toBe('failed');
    expect(end.exitCode).toBe(137);
    expect(end.message).toBe(`container ${job.name} was killed for using more memory than it may (OOMKilled, exit code 137); raise resource_args.memory`);
  });

  it("an image item runs the image's own command with the item's arguments, in the image's directory", { timeout: 120_000 }, async () => {
    // busybox has no ENTRYPOINT: the arguments are its command (docker run IMAGE ARGS…).
    const s = spec('image', ['sh', '-c', 'echo "pwd=$PWD config=$BROOM_CONFIG"'], { image, resourceArgs: {}, env: { BROOM_DIR: broomDir, BROOM_CONFIG: '{"lr": 0.1}' } });
    const job = await launch(s);
    expect(await job.wait()).toEqual({ state: 'finished', exitCode: 0 });
    expect(log(s)).toContain('pwd=/ config={"lr": 0.1}');
  });

  it("fails an item whose program the image lacks, saying so (the init reports it: exit 127)", { timeout: 120_000 }, async () => {
    const s = spec('noprog', ['no-such-program', 'x']);
    const job = await launch(s);
    expect(await job.wait()).toEqual({
      state: 'failed',
      exitCode: 127,
      message: 'exit code 127: the program "no-such-program" was not found in the image (on its PATH), or could not be run; see the log',
    });
    expect(log(s)).toMatch(/no-such-program/);
  });

  it("without an init, docker refuses to start it, and says what docker said; keeps a container with remove: false", { timeout: 120_000 }, async () => {
    const missing = spec('missing', ['no-such-program', 'x'], { resourceArgs: { image, init: false } });
    const error = await resource.launch(missing).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DockerRunError);
    expect((error as Error).message).toMatch(/^docker refused queue item missing-\d+ \(exit code 12[67]\):\n {2}docker: Error response from daemon: .*no-such-program/);
    expect((error as Error).message).toContain(`The item's program is "no-such-program": the image ${image} must have it`);
    // What docker created for it is gone, so the name is free again.
    expect(known(`broom-${missing.itemId}`)).toBe(false);

    const kept = spec('kept', ['sh', '-c', 'exit 0'], { resourceArgs: { image, remove: false } });
    const job = await launch(kept);
    expect((await job.wait()).state).toBe('finished');
    expect(known(job.name)).toBe(true);
  });
});
