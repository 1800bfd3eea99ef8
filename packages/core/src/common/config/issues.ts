import type { ConfigIssue } from '../errors/broom-error.js';
import type { PathSegment, SourceLocation } from './parse.js';

/** A problem before it is placed in the file: a key path, the wording, and how bad it is. */
export interface Problem {
  path: PathSegment[];
  /** What is wrong and what is allowed, without the `Key "…":` prefix. */
  message: string;
  severity: 'error' | 'warning';
  /** Which rule found it, for callers that keep only some (e.g. the lenient `fillConfig`). */
  code?: ProblemCode;
}

/**
 * `no-match`: a parameter matching none of the 19 definitions; `min-max`: min ≥ max;
 * `probabilities`, `deprecated`, `ambiguous`: the other parameter checks.
 */
export type ProblemCode = 'no-match' | 'min-max' | 'probabilities' | 'deprecated' | 'ambiguous';

export type Locate = (path: readonly PathSegment[]) => SourceLocation | undefined;

export function error(path: PathSegment[], message: string, code?: ProblemCode): Problem {
  return code ? { path, message, severity: 'error', code } : { path, message, severity: 'error' };
}

export function warning(path: PathSegment[], message: string, code?: ProblemCode): Problem {
  return code ? { path, message, severity: 'warning', code } : { path, message, severity: 'warning' };
}

/** `parameters.lr.min`, `metrics[1].goal`: the dotted key path of a problem. */
export function pathToString(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** A problem as a `ConfigIssue`: `Key "path": message`, with its line and column when known. */
export function toIssue(problem: Problem, locate?: Locate): ConfigIssue {
  const path = pathToString(problem.path);
  const message = path === '' ? problem.message : `Key "${path}": ${problem.message}`;
  const at = locate?.(problem.path);
  return { path, message, severity: problem.severity, ...(at ? { line: at.line, column: at.column } : {}) };
}

/**
 * One line per issue, ESLint-style: `sweep.yaml:5:9: Key "metric.goal": must be one of …`
 * (`sweep.yaml: …` when the position is unknown; warnings say so after the position).
 */
export function formatIssue(issue: ConfigIssue, file: string): string {
  const at = issue.line !== undefined ? `:${issue.line}:${issue.column ?? 1}` : '';
  const severity = issue.severity === 'warning' ? 'warning: ' : '';
  return `${file}${at}: ${severity}${issue.message}`;
}

/** Every issue of a config, one per line (errors first, then warnings, each in file order). */
export function formatIssues(issues: readonly ConfigIssue[], file: string): string {
  return sortIssues(issues).map((i) => formatIssue(i, file)).join('\n');
}

/** Errors before warnings; within each, by position in the file, then as found. */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const rank = (i: ConfigIssue) => (i.severity === 'error' ? 0 : 1);
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort((a, b) =>
      rank(a.issue) - rank(b.issue) ||
      (a.issue.line ?? 1e9) - (b.issue.line ?? 1e9) ||
      (a.issue.column ?? 0) - (b.issue.column ?? 0) ||
      a.index - b.index)
    .map((x) => x.issue);
}
