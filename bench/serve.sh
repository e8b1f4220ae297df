#!/bin/sh
# What `make bench-serve` runs: kith serve's throughput and latency through
# HTTP on loopback at 100k generated groups, with 1, 4 and 16 clients, beside
# the in-process rate in the same run, and the process's memory over 10,000
# requests (bench/perf_serve.c).  Prints the table and writes it to
# bench/results/serve-YYYY-MM-DD.md.
#
#   sh bench/serve.sh [BUILD]      (BENCH_GROUPS, BENCH_SECONDS to change the size and run length)
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/.."
GROUPS=${BENCH_GROUPS:-100000}
SECONDS_EACH=${BENCH_SECONDS:-10}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
"$BUILD/bench/genfeed" --districts corpus/uk-postcode-districts.csv --groups "$GROUPS" --seed 1 --patients 200 \
	--out "$work/gen" >&2
"$BUILD/kith" index -q "$work/gen.db" "$work"/gen/gen-*.xml 2>/dev/null
out="bench/results/serve-$(date +%Y-%m-%d).md"
mkdir -p bench/results
{
	echo "# kith serve, $GROUPS groups, $(date -u +%Y-%m-%dT%H:%MZ)"
	echo
	echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "- 200 generated profiles posted as XML to /api/match on keep-alive connections; $SECONDS_EACH s a run; the server has 2 worker threads"
	echo
	"$BUILD/bench/perf_serve" "$work/gen.db" "$work"/gen/patients/*.xml --seconds "$SECONDS_EACH"
} | tee "$out"
echo "serve: wrote $out" >&2
