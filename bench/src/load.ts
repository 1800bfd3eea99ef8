/**
 * Load: many simulated agents against one `broom server` on localhost. No assertions: it reports.
 *
 * The server runs as its own process (the built CLI: `broom server`), on SQLite in a temporary
 * directory, or on PostgreSQL when BROOM_DATABASE_URL is set (passed through to the server). The
 * simulated agents live in this process and speak the agents' HTTP API as `broom agent` does:
 * register, heartbeat (at the interval the server gives, and at once when a run ends), report a
 * run `running`, stream its metrics in one batch per interval (the agent's uploader batches each
 * second), report it `finished`, and ask for the next one.
 *
 * Phases (each `--seconds` long, agents registered afresh on new sweeps):
 *   steady    the realistic load: runs of --run-seconds, --rows rows per second per run in one batch a second
 *   churn     runs that end at once (one batch each): the most runs the server can hand out per second
 *   flood     batches of --flood-rows rows sent back to back: the most metric rows it can ingest per second
 *   scale-xN  steady with the batches N times as often (N = 2, 4, 8, 16): where it saturates
 *   ramp-N    steady with 20, 40, 60, 80 and 100% of --agents: where the steady load saturates
 *
 * Reports, per phase: runs handed out per second, metric rows ingested per second, requests per
 * second, p50/p99/max latency per request kind, errors, the server's RSS (max) and CPU. Writes
 * bench/results/load-<store>.json; with --profile, also a CPU profile of the server and its top
 * functions.
 *
 *   pnpm build && npx tsx bench/src/load.ts [--agents 500] [--sweeps 10] [--seconds 20] [--phases steady,churn,flood,scale]
 *                                           [--profile] [--out bench/results/load-sqlite.json]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'packages/cli/bin/broom.mjs');

interface Options {
  agents: number;
  sweeps: number;
  seconds: number;
  runSeconds: number;
  rows: number;
  floodRows: number;
  phases: string[];
  profile: boolean;
  out?: string;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { agents: 500, sweeps: 10, seconds: 20, runSeconds: 20, rows: 10, floodRows: 100, phases: ['steady', 'churn', 'flood', 'scale'], profile: false };
  const num = (flag: string, v: string | undefined) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number, got ${v}`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const v = argv[i + 1];
    if (flag === '--agents') o.agents = Math.round(num(flag, v));
    else if (flag === '--sweeps') o.sweeps = Math.round(num(flag, v));
    else if (flag === '--seconds') o.seconds = num(flag, v);
    else if (flag === '--run-seconds') o.runSeconds = num(flag, v);
    else if (flag === '--rows') o.rows = Math.round(num(flag, v));
    else if (flag === '--flood-rows') o.floodRows = Math.round(num(flag, v));
    else if (flag === '--phases') o.phases = (v ?? '').split(',').filter(Boolean);
    else if (flag === '--out') o.out = path.resolve(v ?? '');
    else if (flag === '--profile') {
      o.profile = true;
      continue;
    } else throw new Error(`unknown option ${flag}; see the comment at the top of bench/src/load.ts`);
    i++;
  }
  return o;
}

// ---- HTTP ----------------------------------------------------------------------------------

const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 1024 });
let baseUrl = '';

interface Answer {
  status: number;
  body: unknown;
}

function call(method: 'GET' | 'POST', urlPath: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(`${baseUrl}/api/v1${urlPath}`, {
      method,
      agent: httpAgent,
      headers: data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // keep the text
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.setTimeout(60_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

// ---- measurements --------------------------------------------------------------------------

type Kind = 'register' | 'heartbeat' | 'state' | 'metrics';

class Stats {
  readonly latency: Record<Kind, number[]> = { register: [], heartbeat: [], state: [], metrics: [] };
  errors: Record<string, number> = {};
  runs = 0;
  rows = 0;
  requests = 0;
  stopped = false;

  async timed(kind: Kind, method: 'GET' | 'POST', urlPath: string, body?: unknown): Promise<Answer | undefined> {
    const t0 = performance.now();
    try {
      const answer = await call(method, urlPath, body);
      this.latency[kind].push(performance.now() - t0);
      this.requests++;
      if (answer.status >= 400) {
        const code = (answer.body as { error?: { code?: string } })?.error?.code ?? String(answer.status);
        this.errors[`${kind} ${answer.status} ${code}`] = (this.errors[`${kind} ${answer.status} ${code}`] ?? 0) + 1;
        return undefined;
      }
      return answer;
    } catch (error) {
      this.errors[`${kind} ${(error as Error).message}`] = (this.errors[`${kind} ${(error as Error).message}`] ?? 0) + 1;
      return undefined;
    }
  }
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- one simulated agent ---------------------------------------------------------------------

interface AgentShape {
  /** How long a run lasts (ms); 0 = one batch and done. */
  runMs: number;
  /** Time between metric batches (ms); 0 = back to back. */
  batchMs: number;
  rowsPerBatch: number;
}

