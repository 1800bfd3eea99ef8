import type { LaunchSpec } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { containerEnv, containerName, hostAddress, planDockerRun, shellJoin, shellQuote } from '../src/index.js';

const base = { PATH: '/usr/bin', HOME: '/root', LANG: 'C.UTF-8', BROOM_URL: 'http://127.0.0.1:8080', SECRET: 's', FOO: 'same' };

function spec(more: Partial<LaunchSpec> = {}): LaunchSpec {
  return {
    itemId: 'abc123',
    command: ['/usr/bin/env', 'python', 'train.py', '--lr=0.1'],
    env: {
      ...base,
      BROOM_DIR: '/work/proj/broom',
      BROOM_RUN_ID: 'r1',
      BROOM_METRICS_FILE: '/work/proj/broom/sweep-s/run-r1/metrics.jsonl',
      BROOM_CONFIG: '{"lr": 0.1}',
    },
    cwd: '/work/proj',
    logFile: '/work/proj/broom/sweep-s/run-r1/output.log',
    resourceArgs: {},
    ...more,
  };
}

describe('docker run of a program item', () => {
  it("runs the item's command as the entrypoint in its directory, both directories mounted at the same path, host network on Linux", () => {
    const plan = planDockerRun(spec(), { image: 'python:3.12' }, { platform: 'linux', base });
    expect(plan.name).toBe('broom-abc123');
    expect(plan.image).toBe('python:3.12');
    expect(plan.imageFrom).toBe('resource_args.image');
    expect(plan.argv).toEqual([
      'run',
      '--detach',
      '--name=broom-abc123',
      '--label=broom.item=abc123',
      '--init',
      '--network=host',
      // The broom directory is inside the item's directory: one mount holds both.
      '--volume=/work/proj:/work/proj',
      '--workdir=/work/proj',
      '--env=BROOM_CONFIG',
      '--env=BROOM_DIR',
      '--env=BROOM_METRICS_FILE',
      '--env=BROOM_RUN_ID',
      '--env=BROOM_URL',
      '--entrypoint=/usr/bin/env',
      'python:3.12',
      'python',
      'train.py',
      '--lr=0.1',
    ]);
    // Only what the run needs: broom's variables (BROOM_URL too, though unchanged), not the machine's.
    expect(plan.env).toEqual({
      BROOM_URL: 'http://127.0.0.1:8080',
      BROOM_DIR: '/work/proj/broom',
      BROOM_RUN_ID: 'r1',
      BROOM_METRICS_FILE: '/work/proj/broom/sweep-s/run-r1/metrics.jsonl',
      BROOM_CONFIG: '{"lr": 0.1}',
    });
    // The values travel in the client's environment, never on its command line.
    expect(plan.clientEnv).toMatchObject({ ...base, BROOM_CONFIG: '{"lr": 0.1}', BROOM_RUN_ID: 'r1' });
    expect(plan.argv.join(' ')).not.toContain('0.1}');
  });

  it('passes every option, the user\'s volumes (relative ones from the item\'s directory) and raw extras before the image', () => {
    const plan = planDockerRun(
      spec({ env: { BROOM_DIR: '/data/broom', WANDB_PROJECT: 'p' } }),
      {
        image: 'ghcr.io/acme/train@sha256:0123',
        gpus: 'device=0,1',
        cpus: 2,
        memory: '4g',
        'shm-size': '1g',
        user: 1000,
        pull: 'always',
        init: false,
        network: 'host',
        volumes: ['./data:/data:ro', 'cache:/root/.cache'],
        workdir: '/workspace',
        env: { OMP_NUM_THREADS: 4, FLAG: true },
        extra: ['--ipc=host', '--ulimit', 'memlock=-1'],
      },
      { platform: 'darwin', base },
    );
    expect(plan.argv).toEqual([
      'run',
      '--detach',
      '--name=broom-abc123',
      '--label=broom.item=abc123',
      '--network=host',
      '--pull=always',
      '--gpus=device=0,1',
      '--cpus=2',
      '--memory=4g',
      '--shm-size=1g',
      '--user=1000',
      '--volume=/work/proj:/work/proj',
      '--volume=/data/broom:/data/broom',
      '--volume=/work/proj/data:/data:ro',
      '--volume=cache:/root/.cache',
      '--workdir=/workspace',
      '--env=BROOM_DIR',
      '--env=FLAG',
      '--env=OMP_NUM_THREADS',
      '--env=WANDB_PROJECT',
      '--ipc=host',
      '--ulimit',
      'memlock=-1',
      '--entrypoint=/usr/bin/env',
      'ghcr.io/acme/train@sha256:0123',
      'python',
      'train.py',
      '--lr=0.1',
    ]);
    expect(plan.env).toEqual({ BROOM_DIR: '/data/broom', WANDB_PROJECT: 'p', OMP_NUM_THREADS: '4', FLAG: 'true' });
  });

  it("does not mount / (docker refuses it) when the launch agent runs there, and still mounts the broom directory", () => {
    const plan = planDockerRun(spec({ cwd: '/', env: { BROOM_DIR: '/var/lib/broom' } }), { image: 'x' }, { platform: 'linux', base });
    expect(plan.argv.filter((a) => a.startsWith('--volume') || a.startsWith('--workdir'))).toEqual(['--volume=/var/lib/broom:/var/lib/broom', '--workdir=/']);
  });

  it('keeps arguments with spaces, quotes and shell characters as single words (no shell anywhere)', () => {
    const words = ['two words', `"dq" and 'sq'`, '$HOME', '`id`', 'a;b|c', '', '--x=ünï'];
    const plan = planDockerRun(spec({ command: ['sh', '-c', 'printf "<%s>\\n" "$@"', 'sh', ...words] }), { image: 'busybox' }, { platform: 'linux', base });
    expect(plan.argv.slice(plan.argv.indexOf('busybox') + 1)).toEqual(['-c', 'printf "<%s>\\n" "$@"', 'sh', ...words]);
    expect(plan.argv[plan.argv.indexOf('busybox') - 1]).toBe('--entrypoint=sh');
    // Shown in messages quoted for a shell: pasting it runs the same thing.
    expect(shellJoin(['docker', ...words])).toBe(`docker 'two words' '"dq" and '\\''sq'\\''' '$HOME' '\`id\`' 'a;b|c' '' '--x=ünï'`);
    expect(shellQuote('--env=A')).toBe('--env=A');
  });

  it('gives a variable the item sets to the same name as DOCKER_* inline (it would steer the client)', () => {
    const plan = planDockerRun(spec({ env: { DOCKER_BUILDKIT: '1', BROOM_RUN_ID: 'r' } }), { image: 'x', env: ['A=1=2', 'HOME', 'MISSING'] }, { platform: 'linux', base });
    expect(plan.argv.filter((a) => a.startsWith('--env'))).toEqual(['--env=A', '--env=BROOM_RUN_ID', '--env=DOCKER_BUILDKIT=1', '--env=HOME']);
    expect(plan.env).toEqual({ DOCKER_BUILDKIT: '1', BROOM_RUN_ID: 'r', A: '1=2', HOME: '/root' });
    expect(plan.clientEnv.DOCKER_BUILDKIT).toBeUndefined();
  });

  it('on a bridged network points a loopback BROOM_URL at the host (host-gateway on Linux)', () => {
    const linux = planDockerRun(spec(), { image: 'x', network: 'bridge' }, { platform: 'linux', base });
    expect(linux.env.BROOM_URL).toBe('http://host.docker.internal:8080');
    expect(linux.argv).toContain('--network=bridge');
    expect(linux.argv).toContain('--add-host=host.docker.internal:host-gateway');
    const mac = planDockerRun(spec(), { image: 'x' }, { platform: 'darwin', base });
    expect(mac.argv.some((a) => a.startsWith('--network') || a.startsWith('--add-host'))).toBe(false);
    expect(mac.env.BROOM_URL).toBe('http://host.docker.internal:8080');
    expect(hostAddress('http://localhost:8080/api/')).toBe('http://host.docker.internal:8080/api/');
    expect(hostAddress('http://[::1]:9')).toBe('http://host.docker.internal:9');
    expect(hostAddress('https://broom.example.com')).toBe('https://broom.example.com');
    expect(hostAddress('not a url')).toBe('not a url');
  });
});

