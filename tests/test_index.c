/*
 * The index (include/kith/index.h) on real SQLite files in temporary
 * folders: full and delta loads, reloads, rollback of a broken feed, schema
 * versions, full-text and spatial look-ups, and statistics.  Contents are
 * checked with the sqlite3 API on a connection of the test's own.
 */
#include "support.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "kith/index.h"

#define DATA "tests/data/feeds/"

/* ---- helpers ----------------------------------------------------------- */

typedef struct fixture {
	char *dir;
	char *db; /* dir/index.db */
	kith_index *idx;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	kith_buf path = KITH_BUF_INIT;

	if (!f || (f->dir = ks_tmpdir()) == NULL)
		return -1;
	kith_buf_printf(&path, "%s/index.db", f->dir);
	f->db = kith_buf_detach(&path);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	kith_index_free(f->idx);
	ks_rmtree(f->dir);
	free(f->dir);
	free(f->db);
	free(f);
	return 0;
}

static kith_index *open_index(fixture *f)
{
	if (!f->idx) {
		int rc = kith_index_open(&f->idx, f->db, KITH_OPEN_CREATE);
		if (rc != 0)
			fprintf(stderr, "open: %s\n", kith_index_errmsg(f->idx));
		assert_int_equal(rc, 0);
	}
	return f->idx;
}

/* Loads a feed (a path, or a name under tests/data/feeds/) and returns kith_index_load's code. */
static int load_opts(fixture *f, const char *feed, int skip, kith_load_report *report)
{
	kith_load_opts opts = KITH_LOAD_OPTS_INIT;
	kith_diag_list *diags = NULL;
	kith_buf path = KITH_BUF_INIT;
	int rc;

	opts.skip_bad_groups = skip;
	if (feed[0] == '/')
		kith_buf_puts(&path, feed);
	else
		kith_buf_printf(&path, "%s/" DATA "%s", ks_srcdir(), feed);
	assert_int_equal(kith_diag_list_new(&diags), 0);
	rc = kith_index_load(open_index(f), path.ptr, &opts, report, diags);
	if (report)
		assert_int_equal(report->errors, kith_diag_list_count_of(diags, KITH_DIAG_ERROR));
	kith_diag_list_free(diags);
	kith_buf_release(&path);
	return rc;
}

static int load(fixture *f, const char *feed, kith_load_report *report)
{
	return load_opts(f, feed, 0, report);
}

static void assert_report(const kith_load_report *r, const char *feed_id, size_t added, size_t updated, size_t removed,
			  size_t unchanged)
{
	assert_string_equal(r->feed_id, feed_id);
	assert_int_equal(r->added, added);
	assert_int_equal(r->updated, updated);
	assert_int_equal(r->removed, removed);
	assert_int_equal(r->unchanged, unchanged);
}

static int row_to_text(void *data, int n, char **values, char **names)
{
	kith_buf *b = data;
	int i;

	(void)names;
	for (i = 0; i < n; i++)
		kith_buf_printf(b, "%s%s", i ? "|" : "", values[i] ? values[i] : "NULL");
	kith_buf_putc(b, '\n');
	return 0;
}

/* The rows sql returns from the database file at path, "a|b|c" a line (free() it). */
static char *query_flags(const char *path, const char *sql, int flags)
{
	sqlite3 *db = NULL;
	kith_buf out = KITH_BUF_INIT;
	char *err = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, flags, NULL), SQLITE_OK);
	if (sqlite3_exec(db, sql, row_to_text, &out, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err);
	sqlite3_close(db);
	return kith_buf_detach(&out);
}

static char *query(const char *path, const char *sql)
{
	return query_flags(path, sql, SQLITE_OPEN_READONLY);
}

static void assert_query(const char *path, const char *sql, const char *expected)
{
	char *got = query(path, sql);

	if (strcmp(got, expected) != 0)
		fprintf(stderr, "%s\n--- got:\n%s--- expected:\n%s", sql, got, expected);
	assert_string_equal(got, expected);
	free(got);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Every row of every table (the full-text and R*Tree shadow tables too),
 * sorted within each table, plus user_version: two equal dumps mean equal
 * content.  Blobs are written in hex.
 */
static char *dump(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *tables = NULL, *rows = NULL;
	kith_buf out = KITH_BUF_INIT, row = KITH_BUF_INIT;
	char **lines = NULL;
	size_t n = 0, alloc = 0, i;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &rows, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(rows), SQLITE_ROW);
	kith_buf_printf(&out, "user_version %d\n", sqlite3_column_int(rows, 0));
	sqlite3_finalize(rows);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name", -1,
					    &tables, NULL),
			 SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		kith_buf sql = KITH_BUF_INIT;
		kith_buf_printf(&sql, "SELECT * FROM \"%s\"", (const char *)sqlite3_column_text(tables, 0));
		kith_buf_printf(&out, "table %s\n", (const char *)sqlite3_column_text(tables, 0));
		assert_int_equal(sqlite3_prepare_v2(db, sql.ptr, -1, &rows, NULL), SQLITE_OK);
		n = 0;
		while (sqlite3_step(rows) == SQLITE_ROW) {
			int c;
			kith_buf_clear(&row);
			for (c = 0; c < sqlite3_column_count(rows); c++) {
				int type = sqlite3_column_type(rows, c);
				if (c)
					kith_buf_putc(&row, '|');
				if (type == SQLITE_NULL) {
					kith_buf_puts(&row, "NULL");
				} else if (type == SQLITE_BLOB) {
					const unsigned char *blob = sqlite3_column_blob(rows, c);
					int k, len = sqlite3_column_bytes(rows, c);
					for (k = 0; k < len; k++)
						kith_buf_printf(&row, "%02x", blob[k]);
				} else {
					kith_buf_puts(&row, (const char *)sqlite3_column_text(rows, c));
				}
			}
			if (n == alloc) {
				alloc = alloc ? 2 * alloc : 64;
				lines = realloc(lines, alloc * sizeof(*lines));
				assert_non_null(lines);
			}
			lines[n++] = kith_buf_detach(&row);
		}
		sqlite3_finalize(rows);
		qsort(lines, n, sizeof(*lines), compare_strings);
		for (i = 0; i < n; i++) {
			kith_buf_printf(&out, "%s\n", lines[i]);
			free(lines[i]);
		}
		kith_buf_release(&sql);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	free(lines);
	kith_buf_release(&row);
	return kith_buf_detach(&out);
}

/* A copy of a data feed with the text at `before` replaced by insert (before must occur once). */
static char *edited(fixture *f, const char *name, const char *before, const char *insert)
{
	kith_buf rel = KITH_BUF_INIT, text = KITH_BUF_INIT;
	char *orig, *at, *path;

	kith_buf_printf(&rel, DATA "%s", name);
	orig = ks_read(ks_src(rel.ptr));
	assert_non_null(orig);
	at = strstr(orig, before);
	assert_non_null(at);
	kith_buf_put(&text, orig, (size_t)(at - orig));
	kith_buf_puts(&text, insert);
	kith_buf_puts(&text, at + strlen(before));
	path = ks_write(f->dir, name, text.ptr);
	free(orig);
	kith_buf_release(&rel);
	kith_buf_release(&text);
	return path;
}

