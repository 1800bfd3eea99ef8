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

  program
    .command('sweep')
    .description('create a sweep from a config (prints its ID), or change a sweep\'s state with --pause, --resume, --stop or --cancel')
    .argument('<config-or-id>', 'the sweep config (YAML or JSON) to create a sweep from; with a state flag, the sweep ID')
    .option('--name <name>', "the sweep's name (overrides the config's name)")
    .option('-p, --project <project>', 'project of the sweep (else BROOM_PROJECT, WANDB_PROJECT, the config)')
    .option('-e, --entity <entity>', 'entity of the sweep (else BROOM_ENTITY, WANDB_ENTITY, the config)')
    .option('--program <program>', "the program to run (overrides the config's program)")
    .option('--pause', 'pause the sweep: no new runs; running runs go on')
    .option('--resume', 'resume a paused, stopped or canceled sweep')
    .option('--stop', 'stop the sweep: no new runs; running runs finish')
    .option('--cancel', 'cancel the sweep: running runs are killed')
    .option('--retry-failed', 'with --resume: run the grid cells of failed and crashed runs again')
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'the server token (else BROOM_TOKEN)')
    .action(async (target: string, opts) => {
      const { sweepCommand } = await import('./commands/sweep-command.js');
      setExit(await run(() => sweepCommand(target, opts), 1));
    });

  program
    .command('agent')
    .description("run the sweep's runs on this machine until the sweep is done, --count runs have ended, or Ctrl-C")
    .argument('<sweep-id>', 'the sweep: id, project/id or entity/project/id')
    .addOption(new Option('--count <n>', 'stop after this many runs have ended').argParser(parseCount))
    .option('-p, --project <project>', 'project of the sweep, for a bare id')
    .option('-e, --entity <entity>', 'entity of the sweep, for a bare id')
    .option('--kill-delay <seconds>', 'grace between SIGTERM and SIGKILL when a run is stopped (else BROOM_AGENT_KILL_DELAY, 30)')
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'the server token (else BROOM_TOKEN)')
    .action(async (sweepId: string, opts) => {
      const { agentCommand } = await import('./commands/agent-command.js');
      setExit(await run(() => agentCommand(sweepId, opts), 1));
    });

  program
    .command('server')
    .description('run the broom server in the foreground (Ctrl-C stops it), or stop a background one with --stop')
    .option('--host <host>', 'interface to listen on (anything but loopback needs a token)', '127.0.0.1')
    .option('--port <port>', 'port (0 for any free port)', '8418')
    .option('--dir <dir>', 'the broom directory holding the data (else BROOM_DIR, else ./broom)')
    .option('--database-url <url>', 'keep the data in this PostgreSQL database, which several servers may share (else BROOM_DATABASE_URL, else <dir>/broom.sqlite)')
    .option('--token <token>', 'require this bearer token on every request (else BROOM_TOKEN)')
    .option('--poll-interval <seconds>', 'how often sweeps are stepped (default 5)')
    .option('--heartbeat-timeout <seconds>', 'a run whose agent is silent this long is crashed (default 60)')
    .option('--stop', 'stop the server running for the broom directory (its pid file)')
    .action(async (opts) => {
      const { serverCommand } = await import('./commands/server-command.js');
      setExit(await run(() => serverCommand(opts), 1));
    });

  program
    .command('sweeps')
    .description('list the sweeps on the server, newest first')
    .option('--json', 'print them as JSON')
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'the server token (else BROOM_TOKEN)')
    .action(async (opts) => {
      const { sweepsCommand } = await import('./commands/sweeps-command.js');
      setExit(await run(() => sweepsCommand(opts), 1));
    });

  program
    .command('runs')
    .description("list a sweep's runs, best first by its metric")
    .argument('<sweep-id>', 'the sweep: id, project/id or entity/project/id')
    .option('--json', 'print them as JSON (with config and summary)')
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'the server token (else BROOM_TOKEN)')
    .action(async (sweepId: string, opts) => {
      const { runsCommand } = await import('./commands/runs-command.js');
      setExit(await run(() => runsCommand(sweepId, opts), 1));
    });

  const token = program
    .command('token')
    .description('manage the access tokens of the server (off loopback every request needs one; agents read it from BROOM_TOKEN)');
  token
    .command('create')
    .description('create a token and print it once (the server keeps only its hash)')
    .option('--name <name>', 'a name to tell it apart in `broom token list`', 'token')
    .option('--json', 'print {"id", "name", "createdAt", "token"} as JSON')
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'a token of the server, if it needs one (else BROOM_TOKEN)')
    .action(async (opts) => {
      const { tokenCreateCommand } = await import('./commands/token-command.js');
      setExit(await run(() => tokenCreateCommand(opts), 1));
    });
  token
    .command('list')
    .description('list the tokens: id, name, created, last used, revoked (never the secret)')
    .option('--json', 'print them as JSON')
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'a token of the server, if it needs one (else BROOM_TOKEN)')
    .action(async (opts) => {
      const { tokenListCommand } = await import('./commands/token-command.js');
      setExit(await run(() => tokenListCommand(opts), 1));
    });
  token
    .command('revoke')
    .description('revoke a token by its id: requests with it are refused from now on')
    .argument('<id>', 'the token id (tok_…, from `broom token list`)')
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'a token of the server, if it needs one (else BROOM_TOKEN)')
    .action(async (id: string, opts) => {
      const { tokenRevokeCommand } = await import('./commands/token-command.js');
      setExit(await run(() => tokenRevokeCommand(id, opts), 1));
    });

  program
    .command('ui')
    .description('open the web dashboard: prints its URL and opens a browser when one is available (starts a local server if none answers)')
    .option('--no-open', 'only print the URL')
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'the server token (else BROOM_TOKEN); put in the URL once, then kept by the page')
    .action(async (opts) => {
      const { uiCommand } = await import('./commands/ui-command.js');
      setExit(await run(() => uiCommand(opts), 1));
    });

  // ---- Sweeps on Launch (issue 7) ----
  const collect = (value: string, previous: string[]) => [...previous, value];

  program
    .command('launch-sweep')
    .description('create a launch sweep: its scheduler is queued as a job, and launch agents run it and its runs (or resume one with --resume_id)')
    .argument('[config]', 'the sweep config (YAML or JSON); optional with --resume_id (then only its scheduler and launch blocks are used)')
    .option('-q, --queue <queue>', 'the queue for the scheduler and the runs (else launch.queue in the config)')
    .option('-p, --project <project>', 'project of the sweep (else BROOM_PROJECT, WANDB_PROJECT, the config)')
    .option('-e, --entity <entity>', 'entity of the sweep (else BROOM_ENTITY, WANDB_ENTITY, the config)')
    .option('-r, --resume_id <sweep-id>', 'resume this launch sweep (paused, stopped, finished, canceled or failed) from its stored config and scheduler state')
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'the server token (else BROOM_TOKEN)')
    .action(async (file: string | undefined, opts) => {
      const { launchSweepCommand } = await import('./commands/launch-sweep-command.js');
      setExit(await run(() => launchSweepCommand(file, opts), 1));
    });

  program
    .command('launch-agent')
    .description("run the queues' items (sweep schedulers and runs) on this machine until interrupted")
    .option('-q, --queue <queue>', 'a queue to poll (repeatable)', collect, [])
    .option('-j, --max-jobs <n>', 'runs at once (-1 unlimited, 0 none)', '1')
    .option('--max-schedulers <n>', 'sweep schedulers at once (-1 unlimited, 0 none)', '1')
    .option('-l, --log-file <file>', "the agent's own log (- for stdout; default stderr)")
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'the server token (else BROOM_TOKEN)')
    .action(async (opts) => {
      const { launchAgentCommand } = await import('./commands/launch-agent-command.js');
      setExit(await run(() => launchAgentCommand(opts), 1));
    });

  program
    .command('scheduler', { hidden: true })
    .description("run a launch sweep's scheduler (started by a launch agent)")
    .argument('<sweep-id>', 'the sweep')
    .option('--url <url>', 'the broom server (else BROOM_URL)')
    .option('--token <token>', 'the server token (else BROOM_TOKEN)')
    .action(async (sweepId: string, opts) => {
      const { schedulerCommand } = await import('./commands/scheduler-command.js');
      setExit(await run(() => schedulerCommand(sweepId, opts), 1));
    });

  program
    .command('queues')
    .description('list the launch queues: what waits and runs in each, and the launch agents polling it')
    .option('--json', 'print them as JSON')
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'the server token (else BROOM_TOKEN)')
    .action(async (opts) => {
      const { queuesCommand } = await import('./commands/queues-command.js');
      setExit(await run(() => queuesCommand(opts), 1));
    });

  program
    .command('queue')
    .description("show a launch queue's items in the order they are handed out")
    .argument('<name>', 'the queue')
    .option('--all', 'also the items that ended')
    .option('--json', 'print the queue and its items as JSON')
    .option('--url <url>', 'the broom server (else BROOM_URL, else a local server)')
    .option('--token <token>', 'the server token (else BROOM_TOKEN)')
    .action(async (name: string, opts) => {
      const { queueCommand } = await import('./commands/queues-command.js');
      setExit(await run(() => queueCommand(name, opts), 1));
    });
  // ---- end of Sweeps on Launch ----

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
