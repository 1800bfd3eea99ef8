import { describe, expect, it } from 'vitest';
import type { ParamSpec, SweepConfig } from '../common/config/types.js';
import type { Run } from '../common/engine/run.js';
import type { SearchMethod } from '../common/plugin/contracts.js';
import { createRandom } from '../common/space/random.js';
import { isFloat, isInt, isNumeric, isRecord, toNumber, type Value, type ValueRecord } from '../common/values.js';

/** Whether a proposed value can come from the parameter's distribution (bounds and type). */
export function specAllows(spec: ParamSpec, value: Value | undefined): boolean {
  const within = (x: number, lo: number, hi: number) => x >= lo - 1e-9 * Math.abs(lo) && x <= hi + 1e-9 * Math.abs(hi);
  switch (spec.distribution) {
    case 'constant':
      return JSON.stringify(value) === JSON.stringify(spec.value);
    case 'categorical':
    case 'categorical_w_probabilities':
      return spec.values.some((v) => JSON.stringify(v) === JSON.stringify(value));
    case 'int_uniform':
      return isInt(value) && within(value, spec.min, spec.max);
    case 'uniform':
      return isNumeric(value) && within(toNumber(value), spec.min, spec.max);
    case 'log_uniform_values':
    case 'inv_log_uniform_values':
      return isNumeric(value) && isFloat(value) && within(toNumber(value), spec.min, spec.max);
    case 'log_uniform':
      return isNumeric(value) && within(toNumber(value), Math.exp(spec.min), Math.exp(spec.max));
    case 'inv_log_uniform':
      return isNumeric(value) && within(toNumber(value), Math.exp(-spec.max), Math.exp(-spec.min));
    case 'param_dict':
      return isRecord(value) && Object.entries(spec.parameters).every(([k, s]) => specAllows(s, value[k]));
    default:
      // Unbounded and quantised forms: a number of the right kind.
      if (!isNumeric(value)) return false;
      return 'q' in spec && spec.q.isInt ? isInt(value) : isFloat(value);
  }
}

export interface SearchMethodContractCase {
  /** A filled sweep config the method can search. */
  config: SweepConfig;
  /** How many proposals to draw in sequence (each becomes a pending run). */
  proposals?: number;
}

/**
 * The contract every search method plugin passes: proposals are plain data that survive a worker
 * boundary, stay inside the space with the right types, and are reproducible from the seed.
 */
export function describeSearchMethodContract(name: string, make: () => SearchMethod, cases: SearchMethodContractCase[]): void {
  describe(`${name} search method contract`, () => {
    async function draw(c: SearchMethodContractCase, seed: number): Promise<ValueRecord[]> {
      const method = make();
      const runs: Run[] = [];
      const out: ValueRecord[] = [];
      for (let i = 0; i < (c.proposals ?? 20); i++) {
        const p = await method.next({ config: c.config, runs, random: createRandom(seed * 1000 + i) });
        if (p === null) break;
        out.push(p.config);
        runs.push({ name: `r${i}`, state: 'pending', config: p.config, history: [], summary: {} });
      }
      return out;
    }

    cases.forEach((c, i) => {
      it(`case ${i}: proposes values inside the space, with the right types`, async () => {
        const proposals = await draw(c, 1);
        expect(proposals.length).toBeGreaterThan(0);
        for (const p of proposals) {
          for (const [key, spec] of Object.entries(c.config.parameters)) {
            expect(specAllows(spec, p[key]), `${key} = ${JSON.stringify(p[key])}`).toBe(true);
          }
          expect(Object.keys(p).sort()).toEqual(Object.keys(c.config.parameters).sort());
        }
      });
      it(`case ${i}: proposals are plain data that cross a worker boundary`, async () => {
        for (const p of await draw(c, 2)) {
          const plain = JSON.parse(JSON.stringify(p));
          expect(structuredClone(plain)).toEqual(plain);
        }
      });
      it(`case ${i}: the same seed gives the same proposals`, async () => {
        expect(JSON.stringify(await draw(c, 3))).toBe(JSON.stringify(await draw(c, 3)));
      });
    });
  });
}
