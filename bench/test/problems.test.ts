import type { ValueRecord } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { components, curve, fmix32, noise, noiseKey, STEPS, type CurveParams } from '../src/problems/curves.js';
import { PROBLEMS, findProblem, isCurvesProblem } from '../src/problems/index.js';
import { hasProblemsJson, loadProblemsJson, problemsJsonPath, type ProblemSpec } from './shared-bench.js';

/** 1e-12 relative, 1e-12 absolute when the expected value is 0 (problems.json's tolerance). */
function expectClose(actual: number, expected: number, what: string): void {
  const err = expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
  if (!(err <= 1e-12)) throw new Error(`${what}: got ${actual}, expected ${expected} (error ${err.toExponential(2)})`);
}

const specs: Record<string, ProblemSpec> = hasProblemsJson ? loadProblemsJson().problems : {};

describe('problems', () => {
  it('are the five problems, in the order of problems.json', () => {
    expect(PROBLEMS.map((p) => p.name)).toEqual(['branin', 'hartmann6', 'rosenbrock4', 'mlp_surrogate', 'curves']);
  });

  it('fmix32 and the hash stay in uint32', () => {
    expect(fmix32(0)).toBe(0);
    for (const x of [1, 0xffffffff, 0x80000000, 12345]) {
      const h = fmix32(x);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    }
  });
});

describe.skipIf(!hasProblemsJson)(`problems.json test points (${problemsJsonPath})`, () => {
  for (const problem of PROBLEMS) {
    describe(problem.name, () => {
      const spec = specs[problem.name];

      it('has the parameters block, optimum and f_random_median of problems.json', () => {
        expect(spec).toBeDefined();
        expect(problem.parameters).toEqual(spec.parameters);
        expect(problem.optimum).toBe(spec.optimum);
        expect(problem.fRandomMedian).toBe(spec.f_random_median);
      });

      if (!spec) return;
      spec.test_points.forEach((tp, i) => {
        it(`test point ${i}: ${JSON.stringify(tp.params)}${tp.seed !== undefined ? ` seed ${tp.seed}` : ''}`, () => {
          const config = tp.params as ValueRecord;
          if (!isCurvesProblem(problem)) {
            expectClose(problem.evaluate(config), tp.value, 'value');
            return;
          }
          const seed = tp.seed as number;
          const p = tp.params as unknown as CurveParams;
          expect(noiseKey(p, seed)).toBe(tp.key);
          const c = components(p);
          for (const [k, v] of Object.entries(tp.components ?? {})) {
            expectClose(c[k as keyof typeof c], v, `components.${k}`);
          }
          tp.noise_first3?.forEach((v, j) => expectClose(noise(tp.key as number, j + 1), v, `noise(t=${j + 1})`));
          const got = curve(config, seed);
          expect(got).toHaveLength(STEPS);
          expect(tp.curve).toHaveLength(STEPS);
          tp.curve?.forEach((v, j) => expectClose(got[j], v, `curve[t=${j + 1}]`));
          expectClose(problem.lossAt(config, seed, STEPS), tp.value, 'loss_100');
          expectClose(problem.evaluate(config, seed), tp.value, 'value');
        });
      });
    });
  }

  it('covers every problem of problems.json', () => {
    expect(Object.keys(specs).sort()).toEqual(PROBLEMS.map((p) => p.name).sort());
    expect(findProblem('curves')?.name).toBe('curves');
  });
});
