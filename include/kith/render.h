/*
 * Results written out: the forms kith shows a match in (text for a person
 * to read, JSON for software, TREC run lines for trec_eval) and the JSON
 * form of a quality benchmark.  The command line and the web page both
 * write through here, so every front end says the same thing.
 */
#ifndef KITH_RENDER_H
#define KITH_RENDER_H

#include "kith/bench.h"
#include "kith/common.h"
#include "kith/index.h"
#include "kith/match.h"

typedef enum {
	KITH_FORMAT_TEXT = 0, /* for people: each result with its reasons, how, next, cost, where, contact */
	KITH_FORMAT_JSON,     /* for software: every field of kith_result (see README, kith match) */
	KITH_FORMAT_TREC      /* `PATIENT Q0 KEY RANK SCORE RUN-NAME` lines, for trec_eval */
} kith_format;

typedef struct kith_render_opts {
	unsigned version; /* KITH_RENDER_OPTS_VERSION */
	kith_format format;
	int explain;          /* text: every factor's part of each score, not just the main reasons */
	const char *today;    /* text: the date the results are as of, for the heading; may be NULL */
	const char *run_name; /* trec: the run's name; NULL means "kith" */
} kith_render_opts;

#define KITH_RENDER_OPTS_VERSION 1
/* clang-format off */
#define KITH_RENDER_OPTS_INIT {KITH_RENDER_OPTS_VERSION, KITH_FORMAT_TEXT, 0, NULL, NULL}
/* clang-format on */

/* The format named "text", "json" or "trec", into *out.  Returns 0 or KITH_EINVALID. */
KITH_EXPORT int kith_format_parse(const char *name, kith_format *out);

/*
 * Writes results in the chosen form (opts NULL: text) into *out, a string
 * the caller frees.  Returns 0, KITH_EINVALID (an unknown format) or
 * KITH_ENOMEM.
 */
KITH_EXPORT int kith_results_render(const kith_results *results, const kith_render_opts *opts, char **out);

/*
 * The JSON form of a quality benchmark (`kith bench quality --json`): for
 * each set its name, the folder it was opened from (paths[i]), its counts,
 * and each system's scores and per-patient runs; then each system's mean
 * over the sets.  results holds system_count results for each set in turn,
 * in kith_bench_systems() order.  *out is a string the caller frees.
 * Returns 0 or KITH_ENOMEM.
 */
KITH_EXPORT int kith_bench_render_json(kith_bench *const *sets, const char *const *paths, size_t set_count,
				       kith_bench_result *const *results, size_t system_count, char **out);

/*
 * One group's whole listing as JSON, for a group page and the API: key,
 * feed (id, publisher, when it was generated and loaded), name,
 * organisation, description, updated, needs, activities, venues (address,
 * postcode, lat, lon), online, home visits, schedule (sessions, by
 * appointment, course dates), access (each fact "yes", "no" or "unknown"),
 * eligibility, cost, capacity, languages, contact, and "also_listed": the
 * keys of other listings of the same real-world group.  *out is the
 * caller's.  Returns 0, KITH_ENOTFOUND (no such key), KITH_EIO or
 * KITH_ENOMEM, with the message on idx.
 */
KITH_EXPORT int kith_group_render_json(kith_index *idx, const char *key, char **out);

/*
 * The groups whose name holds text (any case), as a JSON array of
 * {"key", "name"}, at most max of them, by name: to find the one a person
 * means by part of its name.  *out is the caller's.  0, KITH_EIO or
 * KITH_ENOMEM.
 */
KITH_EXPORT int kith_groups_find_json(kith_index *idx, const char *text, size_t max, char **out);

#endif
