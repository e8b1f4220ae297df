/*
 * The writing side of a load (see load_int.h): one transaction per feed,
 * on the calling thread, the only one that touches SQLite.  A group's
 * content hash tells an unchanged group from an updated one, so reloading
 * a feed rewrites only what changed, and reloading the same file changes
 * nothing: its SHA-256 matches the last load and it is not read again.
 */
#include "store/load_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/geo.h"
#include "model/names.h"
#include "store/columns.h"
#include "util/array.h"

/* SQLite's page cache while loading, in KiB (its default is 2 MiB) */
#define LOAD_CACHE "PRAGMA cache_size=-32768"

static sqlite3_stmt *stmt(load_writer *w, int which)
{
	return kith_stmt_get(&w->loader->stmts, (size_t)which, w->err);
}

static int step_done(load_writer *w, sqlite3_stmt *s)
{
	return kith_db_step_done(w->loader->db, s, w->err);
}

static int exec(load_writer *w, const char *sql)
{
	return kith_db_exec(w->loader->db, sql, w->err);
}

/* ---- the feed --------------------------------------------------------------- */

int kith_load_write_header(load_writer *w, const kith_feed_info *info)
{
	sqlite3 *db = w->loader->db;
	sqlite3_stmt *s = NULL;
	char rules_hash[KITH_RULES_HASH_TEXT];
	int error = 0, rc;

	snprintf(w->report->feed_id, sizeof(w->report->feed_id), "%s", info->id);
	w->delta = info->delta;
	if ((w->feed_id = strdup(info->id)) == NULL ||
	    (info->publisher && (w->publisher = strdup(info->publisher)) == NULL) ||
	    (info->generated && (w->generated = strdup(info->generated)) == NULL))
		return KITH_ENOMEM;
	memcpy(w->sha256, info->sha256, sizeof(w->sha256));
	w->size = info->size;
	/* a load touches pages all over the B-trees: a larger cache saves reading them again */
	if ((error = exec(w, LOAD_CACHE)) != 0 || (error = exec(w, "BEGIN IMMEDIATE")) != 0)
		return error;
	w->in_transaction = 1;
	/* the same bytes need no reading, unless other rules made the index's concepts (a kith upgrade) */
	if (sqlite3_prepare_v2(db,
			       "SELECT source_sha256, group_count, "
			       "NOT EXISTS (SELECT 1 FROM groups WHERE feed_id = ?1), "
			       "(SELECT value FROM meta WHERE key = 'rules_hash') IS ?2 FROM feeds WHERE id = ?1",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_db_error(w->err, db, "reading feeds");
	kith_db_bind_text(s, 1, info->id);
	kith_rules_hash_text(w->loader->rules, rules_hash);
	kith_db_bind_text(s, 2, rules_hash);
	w->fresh = 1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		w->fresh = sqlite3_column_int(s, 2);
		if (sqlite3_column_text(s, 0) && strcmp((const char *)sqlite3_column_text(s, 0), info->sha256) == 0 &&
		    sqlite3_column_int(s, 3)) {
			w->report->unchanged = (size_t)sqlite3_column_int64(s, 1);
			w->report->identical = 1;
			error = KITH_STOP_IDENTICAL;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kith_db_error(w->err, db, "reading feeds");
	if (error || w->fresh)
		return error; /* a feed new to the index has no old groups to look up or remove */
	return exec(w, "CREATE TEMP TABLE IF NOT EXISTS seen(gid INTEGER PRIMARY KEY);"
		       "DELETE FROM temp.seen;");
}

/* ---- one group ---------------------------------------------------------------- */

/* The row of the feed's group with this id: its gid and content hash; gid 0 when there is none. */
static int find_group(load_writer *w, const char *id, sqlite3_int64 *gid, int64_t *hash)
{
	sqlite3_stmt *s = stmt(w, S_FIND);
	int rc;

	*gid = 0;
	*hash = 0;
	if (!s)
		return KITH_EIO;
	kith_db_bind_text(s, 1, w->feed_id);
	kith_db_bind_text(s, 2, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*gid = sqlite3_column_int64(s, 0);
		*hash = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kith_db_error(w->err, w->loader->db, "reading groups");
	return 0;
}

/* Notes that a full load still lists gid (unseen groups are removed at the end). */
static int mark_seen(load_writer *w, sqlite3_int64 gid)
{
	sqlite3_stmt *s;

	if (w->fresh)
		return 0;
	if ((s = stmt(w, S_SEEN)) == NULL)
		return KITH_EIO;
	sqlite3_bind_int64(s, 1, gid);
	return step_done(w, s);
}

static int delete_group(load_writer *w, sqlite3_int64 gid)
{
	static const int order[] = {S_FTS_DELETE,     S_DEL_VENUE_RTREE, S_DEL_VENUES,   S_DEL_SESSIONS,
				    S_DEL_NEEDS,      S_DEL_ACTIVITIES,  S_DEL_REQUIRES, S_DEL_LANGUAGES,
				    S_DEL_HOME_RTREE, S_DEL_ONLINE,      S_DEL_GROUP};
	size_t i;
	int error;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		sqlite3_stmt *s = stmt(w, order[i]);
		if (!s)
			return KITH_EIO;
		sqlite3_bind_int64(s, 1, gid);
		if ((error = step_done(w, s)) != 0)
			return error;
	}
	return 0;
}

/* The groups row (with gid when it replaces a group; 0 for a new one), its new gid in *out. */
static int insert_row(load_writer *w, const kith_group *g, const load_columns *c, sqlite3_int64 gid, sqlite3_int64 *out)
{
	sqlite3_stmt *s = stmt(w, S_INSERT_GROUP);
	int k, error;

#define COL(name) (KITH_COL_##name + 1) /* a column's parameter */
	if (!s)
		return KITH_EIO;
	if (gid > 0)
		sqlite3_bind_int64(s, COL(GID), gid);
	kith_db_bind_text(s, COL(FEED_ID), w->feed_id);
	kith_db_bind_text(s, COL(LOCAL_ID), g->id);
	kith_db_bind_text(s, COL(KEY), c->key.ptr);
	sqlite3_bind_int64(s, COL(CONTENT_HASH), c->hash);
	kith_db_bind_text(s, COL(NAME), g->name);
	kith_db_bind_text(s, COL(ORGANISATION), g->organisation);
	kith_db_bind_text(s, COL(DESCRIPTION), g->description);
	kith_db_bind_text(s, COL(TAG_WORDS), c->tag_words.size ? c->tag_words.ptr : NULL);
	kith_db_bind_text(s, COL(UPDATED), g->updated);
	sqlite3_bind_int64(s, COL(SOURCE_LINE), g->line);
	sqlite3_bind_int(s, COL(ONLINE), g->online);
	kith_db_bind_text(s, COL(ONLINE_HOW), g->online_how);
	if (g->home_visits && g->home_point.known) {
		sqlite3_bind_double(s, COL(HOME_RADIUS_KM), g->home_radius_km);
		sqlite3_bind_double(s, COL(HOME_LAT), g->home_point.lat);
		sqlite3_bind_double(s, COL(HOME_LON), g->home_point.lon);
	}
	sqlite3_bind_int(s, COL(SCHEDULE_KNOWN), g->schedule_known);
	sqlite3_bind_int(s, COL(BY_APPOINTMENT), g->by_appointment);
	kith_db_bind_text(s, COL(STARTS), g->starts);
	kith_db_bind_text(s, COL(ENDS), g->ends);
	for (k = 0; k < KITH_ACCESS_COUNT; k++)
		sqlite3_bind_int(s, COL(ACCESS) + k, (int)g->access[k]);
	if (g->min_age >= 0)
		sqlite3_bind_int(s, COL(MIN_AGE), g->min_age);
	if (g->max_age >= 0)
		sqlite3_bind_int(s, COL(MAX_AGE), g->max_age);
	kith_db_bind_text(s, COL(GENDER), kith_gender_name(g->gender));
	kith_db_bind_text(s, COL(REFERRAL), kith_referral_name(g->referral_professional));
	if (g->cost_known) {
		sqlite3_bind_int(s, COL(COST_FREE), g->cost_free);
		sqlite3_bind_double(s, COL(COST_AMOUNT), g->cost_free ? 0.0 : g->cost_amount);
		kith_db_bind_text(s, COL(COST_PER), kith_cost_per_name(g->cost_per));
	}
	kith_db_bind_text(s, COL(CAPACITY), kith_capacity_name(g->capacity));
	kith_db_bind_text(s, COL(LANGUAGES), c->langs.size ? c->langs.ptr : "en");
	kith_db_bind_text(s, COL(PHONE), g->phone);
	kith_db_bind_text(s, COL(EMAIL), g->email);
	kith_db_bind_text(s, COL(WEB), g->web);
	kith_db_bind_text(s, COL(NEEDS_LIST), c->needs.ptr);
	kith_db_bind_text(s, COL(ACTIVITIES_LIST), c->activities.ptr);
	kith_db_bind_text(s, COL(REQUIRES_LIST), c->requires.ptr);
	kith_db_bind_text(s, COL(SESSIONS_LIST), c->sessions.ptr);
	kith_db_bind_text(s, COL(VENUE_LIST), c->venues.size ? c->venues.ptr : NULL); /* NULL: none located */
	kith_db_bind_text(s, COL(TEXT_CONCEPTS), c->text_concepts.ptr);
	kith_db_bind_text(s, COL(NAME_CONCEPTS), c->name_concepts.ptr);
	kith_db_bind_text(s, COL(CONCEPT_WORDS), c->concept_words.ptr);
	sqlite3_bind_int64(s, COL(CONCEPT_MASK), (sqlite3_int64)c->mask);
	sqlite3_bind_int64(s, COL(LANG_MASK), (sqlite3_int64)c->langs_mask);
	kith_db_bind_text(s, COL(STEMS), c->stems.ptr);
	sqlite3_bind_int64(s, COL(TOKEN_COUNT), (sqlite3_int64)c->token_count);
	kith_db_bind_text(s, COL(FIRST_ADDRESS), g->venue_count ? g->venues[0].address : NULL);
	sqlite3_bind_int(s, COL(UNLOCATED_VENUES), c->unlocated);
	kith_db_bind_text(s, COL(AREA), g->area);
	sqlite3_bind_int(s, COL(PLACELESS), c->placeless);
	kith_db_bind_text(s, COL(TEXT_AREA), c->text_area.size ? c->text_area.ptr : NULL);
	kith_db_bind_text(s, COL(TEXT_AREA_NAMES), c->text_area_names.size ? c->text_area_names.ptr : NULL);
#undef COL
	if ((error = step_done(w, s)) != 0)
		return error;
	*out = sqlite3_last_insert_rowid(w->loader->db);
	if (*out >= (sqlite3_int64)1 << (62 - KITH_VENUE_BITS))
		return kith_error_set(w->err, KITH_ETOOLARGE, "group ids have run out");
	return 0;
}

static int insert_fts(load_writer *w, const kith_group *g, const load_columns *c, sqlite3_int64 gid)
{
	sqlite3_stmt *s = stmt(w, S_FTS_INSERT);

	if (!s)
		return KITH_EIO;
	sqlite3_bind_int64(s, 1, gid);
	kith_db_bind_text(s, 2, g->name);
	kith_db_bind_text(s, 3, g->organisation);
	kith_db_bind_text(s, 4, g->description);
	kith_db_bind_text(s, 5, c->tag_words.size ? c->tag_words.ptr : NULL);
	kith_db_bind_text(s, 6, c->concept_words.ptr);
	return step_done(w, s);
}

/* The venues, and the located ones into the R*Tree, each with a vid that names its group. */
static int insert_venues(load_writer *w, const kith_group *g, sqlite3_int64 gid)
{
	size_t i;
	int error;

	for (i = 0; i < g->venue_count && i < ((size_t)1 << KITH_VENUE_BITS); i++) {
		const kith_venue *v = &g->venues[i];
		sqlite3_int64 vid = kith_venue_id(gid, i);
		sqlite3_stmt *s = stmt(w, S_INS_VENUE);
		if (!s)
			return KITH_EIO;
		sqlite3_bind_int64(s, 7, vid);
		sqlite3_bind_int64(s, 1, gid);
		kith_db_bind_text(s, 2, v->address);
		kith_db_bind_text(s, 3, v->postcode);
		if (v->point.known) {
			sqlite3_bind_double(s, 4, v->point.lat);
			sqlite3_bind_double(s, 5, v->point.lon);
			kith_db_bind_text(s, 6, v->placed_by_postcode ? "postcode" : "point");
		}
		if ((error = step_done(w, s)) != 0)
			return error;
		if (!v->point.known)
			continue;
		if ((s = stmt(w, S_INS_VENUE_RTREE)) == NULL)
			return KITH_EIO;
		sqlite3_bind_int64(s, 1, vid);
		sqlite3_bind_double(s, 2, v->point.lat);
		sqlite3_bind_double(s, 3, v->point.lon);
		if ((error = step_done(w, s)) != 0)
			return error;
	}
	return 0;
}

static int insert_sessions(load_writer *w, const kith_group *g, sqlite3_int64 gid)
{
	size_t i;
	int error;

	for (i = 0; i < g->session_count; i++) {
		sqlite3_stmt *s = stmt(w, S_INS_SESSION);
		if (!s)
			return KITH_EIO;
		sqlite3_bind_int64(s, 1, gid);
		sqlite3_bind_int(s, 2, g->sessions[i].day);
		sqlite3_bind_int(s, 3, g->sessions[i].start);
		sqlite3_bind_int(s, 4, g->sessions[i].end);
		sqlite3_bind_int(s, 5, (int)g->sessions[i].weeks);
		if ((error = step_done(w, s)) != 0)
			return error;
	}
	return 0;
}

static int insert_tags(load_writer *w, int which, sqlite3_int64 gid, const kith_strlist *l)
{
	size_t i;
	int error;

	for (i = 0; i < l->count; i++) {
		sqlite3_stmt *s = stmt(w, which);
		if (!s)
			return KITH_EIO;
		sqlite3_bind_int64(s, 1, gid);
		kith_db_bind_text(s, 2, l->items[i]);
		if ((error = step_done(w, s)) != 0)
			return error;
	}
	return 0;
}

/* The box around the circle a home-visit service reaches, with the group's masks. */
static int insert_home_visits(load_writer *w, const kith_group *g, const load_columns *c, sqlite3_int64 gid)
{
	sqlite3_stmt *s = stmt(w, S_INS_HOME_RTREE);
	double box[4];
	int i;

	if (!s)
		return KITH_EIO;
	kith_geo_box(g->home_point.lat, g->home_point.lon, g->home_radius_km, box);
	sqlite3_bind_int64(s, 1, gid);
	for (i = 0; i < 4; i++)
		sqlite3_bind_double(s, 2 + i, box[i]);
	sqlite3_bind_int64(s, 6, (sqlite3_int64)c->mask);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)c->langs_mask);
	return step_done(w, s);
}

static int insert_online(load_writer *w, const load_columns *c, sqlite3_int64 gid)
{
	sqlite3_stmt *s = stmt(w, S_INS_ONLINE);

	if (!s)
		return KITH_EIO;
	sqlite3_bind_int64(s, 1, gid);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)c->mask);
	sqlite3_bind_int64(s, 3, (sqlite3_int64)c->langs_mask);
	return step_done(w, s);
}

