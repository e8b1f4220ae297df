/*
 * One group's listing as JSON, and finding groups by part of their name
 * (kith_group_render_json and kith_groups_find_json in kith/render.h).
 */
#include "kith/render.h"

#include <stdlib.h>
#include <string.h>

#include "model/area.h"
#include "model/dedup.h"
#include "model/geo.h"
#include "model/names.h"
#include "model/schedule.h"
#include "render/json.h"
#include "store/columns.h"
#include "store/db.h"
#include "store/index.h"
#include "text/words.h"
#include "util/buf.h"

#define SAME_PLACE_KM 0.25 /* as far as another listing of one group can be (model/dedup.c) */

/* A space-separated list column as a JSON array of strings. */
static void json_list(kith_buf *b, const char *name, const char *list)
{
	const char *p = list, *w;
	size_t n, i = 0;

	kith_buf_printf(b, ", \"%s\": [", name);
	while ((w = kith_word_next(&p, &n)) != NULL) {
		char item[128];
		snprintf(item, sizeof(item), "%.*s", (int)(n < sizeof(item) ? n : sizeof(item) - 1), w);
		kith_buf_puts(b, i++ ? ", " : "");
		kith_json_string(b, item);
	}
	kith_buf_putc(b, ']');
}

/* "area_served": ["TN34", "TN35 4"], or [] for anyone. */
static void json_area(kith_buf *b, const char *area)
{
	char tok[KITH_AREA_TOKEN];
	size_t i = 0;

	kith_buf_puts(b, ", \"area_served\": [");
	while (area && kith_area_next(&area, tok)) {
		kith_buf_puts(b, i++ ? ", " : "");
		kith_json_string(b, tok);
	}
	kith_buf_putc(b, ']');
}

static const char *text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

static void json_int_or_null(kith_buf *b, const char *name, sqlite3_stmt *s, int col)
{
	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		kith_buf_printf(b, ", \"%s\": null", name);
	else
		kith_buf_printf(b, ", \"%s\": %d", name, sqlite3_column_int(s, col));
}

/* The facts of the groups row: who runs it, what it says, who it is for, what it costs. */
static void json_row(kith_buf *b, sqlite3_stmt *s)
{
	kith_cost_per per = KITH_PER_SESSION;
	int i;

	kith_json_field(b, "name", text(s, KITH_COL_NAME));
	kith_json_field(b, "organisation", text(s, KITH_COL_ORGANISATION));
	kith_json_field(b, "description", text(s, KITH_COL_DESCRIPTION));
	kith_json_field(b, "updated", text(s, KITH_COL_UPDATED));
	json_list(b, "needs", text(s, KITH_COL_NEEDS_LIST));
	json_list(b, "activities", text(s, KITH_COL_ACTIVITIES_LIST));
	kith_buf_puts(b, ", \"online\": ");
	if (sqlite3_column_int(s, KITH_COL_ONLINE)) {
		kith_buf_puts(b, "{\"how\": ");
		kith_json_value(b, text(s, KITH_COL_ONLINE_HOW));
		kith_buf_putc(b, '}');
	} else {
		kith_buf_puts(b, "null");
	}
	if (sqlite3_column_type(s, KITH_COL_HOME_RADIUS_KM) != SQLITE_NULL)
		kith_buf_printf(b, ", \"home_visits\": {\"radius_km\": %g}",
				sqlite3_column_double(s, KITH_COL_HOME_RADIUS_KM));
	else
		kith_buf_puts(b, ", \"home_visits\": null");
	json_area(b, text(s, KITH_COL_AREA));
	kith_buf_puts(b, ", \"access\": {");
	for (i = 0; i < KITH_ACCESS_COUNT; i++) {
		int v = sqlite3_column_int(s, KITH_COL_ACCESS + i);
		kith_buf_printf(b, "%s\"%s\": \"%s\"", i ? ", " : "", kith_access_name(i),
				v == KITH_TRI_YES  ? "yes"
				: v == KITH_TRI_NO ? "no"
						   : "unknown");
	}
	kith_buf_puts(b, "}, \"eligibility\": {\"gender\": ");
	kith_json_value(b, text(s, KITH_COL_GENDER));
	json_int_or_null(b, "min_age", s, KITH_COL_MIN_AGE);
	json_int_or_null(b, "max_age", s, KITH_COL_MAX_AGE);
	kith_json_field(b, "referral", text(s, KITH_COL_REFERRAL));
	json_list(b, "requires", text(s, KITH_COL_REQUIRES_LIST));
	kith_buf_putc(b, '}');
	if (sqlite3_column_type(s, KITH_COL_COST_FREE) == SQLITE_NULL) {
		kith_buf_puts(b, ", \"cost\": null");
	} else {
		kith_cost_per_parse(text(s, KITH_COL_COST_PER), &per);
		kith_buf_printf(b, ", \"cost\": {\"free\": %s, \"amount\": %.2f, \"per\": \"%s\"}",
				sqlite3_column_int(s, KITH_COL_COST_FREE) ? "true" : "false",
				sqlite3_column_double(s, KITH_COL_COST_AMOUNT), kith_cost_per_name(per));
	}
	kith_json_field(b, "capacity", text(s, KITH_COL_CAPACITY));
	json_list(b, "languages", text(s, KITH_COL_LANGUAGES));
	kith_buf_puts(b, ", \"contact\": {\"phone\": ");
	kith_json_value(b, text(s, KITH_COL_PHONE));
	kith_json_field(b, "email", text(s, KITH_COL_EMAIL));
	kith_json_field(b, "web", text(s, KITH_COL_WEB));
	kith_buf_putc(b, '}');
}

