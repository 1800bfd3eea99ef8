import type { z } from 'zod';
import { SweepConfigError, type ConfigIssue } from '../errors/broom-error.js';
import { isRecord, type Value, type ValueRecord } from '../values.js';
import { checkParameterValue, looksLikeParameter, parameterNameProblem } from './diagnose-parameter.js';
import { error, sortIssues, toIssue, warning, type Locate, type Problem } from './issues.js';
import { LAUNCH_SCHEDULER_KEYS } from './launch-schema.js';
import { splitLaunchConfig } from './launch-rule.js';
import { NOT_AN_OBJECT, parseConfigSource, type PathSegment } from './parse.js';
import { crossKeyRules, searchWarnings } from './rules.js';
import { SweepConfigSchema, TOP_LEVEL_KEYS } from './schema.js';
import type { SweepConfig } from './types.js';
import { zodProblems } from './zod-problems.js';

export interface ValidateOptions {
  /** The config file's name, for messages. */
  file: string;
  /**
   * Read the config as a Launch sweep (`wandb launch-sweep`): `true` or `false` to decide, unset to
   * detect it from a Launch-style `scheduler` block or a `launch` block.
   */
  launch?: boolean;
  /** Key path → position, from `parseConfigSource` (positions are left out without it). */
  locate?: Locate;
}

export interface ValidationResult {
  /** No issue of severity `error`. */
  valid: boolean;
  /** Every problem found: errors, then warnings, each in file order. */
  issues: ConfigIssue[];
  /** The filled config, when valid. */
  config?: SweepConfig;
}

/** Advice for well-known misplaced or misnamed keys (instead of, or before, "Did you mean"). */
const KNOWN_MISTAKES: Readonly<Record<string, string>> = {
  count: 'The number of runs is set with run_cap: N (count is an option of the agent: broom agent --count N).',
  metric_constraints: 'Outcome constraints are not part of the W&B sweep schema; a custom scheduler can read them from scheduler.settings.',
};

function unknownKeyHint(path: PathSegment[], key: string, value: Value | undefined): string | undefined {
  if (path.length > 0) {
    return TOP_LEVEL_KEYS.includes(key) ? `"${key}" is a top-level key: check its indentation.` : undefined;
  }
  if (KNOWN_MISTAKES[key]) return KNOWN_MISTAKES[key];
  if ((LAUNCH_SCHEDULER_KEYS as readonly string[]).includes(key)) return `"${key}" belongs under scheduler: (a Launch scheduler setting); check its indentation.`;
  if (looksLikeParameter(value)) return 'It looks like a parameter: move it under parameters:.';
  if (isRecord(value)) {
    const inner = Object.keys(value).filter((k) => TOP_LEVEL_KEYS.includes(k));
    if (inner.length > 0) return `It holds top-level sweep keys (${inner.join(', ')}): remove the "${key}:" wrapper.`;
  }
  return undefined;
}

/**
 * Check a sweep config against W&B's schema and rules (its strict validator) and collect every
 * problem. The verdict matches W&B's: its deprecation messages for log_uniform & co. are errors here
 * too, although such a sweep still runs (`fillConfig` accepts it). Engine-level refusals that W&B's
 * validator lets through (bayes without metric, a uniform parameter in a grid) are warnings.
 */
export function validateConfig(raw: Value, opts: ValidateOptions): ValidationResult {
  if (!isRecord(raw)) return result([error([], NOT_AN_OBJECT)], opts);
  const split = splitLaunchConfig(raw, opts);
  const problems: Problem[] = [...split.problems];
  const config = split.config;
  const parsed = SweepConfigSchema.safeParse(config);
  if (!parsed.success) problems.push(...topLevelProblems(parsed.error.issues, config, split.methodPath));
  if (isRecord(config.parameters)) {
    for (const [name, param] of Object.entries(config.parameters)) {
      problems.push(...checkParameterValue({ path: ['parameters', name], name, topLevel: true }, param));
    }
  }
  problems.push(...crossKeyRules(config));
  if (isRecord(config.controller)) {
    for (const key of Object.keys(config.controller)) {
      if (key !== 'type') problems.push(warning(['controller', key], 'unknown key; ignored (controller has only "type").'));
    }
  }
  if (parsed.success) problems.push(...searchWarnings(config, parsed.data.parameters));
  const res = result(problems, opts);
  if (res.valid && parsed.success) {
    res.config = {
      ...parsed.data,
      ...(split.scheduler ? { scheduler: split.scheduler } : {}),
      ...(split.launchBlock ? { launch: split.launchBlock } : {}),
    };
  }
  return res;
}

/** Zod's issues for everything but the inside of each parameter (explained by `checkParameterValue`). */
function topLevelProblems(issues: readonly z.core.$ZodIssue[], config: ValueRecord, methodPath: PathSegment[]): Problem[] {
  const out: Problem[] = [];
  const rest: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    const [first, name] = issue.path;
    if (first === 'parameters' && issue.path.length >= 2) {
      if (issue.code === 'invalid_key') out.push(parameterNameProblem(['parameters', String(name)], String(name)));
    } else rest.push(issue);
  }
  for (const p of zodProblems(rest, config, SweepConfigSchema, [], unknownKeyHint)) {
    if (p.path.length === 1 && p.path[0] === 'method' && methodPath[0] !== 'method') {
      out.push({ ...p, path: methodPath, message: `(the sweep's method) ${p.message}` });
    } else out.push(p);
  }
  return out;
}

function result(problems: Problem[], opts: ValidateOptions): ValidationResult {
  const issues = sortIssues(problems.map((p) => toIssue(p, opts.locate)));
  return { valid: !issues.some((i) => i.severity === 'error'), issues };
}

/**
 * Parse and validate config text in one step; a syntax error becomes an invalid result with the
 * error's line and column, so callers handle one shape.
 */
export function validateConfigText(text: string, file: string, opts: Omit<ValidateOptions, 'file' | 'locate'> = {}): ValidationResult {
  let source;
  try {
    source = parseConfigSource(text, file);
  } catch (e) {
    if (e instanceof SweepConfigError) return { valid: false, issues: e.issues };
    throw e;
  }
  return validateConfig(source.value, { ...opts, file, locate: source.locate });
}
