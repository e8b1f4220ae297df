/*
 * The write-up of a match (see match_int.h): each result's reasons (the
 * factors' sentences, which add up to its score), its cautions, how to
 * take part, the next session, where, what it costs and whom to contact;
 * and the phrasing the constraints and the scores share.
 */
#include "match/match_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/geo.h"
#include "model/names.h"
#include "model/schedule.h"
#include "text/words.h"

void kith_match_put_time(kith_buf *b, int minutes)
{
	kith_buf_printf(b, "%02d:%02d", minutes / 60, minutes % 60);
}

void kith_match_put_money(kith_buf *b, double pounds)
{
	if (fabs(pounds - floor(pounds)) < 0.005)
		kith_buf_printf(b, "£%.0f", pounds);
	else
		kith_buf_printf(b, "£%.2f", pounds);
}

void kith_match_put_languages(kith_buf *b, const char *codes)
{
	const char *p = codes && *codes ? codes : "en", *code;
	size_t n;
	int first = 1;

	while ((code = kith_word_next(&p, &n)) != NULL) {
		char name[16];
		if (n >= sizeof(name))
			continue;
		memcpy(name, code, n);
		name[n] = '\0';
		kith_buf_printf(b, "%s%s", first ? "" : ", ", kith_language_name(name));
		first = 0;
	}
}

void kith_match_put_area(kith_buf *b, const char *area)
{
	char tok[KITH_AREA_TOKEN];
	int first = 1;

	while (kith_area_next(&area, tok)) {
		kith_buf_printf(b, "%s%s", first ? "" : ", ", tok);
		first = 0;
	}
}

void kith_match_put_item(kith_buf *b, size_t i, size_t n, const char *text)
{
	kith_buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", text);
}

static const char *col_text(kith_arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? kith_arena_strdup(a, (const char *)t) : NULL;
}

/* "Tue 24 Nov 12:00-14:00": the soonest session that fits the person. */
static const char *next_session(kith_arena *a, const query *q, const cand *c)
{
	long best = -1;
	size_t i, which = 0;
	kith_buf b = KITH_BUF_INIT;
	char date[11];
	const char *out;

	if (c->by_appointment)
		return "by appointment";
	for (i = 0; i < c->session_count; i++) {
		long d;
		if (q->pt->has_availability && !kith_match_session_fits(q, &c->sessions[i]))
			continue;
		d = kith_session_next(&c->sessions[i], q->today, c->starts, c->ends);
		if (d >= 0 &&
		    (best < 0 || d < best || (d == best && c->sessions[i].start < c->sessions[which].start))) {
			best = d;
			which = i;
		}
	}
	if (best < 0)
		return NULL;
	kith_date_format(best, date);
	kith_buf_printf(&b, "%s %d %s ", kith_day_short(kith_date_weekday(best)), (int)strtol(date + 8, NULL, 10),
			kith_month_short((int)strtol(date + 5, NULL, 10)));
	kith_match_put_time(&b, c->sessions[which].start);
	kith_buf_putc(&b, '-');
	kith_match_put_time(&b, c->sessions[which].end);
	out = kith_buf_error(&b) ? NULL : kith_arena_strdup(a, b.ptr);
	kith_buf_release(&b);
	return out;
}

