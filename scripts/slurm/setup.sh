#!/usr/bin/env bash
# Set up a one-node SLURM cluster on this machine, for broom's SLURM resource and its tests.
#
#   sudo scripts/slurm/setup.sh        # as root, on Debian or Ubuntu
#
# It installs Debian's slurm-wlm and munge (apt-get), makes a munge key, writes /etc/slurm/slurm.conf
# for one node (this host, its real CPUs and memory; no cgroups, no accounting daemon), starts
# munged, slurmctld and slurmd directly (no systemd needed, so it works in containers), and waits
# until `sinfo` shows the node idle. Running it again is safe: what is already done is left alone.
# scripts/slurm/teardown.sh stops the daemons again.
#
# Environment:
#   BROOM_SLURM_FORCE=1      overwrite an /etc/slurm/slurm.conf that this script did not write
#   BROOM_SLURM_WAIT=120     seconds to wait for the node to become idle
set -euo pipefail

say() { printf 'slurm-setup: %s\n' "$*"; }
die() { printf 'slurm-setup: error: %s\n' "$*" >&2; exit 1; }

MARK='# Written by broom scripts/slurm/setup.sh'
CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
WAIT=${BROOM_SLURM_WAIT:-120}

# --- Preconditions ---------------------------------------------------------------------------
[ "$(id -u)" = 0 ] || die "must run as root (it installs packages and starts daemons); try: sudo $0"

# One setup at a time (test suites may call this script concurrently). The daemons started below
# do not inherit the lock (fd 9), or a running munged would hold up every later setup.
if command -v flock >/dev/null 2>&1; then
  { exec 9>/run/lock/broom-slurm-setup.lock; } 2>/dev/null || exec 9>/tmp/broom-slurm-setup.lock
  flock 9
fi

# Already usable (ours or a real cluster)? Then there is nothing to do.
if command -v sinfo >/dev/null 2>&1 && command -v sbatch >/dev/null 2>&1 \
  && sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
  say "SLURM is already up; nothing to do:"
  sinfo
  exit 0
fi

# --- Packages --------------------------------------------------------------------------------
need_pkgs=()
for cmd in sbatch slurmctld slurmd; do command -v "$cmd" >/dev/null 2>&1 || { need_pkgs+=(slurm-wlm); break; }; done
command -v munged >/dev/null 2>&1 || need_pkgs+=(munge)
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null 2>&1 \
    || die "apt-get not found: this script installs SLURM on Debian/Ubuntu only; install ${need_pkgs[*]} yourself"
  say "installing ${need_pkgs[*]} with apt-get"
  # Keep package scripts from starting services (there may be no init system); we start them below.
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && policy_added=1
  fi
  trap 'if [ "$policy_added" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi' EXIT
  export DEBIAN_FRONTEND=noninteractive DEBCONF_NOWARNINGS=yes
  apt_log=$(mktemp)
  apt-get update -qq >"$apt_log" 2>&1 || die "apt-get update failed:
$(tail -n 20 "$apt_log")"
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >"$apt_log" 2>&1 \
    || die "apt-get install ${need_pkgs[*]} failed:
