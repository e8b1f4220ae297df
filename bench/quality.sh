#!/bin/sh
# Match quality: kith and its baselines on the judged benchmark sets.
# Usage: quality.sh BUILD-DIR [extra `kith bench quality` options]
# Runs over every set in ../shared/benchmarks/ (a folder with qrels.txt)
# when there are any, else over the project's own corpus/kendal.  Set
# KITH_BENCH_SETS to a space-separated list of folders to choose others.
# The TREC run files go to BUILD-DIR/bench-runs/.
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
sets=${KITH_BENCH_SETS:-}
if [ -z "$sets" ]; then
	for dir in ../shared/benchmarks/*/; do
		[ -f "$dir/qrels.txt" ] && sets="$sets ${dir%/}"
	done
fi
[ -z "$sets" ] && sets=corpus/kendal
mkdir -p "$build/bench-runs"
echo "== kith bench quality --date 2026-11-23 --runs $build/bench-runs$sets"
# shellcheck disable=SC2086 # the set list is split on purpose
exec "$build/kith" bench quality --date 2026-11-23 --runs "$build/bench-runs" "$@" $sets
