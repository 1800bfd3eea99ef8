import { open, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where an agent whose broom directory is `dir` writes a run's output: `sweep-<id>/run-<runId>/output.log`
 * (the layout of the CLI's `runPaths`; ids keep only word characters, dots and dashes).
 */
export function runLogPath(dir: string, sweepId: string, runId: string): string {
  const safe = (id: string) => id.replace(/[^\w.-]/g, '_');
  return path.join(dir, `sweep-${safe(sweepId)}`, `run-${safe(runId)}`, 'output.log');
}

export interface LogChunk {
  /** The file read. */
  path: string;
  /** Its size in bytes now. */
  size: number;
  /** Byte offset of `text` in the file. */
  offset: number;
  text: string;
  /** Where the next read starts (offset + bytes read). */
  next: number;
}

/** Largest chunk one answer holds. */
export const MAX_LOG_CHUNK = 256 * 1024;

/**
 * Read a run's log from `offset` (or its last `MAX_LOG_CHUNK` bytes when `offset` is undefined), at
 * most `MAX_LOG_CHUNK` bytes. Undefined when the file does not exist.
 */
export async function readLogChunk(file: string, offset: number | undefined): Promise<LogChunk | undefined> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const start = Math.min(size, offset ?? Math.max(0, size - MAX_LOG_CHUNK));
  const length = Math.min(MAX_LOG_CHUNK, size - start);
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    let text = buffer.subarray(0, bytesRead).toString('utf8');
    let used = bytesRead;
    // Do not cut a UTF-8 character in two: leave a partial one at the end for the next read.
    if (text.endsWith('\uFFFD')) {
      let cut = bytesRead;
      while (cut > 0 && cut > bytesRead - 4 && (buffer[cut - 1] & 0xc0) === 0x80) cut--;
      if (cut > 0 && buffer[cut - 1] >= 0xc0) {
        cut--;
        text = buffer.subarray(0, cut).toString('utf8');
        used = cut;
      }
    }
    return { path: file, size, offset: start, text, next: start + used };
  } finally {
    await handle.close();
  }
}
