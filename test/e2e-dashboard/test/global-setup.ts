import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium binary, or '' with `browserMissing` saying why. */
    chromium: string;
    browserMissing: string;
  }
}

/**
 * Find Chromium for the tests, installing Debian's with scripts/browser/setup.sh when none is there
 * (a clean CI machine). When it cannot be had, the tests skip and say why.
 */
export default function setup(project: TestProject): void {
  const result = spawnSync('bash', [path.join(repoRoot, 'scripts', 'browser', 'setup.sh')], { encoding: 'utf8', timeout: 280_000 });
  const found = result.status === 0 ? result.stdout.trim().split('\n').pop() ?? '' : '';
  project.provide('chromium', found);
  project.provide(
    'browserMissing',
    found ? '' : `No Chromium, and scripts/browser/setup.sh could not install one (exit ${result.status}): ${(result.stderr || String(result.error ?? '')).trim().split('\n').slice(-3).join(' ')}`,
  );
}
