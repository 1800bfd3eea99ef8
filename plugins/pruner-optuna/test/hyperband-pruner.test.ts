import { describe, expect, it } from 'vitest';
import { HyperbandPruner, HyperbandPrunerOptions, SuccessiveHalvingPruner, crc32 } from '../src/index.js';
import { pythonLog } from '../src/python-log.js';
import { trial } from './helpers.js';

const hb = (args: Record<string, unknown>) => new HyperbandPruner(HyperbandPrunerOptions.parse(args));

describe("Optuna's HyperbandPruner brackets", () => {
  it('max_resource 27, reduction_factor 3: 4 brackets with budgets 27, 12, 6, 4', () => {
    expect(hb({ max_resource: 27 }).brackets([])).toEqual({ maxResource: 27, count: 4, budgets: [27, 12, 6, 4], total: 49 });
  });

  it("counts brackets with Python's floats: log(243, 3) is 4.999… there, so 5 brackets, not 6", () => {
    expect(pythonLog(243, 3)).toBe(4.999999999999999);
    expect(hb({ max_resource: 243 }).brackets([])?.count).toBe(5);
  });

  it("max_resource 'auto' is the completed trials' largest last step + 1", () => {
    const pruner = hb({});
    expect(pruner.brackets([trial(0, 'running', { 40: 1 })])).toBeUndefined();
    expect(pruner.brackets([trial(0, 'complete', { 26: 1 }), trial(1, 'pruned', { 90: 1 })])?.maxResource).toBe(27);
    expect(pruner.prune({ trial: trial(0, 'running', [1, 2]), trials: [], direction: 'minimize' })).toMatchObject({
      prune: false,
      info: { reason: "max_resource is 'auto' and no trial has completed yet to estimate it from" },
    });
  });

  it('no bracket when max_resource < min_resource: never prunes', () => {
    const pruner = hb({ min_resource: 5, max_resource: 2 });
    expect(pruner.brackets([])?.count).toBe(0);
    const me = trial(0, 'running', [9, 9, 9, 9, 9, 9]);
    expect(pruner.prune({ trial: me, trials: [me], direction: 'minimize' }).prune).toBe(false);
  });

  it('assigns a trial to a bracket by crc32("<study>_<number>") mod 49, as binascii.crc32 does', () => {
    expect(crc32('')).toBe(0);
    expect(crc32('a')).toBe(3904355907);
    expect(crc32('héllo_3')).toBe(1233182512);
    expect(crc32('optuna-study-abc_0')).toBe(3993578043);
    const pruner = hb({ max_resource: 27 });
    const b = pruner.brackets([])!;
    // Recorded from Optuna 5.0.0 for study "optuna-study-abc", trials 0..7.
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => pruner.bracketOf('optuna-study-abc', n, b))).toEqual([1, 3, 1, 1, 0, 1, 0, 0]);
    // 3993578043 mod 49 = 35: past bracket 0's 27, inside bracket 1's 12.
    expect(3993578043 % 49).toBe(35);
  });

  it('is deterministic and depends on the study name', () => {
    const pruner = hb({ max_resource: 27 });
    const b = pruner.brackets([])!;
    const a1 = Array.from({ length: 50 }, (_, n) => pruner.bracketOf('s', n, b));
    const a2 = Array.from({ length: 50 }, (_, n) => pruner.bracketOf('s', n, b));
    const other = Array.from({ length: 50 }, (_, n) => pruner.bracketOf('t', n, b));
    expect(a1).toEqual(a2);
    expect(other).not.toEqual(a1);
    expect(new Set(a1)).toEqual(new Set([0, 1, 2, 3]));
  });

  it("judges a trial only against its own bracket's trials, with min_early_stopping_rate = bracket", () => {
    const pruner = hb({ max_resource: 27 });
    const b = pruner.brackets([])!;
    const name = 'optuna-study-abc';
    // Trials 4, 6, 7 are in bracket 0 (first rung at step 1); 0, 2, 3, 5 in bracket 1.
    const values = (v: number) => Array.from({ length: 27 }, () => v);
    const trials = [0, 1, 2, 3, 4, 5, 6].map((n) => trial(n, 'complete', values([0, 2, 3, 5].includes(n) ? 0 : 10)));
    const me = trial(7, 'running', [5, 5]);
    const request = { trial: me, trials: [...trials, me], direction: 'minimize' as const, studyName: name };
    expect(pruner.bracketOf(name, 7, b)).toBe(0);
    // In bracket 0 its competitors (4, 6) are at 10: it is the best and goes on.
    expect(pruner.prune(request)).toMatchObject({ prune: false, info: { pruner: 'HyperbandPruner', bracket: 0, brackets: 4, rung: 1 } });
    // Plain successive halving over every trial would prune it (the bracket-1 trials are at 0).
    expect(new SuccessiveHalvingPruner({ min_resource: 1, reduction_factor: 3, min_early_stopping_rate: 0, bootstrap_count: 0 }).prune(request).prune).toBe(true);
    // Trial 5 (bracket 1) is first judged at step 3.
    const five = trial(5, 'running', [50, 50, 50]);
    const inBracket1 = pruner.prune({ trial: five, trials: [...trials.slice(0, 5), five], direction: 'minimize', studyName: name });
    expect(inBracket1).toMatchObject({ prune: false, info: { bracket: 1, rung: 0, rung_step: 3 } });
  });
});
