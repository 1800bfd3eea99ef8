import { PyFloat, type Run, type RunState, type SweepConfig, type Value } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { HyperbandPruner } from '../src/hyperband-pruner.js';

function sweep(early: Record<string, unknown>, goal: 'minimize' | 'maximize' = 'minimize', name = 'loss'): SweepConfig {
  return {
    method: 'grid',
    parameters: {},
    metric: { name, goal, impute: 'worst', impute_while_running: 'false' },
    early_terminate: { type: 'hyperband', ...early },
  } as SweepConfig;
}

function run(name: string, state: RunState, values: Value[], key = 'loss'): Run {
  return { name, state, config: {}, history: values.map((v) => ({ [key]: v, _step: 0 })) };
}

const evaluate = (config: SweepConfig, runs: Run[]) => new HyperbandPruner().evaluate(config, runs);

describe("W&B's docstring example (max_iter 5, eta 2, s 2)", () => {
  const runs = [
    run('a', 'finished', [10, 9]),
    run('b', 'running', [10, 10]),
    run('c', 'running', [10, 8, 8]),
    run('d', 'running', [10, 7, 7]),
    run('e', 'finished', [10, 6, 6]),
  ];
  const config = sweep({ max_iter: 5, eta: 2, s: 2 });

  it('stops b only (strict, the default)', () => {
    // band 1: [10,10,10,10,10][int(0.5·5)=2] = 10; band 2: sorted [9,10,8,7,6][2] = 8.
    const result = evaluate(config, runs);
    expect(result.stop).toEqual(['b']);
  });

  it('reports bands, thresholds and the lines of every running run', () => {
    const { info } = evaluate(config, runs);
    expect(Object.keys(info)).toEqual(['b', 'c', 'd']);
    const lines = [
      'Bands: 1 = 10, 2 = 8',
      'Run: b Step: 2  (Band: 2 Metric: 10 Threshold: 8)  STOP',
      'Run: c Step: 3  (Band: 2 Metric: 8 Threshold: 8) ',
      'Run: d Step: 3  (Band: 2 Metric: 7 Threshold: 8) ',
    ];
    // W&B shares one list between the runs' infos (a shallow dict copy), so each holds every line.
    for (const name of ['b', 'c', 'd']) {
      expect(info[name]).toEqual({ lines, bands: [1, 2], thresholds: [10, 8] });
      expect(Object.keys(info[name])).toEqual(['lines', 'bands', 'thresholds']);
    }
    expect(info.b.lines).not.toBe(info.c.lines);
  });
});

describe('strict and non-strict (W&B test_eta_3: max_iter 9, eta 3, s 2 → bands [1, 3])', () => {
  const runs = [
    run('a', 'finished', [10, 9]),
    run('b', 'running', [10, 10]),
    run('c', 'running', [10, 8, 8, 3]),
    run('d', 'running', [10, 7, 7, 4]),
    run('e', 'running', [10, 6, 6, 6]),
  ];
  // band 1: five 10s → sorted[int(5/3)=1] = 10; band 3: [8, 7, 6] → sorted[int(1.0)=1] = 7.

  it('strict compares the value logged at the band: c (8 at band 3) is stopped', () => {
    for (const strict of [true, undefined]) {
      const { stop, info } = evaluate(sweep({ max_iter: 9, eta: 3, s: 2, ...(strict === undefined ? {} : { strict }) }), runs);
      expect(stop).toEqual(['c']);
      expect(info.c.lines).toEqual([
        'Bands: 1 = 10, 3 = 7',
        'Run: b Step: 2  (Band: 1 Metric: 10 Threshold: 10) ',
        'Run: c Step: 4  (Band: 3 Metric: 8 Threshold: 7)  STOP',
        'Run: d Step: 4  (Band: 3 Metric: 7 Threshold: 7) ',
        'Run: e Step: 4  (Band: 3 Metric: 6 Threshold: 7) ',
      ]);
    }
  });

  it('non-strict compares the best value so far: c (best 3) survives', () => {
    const { stop, info } = evaluate(sweep({ max_iter: 9, eta: 3, s: 2, strict: false }), runs);
    expect(stop).toEqual([]);
    expect(info.c.lines[2]).toBe('Run: c Step: 4  (Band: 3 Metric: 3 Threshold: 7) ');
  });

  it('non-strict stops a run whose best value is still behind', () => {
    const behind = [...runs, run('f', 'running', [12, 11, 9, 8])];
    // band 3 values [8, 7, 6, 9] → sorted [6, 7, 8, 9][int(4/3)=1] = 7; f's best is 8 > 7.
    expect(evaluate(sweep({ max_iter: 9, eta: 3, s: 2, strict: false }), behind).stop).toEqual(['f']);
  });
});

