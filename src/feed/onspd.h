/*
 * The ONS Postcode Directory as CSV (ONSPD, or a slim export of it with
 * postcode, lat and lon columns): full postcodes and where they are, for
 * placing a home given only by its postcode to the street rather than to
 * the district's centre.  Read by its header, so extracts with any columns
 * in any order work; see schemas/README.md.
 */
#ifndef KITH_FEED_ONSPD_H
#define KITH_FEED_ONSPD_H

#include <stddef.h>

#include "util/buf.h"

/* One live postcode with a location, normal form ("AB10 1AB"); non-zero stops the reading. */
typedef int (*kith_postcode_fn)(void *ctx, const char *postcode, double lat, double lon);

typedef struct kith_onspd_counts {
	size_t read;       /* data rows */
	size_t passed;     /* handed to fn */
	size_t terminated; /* no longer in use */
	size_t unplaced;   /* no location (ONSPD writes 99.999999) or not a postcode */
} kith_onspd_counts;

/*
 * Reads the CSV at path, calling fn for each live postcode with a location.
 * Returns 0; KITH_EINVALID with "path:line: reason" in err when the header
 * lacks a postcode, lat or lon column or a row is not CSV; KITH_EIO when it
 * cannot be read; or what fn returned.
 */
int kith_onspd_read(const char *path, kith_postcode_fn fn, void *ctx, kith_onspd_counts *counts, kith_buf *err);

#endif
