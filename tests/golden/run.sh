#!/bin/sh
# Golden outputs: runs the kith program over the corpus, a generated
# 20,000-group directory and the bad inputs in tests/data, and compares
# every output byte for byte with tests/golden/expected (curl's tests/data
# is the model).  A change that is meant to change an output updates the
# expected files with --update, and the diff goes into the same commit.
#
# Usage: run.sh BUILD-DIR [--update]
set -u
build=$1
update=${2:-}
kith="$build/kith"
genfeed="$build/bench/genfeed"
here=$(cd "$(dirname "$0")" && pwd)
expected="$here/expected"
date=2026-11-23
work=$(mktemp -d)
out="$work/out"
trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$out"

# The temporary folder, load times and SQLite's file paths vary from run to run.
filter() {
	sed -e "s|$work|WORK|g" \
	    -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z/LOADED_AT/g'
}

# run NAME TITLE COMMAND...: appends the command's title, its stdout and
# stderr (in that order) and its exit status to the output NAME.
run() {
	name=$1
	title=$2
	shift 2
	{
		echo "== $title"
		"$@" >"$work/stdout" 2>"$work/stderr"
		status=$?
		cat "$work/stdout"
		if [ -s "$work/stderr" ]; then
			echo "-- stderr"
			cat "$work/stderr"
		fi
		echo "-- exit $status"
	} | filter >>"$out/$name"
}

# A long output kept short: its head and tail, its length and its SHA-256.
summarise() {
	head -n 60 "$1"
	echo "..."
	tail -n 3 "$1"
	echo "$(wc -l <"$1" | tr -d ' ') lines, sha256 $(sha256sum <"$1" | cut -c1-64)"
}

