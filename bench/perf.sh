#!/bin/sh
# What `make bench-perf` runs: load and match performance of kith at 1k, 10k
# and 100k groups (1M too with BENCH_1M=1), next to floors (libxml2 parsing
# alone; the same rows in plain SQLite; the same rows with FTS5 and R*Tree)
# and a peer (the same job on PostgreSQL, bench/peer_pg.c), then the peer's
# ranking quality on the judged sets.  Prints one table and writes it to
# bench/results/perf-YYYY-MM-DD.md.  See bench/README.md for how to read it.
#
#   sh bench/perf.sh [BUILD]
#
# Knobs (environment): BENCH_1M=1 adds 1M groups; BENCH_SIZES="1000 10000"
# replaces the sizes; BENCH_PROFILES (default 200) profiles matched inside
# one process; BENCH_SPAWN (default 200) of them also run as whole `kith
# match` processes; KITH_BENCHMARKS (default ../shared/benchmarks) the
# judged sets, skipped when absent.  Everything generated lives in a
# temporary folder that is removed at the end, and the PostgreSQL server the
# bench starts is stopped.
set -eu

BUILD=${1:-build}
cd "$(dirname "$0")/.."
MAKE=${MAKE:-make}
DATE=2026-11-23 # "today" for matching: the generated feeds are dated around 2026-11-01
SIZES=${BENCH_SIZES:-1000 10000 100000}
[ "${BENCH_1M:-}" = 1 ] && SIZES="$SIZES 1000000"
PROFILES=${BENCH_PROFILES:-200}
SPAWN=${BENCH_SPAWN:-200}
PARITY_TOP=250 # list length for the hard-constraint parity check
SETS_DIR=${KITH_BENCHMARKS:-../shared/benchmarks}
DISTRICTS=corpus/uk-postcode-districts.csv
STARTED=$(date +%s)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

log() { printf 'perf: %s\n' "$*" >&2; }
die() { printf 'perf: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
# kv KEY LINE: the value of KEY in a line of key=value pairs.
kv() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1; }
bytes_of() { for f in "$@"; do [ -f "$f" ] && wc -c <"$f"; done | awk '{ s += $1 } END { print s + 0 }'; }

awk -v l="$LOAD_BEFORE" 'BEGIN { split(l, a, " "); exit !(a[1] > 0.5) }' &&
	log "warning: load average $LOAD_BEFORE: something else is running, and timings will show it"

# ---- packages: PostgreSQL and libpq only here, so that `make test` never needs them
missing=""
for p in postgresql postgresql-contrib libpq-dev time; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	log "installing$missing"
	SUDO=""
	[ "$(id -u)" -ne 0 ] && SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
$MAKE --no-print-directory -s BUILD="$BUILD" "$BUILD/bench/peer_pg" "$BUILD/bench/perf_match" \
	"$BUILD/bench/floor_parse" "$BUILD/bench/floor_insert" "$BUILD/bench/genfeed" "$BUILD/kith"
for b in kith bench/genfeed bench/perf_match bench/floor_parse bench/floor_insert bench/peer_pg; do
	[ -x "$BUILD/$b" ] || die "$BUILD/$b was not built"
done
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] && [ -x "$PGBIN/initdb" ] || die "no PostgreSQL server binaries under /usr/lib/postgresql"

