import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const python = process.env.PYTHON ?? 'python3';
const hasPython = spawnSync(python, ['--version']).status === 0;
if (!hasPython) console.warn(`@broom/sdk-python: ${python} was not found; skipping the Python client's tests.`);

describe.skipIf(!hasPython)('the Python client (python3 -m unittest)', () => {
  it('passes its unittest suite', () => {
    const r = spawnSync(python, ['-m', 'unittest', 'discover', '-s', 'tests', '-v'], { cwd: root, encoding: 'utf8', env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(r.stderr).toMatch(/\nOK\n?/);
    expect(r.status).toBe(0);
  });

  it('works as a single copied file with no install', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broom-py-'));
    copyFileSync(path.join(root, 'broom', '__init__.py'), path.join(dir, 'broom.py'));
    const code = 'import broom; r = broom.init(config={"a": 1}); print(r.config.a, r.in_sweep)';
    const r = spawnSync(python, ['-c', code], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('1 False\n');
  });
});
