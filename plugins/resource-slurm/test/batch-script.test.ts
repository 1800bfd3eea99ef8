import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { batchScript, scriptExports, shellJoin, shellQuote, slurmFilename } from '../src/batch-script.js';

/** Words that break naive quoting. */
const TRICKY = [
  'plain',
  'two words',
  "it's",
  '"double"',
  `mixed 'single' and "double"`,
  '$HOME',
  '`id`',
  '$(id)',
  'back\\slash',
  'new\nline',
  '',
  '*',
  '-n',
  '--lr=0.1',
  'héllo ✓',
  '!bang',
  ';&|<>',
];

describe('shellQuote', () => {
  it('leaves plain words bare and single-quotes the rest', () => {
    expect(shellQuote('--lr=0.1')).toBe('--lr=0.1');
    expect(shellQuote('/usr/bin/python3')).toBe('/usr/bin/python3');
    expect(shellQuote('two words')).toBe("'two words'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote('$HOME')).toBe("'$HOME'");
    expect(shellJoin(['echo', 'a b', "c'd"])).toBe("echo 'a b' 'c'\\''d'");
  });

  it('round-trips every tricky word through a real bash', () => {
    const r = spawnSync('bash', ['-c', `printf '%s\\0' ${shellJoin(TRICKY)}`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(TRICKY);
  });
});

describe('batchScript', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'broom-slurm-script-'));
  const program = 'process.stdout.write(JSON.stringify({ argv: process.argv.slice(1), cwd: process.cwd(), a: process.env.BROOM_A, b: process.env.BROOM_B }))';

  it('runs the command in the directory with the environment, every argument intact', () => {
    const script = batchScript(
      {
        itemId: 'item-1',
        command: [process.execPath, '-e', program, ...TRICKY],
        env: { BROOM_A: `a 'quoted' "value" $HOME`, BROOM_B: 'line1\nline2' },
        cwd: dir,
        logFile: path.join(dir, 'run.log'),
        resourceArgs: {},
      },
      ['sbatch', '--job-name=my job', 'x.sbatch'],
    );
    const file = path.join(dir, 'job.sbatch');
    writeFileSync(file, script);
    // Run from elsewhere: the script must cd itself.
    const r = spawnSync('bash', [file], { encoding: 'utf8', cwd: tmpdir() });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ argv: TRICKY, cwd: dir, a: `a 'quoted' "value" $HOME`, b: 'line1\nline2' });
  });

  it('starts with a shebang, names the item and the sbatch command on comment lines, and execs the program', () => {
    const script = batchScript(
      { itemId: 'q\nx', command: ['python', 'train.py', '--lr=0.1'], env: { K: 'v' }, cwd: '/work dir', logFile: '/l', resourceArgs: {} },
      ['sbatch', '--job-name=a b'],
    );
    expect(script).toBe(
      [
        '#!/bin/bash',
        '# broom launch item q x, written by @broom/resource-slurm.',
        "# Submitted as: sbatch '--job-name=a b'",
        "cd -- '/work dir' || exit 1",
        'export K=v',
        'exec -- python train.py --lr=0.1',
        '',
      ].join('\n'),
    );
  });

  it('exports only what the item adds to the environment sbatch carries, and never SLURM_* variables', () => {
    const base = { PATH: '/usr/bin', HOME: '/root', BROOM_URL: 'http://old' };
    const env = { PATH: '/usr/bin', HOME: '/root', BROOM_URL: 'http://new', BROOM_RUN_ID: 'r1', SLURM_JOB_ID: '12' };
    expect(scriptExports(env, base)).toEqual([
      ['BROOM_URL', 'http://new'],
      ['BROOM_RUN_ID', 'r1'],
    ]);
    const script = batchScript({ itemId: 'i', command: ['true'], env, cwd: '/', logFile: '/l', resourceArgs: {} }, [], base);
    expect(script.split('\n').filter((l) => l.startsWith('export '))).toEqual(["export BROOM_URL=http://new", 'export BROOM_RUN_ID=r1']);
  });

  it('exits 1 with bash\'s message when the directory is missing', () => {
    const file = path.join(dir, 'missing.sbatch');
    writeFileSync(file, batchScript({ itemId: 'i', command: ['true'], env: {}, cwd: path.join(dir, 'nope'), logFile: '/l', resourceArgs: {} }));
    const r = spawnSync('bash', [file], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nope: No such file or directory/);
  });

  it('refuses an empty command and environment names bash cannot export', () => {
    const base = { itemId: 'i7', env: {}, cwd: '/', logFile: '/l', resourceArgs: {} };
    expect(() => batchScript({ ...base, command: [] })).toThrow('Queue item i7: the command to run is empty.');
    expect(() => batchScript({ ...base, command: ['x'], env: { 'A-B': '1', '1X': '2', OK: '3' } })).toThrow(
      'Queue item i7: environment variable names must be letters, digits and "_" (not starting with a digit), but got "A-B", "1X".',
    );
  });
});

describe('slurmFilename', () => {
  it('doubles % so sbatch writes the path as given, unless a backslash already makes it literal', () => {
    expect(slurmFilename('/logs/run.log')).toBe('/logs/run.log');
    expect(slurmFilename('/logs/100%/run-%j.log')).toBe('/logs/100%%/run-%%j.log');
    expect(slurmFilename('/logs/a\\b%j.log')).toBe('/logs/a\\b%j.log');
  });
});
