import type { PruneRequest, TrialSnapshot, TrialState } from '@broom/core';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOptunaPruner, HyperbandPruner, optionsSchemaFor, type OptunaPrunerType } from '../src/index.js';

/**
 * Verdicts recorded from real Optuna (scripts/optuna-golden.py): trials run one after another,
 * should_prune() after every report. Each check is replayed here as the request broom would send
 * at that moment: the earlier trials complete or pruned, the judged one running with its reports so far.
 */
interface Scenario {
  name: string;
  type: OptunaPrunerType;
  args: Record<string, unknown>;
  direction: 'minimize' | 'maximize';
  study_name: string;
  trials: [number, number | null][][];
  checks: { trial: number; step: number; prune: boolean }[];
  pruned: number;
  brackets?: number[];
  budgets?: number[];
  /** Trials ran this many at a time, taking turns to report; absent: one after another. */
  parallel?: number;
}

const golden = JSON.parse(readFileSync(new URL('./fixtures/optuna-golden.json', import.meta.url), 'utf8')) as {
  optuna: string;
  scenarios: Scenario[];
};

function snapshot(number: number, state: TrialState, points: [number, number | null][]): TrialSnapshot {
  const intermediate: Record<number, number> = {};
  for (const [step, value] of points) intermediate[step] = value === null ? Number.NaN : value;
  const t: TrialSnapshot = { number, state, params: {}, intermediate };
  if (state === 'complete') {
    const last = points[points.length - 1][1];
    t.values = [last === null ? 0 : last];
  }
  return t;
}

/** The request at check `index`: one after another, or (parallel) the study rebuilt from the checks before. */
function request(s: Scenario, index: number): PruneRequest {
  const check = s.checks[index];
  let trials: TrialSnapshot[];
  if (s.parallel) {
    const reported = new Map<number, number>();
    const pruned = new Set<number>();
    for (const c of s.checks.slice(0, index + 1)) {
      reported.set(c.trial, (reported.get(c.trial) ?? 0) + 1);
      if (c.prune && c !== check) pruned.add(c.trial);
    }
    trials = [...reported].sort((a, b) => a[0] - b[0]).map(([n, count]) => {
      const points = s.trials[n].slice(0, count);
      const state = pruned.has(n) ? 'pruned' : n !== check.trial && count === s.trials[n].length ? 'complete' : 'running';
      return snapshot(n, state, points);
    });
  } else {
    trials = s.trials.slice(0, check.trial).map((points, n) => {
      const wasPruned = s.checks.some((c) => c.trial === n && c.prune);
      return snapshot(n, wasPruned ? 'pruned' : 'complete', points);
    });
    trials.push(snapshot(check.trial, 'running', s.trials[check.trial].filter(([step]) => step <= check.step)));
  }
  const trial = trials.find((t) => t.number === check.trial)!;
  return { trial, trials, direction: s.direction, studyName: s.study_name };
}

describe(`the verdicts of Optuna ${golden.optuna}`, () => {
  for (const s of golden.scenarios) {
    it(`${s.type}: ${s.name} (${s.checks.length} checks, ${s.pruned} pruned${s.parallel ? `, ${s.parallel} at a time` : ''})`, async () => {
      expect(s.pruned).toBeGreaterThan(0);
      const parsed = optionsSchemaFor(s.type).safeParse(s.args);
      expect(parsed.success).toBe(true);
      const pruner = createOptunaPruner(s.type, parsed.data as Record<string, unknown>);
      const mismatches: string[] = [];
      for (const [index, check] of s.checks.entries()) {
        const verdict = await pruner.prune(request(s, index));
        if (verdict.prune !== check.prune) {
          mismatches.push(`trial ${check.trial} step ${check.step}: Optuna ${check.prune}, broom ${verdict.prune} (${JSON.stringify(verdict.info)})`);
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  for (const s of golden.scenarios.filter((x) => x.brackets)) {
    it(`HyperbandPruner: ${s.name}: every trial lands in Optuna's bracket`, () => {
      const parsed = optionsSchemaFor('HyperbandPruner').safeParse(s.args);
      const pruner = new HyperbandPruner(parsed.data as never);
      const all = s.trials.map((points, n) => snapshot(n, 'complete', points));
      const brackets = pruner.brackets(all)!;
      expect(brackets.budgets).toEqual(s.budgets);
      expect(s.trials.map((_, n) => pruner.bracketOf(s.study_name, n, brackets))).toEqual(s.brackets);
    });
  }
});
