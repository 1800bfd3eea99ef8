import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBuiltin, instantiatePlugin, isPluginDefinition, loadPlugin, type PluginDefinition } from '@broom/core';
import { describe, expect, it } from 'vitest';
import plugin, { DockerResource, NO_IMAGE } from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** As the loader sees it: options not yet checked. */
const generic = plugin as unknown as PluginDefinition<'resource', unknown>;

describe('@broom/resource-docker plugin', () => {
  it('is a resource plugin named local-container whose meta matches package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(here, '../package.json'), 'utf8')) as { name: string; version: string };
    expect(isPluginDefinition(plugin)).toBe(true);
    expect(plugin.meta).toMatchObject({ name: pkg.name, version: pkg.version, kind: 'resource', alias: 'local-container' });
  });

  it("takes an item's resource_args as its options, checked with the same rules and messages", () => {
    const resource = instantiatePlugin(generic, { 'local-container': { image: 'alpine:3', kill_wait: 2, remove: false } }, 'launch.resource_args') as DockerResource;
    expect(resource).toBeInstanceOf(DockerResource);
    expect(resource.runsImages).toBe(true);
    const prepared = resource.prepare({
      itemId: 'a1',
      command: ['true'],
      env: {},
      cwd: '/tmp',
      logFile: '/tmp/a1.log',
      resourceArgs: { 'local-container': { image: 'alpine:3', kill_wait: 2, remove: false } },
    });
    expect(prepared.plan.image).toBe('alpine:3');
    expect(prepared.killWait).toBe(2);
    expect(prepared.remove).toBe(false);
    expect(() => instantiatePlugin(generic, { imgae: 'alpine', memory: 'lots' }, 'launch.resource_args')).toThrow(
      'Invalid options for the plugin "@broom/resource-docker":\n' +
        '  Key "launch.resource_args.memory": must be a size like "512m", "2g" (docker run\'s units b, k, m, g) or a number of bytes, but got "lots"\n' +
        '  Key "launch.resource_args.imgae": not an option of the local-container resource. Did you mean "image"? (Known: ',
    );
  });

  it('needs an image from resource_args or the sweep\'s image_uri (check, before a sweep is created)', () => {
    expect(new DockerResource().check({})).toBe(NO_IMAGE);
    expect(new DockerResource().check({ image: 'acme/train:1' })).toBeUndefined();
    expect(new DockerResource({ defaults: { image: 'alpine:3' } }).check({})).toBeUndefined();
  });

  it('lets an item override the defaults of a resource built in code, settings included', () => {
    const resource = new DockerResource({ defaults: { image: 'alpine:3', gpus: 'all' }, killWait: 9, platform: 'linux', base: {} });
    const prepared = resource.prepare({ itemId: 'b', command: ['true'], env: {}, cwd: '/w', logFile: '/l', resourceArgs: { docker: { image: 'busybox', 'kill-wait': 1 } } });
    expect(prepared.plan.argv).toEqual(['run', '--detach', '--name=broom-b', '--label=broom.item=b', '--init', '--network=host', '--gpus=all', '--volume=/w:/w', '--workdir=/w', '--entrypoint=true', 'busybox']);
    expect(prepared.killWait).toBe(1);
    expect(resource.prepare({ itemId: 'c', command: ['true'], env: {}, cwd: '/w', logFile: '/l', resourceArgs: {} }).killWait).toBe(9);
  });
});

describe('the built-in aliases', () => {
  it('name this package: local-container (W&B\'s name) and docker', () => {
    for (const alias of ['local-container', 'docker']) {
      expect(findBuiltin(alias, 'resource')).toEqual({ alias, kind: 'resource', specifier: '@broom/resource-docker' });
    }
  });

  it('the CLI and the server (which depend on it) load it by either name', async () => {
    for (const host of ['cli', 'server']) {
      for (const alias of ['local-container', 'docker']) {
        const hostDir = path.resolve(here, '../../../packages', host);
        const loaded = await loadPlugin([alias, { image: 'alpine:3' }], 'resource', { hostDirs: [hostDir], key: 'launch.resource' });
        expect(loaded.resolved.source).toBe('builtin');
        expect(loaded.plugin.meta.name).toBe('@broom/resource-docker');
        expect(loaded.product).toBeInstanceOf(DockerResource);
      }
    }
  });
});
