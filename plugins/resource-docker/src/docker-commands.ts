import { BroomError, runTool, ToolRunError, type ToolResult } from '@broom/core';

/** The docker client is not there, or the Docker daemon does not answer: no container can run here. */
export class DockerUnavailableError extends BroomError {}

/** A docker command ran but failed (a refused `docker run`, an unknown container, …). */
export class DockerCommandError extends BroomError {}

export type CommandResult = ToolResult;

/** What docker says when it cannot reach its daemon (socket missing, daemon down, remote host gone). */
const DAEMON_UNREACHABLE =
  /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|dial unix [^:]+: connect:|docker daemon is not running|failed to connect to the docker API/i;
const DAEMON_FORBIDDEN = /permission denied while trying to connect to the Docker daemon|dial unix [^:]+: connect: permission denied/i;

/** The first lines of what a command said (stderr, else stdout). */
export function said(r: CommandResult, lines = 10): string {
  return (r.stderr.trim() || r.stdout.trim() || '(no message)').split('\n').slice(0, lines).join('\n');
}

/** Whether docker's words mean that the daemon could not be reached. */
export function daemonUnreachable(text: string): boolean {
  return DAEMON_UNREACHABLE.test(text) || DAEMON_FORBIDDEN.test(text);
}

/**
 * The error for a docker command that could not reach the daemon, naming the resource and what to do;
 * undefined when `r` says something else.
 */
export function unreachableError(program: string, r: CommandResult): DockerUnavailableError | undefined {
  const text = said(r);
  if (!daemonUnreachable(text)) return undefined;
  const forbidden = DAEMON_FORBIDDEN.test(text);
  return new DockerUnavailableError(
    'docker-daemon-unreachable',
    `The local-container resource cannot reach the Docker daemon: ${program} said "${text.replace(/\s*\n\s*/g, ' ')}". ` +
      (forbidden
        ? "The launch agent's user may not use the Docker socket: add it to the docker group (then log in again), or run the agent as a user who can."
        : 'Start the daemon (e.g. `sudo systemctl start docker`, or Docker Desktop), point DOCKER_HOST at one that runs, ' +
          'or run this launch agent on a machine where `docker info` works.'),
    { program, stderr: r.stderr },
  );
}

/** Runs the docker client (no shell: every argument is passed as it is). */
export class DockerCommands {
  constructor(
    /** The client: `docker` on PATH, or a path (or another docker-compatible client, e.g. podman). */
    readonly program = 'docker',
    /** Seconds before a command that hangs is killed (a pull may take long: `docker run` gets its own). */
    readonly timeout = 120,
  ) {}

  /**
   * Run `docker ARGS`. `env` is the client's whole environment (variables passed with `--env NAME`
   * take their values from it). Rejects with DockerUnavailableError when the client is missing.
   */
  run(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<CommandResult> {
    const { program } = this;
    const timeout = opts.timeout ?? this.timeout;
    return runTool(program, args, { ...(opts.env ? { env: opts.env } : {}), timeoutS: timeout }).catch((error: unknown) => {
      if (!(error instanceof ToolRunError)) throw error;
      const { failure } = error;
      if (failure.kind === 'missing') {
        throw new DockerUnavailableError(
          'docker-not-found',
          `The local-container resource cannot run ${program}: it was not found${program.includes('/') ? '' : ' on PATH'} (${failure.errno}). ` +
            "It needs the docker client on the launch agent's machine and a Docker daemon it can reach: install Docker " +
            '(https://docs.docker.com/engine/install/), or name another client in resource_args "bin" (e.g. podman).',
          { program },
          { cause: error },
        );
      }
      if (failure.kind === 'timeout') {
        throw new DockerCommandError(
          'docker-command',
          `${program} ${args.slice(0, 2).join(' ')} did not answer within ${timeout}s (killed by ${failure.signal}); is the Docker daemon responding?`,
          { program },
        );
      }
      throw new DockerCommandError('docker-command', `${program} could not be run: ${failure.message}`, { program }, { cause: error });
    });
  }

  /** `docker info`: resolves with the server version, or rejects saying why no container can run here. */
  async ping(): Promise<string> {
    const r = await this.run(['info', '--format', '{{.ServerVersion}}'], { timeout: 30 });
    if (r.code === 0 && r.stdout.trim()) return r.stdout.trim();
    throw unreachableError(this.program, r) ?? new DockerCommandError('docker-command', `${this.program} info failed (exit code ${r.code}): ${said(r)}`, { program: this.program });
  }

  /**
   * `docker inspect` of one container's `.State`; undefined when docker does not know the container.
   * Throws DockerUnavailableError when the daemon does not answer.
   */
  async inspectState(container: string): Promise<unknown> {
    const r = await this.run(['container', 'inspect', '--format', '{{json .State}}', container]);
    if (r.code !== 0) {
      if (/no such (container|object)/i.test(r.stderr)) return undefined;
      throw unreachableError(this.program, r) ?? commandFailed(this.program, 'inspect', r);
    }
    try {
      return JSON.parse(r.stdout) as unknown;
    } catch {
      throw new DockerCommandError('docker-command', `${this.program} inspect gave no JSON for ${container}: ${r.stdout.slice(0, 200)}`, { container });
    }
  }
}

export function commandFailed(program: string, name: string, r: CommandResult): DockerCommandError {
  return new DockerCommandError('docker-command', `${program} ${name} failed (exit code ${r.code}): ${said(r)}`, { command: name, code: r.code });
}
