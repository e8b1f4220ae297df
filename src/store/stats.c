/*
 * What `kith stats` shows of an index (see kith_index_stats in kith/index.h).
 */
#include <stdlib.h>
#include <string.h>

#include "model/schedule.h"
#include "store/db.h"
#include "store/store_int.h"
#include "text/vocab.h"
#include "util/array.h"

/*
 * What each gap means, as a condition on a groups row g (?1 is today): the
 * one definition for both the counts of kith_index_stats and the lists of
 * kith_index_gaps.
 */
#define WHERE_STALE "g.updated < date(?1, '-12 months')"
#define WHERE_NO_ACCESS                                                                                       \
	"g.wheelchair + g.step_free + g.hearing_loop + g.accessible_toilet + g.parking + g.public_transport " \
	"= 0"
#define WHERE_NO_SCHEDULE "g.schedule_known = 0"
#define WHERE_NO_LOCATION "(g.placeless = 1 AND g.area IS NULL)"
#define WHERE_CLOSED "g.capacity = 'closed'"
#define WHERE_ENDED "g.ends < ?1"
#define WHERE_UNTAGGED                                                                                 \
	"(NOT EXISTS (SELECT 1 FROM group_needs n WHERE n.gid = g.gid) AND NOT EXISTS (SELECT 1 FROM " \
	"group_activities a WHERE a.gid = g.gid))"

static const struct {
	kith_gap gap;
	const char *where, *reason;
} gaps[] = {
	{KITH_GAP_NEVER_SHOWN, WHERE_NO_LOCATION,
	 "no venue with a point or postcode, no online way in, no home visits, no area served"},
	{KITH_GAP_NEVER_SHOWN, WHERE_CLOSED, "closed to new members"},
	{KITH_GAP_NEVER_SHOWN, WHERE_ENDED, "a course that has ended"},
	{KITH_GAP_NO_ACCESS, WHERE_NO_ACCESS, "no accessibility facts"},
	{KITH_GAP_NO_SCHEDULE, WHERE_NO_SCHEDULE, "no schedule"},
	{KITH_GAP_STALE, WHERE_STALE, "not updated for over 12 months"},
	{KITH_GAP_UNTAGGED, WHERE_UNTAGGED, "no need or activity tags"},
};

static const char *const gap_names[] = {"never-shown", "no-access", "no-schedule", "stale", "untagged"};

const char *kith_gap_name(kith_gap gap)
{
	return (size_t)gap < sizeof(gap_names) / sizeof(gap_names[0]) ? gap_names[gap] : "";
}

int kith_gap_from_name(const char *name, kith_gap *out)
{
	size_t i;

	for (i = 0; i < sizeof(gap_names) / sizeof(gap_names[0]); i++)
		if (strcmp(name, gap_names[i]) == 0) {
			*out = (kith_gap)i;
			return 0;
		}
	return KITH_EINVALID;
}

/* *today, or the real date written into now[11] when it is NULL; KITH_EINVALID when it is no date. */
static int resolve_today(kith_index *idx, const char **today, char now[11])
{
	long days;

	if (!*today) {
		kith_date_format(kith_date_today(), now);
		*today = now;
		return 0;
	}
	if (kith_date_parse(*today, &days) != 0)
		return kith_error_set(&idx->error, KITH_EINVALID, "'%s' is not a date (expected YYYY-MM-DD)", *today);
	return 0;
}

static int db_error(kith_index *idx, const char *what)
{
	return kith_db_error(&idx->error, idx->db, what);
}

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
		return db_error(idx, "reading statistics");
	if (sqlite3_bind_parameter_count(s) >= 1)
		sqlite3_bind_text(s, 1, today, -1, SQLITE_STATIC);
	rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : db_error(idx, "reading statistics");
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
		return db_error(idx, "reading feeds");
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
		error = db_error(idx, "reading feeds");
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
		return db_error(idx, "reading tags");
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
		error = db_error(idx, "reading tags");
	sqlite3_finalize(s);
	return error;
}

