import { BroomError, SearchError, createInProcessEngine, loadScheduler, loadSearchMethod, loadStudy, renderFilledConfig, stringifyJson } from '@broom/core';
import { formatIssue, validateConfigText } from '@broom/core/config';
import { HOST_DIRS, readText } from '../io.js';

export interface ValidateOptions {
  json?: boolean;
  fill?: boolean;
}

/** `broom validate FILE`: 0 when valid, 1 with every problem listed. */
export async function validateCommand(file: string, opts: ValidateOptions): Promise<number> {
  const { text, name, dir } = readText(file);
  const result = validateConfigText(text, name);
  const errors = result.issues.filter((i) => i.severity === 'error').map((i) => formatIssue(i, name));
  const warnings = result.issues.filter((i) => i.severity === 'warning').map((i) => formatIssue(i, name));
  const config = result.config;
  // Load the search method as a sweep would: a plugin that cannot be found is worth a warning here,
  // and a grid says how many runs it holds. (Refusals such as a grid over a uniform are already issues.)
  let expected: number | null | undefined;
  if (config && config.method !== 'custom') {
    try {
      const method = await loadSearchMethod(config, { configDir: dir, file: name, hostDirs: HOST_DIRS });
      expected = method.expectedRunCount?.(config);
    } catch (error) {
      if (!(error instanceof BroomError)) throw error;
      if (!(error instanceof SearchError)) warnings.push(`${name}: warning: ${error.message}`);
    }
  }
  // The scheduler and, for an Optuna study, its sampler and pruner, as the server would load them:
  // a misspelt setting or argument is named here. W&B does not check them, so they are warnings.
  if (config?.scheduler?.job !== undefined) {
    const where = { configDir: dir, file: name, hostDirs: HOST_DIRS };
    try {
      await loadScheduler(config, { engine: createInProcessEngine({ hostDirs: HOST_DIRS }), log: () => {}, numWorkers: 1, seed: 0 }, where);
      await loadStudy(config, where);
    } catch (error) {
      if (!(error instanceof BroomError)) throw error;
      warnings.push(`${name}: warning: ${error.message}`);
    }
  }
  const valid = result.valid;
  if (opts.json) {
    process.stdout.write(`${stringifyJson({ valid, errors, warnings })}\n`);
  } else if (opts.fill && valid && config) {
    for (const w of warnings) process.stderr.write(`${w}\n`);
    process.stdout.write(`${stringifyJson(renderFilledConfig(config), 2)}\n`);
  } else {
    for (const w of warnings) process.stderr.write(`${w}\n`);
    if (valid) {
      const params = config ? Object.keys(config.parameters).length : 0;
      const runs = expected === undefined ? '' : expected === null ? ', runs until stopped or run_cap' : `, ${expected} runs in the grid`;
      process.stdout.write(`${name}: valid (method ${config?.method}, ${params} parameter${params === 1 ? '' : 's'}${runs})\n`);
    } else {
      process.stderr.write(`${name}: ${errors.length} problem${errors.length === 1 ? '' : 's'}\n`);
      for (const e of errors) process.stderr.write(`  ${e.replace(/\n/g, '\n  ')}\n`);
    }
  }
  return valid ? 0 : 1;
}
