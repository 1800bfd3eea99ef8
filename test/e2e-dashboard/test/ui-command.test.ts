import { afterEach, describe, expect, it } from 'vitest';
import { sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

describe('broom ui', () => {
  it('prints the dashboard URL of the server, which serves the page; with no display it opens no browser and says so', async () => {
    sb = await sandbox();
    const r = await sb.broom(['ui'], { DISPLAY: '', WAYLAND_DISPLAY: '', BROWSER: '' });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${sb.server.url}/\n`);
    expect(r.stderr).toContain('no browser here (no DISPLAY): open the URL above in a browser that can reach the server.');
    const page = await fetch(r.stdout.trim());
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<div id="app"><\/div>/);
  });

  it('puts the token in the URL once (the page keeps it), and --no-open only prints', async () => {
    sb = await sandbox({ token: 'ab&c=d+e' });
    const r = await sb.broom(['ui', '--no-open']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${sb.server.url}/?token=ab%26c%3Dd%2Be\n`);
    expect(r.stderr).toBe('');
  });

  it('says clearly when the server cannot be reached', async () => {
    sb = await sandbox();
    const r = await sb.broom(['ui', '--url', 'http://127.0.0.1:9', '--no-open']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^broom: Cannot reach the broom server at http:\/\/127\.0\.0\.1:9/);
  });
});
