import type { ScalarTag } from 'yaml';

export const FLOAT_TAG = 'tag:yaml.org,2002:float';

/** The YAML 1.2 core-schema integer forms; every other number is a float. */
const INT_SOURCE = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/;

/** Whether a plain scalar's source text is an integer literal (`3`, `0x1f`) rather than a float (`3.0`, `3e6`). */
export function isIntSource(source: string): boolean {
  return INT_SOURCE.test(source.trim());
}

/**
 * `!!float` on any number (`!!float 1`, `!!float '2'`): the core schema's float tags only accept
 * float-looking text and the `yaml` package would leave `!!float 1` an unresolved string. W&B's docs
 * recommend `!!float 1e-5`, so this must read as the float it says it is.
 */
export const explicitFloatTag: ScalarTag = {
  tag: FLOAT_TAG,
  default: false,
  identify: () => false,
  resolve(source: string, onError: (message: string) => void): number | string {
    const s = source.trim();
    if (/^[-+]?\.(?:inf|Inf|INF)$/.test(s)) return s.startsWith('-') ? -Infinity : Infinity;
    if (/^\.(?:nan|NaN|NAN)$/.test(s)) return NaN;
    const n = s === '' ? NaN : Number(s.replace(/_/g, ''));
    if (Number.isNaN(n)) {
      onError(`cannot read ${JSON.stringify(source)} as a float`);
      return source;
    }
    return n;
  },
};