describe('maximize', () => {
  const runs = [
    run('A', 'finished', [0.1, 0.9]),
    run('B', 'running', [0.2, 0.3]),
    run('C', 'running', [0.5, 0.8]),
  ];
  const early = { max_iter: 4, eta: 2, s: 1 }; // bands [2]

  it('negates every value: the lowest accuracy is stopped, and the lines show negated numbers', () => {
    // band 2: [-0.9, -0.3, -0.8] → sorted [-0.9, -0.8, -0.3][int(1.5)=1] = -0.8.
    const { stop, info } = evaluate(sweep(early, 'maximize', 'loss'), runs);
    expect(stop).toEqual(['B']);
    expect(info.B).toEqual({
      lines: [
        'Bands: 2 = -0.8',
        'Run: B Step: 2  (Band: 2 Metric: -0.3 Threshold: -0.8)  STOP',
        'Run: C Step: 2  (Band: 2 Metric: -0.8 Threshold: -0.8) ',
      ],
      bands: [2],
      thresholds: [-0.8],
    });
  });

  it('minimize on the same histories stops nothing', () => {
    // band 2: sorted [0.3, 0.8, 0.9][1] = 0.8; B 0.3 and C 0.8 are not above it.
    expect(evaluate(sweep(early, 'minimize'), runs).stop).toEqual([]);
  });
});

describe('which values count', () => {
  it('skips non-numeric, NaN, infinite and boolean values, and rows without the metric', () => {
    const noisy: Run = {
      name: 'n',
      state: 'running',
      config: {},
      history: [
        { loss: 'NaN' },
        { loss: Number.NaN },
        { other: 1 },
        { loss: true },
        { loss: Number.POSITIVE_INFINITY },
        { loss: null },
        { loss: 7 },
        { loss: { nested: 1 } },
        { loss: 9 },
      ],
    };
    const { stop, info } = evaluate(sweep({ max_iter: 6, eta: 3, s: 1 }), [run('ok', 'finished', [1, 2]), noisy]);
    // bands [2]: n has logged 2 values (7, 9); band 2 values [2, 9] → sorted[int(2/3)=0] = 2.
    expect(info.n.lines[1]).toBe('Run: n Step: 2  (Band: 2 Metric: 9 Threshold: 2)  STOP');
    expect(stop).toEqual(['n']);
  });

  it('keeps a run with one value among NaN strings until it reaches a band (W&B test_hyperband_runs_with_nan_metrics)', () => {
    const c = run('c', 'running', [19.68895149230957, ...Array<Value>(56).fill('NaN')], 'overall_eval_loss');
    const d = run('d', 'finished', Array.from({ length: 40 }, (_, i) => 40 - i), 'overall_eval_loss');
    const { stop, info } = evaluate(sweep({ max_iter: 300, eta: 3, s: 2 }, 'minimize', 'overall_eval_loss'), [c, d]);
    expect(stop).toEqual([]);
    // bands [33, 100]: only d has 33 values (its 33rd is 8); nobody has 100.
    expect(info.c.lines).toEqual(['Bands: 33 = 8, 100 = inf', 'Run: c Step: 1  ']);
    expect(info.c.thresholds).toEqual([8, Number.POSITIVE_INFINITY]);
  });

  it('prints ints as ints and floats as Python floats', () => {
    const runs = [run('f', 'finished', [new PyFloat(10), 0.1]), run('r', 'running', [new PyFloat(12), 2.5e-7])];
    const { info } = evaluate(sweep({ max_iter: 3, eta: 3, s: 1 }), runs);
    // band 1: [10.0, 12.0] → sorted[int(2/3)=0] = 10.0; r's first value 12.0 > 10.0.
    expect(info.r.lines).toEqual(['Bands: 1 = 10.0', 'Run: r Step: 2  (Band: 1 Metric: 12.0 Threshold: 10.0)  STOP']);
    const nonStrict = evaluate(sweep({ max_iter: 3, eta: 3, s: 1, strict: false }), runs);
    expect(nonStrict.info.r.lines[1]).toBe('Run: r Step: 2  (Band: 1 Metric: 2.5e-07 Threshold: 10.0) ');
  });

  it('maximize turns an int 0 into 0 and a float 0.0 into -0.0, as Python does', () => {
    const runs = [run('i', 'running', [0]), run('f', 'running', [new PyFloat(0)])];
    const { info } = evaluate(sweep({ max_iter: 3, eta: 3, s: 1 }, 'maximize'), runs);
    expect(info.i.lines).toEqual([
      'Bands: 1 = 0',
      'Run: i Step: 1  (Band: 1 Metric: 0 Threshold: 0) ',
      'Run: f Step: 1  (Band: 1 Metric: -0.0 Threshold: 0) ',
    ]);
    expect(info.i.thresholds).toEqual([0]);
    expect(Object.is(info.i.thresholds[0], 0)).toBe(true);
  });

  it('non-strict takes the first of equal best values, as Python min does (3.0 before 3)', () => {
    const runs = [run('r', 'running', [new PyFloat(3), 3, 5])];
    const { info } = evaluate(sweep({ max_iter: 3, eta: 3, s: 1, strict: false }), runs);
    expect(info.r.lines[1]).toBe('Run: r Step: 3  (Band: 1 Metric: 3.0 Threshold: 3.0) ');
  });
});

