import {
  BUILTIN_PLUGINS,
  PyFloat,
  importPlugin,
  instantiatePlugin,
  isPluginDefinition,
  isTrialPruner,
  loadPlugin,
  resolvePlugin,
} from '@broom/core';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import root, { MedianPruner, PercentilePruner } from '../src/index.js';

/** The CLI package: its dependencies hold the built-in plugins, as when `broom` runs. */
const cliDir = fileURLToPath(new URL('../../../packages/cli', import.meta.url));
const here = path.dirname(fileURLToPath(import.meta.url));
const ALIASES = ['MedianPruner', 'PercentilePruner', 'SuccessiveHalvingPruner', 'HyperbandPruner', 'ThresholdPruner', 'PatientPruner', 'NopPruner'];
const REQUIRED: Record<string, Record<string, unknown>> = {
  PercentilePruner: { percentile: 25 },
  ThresholdPruner: { upper: 1 },
  PatientPruner: { wrapped_pruner: null, patience: 3 },
};

describe('the built-in Optuna pruner aliases', () => {
  it("are registered in core under Optuna's class names, as subpaths of @broom/pruner-optuna", () => {
    const registered = BUILTIN_PLUGINS.filter((b) => b.kind === 'pruner' && b.specifier.startsWith('@broom/pruner-optuna/'));
    expect(registered.map((b) => b.alias).sort()).toEqual([...ALIASES].sort());
    // W&B's early_terminate alias stays with its own package.
    expect(BUILTIN_PLUGINS.find((b) => b.alias === 'hyperband')?.specifier).toBe('@broom/pruner-hyperband');
  });

  for (const alias of ALIASES) {
    it(`${alias} resolves from the CLI, imports, and builds a trial pruner from Optuna's args`, async () => {
      const resolved = resolvePlugin(alias, 'pruner', { hostDirs: [cliDir] });
      expect(resolved.source).toBe('builtin');
      expect(realpathSync(fileURLToPath(resolved.url)).startsWith(realpathSync(path.resolve(here, '../src/plugins')))).toBe(true);
      const plugin = await importPlugin(resolved);
      expect(plugin.meta).toMatchObject({ alias, kind: 'pruner', name: expect.stringMatching(/^@broom\/pruner-optuna\//) });
      const pruner = instantiatePlugin(plugin, REQUIRED[alias] ?? {}, 'scheduler.settings.pruner.args');
      expect(isTrialPruner(pruner)).toBe(true);
      const me = { number: 0, state: 'running' as const, params: {}, intermediate: { 0: 1 } };
      const verdict = await (pruner as { prune: (r: unknown) => unknown }).prune({ trial: me, trials: [me], direction: 'minimize' });
      expect(verdict).toMatchObject({ prune: expect.any(Boolean), info: { reason: expect.any(String) } });
    });
  }

  it("takes W&B's documented example as written: {type: PercentilePruner, args: {percentile: 25.0, n_warmup_steps: 10}}", async () => {
    const { product } = await loadPlugin(['PercentilePruner', { percentile: new PyFloat(25), n_warmup_steps: 10 }], 'pruner', {
      hostDirs: [cliDir],
    });
    expect(product).toBeInstanceOf(PercentilePruner);
    expect((product as PercentilePruner).options).toEqual({ percentile: 25, n_startup_trials: 5, n_warmup_steps: 10, interval_steps: 1, n_min_trials: 1 });
  });

  it("rejects bad args with Optuna's messages, at the config key", async () => {
    const percentile = await importPlugin(resolvePlugin('PercentilePruner', 'pruner', { hostDirs: [cliDir] }));
    const key = 'scheduler.settings.pruner.args';
    expect(() => instantiatePlugin(percentile, { percentile: 140, n_startup_trails: 3 }, key)).toThrow(
      [
        'Invalid options for the plugin "@broom/pruner-optuna/percentile":',
        '  Key "scheduler.settings.pruner.args.percentile": Percentile must be between 0 and 100 inclusive but got 140.',
        '  Key "scheduler.settings.pruner.args.n_startup_trails": unknown option',
      ].join('\n'),
    );
    expect(() => instantiatePlugin(percentile, {}, key)).toThrow(
      'Key "scheduler.settings.pruner.args.percentile": is required: PercentilePruner has no default percentile (e.g. 25.0 keeps the best quarter)',
    );
    const sh = await importPlugin(resolvePlugin('SuccessiveHalvingPruner', 'pruner', { hostDirs: [cliDir] }));
    expect(() => instantiatePlugin(sh, { reduction_factor: 1 }, key)).toThrow(
      'Key "scheduler.settings.pruner.args.reduction_factor": The value of `reduction_factor` is 1, but must be `reduction_factor >= 2`',
    );
    const patient = await importPlugin(resolvePlugin('PatientPruner', 'pruner', { hostDirs: [cliDir] }));
    expect(() => instantiatePlugin(patient, { wrapped_pruner: { type: 'MedianPruner', args: { percentile: 10 } }, patience: 1 }, key)).toThrow(
      'Key "scheduler.settings.pruner.args.wrapped_pruner.args.percentile": unknown option',
    );
    expect(() => instantiatePlugin(patient, { patience: 1 }, key)).toThrow(
      'Key "scheduler.settings.pruner.args.wrapped_pruner": is required: the {type, args} of the pruner to consult once the trial stops improving, or null',
    );
    const threshold = await importPlugin(resolvePlugin('ThresholdPruner', 'pruner', { hostDirs: [cliDir] }));
    expect(() => instantiatePlugin(threshold, {}, key)).toThrow('Key "scheduler.settings.pruner.args": Either lower or upper must be specified.');
    const nop = await importPlugin(resolvePlugin('NopPruner', 'pruner', { hostDirs: [cliDir] }));
    expect(() => instantiatePlugin(nop, { x: 1 }, key)).toThrow('Key "scheduler.settings.pruner.args.x": unknown option');
  });

  it('the package root default-exports MedianPruner, Optuna\'s default pruner', () => {
    expect(isPluginDefinition(root)).toBe(true);
    expect(root.meta.alias).toBe('MedianPruner');
    expect(root.create({ n_startup_trials: 5, n_warmup_steps: 0, interval_steps: 1, n_min_trials: 1 })).toBeInstanceOf(MedianPruner);
  });
});
