import { sampleConfig, type Proposal, type SearchContext, type SearchMethod } from '@broom/core';

/**
 * W&B's random search (spec §3.2): each proposal draws every non-constant parameter independently
 * from its distribution; constants pass through. No memory of earlier runs and no end: `run_cap`
 * and stopping are the engine's job.
 */
export class RandomSearch implements SearchMethod {
  next({ config, random }: SearchContext): Proposal {
    return { config: sampleConfig(config.parameters, random) };
  }

  /** Unbounded. */
  expectedRunCount(): null {
    return null;
  }
}
