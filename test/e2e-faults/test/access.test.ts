import path from 'node:path';
import { ApiClient, startServer, type RunningServer } from '@broom/server';
import { afterEach, describe, expect, it } from 'vitest';
import { NODE_COMMAND, broom, cliEnv, createSweep, ensureBuilt, exitOf, fixtures, killAll, spawnBroom, tempDir, writeConfig } from './harness.js';

// The server decides whether a token is needed by the address it listens on, not by where a
// request comes from (behind a reverse proxy on the same host every request would look local).
// So a server bound to 0.0.0.0 — a non-loopback bind — refuses an unauthenticated request even
// when it arrives over 127.0.0.1, and these tests send their requests there: no traffic leaves
// the loopback interface.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killAll();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serve(dir: string, host: string, token?: string): Promise<{ server: RunningServer; url: string; log: string[] }> {
  const log: string[] = [];
  const server = await startServer({ dir: path.join(dir, 'server'), host, port: 0, pollIntervalMs: 200, maxWorkers: 1, log: (l) => log.push(l), ...(token ? { token } : {}) });
  cleanups.push(() => server.close());
  return { server, url: `http://127.0.0.1:${server.port}`, log };
}

async function get(url: string, token?: string): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const res = await fetch(`${url}/api/v1/sweeps`, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string } } };
}

const quick = { method: 'grid', metric: { name: 'loss', goal: 'minimize' }, program: path.join(fixtures, 'steps.mjs'), command: NODE_COMMAND, parameters: { steps: { values: [3] }, sleep_ms: { value: 10 } } };