#define GROUP_COLUMNS                                                                                        \
	"key, feed_id, local_id, name, organisation, description, tag_words, updated, source_line, online, " \
	"online_how, home_radius_km, home_lat, home_lon, schedule_known, by_appointment, starts, ends, "     \
	"wheelchair, step_free, hearing_loop, accessible_toilet, parking, public_transport, min_age, "       \
	"max_age, gender, referral, cost_free, cost_amount, cost_per, capacity, languages, phone, email, web"

/* ---- loading ------------------------------------------------------------ */

/*
 * The rows a packed table holds, as "a|b|c" lines: each blob is entries of
 * 8-byte little-endian fields.  With fields 3 the gid is the first field;
 * with 2 it is the entry's place (part * 65536 + index), and all-zero
 * entries (no group) are left out.
 */
static char *unpack(fixture *f, const char *sql, int fields)
{
	kith_buf out = KITH_BUF_INIT;
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;

	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		long long part = sqlite3_column_int64(s, 0);
		const unsigned char *p = sqlite3_column_blob(s, 1);
		int n = sqlite3_column_bytes(s, 1), size = 8 * fields, i, k;
		assert_int_equal(n % size, 0);
		for (i = 0; i < n; i += size) {
			long long v[3] = {0, 0, 0};
			for (k = 0; k < size; k++)
				v[k / 8] |= (long long)((unsigned long long)p[i + k] << (8 * (k % 8)));
			if (fields == 3)
				kith_buf_printf(&out, "%lld|%lld|%lld\n", v[0], v[1], v[2]);
			else if (v[0] || v[1])
				kith_buf_printf(&out, "%lld|%lld|%lld\n", part * 65536 + i / size, v[0], v[1]);
		}
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return kith_buf_detach(&out);
}

/* online_pack holds exactly online_groups; group_pack every group's masks at its gid. */
static void assert_packs_exact(fixture *f)
{
	char *packed = unpack(f, "SELECT part, entries FROM online_pack ORDER BY part", 3);

	assert_query(f->db, "SELECT gid, mask, langs FROM online_groups ORDER BY gid", packed);
	free(packed);
	packed = unpack(f, "SELECT part, entries FROM group_pack ORDER BY part", 2);
	assert_query(f->db, "SELECT gid, concept_mask, lang_mask FROM groups ORDER BY gid", packed);
	free(packed);
}

/*
 * term_docs and the mean length, kept as feeds load, agree with FTS5's own
 * index and with the groups table; so do the packed copies of the online
 * groups and of every group's masks.
 */
static void assert_term_docs_exact(fixture *f)
{
	assert_packs_exact(f);
	assert_query(
		f->db,
		"CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, 'group_fts', 'row');"
		"SELECT (SELECT count(*) FROM temp.v v LEFT JOIN term_docs t USING (term) WHERE t.docs IS NOT v.doc)"
		" + (SELECT count(*) FROM term_docs t LEFT JOIN temp.v v USING (term) WHERE v.doc IS NULL),"
		" (SELECT abs((SELECT value FROM meta WHERE key = 'avg_tokens') - "
		"  coalesce((SELECT avg(token_count) FROM groups), 0)) < 1e-9),"
		" (SELECT value FROM meta WHERE key = 'groups') = (SELECT count(*) FROM groups)",
		"0|1|1\n");
}

static void test_full_load(void **state)
{
	fixture *f = *state;
	kith_load_report r;
	char *expected_feed;

	assert_int_equal(load(f, "full.xml", &r), 0);
	assert_report(&r, "haverhill-lifelink", 3, 0, 0, 0);
	assert_int_equal(r.identical, 0);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 0);
	{
		char version[16];
		snprintf(version, sizeof(version), "%d\n", KITH_SCHEMA_VERSION);
		assert_query(f->db, "PRAGMA user_version", version);
	}
	assert_query(f->db, "SELECT " GROUP_COLUMNS " FROM groups ORDER BY key",
		     "haverhill-lifelink/cafe-connect|haverhill-lifelink|cafe-connect|Café Connect|NULL|"
		     "A friendly telephone café for anyone who would like a chat.|loneliness befriending|2026-10-30|"
		     "54|1|telephone|NULL|NULL|NULL|1|1|NULL|NULL|0|0|0|0|0|0|NULL|NULL|any|self|NULL|NULL|NULL|"
		     "closed|en|NULL|NULL|NULL\n"
		     "haverhill-lifelink/tue-lunch|haverhill-lifelink|tue-lunch|Tuesday Lunch Club|"
		     "Haverhill Community Trust|A hot two-course lunch and a chat with friendly volunteers.|"
		     "loneliness low mood lunch club games|2026-10-12|6|1|by telephone on a Tuesday afternoon|"
		     "8.0|52.08|0.44|1|1|2026-01-06|2027-12-21|1|1|0|1|2|1|55|99|female|professional|0|3.5|week|"
		     "waiting-list|en pl|01440 000000|hello@example.org|https://example.org\n"
		     "haverhill-lifelink/walk-talk|haverhill-lifelink|walk-talk|Walk and Talk|NULL|"
		     "Gentle walking round the East Town Park, at your own pace.|physical activity walking|"
		     "2026-11-02|39|0|NULL|NULL|NULL|NULL|1|0|NULL|NULL|2|2|0|0|0|0|NULL|NULL|any|self|1|0.0|"
		     "session|unknown|en|NULL|NULL|NULL\n");
	assert_query(f->db,
		     "SELECT g.local_id, v.address, v.postcode, round(v.lat, 4), round(v.lon, 4), v.placed_by "
		     "FROM venues v JOIN groups g USING (gid) ORDER BY g.local_id, v.vid",
		     "tue-lunch|Arts Centre, High Street, Haverhill|CB9 8AR|52.0826|0.439|point\n"
		     "tue-lunch|Chalkstone Community Hall, Haverhill|CB9 0LB|52.083|0.4399|postcode\n"
		     "walk-talk|East Town Park gates, Haverhill|NULL|52.0861|0.4502|point\n");
	/* weeks="1 3 last": bits for weeks 1 and 3, and 32 for the last */
	assert_query(f->db,
		     "SELECT g.local_id, s.day, s.start_min, s.end_min, s.weeks FROM sessions s JOIN groups g "
		     "USING (gid) ORDER BY g.local_id, s.day",
		     "tue-lunch|1|720|840|0\n"
		     "tue-lunch|3|630|690|37\n"
		     "walk-talk|2|600|660|0\n");
	assert_query(
		f->db,
		"SELECT 'need', g.local_id, need FROM group_needs JOIN groups g USING (gid) "
		"UNION ALL SELECT 'activity', g.local_id, activity FROM group_activities JOIN groups g USING (gid) "
		"UNION ALL SELECT 'requires', g.local_id, circumstance FROM group_requires JOIN groups g USING (gid) "
		"UNION ALL SELECT 'language', g.local_id, language FROM group_languages JOIN groups g USING (gid) "
		"ORDER BY 1, 2, 3",
		"activity|cafe-connect|befriending\n"
		"activity|tue-lunch|games\n"
		"activity|tue-lunch|lunch-club\n"
		"activity|walk-talk|walking\n"
		"language|tue-lunch|en\n"
		"language|tue-lunch|pl\n"
		"need|cafe-connect|loneliness\n"
		"need|tue-lunch|loneliness\n"
		"need|tue-lunch|low-mood\n"
		"need|walk-talk|physical-activity\n"
		"requires|tue-lunch|bereaved\n"
		"requires|tue-lunch|carer\n");
	{
		char *bytes = ks_read(ks_src(DATA "full.xml"));
		kith_buf b = KITH_BUF_INIT;
		kith_buf_printf(&b,
				"haverhill-lifelink|ONE Haverhill Partnership|2026-11-01T09:00:00Z|full|%s/" DATA
				"full.xml|64|%zu|3\n",
				ks_srcdir(), strlen(bytes));
		expected_feed = kith_buf_detach(&b);
		free(bytes);
	}
	assert_query(f->db,
		     "SELECT id, publisher, generated, mode, source_file, length(source_sha256), source_bytes, "
		     "group_count FROM feeds",
		     expected_feed);
	assert_query(f->db,
		     "SELECT count(*) FROM feeds WHERE loaded_at GLOB '2[0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T*Z'",
		     "1\n");
	free(expected_feed);
}

