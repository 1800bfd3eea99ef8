import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BroomError } from '@broom/core';

/** Directories whose node_modules hold the built-in plugins: the CLI package's own. */
export const HOST_DIRS = [path.dirname(fileURLToPath(import.meta.url))];

/** A user mistake with its exit code: printed as its message, never as a stack trace. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** The text of FILE, or of standard input when FILE is `-` or absent. */
export function readText(file: string | undefined): { text: string; name: string; dir: string } {
  if (file === undefined || file === '-') {
    if (process.stdin.isTTY) throw new UsageError('No input: give a file with --input FILE, or pipe JSON into standard input.');
    return { text: readFileSync(0, 'utf8'), name: '<stdin>', dir: process.cwd() };
  }
  try {
    return { text: readFileSync(file, 'utf8'), name: file, dir: path.dirname(path.resolve(file)) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String((error as Error).message);
    throw new UsageError(`Cannot read ${file}: ${why}.`);
  }
}

/** Print an error the way a user should see it; returns the exit code. */
export function report(error: unknown, userExitCode: number): number {
  if (error instanceof UsageError) {
    process.stderr.write(`broom: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof BroomError) {
    process.stderr.write(`broom: ${error.message}\n`);
    return userExitCode;
  }
  process.stderr.write(`broom: internal error (a bug in broom; please report it):\n${(error as Error)?.stack ?? String(error)}\n`);
  return 70;
}

export function parseCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--count must be a whole number of at least 1, but got "${value}".`);
  return Number(value);
}
