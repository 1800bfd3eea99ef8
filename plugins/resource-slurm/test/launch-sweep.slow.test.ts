import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SlurmCommands } from '../src/index.js';
import { ensureSlurmCluster } from './helpers/slurm-cluster.js';

// End to end: a launch sweep whose runs go through SLURM, with the CLI run from its sources.
const cluster = await ensureSlurmCluster();
if (!cluster.ok) console.warn(`[@broom/resource-slurm] launch sweep on SLURM skipped: ${cluster.reason}`);

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
    env: { ...process.env, NO_COLOR: '1', BROOM_TOKEN: undefined, ...env },
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

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
});

const SLOW = `import { appendFileSync } from 'node:fs';
process.on('SIGTERM', () => { console.log('slow.mjs: got SIGTERM'); process.exit(0); });
appendFileSync(process.env.BROOM_METRICS_FILE, JSON.stringify({ val_loss: 1 }) + '\\n');
console.log('slow.mjs: started in SLURM job ' + process.env.SLURM_JOB_ID);
setInterval(() => {}, 1000);
`;

const TRAIN = `import { appendFileSync } from 'node:fs';
const config = JSON.parse(process.env.BROOM_CONFIG ?? '{}');
for (let step = 0; step < 3; step++) {
  appendFileSync(process.env.BROOM_METRICS_FILE, JSON.stringify({ step, val_loss: config.x / (step + 1) }) + '\\n');
}
console.log('slurm job ' + process.env.SLURM_JOB_ID + ' ran run ' + process.env.BROOM_RUN_ID + ' with x=' + config.x);
`;