describe('run states', () => {
  it('uses runs of every state for thresholds but stops and reports only running runs', () => {
    // bands [1]; r = 1/3.
    const config = sweep({ max_iter: 3, eta: 3, s: 1 });
    const alone = evaluate(config, [run('R', 'running', [5])]);
    expect(alone.stop).toEqual([]); // [5][0] = 5: not above itself

    const runs = [
      run('F', 'failed', [1]),
      run('G', 'finished', [2]),
      run('X', 'crashed', [100]),
      run('K', 'killed', [50]),
      run('P', 'pending', []),
      run('R', 'running', [5]),
    ];
    // band 1 values [1, 2, 100, 50, 5] → sorted [1, 2, 5, 50, 100][int(5/3)=1] = 2.
    const { stop, info } = evaluate(config, runs);
    expect(stop).toEqual(['R']);
    expect(Object.keys(info)).toEqual(['R']);
    expect(info.R.thresholds).toEqual([2]);
  });

  it('lists stopped runs in input order', () => {
    const runs = [
      run('z', 'running', [9]),
      run('best', 'finished', [1]),
      run('a', 'running', [8]),
      run('m', 'running', [1]),
      run('n', 'finished', [1]),
    ];
    // bands [1]: sorted [1, 1, 1, 8, 9][int(0.5·5)=2] = 1.
    expect(evaluate(sweep({ max_iter: 2, eta: 2, s: 1 }), runs).stop).toEqual(['z', 'a']);
  });
});

