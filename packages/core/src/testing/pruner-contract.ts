import { describe, expect, it } from 'vitest';
import type { StudyDirection, TrialSnapshot, TrialState } from '../common/plugin/sampler.js';
import type { PruneRequest, PruneVerdict, TrialPruner } from '../common/plugin/trial-pruner.js';
import { createRandom } from '../common/space/random.js';

export interface TrialPrunerContractOptions {
  /**
   * Whether the pruner only compares values with each other (Optuna's percentile, successive
   * halving, hyperband and patient pruners), so that negating every value and flipping the
   * direction gives the same verdict. `false` for pruners with absolute bounds (ThresholdPruner).
   * Default `true`.
   */
  mirrorSymmetric?: boolean;
  /** How many generated studies the property checks run over (default 40). */
  studies?: number;
}

const STATES: readonly TrialState[] = ['complete', 'pruned', 'fail', 'running', 'waiting'];

/** A study generated from a seed: finished and live trials of every state, steps 0..~40, some gaps. */
function makeStudy(seed: number, opts: { nan?: boolean } = {}): PruneRequest {
  const rnd = createRandom(`pruner-contract-${seed}`);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd.next() * (hi - lo + 1));
  const direction: StudyDirection = rnd.next() < 0.5 ? 'minimize' : 'maximize';
  const horizon = int(3, 40);
  const trials: TrialSnapshot[] = [];
  const n = int(0, 14);
  for (let number = 0; number <= n; number++) {
    const judged = number === n;
    const state: TrialState = judged ? 'running' : STATES[int(0, STATES.length - 1)];
    const last = state === 'waiting' ? -1 : state === 'complete' ? horizon : int(-1, horizon);
    const stride = rnd.next() < 0.7 ? 1 : int(2, 4);
    const intermediate: Record<number, number> = {};
    let level = rnd.next() * 10;
    for (let step = 0; step <= last; step += stride) {
      level = level * (0.85 + rnd.next() * 0.2) + rnd.next() - 0.5;
      intermediate[step] = opts.nan && rnd.next() < 0.15 ? Number.NaN : Math.round(level * 1000) / 1000;
    }
    if (last >= 0 && !(last in intermediate)) intermediate[last] = Math.round(level * 1000) / 1000;
    const t: TrialSnapshot = { number, state, params: { x: Math.round(rnd.next() * 100) / 100 } };
    if (Object.keys(intermediate).length > 0) t.intermediate = intermediate;
    if (state === 'complete') t.values = [Object.values(intermediate).at(-1) ?? 0];
    trials.push(t);
  }
  return { trial: trials[trials.length - 1], trials, direction, studyName: `study-${seed % 3}` };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The same request with every value negated and the direction flipped. */
function mirror(request: PruneRequest): PruneRequest {
  const flip = (t: TrialSnapshot): TrialSnapshot => ({
    ...t,
    ...(t.values ? { values: t.values.map((v) => -v) } : {}),
    ...(t.intermediate
      ? { intermediate: Object.fromEntries(Object.entries(t.intermediate).map(([k, v]) => [k, -v])) as Record<number, number> }
      : {}),
  });
  const trials = request.trials.map(flip);
  return {
    ...request,
    trials,
    trial: trials.find((t) => t.number === request.trial.number) ?? flip(request.trial),
    direction: request.direction === 'minimize' ? 'maximize' : 'minimize',
  };
}

function withJudged(request: PruneRequest, trial: TrialSnapshot): PruneRequest {
  return { ...request, trial, trials: request.trials.map((t) => (t.number === trial.number ? trial : t)) };
}

async function judge(pruner: TrialPruner, request: PruneRequest): Promise<PruneVerdict> {
  const verdict = await pruner.prune(request);
  expectPlainVerdict(verdict);
  return verdict;
}

