import {
  compareCodePoints,
  createRandom,
  deriveSeed,
  type Random,
  type SampleRequest,
  type Sampler,
  type SamplerValue,
  type StudyDirection,
  type TrialSnapshot,
} from '@broom/core';
import { EPS, hypervolumeWeights } from './hypervolume.js';
import { ParzenEstimator, type ParzenParameters } from './parzen-estimator.js';
import {
  checkSpace,
  isSingle,
  sampleRandom,
  singleValue,
  toDim,
  toExternal,
  toInternal,
  type CheckedDistribution,
} from './space.js';
import { defaultGamma, defaultWeights, lossVector, splitTrials } from './split.js';
import { TpeSamplerOptions, type TpeSamplerInput } from './tpe-options.schema.js';

type Space = Map<string, CheckedDistribution>;

/**
 * Optuna's `TPESampler` (4.x) over broom's flat sampler contract. Each proposal:
 *
 * 1. Until `n_startup_trials` trials are complete or pruned, every parameter is drawn at random
 *    (Optuna's RandomSampler).
 * 2. With `multivariate`, the parameters every finished trial has (the intersection search space;
 *    with `group`, its group decomposition) are sampled jointly, one estimator per group; the rest,
 *    and every parameter without `multivariate`, are sampled one at a time.
 * 3. A TPE draw over a (sub)space: trials are split into the best `gamma(n)` (l(x)) and the others
 *    (g(x)); `n_ei_candidates` points are drawn from l(x) and the one maximising
 *    ln l(x) − ln g(x) is proposed.
 *
 * Failed trials are ignored; running trials only count (in g(x)) under `constant_liar`. A complete
 * trial with a NaN objective counts as failed, as Optuna's `tell` makes it.
 */
export class TpeSampler implements Sampler {
  readonly options: TpeSamplerOptions;
  private readonly parzen: ParzenParameters;

  constructor(options: TpeSamplerInput = {}) {
    const parsed = TpeSamplerOptions.safeParse(options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.length > 0 ? `'${issue.path.join('.')}'` : 'options';
      throw new Error(`TPESampler: ${where}: ${issue.message}`);
    }
    this.options = parsed.data;
    this.parzen = {
      considerPrior: this.options.consider_prior,
      priorWeight: this.options.prior_weight,
      considerMagicClip: this.options.consider_magic_clip,
      considerEndpoints: this.options.consider_endpoints,
      multivariate: this.options.multivariate,
    };
  }

  sample(request: SampleRequest): Record<string, SamplerValue> {
    const space = checkSpace(request.space);
    const directions = request.directions;
    if (!Array.isArray(directions) || directions.length === 0) throw new Error('TPESampler: the study needs at least one direction');
    const trials = [...request.trials].sort((a, b) => a.number - b.number).map((t) => normalise(t, directions.length));
    const random: Random =
      this.options.seed === undefined ? request.random : createRandom(deriveSeed(this.options.seed, 'tpe', trials.length));

    const finished = trials.filter((t) => t.state === 'complete' || t.state === 'pruned');
    const startup = finished.length < this.options.n_startup_trials;
    const params: Record<string, SamplerValue> = {};
    // The split is the same for every parameter of this proposal: make it once.
    const considered = trials.filter(
      (t) => t.state === 'complete' || t.state === 'pruned' || (this.options.constant_liar && t.state === 'running'),
    );
    const n = considered.filter((t) => t.state !== 'running').length;
    const split = splitTrials(considered, directions, defaultGamma(n));
    const tpe = (names: string[]) => this.tpe(space, names, split, directions, random);

    if (this.options.multivariate && !startup) {
      for (const group of this.relativeGroups(space, finished)) {
        Object.assign(params, tpe(group));
      }
    }
    for (const [name, d] of space) {
      if (name in params) continue;
      if (isSingle(d)) params[name] = singleValue(d);
      else if (startup) params[name] = sampleRandom(d, random);
      else Object.assign(params, tpe([name]));
    }
    // In the space's order.
    const out: Record<string, SamplerValue> = {};
    for (const name of space.keys()) out[name] = params[name];
    return out;
  }

