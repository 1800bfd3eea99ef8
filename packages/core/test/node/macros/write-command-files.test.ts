import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildCommand } from '../../../src/common/macros/command.js';
import { writeCommandFiles } from '../../../src/node/macros/write-command-files.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('writeCommandFiles', () => {
  it('writes the args_json_file, creating its directory', async () => {
    dir = await mkdtemp(join(tmpdir(), 'broom-macros-'));
    const path = join(dir, 'wandb', 'sweep-abc', 'config-run1.json');
    const { files } = buildCommand({
      command: ['${args_json_file}'],
      params: { lr: 0.01, name: 'é' },
      env: {},
      platform: 'linux',
      argsJsonFilePath: path,
    });
    await writeCommandFiles(files);
    expect(await readFile(path, 'utf8')).toBe('{"lr": 0.01, "name": "\\u00e9"}');
  });
});
