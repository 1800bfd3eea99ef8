import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Run, mergeConfig, toJsonLine } from '../src/index.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'broom-sdk-'));

describe('mergeConfig', () => {
  it('lets sweep values win and merges nested objects key by key', () => {
    const defaults = { lr: 0.1, epochs: 3, opt: { name: 'sgd', momentum: 0.9 }, tags: ['a'] };
    const merged = mergeConfig(defaults, { lr: 0.01, opt: { name: 'adam' }, extra: true, tags: ['b'] });
    expect(merged).toEqual({ lr: 0.01, epochs: 3, opt: { name: 'adam', momentum: 0.9 }, tags: ['b'], extra: true });
    expect(defaults.opt.name).toBe('sgd');
  });

  it('replaces a non-object default by a sweep object and the reverse', () => {
    expect(mergeConfig({ a: 1, b: { c: 1 } }, { a: { x: 1 }, b: 2 })).toEqual({ a: { x: 1 }, b: 2 });
  });
});

describe('toJsonLine', () => {
  it('writes non-finite numbers as Python does', () => {
    expect(toJsonLine({ a: NaN, b: Infinity, c: -Infinity, d: [1, NaN], e: undefined, f: 1n })).toBe(
      '{"a":NaN,"b":Infinity,"c":-Infinity,"d":[1,NaN],"f":1}',
    );
  });
  it('survives cycles and typed arrays', () => {
    const o: Record<string, unknown> = { x: new Float32Array([1, 2]) };
    o.self = o;
    expect(toJsonLine(o)).toBe('{"x":[1,2],"self":"[Circular]"}');
  });
});

describe('Run', () => {
  it('reads the sweep values and appends lines to BROOM_METRICS_FILE', () => {
    const dir = tmp();
    const file = path.join(dir, 'metrics.jsonl');
    const env = { BROOM_RUN_ID: 'r1', BROOM_SWEEP_ID: 's1', BROOM_CONFIG: '{"lr": 0.5, "net": {"hidden": 8}}', BROOM_METRICS_FILE: file };
    const run = new Run({ lr: 0.1, epochs: 2, net: { hidden: 4, act: 'relu' } }, env);
    expect(run.config).toEqual({ lr: 0.5, epochs: 2, net: { hidden: 8, act: 'relu' } });
    expect(run.runId).toBe('r1');
    expect(run.sweepId).toBe('s1');
    expect(run.inSweep).toBe(true);
    run.log({ loss: 0.3, epoch: 1 });
    run.log({ loss: NaN });
    run.summary({ best: 0.3 });
    run.finish();
    run.finish();
    expect(readFileSync(file, 'utf8')).toBe('{"loss":0.3,"epoch":1}\n{"loss":NaN}\n{"_summary":{"best":0.3}}\n');
    expect(() => run.log({ a: 1 })).toThrow(/finished/);
  });

  it('reads BROOM_CONFIG_FILE when BROOM_CONFIG is absent', () => {
    const dir = tmp();
    const cfg = path.join(dir, 'config.json');
    writeFileSync(cfg, '{"x": 3}');
    const run = new Run({ x: 1, y: 2 }, { BROOM_RUN_ID: 'r', BROOM_CONFIG_FILE: cfg, BROOM_METRICS_FILE: path.join(dir, 'm') });
    expect(run.config).toEqual({ x: 3, y: 2 });
  });

  it('keeps the defaults and prints to stderr outside a sweep', () => {
    const printed: string[] = [];
    const run = new Run({ lr: 0.1 }, {}, (t) => printed.push(t));
    expect(run.config).toEqual({ lr: 0.1 });
    expect(run.inSweep).toBe(false);
    run.log({ loss: 1 });
    expect(printed.join('')).toContain('not running in a sweep');
    expect(printed.join('')).toContain('broom: {"loss":1}\n');
  });

  it('names the problem when the config is not JSON or a row is not an object', () => {
    expect(() => new Run({}, { BROOM_CONFIG: '{lr' })).toThrow(/BROOM_CONFIG is not valid JSON/);
    expect(() => new Run({}, { BROOM_CONFIG: '[1]' })).toThrow(/must be a JSON object, but got an array/);
    const run = new Run({}, {}, () => {});
    expect(() => run.log(3 as never)).toThrow(/expects an object/);
  });
});
