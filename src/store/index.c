/*
 * The index: its schema, opening and closing it, and statistics.  Loading
 * feeds into it is load.c's.
 */
#include "store/index_db.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "util/buf.h"
#include "model/schedule.h"
#include "text/vocab.h"
#include "util/array.h"

static const char schema_sql[] =
	"CREATE TABLE feeds("
	"  id TEXT PRIMARY KEY, publisher TEXT, generated TEXT, mode TEXT, loaded_at TEXT,"
	"  source_file TEXT, source_sha256 TEXT, source_bytes INTEGER, group_count INTEGER);"
	"CREATE TABLE groups("
	"  gid INTEGER PRIMARY KEY, feed_id TEXT NOT NULL, local_id TEXT NOT NULL,"
	"  key TEXT NOT NULL UNIQUE, content_hash INTEGER NOT NULL,"
	"  name TEXT NOT NULL, organisation TEXT, description TEXT, tag_words TEXT,"
	"  updated TEXT, source_line INTEGER,"
	"  online INTEGER NOT NULL, online_how TEXT,"
	"  home_radius_km REAL, home_lat REAL, home_lon REAL," /* NULL radius: no home visits */
	"  schedule_known INTEGER NOT NULL, by_appointment INTEGER NOT NULL, starts TEXT, ends TEXT,"
	"  wheelchair INTEGER NOT NULL, step_free INTEGER NOT NULL, hearing_loop INTEGER NOT NULL,"
	"  accessible_toilet INTEGER NOT NULL, parking INTEGER NOT NULL,"
	"  public_transport INTEGER NOT NULL," /* 0 unknown, 1 yes, 2 no */
	"  min_age INTEGER, max_age INTEGER, gender TEXT NOT NULL, referral TEXT NOT NULL,"
	"  cost_free INTEGER, cost_amount REAL, cost_per TEXT," /* NULL cost_free: cost unknown */
	"  capacity TEXT NOT NULL, languages TEXT NOT NULL,"
	"  phone TEXT, email TEXT, web TEXT,"
	/* the same facts as the child tables, in one row, so a match reads one row per group */
	"  needs_list TEXT, activities_list TEXT, requires_list TEXT,"
	"  sessions_list TEXT," /* 'day,start,end,weeks ...' */
	"  venue_list TEXT,"    /* 'lat,lon ...' of located venues */
	/* what the synonym rules read in the name and description, 'id=strength ...', worked
	   out once here so that a match need not run every rule over every candidate */
	"  text_concepts TEXT, name_concepts TEXT,"
	/* every concept it has, tagged, read or implied, as words: what a match narrows candidates by */
	"  concept_words TEXT, concept_mask INTEGER, lang_mask INTEGER,"
	/* the FTS5 tokens of name|organisation|description|tag words, and how many, so that a
	   match scores BM25 over its few candidates in C rather than over every row in FTS5 */
	"  stems TEXT, token_count INTEGER,"
	"  first_address TEXT, unlocated_venues INTEGER,"
	"  UNIQUE(feed_id, local_id));"
	"CREATE INDEX groups_unlocated ON groups(gid) WHERE venue_list IS NULL AND unlocated_venues > 0;"
	/* vid is gid * 2^20 + the venue's place in its group (KITH_VENUE_BITS), so that a venue's
	   group is known from its id alone; placed_by: 'point', 'postcode' or NULL */
	"CREATE TABLE venues("
	"  vid INTEGER PRIMARY KEY, gid INTEGER NOT NULL, address TEXT, postcode TEXT,"
	"  lat REAL, lon REAL, placed_by TEXT);"
	"CREATE INDEX venues_gid ON venues(gid);"
	/* id: the venue's vid.  No auxiliary columns: SQLite reads those from another table, row by
	   row, which made them the slowest part of a match; the masks are in group_pack */
	"CREATE VIRTUAL TABLE venue_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);"
	"CREATE VIRTUAL TABLE home_visit_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon, +mask, +langs);"
	"CREATE TABLE online_groups(gid INTEGER PRIMARY KEY, mask INTEGER NOT NULL, langs INTEGER NOT NULL);"
	/* the same rows packed into blobs (gid, mask, langs: 8 bytes each, little-endian), rewritten
	   after every load: a match reads every online group, and a few blobs read faster than rows */
	"CREATE TABLE online_pack(part INTEGER PRIMARY KEY, entries BLOB NOT NULL);"
	/* every group's concept and language masks (8 bytes each, little-endian; zeros for no group),
	   part p holding gids p * 65536 to p * 65536 + 65535: what narrowing reads for each venue */
	"CREATE TABLE group_pack(part INTEGER PRIMARY KEY, entries BLOB NOT NULL);"
	"CREATE TABLE sessions(gid INTEGER NOT NULL, day INTEGER NOT NULL, start_min INTEGER NOT NULL,"
	"  end_min INTEGER NOT NULL, weeks INTEGER NOT NULL);"
	"CREATE INDEX sessions_gid ON sessions(gid);"
	"CREATE TABLE group_needs(gid INTEGER NOT NULL, need TEXT NOT NULL);"
	"CREATE INDEX group_needs_gid ON group_needs(gid);"
	"CREATE TABLE group_activities(gid INTEGER NOT NULL, activity TEXT NOT NULL);"
	"CREATE INDEX group_activities_gid ON group_activities(gid);"
	"CREATE TABLE group_requires(gid INTEGER NOT NULL, circumstance TEXT NOT NULL);"
	"CREATE INDEX group_requires_gid ON group_requires(gid);"
	"CREATE TABLE group_languages(gid INTEGER NOT NULL, language TEXT NOT NULL);"
	"CREATE INDEX group_languages_gid ON group_languages(gid);"
	/* meta: rules_hash (the rules behind text_concepts), groups, tokens and avg_tokens (for BM25) */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
	/* how many groups hold each FTS5 term, refreshed after every load: BM25's IDF at match time
	   is then one B-tree lookup, where fts5vocab would read the term's whole doclist */
	"CREATE TABLE term_docs(term TEXT PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID;"
	"CREATE VIRTUAL TABLE group_fts USING fts5(name, organisation, description, tag_words, concept_words,"
	"  content='groups', content_rowid='gid',"
	"  tokenize='porter unicode61 remove_diacritics 2');";

