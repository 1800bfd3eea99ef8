import {
  PyFloat,
  metricNumber,
  pyStr,
  type Pruner,
  type PrunerResult,
  type Run,
  type SweepConfig,
} from '@broom/core';
import { hyperbandSettings, type Band } from './hyperband-bands.js';

/** A logged metric value as Python holds it: an int (integral JS number) or a float. */
type PyNumber = number | PyFloat;

/** What W&B stores as a running run's `early_terminate_info`. */
export interface HyperbandInfo {
  [key: string]: unknown;
  lines: string[];
  bands: number[];
  /** Per band; `Infinity` (Python's `np.inf`) when no run has logged that many values yet. */
  thresholds: (number | PyFloat)[];
}

/** `PrunerResult` with the info typed. */
export interface HyperbandResult extends PrunerResult {
  info: Record<string, HyperbandInfo>;
}

const num = (x: PyNumber): number => (x instanceof PyFloat ? x.value : x);

/** Python `-x`: a float stays a float (`-0.0` included), an int 0 stays 0. */
const negate = (x: PyNumber): PyNumber => (x instanceof PyFloat ? new PyFloat(-x.value) : x === 0 ? 0 : -x);

/**
 * The values of the metric that a run logged, in order: the finite numbers only, as
 * `metricHistory` from @broom/core selects them, but keeping whether each was an int or a float
 * (`metricHistory` unboxes), since W&B's info lines print `10` and `10.0` differently.
 * Negated when the goal is maximize, so that lower is always better.
 */
function loggedValues(run: Run, name: string, maximize: boolean): PyNumber[] {
  const out: PyNumber[] = [];
  for (const row of run.history ?? []) {
    const raw = row[name];
    const x = metricNumber(raw);
    if (x === undefined || !Number.isFinite(x)) continue;
    const value: PyNumber = raw instanceof PyFloat ? raw : x;
    out.push(maximize ? negate(value) : value);
  }
  return out;
}

/** Python `min(values)`: the first of the smallest. */
function pyMin(values: PyNumber[]): PyNumber {
  let best = values[0];
  for (const v of values) if (num(v) < num(best)) best = v;
  return best;
}

/**
 * Hyperband early termination as W&B's engine does it (`hyperband_stopping.py`, spec §4). Bands are
 * counts of logged metric values. For each band b, the threshold is the value at rank
 * `int((1/eta)·count)` among the b-th values of every run (any state) that has logged at least b:
 * a run must be in the best 1/eta of the runs that got that far. A running run is judged at the
 * largest band it has reached: strict compares its b-th value, non-strict its best value so far,
 * and it is stopped when that is worse than (greater than, after negating for maximize) the threshold.
 *
 * The info lines are W&B's f-strings, verbatim, including their doubled spaces:
 *   `Bands: 1 = 10, 2 = 8`
 *   `Run: b Step: 2  (Band: 2 Metric: 10 Threshold: 8)  STOP`
 *   `Run: c Step: 3  (Band: 2 Metric: 8 Threshold: 8) `   (kept: a trailing space)
 *   `Run: x Step: 1  `                                    (no band reached yet)
 * Spec §4 abbreviates the run line with single spaces; these follow the source's f-string
 * `f"Run: {run.name} Step: {len(history)} {bandstr} {termstr}"`, where `bandstr` starts with a space
 * and `termstr` is `" STOP"` or empty. Note W&B's order is Band, Metric, Threshold.
 * Numbers print as Python's `str` (`10`, `10.0`, `0.1`, `inf`); for maximize they are negated.
 * W&B copies the info dict shallowly for each run, so every running run's `lines` is the same list:
 * the Bands line and then one line per running run, in input order. broom reproduces that content
 * (each run gets its own copy of the array).
 */
export class HyperbandPruner implements Pruner {
  evaluate(config: SweepConfig, runs: readonly Run[]): HyperbandResult {
    const { bands, eta, strict } = hyperbandSettings(config);
    const metric = config.metric!;
    const maximize = metric.goal === 'maximize';
    const histories = runs.map((run) => loggedValues(run, metric.name, maximize));

    const thresholds = bands.map((band) => threshold(band, histories, eta));
    const lines = [`Bands: ${bands.map((b, i) => `${b.label} = ${pyStr(thresholds[i])}`).join(', ')}`];

    const stop: string[] = [];
    const evaluated: string[] = [];
    runs.forEach((run, r) => {
      if (run.state !== 'running') return;
      const history = histories[r];
      let closest = -1;
      for (let i = 0; i < bands.length; i++) {
        if (bands[i].iter <= history.length) closest = i;
        else break;
      }
      let bandStr = '';
      let termStr = '';
      if (closest !== -1) {
        const band = bands[closest];
        const value = strict ? history[band.iter - 1] : pyMin(history);
        if (num(value) > num(thresholds[closest])) {
          stop.push(run.name);
          termStr = ' STOP';
        }
        bandStr = ` (Band: ${band.label} Metric: ${pyStr(value)} Threshold: ${pyStr(thresholds[closest])})`;
      }
      lines.push(`Run: ${run.name} Step: ${history.length} ${bandStr} ${termStr}`);
      evaluated.push(run.name);
    });

    const info: Record<string, HyperbandInfo> = {};
    for (const name of evaluated) {
      info[name] = { lines: [...lines], bands: bands.map((b) => b.iter), thresholds: [...thresholds] };
    }
    return { stop, info };
  }
}

/**
 * The value a run must not exceed at a band: the b-th values of every run that logged at least b,
 * sorted (stable, as Python's `sorted`), taken at `int(r * count)` with r = 1/eta computed first,
 * exactly as Python rounds it (for eta 3.7 and 37 runs that is index 9, where 37/3.7 would give 10).
 */
function threshold(band: Band, histories: PyNumber[][], eta: number): PyNumber {
  const r = 1.0 / eta;
  const values = histories.filter((h) => h.length >= band.iter).map((h) => h[band.iter - 1]);
  if (values.length === 0) return Number.POSITIVE_INFINITY;
  values.sort((a, b) => num(a) - num(b));
  return values[Math.trunc(r * values.length)];
}
