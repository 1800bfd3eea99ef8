import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createInProcessEngine, fillConfig, loadScheduler } from '@broom/core';
import { parseConfigText } from '@broom/core/config';

const here = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.resolve(here, '..', '..', 'packages', 'cli');

describe('the custom scheduler example', () => {
  it('loads by path from sweep.yaml, logs every run in _poll and proposes bayes runs', async () => {
    const config = fillConfig(parseConfigText(readFileSync(path.join(here, 'sweep.yaml'), 'utf8'), 'sweep.yaml') as never, { file: 'sweep.yaml', launch: true });
    expect(config.scheduler).toMatchObject({ job: './schedulers/logging-scheduler.ts', num_workers: 2 });
    const lines: string[] = [];
    const engine = createInProcessEngine({ hostDirs: [cli] });
    const scheduler = await loadScheduler(config, { engine, log: (l) => lines.push(l), numWorkers: 2, seed: 3 }, { configDir: here, hostDirs: [cli] });
    const runs = [{ name: 'a', state: 'running' as const, config: { lr: 0.01 }, history: [{ val_loss: 0.9 }, { val_loss: 0.5 }], summary: {} }];
    const decisions = await scheduler.step({ sweepId: 'sw', config, state: 'RUNNING', runs }, 1);
    expect(decisions.map((d) => d.type)).toEqual(['launch']);
    expect(lines).toEqual(['[custom _poll 1] 1 run(s), sweep RUNNING', '[custom _poll 1]   a running step 2 val_loss=0.5']);
  });
});
