/*
 * The feed checker: what `kith check` runs, without touching a database.
 */
#ifndef KITH_CHECK_H
#define KITH_CHECK_H

#include "kith/common.h"

typedef struct kith_check_opts {
	unsigned version;  /* KITH_CHECK_OPTS_VERSION */
	const char *today; /* "YYYY-MM-DD" for freshness; NULL for the real date */
	int stale_months;  /* a listing not updated for longer is stale; 0 means 12 */
} kith_check_opts;

#define KITH_CHECK_OPTS_VERSION 1
/* clang-format off */
#define KITH_CHECK_OPTS_INIT {KITH_CHECK_OPTS_VERSION, NULL, 12}
/* clang-format on */

/* Counts over the groups checked, for the summary. */
typedef struct kith_check_report {
	size_t groups;      /* groups read from valid feeds */
	size_t never_shown; /* with no place, no area served, no online or phone way in, no home visits */
	size_t area_only;   /* with no place but an area served: shown with a caution that the place is unknown */
} kith_check_report;

/*
 * Validates each feed (schema and rules, as `kith index` does) and adds
 * warnings for what loads but serves people badly: words outside the
 * vocabulary, stale listings, groups with no accessibility facts or no
 * schedule, groups no one can ever be shown (no place, area served, online
 * or home visits), and groups that look like duplicates of each other
 * (within one feed or across the feeds given).  Everything goes to diags;
 * report (may be NULL) gets the counts.
 * Returns 0 when no file has an error, KITH_EINVALID when one has (the
 * others are still checked), or KITH_EINVALID for a bad opts->today.
 */
KITH_EXPORT int kith_check_feeds(const char *const *paths, size_t count, const kith_check_opts *opts,
				 kith_diag_list *diags, kith_check_report *report);

#endif
