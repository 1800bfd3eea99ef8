import { describe, expect, it } from 'vitest';
import { LaunchClient } from '../../src/client/launch-client.js';
import { raw, startTestServer } from '../helpers.js';

const CONFIG = { job: 'train.py', method: 'grid', metric: { name: 'loss' }, parameters: { a: { values: [1, 2, 3] } }, scheduler: { num_workers: 2 } };

async function setup() {
  const s = await startTestServer();
  const launch = new LaunchClient(s.client);
  return { s, launch };
}

describe('launch API', () => {
  it('creates a launch sweep PENDING with its scheduler queued, which plain agents and the server controller leave alone', async () => {
    const { s, launch } = await setup();
    const created = await launch.createLaunchSweep({ config: CONFIG, queue: 'q', configFile: 'sweep.yaml' });
    expect(created.sweep.state).toBe('PENDING');
    expect(created.item).toMatchObject({ kind: 'scheduler', state: 'queued', queue: 'q', priority: 2, resource: 'local-process', sweepId: created.sweep.id });
    expect(created.item.spec).toEqual({ entryPoint: ['broom', 'scheduler', created.sweep.id] });
    expect(created.launch).toMatchObject({ queue: 'q', priority: 2, schedulerItemId: created.item.id, scheduler: { num_workers: 2 }, schedulerState: null });
    expect(created.warnings).toEqual(['No launch agent polls queue "q" now: start one with `broom launch-agent -q q`.']);
    await expect(s.client.registerAgent(created.sweep.id, { host: 'h', pid: 1 })).rejects.toMatchObject({ status: 400, code: 'launch-sweep' });
    // The server never steps it: no runs appear however long we wait for a few poll intervals.
    await new Promise((r) => setTimeout(r, 600));
    expect((await s.client.listRuns(created.sweep.id)).runs).toEqual([]);
    expect((await launch.listQueues()).queues).toEqual([{ name: 'q', createdAt: expect.any(String), counts: { queued: 1 }, agents: 0 }]);
  });

  it('refuses what a launch sweep cannot run: no job, an image_uri on a program resource, a container resource without an image, an unknown scheduler', async () => {
    const { launch } = await setup();
    const noJob = { ...CONFIG, job: undefined };
    await expect(launch.createLaunchSweep({ config: JSON.parse(JSON.stringify(noJob)), queue: 'q', configFile: 's.yaml' })).rejects.toMatchObject({
      status: 400,
      code: 'launch-no-job',
      message:
        's.yaml: a launch sweep needs something for its runs to execute: set `job` (a program, e.g. job: ./train.py), `program`, `command`, ' +
        'or `image_uri` (a container image, run on the local-container resource).',
    });
    // image_uri runs on a resource that runs images, not on a program resource.
    await expect(
      launch.createLaunchSweep({ config: JSON.parse(JSON.stringify({ ...CONFIG, job: undefined, image_uri: 'acme/train:1', launch: { resource: 'local-process' } })), queue: 'q', configFile: 's.yaml' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'launch-image-uri',
      message:
        'Key "launch.resource" in s.yaml: the sweep has image_uri, a container image, but the resource "local-process" runs programs, not images. ' +
        'Use `launch.resource: local-container` (the default with image_uri, needs Docker where the launch agents run), ' +
        'or drop image_uri and give the program as `job: ./train.py` (or `program`/`command`).',
    });
    // A container resource needs an image: image_uri, or resource_args.image.
    await expect(launch.createLaunchSweep({ config: { ...CONFIG, launch: { resource: 'docker', resource_args: { gpus: 'all' } } }, queue: 'q', configFile: 's.yaml' })).rejects.toMatchObject({
      status: 400,
      code: 'launch-resource-args',
      message:
        'Key "launch.resource_args" in s.yaml: The local-container resource needs an image to run: set resource_args.image (e.g. image: "python:3.12"), or image_uri in the sweep config. (launch.resource is "docker")',
    });
    await expect(launch.createLaunchSweep({ config: { ...CONFIG, launch: { resource: 'local-container', resource_args: { imag: 'x' } } }, queue: 'q' })).rejects.toMatchObject({
      status: 400,
      code: 'plugin-options',
      message: expect.stringContaining('Key "launch.resource_args.imag": not an option of the local-container resource. Did you mean "image"?'),
    });
    await expect(launch.createLaunchSweep({ config: { ...CONFIG, scheduler: { job: 'nosuch' } }, queue: 'q' })).rejects.toMatchObject({ status: 400, code: 'plugin-not-found' });
    await expect(launch.createLaunchSweep({ config: { ...CONFIG, launch: { resource_args: { envv: {} } } }, queue: 'q' })).rejects.toMatchObject({
      status: 400,
      code: 'plugin-options',
      message: expect.stringContaining('Key "launch.resource_args.envv": unknown option'),
    });
    const elsewhere = await launch.createLaunchSweep({ config: { ...CONFIG, scheduler: { resource: 'site-cluster' } }, queue: 'q' });
    expect(elsewhere.warnings[0]).toBe('The resource "site-cluster" (scheduler.resource) is not installed next to the server: the launch agents load it (and check scheduler.resource_args) when they start its items.');
    expect(elsewhere.item.resource).toBe('site-cluster');
    const bad = await raw({ url: (launch.api as unknown as { baseUrl: string }).baseUrl }, 'POST', '/api/v1/launch-sweeps', JSON.stringify({ config: CONFIG, queue: 'no spaces' }));
    expect(bad.status).toBe(400);
    expect(bad.json.error?.message).toBe('POST /launch-sweeps: Key "queue": must be a queue name (letters, digits, _ . -; at most 128), but got "no spaces".');
  });

  it('runs the runs of an image_uri sweep on the container resource (local-container unless launch.resource names one)', async () => {
    const { launch } = await setup();
    const config = { ...CONFIG, job: undefined, image_uri: 'acme/train:1', command: ['${args_no_hyphens}'], launch: { resource_args: { gpus: 'all' } } };
    const { sweep, item } = await launch.createLaunchSweep({ config: JSON.parse(JSON.stringify(config)), queue: 'q' });
    // The scheduler still runs as a program; only the runs are images.
    expect(item.resource).toBe('local-process');
    const { launchAgentId: agent } = await launch.registerLaunchAgent({ host: 'h', pid: 1, queues: ['q'], maxJobs: 2, maxSchedulers: 1 });
    await launch.claim(agent, ['scheduler']);
    await launch.schedulerReport(sweep.id, { schedulerItemId: item.id, type: 'started' });
    const added = await launch.addRuns(sweep.id, { schedulerItemId: item.id, runs: [{ config: { a: 1 } }] });
    expect(added.items[0]).toMatchObject({ resource: 'local-container', resourceArgs: { gpus: 'all' } });
    expect(added.items[0].spec).toEqual({ runName: added.runs[0].id, config: { a: 1 }, command: ['${args_no_hyphens}'], imageUri: 'acme/train:1', project: 'uncategorized' });
    const named = await launch.createLaunchSweep({ config: JSON.parse(JSON.stringify({ ...config, launch: { resource: 'docker' }, scheduler: { docker_image: 'acme/sched:1' } })), queue: 'q' });
    expect(named.warnings[0]).toBe(
      'scheduler.docker_image "acme/sched:1" is ignored: broom\'s scheduler runs as `broom scheduler` on scheduler.resource (a process of the launch agent\'s machine), not in an image. The runs can be images: image_uri.',
    );
    // The scheduler itself never runs in a container.
    await expect(
      launch.createLaunchSweep({ config: JSON.parse(JSON.stringify({ ...config, scheduler: { resource: 'local-container', resource_args: { image: 'acme/sched:1' } } })), queue: 'q', configFile: 's.yaml' }),
    ).rejects.toMatchObject({
      status: 400,
      code: 'launch-scheduler-container',
      message:
        'Key "scheduler.resource" in s.yaml: "local-container" runs containers, but broom\'s scheduler is `broom scheduler`, a program of the launch agent\'s own broom, ' +
        'which an image does not have. Leave scheduler.resource out (local-process) or use slurm; container resources are for the runs (launch.resource).',
    });
  });

  it('hands items out by priority to launch agents, fences an old scheduler, and tells agents to stop', async () => {
    const { s, launch } = await setup();
    const { sweep, item } = await launch.createLaunchSweep({ config: { ...CONFIG, launch: { priority: 1 } }, queue: 'q' });
    const { launchAgentId: agent } = await launch.registerLaunchAgent({ host: 'h', pid: 1, queues: ['q'], maxJobs: 2, maxSchedulers: 1 });
    expect(await launch.claim(agent, ['run'])).toEqual({ item: null });
    const claimed = await launch.claim(agent, ['scheduler', 'run']);
    expect(claimed.item).toMatchObject({ id: item.id, state: 'claimed', launchAgentId: agent, priority: 1 });
    await launch.setItemState(item.id, { state: 'running', jobId: '99' });
    await launch.schedulerReport(sweep.id, { schedulerItemId: item.id, type: 'started' });
    expect((await s.client.getSweep(sweep.id)).state).toBe('RUNNING');
    await expect(launch.addRuns(sweep.id, { schedulerItemId: 'someoneelse', runs: [{ config: { a: 1 } }] })).rejects.toMatchObject({ status: 409, code: 'scheduler-fenced' });
    const request = { schedulerItemId: item.id, runs: [{ config: { a: 1 } }, { config: { a: 2 } }], schedulerState: { k: 1 }, expectedRuns: 0 };
    const added = await launch.addRuns(sweep.id, request);
    // The same request again (an answer lost on the way): nothing is added twice.
    await expect(launch.addRuns(sweep.id, request)).rejects.toMatchObject({ status: 409, code: 'runs-changed' });
    expect((await s.client.listRuns(sweep.id)).runs.length).toBe(2);
    expect(added.runs.map((r) => [r.state, r.config])).toEqual([['pending', { a: 1 }], ['pending', { a: 2 }]]);
    expect(added.items.map((i) => [i.kind, i.priority, i.runId, i.spec.program, i.spec.config])).toEqual([
      ['run', 1, added.runs[0].id, 'train.py', { a: 1 }], ['run', 1, added.runs[1].id, 'train.py', { a: 2 }],
    ]);
    expect((await launch.getLaunchSweep(sweep.id)).schedulerState).toEqual({ k: 1 });
    const first = (await launch.claim(agent, ['run'])).item!;
    expect(first.id).toBe(added.items[0].id);
    await launch.setItemState(first.id, { state: 'running', jobId: '100' });
    // A stop decision reaches the agent holding the run, on its next heartbeat.
    await launch.schedulerReport(sweep.id, { schedulerItemId: item.id, type: 'stop-run', run: added.runs[0].name, reason: 'early_terminate' });
    expect(await launch.heartbeat(agent, [item.id, first.id, 'nosuch00'])).toEqual({
      stop: [{ itemId: first.id, reason: 'early_terminate' }, { itemId: 'nosuch00', reason: 'the server does not know this item' }],
    });
    // Cancel: the queued run is not handed out any more; the scheduler exits on its own.
    await s.client.controlSweep(sweep.id, { action: 'cancel' });
    expect(await launch.claim(agent, ['run'])).toEqual({ item: null });
    expect((await s.client.getRun(added.runs[1].id)).state).toBe('killed');
    const q = await launch.getQueue('q');
    expect(q.items.find((i) => i.id === added.items[1].id)).toMatchObject({ state: 'canceled', message: `sweep ${sweep.id} is CANCELED: its queued runs do not start` });
    // An item that ended cannot change again (but the same report is answered as is).
    await launch.setItemState(first.id, { state: 'stopped', exitCode: 0 });
    expect((await launch.setItemState(first.id, { state: 'stopped' })).state).toBe('stopped');
    await expect(launch.setItemState(first.id, { state: 'finished' })).rejects.toMatchObject({ status: 409, code: 'item-ended' });
    expect((await launch.exitAgent(agent)).state).toBe('stopped');
    await expect(launch.claim(agent, ['run'])).rejects.toMatchObject({ status: 409, code: 'launch-agent-stopped' });
    await expect(launch.heartbeat('nosuch00', [])).rejects.toMatchObject({ status: 404, code: 'launch-agent-not-found' });
  });

  it('fails a sweep whose scheduler item ends badly, and resumes it with a new scheduler item', async () => {
    const { s, launch } = await setup();
    const { sweep, item } = await launch.createLaunchSweep({ config: CONFIG, queue: 'q' });
    const { launchAgentId: agent } = await launch.registerLaunchAgent({ host: 'h', pid: 1, queues: ['q', 'q2'], maxJobs: 1, maxSchedulers: 1 });
    await launch.claim(agent, ['scheduler']);
    await expect(launch.resumeLaunchSweep(sweep.id, {})).rejects.toMatchObject({ status: 409, code: 'scheduler-active' });
    await launch.setItemState(item.id, { state: 'failed', exitCode: 1, message: 'exit code 1' });
    const failed = await s.client.getSweep(sweep.id);
    expect(failed.state).toBe('FAILED');
    expect(failed.error).toBe(`its scheduler ended: exit code 1. Continue the sweep with \`broom launch-sweep --resume_id ${sweep.id} -q q\`.`);
    await expect(s.client.controlSweep(sweep.id, { action: 'resume' })).rejects.toMatchObject({ status: 409, code: 'launch-sweep' });
    await expect(launch.resumeLaunchSweep(sweep.id, { config: { scheduler: { job: 'logging' } } })).rejects.toMatchObject({ status: 400, code: 'scheduler-job-changed' });
    const resumed = await launch.resumeLaunchSweep(sweep.id, { queue: 'q2', config: { method: 'random', job: 'train.py', scheduler: { num_workers: 5 } } });
    expect(resumed.sweep.state).toBe('PENDING');
    expect(resumed.launch).toMatchObject({ queue: 'q2', scheduler: { num_workers: 5 }, schedulerItemId: resumed.item.id });
    expect(resumed.warnings[0]).toBe('With --resume_id only the config\'s `scheduler` and `launch` blocks are used: "method" differs from the sweep\'s stored config, which a resumed sweep keeps (its runs were made with it), so they are ignored.');
    expect(resumed.item).toMatchObject({ queue: 'q2', kind: 'scheduler', state: 'queued' });
    // The old scheduler is fenced off.
    await expect(launch.schedulerReport(sweep.id, { schedulerItemId: item.id, type: 'started' })).rejects.toMatchObject({ status: 409, code: 'scheduler-fenced' });
  });
});
