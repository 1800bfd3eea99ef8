import {
  didYouMean,
  isRecord,
  stringifyJson,
  type CreateSweepRequest,
  type HeartbeatRequest,
  type MetricsRequest,
  type RegisterAgentRequest,
  type RunStateRequest,
  type SweepControlRequest,
  type Value,
  type ValueRecord,
} from '@broom/core';
import { ServiceError } from '../controller/service-error.js';

/** A 400 whose message names the key: `Key "freeSlots": must be an integer ≥ 0, but got "two".` */
export function badRequest(message: string): ServiceError {
  return new ServiceError(400, 'bad-request', message);
}

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'an array';
  if (isRecord(v)) return 'an object';
  const text = stringifyJson(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export class Reader {
  constructor(
    private readonly what: string,
    private readonly body: ValueRecord,
  ) {}

  static of(what: string, body: unknown, keys: readonly string[]): Reader {
    if (!isRecord(body as Value)) {
      throw badRequest(`${what}: the body must be a JSON object, but got ${show(body)}.`);
    }
    for (const key of Object.keys(body as ValueRecord)) {
      if (!keys.includes(key)) {
        const hint = didYouMean(key, keys);
        throw badRequest(`${what}: Key "${key}": unknown key; expected ${keys.map((k) => `"${k}"`).join(', ')}.${hint ? ` ${hint}` : ''}`);
      }
    }
    return new Reader(what, body as ValueRecord);
  }

  fail(key: string, expected: string): never {
    throw badRequest(`${this.what}: Key "${key}": must be ${expected}, but got ${show(this.body[key])}.`);
  }

  has(key: string): boolean {
    return this.body[key] !== undefined;
  }

  raw(key: string, required = true): Value | undefined {
    const v = this.body[key];
    if (v === undefined && required) throw badRequest(`${this.what}: Key "${key}": is required.`);
    return v;
  }

  string(key: string, opts: { required?: boolean; max?: number } = {}): string | undefined {
    const v = this.raw(key, opts.required ?? false);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') this.fail(key, 'a string');
    if (opts.max !== undefined && v.length > opts.max) this.fail(key, `a string of at most ${opts.max} characters`);
    return v;
  }

  int(key: string, opts: { required?: boolean; min?: number; max?: number } = {}): number | undefined {
    const v = this.raw(key, opts.required ?? false);
    if (v === undefined) return undefined;
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = opts;
    const range = min === Number.MIN_SAFE_INTEGER ? 'an integer' : max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) this.fail(key, range);
    return v;
  }

  bool(key: string): boolean | undefined {
    const v = this.raw(key, false);
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') this.fail(key, 'true or false');
    return v;
  }

  record(key: string, required = false): ValueRecord | undefined {
    const v = this.raw(key, required);
    if (v === undefined) return undefined;
    if (!isRecord(v)) this.fail(key, 'an object');
    return v;
  }

  oneOf<T extends string>(key: string, options: readonly T[], required = true): T | undefined {
    const v = this.raw(key, required);
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !options.includes(v as T)) {
      const hint = typeof v === 'string' ? didYouMean(v, options) : '';
      throw badRequest(`${this.what}: Key "${key}": must be one of ${options.map((o) => `"${o}"`).join(', ')}, but got ${show(v)}.${hint ? ` ${hint}` : ''}`);
    }
    return v as T;
  }

  array(key: string): Value[] {
    const v = this.raw(key, true);
    if (!Array.isArray(v)) this.fail(key, 'an array');
    return v;
  }
}

const NAME_MAX = 256;

