/*
 * ONS Postcode Directory CSV (see onspd.h).
 */
#include "feed/onspd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith/common.h"
#include "model/geo.h"
#include "util/parse.h"

#define MAX_FIELDS 128
#define MAX_LINE 8192

/* Splits a CSV line in place into fields (double quotes, "" inside them); returns how many, or -1. */
static int split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line, *out;

	for (;;) {
		if (n == max)
			return -1;
		if (*p == '"') {
			fields[n++] = out = ++p;
			for (;;) {
				if (!*p)
					return -1; /* an unterminated quote */
				if (*p == '"' && p[1] == '"') {
					*out++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*out++ = *p++;
				}
			}
			*out = '\0';
			if (*p && *p != ',')
				return -1;
		} else {
			fields[n++] = p;
			p += strcspn(p, ",");
		}
		if (!*p)
			return n;
		*p++ = '\0';
	}
}

/* The index of the first header field named one of names, or -1. */
static int column(char **fields, int n, const char *const *names)
{
	int i, k;

	for (k = 0; names[k]; k++)
		for (i = 0; i < n; i++)
			if (strcmp(fields[i], names[k]) == 0)
				return i;
	return -1;
}

int kith_onspd_read(const char *path, kith_postcode_fn fn, void *ctx, kith_onspd_counts *counts, kith_buf *err)
{
	static const char *const pc_names[] = {"pcds", "postcode", "pcd", "pcd7", "pcd8", NULL};
	static const char *const lat_names[] = {"lat", "latitude", NULL};
	static const char *const lon_names[] = {"long", "lon", "longitude", NULL};
	static const char *const term_names[] = {"doterm", "terminated_yyyymm", NULL};
	FILE *f = fopen(path, "r");
	char *line = NULL, *fields[MAX_FIELDS];
	unsigned lineno = 0;
	int pc = -1, lat = -1, lon = -1, term = -1, n, error = 0;

	memset(counts, 0, sizeof(*counts));
	if (!f) {
		kith_buf_printf(err, "%s: cannot read: %s", path, strerror(errno));
		return KITH_EIO;
	}
	if ((line = malloc(MAX_LINE)) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	while (fgets(line, MAX_LINE, f)) {
		char normal[10];
		double y, x;
		size_t len = strlen(line);
		lineno++;
		if (len == MAX_LINE - 1 && line[len - 1] != '\n') {
			kith_buf_printf(err, "%s:%u: line over %d bytes: not a postcode directory", path, lineno,
					MAX_LINE);
			error = KITH_EINVALID;
			goto cleanup;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len)
			continue;
		if ((n = split(line, fields, MAX_FIELDS)) < 0) {
			kith_buf_printf(err, "%s:%u: not a CSV row (a quote left open, or over %d fields)", path,
					lineno, MAX_FIELDS);
			error = KITH_EINVALID;
			goto cleanup;
		}
		if (lineno == 1) {
			pc = column(fields, n, pc_names);
			lat = column(fields, n, lat_names);
			lon = column(fields, n, lon_names);
			term = column(fields, n, term_names);
			if (pc < 0 || lat < 0 || lon < 0) {
				kith_buf_printf(err,
						"%s:1: expected a header with a postcode (pcds or postcode), lat and "
						"long (or lon) column",
						path);
				error = KITH_EINVALID;
				goto cleanup;
			}
			continue;
		}
		counts->read++;
		if (pc >= n || lat >= n || lon >= n) {
			kith_buf_printf(err, "%s:%u: %d fields, fewer than the header's", path, lineno, n);
			error = KITH_EINVALID;
			goto cleanup;
		}
		if (term >= 0 && term < n && *fields[term]) {
			counts->terminated++;
			continue;
		}
		if (kith_geo_postcode_normal(normal, fields[pc]) != 0 ||
		    kith_parse_decimal(fields[lat], strlen(fields[lat]), &y) != 0 ||
		    kith_parse_decimal(fields[lon], strlen(fields[lon]), &x) != 0 || y < -90 || y > 90 || x < -180 ||
		    x > 180) {
			counts->unplaced++; /* ONSPD writes 99.999999 for a postcode with no grid reference */
			continue;
		}
		if ((error = fn(ctx, normal, y, x)) != 0)
			goto cleanup;
		counts->passed++;
	}
	if (ferror(f)) {
		kith_buf_printf(err, "%s: cannot read: %s", path, strerror(errno));
		error = KITH_EIO;
	} else if (lineno == 0) {
		kith_buf_printf(err, "%s: empty: expected a postcode directory with a header line", path);
		error = KITH_EINVALID;
	}

cleanup:
	free(line);
	fclose(f);
	return error;
}