describe('band boundaries', () => {
  const config = sweep({ max_iter: 27, eta: 3, s: 2 }); // bands [3, 9]
  const others = [run('o1', 'finished', [1, 1, 1, 1, 1, 1, 1, 1, 1]), run('o2', 'finished', [2, 2, 2, 2, 2, 2, 2, 2, 2])];
  const history = (n: number) => Array.from({ length: n }, (_, i) => 10 + i);

  it('a run one value short of a band is not judged at it', () => {
    const { stop, info } = evaluate(config, [...others, run('r', 'running', history(2))]);
    expect(stop).toEqual([]);
    expect(info.r.lines[1]).toBe('Run: r Step: 2  ');
  });

  it('a run exactly at a band is judged at it, on its band-th value, and counts toward its threshold', () => {
    const { stop, info } = evaluate(config, [...others, run('r', 'running', history(3))]);
    // band 3: [1, 2, 12] → sorted[int(1.0)=1] = 2 (without r's 12 it would be [1, 2][0] = 1).
    // band 9: [1, 2] → sorted[int(0.67)=0] = 1.
    expect(info.r.thresholds).toEqual([2, 1]);
    expect(info.r.lines).toEqual(['Bands: 3 = 2, 9 = 1', 'Run: r Step: 3  (Band: 3 Metric: 12 Threshold: 2)  STOP']);
    expect(stop).toEqual(['r']);
  });

  it('between bands a run is judged at the lower one; at 9 values at the upper one', () => {
    expect(evaluate(config, [...others, run('r', 'running', history(8))]).info.r.lines[1]).toBe(
      'Run: r Step: 8  (Band: 3 Metric: 12 Threshold: 2)  STOP',
    );
    expect(evaluate(config, [...others, run('r', 'running', history(9))]).info.r.lines[1]).toBe(
      'Run: r Step: 9  (Band: 9 Metric: 18 Threshold: 2)  STOP',
    );
  });
});

describe('threshold rank', () => {
  it('is int((1/eta)·count) computed as Python does, not floor(count/eta)', () => {
    // eta 3.7, 37 runs: (1/3.7)·37 = 9.999999999999998 → 9, while 37/3.7 = 10.
    const runs = Array.from({ length: 37 }, (_, i) => run(`r${i + 1}`, i === 9 || i === 10 ? 'running' : 'finished', [i + 1]));
    const { stop, info } = evaluate(sweep({ max_iter: 4, eta: 3.7, s: 1 }), runs); // bands [1]
    expect(info.r10.thresholds).toEqual([10]);
    expect(stop).toEqual(['r11']);
  });
});

describe('min_iter form', () => {
  it("judges at min_iter·eta^k and prints all 100 bands, exactly (W&B's test_hyperband_min_iter_bands)", () => {
    const runs = [run('run', 'running', Array(4).fill(10)), run('run2', 'running', Array.from({ length: 10 }, (_, i) => 10 - i))];
    const { stop, info } = evaluate(sweep({ min_iter: 3, eta: 3 }), runs);
    // band 3: [10, 8] → sorted[int(2/3)=0] = 8; run's 3rd value 10 > 8. band 9: [2] → 2; run2's 9th is 2.
    expect(stop).toEqual(['run']);
    expect(info.run.bands.slice(0, 3)).toEqual([3, 9, 27]);
    const bandsLine = info.run.lines[0];
    expect(bandsLine.startsWith('Bands: 3 = 8, 9 = 2, 27 = inf, 81 = inf, ')).toBe(true);
    expect(bandsLine.endsWith(`, ${(3n ** 100n).toString()} = inf`)).toBe(true);
    expect(info.run.lines.slice(1)).toEqual([
      'Run: run Step: 4  (Band: 3 Metric: 10 Threshold: 8)  STOP',
      'Run: run2 Step: 10  (Band: 9 Metric: 2 Threshold: 2) ',
    ]);
  });

  it('maximize: the flat run is stopped (W&B test_hyperband_min_iter_bands_max)', () => {
    const runs = [
      run('run', 'running', Array(4).fill(10), 'accuracy'),
      run('run2', 'running', Array.from({ length: 10 }, (_, i) => 10 + i), 'accuracy'),
    ];
    expect(evaluate(sweep({ min_iter: 3, eta: 3 }, 'maximize', 'accuracy'), runs).stop).toEqual(['run']);
  });
});

describe('output is plain data', () => {
  it('survives JSON and structured cloning', () => {
    const runs = [run('a', 'running', [1, 2]), run('b', 'running', [3, 4]), run('c', 'finished', [0, 0])];
    const result = evaluate(sweep({ max_iter: 5, eta: 2, s: 2 }), runs);
    expect(structuredClone(result)).toEqual(result);
    expect(JSON.parse(JSON.stringify(result)).stop).toEqual(['b']);
  });
});
