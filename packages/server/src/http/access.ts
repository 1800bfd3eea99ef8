import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ServiceError } from '../controller/service-error.js';
import type { Store, TokenRow } from '../store/store.js';

/** The prefix of every token broom makes (`broom_` + 43 base64url characters, 256 random bits). */
export const TOKEN_PREFIX = 'broom_';

/** A new token secret: shown once to whoever creates it, then only its hash is kept. */
export function newTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/**
 * The stored form of a secret: its SHA-256 in hex. Tokens are 256 random bits, so a fast unsalted
 * hash is safe (nothing to brute-force) and lets the store find a token by an index in one lookup.
 */
export function hashToken(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface AccessOptions {
  store: Store;
  /** The server's `--token` (BROOM_TOKEN): always accepted, never stored. */
  bootstrapToken?: string;
  /** How long a looked-up token is trusted before the store is asked again (default 5 s). */
  cacheMs?: number;
  /** `lastUsedAt` is written at most this often per token (default 60 s), to keep requests read-only. */
  touchEveryMs?: number;
  now?: () => number;
}

/** Who a request is: the bootstrap token or a stored one. */
export type Caller = { kind: 'bootstrap' } | { kind: 'token'; id: string; name: string };

const MISSING =
  'This server needs a token: send "Authorization: Bearer <token>" (broom reads it from BROOM_TOKEN or --token; create one with `broom token create` on the server machine).';

/**
 * Checks the `Authorization: Bearer <token>` of every request against the bootstrap token and the
 * store's tokens (by the SHA-256 of the secret). Found tokens are cached for a few seconds, and the
 * cache entry of a token revoked through this server is dropped at once.
 */
export class AccessControl {
  private readonly bootstrap?: Buffer;
  private readonly cache = new Map<string, { row: TokenRow; until: number }>();
  private readonly touched = new Map<string, number>();
  private readonly cacheMs: number;
  private readonly touchEveryMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: AccessOptions) {
    if (opts.bootstrapToken !== undefined) this.bootstrap = Buffer.from(hashToken(opts.bootstrapToken), 'hex');
    this.cacheMs = opts.cacheMs ?? 5000;
    this.touchEveryMs = opts.touchEveryMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** The caller of a request with this Authorization header; throws a 401/403 ServiceError. */
  async check(header: string | string[] | undefined): Promise<Caller> {
    if (header === undefined || header === '') throw new ServiceError(401, 'unauthorized', MISSING);
    if (typeof header !== 'string') throw new ServiceError(401, 'unauthorized', 'Send one Authorization header, not several.');
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    if (!match) {
      throw new ServiceError(401, 'unauthorized', 'The Authorization header must be "Bearer <token>" (one token, no other scheme).');
    }
    const secret = match[1];
    const hash = hashToken(secret);
    if (this.bootstrap && timingSafeEqual(Buffer.from(hash, 'hex'), this.bootstrap)) return { kind: 'bootstrap' };
    const row = await this.lookup(hash);
    if (!row) throw new ServiceError(401, 'unauthorized', 'The token in the Authorization header is not a token of this server.');
    if (row.revokedAt) {
      throw new ServiceError(403, 'token-revoked', `The token "${row.name}" (${row.id}) was revoked at ${row.revokedAt}; create a new one with \`broom token create\`.`);
    }
    await this.touch(row);
    return { kind: 'token', id: row.id, name: row.name };
  }

  /** Forget what is cached of a token (after it was revoked here). */
  forget(id: string): void {
    for (const [hash, entry] of this.cache) if (entry.row.id === id) this.cache.delete(hash);
  }

  private async lookup(hash: string): Promise<TokenRow | undefined> {
    const now = this.now();
    const hit = this.cache.get(hash);
    if (hit && hit.until > now) return hit.row;
    const row = await this.opts.store.findTokenByHash(hash);
    if (row) {
      // Only known tokens are cached, so guessing cannot grow the cache past the number of tokens.
      this.cache.set(hash, { row, until: now + this.cacheMs });
    } else {
      this.cache.delete(hash);
    }
    return row;
  }

  private async touch(row: TokenRow): Promise<void> {
    const now = this.now();
    const last = this.touched.get(row.id) ?? (row.lastUsedAt ? Date.parse(row.lastUsedAt) : 0);
    if (now - last < this.touchEveryMs) return;
    this.touched.set(row.id, now);
    try {
      await this.opts.store.touchToken(row.id, new Date(now).toISOString());
    } catch {
      // A failed "last used" write must not refuse the request; the next use tries again.
      this.touched.set(row.id, last);
    }
  }
}
