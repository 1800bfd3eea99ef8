import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unbox } from '@broom/core';
import { afterEach, describe, expect, it } from 'vitest';
import { MJS_COMMAND, TS_COMMAND, exitOf, fixtures, hasPython, python, repoRoot, runDir, sandbox, type Sandbox } from './harness.js';

let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

const yaml = (lines: Record<string, unknown>) => JSON.stringify(lines, null, 2); // JSON is YAML

describe('a grid sweep run by one agent', () => {
  it('runs every cell exactly once, records every metric, and the agent exits 0 when the sweep finishes', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(
      yaml({
        method: 'grid',
        metric: { name: 'val_loss', goal: 'minimize' },
        program: path.join(fixtures, 'train.ts'),
        command: TS_COMMAND,
        parameters: { x: { values: [3, 1, 2] }, epochs: { value: 4 }, model: { parameters: { layers: { values: [1, 2] } } } },
      }),
    );
    const agent = sb.spawnBroom(['agent', id]);
    expect(await exitOf(agent, 60_000)).toBe(0);
    expect(agent.stderr()).toContain(`Sweep ${id} is finished`);
    // Parameters come in the server's order (sorted by name, as W&B's engine does).
    expect(agent.stderr()).toMatch(/Agent Starting Run: \S+ with config:\nbroom: \tepochs: 4\nbroom: \tmodel: \{'layers': 1\}\nbroom: \tx: 3\n/);
    // The program's output is echoed and kept in the run's output.log.
    expect(agent.stdout()).toContain('train.ts: done x=3');

    const runs = await sb.runs(id);
    expect(runs).toHaveLength(6);
    expect(runs.every((r) => r.state === 'finished' && r.exitCode === 0)).toBe(true);
    const cells = runs.map((r) => `${unbox(r.config.x)}/${JSON.stringify(unbox(r.config.model))}`).sort();
    expect(cells).toEqual(['1/{"layers":1}', '1/{"layers":2}', '2/{"layers":1}', '2/{"layers":2}', '3/{"layers":1}', '3/{"layers":2}']);
    for (const run of runs) {
      const x = run.config.x as number;
      const layers = (run.config.model as { layers: number }).layers;
      expect(run.history?.map((h) => unbox(h.val_loss))).toEqual([x, x / 2, x / 3, x / 4]);
      // Nested parameters are merged over the program's defaults (act stays 'relu').
      expect(run.history?.map((h) => h.layers)).toEqual([layers, layers, layers, layers]);
      expect(unbox(run.summary.val_loss)).toBe(x / 4);
      expect(run.summary.x_seen).toBe(x);
      const log = readFileSync(path.join(runDir(sb, id, run.id), 'output.log'), 'utf8');
      expect(log).toContain(`config={"x":${x},"epochs":4,"sleep_ms":0,"exit_code":0,"model":{"layers":${layers},"act":"relu"}}`);
      expect(log).toContain(`argv=["--epochs=4","--model={'layers': ${layers}}","--x=${x}"]`);
      // W&B's files: the param YAML and the JSON config.
      const sweepDir = path.join(sb.dir, 'broom', `sweep-${id}`);
      expect(readFileSync(path.join(sweepDir, `config-${run.id}.yaml`), 'utf8')).toBe(
        `wandb_version: 1\nepochs:\n  value: 4\nmodel:\n  value:\n    layers: ${layers}\nx:\n  value: ${x}\n`,
      );
      expect(JSON.parse(readFileSync(path.join(sweepDir, `config-${run.id}.json`), 'utf8'))).toEqual({ x, epochs: 4, model: { layers } });
    }

    // `broom runs`: best first by val_loss (minimize).
    const table = await sb.broom(['runs', id]);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATE\s+PARAMETERS\s+VAL_LOSS$/);
    expect(lines[1]).toMatch(/finished\s+epochs=4 model=\{'layers': \d\} x=1\s+0\.25$/);
    expect(lines[6]).toMatch(/x=3\s+0\.75$/);
    expect(lines[7]).toMatch(new RegExp(`^Sweep ${id} \\(FINISHED\\): 6 runs \\(6 finished\\); best \\S+ val_loss=0.25 \\(minimize\\)$`));
    const json = JSON.parse((await sb.broom(['runs', id, '--json'])).stdout) as { config: { x: number } }[];
    expect(json.map((r) => r.config.x)).toEqual([1, 1, 2, 2, 3, 3]);

    const sweeps = await sb.broom(['sweeps']);
    expect(sweeps.stdout).toMatch(new RegExp(`^ID\\s+NAME\\s+STATE\\s+METHOD\\s+RUNS\\s+BEST\\s+CREATED\\n${id}\\s+\\S+\\s+FINISHED\\s+grid\\s+6/6\\s+val_loss=0.25`));
  });

  it('gives two agents in parallel different cells, never the same one', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(
      yaml({
        method: 'grid',
        metric: { name: 'val_loss', goal: 'minimize' },
        program: path.join(fixtures, 'quick.mjs'),
        command: MJS_COMMAND,
        parameters: { x: { values: [1, 2, 3, 4, 5, 6, 7, 8] }, mode: { value: 'sleep' }, sleep_ms: { value: 300 } },
      }),
    );
    const a = sb.spawnBroom(['agent', id]);
    const b = sb.spawnBroom(['agent', id]);
    expect(await exitOf(a)).toBe(0);
    expect(await exitOf(b)).toBe(0);
    const runs = await sb.runs(id);
    expect(runs.map((r) => r.config.x).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(runs.every((r) => r.state === 'finished')).toBe(true);
    expect(new Set(runs.map((r) => r.agentId)).size).toBe(2);
    expect(runs.every((r) => r.history?.length === 2)).toBe(true);
  });

  it('stops after --count runs', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(
      yaml({
        method: 'random',
        program: path.join(fixtures, 'quick.mjs'),
        command: MJS_COMMAND,
        parameters: { x: { min: 0.0, max: 1.0 } },
      }),
    );
    const agent = sb.spawnBroom(['agent', id, '--count', '2']);
    expect(await exitOf(agent)).toBe(0);
    expect(agent.stderr()).toContain('Reached --count 2: ran 2 runs. Exiting agent.');
    const runs = await sb.runs(id);
    expect(runs).toHaveLength(2);
    expect(runs.map((r) => r.state)).toEqual(['finished', 'finished']);
    expect((await sb.client.getSweep(id)).state).toBe('RUNNING');
  });
});

