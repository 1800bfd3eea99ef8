import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const bin = path.join(repoRoot, 'packages', 'cli', 'bin', 'broom.mjs');

export interface BroomResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the built `broom` binary with plain node, as a user who installed the package would. */
export function broom(args: string[], input?: string, cwd = repoRoot): BroomResult {
  if (!existsSync(path.join(repoRoot, 'packages', 'cli', 'dist', 'main.js'))) {
    throw new Error('The CLI is not built: run `pnpm build` first (the root `pnpm test` does).');
  }
  const r = spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8', cwd, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