  /**
   * The subspaces sampled jointly: the intersection search space (parameters with a valid value in
   * every finished trial, names sorted as Optuna sorts them), or with `group` its decomposition
   * (Optuna's `_SearchSpaceGroup`: split so that each trial's parameters are a union of groups).
   * Single-valued parameters are left out.
   */
  relativeGroups(space: Space, finished: readonly TrialSnapshot[]): string[][] {
    const has = (t: TrialSnapshot, name: string) => toInternal(space.get(name)!, t.params[name]) !== undefined;
    const sampleable = [...space.keys()].filter((n) => !isSingle(space.get(n)!));
    if (finished.length === 0) return [];
    if (!this.options.group) {
      const names = sampleable.filter((n) => finished.every((t) => has(t, n))).sort(compareCodePoints);
      return names.length > 0 ? [names] : [];
    }
    let groups: Set<string>[] = [];
    for (const t of finished) {
      let keys = new Set([...space.keys()].filter((n) => has(t, n)));
      const next: Set<string>[] = [];
      for (const g of groups) {
        next.push(new Set([...g].filter((n) => keys.has(n))));
        next.push(new Set([...g].filter((n) => !keys.has(n))));
        keys = new Set([...keys].filter((n) => !g.has(n)));
      }
      next.push(keys);
      groups = next.filter((g) => g.size > 0);
    }
    return groups
      .map((g) => [...g].filter((n) => !isSingle(space.get(n)!)).sort(compareCodePoints))
      .filter((g) => g.length > 0);
  }

  /** One TPE draw over the parameters `names`, jointly. */
  private tpe(
    space: Space,
    names: string[],
    { below, above }: { below: TrialSnapshot[]; above: TrialSnapshot[] },
    directions: readonly StudyDirection[],
    random: Random,
  ): Record<string, SamplerValue> {
    const dims = names.map((name) => toDim(name, space.get(name)!));

    const observe = (group: TrialSnapshot[]) => {
      const kept: TrialSnapshot[] = [];
      const obs: number[][] = dims.map(() => []);
      for (const t of group) {
        const xs = dims.map((d) => toInternal(d.dist, t.params[d.name]));
        if (xs.some((x) => x === undefined)) continue;
        kept.push(t);
        xs.forEach((x, i) => obs[i].push(x!));
      }
      return { kept, obs };
    };
    const b = observe(below);
    const a = observe(above);
    let belowWeights: number[];
    if (directions.length > 1) {
      // MOTPE: below weights from hypervolume contributions, over all below trials, then masked.
      const completeBelow = below.filter((t) => t.state === 'complete');
      const w = hypervolumeWeights(completeBelow.map((t) => lossVector(t, directions)));
      const byNumber = new Map(completeBelow.map((t, i) => [t.number, w[i]]));
      // A pruned trial has no objective values to weigh (Optuna never prunes multi-objective studies).
      belowWeights = b.kept.map((t) => byNumber.get(t.number) ?? EPS);
    } else {
      belowWeights = defaultWeights(b.kept.length);
    }
    const lx = new ParzenEstimator(dims, b.obs, belowWeights, this.parzen);
    const gx = new ParzenEstimator(dims, a.obs, defaultWeights(a.kept.length), this.parzen);

    const candidates = lx.sample(random, this.options.n_ei_candidates);
    const ll = lx.logPdf(candidates);
    const lg = gx.logPdf(candidates);
    let best = 0;
    let bestScore = -Infinity;
    for (let s = 0; s < ll.length; s++) {
      const score = ll[s] - lg[s];
      // numpy's argmax: the first maximum; NaN wins as numpy's does.
      if (Number.isNaN(score)) {
        best = s;
        break;
      }
      if (score > bestScore) {
        bestScore = score;
        best = s;
      }
    }
    const out: Record<string, SamplerValue> = {};
    dims.forEach((d, i) => (out[d.name] = toExternal(d.dist, candidates[i][best])));
    return out;
  }
}

/**
 * A snapshot as TPE uses it: a complete trial with a NaN objective is a failed one (as Optuna's
 * `tell` records it); a complete trial must carry one value per direction.
 */
function normalise(t: TrialSnapshot, nObjectives: number): TrialSnapshot {
  if (t.state !== 'complete') return t;
  if (!Array.isArray(t.values) || t.values.length !== nObjectives) {
    throw new Error(
      `TPESampler: trial ${t.number} is complete but has ${Array.isArray(t.values) ? t.values.length : 'no'} objective values; the study has ${nObjectives} direction(s)`,
    );
  }
  if (t.values.some((v) => typeof v !== 'number' || Number.isNaN(v))) return { ...t, state: 'fail' };
  return t;
}
