#!/usr/bin/env bash
# Install the headless browser the dashboard's end-to-end tests drive (test/e2e-dashboard): Debian's
# `chromium`, through apt, when no Chromium is on the PATH yet. playwright-core (an npm dependency of
# the tests) drives it; it downloads no browser of its own. Prints the browser's path on success.
# Needs root (or sudo without a password) on Debian/Ubuntu; anywhere else it says what to do and fails.
set -euo pipefail

find_browser() {
  for b in "${BROOM_CHROMIUM:-}" chromium chromium-browser google-chrome-stable google-chrome; do
    [ -n "$b" ] || continue
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
  done
  return 1
}

if path=$(find_browser); then
  echo "$path"
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "scripts/browser/setup.sh: no Chromium found and no apt-get to install one: install Chromium and set BROOM_CHROMIUM to its path." >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "scripts/browser/setup.sh: no Chromium found, and installing it needs root: run 'sudo apt-get install -y chromium', or set BROOM_CHROMIUM." >&2
    exit 1
  fi
fi
echo "scripts/browser/setup.sh: installing chromium with apt-get (once)…" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
# fonts-dejavu-core: readable text in screenshots on a bare machine.
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >&2
find_browser
