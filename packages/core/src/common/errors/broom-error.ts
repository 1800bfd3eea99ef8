/**
 * Every error broom raises on purpose. `code` is the identity (stable, for tests and tools), `data`
 * the facts, `message` the wording (built by the templates in `messages.ts`). The CLI prints the
 * message of a BroomError and never its stack: these are user mistakes, not crashes.
 */
export class BroomError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly data: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** One problem in a sweep config: where, what, and (when known) what would be right. */
export interface ConfigIssue {
  /** Dotted key path, e.g. `parameters.lr.min`; empty for the whole document. */
  path: string;
  message: string;
  severity: 'error' | 'warning';
  /** Line and column (1-based) in the file, when the source is known. */
  line?: number;
  column?: number;
}

/** A sweep config that cannot be used; `issues` holds every problem found, not just the first. */
export class SweepConfigError extends BroomError {
  constructor(
    message: string,
    readonly issues: ConfigIssue[],
    data: Record<string, unknown> = {},
  ) {
    super('sweep-config', message, data);
  }
}

/** A plugin that cannot be found or imported. */
export class PluginLoadError extends BroomError {}

/** A module that was found but is not a plugin broom can use (no definePlugin export, wrong kind, bad options). */
export class PluginContractError extends BroomError {}

/** Malformed input to the engine (`next-runs`/`stop-runs` JSON). */
export class EngineInputError extends BroomError {}

/** The engine refuses to search (as W&B's engine does: a grid over a uniform, bayes without metric). */
export class SearchError extends BroomError {}