int kith_index_stats(kith_index *idx, const char *today, kith_stats **out)
{
	kith_stats *st = calloc(1, sizeof(*st));
	char now[11];
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
		{"SELECT count(*) FROM groups g WHERE " WHERE_STALE, NULL},
		{"SELECT count(*) FROM groups WHERE updated IS NULL", NULL},
		{"SELECT count(*) FROM groups g WHERE " WHERE_NO_ACCESS, NULL},
		{"SELECT count(*) FROM groups g WHERE " WHERE_NO_SCHEDULE, NULL},
		{"SELECT count(*) FROM groups g WHERE " WHERE_NO_LOCATION, NULL},
		{"SELECT count(*) FROM groups g WHERE " WHERE_UNTAGGED, NULL},
		{"SELECT count(*) FROM groups WHERE online = 1", NULL},
		{"SELECT count(*) FROM groups WHERE home_radius_km IS NOT NULL", NULL},
		{"SELECT count(*) FROM groups WHERE by_appointment = 1", NULL},
		{"SELECT count(*) FROM groups WHERE capacity = 'waiting-list'", NULL},
		{"SELECT count(*) FROM groups g WHERE " WHERE_CLOSED, NULL},
		{"SELECT count(*) FROM groups g WHERE " WHERE_ENDED, NULL},
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
	if ((error = resolve_today(idx, &today, now)) != 0)
		goto cleanup;
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

void kith_gap_list_free(kith_gap_list *list)
{
	size_t i;

	if (!list)
		return;
	for (i = 0; i < list->count; i++) {
		free(list->items[i].key);
		free(list->items[i].name);
		free(list->items[i].updated);
	}
	free(list->items);
	free(list);
}

/* Appends the groups of one gap's condition, up to limit in all, to list. */
static int list_gap(kith_index *idx, const char *where, const char *reason, const char *today, size_t limit,
		    kith_gap_list *list, size_t *alloc)
{
	char *sql = sqlite3_mprintf("SELECT g.key, g.name, g.updated FROM groups g WHERE %s ORDER BY g.key", where);
	sqlite3_stmt *s = NULL;
	int rc = SQLITE_DONE, error = 0;

	if (!sql)
		return kith_error_set(&idx->error, KITH_ENOMEM, "out of memory");
	if (sqlite3_prepare_v2(idx->db, sql, -1, &s, NULL) != SQLITE_OK) {
		error = db_error(idx, "reading the listings");
		goto cleanup;
	}
	if (sqlite3_bind_parameter_count(s) >= 1)
		sqlite3_bind_text(s, 1, today, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		kith_gap_item *it;
		list->total++;
		if (list->count >= limit)
			continue;
		if ((error = KITH_ARRAY_RESERVE(list->items, *alloc, list->count + 1, 32)) != 0)
			break;
		it = &list->items[list->count++];
		it->key = column_dup(s, 0);
		it->name = column_dup(s, 1);
		it->updated = column_dup(s, 2);
		it->reason = reason;
		if (!it->key || !it->name || !it->updated) {
			error = kith_error_set(&idx->error, KITH_ENOMEM, "out of memory");
			break;
		}
	}
	if (!error && rc != SQLITE_DONE)
		error = db_error(idx, "reading the listings");

cleanup:
	sqlite3_finalize(s);
	sqlite3_free(sql);
	return error;
}

int kith_index_gaps(kith_index *idx, kith_gap gap, const char *today, size_t limit, kith_gap_list **out)
{
	kith_gap_list *list = calloc(1, sizeof(*list));
	char now[11];
	size_t i, alloc = 0;
	int error = 0;

	*out = NULL;
	if (!list)
		return kith_error_set(&idx->error, KITH_ENOMEM, "out of memory");
	if ((error = resolve_today(idx, &today, now)) != 0)
		goto cleanup;
	for (i = 0; i < sizeof(gaps) / sizeof(gaps[0]) && !error; i++)
		if (gaps[i].gap == gap)
			error = list_gap(idx, gaps[i].where, gaps[i].reason, today, limit, list, &alloc);

cleanup:
	if (error) {
		kith_gap_list_free(list);
		return error;
	}
	*out = list;
	return 0;
}