$(tail -n 20 "$apt_log")"
  rm -f "$apt_log"
  if [ "$policy_added" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  policy_added=0
  say "installed: $(dpkg-query -W -f='${Package} ${Version}  ' slurm-wlm munge 2>/dev/null)"
else
  say "slurm and munge are already installed"
fi
for cmd in sbatch squeue scancel sinfo slurmctld slurmd munged; do
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd is still missing after the install"
done

# --- munge -----------------------------------------------------------------------------------
id munge >/dev/null 2>&1 || die "the munge user does not exist (the munge package should create it)"
mkdir -p /etc/munge /var/lib/munge /var/log/munge /run/munge
chown munge:munge /etc/munge /var/lib/munge /var/log/munge /run/munge
chmod 0700 /etc/munge /var/lib/munge /var/log/munge
chmod 0755 /run/munge
if [ ! -s /etc/munge/munge.key ]; then
  if command -v mungekey >/dev/null 2>&1; then
    mungekey --create --keyfile=/etc/munge/munge.key --force >/dev/null
  else
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
  fi
  say "created the munge key /etc/munge/munge.key"
else
  say "munge key exists"
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  say "munged is running"
else
  runuser -u munge -- munged --force 9>&- || die "munged did not start (see /var/log/munge/munged.log)"
  for _ in $(seq 1 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null || die "munged started but credentials do not round-trip"
  say "started munged"
fi

# --- slurm.conf ------------------------------------------------------------------------------
host=$(hostname -s)
# slurmd -C prints this machine's real node line (CPUs, sockets, cores, threads, memory).
node_line=$(slurmd -C 2>/dev/null | grep '^NodeName=' || true)
field() { printf '%s\n' "$node_line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
cpus=$(field CPUs); mem=$(field RealMemory)
sockets=$(field SocketsPerBoard); cores=$(field CoresPerSocket); threads=$(field ThreadsPerCore)
[ -n "$cpus" ] || cpus=$(nproc)
[ -n "$mem" ] || mem=$(free -m | awk '/^Mem:/ {print $2}')
topology=""
if [ -n "$sockets" ] && [ -n "$cores" ] && [ -n "$threads" ]; then
  topology=" SocketsPerBoard=$sockets CoresPerSocket=$cores ThreadsPerCore=$threads"
fi

new_conf=$(cat <<EOF
$MARK: a one-node test cluster on $host.
ClusterName=broom
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=/var/log/slurm/jobcomp.log
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# Finished jobs stay visible to squeue/scontrol for 10 minutes; SIGKILL follows SIGTERM after 5 s.
MinJobAge=600
KillWait=5
StateSaveLocation=/var/lib/slurm/slurmctld
SlurmdSpoolDir=/var/lib/slurm/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem$topology State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
)

mkdir -p "$CONF_DIR" /var/lib/slurm/slurmctld /var/lib/slurm/slurmd /var/log/slurm
changed=0
if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF" && [ "${BROOM_SLURM_FORCE:-0}" != 1 ]; then
  die "$CONF exists and was not written by this script; set BROOM_SLURM_FORCE=1 to replace it"
fi
if [ -f "$CONF" ] && [ "$(cat "$CONF")" = "$new_conf" ]; then
  say "$CONF is up to date (node $host: $cpus CPUs, $mem MB)"
else
  printf '%s\n' "$new_conf" > "$CONF"
  changed=1
  say "wrote $CONF (node $host: $cpus CPUs, $mem MB)"
fi

# --- Daemons ---------------------------------------------------------------------------------
running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
stop_daemon() {
  if running "$1"; then
    kill "$(cat "$1")" 2>/dev/null || true
    for _ in $(seq 1 50); do running "$1" || break; sleep 0.1; done
  fi
}
if [ "$changed" = 1 ]; then
  stop_daemon /run/slurmd.pid
  stop_daemon /run/slurmctld.pid
fi
if running /run/slurmctld.pid; then
  say "slurmctld is running (pid $(cat /run/slurmctld.pid))"
else
  slurmctld 9>&- || die "slurmctld did not start; see /var/log/slurm/slurmctld.log:
$(tail -n 20 /var/log/slurm/slurmctld.log 2>/dev/null)"
  say "started slurmctld"
fi
if running /run/slurmd.pid; then
  say "slurmd is running (pid $(cat /run/slurmd.pid))"
else
  slurmd 9>&- || die "slurmd did not start; see /var/log/slurm/slurmd.log:
$(tail -n 20 /var/log/slurm/slurmd.log 2>/dev/null)"
  say "started slurmd"
fi

# --- Wait for the node -----------------------------------------------------------------------
state=""
for i in $(seq 1 $((WAIT * 2))); do
  state=$(sinfo -h -N -n "$host" -o '%T' 2>/dev/null | head -n 1 || true)
  case "$state" in
    idle|mixed|allocated) break ;;
    down*|drain*|drained*)
      # A node left down by an earlier run (e.g. "Node unexpectedly rebooted"): return it to service.
      scontrol update NodeName="$host" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
case "$state" in
  idle|mixed|allocated) ;;
  *) die "node $host is '${state:-not reported}' after ${WAIT}s; sinfo -R says:
$(sinfo -R 2>&1)
slurmctld.log:
$(tail -n 15 /var/log/slurm/slurmctld.log 2>/dev/null)
slurmd.log:
$(tail -n 15 /var/log/slurm/slurmd.log 2>/dev/null)" ;;
esac
say "SLURM $(sinfo --version | awk '{print $2}') is up:"
sinfo
