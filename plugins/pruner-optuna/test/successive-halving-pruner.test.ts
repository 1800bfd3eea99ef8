import { describe, expect, it } from 'vitest';
import { SuccessiveHalvingPruner, SuccessiveHalvingPrunerOptions, estimateMinResource } from '../src/index.js';
import { study, trial } from './helpers.js';

const sh = (args: Record<string, unknown>) => new SuccessiveHalvingPruner(SuccessiveHalvingPrunerOptions.parse(args));

describe('SuccessiveHalvingPruner rungs and promotion', () => {
  // min_resource 1, reduction_factor 2: rungs end at steps 1, 2, 4, 8, …
  const halving = sh({ min_resource: 1, reduction_factor: 2 });
  const others = [[0, 1], [0, 2], [0, 3]];

  it('does not judge before the first rung', () => {
    expect(halving.prune(study(others, [100]))).toMatchObject({
      prune: false,
      info: { rung: 0, rung_step: 1, reason: 'step 0 is before the first rung, at step 1' },
    });
  });

  it('at a rung, promotes only the best 1/reduction_factor of the values there', () => {
    // Competing at rung 0 (step 1): 1, 2, 3 and the trial's own. 4 values / 2 → the best 2 go on.
    const pruned = halving.prune(study(others, [0, 2.5]));
    expect(pruned).toMatchObject({ prune: true, info: { rung: 0, rung_step: 1, competing: 4, threshold: 2 } });
    expect(pruned.info?.reason).toBe('value 2.5 at rung 0 (step 1) is not among the best 2 of 4 trials there (the 2nd best is 2)');
    expect(halving.prune(study(others, [0, 2]))).toMatchObject({
      prune: false,
      info: { rung: 1, rung_step: 2, reason: 'promoted; the next rung (1) is at step 2' },
    });
  });

  it('maximising promotes the largest values', () => {
    expect(halving.prune(study(others, [0, 2], 'maximize')).prune).toBe(false);
    expect(halving.prune(study(others, [0, 1.5], 'maximize'))).toMatchObject({ prune: true, info: { threshold: 2 } });
  });

  it('with fewer than reduction_factor competitors, promotes only the best so far', () => {
    const four = sh({ min_resource: 1, reduction_factor: 4 });
    expect(four.prune(study([[0, 1]], [0, 1.1])).prune).toBe(true);
    expect(four.prune(study([[0, 1]], [0, 0.9])).prune).toBe(false);
    expect(four.prune(study([], [0, 1e9])).prune).toBe(false);
  });

  it('judges a rung once: a trial between rungs is not judged again', () => {
    // Step 3: rung 1 (step 2) was judged at the report of step 2; rung 2 is at step 4.
    const me = [0, 0, 100, 100];
    expect(halving.prune(study(others.map((o) => [...o, 0.5, 0.5]), me))).toMatchObject({
      prune: false,
      info: { rung: 2, rung_step: 4 },
    });
  });

  it("compares at each rung the values trials had there (their first report at or after the rung's step)", () => {
    // Others reported steps 0 and 3 only: their rung-1 value (step 2) is their value at step 3.
    const gappy = [{ 0: 0, 3: 10 }, { 0: 0, 3: 20 }, { 0: 0, 3: 30 }];
    // Rung 1: 10, 20, 30 and the trial's value; the best 2 of 4 go on.
    expect(halving.prune(study(gappy, { 0: 0, 1: 0, 2: 21 }))).toMatchObject({ prune: true, info: { rung: 1, competing: 4, threshold: 20 } });
    expect(halving.prune(study(gappy, { 0: 0, 1: 0, 2: 20 })).prune).toBe(false);
  });

  it('judges every rung reached at once with the same value, and prunes a NaN value at a rung', () => {
    // Jump from step 0 to 4: rungs 0 (step 1), 1 (step 2) and 2 (step 4) are judged with the value 2.
    // Rung 0: 1, 2, 3 and 2 → passes (best 2 of 4); rung 1: 5, 5, 5 and 2 → passes; rung 2: 1, 1, 1 and 2 → fails.
    const jumping = others.map((o) => [...o, 5, 5, 1]);
    expect(halving.prune(study(jumping, { 0: 0, 4: 2 }))).toMatchObject({ prune: true, info: { rung: 2, rung_step: 4, threshold: 1 } });
    expect(halving.prune(study(jumping, { 0: 0, 4: 1 }))).toMatchObject({ prune: false, info: { rung: 3, rung_step: 8 } });
    expect(halving.prune(study(others, [0, Number.NaN]))).toMatchObject({ prune: true, info: { reason: 'the value at step 1 is NaN' } });
  });

  it('prunes while no more than bootstrap_count trials have reached the rung', () => {
    const boot = sh({ min_resource: 1, reduction_factor: 2, bootstrap_count: 2 });
    expect(boot.prune(study([[0, 5]], [0, 1]))).toMatchObject({ prune: true, info: { competing: 2 } });
    expect(boot.prune(study([[0, 5], [0, 6]], [0, 1])).prune).toBe(false);
  });

  it('starts at min_resource · reduction_factor^min_early_stopping_rate', () => {
    const late = sh({ min_resource: 2, reduction_factor: 3, min_early_stopping_rate: 1 });
    expect(late.prune(study(others, [0, 100, 100, 100, 100, 100])).info).toMatchObject({ rung: 0, rung_step: 6 });
  });

  it("min_resource 'auto' is the completed trials' largest last step / 100, at least 1", () => {
    const long = trial(0, 'complete', { 250: 1 });
    expect(estimateMinResource([long])).toBe(2);
    expect(estimateMinResource([trial(0, 'complete', [1, 2])])).toBe(1);
    expect(estimateMinResource([trial(0, 'running', { 900: 1 })])).toBeUndefined();
    const auto = sh({});
    expect(auto.prune(study([], [0, 1]))).toMatchObject({
      prune: false,
      info: { reason: "min_resource is 'auto' and no trial has completed yet to estimate it from" },
    });
    // min_resource 2, reduction_factor 4: rungs at steps 2, 8, 32.
    const withLong = study([{ 0: 1, 1: 1, 2: 1, 250: 1 }], [5, 5, 5]);
    expect(auto.prune(withLong)).toMatchObject({ prune: true, info: { min_resource: 2, rung: 0, rung_step: 2 } });
  });
});
