#!/usr/bin/env bash
# The console's browser tests drive Debian's Chromium at /usr/bin/chromium (never a downloaded
# browser). Installs it from Debian's packages when missing and this shell may (root with apt-get).
set -euo pipefail
CHROMIUM="${KEYWARD_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the console browser tests…" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "the browser tests need Chromium at $CHROMIUM: run 'sudo apt-get install -y chromium' (or set KEYWARD_CHROMIUM)" >&2
exit 1
