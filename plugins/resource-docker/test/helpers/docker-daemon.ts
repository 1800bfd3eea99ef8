import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, copyFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The small public image the real-container tests run (override with BROOM_TEST_DOCKER_IMAGE). */
export const TEST_IMAGE = process.env.BROOM_TEST_DOCKER_IMAGE ?? 'busybox:1.36';
/** Built from the host's static busybox when the public image cannot be pulled (no registry access). */
const LOCAL_IMAGE = 'broom-test/busybox:local';

export type DaemonCheck = { ok: true; image: string; server: string; note?: string } | { ok: false; reason: string };

function words(error: unknown): string {
  const e = error as { stderr?: string; message?: string; code?: unknown };
  if (e.code === 'ENOENT') return 'the docker client is not installed (docker: command not found)';
  return (e.stderr?.trim() || e.message || String(error)).split('\n').slice(0, 3).join(' ');
}

async function hasImage(image: string): Promise<boolean> {
  return run('docker', ['image', 'inspect', image], { timeout: 30_000 }).then(
    () => true,
    () => false,
  );
}

/** An image made of the host's busybox, if it is a static binary (Debian's busybox-static): runs anywhere. */
async function importHostBusybox(): Promise<string | undefined> {
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => existsSync(p));
  if (!busybox) return undefined;
  const root = mkdtempSync(path.join(tmpdir(), 'broom-busybox-root-'));
  try {
    mkdirSync(path.join(root, 'bin'));
    mkdirSync(path.join(root, 'tmp'));
    copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
    for (const applet of ['sh', 'echo', 'sleep', 'cat', 'env', 'printf', 'pwd', 'id', 'true', 'false', 'ls', 'trap', 'kill', 'head', 'dd']) {
      symlinkSync('busybox', path.join(root, 'bin', applet));
    }
    await run('sh', ['-c', `tar -C '${root}' -c . | docker import -c 'CMD ["sh"]' -c 'ENV PATH=/bin' - ${LOCAL_IMAGE}`], { timeout: 120_000 });
    await run('docker', ['run', '--rm', '--network=host', LOCAL_IMAGE, 'true'], { timeout: 60_000 });
    return LOCAL_IMAGE;
  } catch {
    return undefined;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * Whether real containers can run here: `docker info` answers, and the test image is there (pulled
 * if missing, with a generous timeout). Otherwise `ok: false` with docker's own words, for the skip.
 */
export async function checkDocker(): Promise<DaemonCheck> {
  let server: string;
  try {
    server = (await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 30_000 })).stdout.trim();
  } catch (error) {
    return { ok: false, reason: `docker daemon not reachable: ${words(error)}` };
  }
  if (await hasImage(TEST_IMAGE)) return { ok: true, image: TEST_IMAGE, server };
  try {
    await run('docker', ['pull', TEST_IMAGE], { timeout: 300_000 });
    return { ok: true, image: TEST_IMAGE, server };
  } catch (error) {
    const pull = words(error);
    const local = (await hasImage(LOCAL_IMAGE)) ? LOCAL_IMAGE : await importHostBusybox();
    if (local) return { ok: true, image: local, server, note: `${TEST_IMAGE} could not be pulled (${pull}); using ${local}, imported from this machine's static busybox` };
    return { ok: false, reason: `docker daemon ${server} is up, but the test image ${TEST_IMAGE} could not be pulled: ${pull} (and there is no static busybox here to import instead)` };
  }
}
