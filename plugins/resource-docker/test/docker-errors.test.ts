import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LaunchSpec } from '@broom/core';
import { describe, expect, it } from 'vitest';
import { DockerCommands, DockerJob, DockerResource, DockerRunError, DockerUnavailableError } from '../src/index.js';

// docker's words, as docker 28 prints them, played by a fake client: what broom makes of each.
const DAEMON_DOWN = 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?';

/** A fake docker client: `body` is bash run with the arguments; every call is logged to `calls`. */
function fakeDocker(body: string): { bin: string; calls: () => string[]; dir: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'broom-fake-docker-'));
  const bin = path.join(dir, 'docker');
  const log = path.join(dir, 'calls.log');
  writeFileSync(bin, `#!/bin/bash\necho "$*" >> ${JSON.stringify(log)}\n${body}\n`);
  chmodSync(bin, 0o755);
  return { bin, dir, calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []) };
}

function spec(dir: string, more: Partial<LaunchSpec> = {}): LaunchSpec {
  return { itemId: 'i1', command: ['python', 'train.py'], env: {}, cwd: dir, logFile: path.join(dir, 'logs', 'i1.log'), resourceArgs: { image: 'python:3.12' }, ...more };
}

describe('when docker cannot run the container', () => {
  it('says plainly that the daemon is unreachable, naming the resource, with docker\'s words and what to do', async () => {
    const fake = fakeDocker(`echo ${JSON.stringify(DAEMON_DOWN)} >&2; exit 1`);
    const launch = new DockerResource({ bin: fake.bin, platform: 'linux', base: {} }).launch(spec(fake.dir));
    await expect(launch).rejects.toBeInstanceOf(DockerUnavailableError);
    await expect(launch).rejects.toMatchObject({ code: 'docker-daemon-unreachable' });
    await expect(launch).rejects.toThrow(
      `The local-container resource cannot reach the Docker daemon: ${fake.bin} said "${DAEMON_DOWN}". Start the daemon (e.g. \`sudo systemctl start docker\`, or Docker Desktop), ` +
        'point DOCKER_HOST at one that runs, or run this launch agent on a machine where `docker info` works.',
    );
    // docker's words also reach the item's log.
    expect(readFileSync(path.join(fake.dir, 'logs', 'i1.log'), 'utf8')).toBe(`${DAEMON_DOWN}\n`);
  });

  it('says when the launch agent may not use the socket', async () => {
    const fake = fakeDocker(
      'echo "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get \\"http://%2Fvar%2Frun%2Fdocker.sock/v1.50/info\\": dial unix /var/run/docker.sock: connect: permission denied" >&2; exit 1',
    );
    await expect(new DockerCommands(fake.bin).ping()).rejects.toThrow(/cannot reach the Docker daemon: .* add it to the docker group/);
  });

  it('says the client is missing, and where it looked', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broom-no-docker-'));
    const launch = new DockerResource({ bin: path.join(dir, 'docker'), base: {} }).launch(spec(dir));
    await expect(launch).rejects.toMatchObject({ code: 'docker-not-found' });
    await expect(launch).rejects.toThrow(
      `The local-container resource cannot run ${path.join(dir, 'docker')}: it was not found (ENOENT). It needs the docker client on the launch agent's machine ` +
        'and a Docker daemon it can reach: install Docker (https://docs.docker.com/engine/install/), or name another client in resource_args "bin" (e.g. podman).',
    );
    const old = process.env.PATH;
    process.env.PATH = dir;
    try {
      await expect(new DockerCommands().ping()).rejects.toThrow('cannot run docker: it was not found on PATH (ENOENT)');
    } finally {
      process.env.PATH = old;
    }
  });

  it('names the image and where it came from when docker cannot get it, and removes what docker left', async () => {
    const fake = fakeDocker(
      'case "$1" in run) echo "Unable to find image \'nope/train:v1\' locally" >&2; echo "docker: Error response from daemon: pull access denied for nope/train, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied." >&2; exit 125;; *) exit 0;; esac',
    );
    const launch = new DockerResource({ bin: fake.bin, base: {} }).launch(spec(fake.dir, { image: 'nope/train:v1', command: ['--lr=1'] }));
    await expect(launch).rejects.toBeInstanceOf(DockerRunError);
    await expect(launch).rejects.toThrow(
      'docker could not get the image "nope/train:v1" (image_uri) for queue item i1: Unable to find image \'nope/train:v1\' locally\n' +
        "docker: Error response from daemon: pull access denied for nope/train, repository does not exist or may require 'docker login': denied: requested access to the resource is denied.\n" +
        `Check the name and tag, \`${fake.bin} login\` for a private registry, or \`${fake.bin} pull nope/train:v1\` on this machine.`,
    );
    expect(fake.calls().at(-1)).toBe('container rm --force broom-i1');
  });

  it('does not remove a container of the same name that is not its own', async () => {
    const fake = fakeDocker(
      'case "$1" in run) echo "docker: Error response from daemon: Conflict. The container name \\"/broom-i1\\" is already in use by container \\"0123abcd\\". You have to remove (or rename) that container to be able to reuse that name." >&2; exit 125;; *) exit 0;; esac',
    );
    const launch = new DockerResource({ bin: fake.bin, base: {} }).launch(spec(fake.dir));
    await expect(launch).rejects.toMatchObject({ code: 'docker-name-conflict' });
    await expect(launch).rejects.toThrow(`a container named broom-i1 already exists (left by an earlier launch agent?). Remove it with \`${fake.bin} rm -f broom-i1\`.`);
    expect(fake.calls().filter((c) => c.startsWith('container rm'))).toEqual([]);
  });

  it("says the image lacks the item's program, and shows the command it ran, quoted", async () => {
    const fake = fakeDocker(
      'case "$1" in run) echo "docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: \\"python\\": executable file not found in \\$PATH: unknown." >&2; exit 127;; *) exit 0;; esac',
    );
    const launch = new DockerResource({ bin: fake.bin, platform: 'linux', base: {} }).launch(spec(fake.dir, { command: ['python', 'train.py', 'two words'] }));
    await expect(launch).rejects.toMatchObject({ code: 'docker-run' });
    const message = await launch.catch((e: Error) => e.message);
    expect(message).toBe(
      [
        'docker refused queue item i1 (exit code 127):',
        '  docker: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "python": executable file not found in $PATH: unknown.',
        'The item\'s program is "python": the image python:3.12 must have it (on its PATH, or give its full path in the sweep\'s command).',
        `Command: ${fake.bin} run --detach --name=broom-i1 --label=broom.item=i1 --init --network=host --volume=${fake.dir}:${fake.dir} --workdir=${fake.dir} --entrypoint=python python:3.12 train.py 'two words'`,
      ].join('\n'),
    );
  });
});

