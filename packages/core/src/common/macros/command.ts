import { BroomError } from '../errors/broom-error.js';
import type { Value, ValueRecord } from '../values.js';
import { jsonDumps, pyStr } from './python-format.js';

/**
 * The run command as W&B's CLI agent builds it (`wandb_agent.py`, `sdk/launch/sweeps/utils.py`;
 * spec §2): `${envvar:NAME}` is substituted inside every token, then a token that starts with `${`
 * and ends with `}` is replaced by the macro's token list (an unknown one by nothing), and any other
 * token is passed as Python's `str()` of it. No shell is involved: a value with spaces stays one token.
 */

/** The command used when the sweep config has none (or an empty one, as W&B's `command or DEFAULT`). */
export const DEFAULT_COMMAND: readonly string[] = ['${env}', '${interpreter}', '${program}', '${args}'];

/** Every macro the command understands, for docs and `broom command --help`. */
export const COMMAND_MACROS: readonly { name: string; description: string }[] = [
  { name: '${env}', description: '/usr/bin/env (nothing on Windows)' },
  { name: '${interpreter}', description: 'the Python interpreter, `python`' },
  { name: '${program}', description: 'the sweep config `program`' },
  { name: '${args}', description: 'one token per parameter: --name=value' },
  { name: '${args_no_hyphens}', description: 'one token per parameter: name=value' },
  { name: '${args_no_boolean_flags}', description: '--name=value, but --name for true and nothing for false' },
  { name: '${args_no_equals}', description: 'two tokens per parameter: --name value' },
  { name: '${args_append_hydra}', description: 'one token per parameter: +name=value (Hydra append)' },
  { name: '${args_override_hydra}', description: 'one token per parameter: ++name=value (Hydra override)' },
  { name: '${args_json}', description: 'one token: the parameters as a JSON object' },
  { name: '${args_json_file}', description: 'the path of a file holding the parameters as a JSON object' },
  { name: '${envvar:NAME}', description: 'the environment variable NAME, inside any token (NAME itself if unset)' },
];

export type ArgsMacro =
  | 'args'
  | 'args_no_hyphens'
  | 'args_no_boolean_flags'
  | 'args_no_equals'
  | 'args_append_hydra'
  | 'args_override_hydra'
  | 'args_json';

export interface CommandInput {
  /** The sweep config's `command`; {@link DEFAULT_COMMAND} when absent or empty. */
  command?: readonly Value[];
  /** The sweep config's `program`, for `${program}`. */
  program?: string;
  /** The run's config: plain values in order, nested parameters as dicts (not flattened). */
  params: ValueRecord;
  /** The environment `${envvar:NAME}` reads. */
  env: Readonly<Record<string, string | undefined>>;
  /** `process.platform` (or a stand-in): `win32` drops `${env}`. */
  platform: NodeJS.Platform | string;
  /** `${interpreter}`; default `python`. */
  interpreter?: string;
  /** Where `${args_json_file}` points; required when the command uses it. */
  argsJsonFilePath?: string;
}

export interface CommandFile {
  path: string;
  content: string;
}

export interface BuiltCommand {
  argv: string[];
  /** Files the command expects to exist (only the `${args_json_file}` file, and only when used). */
  files: CommandFile[];
}

const ENVVAR = /\$\{envvar:([A-Z0-9_]*)\}/g;

/** Replace every `${envvar:NAME}` in a token by the variable's value, or by `NAME` when it is unset. */
export function substituteEnvVars(token: string, env: Readonly<Record<string, string | undefined>>): string {
  return token.replace(ENVVAR, (_, name: string) => env[name] ?? name);
}

/** The token lists of the `${args*}` macros for a run's params (W&B's `create_sweep_command_args`). */
export function formatArgs(params: ValueRecord): Record<ArgsMacro, string[]> {
  const out: Record<ArgsMacro, string[]> = {
    args: [],
    args_no_hyphens: [],
    args_no_boolean_flags: [],
    args_no_equals: [],
    args_append_hydra: [],
    args_override_hydra: [],
    args_json: [jsonDumps(params)],
  };
  for (const [name, value] of Object.entries(params)) {
    const text = pyStr(value);
    const flag = `${name}=${text}`;
    out.args.push(`--${flag}`);
    out.args_no_hyphens.push(flag);
    out.args_no_equals.push(`--${name}`, text);
    out.args_append_hydra.push(`+${flag}`);
    out.args_override_hydra.push(`++${flag}`);
    if (typeof value === 'boolean') {
      if (value) out.args_no_boolean_flags.push(`--${name}`);
    } else {
      out.args_no_boolean_flags.push(`--${flag}`);
    }
  }
  return out;
}

/** The argv of one run, plus the files it needs written first. */
export function buildCommand(input: CommandInput): BuiltCommand {
  const command = input.command && input.command.length > 0 ? input.command : DEFAULT_COMMAND;
  const tokens = command.map((token) => substituteEnvVars(pyStr(token), input.env));
  const args = formatArgs(input.params);
  const files: CommandFile[] = [];

  const expand = (name: string): string[] => {
    switch (name) {
      case 'env':
        return input.platform === 'win32' ? [] : ['/usr/bin/env'];
      case 'interpreter':
        return [input.interpreter ?? 'python'];
      case 'program':
        if (input.program === undefined) {
          throw new BroomError(
            'command-program-missing',
            'The command uses ${program}, but the sweep config has no `program`. Add `program: train.py` ' +
              '(the script to run) to the sweep config, or write the script into `command`.',
            { command: tokens },
          );
        }
        return [input.program];
      case 'args_json_file':
        if (input.argsJsonFilePath === undefined) {
          throw new BroomError(
            'command-args-json-file-missing',
            'The command uses ${args_json_file}, but no path for the file was given (argsJsonFilePath).',
            { command: tokens },
          );
        }
        if (files.length === 0) files.push({ path: input.argsJsonFilePath, content: args.args_json[0] });
        return [input.argsJsonFilePath];
      default:
        return Object.hasOwn(args, name) ? args[name as ArgsMacro] : [];
    }
  };

  const argv: string[] = [];
  for (const token of tokens) {
    if (token.startsWith('${') && token.endsWith('}')) argv.push(...expand(token.slice(2, -1)));
    else argv.push(token);
  }
  return { argv, files };
}
