/**
 * @broom/sdk: what a TypeScript or JavaScript training program uses to take part in a broom sweep.
 *
 * ```ts
 * import * as broom from '@broom/sdk';
 * const { config } = broom.init({ lr: 0.01, epochs: 10 });   // the sweep's values win
 * for (let epoch = 0; epoch < config.epochs; epoch++) broom.log({ epoch, val_loss: train(config.lr) });
 * broom.finish();
 * ```
 *
 * It writes the metrics protocol (docs/metrics-protocol.md): one JSON object per line appended to
 * the file the agent names in `BROOM_METRICS_FILE`. No network, no dependencies; outside a sweep the
 * config is the defaults and metrics are printed to standard error.
 */
import { Run } from './run.js';

export { Run, readSweepValues, type Environment } from './run.js';
export { mergeConfig } from './merge-config.js';
export { toJsonLine } from './json-line.js';

let current: Run<unknown> | undefined;

/**
 * Start the run: read the sweep's values for it and merge them over `defaults` (sweep values win,
 * nested objects are merged key by key, as W&B's `config.setdefaults` pattern). Calling it again
 * finishes the previous run first.
 */
export function init<T extends object = Record<string, unknown>>(defaults?: T): Run<T> {
  current?.finish();
  const run = new Run<T>(defaults);
  current = run as Run<unknown>;
  return run;
}

/** The run started by {@link init}, started with no defaults when there is none yet. */
function active(): Run<unknown> {
  current ??= new Run<unknown>(undefined);
  return current;
}

/** Append one history row, e.g. `log({ epoch: 3, val_loss: 0.21 })`. */
export function log(row: Record<string, unknown>): void {
  active().log(row);
}

/** Set summary values of the run. */
export function summary(values: Record<string, unknown>): void {
  active().summary(values);
}

/** Close the run's metrics file. */
export function finish(): void {
  current?.finish();
  current = undefined;
}
