import { BroomError, PyFloat, type HyperbandConfig, type SweepConfig } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { EMPTY_BANDS_MESSAGE, computeBands, hyperbandBands, hyperbandSettings } from '../src/hyperband-bands.js';

const et = (fields: Record<string, unknown>): HyperbandConfig => ({ type: 'hyperband', ...fields }) as HyperbandConfig;

function sweep(early: Record<string, unknown> | undefined, withMetric = true): SweepConfig {
  return {
    method: 'grid',
    parameters: {},
    ...(withMetric ? { metric: { name: 'loss', goal: 'minimize', impute: 'worst', impute_while_running: 'false' } } : {}),
    ...(early ? { early_terminate: et(early) } : {}),
  } as SweepConfig;
}

function thrown(f: () => unknown): BroomError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(BroomError);
    return e as BroomError;
  }
  throw new Error('expected an error');
}

describe('max_iter form', () => {
  it.each([
    [{ max_iter: 27, s: 2, eta: 3 }, [3, 9]], // spec §4
    [{ max_iter: 19, s: 2, eta: 3 }, [2, 6]], // spec §4: 6.33 → 6, 2.11 → 2
    [{ max_iter: 81, s: 3, eta: 3 }, [3, 9, 27]], // W&B test_hyperband_max_iter_bands
    [{ max_iter: 18, s: 2, eta: 3 }, [2, 6]], // W&B test_init_from_max_iter
    [{ max_iter: 5, s: 2, eta: 2 }, [1, 2]], // W&B docstring: 2.5 → 2, 1.25 → 1
    [{ max_iter: 9, s: 5, eta: 3 }, [1, 3]], // stops once b < 1 (9 → 3 → 1 → 0.33)
    [{ max_iter: 27, s: 2 }, [3, 9]], // eta defaults to 3
    [{ max_iter: 100, s: 2, eta: new PyFloat(2) }, [25, 50]], // a float eta
  ])('%j → %j', (fields, bands) => {
    expect(hyperbandBands(et(fields))).toEqual(bands);
  });

  it('wins over min_iter when both are given', () => {
    expect(hyperbandBands(et({ max_iter: 27, s: 2, min_iter: 1, eta: 3 }))).toEqual([3, 9]);
  });

  it('needs s, as a whole number', () => {
    expect(thrown(() => hyperbandBands(et({ max_iter: 27 }))).message).toMatch(/early_terminate\.s.*required with `max_iter`/);
    expect(thrown(() => hyperbandBands(et({ max_iter: 27, s: 1.5 }))).message).toBe(
      'Key "early_terminate.s": must be a whole number (a count of bands), but got 1.5.',
    );
  });
});

describe('min_iter form', () => {
  it('gives 100 bands, min_iter·eta^k', () => {
    const bands = hyperbandBands(et({ min_iter: 3, eta: 3 }));
    expect(bands).toHaveLength(100);
    expect(bands.slice(0, 5)).toEqual([3, 9, 27, 81, 243]);
  });

  it('keeps an int min_iter times an int eta exact, as Python ints', () => {
    const bands = computeBands(et({ min_iter: 3, eta: 3 }));
    expect(bands[99].label).toBe((3n ** 100n).toString());
    expect(bands[99].label).toHaveLength(48);
  });

  it('multiplies a float eta step by step and truncates each band', () => {
    expect(hyperbandBands(et({ min_iter: 1, eta: 2.5 })).slice(0, 6)).toEqual([1, 2, 6, 15, 39, 97]);
    // 1.1^k stays below 2 for a while: Python keeps the repeated bands.
    expect(hyperbandBands(et({ min_iter: 1, eta: 1.1 })).slice(0, 9)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 2]);
  });

  it('refuses min_iter below 1', () => {
    expect(thrown(() => hyperbandBands(et({ min_iter: 0 }))).message).toBe('Key "early_terminate.min_iter": must be ≥ 1, but got 0.');
  });
});

describe('errors', () => {
  it("an empty band list is W&B's ValueError, verbatim", () => {
    for (const fields of [{ max_iter: 2, s: 2, eta: 3 }, { max_iter: 27, s: 0, eta: 3 }]) {
      const e = thrown(() => hyperbandBands(et(fields)));
      expect(e.message).toBe(
        'Bands must be an array of length at least 1. Try increasing s, decreasing eta, or increasing min_iter.',
      );
      expect(e.message).toBe(EMPTY_BANDS_MESSAGE);
      expect(e.code).toBe('hyperband-empty-bands');
    }
  });

  it('needs max_iter or min_iter', () => {
    expect(thrown(() => hyperbandBands(et({ eta: 3 }))).message).toMatch(
      /^invalid config for hyperband stopping: either "max_iter" or "min_iter" must be specified/,
    );
  });

  it('needs eta > 1', () => {
    for (const eta of [1, 0.5, 0, -2]) {
      expect(thrown(() => hyperbandBands(et({ min_iter: 1, eta }))).message).toBe(
        `Key "early_terminate.eta": must be > 1, but got ${eta}.`,
      );
    }
  });

  it('needs a metric, and says so naming early_terminate and metric', () => {
    const e = thrown(() => hyperbandSettings(sweep({ min_iter: 3 }, false)));
    expect(e.code).toBe('hyperband-no-metric');
    expect(e.message).toContain('"metric"');
    expect(e.message).toContain('`early_terminate`');
    expect(e.message).toContain('metric: {name: val_loss, goal: minimize}');
  });

  it('needs an early_terminate block of type hyperband', () => {
    expect(thrown(() => hyperbandSettings(sweep(undefined))).message).toBe(
      'Hyperband stopping requires "early_terminate" section.',
    );
    expect(thrown(() => hyperbandSettings(sweep({ type: 'envelope', min_iter: 3 }))).message).toMatch(
      /not configured for hyperband stopping: `early_terminate.type` is "envelope"/,
    );
  });
});

describe('defaults', () => {
  it('fills eta 3 and strict true when the config fill has not', () => {
    expect(hyperbandSettings(sweep({ min_iter: 1 }))).toMatchObject({ eta: 3, strict: true });
    expect(hyperbandSettings(sweep({ min_iter: 1, strict: true })).strict).toBe(true);
    expect(hyperbandSettings(sweep({ min_iter: 1, strict: false })).strict).toBe(false);
  });
});
