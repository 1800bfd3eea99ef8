import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkField, fieldIssues, fillField, type Field } from '../../../src/common/config/fields.js';
import { fillConfig } from '../../../src/common/config/fill.js';
import { LAUNCH_BLOCK_FIELD, LAUNCH_SCHEDULER_FIELD } from '../../../src/common/config/launch-fields.js';
import { LaunchBlockSchema, LaunchSchedulerSchema } from '../../../src/common/config/launch-schema.js';
import { parseConfigText } from '../../../src/common/config/parse.js';
import { PARAMETER_DEFINITIONS, ParameterSchema, ParametersSchema } from '../../../src/common/config/parameter-schema.js';
import { matchParameter, matchParameters, PARAMETER_FORMS } from '../../../src/common/config/parameter-table.js';
import {
  ControllerSchema, EngineSchedulerSchema, HyperbandSchema, MetricSchema, SWEEP_CONFIG_SHAPE, SweepConfigSchema,
} from '../../../src/common/config/schema.js';
import {
  CONTROLLER_FIELD, ENGINE_SCHEDULER_FIELD, HYPERBAND_FIELD, METRIC_FIELD, SWEEP_CONFIG_FIELD, SWEEP_CONFIG_FIELDS,
} from '../../../src/common/config/sweep-fields.js';
import { validateConfigText } from '../../../src/common/config/validate.js';
import { zodProblems } from '../../../src/common/config/zod-problems.js';
import { createRandom } from '../../../src/common/space/random.js';
import { isRecord, PyFloat, type Value } from '../../../src/common/values.js';
import type { z } from 'zod';

/*
 * One table, two readers: the zod-free matcher and checker the engine uses (`parameter-table.ts`,
 * `fields.ts`) and the zod schemas the strict validator builds from the same table must agree on
 * every value, on what they accept, what they fill in, and how they word what is wrong.
 */

/** The zod union's reading of a parameter, as `matchParameter` reports it. */
function zodMatch(raw: Value): unknown {
  const r = ParameterSchema.safeParse(raw);
  return r.success ? r.data : undefined;
}

// ---- values to try -------------------------------------------------------------------------

const SCALARS: Value[] = [
  0, 1, 2, -1, 5, 0.5, -0.5, 1e-5, new PyFloat(0), new PyFloat(1), new PyFloat(8), Infinity, -Infinity,
  '1e-5', 'a', 'ab', '', 'uniform', true, false, null,
];
const LISTS: Value[] = [[], [1], [1, 2, 3], [0.25, 0.75], [0.3, 0.3], ['a', 'b'], [-0.5, 1.5], ['x'], [new PyFloat(1)], [null]];
const MAPPINGS: Value[] = [
  {}, { value: 1 }, { a: { value: 1 } }, { a: { values: [1, 2] }, b: { min: 0, max: 1 } }, { 'bad name': { value: 1 } },
  { a: { values: [] } }, { a: { parameters: { b: { min: 0.0, max: 2.5 } } } }, { a: 1 },
];
const DISTRIBUTIONS: Value[] = [...PARAMETER_FORMS.map((f) => f.distribution), 'uniform_values', 'Uniform', 5];
const POOL: Value[] = [...SCALARS, ...LISTS, ...MAPPINGS];
const KEYS = [...new Set(PARAMETER_FORMS.flatMap((f) => f.keys)), 'log', 'type', 'default'];

/** Parameter-like mappings: a definition's keys with good or random values, then a few mutations. */
function generatedParameters(count: number, seed: number): Value[] {
  const random = createRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random.next() * xs.length)];
  const good: Record<string, () => Value> = {
    min: () => pick([0, 1, -3, 0.001, 0.5, new PyFloat(0), new PyFloat(2), 10]),
    max: () => pick([1, 10, 256, 0.1, 2.5, new PyFloat(1), new PyFloat(100)]),
    q: () => pick([1, 2, 0.5, new PyFloat(2), 0, -1]),
    mu: () => pick([0, 1.5, -2, new PyFloat(0)]),
    sigma: () => pick([1, 0, 0.5, -1]),
    a: () => pick([1, 0.5, 0, -0.5]),
    b: () => pick([1, 2, 0]),
    value: () => pick(POOL),
    values: () => pick(LISTS),
    probabilities: () => pick([[0.25, 0.75], [1], [], [-0.5, 1.5], 'x', [0.5, 'x']]),
    parameters: () => pick(MAPPINGS),
    distribution: () => pick(DISTRIBUTIONS),
  };
  const out: Value[] = [];
  for (let i = 0; i < count; i++) {
    const form = pick(PARAMETER_FORMS);
    const p: Record<string, Value> = {};
    for (const key of form.keys) {
      if (key === 'distribution') {
        if (!form.fields.distribution.optional || random.next() < 0.5) p.distribution = random.next() < 0.85 ? form.distribution : good.distribution();
      } else if (!form.fields[key].optional || random.next() < 0.6) {
        p[key] = random.next() < 0.8 ? good[key]() : pick(POOL);
      }
    }
    const mutations = Math.floor(random.next() * 3);
    for (let m = 0; m < mutations; m++) {
      const r = random.next();
      const keys = Object.keys(p);
      if (r < 0.3 && keys.length > 0) delete p[pick(keys)];
      else if (r < 0.6) p[pick(KEYS)] = pick(POOL);
      else if (keys.length > 0) p[pick(keys)] = pick(POOL);
    }
    out.push(p);
  }
  return out;
}

