#!/bin/bash
# A Docker daemon for broom's container tests (plugins/resource-docker), on Debian, as root:
# installs docker.io (and busybox-static, the test image's fallback when Docker Hub is out of reach)
# if dockerd is missing, and starts dockerd without touching iptables or making a bridge, so the
# machine's own networking is left alone (containers then use --network host, broom's default on Linux).
#   sudo scripts/docker/setup.sh          start it (nothing to do when `docker info` already answers)
#   sudo scripts/docker/setup.sh --stop   stop the daemon this script started
set -euo pipefail
PIDFILE=/run/broom-dockerd.pid
LOG=/var/log/broom-dockerd.log

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill "$(cat "$PIDFILE")"
    for _ in $(seq 30); do kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break; sleep 1; done
    rm -f "$PIDFILE"
    echo "dockerd stopped."
  else
    echo "No dockerd started by this script is running."
  fi
  exit 0
fi

if docker info >/dev/null 2>&1; then
  echo "A Docker daemon already answers (docker info): nothing to do."
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "No Docker daemon answers, and starting one needs root: run this script with sudo." >&2
  exit 1
fi
if ! command -v dockerd >/dev/null; then
  if ! command -v apt-get >/dev/null; then
    echo "dockerd is not installed and apt-get is missing: install Docker (https://docs.docker.com/engine/install/)." >&2
    exit 1
  fi
  apt-get update -q >/tmp/broom-docker-apt.log 2>&1 || { tail -20 /tmp/broom-docker-apt.log >&2; exit 1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends docker.io busybox-static >>/tmp/broom-docker-apt.log 2>&1 \
    || { echo "apt-get install docker.io failed; its last lines:" >&2; tail -20 /tmp/broom-docker-apt.log >&2; exit 1; }
fi
nohup dockerd --iptables=false --ip6tables=false --bridge=none >"$LOG" 2>&1 &
echo $! >"$PIDFILE"
for _ in $(seq 60); do
  if docker info >/dev/null 2>&1; then
    echo "Docker daemon $(docker info --format '{{.ServerVersion}}') up (pid $(cat "$PIDFILE"), log $LOG). Stop it with: $0 --stop"
    exit 0
  fi
  sleep 1
done
echo "dockerd did not come up within 60 s; the last lines of $LOG:" >&2
tail -20 "$LOG" >&2
exit 1
