#!/bin/sh
# Rejects C library calls that have no bounds or no error reporting.
set -u
bad=$(grep -nE '\b(atoi|atol|strcpy|strcat|sprintf|vsprintf|strtok|gets)\s*\(' \
	src/*/*.c src/*/*.h cli/*.c cli/*.h tests/*.c bench/*.c 2>/dev/null)
if [ -n "$bad" ]; then
	echo "lint: banned calls (use strtol, snprintf, kith_buf):" >&2
	echo "$bad" >&2
	exit 1
fi
echo "lint: ok"
