/*
 * The feed checker (see kith/check.h).  It reads feeds with the same reader
 * as the indexer, so a feed that checks clean loads, and adds the warnings
 * a directory maintainer can act on.
 */
#include "kith/check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/dedup.h"
#include "util/diag.h"
#include "feed/feed.h"
#include "model/schedule.h"
#include "util/array.h"

typedef struct seen_group {
	kith_dedup_key key;
	size_t file; /* index into the paths */
	unsigned line, column;
	char id[128];
	char feed[128];
} seen_group;

typedef struct check_state {
	const char *path;
	size_t file;
	kith_diag_list *diags;
	long today;
	int stale_months;
	char feed_id[128];  /* of the feed being read */
	seen_group *groups; /* owned */
	size_t count, alloc;
	int failed; /* growing the list failed */
	kith_check_report report;
} check_state;

static int on_header(void *ctx, const kith_feed_info *info)
{
	check_state *st = ctx;

	snprintf(st->feed_id, sizeof(st->feed_id), "%s", info->id);
	return 0;
}

static void note(check_state *st, const kith_group *g, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void note(check_state *st, const kith_group *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kith_diag_vadd(st->diags, KITH_DIAG_WARNING, st->path, g->line, g->column, fmt, ap);
	va_end(ap);
}

/* 1 when the matcher can put g in reach of someone: a located venue, online or by phone, or home visits. */
static int placed(const kith_group *g)
{
	size_t i;

	for (i = 0; i < g->venue_count; i++)
		if (g->venues[i].point.known)
			return 1;
	return g->online || g->home_visits;
}

static int on_group(void *ctx, const kith_group *g)
{
	check_state *st = ctx;
	long updated;
	size_t i;
	int any_access = 0;
	seen_group *s;

	if (g->updated && kith_date_parse(g->updated, &updated) == 0 &&
	    st->today - updated > (long)st->stale_months * 365 / 12) {
		note(st, g, "group '%s' was last updated on %s, over %d months ago: check it still runs", g->id,
		     g->updated, st->stale_months);
	} else if (!g->updated) {
		note(st, g, "group '%s' has no updated date, so nobody can tell whether it still runs", g->id);
	}
	for (i = 0; i < KITH_ACCESS_COUNT; i++)
		any_access |= g->access[i] != KITH_TRI_UNKNOWN;
	if (!any_access && (g->venue_count || !g->online))
		note(st, g, "group '%s' gives no accessibility facts: wheelchair users are told to phone first", g->id);
	if (!g->schedule_known)
		note(st, g, "group '%s' has no schedule: nobody can tell when it meets", g->id);
	st->report.groups++;
	if (!placed(g)) {
		if (g->area) {
			st->report.area_only++;
		} else {
			st->report.never_shown++;
			note(st, g,
			     "group '%s' has no place (no venue with a point or postcode), no area served, no online "
			     "or "
			     "phone way in and no home visits: no one can ever be shown it",
			     g->id);
		}
	}

	if (KITH_ARRAY_RESERVE(st->groups, st->alloc, st->count + 1, 256) != 0) {
		st->failed = 1;
		return KITH_ENOMEM;
	}
	s = &st->groups[st->count++];
	memset(s, 0, sizeof(*s));
	kith_dedup_name(&s->key, g->name);
	kith_dedup_contact(&s->key, g->phone, g->email, g->web);
	for (i = 0; i < g->venue_count; i++) {
		if (g->venues[i].point.known) {
			s->key.lat = g->venues[i].point.lat;
			s->key.lon = g->venues[i].point.lon;
			s->key.has_point = 1;
			kith_dedup_place(&s->key, g->venues[i].address);
			break;
		}
	}
	for (i = 0; i < g->session_count && i < KITH_DEDUP_MAX_SESSIONS; i++)
		s->key.sessions[s->key.session_count++] = g->sessions[i].day * 1440 + g->sessions[i].start;
	s->file = st->file;
	s->line = g->line;
	s->column = g->column;
	snprintf(s->id, sizeof(s->id), "%s", g->id);
	snprintf(s->feed, sizeof(s->feed), "%s", st->feed_id);
	return 0;
}

static int by_latitude(const void *a, const void *b)
{
	const seen_group *x = a, *y = b;

	if (x->key.has_point != y->key.has_point)
		return x->key.has_point ? -1 : 1;
	return x->key.lat < y->key.lat ? -1 : x->key.lat > y->key.lat ? 1 : (x->file > y->file) - (x->file < y->file);
}

/* Pairs of listings at one place that look like one group; sorted by latitude so only neighbours are compared. */
static void report_duplicates(check_state *st, const char *const *paths)
{
	size_t i, j;

	if (st->count < 2)
		return; /* and qsort() must not see the NULL of an empty list */
	qsort(st->groups, st->count, sizeof(*st->groups), by_latitude);
	for (i = 0; i < st->count && st->groups[i].key.has_point; i++) {
		for (j = i + 1; j < st->count && st->groups[j].key.has_point &&
				st->groups[j].key.lat - st->groups[i].key.lat < 0.003;
		     j++) {
			const seen_group *a = &st->groups[i], *b = &st->groups[j];
			if (strcmp(a->feed, b->feed) == 0 && strcmp(a->id, b->id) == 0)
				continue; /* one listing in two versions of its feed, not a duplicate */
			if (!kith_dedup_same(&a->key, &b->key))
				continue;
			if (a->file > b->file || (a->file == b->file && a->line > b->line)) {
				const seen_group *t = a;
				a = b;
				b = t;
			}
			kith_diag_add(st->diags, KITH_DIAG_WARNING, paths[b->file], b->line, b->column,
				      "group '%s' looks like a duplicate of '%s' (%s:%u): same place, similar "
				      "listing",
				      b->id, a->id, paths[a->file], a->line);
		}
	}
}

int kith_check_feeds(const char *const *paths, size_t count, const kith_check_opts *opts, kith_diag_list *diags,
		     kith_check_report *report)
{
	kith_check_opts defaults = KITH_CHECK_OPTS_INIT;
	kith_feed_handler handler = {on_header, on_group, NULL, NULL, NULL, 1}; /* a check lists every message */
	check_state st;
	size_t i, group_start, groups_before, never_before, area_before;
	int error = 0;

	if (!opts)
		opts = &defaults;
	memset(&st, 0, sizeof(st));
	st.diags = diags;
	st.stale_months = opts->stale_months > 0 ? opts->stale_months : 12;
	if (opts->today) {
		if (kith_date_parse(opts->today, &st.today) != 0) {
			kith_diag_add(diags, KITH_DIAG_ERROR, "--date", 0, 0,
				      "'%s' is not a date (expected YYYY-MM-DD)", opts->today);
			return KITH_EINVALID;
		}
	} else {
		st.today = kith_date_today();
	}
	handler.ctx = &st;
	for (i = 0; i < count; i++) {
		int rc;
		st.path = paths[i];
		st.file = i;
		group_start = st.count;
		groups_before = st.report.groups;
		never_before = st.report.never_shown;
		area_before = st.report.area_only;
		rc = kith_feed_read(paths[i], &handler, 0, diags, NULL);
		if (rc == KITH_ENOMEM) {
			error = rc;
			goto cleanup;
		}
		if (rc != 0) {
			error = KITH_EINVALID;
			st.count = group_start; /* an invalid feed does not load: no duplicates with it */
			st.report.groups = groups_before;
			st.report.never_shown = never_before;
			st.report.area_only = area_before;
		}
	}
	report_duplicates(&st, paths);
	if (report)
		*report = st.report;

cleanup:
	free(st.groups);
	return error;
}
