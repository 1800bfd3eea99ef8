/** Longest sweep, project, entity or token name. */
export const NAME_MAX_LENGTH = 128;

/**
 * Why `name` cannot be a sweep, project, entity or token name, or undefined when it can. Names end
 * up in paths, URLs and terminals, so they may not hold a path separator, `..`, or a control
 * character, and may not be empty, blank or longer than 128 characters.
 */
export function nameProblem(name: string): string | undefined {
  if (name.trim() === '') return 'must not be empty or blank.';
  if (name.length > NAME_MAX_LENGTH) return `must be at most ${NAME_MAX_LENGTH} characters, but has ${name.length}.`;
  if (/[/\\]/.test(name)) return `must not contain "/" or "\\" (got ${JSON.stringify(name)}); use "-" or "_" instead.`;
  if (name.includes('..')) return `must not contain ".." (got ${JSON.stringify(name)}).`;
  // C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides.
  if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(name)) {
    return `must not contain control characters (got ${JSON.stringify(name)}).`;
  }
  return undefined;
}
