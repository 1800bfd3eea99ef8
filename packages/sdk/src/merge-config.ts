/** A plain object (not an array, not null): the only kind of value that is merged key by key. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The run's config as W&B builds it inside a sweep (`merge_locked(user="sweep")`, spec §5.5):
 * start from the defaults, then apply the sweep's values on top. A sweep value wins; when both the
 * default and the sweep value are objects they are merged key by key, recursively, so a nested
 * parameter only replaces the keys it names. Neither input is changed.
 */
export function mergeConfig<T>(defaults: T | undefined, sweepValues: Record<string, unknown>): T & Record<string, unknown> {
  const base: Record<string, unknown> = isPlainObject(defaults) ? structuredClone(defaults) : {};
  return deepMerge(base, sweepValues) as T & Record<string, unknown>;
}

function deepMerge(target: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(source)) {
    const current = target[key];
    if (isPlainObject(current) && isPlainObject(value)) target[key] = deepMerge({ ...current }, value);
    else target[key] = isPlainObject(value) ? deepMerge({}, value) : value;
  }
  return target;
}
