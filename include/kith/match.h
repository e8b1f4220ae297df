/*
 * The matcher: a ranked, explained list of groups for one person.
 *
 * Every group that breaks one of the hard constraints (schemas/README.md,
 * "Hard constraints") is left out; every other group is scored on needs, interests,
 * distance, availability, cost, freshness, capacity, language, access and
 * how squarely it is aimed at the person.  Each result says why, factor by
 * factor, and the parts add up to its score.
 */
#ifndef KITH_MATCH_H
#define KITH_MATCH_H

#include "kith/common.h"
#include "kith/index.h"
#include "kith/profile.h"

/*
 * A matcher and the index it borrows are used by one thread at a time; a
 * server makes one of each per worker thread (kith/common.h, "Threads").
 */
typedef struct kith_matcher kith_matcher;

/*
 * A matcher over idx (borrowed; it must outlive the matcher).  weights_path
 * and rules_path name a weights file and a synonym rules file; NULL means
 * the defaults built from corpus/weights.conf and corpus/synonyms.rules.
 * On failure *out is still set when it could be allocated and holds the
 * message (kith_matcher_errmsg); free it with kith_matcher_free().
 * Returns 0, KITH_EINVALID (bad weights or rules: file:line: reason),
 * KITH_EIO (unreadable file) or KITH_ENOMEM.
 */
KITH_EXPORT int kith_matcher_new(kith_matcher **out, kith_index *idx, const char *weights_path, const char *rules_path);
KITH_EXPORT void kith_matcher_free(kith_matcher *m);
KITH_EXPORT const char *kith_matcher_errmsg(const kith_matcher *m);

/*
 * The weight of one factor ("needs", "interests", ..., or "variety"), for
 * tuning.  get returns a negative number for an unknown name; set returns
 * 0 or KITH_EINVALID (unknown name, negative value, variety above 1).
 */
KITH_EXPORT double kith_matcher_weight(const kith_matcher *m, const char *factor);
KITH_EXPORT int kith_matcher_set_weight(kith_matcher *m, const char *factor, double value);
/* The factor names, in order, NULL-terminated (static). */
KITH_EXPORT const char *const *kith_matcher_factors(void);
/* The weights in the weights-file format, with heading as its first lines; free() it. */
KITH_EXPORT char *kith_matcher_weights_text(const kith_matcher *m, const char *heading);

/* Ranking strategies: kith itself, and the baselines benchmarks compare it with. */
typedef enum {
	KITH_RANK_KITH = 0,     /* constraints, every factor, variety */
	KITH_RANK_RANDOM,       /* seeded random order, no constraints */
	KITH_RANK_NEAREST,      /* nearest venue first, no constraints */
	KITH_RANK_TEXT,         /* FTS5 BM25 of interests and need words, no constraints */
	KITH_RANK_FILTERED_TEXT /* the same after removing groups that break a constraint */
} kith_rank_mode;

typedef struct kith_match_opts {
	unsigned version;  /* KITH_MATCH_OPTS_VERSION */
	size_t top;        /* how many results; 0 means 10 */
	const char *today; /* "YYYY-MM-DD"; NULL means the real date */
	kith_rank_mode mode;
	unsigned long seed; /* for KITH_RANK_RANDOM */
} kith_match_opts;

#define KITH_MATCH_OPTS_VERSION 1
/* clang-format off */
#define KITH_MATCH_OPTS_INIT {KITH_MATCH_OPTS_VERSION, 10, NULL, KITH_RANK_KITH, 1}
/* clang-format on */

/* One reason: a factor, its part of the score, and a sentence. */
typedef struct kith_reason {
	const char *factor;  /* "needs", "interests", "distance", ... */
	double contribution; /* weight x factor score, rounded to 3 places */
	const char *text;    /* plain English, for the link worker */
} kith_reason;