/* The nearest located venue's address and postcode (or the first venue's). */
static int venue_of(kith_matcher *m, kith_arena *a, const query *q, const cand *c, kith_result *res)
{
	sqlite3_stmt *s = kith_stmt_get(&m->stmts, ST_VENUES, &m->error);
	double best = -1;
	int rc;

	res->distance_km = c->in_person ? c->distance : -1;
	if (!s)
		return KITH_EIO;
	sqlite3_bind_int64(s, 1, c->gid);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		double d = -1;
		if (sqlite3_column_type(s, 2) != SQLITE_NULL && q->pt->home.known)
			d = kith_geo_distance_km(q->pt->home.lat, q->pt->home.lon, sqlite3_column_double(s, 2),
						 sqlite3_column_double(s, 3));
		if (!res->venue || (d >= 0 && (best < 0 || d < best))) {
			res->venue = col_text(a, s, 0);
			res->postcode = col_text(a, s, 1);
			res->venue_located = sqlite3_column_type(s, 2) != SQLITE_NULL;
			res->venue_lat = sqlite3_column_double(s, 2);
			res->venue_lon = sqlite3_column_double(s, 3);
			best = d;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : kith_db_error(&m->error, m->db, "reading the index");
}

static const char *how_text(const cand *c)
{
	if (c->in_person && c->by_online)
		return "in person, or online or by phone";
	if (c->in_person)
		return "in person";
	if (c->by_home && c->by_online)
		return "home visits, or online or by phone";
	if (c->by_home)
		return "home visits";
	return "online or by phone";
}

/* "free", "£3.50 a session" (in a); NULL when out of memory. */
static const char *cost_text(kith_arena *a, const cand *c)
{
	kith_buf b = KITH_BUF_INIT;
	const char *out;

	if (c->cost_free) {
		kith_buf_puts(&b, "free");
	} else {
		kith_match_put_money(&b, c->cost_amount);
		kith_buf_printf(&b, " %s", kith_cost_per_phrase(c->cost_per));
	}
	out = kith_buf_error(&b) ? NULL : kith_arena_strdup(a, b.ptr);
	kith_buf_release(&b);
	return out;
}

int kith_match_write_result(kith_matcher *m, run *r, size_t rank, cand *c, kith_result *res)
{
	kith_arena *a = r->arena;
	explain e;
	kith_reason *reasons;
	const char **cautions;
	size_t n = 0, count = 0, i;
	char *p;
	int f, error = 0;

	memset(&e, 0, sizeof(e));
	for (f = 0; f < KITH_F_COUNT; f++)
		kith_buf_init(&e.text[f], 0);
	kith_buf_init(&e.cautions, 0);
	kith_match_score(m, &r->q, c, r->max_focus > 0 ? c->focus_score / r->max_focus : 0, &e);
	/* every sentence is checked once, here, where the explanation is finished */
	for (f = 0; f < KITH_F_COUNT && !error; f++)
		error = kith_buf_error(&e.text[f]);
	if (error || (error = kith_buf_error(&e.cautions)) != 0)
		goto cleanup;
	reasons = kith_arena_alloc(a, (KITH_F_COUNT + 1) * sizeof(*reasons));
	if (!reasons) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (f = 0; f < KITH_F_COUNT; f++) {
		reasons[n].factor = kith_factor_names[f];
		reasons[n].contribution = c->part[f];
		if ((reasons[n].text = kith_arena_strdup(a, e.text[f].ptr)) == NULL) {
			error = KITH_ENOMEM;
			goto cleanup;
		}
		n++;
	}
	if (c->variety > 0) {
		reasons[n].factor = "variety";
		reasons[n].contribution = -c->variety;
		reasons[n].text = "covers much the same as a group above it";
		n++;
	}
	for (p = e.cautions.ptr; *p; p++)
		count += *p == '\n';
	cautions = kith_arena_alloc(a, (count ? count : 1) * sizeof(*cautions));
	if (!cautions) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (i = 0, p = e.cautions.ptr; i < count; i++) {
		char *nl = strchr(p, '\n');
		if ((cautions[i] = kith_arena_strndup(a, p, (size_t)(nl - p))) == NULL) {
			error = KITH_ENOMEM;
			goto cleanup;
		}
		p = nl + 1;
	}
	res->rank = rank;
	res->key = c->key;
	res->name = c->name;
	res->organisation = c->organisation;
	res->score = c->final;
	res->reasons = reasons;
	res->reason_count = n;
	res->cautions = cautions;
	res->caution_count = count;
	res->how = how_text(c);
	if ((error = venue_of(m, a, &r->q, c, res)) != 0)
		goto cleanup;
	res->next_session = next_session(a, &r->q, c);
	if (c->cost_known && (res->cost = cost_text(a, c)) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	res->phone = c->phone;
	res->email = c->email;
	res->web = c->web;
	res->also_listed = c->also >= 0 ? r->cands[c->also].key : NULL;

cleanup:
	for (f = 0; f < KITH_F_COUNT; f++)
		kith_buf_release(&e.text[f]);
	kith_buf_release(&e.cautions);
	return error;
}

void kith_match_write_baseline(run *r, kith_rank_mode mode, size_t rank, cand *c, kith_result *res)
{
	static const char *const names[] = {"kith", "random order", "nearest first", "text relevance only",
					    "text relevance after the hard constraints"};
	kith_reason *reason = kith_arena_alloc(r->arena, sizeof(*reason));

	memset(res, 0, sizeof(*res));
	res->rank = rank;
	res->key = c->key;
	res->name = c->name;
	res->organisation = c->organisation;
	res->score = c->final;
	res->distance_km = c->distance;
	res->how = how_text(c);
	if (reason) {
		reason->factor = "baseline";
		reason->contribution = c->final;
		reason->text = names[mode];
		res->reasons = reason;
		res->reason_count = 1;
	}
}
