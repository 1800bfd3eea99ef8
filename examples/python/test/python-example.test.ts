import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ApiClient, startServer } from '@broom/server';
import { describe, expect, it } from 'vitest';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const bin = path.join(path.dirname(require.resolve('@broom/cli/package.json')), 'bin', 'broom.mjs');
const built = existsSync(path.join(path.dirname(bin), '..', 'dist', 'main.js'));
const hasPython = spawnSync('python3', ['--version']).status === 0;
if (!hasPython) console.warn('@broom/example-python: python3 was not found; skipping.');

function run(cmd: string, args: string[], env: Record<string, string | undefined>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: here, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.skipIf(!hasPython)('the Python example', () => {
  it('trains on its own with its argparse defaults', async () => {
    const r = await run('python3', ['train.py', '--epochs', '3'], { BROOM_RUN_ID: '', BROOM_CONFIG: '', BROOM_METRICS_FILE: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^lr=0\.1 degree=2 epochs=3: val_loss 0\.\d{4}, val_acc [\d.]+%\n$/);
    expect(r.stderr).toContain('not running in a sweep');
  });

  it.skipIf(!built)('is swept by an agent: every run finished with val_loss per epoch', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broom-python-'));
    const server = await startServer({ dir: path.join(dir, 'server'), port: 0, pollIntervalMs: 200, log: () => {}, maxWorkers: 1 });
    try {
      const env = { BROOM_URL: server.url, BROOM_DIR: path.join(dir, 'broom'), BROOM_TOKEN: undefined };
      const created = await run(process.execPath, [bin, 'sweep', 'sweep.yaml'], env);
      const id = /Creating sweep with ID: (\S+)/.exec(created.stderr)?.[1];
      expect(id, created.stderr).toBeDefined();
      const agent = await run(process.execPath, [bin, 'agent', id!, '--count', '3'], env);
      expect(agent.code, agent.stderr).toBe(0);
      const { runs } = await new ApiClient(server.url).listRuns(id!, { history: true });
      expect(runs).toHaveLength(3);
      for (const r of runs) {
        expect(['finished', 'killed']).toContain(r.state);
        expect(r.history!.length).toBeGreaterThan(0);
        expect(r.history!.map((h) => h.epoch)).toEqual(r.history!.map((_, i) => i + 1));
        expect(typeof r.summary.val_loss).toBe('number');
      }
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
