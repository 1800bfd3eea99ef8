import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import path from 'node:path';
import { ApiClient, startServer, type RunningServer } from '@broom/server';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './harness.js';

// Thousands of malformed requests to a real server (loopback, a real SQLite file). Every answer
// must be < 500, and every error a JSON {error: {code, message}}; the server must stay up.
// Seeded and deterministic.
const SEED = 0xb0_0b5;
const BODY_LIMIT = 64 * 1024;

let server: RunningServer;
let url: string;
let remove: () => void;
const log: string[] = [];
const ids = { sweep: '', run: '', agent: '' };

beforeAll(async () => {
  const tmp = tempDir('broom-fuzz-api-');
  remove = tmp.remove;
  server = await startServer({ dir: path.join(tmp.dir, 'server'), port: 0, pollIntervalMs: 200, maxWorkers: 1, bodyLimit: BODY_LIMIT, log: (l) => log.push(l) });
  url = `http://127.0.0.1:${server.port}`;
  const client = new ApiClient(url);
  const sweep = await client.createSweep({ config: { method: 'grid', parameters: { x: { values: [1, 2, 3] } } } });
  ids.sweep = sweep.id;
  ids.agent = (await client.registerAgent(sweep.id, { host: 'fuzz', pid: 1 })).agentId;
  for (let i = 0; i < 50 && !ids.run; i++) {
    const { commands } = await client.heartbeat(ids.agent, { running: [], freeSlots: 1 });
    const run = commands.find((c) => c.type === 'run');
    if (run && run.type === 'run') ids.run = run.runId;
    else await new Promise((r) => setTimeout(r, 100));
  }
  expect(ids.run).not.toBe('');
});

afterAll(async () => {
  await server?.close();
  remove?.();
});

// ---- generators ----------------------------------------------------------------------------

const oddScalar = fc.oneof(
  fc.constantFrom(0, -1, 1e308, -1e308, 2 ** 53, 2 ** 63, 1.5, true, false, null, '', 'x', '💥', '\u0000', '\u202e', 'NaN', 'running', 'pause', 'finished'),
  fc.double({ noNaN: true }),
  fc.integer(),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small' }, oddScalar, tie('arr'), tie('obj')),
  arr: fc.array(tie('any'), { maxLength: 4 }),
  obj: fc.dictionary(fc.string({ maxLength: 10 }), tie('any'), { maxKeys: 4 }),
})).any;

/** Bodies shaped like each route's, with fields of the wrong type, missing or extra. */
const FIELDS: Record<string, string[]> = {
  sweeps: ['config', 'configText', 'configFile', 'configDir', 'name', 'project', 'entity'],
  control: ['action', 'retryFailed'],
  agents: ['host', 'pid', 'slots'],
  heartbeat: ['running', 'freeSlots'],
  metrics: ['seq', 'rows', 'summary'],
  state: ['state', 'exitCode'],
  tokens: ['name'],
};
const shaped = (kind: string) =>
  fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS[kind]), fc.string({ maxLength: 6 })), fc.oneof(value, fc.array(value, { maxLength: 3 }), fc.array(fc.dictionary(fc.string({ maxLength: 5 }), value), { maxLength: 3 })), { maxKeys: 4 });

const deep = fc.integer({ min: 50, max: 20_000 }).map((n) => `{"rows": ${'['.repeat(n)}${']'.repeat(n)}, "seq": 0}`);
const hugeNumbers = fc.constantFrom('{"seq": 1e400, "rows": []}', '{"seq": 123456789012345678901234567890, "rows": []}', '{"freeSlots": -1e309, "running": []}', '{"pid": 1e21, "host": "h"}', '{"seq": -0, "rows": [{"a": 1e-400}]}');
const badJson = fc.constantFrom('{', '{"a":}', "{'a': 1}", '[1,]', 'NaN', '{"a": NaN}', '\u0000', '{"a": "\\ud800"}', 'null', 'true', '"string"', '123', '{"__proto__": {"x": 1}}', '{"constructor": {"prototype": {}}}', '\uFEFF{}', '{"a": 1}{"b": 2}');

interface Req {
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
}

/** Ids as the path gets them: real ones, unknown ones, and hostile ones. */
const idArb = fc.oneof(
  fc.constantFrom('REAL', 'nope0000', '', '..', '%2e%2e', '..%2F..%2Fetc', '%00', '%ZZ', 'a%2Fb%2Fc%2Fd', 'x'.repeat(600), '💥', '%F0%9F%92%A5', '1e400', 'null', '__proto__', 'constructor'),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);

const routeArb = fc.tuple(
  fc.constantFrom(
    ['POST', '/sweeps', 'sweeps'],
    ['GET', '/sweeps', ''],
    ['GET', '/sweeps/:sweep', ''],
    ['POST', '/sweeps/:sweep/control', 'control'],
    ['GET', '/sweeps/:sweep/runs', ''],
    ['POST', '/sweeps/:sweep/agents', 'agents'],
    ['GET', '/runs/:run', ''],
    ['POST', '/runs/:run/metrics', 'metrics'],
    ['POST', '/runs/:run/state', 'state'],
    ['POST', '/agents/:agent/heartbeat', 'heartbeat'],
    ['POST', '/tokens/:token/revoke', ''],
    ['POST', '/tokens', 'tokens'],
    ['PUT', '/sweeps', 'sweeps'],
    ['DELETE', '/runs/:run', ''],
    ['PATCH', '/agents/:agent/heartbeat', 'heartbeat'],
    ['GET', '/nothing/here', ''],
  ),
  idArb,
  fc.constantFrom('', '?history=1', '?history=maybe', '?history=1&history=0', '?history[]=1', '?%ZZ=1', '?history=' + 'x'.repeat(3000)),
);

