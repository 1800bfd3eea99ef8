/**
 * The cost of one `log` call in a training loop that logs every step, with both SDKs (TypeScript:
 * packages/sdk, Python: packages/sdk-python), in four settings:
 *   no-agent      the program alone, BROOM_METRICS_FILE set (the floor)
 *   live-server   run by `broom agent` with a healthy server
 *   slow-server   run by `broom agent` whose server answers every request 2 s late (a TCP proxy)
 *   dead-server   run by `broom agent` whose server was SIGKILLed before the loop started
 * The SDKs only append a line to the metrics file; the agent tails it and batches the rows to the
 * server, so the server's health should not show in these numbers. No assertions: it reports, and
 * writes bench/results/sdk-log-cost.json.
 *
 *   pnpm build && npx tsx bench/src/sdk-log-cost.ts [--steps 100000] [--out FILE]
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'packages/cli/bin/broom.mjs');
const fixtures = path.join(repoRoot, 'bench/src/load-fixtures');
const sdkEntry = path.join(repoRoot, 'packages/sdk/dist/index.js');
const python = process.env.PYTHON ?? 'python3';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let steps = 100_000;
let out = path.join(repoRoot, 'bench/results/sdk-log-cost.json');
for (let i = 2; i < process.argv.length; i += 2) {
  if (process.argv[i] === '--steps') steps = Number(process.argv[i + 1]);
  else if (process.argv[i] === '--out') out = path.resolve(process.argv[i + 1]);
  else throw new Error(`unknown option ${process.argv[i]}: use --steps N, --out FILE`);
}

type Sdk = 'typescript' | 'python';
const programOf = (sdk: Sdk) => (sdk === 'typescript' ? [process.execPath, path.join(fixtures, 'log-loop.mjs'), sdkEntry] : [python, path.join(fixtures, 'log_loop.py')]);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A proxy that delays every answer of the server by `ms`. */
async function slowProxy(target: number, ms: number): Promise<{ port: number; close: () => void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    client.on('data', (d) => upstream.write(d));
    upstream.on('data', (d) => setTimeout(() => client.destroyed || client.write(d), ms));
    const drop = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, close: () => { for (const s of sockets) s.destroy(); server.close(); } };
}

async function api(url: string, method: string, p: string, body?: unknown): Promise<any> {
  const res = await fetch(`${url}/api/v1${p}`, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  return res.json();
}

async function measure(sdk: Sdk, setting: string, tmp: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(tmp, `${sdk}-${setting}-`));
  const result = path.join(dir, 'result.json');
  const go = path.join(dir, 'go');
  const env: Record<string, string | undefined> = { ...process.env, LOG_STEPS: String(steps), LOG_RESULT: result, LOG_GO: go, PYTHONPATH: path.join(repoRoot, 'packages/sdk-python'), BROOM_TOKEN: '' };
  const children: ChildProcess[] = [];
  const cleanup: (() => void)[] = [];
  try {
    if (setting === 'no-agent') {
      const [cmd, ...args] = programOf(sdk);
      writeFileSync(go, '');
      const r = spawnSync(cmd, args, { env: { ...env, BROOM_RUN_ID: 'bench', BROOM_METRICS_FILE: path.join(dir, 'metrics.jsonl') } as NodeJS.ProcessEnv, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(r.stderr);
    } else {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const server = spawn(process.execPath, [bin, 'server', '--dir', path.join(dir, 'server'), '--port', String(port), '--poll-interval', '0.2'], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'ignore'] });
      children.push(server);
      let said = '';
      server.stdout!.on('data', (d) => (said += d));
      while (!said.includes('listening')) await sleep(50);
      const [cmd, ...args] = programOf(sdk);
      const sweep = await api(url, 'POST', '/sweeps', { config: { method: 'grid', program: args[0], command: [cmd, ...args], parameters: { lr: { value: 0.1 } } } });
      let agentUrl = url;
      if (setting === 'slow-server') {
        const proxy = await slowProxy(port, 2000);
        cleanup.push(proxy.close);
        agentUrl = `http://127.0.0.1:${proxy.port}`;
      }
      const agent = spawn(process.execPath, [bin, 'agent', sweep.id, '--count', '1'], { cwd: dir, env: { ...env, BROOM_URL: agentUrl, BROOM_DIR: path.join(dir, 'broom') } as NodeJS.ProcessEnv, stdio: 'ignore' });
      children.push(agent);
      for (;;) {
        const runs = await api(url, 'GET', `/sweeps/${sweep.id}/runs`);
        if (runs.runs?.[0]?.state === 'running') break;
        await sleep(100);
      }
      if (setting === 'dead-server') {
        server.kill('SIGKILL');
        await sleep(200);
      }
      writeFileSync(go, '');
    }
    while (!existsSync(result)) await sleep(50);
    await sleep(100);
    return { setting, ...(JSON.parse(readFileSync(result, 'utf8')) as Record<string, unknown>) };
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const c of cleanup) c();
  }
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'broom-logcost-'));
const rows: Record<string, unknown>[] = [];
const hasPython = spawnSync(python, ['--version']).status === 0;
try {
  for (const sdk of ['typescript', ...(hasPython ? ['python'] : [])] as Sdk[]) {
    for (const setting of ['no-agent', 'live-server', 'slow-server', 'dead-server']) {
      const r = await measure(sdk, setting, tmp);
      rows.push(r);
      const f = (k: string) => Number(r[k]).toFixed(2);
      process.stderr.write(`${sdk.padEnd(10)} ${setting.padEnd(12)} mean ${f('meanUs')} µs  p50 ${f('p50Us')} µs  p99 ${f('p99Us')} µs  max ${f('maxUs')} µs\n`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), steps, machine: { cpus: os.cpus().length, node: process.version }, results: rows }, null, 2)}\n`);
process.stderr.write(`wrote ${path.relative(process.cwd(), out)}\n`);
