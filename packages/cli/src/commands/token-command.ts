import { stringifyJson } from '@broom/core';
import { connect } from '../agent/server-connection.js';
import { UsageError } from '../io.js';
import { table } from './runs-command.js';

export interface TokenCommandOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

const say = (line: string) => process.stderr.write(`broom: ${line}\n`);

/** `broom token create [--name N]`: make a token and print it once (only its hash is kept). */
export async function tokenCreateCommand(opts: TokenCommandOptions & { name?: string }): Promise<number> {
  const { client, url } = await connect({ url: opts.url, token: opts.token, say });
  const created = await client.createToken(opts.name !== undefined ? { name: opts.name } : {});
  if (opts.json) {
    process.stdout.write(`${stringifyJson(created)}\n`);
    return 0;
  }
  say(`created token "${created.name}" (${created.id}) on ${url}. It is shown only this once; keep it secret.`);
  say(`Agents and the CLI read it from BROOM_TOKEN: export BROOM_TOKEN=<the line below>`);
  process.stdout.write(`${created.token}\n`);
  return 0;
}

/** `broom token list`: names, ids, created and last used (never a secret). */
export async function tokenListCommand(opts: TokenCommandOptions): Promise<number> {
  const { client } = await connect({ url: opts.url, token: opts.token, say });
  const { tokens } = await client.listTokens();
  if (opts.json) {
    process.stdout.write(`${stringifyJson(tokens, 2)}\n`);
    return 0;
  }
  if (tokens.length === 0) {
    process.stdout.write('No tokens yet. Create one with: broom token create --name NAME\n');
    return 0;
  }
  const when = (iso: string | undefined) => (iso ? iso.replace('T', ' ').slice(0, 19) : '-');
  const rows = tokens.map((t) => [t.id, t.name, when(t.createdAt), when(t.lastUsedAt), t.revokedAt ? `revoked ${when(t.revokedAt)}` : 'active']);
  process.stdout.write(table(['ID', 'NAME', 'CREATED', 'LAST USED', 'STATE'], rows));
  return 0;
}

/** `broom token revoke ID`: the token stops working at once on this server. */
export async function tokenRevokeCommand(id: string, opts: TokenCommandOptions): Promise<number> {
  if (!/^\S+$/.test(id)) throw new UsageError(`A token id looks like tok_xxxxxxxxxx (see \`broom token list\`), but got "${id}".`);
  const { client } = await connect({ url: opts.url, token: opts.token, say, start: false });
  const revoked = await client.revokeToken(id);
  say(`revoked token "${revoked.name}" (${revoked.id}); requests with it are now refused.`);
  return 0;
}
