import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDocker } from './helpers/docker-daemon.js';

// End to end: a launch sweep with image_uri, its runs as containers, with the CLI run from its sources.
const docker = await checkDocker();
if (!docker.ok) console.warn(`[@broom/resource-docker] launch sweeps with image_uri skipped: ${docker.reason}`);
else if (docker.note) console.warn(`[@broom/resource-docker] ${docker.note}`);
const image = docker.ok ? docker.image : 'busybox:1.36';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const tsxLoader = pathToFileURL(createRequire(path.join(repoRoot, 'package.json')).resolve('tsx')).href;
const cliMain = path.join(repoRoot, 'packages/cli/src/dev.ts');

interface Proc {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number>;
}
const procs: Proc[] = [];

function broom(args: string[], cwd: string, env: Record<string, string | undefined>): Proc {
  const child = spawn(process.execPath, ['--conditions=source', '--import', tsxLoader, cliMain, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1', BROOM_TOKEN: undefined, BROOM_SCHEDULER_POLL_INTERVAL: '0.3', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number>((resolve) => child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  const p = { child, out: () => out, err: () => err, exited };
  procs.push(p);
  return p;
}

async function until<T>(check: () => T | undefined | false, what: string, timeoutMs: number, show: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}:\n${show()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(() => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
});

/** Containers broom started for these items that docker still has (they are removed once they end). */
function leftovers(items: readonly string[]): string[] {
  return items.filter((item) => execFileSync('docker', ['ps', '-aq', '--filter', `label=broom.item=${item}`], { encoding: 'utf8' }).trim() !== '');
}

function outputs(broomDir: string): string[] {
  return readdirSync(broomDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('output.log'))
    .map((f) => readFileSync(path.join(broomDir, f), 'utf8'));
}

async function start(dir: string, sweep: string[]): Promise<{ env: Record<string, string>; sweepId: string; schedulerItem: string; server: Proc }> {
  writeFileSync(path.join(dir, 'sweep.yaml'), [...sweep, ''].join('\n'));
  const server = broom(['server', '--port', '0', '--dir', path.join(dir, 'server')], dir, {});
  const url = await until(() => /server listening at (\S+)/.exec(server.out())?.[1], 'the server', 60_000, server.err);
  const env = { BROOM_URL: url, BROOM_DIR: path.join(dir, 'broom') };
  const create = broom(['launch-sweep', 'sweep.yaml'], dir, env);
  expect(await create.exited, create.err()).toBe(0);
  const sweepId = /Creating launch sweep with ID: (\S+)/.exec(create.err())?.[1];
  const schedulerItem = /as item (\S+)\./.exec(create.err())?.[1];
  expect(sweepId, create.err()).toBeTruthy();
  return { env, sweepId: sweepId!, schedulerItem: schedulerItem!, server };
}

// The program in the image: busybox has no ENTRYPOINT, so the run's arguments are its command.
const TRAIN = 'x=${1#--x=}; echo "in container: args=$* WANDB_CONFIG=$WANDB_CONFIG"; echo "{\\"step\\": 0, \\"val_loss\\": $x}" >> "$BROOM_METRICS_FILE"';
const SLOW = 'trap "echo got TERM; exit 0" TERM; echo started; while true; do sleep 1 & wait $!; done';

describe.skipIf(!docker.ok)(`a launch sweep with image_uri${docker.ok ? ` (docker ${docker.server}, ${docker.image})` : ` (skipped: ${docker.ok ? '' : docker.reason})`}`, () => {
  it("runs each run as a container of the image, the run's args given to it, its metrics reaching the server", { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broom-docker-launch-'));
    const { env, sweepId, schedulerItem, server } = await start(dir, [
      `image_uri: ${JSON.stringify(image)}`,
      `command: [sh, -c, ${JSON.stringify(TRAIN)}, sh, '\${args}']`,
      'method: grid',
      'metric: {name: val_loss, goal: minimize}',
      'parameters:',
      '  x: {values: [1, 2, 3]}',
      'scheduler: {num_workers: 2}',
      'launch:',
      '  queue: docker-q',
      '  resource_args: {local-container: {kill_wait: 2}}',
    ]);
    const agent = broom(['launch-agent', '-q', 'docker-q', '-j', '2'], dir, env);
    await until(() => agent.err().includes(`Item ${schedulerItem} finished`), 'the scheduler to finish', 240_000, agent.err);
    agent.child.kill('SIGTERM');
    await agent.exited;

    const log = agent.err();
    const items = [...log.matchAll(/Item (\S+): starting the run \S+ of sweep \S+ on local-container \(image (\S+)\)\./g)];
    expect(items.map((m) => m[2])).toEqual([image, image, image]);
    for (const [, item] of items) expect(log).toContain(`Item ${item} finished (exit code 0).`);
    expect(leftovers(items.map((m) => m[1]!))).toEqual([]);

    // Inside the containers: the args from the sweep's command, the config as WANDB_CONFIG.
    const out = outputs(env.BROOM_DIR).join('\n');
    for (const x of [1, 2, 3]) expect(out).toContain(`in container: args=--x=${x} WANDB_CONFIG={"x":${x}}`);

    const runsCmd = broom(['runs', sweepId, '--json'], dir, env);
    expect(await runsCmd.exited).toBe(0);
    const runs = JSON.parse(runsCmd.out()) as { state: string; config: { x: number }; summary: Record<string, unknown> }[];
    expect(runs.map((r) => r.state)).toEqual(['finished', 'finished', 'finished']);
    for (const r of runs) expect(r.summary.val_loss).toBe(r.config.x);

    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('a canceled sweep stops its containers: the programs get SIGTERM and the runs end killed', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broom-docker-cancel-'));
    const { env, sweepId, server } = await start(dir, [
      `image_uri: ${JSON.stringify(image)}`,
      `command: [sh, -c, ${JSON.stringify(SLOW)}, sh, '\${args}']`,
      'method: random',
      'metric: {name: val_loss, goal: minimize}',
      'parameters:',
      '  x: {min: 0.0, max: 1.0}',
      'run_cap: 2',
      'scheduler: {num_workers: 2}',
      'launch:',
      '  queue: docker-cancel-q',
      '  resource: docker',
      '  resource_args: {kill_wait: 5}',
    ]);
    const agent = broom(['launch-agent', '-q', 'docker-cancel-q', '-j', '2'], dir, env);
    const started = await until(
      () => {
        const items = [...agent.err().matchAll(/Item (\S+): starting the run \S+ of sweep \S+ on docker \(image \S+\)\./g)].map((m) => m[1]!);
        return items.length === 2 ? items : undefined;
      },
      'two runs on docker',
      120_000,
      agent.err,
    );
    await until(() => outputs(env.BROOM_DIR).filter((o) => o.includes('started')).length === 2, 'both programs to start', 120_000, agent.err);

    const cancel = broom(['sweep', '--cancel', sweepId], dir, env);
    expect(await cancel.exited).toBe(0);
    for (const item of started) await until(() => agent.err().includes(`Item ${item} stopped`), `item ${item} to stop`, 120_000, agent.err);
    agent.child.kill('SIGTERM');
    await agent.exited;

    for (const out of outputs(env.BROOM_DIR)) expect(out).toMatch(/started\n[^]*got TERM\n/);
    expect(leftovers(started)).toEqual([]);
    const runsCmd = broom(['runs', sweepId, '--json'], dir, env);
    expect(await runsCmd.exited).toBe(0);
    expect((JSON.parse(runsCmd.out()) as { state: string }[]).map((r) => r.state)).toEqual(['killed', 'killed']);

    server.child.kill('SIGTERM');
    await server.exited;
  });
});
