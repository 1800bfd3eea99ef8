import { describeSamplerContract } from '@broom/core/testing';
import { GpSampler } from '../src/index.js';

describeSamplerContract('GPSampler (defaults)', () => new GpSampler());
describeSamplerContract('GPSampler (few startup trials)', () => new GpSampler({ n_startup_trials: 3 }));
describeSamplerContract('GPSampler (deterministic objective)', () => new GpSampler({ n_startup_trials: 5, deterministic_objective: true }));
// With a seed the proposal depends on the history only; the startup phase covers the coverage check.
describeSamplerContract('GPSampler (seed)', () => new GpSampler({ seed: 7, n_startup_trials: 300 }), { historyDetermined: true });
