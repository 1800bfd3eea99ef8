/**
 * The wording of plugin and engine errors, apart from their identity (ESLint's `messages/`). Each
 * template says what went wrong, the likely cause, and the fix.
 */
export const messages = {
  pluginNotFound(d: { kind: string; name: string; key: string; file?: string; looked: string[]; packages: string[] }): string {
    const where = d.file ? ` in ${d.file}` : '';
    const lines = [
      `Cannot find the ${d.kind} plugin "${d.name}" named by \`${d.key}\`${where}.`,
      'Looked for:',
      ...d.looked.map((l) => `  - ${l}`),
    ];
    if (d.packages.length > 0) {
      lines.push(
        `If it is a published plugin, install it next to your sweep config: \`pnpm add ${d.packages[0]}\` (or \`npm install ${d.packages[0]}\`).`,
      );
    }
    lines.push('A plugin in a file is named by a path starting with "./" or "/", relative to the sweep config.');
    return lines.join('\n');
  },
  pluginImportFailed(d: { name: string; file: string; reason: string }): string {
    return `The plugin "${d.name}" was found at ${d.file} but could not be loaded: ${d.reason}`;
  },
  notAPlugin(d: { name: string; file: string }): string {
    return (
      `The module ${d.file} (for "${d.name}") is not a broom plugin: its default export must be the ` +
      'result of `definePlugin({ meta, options, create })` from @broom/core.'
    );
  },
  wrongKind(d: { name: string; expected: string; actual: string; key: string }): string {
    return `The plugin "${d.name}" is a ${d.actual} plugin, but \`${d.key}\` needs a ${d.expected} plugin.`;
  },
  pluginOptions(d: { name: string; key: string; problems: string[] }): string {
    return [`Invalid options for the plugin "${d.name}":`, ...d.problems.map((p) => `  ${p}`)].join('\n');
  },
  customMethod(): string {
    return (
      '`method: custom` has no built-in search: runs are created by an external scheduler named by ' +
      '`scheduler.job`, which `broom next-runs` does not run.'
    );
  },
  searchRefused(d: { method: string; problems: string[] }): string {
    return [`The ${d.method} search cannot run on this config:`, ...d.problems.map((p) => `  - ${p}`)].join('\n');
  },
};
