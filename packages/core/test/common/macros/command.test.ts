import { describe, expect, it } from 'vitest';
import { COMMAND_MACROS, buildCommand, formatArgs, substituteEnvVars } from '../../../src/common/macros/command.js';
import type { CommandInput } from '../../../src/common/macros/command.js';
import { BroomError } from '../../../src/common/errors/broom-error.js';
import { PyFloat } from '../../../src/common/values.js';

const params = { lr: 0.001, epochs: 10, dropout: new PyFloat(1), amsgrad: true, nesterov: false, name: 'my run' };

function build(command: CommandInput['command'], extra: Partial<CommandInput> = {}) {
  return buildCommand({ command, program: 'train.py', params, env: {}, platform: 'linux', ...extra });
}

describe('buildCommand', () => {
  it('uses the default command when none (or an empty one) is given', () => {
    const expected = [
      '/usr/bin/env',
      'python',
      'train.py',
      '--lr=0.001',
      '--epochs=10',
      '--dropout=1.0',
      '--amsgrad=True',
      '--nesterov=False',
      '--name=my run',
    ];
    expect(build(undefined)).toEqual({ argv: expected, files: [] });
    expect(build([]).argv).toEqual(expected);
  });

  it('drops ${env} on win32 and honours the interpreter', () => {
    expect(build(['${env}', '${interpreter}', '${program}'], { platform: 'win32', interpreter: 'py' }).argv).toEqual([
      'py',
      'train.py',
    ]);
  });

  it.each([
    ['${args}', ['--lr=0.001', '--epochs=10', '--dropout=1.0', '--amsgrad=True', '--nesterov=False', '--name=my run']],
    ['${args_no_hyphens}', ['lr=0.001', 'epochs=10', 'dropout=1.0', 'amsgrad=True', 'nesterov=False', 'name=my run']],
    ['${args_no_boolean_flags}', ['--lr=0.001', '--epochs=10', '--dropout=1.0', '--amsgrad', '--name=my run']],
    [
      '${args_no_equals}',
      ['--lr', '0.001', '--epochs', '10', '--dropout', '1.0', '--amsgrad', 'True', '--nesterov', 'False', '--name', 'my run'],
    ],
    ['${args_append_hydra}', ['+lr=0.001', '+epochs=10', '+dropout=1.0', '+amsgrad=True', '+nesterov=False', '+name=my run']],
    [
      '${args_override_hydra}',
      ['++lr=0.001', '++epochs=10', '++dropout=1.0', '++amsgrad=True', '++nesterov=False', '++name=my run'],
    ],
    ['${args_json}', ['{"lr": 0.001, "epochs": 10, "dropout": 1.0, "amsgrad": true, "nesterov": false, "name": "my run"}']],
  ])('expands %s', (macro, expected) => {
    expect(build(['python', 'train.py', macro]).argv).toEqual(['python', 'train.py', ...expected]);
  });

  it('runs the hydra example from the docs', () => {
    const { argv } = buildCommand({
      command: ['${env}', '${interpreter}', '${program}', '${args_no_hyphens}', '+num_gpus=1'],
      program: 'main.py',
      params: { 'optimizer.lr': 0.0001, batch_size: 64 },
      env: {},
      platform: 'linux',
    });
    expect(argv).toEqual(['/usr/bin/env', 'python', 'main.py', 'optimizer.lr=0.0001', 'batch_size=64', '+num_gpus=1']);
  });

  it('formats values with Python str(), without flattening nested params', () => {
    const { argv } = buildCommand({
      command: ['${args}'],
      params: { opt: { lr: 0.01, nadam: { beta: 0.9 } }, layers: [64, 1e-5, 'relu'], tiny: 1e-5, big: new PyFloat(1e16), none: null },
      env: {},
      platform: 'linux',
    });
    expect(argv).toEqual([
      "--opt={'lr': 0.01, 'nadam': {'beta': 0.9}}",
      "--layers=[64, 1e-05, 'relu']",
      '--tiny=1e-05',
      '--big=1e+16',
      '--none=None',
    ]);
  });

  it('substitutes ${envvar:NAME} inside tokens, leaving the name when unset', () => {
    const { argv } = build(['${envvar:PY}', '--data=${envvar:DATA}/x', '${envvar:A}-${envvar:MISSING}-${envvar:A}'], {
      env: { PY: 'python3', DATA: '/mnt/data', A: 'a' },
    });
    expect(argv).toEqual(['python3', '--data=/mnt/data/x', 'a-MISSING-a']);
    expect(substituteEnvVars('${envvar:EMPTY}!', { EMPTY: '' })).toBe('!');
    expect(substituteEnvVars('${envvar:X}', { X: '$&$1' })).toBe('$&$1');
  });

  it('expands a macro produced by an envvar substitution', () => {
    expect(build(['${envvar:WHICH}'], { env: { WHICH: '${program}' } }).argv).toEqual(['train.py']);
  });

  it('drops unknown whole-token macros and keeps partial ones literally', () => {
    expect(build(['python', '${batch_size}', '${}', '${envvar:lower}', '--bs=${batch_size}', 'x${args}']).argv).toEqual([
      'python',
      '--bs=${batch_size}',
      'x${args}',
    ]);
  });

  it('stringifies non-string tokens with Python str()', () => {
    expect(build(['python', 'train.py', 3, new PyFloat(2), 0.5, true, null]).argv).toEqual([
      'python',
      'train.py',
      '3',
      '2.0',
      '0.5',
      'True',
      'None',
    ]);
  });

  it('adds the args_json_file only when the macro is used', () => {
    const path = '/tmp/wandb/sweep-abc/config-run1.json';
    const used = build(['${interpreter}', '${program}', '--config', '${args_json_file}', '${args_json_file}'], {
      argsJsonFilePath: path,
    });
    expect(used.argv).toEqual(['python', 'train.py', '--config', path, path]);
    expect(used.files).toEqual([
      { path, content: '{"lr": 0.001, "epochs": 10, "dropout": 1.0, "amsgrad": true, "nesterov": false, "name": "my run"}' },
    ]);
    expect(build(['${args_json}'], { argsJsonFilePath: path }).files).toEqual([]);
  });

  it('refuses ${program} without a program and ${args_json_file} without a path', () => {
    expect(() => build(['${program}'], { program: undefined })).toThrow(BroomError);
    expect(() => build(['${program}'], { program: undefined })).toThrow(/no `program`/);
    expect(() => build(['${args_json_file}'])).toThrow(/argsJsonFilePath/);
    expect(build(['python', 'x.py'], { program: undefined }).argv).toEqual(['python', 'x.py']);
  });
});

describe('formatArgs', () => {
  it('gives empty lists and {} for no params', () => {
    expect(formatArgs({})).toEqual({
      args: [],
      args_no_hyphens: [],
      args_no_boolean_flags: [],
      args_no_equals: [],
      args_append_hydra: [],
      args_override_hydra: [],
      args_json: ['{}'],
    });
  });
});

describe('COMMAND_MACROS', () => {
  it('documents every macro buildCommand expands', () => {
    const names = COMMAND_MACROS.map((m) => m.name);
    for (const key of Object.keys(formatArgs({}))) expect(names).toContain(`\${${key}}`);
    for (const key of ['env', 'interpreter', 'program', 'args_json_file', 'envvar:NAME']) expect(names).toContain(`\${${key}}`);
    for (const m of COMMAND_MACROS) expect(m.description.length).toBeGreaterThan(0);
  });
});