// ---- the W&B corpus ---------------------------------------------------------------------------

const repoRoot = fileURLToPath(new URL('../../../../../', import.meta.url));
const corpusDir = path.resolve(repoRoot, '../shared/wandb-configs');
const corpusFiles = fs.existsSync(path.join(corpusDir, 'EXPECTED.json'))
  ? fs.readdirSync(corpusDir).filter((f) => /\.ya?ml$/.test(f)).sort()
  : [];

function readCorpus(): { file: string; text: string; value: Value }[] {
  const out = [];
  for (const file of corpusFiles) {
    const text = fs.readFileSync(path.join(corpusDir, file), 'utf8');
    try {
      out.push({ file, text, value: parseConfigText(text, file) });
    } catch {
      // A syntax error: nothing to compare.
    }
  }
  return out;
}

/** Every parameter of a config, nested ones included, whether or not it is valid. */
function parametersOf(config: Value, at = 'parameters'): [string, Value][] {
  if (!isRecord(config) || !isRecord(config.parameters)) return [];
  return Object.entries(config.parameters).flatMap(([name, p]) => [[`${at}.${name}`, p] as [string, Value], ...parametersOf(p, `${at}.${name}.parameters`)]);
}

const corpus = readCorpus();

describe('the zod-free matcher and the zod union agree', () => {
  it.runIf(corpus.length > 0)('on every parameter of the W&B corpus, nested ones included', () => {
    const params = corpus.flatMap(({ file, value }) => parametersOf(value).map(([key, p]) => [`${file}: ${key}`, p] as const));
    expect(params.length).toBeGreaterThan(500);
    let matched = 0;
    for (const [where, p] of params) {
      const spec = matchParameter(p);
      expect(spec, where).toEqual(zodMatch(p));
      if (spec) matched++;
    }
    expect(matched).toBeGreaterThan(0);
    expect(matched).toBeLessThan(params.length);
  });

  it('on generated parameters, matching or not', () => {
    const params = generatedParameters(600, 20260101);
    let matched = 0;
    for (const p of params) {
      const spec = matchParameter(p);
      expect(spec, JSON.stringify(p)).toEqual(zodMatch(p));
      if (spec) matched++;
    }
    // Both outcomes are well represented.
    expect(matched).toBeGreaterThan(100);
    expect(params.length - matched).toBeGreaterThan(100);
  });

  it('on whole parameters: blocks', () => {
    for (const m of [...MAPPINGS, ...SCALARS, ...LISTS]) {
      const r = ParametersSchema.safeParse(m);
      expect(matchParameters(m), JSON.stringify(m)).toEqual(r.success ? r.data : undefined);
    }
  });

  it('on each key of each definition: the first message, which explains a failed match', () => {
    for (const def of PARAMETER_DEFINITIONS) {
      for (const key of def.keys) {
        if (key === 'parameters') continue;
        for (const v of [...POOL, ...DISTRIBUTIONS]) {
          const r = (def.shape[key] as z.ZodType).safeParse(v);
          const mine = fieldIssues(def.fields[key], v);
          expect(mine.length === 0, `${def.distribution}.${key} = ${JSON.stringify(v)}`).toBe(r.success);
          if (!r.success) expect(mine[0].message, `${def.distribution}.${key} = ${JSON.stringify(v)}`).toBe(r.error.issues[0].message);
        }
      }
    }
  });
});

// ---- the top-level blocks ----------------------------------------------------------------------

const BLOCK_VALUES: Record<string, Value[]> = {
  metric: [
    { name: 'loss' }, { name: 'acc', goal: 'maximize', target: 0.9 }, { name: 'acc', goal: 'maximise' }, { goal: 'minimize' },
    { name: 5 }, { name: 'x', impute: 'best', impute_while_running: 'false' }, { name: 'x', impute: 'never' },
    { name: 'x', target: '0.9' }, { name: 'x', summary: 'max' }, { name: 'x', goal: null }, 'loss', null, [], new PyFloat(1),
  ],
  early_terminate: [
    { type: 'hyperband', min_iter: 3 }, { type: 'hyperband', max_iter: 27, s: 2 }, { type: 'hyperband', max_iter: 27, s: 2, eta: 2.5, strict: false },
    { type: 'median' }, { min_iter: 3 }, { type: 'hyperband', min_iter: 0 }, { type: 'hyperband', min_iter: 2.0 },
    { type: 'hyperband', min_iter: new PyFloat(2) }, { type: 'hyperband', eta: 1 }, { type: 'hyperband', s: 'x', strict: 'yes' },
    { type: 'hyperband', min_iter: 3, patience: 5 }, 'hyperband', [],
  ],
  scheduler: [
    { engine: 'wandb' }, { engine: 'optuna', source: 'x.py', optimizer: 'tpe' }, { engine: 'hyperopt' }, { engine: 'ax', search_space: 5 },
    { job: 'x' }, {}, 'x',
  ],
  controller: [{ type: 'local' }, { type: 'cloud', extra: 1 }, { type: 'remote' }, {}, 'local'],
  metrics: [[{ name: 'a', goal: 'minimize' }, { name: 'b', goal: 'maximize' }], [{ name: 'a' }], ['a', 'b'], 'a', 'ab', true, 5, null, [], [{ name: 'a' }, { nam: 'b' }]],
  launchScheduler: [
    { job: 'sched', num_workers: 4, settings: { method: 'bayes' } }, { num_workers: 0 }, { num_workers: 2.0 }, { resource: 5 },
    { resource_args: [] }, { engine: 'optuna' }, { jobb: 'x' }, 'x',
  ],
  launchBlock: [
    { queue: 'q', priority: 1 }, { priority: 4 }, { registry: { url: 'u' } }, { registry: { uri: 'u' } },
    { overrides: { args: ['--x'], run_config: { a: 1 } } }, { overrides: { args: '--x' } }, { queue: 5, extra: true }, [],
  ],
};

