/*
 * Reading a candidate's row (see match_int.h): the groups row, by its
 * named columns (store/columns.h), into a cand.
 */
#include "match/match_int.h"

#include <limits.h>
#include <string.h>

#include "model/names.h"
#include "model/schedule.h"
#include "store/columns.h"

static const char *col_text(kith_arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? kith_arena_strdup(a, (const char *)t) : NULL;
}

static long col_date(sqlite3_stmt *s, int i, long absent)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	long d;

	return t && kith_date_parse((const char *)t, &d) == 0 ? d : absent;
}

static void read_details(kith_arena *a, sqlite3_stmt *s, cand *c)
{
	c->organisation = col_text(a, s, KITH_COL_ORGANISATION);
	c->description = col_text(a, s, KITH_COL_DESCRIPTION);
	c->updated_text = col_text(a, s, KITH_COL_UPDATED);
	c->phone = col_text(a, s, KITH_COL_PHONE);
	c->email = col_text(a, s, KITH_COL_EMAIL);
	c->web = col_text(a, s, KITH_COL_WEB);
	c->address = col_text(a, s, KITH_COL_FIRST_ADDRESS);
	c->has_details = 1;
}

/*
 * The row's facts: where, when, who for, what it costs.  An index is input
 * too (copied, synced, restored): NULL, or the first value no feed could
 * have written, for the message.
 */
static const char *read_facts(sqlite3_stmt *s, cand *c)
{
	int i;

	c->online = sqlite3_column_int(s, KITH_COL_ONLINE);
	if (sqlite3_column_type(s, KITH_COL_HOME_RADIUS_KM) != SQLITE_NULL) {
		c->home_visits = 1;
		c->home_radius = sqlite3_column_double(s, KITH_COL_HOME_RADIUS_KM);
		c->home_lat = sqlite3_column_double(s, KITH_COL_HOME_LAT);
		c->home_lon = sqlite3_column_double(s, KITH_COL_HOME_LON);
	}
	c->schedule_known = sqlite3_column_int(s, KITH_COL_SCHEDULE_KNOWN);
	c->by_appointment = sqlite3_column_int(s, KITH_COL_BY_APPOINTMENT);
	if (!(c->home_radius >= 0 && c->home_radius <= 1000) || !(c->home_lat >= -90 && c->home_lat <= 90) ||
	    !(c->home_lon >= -180 && c->home_lon <= 180))
		return "home-visit area";
	if (kith_sessions_read((const char *)sqlite3_column_text(s, KITH_COL_SESSIONS_LIST), c->sessions, MAX_SESSIONS,
			       &c->session_count) != 0)
		return "list of sessions";
	if (kith_points_read((const char *)sqlite3_column_text(s, KITH_COL_VENUE_LIST), c->lat, c->lon, MAX_POINTS,
			     &c->point_count) != 0)
		return "list of venue points";
	for (i = 0; i < KITH_ACCESS_COUNT; i++) {
		int v = sqlite3_column_int(s, KITH_COL_ACCESS + i);
		if (v < KITH_TRI_UNKNOWN || v > KITH_TRI_NO)
			return "access fact";
		c->access[i] = (kith_tri)v;
	}
	c->min_age =
		sqlite3_column_type(s, KITH_COL_MIN_AGE) == SQLITE_NULL ? -1 : sqlite3_column_int(s, KITH_COL_MIN_AGE);
	c->max_age =
		sqlite3_column_type(s, KITH_COL_MAX_AGE) == SQLITE_NULL ? -1 : sqlite3_column_int(s, KITH_COL_MAX_AGE);
	if (c->min_age < -1 || c->min_age > 150 || c->max_age < -1 || c->max_age > 150)
		return "age";
	c->gender = KITH_GENDER_ANY;
	kith_gender_parse((const char *)sqlite3_column_text(s, KITH_COL_GENDER), &c->gender);
	c->referral_professional = kith_referral_parse((const char *)sqlite3_column_text(s, KITH_COL_REFERRAL));
	if (sqlite3_column_type(s, KITH_COL_COST_FREE) != SQLITE_NULL) {
		c->cost_known = 1;
		c->cost_free = sqlite3_column_int(s, KITH_COL_COST_FREE);
		c->cost_amount = sqlite3_column_double(s, KITH_COL_COST_AMOUNT);
		if (!(c->cost_amount >= 0 && c->cost_amount <= 1e6))
			return "cost";
		c->cost_per = KITH_PER_SESSION;
		kith_cost_per_parse((const char *)sqlite3_column_text(s, KITH_COL_COST_PER), &c->cost_per);
	}
	c->capacity = KITH_CAPACITY_OPEN;
	kith_capacity_parse((const char *)sqlite3_column_text(s, KITH_COL_CAPACITY), &c->capacity);
	c->has_unlocated_venue = sqlite3_column_int(s, KITH_COL_UNLOCATED_VENUES) > 0;
	c->placeless = sqlite3_column_int(s, KITH_COL_PLACELESS);
	return NULL;
}