/** Where `value` holds something other than null, booleans, numbers, strings, arrays and plain objects. */
function notPlain(value: unknown, at = 'info'): string | undefined {
  if (value === null || ['boolean', 'number', 'string'].includes(typeof value)) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = notPlain(value[i], `${at}[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))) {
    for (const [k, v] of Object.entries(value)) {
      const bad = notPlain(v, `${at}.${k}`);
      if (bad) return bad;
    }
    return undefined;
  }
  return `${at} is ${typeof value === 'object' ? (value as object).constructor?.name ?? 'an object' : typeof value}`;
}

function expectPlainVerdict(verdict: PruneVerdict): void {
  expect(typeof verdict.prune).toBe('boolean');
  if (verdict.info !== undefined) {
    expect(typeof verdict.info).toBe('object');
    expect(verdict.info).not.toBeNull();
    expect(notPlain(verdict.info), 'a verdict holds only plain data').toBeUndefined();
  }
  const copy = structuredClone(verdict);
  expect(copy).toEqual(verdict);
  expect(Object.keys(copy)).toEqual(Object.keys(verdict));
}

/**
 * The contract every Optuna-style pruner plugin passes (`TrialPruner.prune`): it never prunes a
 * trial that reported nothing, gives the same verdict for the same request (it is stateless), does
 * not touch its input, answers in plain data that crosses a worker boundary, and copes with both
 * directions, NaN values, trials of every state and a study holding only the judged trial.
 */
export function describeTrialPrunerContract(
  name: string,
  makePruner: () => TrialPruner,
  options: TrialPrunerContractOptions = {},
): void {
  const count = options.studies ?? 40;
  const seeds = Array.from({ length: count }, (_, i) => i + 1);

  describe(`${name} trial pruner contract`, () => {
    it('never prunes a trial with no intermediate values', async () => {
      for (const seed of seeds) {
        const request = makeStudy(seed);
        for (const intermediate of [undefined, {}]) {
          const bare: TrialSnapshot = { number: request.trial.number, state: 'running', params: request.trial.params };
          if (intermediate) bare.intermediate = intermediate;
          for (const direction of ['minimize', 'maximize'] as const) {
            const verdict = await judge(makePruner(), { ...withJudged(request, bare), direction });
            expect(verdict.prune, `seed ${seed}, ${direction}`).toBe(false);
          }
        }
      }
    });

    it('is deterministic: the same request gives the same verdict, on the same or a fresh pruner', async () => {
      for (const seed of seeds) {
        const pruner = makePruner();
        const first = await judge(pruner, makeStudy(seed));
        const again = await judge(pruner, makeStudy(seed));
        const fresh = await judge(makePruner(), makeStudy(seed));
        expect(again, `seed ${seed}`).toEqual(first);
        expect(fresh, `seed ${seed}`).toEqual(first);
      }
    });

    it('does not mutate its input', async () => {
      for (const seed of seeds) {
        const request = makeStudy(seed, { nan: seed % 2 === 0 });
        const before = structuredClone(request);
        await judge(makePruner(), deepFreeze(request));
        expect(request).toEqual(before);
      }
    });

    it('answers in plain data (structuredClone gives an equal verdict)', async () => {
      for (const seed of seeds) await judge(makePruner(), makeStudy(seed));
    });

    it('handles both directions', async () => {
      for (const seed of seeds) {
        const request = makeStudy(seed);
        for (const direction of ['minimize', 'maximize'] as const) await judge(makePruner(), { ...request, direction });
        if (options.mirrorSymmetric !== false) {
          const verdict = await judge(makePruner(), request);
          const mirrored = await judge(makePruner(), mirror(request));
          expect(mirrored.prune, `seed ${seed}: negated values with the direction flipped`).toBe(verdict.prune);
        }
      }
    });

    it('handles NaN intermediate values', async () => {
      for (const seed of seeds) {
        const request = makeStudy(seed, { nan: true });
        await judge(makePruner(), request);
        const steps = Object.keys(request.trial.intermediate ?? {}).map(Number);
        if (steps.length > 0) {
          const allNaN: TrialSnapshot = {
            ...request.trial,
            intermediate: Object.fromEntries(steps.map((s) => [s, Number.NaN])) as Record<number, number>,
          };
          await judge(makePruner(), withJudged(request, allNaN));
        }
      }
    });

    it('handles a study with trials of every state', async () => {
      const base = makeStudy(7);
      const trials: TrialSnapshot[] = STATES.map((state, number) => ({
        number,
        state,
        params: {},
        ...(state === 'waiting' ? {} : { intermediate: { 0: number, 1: number + 0.5, 2: number + 0.25 } }),
        ...(state === 'complete' ? { values: [number] } : {}),
      }));
      const trial: TrialSnapshot = { number: trials.length, state: 'running', params: {}, intermediate: { 0: 9, 1: 9, 2: 9 } };
      for (const direction of ['minimize', 'maximize'] as const) {
        await judge(makePruner(), { ...base, trial, trials: [...trials, trial], direction });
      }
    });

    it('handles a study with only the judged trial', async () => {
      for (const seed of seeds) {
        const { trial, direction } = makeStudy(seed);
        await judge(makePruner(), { trial, trials: [trial], direction });
        await judge(makePruner(), { trial, trials: [trial], direction: direction === 'minimize' ? 'maximize' : 'minimize' });
      }
    });
  });
}
