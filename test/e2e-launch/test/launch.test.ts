import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitOf, fixtures, maxActive, repoRoot, sandbox, TRAIN, waitFor, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('broom launch-sweep with launch agents', () => {
  it('runs a launch sweep to its run_cap, never more than num_workers runs active at once', async () => {
    sb = await sandbox();
    const a = sb.spawnBroom(['launch-agent', '-q', 'gpu', '-j', '3']);
    const b = sb.spawnBroom(['launch-agent', '-q', 'gpu', '-j', '3', '--max-schedulers', '0']);
    const id = await sb.launchSweep(`${TRAIN}method: random\nmetric: {name: val_loss, goal: minimize}\nparameters: {x: {min: 1, max: 9}}\nrun_cap: 6\nscheduler: {num_workers: 2}\nlaunch: {queue: gpu}\n`);
    expect(await sb.waitForState(id, ['FINISHED', 'FAILED'])).toBe('FINISHED');
    const runs = await sb.runs(id);
    expect(runs.length).toBe(6);
    expect(runs.every((r) => r.state === 'finished' && r.exitCode === 0)).toBe(true);
    // Each run reported its metrics through its launch agent, as an agent-run does.
    for (const r of runs) expect(r.history?.map((h) => h.step)).toEqual([0, 1, 2]);
    const most = maxActive(runs);
    expect(most).toBeLessThanOrEqual(2);
    expect(most).toBe(2);
    // The scheduler finished the sweep; its process exits next, and its agent reports the item.
    const queue = await waitFor(async () => {
      const q = await sb!.launch.getQueue('gpu');
      return q.items[0].state === 'finished' ? q : undefined;
    }, 'the scheduler item to finish');
    expect(queue.items.map((i) => [i.kind, i.state])).toEqual([['scheduler', 'finished'], ...runs.map(() => ['run', 'finished'])]);
    // The agents had room for 6 runs at once; the scheduler kept it to 2. Only the first could take the scheduler.
    const agents = new Set(queue.launchAgents.map((x) => x.id));
    expect(queue.items.every((i) => agents.has(i.launchAgentId!))).toBe(true);
    const schedulerAgent = queue.items[0].launchAgentId;
    expect(queue.launchAgents.find((x) => x.id === schedulerAgent)?.maxSchedulers).toBe(1);
    expect(sb.schedulerLog(id)).toContain(`Sweep ${id} finished: run_cap 6 reached.`);

    const shown = await sb.broom(['queue', 'gpu', '--all']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain('Queue gpu: 0 queued, 0 running, 7 ended; launch agents: ');
    expect(shown.stdout).toMatch(/scheduler\s+finished\s+medium\s+/);
    const listed = await sb.broom(['queues']);
    expect(listed.stdout).toMatch(/^QUEUE\s+QUEUED\s+RUNNING\s+FINISHED\s+FAILED\/STOPPED\s+AGENTS\ngpu\s+0\s+0\s+7\s+0\s+2\n$/);

    a.child.kill('SIGTERM');
    b.child.kill('SIGINT');
    expect(await exitOf(a)).toBe(143);
    expect(await exitOf(b)).toBe(130);
    expect(a.stderr()).toMatch(/Launch agent \w+ exits\./);
    expect((await sb.launch.listQueues()).queues[0].agents).toBe(0);
  });

  it('loads a custom scheduler by path (the example), whose _poll output is in the scheduler log', async () => {
    sb = await sandbox();
    sb.spawnBroom(['launch-agent', '-q', 'q', '-j', '2']);
    const job = path.join(repoRoot, 'examples', 'custom-scheduler', 'schedulers', 'logging-scheduler.ts');
    const id = await sb.launchSweep(`${TRAIN}method: grid\nmetric: {name: val_loss}\nparameters: {x: {values: [1, 2, 3]}}\nscheduler: {job: ${JSON.stringify(job)}, num_workers: 2, resource: local-process}\n`, ['-q', 'q']);
    expect(await sb.waitForState(id, ['FINISHED', 'FAILED'])).toBe('FINISHED');
    const runs = await sb.runs(id);
    expect(runs.map((r) => r.config.x).sort()).toEqual([1, 2, 3]);
    const log = sb.schedulerLog(id);
    expect(log).toContain('[custom _poll 1] 0 run(s), sweep RUNNING');
    // Every run shows up in _poll's output as it progresses (the last may end after the last poll).
    for (const r of runs) expect(log).toMatch(new RegExp(`\\[custom _poll \\d+\\]   ${r.id} (pending|running|finished) step \\d val_loss=`));
    expect(log).toMatch(/\[custom _poll \d+\]   \w+ finished step 3 val_loss=0\.3333/);
  });

  it('fails the sweep of a scheduler that throws, with its message, and the launch agent carries on', async () => {
    sb = await sandbox();
    const agent = sb.spawnBroom(['launch-agent', '-q', 'q', '-j', '2']);
    const job = path.join(fixtures, 'throwing-scheduler.mjs');
    const id = await sb.launchSweep(`${TRAIN}method: custom\nparameters: {x: {value: 1}}\nscheduler: {job: ${JSON.stringify(job)}, num_workers: 1}\nlaunch: {queue: q}\n`);
    expect(await sb.waitForState(id, ['FAILED', 'FINISHED'])).toBe('FAILED');
    const sweep = await sb.client.getSweep(id);
    expect(sweep.error).toContain('the scheduler failed: boom from _poll (throwing-scheduler.mjs)');
    expect(sb.schedulerLog(id)).toContain('Scheduler failed: the scheduler failed: boom from _poll (throwing-scheduler.mjs)');
    // The agent is still there, and runs the next sweep.
    expect(agent.child.exitCode).toBeNull();
    const next = await sb.launchSweep(`${TRAIN}method: grid\nparameters: {x: {values: [4]}}\nlaunch: {queue: q}\n`);
    expect(await sb.waitForState(next, ['FINISHED', 'FAILED'])).toBe('FINISHED');
    expect(agent.child.exitCode).toBeNull();
  });

  it('refuses a bad scheduler.settings key, naming the plugin and the key, and creates nothing', async () => {
    sb = await sandbox();
    const file = path.join(sb.dir, 'bad.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, `${TRAIN}method: random\nparameters: {x: {min: 1, max: 2}}\nscheduler:\n  job: logging\n  settings: {evrey: 2}\n`);
    const r = await sb.broom(['launch-sweep', file, '-q', 'q']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('@broom/scheduler-logging');
    expect(r.stderr).toContain('Key "scheduler.settings.evrey": unknown option');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect((await sb.client.listSweeps()).sweeps).toEqual([]);
    const noQueue = await sb.broom(['launch-sweep', path.join(sb.dir, 'bad.yaml').replace('bad', 'missing')]);
    expect(noQueue.stderr).toContain('Cannot read');
  });

  it('fails a run item whose resource the launch agent cannot load, with the reason, and carries on', async () => {
    sb = await sandbox();
    const agent = sb.spawnBroom(['launch-agent', '-q', 'q']);
    const id = await sb.launchSweep(`${TRAIN}method: random\nparameters: {x: {min: 1, max: 2}}\nrun_cap: 1\nlaunch: {queue: q, resource: nosuch-resource}\n`);
    expect(await sb.waitForState(id, ['FINISHED', 'FAILED'])).toBe('FINISHED');
    const [run] = await sb.runs(id);
    expect(run.state).toBe('failed');
    const item = (await sb.launch.getQueue('q')).items.find((i) => i.runId === run.id)!;
    expect(item.state).toBe('failed');
    expect(item.message).toMatch(/^could not start: Cannot find the resource plugin "nosuch-resource" named by `launch.resource`/);
    expect(agent.stderr()).toContain(`Item ${item.id} (run ${run.id} of sweep ${id}) could not start: Cannot find the resource plugin "nosuch-resource"`);
    expect(agent.child.exitCode).toBeNull();
  });

  it('needs a queue: --queue or launch.queue', async () => {
    sb = await sandbox();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(sb.dir, 'noq.yaml'), `${TRAIN}method: random\nparameters: {x: {min: 1, max: 2}}\n`);
    const r = await sb.broom(['launch-sweep', 'noq.yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Launch-sweeps require setting a 'queue': use -q/--queue, or set launch.queue in the config.");
    const none = await sb.broom(['launch-sweep']);
    expect(none.stderr).toContain('launch-sweep needs a sweep config, or --resume_id SWEEP_ID');
  });
});
