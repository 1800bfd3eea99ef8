import { readFile } from 'node:fs/promises';
import { SweepConfigError } from '../../common/errors/broom-error.js';
import { parseConfigSource, type PathSegment, type SourceLocation } from '../../common/config/parse.js';
import type { Value } from '../../common/values.js';

export interface LoadedConfig {
  /** The parsed config (plain values, floats kept as floats). */
  raw: Value;
  /** The file's path as given, or `<stdin>`. */
  file: string;
  /** Key path → line and column, for messages. */
  locate(path: readonly PathSegment[]): SourceLocation | undefined;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Read and parse a sweep config file (YAML or JSON), or standard input when `path` is `-`. A missing
 * or unreadable file is a `SweepConfigError` naming the path; syntax errors name line and column.
 */
export async function loadConfigFile(path: string): Promise<LoadedConfig> {
  const file = path === '-' ? '<stdin>' : path;
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    const message = `Cannot read the sweep config ${file}: ${why}.`;
    throw new SweepConfigError(message, [{ path: '', message, severity: 'error' }], { file, cause: code });
  }
  const source = parseConfigSource(text, file);
  return { raw: source.value, file, locate: source.locate };
}
