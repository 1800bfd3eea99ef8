import type { SweepConfig } from '../config/types.js';
import type { Proposal, Run } from '../engine/run.js';
import { PluginContractError } from '../errors/broom-error.js';
import type { Pruner, PrunerResult, SearchContext, SearchMethod } from '../plugin/contracts.js';
import type { Sampler, SamplerValue } from '../plugin/sampler.js';
import type { TrialPruner } from '../plugin/trial-pruner.js';
import { isRecord } from '../values.js';
import { studySpace, type StudySpace } from './study-space.js';
import type { StudySpec } from './study-spec.js';
import { trialsFromRuns } from './study-trials.js';

function checkProposal(values: unknown, type: string): Record<string, SamplerValue> | null {
  if (values === null) return null;
  if (!isRecord(values)) {
    throw new PluginContractError('sampler-result', `The sampler ${type} returned ${JSON.stringify(values)}; a sampler returns an object of parameter values.`, { type });
  }
  return values as Record<string, SamplerValue>;
}

/**
 * A sampler as a search method: each proposal maps the sweep's runs to trials, asks the sampler,
 * and maps its values back to a run config. The search ends when the sampler returns `null` (a
 * finished grid), or after one run when there is nothing to search (only constants).
 */
export class SamplerSearch implements SearchMethod {
  private space?: { config: SweepConfig; space: StudySpace };

  constructor(
    private readonly sampler: Sampler,
    private readonly study: StudySpec,
  ) {}

  private spaceOf(config: SweepConfig): StudySpace {
    if (this.space?.config !== config) this.space = { config, space: studySpace(config) };
    return this.space.space;
  }

  async next({ config, runs, random }: SearchContext): Promise<Proposal | null> {
    const space = this.spaceOf(config);
    if (Object.keys(space.space).length === 0 && runs.length > 0) return null;
    const trials = trialsFromRuns(runs, space, this.study.objectives);
    const values = checkProposal(
      await this.sampler.sample({ space: space.space, trials, directions: this.study.objectives.map((o) => o.goal), random }),
      this.study.sampler.type,
    );
    return values === null ? null : { config: space.toConfig(values) };
  }
}

/**
 * An Optuna-style pruner as the engine's pruner: every running run with intermediate values is
 * judged at its last step against the whole study. `info` holds each judged run's verdict details.
 */
export class StudyPruner implements Pruner {
  constructor(
    private readonly pruner: TrialPruner,
    private readonly study: StudySpec,
  ) {}

  async evaluate(config: SweepConfig, runs: readonly Run[]): Promise<PrunerResult> {
    const result: PrunerResult = { stop: [], info: {} };
    if (this.study.objectives.length !== 1) return result;
    const space = studySpace(config);
    const kept = runs.filter((r) => space.paramsOf(r.config) !== null);
    const trials = trialsFromRuns(kept, space, this.study.objectives);
    const direction = this.study.objectives[0].goal;
    const studyName = this.study.name ?? `optuna-study-${config.name ?? ''}`;
    for (let i = 0; i < kept.length; i++) {
      const trial = trials[i];
      if (trial.state !== 'running' || kept[i].state !== 'running' || !trial.intermediate) continue;
      const verdict = await this.pruner.prune({ trial, trials, direction, studyName });
      result.info[kept[i].name] = { pruner: this.study.pruner?.type ?? 'NopPruner', prune: verdict.prune, ...(verdict.info ?? {}) };
      if (verdict.prune) result.stop.push(kept[i].name);
    }
    return result;
  }
}
