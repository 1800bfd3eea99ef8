import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ServerResponse } from 'node:http';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { API_PREFIX, type ValueRecord } from '@broom/core';
import { notFound, ServiceError } from '../controller/service-error.js';
import { LiveFeed } from '../dashboard/live-feed.js';
import { readLogChunk, runLogPath } from '../dashboard/run-log.js';
import { sweepImportance, type SweepImportance } from '../dashboard/sweep-importance.js';
import type { RunRow, SweepRow } from '../store/store.js';
import type { AppOptions } from './app.js';
import { readSweepPath } from './request-checks.js';
import { toSweepSummary } from './render.js';

/** Routes that carry `config: { public: true }` answer without the token: the dashboard's static files hold no data. */
export const PUBLIC_ROUTE = { public: true } as const;

/** A stream whose client reads slower than this many bytes behind is closed; the browser reconnects and gets a snapshot. */
const MAX_STREAM_BACKLOG = 8 * 1024 * 1024;
const PING_MS = 15_000;

/** The built dashboard (`@broom/dashboard`'s `dist/`), or undefined when it was not built. */
export function dashboardAssetsDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@broom/dashboard/package.json');
    const dist = path.join(path.dirname(pkg), 'dist');
    return existsSync(path.join(dist, 'index.html')) ? dist : undefined;
  } catch {
    return undefined;
  }
}

const NOT_BUILT_PAGE = `<!doctype html><meta charset="utf-8"><title>broom</title>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>broom</h1><p>The dashboard is not built. Run <code>pnpm build</code> in the broom repository
(or <code>pnpm --filter @broom/dashboard build</code>) and reload. The API is under <code>${API_PREFIX}</code>.</p>`;

type IdParams = { Params: { id: string } };

/**
 * The web dashboard: its static files at `/` (public), and its API under `/api/v1/dashboard`
 * (behind the token like every API route): the live stream of a sweep or of the sweeps list
 * (server-sent events), parameter importance, compact metric histories and run logs.
 */