describe.skipIf(!hasPython)('the Python client end to end', () => {
  it('gets the merged config and sends its metrics (NaN included)', async () => {
    sb = await sandbox();
    const id = await sb.createSweep(
      [
        'method: grid',
        'metric: {name: val_loss, goal: minimize}',
        `program: ${path.join(fixtures, 'train.py')}`,
        'command:',
        '  - ${env}',
        `  - ${python}`,
        '  - ${program}',
        '  - ${args}',
        'parameters:',
        '  lr: {values: [0.01, 0.001]}',
        '  model:',
        '    parameters:',
        '      layers: {value: 2}',
        '',
      ].join('\n'),
    );
    const agent = sb.spawnBroom(['agent', id], { env: { PYTHONPATH: path.join(repoRoot, 'packages', 'sdk-python'), PYTHONDONTWRITEBYTECODE: '1' } });
    expect(await exitOf(agent)).toBe(0);
    const runs = await sb.runs(id);
    expect(runs.map((r) => r.state)).toEqual(['finished', 'finished']);
    for (const run of runs) {
      const lr = run.config.lr as number;
      expect(run.history?.map((h) => h.val_loss)).toEqual([lr * 2, lr, (lr * 2) / 3]);
      expect(run.history?.every((h) => Number.isNaN(h.nan))).toBe(true);
      expect(run.summary.final_lr).toBe(lr);
      const log = readFileSync(path.join(runDir(sb, id, run.id), 'output.log'), 'utf8');
      expect(log).toContain(`config={"epochs": 3, "lr": ${lr}, "model": {"act": "relu", "layers": 2}}`);
      expect(log).toContain(`argv=["--lr=${lr}", "--model={'layers': 2}"]`);
      if (log.includes('param yaml:')) expect(log).toContain(`param yaml: {"lr": {"value": ${lr}}, "model": {"value": {"layers": 2}}, "wandb_version": 1}`);
    }
  });
});
if (!hasPython) console.warn('@broom/e2e-sweep: python3 was not found; skipping the Python client test.');