describe('access control', () => {
  it('loopback needs no token; tokens are created (shown once), listed without secrets, and revoked with the CLI', async () => {
    ensureBuilt();
    const { dir, remove } = tempDir('broom-access-');
    cleanups.push(remove);
    const { url } = await serve(dir, '127.0.0.1');
    const env = cliEnv(url, dir);
    expect((await get(url)).status).toBe(200);

    const created = await broom(['token', 'create', '--name', 'ci'], { cwd: dir, env });
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^broom_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toMatch(/created token "ci" \(tok_[a-z0-9]{10}\).*shown only this once/);

    const listed = await broom(['token', 'list', '--json'], { cwd: dir, env });
    expect(listed.code).toBe(0);
    const tokens = JSON.parse(listed.stdout) as { id: string; name: string; createdAt: string }[];
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ name: 'ci', id: expect.stringMatching(/^tok_/) });
    expect(Object.keys(tokens[0]).sort()).toEqual(['createdAt', 'id', 'name']);
    expect(listed.stdout).not.toContain(secret);
    const table = await broom(['token', 'list'], { cwd: dir, env });
    expect(table.stdout).toMatch(/ID\s+NAME\s+CREATED\s+LAST USED\s+STATE/);
    expect(table.stdout).toContain('active');

    const revoked = await broom(['token', 'revoke', tokens[0].id], { cwd: dir, env });
    expect(revoked.code).toBe(0);
    expect(revoked.stderr).toContain(`revoked token "ci" (${tokens[0].id})`);
    expect((await broom(['token', 'list'], { cwd: dir, env })).stdout).toMatch(/revoked \d{4}-/);
    const unknown = await broom(['token', 'revoke', 'tok_nothing'], { cwd: dir, env });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No token with id "tok_nothing" on this server');
  });

  it('off loopback: no, wrong or revoked tokens are refused with 401/403; created and bootstrap tokens work, for the CLI and agents', async () => {
    ensureBuilt();
    const { dir, remove } = tempDir('broom-access-');
    cleanups.push(remove);
    // Make two tokens on loopback first, then serve the same directory off loopback with no bootstrap token.
    const local = await serve(dir, '127.0.0.1');
    const client = new ApiClient(local.url);
    const keep = await client.createToken({ name: 'agents' });
    const doomed = await client.createToken({ name: 'laptop' });
    await local.server.close();

    const { url } = await serve(dir, '0.0.0.0');
    const none = await get(url);
    expect(none.status).toBe(401);
    expect(none.body.error?.code).toBe('unauthorized');
    expect(none.body.error?.message).toContain('This server needs a token: send "Authorization: Bearer <token>"');
    const wrong = await get(url, 'broom_not-a-real-token');
    expect(wrong).toEqual({ status: 401, body: { error: { code: 'unauthorized', message: 'The token in the Authorization header is not a token of this server.' } } });
    const scheme = await fetch(`${url}/api/v1/health`, { headers: { authorization: `Basic ${keep.token}` } });
    expect(scheme.status).toBe(401);
    expect(((await scheme.json()) as { error: { message: string } }).error.message).toContain('must be "Bearer <token>"');
    // Every route is closed, even unknown ones and health.
    expect((await fetch(`${url}/api/v1/health`)).status).toBe(401);
    expect((await fetch(`${url}/nothing`)).status).toBe(401);
    expect((await fetch(`${url}/api/v1/tokens`, { method: 'POST' })).status).toBe(401);

    expect((await get(url, keep.token)).status).toBe(200);
    expect((await get(url, doomed.token)).status).toBe(200);

    // The CLI takes the token from BROOM_TOKEN; without it, it says what is wrong.
    const env = cliEnv(url, dir);
    const refused = await broom(['sweeps'], { cwd: dir, env });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('This server needs a token');
    const withToken = { ...env, BROOM_TOKEN: keep.token };
    expect((await broom(['sweeps'], { cwd: dir, env: withToken })).code).toBe(0);

    // Revoke one token (with the other): it is refused at once with 403, the other still works.
    const revoke = await broom(['token', 'revoke', doomed.id], { cwd: dir, env: withToken });
    expect(revoke.code).toBe(0);
    const after = await get(url, doomed.token);
    expect(after.status).toBe(403);
    expect(after.body.error).toMatchObject({ code: 'token-revoked' });
    expect(after.body.error?.message).toContain(`The token "laptop" (${doomed.id}) was revoked at`);
    expect((await get(url, keep.token)).status).toBe(200);
    const list = JSON.parse((await broom(['token', 'list', '--json'], { cwd: dir, env: withToken })).stdout) as { name: string; lastUsedAt?: string }[];
    expect(list.find((t) => t.name === 'agents')?.lastUsedAt).toMatch(/^\d{4}-/);

    // An agent with BROOM_TOKEN runs a sweep to the end off loopback.
    const sweepId = await createSweep(dir, withToken, quick);
    const agent = spawnBroom(['agent', sweepId], { cwd: dir, env: withToken });
    expect(await exitOf(agent)).toBe(0);
    const runs = await new ApiClient(url, keep.token).listRuns(sweepId, { history: true });
    expect(runs.runs.map((r) => [r.state, r.history?.length])).toEqual([['finished', 3]]);
    // … and one without a token gives up at once with the server's reason (a 401 is not retried).
    const noToken = spawnBroom(['agent', sweepId], { cwd: dir, env });
    expect(await exitOf(noToken)).toBe(1);
    expect(noToken.stderr()).toContain('This server needs a token');
  });

  it('the bootstrap token (--token) keeps working next to stored tokens, and a server with neither refuses to listen off loopback', async () => {
    ensureBuilt();
    const { dir, remove } = tempDir('broom-access-');
    cleanups.push(remove);
    await expect(serve(path.join(dir, 'empty'), '0.0.0.0')).rejects.toThrow(/Refusing to listen on 0\.0\.0\.0 without a token/);
    const { url } = await serve(dir, '0.0.0.0', 'bootstrap-secret');
    expect((await get(url)).status).toBe(401);
    expect((await get(url, 'bootstrap-secret')).status).toBe(200);
    const made = await new ApiClient(url, 'bootstrap-secret').createToken({ name: 'made-with-bootstrap' });
    expect((await get(url, made.token)).status).toBe(200);
    const env = cliEnv(url, dir, { BROOM_TOKEN: 'bootstrap-secret' });
    const listed = await broom(['token', 'list'], { cwd: dir, env });
    expect(listed.stdout).toContain('made-with-bootstrap');
    expect(listed.stdout).not.toContain(made.token);
  });

  it('refuses sweep, project and entity names that could escape their project, with a clear 400', async () => {
    ensureBuilt();
    const { dir, remove } = tempDir('broom-access-');
    cleanups.push(remove);
    const { url } = await serve(dir, '127.0.0.1');
    const client = new ApiClient(url);
    const hostile: [string, string][] = [
      ['project', '../../etc'],
      ['project', 'a/b'],
      ['project', 'a\\b'],
      ['project', '..'],
      ['entity', 'me/../../you'],
      ['name', 'line\nbreak'],
      ['name', 'nul\u0000byte'],
      ['name', 'bidi\u202Eevil'],
      ['project', ' '],
      ['project', 'x'.repeat(129)],
    ];
    for (const [key, value] of hostile) {
      const res = await fetch(`${url}/api/v1/sweeps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ config: quick, [key]: value }),
      });
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect([key, value, res.status, body.error.code]).toEqual([key, value, 400, 'bad-name']);
      expect(body.error.message).toMatch(new RegExp(`^The sweep's ${key} must`));
    }
    // The same names in the config itself are refused too, and the CLI shows the reason.
    const env = cliEnv(url, dir);
    const r = await broom(['sweep', writeConfig(dir, { ...quick, project: '../outside' })], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The sweep\'s project must not contain "/"');
    expect((await client.listSweeps()).sweeps).toEqual([]);
    // Ordinary names still work.
    const ok = await client.createSweep({ config: quick, name: 'lr sweep (v2)', project: 'my-project_1', entity: 'team.a' });
    expect(ok).toMatchObject({ name: 'lr sweep (v2)', project: 'my-project_1' });
  });
});
