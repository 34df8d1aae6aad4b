#!/usr/bin/env bash
# The nginx test serves the built site with deploy/nginx/site.conf, using Debian's nginx
# (run as the current user from a temporary folder; the system service is never touched).
set -euo pipefail
if [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's nginx package for the nginx test..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx >/dev/null
  exit 0
fi
echo "nginx is missing: run 'sudo apt-get install nginx', then 'make test' again." >&2
exit 1
