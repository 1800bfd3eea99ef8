import { isRecord, pyFloatRepr, type Value, type ValueRecord, PyFloat } from '@broom/core';

/**
 * The file W&B's agent writes for each run and names in `WANDB_SWEEP_PARAM_PATH`
 * (`config-<run_id>.yaml`): `wandb_version: 1`, then each parameter as `name: {value: v}`, in the
 * server's order. Written as block YAML that PyYAML (YAML 1.1, what `wandb.init` reads it with) and
 * YAML 1.2 readers load to the same values: floats always carry a dot (`1.0e-05`), strings are
 * double-quoted, lists are flow sequences.
 */
export function sweepParamYaml(params: ValueRecord): string {
  let out = 'wandb_version: 1\n';
  for (const [name, value] of Object.entries(params)) out += `${key(name)}:\n  value:${block(value, 4)}`;
  return out;
}

function block(value: Value, indent: number): string {
  if (isRecord(value) && Object.keys(value).length > 0) {
    const pad = ' '.repeat(indent);
    return `\n${Object.entries(value).map(([k, v]) => `${pad}${key(k)}:${block(v, indent + 2)}`).join('')}`;
  }
  return ` ${flow(value)}\n`;
}

function flow(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : float(value);
  if (value instanceof PyFloat) return float(value.value);
  if (Array.isArray(value)) return `[${value.map(flow).join(', ')}]`;
  return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${flow(v)}`).join(', ')}}`;
}

function float(x: number): string {
  if (Number.isNaN(x)) return '.nan';
  if (!Number.isFinite(x)) return x > 0 ? '.inf' : '-.inf';
  const text = pyFloatRepr(x);
  // YAML 1.1 reads `1e-05` as a string: its floats need a dot in the mantissa.
  return /^-?\d+e/.test(text) ? text.replace('e', '.0e') : text;
}

function key(name: string): string {
  return /^[A-Za-z_][\w.-]*$/.test(name) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(name) ? name : JSON.stringify(name);
}