describe('docker run of an image item (image_uri)', () => {
  it("runs the image's own entrypoint with the item's arguments, in the image's directory; only the broom directory is mounted", () => {
    const plan = planDockerRun(spec({ image: 'acme/train:v2', command: ['--lr=0.1', '--layers=3'] }), { image: 'ignored:1' }, { platform: 'linux', base });
    expect(plan.image).toBe('acme/train:v2');
    expect(plan.imageFrom).toBe('image_uri');
    expect(plan.argv.slice(-3)).toEqual(['acme/train:v2', '--lr=0.1', '--layers=3']);
    expect(plan.argv.some((a) => a.startsWith('--entrypoint') || a.startsWith('--workdir'))).toBe(false);
    expect(plan.argv.filter((a) => a.startsWith('--volume'))).toEqual(['--volume=/work/proj/broom:/work/proj/broom']);
    const bare = planDockerRun(spec({ image: 'acme/train:v2', command: [] }), { workdir: '/app' }, { platform: 'linux', base });
    // No arguments: the image's own command runs; a workdir option still applies.
    expect(bare.argv.at(-1)).toBe('acme/train:v2');
    expect(bare.argv).toContain('--workdir=/app');
  });
});

describe('what cannot be run', () => {
  it('needs an image, and a command for a program item', () => {
    expect(() => planDockerRun(spec(), {}, { base })).toThrow(
      'Queue item abc123: The local-container resource needs an image to run: set resource_args.image (e.g. image: "python:3.12"), or image_uri in the sweep config.',
    );
    expect(() => planDockerRun(spec({ command: [] }), { image: 'x' }, { base })).toThrow('Queue item abc123: the command to run is empty.');
  });
});

describe('names and environment', () => {
  it('names the container after the item, in the characters docker allows', () => {
    expect(containerName('k3j9x')).toBe('broom-k3j9x');
    expect(containerName('a b/c:d')).toBe('broom-a_b_c_d');
  });

  it("passes broom's and W&B's variables always, others only when the item adds or changes them, never the machine's own", () => {
    expect(
      containerEnv(
        { PATH: '/other', HOME: '/x', FOO: 'same', BAR: 'new', SECRET: 'changed', BROOM_URL: 'http://127.0.0.1:8080', WANDB_RUN_ID: 'r' },
        base,
      ),
    ).toEqual({ BAR: 'new', SECRET: 'changed', BROOM_URL: 'http://127.0.0.1:8080', WANDB_RUN_ID: 'r' });
  });
});
