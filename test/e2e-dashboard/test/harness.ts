import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ApiClient, startServer, type RunningServer } from '@broom/server';
import type { RunDetail } from '@broom/core';

import { ensureBuilt as ensureBuiltFiles, killPrograms, repoRoot, waitFor as waitWithin } from '@broom/test-support';

export { repoRoot };

/** Poll until `check` answers something truthy (30 s here: a browser on a loaded machine is slow). */
export const waitFor = <T>(check: () => Promise<T> | T, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> => waitWithin(check, what, timeoutMs, 100);
export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const screenshotsDir = path.join(repoRoot, 'docs', 'screenshots');
const bin = path.join(repoRoot, 'packages', 'cli', 'bin', 'broom.mjs');

export function ensureBuilt(): void {
  ensureBuiltFiles(['packages/cli/dist/main.js', 'packages/dashboard/dist/index.html']);
}

export interface Agent {
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number>;
}

export interface Sandbox {
  server: RunningServer;
  client: ApiClient;
  dir: string;
  /** The server's directory, which the agents share (so the dashboard can show run logs). */
  broomDir: string;
  serverLog: string[];
  env: Record<string, string>;
  spawnBroom(args: string[], env?: Record<string, string>): Agent;
  broom(args: string[], env?: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }>;
  runs(sweepId: string): Promise<RunDetail[]>;
  close(): Promise<void>;
}

/** A real server on a free port (its directory shared with the agents), polling every 200 ms. */
export async function sandbox(opts: { token?: string } = {}): Promise<Sandbox> {
  ensureBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 'broom-e2e-dash-'));
  const broomDir = path.join(dir, 'broom');
  const serverLog: string[] = [];
  const server = await startServer({ dir: broomDir, port: 0, pollIntervalMs: 200, heartbeatTimeoutMs: 20_000, log: (l) => serverLog.push(l), maxWorkers: 1, token: opts.token });
  const client = new ApiClient(server.url, opts.token);
  const env: Record<string, string> = { ...(process.env as Record<string, string>), BROOM_URL: server.url, BROOM_DIR: broomDir, BROOM_AGENT_KILL_DELAY: '2', NO_COLOR: '1' };
  if (opts.token) env.BROOM_TOKEN = opts.token;
  else delete env.BROOM_TOKEN;
  const agents: Agent[] = [];
  const sb: Sandbox = {
    server,
    client,
    dir,
    broomDir,
    serverLog,
    env,
    spawnBroom(args, extra = {}) {
      const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env: { ...env, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      let out = '';
      child.stderr!.on('data', (d) => (err += d));
      child.stdout!.on('data', (d) => (out += d));
      const exited = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 137)));
      const agent = { child, stderr: () => err, stdout: () => out, exited };
      agents.push(agent);
      return agent;
    },
    async broom(args, extra = {}) {
      const a = sb.spawnBroom(args, extra) as Agent & { stdout: () => string };
      const code = await a.exited;
      return { code, stdout: a.stdout(), stderr: a.stderr() };
    },
    async runs(sweepId) {
      return (await client.listRuns(sweepId)).runs;
    },
    async close() {
      for (const a of agents) if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
      killPrograms(broomDir);
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return sb;
}


export async function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}


export interface PngStats {
  width: number;
  height: number;
  /** Distinct colours (quantised to 4 bits a channel) among sampled pixels. */
  colours: number;
  /** Share of sampled pixels that differ from the most common colour (the background). */
  inked: number;
}

/** Measure a PNG in the browser (no image library needed): its size and how much of it is not background. */
export async function pngStats(page: Page, png: Buffer): Promise<PngStats> {
  return page.evaluate(async (b64: string) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const counts = new Map<number, number>();
    let n = 0;
    for (let i = 0; i < data.length; i += 4 * 7) {
      const key = ((data[i] >> 4) << 8) | ((data[i + 1] >> 4) << 4) | (data[i + 2] >> 4);
      counts.set(key, (counts.get(key) ?? 0) + 1);
      n++;
    }
    const top = Math.max(...counts.values());
    return { width: canvas.width, height: canvas.height, colours: counts.size, inked: 1 - top / n };
  }, png.toString('base64'));
}

export function saveScreenshot(name: string, png: Buffer): string {
  mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, name);
  writeFileSync(file, png);
  return file;
}

/** The sweep config the tests run: random search over lr, optimizer and layers of fixtures/train.mjs. */
export function sweepConfig(opts: { runCap?: number; epochs?: number; sleepMs?: number; hyperband?: boolean } = {}): Record<string, unknown> {
  return {
    name: 'dashboard-demo',
    method: 'random',
    metric: { name: 'loss', goal: 'minimize' },
    run_cap: opts.runCap ?? 8,
    program: path.join(fixtures, 'train.mjs'),
    command: [process.execPath, '${program}'],
    parameters: {
      lr: { distribution: 'log_uniform_values', min: 0.0005, max: 2.5 },
      optimizer: { values: ['adam', 'sgd'] },
      layers: { values: [1, 2, 3, 4] },
      epochs: { value: opts.epochs ?? 6 },
      sleep_ms: { value: opts.sleepMs ?? 250 },
    },
    ...(opts.hyperband ? { early_terminate: { type: 'hyperband', min_iter: 2, eta: 2 } } : {}),
  };
}

/** A small YAML writer for the test configs (maps, lists of scalars, scalars): what a user's sweep.yaml looks like. */
export function toYaml(value: unknown, indent = ''): string {
  const scalar = (v: unknown) => (typeof v === 'string' ? (/^[\w./-]+$/.test(v) && !/^\d/.test(v) ? v : JSON.stringify(v)) : Number.isInteger(v) && typeof v === 'number' && String(v).length < 16 ? String(v) : JSON.stringify(v));
  const lines: string[] = [];
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (Array.isArray(v)) lines.push(`${indent}${k}: [${v.map(scalar).join(', ')}]`);
    else if (v && typeof v === 'object') lines.push(`${indent}${k}:\n${toYaml(v, `${indent}  `)}`);
    else lines.push(`${indent}${k}: ${scalar(v)}`);
  }
  return lines.join('\n');
}

/** Create a sweep with `broom sweep FILE.yaml`, as a user would; answers its id. */
export async function createSweep(sb: Sandbox, config: Record<string, unknown>): Promise<string> {
  const file = path.join(sb.dir, `sweep-${Math.random().toString(36).slice(2, 8)}.yaml`);
  writeFileSync(file, `${toYaml(config)}\n`);
  const r = await sb.broom(['sweep', file]);
  const id = /Creating sweep with ID: (\S+)/.exec(r.stderr)?.[1];
  if (r.code !== 0 || !id) throw new Error(`broom sweep failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return id;
}
