import { BroomError, type LaunchSpec } from '@broom/core';

/** Quote one word for bash: bare when it is plainly safe, else in single quotes (`'` as `'\''`). */
export function shellQuote(word: string): string {
  if (word === '') return "''";
  if (/^[A-Za-z0-9_\/.,:=+@%-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line, quoted for bash. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}

/**
 * A path for sbatch's `--output`: sbatch replaces `%j`, `%x`, … in it, and `%%` stands for `%`; a path
 * with a backslash is taken literally by sbatch, so it is left alone.
 */
export function slurmFilename(file: string): string {
  return file.includes('\\') ? file : file.replace(/%/g, '%%');
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The variables the script must export itself: those of `spec.env` that sbatch does not already
 * carry from `base` (the environment sbatch runs with, which `--export=ALL`, sbatch's default,
 * hands to the job). SLURM's own variables (`SLURM_*`) are left to SLURM.
 */
export function scriptExports(env: Record<string, string>, base: Record<string, string | undefined>): [string, string][] {
  return Object.entries(env).filter(([name, value]) => base[name] !== value && !name.startsWith('SLURM_'));
}

/**
 * The batch script for one queue item: `cd` to the item's directory, export the item's own
 * variables, and `exec` its command, so the program is the batch step's process (its exit code is
 * the job's, and the signals of `scancel` reach it). The rest of the environment reaches the job
 * through sbatch (`--export=ALL`); exporting the item's variables in the script as well keeps them
 * on clusters that set `SBATCH_EXPORT=NONE`. `base` is the environment sbatch runs with.
 */
export function batchScript(spec: LaunchSpec, sbatchArgv: readonly string[] = [], base: Record<string, string | undefined> = {}): string {
  if (spec.command.length === 0 || spec.command[0] === '') {
    throw new BroomError('slurm-launch-spec', `Queue item ${spec.itemId}: the command to run is empty.`, { itemId: spec.itemId });
  }
  const bad = Object.keys(spec.env).filter((name) => !ENV_NAME.test(name));
  if (bad.length > 0) {
    throw new BroomError(
      'slurm-launch-spec',
      `Queue item ${spec.itemId}: environment variable names must be letters, digits and "_" (not starting with a digit), but got ${bad
        .map((b) => JSON.stringify(b))
        .join(', ')}.`,
      { itemId: spec.itemId, names: bad },
    );
  }
  const lines = [
    '#!/bin/bash',
    `# broom launch item ${oneLine(spec.itemId)}, written by @broom/resource-slurm.`,
    ...(sbatchArgv.length > 0 ? [`# Submitted as: ${oneLine(shellJoin(sbatchArgv))}`] : []),
    `cd -- ${shellQuote(spec.cwd)} || exit 1`,
    ...scriptExports(spec.env, base).map(([name, value]) => `export ${name}=${shellQuote(value)}`),
    `exec -- ${shellJoin(spec.command)}`,
    '',
  ];
  return lines.join('\n');
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}
