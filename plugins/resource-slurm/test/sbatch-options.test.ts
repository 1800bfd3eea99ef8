import { describe, expect, it } from 'vitest';
import {
  SlurmArgsError,
  mergeSbatchArgs,
  optionName,
  parseSbatchArgs,
  parseSlurmArgs,
  renderSbatchOptions,
  sbatchPart,
  settingsPart,
} from '../src/sbatch-options.js';

function problems(raw: unknown): string[] {
  try {
    parseSbatchArgs(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(SlurmArgsError);
    return (error as SlurmArgsError).problems;
  }
  throw new Error('expected parseSbatchArgs to throw');
}

describe('parseSbatchArgs', () => {
  it('accepts sbatch spellings and underscore spellings alike', () => {
    const hyphen = parseSbatchArgs({ 'cpus-per-task': 4, 'job-name': 'j', 'mem-per-cpu': '2G', 'ntasks-per-node': 2 });
    const underscore = parseSbatchArgs({ cpus_per_task: 4, job_name: 'j', mem_per_cpu: '2G', ntasks_per_node: 2 });
    expect(underscore).toEqual(hyphen);
    expect(hyphen).toEqual({ 'cpus-per-task': 4, 'job-name': 'j', 'mem-per-cpu': '2G', 'ntasks-per-node': 2 });
  });

  it('takes no args as none, and unwraps W&B\'s per-resource nesting {slurm: {...}}', () => {
    expect(parseSbatchArgs(undefined)).toEqual({});
    expect(parseSbatchArgs(null)).toEqual({});
    expect(parseSbatchArgs({ slurm: { partition: 'gpu', time: '01:00:00' } })).toEqual({ partition: 'gpu', time: '01:00:00' });
  });

  it('accepts every common option', () => {
    const all = {
      partition: 'gpu',
      time: '1-02:03:04',
      nodes: '1-2',
      ntasks: 1,
      'ntasks-per-node': 1,
      'cpus-per-task': 8,
      mem: '16G',
      'mem-per-cpu': 2048,
      gres: 'gpu:a100:1',
      gpus: 1,
      'job-name': 'sweep run',
      account: 'lab',
      qos: 'normal',
      constraint: 'a100&ib',
      reservation: 'r1',
      nodelist: 'n[01-04]',
      exclude: 'n05',
      exclusive: true,
      extra: ['--begin=now+60', '--mail-type=END'],
    };
    expect(parseSbatchArgs(all)).toEqual(all);
  });

  it('names the key, what is wrong and what it got', () => {
    expect(problems({ cpus_per_task: 'two', mem: 'lots', time: '1 hour', nodes: 0 })).toEqual([
      'Key "resource_args.time": must be minutes (a whole number) or "HH:MM:SS", "D-HH:MM:SS" (sbatch --time formats), but got "1 hour"',
      'Key "resource_args.nodes": must be a whole number > 0, but got 0',
      'Key "resource_args.cpus_per_task": must be a whole number > 0, but got "two"',
      'Key "resource_args.mem": must be megabytes (a whole number) or a size like "16G", "500M", but got "lots"',
    ]);
    expect(problems({ exclusive: 'yes', gpus: 1.5, partition: '', account: 'a\nb' })).toEqual([
      'Key "resource_args.partition": must not be empty, but got ""',
      'Key "resource_args.gpus": must be a GPU count (a whole number > 0) or a spec like "a100:2", but got 1.5',
      'Key "resource_args.account": must be one line (no newline or NUL), but got "a\\nb"',
      'Key "resource_args.exclusive": must be true or false, but got "yes"',
    ]);
    expect(problems('gpu')).toEqual([
      'Key "resource_args": must be a mapping of sbatch options like {partition: gpu, time: "01:00:00"}, but got "gpu"',
    ]);
  });

  it('suggests the nearest option for a typo, and points at "extra" for other sbatch options', () => {
    const known =
      'partition, time, nodes, ntasks, ntasks-per-node, cpus-per-task, mem, mem-per-cpu, gres, gpus, job-name, account, qos, ' +
      'constraint, reservation, nodelist, exclude, exclusive, extra, poll-interval, kill-wait, bin';
    expect(problems({ slurm: { partitoin: 'x' } })).toEqual([
      `Key "resource_args.slurm.partitoin": not an option of the slurm resource. Did you mean "partition"? (Known: ${known}.)`,
    ]);
    expect(problems({ mail_type: 'END' })).toEqual([
      `Key "resource_args.mail_type": not an option of the slurm resource (known: ${known}); pass any other sbatch option in "extra", ` +
        'e.g. extra: ["--mail-type=..."]',
    ]);
  });

  it('refuses one option given in both spellings', () => {
    expect(problems({ cpus_per_task: 1, 'cpus-per-task': 2 })).toEqual([
      'Key "resource_args.cpus-per-task": the same option as "cpus_per_task"; give it once',
    ]);
  });

  it('refuses raw options broom sets itself, and a list that does not start with an option', () => {
    expect(problems({ extra: ['--output=x', '-o', 'y', '--chdir=/tmp', '--array=1-3'] })).toEqual([
      'Key "resource_args.extra.0": --output cannot be given (broom sends the output to the run\'s log file), but got "--output=x"',
      'Key "resource_args.extra.1": -o cannot be given (broom sends the output to the run\'s log file), but got "-o"',
      'Key "resource_args.extra.3": --chdir cannot be given (broom runs the job in the item\'s working directory), but got "--chdir=/tmp"',
      'Key "resource_args.extra.4": --array cannot be given (each queue item is one job), but got "--array=1-3"',
    ]);
    expect(problems({ extra: ['foo'] })).toEqual(['Key "resource_args.extra.0": must start with an option like "--begin=now+60", but got "foo"']);
    expect(problems({ extra: '--x' })).toEqual([
      'Key "resource_args.extra": must be a list of sbatch options like ["--begin=now+60"], but got "--x"',
    ]);
  });

  it('says all of it in the error message, under one heading', () => {
    expect(() => parseSbatchArgs({ mem: 'lots' })).toThrow(
      'Invalid resource_args for the slurm resource:\n  Key "resource_args.mem": must be megabytes (a whole number) or a size like "16G", "500M", but got "lots"',
    );
  });
});

describe('renderSbatchOptions', () => {
  it('gives one argv element per option, values with spaces and quotes as they are', () => {
    expect(
      renderSbatchOptions({
        'job-name': `my "quoted" job's name`,
        partition: 'gpu',
        time: 90,
        mem: '16G',
        'cpus-per-task': 4,
        exclusive: true,
        extra: ['--begin=now+60', '--comment', 'two words'],
      }),
    ).toEqual([
      '--partition=gpu',
      '--time=90',
      '--cpus-per-task=4',
      '--mem=16G',
      `--job-name=my "quoted" job's name`,
      '--exclusive',
      '--begin=now+60',
      '--comment',
      'two words',
    ]);
    expect(renderSbatchOptions({ exclusive: false })).toEqual([]);
    expect(renderSbatchOptions({})).toEqual([]);
  });
});

describe('mergeSbatchArgs', () => {
  it('lets the item override the defaults key by key, extra included', () => {
    expect(
      mergeSbatchArgs({ partition: 'cpu', time: 60, extra: ['--comment=broom'] }, { partition: 'gpu', extra: ['--begin=now'] }),
    ).toEqual({ partition: 'gpu', time: 60, extra: ['--begin=now'] });
    expect(mergeSbatchArgs({ partition: 'cpu' }, {})).toEqual({ partition: 'cpu' });
    // The launch agent passes the same resource_args as options and as the item's args.
    const same = { partition: 'gpu', extra: ['--begin=now'] };
    expect(mergeSbatchArgs(same, same)).toEqual(same);
  });
});

describe("broom's settings in resource_args", () => {
  it('are read in any spelling and kept apart from the sbatch options', () => {
    const args = parseSlurmArgs({ poll_interval: 2, killWait: 0, bin: '/opt/slurm/bin', partition: 'gpu' });
    expect(args).toEqual({ 'poll-interval': 2, 'kill-wait': 0, bin: '/opt/slurm/bin', partition: 'gpu' });
    expect(settingsPart(args)).toEqual({ 'poll-interval': 2, 'kill-wait': 0, bin: '/opt/slurm/bin' });
    expect(sbatchPart(args)).toEqual({ partition: 'gpu' });
    expect(parseSbatchArgs({ 'poll-interval': 2, partition: 'gpu' })).toEqual({ partition: 'gpu' });
  });

  it('are checked', () => {
    expect(() => parseSlurmArgs({ poll_interval: 0, kill_wait: -1 }, 'launch.resource_args')).toThrow(
      'Invalid resource_args for the slurm resource:\n' +
        '  Key "launch.resource_args.poll_interval": must be a number of seconds > 0, but got 0\n' +
        '  Key "launch.resource_args.kill_wait": must be a number of seconds >= 0, but got -1',
    );
  });

  it('option names are normalised to sbatch spelling', () => {
    expect(['cpus_per_task', '--cpus-per-task', 'cpusPerTask', 'pollInterval', 'job_name'].map(optionName)).toEqual([
      'cpus-per-task',
      'cpus-per-task',
      'cpus-per-task',
      'poll-interval',
      'job-name',
    ]);
  });
});
