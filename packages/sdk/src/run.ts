import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { toJsonLine } from './json-line.js';
import { isPlainObject, mergeConfig } from './merge-config.js';

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * One run of a training program. Inside a sweep (the agent set `BROOM_RUN_ID`) its config holds the
 * sweep's values over the defaults, and `log`/`summary` append lines to `BROOM_METRICS_FILE`, which
 * the agent tails and sends to the server. Outside a sweep the config is the defaults and every
 * line goes to standard error instead, so the same script runs on its own.
 */
export class Run<T = Record<string, unknown>> {
  /** The defaults with the sweep's values applied: sweep values win, nested objects are merged. */
  readonly config: T & Record<string, unknown>;
  /** The run's id in the sweep; undefined outside a sweep. */
  readonly runId: string | undefined;
  readonly sweepId: string | undefined;
  /** True when an agent started this program as a run of a sweep. */
  readonly inSweep: boolean;
  private fd: number | undefined;
  private finished = false;
  private readonly write: (line: string) => void;

  constructor(defaults: T | undefined, env: Environment = process.env, stderr: (text: string) => void = (t) => void process.stderr.write(t)) {
    this.runId = env.BROOM_RUN_ID || undefined;
    this.sweepId = env.BROOM_SWEEP_ID || undefined;
    this.inSweep = this.runId !== undefined;
    this.config = mergeConfig(defaults, readSweepValues(env));
    const file = env.BROOM_METRICS_FILE;
    if (file) {
      this.fd = openSync(file, 'a');
      const fd = this.fd;
      this.write = (line) => writeAll(fd, line);
    } else {
      this.write = (line) => stderr(`broom: ${line}`);
      stderr(
        this.inSweep
          ? 'broom: BROOM_METRICS_FILE is not set: metrics are printed here and not recorded.\n'
          : 'broom: not running in a sweep (no BROOM_RUN_ID): using the config defaults; metrics are printed here.\n',
      );
    }
  }

  /** Append one history row, e.g. `{ epoch: 3, val_loss: 0.21 }`. Non-finite numbers are kept. */
  log(row: Record<string, unknown>): void {
    if (!isPlainObject(row)) throw new TypeError(`broom.log expects an object such as { loss: 0.3 }, but got ${describe(row)}.`);
    this.emit(toJsonLine(row));
  }

  /** Set summary values (the run's final numbers; by default the last logged value of each key). */
  summary(values: Record<string, unknown>): void {
    if (!isPlainObject(values)) throw new TypeError(`broom.summary expects an object such as { accuracy: 0.9 }, but got ${describe(values)}.`);
    this.emit(toJsonLine({ _summary: values }));
  }

  /** Close the metrics file. Further `log` calls are an error. Calling it twice is harmless. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private emit(line: string): void {
    if (this.finished) throw new Error('broom: this run has finished; call init() again to start another.');
    this.write(`${line}\n`);
  }
}

function writeAll(fd: number, text: string): void {
  const buffer = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
}

/** The sweep's values for this run: `BROOM_CONFIG` (JSON), else the file `BROOM_CONFIG_FILE`. */
export function readSweepValues(env: Environment): Record<string, unknown> {
  let text = env.BROOM_CONFIG;
  let source = 'BROOM_CONFIG';
  if (!text && env.BROOM_CONFIG_FILE) {
    source = env.BROOM_CONFIG_FILE;
    try {
      text = readFileSync(env.BROOM_CONFIG_FILE, 'utf8');
    } catch (error) {
      throw new Error(`broom: cannot read the run's config from BROOM_CONFIG_FILE=${source}: ${(error as Error).message}`);
    }
  }
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`broom: the run's config in ${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(value)) throw new Error(`broom: the run's config in ${source} must be a JSON object, but got ${describe(value)}.`);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object that is not plain' : `${typeof value} ${String(value)}`;
}
