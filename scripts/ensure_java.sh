#!/usr/bin/env bash
# The HTML validity test runs the Nu Html Checker (vnu.jar from npm) with Java.
set -euo pipefail
if command -v java >/dev/null; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's default-jre-headless for the HTML checker..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless >/dev/null
  exit 0
fi
echo "Java is missing: run 'sudo apt-get install default-jre-headless', then 'make test' again." >&2
exit 1
