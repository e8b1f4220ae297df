/*
 * The index: one SQLite database holding every loaded partner feed, with a
 * full-text index (FTS5), tag tables and a spatial index (R*Tree).
 */
#ifndef KITH_INDEX_H
#define KITH_INDEX_H

#include "kith/common.h"

/* The schema version kept in PRAGMA user_version. */
#define KITH_SCHEMA_VERSION 4

/*
 * One handle is used by one thread at a time; several handles, on one
 * thread each, may open the same file at once (kith/common.h, "Threads").
 * SQLite's own file locking keeps a load and the readers apart.
 */
typedef struct kith_index kith_index;

enum {
	KITH_OPEN_READONLY = 0, /* open an existing index for queries */
	KITH_OPEN_CREATE = 1    /* open for loading, creating it when missing */
};

/*
 * Opens the index at path.  Returns 0 and a handle in *out, which the
 * caller frees with kith_index_free() -- also on failure, when *out is set
 * and holds the message: KITH_ENOTFOUND (no such file, without CREATE),
 * KITH_EVERSION (made by another schema version), KITH_EIO (not a database,
 * or not writable).
 */
KITH_EXPORT int kith_index_open(kith_index **out, const char *path, int flags);

/* Closes the database and frees the handle.  NULL is a no-op. */
KITH_EXPORT void kith_index_free(kith_index *idx);

/* The message of the last failed call on idx (borrowed).  Never NULL. */
KITH_EXPORT const char *kith_index_errmsg(const kith_index *idx);

/* What one feed load did. */
typedef struct kith_load_report {
	char feed_id[128]; /* empty when the file never got as far as its root */
	size_t added, updated, removed, unchanged;
	size_t skipped; /* bad groups left out with skip_bad_groups */
	size_t warnings;
	size_t errors;
	int identical; /* the same bytes as the last load of this feed */
	/*
	 * The load committed, but copying it from the "-wal" file into the
	 * index failed (a full disk, say): it is safe there, and the next load
	 * or close tries again; kith_index_errmsg() says why.
	 */
	int unflushed;
} kith_load_report;

/* Called now and then while a feed loads: bytes read of total. */
typedef void (*kith_progress_fn)(void *data, size_t done, size_t total);

typedef struct kith_load_opts {
	unsigned version;          /* KITH_LOAD_OPTS_VERSION */
	int skip_bad_groups;       /* leave out groups that break a rule */
	kith_progress_fn progress; /* may be NULL */
	void *progress_data;
	/*
	 * With skip_bad_groups, the largest share (0 to 1) of a full feed's
	 * groups already in the index that one load may remove; a load that
	 * would remove more is refused, so a feed whose groups went bad does not
	 * silently empty a partner's listing.  0 means the default,
	 * KITH_MAX_REMOVED_DEFAULT; 1 allows any.  (Version 2.)
	 */
	double max_removed;
	/* What to record as where the feed came from (kith stats, kith feeds), when not path: an import's inputs. */
	const char *source;
} kith_load_opts;

#define KITH_MAX_REMOVED_DEFAULT 0.2
#define KITH_LOAD_OPTS_VERSION 2
/* clang-format off */
#define KITH_LOAD_OPTS_INIT {KITH_LOAD_OPTS_VERSION, 0, NULL, NULL, 0, NULL}
/* clang-format on */

/*
 * Loads one feed file in one transaction: it is validated while it loads,
 * and if anything fails the index is left exactly as it was.  mode="full"
 * replaces the feed's groups; mode="delta" adds, replaces and withdraws.
 * Loading the same file twice changes nothing the second time.
 * Diagnostics (errors and warnings, file:line:column) go to diags, which
 * may be NULL; report, which may be NULL, gets the counts.
 * Returns 0, KITH_EINVALID (the feed broke the format; see diags), or
 * KITH_EIO / KITH_ENOMEM (see kith_index_errmsg).
 */
KITH_EXPORT int kith_index_load(kith_index *idx, const char *path, const kith_load_opts *opts, kith_load_report *report,
				kith_diag_list *diags);

