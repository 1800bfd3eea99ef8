import {
  createRandom,
  deriveSeed,
  type Random,
  type SampleRequest,
  type Sampler,
  type SamplerValue,
  type TrialSnapshot,
} from '@broom/core';
import { fitKernelParams, GPRegressor, MINIMUM_NOISE_VAR, type KernelParams } from './gp.js';
import { GpSamplerOptions, type GpSamplerInput } from './gp-options.schema.js';
import { LogEiAcquisition, optimizeAcquisition, type OptimizeOptions } from './optimize-acquisition.js';
import { GpSpace } from './search-space.js';

/** Optuna's floor on the standard deviation used to standardise the objective values. */
const STD_FLOOR = 1e-10;

/** What one GP proposal found, for tests and tools. */
export interface GpProposalInfo {
  /** The fitted kernel parameters. */
  params: KernelParams;
  /** Complete trials used (inside the space, with a finite or infinite but not NaN value). */
  observations: number;
  /** Running trials conditioned on (kriging believer). */
  pending: number;
  /** log EI at the proposal, in standardised units. */
  acquisition: number;
}

/**
 * Optuna's `GPSampler` over broom's flat sampler contract. Each proposal:
 *
 * 1. Until `n_startup_trials` complete trials lie in the space, parameters are drawn at random
 *    (Optuna's RandomSampler: uniform in the normalised space).
 * 2. The complete trials become rows of [0, 1]^d (see {@link GpSpace}); their values become scores
 *    to maximise (negated for `minimize`), ±∞ clipped to the finite extremes, standardised to mean 0
 *    and standard deviation 1.
 * 3. The kernel parameters (ARD Matérn 5/2, kernel scale, noise variance) are fitted by maximum a
 *    posteriori with Optuna's priors (see `fitKernelParams`).
 * 4. Running trials are conditioned on as if they had returned the posterior mean (the kriging
 *    believer): the model's uncertainty collapses there, so parallel agents are sent elsewhere.
 * 5. log EI against the best score is maximised over the space (`optimizeAcquisition`) and the
 *    best point is proposed.
 *
 * Pruned and failed trials are ignored, as are complete trials with a NaN value (Optuna's `tell`
 * records them as failed). Only single-objective studies are supported, as Optuna's GPSampler
 * without its multi-objective extension.
 */
export class GpSampler implements Sampler {
  readonly options: GpSamplerOptions;
  /** Details of the last proposal made by the Gaussian process (not by the startup sampler). */
  lastProposal: GpProposalInfo | null = null;
  /** Overrides of the acquisition optimiser's settings (tests). */
  optimizeOptions: OptimizeOptions = {};

  constructor(options: GpSamplerInput = {}) {
    const parsed = GpSamplerOptions.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length > 0 ? `'${issue.path.join('.')}'` : 'options';
      throw new Error(`GPSampler: ${where}: ${issue.message}`);
    }
    this.options = parsed.data;
  }

  sample(request: SampleRequest): Record<string, SamplerValue> {
    const space = new GpSpace(request.space);
    const directions = request.directions;
    if (!Array.isArray(directions) || directions.length === 0) throw new Error('GPSampler: the study needs one direction (minimize or maximize)');
    if (directions.length > 1) {
      throw new Error(
        `GPSampler supports a single objective, but this study has ${directions.length} (${directions.join(', ')}). ` +
          'Use one metric, or TPESampler, which handles several objectives.',
      );
    }
    const trials = [...request.trials].sort((a, b) => a.number - b.number);
    const random: Random = this.options.seed === undefined ? request.random : createRandom(deriveSeed(this.options.seed, 'gp', trials.length));

    const rows: Float64Array[] = [];
    const scores: number[] = [];
    const pendingRows: Float64Array[] = [];
    for (const t of trials) {
      if (t.state === 'running') {
        const row = space.encode(t.params);
        if (row) pendingRows.push(row);
        continue;
      }
      const value = completeValue(t);
      if (value === undefined) continue;
      const row = space.encode(t.params);
      if (!row) continue;
      rows.push(row);
      scores.push(directions[0] === 'minimize' ? -value : value);
    }
    if (space.d === 0 || rows.length === 0 || rows.length < this.options.n_startup_trials) {
      return space.decode(space.randomRow(random));
    }

    const n = rows.length;
    const d = space.d;
    const y = standardize(scores);
    const x = new Float64Array(n * d);
    rows.forEach((r, i) => x.set(r, i * d));
    const { params } = fitKernelParams(x, n, d, space.isCategorical, y, {
      deterministic: this.options.deterministic_objective,
      minimumNoise: MINIMUM_NOISE_VAR,
      random,
      randomStarts: 2,
    });
    let gp = new GPRegressor(x, n, d, space.isCategorical, y, params);
    if (pendingRows.length > 0) {
      // Kriging believer: the running trials "return" the posterior mean at their points.
      const p = pendingRows.length;
      const px = new Float64Array(p * d);
      pendingRows.forEach((r, i) => px.set(r, i * d));
      const mean = new Float64Array(p);
      gp.posterior(px, p, mean, new Float64Array(p));
      const ax = new Float64Array((n + p) * d);
      ax.set(x);
      ax.set(px, n * d);
      const ay = new Float64Array(n + p);
      ay.set(y);
      ay.set(mean, n);
      gp = new GPRegressor(ax, n + p, d, space.isCategorical, ay, params);
    }
    let bestI = 0;
    for (let i = 1; i < n; i++) if (y[i] > y[bestI]) bestI = i;
    const acqf = new LogEiAcquisition(gp, y[bestI]);
    const { x: best, value } = optimizeAcquisition(acqf, space, random, [rows[bestI]], this.optimizeOptions);
    this.lastProposal = { params, observations: n, pending: pendingRows.length, acquisition: value };
    return space.decode(best);
  }
}

/** The objective value of a complete single-objective trial, or undefined when it has none (or NaN). */
function completeValue(t: TrialSnapshot): number | undefined {
  if (t.state !== 'complete') return undefined;
  if (!Array.isArray(t.values) || t.values.length !== 1) {
    throw new Error(
      `GPSampler: trial ${t.number} is complete but has ${Array.isArray(t.values) ? t.values.length : 'no'} objective values; the study has 1 direction`,
    );
  }
  const v = t.values[0];
  return typeof v === 'number' && !Number.isNaN(v) ? v : undefined;
}

/**
 * Scores standardised as Optuna does: ±∞ replaced by the largest/smallest finite score (0 if none
 * is finite), then (s − mean)/max(std, 1e-10) with the population standard deviation. Constant
 * scores become all zeros.
 */
export function standardize(scores: readonly number[]): Float64Array {
  const finite = scores.filter(Number.isFinite);
  const hi = finite.length > 0 ? Math.max(...finite) : 0;
  const lo = finite.length > 0 ? Math.min(...finite) : 0;
  const s = Float64Array.from(scores, (v) => (v === Infinity ? hi : v === -Infinity ? lo : v));
  let mean = 0;
  for (const v of s) mean += v;
  mean /= s.length;
  let ss = 0;
  for (const v of s) ss += (v - mean) * (v - mean);
  const std = Math.max(STD_FLOOR, Math.sqrt(ss / s.length));
  return s.map((v) => (v - mean) / std);
}
