#!/usr/bin/env bash
# make's first step needs a Python that can make a venv with pip in it. Debian and
# Ubuntu ship that part (ensurepip) separately, in python3.X-venv.
set -euo pipefail
python="${1:-python3}"
if "$python" -c "import ensurepip, venv" 2>/dev/null; then exit 0; fi
version=$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's python${version}-venv so make can create .venv..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "python${version}-venv" >/dev/null
  exit 0
fi
echo "Python's venv module is missing: run 'sudo apt-get install python${version}-venv', then make again." >&2
exit 1
