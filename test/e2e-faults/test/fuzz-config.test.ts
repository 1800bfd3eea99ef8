import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BroomError } from '@broom/core';
import { formatIssue, validateConfigText } from '@broom/core/config';
import { main } from '@broom/cli';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

// Seeded and deterministic: the same configs every run. A failure prints the seed and the
// shrunk counterexample; rerun it by keeping the seed.
const SEED = 0x5eed_c0f;

const TOP_KEYS = ['method', 'metric', 'parameters', 'program', 'command', 'early_terminate', 'run_cap', 'name', 'description', 'project', 'entity', 'controller', 'scheduler', 'launch', 'job'];
const PARAM_KEYS = ['value', 'values', 'min', 'max', 'distribution', 'mu', 'sigma', 'q', 'probabilities', 'parameters', 'a', 'b'];

/** Awkward scalars: huge and tiny numbers, NaN-ish strings, unicode, control characters, long strings. */
const oddScalar = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 1e308, -1e308, 5e-324, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 1.5, true, false, null),
  fc.double(),
  fc.integer(),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map((b) => b.toString()),
  fc.constantFrom('', ' ', 'grid', 'random', 'bayes', 'minimize', 'maximize', 'uniform', 'log_uniform', 'NaN', 'Infinity', '-inf', '1e999', '0x10', '\u0000', '\u202e', '💥', 'ǅ', '../../etc/passwd', '${program}', '${args_json_file}'),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 5 }).map((s) => s.repeat(2000)),
);

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  any: fc.oneof({ depthSize: 'small', withCrossShrink: true }, oddScalar, tie('arr'), tie('obj')),
  arr: fc.array(tie('any'), { maxLength: 5 }),
  obj: fc.dictionary(fc.oneof(fc.constantFrom(...TOP_KEYS, ...PARAM_KEYS), fc.string({ maxLength: 8 })), tie('any'), { maxKeys: 5 }),
})).any;

const param = fc.oneof(
  value,
  fc.dictionary(fc.constantFrom(...PARAM_KEYS), fc.oneof(oddScalar, fc.array(oddScalar, { maxLength: 4 }), value), { maxKeys: 5 }),
);

/** Configs that look like sweeps: the right keys with wrong or odd values. */
const sweepish = fc.record(
  {
    method: fc.oneof(fc.constantFrom('grid', 'random', 'bayes', 'custom', 'nope'), value),
    metric: fc.oneof(fc.record({ name: oddScalar, goal: oddScalar, target: oddScalar }, { requiredKeys: [] }), value),
    parameters: fc.oneof(fc.dictionary(fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('a.b', '', ' ', '$x', '../p')), param, { maxKeys: 6 }), value),
    early_terminate: fc.oneof(fc.record({ type: fc.constantFrom('hyperband', 'x'), min_iter: oddScalar, max_iter: oddScalar, eta: oddScalar, s: oddScalar }, { requiredKeys: [] }), value),
    run_cap: oddScalar,
    command: fc.oneof(fc.array(oddScalar, { maxLength: 6 }), value),
    program: oddScalar,
    name: oddScalar,
    project: oddScalar,
  },
  { requiredKeys: [] },
);

/** JSON text of any of the above, or YAML text with oddities. */
const yamlOddities = fc.constantFrom(
  '',
  '---\n---\n',
  '~',
  '[1, 2',
  'method: grid\nmethod: random\nparameters: {}',
  'method: grid\nparameters:\n\tx: {values: [1]}',
  'a: &a [*a]',
  'a: &a [1,2]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nmethod: grid\n',
  'method: !!python/object:os.system ls\n',
  'method: !!binary aGVsbG8=\nparameters: {}',
  '<<: {method: grid}\nparameters: {x: {values: [1]}}',
  '<<: *nope\n',
  'method: grid\nparameters: {x: {values: [.nan, .inf, -.inf, 1e400, 0o17, 0x1F]}}',
  'method: random\nparameters: {x: {min: 1e400, max: -1e400}}',
  'method: random\nparameters: {x: {distribution: q_uniform, min: 0, max: 1, q: 0}}',
  'method: grid\nparameters: {x: {values: []}}',
  '\uFEFFmethod: grid\nparameters: {x: {value: 1}}',
  'method: grid\r\nparameters:\r\n  x:\r\n    values: [1, 2]\r\n',
  '%YAML 1.1\n---\nmethod: grid',
  '? [complex, key]\n: value\nmethod: grid',
  'method: "\\ud800"\n',
  'method: grid\nparameters: {"\\u0000": {value: 1}}',
  '{"method": "grid", "parameters": {"x": {"values": [1, 2]}}, "run_cap": 1e999}',
);

