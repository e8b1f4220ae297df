/*
 * Importers: directories published in other formats (Open Referral UK,
 * Open Referral HSDS, OpenActive, AIRS XML) written out as one kith feed
 * (schemas/README.md, "Feed"), ready for kith_index_load().  A record that
 * cannot be mapped is skipped with a warning saying where and why; a file
 * that cannot be read imports nothing.
 */
#ifndef KITH_IMPORT_H
#define KITH_IMPORT_H

#include <stdio.h>

#include "kith/common.h"

typedef enum kith_import_format {
	KITH_IMPORT_ORUK,       /* Open Referral UK JSON, v1 and v3 service lists, paged or whole */
	KITH_IMPORT_HSDS,       /* Open Referral HSDS: a datapackage folder of CSVs, or HSDS 3.0 JSON */
	KITH_IMPORT_OPENACTIVE, /* OpenActive RPDE pages and items */
	KITH_IMPORT_AIRS,       /* AIRS XML Data Transfer 3.0 and 3.1 */
	KITH_IMPORT_FORMAT_COUNT
} kith_import_format;

/* The format named ("oruk", "hsds", "openactive", "airs") into *out: 0, or KITH_EINVALID. */
KITH_EXPORT int kith_import_format_from_name(const char *name, kith_import_format *out);
/* The name of a format ("oruk"), or NULL. */
KITH_EXPORT const char *kith_import_format_name(kith_import_format format);

typedef struct kith_import_opts {
	unsigned version;      /* KITH_IMPORT_OPTS_VERSION */
	const char *feed_id;   /* the feed's id: [a-z0-9][a-z0-9-]*, required */
	const char *publisher; /* may be NULL */
	const char *area;      /* the area served by every group that states none ("W06 LA9"); may be NULL */
	int delta;             /* write mode="delta": the records are changes, not the whole listing */
} kith_import_opts;

#define KITH_IMPORT_OPTS_VERSION 1
/* clang-format off */
#define KITH_IMPORT_OPTS_INIT {KITH_IMPORT_OPTS_VERSION, NULL, NULL, NULL, 0}
/* clang-format on */

/* What one import did: stderr's report. */
typedef struct kith_import_report {
	size_t records;     /* records read (services, sessions, agencies' services ...) */
	size_t written;     /* groups written */
	size_t skipped;     /* records left out, each with a warning saying where and why */
	size_t placed;      /* groups with a place: a venue with a point or a postcode, home visits, or online */
	size_t area_only;   /* groups with no place but an area served: shown with a caution */
	size_t no_place;    /* groups with neither: written, but no one can be shown them */
	size_t scheduled;   /* groups with sessions, or by appointment */
	size_t hours_text;  /* groups whose hours were text that could not be read as sessions (kept in the description)
			     */
	size_t eligibility; /* groups with an age, gender, referral or requirement */
	size_t access;      /* groups with at least one access fact */
} kith_import_report;

/*
 * Reads the input files in order (pages of one listing; for an HSDS
 * datapackage, its folder) and writes one kith feed to out.  Nothing is
 * written to out unless every input could be read: the feed is built in
 * memory first.  Diagnostics (file:line:column) go to diags, which may be
 * NULL; report may be NULL.  Returns 0, KITH_EINVALID (an input is not the
 * format, or is broken: see diags), KITH_ETOOLARGE, KITH_EIO or KITH_ENOMEM.
 */
KITH_EXPORT int kith_import(kith_import_format format, const char *const *inputs, size_t input_count,
			    const kith_import_opts *opts, FILE *out, kith_import_report *report, kith_diag_list *diags);

#endif