/* Every row of a group (with gid when it replaces a group, else a new one). */
static int insert_group(load_writer *w, const kith_group *g, const load_columns *c, sqlite3_int64 gid)
{
	int error;

	if ((error = insert_row(w, g, c, gid, &gid)) != 0 ||
	    (error = kith_pack_note(&w->pack, gid, c->mask, c->langs_mask)) != 0 ||
	    (error = insert_fts(w, g, c, gid)) != 0 || (error = insert_venues(w, g, gid)) != 0 ||
	    (error = insert_sessions(w, g, gid)) != 0 || (error = insert_tags(w, S_INS_NEED, gid, &g->needs)) != 0 ||
	    (error = insert_tags(w, S_INS_ACTIVITY, gid, &g->activities)) != 0 ||
	    (error = insert_tags(w, S_INS_REQUIRES, gid, &g->requires)) != 0 ||
	    (error = insert_tags(w, S_INS_LANGUAGE, gid, &g->languages)) != 0)
		return error;
	if (g->home_visits && g->home_point.known && (error = insert_home_visits(w, g, c, gid)) != 0)
		return error;
	if (g->online && (error = insert_online(w, c, gid)) != 0)
		return error;
	return mark_seen(w, gid);
}

int kith_load_write_group(load_writer *w, const kith_group *g, const load_columns *c)
{
	sqlite3_int64 gid = 0;
	int64_t old_hash = 0;
	int error;

	if (!w->fresh && (error = find_group(w, g->id, &gid, &old_hash)) != 0)
		return error;
	if (gid && old_hash == c->hash) {
		w->report->unchanged++;
		return mark_seen(w, gid);
	}
	if (gid) {
		if ((error = delete_group(w, gid)) != 0)
			return error;
		w->report->updated++;
	} else {
		w->report->added++;
	}
	return insert_group(w, g, c, gid);
}