const BLOCKS: [string, Field, z.ZodType, Value[]][] = [
  ['metric', METRIC_FIELD, MetricSchema, BLOCK_VALUES.metric],
  ['early_terminate', HYPERBAND_FIELD, HyperbandSchema, BLOCK_VALUES.early_terminate],
  ['scheduler', ENGINE_SCHEDULER_FIELD, EngineSchedulerSchema, BLOCK_VALUES.scheduler],
  ['controller', CONTROLLER_FIELD, ControllerSchema, BLOCK_VALUES.controller],
  ['metrics', SWEEP_CONFIG_FIELDS.metrics, SWEEP_CONFIG_SHAPE.metrics, BLOCK_VALUES.metrics],
  ['scheduler', LAUNCH_SCHEDULER_FIELD, LaunchSchedulerSchema, BLOCK_VALUES.launchScheduler],
  ['launch', LAUNCH_BLOCK_FIELD, LaunchBlockSchema, BLOCK_VALUES.launchBlock],
];

describe('the zod-free checker and the zod schemas agree on the top-level blocks', () => {
  it.each(BLOCKS)('%s', (key, f, schema, values) => {
    for (const v of values) {
      const r = schema.safeParse(v);
      const mine = checkField(f, v, [key]);
      expect(mine, `${key}: ${JSON.stringify(v)}`).toEqual(r.success ? [] : zodProblems(r.error.issues, v, schema, [key]));
      if (r.success) expect(fillField(f, v), `${key}: ${JSON.stringify(v)}`).toEqual(r.data);
    }
  });

  it.runIf(corpus.length > 0)('on every top-level key of the W&B corpus', () => {
    for (const { file, value } of corpus) {
      if (!isRecord(value)) continue;
      for (const [key, f] of Object.entries(SWEEP_CONFIG_FIELDS)) {
        if (key === 'parameters' || value[key] === undefined) continue;
        const schema = SWEEP_CONFIG_SHAPE[key];
        const r = schema.safeParse(value[key]);
        expect(checkField(f, value[key], [key]), `${file}: ${key}`)
          .toEqual(r.success ? [] : zodProblems(r.error.issues, value[key], schema, [key]));
      }
    }
  });

  it('on a whole config: the filled form', () => {
    const config = {
      method: 'bayes', metric: { name: 'acc', goal: 'maximize' }, early_terminate: { type: 'hyperband', max_iter: 27, s: new PyFloat(2) },
      parameters: { a: { min: 0, max: 1.5 }, b: { parameters: { c: { values: [1, 2] } } } }, run_cap: 10, controller: { type: 'local', x: 1 },
      program: 'train.py', command: ['${env}', '${program}'], kind: 'sweep',
    };
    const r = SweepConfigSchema.safeParse(config);
    expect(r.success).toBe(true);
    expect(fillField(SWEEP_CONFIG_FIELD, config, (v) => matchParameters(v))).toEqual(r.data);
  });
});

describe('the engine\'s lenient fill, without zod', () => {
  it('names a top-level parameter name W&B refuses, with the validator\'s wording', () => {
    const config = { method: 'random', parameters: { 'bad name': { value: 1 }, ok: { values: [] } } };
    let thrown: unknown;
    try {
      fillConfig(config, { file: 'c.json' });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as { issues: { path: string; message: string }[] }).issues.map((i) => i.path)).toEqual(['parameters.bad name', 'parameters.ok.values']);
    expect((thrown as Error).message).toContain('Key "parameters.bad name": parameter names must start with a letter or "_"');
  });
});

describe.runIf(corpus.length > 0)('the engine\'s lenient fill and the strict validator', () => {
  it('fill every config the validator accepts the same way', () => {
    let valid = 0;
    for (const { file, text, value } of corpus) {
      const result = validateConfigText(text, file);
      if (!result.valid) continue;
      valid++;
      expect(fillConfig(value, { file }), file).toEqual(result.config);
    }
    expect(valid).toBeGreaterThan(50);
  });
});