# ---- scratch space and the PostgreSQL server, both removed on exit
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kith-perf.XXXXXX")
pgroot=$(mktemp -d /tmp/kith-pg.XXXXXX) # short: a Unix socket path has a length limit
pguser=""
as_pg() {
	if [ -n "$pguser" ]; then
		if command -v runuser >/dev/null 2>&1; then
			runuser -u "$pguser" -- "$@"
		else
			su -s /bin/sh "$pguser" -c "$(printf "'%s' " "$@")"
		fi
	else
		"$@"
	fi
}
cleanup() {
	if [ -f "$pgroot/data/postmaster.pid" ]; then
		as_pg "$PGBIN/pg_ctl" -D "$pgroot/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$tmp" "$pgroot"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$(id -u)" -eq 0 ]; then
	# initdb refuses to run as root: the server runs as postgres (or nobody)
	if id -u postgres >/dev/null 2>&1; then pguser=postgres; else pguser=nobody; fi
	chown "$pguser" "$pgroot"
fi
chmod 755 "$pgroot"
as_pg "$PGBIN/initdb" -D "$pgroot/data" -A trust -U kith -E UTF8 --locale=C --no-sync >"$tmp/initdb.log" 2>&1 ||
	{ cat "$tmp/initdb.log" >&2; die "initdb failed"; }
# Debian's defaults, except: no TCP; the usual bulk-load and cache tuning; JIT off, as latency-bound
# services run it (its compile time, up to 0.5 s here, would otherwise land on single queries).
PGOPTS="-k $pgroot -c listen_addresses='' -c shared_buffers=256MB -c maintenance_work_mem=256MB"
PGOPTS="$PGOPTS -c max_wal_size=4GB -c jit=off"
as_pg "$PGBIN/pg_ctl" -D "$pgroot/data" -l "$pgroot/server.log" -w -o "$PGOPTS" start >/dev/null ||
	{ cat "$pgroot/server.log" >&2; die "the PostgreSQL server did not start"; }
"$PGBIN/createdb" -h "$pgroot" -U kith kithbench
PG="host=$pgroot user=kith dbname=kithbench"
"$BUILD/bench/peer_pg" setup "$PG" "$DISTRICTS" >/dev/null
PGVERSION=$("$PGBIN/postgres" --version | sed 's/.*) //')

results="$tmp/results"
: >"$results"
record() { printf '%s %s %s\n' "$1" "$2" "$3" >>"$results"; }

# ---- one size
run_size() {
	n=$1
	dir="$tmp/g$n"
	log "$n groups: generating feeds and $PROFILES profiles"
	"$BUILD/bench/genfeed" --districts "$DISTRICTS" --groups "$n" --seed 1 --out "$dir" \
		--patients "$PROFILES" >/dev/null
	feeds=$(ls "$dir"/gen-*.xml)
	patients=$(ls "$dir"/patients/*.xml)
	spawned=$(printf '%s\n' $patients | head -n "$SPAWN")

	log "$n groups: floors"
	line=$("$BUILD/bench/floor_parse" $feeds)
	record "$n" parse_s "$(kv seconds "$line")"
	record "$n" parse_mbps "$(kv mb_per_s "$line")"
	record "$n" feed_mb "$(kv bytes "$line" | awk '{ printf "%.1f", $1 / 1e6 }')"
	line=$("$BUILD/bench/floor_insert" "$tmp/plain.db" $feeds)
	base_rows=$(kv base_rows "$line")
	record "$n" plain_s "$(kv seconds "$line")"
	record "$n" plain_rows "$(kv base_rows_per_s "$line")"
	record "$n" plain_bpg "$(kv db_bytes "$line" | awk -v n="$n" '{ printf "%.0f", $1 / n }')"
	line=$("$BUILD/bench/floor_insert" --indexed "$tmp/indexed.db" $feeds)
	record "$n" fts_s "$(kv seconds "$line")"
	record "$n" fts_rows "$(kv base_rows_per_s "$line")"
	record "$n" fts_allrows "$(kv rows_per_s "$line")"
	record "$n" fts_bpg "$(kv db_bytes "$line" | awk -v n="$n" '{ printf "%.0f", $1 / n }')"
	rm -f "$tmp/plain.db"* "$tmp/indexed.db"*

	log "$n groups: kith index"
	db="$tmp/kith-$n.db"
	t0=$(now)
	/usr/bin/time -f %M -o "$tmp/rss" "$BUILD/kith" index --quiet "$db" $feeds ||
		die "kith index failed at $n groups"
	s=$(elapsed "$t0")
	record "$n" kith_s "$s"
	record "$n" kith_gps "$(awk -v n="$n" -v s="$s" 'BEGIN { printf "%.0f", n / s }')"
	record "$n" kith_rows "$(awk -v r="$base_rows" -v s="$s" 'BEGIN { printf "%.0f", r / s }')"
	record "$n" kith_bpg "$(bytes_of "$db" "$db-wal" | awk -v n="$n" '{ printf "%.0f", $1 / n }')"
	record "$n" kith_rss "$(tail -n 1 "$tmp/rss")"

	log "$n groups: kith match, $PROFILES profiles in one process"
	line=$("$BUILD/bench/perf_match" --date "$DATE" "$db" $patients)
	for k in p50 p95 p99 mean cpu_mean results; do record "$n" "in_$k" "$(kv $k "$line")"; done
	record "$n" in_rss "$(kv rss_kb "$line")"
	record "$n" in_setup "$(kv setup_ms "$line")"
	log "$n groups: kith match, $SPAWN whole processes"
	line=$("$BUILD/bench/perf_match" --spawn "$BUILD/kith" --date "$DATE" "$db" $spawned)
	for k in p50 p95 p99 mean cpu_mean; do record "$n" "proc_$k" "$(kv $k "$line")"; done
	record "$n" proc_rss "$(kv rss_kb "$line")"

	if [ "$n" = "$first_size" ] && [ "$n" -le 10000 ]; then
		# the peer must do the same job: the same groups must pass the hard constraints
		log "$n groups: hard-constraint parity, up to $PARITY_TOP passing groups of every profile"
		"$BUILD/bench/perf_match" --date "$DATE" --top "$PARITY_TOP" --warmup 0 --trec "$tmp/k-all.run" "$db" \
			$patients >/dev/null
	fi

	log "$n groups: PostgreSQL peer, load"
	line=$("$BUILD/bench/peer_pg" load "$PG" $feeds)
	record "$n" pg_s "$(kv seconds "$line")"
	record "$n" pg_copy_s "$(kv copy_s "$line")"
	record "$n" pg_gps "$(kv groups_per_s "$line")"
	record "$n" pg_rows "$(awk -v r="$base_rows" -v s="$(kv seconds "$line")" 'BEGIN { printf "%.0f", r / s }')"
	record "$n" pg_bpg "$(kv db_bytes "$line" | awk -v n="$n" '{ printf "%.0f", $1 / n }')"
	log "$n groups: PostgreSQL peer, $PROFILES profiles"
	line=$("$BUILD/bench/peer_pg" match --date "$DATE" "$PG" $patients)
	for k in p50 p95 p99 mean results; do record "$n" "pg_$k" "$(kv $k "$line")"; done
	if [ "$n" = "$first_size" ] && [ "$n" -le 10000 ]; then
		"$BUILD/bench/peer_pg" match --date "$DATE" --top "$PARITY_TOP" --warmup 0 --trec "$tmp/p-all.run" "$PG" \
			$patients >/dev/null
		for p in $patients; do basename "$p" .xml; done >"$tmp/ids"
		# Profiles whose peer list is under the cap hold every passing group: compare those sets.
		# A group kith lists and the peer does not is a disagreement on the constraints; a group
		# the peer lists and kith does not was left out by kith's candidate narrowing or folded
		# into another listing of the same real-world group.
		parity=$(awk -v cap="$PARITY_TOP" -v n="$n" '
			FILENAME == ARGV[1] { ids[++np] = $1; next }
			FILENAME == ARGV[2] { k[$1, $3] = 1; kc[$1]++; next }
			{ p[$1, $3] = 1; pc[$1]++ }
			END {
				for (key in k) { split(key, a, SUBSEP); if (pc[a[1]] < cap && !(key in p)) extra[a[1]]++ }
				for (i = 1; i <= np; i++) {
					id = ids[i]
					if (pc[id] >= cap) { capped++; continue }
					compared++
					if (extra[id]) { bad++; badpairs += extra[id] }
					missing += pc[id] - (kc[id] - extra[id])
					if (!extra[id] && kc[id] == pc[id]) same++
				}
				printf "%d of %d profiles compared (those with fewer than %d passing groups, at %d groups)", compared, np, cap, n
				printf ": kith lists a group the peer rejects in %d (%d groups); the same set in %d", bad + 0, badpairs + 0, same + 0
				printf "; kith leaves out %d passing groups in all (candidate narrowing or duplicate folding)", missing + 0
			}' "$tmp/ids" "$tmp/k-all.run" "$tmp/p-all.run")
	fi
	rm -rf "$db" "$db"-* "$dir"
}

first_size=$(printf '%s\n' $SIZES | head -n 1)
parity=""
for n in $SIZES; do
	run_size "$n"
done

# ---- quality parity on the judged sets
quality=""
if [ -d "$SETS_DIR" ] && ls -d "$SETS_DIR"/*/qrels.txt >/dev/null 2>&1; then
	log "quality: kith bench quality, then the peer on the same sets"
	sets=$(ls -d "$SETS_DIR"/*/qrels.txt | sed 's:/qrels.txt$::')
	mkdir -p "$tmp/runs"
	"$BUILD/kith" bench quality --date "$DATE" --runs "$tmp/runs" $sets >"$tmp/quality.txt" 2>&1 ||
		log "kith bench quality exited non-zero (see its report)"
	for set in $sets; do
		name=$(basename "$set")
		[ -f "$tmp/runs/$name-kith.run" ] || { log "no kith run for $name"; continue; }
		"$BUILD/bench/peer_pg" load "$PG" "$set"/feeds/*.xml >/dev/null
		"$BUILD/bench/peer_pg" match --date "$DATE" --warmup 0 --trec "$tmp/runs/$name-pg.run" "$PG" \
			"$set"/patients/*.xml >/dev/null
		k=$("$BUILD/bench/peer_pg" eval "$set/qrels.txt" "$tmp/runs/$name-kith.run")
		f=$("$BUILD/bench/peer_pg" eval "$set/qrels.txt" "$tmp/runs/$name-filtered-text.run")
		p=$("$BUILD/bench/peer_pg" eval "$set/qrels.txt" "$tmp/runs/$name-pg.run")
		quality="$quality
| $name | $(kv scored "$p") | $(kv ndcg10 "$k") | $(kv ndcg10 "$p") | $(kv p5 "$k") | $(kv p5 "$p") | $(kv ndcg10 "$f") / $(kv p5 "$f") |"
	done
else
	log "quality: no judged sets in $SETS_DIR, left out"
fi

# ---- the table
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
cores=$(nproc)
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- src include cli 2>/dev/null || commit="$commit (with uncommitted changes in src/ include/ cli/)"
today=$(date +%F)
out="$tmp/table.md"
{
	echo "# kith performance, $today"
	echo
	echo "- Machine: $cpu, $cores cores, $mem, $(uname -sr)."
	echo "- kith $commit, built by the Makefile (CFLAGS ${CFLAGS:--O2 -g}); SQLite $(pkg-config --modversion sqlite3),"
	echo "  libxml2 $(pkg-config --modversion libxml-2.0); peer: PostgreSQL $PGVERSION with cube + earthdistance."
	echo "- Data: bench/genfeed --seed 1 at each size; $PROFILES generated profiles matched in one process,"
	echo "  the first $SPAWN of them also as whole \`kith match\` processes; matching 'today' is $DATE."
	echo "- Load average (1, 5, 15 min) before the run: $LOAD_BEFORE; after: $(cut -d' ' -f1-3 /proc/loadavg)."
	echo "  On a busy machine wall times grow while CPU times hold: compare mean and mean CPU time."
	echo "- Latencies in ms (nearest-rank percentiles), RSS in MB; ratios are kith / peer or kith / floor"
	echo "  (above 1: kith takes longer). How to read it: bench/README.md, \"make bench-perf\"."
	echo
	awk -v sizes="$SIZES" '
	{ v[$1, $2] = $3 }
	function label(n) { return n >= 1000000 ? n / 1000000 "M" : n / 1000 "k" }
	function f(x, d) { return x == "" ? "-" : sprintf("%." d "f", x) }
	function mb(kb) { return kb == "" ? "-" : sprintf("%.0f", kb / 1024) }
	function ratio(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.2f", a / b) }
	function tri(p, n) { return f(v[n, p "_p50"], 1) " / " f(v[n, p "_p95"], 1) " / " f(v[n, p "_p99"], 1) }
	function row(name, key, d,   i, s) {
		s = "| " name
		for (i = 1; i <= ns; i++) s = s " | " f(v[sz[i], key], d)
		print s " |"
	}
	function rowf(name, what,   i, s, n) {
		s = "| " name
		for (i = 1; i <= ns; i++) {
			n = sz[i]
			if (what == "kith_rss") s = s " | " mb(v[n, "kith_rss"])
			else if (what == "in_rss") s = s " | " mb(v[n, "in_rss"])
			else if (what == "proc_rss") s = s " | " mb(v[n, "proc_rss"])
			else if (what == "load_ratio") s = s " | " ratio(v[n, "kith_s"], v[n, "pg_s"])
			else if (what == "fts_ratio") s = s " | " ratio(v[n, "kith_s"], v[n, "fts_s"])
			else if (what == "p50_ratio") s = s " | " ratio(v[n, "in_p50"], v[n, "pg_p50"])
			else if (what == "p95_ratio") s = s " | " ratio(v[n, "in_p95"], v[n, "pg_p95"])
			else if (what == "p99_ratio") s = s " | " ratio(v[n, "in_p99"], v[n, "pg_p99"])
			else if (what == "results") s = s " | " f(v[n, "in_results"], 2) " / " f(v[n, "pg_results"], 2)
			else s = s " | " tri(what, n)
		}
		print s " |"
	}
	END {
		ns = split(sizes, sz, " ")
		s = "| groups"; u = "| ---"
		for (i = 1; i <= ns; i++) { s = s " | " label(sz[i]); u = u " | ---:" }
		print s " |"; print u " |"
		row("feed size, MB", "feed_mb", 1)
		row("**index** kith: seconds", "kith_s", 2)
		row("kith: groups per second", "kith_gps", 0)
		row("kith: rows per second (group + venue + session rows)", "kith_rows", 0)
		row("kith: database bytes per group", "kith_bpg", 0)
		rowf("kith: peak RSS, MB", "kith_rss")
		row("floor, libxml2 parse only: seconds", "parse_s", 3)
		row("floor, libxml2 parse only: MB per second", "parse_mbps", 0)
		row("floor, plain SQLite insert: seconds", "plain_s", 3)
		row("floor, plain SQLite insert: rows per second", "plain_rows", 0)
		row("floor, insert + FTS5 + R*Tree, no validation: seconds", "fts_s", 3)
		row("floor, insert + FTS5 + R*Tree: rows per second", "fts_rows", 0)
		row("floor, insert + FTS5 + R*Tree: bytes per group", "fts_bpg", 0)
		rowf("kith / (insert + FTS5 + R*Tree floor), load time", "fts_ratio")
		row("peer, PostgreSQL load (parse, COPY, indexes, ANALYZE): seconds", "pg_s", 2)
		row("peer: of which parse + COPY, seconds", "pg_copy_s", 2)
		row("peer: groups per second", "pg_gps", 0)
		row("peer: bytes per group (tables + indexes)", "pg_bpg", 0)
		rowf("kith / peer, load time", "load_ratio")
		rowf("**match** kith in one process: p50 / p95 / p99", "in")
		row("kith in one process: mean", "in_mean", 1)
		row("kith in one process: mean CPU time", "in_cpu_mean", 1)
		rowf("kith in one process: peak RSS, MB", "in_rss")
		row("kith: opening the index and building the matcher (once)", "in_setup", 1)
		rowf("kith match as a process: p50 / p95 / p99", "proc")
		row("kith match as a process: mean", "proc_mean", 1)
		row("kith match as a process: mean CPU time", "proc_cpu_mean", 1)
		rowf("kith match as a process: peak RSS, MB", "proc_rss")
		rowf("peer, one prepared query: p50 / p95 / p99", "pg")
		row("peer: mean", "pg_mean", 1)
		rowf("results per profile, kith / peer (top 10)", "results")
		rowf("kith / peer, p50 (in one process)", "p50_ratio")
		rowf("kith / peer, p95", "p95_ratio")
		rowf("kith / peer, p99", "p99_ratio")
	}' "$results"
	echo
	if [ -n "$parity" ]; then
		echo "Hard-constraint parity: $parity."
		echo
	fi
	if [ -n "$quality" ]; then
		echo "Quality on the judged sets ($SETS_DIR, 'today' $DATE; top 10; NDCG@10 graded, P@5 with"
		echo "relevant = grade 2 or more; the same evaluator scores every run and agrees with kith bench quality):"
		echo
		echo "| set | patients scored | kith NDCG@10 | peer NDCG@10 | kith P@5 | peer P@5 | kith's filtered-text baseline NDCG@10 / P@5 |"
		echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |$quality"
		echo
	fi
	echo "Whole run: $(($(date +%s) - STARTED)) s."
} >"$out"
cat "$out"
# a run with other sizes or sample counts than the default does not replace the day's table
name="perf-$today"
[ -n "${BENCH_SIZES:-}${BENCH_PROFILES:-}${BENCH_SPAWN:-}" ] && name="$name-custom"
mkdir -p bench/results
cp "$out" "bench/results/$name.md"
log "written to bench/results/$name.md"