static void test_reload_same_file_changes_nothing(void **state)
{
	fixture *f = *state;
	kith_load_report r;
	char *before, *after;

	assert_int_equal(load(f, "full.xml", &r), 0);
	before = dump(f->db);
	assert_int_equal(load(f, "full.xml", &r), 0);
	assert_int_equal(r.identical, 1);
	assert_report(&r, "haverhill-lifelink", 0, 0, 0, 3);
	after = dump(f->db);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/*
 * The same bytes loaded by a kith whose rules differ (an upgrade) are read
 * again, so the concepts stored with the groups come from the rules in use.
 */
static void test_reload_after_new_rules(void **state)
{
	fixture *f = *state;
	kith_load_report r;
	char *rules_hash;
	sqlite3 *db = NULL;

	assert_int_equal(load(f, "full.xml", &r), 0);
	rules_hash = query(f->db, "SELECT value FROM meta WHERE key = 'rules_hash'");
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE meta SET value = 'older' WHERE key = 'rules_hash'", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(load(f, "full.xml", &r), 0);
	assert_int_equal(r.identical, 0);
	assert_report(&r, "haverhill-lifelink", 0, 0, 0, 3);
	assert_query(f->db, "SELECT value FROM meta WHERE key = 'rules_hash'", rules_hash);
	assert_int_equal(load(f, "full.xml", &r), 0);
	assert_int_equal(r.identical, 1);
	free(rules_hash);
}

static void test_reload_same_groups_other_bytes(void **state)
{
	fixture *f = *state;
	kith_load_report r;
	char *path, *groups_before, *groups_after;

	assert_int_equal(load(f, "full.xml", &r), 0);
	groups_before = query(f->db, "SELECT gid, " GROUP_COLUMNS " FROM groups ORDER BY gid");
	/* a new comment and a new generated time: the same groups */
	path = edited(f, "full.xml", "generated=\"2026-11-01T09:00:00Z\"\n      mode=\"full\">",
		      "generated=\"2026-11-08T09:00:00Z\"\n      mode=\"full\"><!-- regenerated -->");
	assert_int_equal(load(f, path, &r), 0);
	assert_int_equal(r.identical, 0);
	assert_report(&r, "haverhill-lifelink", 0, 0, 0, 3);
	groups_after = query(f->db, "SELECT gid, " GROUP_COLUMNS " FROM groups ORDER BY gid");
	assert_string_equal(groups_before, groups_after);
	assert_query(f->db, "SELECT generated FROM feeds", "2026-11-08T09:00:00Z\n");
	free(path);
	free(groups_before);
	free(groups_after);
}

/* Rows of the child tables whose group is gone: there must be none. */
static void assert_no_orphans(fixture *f)
{
	assert_query(
		f->db,
		"SELECT (SELECT count(*) FROM venues WHERE gid NOT IN (SELECT gid FROM groups)) + "
		"(SELECT count(*) FROM venue_rtree WHERE id NOT IN (SELECT vid FROM venues WHERE lat IS NOT NULL)) + "
		"(SELECT count(*) FROM home_visit_rtree WHERE id NOT IN (SELECT gid FROM groups)) + "
		"(SELECT count(*) FROM sessions WHERE gid NOT IN (SELECT gid FROM groups)) + "
		"(SELECT count(*) FROM group_needs WHERE gid NOT IN (SELECT gid FROM groups)) + "
		"(SELECT count(*) FROM group_activities WHERE gid NOT IN (SELECT gid FROM groups)) + "
		"(SELECT count(*) FROM group_requires WHERE gid NOT IN (SELECT gid FROM groups)) + "
		"(SELECT count(*) FROM group_languages WHERE gid NOT IN (SELECT gid FROM groups)) + "
		"(SELECT count(*) FROM group_fts_docsize WHERE id NOT IN (SELECT gid FROM groups)) + "
		"(SELECT count(*) FROM groups WHERE gid NOT IN (SELECT id FROM group_fts_docsize))",
		"0\n");
	/* the full-text index agrees with the rows it indexes */
	free(query_flags(f->db, "INSERT INTO group_fts(group_fts) VALUES ('integrity-check')", SQLITE_OPEN_READWRITE));
}

static void test_full_reload_updates_and_removes(void **state)
{
	fixture *f = *state;
	kith_load_report r;
	char *walk_before;

	assert_int_equal(load(f, "full.xml", &r), 0);
	assert_int_equal(load(f, "other.xml", &r), 0);
	walk_before = query(f->db, "SELECT gid, " GROUP_COLUMNS " FROM groups WHERE local_id = 'walk-talk'");
	assert_int_equal(load(f, "full-v2.xml", &r), 0);
	assert_report(&r, "haverhill-lifelink", 1, 1, 1, 1);
	assert_term_docs_exact(f);
	assert_query(
		f->db, "SELECT key, name, description, cost_amount, cost_per, tag_words FROM groups ORDER BY key",
		"haverhill-lifelink/knit-natter|Knit and Natter|NULL|NULL|NULL|knitting\n"
		"haverhill-lifelink/tue-lunch|Tuesday Lunch Club|A hot two-course lunch, pudding and a chat.|"
		"4.0|session|loneliness lunch club\n"
		"haverhill-lifelink/walk-talk|Walk and Talk|"
		"Gentle walking round the East Town Park, at your own pace.|0.0|session|physical activity walking\n"
		"suffolk-mind/calm-cafe|Calm Café|NULL|NULL|NULL|anxiety peer support\n");
	/* the unchanged group was not rewritten */
	assert_query(f->db, "SELECT gid, " GROUP_COLUMNS " FROM groups WHERE local_id = 'walk-talk'", walk_before);
	/* the updated group lost what the new listing dropped */
	assert_query(f->db,
		     "SELECT count(*) FROM venues JOIN groups USING (gid) WHERE local_id = 'tue-lunch' "
		     "UNION ALL SELECT count(*) FROM sessions JOIN groups USING (gid) WHERE local_id = 'tue-lunch' "
		     "UNION ALL SELECT count(*) FROM group_requires "
		     "UNION ALL SELECT count(*) FROM home_visit_rtree",
		     "1\n1\n0\n0\n");
	assert_query(f->db,
		     "SELECT g.local_id FROM group_fts JOIN groups g ON g.gid = group_fts.rowid "
		     "WHERE group_fts MATCH 'connect' OR group_fts MATCH 'volunteers'",
		     "");
	assert_query(f->db, "SELECT id, group_count FROM feeds ORDER BY id", "haverhill-lifelink|3\nsuffolk-mind|1\n");
	assert_no_orphans(f);
	free(walk_before);
}

static void test_delta_adds_replaces_withdraws(void **state)
{
	fixture *f = *state;
	kith_load_report r;

	assert_int_equal(load(f, "full.xml", &r), 0);
	assert_int_equal(load(f, "other.xml", &r), 0);
	assert_int_equal(load(f, "delta.xml", &r), 0);
	/* never-listed is withdrawn too, and changes nothing */
	assert_report(&r, "haverhill-lifelink", 1, 1, 1, 0);
	assert_term_docs_exact(f);
	assert_query(f->db, "SELECT key, description FROM groups ORDER BY key",
		     "haverhill-lifelink/cafe-connect|A friendly telephone café for anyone who would like a chat.\n"
		     "haverhill-lifelink/choir|NULL\n"
		     "haverhill-lifelink/walk-talk|Gentle walking round the East Town Park, now on Thursdays too.\n"
		     "suffolk-mind/calm-cafe|NULL\n");
	assert_query(f->db,
		     "SELECT g.local_id, s.day, s.start_min FROM sessions s JOIN groups g USING (gid) "
		     "ORDER BY 1, 2",
		     "calm-cafe|5|600\nchoir|0|1140\nwalk-talk|2|600\nwalk-talk|3|600\n");
	assert_query(f->db, "SELECT id, mode, group_count FROM feeds ORDER BY id",
		     "haverhill-lifelink|delta|3\nsuffolk-mind|full|1\n");
	assert_no_orphans(f);
	/* the same delta again changes nothing */
	assert_int_equal(load(f, "delta.xml", &r), 0);
	assert_int_equal(r.identical, 1);
}

static void test_delta_into_an_empty_index(void **state)
{
	fixture *f = *state;
	kith_load_report r;

	assert_int_equal(load(f, "delta.xml", &r), 0);
	assert_report(&r, "haverhill-lifelink", 2, 0, 0, 0);
	assert_term_docs_exact(f);
	assert_query(f->db, "SELECT local_id FROM groups ORDER BY 1", "choir\nwalk-talk\n");
}

static void test_empty_full_feed_removes_everything_of_its_feed(void **state)
{
	fixture *f = *state;
	kith_load_report r;
	char *path;

	assert_int_equal(load(f, "full.xml", &r), 0);
	assert_int_equal(load(f, "other.xml", &r), 0);
	/* the same group id in another feed is another group */
	path = ks_write(f->dir, "same-ids.xml",
			"<feed xmlns=\"urn:kith:feed:1\" id=\"another\" version=\"1\">"
			"<group id=\"walk-talk\"><name>Another Walk</name></group></feed>");
	assert_int_equal(load(f, path, &r), 0);
	assert_report(&r, "another", 1, 0, 0, 0);
	free(path);
	path = ks_write(f->dir, "empty-feed.xml",
			"<feed xmlns=\"urn:kith:feed:1\" id=\"haverhill-lifelink\" version=\"1\"/>");
	assert_int_equal(load(f, path, &r), 0);
	assert_report(&r, "haverhill-lifelink", 0, 0, 3, 0);
	assert_query(f->db, "SELECT key FROM groups ORDER BY key", "another/walk-talk\nsuffolk-mind/calm-cafe\n");
	assert_query(f->db, "SELECT id, group_count FROM feeds ORDER BY id",
		     "another|1\nhaverhill-lifelink|0\nsuffolk-mind|1\n");
	assert_no_orphans(f);
	free(path);
}

static void test_full_load_leaves_other_feeds_alone(void **state)
{
	fixture *f = *state;
	kith_load_report r;
	char *other_before, *other_after;
	const char *sql = "SELECT g.*, v.* FROM groups g LEFT JOIN venues v USING (gid) WHERE feed_id = 'suffolk-mind'";

	assert_int_equal(load(f, "other.xml", &r), 0);
	other_before = query(f->db, sql);
	assert_int_equal(load(f, "full.xml", &r), 0);
	assert_int_equal(load(f, "full-v2.xml", &r), 0);
	assert_int_equal(load(f, "delta.xml", &r), 0);
	other_after = query(f->db, sql);
	assert_string_equal(other_before, other_after);
	free(other_before);
	free(other_after);
}

/* ---- failing feeds change nothing --------------------------------------- */

static void test_broken_feed_rolls_back(void **state)
{
	static const char bad_group[] =
		"  <group id=\"late\"><name>Late</name><schedule>"
		"<session day=\"mon\" start=\"10:00\" end=\"09:00\"/></schedule></group>\n</feed>";
	fixture *f = *state;
	kith_load_report r;
	char *before, *after, *path;
	size_t i;
	struct {
		const char *file, *find, *replace;
	} cases[] = {
		/* everything else in the file is a good update: added, updated, removed */
		{"full-v2.xml", "</feed>", bad_group},
		{"full-v2.xml", "</feed>",
		 "  <group id=\"late\"><name>Late</name><schedule><session day=\"someday\" "
		 "start=\"10:00\" end=\"11:00\"/></schedule></group>\n</feed>"},
		{"full-v2.xml", "</feed>", "  <group id=\"cut\"><name>Cut off"},
		{"full-v2.xml", "</feed>", "  <group id=\"tue-lunch\"><name>Twice</name></group>\n</feed>"},
		{"full-v2.xml", "</feed>",
		 "  <group id=\"deep\"><name>Deep</name>"
		 "<x:a xmlns:x=\"urn:x\"><x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a>"
		 "<x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a>"
		 "<x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a><x:a>"
		 "</x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a>"
		 "</x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a>"
		 "</x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a></x:a>"
		 "</group>\n</feed>"},
		{"delta.xml", "</feed>", bad_group},
		{"delta.xml", "<withdrawn id=\"never-listed\"/>", "<withdrawn id=\"choir\"/>"},
	};

	assert_int_equal(load(f, "full.xml", &r), 0);
	assert_int_equal(load(f, "other.xml", &r), 0);
	before = dump(f->db);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc;
		path = edited(f, cases[i].file, cases[i].find, cases[i].replace);
		rc = load(f, path, &r);
		assert_true(rc == KITH_EINVALID || rc == KITH_ETOOLARGE);
		assert_true(r.errors > 0);
		assert_int_equal(r.added + r.updated + r.removed + r.unchanged, 0);
		if (!ks_contains(kith_index_errmsg(f->idx), "feed not loaded"))
			fprintf(stderr, "case %zu: %s\n", i, kith_index_errmsg(f->idx));
		assert_true(ks_contains(kith_index_errmsg(f->idx), "feed not loaded"));
		after = dump(f->db);
		assert_string_equal(before, after);
		free(after);
		free(path);
	}
	free(before);
}

