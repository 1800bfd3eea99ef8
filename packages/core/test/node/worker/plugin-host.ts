import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pluginsDir = fileURLToPath(new URL('../../../../../plugins/', import.meta.url));
const coreDir = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * A throw-away host directory whose `node_modules` links core and every workspace plugin, as the server's
 * or the CLI's does: core cannot depend on its plugins (they depend on it), so its tests resolve
 * them through this host. `files` are copied into the host (fixtures that import plugins by name).
 */
export function createPluginHost(files: string[] = []): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'broom-host-'));
  const packages = [coreDir, ...readdirSync(pluginsDir).map((entry) => path.join(pluginsDir, entry))];
  for (const pkgDir of packages) {
    const pkg = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { name: string };
    const link = path.join(dir, 'node_modules', ...pkg.name.split('/'));
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(pkgDir, link, 'dir');
  }
  for (const file of files) cpSync(file, path.join(dir, path.basename(file)));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
