import { describe, expect, it } from 'vitest';
import type {
  SampleRequest,
  SampleResult,
  Sampler,
  SamplerDistribution,
  SamplerSpace,
  SamplerValue,
  StudyDirection,
  TrialSnapshot,
  TrialState,
} from '../common/plugin/sampler.js';
import { createRandom } from '../common/space/random.js';

/** Options of {@link describeSamplerContract}. */
export interface SamplerContractOptions {
  /** The sampler supports several objectives (`directions.length > 1`): test that too. */
  multiObjective?: boolean;
  /** A space to use instead of the built-in one (it should still hold every kind of parameter). */
  space?: SamplerSpace;
  /** Proposals drawn on an empty history to check that every categorical choice comes up (default 200). */
  coverageProposals?: number;
  /** Length of the simulated studies (default 40). */
  studyLength?: number;
  /**
   * The sampler may run out of proposals and return `null` (a finite grid): a `null` then ends a
   * simulated study instead of failing the test. Coverage on an empty history must still hold.
   */
  exhaustible?: boolean;
  /**
   * The sampler's proposal is a function of the history alone (a sequence indexed by trial, a seeded
   * sampler): coverage is then checked over a growing study instead of fresh empty histories, and
   * on a non-empty history the random stream must change nothing (instead of "other streams give
   * other proposals").
   */
  historyDetermined?: boolean;
  /**
   * On a non-empty history the proposal may be the same whatever the stream: a sampler that
   * maximises an acquisition function can reach the same maximum from every stream (from a
   * deterministic warm start such as the best trial). Only "the same stream gives the same
   * proposal" is then checked there; on an empty history other streams must still give other
   * proposals.
   */
  streamMayNotMatterOnHistory?: boolean;
}

/** A sampler returned `null` where a proposal was expected. */
class NothingLeft extends Error {
  constructor() {
    super('the sampler returned null (nothing left to propose) where a proposal was expected');
  }
}

/** A space with every kind of distribution the contract knows. */
export const CONTRACT_SPACE: SamplerSpace = {
  x: { type: 'float', low: -5, high: 5 },
  lr: { type: 'float', low: 1e-5, high: 1e-1, log: true },
  q: { type: 'float', low: 0, high: 2, step: 0.25 },
  n: { type: 'int', low: 1, high: 10 },
  units: { type: 'int', low: 1, high: 1000, log: true },
  s: { type: 'int', low: 0, high: 30, step: 3 },
  c: { type: 'categorical', choices: ['a', 1, true, null, 2.5] },
  only: { type: 'categorical', choices: ['just-this'] },
  fixed: { type: 'float', low: 3, high: 3 },
};

/** Why `value` cannot come from `d`, or null when it can (bounds, type, step grid, choices by identity). */
export function distributionViolation(d: SamplerDistribution, value: SamplerValue | undefined): string | null {
  if (d.type === 'categorical') {
    return d.choices.some((c) => Object.is(c, value)) ? null : `${JSON.stringify(value)} is not one of the choices`;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) return `${JSON.stringify(value)} is not a finite number`;
  if (value < d.low || value > d.high) return `${value} is outside [${d.low}, ${d.high}]`;
  if (d.type === 'int' && !Number.isInteger(value)) return `${value} is not an integer`;
  const step = d.step ?? (d.type === 'int' && !d.log ? 1 : undefined);
  if (step !== undefined) {
    const k = (value - d.low) / step;
    if (Math.abs(k - Math.round(k)) > 1e-6) return `${value} is not on the grid ${d.low} + k·${step}`;
  }
  return null;
}

/** Whether a proposal is plain data: a plain object of strings, finite numbers, booleans and nulls. */
export function plainDataViolation(p: unknown): string | null {
  if (typeof p !== 'object' || p === null) return 'the proposal is not an object';
  const proto = Object.getPrototypeOf(p);
  if (proto !== Object.prototype && proto !== null) return 'the proposal is a class instance, not a plain object';
  for (const [k, v] of Object.entries(p)) {
    if (v === null || typeof v === 'string' || typeof v === 'boolean') continue;
    if (typeof v === 'number' && Number.isFinite(v)) continue;
    return `${k} = ${String(v)} (${typeof v}) is not plain data`;
  }
  return null;
}

