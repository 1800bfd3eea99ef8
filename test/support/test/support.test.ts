import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureBuilt, exitOf, killPrograms, waitFor } from '../src/index.js';

describe('test support', () => {
  it('waitFor answers the first truthy value, and names what it waited for when it times out', async () => {
    let n = 0;
    expect(await waitFor(() => (++n >= 3 ? n : 0), 'three calls', 1000, 1)).toBe(3);
    await expect(waitFor(() => false, 'nothing', 30, 5)).rejects.toThrow('Timed out after 30 ms waiting for nothing');
  });

  it('exitOf gives the exit code, or the output of a process that does not exit', async () => {
    const child = spawn(process.execPath, ['-e', 'process.exit(3)']);
    const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));
    expect(await exitOf({ exited, stdout: () => '', stderr: () => '' })).toBe(3);
    await expect(exitOf({ exited: new Promise(() => {}), stdout: () => 'out', stderr: () => 'err' }, 20)).rejects.toThrow(/within 20 ms\.\nstderr:\nerr\nstdout:\nout/);
  });

  it('killPrograms kills the programs whose pid files it finds', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broom-support-'));
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true });
    const exited = new Promise<string | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    writeFileSync(path.join(dir, 'program.pid'), String(child.pid));
    killPrograms(dir);
    expect(await exited).toBe('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('ensureBuilt names what is missing', () => {
    expect(() => ensureBuilt(['no/such/file.js'])).toThrow('Not built (no/such/file.js): run `pnpm build` first');
  });
});