/* The schedule: known or not, by appointment, course dates, and every session. */
static void json_schedule(kith_buf *b, sqlite3_stmt *s)
{
	kith_session sessions[64];
	size_t n = 0, i;

	if (kith_sessions_read(text(s, KITH_COL_SESSIONS_LIST), sessions, 64, &n) != 0)
		n = 0; /* a damaged list shows no sessions; the matcher refuses the group by name */

	kith_buf_printf(b, ", \"schedule\": {\"known\": %s, \"by_appointment\": %s",
			sqlite3_column_int(s, KITH_COL_SCHEDULE_KNOWN) ? "true" : "false",
			sqlite3_column_int(s, KITH_COL_BY_APPOINTMENT) ? "true" : "false");
	kith_json_field(b, "starts", text(s, KITH_COL_STARTS));
	kith_json_field(b, "ends", text(s, KITH_COL_ENDS));
	kith_buf_puts(b, ", \"sessions\": [");
	for (i = 0; i < n; i++) {
		const kith_session *ss = &sessions[i];
		kith_buf_printf(b, "%s{\"day\": \"%s\", \"start\": \"%02d:%02d\", \"end\": \"%02d:%02d\", \"weeks\": [",
				i ? ", " : "", kith_day_name(ss->day), ss->start / 60, ss->start % 60, ss->end / 60,
				ss->end % 60);
		if (ss->weeks) {
			int w, first = 1;
			for (w = 1; w <= 5; w++)
				if (ss->weeks & KITH_WEEK(w))
					kith_buf_printf(b, "%s\"%d\"", first ? "" : ", ", w), first = 0;
			if (ss->weeks & KITH_WEEK_LAST)
				kith_buf_printf(b, "%s\"last\"", first ? "" : ", ");
		}
		kith_buf_puts(b, "]}");
	}
	kith_buf_puts(b, "]}");
}

/* The venues, in their order, from the venues table. */
static int json_venues(kith_buf *b, sqlite3 *db, sqlite3_int64 gid)
{
	sqlite3_stmt *s = NULL;
	int rc, i = 0;

	if (sqlite3_prepare_v2(db, "SELECT address, postcode, lat, lon FROM venues WHERE gid = ?1 ORDER BY vid", -1, &s,
			       NULL) != SQLITE_OK)
		return KITH_EIO;
	sqlite3_bind_int64(s, 1, gid);
	kith_buf_puts(b, ", \"venues\": [");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		kith_buf_puts(b, i++ ? ", {\"address\": " : "{\"address\": ");
		kith_json_value(b, text(s, 0));
		kith_json_field(b, "postcode", text(s, 1));
		if (sqlite3_column_type(s, 2) != SQLITE_NULL)
			kith_buf_printf(b, ", \"lat\": %.6f, \"lon\": %.6f}", sqlite3_column_double(s, 2),
					sqlite3_column_double(s, 3));
		else
			kith_buf_puts(b, ", \"lat\": null, \"lon\": null}");
	}
	kith_buf_putc(b, ']');
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : KITH_EIO;
}

