import { createRandom, type SamplerValue, type TrialSnapshot } from '@broom/core';
import { CONTRACT_SPACE, describeSamplerContract, distributionViolation, plainDataViolation } from '@broom/core/testing';
import { describe, expect, it } from 'vitest';
import { HaltonSampler } from '../src/index.js';

/**
 * The Halton sampler takes point n of one sequence for trial n, and the sequence must be the same at
 * every call of a sweep (broom builds a new sampler per call, each with a new stream): once there is
 * a history the stream is not used, by design. The contract's `historyDetermined` mode checks
 * exactly that (and coverage over a growing study).
 */
describeSamplerContract('halton', () => new HaltonSampler(), { historyDetermined: true });

const names = Object.keys(CONTRACT_SPACE);
function check(p: Record<string, SamplerValue> | null): Record<string, SamplerValue> {
  expect(p).not.toBeNull();
  expect(plainDataViolation(p)).toBeNull();
  expect(Object.keys(p!).sort()).toEqual([...names].sort());
  for (const key of names) expect(distributionViolation(CONTRACT_SPACE[key], p![key]), `${key} = ${JSON.stringify(p![key])}`).toBeNull();
  return p!;
}

/** A sequential study of `length` proposals on the contract space, trial i in state `stateOf(i)`. */
function study(sampler: HaltonSampler, length: number, streamSeed: number, stateOf: (i: number) => TrialSnapshot['state'] = () => 'complete') {
  const trials: TrialSnapshot[] = [];
  for (let i = 0; i < length; i++) {
    const p = check(sampler.sample({ space: CONTRACT_SPACE, trials, directions: ['minimize'], random: createRandom(streamSeed * 7919 + i) }));
    const state = stateOf(i);
    trials.push({ number: i, state, params: p, ...(state === 'complete' ? { values: [i % 7] } : {}) });
  }
  return trials;
}

describe('halton: the contract\'s stream check, as it applies to a quasi-random sampler', () => {
  it('on an empty history: the same stream gives the same proposal, other streams other ones', () => {
    const a = new HaltonSampler().sample({ space: CONTRACT_SPACE, trials: [], directions: ['minimize'], random: createRandom(77) });
    const b = new HaltonSampler().sample({ space: CONTRACT_SPACE, trials: [], directions: ['minimize'], random: createRandom(77) });
    expect(b).toEqual(a);
    const others = [1000, 1001, 1002].map((s) => new HaltonSampler().sample({ space: CONTRACT_SPACE, trials: [], directions: ['minimize'], random: createRandom(s) }));
    expect(others.every((o) => JSON.stringify(o) !== JSON.stringify(a))).toBe(true);
  });

  it('with a history: every stream gives the same proposal (one sequence per sweep)', () => {
    const trials = study(new HaltonSampler(), 12, 2);
    const proposals = [5, 6, 7, 8].map((s) => new HaltonSampler().sample({ space: CONTRACT_SPACE, trials, directions: ['minimize'], random: createRandom(s) }));
    for (const p of proposals) expect(p).toEqual(proposals[0]);
  });

  for (const options of [{ seed: 1 }, { seed: 1, scramble: false }]) {
    describe(`with ${JSON.stringify(options)} (proposals depend only on the seed and the history)`, () => {
      it('stays inside the space over a study of any trial states, and draws every choice', () => {
        const states: TrialSnapshot['state'][] = ['complete', 'pruned', 'fail', 'running'];
        const trials = study(new HaltonSampler(options), 120, 3, (i) => states[i % states.length]);
        for (const [name, d] of Object.entries(CONTRACT_SPACE)) {
          const seen = new Set(trials.map((t) => t.params[name]));
          if (d.type === 'categorical') expect(seen.size, `choices of ${name}`).toBe(d.choices.length);
          else if (d.low < d.high) expect(seen.size, `distinct values of ${name}`).toBeGreaterThan(1);
        }
      });

      it('ignores the stream entirely and reproduces a whole study', () => {
        expect(study(new HaltonSampler(options), 30, 4)).toEqual(study(new HaltonSampler(options), 30, 5));
      });
    });
  }
});
