import { describe, expect, it } from 'vitest';
import { parseRunArgs, parseSeeds } from '../../src/runner/cli-args.js';

const defaults = { out: '/tmp/out', problems: ['branin', 'curves'] };

describe('cli args', () => {
  it('defaults: all problems, random/grid/bayes, seeds 0-9, budget 100, both modes', () => {
    expect(parseRunArgs([], defaults)).toEqual({
      problems: ['branin', 'curves'],
      methods: ['random', 'grid', 'bayes'],
      seeds: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      budget: 100,
      out: '/tmp/out',
      modes: ['sequential', 'parallel'],
      parallel: 4,
      pruners: ['nopruner', 'hyperband'],
      minIter: 3,
    });
  });

  it('reads the flags, and ignores the `--` pnpm passes through', () => {
    const args = parseRunArgs(
      ['--', '--problems', 'curves', '--methods', 'random,bayes', '--seeds', '0-2,7', '--budget', '20', '--out', 'x', '--modes', 'parallel'],
      defaults,
    );
    expect(args).toMatchObject({ problems: ['curves'], methods: ['random', 'bayes'], seeds: [0, 1, 2, 7], budget: 20, out: 'x', modes: ['parallel'] });
  });

  it('refuses unknown problems, modes, flags and bad numbers', () => {
    expect(() => parseRunArgs(['--problems', 'branni'], defaults)).toThrow(/unknown problem "branni"/);
    expect(() => parseRunArgs(['--modes', 'async'], defaults)).toThrow(/unknown mode/);
    expect(() => parseRunArgs(['--budget', '0'], defaults)).toThrow(/positive integer/);
    expect(() => parseRunArgs(['--seed', '1'], defaults)).toThrow();
  });

  it('seeds: ranges and lists', () => {
    expect(parseSeeds('3')).toEqual([3]);
    expect(parseSeeds('0-2, 5')).toEqual([0, 1, 2, 5]);
    expect(() => parseSeeds('2-1')).toThrow(/empty range/);
    expect(() => parseSeeds('a')).toThrow(/cannot read/);
  });
});
