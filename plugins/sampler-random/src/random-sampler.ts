import { createRandom, deriveSeed, type Random, type SampleRequest, type Sampler, type SamplerDistribution, type SamplerValue } from '@broom/core';

/** One value of a distribution, drawn uniformly (in log space for `log`, over the step grid for `step`). */
export function sampleUniform(dist: SamplerDistribution, random: Random): SamplerValue {
  if (dist.type === 'categorical') return dist.choices[Math.min(dist.choices.length - 1, Math.floor(random.next() * dist.choices.length))];
  const { low, high } = dist;
  const step = dist.step ?? (dist.type === 'int' ? 1 : undefined);
  if (dist.log) {
    // Optuna widens an int range by half a unit on each side before drawing in log space.
    const lo = dist.type === 'int' ? low - 0.5 : low;
    const hi = dist.type === 'int' ? high + 0.5 : high;
    const x = Math.exp(Math.log(lo) + random.next() * (Math.log(hi) - Math.log(lo)));
    if (dist.type !== 'int') return Math.min(high, Math.max(low, x));
    return Math.min(high, Math.max(low, Math.round(x)));
  }
  if (step !== undefined) {
    const n = Math.floor((high - low) / step + 1e-9);
    const k = Math.min(n, Math.floor(random.next() * (n + 1)));
    const x = low + k * step;
    return dist.type === 'int' ? Math.round(x) : Math.min(high, x);
  }
  return low + random.next() * (high - low);
}

/**
 * Optuna's `RandomSampler`: every parameter drawn independently and uniformly, whatever the history.
 * With `seed`, the proposal depends only on the seed and the number of trials so far.
 */
export class RandomSampler implements Sampler {
  constructor(private readonly seed?: number) {}

  sample({ space, trials, random }: SampleRequest): Record<string, SamplerValue> {
    const rng = this.seed === undefined ? random : createRandom(deriveSeed(this.seed, trials.length));
    const out: Record<string, SamplerValue> = {};
    for (const [name, dist] of Object.entries(space)) out[name] = sampleUniform(dist, rng);
    return out;
  }
}
