import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = existsSync(path.resolve(here, '..', '..', 'packages', 'cli', 'dist', 'main.js'));

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: here, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('the quickstart', () => {
  it('trains on its own with the defaults, outside a sweep', async () => {
    const r = await run(['--import', 'tsx', 'train.ts'], { BROOM_RUN_ID: '', BROOM_METRICS_FILE: '', BROOM_CONFIG: '' });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('not running in a sweep');
    expect(r.stderr).toMatch(/broom: \{"epoch":40,"train_loss":[\d.]+,"val_loss":[\d.]+,"val_acc":[\d.]+\}/);
    expect(r.stdout).toMatch(/^lr=0\.100 hidden=8 epochs=40: val_loss 0\.\d{4}, val_acc \d+\.\d%\n$/);
  });

  it.skipIf(!built)('runs a sweep end to end with run-demo.mjs', async () => {
    const r = await run(['run-demo.mjs', '3']);
    expect(r.stderr).toMatch(/broom: Creating sweep with ID: (\S+)/);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Reached --count 3: ran 3 runs. Exiting agent.');
    expect(r.stdout).toMatch(/NAME\s+STATE\s+PARAMETERS\s+VAL_LOSS\n/);
    expect(r.stdout).toMatch(/Sweep \S+ \(RUNNING\): 3 runs \(.*\); best \S+ val_loss=[\d.]+ \(minimize\)/);
  }, 120_000);

  it.skipIf(!built)('runs the same program with the Optuna-style scheduler (sweep-optuna.yaml)', async () => {
    const r = await run(['run-demo.mjs', '6', 'sweep-optuna.yaml']);
    expect(r.stderr).toMatch(/broom: Creating sweep with ID: (\S+)/);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Reached --count 6: ran 6 runs. Exiting agent.');
    expect(r.stdout).toMatch(/Sweep \S+ \(RUNNING\): 6 runs \(.*\); best \S+ val_loss=[\d.]+ \(minimize\)/);
  }, 180_000);
});
