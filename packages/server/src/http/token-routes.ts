import type { FastifyInstance } from 'fastify';
import { isRecord, type Value } from '@broom/core';
import { ServiceError } from '../controller/service-error.js';
import { newId } from '../controller/ids.js';
import type { Store, TokenRow } from '../store/store.js';
import { hashToken, newTokenSecret, type AccessControl } from './access.js';
import { badRequest } from './request-checks.js';
import { nameProblem } from './names.js';

/** A token as the API shows it: never its secret or hash. */
export interface TokenInfo {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

/** The answer of `POST /tokens`: the secret, shown this once. */
export interface CreatedToken extends TokenInfo {
  token: string;
}

export function toTokenInfo(t: TokenRow): TokenInfo {
  return {
    id: t.id,
    name: t.name,
    createdAt: t.createdAt,
    ...(t.lastUsedAt ? { lastUsedAt: t.lastUsedAt } : {}),
    ...(t.revokedAt ? { revokedAt: t.revokedAt } : {}),
  };
}

function readCreateToken(body: unknown): { name: string } {
  if (body === undefined || body === null) return { name: 'token' };
  if (!isRecord(body as Value)) throw badRequest('POST /tokens: the body must be a JSON object such as {"name": "ci"}.');
  for (const key of Object.keys(body as object)) {
    if (key !== 'name') throw badRequest(`POST /tokens: Key "${key}": unknown key; expected "name".`);
  }
  const name = (body as { name?: unknown }).name;
  if (name === undefined) return { name: 'token' };
  if (typeof name !== 'string') throw badRequest('POST /tokens: Key "name": must be a string.');
  const problem = nameProblem(name);
  if (problem) throw badRequest(`POST /tokens: Key "name": ${problem}`);
  return { name };
}

/** `POST /tokens`, `GET /tokens`, `POST /tokens/:id/revoke` (relative to API_PREFIX). */
export function registerTokenRoutes(api: FastifyInstance, opts: { store: Store; access: AccessControl }): void {
  const { store, access } = opts;

  api.post('/tokens', async (request, reply) => {
    const { name } = readCreateToken(request.body);
    const secret = newTokenSecret();
    const row = await store.createToken({ id: `tok_${newId(10)}`, name, hash: hashToken(secret), createdAt: new Date().toISOString() });
    const answer: CreatedToken = { ...toTokenInfo(row), token: secret };
    return reply.code(201).send(answer);
  });

  api.get('/tokens', async () => ({ tokens: (await store.listTokens()).map(toTokenInfo) }));

  api.post<{ Params: { id: string } }>('/tokens/:id/revoke', async (request) => {
    const row = await store.revokeToken(request.params.id, new Date().toISOString());
    if (!row) throw new ServiceError(404, 'token-not-found', `No token with id "${request.params.id}" on this server; \`broom token list\` shows them.`);
    access.forget(row.id);
    return toTokenInfo(row);
  });
}
