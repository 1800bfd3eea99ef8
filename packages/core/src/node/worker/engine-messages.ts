/**
 * The wording of the engine service's errors (identity is the error's `code`). Kept next to the
 * worker engine until it moves into `common/errors/messages.ts`.
 */
export const engineMessages = {
  customMethod(): string {
    return (
      '`method: custom` has no built-in search, so the engine cannot propose runs for this sweep: ' +
      'they must come from a scheduler that creates them itself (named by `scheduler.job`).'
    );
  },
  pluginFailed(d: { kind: string; name: string; reason: string }): string {
    return `The ${d.kind} plugin "${d.name}" failed: ${d.reason}`;
  },
  workerFailed(d: { reason: string }): string {
    return `The engine worker thread failed: ${d.reason}. This search or pruning did not run; the next request starts a new worker.`;
  },
  terminated(): string {
    return 'The engine service was terminated: it proposes and prunes nothing more.';
  },
};