/* The feed the listing came from: who published it, when, and when it was loaded. */
static int json_feed(kith_buf *b, sqlite3 *db, const char *feed_id)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, "SELECT publisher, generated, loaded_at FROM feeds WHERE id = ?1", -1, &s, NULL) !=
	    SQLITE_OK)
		return KITH_EIO;
	kith_db_bind_text(s, 1, feed_id);
	kith_buf_puts(b, ", \"feed\": {\"id\": ");
	kith_json_value(b, feed_id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		kith_json_field(b, "publisher", text(s, 0));
		kith_json_field(b, "generated", text(s, 1));
		kith_json_field(b, "loaded_at", text(s, 2));
	}
	kith_buf_putc(b, '}');
	sqlite3_finalize(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : KITH_EIO;
}

/* The key the matcher tells duplicate listings by (rank.c), from a groups row. */
static void dedup_key(sqlite3_stmt *s, kith_dedup_key *k)
{
	kith_session sessions[KITH_DEDUP_MAX_SESSIONS];
	size_t n, i;

	memset(k, 0, sizeof(*k));
	kith_dedup_name(k, text(s, 1));
	kith_dedup_feed(k, text(s, 8));
	kith_dedup_contact(k, text(s, 2), text(s, 3), text(s, 4));
	kith_dedup_place(k, text(s, 5));
	k->has_point = kith_points_read(text(s, 6), &k->lat, &k->lon, 1, &n) == 0 && n == 1;
	if (kith_sessions_read(text(s, 7), sessions, KITH_DEDUP_MAX_SESSIONS, &n) != 0)
		n = 0;
	for (i = 0; i < n; i++)
		k->sessions[k->session_count++] = sessions[i].day * 1440 + sessions[i].start;
}

/* Other listings of the same real-world group: near its first venue, and alike as the matcher judges. */
static int json_also_listed(kith_buf *b, sqlite3 *db, sqlite3_int64 gid)
{
	static const char row[] = "SELECT gid, name, phone, email, web, first_address, venue_list, sessions_list, key "
				  "FROM groups WHERE gid = ?1";
	sqlite3_stmt *s = NULL, *near = NULL;
	kith_dedup_key mine, theirs;
	double box[4];
	int rc = SQLITE_DONE, n = 0, error = 0;

	kith_buf_puts(b, ", \"also_listed\": [");
	if (sqlite3_prepare_v2(db, row, -1, &s, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "SELECT DISTINCT v.id >> 20 FROM venue_rtree v WHERE max_lat >= ?1 AND min_lat <= ?2 "
			       "AND max_lon >= ?3 AND min_lon <= ?4",
			       -1, &near, NULL) != SQLITE_OK) {
		error = KITH_EIO;
		goto cleanup;
	}
	sqlite3_bind_int64(s, 1, gid);
	if (sqlite3_step(s) != SQLITE_ROW)
		goto cleanup;
	dedup_key(s, &mine);
	sqlite3_reset(s);
	if (!mine.has_point)
		goto cleanup;
	kith_geo_box(mine.lat, mine.lon, SAME_PLACE_KM, box);
	for (rc = 0; rc < 4; rc++)
		sqlite3_bind_double(near, rc + 1, box[rc]);
	while ((rc = sqlite3_step(near)) == SQLITE_ROW) {
		sqlite3_int64 other = sqlite3_column_int64(near, 0);
		if (other == gid)
			continue;
		sqlite3_bind_int64(s, 1, other);
		if (sqlite3_step(s) == SQLITE_ROW) {
			dedup_key(s, &theirs);
			if (kith_dedup_same(&mine, &theirs) || kith_dedup_same(&theirs, &mine)) {
				sqlite3_stmt *k = NULL;
				if (sqlite3_prepare_v2(db, "SELECT key FROM groups WHERE gid = ?1", -1, &k, NULL) ==
				    SQLITE_OK) {
					sqlite3_bind_int64(k, 1, other);
					if (sqlite3_step(k) == SQLITE_ROW) {
						kith_buf_puts(b, n++ ? ", " : "");
						kith_json_string(b, text(k, 0));
					}
				}
				sqlite3_finalize(k);
			}
		}
		sqlite3_reset(s);
	}
	if (rc != SQLITE_DONE)
		error = KITH_EIO;

cleanup:
	kith_buf_putc(b, ']');
	sqlite3_finalize(s);
	sqlite3_finalize(near);
	return error;
}

