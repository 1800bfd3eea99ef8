import { describe, expect, it } from 'vitest';
import { DockerArgsError, checkDockerArgs, optionName, parseDockerArgs } from '../src/index.js';

function problems(raw: unknown): string[] {
  const r = checkDockerArgs(raw);
  if (r.ok) throw new Error(`expected problems, got ${JSON.stringify(r.value)}`);
  return r.problems.map((p) => `${p.path.join('.')}: ${p.message}`);
}

describe('resource_args of the local-container resource', () => {
  it('takes docker run options as docker spells them, with underscores, camelCase and docker\'s short names', () => {
    expect(
      parseDockerArgs({
        image: 'python:3.12',
        gpus: 'all',
        env: { OMP_NUM_THREADS: 4, DEBUG: true, NAME: 'x y' },
        volume: ['/data:/data:ro'],
        network: 'bridge',
        shm_size: '2g',
        user: '1000:1000',
        workdir: '/workspace',
        cpus: 1.5,
        m: 536870912,
        pull: 'never',
        init: false,
        extra: ['--ipc=host', '--ulimit', 'memlock=-1'],
        killWait: 5,
        bin: 'podman',
        remove: false,
      }),
    ).toEqual({
      image: 'python:3.12',
      gpus: 'all',
      env: { OMP_NUM_THREADS: 4, DEBUG: true, NAME: 'x y' },
      volumes: ['/data:/data:ro'],
      network: 'bridge',
      'shm-size': '2g',
      user: '1000:1000',
      workdir: '/workspace',
      cpus: 1.5,
      memory: 536870912,
      pull: 'never',
      init: false,
      extra: ['--ipc=host', '--ulimit', 'memlock=-1'],
      'kill-wait': 5,
      bin: 'podman',
      remove: false,
    });
    expect(optionName('--shm-size')).toBe('shm-size');
    expect(optionName('shmSize')).toBe('shm-size');
    expect(optionName('v')).toBe('volumes');
    expect(optionName('kill_delay')).toBe('kill-wait');
  });

  it("accepts W&B's nesting under the resource's name, local-container or docker", () => {
    expect(parseDockerArgs({ 'local-container': { image: 'alpine:3', gpus: 2 } })).toEqual({ image: 'alpine:3', gpus: 2 });
    expect(parseDockerArgs({ docker: { env: ['A=1', 'HOME'] } })).toEqual({ env: ['A=1', 'HOME'] });
    expect(parseDockerArgs(undefined)).toEqual({});
    expect(parseDockerArgs(null)).toEqual({});
    expect(parseDockerArgs({})).toEqual({});
    expect(problems({ docker: 'alpine' })).toEqual(['docker: must be a mapping of docker run options like {image: "python:3.12", gpus: all}, but got "alpine"']);
  });

  it('names an unknown key, with the nearest option, under the nesting it was given in', () => {
    expect(() => parseDockerArgs({ 'local-container': { imag: 'alpine', shm: '1g' } }, 'launch.resource_args')).toThrow(DockerArgsError);
    const lines = problems({ 'local-container': { imag: 'alpine', ipc: 'host' } });
    expect(lines[0]).toMatch(/^local-container\.imag: not an option of the local-container resource\. Did you mean "image"\? \(Known: image, gpus, env, volumes, network, shm-size, user, workdir, cpus, memory, pull, init, extra, kill-wait, bin, remove\.\)$/);
    expect(lines[1]).toBe(
      'local-container.ipc: not an option of the local-container resource (known: image, gpus, env, volumes, network, shm-size, user, workdir, cpus, memory, pull, init, extra, kill-wait, bin, remove); pass any other docker run option in "extra", e.g. extra: ["--ipc=..."]',
    );
  });

  it('says what is wrong with each bad value, and what would be right', () => {
    expect(
      problems({
        image: 'my image',
        gpus: 0,
        env: { '1BAD': 'x' },
        volumes: ['/data'],
        shm_size: 'lots',
        memory: -1,
        user: 'a b',
        workdir: 'relative',
        cpus: 0,
        pull: 'sometimes',
        init: 'yes',
        kill_wait: -1,
        remove: 1,
      }),
    ).toEqual([
      'image: must be an image reference like "python:3.12" (no spaces), but got "my image"',
      'gpus: must be "all", a GPU count (a whole number > 0) or a spec like "device=0,1", but got 0',
      'env: must be a mapping of variable names to values, like {OMP_NUM_THREADS: 4} or a list like ["NAME=value", "NAME"], but got {"1BAD":"x"}',
      'volumes.0: must be "SOURCE:/path/in/container" or "SOURCE:/path/in/container:OPTIONS" (e.g. "/data:/data:ro"), but got "/data"',
      'shm_size: must be a size like "512m", "2g" (docker run\'s units b, k, m, g) or a number of bytes, but got "lots"',
      'user: must be "uid", "uid:gid" or a user name, but got "a b"',
      'workdir: must be an absolute path in the container, like "/workspace", but got "relative"',
      'cpus: must be a number > 0, but got 0',
      'memory: must be a size like "512m", "2g" (docker run\'s units b, k, m, g) or a number of bytes, but got -1',
      'pull: must be "missing", "always" or "never", but got "sometimes"',
      'init: must be true or false, but got "yes"',
      'kill_wait: must be a number of seconds >= 0, but got -1',
      'remove: must be true or false, but got 1',
    ]);
    expect(problems('alpine')).toEqual([': must be a mapping of docker run options like {image: "python:3.12", gpus: all}, but got "alpine"']);
    expect(problems({ env: ['A=1', 'not a name'] })).toEqual(['env.1: must be "NAME=value", or "NAME" to pass the launch agent\'s value, but got "not a name"']);
    expect(problems({ image: 'a:1', Image: 'b:2' })).toEqual(['Image: the same option as "image"; give it once']);
  });

  it('refuses in extra the options broom sets itself, and a list that does not start with an option', () => {
    expect(problems({ extra: ['--name=x', '--rm', '-it', '--entrypoint=/bin/sh', '--ipc=host'] })).toEqual([
      'extra.0: --name cannot be given (broom names the container broom-<item id>), but got "--name=x"',
      'extra.1: --rm cannot be given (broom removes the container after reading its exit code (resource_args.remove)), but got "--rm"',
      'extra.2: -it cannot be given (a launched container has no input or terminal), but got "-it"',
      "extra.3: --entrypoint cannot be given (broom runs the item's program as the entrypoint (with image_uri, the image's own entrypoint runs)), but got \"--entrypoint=/bin/sh\"",
    ]);
    expect(problems({ extra: ['host'] })).toEqual(['extra.0: must start with an option like "--ipc=host", but got "host"']);
    expect(problems({ extra: '--ipc=host' })).toEqual(['extra: must be a list of docker run options like ["--ipc=host"], but got "--ipc=host"']);
  });

  it('gives one error that names every key under the config key it was given', () => {
    let caught: unknown;
    try {
      parseDockerArgs({ docker: { gpu: 'all', cpus: 'two' } }, 'launch.resource_args');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DockerArgsError);
    const message = (caught as Error).message.split('\n');
    expect(message[0]).toBe('Invalid resource_args for the local-container resource:');
    expect(message[1]).toBe('  Key "launch.resource_args.docker.cpus": must be a number > 0, but got "two"');
    expect(message[2]).toMatch(/^ {2}Key "launch\.resource_args\.docker\.gpu": not an option of the local-container resource\. Did you mean "gpus"\?/);
  });
});
