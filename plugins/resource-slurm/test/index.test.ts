import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBuiltin, instantiatePlugin, isPluginDefinition, loadPlugin, type PluginDefinition } from '@broom/core';
import { describe, expect, it } from 'vitest';
import plugin, { SlurmCommands, SlurmResource, SlurmUnavailableError } from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** As the loader sees it: options not yet checked. */
const generic = plugin as unknown as PluginDefinition<'resource', unknown>;

describe('@broom/resource-slurm plugin', () => {
  it('is a resource plugin named slurm whose meta matches package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(here, '../package.json'), 'utf8')) as { name: string; version: string };
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'resource', alias: 'slurm' });
  });

  it('takes an item\'s resource_args as its options, checked with the same rules and messages', () => {
    const resource = instantiatePlugin(generic, { partition: 'gpu', cpus_per_task: 2, poll_interval: 1, kill_wait: 0 }, 'launch.resource_args');
    expect(resource).toBeInstanceOf(SlurmResource);
    const prepared = (resource as SlurmResource).prepare({
      itemId: 'a1',
      command: ['true'],
      env: {},
      cwd: '/tmp',
      logFile: '/tmp/a1.log',
      resourceArgs: { partition: 'gpu', cpus_per_task: 2, poll_interval: 1, kill_wait: 0 },
    });
    expect(prepared.argv).toEqual([
      '--parsable',
      '--job-name=broom-a1',
      '--output=/tmp/a1.log',
      '--open-mode=append',
      '--chdir=/tmp',
      '--partition=gpu',
      '--cpus-per-task=2',
      '/tmp/a1.log.sbatch',
    ]);
    expect(prepared.job).toEqual({ pollInterval: 1, killWait: 0 });
    expect(() => instantiatePlugin(generic, { partitoin: 'gpu', mem: 'lots' }, 'launch.resource_args')).toThrow(
      'Invalid options for the plugin "@broom/resource-slurm":\n' +
        '  Key "launch.resource_args.mem": must be megabytes (a whole number) or a size like "16G", "500M", but got "lots"\n' +
        '  Key "launch.resource_args.partitoin": not an option of the slurm resource. Did you mean "partition"? (Known: ',
    );
  });

  it('lets an item override the defaults of a resource built in code, settings included', () => {
    const resource = new SlurmResource({ pollInterval: 7, killWait: 9, defaults: { partition: 'cpu', time: 60 } });
    const prepared = resource.prepare({
      itemId: 'item with spaces',
      command: ['true'],
      env: {},
      cwd: '/w d',
      logFile: '/logs/100%.log',
      resourceArgs: { slurm: { partition: 'gpu', 'job-name': 'my "job"', kill_wait: 1 } },
    });
    expect(prepared.argv).toEqual([
      '--parsable',
      '--job-name=my "job"',
      '--output=/logs/100%%.log',
      '--open-mode=append',
      '--chdir=/w d',
      '--partition=gpu',
      '--time=60',
      '/logs/100%.log.sbatch',
    ]);
    expect(prepared.job).toEqual({ pollInterval: 7, killWait: 1 });
    expect(resource.prepare({ itemId: 'x y', command: ['true'], env: {}, cwd: '/', logFile: '/l', resourceArgs: {} }).argv[1]).toBe(
      '--job-name=broom-x_y',
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
        'cluster: `sudo scripts/slurm/setup.sh` on Debian), or name their directory in resource_args "bin".',
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
