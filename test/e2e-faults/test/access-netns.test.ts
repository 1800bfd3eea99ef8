import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, fixtures, repoRoot } from './harness.js';

// A server bound to a real non-loopback address: 192.0.2.1 (TEST-NET-1), added to the loopback
// device of a network namespace made for this test (`unshare -rn`), so no packet can leave it.
// Where user namespaces are not allowed, the test says so and checks nothing.
const setup = 'ip link set lo up && ip addr add 192.0.2.1/32 dev lo';
const probe = spawnSync('unshare', ['-rn', 'sh', '-c', setup], { encoding: 'utf8' });
const canNamespace = probe.status === 0;
if (!canNamespace) process.stderr.write(`access-netns: skipped, cannot make a network namespace here (unshare -rn: ${(probe.stderr || probe.error?.message || '').trim()})\n`);

describe.skipIf(!canNamespace)('access control on a non-loopback address (own network namespace)', () => {
  it('refuses no, wrong and revoked tokens (401/401/403) and serves created and bootstrap tokens', () => {
    ensureBuilt();
    const serverEntry = path.join(repoRoot, 'packages', 'server', 'dist', 'index.js');
    const script = path.join(fixtures, 'netns-auth.mjs');
    const r = spawnSync('unshare', ['-rn', 'sh', '-c', `${setup} && exec "$0" "$1" "$2"`, process.execPath, script, serverEntry], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(out.url).toMatch(/^http:\/\/192\.0\.2\.1:\d+$/);
    expect(out.startedWithoutToken).toBeUndefined();
    expect(out.refusedWithoutToken).toMatch(/^Refusing to listen on 192\.0\.2\.1 without a token/);
    expect(out.none).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(out.none.message).toContain('This server needs a token');
    expect(out.wrong).toEqual({ status: 401, code: 'unauthorized', message: 'The token in the Authorization header is not a token of this server.' });
    expect(out.revoked).toMatchObject({ status: 403, code: 'token-revoked' });
    expect(out.revoked.message).toMatch(/^The token "doomed" \(tok_[a-z0-9]{10}\) was revoked at /);
    expect(out.good).toEqual({ status: 200, code: null, message: null });
    expect(out.bootstrap).toEqual({ status: 200, code: null, message: null });
  });
});
