#!/usr/bin/env bash
# Stop the daemons scripts/slurm/setup.sh started (slurmd, slurmctld, munged), gently and then for
# good. Packages, the munge key and /etc/slurm/slurm.conf stay, so setup.sh starts them again quickly.
# Running jobs are killed with slurmd; slurmctld keeps their records in /var/lib/slurm/slurmctld.
set -uo pipefail

say() { printf 'slurm-teardown: %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { printf 'slurm-teardown: error: must run as root\n' >&2; exit 1; }

stop() { # name pidfile
  local name=$1 file=$2 pid
  if [ ! -f "$file" ] || ! pid=$(cat "$file" 2>/dev/null) || ! kill -0 "$pid" 2>/dev/null; then
    say "$name is not running"
    return
  fi
  kill -TERM "$pid" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || { say "stopped $name (pid $pid)"; return; }; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
  say "killed $name (pid $pid): it ignored SIGTERM for 10 s"
}

stop slurmd /run/slurmd.pid
stop slurmctld /run/slurmctld.pid
stop munged /run/munge/munged.pid
