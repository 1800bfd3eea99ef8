import { parseApiJson } from './json.js';
import { SseParser, type SseEvent } from './sse.js';

const TOKEN_KEY = 'broom.token';
/** The API, relative to the page (the server serves the dashboard at its root). */
const API = 'api/v1';

/**
 * A server off loopback needs a token. Open the dashboard once as `…/?token=XYZ`: the token is kept
 * in this tab's sessionStorage, taken out of the address bar, and sent as `Authorization: Bearer`.
 */
export function initToken(): void {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token');
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token);
    url.searchParams.delete('token');
    window.history.replaceState(null, '', url.toString());
  }
}

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function headers(body: boolean): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json' };
  const token = getToken();
  if (token) h.authorization = `Bearer ${token}`;
  if (body) h['content-type'] = 'application/json';
  return h;
}

/** Listeners told when the server answers 401 (the page then asks for a token). */
const unauthorized = new Set<(message: string) => void>();
export function onUnauthorized(listener: (message: string) => void): () => void {
  unauthorized.add(listener);
  return () => unauthorized.delete(listener);
}

export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API}${path}`, { method, headers: headers(body !== undefined), body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, 'unreachable', `Cannot reach the broom server: ${(error as Error).message}`);
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? parseApiJson(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const err = (parsed as { error?: { code?: string; message?: string } } | null)?.error;
    const e = new ApiError(response.status, err?.code ?? `http-${response.status}`, err?.message ?? `${method} ${path}: HTTP ${response.status}`);
    if (response.status === 401) for (const l of unauthorized) l(e.message);
    throw e;
  }
  return parsed as T;
}

export type StreamStatus = 'connecting' | 'open' | 'retrying';

/**
 * Follow a server-sent event stream with fetch (so the token goes in a header, not the URL). On a
 * dropped connection it reconnects after `retryMs`; the server starts each connection with a snapshot.
 */
export function stream(path: string, onEvent: (event: SseEvent) => void, onStatus: (status: StreamStatus, message?: string) => void = () => {}, retryMs = 2000): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  let timer: number | undefined;
  const connect = async () => {
    if (stopped) return;
    controller = new AbortController();
    onStatus('connecting');
    try {
      const response = await fetch(`${API}${path}`, { headers: { ...headers(false), accept: 'text/event-stream' }, signal: controller.signal });
      if (!response.ok || !response.body) {
        const text = await response.text();
        let message = `HTTP ${response.status}`;
        try {
          message = (parseApiJson(text) as { error: { message: string } }).error.message;
        } catch {
          /* keep the status */
        }
        if (response.status === 401) for (const l of unauthorized) l(message);
        throw new Error(message);
      }
      onStatus('open');
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        for (const event of parser.push(value)) {
          try {
            onEvent(event);
          } catch (error) {
            // One event the page cannot use must not stop the stream.
            console.error(`broom dashboard: cannot apply a "${event.event}" event: ${(error as Error).message}`);
          }
        }
      }
      if (!stopped) onStatus('retrying', 'the server closed the stream');
    } catch (error) {
      if (stopped) return;
      onStatus('retrying', (error as Error).message);
    }
    if (!stopped) timer = window.setTimeout(() => void connect(), retryMs);
  };
  void connect();
  return () => {
    stopped = true;
    controller?.abort();
    if (timer !== undefined) window.clearTimeout(timer);
  };
}

export function parseEvent<T>(event: SseEvent): T {
  return parseApiJson(event.data) as T;
}
