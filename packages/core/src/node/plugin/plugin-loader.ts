import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PluginContractError, PluginLoadError } from '../../common/errors/broom-error.js';
import { messages } from '../../common/errors/messages.js';
import { BUILTIN_PLUGINS, findBuiltin, packageNamesFor } from '../../common/plugin/builtin-plugins.js';
import {
  isPluginDefinition,
  type PluginDefinition,
  type PluginKind,
  type PluginProducts,
} from '../../common/plugin/define-plugin.js';
import { didYouMean } from '../../common/text/did-you-mean.js';
import { packageEntry, resolvePackageEntry } from './package-resolver.js';

/** How a plugin is named in a sweep config: a name, or `[name, options]` as Vitest reporters are. */
export type PluginRef = string | [string, Record<string, unknown>?];

export interface ResolveOptions {
  /** Directory of the sweep config: paths are relative to it and packages are looked up from it first. */
  configDir?: string;
  /** The config file, for messages. */
  file?: string;
  /** The config key that named the plugin, for messages (`method`, `scheduler.job`). */
  key?: string;
  /** Directories of the host (e.g. the CLI package) whose dependencies hold the built-in plugins. */
  hostDirs?: readonly string[];
}

/** A plugin resolved to a file on the main thread; `url` is what a worker thread imports. */
export interface ResolvedPlugin {
  name: string;
  kind: PluginKind;
  url: string;
  source: 'builtin' | 'path' | 'package';
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Running from TypeScript sources (tsx, vitest): prefer the `source` export condition. */
const fromSource = import.meta.url.endsWith('.ts');
const CONDITIONS = fromSource ? ['source', 'import', 'node'] : ['import', 'node'];

function searchDirs(opts: ResolveOptions): string[] {
  return [...(opts.configDir ? [opts.configDir] : []), ...(opts.hostDirs ?? []), here];
}

/** Resolve a plugin name (alias, path, or package) to a file URL, without importing it. */
export function resolvePlugin(name: string, kind: PluginKind, opts: ResolveOptions = {}): ResolvedPlugin {
  const looked: string[] = [];
  const builtin = findBuiltin(name, kind);
  if (builtin) {
    for (const dir of searchDirs(opts)) {
      const file = resolvePackageEntry(builtin.specifier, dir, CONDITIONS);
      if (file) return { name, kind, url: pathToFileURL(file).href, source: 'builtin' };
    }
    looked.push(`the built-in ${kind} plugin "${name}" (package ${builtin.specifier}), which is not installed`);
  }
  if (name.startsWith('.') || path.isAbsolute(name)) {
    const target = path.resolve(opts.configDir ?? process.cwd(), name);
    const file = existsSync(target) && statSync(target).isDirectory() ? packageEntry(target, CONDITIONS) : target;
    if (file && existsSync(file)) return { name, kind, url: pathToFileURL(file).href, source: 'path' };
    looked.push(`the file ${target}`);
  }
  const packages = name.startsWith('.') || path.isAbsolute(name) ? [] : packageNamesFor(name);
  for (const pkg of packages) {
    for (const dir of searchDirs(opts)) {
      const file = resolvePackageEntry(pkg, dir, CONDITIONS);
      if (file) return { name, kind, url: pathToFileURL(file).href, source: 'package' };
    }
    looked.push(`the package ${pkg} in node_modules above ${searchDirs(opts)[0]}`);
  }
  if (!builtin && !name.startsWith('.') && !path.isAbsolute(name)) {
    const hint = didYouMean(name, builtinAliases(kind));
    if (hint) looked.unshift(`a built-in ${kind} alias (${builtinAliases(kind).join(', ')}): ${hint}`);
    else looked.unshift(`a built-in ${kind} alias: ${builtinAliases(kind).join(', ') || 'none'}`);
  }
  throw new PluginLoadError(
    'plugin-not-found',
    messages.pluginNotFound({ kind, name, key: opts.key ?? kind, file: opts.file, looked, packages }),
    { name, kind, looked },
  );
}

function builtinAliases(kind: PluginKind): string[] {
  return BUILTIN_PLUGINS.filter((b) => b.kind === kind).map((b) => b.alias);
}

/** Import a resolved plugin and check that it is one, of the right kind. */
export async function importPlugin<K extends PluginKind>(
  resolved: ResolvedPlugin & { kind: K },
  key: string = resolved.kind,
): Promise<PluginDefinition<K, unknown>> {
  let mod: { default?: unknown };
  try {
    mod = (await import(resolved.url)) as { default?: unknown };
  } catch (error) {
    throw new PluginLoadError(
      'plugin-import-failed',
      messages.pluginImportFailed({ name: resolved.name, file: fileURLToPath(resolved.url), reason: String((error as Error)?.message ?? error) }),
      { name: resolved.name },
      { cause: error },
    );
  }
  const plugin = mod.default;
  if (!isPluginDefinition(plugin)) {
    throw new PluginContractError('not-a-plugin', messages.notAPlugin({ name: resolved.name, file: fileURLToPath(resolved.url) }), {
      name: resolved.name,
    });
  }
  if (plugin.meta.kind !== resolved.kind) {
    throw new PluginContractError(
      'plugin-wrong-kind',
      messages.wrongKind({ name: resolved.name, expected: resolved.kind, actual: plugin.meta.kind, key }),
      { name: resolved.name },
    );
  }
  return plugin as PluginDefinition<K, unknown>;
}

/** Validate options against the plugin's strict schema and build its product. */
export function instantiatePlugin<K extends PluginKind>(
  plugin: PluginDefinition<K, unknown>,
  options: unknown,
  key: string,
): PluginProducts[K] {
  const given = options ?? {};
  if (!plugin.options) {
    const keys = typeof given === 'object' && given !== null ? Object.keys(given) : ['(not an object)'];
    if (keys.length > 0) {
      throw new PluginContractError(
        'plugin-options',
        messages.pluginOptions({
          name: plugin.meta.name,
          key,
          problems: keys.map((k) => `Key "${key}.${k}": the plugin takes no options`),
        }),
        { name: plugin.meta.name },
      );
    }
    return plugin.create(given as never);
  }
  const parsed = plugin.options.safeParse(given);
  if (!parsed.success) {
    const problems = parsed.error.issues.flatMap((issue) => {
      const at = [key, ...issue.path.map(String)].join('.');
      if (issue.code === 'unrecognized_keys' && issue.keys) {
        return issue.keys.map((k) => `Key "${at}.${k}": unknown option`);
      }
      return [`Key "${at}": ${issue.message}`];
    });
    throw new PluginContractError('plugin-options', messages.pluginOptions({ name: plugin.meta.name, key, problems }), {
      name: plugin.meta.name,
    });
  }
  return plugin.create(parsed.data);
}

/** Resolve, import and instantiate in one step (`[name, options]` or a bare name). */
export async function loadPlugin<K extends PluginKind>(
  ref: PluginRef,
  kind: K,
  opts: ResolveOptions = {},
): Promise<{ resolved: ResolvedPlugin; plugin: PluginDefinition<K, unknown>; product: PluginProducts[K] }> {
  const [name, options] = typeof ref === 'string' ? [ref, undefined] : ref;
  const key = opts.key ?? kind;
  const resolved = resolvePlugin(name, kind, opts) as ResolvedPlugin & { kind: K };
  const plugin = await importPlugin<K>(resolved, key);
  const product = instantiatePlugin(plugin, options, key);
  return { resolved, plugin, product };
}
