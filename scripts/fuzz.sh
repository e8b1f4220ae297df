#!/bin/sh
# Builds the fuzz targets (fuzz/target.c) with clang's libFuzzer and runs
# each for SECONDS, starting from the project's own files as seeds.  A crash
# is saved under fuzz/regressions/TARGET/ (commit it: `make check` replays
# them), and the run fails.  Usage: fuzz.sh SECONDS [TARGET...]
set -eu
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-feed profile flags rules index oruk hsds hsds_csv openactive airs http}
build=${FUZZ_BUILD:-build/libfuzzer}
flags="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all"
make --no-print-directory BUILD=$build CC=clang CFLAGS="$flags" $build/libkith.a >/dev/null
deps=$(pkg-config --libs sqlite3 libxml-2.0 libpcre2-8 nettle jansson)

# seeds TARGET: the folders of the project's files for a target
seeds() {
	case $1 in
	feed) echo tests/data/feeds corpus/kendal/feeds ;;
	profile) echo tests/data/patients corpus/kendal/patients ;;
	hsds_csv) echo "$build/seeds/hsds_csv" ;;
	index) echo "$build/seeds/index" ;;
	flags) echo "$build/seeds/flags" ;;
	http) echo "$build/seeds/http" ;;
	rules) echo "$build/seeds/rules" ;;
	*) echo "tests/data/import/$1" ;;
	esac
}

# the hsds_csv target's seeds: each test datapackage's tables joined by 0x1E, as fuzz/target.c splits them
mkdir -p "$build/seeds/hsds_csv"
for dir in tests/data/import/hsds/*/ tests/data/import/hsds/*/data/; do
	[ -f "$dir/services.csv" ] || continue
	seed="$build/seeds/hsds_csv/$(echo "$dir" | tr '/' '_').bin"
	: >"$seed"
	for table in services organizations locations services_at_location physical_addresses regular_schedules \
		phones languages accessibility_for_disabilities eligibility taxonomy services_taxonomy; do
		[ -f "$dir/$table.csv" ] && cat "$dir/$table.csv" >>"$seed"
		printf '\036' >>"$seed"
	done
done

# the index target's seed: one groups row's lists as the index holds them, joined by 0x1E
mkdir -p "$build/seeds/index"
printf '1,720,810,0\03654.328700,-2.741800\036need:loneliness=1 activity:lunch-club=0.8\036activity:lunch-club=1\036LA9\036lunch club|st georg|hot meal\036loneliness food\036en\036LA9\036open' \
	>"$build/seeds/index/row.bin"

# the flags target's seed: a quick query as kith match's flags give it; the rules target's: the rules themselves
mkdir -p "$build/seeds/flags" "$build/seeds/rules"
printf 'postcode\036LA9 4DH\036max-km\0363\036needs\036loneliness:high\036interests\036a natter\036when\036tue,thu@10:00-14:00\036budget\0363' \
	>"$build/seeds/flags/quick.bin"
cp corpus/synonyms.rules "$build/seeds/rules/synonyms.rules"
# the http target's seeds: a form posted to the page, a JSON profile to the API, a group's page
mkdir -p "$build/seeds/http"
printf 'POST\036/match\036\036application/x-www-form-urlencoded\036needs=loneliness&main=loneliness&postcode=LA9+4DH&max-km=3&interests=a+natter' \
	>"$build/seeds/http/form.bin"
printf 'POST\036/api/match\036top=3\036application/json\036{"postcode": "LA9 4DH", "needs": ["loneliness:high"], "free": true}' \
	>"$build/seeds/http/api.bin"
printf 'GET\036/groups/south-lakes-cvs/st-georges-tuesday-lunch\036\036\036' >"$build/seeds/http/group.bin"

status=0
for t in $targets; do
	bin=$build/fuzz/$t
	mkdir -p $build/fuzz "$build/corpus/$t" "fuzz/regressions/$t"
	server=""
	# the http target is the server's handlers: its sources, and libmicrohttpd for the rest of them
	[ "$t" = http ] && server="-DFUZZ_WITH_SERVER -Iserver $(ls server/*.c) $(pkg-config --libs libmicrohttpd)"
	# shellcheck disable=SC2086 # the server's files are split on purpose
	clang $flags -fsanitize=fuzzer -DFUZZ_TARGET="$t" -Iinclude -Isrc fuzz/target.c $server $build/libkith.a $deps \
		-lcsv -lm -pthread -o "$bin"
	dirs=""
	for d in $(seeds "$t"); do [ -d "$d" ] && dirs="$dirs $d"; done
	echo "fuzz: $t for ${seconds}s (seeds:${dirs:- none})"
	# shellcheck disable=SC2086 # the seed folders are split on purpose
	if ! ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$seconds" -max_len=1048576 -rss_limit_mb=2048 \
		-timeout=10 -print_final_stats=1 -artifact_prefix="fuzz/regressions/$t/" "$build/corpus/$t" $dirs \
		>"$build/fuzz/$t.log" 2>&1; then
		echo "fuzz: $t FOUND A PROBLEM: see $build/fuzz/$t.log and fuzz/regressions/$t/" >&2
		tail -30 "$build/fuzz/$t.log" >&2
		status=1
	fi
	grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/fuzz/$t.log" | sed "s/^/fuzz: $t: /"
done
exit $status
