#!/usr/bin/env bash
# WordPress's own wp-embed.js, for the test host page that reproduces a WordPress post
# with one of our pages embedded (tests/wordpress.py). npm has no package with it;
# Debian's `wordpress` package has it. Only the package file is fetched and unpacked
# here (installing it would bring PHP, a web server and a MySQL client); the script
# lands in .cache/wordpress/ with the package's version, and is never served by the site.
set -euo pipefail
out=.cache/wordpress
if [ -s "$out/wp-embed.js" ]; then exit 0; fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "wp-embed.js is missing: on Debian or Ubuntu, 'make wordpress' fetches it from the wordpress package" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "Fetching Debian's wordpress package for wp-embed.js (the WordPress embed tests)..."
( cd "$work" && { apt-get download -qq wordpress 2>/dev/null || { apt-get update -qq && apt-get download -qq wordpress; }; } )
dpkg-deb -x "$work"/wordpress_*.deb "$work/unpacked"
mkdir -p "$out"
cp "$work/unpacked/usr/share/wordpress/wp-includes/js/wp-embed.js" "$out/wp-embed.js.new"
dpkg-deb -f "$work"/wordpress_*.deb Version > "$out/VERSION"
mv "$out/wp-embed.js.new" "$out/wp-embed.js"