/** Big inputs: deep nesting, huge lists and strings (each checked once, they are slow to parse). */
const HEAVY: readonly string[] = [
  '{"method": "grid", "parameters": ' + '{"p": '.repeat(300) + '1' + '}'.repeat(300) + '}',
  '[' .repeat(5000) + ']'.repeat(5000),
  '{a: ' .repeat(3000) + '1' + '}'.repeat(3000),
  `method: grid\nparameters: {x: {values: [${'1,'.repeat(100_000)}1]}}`,
  `method: random\ndescription: "${'é'.repeat(500_000)}"\nparameters: {x: {value: 1}}`,
];

const configText = fc.oneof(
  { weight: 3, arbitrary: sweepish.map((c) => JSON.stringify(c)) },
  { weight: 2, arbitrary: value.map((v) => JSON.stringify(v) ?? 'null') },
  { weight: 2, arbitrary: yamlOddities },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.tuple(sweepish.map((c) => JSON.stringify(c)), fc.nat()).map(([t, n]) => t.slice(0, n % (t.length + 1))) },
);

function check(text: string): void {
  let result;
  try {
    result = validateConfigText(text, 'fuzz.yaml');
  } catch (error) {
    // A broom error is a clear message; anything else (TypeError, RangeError, …) is a bug.
    if (error instanceof BroomError && error.message.length > 0) return;
    throw new Error(`validateConfigText threw ${(error as Error)?.name}: ${(error as Error)?.message}\n--- input (${text.length} chars) ---\n${text.slice(0, 300)}`);
  }
  expect(typeof result.valid).toBe('boolean');
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (!result.valid) {
    expect(errors.length).toBeGreaterThan(0);
    for (const issue of errors) {
      const line = formatIssue(issue, 'fuzz.yaml');
      expect(typeof issue.message).toBe('string');
      expect(issue.message.trim().length).toBeGreaterThan(0);
      expect(line).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/); // no stack trace
      expect(line).not.toMatch(/undefined|\[object Object\]/);
    }
  } else {
    expect(result.config).toBeDefined();
  }
}

describe('fuzzing sweep configs', () => {
  it('every generated config gets a verdict: valid, or clear errors; never a crash', () => {
    fc.assert(fc.property(configText, check), { seed: SEED, numRuns: 3000, endOnFailure: true });
  });

  it('every YAML oddity and every big input gets a verdict too', () => {
    fc.assert(fc.property(yamlOddities, check), { seed: SEED, numRuns: 100 });
    for (const text of HEAVY) check(text);
  });

  const dir = mkdtempSync(path.join(tmpdir(), 'broom-fuzz-validate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('`broom validate` exits 0 or 1 with its message, never 70 (an internal error) or a stack trace', async () => {
    const samples = fc.sample(configText, { seed: SEED + 1, numRuns: 300 });
    const write = { out: process.stdout.write, err: process.stderr.write };
    let captured = '';
    const capture = ((chunk: string | Uint8Array) => {
      captured += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    }) as typeof process.stdout.write;
    try {
      for (const [i, text] of samples.entries()) {
        const file = path.join(dir, `c${i}.yaml`);
        writeFileSync(file, text);
        for (const extra of [[], ['--json']]) {
          captured = '';
          process.stdout.write = capture;
          process.stderr.write = capture;
          let code: number;
          try {
            code = await main(['node', 'broom', 'validate', file, ...extra]);
          } finally {
            process.stdout.write = write.out;
            process.stderr.write = write.err;
          }
          expect([code, captured.includes('internal error')], `sample ${i}: ${text.slice(0, 200)}\n${captured.slice(0, 2000)}`).toEqual([code === 0 ? 0 : 1, false]);
          expect(captured).not.toMatch(/\n\s+at .*:\d+:\d+\)?\n/);
          if (extra.length > 0) {
            const verdict = JSON.parse(captured) as { valid: boolean; errors: string[] };
            expect(verdict.valid).toBe(code === 0);
            if (!verdict.valid) expect(verdict.errors.length).toBeGreaterThan(0);
          }
        }
      }
    } finally {
      process.stdout.write = write.out;
      process.stderr.write = write.err;
    }
  });
});
