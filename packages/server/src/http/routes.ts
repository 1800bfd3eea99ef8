import type { FastifyInstance } from 'fastify';
import type {
  HeartbeatResponse,
  ListRunsResponse,
  ListSweepsResponse,
  MetricsResponse,
  RegisterAgentResponse,
  RunDetail,
  SweepDetail,
} from '@broom/core';
import { notFound } from '../controller/service-error.js';
import type { SweepRow } from '../store/store.js';
import type { AppOptions } from './app.js';
import {
  readControl,
  readCreateSweep,
  readHeartbeat,
  readHistoryFlag,
  readMetrics,
  readRegisterAgent,
  readRunState,
  readSweepPath,
} from './request-checks.js';
import { toRunDetail, toSweepDetail, toSweepSummary } from './render.js';

type IdParams = { Params: { id: string } };

/** Every route of `common/protocol/api.ts`, relative to API_PREFIX. */
export function registerRoutes(api: FastifyInstance, opts: AppOptions): void {
  const { manager, store } = opts;

  /** The sweep named in the path (`id`, `project/id`, `entity/project/id`), or a 404. */
  async function sweepOf(raw: string): Promise<SweepRow> {
    const ref = readSweepPath(raw);
    const sweep = await store.getSweep(ref.id);
    if (!sweep || (ref.project !== undefined && ref.project !== sweep.project) || (ref.entity !== undefined && ref.entity !== sweep.entity)) {
      throw notFound('sweep', raw);
    }
    return sweep;
  }

  async function detail(sweep: SweepRow): Promise<SweepDetail> {
    return toSweepDetail(sweep, await store.listRuns(sweep.id));
  }

  api.get('/health', async () => ({ ok: true, version: opts.version }));

  api.post('/sweeps', async (request, reply) => {
    const body = readCreateSweep(request.body);
    const sweep = await manager.createSweep(body);
    return reply.code(201).send(await detail(sweep));
  });

  api.get('/sweeps', async (): Promise<ListSweepsResponse> => {
    const sweeps = await store.listSweeps();
    return { sweeps: await Promise.all(sweeps.map(async (s) => toSweepSummary(s, await store.listRuns(s.id)))) };
  });

  api.get<IdParams>('/sweeps/:id', async (request): Promise<SweepDetail> => detail(await sweepOf(request.params.id)));

  api.post<IdParams>('/sweeps/:id/control', async (request): Promise<SweepDetail> => {
    const sweep = await sweepOf(request.params.id);
    const body = readControl(request.body);
    return detail(await manager.control(sweep.id, body));
  });

  api.get<IdParams>('/sweeps/:id/runs', async (request): Promise<ListRunsResponse> => {
    const withHistory = readHistoryFlag(request.query);
    const sweep = await sweepOf(request.params.id);
    const runs = await store.listRuns(sweep.id);
    const histories = withHistory ? await store.getSweepHistory(sweep.id) : undefined;
    return { runs: runs.map((r) => toRunDetail(r, histories ? (histories.get(r.id) ?? []) : undefined)) };
  });

  api.post<IdParams>('/sweeps/:id/agents', async (request, reply) => {
    const sweep = await sweepOf(request.params.id);
    const body = readRegisterAgent(request.body);
    const agent = await manager.registerAgent(sweep.id, body);
    const answer: RegisterAgentResponse = { agentId: agent.id, heartbeatInterval: opts.heartbeatIntervalS };
    return reply.code(201).send(answer);
  });

  api.get<IdParams>('/runs/:id', async (request): Promise<RunDetail> => {
    const withHistory = readHistoryFlag(request.query);
    const run = await manager.getRun(request.params.id);
    return toRunDetail(run, withHistory ? await store.getHistory(run.id) : undefined);
  });

  api.post<IdParams>('/runs/:id/metrics', async (request): Promise<MetricsResponse> => {
    const body = readMetrics(request.body);
    return manager.postMetrics(request.params.id, body);
  });

  api.post<IdParams>('/runs/:id/state', async (request): Promise<RunDetail> => {
    const body = readRunState(request.body);
    return toRunDetail(await manager.reportRunState(request.params.id, body));
  });

  api.post<IdParams>('/agents/:id/heartbeat', async (request): Promise<HeartbeatResponse> => {
    const body = readHeartbeat(request.body);
    return { commands: await manager.heartbeat(request.params.id, body) };
  });
}
