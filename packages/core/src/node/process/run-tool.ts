import { spawn } from 'node:child_process';

/** What a command-line tool answered. */
export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Why a tool gave no answer: not there (`missing`), not startable (`error`), or too slow (`timeout`). */
export type ToolFailure =
  | { kind: 'missing'; errno: string }
  | { kind: 'error'; message: string }
  | { kind: 'timeout'; signal: string; seconds: number };

/** A tool that could not be run, or did not answer in time; the caller words it for its user. */
export class ToolRunError extends Error {
  constructor(
    readonly program: string,
    readonly failure: ToolFailure,
    options?: { cause?: unknown },
  ) {
    super(`${program}: ${failure.kind === 'missing' ? `not found (${failure.errno})` : failure.kind === 'timeout' ? `no answer within ${failure.seconds}s` : failure.message}`, options);
    this.name = 'ToolRunError';
  }
}

/**
 * Run a command-line tool (`sbatch`, `docker`) without a shell, every argument passed as it is, and
 * collect its output. Resolves with its exit code whatever it is; rejects with a ToolRunError when
 * the program is missing or cannot start, or is killed after `timeoutS` seconds (0: no limit).
 */
export function runTool(program: string, args: readonly string[], opts: { env?: NodeJS.ProcessEnv; timeoutS?: number } = {}): Promise<ToolResult> {
  const timeoutS = opts.timeoutS ?? 60;
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(timeoutS > 0 ? { timeout: timeoutS * 1000 } : {}), ...(opts.env ? { env: opts.env } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (error: NodeJS.ErrnoException) => {
      const failure: ToolFailure =
        error.code === 'ENOENT' || error.code === 'EACCES' ? { kind: 'missing', errno: error.code } : { kind: 'error', message: error.message };
      reject(new ToolRunError(program, failure, { cause: error }));
    });
    child.on('close', (code, signal) => {
      if (signal) reject(new ToolRunError(program, { kind: 'timeout', signal, seconds: timeoutS }));
      else resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}
