#!/bin/sh
# Installs the Debian packages kith builds and tests with, only when one is
# missing, so that `make demo` and `make test` work on a fresh machine and
# cost nothing on a prepared one.
set -eu
pkgs="build-essential pkg-config libsqlite3-dev libxml2-dev libxml2-utils libpcre2-dev nettle-dev libcmocka-dev valgrind sqlite3 libmicrohttpd-dev libjansson-dev libcsv-dev clang libclang-rt-14-dev"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
