import type { FastifyInstance } from 'fastify';
import { isRecord, type Value, type ValueRecord } from '@broom/core';
import type { LaunchService } from '../launch/launch-service.js';
import type {
  AddRunsRequest,
  CreateLaunchSweepRequest,
  ItemStateRequest,
  RegisterLaunchAgentRequest,
  ResumeLaunchSweepRequest,
  SchedulerReport,
} from '../launch/launch-api.js';
import { ITEM_KINDS, type ItemKind } from '../store/launch-types.js';
import { badRequest, readCreateSweep, readSweepPath, Reader } from './request-checks.js';

type IdParams = { Params: { id: string } };
type NameParams = { Params: { name: string } };

const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

function queueName(value: unknown, where: string, key = 'queue'): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw badRequest(`${where}: Key "${key}": must be a queue name (letters, digits, _ . -; at most 128), but got ${JSON.stringify(value) ?? 'nothing'}.`);
  }
  return value;
}

function sweepIdOf(raw: string): string {
  return readSweepPath(raw).id;
}

/** The routes of Sweeps on Launch (`launch/launch-api.ts`), relative to API_PREFIX. */
export function registerLaunchRoutes(api: FastifyInstance, launch: LaunchService): void {
  api.get('/queues', async () => ({ queues: await launch.listQueues() }));

  api.post('/queues', async (request, reply) => {
    const r = Reader.of('POST /queues', request.body, ['name']);
    const name = queueName(r.raw('name'), 'POST /queues', 'name');
    return reply.code(201).send(await launch.ensureQueue(name));
  });

  api.get<NameParams>('/queues/:name', async (request) => launch.queueDetail(request.params.name));

  api.post('/launch-sweeps', async (request, reply) => {
    const body = request.body as ValueRecord | undefined;
    const queue = isRecord(body as Value) ? body!.queue : undefined;
    const rest = isRecord(body as Value) ? Object.fromEntries(Object.entries(body!).filter(([k]) => k !== 'queue')) : body;
    const base = readCreateSweep(rest);
    const req: CreateLaunchSweepRequest = { ...base, queue: queueName(queue, 'POST /launch-sweeps') };
    return reply.code(201).send(await launch.createLaunchSweep(req));
  });

  api.post<IdParams>('/launch-sweeps/:id/resume', async (request) => {
    const r = Reader.of('POST /launch-sweeps/:id/resume', request.body ?? {}, ['queue', 'config', 'configFile']);
    const req: ResumeLaunchSweepRequest = {};
    if (r.has('queue')) req.queue = queueName(r.raw('queue'), 'POST /launch-sweeps/:id/resume');
    const config = r.record('config');
    if (config) req.config = config;
    const file = r.string('configFile', { max: 4096 });
    if (file !== undefined) req.configFile = file;
    return launch.resumeLaunchSweep(sweepIdOf(request.params.id), req);
  });

  api.get<IdParams>('/launch-sweeps/:id', async (request) => launch.getLaunchSweep(sweepIdOf(request.params.id)));

  api.post<IdParams>('/launch-sweeps/:id/runs', async (request) => {
    const where = 'POST /launch-sweeps/:id/runs';
    const r = Reader.of(where, request.body, ['schedulerItemId', 'runs', 'schedulerState', 'expectedRuns']);
    const schedulerItemId = r.string('schedulerItemId', { required: true, max: 64 })!;
    const runs = r.array('runs').map((run, i) => {
      if (!isRecord(run) || !isRecord(run.config) || (run.searchInfo !== undefined && !isRecord(run.searchInfo))) {
        throw badRequest(`${where}: Key "runs[${i}]": must be {config: {...}, searchInfo?: {...}}.`);
      }
      return { config: run.config, ...(run.searchInfo !== undefined ? { searchInfo: run.searchInfo as ValueRecord } : {}) };
    });
    const expectedRuns = r.int('expectedRuns', { min: 0 });
    const req: AddRunsRequest = {
      schedulerItemId,
      runs,
      ...(r.has('schedulerState') ? { schedulerState: r.raw('schedulerState')! } : {}),
      ...(expectedRuns !== undefined ? { expectedRuns } : {}),
    };
    return launch.addRuns(sweepIdOf(request.params.id), req);
  });

  api.post<IdParams>('/launch-sweeps/:id/scheduler', async (request) => {
    const where = 'POST /launch-sweeps/:id/scheduler';
    const r = Reader.of(where, request.body, ['schedulerItemId', 'type', 'reason', 'schedulerState', 'run', 'info']);
    const schedulerItemId = r.string('schedulerItemId', { required: true, max: 64 })!;
    const type = r.oneOf('type', ['started', 'state', 'finishing', 'finished', 'failed', 'stop-run'] as const)!;
    let req: SchedulerReport;
    switch (type) {
      case 'started':
        req = { schedulerItemId, type };
        break;
      case 'state':
        req = { schedulerItemId, type, schedulerState: r.raw('schedulerState')! };
        break;
      case 'stop-run': {
        const info = r.record('info');
        req = { schedulerItemId, type, run: r.string('run', { required: true, max: 256 })!, reason: r.string('reason', { required: true, max: 4096 })!, ...(info ? { info } : {}) };
        break;
      }
      default:
        req = { schedulerItemId, type, reason: r.string('reason', { required: true, max: 16_384 })! };
    }
    return launch.schedulerReport(sweepIdOf(request.params.id), req);
  });

  api.post('/launch-agents', async (request, reply) => {
    const where = 'POST /launch-agents';
    const r = Reader.of(where, request.body, ['host', 'pid', 'queues', 'maxJobs', 'maxSchedulers']);
    const queues = r.array('queues').map((q, i) => queueName(q, where, `queues[${i}]`));
    if (queues.length === 0) throw badRequest(`${where}: Key "queues": must name at least one queue.`);
    const req: RegisterLaunchAgentRequest = {
      host: r.string('host', { required: true, max: 256 })!,
      pid: r.int('pid', { required: true, min: 0 })!,
      queues,
      maxJobs: r.int('maxJobs', { required: true, min: -1 })!,
      maxSchedulers: r.int('maxSchedulers', { required: true, min: -1 })!,
    };
    return reply.code(201).send(await launch.registerLaunchAgent(req));
  });

  api.post<IdParams>('/launch-agents/:id/heartbeat', async (request) => {
    const where = 'POST /launch-agents/:id/heartbeat';
    const r = Reader.of(where, request.body, ['running']);
    const running = r.array('running').map((id, i) => {
      if (typeof id !== 'string') throw badRequest(`${where}: Key "running[${i}]": must be an item id (a string).`);
      return id;
    });
    return launch.heartbeat(request.params.id, running);
  });

  api.post<IdParams>('/launch-agents/:id/claim', async (request) => {
    const where = 'POST /launch-agents/:id/claim';
    const r = Reader.of(where, request.body, ['kinds']);
    const kinds = r.array('kinds').map((k, i) => {
      if (!ITEM_KINDS.includes(k as ItemKind)) throw badRequest(`${where}: Key "kinds[${i}]": must be "scheduler" or "run".`);
      return k as ItemKind;
    });
    return launch.claim(request.params.id, kinds);
  });

  api.post<IdParams>('/launch-agents/:id/exit', async (request) => launch.exitAgent(request.params.id));

  api.post<IdParams>('/items/:id/state', async (request) => {
    const where = 'POST /items/:id/state';
    const r = Reader.of(where, request.body, ['state', 'exitCode', 'message', 'jobId']);
    const req: ItemStateRequest = { state: r.oneOf('state', ['running', 'finished', 'failed', 'stopped'] as const)! };
    if (r.has('exitCode')) {
      const v = r.raw('exitCode', false);
      req.exitCode = v === null ? null : r.int('exitCode', { min: -(2 ** 31), max: 2 ** 31 - 1 });
    }
    const message = r.string('message', { max: 16_384 });
    if (message !== undefined) req.message = message;
    const jobId = r.string('jobId', { max: 256 });
    if (jobId !== undefined) req.jobId = jobId;
    return launch.itemState(request.params.id, req);
  });
}