struct kith_index {
	sqlite3 *db; /* owned */
	kith_error error;
	kith_loader *loader; /* owned; made on the first load */
};

#define STR_(x) #x
#define KITH_STR(x) STR_(x)

sqlite3 *kith_index_db(kith_index *idx)
{
	return idx->db;
}

const char *kith_index_errmsg(const kith_index *idx)
{
	return idx ? kith_error_message(&idx->error) : "no index";
}

kith_error *kith_index_error_of(kith_index *idx)
{
	return &idx->error;
}

kith_loader **kith_index_loader(kith_index *idx)
{
	return &idx->loader;
}

int kith_index_db_error(kith_index *idx, const char *what)
{
	return kith_error_set(&idx->error, KITH_EIO, "%s: %s", what, sqlite3_errmsg(idx->db));
}

int kith_index_exec(kith_index *idx, const char *sql)
{
	if (sqlite3_exec(idx->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return kith_index_db_error(idx, "database");
	return 0;
}

static int user_version(kith_index *idx, int *version)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(idx->db, "PRAGMA user_version", -1, &s, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		*version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : KITH_EIO;
}

static int count_tables(kith_index *idx, int *count)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(idx->db, "SELECT count(*) FROM sqlite_master", -1, &s, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		*count = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : KITH_EIO;
}

int kith_index_open(kith_index **out, const char *path, int flags)
{
	kith_index *idx;
	struct stat st;
	int error = 0, version = 0, tables = 0;
	int oflags = flags & KITH_OPEN_CREATE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;

	*out = NULL;
	if ((idx = calloc(1, sizeof(*idx))) == NULL)
		return KITH_ENOMEM;
	*out = idx;
	if (!(flags & KITH_OPEN_CREATE) && stat(path, &st) != 0)
		return kith_error_set(&idx->error, KITH_ENOTFOUND, "%s: no such index (create it with kith index)",
				      path);
	if (sqlite3_open_v2(path, &idx->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return kith_error_set(&idx->error, KITH_EIO, "%s: cannot open: %s", path,
				      idx->db ? sqlite3_errmsg(idx->db) : "out of memory");
	sqlite3_busy_timeout(idx->db, 5000);
	if (user_version(idx, &version) != 0 || count_tables(idx, &tables) != 0)
		return kith_error_set(&idx->error, KITH_EIO, "%s: not a kith index (%s)", path,
				      sqlite3_errmsg(idx->db));
	if (version == 0 && tables == 0) {
		if (!(flags & KITH_OPEN_CREATE))
			return kith_error_set(&idx->error, KITH_ENOTFOUND, "%s: empty database, not a kith index",
					      path);
		if ((error = kith_index_exec(idx, "PRAGMA journal_mode=WAL")) != 0 ||
		    (error = kith_index_exec(idx, "BEGIN")) != 0 || (error = kith_index_exec(idx, schema_sql)) != 0 ||
		    (error = kith_index_exec(idx, "PRAGMA user_version=" KITH_STR(KITH_SCHEMA_VERSION))) != 0 ||
		    (error = kith_index_exec(idx, "COMMIT")) != 0)
			return error;
	} else if (version != KITH_SCHEMA_VERSION) {
		return kith_error_set(&idx->error, KITH_EVERSION,
				      "%s: %s (schema version %d; this kith reads version %d): rebuild it with "
				      "kith index into a new file",
				      path, version ? "made by another version of kith" : "not a kith index", version,
				      KITH_SCHEMA_VERSION);
	}
	if (flags & KITH_OPEN_CREATE) {
		if ((error = kith_index_exec(idx, "PRAGMA journal_mode=WAL")) != 0 ||
		    (error = kith_index_exec(idx, "PRAGMA synchronous=NORMAL")) != 0)
			return error;
	}
	return 0;
}

void kith_index_free(kith_index *idx)
{
	if (!idx)
		return;
	kith_loader_free(idx->loader);
	sqlite3_close(idx->db);
	kith_error_release(&idx->error);
	free(idx);
}

/* ---- statistics -------------------------------------------------------- */

static char *column_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return strdup(t ? (const char *)t : "");
}

static int scalar(kith_index *idx, const char *sql, const char *today, long long *out)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(idx->db, sql, -1, &s, NULL) != SQLITE_OK)
		return kith_index_db_error(idx, "reading statistics");
	if (sqlite3_bind_parameter_count(s) >= 1)
		sqlite3_bind_text(s, 1, today, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : kith_index_db_error(idx, "reading statistics");
}

void kith_stats_free(kith_stats *stats)
{
	size_t i;

	if (!stats)
		return;
	for (i = 0; i < stats->feed_count; i++) {
		kith_feed_stats *f = &stats->feeds[i];
		free(f->id);
		free(f->publisher);
		free(f->generated);
		free(f->loaded_at);
		free(f->source_file);
		free(f->sha256);
	}
	for (i = 0; i < stats->tag_count; i++) {
		free(stats->tags[i].kind);
		free(stats->tags[i].tag);
	}
	free(stats->feeds);
	free(stats->tags);
	free(stats);
}

static int read_feeds(kith_index *idx, kith_stats *st)
{
	sqlite3_stmt *s = NULL;
	size_t alloc = 0;
	int rc, error = 0;

	if (sqlite3_prepare_v2(idx->db,
			       "SELECT id, publisher, generated, loaded_at, source_file, source_sha256, "
			       "(SELECT count(*) FROM groups g WHERE g.feed_id = feeds.id) FROM feeds ORDER BY id",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_index_db_error(idx, "reading feeds");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		kith_feed_stats *f;
		if ((error = KITH_ARRAY_RESERVE(st->feeds, alloc, st->feed_count + 1, 16)) != 0)
			break;
		f = &st->feeds[st->feed_count++];
		f->id = column_dup(s, 0);
		f->publisher = column_dup(s, 1);
		f->generated = column_dup(s, 2);
		f->loaded_at = column_dup(s, 3);
		f->source_file = column_dup(s, 4);
		f->sha256 = column_dup(s, 5);
		f->groups = sqlite3_column_int64(s, 6);
	}
	if (!error && rc != SQLITE_DONE)
		error = kith_index_db_error(idx, "reading feeds");
	sqlite3_finalize(s);
	return error;
}

static int read_tags(kith_index *idx, kith_stats *st)
{
	static const char sql[] =
		"SELECT 'need', need, count(DISTINCT gid) FROM group_needs GROUP BY need "
		"UNION ALL SELECT 'activity', activity, count(DISTINCT gid) FROM group_activities GROUP BY activity "
		"UNION ALL SELECT 'requires', circumstance, count(DISTINCT gid) FROM group_requires GROUP BY "
		"circumstance "
		"UNION ALL SELECT 'language', language, count(DISTINCT gid) FROM group_languages GROUP BY language "
		"ORDER BY 1, 3 DESC, 2";
	sqlite3_stmt *s = NULL;
	size_t alloc = 0;
	int rc, error = 0;

	if (sqlite3_prepare_v2(idx->db, sql, -1, &s, NULL) != SQLITE_OK)
		return kith_index_db_error(idx, "reading tags");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		kith_tag_count *t;
		if ((error = KITH_ARRAY_RESERVE(st->tags, alloc, st->tag_count + 1, 64)) != 0)
			break;
		t = &st->tags[st->tag_count++];
		t->kind = column_dup(s, 0);
		t->tag = column_dup(s, 1);
		t->groups = sqlite3_column_int64(s, 2);
		t->in_vocabulary = strcmp(t->kind, "language") == 0 ||
				   kith_vocab_find(strcmp(t->kind, "need") == 0       ? KITH_VOCAB_NEED
						   : strcmp(t->kind, "activity") == 0 ? KITH_VOCAB_ACTIVITY
										      : KITH_VOCAB_CIRCUMSTANCE,
						   t->tag) != NULL;
	}
	if (!error && rc != SQLITE_DONE)
		error = kith_index_db_error(idx, "reading tags");
	sqlite3_finalize(s);
	return error;
}

int kith_index_stats(kith_index *idx, const char *today, kith_stats **out)
{
	kith_stats *st = calloc(1, sizeof(*st));
	char now[11];
	long days;
	int error = 0;
	struct {
		const char *sql;
		long long *out;
	} counts[] = {
		{"SELECT count(*) FROM groups", NULL},
		{"SELECT count(*) FROM venues", NULL},
		{"SELECT count(*) FROM sessions", NULL},
		{"SELECT count(*) FROM groups WHERE updated >= date(?1, '-3 months')", NULL},
		{"SELECT count(*) FROM groups WHERE updated < date(?1, '-3 months') AND updated >= date(?1, '-12 "
		 "months')",
		 NULL},
		{"SELECT count(*) FROM groups WHERE updated < date(?1, '-12 months')", NULL},
		{"SELECT count(*) FROM groups WHERE updated IS NULL", NULL},
		{"SELECT count(*) FROM groups WHERE wheelchair + step_free + hearing_loop + accessible_toilet "
		 "+ parking + public_transport = 0",
		 NULL},
		{"SELECT count(*) FROM groups WHERE schedule_known = 0", NULL},
		{"SELECT count(*) FROM groups g WHERE online = 0 AND home_radius_km IS NULL AND NOT EXISTS "
		 "(SELECT 1 FROM venues v WHERE v.gid = g.gid AND v.lat IS NOT NULL)",
		 NULL},
		{"SELECT count(*) FROM groups g WHERE NOT EXISTS (SELECT 1 FROM group_needs n WHERE n.gid = g.gid) "
		 "AND NOT EXISTS (SELECT 1 FROM group_activities a WHERE a.gid = g.gid)",
		 NULL},
		{"SELECT count(*) FROM groups WHERE online = 1", NULL},
		{"SELECT count(*) FROM groups WHERE home_radius_km IS NOT NULL", NULL},
		{"SELECT count(*) FROM groups WHERE by_appointment = 1", NULL},
		{"SELECT count(*) FROM groups WHERE capacity = 'waiting-list'", NULL},
		{"SELECT count(*) FROM groups WHERE capacity = 'closed'", NULL},
		{"SELECT count(*) FROM groups WHERE ends < ?1", NULL},
	};
	size_t i;

	*out = NULL;
	if (!st)
		return KITH_ENOMEM;
	counts[0].out = &st->groups;
	counts[1].out = &st->venues;
	counts[2].out = &st->sessions;
	counts[3].out = &st->fresh_3m;
	counts[4].out = &st->fresh_12m;
	counts[5].out = &st->stale;
	counts[6].out = &st->undated;
	counts[7].out = &st->no_access;
	counts[8].out = &st->no_schedule;
	counts[9].out = &st->no_location;
	counts[10].out = &st->untagged;
	counts[11].out = &st->online;
	counts[12].out = &st->home_visits;
	counts[13].out = &st->by_appointment;
	counts[14].out = &st->waiting_list;
	counts[15].out = &st->closed;
	counts[16].out = &st->ended_courses;
	if (!today) {
		kith_date_format(kith_date_today(), now);
		today = now;
	} else if (kith_date_parse(today, &days) != 0) {
		error = kith_error_set(&idx->error, KITH_EINVALID, "'%s' is not a date (expected YYYY-MM-DD)", today);
		goto cleanup;
	}
	for (i = 0; i < sizeof(counts) / sizeof(counts[0]) && !error; i++)
		error = scalar(idx, counts[i].sql, today, counts[i].out);
	if (!error)
		error = read_feeds(idx, st);
	if (!error)
		error = read_tags(idx, st);

cleanup:
	if (error) {
		kith_stats_free(st);
		return error;
	}
	*out = st;
	return 0;
}
