#!/usr/bin/env bash
# The test-only npm tools (axe-core, vnu-jar, pym.js) are installed with npm ci;
# a fresh Debian or Ubuntu has no Node.js or npm.
set -euo pipefail
if command -v npm >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's npm (and Node.js) for the test tools..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  exit 0
fi
echo "npm is missing: run 'sudo apt-get install npm', then 'make test' again." >&2
exit 1
