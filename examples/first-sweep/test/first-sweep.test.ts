import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

it('runs the whole grid through the real CLI and finds the best run', () => {
  const out = execFileSync(process.execPath, [path.join(here, '..', 'run.mjs')], { encoding: 'utf8' });
  expect(out).toContain('sweep.yaml: valid (method grid, 4 parameters, 12 runs in the grid)');
  expect(out).toContain('The grid is exhausted after 12 runs:');
  expect(out).toMatch(/Best run: run-\d+ \{"epochs":5,"layers":2,"learning_rate":0\.01,"optimizer":"adam"\} val_loss=0\.25/);
});
