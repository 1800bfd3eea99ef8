import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
export const SETUP_SCRIPT = path.resolve(here, '../../../../scripts/slurm/setup.sh');

export type ClusterCheck = { ok: true; sinfo: string } | { ok: false; reason: string };

async function sinfoIdle(): Promise<string | undefined> {
  try {
    const { stdout } = await run('sinfo', ['-h', '-o', '%T %N'], { timeout: 30_000 });
    return /^(idle|mixed|allocated)\b/m.test(stdout) ? stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

async function hasAptGet(): Promise<boolean> {
  return run('sh', ['-c', 'command -v apt-get']).then(
    () => true,
    () => false,
  );
}

/**
 * A SLURM cluster to submit to: the one that is up, or, as root on a machine with apt-get, the
 * one-node cluster that scripts/slurm/setup.sh makes. Not root or no apt-get: `ok: false` and why,
 * so the tests that need it are skipped. As root with apt-get, a setup that fails is an error.
 */
export async function ensureSlurmCluster(): Promise<ClusterCheck> {
  const up = await sinfoIdle();
  if (up) return { ok: true, sinfo: up };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { ok: false, reason: `no SLURM cluster is up and this is not root, so ${SETUP_SCRIPT} cannot make one` };
  }
  if (!(await hasAptGet())) {
    return { ok: false, reason: `no SLURM cluster is up and apt-get is missing, so ${SETUP_SCRIPT} cannot install one` };
  }
  try {
    await run('bash', [SETUP_SCRIPT], { timeout: 20 * 60_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    throw new Error(`${SETUP_SCRIPT} failed (exit ${String(e.code)}):\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
  const after = await sinfoIdle();
  if (!after) throw new Error(`${SETUP_SCRIPT} succeeded but sinfo shows no idle node`);
  return { ok: true, sinfo: after };
}
