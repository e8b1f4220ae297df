#!/bin/sh
# Match quality: kith and its baselines on the judged benchmark sets, in
# three groups that are reported apart, each with its own mean:
#   public      ../shared/benchmarks/* (when present): the shared sets
#   project     corpus/kendal and bench/judged/dev/*: the project's own sets
#   validation  bench/judged/validation/*: written blind, never tuned on
# Usage: quality.sh BUILD-DIR [extra `kith bench quality` options, e.g. --desk]
# Set KITH_BENCH_SETS to a space-separated list of folders to run those
# alone instead.  The TREC run files go to BUILD-DIR/bench-runs/.
set -eu
build=${1:-build}
[ $# -gt 0 ] && shift
mkdir -p "$build/bench-runs"

# quality TITLE SET...: one `kith bench quality` over the sets that exist
quality() {
	title=$1
	shift
	sets=""
	for dir in "$@"; do
		[ -f "$dir/qrels.txt" ] && sets="$sets ${dir%/}"
	done
	[ -z "$sets" ] && return 0
	echo "== $title: kith bench quality --date 2026-11-23${extra:+ $extra}$sets"
	# shellcheck disable=SC2086 # the set list is split on purpose
	"$build/kith" bench quality --date 2026-11-23 --runs "$build/bench-runs" $extra $sets || status=$?
	echo
}

extra="$*"
status=0
if [ -n "${KITH_BENCH_SETS:-}" ]; then
	# shellcheck disable=SC2086
	quality "chosen sets" $KITH_BENCH_SETS
else
	quality "public" ../shared/benchmarks/*/
	quality "project" corpus/kendal bench/judged/dev/*/
	quality "validation" bench/judged/validation/*/
fi
exit $status