async function simulateAgent(sweepId: string, index: number, shape: AgentShape, stats: Stats, deadline: number): Promise<void> {
  const reg = await stats.timed('register', 'POST', `/sweeps/${sweepId}/agents`, { host: `sim-${index}`, pid: 100_000 + index });
  if (!reg) return;
  const { agentId, heartbeatInterval } = reg.body as { agentId: string; heartbeatInterval: number };
  const hbMs = heartbeatInterval * 1000;
  let current: string | undefined;
  let step = 0;
  let nextHeartbeat = 0;
  // Spread the agents over the first heartbeat interval, as agents started at different times are.
  await sleep(Math.random() * Math.min(hbMs, 2000));
  while (Date.now() < deadline && !stats.stopped) {
    if (!current || Date.now() >= nextHeartbeat) {
      const hb = await stats.timed('heartbeat', 'POST', `/agents/${agentId}/heartbeat`, { running: current ? [current] : [], freeSlots: current ? 0 : 1 });
      nextHeartbeat = Date.now() + hbMs;
      const run = ((hb?.body as { commands?: { type: string; runId?: string }[] })?.commands ?? []).find((c) => c.type === 'run');
      if (run?.runId && !current) {
        current = run.runId;
        stats.runs++;
        step = 0;
        await stats.timed('state', 'POST', `/runs/${current}/state`, { state: 'running' });
        void runOne(current);
      }
      if (!current) await sleep(hbMs);
    }
    await sleep(Math.min(50, Math.max(0, nextHeartbeat - Date.now())));
  }

  async function runOne(runId: string): Promise<void> {
    const ends = Date.now() + shape.runMs;
    do {
      const rows = [];
      for (let i = 0; i < shape.rowsPerBatch; i++, step++) rows.push({ _step: step, loss: 1 / (step + 1), acc: 0.5 + step * 1e-6, lr: 0.001 });
      const ok = await stats.timed('metrics', 'POST', `/runs/${runId}/metrics`, { seq: step - shape.rowsPerBatch, rows });
      if (ok) stats.rows += shape.rowsPerBatch;
      else step -= shape.rowsPerBatch; // resend the same rows next time, as the agent does
      if (shape.batchMs > 0) await sleep(shape.batchMs);
    } while (Date.now() < ends && Date.now() < deadline && !stats.stopped);
    await stats.timed('state', 'POST', `/runs/${runId}/state`, { state: 'finished', exitCode: 0 });
    current = undefined;
    nextHeartbeat = 0; // the real agent heartbeats at once when a run ends
  }
}

// ---- the server process ----------------------------------------------------------------------

