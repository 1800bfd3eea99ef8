import { Grid, checkGridParams, type ParamSpecs, type Proposal, type SearchContext, type SearchMethod, type SweepConfig } from '@broom/core';

/**
 * W&B's grid search (spec §3.1): every combination of the parameters' values, in order (parameters
 * sorted by name, the last varying fastest), skipping any combination that a run of the sweep, in
 * any state, already has. Exhausted when every combination has a run.
 */
export class GridSearch implements SearchMethod {
  private last?: { params: ParamSpecs; grid: Grid };

  check(config: SweepConfig): string[] {
    return checkGridParams(config.parameters);
  }

  /** The number of distinct combinations (W&B's expected run count). */
  expectedRunCount(config: SweepConfig): number {
    return this.gridOf(config).size;
  }

  /** Looks at no more than one combination per run, however large the grid. */
  next({ config, runs }: SearchContext): Proposal | null {
    const grid = this.gridOf(config);
    const seen = new Set<string>();
    for (const run of runs) {
      const key = grid.keyOfRun(run.config);
      if (key !== null) seen.add(key);
    }
    const index = grid.firstUnseen(seen);
    return index === null ? null : { config: grid.at(index) };
  }

  private gridOf(config: SweepConfig): Grid {
    const last = this.last;
    if (last && last.params === config.parameters) return last.grid;
    const grid = new Grid(config.parameters);
    this.last = { params: config.parameters, grid };
    return grid;
  }
}