describe.skipIf(!cluster.ok)(`a launch sweep with launch.resource: slurm${cluster.ok ? '' : ` (skipped: ${cluster.reason})`}`, () => {
  it('runs its runs as SLURM jobs, to run_cap', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broom-slurm-launch-'));
    writeFileSync(path.join(dir, 'train.mjs'), TRAIN);
    writeFileSync(
      path.join(dir, 'sweep.yaml'),
      [
        'program: train.mjs',
        `command: ['${process.execPath}', '\${program}', '\${args}']`,
        'method: random',
        'metric: {name: val_loss, goal: minimize}',
        'parameters:',
        '  x: {min: 0.0, max: 1.0}',
        'run_cap: 3',
        'launch:',
        '  queue: slurm-q',
        '  resource: slurm',
        '  resource_args: {cpus_per_task: 1, time: 5, poll_interval: 0.5}',
        '',
      ].join('\n'),
    );
    const server = broom(['server', '--port', '0', '--dir', path.join(dir, 'server')], dir, {});
    const url = await until(() => /server listening at (\S+)/.exec(server.out())?.[1], 'the server', 60_000, server.err);
    const env = { BROOM_URL: url, BROOM_DIR: path.join(dir, 'broom') };

    const create = broom(['launch-sweep', 'sweep.yaml'], dir, env);
    expect(await create.exited).toBe(0);
    const sweepId = /Creating launch sweep with ID: (\S+)/.exec(create.err())?.[1];
    const schedulerItem = /as item (\S+)\./.exec(create.err())?.[1];
    expect(sweepId, create.err()).toBeTruthy();

    const agent = broom(['launch-agent', '-q', 'slurm-q', '-j', '2'], dir, env);
    await until(() => agent.err().includes(`Item ${schedulerItem} finished`), 'the scheduler to finish', 240_000, agent.err);
    agent.child.kill('SIGTERM');
    await agent.exited;

    // Every run went through SLURM: three items started on slurm, each a completed SLURM job.
    const log = agent.err();
    expect(log.match(/starting the run \S+ of sweep \S+ on slurm\./g)).toHaveLength(3);
    const jobs = [...log.matchAll(/Item (\S+) finished \(exit code 0\): SLURM job (\d+) completed \(COMPLETED, exit code 0\)\./g)];
    expect(jobs).toHaveLength(3);
    const slurm = new SlurmCommands();
    for (const [, item, jobId] of jobs) {
      expect(await slurm.scontrol(jobId!)).toMatchObject({ state: 'COMPLETED', exit: { code: 0, signal: 0 } });
      const found = (await slurm.run('squeue', ['-h', '-t', 'all', '-j', jobId!, '-o', '%j'])).stdout.trim();
      expect(found).toBe(`broom-${item}`);
    }
    // The programs' output (from inside the SLURM jobs) is in the runs' logs.
    const outputs = readdirSync(path.join(dir, 'broom'), { recursive: true, encoding: 'utf8' })
      .filter((f) => !f.endsWith('.sbatch'))
      .map((f) => path.join(dir, 'broom', f))
      .flatMap((f) => {
        try {
          return [readFileSync(f, 'utf8')];
        } catch {
          return [];
        }
      })
      .join('\n');
    for (const [, , jobId] of jobs) expect(outputs).toMatch(new RegExp(`slurm job ${jobId} ran run \\S+ with x=0\\.\\d+`));

    // The server has the three runs, finished, with their metrics.
    const runsCmd = broom(['runs', sweepId!, '--json'], dir, env);
    expect(await runsCmd.exited).toBe(0);
    const runs = JSON.parse(runsCmd.out()) as { state: string; summary: Record<string, unknown> }[];
    expect(runs.map((r) => r.state)).toEqual(['finished', 'finished', 'finished']);
    for (const r of runs) expect(typeof r.summary.val_loss).toBe('number');

    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('a canceled sweep stops its SLURM jobs: the programs get SIGTERM and the runs end killed', { timeout: 300_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broom-slurm-cancel-'));
    writeFileSync(path.join(dir, 'slow.mjs'), SLOW);
    writeFileSync(
      path.join(dir, 'sweep.yaml'),
      [
        'program: slow.mjs',
        `command: ['${process.execPath}', '\${program}', '\${args}']`,
        'method: random',
        'metric: {name: val_loss, goal: minimize}',
        'parameters:',
        '  x: {min: 0.0, max: 1.0}',
        'run_cap: 2',
        'launch:',
        '  queue: slurm-cancel-q',
        '  resource: slurm',
        '  resource_args: {poll_interval: 0.5, kill_wait: 5}',
        '',
      ].join('\n'),
    );
    const server = broom(['server', '--port', '0', '--dir', path.join(dir, 'server')], dir, {});
    const url = await until(() => /server listening at (\S+)/.exec(server.out())?.[1], 'the server', 60_000, server.err);
    const env = { BROOM_URL: url, BROOM_DIR: path.join(dir, 'broom') };
    const create = broom(['launch-sweep', 'sweep.yaml'], dir, env);
    expect(await create.exited).toBe(0);
    const sweepId = /Creating launch sweep with ID: (\S+)/.exec(create.err())?.[1];
    expect(sweepId, create.err()).toBeTruthy();

    const agent = broom(['launch-agent', '-q', 'slurm-cancel-q', '-j', '2'], dir, env);
    const slurm = new SlurmCommands();
    // Both runs are SLURM jobs, running, and their programs have started.
    const started = await until(
      () => {
        const items = [...agent.err().matchAll(/Item (\S+): starting the run \S+ of sweep \S+ on slurm\./g)].map((m) => m[1]!);
        return items.length === 2 ? items : undefined;
      },
      'two runs on slurm',
      120_000,
      agent.err,
    );
    const outputs = () =>
      readdirSync(path.join(dir, 'broom'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('output.log'))
        .map((f) => readFileSync(path.join(dir, 'broom', f), 'utf8'));
    await until(() => outputs().filter((o) => o.includes('slow.mjs: started in SLURM job')).length === 2, 'both programs to start', 120_000, agent.err);

    const cancel = broom(['sweep', '--cancel', sweepId!], dir, env);
    expect(await cancel.exited).toBe(0);
    for (const item of started) {
      await until(() => agent.err().includes(`Item ${item} stopped`), `item ${item} to stop`, 120_000, agent.err);
    }
    agent.child.kill('SIGTERM');
    await agent.exited;

    // The programs got SIGTERM inside their SLURM jobs; the jobs are over; the runs are killed.
    for (const out of outputs()) expect(out).toMatch(/slow\.mjs: started in SLURM job (\d+)\n[^]*slow\.mjs: got SIGTERM\n/);
    for (const out of outputs()) {
      const jobId = /started in SLURM job (\d+)/.exec(out)![1]!;
      const record = await slurm.squeue(jobId);
      expect(['CANCELLED', 'FAILED', 'COMPLETED']).toContain(record?.state);
    }
    const runsCmd = broom(['runs', sweepId!, '--json'], dir, env);
    expect(await runsCmd.exited).toBe(0);
    expect((JSON.parse(runsCmd.out()) as { state: string }[]).map((r) => r.state)).toEqual(['killed', 'killed']);

    server.child.kill('SIGTERM');
    await server.exited;
  });
});
