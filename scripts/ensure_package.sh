#!/usr/bin/env bash
# Install one Debian package the tests need, only when it is missing.
# usage: ensure_package.sh "<check: a command that succeeds when present>" <package> "<what needs it>" [recommends]
# As root with apt: installs it (with its recommended packages if asked: Chromium's
# fonts shape the handouts). Otherwise: one line saying how, and a non-zero exit.
set -euo pipefail
check="$1" package="$2" purpose="$3" recommends="${4:-}"
if bash -c "$check" >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's $package for $purpose..."
  apt-get update -qq
  flags=(-y -qq)
  [ "$recommends" = recommends ] || flags+=(--no-install-recommends)
  DEBIAN_FRONTEND=noninteractive apt-get install "${flags[@]}" "$package" >/dev/null
  exit 0
fi
echo "$package is missing ($purpose): run 'sudo apt-get install $package', then 'make test' again." >&2
exit 1
