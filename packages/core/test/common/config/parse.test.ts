import { describe, expect, it } from 'vitest';
import { parseConfigSource, parseConfigText } from '../../../src/common/config/parse.js';
import { SweepConfigError } from '../../../src/common/errors/broom-error.js';
import { PyFloat } from '../../../src/common/values.js';

function parseError(text: string, file = 'sweep.yaml'): SweepConfigError {
  try {
    parseConfigText(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(SweepConfigError);
    return e as SweepConfigError;
  }
  throw new Error('expected a SweepConfigError');
}

describe('parseConfigText: numbers keep being Python ints or floats', () => {
  const v = parseConfigText(
    [
      'int: 2', 'float: 1.0', 'trailing_dot: 2.', 'exp: 3e6', 'small: 1e-5', 'half: .5', 'neg_zero: -0.0',
      'tagged: !!float 1', 'tagged_quoted: !!float "2"', 'tagged_int: !!int "7"', 'hex: 0x10', 'octal: 0o17',
      'nan: .nan', 'inf: -.inf', 'nan_word: NaN', 'yaml11_int: 1_000', 'bool: True', 'null_value: ~',
    ].join('\n'),
    'n.yaml',
  ) as Record<string, unknown>;

  it('boxes whole floats and keeps ints plain', () => {
    expect(v.int).toBe(2);
    for (const key of ['float', 'trailing_dot', 'exp', 'neg_zero', 'tagged', 'tagged_quoted']) {
      expect(v[key], key).toBeInstanceOf(PyFloat);
    }
    expect((v.exp as PyFloat).value).toBe(3e6);
    expect((v.tagged_quoted as PyFloat).value).toBe(2);
    expect(v.tagged_int).toBe(7);
    expect(v.hex).toBe(16);
    expect(v.octal).toBe(15);
  });

  it('keeps non-whole floats as plain numbers (YAML 1.2: 1e-5 is a number, not a string)', () => {
    expect(v.small).toBe(1e-5);
    expect(v.half).toBe(0.5);
  });

  it('reads .nan/.inf as YAML 1.2 does; NaN and 1_000 are strings in 1.2', () => {
    expect(v.nan).toBeNaN();
    expect(v.inf).toBe(-Infinity);
    expect(v.nan_word).toBe('NaN');
    expect(v.yaml11_int).toBe('1_000');
    expect(v.bool).toBe(true);
    expect(v.null_value).toBeNull();
  });

  it('reads floats inside lists and nested mappings', () => {
    const x = parseConfigText('parameters:\n  lr: {values: [1.0, 2, 0.5]}\n', 'x') as any;
    expect(x.parameters.lr.values).toEqual([new PyFloat(1), 2, 0.5]);
    expect(x.parameters.lr.values[1]).toBe(2);
  });
});

describe('parseConfigText: file forms', () => {
  it('handles a BOM, CRLF line ends and a leading ---', () => {
    expect(parseConfigText('\uFEFF---\r\nmethod: grid\r\nparameters:\r\n  a:\r\n    value: 1\r\n', 'w.yaml')).toEqual({
      method: 'grid', parameters: { a: { value: 1 } },
    });
  });

  it('reads JSON', () => {
    expect(parseConfigText('{"method": "random", "parameters": {"x": {"min": 0.0, "max": 1}}}', 'c.json')).toEqual({
      method: 'random', parameters: { x: { min: new PyFloat(0), max: 1 } },
    });
  });

  it('accepts tabs where PyYAML does too: inside quoted strings, block scalars and comments', () => {
    expect(parseConfigText('a: "x\ty"\nb: |\n  p\tq\n# c\td\n', 't.yaml')).toEqual({ a: 'x\ty', b: 'p\tq\n' });
  });

  it('merges << keys like PyYAML: explicit keys win', () => {
    const v = parseConfigText('base: &b {x: 1, y: 2.0}\nm:\n  <<: *b\n  y: 3\nn: *b\n', 'm.yaml') as any;
    expect(v.m).toEqual({ x: 1, y: 3 });
    expect(v.n).toEqual({ x: 1, y: new PyFloat(2) });
  });
});

describe('parseConfigText: errors name the file, line and column', () => {
  it('reports a YAML syntax error', () => {
    const e = parseError('method: grid\nparameters:\n  lr:\n    values: [1, 2\n  b: 1\n');
    expect(e.message.split('\n')[0]).toMatch(/^sweep\.yaml:\d+:\d+: YAML syntax error: /);
    expect(e.issues[0]).toMatchObject({ path: '', severity: 'error' });
    expect(e.issues[0].line).toBeGreaterThanOrEqual(4);
    expect(e.issues[0].column).toBeGreaterThan(0);
  });

  it('reports the exact position of a missing colon, with a code frame', () => {
    const e = parseError('method: grid\nparameters:\n  a:\n    value: 1\n  l\n\nprogram: x.py\n');
    expect(e.message).toBe(
      'sweep.yaml:5:3: YAML syntax error: Implicit map keys need to be followed by map values\n    l\n    ^',
    );
    expect(e.issues[0]).toMatchObject({ line: 5, column: 3, message: 'YAML syntax error: Implicit map keys need to be followed by map values' });
  });

  it('refuses tabs PyYAML refuses, although YAML 1.2 allows them (W&B could not read the file)', () => {
    const e = parseError('{\n\t"method": "grid"\n}\n', 'c.json');
    expect(e.issues[0]).toMatchObject({ line: 2, column: 1 });
    expect(e.message).toContain('c.json:2:1: YAML syntax error: tab character used as whitespace');
    expect(parseError('a:\tb\n').issues[0]).toMatchObject({ line: 1, column: 3 });
    expect(parseError('a: b\t\n').issues[0]).toMatchObject({ line: 1, column: 5 });
  });

  it('refuses duplicate keys, naming the key and both lines', () => {
    const e = parseError('method: grid\nparameters:\n  lr: {value: 1}\n  lr: {value: 2}\n');
    expect(e.message).toBe('sweep.yaml:4:3: duplicate key "lr" (first defined on line 3); YAML keys must be unique');
    expect(e.issues[0]).toMatchObject({ line: 4, column: 3 });
  });

  it('refuses unknown tags and several documents', () => {
    expect(parseError('a: !python/tuple [1, 2]\n').message).toMatch(/^sweep\.yaml:1:4: YAML syntax error: Unresolved tag/);
    expect(parseError('a: 1\n---\nb: 2\n').issues[0].line).toBe(2);
  });

  it.each([
    ['', 'the document is empty'],
    ['# just a comment\n', 'the document is empty'],
    ['- method: grid\n', 'the top level is a list'],
    ['grid\n', 'the top level is a single value'],
  ])('says "Sweep config must be parsable as a JSON object." for %j', (text, why) => {
    const e = parseError(text, 'empty.yaml');
    expect(e.message).toContain('empty.yaml: Sweep config must be parsable as a JSON object.');
    expect(e.message).toContain(why);
    expect(e.issues[0].message).toBe('Sweep config must be parsable as a JSON object.');
  });
});

describe('parseConfigSource: locate', () => {
  const src = parseConfigSource(
    'method: bayes\nmetric:\n  name: loss\n  goal: maximise\nparameters:\n  lr:\n    min: 0.1\n    max: 0.01\n  bs:\n    values: [16, 32]\n',
    's.yaml',
  );
  it('finds keys, nested keys and list items', () => {
    expect(src.locate(['metric', 'goal'])).toEqual({ line: 4, column: 3 });
    expect(src.locate(['parameters', 'lr', 'max'])).toEqual({ line: 8, column: 5 });
    expect(src.locate(['parameters', 'bs', 'values', 1])).toEqual({ line: 10, column: 18 });
  });
  it('falls back to the deepest existing key, or nothing', () => {
    expect(src.locate(['parameters', 'lr', 'distribution'])).toEqual({ line: 6, column: 3 });
    expect(src.locate(['early_terminate'])).toBeUndefined();
  });
});
