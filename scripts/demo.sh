#!/bin/sh
# The main job on the project's own corpus: index the Kendal feeds into a
# fresh database, then ask for suggestions for a sample patient.
# Usage: demo.sh BUILD-DIR
set -eu
build=${1:-build}
db="$build/demo/kendal.db"
mkdir -p "$build/demo"
rm -f "$db" "$db-wal" "$db-shm"
echo "== kith index $db corpus/kendal/feeds/*.xml"
"$build/kith" index --quiet "$db" corpus/kendal/feeds/*.xml
"$build/kith" stats --date 2026-11-23 "$db" | sed -n '1,7p'
echo
echo "== kith match $db corpus/kendal/patients/K01.xml --date 2026-11-23 --top 5"
"$build/kith" match "$db" corpus/kendal/patients/K01.xml --date 2026-11-23 --top 5
echo
echo "== the link worker's page, on this computer:"
echo "   $build/kith serve $db --date 2026-11-23"
echo "   then open the address it prints (http://127.0.0.1:8080/) in a browser; Ctrl-C stops it"
