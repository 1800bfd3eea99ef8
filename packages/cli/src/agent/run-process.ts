import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { constants } from 'node:os';

export interface RunOutcome {
  /** The exit code, or 128 + the signal number when a signal ended the program; null if it never started. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when {@link RunProcess.stop} or {@link RunProcess.kill} was called before it ended. */
  stopped: boolean;
  /** Why the program could not be started (e.g. ENOENT). */
  startError?: Error;
}

export interface RunProcessOptions {
  cwd: string;
  env: Record<string, string>;
  /** The file that receives the program's stdout and stderr. */
  outputLog: string;
  /** Where the output is echoed (the agent's own stdout and stderr by default; null for none). */
  echo?: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } | null;
}

/** How long to wait for the program's output pipes to close after it exits (a daemonised grandchild may hold them). */
const PIPE_GRACE_MS = 2000;

/**
 * One program started for a run, as W&B's agent starts it: in a new process group (so that a signal
 * reaches everything it started, and the terminal's Ctrl-C reaches only the agent), stdin closed,
 * no shell. Its stdout and stderr go to the run's output log and are echoed.
 */
export class RunProcess {
  readonly done: Promise<RunOutcome>;
  private child: ChildProcess | undefined;
  private stopped = false;
  private killTimer: NodeJS.Timeout | undefined;
  private exited = false;

  constructor(argv: readonly string[], opts: RunProcessOptions) {
    this.done = this.start(argv, opts);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get isStopping(): boolean {
    return this.stopped;
  }

  /** SIGTERM to the process group now, SIGKILL after `killDelayMs` if it is still alive. Repeated calls do nothing more. */
  stop(killDelayMs: number): void {
    if (this.exited || this.stopped) return;
    this.stopped = true;
    this.signal('SIGTERM');
    this.killTimer = setTimeout(() => this.signal('SIGKILL'), killDelayMs);
    this.killTimer.unref();
  }

  /** SIGKILL to the process group now. */
  kill(): void {
    if (this.exited) return;
    this.stopped = true;
    this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (pid === undefined || this.exited) return;
    try {
      if (process.platform === 'win32') this.child?.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      try {
        this.child?.kill(signal);
      } catch {
        // already gone
      }
    }
  }

  private start(argv: readonly string[], opts: RunProcessOptions): Promise<RunOutcome> {
    const log: WriteStream = createWriteStream(opts.outputLog, { flags: 'a' });
    log.on('error', () => {});
    const echo = opts.echo === undefined ? { stdout: process.stdout, stderr: process.stderr } : opts.echo;
    return new Promise<RunOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: RunOutcome) => {
        if (settled) return;
        settled = true;
        this.exited = true;
        clearTimeout(this.killTimer);
        log.end(() => resolve(outcome));
      };
      let child: ChildProcess;
      try {
        child = spawn(argv[0], argv.slice(1), {
          cwd: opts.cwd,
          env: opts.env,
          stdio: ['ignore', 'pipe', 'pipe'],
          detached: process.platform !== 'win32',
          windowsHide: true,
        });
      } catch (error) {
        finish({ exitCode: null, signal: null, stopped: false, startError: error as Error });
        return;
      }
      this.child = child;
      const pipe = (from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream | undefined) => {
        from?.on('data', (chunk: Buffer) => {
          log.write(chunk);
          if (to) safeWrite(to, chunk);
        });
      };
      pipe(child.stdout, echo?.stdout);
      pipe(child.stderr, echo?.stderr);
      child.on('error', (error) => {
        // Only a failed start lands here without an exit event.
        if (child.pid === undefined) finish({ exitCode: null, signal: null, stopped: this.stopped, startError: error });
      });
      child.on('exit', (code, signal) => {
        this.exited = true;
        clearTimeout(this.killTimer);
        const outcome: RunOutcome = {
          exitCode: code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : null),
          signal,
          stopped: this.stopped,
        };
        const grace = setTimeout(() => {
          child.stdout?.destroy();
          child.stderr?.destroy();
          finish(outcome);
        }, PIPE_GRACE_MS);
        child.on('close', () => {
          clearTimeout(grace);
          finish(outcome);
        });
      });
    });
  }
}

function safeWrite(stream: NodeJS.WritableStream, chunk: Buffer): void {
  try {
    stream.write(chunk);
  } catch {
    // the agent's own output is closed (e.g. piped into `head`): the log file still has it
  }
}