int kith_load_write_withdrawn(load_writer *w, const char *id)
{
	sqlite3_int64 gid;
	int64_t hash;
	int error = find_group(w, id, &gid, &hash);

	if (error || !gid)
		return error;
	w->report->removed++;
	if ((error = delete_group(w, gid)) != 0)
		return error;
	return kith_pack_note(&w->pack, gid, 0, 0);
}

int kith_load_remove_unseen(load_writer *w, double max_share)
{
	sqlite3 *db = w->loader->db;
	sqlite3_stmt *s = NULL;
	sqlite3_int64 *gids = NULL;
	double held;
	size_t n = 0, alloc = 0, i;
	int rc, error = 0;

	if (sqlite3_prepare_v2(db,
			       "SELECT gid FROM groups WHERE feed_id = ?1 AND gid NOT IN (SELECT gid FROM temp.seen)",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_db_error(w->err, db, "reading groups");
	kith_db_bind_text(s, 1, w->feed_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((error = KITH_ARRAY_RESERVE(gids, alloc, n + 1, 64)) != 0)
			goto cleanup;
		gids[n++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE) {
		error = kith_db_error(w->err, db, "reading groups");
		goto cleanup;
	}
	if (max_share < 1 && n > 0 &&
	    (error = kith_db_one(db, "SELECT count(*) FROM groups WHERE feed_id = ?1", w->feed_id, NULL, 0, &held,
				 w->err)) != 0)
		goto cleanup;
	if (max_share < 1 && n > 0 && held > 0 && (double)n > max_share * held) {
		error = kith_error_set(
			w->err, KITH_EINVALID,
			"%s: feed '%s' would lose %zu of its %lld groups in the index, more than %.0f%%: "
			"fix the feed, or allow it (kith index --max-removed %d)",
			w->path, w->feed_id, n, (long long)held, max_share * 100, (int)((double)n * 100 / held + 1));
		goto cleanup;
	}
	for (i = 0; i < n && !error; i++)
		if ((error = delete_group(w, gids[i])) == 0)
			error = kith_pack_note(&w->pack, gids[i], 0, 0);
	w->report->removed += n;

cleanup:
	sqlite3_finalize(s);
	free(gids);
	return error;
}

/* ---- the end of a feed ---------------------------------------------------------- */

/*
 * What BM25 needs at match time: how many groups hold each term, and the
 * groups' mean length in tokens.  A new feed adds what its reading thread
 * counted; a load that replaced or removed groups counts again, reading
 * FTS5's own index.
 */
static int update_term_docs(load_writer *w)
{
	static const char mean[] = "INSERT OR REPLACE INTO meta(key, value) SELECT 'avg_tokens', "
				   "CASE WHEN g.value > 0 THEN CAST(t.value AS REAL) / g.value ELSE 0 END "
				   "FROM meta t, meta g WHERE t.key = 'tokens' AND g.key = 'groups'";
	sqlite3 *db = w->loader->db;
	sqlite3_stmt *s = NULL;
	size_t i;
	int error = 0;

	if (!w->fresh) {
		error = exec(w, "INSERT OR REPLACE INTO meta(key, value) "
				"SELECT 'tokens', coalesce(sum(token_count), 0) FROM groups;"
				"INSERT OR REPLACE INTO meta(key, value) SELECT 'groups', count(*) FROM groups;"
				"CREATE VIRTUAL TABLE IF NOT EXISTS temp.kith_vocab USING fts5vocab(main, "
				"'group_fts', 'row');"
				"DELETE FROM term_docs;"
				"INSERT INTO term_docs(term, docs) SELECT term, doc FROM temp.kith_vocab;");
		return error ? error : exec(w, mean);
	}
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO term_docs(term, docs) VALUES (?1, ?2) "
			       "ON CONFLICT(term) DO UPDATE SET docs = docs + excluded.docs",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_db_error(w->err, db, "writing term_docs");
	for (i = 0; i < w->terms->capacity && !error; i++) {
		const kith_term_count *t = &w->terms->slots[i];
		if (!t->term)
			continue;
		kith_db_bind_text(s, 1, t->term);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)t->docs);
		error = step_done(w, s);
	}
	sqlite3_finalize(s);
	if (error)
		return error;
	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO meta(key, value) VALUES "
			       "('tokens', coalesce((SELECT value FROM meta WHERE key = 'tokens'), 0) + ?1), "
			       "('groups', coalesce((SELECT value FROM meta WHERE key = 'groups'), 0) + ?2)",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_db_error(w->err, db, "writing meta");
	sqlite3_bind_int64(s, 1, w->tokens);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)w->report->added);
	error = step_done(w, s);
	sqlite3_finalize(s);
	return error ? error : exec(w, mean);
}

