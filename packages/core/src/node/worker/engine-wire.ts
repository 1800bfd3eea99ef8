import {
  BroomError,
  EngineInputError,
  PluginContractError,
  PluginLoadError,
  SearchError,
  SweepConfigError,
  type ConfigIssue,
} from '../../common/errors/broom-error.js';
import { parseJson } from '../../common/json/json-reader.js';
import { stringifyJson } from '../../common/json/json-writer.js';

/**
 * How data crosses the worker boundary: one JSON string each way, written by `stringifyJson` and
 * read by `parseJson`, so that what structuredClone would lose survives (a `PyFloat` box stays a
 * float: `1.0` is not `1`; NaN and Infinity in metric histories stay numbers). Errors travel as
 * plain data too and are rebuilt as BroomErrors on the other side.
 */
type Reply = { ok: unknown } | { error: PlainError };

interface PlainError {
  name: string;
  code: string;
  message: string;
  data: Record<string, unknown>;
  issues?: ConfigIssue[];
  stack?: string;
}

export function encode(value: unknown): string {
  return stringifyJson(value);
}

export function decode<T>(text: string, source: string): T {
  return parseJson(text, source) as T;
}

/** Run `work` and encode its result or its error as a reply. */
export async function reply(work: () => Promise<unknown>): Promise<string> {
  try {
    return stringifyJson({ ok: await work() });
  } catch (error) {
    return stringifyJson({ error: toPlainError(error) });
  }
}

/** The result of a reply, or its error thrown as a BroomError (of the same class when core knows it). */
export function unwrapReply<T>(text: string): T {
  const parsed = parseJson(text, 'engine worker reply') as unknown as Reply;
  if ('ok' in parsed) return parsed.ok as T;
  throw fromPlainError(parsed.error);
}

function toPlainError(error: unknown): PlainError {
  if (error instanceof BroomError) {
    return {
      name: error.name,
      code: error.code,
      message: error.message,
      data: error.data,
      issues: error instanceof SweepConfigError ? error.issues : undefined,
      stack: error.stack,
    };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: 'BroomError', code: 'engine-failed', message: e.message, data: {}, stack: e.stack };
}

const ERROR_CLASSES: Record<string, new (code: string, message: string, data?: Record<string, unknown>) => BroomError> = {
  PluginLoadError,
  PluginContractError,
  EngineInputError,
  SearchError,
};

function fromPlainError(plain: PlainError): BroomError {
  let error: BroomError;
  if (plain.name === 'SweepConfigError') {
    error = new SweepConfigError(plain.message, plain.issues ?? [], plain.data);
  } else {
    const Class = ERROR_CLASSES[plain.name] ?? BroomError;
    error = new Class(plain.code, plain.message, plain.data);
    // A plugin's own BroomError subclass keeps its name (the class stays core's).
    if (error.name !== plain.name) error.name = plain.name;
  }
  const frames = plain.stack?.indexOf('\n    at ') ?? -1;
  if (frames >= 0) error.stack = `${error.stack}\n    --- in the engine worker:${plain.stack!.slice(frames)}`;
  return error;
}
