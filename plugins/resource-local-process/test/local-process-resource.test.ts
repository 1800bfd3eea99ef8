import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { instantiatePlugin, type LaunchSpec, type PluginDefinition } from '@broom/core';
import declared, { LocalProcessResource } from '../src/index.js';

// As the loader sees it (options unknown until its schema checked them).
const plugin = declared as unknown as PluginDefinition<'resource', unknown>;
import { PACKAGE } from '../src/meta.js';

const dir = mkdtempSync(path.join(tmpdir(), 'broom-local-process-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function spec(script: string, extra: Partial<LaunchSpec> = {}): LaunchSpec {
  return {
    itemId: 'it000001',
    command: [process.execPath, '-e', script],
    env: { ...(process.env as Record<string, string>), FROM_SPEC: 'spec' },
    cwd: dir,
    logFile: path.join(dir, `${Math.random().toString(36).slice(2)}.log`),
    resourceArgs: {},
    ...extra,
  };
}

describe('local-process resource', () => {
  it('runs a program with env and cwd, its output in the log file', async () => {
    const resource = instantiatePlugin(plugin, { env: { FROM_ARGS: 'args' }, cwd: '.' }, 'launch.resource_args');
    const s = spec('console.log(process.env.FROM_SPEC, process.env.FROM_ARGS, process.cwd()); console.error("to stderr")');
    const job = await resource.launch(s);
    expect(Number(job.id)).toBeGreaterThan(0);
    expect(await job.wait()).toEqual({ state: 'finished', exitCode: 0 });
    expect(await job.status()).toEqual({ state: 'finished', exitCode: 0 });
    const log = readFileSync(s.logFile, 'utf8');
    expect(log).toContain(`spec args ${dir}`);
    expect(log).toContain('to stderr');
  });

  it('reports a failed exit code', async () => {
    const job = await new LocalProcessResource().launch(spec('process.exit(3)'));
    expect(await job.wait()).toEqual({ state: 'failed', exitCode: 3, message: 'exit code 3' });
  });

  it('stops with SIGTERM, which a program may handle', async () => {
    const s = spec('process.on("SIGTERM", () => { console.log("cleaning up"); process.exit(0); }); console.log("ready"); setInterval(() => {}, 1000)');
    const job = await new LocalProcessResource().launch(s);
    await waitForText(s.logFile, 'ready');
    await job.stop();
    expect(await job.wait()).toMatchObject({ state: 'stopped', exitCode: 0 });
    expect(readFileSync(s.logFile, 'utf8')).toContain('cleaning up');
  });

  it('kills a program that ignores SIGTERM after kill_delay', async () => {
    const s = spec('process.on("SIGTERM", () => console.log("ignoring")); console.log("ready"); setInterval(() => {}, 1000)');
    const job = await new LocalProcessResource({ kill_delay: 0.3 }).launch(s);
    await waitForText(s.logFile, 'ready');
    await job.stop();
    expect(await job.wait()).toEqual({ state: 'stopped', exitCode: 137, message: 'stopped (signal SIGKILL)' });
    expect(readFileSync(s.logFile, 'utf8')).toContain('ignoring');
  });

  it('refuses a program that does not exist', async () => {
    await expect(new LocalProcessResource().launch({ ...spec(''), command: ['/no/such/program'] })).rejects.toThrow(/Cannot start \/no\/such\/program: .*ENOENT/);
  });

  it('refuses unknown resource_args by name', () => {
    expect(() => instantiatePlugin(plugin, { envv: {} }, 'launch.resource_args')).toThrow(/Key "launch.resource_args.envv": unknown option/);
    expect(() => instantiatePlugin(plugin, { kill_delay: -1 }, 'launch.resource_args')).toThrow(/Key "launch.resource_args.kill_delay"/);
  });

  it('declares itself as the local-process resource, at the version of its package.json', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    expect(plugin.meta).toMatchObject({ kind: 'resource', alias: 'local-process', name: pkg.name, version: pkg.version });
    expect(PACKAGE).toEqual({ name: pkg.name, version: pkg.version });
  });
});

async function waitForText(file: string, text: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if (readFileSync(file, 'utf8').includes(text)) return;
    } catch {
      // not yet written
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${file} never contained ${text}`);
}
