import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureBuilt, repoRoot, waitFor } from './harness.js';

const bin = path.join(repoRoot, 'packages', 'cli', 'bin', 'broom.mjs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, BROOM_URL: undefined, BROOM_DIR: undefined, BROOM_TOKEN: undefined, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  return { child, out: () => stdout, err: () => stderr, done };
}
async function broom(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const p = start(args, cwd, env);
  const code = await p.done;
  return { code, stdout: p.out(), stderr: p.err() };
}

async function answersAt8418(): Promise<boolean> {
  try {
    await fetch('http://127.0.0.1:8418/api/v1/health', { signal: AbortSignal.timeout(500) });
    return true;
  } catch {
    return false;
  }
}

describe('broom server', () => {
  it('runs in the foreground, prints its URL, refuses a second server on the same directory, and stops with --stop', async () => {
    ensureBuilt();
    const cwd = mkdtempSync(path.join(tmpdir(), 'broom-server-'));
    dirs.push(cwd);
    const server = start(['server', '--port', '0', '--dir', 'data'], cwd);
    const line = await waitFor(() => /^broom: server listening at (http:\S+) \(data in \.\/data\); stop it with Ctrl-C or broom server --stop$/m.exec(server.out()), 'the URL');
    const url = line[1];
    expect(existsSync(path.join(cwd, 'data', 'server.pid'))).toBe(true);

    const second = await broom(['server', '--port', '0', '--dir', 'data'], cwd);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/A broom server already runs for \.\/data \(pid \d+, http:\S+\)\. Stop it with `broom server --stop`/);

    const sweeps = await broom(['sweeps', '--url', url], cwd);
    expect(sweeps).toMatchObject({ code: 0, stdout: 'No sweeps yet. Create one with: broom sweep sweep.yaml\n' });

    const stop = await broom(['server', '--stop', '--dir', 'data'], cwd);
    expect(stop.code).toBe(0);
    expect(stop.stderr).toMatch(new RegExp(`broom: stopped the server at ${url} \\(pid \\d+\\)\\.`));
    expect(await server.done).toBe(0);
    expect(existsSync(path.join(cwd, 'data', 'server.pid'))).toBe(false);

    const none = await broom(['server', '--stop', '--dir', 'data'], cwd);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('No broom server is running for ./data');
  });

  it.skipIf(process.env.BROOM_TEST_SKIP_8418 === '1')(
    'starts a local server in the background at 127.0.0.1:8418 when none answers, and reuses it',
    async (ctx) => {
      ensureBuilt();
      if (await answersAt8418()) {
        ctx.skip('something already answers at 127.0.0.1:8418');
        return;
      }
      const cwd = mkdtempSync(path.join(tmpdir(), 'broom-local-'));
      dirs.push(cwd);
      try {
        const first = await broom(['sweeps'], cwd);
        expect(first.code).toBe(0);
        expect(first.stderr).toBe('broom: started a local server at http://127.0.0.1:8418 (data in ./broom; stop it with broom server --stop)\n');
        expect(first.stdout).toContain('No sweeps yet.');
        expect(existsSync(path.join(cwd, 'broom', 'server.log'))).toBe(true);
        const second = await broom(['sweeps'], cwd);
        expect(second.stderr).toBe('');
      } finally {
        const stop = await broom(['server', '--stop'], cwd);
        expect(stop.code).toBe(0);
      }
      expect(await answersAt8418()).toBe(false);
    },
  );
});
