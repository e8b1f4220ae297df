#!/bin/sh
# Runs every test program and prints one closing line for the whole suite.
# Usage: run.sh BUILD-DIR TEST-PROGRAM...
set -u
build=$1
shift
KITH_BIN="$build/kith"
KITH_SRCDIR="$(pwd)"
export KITH_BIN KITH_SRCDIR
passed=0
failed=0
failed_programs=""
log=$(mktemp)
for t in "$@"; do
	"$t" >"$log" 2>&1
	status=$?
	cat "$log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | tail -n 1)
	passed=$((passed + ${p:-0}))
	if [ "$status" -ne 0 ]; then
		failed=$((failed + ${f:-1}))
		failed_programs="$failed_programs $t"
	fi
done
rm -f "$log"
[ -n "$failed_programs" ] && echo "failing programs:$failed_programs"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