interface ServerProc {
  child: ChildProcess;
  samples: { t: number; rssMb: number; cpuS: number }[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function procStats(pid: number): { rssMb: number; cpuS: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return { rssMb: rssKb / 1024, cpuS: ticks / 100 };
}

async function startBroomServer(dir: string, profileDir: string | undefined): Promise<ServerProc & { url: string }> {
  const port = await freePort();
  const args = [
    ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
    bin, 'server', '--dir', dir, '--port', String(port), '--poll-interval', '1', '--heartbeat-timeout', '120',
  ];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, BROOM_TOKEN: '' } });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', () => {});
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (!out.includes('server listening')) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`broom server did not start:\n${out}`);
    await sleep(50);
  }
  const samples: ServerProc['samples'] = [];
  const timer = setInterval(() => {
    try {
      samples.push({ t: Date.now(), ...procStats(child.pid!) });
    } catch {
      // exited
    }
  }, 250);
  return {
    child,
    url,
    samples,
    stop: async () => {
      clearInterval(timer);
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

// ---- phases --------------------------------------------------------------------------------

interface PhaseResult {
  phase: string;
  agents: number;
  sweeps: number;
  seconds: number;
  shape: AgentShape;
  offered: { metricPostsPerS: number | null; rowsPerS: number | null };
  runsPerS: number;
  rowsPerS: number;
  requestsPerS: number;
  latencyMs: Record<Kind, { count: number; p50: number; p99: number; max: number }>;
  errors: Record<string, number>;
  serverRssMbMax: number;
  serverCpuPercent: number;
}

async function createSweeps(n: number, tag: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const config = { method: 'random', name: `load-${tag}-${i}`, metric: { name: 'loss', goal: 'minimize' }, parameters: { lr: { distribution: 'log_uniform_values', min: 1e-5, max: 1e-1 }, width: { values: [64, 128, 256, 512] }, dropout: { min: 0.0, max: 0.5 } } };
    const answer = await call('POST', '/sweeps', { config, project: 'load' });
    if (answer.status !== 201) throw new Error(`creating a sweep failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    ids.push((answer.body as { id: string }).id);
  }
  return ids;
}

async function runPhase(server: ServerProc, name: string, opts: Options, shape: AgentShape, agents = opts.agents): Promise<PhaseResult> {
  const sweeps = await createSweeps(opts.sweeps, name);
  const stats = new Stats();
  const t0 = Date.now();
  const deadline = t0 + opts.seconds * 1000;
  const before = server.samples.length;
  const cpu0 = procStats(server.child.pid!).cpuS;
  await Promise.all(Array.from({ length: agents }, (_, i) => simulateAgent(sweeps[i % sweeps.length], i, shape, stats, deadline)));
  stats.stopped = true;
  const seconds = (Date.now() - t0) / 1000;
  const cpu1 = procStats(server.child.pid!).cpuS;
  const samples = server.samples.slice(before);
  const latencyMs = Object.fromEntries(
    (Object.keys(stats.latency) as Kind[]).map((k) => {
      const v = stats.latency[k];
      return [k, { count: v.length, p50: round(pct(v, 50)), p99: round(pct(v, 99)), max: round(v.length ? Math.max(...v) : NaN) }];
    }),
  ) as PhaseResult['latencyMs'];
  // Stop the phase's sweeps so that the next phase starts from idle controllers.
  for (const id of sweeps) await call('POST', `/sweeps/${id}/control`, { action: 'cancel' });
  const offeredPosts = shape.batchMs > 0 && shape.runMs > 0 ? agents * (1000 / shape.batchMs) : null;
  return {
    phase: name,
    agents,
    sweeps: opts.sweeps,
    seconds: round(seconds),
    shape,
    offered: { metricPostsPerS: offeredPosts === null ? null : round(offeredPosts), rowsPerS: offeredPosts === null ? null : round(offeredPosts * shape.rowsPerBatch) },
    runsPerS: round(stats.runs / seconds),
    rowsPerS: round(stats.rows / seconds),
    requestsPerS: round(stats.requests / seconds),
    latencyMs,
    errors: stats.errors,
    serverRssMbMax: round(Math.max(0, ...samples.map((s) => s.rssMb))),
    serverCpuPercent: round(((cpu1 - cpu0) / seconds) * 100),
  };
}

function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 10) / 10 : x;
}

/** The functions that took the most CPU (self time) in a .cpuprofile. */
function topFunctions(file: string, n = 15): { fn: string; selfPercent: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
    samples: number[];
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map<string, number>();
  for (const id of profile.samples) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = url ? `${url.replace(/^file:\/\//, '').replace(repoRoot + '/', '').replace(/.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'} ${where}`.trim();
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = profile.samples.length;
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([fn, c]) => ({ fn, selfPercent: round((c / total) * 100) }));
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const store = process.env.BROOM_DATABASE_URL ? 'postgres' : 'sqlite';
  const out = opts.out ?? path.join(repoRoot, 'bench/results', `load-${store}.json`);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'broom-load-'));
  const profileDir = opts.profile ? path.join(tmp, 'profile') : undefined;
  if (profileDir) mkdirSync(profileDir);
  const server = await startBroomServer(path.join(tmp, 'server'), profileDir);
  baseUrl = server.url;
  const results: PhaseResult[] = [];
  const say = (r: PhaseResult) => {
    const l = r.latencyMs;
    process.stderr.write(
      `${r.phase.padEnd(9)} agents ${r.agents} runs/s ${String(r.runsPerS).padStart(7)}  rows/s ${String(r.rowsPerS).padStart(9)}  req/s ${String(r.requestsPerS).padStart(7)}` +
        `  hb p50/p99 ${l.heartbeat.p50}/${l.heartbeat.p99} ms  metrics p50/p99 ${l.metrics.p50}/${l.metrics.p99} ms` +
        `  rss ${r.serverRssMbMax} MB  cpu ${r.serverCpuPercent}%  errors ${Object.values(r.errors).reduce((a, b) => a + b, 0)}\n`,
    );
  };
  const steady: AgentShape = { runMs: opts.runSeconds * 1000, batchMs: 1000, rowsPerBatch: opts.rows };
  try {
    for (const phase of opts.phases) {
      if (phase === 'steady') results.push(await runPhase(server, 'steady', opts, steady));
      else if (phase === 'churn') results.push(await runPhase(server, 'churn', opts, { runMs: 0, batchMs: 0, rowsPerBatch: opts.rows }));
      else if (phase === 'flood') results.push(await runPhase(server, 'flood', opts, { runMs: opts.seconds * 1000, batchMs: 0, rowsPerBatch: opts.floodRows }));
      else if (phase === 'scale') {
        for (const x of [2, 4, 8, 16]) {
          results.push(await runPhase(server, `scale-x${x}`, opts, { ...steady, batchMs: 1000 / x }));
          say(results.at(-1)!);
        }
        continue;
      } else if (phase === 'ramp') {
        for (const f of [0.2, 0.4, 0.6, 0.8, 1]) {
          const n = Math.max(1, Math.round(opts.agents * f));
          results.push(await runPhase(server, `ramp-${n}`, opts, steady, n));
          say(results.at(-1)!);
        }
        continue;
      } else throw new Error(`unknown phase ${phase}: use steady, churn, flood, scale, ramp`);
      say(results.at(-1)!);
    }
  } finally {
    await server.stop();
  }
  let profile: { fn: string; selfPercent: number }[] | undefined;
  if (profileDir) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      profile = topFunctions(path.join(profileDir, file));
      process.stderr.write(`server CPU profile, top functions by self time:\n${profile.map((p) => `  ${String(p.selfPercent).padStart(5)}%  ${p.fn}`).join('\n')}\n`);
    }
  }
  const report = {
    date: new Date().toISOString(),
    store,
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGb: round(os.totalmem() / 2 ** 30), node: process.version },
    options: opts,
    note: 'The simulated agents run in this process, on the same machine as the server: both share its CPUs.',
    phases: results,
    ...(profile ? { serverProfileTop: profile } : {}),
  };
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`wrote ${path.relative(process.cwd(), out)}\n`);
  rmSync(tmp, { recursive: true, force: true });
  httpAgent.destroy();
}

await main();