/* The rules the stored concepts came from, so a matcher knows whether to trust them. */
static int record_rules(load_writer *w)
{
	char hash[KITH_RULES_HASH_TEXT];
	sqlite3_stmt *s = NULL;
	int error = 0;

	kith_rules_hash_text(w->loader->rules, hash);
	if (sqlite3_prepare_v2(w->loader->db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('rules_hash', ?1)", -1,
			       &s, NULL) == SQLITE_OK) {
		kith_db_bind_text(s, 1, hash);
		if (sqlite3_step(s) != SQLITE_DONE)
			error = kith_db_error(w->err, w->loader->db, "writing meta");
	}
	sqlite3_finalize(s);
	return error;
}

int kith_load_record_feed(load_writer *w)
{
	sqlite3 *db = w->loader->db;
	sqlite3_stmt *s = NULL;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	int error = 0;

	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO feeds(id, publisher, generated, mode, loaded_at, source_file, "
			       "source_sha256, source_bytes, group_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
			       "(SELECT count(*) FROM groups WHERE feed_id = ?1))",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_db_error(w->err, db, "writing feeds");
	kith_db_bind_text(s, 1, w->feed_id);
	kith_db_bind_text(s, 2, w->publisher);
	kith_db_bind_text(s, 3, w->generated);
	kith_db_bind_text(s, 4, w->delta ? "delta" : "full");
	kith_db_bind_text(s, 5, now);
	kith_db_bind_text(s, 6, w->source ? w->source : w->path);
	kith_db_bind_text(s, 7, w->sha256);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)w->size);
	if (sqlite3_step(s) != SQLITE_DONE)
		error = kith_db_error(w->err, db, "writing feeds");
	sqlite3_finalize(s);
	if (!error)
		error = update_term_docs(w);
	if (!error)
		error = kith_pack_write_online(db, w->err);
	if (!error)
		error = kith_pack_write_groups(db, &w->pack, w->err);
	if (!error)
		error = record_rules(w);
	return error;
}

