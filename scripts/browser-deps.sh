#!/bin/sh
# What the browser tests need, installed only when missing: Debian's
# chromium (playwright's own browser download cannot be used), Node.js and
# npm, and playwright-core and axe-core at the versions in
# tests/browser/package-lock.json.
set -eu
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
	echo "browser-deps: installing$missing" >&2
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if [ ! -d tests/browser/node_modules/playwright-core ] || [ ! -d tests/browser/node_modules/axe-core ]; then
	echo "browser-deps: npm ci in tests/browser" >&2
	(cd tests/browser && npm ci --no-audit --no-fund --silent)
fi
