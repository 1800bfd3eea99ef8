import { describeSamplerContract } from '@broom/core/testing';
import { TpeSampler } from '../src/index.js';

describeSamplerContract('TPESampler (defaults)', () => new TpeSampler(), { multiObjective: true });
describeSamplerContract('TPESampler (few startup trials)', () => new TpeSampler({ n_startup_trials: 3 }), { multiObjective: true });
describeSamplerContract(
  'TPESampler (multivariate, group, constant liar)',
  () => new TpeSampler({ n_startup_trials: 3, multivariate: true, group: true, constant_liar: true }),
  { multiObjective: true },
);
describeSamplerContract(
  'TPESampler (no prior, no magic clip, endpoints)',
  () => new TpeSampler({ n_startup_trials: 2, consider_prior: false, consider_magic_clip: false, consider_endpoints: true }),
  { multiObjective: true },
);
