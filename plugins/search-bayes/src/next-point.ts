import { normalCdf, normalPdf, type Random } from '@broom/core';
import { GaussianProcess, STD_EPSILON } from './gaussian-process.js';

/** W&B's `max_samples_for_gp`: more observations than this are subsampled, with replacement. */
export const MAX_GP_SAMPLES = 100;
/** At most this many pending points are fantasised (`max_samples - 5`). */
export const MAX_PENDING_POINTS = MAX_GP_SAMPLES - 5;
/** W&B's `num_points_to_try`: random candidates scored by expected improvement. */
export const CANDIDATE_COUNT = 1000;

export const BAD_FIT_WARNING =
  'Some dimmensions of kernel are close to their bounds (bad fit), the next sample will be a random sample within parameter space';

/** Points of the unit cube and what the GP is fitted on, all in minimisation units. */
export interface GpData {
  /** Dimensions of the cube. */
  d: number;
  /** Observed points (n×d, row-major) and their targets (lower is better). */
  x: Float64Array;
  y: Float64Array;
  n: number;
  /** Points of runs in flight (p×d, row-major). */
  pending: Float64Array;
  p: number;
}

/** The chosen point and what the model says about it, in minimisation units. */
export interface NextPoint {
  point: Float64Array;
  /** Φ(Z) at the point (1 when there is no model yet). */
  successProbability: number;
  /** The predicted target (the only observation's value, or 0, when there is no model). */
  predictedValue: number;
  /** The predicted standard deviation, in target units; null without a model. */
  predictedStdDev: number | null;
  /** Expected improvement, in target units; null without a model. */
  expectedImprovement: number | null;
  warnings: string[];
  /** The fitted GP, when there is one. */
  model?: GaussianProcess;
}

/** Expected improvement below `best` (standardised units) for a posterior mean and std. */
export function expectedImprovement(mean: number, std: number, best: number): { probability: number; expected: number } {
  const gain = best - mean;
  const z = gain / (std + STD_EPSILON);
  const probability = normalCdf(z);
  return { probability, expected: gain * probability + std * normalPdf(z) };
}

function uniformPoints(random: Random, m: number, d: number): Float64Array {
  const out = new Float64Array(m * d);
  for (let i = 0; i < out.length; i++) out[i] = random.next();
  return out;
}

/**
 * W&B's `next_sample` (spec §3.3 steps 3–6): with fewer than 2 observations a uniform random point;
 * otherwise fit the GP (on ≤100 observations drawn with replacement), fantasise up to 95 pending
 * points at the predicted mean and refit (kriging believer), score 1000 uniform candidates by
 * expected improvement over the best observation, and take the best, or a random candidate when
 * the length-scale fit ran into its bounds.
 */
export function nextPoint(data: GpData, random: Random): NextPoint {
  const { d, n } = data;
  if (n < 2) {
    return {
      point: uniformPoints(random, 1, d),
      successProbability: 1,
      predictedValue: n === 1 ? data.y[0] : 0,
      predictedStdDev: null,
      expectedImprovement: null,
      warnings: [],
    };
  }

  let x = data.x;
  let y = data.y;
  let m = n;
  if (n > MAX_GP_SAMPLES) {
    m = MAX_GP_SAMPLES;
    x = new Float64Array(m * d);
    y = new Float64Array(m);
    for (let i = 0; i < m; i++) {
      const k = Math.min(n - 1, Math.floor(random.next() * n));
      x.set(data.x.subarray(k * d, (k + 1) * d), i * d);
      y[i] = data.y[k];
    }
  }

  let gp = GaussianProcess.fit(x, m, d, y, { random });
  const p = Math.min(data.p, MAX_PENDING_POINTS);
  if (p > 0) {
    const pending = data.pending.subarray(0, p * d);
    const fantasies = gp.predict(pending, p, false).mean;
    const x2 = new Float64Array((m + p) * d);
    x2.set(x.subarray(0, m * d));
    x2.set(pending, m * d);
    const y2 = new Float64Array(m + p);
    y2.set(y.subarray(0, m));
    for (let i = 0; i < p; i++) y2[m + i] = gp.toTargetUnits(fantasies[i]);
    gp = GaussianProcess.fit(x2, m + p, d, y2, { random });
  }

  const candidates = uniformPoints(random, CANDIDATE_COUNT, d);
  const posterior = gp.predict(candidates, CANDIDATE_COUNT);
  let yBest = Infinity;
  for (let i = 0; i < n; i++) yBest = Math.min(yBest, data.y[i]); // over every observation, as W&B
  const best = gp.toStandardized(yBest);

  let chosen = 0;
  let chosenEi = -Infinity;
  for (let j = 0; j < CANDIDATE_COUNT; j++) {
    const ei = expectedImprovement(posterior.mean[j], posterior.std[j], best).expected;
    if (ei > chosenEi) {
      chosenEi = ei;
      chosen = j;
    }
  }
  const warnings: string[] = [];
  if (gp.lengthScaleAtBound) {
    warnings.push(BAD_FIT_WARNING);
    chosen = Math.min(CANDIDATE_COUNT - 2, Math.floor(random.next() * (CANDIDATE_COUNT - 1))); // randint(0, 999)
  }
  const mean = posterior.mean[chosen];
  const std = posterior.std[chosen];
  const { probability, expected } = expectedImprovement(mean, std, best);
  return {
    point: candidates.slice(chosen * d, (chosen + 1) * d),
    successProbability: probability,
    predictedValue: gp.toTargetUnits(mean),
    predictedStdDev: std * gp.yStd,
    expectedImprovement: expected,
    warnings,
    model: gp,
  };
}