describe('a container whose daemon goes away', () => {
  it('gives up waiting after the retries, saying what docker said last', async () => {
    const fake = fakeDocker(`echo ${JSON.stringify(DAEMON_DOWN)} >&2; exit 1`);
    const job = new DockerJob('0123456789abcdef', 'broom-i1', new DockerCommands(fake.bin), { killWait: 1, remove: true, retries: 3, retryInterval: 0.01 });
    expect(job.id).toBe('0123456789ab');
    const status = await job.wait();
    expect(status.state).toBe('failed');
    expect(status.message).toContain('lost track of container broom-i1: docker wait failed 3 times; last: The local-container resource cannot reach the Docker daemon');
    expect(fake.calls().filter((c) => c.startsWith('container wait'))).toHaveLength(3);
    expect(await job.status()).toBe(status);
  });

  it('reports an unknown state while the daemon does not answer', async () => {
    const fake = fakeDocker(`echo ${JSON.stringify(DAEMON_DOWN)} >&2; exit 1`);
    const job = new DockerJob('0123456789abcdef', 'broom-i1', new DockerCommands(fake.bin), { killWait: 1, remove: true });
    const status = await job.status();
    expect(status.state).toBe('unknown');
    expect(status.message).toContain(DAEMON_DOWN);
  });

  it('kills the container when docker stop fails', async () => {
    const fake = fakeDocker('case "$1 $2" in "container stop") echo "Error response from daemon: cannot stop container: tried to kill container, but did not receive an exit event" >&2; exit 1;; *) exit 0;; esac');
    const job = new DockerJob('0123456789abcdef', 'broom-i1', new DockerCommands(fake.bin), { killWait: 7, remove: true });
    await job.stop();
    for (let i = 0; i < 100 && !fake.calls().includes('container kill 0123456789abcdef'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(fake.calls()).toEqual(['container stop -t 7 0123456789abcdef', 'container kill 0123456789abcdef']);
  });
});

const hasClient = spawnSync('docker', ['--version']).status === 0;
describe.skipIf(!hasClient)(`the real docker client${hasClient ? '' : ' (skipped: no docker client on PATH)'}`, () => {
  it('with no daemon behind DOCKER_HOST: the resource reports it, naming itself, with docker\'s message', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'broom-docker-down-'));
    const sock = path.join(dir, 'no-daemon.sock');
    const launch = new DockerResource({ base: { ...process.env, DOCKER_HOST: `unix://${sock}`, DOCKER_CONTEXT: undefined } }).launch(spec(dir));
    await expect(launch).rejects.toBeInstanceOf(DockerUnavailableError);
    await expect(launch).rejects.toThrow(`The local-container resource cannot reach the Docker daemon: docker said "docker: Cannot connect to the Docker daemon at unix://${sock}. Is the docker daemon running?`);
  });
});
