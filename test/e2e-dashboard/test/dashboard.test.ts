import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createSweep, launchBrowser, pngStats, sandbox, saveScreenshot, sweepConfig, waitFor, type Sandbox } from './harness.js';

const chromiumPath = inject('chromium');
const missing = inject('browserMissing');
if (!chromiumPath) console.warn(`SKIPPED the dashboard's browser tests: ${missing}`);

const num = async (page: Page, selector: string, attr: string) => Number(await page.locator(selector).first().getAttribute(attr));

describe.skipIf(!chromiumPath)('the dashboard in a real browser, with a real server and real agents', () => {
  let browser: Browser;
  let sb: Sandbox | undefined;
  beforeAll(async () => {
    browser = await launchBrowser(chromiumPath);
  });
  afterAll(async () => {
    await sb?.close();
    await browser?.close();
  });

  it('shows runs as they appear and charts as they grow, pauses and resumes from the page, and each page makes a non-trivial screenshot', async () => {
    sb = await sandbox();
    const id = await createSweep(sb, sweepConfig({ runCap: 10, epochs: 6, sleepMs: 250, hyperband: true }));
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('dialog', (d) => void d.accept());
    let navigations = 0;
    page.on('framenavigated', (f) => {
      if (f === page.mainFrame()) navigations++;
    });

    await page.goto(`${sb.server.url}/#/sweeps/${id}`);
    await page.getByTestId('sweep-page').waitFor();
    await expect.poll(() => page.getByTestId('live-status').textContent()).toBe('live');
    expect(await page.locator('[data-testid=runs-table] tbody tr').count()).toBe(0);
    const loadedNavigations = navigations;

    // Agents start: runs appear and the metric chart grows, without a reload.
    const agents = [sb.spawnBroom(['agent', id]), sb.spawnBroom(['agent', id])];
    await page.locator('[data-testid=runs-table] tbody tr[data-state=running]').first().waitFor({ timeout: 30_000 });
    const p1 = await waitFor(async () => (await num(page, '[data-testid=metric-chart]', 'data-points')) || undefined, 'points on the metric chart');
    await waitFor(async () => (await num(page, '[data-testid=metric-chart]', 'data-points')) > p1, 'the metric chart to grow while runs run');
    expect(navigations).toBe(loadedNavigations);

    // Pause from the page: the server has the sweep PAUSED, the running runs end, no new run starts.
    await page.getByTestId('control-pause').click();
    await expect.poll(() => page.getByTestId('sweep-state').first().textContent()).toBe('PAUSED');
    expect((await sb.client.getSweep(id)).state).toBe('PAUSED');
    await waitFor(async () => (await sb!.runs(id)).every((r) => r.state !== 'running' && r.state !== 'pending'), 'the running runs to end', 30_000);
    const atPause = (await sb.runs(id)).length;
    await new Promise((r) => setTimeout(r, 1500));
    expect((await sb.runs(id)).length).toBe(atPause);
    await expect.poll(() => page.locator('[data-testid=runs-table] tbody tr').count()).toBe(atPause);
    expect(await page.getByTestId('control-pause').isDisabled()).toBe(true);

    // Resume from the page: new runs start and the sweep runs to its run_cap.
    await page.getByTestId('control-resume').click();
    await expect.poll(() => page.getByTestId('sweep-state').first().textContent()).toBe('RUNNING');
    await waitFor(async () => (await sb!.runs(id)).length > atPause, 'a new run after resume');
    await waitFor(async () => (await sb!.client.getSweep(id)).state === 'FINISHED', 'the sweep to finish', 90_000);
    await Promise.all(agents.map((a) => a.exited));
    await expect.poll(() => page.getByTestId('sweep-state').first().textContent(), { timeout: 10_000 }).toBe('FINISHED');
    await expect.poll(() => page.locator('[data-testid=runs-table] tbody tr').count()).toBe(10);
    expect(navigations).toBe(loadedNavigations);

    // Every run's final loss is on the charts; importance covers the three searched parameters.
    const runs = await sb.runs(id);
    const withLoss = runs.filter((r) => typeof r.summary.loss === 'number').length;
    await expect.poll(() => num(page, '[data-testid=parallel-chart]', 'data-points')).toBe(withLoss);
    await expect.poll(() => num(page, '[data-testid=best-chart]', 'data-points')).toBe(withLoss);
    const totalRows = runs.reduce((s, r) => s + ((r.summary.epoch as number) ?? -1) + 1, 0);
    await expect.poll(() => num(page, '[data-testid=metric-chart]', 'data-points')).toBe(totalRows);
    // Importance as the server computes it (its known-answer tests are the server's): one row per parameter that varies.
    const importance = await sb.client.request<{ parameters: Array<{ name: string }> }>('GET', `/dashboard/sweeps/${id}/importance`);
    const names = importance.parameters.map((p) => p.name);
    expect(names.every((n) => ['lr', 'optimizer', 'layers'].includes(n))).toBe(true);
    await expect.poll(async () => (await page.locator('[data-testid=importance-table] tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-param'))))).toEqual(names);
    // Pruned runs (hyperband) are marked.
    const pruned = runs.filter((r) => r.stopRequested);
    for (const r of pruned) expect(await page.locator(`tr[data-run="${r.id}"] .mark-pruned`).count()).toBe(1);

    // Sort by loss (the default for minimize: best first) and filter.
    const lossCells = async () => (await page.locator('[data-testid=runs-table] tbody td[data-col=loss]').allInnerTexts()).map(Number);
    const sortedLoss = await lossCells();
    expect(sortedLoss).toEqual([...sortedLoss].sort((a, b) => a - b));
    await page.locator('[data-testid=runs-table] th[data-col=loss]').click();
    const desc = await lossCells();
    expect(desc).toEqual([...sortedLoss].sort((a, b) => b - a));
    const adam = runs.filter((r) => r.config.optimizer === 'adam').length;
    await page.getByTestId('runs-filter').fill('optimizer=adam');
    await expect.poll(() => page.locator('[data-testid=runs-table] tbody tr').count()).toBe(adam);
    expect(new Set(await page.locator('[data-testid=runs-table] tbody td[data-col=optimizer]').allInnerTexts())).toEqual(adam ? new Set(['adam']) : new Set());
    await page.getByTestId('runs-filter').fill('');
    await page.locator('[data-testid=runs-table] th[data-col=loss]').click();

    // Screenshots of each page.
    await page.evaluate(() => window.scrollTo(0, 0));
    const sweepPng = await page.screenshot({ fullPage: true });
    saveScreenshot('sweep.png', sweepPng);

    // Two more sweeps for the list: one paused, one waiting for agents; they appear live on the open list.
    await page.goto(`${sb.server.url}/#/`);
    await page.locator(`[data-testid=sweeps-table] tr[data-sweep="${id}"]`).waitFor();
    const grid = await sb.client.createSweep({ name: 'grid-lr', config: { method: 'grid', metric: { name: 'acc', goal: 'maximize' }, parameters: { lr: { values: [0.001, 0.01, 0.1] }, layers: { values: [1, 2] } } } });
    await sb.client.controlSweep(grid.id, { action: 'pause' });
    const bayes = await sb.client.createSweep({ name: 'bayes-search', project: 'mnist', config: { method: 'bayes', metric: { name: 'val_loss', goal: 'minimize' }, parameters: { lr: { min: 0.0001, max: 0.1 } } } });
    await page.locator(`tr[data-sweep="${bayes.id}"]`).waitFor();
    await expect.poll(() => page.locator(`tr[data-sweep="${grid.id}"]`).innerText()).toContain('PAUSED');
    expect(await page.locator('[data-testid=sweeps-table] tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-sweep')))).toEqual([bayes.id, grid.id, id]);
    expect(await page.locator(`tr[data-sweep="${id}"]`).innerText()).toContain('FINISHED');
    const listPng = await page.screenshot({ fullPage: false });
    saveScreenshot('sweeps.png', listPng);

    const best = [...runs].filter((r) => r.state === 'finished').sort((a, b) => (a.summary.loss as number) - (b.summary.loss as number))[0] ?? runs[0];
    await page.goto(`${sb.server.url}/#/sweeps/${id}`);
    await page.locator(`tr[data-run="${best.id}"] a`).first().click();
    await page.getByTestId('run-page').waitFor();
    await expect.poll(() => page.getByTestId('run-log-text').textContent()).toContain('train.mjs: done');
    expect(await page.getByTestId('run-config-table').innerText()).toContain('optimizer');
    await expect.poll(() => num(page, '[data-testid=run-chart-loss]', 'data-points')).toBe(6);
    const runPng = await page.screenshot({ fullPage: true });
    saveScreenshot('run.png', runPng);

    const probe = await context.newPage();
    for (const [name, png, minHeight] of [['sweep', sweepPng, 1200], ['sweeps', listPng, 900], ['run', runPng, 900]] as const) {
      const stats = await pngStats(probe, png);
      expect(stats.width, name).toBe(1440);
      expect(stats.height, name).toBeGreaterThanOrEqual(minHeight);
      expect(stats.colours, `${name}: distinct colours`).toBeGreaterThan(20);
      expect(stats.inked, `${name}: share of non-background pixels`).toBeGreaterThan(0.03);
    }
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('works behind a token: ?token= once, kept for the tab, sent as a header (also on the live stream)', async () => {
    await sb?.close();
    sb = await sandbox({ token: 'sesame' });
    const id = await createSweep(sb, sweepConfig({ runCap: 1, epochs: 2, sleepMs: 50 }));
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${sb.server.url}/`);
    await page.getByTestId('token-input').waitFor();
    expect(await page.textContent('body')).toContain('This server needs a token');

    await page.goto(`${sb.server.url}/?token=sesame#/`);
    await page.locator(`tr[data-sweep="${id}"]`).waitFor();
    expect(page.url()).toBe(`${sb.server.url}/#/`);
    expect(await page.evaluate(() => sessionStorage.getItem('broom.token'))).toBe('sesame');
    await page.reload();
    await page.locator(`tr[data-sweep="${id}"]`).waitFor();
    await expect.poll(() => page.getByTestId('live-status').textContent()).toBe('live');

    // The live stream carries the token too: a run started now shows up on the open sweep page.
    await page.locator(`tr[data-sweep="${id}"] a`).click();
    await page.getByTestId('sweep-page').waitFor();
    const agent = sb.spawnBroom(['agent', id]);
    await page.locator('[data-testid=runs-table] tbody tr[data-state=finished]').first().waitFor({ timeout: 30_000 });
    expect(await agent.exited).toBe(0);

    // A wrong token is refused with the form again.
    const other = await browser.newContext();
    const wrong = await other.newPage();
    await wrong.goto(`${sb.server.url}/?token=nope`);
    await wrong.getByTestId('token-input').waitFor();
    expect(await wrong.textContent('body')).toContain('The server refused the token');
    await wrong.getByTestId('token-input').fill('sesame');
    await wrong.getByRole('button', { name: 'Use token' }).click();
    await wrong.locator(`tr[data-sweep="${id}"]`).waitFor();
    await other.close();
    await context.close();
  });

  it('shows the queues, their items and the launch agents (Sweeps on Launch), and makes a screenshot of that page', async () => {
    await sb?.close();
    sb = await sandbox();
    await sb.client.request('POST', '/queues', { name: 'gpu' });
    await sb.client.request('POST', '/queues', { name: 'cpu' });
    const agent = await sb.client.request<{ launchAgentId: string }>('POST', '/launch-agents', { host: 'gpu-node-1', pid: 4242, queues: ['gpu'], maxJobs: 2, maxSchedulers: 1 });
    const launched = await sb.client.request<{ id?: string; sweep?: { id: string } }>('POST', '/launch-sweeps', { config: sweepConfig({ runCap: 2 }), queue: 'gpu' });
    const detail = await sb.client.request<{ items: Array<{ id: string; kind: string; state: string }> }>('GET', '/queues/gpu');
    expect(detail.items.length).toBeGreaterThan(0);

    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${sb.server.url}/#/queues/gpu`);
    await page.getByTestId('queues-page').waitFor();
    expect(await page.locator('[data-testid=queues-table] tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-queue')))).toEqual(['cpu', 'gpu']);
    await expect.poll(() => page.locator('[data-testid=items-table] tbody tr').count()).toBe(detail.items.length);
    expect(await page.locator(`tr[data-item="${detail.items[0].id}"]`).innerText()).toContain(detail.items[0].kind);
    expect(await page.locator(`tr[data-agent="${agent.launchAgentId}"]`).innerText()).toContain('gpu-node-1');
    expect(launched).toBeTruthy();
    const png = await page.screenshot({ fullPage: true });
    saveScreenshot('queues.png', png);
    const stats = await pngStats(page, png);
    expect(stats.width).toBe(1440);
    expect(stats.colours).toBeGreaterThan(10);
    expect(stats.inked).toBeGreaterThan(0.02);

    // The other queue: empty, no agent.
    await page.locator('tr[data-queue="cpu"] a').click();
    await expect.poll(() => page.textContent('[data-testid=queues-page]')).toContain('The queue is empty.');
    await context.close();
  });
});