int kith_match_read_row(kith_matcher *m, kith_arena *a, sqlite3_int64 gid, cand *c)
{
	sqlite3_stmt *s = kith_stmt_get(&m->stmts, ST_ROW, &m->error);
	const char *bad;
	int rc;

	memset(c, 0, sizeof(*c));
	if (!s)
		return KITH_EIO;
	sqlite3_bind_int64(s, 1, gid);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? KITH_ENOTFOUND : kith_db_error(&m->error, m->db, "reading the index");
	}
	c->gid = sqlite3_column_int64(s, KITH_COL_GID);
	c->key = col_text(a, s, KITH_COL_KEY);
	c->name = col_text(a, s, KITH_COL_NAME);
	c->tag_words = col_text(a, s, KITH_COL_TAG_WORDS);
	c->needs = col_text(a, s, KITH_COL_NEEDS_LIST);
	c->activities = col_text(a, s, KITH_COL_ACTIVITIES_LIST);
	c->requires = col_text(a, s, KITH_COL_REQUIRES_LIST);
	c->languages = col_text(a, s, KITH_COL_LANGUAGES);
	c->area = col_text(a, s, KITH_COL_AREA);
	c->text_area = col_text(a, s, KITH_COL_TEXT_AREA);
	c->text_area_names = col_text(a, s, KITH_COL_TEXT_AREA_NAMES);
	c->updated = col_date(s, KITH_COL_UPDATED, -1);
	c->starts_text = col_text(a, s, KITH_COL_STARTS);
	c->ends_text = col_text(a, s, KITH_COL_ENDS);
	c->starts = col_date(s, KITH_COL_STARTS, LONG_MIN);
	c->ends = col_date(s, KITH_COL_ENDS, LONG_MAX);
	if ((bad = read_facts(s, c)) != NULL) {
		sqlite3_reset(s);
		return kith_error_set(
			&m->error, KITH_EIO,
			"the index is damaged: group '%s' holds a %s no feed could give; rebuild the index "
			"with kith index",
			c->key ? c->key : "?", bad);
	}
	if (c->online) /* scored: a telephone line asks for hearing */
		c->online_how = col_text(a, s, KITH_COL_ONLINE_HOW);
	if (!m->precomputed)
		read_details(a, s, c); /* the rules will read the description */
	c->text_concepts = col_text(a, s, KITH_COL_TEXT_CONCEPTS);
	c->name_concepts = col_text(a, s, KITH_COL_NAME_CONCEPTS);
	c->stems = col_text(a, s, KITH_COL_STEMS);
	c->tokens = sqlite3_column_int(s, KITH_COL_TOKEN_COUNT);
	sqlite3_reset(s);
	if (c->tokens < 0)
		return kith_error_set(&m->error, KITH_EIO,
				      "the index is damaged: group '%s' holds a negative word count; rebuild the index "
				      "with kith index",
				      c->key ? c->key : "?");
	if (!c->key || !c->name)
		return KITH_ENOMEM;
	return 0;
}

/*
 * Ranking hundreds of candidates needs none of the details, and copying
 * them for all would cost more than a second read for the few shown.
 */
int kith_match_read_details(kith_matcher *m, kith_arena *a, cand *c)
{
	sqlite3_stmt *s;
	int rc;

	if (c->has_details)
		return 0;
	if ((s = kith_stmt_get(&m->stmts, ST_ROW, &m->error)) == NULL)
		return KITH_EIO;
	sqlite3_bind_int64(s, 1, c->gid);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_details(a, s, c);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return kith_error_set(&m->error, KITH_EIO, "reading the index: %s",
				      rc == SQLITE_DONE ? "a group went missing" : sqlite3_errmsg(m->db));
	return 0;
}
