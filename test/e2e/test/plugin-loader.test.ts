import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PluginContractError, PluginLoadError, loadPlugin, packageNamesFor, resolvePlugin } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { fixtures } from './broom.js';

const configDir = path.join(fixtures, 'plugins');
const cliDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'packages', 'cli', 'src');

describe('plugin resolution', () => {
  it('turns names into package names as ESLint does', () => {
    expect(packageNamesFor('percentile')).toEqual(['broom-plugin-percentile']);
    expect(packageNamesFor('broom-plugin-x')).toEqual(['broom-plugin-x']);
    expect(packageNamesFor('@acme/x')).toEqual(['@acme/broom-plugin-x', '@acme/x']);
    expect(packageNamesFor('@acme')).toEqual(['@acme/broom-plugin']);
  });

  it('finds a built-in alias through the host package', () => {
    const r = resolvePlugin('grid', 'search', { hostDirs: [cliDir] });
    expect(r.source).toBe('builtin');
    expect(r.url).toMatch(/search-grid/);
  });

  it('loads a plugin from a file path relative to the config', async () => {
    const { product, resolved, plugin } = await loadPlugin('./lib/first-value.mjs', 'search', { configDir });
    expect(resolved.source).toBe('path');
    expect(plugin.meta.name).toBe('first-value');
    const config = { method: 'custom', parameters: { a: { distribution: 'categorical', values: [7, 8] } } } as never;
    expect(await product.next({ config, runs: [], random: { next: () => 0.5 } })).toEqual({ config: { a: 7 } });
  });

  it("loads a package from the fixture's node_modules, with options", async () => {
    const { product, resolved } = await loadPlugin(['cycle', { offset: 1 }], 'search', { configDir });
    expect(resolved.source).toBe('package');
    expect(resolved.url).toMatch(/node_modules\/broom-plugin-cycle\/index\.js$/);
    const config = { method: 'custom', parameters: { a: { distribution: 'categorical', values: ['x', 'y', 'z'] } } } as never;
    expect(await product.next({ config, runs: [], random: { next: () => 0 } })).toEqual({ config: { a: 'y' } });
  });

  it('loads a scoped package through its main field', async () => {
    const { plugin } = await loadPlugin('@acme/fixed', 'pruner', { configDir });
    expect(plugin.meta.name).toBe('@acme/broom-plugin-fixed');
  });

  it('says what it looked for, where, and how to install it', async () => {
    const error = await loadPlugin('nonesuch', 'search', { configDir, key: 'method', file: 'sweep.yaml' }).catch((e) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error.message).toContain('Cannot find the search plugin "nonesuch" named by `method` in sweep.yaml.');
    expect(error.message).toContain(`the package broom-plugin-nonesuch in node_modules above ${configDir}`);
    expect(error.message).toContain('`pnpm add broom-plugin-nonesuch` (or `npm install broom-plugin-nonesuch`)');
  });

  it('suggests the nearest built-in alias for a typo', async () => {
    const error = await loadPlugin('grdi', 'search', { configDir, hostDirs: [cliDir] }).catch((e) => e);
    expect(error.message).toContain('Did you mean "grid"?');
  });

  it('names a missing file', async () => {
    const error = await loadPlugin('./lib/missing.mjs', 'search', { configDir }).catch((e) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error.message).toContain(`the file ${path.join(configDir, 'lib', 'missing.mjs')}`);
  });

  it('refuses a module that is not built with definePlugin', async () => {
    const error = await loadPlugin('./lib/not-a-plugin.mjs', 'search', { configDir }).catch((e) => e);
    expect(error).toBeInstanceOf(PluginContractError);
    expect(error.message).toMatch(/is not a broom plugin: its default export must be the result of `definePlugin/);
  });

  it('reports a plugin whose import fails, with the cause', async () => {
    const error = await loadPlugin('./lib/broken.mjs', 'search', { configDir }).catch((e) => e);
    expect(error).toBeInstanceOf(PluginLoadError);
    expect(error.message).toContain('could not be loaded');
    expect(error.cause).toBeDefined();
  });

  it('refuses a plugin of the wrong kind', async () => {
    const error = await loadPlugin('@acme/fixed', 'search', { configDir, key: 'method' }).catch((e) => e);
    expect(error.message).toBe('The plugin "@acme/fixed" is a pruner plugin, but `method` needs a search plugin.');
  });

  it('rejects unknown and ill-typed options with their key path', async () => {
    const unknown = await loadPlugin(['cycle', { ofset: 1 }], 'search', { configDir, key: 'scheduler.settings' }).catch((e) => e);
    expect(unknown.message).toContain('Key "scheduler.settings.ofset": unknown option');
    const typed = await loadPlugin(['cycle', { offset: 'one' }], 'search', { configDir, key: 'scheduler.settings' }).catch((e) => e);
    expect(typed.message).toContain('Key "scheduler.settings.offset": must be an integer, but got "one"');
    const none = await loadPlugin(['./lib/first-value.mjs', { x: 1 }], 'search', { configDir, key: 'method' }).catch((e) => e);
    expect(none.message).toContain('Key "method.x": the plugin takes no options');
  });
});
