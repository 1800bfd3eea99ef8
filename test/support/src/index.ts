/**
 * What the end-to-end test packages (e2e-sweep, e2e-launch, e2e-faults, e2e-dashboard) share.
 * Test code only: run from sources by vitest.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root folder. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Fail with the command to run when any of these repository files (build outputs) is missing. */
export function ensureBuilt(files: readonly string[] = ['packages/cli/dist/main.js']): void {
  const missing = files.filter((f) => !existsSync(path.join(repoRoot, f)));
  if (missing.length > 0) {
    throw new Error(`Not built (${missing.join(', ')}): run \`pnpm build\` first (the root \`pnpm test\` does).`);
  }
}

/** Poll `check` until it answers something truthy; fail with `what` after `timeoutMs`. */
export async function waitFor<T>(check: () => Promise<T> | T, what: string, timeoutMs = 15_000, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A child process a test started, with its output so far. */
export interface Exiting {
  /** Resolves with the exit code (or 128 + signal number). */
  exited: Promise<number>;
  stdout: () => string;
  stderr: () => string;
}

/** Resolve the process's exit code, or fail after `timeoutMs` with its output. */
export async function exitOf(p: Exiting, timeoutMs = 30_000): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`The process did not exit within ${timeoutMs} ms.\nstderr:\n${p.stderr()}\nstdout:\n${p.stdout()}`)), timeoutMs);
  });
  try {
    return await Promise.race([p.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * SIGKILL every training program a fixture started under `broomDir` (the fixtures write their pid
 * to `program.pid` next to their metrics file), its process group first.
 */
export function killPrograms(broomDir: string): void {
  if (!existsSync(broomDir)) return;
  const found = spawnSync('find', [broomDir, '-name', 'program.pid'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const file of found) {
    const pid = Number(readFileSync(file, 'utf8'));
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }
}