/** A deterministic objective over the contract space (smaller is better in the first value). */
function objective(p: Record<string, SamplerValue>, k = 0): number {
  let v = 0;
  for (const [name, x] of Object.entries(p)) {
    if (typeof x === 'number') v += ((Math.sin(x * (1.3 + k) + name.length) + 1) * (name.length + 1)) / 3;
    else v += String(x).length * (k + 1) * 0.1;
  }
  return v;
}

function trial(number: number, state: TrialState, params: Record<string, SamplerValue>, extra: Partial<TrialSnapshot> = {}): TrialSnapshot {
  return { number, state, params, ...extra };
}

/**
 * The contract every sampler plugin passes, in one line:
 * `describeSamplerContract('tpe', () => new TpeSampler())`. It checks that proposals cover the
 * space and stay inside it (types, bounds, steps, log ranges, categorical choices by identity),
 * are reproducible from the random stream and vary with it, work with an empty history and with
 * failed, running and pruned trials (and several objectives when the sampler says it supports
 * them), and are plain data that cross a worker boundary unchanged.
 */
export function describeSamplerContract(name: string, makeSampler: () => Sampler, opts: SamplerContractOptions = {}): void {
  const space = opts.space ?? CONTRACT_SPACE;
  const names = Object.keys(space);
  const studyLength = opts.studyLength ?? 40;

  async function propose(
    sampler: Sampler,
    request: Omit<SampleRequest, 'space'> & { space?: SamplerSpace },
  ): Promise<Record<string, SamplerValue>> {
    const p: SampleResult = await sampler.sample({ space, ...request });
    if (p === null) throw new NothingLeft();
    return p;
  }

  function check(p: Record<string, SamplerValue>): void {
    expect(plainDataViolation(p)).toBeNull();
    expect(Object.keys(p).sort()).toEqual([...names].sort());
    for (const key of names) expect(distributionViolation(space[key], p[key]), `${key} = ${JSON.stringify(p[key])}`).toBeNull();
  }

  /** A sequential study: each proposal runs and completes (or fails/prunes, by `stateOf`) before the next. */
  async function study(
    seed: number,
    directions: StudyDirection[],
    stateOf: (i: number) => TrialState = () => 'complete',
  ): Promise<{ trials: TrialSnapshot[]; proposals: Record<string, SamplerValue>[] }> {
    const sampler = makeSampler();
    const trials: TrialSnapshot[] = [];
    const proposals: Record<string, SamplerValue>[] = [];
    for (let i = 0; i < studyLength; i++) {
      let p: Record<string, SamplerValue>;
      try {
        p = await propose(sampler, { trials, directions, random: createRandom(seed * 100_003 + i) });
      } catch (e) {
        if (e instanceof NothingLeft && opts.exhaustible && i > 0) break;
        throw e;
      }
      proposals.push(p);
      const state = stateOf(i);
      const values = directions.map((_, k) => objective(p, k));
      if (state === 'complete') trials.push(trial(i, state, p, { values }));
      else if (state === 'pruned') trials.push(trial(i, state, p, { intermediate: { 0: values[0] * 2, 1: values[0] } }));
      else trials.push(trial(i, state, p));
    }
    return { trials, proposals };
  }

  describe(`${name} sampler contract`, () => {
    it('covers the space on an empty history: every parameter inside its distribution, every choice drawn', async () => {
      const sampler = makeSampler();
      const seen = new Map<string, Set<SamplerValue>>(names.map((n) => [n, new Set()]));
      const grown: TrialSnapshot[] = [];
      for (let i = 0; i < (opts.coverageProposals ?? 200); i++) {
        const history = opts.historyDetermined ? grown : [];
        let p: Record<string, SamplerValue>;
        try {
          p = await propose(sampler, { trials: history, directions: ['minimize'], random: createRandom(i) });
        } catch (e) {
          if (e instanceof NothingLeft && opts.exhaustible && opts.historyDetermined && i > 0) break;
          throw e;
        }
        check(p);
        for (const n of names) seen.get(n)!.add(p[n]);
        if (opts.historyDetermined) grown.push(trial(i, 'complete', p, { values: [objective(p, 0)] }));
      }
      for (const [n, d] of Object.entries(space)) {
        if (d.type === 'categorical') expect(seen.get(n)!.size, `choices of ${n} drawn`).toBe(d.choices.length);
        else if (d.low < d.high) expect(seen.get(n)!.size, `distinct values of ${n}`).toBeGreaterThan(1);
      }
    });

    it('keeps every proposal of a study inside the space (types, bounds, steps, log ranges)', async () => {
      const { proposals } = await study(1, ['minimize']);
      proposals.forEach(check);
    });

    it(opts.historyDetermined ? 'the same request gives the same proposal, whatever the random stream once there is a history' : 'the same request and random stream give the same proposal; other streams give other ones', async () => {
      const { trials } = await study(2, ['minimize']);
      // A finite sampler may have used up its space by the end of the study: take an early history.
      for (const history of [[], opts.exhaustible ? trials.slice(0, 3) : trials]) {
        const a = await propose(makeSampler(), { trials: history, directions: ['minimize'], random: createRandom(77) });
        const b = await propose(makeSampler(), { trials: history, directions: ['minimize'], random: createRandom(77) });
        expect(b).toEqual(a);
        const others = [];
        for (let s = 0; s < 5; s++) others.push(await propose(makeSampler(), { trials: history, directions: ['minimize'], random: createRandom(1000 + s) }));
        if (opts.historyDetermined && history.length > 0) {
          for (const o of others) expect(o, 'a history-determined sampler ignores the stream').toEqual(a);
        } else if (!opts.historyDetermined && !(opts.streamMayNotMatterOnHistory && history.length > 0)) {
          expect(others.some((o) => JSON.stringify(o) !== JSON.stringify(a))).toBe(true);
        }
      }
    });

    it('reproduces a whole study from the seeds', async () => {
      const a = await study(3, ['maximize']);
      const b = await study(3, ['maximize']);
      expect(b.proposals).toEqual(a.proposals);
    });

    it('works when every earlier trial failed', async () => {
      const { proposals } = await study(4, ['minimize'], () => 'fail');
      proposals.forEach(check);
    });

    it('works with running trials (proposals made earlier and not finished)', async () => {
      const { trials } = await study(5, ['minimize']);
      const history = [...trials];
      for (let i = 0; i < 8; i++) {
        let p: Record<string, SamplerValue>;
        try {
          p = await propose(makeSampler(), { trials: history, directions: ['minimize'], random: createRandom(500 + i) });
        } catch (e) {
          if (e instanceof NothingLeft && opts.exhaustible) break;
          throw e;
        }
        check(p);
        history.push(trial(history.length, 'running', p));
      }
    });

    it('works with pruned trials (with and without intermediate values) and a mix of states', async () => {
      const states: TrialState[] = ['complete', 'pruned', 'fail', 'complete', 'pruned'];
      const { proposals, trials } = await study(6, ['minimize'], (i) => states[i % states.length]);
      proposals.forEach(check);
      const bare = trials.map((t) => (t.state === 'pruned' && t.number % 2 === 0 ? { ...t, intermediate: {} } : t));
      const result = await makeSampler().sample({ space, trials: bare, directions: ['minimize'], random: createRandom(9) });
      if (result !== null || !opts.exhaustible) check(result as Record<string, SamplerValue>);
    });

    it('returns plain data: structuredClone and JSON give an equal object', async () => {
      const { proposals } = await study(7, ['minimize']);
      for (const p of proposals) {
        expect(plainDataViolation(p)).toBeNull();
        expect(structuredClone(p)).toEqual(p);
        expect(JSON.parse(JSON.stringify(p))).toEqual(p);
      }
    });

    if (opts.multiObjective) {
      it('supports several objectives: proposals inside the space, reproducible', async () => {
        const a = await study(8, ['minimize', 'maximize']);
        a.proposals.forEach(check);
        const b = await study(8, ['minimize', 'maximize']);
        expect(b.proposals).toEqual(a.proposals);
        const three = await study(9, ['minimize', 'minimize', 'maximize']);
        three.proposals.forEach(check);
      });
    }
  });
}
