import { Command, CommanderError, Option } from 'commander';
import { parseCount, report } from './io.js';

const VERSION = '0.1.0';

/** Build the `broom` program. Each command loads its code only when it runs, to keep calls fast. */
export function createProgram(setExit: (code: number) => void): Command {
  const program = new Command('broom')
    .description('Self-hosted hyperparameter sweeps in the Weights & Biases Sweeps dialect.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('validate')
    .description('check a sweep config (YAML or JSON; - for stdin): exit 0 when valid, 1 with every problem listed')
    .argument('<file>', 'the sweep config, or - to read standard input')
    .option('--json', 'print {"valid": bool, "errors": [string], "warnings": [string]}')
    .option('--fill', 'print the config with every default filled in, as JSON')
    .action(async (file: string, opts) => {
      const { validateCommand } = await import('./commands/validate-command.js');
      setExit(await run(() => validateCommand(file, opts), 1));
    });

  program
    .command('next-runs')
    .description('propose runs: reads {"config": ..., "runs": [...]} and prints a JSON array of {"config": ...}')
    .addOption(new Option('-n, --count <n>', 'how many proposals at most').default(1).argParser(parseCount))
    .option('--seed <seed>', 'seed the search: the same input and seed give the same proposals')
    .option('-i, --input <file>', 'read the input from this file instead of standard input')
    .action(async (opts) => {
      const { nextRunsCommand } = await import('./commands/engine-commands.js');
      setExit(await run(() => nextRunsCommand(opts), 2));
    });

  program
    .command('stop-runs')
    .description('name the runs early termination (early_terminate) would stop, as a JSON array, in input order')
    .option('-i, --input <file>', 'read the input from this file instead of standard input')
    .option('--info', 'print {"stop": [names], "info": {name: early_terminate_info}} with bands, thresholds and lines')
    .action(async (opts) => {
      const { stopRunsCommand } = await import('./commands/engine-commands.js');
      setExit(await run(() => stopRunsCommand(opts), 2));
    });

  program
    .command('command')
    .description("print the command line an agent would run for given parameter values (expands the config's command macros)")
    .argument('<config>', 'the sweep config')
    .requiredOption('-p, --params <json>', 'parameter values as a JSON object, e.g. \'{"lr": 0.01}\'')
    .option('--sweep-id <id>', 'sweep id used in ${args_json_file}', 'SWEEP')
    .option('--run-id <id>', 'run id used in ${args_json_file}', 'RUN')
    .option('--json', 'print the argv as a JSON array')
    .action(async (file: string, opts) => {
      const { commandCommand } = await import('./commands/command-command.js');
      setExit(await run(() => commandCommand(file, opts), 2));
    });

  return program;
}

async function run(action: () => Promise<number>, userExitCode: number): Promise<number> {
  try {
    return await action();
  } catch (error) {
    return report(error, userExitCode);
  }
}

/** Run the CLI on `argv` (as process.argv) and return the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = createProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    return report(error, 2);
  }
  return code;
}