int kith_group_render_json(kith_index *idx, const char *key, char **out)
{
	sqlite3 *db = kith_index_db(idx);
	kith_error *err = kith_index_error(idx);
	sqlite3_stmt *s = NULL;
	kith_buf b = KITH_BUF_INIT;
	sqlite3_int64 gid;
	int rc, error = 0;

	*out = NULL;
	kith_error_clear(err);
	if (sqlite3_prepare_v2(db, "SELECT " KITH_GROUP_COLUMNS " FROM groups WHERE key = ?1", -1, &s, NULL) !=
	    SQLITE_OK) {
		error = kith_db_error(err, db, "reading the index");
		goto cleanup;
	}
	kith_db_bind_text(s, 1, key);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		error = rc == SQLITE_DONE ? kith_error_set(err, KITH_ENOTFOUND, "no group '%s' in the index", key)
					  : kith_db_error(err, db, "reading the index");
		goto cleanup;
	}
	gid = sqlite3_column_int64(s, KITH_COL_GID);
	kith_buf_puts(&b, "{\"key\": ");
	kith_json_string(&b, text(s, KITH_COL_KEY));
	kith_json_field(&b, "id", text(s, KITH_COL_LOCAL_ID));
	if ((error = json_feed(&b, db, text(s, KITH_COL_FEED_ID))) != 0)
		goto failed;
	json_row(&b, s);
	json_schedule(&b, s);
	if ((error = json_venues(&b, db, gid)) != 0 || (error = json_also_listed(&b, db, gid)) != 0)
		goto failed;
	kith_buf_puts(&b, "}\n");
	if ((error = kith_buf_error(&b)) != 0) {
		kith_error_set(err, error, "%s: %s", key, kith_strerror(error));
		goto cleanup;
	}
	if ((*out = kith_buf_detach(&b)) == NULL)
		error = KITH_ENOMEM;
	goto cleanup;

failed:
	kith_db_error(err, db, "reading the index");

cleanup:
	sqlite3_finalize(s);
	kith_buf_release(&b);
	return error;
}

int kith_groups_find_json(kith_index *idx, const char *needle, size_t max, char **out)
{
	sqlite3 *db = kith_index_db(idx);
	kith_error *err = kith_index_error(idx);
	sqlite3_stmt *s = NULL;
	kith_buf b = KITH_BUF_INIT, pattern = KITH_BUF_INIT;
	size_t n = 0;
	int rc, error = 0;

	*out = NULL;
	kith_error_clear(err);
	/* LIKE with its own wildcards escaped, so "50%" means the text "50%" */
	kith_buf_putc(&pattern, '%');
	for (; needle && *needle; needle++) {
		if (*needle == '%' || *needle == '_' || *needle == '\\')
			kith_buf_putc(&pattern, '\\');
		kith_buf_putc(&pattern, *needle);
	}
	kith_buf_putc(&pattern, '%');
	if (sqlite3_prepare_v2(
		    db, "SELECT key, name FROM groups WHERE name LIKE ?1 ESCAPE '\\' ORDER BY name, key LIMIT ?2", -1,
		    &s, NULL) != SQLITE_OK) {
		error = kith_db_error(err, db, "reading the index");
		goto cleanup;
	}
	kith_db_bind_text(s, 1, pattern.ptr);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max);
	kith_buf_putc(&b, '[');
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		kith_buf_puts(&b, n++ ? ",\n {\"key\": " : "\n {\"key\": ");
		kith_json_string(&b, text(s, 0));
		kith_json_field(&b, "name", text(s, 1));
		kith_buf_putc(&b, '}');
	}
	if (rc != SQLITE_DONE) {
		error = kith_db_error(err, db, "reading the index");
		goto cleanup;
	}
	kith_buf_puts(&b, "\n]\n");
	if ((error = kith_buf_error(&b)) != 0 || (error = kith_buf_error(&pattern)) != 0)
		goto cleanup;
	if ((*out = kith_buf_detach(&b)) == NULL)
		error = KITH_ENOMEM;

cleanup:
	sqlite3_finalize(s);
	kith_buf_release(&b);
	kith_buf_release(&pattern);
	return error;
}
