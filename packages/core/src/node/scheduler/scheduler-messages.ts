/**
 * The wording of scheduler loading errors (identity is the error's `code`). Kept next to the loader
 * until it moves into `common/errors/messages.ts`.
 */
export const schedulerMessages = {
  createFailed(d: { name: string; plugin: string; reason: string }): string {
    return (
      `The scheduler plugin "${d.name}" (${d.plugin}) failed to create the sweep's scheduler: ${d.reason}\n` +
      'This is a bug or a missing setting in the plugin; check `scheduler.settings` and the plugin\'s README.'
    );
  },
  notAScheduler(d: { name: string; plugin: string; got: string }): string {
    return (
      `The scheduler plugin "${d.name}" (${d.plugin}) did not make a scheduler: its \`create(settings)\` must ` +
      `return a function \`(context) => new MyScheduler(context)\` whose result extends Scheduler from @broom/core, but it gave ${d.got}.`
    );
  },
  settingsNotAnObject(d: { got: string }): string {
    return `Key "scheduler.settings": must be a mapping of setting names to values, but got ${d.got}.`;
  },
};
