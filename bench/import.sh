#!/bin/sh
# Import speed (issue 12), run by `make bench-perf` after perf.sh: records
# per second for each format kith imports, on the real exports in
# ../shared/realdata where present (and the AIRS test instance, as no real
# AIRS file exists), beside the XML feed's own reading and loading.  Each
# run is repeated and the fastest kept, the machine being shared and noisy;
# the figures to compare are the ratios within one run.  Prints a table and
# writes it to bench/results/import-YYYY-MM-DD.md.
#
#   sh bench/import.sh [BUILD]
set -eu
BUILD=${1:-build}
cd "$(dirname "$0")/.."
KITH=$BUILD/kith
REAL=${KITH_REALDATA:-../shared/realdata}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
# best SECONDS-VAR RUNS CMD...: the fastest of RUNS runs of CMD, in seconds
best() {
	runs=$1
	shift
	fastest=""
	i=0
	while [ $i -lt "$runs" ]; do
		t0=$(now)
		"$@" >/dev/null 2>&1 || return 1
		t=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.4f", b - a }')
		fastest=$(awk -v a="$fastest" -v b="$t" 'BEGIN { print (a == "" || b < a) ? b : a }')
		i=$((i + 1))
	done
	echo "$fastest"
}

rows=""
# measure LABEL FORMAT RUNS INPUT...: one row, and the feed it writes in $work/FORMAT.xml
measure() {
	label=$1 format=$2 runs=$3
	shift 3
	for f in "$@"; do [ -e "$f" ] || { echo "import: $label: $f absent, skipped" >&2; return 0; }; done
	if ! "$KITH" import "$format" "$@" --feed-id "bench-$format" -o "$work/$format.xml" 2>"$work/$format.log"; then
		echo "import: $label: failed ($(tail -1 "$work/$format.log"))" >&2
		return 0
	fi
	records=$(sed -n 's/^import [a-z]*: \([0-9]*\) records read, \([0-9]*\) groups written.*/\1/p' "$work/$format.log")
	groups=$(sed -n 's/^import [a-z]*: \([0-9]*\) records read, \([0-9]*\) groups written.*/\2/p' "$work/$format.log")
	s=$(best "$runs" "$KITH" import "$format" "$@" --feed-id "bench-$format" -o "$work/$format.xml")
	rm -f "$work/$format.db"*
	l=$(best 1 "$KITH" index "$work/$format.db" "$work/$format.xml")
	rows="$rows
| $label | $records | $groups | $s | $(awk -v r="$records" -v s="$s" 'BEGIN { printf "%.0f", r / s }') | $l | $(awk -v g="$groups" -v s="$l" 'BEGIN { printf "%.0f", g / s }') |"
}

make --no-print-directory "$KITH" "$BUILD/bench/genfeed" >/dev/null
measure "Open Referral UK: Bristol and North Lincolnshire (JSON, 5.1 MB)" oruk 10 \
	"$REAL/oruk-council-feeds/bristol_services.json" "$REAL/oruk-council-feeds/north_lincolnshire_services.json"
measure "HSDS: 211 Miami datapackage (CSV, 7.4 MB)" hsds 3 "$REAL/hsds-open211-miami"
# the 22 real OpenActive items, each file given 50 times (a repeat is an older copy of an item: read, joined, left out)
oa=""
if [ -d "$REAL/openactive-feed-items" ]; then
	i=0
	while [ $i -lt 50 ]; do
		oa="$oa $(echo "$REAL"/openactive-feed-items/*.json)"
		i=$((i + 1))
	done
fi
# shellcheck disable=SC2086 # the list of files is split on purpose
measure "OpenActive: the 22 real RPDE items, each file 50 times (JSON)" openactive 5 $oa
# no real AIRS file exists: the test instance's agencies repeated 1,000 times (ids made unique by the import)
awk 'BEGIN { n = 0 } /<Agency[ >]/ && !started { started = 1 } started && !done { body = body $0 "\n" }
	/<\/Agency>/ { last = NR } { lines[NR] = $0 }
	END {
		for (i = 1; i <= NR && lines[i] !~ /<Agency[ >]/; i++) print lines[i]
		first = i
		for (k = 0; k < 1000; k++) for (j = first; j <= last; j++) print lines[j]
		for (j = last + 1; j <= NR; j++) print lines[j]
	}' tests/data/import/airs/sample-3.1.xml >"$work/airs-1000.xml"
measure "AIRS 3.1: the test instance's agencies 1,000 times (no real file exists)" airs 3 "$work/airs-1000.xml"

# the XML feed's own: 10,000 generated groups, read and validated (kith check) and loaded (kith index)
"$BUILD/bench/genfeed" --districts corpus/uk-postcode-districts.csv --groups 10000 --seed 1 --out "$work/gen" >/dev/null 2>&1
c=$(best 3 "$KITH" check --date 2026-11-23 "$work/gen/gen-1.xml")
rm -f "$work/gen.db"*
l=$(best 1 "$KITH" index "$work/gen.db" "$work/gen/gen-1.xml")
rows="$rows
| kith feed XML: 10,000 generated groups, read and validated (\`kith check\`) | 10000 | 10000 | $c | $(awk -v s="$c" 'BEGIN { printf "%.0f", 10000 / s }') | $l | $(awk -v s="$l" 'BEGIN { printf "%.0f", 10000 / s }') |"

today=$(date +%Y-%m-%d)
out=$work/table.md
{
	echo "# Import speed, $today"
	echo
	echo "$(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); load before: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "Fastest of several runs each (\`sh bench/import.sh\`); import = \`kith import FORMAT INPUT... -o FEED.xml\`,"
	echo "load = \`kith index\` of the feed written, into a new index."
	echo
	echo "| input | records | groups | import, s | records/s | load, s | groups/s loaded |"
	echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |$rows"
} >"$out"
cat "$out"
mkdir -p bench/results
cp "$out" "bench/results/import-$today.md"
echo "import: written to bench/results/import-$today.md" >&2