export function readCreateSweep(body: unknown): CreateSweepRequest {
  const r = Reader.of('POST /sweeps', body, ['config', 'configText', 'configFile', 'configDir', 'name', 'project', 'entity']);
  const config = r.raw('config')!;
  const out: CreateSweepRequest = { config };
  for (const key of ['configText', 'configFile', 'configDir'] as const) {
    const v = r.string(key, { max: key === 'configText' ? 1_000_000 : 4096 });
    if (v !== undefined) out[key] = v;
  }
  for (const key of ['name', 'project', 'entity'] as const) {
    const v = r.string(key, { max: NAME_MAX });
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export function readControl(body: unknown): SweepControlRequest {
  const r = Reader.of('POST /sweeps/:id/control', body, ['action', 'retryFailed']);
  const action = r.oneOf('action', ['pause', 'resume', 'stop', 'cancel'] as const)!;
  const retryFailed = r.bool('retryFailed');
  return { action, ...(retryFailed !== undefined ? { retryFailed } : {}) };
}

export function readRegisterAgent(body: unknown): RegisterAgentRequest {
  const r = Reader.of('POST /sweeps/:id/agents', body, ['host', 'pid', 'slots']);
  const host = r.string('host', { required: true, max: NAME_MAX })!;
  const pid = r.int('pid', { required: true, min: 0 })!;
  const slots = r.int('slots', { min: 1, max: 1024 });
  return { host, pid, ...(slots !== undefined ? { slots } : {}) };
}

export function readHeartbeat(body: unknown): HeartbeatRequest {
  const r = Reader.of('POST /agents/:id/heartbeat', body, ['running', 'freeSlots']);
  const running = r.array('running');
  running.forEach((id, i) => {
    if (typeof id !== 'string') throw badRequest(`POST /agents/:id/heartbeat: Key "running[${i}]": must be a run id (a string), but got ${show(id)}.`);
  });
  const freeSlots = r.int('freeSlots', { required: true, min: 0 })!;
  return { running: running as string[], freeSlots };
}

export function readMetrics(body: unknown): MetricsRequest {
  const r = Reader.of('POST /runs/:id/metrics', body, ['seq', 'rows', 'summary']);
  const seq = r.int('seq', { required: true, min: 0 })!;
  const rows = r.array('rows');
  rows.forEach((row, i) => {
    if (!isRecord(row)) throw badRequest(`POST /runs/:id/metrics: Key "rows[${i}]": must be an object of metric values, but got ${show(row)}.`);
  });
  const summary = r.record('summary');
  return { seq, rows: rows as ValueRecord[], ...(summary ? { summary } : {}) };
}

const REPORTABLE = ['running', 'finished', 'failed', 'crashed', 'killed'] as const;

export function readRunState(body: unknown): RunStateRequest {
  const r = Reader.of('POST /runs/:id/state', body, ['state', 'exitCode']);
  const state = r.oneOf('state', REPORTABLE)!;
  let exitCode: number | null | undefined;
  if (r.has('exitCode')) {
    const v = r.raw('exitCode', false);
    if (v === null) exitCode = null;
    else exitCode = r.int('exitCode', { min: -(2 ** 31), max: 2 ** 31 - 1 });
  }
  return { state, ...(exitCode !== undefined ? { exitCode } : {}) };
}

/** `?history=1`: true for 1/true, false for 0/false/absent; anything else is a 400. */
export function readHistoryFlag(query: unknown): boolean {
  const v = (query as Record<string, unknown> | undefined)?.history;
  if (v === undefined) return false;
  if (v === '1' || v === 'true' || v === '') return true;
  if (v === '0' || v === 'false') return false;
  throw badRequest(`Query parameter "history": must be 1 or 0, but got ${show(Array.isArray(v) ? v : String(v))}.`);
}

/** Sweep ids as W&B accepts them: `id`, `project/id` or `entity/project/id`. */
export function readSweepPath(raw: string): { id: string; project?: string; entity?: string } {
  const parts = raw.split('/');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    throw badRequest(`Expected sweep_id in form of sweep, project/sweep, or entity/project/sweep, but got "${raw}".`);
  }
  const id = parts[parts.length - 1];
  if (parts.length === 3) return { entity: parts[0], project: parts[1], id };
  if (parts.length === 2) return { project: parts[0], id };
  return { id };
}