export async function registerDashboard(app: FastifyInstance, opts: AppOptions): Promise<void> {
  const { store } = opts;
  const feed = new LiveFeed(store, { log: opts.log });
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    feed.close();
    for (const s of streams) s.end();
  });

  const dist = dashboardAssetsDir();
  if (dist) {
    await app.register(fastifyStatic, { root: dist, serve: false });
    app.get('/', { config: PUBLIC_ROUTE }, (_request, reply) => reply.header('cache-control', 'no-cache').sendFile('index.html'));
    app.get<{ Params: { '*': string } }>('/assets/*', { config: PUBLIC_ROUTE }, (request, reply) =>
      reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path.posix.join('assets', request.params['*'])),
    );
    app.get('/favicon.svg', { config: PUBLIC_ROUTE }, (_request, reply) => reply.sendFile('favicon.svg'));
  } else {
    app.get('/', { config: PUBLIC_ROUTE }, (_request, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT_PAGE));
  }

  async function sweepOf(raw: string): Promise<SweepRow> {
    const ref = readSweepPath(raw);
    const sweep = await store.getSweep(ref.id);
    if (!sweep || (ref.project !== undefined && ref.project !== sweep.project) || (ref.entity !== undefined && ref.entity !== sweep.entity)) {
      throw notFound('sweep', raw);
    }
    return sweep;
  }
  async function runOf(id: string): Promise<RunRow> {
    const run = await store.getRun(id);
    if (!run) throw notFound('run', id);
    return run;
  }

  // Importance is refitted only when the sweep's finished runs change.
  const importanceCache = new Map<string, { key: string; value: SweepImportance }>();

  await app.register(
    async (api) => {
      /** Server-sent events: `?sweep=ID` for one sweep (snapshot, then deltas), else the sweeps list. */
      api.get<{ Querystring: { sweep?: string } }>('/events', async (request, reply) => {
        const raw = request.query.sweep;
        const sweepId = raw === undefined || raw === '' ? undefined : (await sweepOf(raw)).id;
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write('retry: 2000\n\n');
        streams.add(res);
        let unsubscribe = () => {};
        const ping = setInterval(() => res.write(': ping\n\n'), PING_MS);
        const done = () => {
          clearInterval(ping);
          unsubscribe();
          streams.delete(res);
        };
        res.on('close', done);
        unsubscribe = feed.subscribe(sweepId, (f) => {
          if (res.writableEnded) return;
          if (res.writableLength > MAX_STREAM_BACKLOG) {
            res.end();
            return;
          }
          res.write(f);
        });
      });

      api.get<IdParams>('/sweeps/:id/importance', async (request) => {
        const sweep = await sweepOf(request.params.id);
        const runs = await store.listRuns(sweep.id);
        const metric = toSweepSummary(sweep, []).metric;
        const finished = runs.filter((r) => r.state === 'finished' && !r.superseded);
        const key = `${metric?.name}|${metric?.goal}|${finished.length}|${finished.map((r) => r.endedAt ?? '').reduce((a, b) => (a > b ? a : b), '')}`;
        const cached = importanceCache.get(sweep.id);
        if (cached?.key === key) return cached.value;
        const value = sweepImportance(runs, metric);
        importanceCache.set(sweep.id, { key, value });
        return value;
      });

      /**
       * The charts' data: the history of the `runs` asked for (comma-separated ids; every run of the
       * sweep when absent), with only the `keys` asked for (comma-separated; all when absent).
       */
      api.get<IdParams & { Querystring: { keys?: string; runs?: string } }>('/sweeps/:id/history', async (request) => {
        const sweep = await sweepOf(request.params.id);
        const keys = request.query.keys ? request.query.keys.split(',').filter((k) => k !== '') : undefined;
        let histories: Map<string, ValueRecord[]>;
        if (request.query.runs !== undefined) {
          histories = new Map();
          for (const runId of new Set(request.query.runs.split(',').filter((r) => r !== ''))) {
            const run = await store.getRun(runId);
            if (!run || run.sweepId !== sweep.id) throw new ServiceError(404, 'run-not-found', `No run with id "${runId}" in sweep ${sweep.id}.`);
            histories.set(runId, run.historyLength === 0 ? [] : await store.getHistory(runId));
          }
        } else {
          histories = await store.getSweepHistory(sweep.id);
        }
        const runs: Record<string, { from: number; rows: ValueRecord[] }> = {};
        for (const [runId, rows] of histories) {
          runs[runId] = {
            from: 0,
            rows: keys
              ? rows.map((row) => {
                  const out: ValueRecord = {};
                  for (const k of keys) if (k in row) out[k] = row[k];
                  return out;
                })
              : rows,
          };
        }
        return { runs };
      });

      /** A run's output log, when its agent shares this server's directory: `?offset=N` reads on from N, else the tail. */
      api.get<IdParams & { Querystring: { offset?: string } }>('/runs/:id/log', async (request) => {
        const run = await runOf(request.params.id);
        const rawOffset = request.query.offset;
        let offset: number | undefined;
        if (rawOffset !== undefined) {
          offset = Number(rawOffset);
          if (!Number.isInteger(offset) || offset < 0) {
            throw new ServiceError(400, 'bad-request', `Query parameter "offset": must be a whole number of bytes ≥ 0, but got "${rawOffset}".`);
          }
        }
        if (!opts.dir) throw new ServiceError(404, 'log-not-here', `This server has no directory to read run logs from.`);
        const file = runLogPath(opts.dir, run.sweepId, run.id);
        const chunk = await readLogChunk(file, offset);
        if (!chunk) {
          const agent = run.agentId ? await store.getAgent(run.agentId) : undefined;
          throw new ServiceError(
            404,
            'log-not-here',
            `The log of run ${run.name} is not in this server's directory (${file}). An agent writes it in its own broom directory` +
              `${agent ? `, on ${agent.host}` : ''}: sweep-${run.sweepId}/run-${run.id}/output.log. The dashboard shows logs of agents that share the server's directory (BROOM_DIR).`,
          );
        }
        return chunk;
      });
    },
    { prefix: `${API_PREFIX}/dashboard` },
  );
}
