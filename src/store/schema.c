/*
 * The index's tables and its version (see schema.h).
 */
#include "store/schema.h"

#include "kith/index.h"
#include "store/db.h"

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
	"  area TEXT, placeless INTEGER NOT NULL, text_area TEXT, text_area_names TEXT,"
	"  UNIQUE(feed_id, local_id));"
	"CREATE INDEX groups_unlocated ON groups(gid) WHERE venue_list IS NULL AND (unlocated_venues > 0 OR "
	"(placeless AND area IS NOT NULL));"
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

#define STR_(x) #x
#define KITH_STR(x) STR_(x)

/* The first column of the first row of a query that returns one integer. */
static int query_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);

	if (rc == SQLITE_OK && (rc = sqlite3_step(s)) == SQLITE_ROW)
		*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : KITH_EIO;
}

int kith_schema_open(sqlite3 *db, const char *path, int create, kith_error *err)
{
	int error, version = 0, tables = 0;

	if (query_int(db, "PRAGMA user_version", &version) != 0 ||
	    query_int(db, "SELECT count(*) FROM sqlite_master", &tables) != 0) {
		int code = sqlite3_extended_errcode(db) & 0xff;
		/* only a file SQLite cannot read as a database is "not an index": the rest say their own cause */
		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			return kith_error_set(err, KITH_EIO, "%s: not a kith index (%s)", path, sqlite3_errmsg(db));
		return kith_db_error(err, db, path);
	}
	if (version == KITH_SCHEMA_VERSION)
		return 0;
	if (version != 0 || tables != 0)
		return kith_error_set(err, KITH_EVERSION,
				      "%s: %s (schema version %d; this kith reads version %d): rebuild it with "
				      "kith index into a new file",
				      path, version ? "made by another version of kith" : "not a kith index", version,
				      KITH_SCHEMA_VERSION);
	if (!create)
		return kith_error_set(err, KITH_ENOTFOUND, "%s: empty database, not a kith index", path);
	if ((error = kith_db_exec(db, "PRAGMA journal_mode=WAL", err)) != 0 ||
	    (error = kith_db_exec(db, "BEGIN", err)) != 0 || (error = kith_db_exec(db, schema_sql, err)) != 0 ||
	    (error = kith_db_exec(db, "PRAGMA user_version=" KITH_STR(KITH_SCHEMA_VERSION), err)) != 0 ||
	    (error = kith_db_exec(db, "COMMIT", err)) != 0)
		return error;
	return 0;
}