int kith_load_remove_feed(load_writer *w)
{
	sqlite3_stmt *s = NULL;
	char known[8];
	int error;

	if ((error = exec(w, "BEGIN IMMEDIATE")) != 0)
		return error;
	w->in_transaction = 1;
	if ((error = kith_db_one(w->loader->db, "SELECT 1 FROM feeds WHERE id = ?1", w->feed_id, known, sizeof(known),
				 NULL, w->err)) != 0)
		return error;
	if (!known[0])
		return kith_error_set(w->err, KITH_ENOTFOUND, "no feed '%s' in the index (kith feeds lists them)",
				      w->feed_id);
	/* every group is unseen: the full load of an empty feed, then the feed's own record */
	if ((error = exec(w,
			  "CREATE TEMP TABLE IF NOT EXISTS seen(gid INTEGER PRIMARY KEY); DELETE FROM temp.seen;")) !=
		    0 ||
	    (error = kith_load_remove_unseen(w, 1.0)) != 0)
		return error;
	if (sqlite3_prepare_v2(w->loader->db, "DELETE FROM feeds WHERE id = ?1", -1, &s, NULL) != SQLITE_OK)
		return kith_db_error(w->err, w->loader->db, "writing feeds");
	kith_db_bind_text(s, 1, w->feed_id);
	error = step_done(w, s);
	sqlite3_finalize(s);
	w->fresh = 0;
	if (!error)
		error = update_term_docs(w);
	if (!error)
		error = kith_pack_write_online(w->loader->db, w->err);
	if (!error)
		error = kith_pack_write_groups(w->loader->db, &w->pack, w->err);
	if (!error && (error = exec(w, "COMMIT")) == 0)
		w->in_transaction = 0;
	return error;
}

void kith_load_writer_release(load_writer *w)
{
	kith_pack_changes_release(&w->pack);
	free(w->feed_id);
	free(w->publisher);
	free(w->generated);
}
