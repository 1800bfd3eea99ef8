import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareRun, runPaths } from '../../src/agent/run-files.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile());
}

const HOSTILE = ['../../etc', '..', '.', '/abs/path', 'a/../../b', '..\\..\\win', 'x\u0000y', 'line\nbreak', '', '...', 'ok-id_1.2'];

describe('run files stay inside the broom directory', () => {
  it('maps any sweep and run id to one segment under the broom directory', () => {
    const dir = '/tmp/broom-home';
    for (const sweepId of HOSTILE) {
      for (const runId of HOSTILE) {
        const p = runPaths(dir, sweepId, runId);
        for (const file of Object.values(p)) {
          const rel = path.relative(dir, file);
          expect(rel.startsWith('..') || path.isAbsolute(rel), `${sweepId} / ${runId} → ${file}`).toBe(false);
        }
        expect(path.dirname(path.dirname(p.runDir))).toBe(dir);
        expect(path.basename(p.runDir)).toMatch(/^run-[\w.-]+$/);
      }
    }
    expect(runPaths(dir, 'abc123', 'r1').runDir).toBe(path.join(dir, 'sweep-abc123', 'run-r1'));
  });

  it('writes the config files and ${args_json_file} of a hostile run only under the broom directory', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'broom-runfiles-'));
    dirs.push(root);
    const dir = path.join(root, 'broom');
    const prepared = await prepareRun(
      {
        sweepId: '../../outside',
        runId: '../../../evil',
        runName: '../evil',
        config: { '../../param': '../../value', 'x/y': 1 },
        command: ['${program}', '${args_json_file}', '${args}'],
        program: 'train.py',
      },
      dir,
      {},
    );
    const written = files(root);
    expect(written.map((f) => path.basename(f)).sort()).toEqual(["config-______evil.json", "config-______evil.yaml", "metrics.jsonl"]);
    for (const f of written) expect(f.startsWith(`${dir}${path.sep}`), f).toBe(true);
    expect(prepared.argv[1]).toBe(prepared.paths.configJson);
    expect(readdirSync(root)).toEqual(['broom']);
  });
});
