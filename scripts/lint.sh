#!/bin/sh
# kith's machine-checked rules (make lint):
#  - no C library calls without bounds or error reporting;
#  - includes only point down the pipeline (src/README.md): a file in
#    src/<folder>/ includes its own folder, a folder below it, or the public
#    API, always by folder; a private *_int.h only from its own folder;
#  - the programs (cli/, bench/) and the public headers use the public API only.
set -u
status=0

bad=$(grep -nE '\b(atoi|atol|strcpy|strcat|sprintf|vsprintf|strtok|gets)\s*\(' \
	src/*/*.c src/*/*.h cli/*.c cli/*.h server/*.c server/*.h tests/*.c bench/*.c 2>/dev/null)
if [ -n "$bad" ]; then
	echo "lint: banned calls (use strtol, snprintf, kith_buf):" >&2
	echo "$bad" >&2
	status=1
fi

# The folders of src/, bottom first: a folder may include the ones before it.
layers="util text model feed import store match eval render"
rank() {
	i=0
	for l in $layers; do
		[ "$l" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo -1
}

for f in src/*/*.c src/*/*.h; do
	folder=$(basename "$(dirname "$f")")
	own=$(rank "$folder")
	if [ "$own" -lt 0 ]; then
		echo "lint: $f: folder '$folder' is not a layer of src/ (scripts/lint.sh lists them)" >&2
		status=1
		continue
	fi
	grep -n '^#include "' "$f" | while IFS= read -r line; do
		n=${line%%:*}
		inc=$(echo "$line" | sed 's/.*#include "\([^"]*\)".*/\1/')
		case "$inc" in
		kith.h | kith/*) continue ;;
		*/*) ;;
		*)
			echo "lint: $f:$n: include \"$inc\" names no folder (write \"<folder>/$inc\")" >&2
			echo fail
			continue
			;;
		esac
		to=${inc%%/*}
		r=$(rank "$to")
		if [ "$r" -lt 0 ]; then
			echo "lint: $f:$n: include \"$inc\": '$to' is not a folder of src/" >&2
			echo fail
		elif [ "$r" -gt "$own" ]; then
			echo "lint: $f:$n: include \"$inc\" points up, from $folder to $to" >&2
			echo fail
		fi
		case "$inc" in
		*_int.h)
			if [ "$to" != "$folder" ]; then
				echo "lint: $f:$n: include \"$inc\" is $to's private header" >&2
				echo fail
			fi
			;;
		esac
	done | grep -q fail && status=1
done

for f in cli/*.c cli/*.h server/*.c server/*.h bench/*.c include/kith.h include/kith/*.h; do
	[ -f "$f" ] || continue
	grep -n '^#include "' "$f" | while IFS= read -r line; do
		inc=$(echo "$line" | sed 's/.*#include "\([^"]*\)".*/\1/')
		case "$inc" in
		kith.h | kith/*) ;;
		cli.h) [ "${f#cli/}" != "$f" ] || { echo "lint: $f:${line%%:*}: include \"$inc\"" >&2; echo fail; } ;;
		server.h) ;;
		server_int.h | map.h) [ "${f#server/}" != "$f" ] || { echo "lint: $f:${line%%:*}: include \"$inc\" is the server's own" >&2; echo fail; } ;;
		*)
			echo "lint: $f:${line%%:*}: include \"$inc\": programs and public headers use include/kith only" >&2
			echo fail
			;;
		esac
	done | grep -q fail && status=1
done

[ "$status" -eq 0 ] && echo "lint: ok"
exit "$status"