/*
 * SQLite failing while a reload recounts the terms (a trigger stands in for
 * a full disk) fails the load with SQLite's own message and a negative code,
 * and the index is left as it was.
 */
static void test_sqlite_failing_while_terms_are_recounted(void **state)
{
	fixture *f = *state;
	kith_load_report r;
	char *before, *after, *unused;

	assert_int_equal(load(f, "full.xml", &r), 0);
	kith_index_free(f->idx);
	f->idx = NULL;
	unused = query_flags(f->db,
			     "CREATE TRIGGER refuse BEFORE DELETE ON term_docs "
			     "BEGIN SELECT RAISE(ABORT, 'term_docs refused'); END",
			     SQLITE_OPEN_READWRITE);
	free(unused);
	before = dump(f->db);
	assert_int_equal(load(f, "full-v2.xml", &r), KITH_EIO);
	assert_true(ks_contains(kith_index_errmsg(f->idx), "term_docs refused"));
	assert_int_equal(r.added + r.updated + r.removed + r.unchanged, 0);
	after = dump(f->db);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* Diagnostics are optional (kith/index.h): a file that is no feed is refused without them too. */
static void test_no_feed_refused_without_a_diagnostics_list(void **state)
{
	fixture *f = *state;
	kith_load_report r;

	assert_int_equal(kith_index_load(open_index(f), ks_src("tests/data/patients/full.xml"), NULL, &r, NULL),
			 KITH_EINVALID);
	assert_int_equal(r.added, 0);
	assert_true(ks_contains(kith_index_errmsg(f->idx), "feed not loaded"));
}

/* A feed of n generated groups; bad_at (when below n) gets a session that ends before it starts. */
static char *many_groups(fixture *f, const char *name, int n, int bad_at, const char *word)
{
	kith_buf xml = KITH_BUF_INIT;
	char *path;
	int i;

	kith_buf_puts(&xml, "<feed xmlns=\"urn:kith:feed:1\" id=\"many\" version=\"1\">\n");
	for (i = 0; i < n; i++)
		kith_buf_printf(&xml,
				"<group id=\"g%d\"><name>%s club %d</name><description>A lonely walk.</description>"
				"<venue><point lat=\"54.%04d\" lon=\"-2.7\"/></venue><schedule><session day=\"tue\" "
				"start=\"10:00\" end=\"%s\"/></schedule></group>\n",
				i, word, i, i, i == bad_at ? "09:00" : "11:00");
	kith_buf_puts(&xml, "</feed>\n");
	path = ks_write(f->dir, name, xml.ptr);
	kith_buf_release(&xml);
	return path;
}

/*
 * Feeds longer than the queue between the reading and the writing thread:
 * they load whole, reload only what changed, and a bad group near the end
 * still leaves the index as it was.  A writer that cannot write stops the
 * reader rather than leaving it waiting.
 */
static void test_long_feeds(void **state)
{
	fixture *f = *state;
	kith_load_report r;
	char *first = many_groups(f, "first.xml", 300, -1, "Walking");
	char *second = many_groups(f, "second.xml", 301, -1, "Walking");
	char *bad = many_groups(f, "bad.xml", 300, 290, "Rambling");
	char *before, *after;
	kith_index *readonly = NULL;

	assert_int_equal(load(f, first, &r), 0);
	assert_report(&r, "many", 300, 0, 0, 0);
	assert_term_docs_exact(f);
	assert_int_equal(load(f, second, &r), 0);
	assert_report(&r, "many", 1, 0, 0, 300);
	assert_term_docs_exact(f);
	assert_query(f->db, "SELECT count(*), sum(venue_list IS NOT NULL), sum(stems LIKE '%walk%') FROM groups",
		     "301|301|301\n");
	before = dump(f->db);
	assert_int_equal(load(f, bad, &r), KITH_EINVALID);
	assert_int_equal(r.errors, 1);
	after = dump(f->db);
	assert_string_equal(before, after);
	free(after);

	assert_int_equal(kith_index_open(&readonly, f->db, KITH_OPEN_READONLY), 0);
	assert_int_not_equal(kith_index_load(readonly, first, NULL, &r, NULL), 0);
	assert_int_equal(r.added + r.updated + r.removed + r.unchanged, 0);
	kith_index_free(readonly);
	after = dump(f->db);
	assert_string_equal(before, after);
	free(after);
	free(before);
	free(first);
	free(second);
	free(bad);
}

static void test_next_feed_still_loads(void **state)
{
	fixture *f = *state;
	kith_load_report r;

	assert_int_equal(load(f, "full.xml", &r), 0);
	assert_int_equal(load(f, "session-end.xml", &r), KITH_EINVALID);
	assert_int_equal(load(f, "no-such-feed.xml", &r), KITH_EIO);
	assert_string_equal(r.feed_id, "");
	assert_int_equal(load(f, "external-entity.xml", &r), KITH_EINVALID);
	assert_int_equal(load(f, "other.xml", &r), 0);
	assert_report(&r, "suffolk-mind", 1, 0, 0, 0);
	assert_int_equal(load(f, "full-v2.xml", &r), 0);
	assert_report(&r, "haverhill-lifelink", 1, 1, 1, 1);
	assert_query(f->db, "SELECT id FROM feeds ORDER BY id", "haverhill-lifelink\nsuffolk-mind\n");
}

static void test_hostile_feed_changes_nothing(void **state)
{
	static const char marker[] = "KITH-SECRET-MARKER-9b2e";
	fixture *f = *state;
	kith_load_report r;
	char *secret, *before, *after, *path;
	kith_buf feed = KITH_BUF_INIT;

	assert_int_equal(load(f, "full.xml", &r), 0);
	before = dump(f->db);
	secret = ks_write(f->dir, "secret.txt", marker);
	kith_buf_printf(&feed,
			"<?xml version=\"1.0\"?>\n<!DOCTYPE feed [<!ENTITY s SYSTEM \"file://%s\">]>\n"
			"<feed xmlns=\"urn:kith:feed:1\" id=\"haverhill-lifelink\" version=\"1\" publisher=\"&s;\">\n"
			"  <group id=\"tue-lunch\"><name>&s;</name></group>\n</feed>\n",
			secret);
	path = ks_write(f->dir, "xxe.xml", feed.ptr);
	assert_int_equal(load(f, path, &r), KITH_EINVALID);
	assert_int_equal(load_opts(f, path, 1, &r), KITH_EINVALID);
	after = dump(f->db);
	assert_string_equal(before, after);
	assert_false(ks_contains(after, marker));
	assert_false(ks_contains(kith_index_errmsg(f->idx), marker));
	free(before);
	free(after);
	free(path);
	free(secret);
	kith_buf_release(&feed);
}

static void test_skip_bad_groups(void **state)
{
	fixture *f = *state;
	kith_load_report r;

	assert_int_equal(load(f, "skip-bad.xml", &r), KITH_EINVALID);
	assert_query(f->db, "SELECT count(*) FROM groups", "0\n");
	assert_int_equal(load_opts(f, "skip-bad.xml", 1, &r), 0);
	assert_report(&r, "skippy", 2, 0, 0, 0);
	assert_int_equal(r.skipped, 3);
	assert_int_equal(r.errors, 0);
	assert_int_equal(r.warnings, 6);
	assert_query(f->db, "SELECT key FROM groups ORDER BY key", "skippy/good-1\nskippy/good-2\n");
	assert_query(f->db, "SELECT id, group_count FROM feeds", "skippy|2\n");
}

static void progress(void *data, size_t done, size_t total)
{
	size_t *calls = data;

	assert_true(done <= total);
	(*calls)++;
}

static void test_progress(void **state)
{
	fixture *f = *state;
	kith_load_opts opts = KITH_LOAD_OPTS_INIT;
	kith_load_report r;
	kith_buf text = KITH_BUF_INIT;
	size_t i, calls = 0;
	char *path;

	kith_buf_puts(&text, "<?xml version=\"1.0\"?>\n<feed xmlns=\"urn:kith:feed:1\" id=\"many\" version=\"1\">\n");
	for (i = 0; i < 2100; i++)
		kith_buf_printf(&text, "  <group id=\"g%zu\"><name>Group %zu</name></group>\n", i, i);
	kith_buf_puts(&text, "</feed>\n");
	path = ks_write(f->dir, "many.xml", text.ptr);
	opts.progress = progress;
	opts.progress_data = &calls;
	assert_int_equal(kith_index_load(open_index(f), path, &opts, &r, NULL), 0);
	assert_int_equal(r.added, 2100);
	assert_int_equal(calls, 2);
	assert_query(f->db, "SELECT count(*) FROM groups", "2100\n");
	free(path);
	kith_buf_release(&text);
}

/* ---- opening ------------------------------------------------------------ */

static void make_db(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_other_schema_version(void **state)
{
	fixture *f = *state;
	kith_index *idx = NULL;
	char *before, *after, expected[128];

	make_db(f->db, "CREATE TABLE groups(x); INSERT INTO groups VALUES (1); PRAGMA user_version = 99;");
	before = dump(f->db);
	assert_int_equal(kith_index_open(&idx, f->db, KITH_OPEN_CREATE), KITH_EVERSION);
	assert_non_null(idx);
	snprintf(expected, sizeof(expected),
		 "made by another version of kith (schema version 99; this kith reads version %d)",
		 KITH_SCHEMA_VERSION);
	assert_true(ks_contains(kith_index_errmsg(idx), expected));
	assert_true(ks_contains(kith_index_errmsg(idx), f->db));
	kith_index_free(idx);
	assert_int_equal(kith_index_open(&idx, f->db, KITH_OPEN_READONLY), KITH_EVERSION);
	kith_index_free(idx);
	after = dump(f->db);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_not_a_kith_database(void **state)
{
	fixture *f = *state;
	kith_index *idx = NULL;

	/* someone else's SQLite database */
	make_db(f->db, "CREATE TABLE patients(id, name);");
	assert_int_equal(kith_index_open(&idx, f->db, KITH_OPEN_CREATE), KITH_EVERSION);
	assert_true(ks_contains(kith_index_errmsg(idx), "not a kith index"));
	kith_index_free(idx);
	assert_query(f->db, "SELECT name FROM sqlite_master", "patients\n");
}

static void test_not_a_database(void **state)
{
	fixture *f = *state;
	kith_index *idx = NULL;
	static const char text[] =
		"This is a plain text file, not a database, and it is long enough to fill SQLite's header "
		"of one hundred bytes with words.\n";
	char *path = ks_write(f->dir, "notes.db", text), *after;

	assert_int_equal(kith_index_open(&idx, path, KITH_OPEN_CREATE), KITH_EIO);
	assert_true(ks_contains(kith_index_errmsg(idx), "not a kith index"));
	kith_index_free(idx);
	idx = NULL;
	assert_int_equal(kith_index_open(&idx, path, KITH_OPEN_READONLY), KITH_EIO);
	kith_index_free(idx);
	after = ks_read(path);
	assert_string_equal(after, text);
	free(after);
	free(path);
}

static void test_missing_index(void **state)
{
	fixture *f = *state;
	kith_index *idx = NULL;
	kith_buf nowhere = KITH_BUF_INIT;
	char *exists;

	assert_int_equal(kith_index_open(&idx, f->db, KITH_OPEN_READONLY), KITH_ENOTFOUND);
	assert_true(ks_contains(kith_index_errmsg(idx), "no such index"));
	kith_index_free(idx);
	exists = ks_read(f->db);
	assert_null(exists); /* not created */
	kith_buf_printf(&nowhere, "%s/no/such/dir/index.db", f->dir);
	assert_int_equal(kith_index_open(&idx, nowhere.ptr, KITH_OPEN_CREATE), KITH_EIO);
	assert_true(ks_contains(kith_index_errmsg(idx), "cannot open"));
	kith_index_free(idx);
	kith_index_free(NULL);
	kith_buf_release(&nowhere);
	assert_string_equal(kith_index_errmsg(NULL), "no index");
}

static void test_reopen(void **state)
{
	fixture *f = *state;
	kith_index *idx = NULL;
	kith_stats *st = NULL;

	assert_int_equal(load(f, "full.xml", NULL), 0);
	kith_index_free(f->idx);
	f->idx = NULL;
	assert_int_equal(kith_index_open(&idx, f->db, KITH_OPEN_READONLY), 0);
	assert_int_equal(kith_index_stats(idx, "2026-11-23", &st), 0);
	assert_int_equal(st->groups, 3);
	kith_stats_free(st);
	kith_index_free(idx);
}

/* ---- look-ups ----------------------------------------------------------- */

static void test_full_text(void **state)
{
	fixture *f = *state;
	const char *sql = "SELECT group_concat(g.local_id, ' ') FROM (SELECT rowid FROM group_fts WHERE group_fts "
			  "MATCH '%s' ORDER BY rowid) m JOIN groups g ON g.gid = m.rowid";
	struct {
		const char *match, *found;
	} cases[] = {
		{"walks", "walk-talk\n"}, /* stems: walks ~ walking */
		{"walked", "walk-talk\n"},
		{"cafe", "cafe-connect\n"}, /* diacritics removed: cafe ~ Café */
		{"café", "cafe-connect\n"},
		{"CAFÉ", "cafe-connect\n"},
		{"\"lunch club\"", "tue-lunch\n"}, /* tag words: lunch-club */
		{"physical", "walk-talk\n"},
		{"loneliness", "tue-lunch cafe-connect\n"}, /* tag words of needs */
		{"trust", "tue-lunch\n"},                   /* organisation */
		{"zumba", "NULL\n"},
	};
	size_t i;

	assert_int_equal(load(f, "full.xml", NULL), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char q[512];
		snprintf(q, sizeof(q), sql, cases[i].match);
		assert_query(f->db, q, cases[i].found);
	}
}

static void test_spatial(void **state)
{
	fixture *f = *state;

	assert_int_equal(load(f, "full.xml", NULL), 0);
	assert_query(f->db,
		     "SELECT v.address FROM venue_rtree r JOIN venues v ON v.vid = r.id WHERE r.max_lat >= 52.0825 "
		     "AND r.min_lat <= 52.0827 AND r.max_lon >= 0.4389 AND r.min_lon <= 0.4391",
		     "Arts Centre, High Street, Haverhill\n");
	/* placed through the postcode table (CB9 district) */
	assert_query(f->db,
		     "SELECT v.address FROM venue_rtree r JOIN venues v ON v.vid = r.id WHERE r.max_lat >= 52.0829 "
		     "AND r.min_lat <= 52.0831 AND r.max_lon >= 0.4398 AND r.min_lon <= 0.4401",
		     "Chalkstone Community Hall, Haverhill\n");
	assert_query(f->db, "SELECT count(*) FROM venue_rtree", "3\n");
	/* home visits reach 8 km from 52.08, 0.44: about 0.072 degrees of latitude */
	assert_query(f->db,
		     "SELECT g.local_id FROM home_visit_rtree h JOIN groups g ON g.gid = h.id "
		     "WHERE h.min_lat <= 52.15 AND h.max_lat >= 52.15 AND h.min_lon <= 0.44 AND h.max_lon >= 0.44",
		     "tue-lunch\n");
	assert_query(f->db,
		     "SELECT count(*) FROM home_visit_rtree h WHERE h.min_lat <= 52.16 AND h.max_lat >= 52.16 "
		     "AND h.min_lon <= 0.44 AND h.max_lon >= 0.44",
		     "0\n");
}

/* ---- statistics --------------------------------------------------------- */

static char *tags_text(const kith_stats *st)
{
	kith_buf b = KITH_BUF_INIT;
	size_t i;

	for (i = 0; i < st->tag_count; i++)
		kith_buf_printf(&b, "%s %s %lld%s\n", st->tags[i].kind, st->tags[i].tag, st->tags[i].groups,
				st->tags[i].in_vocabulary ? "" : " (not in vocabulary)");
	return kith_buf_detach(&b);
}

static void test_stats(void **state)
{
	fixture *f = *state;
	kith_stats *st = NULL;
	char *tags, *path;

	assert_int_equal(load(f, "full.xml", NULL), 0);
	assert_int_equal(load(f, "other.xml", NULL), 0);
	assert_int_equal(kith_index_stats(f->idx, "2026-11-23", &st), 0);
	assert_int_equal(st->feed_count, 2);
	assert_string_equal(st->feeds[0].id, "haverhill-lifelink");
	assert_string_equal(st->feeds[0].publisher, "ONE Haverhill Partnership");
	assert_string_equal(st->feeds[0].generated, "2026-11-01T09:00:00Z");
	assert_int_equal(st->feeds[0].groups, 3);
	assert_int_equal(strlen(st->feeds[0].sha256), 64);
	assert_true(ks_contains(st->feeds[0].source_file, "tests/data/feeds/full.xml"));
	assert_string_equal(st->feeds[1].id, "suffolk-mind");
	assert_int_equal(st->feeds[1].groups, 1);
	assert_string_equal(st->feeds[1].generated, "");
	assert_int_equal(st->groups, 4);
	assert_int_equal(st->venues, 4);
	assert_int_equal(st->sessions, 4);
	assert_int_equal(st->fresh_3m, 4);
	assert_int_equal(st->fresh_12m, 0);
	assert_int_equal(st->stale, 0);
	assert_int_equal(st->undated, 0);
	assert_int_equal(st->no_access, 1);
	assert_int_equal(st->no_schedule, 0);
	assert_int_equal(st->no_location, 0);
	assert_int_equal(st->untagged, 0);
	assert_int_equal(st->online, 2);
	assert_int_equal(st->home_visits, 1);
	assert_int_equal(st->by_appointment, 2);
	assert_int_equal(st->waiting_list, 1);
	assert_int_equal(st->closed, 1);
	assert_int_equal(st->ended_courses, 0);
	tags = tags_text(st);
	assert_string_equal(tags, "activity befriending 1\n"
				  "activity games 1\n"
				  "activity lunch-club 1\n"
				  "activity peer-support 1\n"
				  "activity walking 1\n"
				  "language en 1\n"
				  "language pl 1\n"
				  "need loneliness 2\n"
				  "need anxiety 1\n"
				  "need low-mood 1\n"
				  "need physical-activity 1\n"
				  "requires bereaved 1\n"
				  "requires carer 1\n");
	free(tags);
	kith_stats_free(st);

	/* two years on: every listing is stale and the course has ended */
	assert_int_equal(kith_index_stats(f->idx, "2028-01-01", &st), 0);
	assert_int_equal(st->stale, 4);
	assert_int_equal(st->fresh_3m, 0);
	assert_int_equal(st->ended_courses, 1);
	kith_stats_free(st);

	/* a group with nothing but a name, and words outside the vocabulary */
	path = ks_write(f->dir, "bare.xml",
			"<feed xmlns=\"urn:kith:feed:1\" id=\"bare\" version=\"1\">"
			"<group id=\"b\"><name>Bare</name></group>"
			"<group id=\"w\" updated=\"2026-05-01\"><name>W</name><needs><need>wellbeing</need></needs>"
			"<venue><postcode>ZZ9 9ZZ</postcode></venue></group></feed>");
	assert_int_equal(load(f, path, NULL), 0);
	assert_int_equal(kith_index_stats(f->idx, "2026-11-23", &st), 0);
	assert_int_equal(st->groups, 6);
	assert_int_equal(st->undated, 1);
	assert_int_equal(st->fresh_12m, 1);
	assert_int_equal(st->no_access, 3);
	assert_int_equal(st->no_schedule, 2);
	assert_int_equal(st->no_location, 1); /* "w" has a postcode, if not one kith can place */
	assert_int_equal(st->untagged, 1);
	tags = tags_text(st);
	assert_true(ks_contains(tags, "need wellbeing 1 (not in vocabulary)\n"));
	free(tags);
	kith_stats_free(st);
	free(path);

	st = (kith_stats *)&st; /* must come back NULL */
	assert_int_equal(kith_index_stats(f->idx, "23/11/2026", &st), KITH_EINVALID);
	assert_null(st);
	assert_true(ks_contains(kith_index_errmsg(f->idx), "'23/11/2026' is not a date"));
	kith_stats_free(NULL);
}

/*
 * An ONS Postcode Directory, as ONSPD writes it (quoted fields, terminated
 * postcodes, 99.999999 for none) and as a slim export: live postcodes with
 * a place are loaded, the rest counted; a broken file changes nothing.
 */
static void test_postcodes(void **state)
{
	fixture *f = *state;
	kith_postcode_report rep;
	char *good, *slim, *bad, *text;

	good = ks_write(f->dir, "onspd.csv",
			"pcd7,pcd8,pcds,dointr,doterm,lat,long\n"
			"LA9 4DH,LA9  4DH,\"LA9 4DH\",198001,,54.3281,-2.7466\n"
			"LA9 7ZZ,LA9  7ZZ,LA9 7ZZ,198001,199606,54.3000,-2.7000\n"
			"LA8 9AA,LA8  9AA,LA8 9AA,198001,,99.999999,0.000000\n"
			"la97ab,LA9  7AB,la97ab,200101,,54.3100,-2.7500\n");
	assert_int_equal(kith_index_load_postcodes(open_index(f), good, &rep), 0);
	assert_int_equal(rep.loaded, 2);
	assert_int_equal(rep.terminated, 1);
	assert_int_equal(rep.unplaced, 1);
	text = query(f->db, "SELECT pcd, lat, lon FROM postcodes ORDER BY pcd");
	assert_string_equal(text, "LA9 4DH|54.3281|-2.7466\nLA9 7AB|54.31|-2.75\n");
	free(text);

	/* a broken file is refused with where, and what was loaded stays */
	bad = ks_write(f->dir, "bad.csv", "postcode,lat,lon\nLA9 4DH,54.3,-2.7\n\"LA9 5XX,54.3,-2.7\n");
	assert_int_equal(kith_index_load_postcodes(f->idx, bad, &rep), KITH_EINVALID);
	assert_true(ks_contains(kith_index_errmsg(f->idx), "bad.csv:3: not a CSV row"));
	free(bad);
	bad = ks_write(f->dir, "bad.csv", "pc,x,y\nLA9 4DH,54.3,-2.7\n");
	assert_int_equal(kith_index_load_postcodes(f->idx, bad, &rep), KITH_EINVALID);
	assert_true(ks_contains(kith_index_errmsg(f->idx), "bad.csv:1: expected a header with a postcode"));
	text = query(f->db, "SELECT count(*) FROM postcodes");
	assert_string_equal(text, "2\n");
	free(text);
	assert_int_equal(kith_index_load_postcodes(f->idx, "/nonexistent.csv", &rep), KITH_EIO);

	/* a later file replaces the earlier whole */
	slim = ks_write(f->dir, "slim.csv", "postcode,outcode,lat,lon,terminated_yyyymm\nLA1 1AA,LA1,54.05,-2.80,\n");
	assert_int_equal(kith_index_load_postcodes(f->idx, slim, &rep), 0);
	assert_int_equal(rep.loaded, 1);
	text = query(f->db, "SELECT pcd FROM postcodes");
	assert_string_equal(text, "LA1 1AA\n");
	free(text);
	free(good);
	free(slim);
	free(bad);
}

/* Each gap lists exactly the listings its count in kith_index_stats counts, by key, up to the limit. */
static void test_gaps(void **state)
{
	fixture *f = *state;
	kith_stats *st = NULL;
	kith_gap_list *list = NULL;
	kith_gap gap;
	char *path;

	assert_int_equal(load(f, "full.xml", NULL), 0);
	path = ks_write(f->dir, "bare.xml",
			"<feed xmlns=\"urn:kith:feed:1\" id=\"bare\" version=\"1\">"
			"<group id=\"b\"><name>Bare &amp; &lt;odd&gt;</name></group>"
			"<group id=\"w\" updated=\"2024-05-01\"><name>W</name><needs><need>wellbeing</need></needs>"
			"<venue><postcode>ZZ9 9ZZ</postcode></venue></group></feed>");
	assert_int_equal(load(f, path, NULL), 0);
	free(path);
	assert_int_equal(kith_index_stats(f->idx, "2026-11-23", &st), 0);

	assert_int_equal(kith_index_gaps(f->idx, KITH_GAP_NO_ACCESS, "2026-11-23", 100, &list), 0);
	assert_int_equal(list->total, st->no_access);
	assert_int_equal(list->count, (size_t)st->no_access);
	assert_string_equal(list->items[0].key, "bare/b");
	assert_string_equal(list->items[0].name, "Bare & <odd>");
	assert_string_equal(list->items[0].updated, "");
	assert_string_equal(list->items[1].key, "bare/w");
	assert_string_equal(list->items[1].updated, "2024-05-01");
	assert_string_equal(list->items[1].reason, "no accessibility facts");
	kith_gap_list_free(list);

	/* never shown: no place at all ("w" has a postcode kith cannot place: it may be near), and the closed one */
	assert_int_equal(kith_index_gaps(f->idx, KITH_GAP_NEVER_SHOWN, "2026-11-23", 100, &list), 0);
	assert_int_equal(list->total, st->no_location + st->closed + st->ended_courses);
	assert_int_equal(list->total, 2);
	assert_string_equal(list->items[0].key, "bare/b");
	assert_true(ks_contains(list->items[0].reason, "no venue with a point or postcode"));
	assert_string_equal(list->items[1].reason, "closed to new members");
	kith_gap_list_free(list);

	/* the limit lists fewer and still counts them all */
	assert_int_equal(kith_index_gaps(f->idx, KITH_GAP_NEVER_SHOWN, "2026-11-23", 1, &list), 0);
	assert_int_equal(list->count, 1);
	assert_int_equal(list->total, 2);
	kith_gap_list_free(list);

	assert_int_equal(kith_index_gaps(f->idx, KITH_GAP_STALE, "2026-11-23", 100, &list), 0);
	assert_int_equal(list->total, st->stale);
	assert_int_equal(list->count, 1);
	assert_string_equal(list->items[0].key, "bare/w");
	kith_gap_list_free(list);
	assert_int_equal(kith_index_gaps(f->idx, KITH_GAP_NO_SCHEDULE, "2026-11-23", 100, &list), 0);
	assert_int_equal(list->total, st->no_schedule);
	kith_gap_list_free(list);
	assert_int_equal(kith_index_gaps(f->idx, KITH_GAP_UNTAGGED, "2026-11-23", 100, &list), 0);
	assert_int_equal(list->total, st->untagged);
	kith_gap_list_free(list);
	kith_stats_free(st);

	assert_int_equal(kith_gap_from_name("no-schedule", &gap), 0);
	assert_int_equal(gap, KITH_GAP_NO_SCHEDULE);
	assert_string_equal(kith_gap_name(KITH_GAP_NEVER_SHOWN), "never-shown");
	assert_int_equal(kith_gap_from_name("gaps", &gap), KITH_EINVALID);
	list = (kith_gap_list *)&list; /* must come back NULL */
	assert_int_equal(kith_index_gaps(f->idx, KITH_GAP_STALE, "tomorrow", 100, &list), KITH_EINVALID);
	assert_null(list);
	assert_true(ks_contains(kith_index_errmsg(f->idx), "'tomorrow' is not a date"));
	kith_gap_list_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_full_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_same_file_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_after_new_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_same_groups_other_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_reload_updates_and_removes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delta_adds_replaces_withdraws, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delta_into_an_empty_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_full_feed_removes_everything_of_its_feed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_load_leaves_other_feeds_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_broken_feed_rolls_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sqlite_failing_while_terms_are_recounted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_feed_refused_without_a_diagnostics_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_feeds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_feed_still_loads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_feed_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_bad_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_progress, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_schema_version, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_kith_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_database, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reopen, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spatial, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_postcodes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
