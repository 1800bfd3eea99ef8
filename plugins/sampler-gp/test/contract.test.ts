import { describeSamplerContract } from '@broom/core/testing';
import { GpSampler } from '../src/index.js';

// Once there is a history the proposal is the acquisition function's maximum, which is often found
// from the best trial (a deterministic warm start) whatever the stream: the contract checks that the
// same stream gives the same proposal there, and that other streams give other ones on an empty history.
const gp = { streamMayNotMatterOnHistory: true };
describeSamplerContract('GPSampler (defaults)', () => new GpSampler(), gp);
describeSamplerContract('GPSampler (few startup trials)', () => new GpSampler({ n_startup_trials: 3 }), gp);
describeSamplerContract('GPSampler (deterministic objective)', () => new GpSampler({ n_startup_trials: 5, deterministic_objective: true }), gp);
// With a seed the proposal depends on the history only; the startup phase covers the coverage check.
describeSamplerContract('GPSampler (seed)', () => new GpSampler({ seed: 7, n_startup_trials: 300 }), { historyDetermined: true });
