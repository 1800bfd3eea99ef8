import {
  BroomError,
  createRandom,
  deriveSeed,
  type SampleRequest,
  type SampleResult,
  type Sampler,
  type SamplerDistribution,
  type SamplerSpace,
  type SamplerValue,
} from '@broom/core';

/** The grid values of one parameter when `search_space` does not list them. */
function defaultValues(name: string, dist: SamplerDistribution): SamplerValue[] {
  if (dist.type === 'categorical') return dist.choices;
  const step = dist.step ?? (dist.type === 'int' ? 1 : undefined);
  if (step === undefined) {
    throw new BroomError(
      'grid-continuous',
      `GridSampler: parameter ${name} is continuous (${dist.log ? 'log ' : ''}${dist.low} … ${dist.high}), so it has no grid. ` +
        'List its values in scheduler.settings.sampler.args.search_space, or make it discrete (values, int_uniform or q_uniform).',
      { name },
    );
  }
  const n = Math.floor((dist.high - dist.low) / step + 1e-9);
  const out: number[] = [];
  for (let k = 0; k <= n; k++) out.push(dist.type === 'int' ? Math.round(dist.low + k * step) : dist.low + k * step);
  return out;
}

function checkValue(name: string, dist: SamplerDistribution, v: SamplerValue): void {
  const ok =
    dist.type === 'categorical'
      ? dist.choices.some((c) => c === v)
      : typeof v === 'number' && v >= dist.low && v <= dist.high && (dist.type !== 'int' || Number.isInteger(v));
  if (!ok) {
    const range = dist.type === 'categorical' ? `one of ${JSON.stringify(dist.choices)}` : `a${dist.type === 'int' ? 'n integer' : ' number'} in [${dist.low}, ${dist.high}]`;
    throw new BroomError('grid-value', `GridSampler: search_space.${name} has ${JSON.stringify(v)}, but the sweep's parameter ${name} takes ${range}.`, { name });
  }
}

/**
 * Optuna's `GridSampler`: each grid point once, the next one drawn at random among those no trial
 * has taken yet (running and finished trials of any state take theirs). When every point is taken
 * the sampler returns `null` and the sweep ends. The grid is `search_space` when given (values per
 * parameter), else the sweep's own discrete parameters.
 */
export class GridSampler implements Sampler {
  private grid?: { space: SamplerSpace; names: string[]; points: SamplerValue[][] };

  constructor(
    private readonly searchSpace?: Record<string, SamplerValue[]>,
    private readonly seed?: number,
  ) {}

  private gridOf(space: SamplerSpace) {
    if (this.grid?.space === space) return this.grid;
    const names = Object.keys(space).sort();
    if (this.searchSpace) {
      for (const name of Object.keys(this.searchSpace)) {
        if (!(name in space)) throw new BroomError('grid-unknown', `GridSampler: search_space.${name} is not a parameter of the sweep (its parameters: ${names.join(', ')}).`, { name });
      }
    }
    const axes = names.map((name) => {
      const listed = this.searchSpace?.[name];
      if (this.searchSpace && listed === undefined) {
        throw new BroomError('grid-missing', `GridSampler: search_space has no values for the sweep's parameter ${name}; list every parameter.`, { name });
      }
      const values = listed ?? defaultValues(name, space[name]);
      for (const v of values) checkValue(name, space[name], v);
      return [...new Map(values.map((v) => [JSON.stringify(v), v])).values()];
    });
    let points: SamplerValue[][] = [[]];
    for (const axis of axes) points = points.flatMap((p) => axis.map((v) => [...p, v]));
    this.grid = { space, names, points };
    return this.grid;
  }

  sample({ space, trials, random }: SampleRequest): SampleResult {
    const { names, points } = this.gridOf(space);
    const key = (values: readonly SamplerValue[]) => JSON.stringify(values);
    const taken = new Set(trials.map((t) => key(names.map((n) => t.params[n] ?? null))));
    const open = points.filter((p) => !taken.has(key(p)));
    if (open.length === 0) return null;
    const rng = this.seed === undefined ? random : createRandom(deriveSeed(this.seed, trials.length));
    const pick = open[Math.min(open.length - 1, Math.floor(rng.next() * open.length))];
    return Object.fromEntries(names.map((n, i) => [n, pick[i]]));
  }
}
