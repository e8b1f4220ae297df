#!/bin/sh
# Replays every saved fuzz input (fuzz/regressions/TARGET/*) through its
# target in the build given: what once crashed must never crash again.
set -eu
build=${1:-build}
n=0
for dir in fuzz/regressions/*/; do
	t=$(basename "$dir")
	set -- "$dir"*
	[ -e "$1" ] || continue
	"$build/fuzz/replay-$t" "$@"
	n=$((n + $#))
done
echo "fuzz regressions: $n inputs replayed"
