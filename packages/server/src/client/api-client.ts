import {
  API_PREFIX,
  BroomError,
  parseJson,
  stringifyJson,
  type CreateSweepRequest,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type ListRunsResponse,
  type ListSweepsResponse,
  type MetricsRequest,
  type MetricsResponse,
  type RegisterAgentRequest,
  type RegisterAgentResponse,
  type RunDetail,
  type RunStateRequest,
  type SweepControlRequest,
  type SweepDetail,
  type Value,
} from '@broom/core';
import type { CreatedToken, TokenInfo } from '../http/token-routes.js';

/** An error answer of the server (4xx/5xx), or a server that could not be reached (`status` 0). */
export class ApiRequestError extends BroomError {
  constructor(
    readonly status: number,
    code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, message, { status }, options);
  }
}

export interface ApiClientOptions {
  /** Milliseconds before a request is given up (default 30 s). */
  timeoutMs?: number;
}

/**
 * A typed client of broom's HTTP API (`common/protocol/api.ts`): one method per route. Bodies go
 * through core's `stringifyJson`/`parseJson`, so a whole float such as `1.0` stays a float both ways.
 * Every 4xx/5xx answer throws an `ApiRequestError` (a BroomError) with the server's code and message.
 */
export class ApiClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(
    url: string,
    private readonly token?: string,
    opts: ApiClientOptions = {},
  ) {
    this.baseUrl = url.replace(/\/+$/, '');
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  health(): Promise<{ ok: boolean; version: string }> {
    return this.request<{ ok: boolean; version: string }>('GET', '/health');
  }

  createSweep(body: CreateSweepRequest): Promise<SweepDetail> {
    return this.request<SweepDetail>('POST', '/sweeps', body);
  }

  listSweeps(): Promise<ListSweepsResponse> {
    return this.request<ListSweepsResponse>('GET', '/sweeps');
  }

  getSweep(sweepId: string): Promise<SweepDetail> {
    return this.request<SweepDetail>('GET', `/sweeps/${enc(sweepId)}`);
  }

  controlSweep(sweepId: string, body: SweepControlRequest): Promise<SweepDetail> {
    return this.request<SweepDetail>('POST', `/sweeps/${enc(sweepId)}/control`, body);
  }

  listRuns(sweepId: string, opts: { history?: boolean } = {}): Promise<ListRunsResponse> {
    const q = opts.history ? '?history=1' : '';
    return this.request<ListRunsResponse>('GET', `/sweeps/${enc(sweepId)}/runs${q}`);
  }

  getRun(runId: string, opts: { history?: boolean } = {}): Promise<RunDetail> {
    const q = opts.history ? '?history=1' : '';
    return this.request<RunDetail>('GET', `/runs/${enc(runId)}${q}`);
  }

  registerAgent(sweepId: string, body: RegisterAgentRequest): Promise<RegisterAgentResponse> {
    return this.request<RegisterAgentResponse>('POST', `/sweeps/${enc(sweepId)}/agents`, body);
  }

  heartbeat(agentId: string, body: HeartbeatRequest): Promise<HeartbeatResponse> {
    return this.request<HeartbeatResponse>('POST', `/agents/${enc(agentId)}/heartbeat`, body);
  }

  postMetrics(runId: string, body: MetricsRequest): Promise<MetricsResponse> {
    return this.request<MetricsResponse>('POST', `/runs/${enc(runId)}/metrics`, body);
  }

  setRunState(runId: string, body: RunStateRequest): Promise<RunDetail> {
    return this.request<RunDetail>('POST', `/runs/${enc(runId)}/state`, body);
  }

  // ---- Access tokens (issue 8) ----
  createToken(body: { name?: string } = {}): Promise<CreatedToken> {
    return this.request<CreatedToken>('POST', '/tokens', body);
  }

  listTokens(): Promise<{ tokens: TokenInfo[] }> {
    return this.request<{ tokens: TokenInfo[] }>('GET', '/tokens');
  }

  revokeToken(id: string): Promise<TokenInfo> {
    return this.request<TokenInfo>('POST', `/tokens/${enc(id)}/revoke`, {});
  }

  /** One request; the answer parsed with `parseJson` (PyFloat kept). */
  async request<T = Value>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const url = `${this.baseUrl}${API_PREFIX}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : stringifyJson(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      const reason = (error as Error)?.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : describeFetchError(error);
      throw new ApiRequestError(0, 'unreachable', `Cannot reach the broom server at ${this.baseUrl}: ${reason}`, { cause: error });
    }
    const text = await response.text();
    let parsed: Value = null;
    if (text !== '') {
      try {
        parsed = parseJson(text, `${method} ${path}`);
      } catch {
        if (response.ok) throw new ApiRequestError(response.status, 'bad-response', `The server answered ${method} ${path} with something that is not JSON: ${text.slice(0, 200)}`);
        parsed = null;
      }
    }
    if (!response.ok) {
      const err = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const code = typeof err?.code === 'string' ? err.code : `http-${response.status}`;
      const message = typeof err?.message === 'string' ? err.message : `${method} ${path} failed: HTTP ${response.status} ${text.slice(0, 200)}`.trim();
      throw new ApiRequestError(response.status, code, message);
    }
    return parsed as unknown as T;
  }
}

function enc(id: string): string {
  return encodeURIComponent(id);
}

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return String((error as Error)?.message ?? error);
}
