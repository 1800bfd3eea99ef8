import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BroomError } from '@broom/core';

let registered = false;

/**
 * A scheduler plugin written in TypeScript (`scheduler.job: ./my-scheduler.ts`) is loaded through
 * tsx, looked up from the sweep config's directory first (where the user installed it), then from
 * broom's own. Does nothing for other plugins, or when tsx is already registered.
 */
export async function registerTsxFor(job: string | undefined, dirs: readonly (string | undefined)[]): Promise<void> {
  if (registered || job === undefined || !/\.[cm]?tsx?$/.test(job)) return;
  for (const dir of dirs) {
    if (!dir) continue;
    let file: string | undefined;
    try {
      file = esmEntry(createRequire(path.join(dir, 'noop.js')).resolve('tsx/package.json'), './esm/api');
    } catch {
      continue;
    }
    if (!file) continue;
    const api = (await import(pathToFileURL(file).href)) as { register: () => unknown };
    api.register();
    registered = true;
    return;
  }
  throw new BroomError(
    'scheduler-needs-tsx',
    `Key "scheduler.job": "${job}" is TypeScript, which Node runs through tsx, but tsx is not installed next to the sweep config ` +
      `(looked from ${dirs.filter(Boolean).join(', ')}). Install it there (\`npm install -D tsx\`), or build the scheduler to JavaScript and name the .js file.`,
    { job },
  );
}

/** The ESM file of a package export (`import` condition), from the package.json found. */
function esmEntry(packageJson: string, subpath: string): string | undefined {
  const pkg = JSON.parse(readFileSync(packageJson, 'utf8')) as { exports?: Record<string, unknown> };
  let target: unknown = pkg.exports?.[subpath];
  for (let i = 0; i < 4 && target && typeof target === 'object'; i++) {
    const t = target as Record<string, unknown>;
    target = t.import ?? t.node ?? t.default;
  }
  return typeof target === 'string' ? path.resolve(path.dirname(packageJson), target) : undefined;
}