/*
 * Removes the feed feed_id and every group it listed, in one transaction.
 * *removed (may be NULL) gets how many groups went.  Returns 0,
 * KITH_ENOTFOUND (no such feed), or KITH_EIO / KITH_ENOMEM (see
 * kith_index_errmsg).
 */
KITH_EXPORT int kith_index_remove_feed(kith_index *idx, const char *feed_id, size_t *removed);

/* Per-feed figures for `kith stats`. */
typedef struct kith_feed_stats {
	char *id, *publisher, *generated, *loaded_at, *source_file, *sha256;
	long long groups;
} kith_feed_stats;

typedef struct kith_tag_count {
	char *kind; /* "need", "activity", "requires", "language" */
	char *tag;
	long long groups;
	int in_vocabulary;
} kith_tag_count;

/* What `kith stats` shows.  Everything is owned by the struct. */
typedef struct kith_stats {
	kith_feed_stats *feeds;
	size_t feed_count;
	long long groups, venues, sessions;
	long long fresh_3m, fresh_12m, stale, undated; /* by age of `updated` */
	long long no_access, no_schedule, no_location, untagged;
	long long online, home_visits, by_appointment, waiting_list, closed, ended_courses;
	kith_tag_count *tags;
	size_t tag_count;
} kith_stats;

/*
 * Gathers the index's statistics as of today ("YYYY-MM-DD"; NULL for the
 * real date).  *out is owned by the caller: kith_stats_free() it.
 */
KITH_EXPORT int kith_index_stats(kith_index *idx, const char *today, kith_stats **out);
KITH_EXPORT void kith_stats_free(kith_stats *stats);

/* What kith_index_load_postcodes() did. */
typedef struct kith_postcode_report {
	size_t loaded;     /* live postcodes with a place */
	size_t terminated; /* left out: no longer in use */
	size_t unplaced;   /* left out: no place given, or not a postcode */
} kith_postcode_report;

/*
 * Loads full postcodes and their places from an ONS Postcode Directory CSV
 * (ONSPD, or any CSV with postcode, lat and long columns; schemas/README.md)
 * into the index, replacing any loaded before, whole or not at all.  A home
 * given by a postcode the index holds is then placed to the street rather
 * than at its district's centre.  Returns 0, KITH_EINVALID (not such a
 * file: the message says where), KITH_EIO or KITH_ENOMEM.
 */
KITH_EXPORT int kith_index_load_postcodes(kith_index *idx, const char *path, kith_postcode_report *out);

/* What a listing lacks, for the people who keep a directory. */
typedef enum kith_gap {
	KITH_GAP_NEVER_SHOWN, /* no place, online way in or home visits; closed; or a course that has ended */
	KITH_GAP_NO_ACCESS,   /* not one accessibility fact */
	KITH_GAP_NO_SCHEDULE,
	KITH_GAP_STALE,   /* not updated for over 12 months */
	KITH_GAP_UNTAGGED /* no need or activity tags */
} kith_gap;

typedef struct kith_gap_item {
	char *key;          /* "FEED/GROUP"; owned */
	char *name;         /* owned */
	char *updated;      /* "YYYY-MM-DD", or "" when unknown; owned */
	const char *reason; /* what it lacks, in words; static */
} kith_gap_item;

typedef struct kith_gap_list {
	kith_gap_item *items; /* owned */
	size_t count;         /* listed: at most the limit asked for */
	long long total;      /* all that have the gap (a group never shown for two reasons counts twice) */
} kith_gap_list;

/*
 * The listings with one gap as of today ("YYYY-MM-DD"; NULL for the real
 * date), by key, at most limit of them (total says how many there are).
 * *out is owned by the caller: kith_gap_list_free() it.
 */
KITH_EXPORT int kith_index_gaps(kith_index *idx, kith_gap gap, const char *today, size_t limit, kith_gap_list **out);
KITH_EXPORT void kith_gap_list_free(kith_gap_list *list);
/* A gap's name ("never-shown", "no-access", "no-schedule", "stale", "untagged"), and back (KITH_EINVALID). */
KITH_EXPORT const char *kith_gap_name(kith_gap gap);
KITH_EXPORT int kith_gap_from_name(const char *name, kith_gap *out);

#endif
