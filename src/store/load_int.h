/*
 * What the three files of the loader share (load.c, derive.c, write.c).
 *
 * A feed loads on two threads.  The reading thread parses and validates the
 * feed and works out what the index stores beyond the feed's own fields
 * (derive.c: the rules' concepts, FTS5 tokens, masks and lists, most of the
 * CPU time); the calling thread, the only one that touches SQLite, writes
 * (write.c).  They meet in a small queue of items (load.c), so memory
 * stays flat whatever the feed's size.
 */
#ifndef KITH_LOAD_INT_H
#define KITH_LOAD_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "feed/feed.h"
#include "kith/index.h"
#include "model/model.h"
#include "store/db.h"
#include "store/load.h"
#include "store/pack.h"
#include "text/rules.h"
#include "text/stem.h"
#include "text/terms.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"

/* The loader's write statements (write.c), by number. */
enum {
	S_FIND,
	S_INSERT_GROUP,
	S_FTS_INSERT,
	S_FTS_DELETE,
	S_DEL_VENUE_RTREE,
	S_DEL_VENUES,
	S_DEL_SESSIONS,
	S_DEL_NEEDS,
	S_DEL_ACTIVITIES,
	S_DEL_REQUIRES,
	S_DEL_LANGUAGES,
	S_DEL_HOME_RTREE,
	S_DEL_GROUP,
	S_INS_VENUE,
	S_INS_VENUE_RTREE,
	S_INS_SESSION,
	S_INS_NEED,
	S_INS_ACTIVITY,
	S_INS_REQUIRES,
	S_INS_LANGUAGE,
	S_INS_HOME_RTREE,
	S_INS_ONLINE,
	S_DEL_ONLINE,
	S_SEEN,
	S_COUNT
};

/* What loading keeps between feeds. */
struct kith_loader {
	sqlite3 *db;           /* borrowed from the index */
	kith_rules *rules;     /* owned; the built-in synonym rules; the reading thread's while a feed loads */
	kith_stemmer *stemmer; /* owned; FTS5's tokenizer; the reading thread's while a feed loads */
	kith_stmt_cache stmts; /* owned; the writing thread's */
	char *insert_sql;      /* owned: S_INSERT_GROUP, made from the groups row's column list */
	const char *sql[S_COUNT];
};

/* Everything the index stores of a group beyond its own fields (derive.c). */
typedef struct load_columns {
	int64_t hash; /* of every field: tells an unchanged group on reload */
	uint64_t mask, langs_mask;
	size_t token_count;
	int unlocated;  /* venues with no location */
	int placeless;  /* no venue with a point or postcode, no online, no home visits (spec rule 3) */
	kith_buf canon; /* the group's canonical text, hashed */
	kith_buf key, langs, tag_words, needs, activities, requires, sessions, venues;
	kith_buf text_concepts, name_concepts, concept_words, stems;
	kith_buf text_area, text_area_names; /* who it is for by where they live, read from its words */
} load_columns;

void kith_load_columns_init(load_columns *c);
void kith_load_columns_release(load_columns *c);
/* Works out c for g of feed feed_id: 0, or an error with err set (ENOMEM, or the tokenizer's). */
int kith_load_derive(kith_loader *loader, const char *feed_id, const kith_group *g, load_columns *c, kith_error *err);
/* Counts the group's terms once each into terms, as FTS5 will index them, and its tokens into *tokens. */
int kith_load_count_terms(kith_loader *loader, const load_columns *c, kith_term_counts *terms, long long *tokens);

/* The writing thread's state for one feed (write.c). */
typedef struct load_writer {
	kith_loader *loader;
	kith_error *err; /* where messages go */
	const char *path;
	const char *source; /* recorded as where the feed came from: path, or what the caller names */
	kith_load_report *report;
	int delta;
	int fresh; /* the index held no group of this feed before */
	int in_transaction;
	char sha256[65];
	size_t size;
	char *feed_id, *publisher, *generated; /* owned copies */
	kith_pack_changes pack;                /* owned: the groups written or removed, for group_pack */
	const kith_term_counts *terms;         /* a new feed's term counts, from the reading thread */
	long long tokens;                      /* and its tokens */
} load_writer;

#define KITH_STOP_IDENTICAL 1 /* write_header's "stop reading, nothing to do" */

/* Starts the feed's transaction; KITH_STOP_IDENTICAL when the same bytes loaded last time. */
int kith_load_write_header(load_writer *w, const kith_feed_info *info);
int kith_load_write_group(load_writer *w, const kith_group *g, const load_columns *c);
int kith_load_write_withdrawn(load_writer *w, const char *id);
/*
 * Removes the feed's groups that a full load did not list; with max_share
 * below 1, refuses (KITH_EINVALID, the message on w->err) when that would
 * be more than that share of them.
 */
int kith_load_remove_unseen(load_writer *w, double max_share);
/* Removes w->feed_id's groups and its record, in a transaction of its own: 0, KITH_ENOTFOUND or an error. */
int kith_load_remove_feed(load_writer *w);
/* Records the feed and brings term counts, packs and meta up to date. */
int kith_load_record_feed(load_writer *w);
void kith_load_writer_release(load_writer *w);

#endif
