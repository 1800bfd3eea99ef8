import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SweepConfigError } from '../../../src/common/errors/broom-error.js';
import { PyFloat } from '../../../src/common/values.js';
import { loadConfigFile } from '../../../src/node/config/load-config-file.js';

const dir = mkdtempSync(path.join(tmpdir(), 'broom-config-'));

describe('loadConfigFile', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads and parses a file, with positions', async () => {
    const file = path.join(dir, 'sweep.yaml');
    writeFileSync(file, 'method: grid\nparameters:\n  lr:\n    values: [0.1, 1.0]\n');
    const loaded = await loadConfigFile(file);
    expect(loaded.file).toBe(file);
    expect(loaded.raw).toEqual({ method: 'grid', parameters: { lr: { values: [0.1, new PyFloat(1)] } } });
    expect(loaded.locate(['parameters', 'lr', 'values'])).toEqual({ line: 4, column: 5 });
  });

  it('reads standard input for "-"', async () => {
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([Buffer.from('method: random\n'), 'parameters: {x: {value: 1}}\n']) as never);
    const loaded = await loadConfigFile('-');
    expect(loaded.file).toBe('<stdin>');
    expect(loaded.raw).toEqual({ method: 'random', parameters: { x: { value: 1 } } });
  });

  it('names the path of a missing file', async () => {
    const missing = path.join(dir, 'nope.yaml');
    const e = await loadConfigFile(missing).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SweepConfigError);
    expect((e as SweepConfigError).message).toBe(`Cannot read the sweep config ${missing}: no such file.`);
    expect((e as SweepConfigError).issues[0].severity).toBe('error');
  });

  it('passes syntax errors through with line and column', async () => {
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'method: grid\nparameters:\n  lr: [1, 2\n');
    await expect(loadConfigFile(file)).rejects.toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:\\d+:\\d+: YAML syntax error`));
  });
});