/* One recommendation.  Everything is borrowed from its kith_results. */
typedef struct kith_result {
	size_t rank;     /* from 1 */
	const char *key; /* FEED-ID/GROUP-ID */
	const char *name;
	const char *organisation; /* may be NULL */
	double score;             /* the sum of the reasons' contributions */
	const kith_reason *reasons;
	size_t reason_count;
	const char *const *cautions; /* things to check or say ("wheelchair access not confirmed: phone first") */
	size_t caution_count;
	const char *how;          /* "in person", "online or by phone", "home visits" */
	const char *venue;        /* address of the nearest venue, or NULL */
	const char *postcode;     /* of that venue, or NULL */
	double distance_km;       /* to that venue; < 0 when unknown */
	const char *next_session; /* "Tue 24 Nov 12:00-14:00", "by appointment", or NULL */
	const char *cost;         /* "free", "£3.50 a session", or NULL when unknown */
	const char *phone, *email, *web;
	const char *also_listed; /* key of the same group's listing in another feed, or NULL */
	int venue_located;       /* the venue has a point: venue_lat and venue_lon (WGS84) */
	double venue_lat, venue_lon;
} kith_result;

typedef struct kith_results kith_results;

/*
 * Matches one profile.  *out holds the ranked results (kith_results_free()
 * it).  Returns 0, KITH_EINVALID (bad opts->today), or KITH_EIO /
 * KITH_ENOMEM with the message on the matcher.
 */
KITH_EXPORT int kith_matcher_run(kith_matcher *m, const kith_profile *p, const kith_match_opts *opts,
				 kith_results **out);
KITH_EXPORT size_t kith_results_count(const kith_results *r);
/* The i-th result (0-based, borrowed), or NULL. */
KITH_EXPORT const kith_result *kith_results_get(const kith_results *r, size_t i);
/* The profile's id, as the results were made for (borrowed). */
KITH_EXPORT const char *kith_results_patient(const kith_results *r);

/*
 * What the list does for each need the person gave, so that a need nothing
 * within reach serves is said plainly rather than hidden behind unrelated
 * groups.  Everything is borrowed from the results.
 */
typedef struct kith_need_cover {
	const char *need;   /* the vocabulary id, "bereavement" */
	size_t shown;       /* results in the list that help with it */
	size_t reachable;   /* groups within reach that do, shown or not */
	const char *beyond; /* when none is in reach: the key of the nearest group beyond that does, or NULL */
	const char *beyond_name;
	double beyond_km; /* how far; -1 when it is online or by phone */
	const char *text; /* one sentence for the link worker; "" when the list serves the need */
} kith_need_cover;

/* How well the person's home was known for the distances. */
typedef enum {
	KITH_HOME_UNKNOWN = 0, /* no home given: distances not checked */
	KITH_HOME_POINT,       /* a point given in the profile */
	KITH_HOME_POSTCODE,    /* a full postcode found in the postcodes loaded into the index */
	KITH_HOME_DISTRICT,    /* the centre of the postcode's district: a few km out, more in the country */
	KITH_HOME_SECTOR       /* amid the venues the index lists in the postcode's sector ("SY8 3"): a km or two out */
} kith_home_precision;

/* How the home was placed, and by which postcode or district (*place, borrowed; NULL for a point). */
KITH_EXPORT kith_home_precision kith_results_home(const kith_results *r, const char **place);

/* How many of the person's needs the results say something of (0 for the baselines). */
KITH_EXPORT size_t kith_results_need_count(const kith_results *r);
KITH_EXPORT const kith_need_cover *kith_results_need(const kith_results *r, size_t i);
KITH_EXPORT void kith_results_free(kith_results *r);

/*
 * Why the group with this key is not in the list the same profile and opts
 * give: the hard constraint it breaks, with its numbers ("venue 7.2 km
 * away, beyond your 3 km; no online option"), or how its score compares
 * with the last one shown, or where it is in the list.  *out is a string
 * the caller frees.  Returns 0, or KITH_ENOTFOUND for an unknown key.
 */
KITH_EXPORT int kith_matcher_why_not(kith_matcher *m, const kith_profile *p, const kith_match_opts *opts,
				     const char *key, char **out);

#endif
