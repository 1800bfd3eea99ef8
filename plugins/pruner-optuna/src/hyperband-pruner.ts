import type { PruneRequest, PruneVerdict, TrialSnapshot } from '@broom/core';
import { crc32 } from './crc32.js';
import type { HyperbandPrunerOptions } from './options.js';
import { pythonLog } from './python-log.js';
import { lastStep } from './steps.js';
import { successiveHalving, type CheckGate, type GatedTrialPruner } from './successive-halving-pruner.js';

/** The brackets Optuna's HyperbandPruner builds for a given maximum resource. */
export interface HyperbandBrackets {
  maxResource: number;
  /** `floor(log_eta(max_resource / min_resource)) + 1`; 0 when max_resource < min_resource. */
  count: number;
  /** Each bracket's share of the trials: `ceil(count · eta^s / (s + 1))` with `s = count - 1 - id`. */
  budgets: number[];
  total: number;
}

/**
 * Optuna's `HyperbandPruner`: several successive-halving pruners ("brackets") that differ in how
 * early they start judging (bracket b uses `min_early_stopping_rate = b`). Each trial belongs to one
 * bracket, picked by `crc32("<study name>_<trial number>") mod total budget` walked over the
 * brackets' budgets, and competes only with the trials of its own bracket.
 *
 * `max_resource: 'auto'` is the largest last step of the completed trials + 1; until a trial has
 * completed nothing is pruned. Optuna fixes it (and the brackets) at the first check after a trial
 * completes; broom, keeping no state, reads it from the completed trials at every check, which is
 * the same as long as complete trials all run the same number of steps.
 */
export class HyperbandPruner implements GatedTrialPruner {
  readonly options: Readonly<HyperbandPrunerOptions>;

  constructor(options: HyperbandPrunerOptions) {
    this.options = { ...options };
  }

  /** The brackets, or undefined while `max_resource: 'auto'` has no completed trial to go by. */
  brackets(trials: readonly TrialSnapshot[]): HyperbandBrackets | undefined {
    let maxResource: number;
    if (this.options.max_resource === 'auto') {
      const steps = trials.filter((t) => t.state === 'complete').map(lastStep).filter((s): s is number => s !== undefined);
      if (steps.length === 0) return undefined;
      maxResource = Math.max(...steps) + 1;
    } else {
      maxResource = this.options.max_resource;
    }
    const eta = this.options.reduction_factor;
    // floor(math.log(max_resource / min_resource, eta)) + 1, with Python's float results (243, 3 → 5).
    const count = Math.max(Math.floor(pythonLog(maxResource / this.options.min_resource, eta)) + 1, 0);
    const budgets: number[] = [];
    for (let id = 0; id < count; id++) {
      const s = count - 1 - id;
      budgets.push(Math.ceil((count * eta ** s) / (s + 1)));
    }
    return { maxResource, count, budgets, total: budgets.reduce((a, b) => a + b, 0) };
  }

  /** The bracket of trial `number` in the study `studyName`, as Optuna's `_get_bracket_id`. */
  bracketOf(studyName: string, number: number, brackets: HyperbandBrackets): number {
    let n = crc32(`${studyName}_${number}`) % brackets.total;
    for (let id = 0; id < brackets.count; id++) {
      n -= brackets.budgets[id];
      if (n < 0) return id;
    }
    throw new Error(`HyperbandPruner: no bracket for trial ${number} (budgets ${brackets.budgets.join(', ')})`);
  }

  prune(request: PruneRequest): PruneVerdict {
    return this.pruneGated(request, undefined);
  }

  pruneGated({ trial, trials, direction, studyName = '' }: PruneRequest, gate: CheckGate | undefined): PruneVerdict {
    const brackets = this.brackets(trials);
    if (!brackets) {
      return {
        prune: false,
        info: { pruner: 'HyperbandPruner', reason: "max_resource is 'auto' and no trial has completed yet to estimate it from" },
      };
    }
    const base = { pruner: 'HyperbandPruner', max_resource: brackets.maxResource, brackets: brackets.count };
    if (brackets.count === 0) {
      return {
        prune: false,
        info: { ...base, reason: `max_resource ${brackets.maxResource} is below min_resource ${this.options.min_resource}: no bracket` },
      };
    }
    const bracket = this.bracketOf(studyName, trial.number, brackets);
    const inBracket = trials.filter((t) => this.bracketOf(studyName, t.number, brackets) === bracket);
    return successiveHalving(
      {
        min_resource: this.options.min_resource,
        reduction_factor: this.options.reduction_factor,
        min_early_stopping_rate: bracket,
        bootstrap_count: this.options.bootstrap_count,
      },
      trial,
      inBracket,
      direction,
      { ...base, bracket },
      gate,
    );
  }
}
