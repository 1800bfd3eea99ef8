import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { problem as branin } from '../src/problems/branin.js';
import { benchDir, main } from '../src/run.js';
import { probeMethod } from '../src/runner/engine-client.js';
import type { ResultFile } from '../src/runner/result-file.js';
import { sweepConfig } from '../src/runner/sweep-config.js';

/** End to end through broom's engine: skipped while the random search plugin is not available. */
describe('run (broom engine, random search)', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'broom-bench-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('writes one result file per problem/sampler, in the shared format', async (ctx) => {
    const probe = await probeMethod(sweepConfig(branin, { method: 'random' }), { seed: 0, hostDirs: [benchDir] });
    if (!probe.ok) ctx.skip(`random search is not available from @broom/core yet: ${probe.reason}`);
    const code = await main(['--problems', 'branin,curves', '--methods', 'random,grid', '--seeds', '0-1', '--budget', '12', '--out', out]);
    const files = readdirSync(out).sort();
    expect(files).toContain('broom-branin-random.json');
    expect(files).toContain('broom-branin-random-p4.json');
    expect(files).toContain('broom-curves-random-nopruner.json');
    expect(files).toContain('broom-curves-random-p4-nopruner.json');
    expect(files.filter((f) => f.includes('grid'))).toEqual([]);
    expect(code).toBe(0);

    const file = JSON.parse(readFileSync(path.join(out, 'broom-branin-random.json'), 'utf8')) as ResultFile;
    expect(file).toMatchObject({ problem: 'branin', sampler: 'random', budget: 12, seeds: [0, 1], engine: 'broom' });
    expect(file.trajectories).toHaveLength(2);
    for (const t of file.trajectories) {
      expect(t).toHaveLength(12);
      for (let i = 1; i < t.length; i++) expect(t[i]! <= t[i - 1]!).toBe(true);
    }
    expect(file.overhead_ms.every((ms) => ms > 0)).toBe(true);
    expect(file.values[0].map((v, i) => Math.min(...file.values[0].slice(0, i + 1).map(Number)))).toEqual(file.trajectories[0]);
    // Seeded: the same seed gives the same proposals in both modes' first trial.
    const p4 = JSON.parse(readFileSync(path.join(out, 'broom-branin-random-p4.json'), 'utf8')) as ResultFile;
    expect(p4.values[0][0]).toBe(file.values[0][0]);

    const c = JSON.parse(readFileSync(path.join(out, 'broom-curves-random-nopruner.json'), 'utf8')) as ResultFile;
    expect(c.steps_consumed).toEqual([1200, 1200]);
    expect(c.cum_steps?.[0].at(-1)).toBe(1200);
    expect(c.n_pruned).toEqual([0, 0]);
  });
});