const bodyArb = (kind: string) =>
  fc.oneof(
    { weight: 4, arbitrary: (kind ? shaped(kind) : value).map((v) => JSON.stringify(v) ?? '') },
    { weight: 2, arbitrary: value.map((v) => JSON.stringify(v) ?? '') },
    { weight: 1, arbitrary: badJson },
    { weight: 1, arbitrary: hugeNumbers },
    { weight: 1, arbitrary: deep },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const contentTypeArb = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom(undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/jsonx', '*/*', '', 'application/json, text/plain') },
);

const requestArb: fc.Arbitrary<Req> = routeArb.chain(([[method, template, kind], id, query]) =>
  fc.record({ body: bodyArb(kind), contentType: contentTypeArb }).map(({ body, contentType }) => {
    const real = (k: 'sweep' | 'run' | 'agent') => (id === 'REAL' ? ids[k] : id);
    const p = template.replace(':sweep', real('sweep')).replace(':run', real('run')).replace(':agent', real('agent')).replace(':token', id === 'REAL' ? 'tok_nothing00' : id);
    return { method, path: `/api/v1${p}${query}`, ...(method === 'GET' ? {} : { body, contentType }) };
  }),
);

/** One request over node:http (fetch refuses some of these headers and bodies). */
function send(req: Req): Promise<{ status: number; text: string; type: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (req.contentType !== undefined) headers['content-type'] = req.contentType;
    if (req.body !== undefined) headers['content-length'] = Buffer.byteLength(req.body);
    const r = httpRequest(`${url}${req.path}`, { method: req.method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text, type: String(res.headers['content-type'] ?? '') }));
    });
    r.on('error', reject);
    if (req.body !== undefined) r.write(req.body);
    r.end();
  });
}

async function checkAnswer(req: Req): Promise<void> {
  const show = () => `${req.method} ${req.path.slice(0, 200)} [${req.contentType}] ${String(req.body ?? '(no body)').slice(0, 300)}`;
  let res;
  try {
    res = await send(req);
  } catch (error) {
    throw new Error(`No answer (${(error as Error).message}) to ${show()}`);
  }
  if (res.status >= 500) throw new Error(`${res.status} for ${show()}\n${res.text.slice(0, 500)}\n${log.filter((l) => l.includes('Internal')).slice(-1)[0] ?? ''}`);
  if (res.status >= 400) {
    let body: { error?: { code?: unknown; message?: unknown } };
    try {
      body = JSON.parse(res.text);
    } catch {
      throw new Error(`${res.status} without a JSON body for ${show()}: ${res.text.slice(0, 200)}`);
    }
    if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string' || body.error.message.length === 0) {
      throw new Error(`${res.status} without {error: {code, message}} for ${show()}: ${res.text.slice(0, 200)}`);
    }
    expect(res.type).toMatch(/^application\/json/);
  }
}

describe('fuzzing the HTTP API', () => {
  it('answers thousands of malformed requests with a 4xx and a JSON error, never a 500', async () => {
    await fc.assert(fc.asyncProperty(requestArb, checkAnswer), { seed: SEED, numRuns: 5000, endOnFailure: true });
    const health = await send({ method: 'GET', path: '/api/v1/health' });
    expect(health.status).toBe(200);
    expect(log.filter((l) => l.startsWith('Internal error'))).toEqual([]);
  });

  it('refuses oversized bodies with 413 and keeps serving', async () => {
    for (const size of [BODY_LIMIT + 1, BODY_LIMIT * 4, 4 * 1024 * 1024]) {
      const body = `{"seq": 0, "rows": [{"pad": "${'x'.repeat(size)}"}]}`;
      const res = await send({ method: 'POST', path: `/api/v1/runs/${ids.run}/metrics`, body, contentType: 'application/json' });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text).error.code).toBe('body-too-large');
    }
    expect((await send({ method: 'GET', path: '/api/v1/health' })).status).toBe(200);
  });

  it('survives garbage that is not HTTP at all', async () => {
    const garbage = ['\u0000\u0001\u0002\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'POST /api/v1/sweeps HTTP/1.1\r\nContent-Length: -5\r\n\r\n', 'POST /api/v1/sweeps HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n', `GET /${'a'.repeat(100_000)} HTTP/1.1\r\n\r\n`];
    for (const g of garbage) {
      await new Promise<void>((resolve) => {
        const socket = connect(server.port, '127.0.0.1', () => socket.end(g));
        socket.on('data', () => {});
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.setTimeout(5000, () => socket.destroy());
      });
    }
    expect((await send({ method: 'GET', path: '/api/v1/health' })).status).toBe(200);
  });
});
