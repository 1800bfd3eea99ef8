import { BroomError, PyFloat, type HyperbandConfig, type SweepConfig } from '@broom/core';

/**
 * One hyperband band: the number of logged metric values at which runs are compared, and that
 * number as Python prints it. The label is exact even past 2^53, where `min_iter·eta^k` with an int
 * `eta` is an exact Python int (3^99 has 48 digits) but only approximately a JS number.
 */
export interface Band {
  iter: number;
  label: string;
}

/** What the pruner needs from `early_terminate`, checked and with W&B's defaults filled in. */
export interface HyperbandSettings {
  bands: Band[];
  eta: number;
  strict: boolean;
}

/** W&B's wording (`hyperband_stopping.py`), kept verbatim so users can search for it. */
export const EMPTY_BANDS_MESSAGE =
  'Bands must be an array of length at least 1. Try increasing s, decreasing eta, or increasing min_iter.';

const DEFAULT_ETA = 3;
/** How many bands W&B's min_iter form computes (`for i in range(100)`). */
const MIN_ITER_BANDS = 100;

function configError(path: string, message: string, data: Record<string, unknown> = {}): BroomError {
  return new BroomError('hyperband-config', message, { path, ...data });
}

/** A config number as W&B's Python sees it: its value, and whether it is an `int` (not a float). */
function readNumber(et: HyperbandConfig, key: 'min_iter' | 'max_iter' | 's' | 'eta'): { value: number; isInt: boolean } | undefined {
  const raw: unknown = et[key];
  if (raw === undefined || raw === null) return undefined;
  if (raw instanceof PyFloat) return { value: raw.value, isInt: false };
  if (typeof raw === 'number' && Number.isFinite(raw)) return { value: raw, isInt: Number.isInteger(raw) };
  throw configError(`early_terminate.${key}`, `Key "early_terminate.${key}": must be a number, but got ${JSON.stringify(raw)}.`);
}

/** `eta`, default 3; W&B needs r = 1/eta in [0, 1], and eta = 1 would index past the sorted values. */
function readEta(et: HyperbandConfig): { value: number; isInt: boolean } {
  const eta = readNumber(et, 'eta') ?? { value: DEFAULT_ETA, isInt: true };
  if (!(eta.value > 1)) {
    throw configError('early_terminate.eta', `Key "early_terminate.eta": must be > 1, but got ${eta.value}.`);
  }
  return eta;
}

/** Python `int(x)` of a float, printed as Python prints the resulting int (every digit). */
function intBand(x: number): Band {
  const iter = Math.trunc(x);
  return { iter, label: BigInt(iter).toString() };
}

/**
 * The bands of W&B's hyperband, in order:
 * - `max_iter` form: b = max_iter; `s` times: b = b / eta, stop once b < 1, keep int(b); sorted ascending.
 * - `min_iter` form: int(min_iter), then times eta, 100 bands (`band *= eta` in a loop, so an int
 *   min_iter and an int eta stay exact ints, and a float eta accumulates rounding as Python's does).
 * `max_iter` wins when both are given. No band at all is W&B's ValueError.
 */
export function computeBands(et: HyperbandConfig): Band[] {
  const eta = readEta(et);
  const maxIter = readNumber(et, 'max_iter');
  const minIter = readNumber(et, 'min_iter');
  let bands: Band[];
  if (maxIter) {
    const s = readNumber(et, 's');
    if (!s) {
      throw configError(
        'early_terminate.s',
        'Key "early_terminate.s": required with `max_iter`. `s` is how many bands hyperband cuts below max_iter ' +
          '(max_iter / eta, max_iter / eta², …), e.g. `max_iter: 27, s: 2` stops runs at 3 and 9 logged values. ' +
          'Or give `min_iter` instead of `max_iter` and `s`.',
      );
    }
    if (!s.isInt) {
      throw configError('early_terminate.s', `Key "early_terminate.s": must be a whole number (a count of bands), but got ${s.value}.`);
    }
    bands = [];
    let band = maxIter.value;
    for (let i = 0; i < s.value; i++) {
      band /= eta.value;
      if (band < 1) break;
      bands.push(intBand(band));
    }
    bands.sort((a, b) => a.iter - b.iter);
  } else if (minIter) {
    if (minIter.value < 1) {
      throw configError('early_terminate.min_iter', `Key "early_terminate.min_iter": must be ≥ 1, but got ${minIter.value}.`);
    }
    bands = minIter.isInt && eta.isInt ? exactBands(minIter.value, eta.value) : floatBands(minIter.value, eta.value);
  } else {
    throw configError(
      'early_terminate',
      'invalid config for hyperband stopping: either "max_iter" or "min_iter" must be specified ' +
        '(e.g. `early_terminate: {type: hyperband, min_iter: 3}` or `{type: hyperband, max_iter: 27, s: 2}`).',
    );
  }
  if (bands.length < 1) throw new BroomError('hyperband-empty-bands', EMPTY_BANDS_MESSAGE, { path: 'early_terminate' });
  return bands;
}

/** int min_iter times int eta: Python ints, exact at any size. */
function exactBands(minIter: number, eta: number): Band[] {
  const bands: Band[] = [];
  let band = BigInt(minIter);
  for (let i = 0; i < MIN_ITER_BANDS; i++) {
    bands.push({ iter: Number(band), label: band.toString() });
    band *= BigInt(eta);
  }
  return bands;
}

function floatBands(minIter: number, eta: number): Band[] {
  const bands: Band[] = [];
  let band = minIter;
  for (let i = 0; i < MIN_ITER_BANDS; i++) {
    if (!Number.isFinite(band)) {
      // Python's int(inf) raises OverflowError here.
      throw configError('early_terminate.eta', `Key "early_terminate.eta": ${eta} is too large: min_iter·eta^${i} overflows a float.`);
    }
    bands.push(intBand(band));
    band *= eta;
  }
  return bands;
}

/**
 * Check the parts of the sweep config hyperband needs (W&B's `hyperband_baseline_validate_and_fill`)
 * and fill the defaults: `eta` 3, `strict` true (the engine's default since sweeps#108). Only a
 * literal `strict: true` (or no `strict`) is strict, as W&B tests `strict is True`.
 */
export function hyperbandSettings(config: SweepConfig): HyperbandSettings {
  const et = config.early_terminate;
  if (!et) {
    throw configError('early_terminate', 'Hyperband stopping requires "early_terminate" section.');
  }
  if (et.type !== 'hyperband') {
    throw configError(
      'early_terminate.type',
      `Sweep config is not configured for hyperband stopping: \`early_terminate.type\` is ${JSON.stringify(et.type)}, expected "hyperband".`,
    );
  }
  if (!config.metric?.name) {
    throw new BroomError(
      'hyperband-no-metric',
      'Hyperband stopping requires "metric" section: `early_terminate` compares runs by the values they log ' +
        'for `metric.name`. Add for example `metric: {name: val_loss, goal: minimize}` to the sweep config.',
      { path: 'metric' },
    );
  }
  return { bands: computeBands(et), eta: readEta(et).value, strict: et.strict === undefined || et.strict === true };
}

/** The band iteration counts for an `early_terminate` block (e.g. `max_iter: 27, s: 2` → `[3, 9]`). */
export function hyperbandBands(earlyTerminate: HyperbandConfig): number[] {
  return computeBands(earlyTerminate).map((b) => b.iter);
}
