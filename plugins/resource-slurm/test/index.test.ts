import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBuiltin, instantiatePlugin, isPluginDefinition, loadPlugin } from '@broom/core';
import { describe, expect, it } from 'vitest';
import plugin, { SlurmCommands, SlurmResource, SlurmUnavailableError } from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('@broom/resource-slurm plugin', () => {
  it('is a resource plugin named slurm whose meta matches package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(here, '../package.json'), 'utf8')) as { name: string; version: string };
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'resource', alias: 'slurm' });
  });

  it('builds a SlurmResource from valid options and refuses unknown or bad ones with the key', () => {
    expect(instantiatePlugin(plugin, { pollInterval: 1, killWait: 0, defaults: { partition: 'gpu' } }, 'launch.resource')).toBeInstanceOf(
      SlurmResource,
    );
    expect(() => instantiatePlugin(plugin, { pollIntervall: 1, killWait: -1 }, 'launch.resource')).toThrow(
      'Invalid options for the plugin "@broom/resource-slurm":\n' +
        '  Key "launch.resource.killWait": Too small: expected number to be >=0\n' +
        '  Key "launch.resource.pollIntervall": unknown option',
    );
  });
});

describe('the built-in alias', () => {
  it('names this package, and the CLI (which depends on it) loads it by "slurm"', async () => {
    expect(findBuiltin('slurm', 'resource')).toEqual({ alias: 'slurm', kind: 'resource', specifier: '@broom/resource-slurm' });
    const cliDir = path.resolve(here, '../../../packages/cli');
    const loaded = await loadPlugin(['slurm', { pollInterval: 2 }], 'resource', { hostDirs: [cliDir], key: 'launch.resource' });
    expect(loaded.resolved.source).toBe('builtin');
    expect(loaded.plugin.meta.name).toBe('@broom/resource-slurm');
    expect(loaded.product).toBeInstanceOf(SlurmResource);
  });
});

describe('without SLURM commands', () => {
  it('says sbatch is missing, where it looked, and how to get it', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'broom-no-slurm-'));
    const resource = new SlurmResource({ bin: empty });
    const launch = resource.launch({
      itemId: 'i1',
      command: ['true'],
      env: {},
      cwd: empty,
      logFile: path.join(empty, 'logs', 'i1.log'),
      resourceArgs: {},
    });
    await expect(launch).rejects.toBeInstanceOf(SlurmUnavailableError);
    await expect(launch).rejects.toThrow(
      `The slurm resource cannot run sbatch: ${path.join(empty, 'sbatch')} was not found (ENOENT). It needs SLURM's client commands ` +
        '(sbatch, squeue, sacct, scontrol, scancel) on the machine that runs the launch agent. Install them (a one-node test ' +
        'cluster: `sudo scripts/slurm/setup.sh` on Debian), or name their directory in the resource option "bin".',
    );
  });

  it('says "on PATH" when no directory was named', async () => {
    const slurm = new SlurmCommands(undefined);
    const old = process.env.PATH;
    process.env.PATH = mkdtempSync(path.join(tmpdir(), 'broom-empty-path-'));
    try {
      await expect(slurm.run('sbatch', ['--version'])).rejects.toThrow('sbatch was not found on PATH (ENOENT)');
    } finally {
      process.env.PATH = old;
    }
  });
});
