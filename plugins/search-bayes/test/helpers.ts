import { createRandom, sampleConfig, type MetricConfig, type ParamSpecs, type Run, type SearchMethod, type SweepConfig, type ValueRecord } from '@broom/core';
import { UnitCubeEncoding } from '../src/index.js';

export function metric(overrides: Partial<MetricConfig> = {}): MetricConfig {
  return { name: 'loss', goal: 'minimize', impute: 'worst', impute_while_running: 'false', ...overrides };
}

export function bayesConfig(parameters: ParamSpecs, overrides: Partial<MetricConfig> = {}): SweepConfig {
  return { method: 'bayes', parameters, metric: metric(overrides) };
}

export function finished(name: string, config: ValueRecord, loss: number, key = 'loss'): Run {
  return { name, state: 'finished', config, history: [{ [key]: loss }], summary: { [key]: loss } };
}

/**
 * `count` finished runs drawn at random from the space, with a smooth loss of their unit-cube
 * coordinates (minimum at 0.3 in every dimension).
 */
export function finishedRuns(parameters: ParamSpecs, count: number, seed: number): Run[] {
  const encoding = new UnitCubeEncoding(parameters);
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const config = sampleConfig(parameters, random);
    const u = encoding.encode(config);
    const loss = u.reduce((s, v) => s + (v - 0.3) ** 2, 0);
    return finished(`h${i}`, config, loss);
  });
}

/** A search method that sees `history` before the runs it is given (so a contract suite exercises the GP). */
export function withHistory(method: SearchMethod, history: readonly Run[]): SearchMethod {
  return {
    next: (context) => method.next({ ...context, runs: [...history, ...context.runs] }),
    check: method.check?.bind(method),
    expectedRunCount: method.expectedRunCount?.bind(method),
  };
}
