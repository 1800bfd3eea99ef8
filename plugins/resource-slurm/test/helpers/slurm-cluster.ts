import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SETUP_SCRIPT = path.resolve(here, '../../../../scripts/slurm/setup.sh');

export type ClusterCheck = { ok: true; sinfo: string } | { ok: false; reason: string };

function sinfoIdle(): string | undefined {
  const r = spawnSync('sinfo', ['-h', '-o', '%T %N'], { encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0 || r.error) return undefined;
  return /^(idle|mixed|allocated)\b/m.test(r.stdout) ? r.stdout.trim() : undefined;
}

function hasAptGet(): boolean {
  return spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).status === 0;
}

/**
 * A SLURM cluster to submit to: the one that is up, or, as root on a machine with apt-get, the
 * one-node cluster that scripts/slurm/setup.sh makes. Not root or no apt-get: `ok: false` and why,
 * so the tests that need it are skipped. As root with apt-get, a setup that fails is an error.
 */
export function ensureSlurmCluster(): ClusterCheck {
  const up = sinfoIdle();
  if (up) return { ok: true, sinfo: up };
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return { ok: false, reason: `no SLURM cluster is up and this is not root, so ${SETUP_SCRIPT} cannot make one` };
  }
  if (!hasAptGet()) {
    return { ok: false, reason: `no SLURM cluster is up and apt-get is missing, so ${SETUP_SCRIPT} cannot install one` };
  }
  const r = spawnSync('bash', [SETUP_SCRIPT], { encoding: 'utf8', timeout: 20 * 60_000 });
  if (r.status !== 0) {
    throw new Error(`${SETUP_SCRIPT} failed (exit ${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  const after = sinfoIdle();
  if (!after) throw new Error(`${SETUP_SCRIPT} succeeded but sinfo shows no idle node:\n${r.stdout}`);
  return { ok: true, sinfo: after };
}