# Every table of a database, one file each, so a change names its table.
dump_tables() {
	db=$1
	dir=$2
	mkdir -p "$dir"
	sqlite3 "$db" .dump | filter | awk -v dir="$dir" '
		/^INSERT INTO / { t = $3; sub(/\(.*/, "", t); gsub(/"/, "", t); print > (dir "/" t); next }
		{ print > (dir "/schema") }'
}

# ---- the corpus: Kendal ----------------------------------------------------

kdb="$work/kendal.db"
feeds=$(ls corpus/kendal/feeds/*.xml)
run kendal-index "index" "$kith" index "$kdb" $feeds
run kendal-index "index again: unchanged" "$kith" index "$kdb" $feeds
run kendal-check "check" "$kith" check --date $date $feeds
run kendal-stats "stats" "$kith" stats --date $date "$kdb"
sqlite3 "$kdb" .dump | filter >"$out/kendal-dump"

keys=$(sqlite3 "$kdb" "SELECT key FROM groups ORDER BY key")
k=0
for p in corpus/kendal/patients/*.xml; do
	run kendal-match-json "$p" "$kith" match "$kdb" "$p" --date $date --format json --explain
	run kendal-match-trec "$p" "$kith" match "$kdb" "$p" --date $date --format trec --top 20
	run kendal-match-text "$p" "$kith" match "$kdb" "$p" --date $date
	run kendal-match-text "$p --explain" "$kith" match "$kdb" "$p" --date $date --explain --top 5
	# every third group, a different third for each patient: each group for four patients
	k=$((k + 1))
	i=0
	for key in $keys; do
		if [ $((i % 3)) -eq $((k % 3)) ]; then
			run kendal-why-not "$p $key" "$kith" match "$kdb" "$p" --date $date --why-not "$key"
		fi
		i=$((i + 1))
	done
done

# the quick queries of the README, and quick queries that are refused
run kendal-quick "desk query" "$kith" match "$kdb" --postcode "LA9 4DH" --max-km 3 --needs loneliness:high \
	--interests "used to have an allotment, fancy a natter" --wheelchair --when "tue,thu@10:00-14:00" --free \
	--date $date --top 3 --explain
run kendal-quick "online, housebound, Polish" "$kith" match "$kdb" --postcode "LA9 4DH" --online --housebound \
	--needs low-mood,money --languages "pl en" --age 70 --gender female --budget 2.50 --date $date
run kendal-quick "no home" "$kith" match "$kdb" --needs carers --circumstances carer --tags walking,choir --date $date
run kendal-quick "why not, unknown key" "$kith" match "$kdb" --needs carers --why-not nosuch/group --date $date
run kendal-quick "bad postcode" "$kith" match "$kdb" --postcode "ZZ99 9ZZ" --date $date
run kendal-quick "bad when" "$kith" match "$kdb" --needs carers --when "tues@9-10" --date $date
run kendal-quick "bad date" "$kith" match "$kdb" --needs carers --date 2026-13-01
run kendal-quick "bad top" "$kith" match "$kdb" --needs carers --top 0
run kendal-quick "no index" "$kith" match "$work/none.db" --needs carers

run kendal-bench "bench quality" "$kith" bench quality --date $date corpus/kendal
run kendal-bench "bench quality --per-patient" "$kith" bench quality --date $date --per-patient corpus/kendal
run kendal-bench "bench quality --json --runs" "$kith" bench quality --date $date --json --runs "$work/runs" corpus/kendal
for f in "$work"/runs/*.run; do
	run kendal-bench "run file $(basename "$f")" cat "$f"
done
run kendal-tune "tune" "$kith" tune --date $date --out "$work/tuned.conf" corpus/kendal
run kendal-tune "tuned weights" cat "$work/tuned.conf"

# ---- a generated directory: 20,000 groups in four feeds -----------------------

gen="$work/gen"
gdb="$work/gen.db"
"$genfeed" --districts corpus/uk-postcode-districts.csv --groups 20000 --feeds 4 --patients 20 --out "$gen" \
	>/dev/null 2>&1 || { echo "golden: genfeed failed"; exit 1; }
run gen-index "index" "$kith" index "$gdb" "$gen"/gen-*.xml
run gen-check-full "check" "$kith" check --date $date "$gen"/gen-*.xml
summarise "$out/gen-check-full" >"$out/gen-check"
rm "$out/gen-check-full"
run gen-stats "stats" "$kith" stats --date $date "$gdb"
dump_tables "$gdb" "$work/gen-tables"
(cd "$work/gen-tables" && for t in *; do
	printf '%s %s %s\n' "$t" "$(wc -l <"$t" | tr -d ' ')" "$(sha256sum <"$t" | cut -c1-64)"
done) >"$out/gen-dump"

n=0
for p in "$gen"/patients/*.xml; do
	n=$((n + 1))
	run gen-match-json "$(basename "$p")" "$kith" match "$gdb" "$p" --date $date --format json --explain
	run gen-match-trec "$(basename "$p") on 20k" "$kith" match "$gdb" "$p" --date $date --format trec --top 20
	# why-not: the first and the 15th of its own list, and three groups from anywhere
	own=$("$kith" match "$gdb" "$p" --date $date --format trec --top 15 | awk 'NR == 1 || NR == 15 { print $3 }')
	any=$(sqlite3 "$gdb" "SELECT key FROM groups WHERE gid IN ($((n * 701)), $((n * 977 + 5)), $((n * 313 + 11)))")
	for key in $own $any; do
		run gen-why-not "$(basename "$p") $key" "$kith" match "$gdb" "$p" --date $date --why-not "$key"
	done
done

# ---- reloads: full, delta, a full feed that drops a group, and the corpus beside it ----------

rdb="$work/reload.db"
run reload "full" "$kith" index "$rdb" tests/data/feeds/full.xml
run reload "delta" "$kith" index "$rdb" tests/data/feeds/delta.xml
run reload "full again, one group fewer" "$kith" index "$rdb" tests/data/feeds/full-v2.xml
run reload "another town beside it" "$kith" index "$rdb" tests/data/match/testtown.xml tests/data/match/othertown.xml
run reload "skipping bad groups" "$kith" index --skip-bad-groups "$rdb" tests/data/feeds/skip-bad.xml
run reload "stats" "$kith" stats --date $date "$rdb"
sqlite3 "$rdb" .dump | filter >"$out/reload-dump"

# ---- bad input: every broken feed and profile of the tests --------------------

for f in tests/data/feeds/*.xml; do
	run bad-feeds "check $f" "$kith" check --date $date "$f"
	rm -f "$work/bad.db"*
	run bad-feeds "index $f" "$kith" index "$work/bad.db" "$f"
done
for p in tests/data/patients/*.xml; do
	run bad-profiles "$p" "$kith" match "$kdb" "$p" --date $date --top 3
done

# ---- compare -------------------------------------------------------------------

if [ "$update" = "--update" ]; then
	rm -rf "$expected"
	mkdir -p "$expected"
	cp "$out"/* "$expected"/
	echo "golden: wrote $(ls "$out" | wc -l) expected outputs to $expected"
	exit 0
fi
failed=0
seen=""
for f in "$expected"/* "$out"/*; do
	name=$(basename "$f")
	case " $seen " in *" $name "*) continue ;; esac
	seen="$seen $name"
	if ! cmp -s "$expected/$name" "$out/$name"; then
		echo "golden: $name differs from tests/golden/expected/$name:"
		diff -u "$expected/$name" "$out/$name" 2>&1 | head -40
		failed=$((failed + 1))
	fi
done
count=$(ls "$expected" | wc -l)
if [ $failed -ne 0 ]; then
	echo "golden: $failed of $count outputs differ"
	exit 1
fi
echo "golden: all $count outputs identical"
