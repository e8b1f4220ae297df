/*
 * The benchmark's hard-constraint checker (see judge.h).
 *
 * Each rule is read from the shared spec (schemas/README.md) as literally as it allows:
 * only "no" breaks an access rule, a rule about a fact nobody gave cannot
 * be broken, and "by-appointment" fits any availability.
 */
#include "eval/judge.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "feed/feed.h"
#include "model/area.h"
#include "model/geo.h"
#include "model/names.h"
#include "model/schedule.h"
#include "util/array.h"

static const char *const rule_names[KITH_RULE_COUNT] = {
	"none", "access", "eligibility", "reach", "schedule", "cost", "closed", "language", "area",
};

const char *kith_rule_name(int rule)
{
	return rule >= 0 && rule < KITH_RULE_COUNT ? rule_names[rule] : "unknown";
}

/* ---- the eight rules -------------------------------------------------------- */

static int has_word(const kith_strlist *list, const char *word)
{
	size_t i;

	for (i = 0; i < list->count; i++)
		if (strcasecmp(list->items[i], word) == 0)
			return 1;
	return 0;
}

/* Rule 1: the person needs wheelchair or step-free access and the group says no. */
static int rule_access(const kith_patient *pt, const kith_group *g, kith_buf *why)
{
	static const int facts[] = {KITH_ACCESS_WHEELCHAIR, KITH_ACCESS_STEP_FREE};
	size_t i;

	for (i = 0; i < 2; i++) {
		if (pt->needs_access[facts[i]] && g->access[facts[i]] == KITH_TRI_NO) {
			if (why)
				kith_buf_printf(why, "needs %s; the group says no", kith_access_phrase(facts[i]));
			return 1;
		}
	}
	return 0;
}

/* Rule 2: age, gender, or a circumstance the group requires. */
static int rule_eligibility(const kith_patient *pt, const kith_group *g, kith_buf *why)
{
	size_t i;

	if (pt->age >= 0 && g->min_age >= 0 && pt->age < g->min_age) {
		if (why)
			kith_buf_printf(why, "aged %d; the group is for %d and over", pt->age, g->min_age);
		return 1;
	}
	if (pt->age >= 0 && g->max_age >= 0 && pt->age > g->max_age) {
		if (why)
			kith_buf_printf(why, "aged %d; the group is for %d and under", pt->age, g->max_age);
		return 1;
	}
	if ((g->gender == KITH_GENDER_FEMALE || g->gender == KITH_GENDER_MALE) && pt->gender != KITH_GENDER_ANY &&
	    pt->gender != g->gender) {
		if (why)
			kith_buf_printf(why, "the group is for %s only", kith_gender_people(g->gender));
		return 1;
	}
	for (i = 0; i < g->requires.count; i++) {
		if (!has_word(&pt->circumstances, g->requires.items[i])) {
			if (why)
				kith_buf_printf(why, "the group requires '%s'", g->requires.items[i]);
			return 1;
		}
	}
	return 0;
}

/*
 * 1 when the group's area served holds the person's home, 0 when not, -1
 * when it cannot be told; 1 with no area, and with no home to check.
 */
static int area_holds(const kith_patient *pt, const kith_group *g)
{
	kith_home_area home;

	if (!g->area || kith_home_area_of(pt->postcode, &pt->home, &home) != 0)
		return 1;
	return kith_area_holds(g->area, &home);
}

/* 1 when where the group happens is not known at all: no venue with a point or postcode, no online, no visits. */
static int place_unknown(const kith_group *g)
{
	size_t i;

	if (g->online || g->home_visits)
		return 0;
	for (i = 0; i < g->venue_count; i++)
		if (g->venues[i].point.known || g->venues[i].postcode)
			return 0;
	return 1;
}

/* Rule 3: no way of taking part reaches the person. */
static int rule_reach(const kith_patient *pt, const kith_group *g, kith_buf *why)
{
	double nearest = -1, d;
	size_t i;

	if (place_unknown(g)) {
		/* reachable only where it serves an area that holds the person's home */
		if (!pt->housebound && g->area && area_holds(pt, g) == 1)
			return 0;
		if (why)
			kith_buf_puts(why, pt->housebound ? "housebound"
					   : g->area      ? "place unknown; area served does not hold the home"
							  : "place unknown; no area served");
		return 1;
	}
	if (!pt->housebound) {
		for (i = 0; i < g->venue_count; i++) {
			const kith_point *v = &g->venues[i].point;
			/* No limit, or a distance nobody can measure: it cannot be shown to be too far. */
			if (pt->max_travel_km < 0 || !pt->home.known || !v->known)
				return 0;
			d = kith_geo_distance_km(pt->home.lat, pt->home.lon, v->lat, v->lon);
			if (d <= pt->max_travel_km)
				return 0;
			if (nearest < 0 || d < nearest)
				nearest = d;
		}
	}
	if (g->online && pt->online)
		return 0;
	if (g->home_visits) {
		if (!g->home_point.known || !pt->home.known)
			return 0;
		d = kith_geo_distance_km(pt->home.lat, pt->home.lon, g->home_point.lat, g->home_point.lon);
		if (d <= g->home_radius_km)
			return 0;
	}
	if (why) {
		if (pt->housebound)
			kith_buf_puts(why, "housebound");
		else if (g->venue_count == 0)
			kith_buf_puts(why, "no venue");
		else
			kith_buf_printf(why, "nearest venue %.1f km away, beyond %g km", nearest, pt->max_travel_km);
		kith_buf_puts(why, g->online ? "; online, but the person cannot join online" : "; not online");
		if (g->home_visits)
			kith_buf_printf(
				why, "; home visits reach %g km, the person is %.1f km away", g->home_radius_km,
				kith_geo_distance_km(pt->home.lat, pt->home.lon, g->home_point.lat, g->home_point.lon));
		else
			kith_buf_puts(why, "; no home visits");
	}
	return 1;
}

/* Minutes of the longest overlap of session s with one of the person's windows. */
static int overlap(const kith_session *s, const kith_patient *pt)
{
	int best = 0;
	size_t i;

	for (i = 0; i < pt->window_count; i++) {
		const kith_availability_window *w = &pt->windows[i];
		int from = s->start > w->start ? s->start : w->start;
		int to = s->end < w->end ? s->end : w->end;
		if (w->day == s->day && to - from > best)
			best = to - from;
	}
	return best;
}

/* Rule 4: a known schedule with no session the person can attend for 30 minutes. */
static int rule_schedule(const kith_patient *pt, const kith_group *g, kith_buf *why)
{
	size_t i;

	/* No times known (no schedule, or one with no sessions) or arranged to suit: nothing to break. */
	if (!g->schedule_known || g->by_appointment || g->session_count == 0 || !pt->has_availability)
		return 0;
	for (i = 0; i < g->session_count; i++)
		if (overlap(&g->sessions[i], pt) >= KITH_JUDGE_MIN_OVERLAP)
			return 0;
	if (why) {
		const kith_session *s = &g->sessions[0];
		kith_buf_printf(why, "no session overlaps the person's times by %d minutes (%s %02d:%02d-%02d:%02d%s)",
				KITH_JUDGE_MIN_OVERLAP, kith_day_name(s->day), s->start / 60, s->start % 60,
				s->end / 60, s->end % 60, g->session_count > 1 ? ", ..." : "");
	}
	return 1;
}

/* Rule 5: the known cost, whatever it is per, above the budget per session. */
static int rule_cost(const kith_patient *pt, const kith_group *g, kith_buf *why)
{
	if (!g->cost_known || g->cost_free || pt->max_per_session < 0)
		return 0;
	if (g->cost_amount <= pt->max_per_session + 1e-9)
		return 0;
	if (why)
		kith_buf_printf(why, "costs %.2f pounds %s, over the budget of %.2f a session", g->cost_amount,
				kith_cost_per_phrase(g->cost_per), pt->max_per_session);
	return 1;
}

/* Rule 6: closed, or a course whose end date has passed. */
static int rule_closed(const kith_group *g, long today, kith_buf *why)
{
	long ends;

	if (g->capacity == KITH_CAPACITY_CLOSED) {
		if (why)
			kith_buf_puts(why, "closed");
		return 1;
	}
	if (g->ends && kith_date_parse(g->ends, &ends) == 0 && ends < today) {
		if (why)
			kith_buf_printf(why, "ended on %s", g->ends);
		return 1;
	}
	return 0;
}

/* Rule 7: no language in common (absent means English on both sides). */
static int rule_language(const kith_patient *pt, const kith_group *g, kith_buf *why)
{
	const char *en[1] = {"en"};
	const kith_strlist english = {en, 1};
	const kith_strlist *theirs = g->languages.count ? &g->languages : &english;
	const kith_strlist *mine = pt->languages.count ? &pt->languages : &english;
	size_t i;

	for (i = 0; i < theirs->count; i++)
		if (has_word(mine, theirs->items[i]))
			return 0;
	if (why) {
		kith_buf_puts(why, "the group runs in");
		for (i = 0; i < theirs->count; i++)
			kith_buf_printf(why, " %s", theirs->items[i]);
		kith_buf_puts(why, "; the person speaks");
		for (i = 0; i < mine->count; i++)
			kith_buf_printf(why, " %s", mine->items[i]);
	}
	return 1;
}

/* Rule 8: an area served that does not hold the person's home. */
static int rule_area(const kith_patient *pt, const kith_group *g, kith_buf *why)
{
	if (area_holds(pt, g) == 1)
		return 0;
	if (why)
		kith_buf_printf(why, "the group serves %s only; the home is outside it or cannot be placed in it",
				g->area);
	return 1;
}

int kith_judge(const kith_patient *pt, const kith_group *g, long today, kith_buf *why)
{
	if (rule_access(pt, g, why))
		return KITH_RULE_ACCESS;
	if (rule_eligibility(pt, g, why))
		return KITH_RULE_ELIGIBILITY;
	if (rule_reach(pt, g, why))
		return KITH_RULE_REACH;
	if (rule_schedule(pt, g, why))
		return KITH_RULE_SCHEDULE;
	if (rule_cost(pt, g, why))
		return KITH_RULE_COST;
	if (rule_closed(g, today, why))
		return KITH_RULE_CLOSED;
	if (rule_language(pt, g, why))
		return KITH_RULE_LANGUAGE;
	if (rule_area(pt, g, why))
		return KITH_RULE_AREA;
	return KITH_RULE_NONE;
}

/* ---- the groups of a set ---------------------------------------------------- */

typedef struct reader {
	kith_group_set *set;
	const char *feed; /* in the set's arena */
} reader;

/* Index of the group with this key (linear: while reading, the set is not sorted), or -1. */
static long find_linear(const kith_group_set *set, const char *key)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (strcmp(set->items[i].key, key) == 0)
			return (long)i;
	return -1;
}

static void remove_at(kith_group_set *set, size_t i)
{
	memmove(&set->items[i], &set->items[i + 1], (set->count - i - 1) * sizeof(*set->items));
	set->count--;
}

static int on_header(void *ctx, const kith_feed_info *info)
{
	reader *r = ctx;
	kith_group_set *set = r->set;
	size_t i, n;

	if ((r->feed = kith_arena_strdup(&set->arena, info->id)) == NULL)
		return KITH_ENOMEM;
	if (info->delta)
		return 0;
	/* A full feed is the publisher's whole directory: forget what it listed before. */
	n = strlen(r->feed);
	for (i = set->count; i-- > 0;)
		if (strncmp(set->items[i].key, r->feed, n) == 0 && set->items[i].key[n] == '/')
			remove_at(set, i);
	return 0;
}

static int on_group(void *ctx, const kith_group *g)
{
	reader *r = ctx;
	kith_group_set *set = r->set;
	size_t len = strlen(r->feed) + strlen(g->id) + 2;
	char *key = kith_arena_alloc(&set->arena, len);
	kith_judged_group *slot;
	long at;

	if (!key)
		return KITH_ENOMEM;
	memcpy(key, r->feed, strlen(r->feed));
	key[strlen(r->feed)] = '/';
	memcpy(key + strlen(r->feed) + 1, g->id, strlen(g->id) + 1);
	if ((at = find_linear(set, key)) >= 0) {
		slot = &set->items[at];
	} else {
		if (KITH_ARRAY_RESERVE(set->items, set->alloc, set->count + 1, 64) != 0)
			return KITH_ENOMEM;
		slot = &set->items[set->count++];
	}
	slot->key = key;
	return kith_group_copy(&set->arena, &slot->group, g);
}

static int on_withdrawn(void *ctx, const char *id)
{
	reader *r = ctx;
	kith_buf key = KITH_BUF_INIT;
	long at;
	int error;

	if ((error = kith_buf_printf(&key, "%s/%s", r->feed, id)) == 0 && (at = find_linear(r->set, key.ptr)) >= 0)
		remove_at(r->set, (size_t)at);
	kith_buf_release(&key);
	return error;
}

int kith_group_set_read(kith_group_set *set, const char *path, kith_diag_list *diags)
{
	reader r = {set, NULL};
	kith_feed_handler handler = {on_header, on_group, on_withdrawn, NULL, &r, 0};

	set->sorted = 0;
	return kith_feed_read(path, &handler, 1, diags, NULL);
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const kith_judged_group *)a)->key, ((const kith_judged_group *)b)->key);
}

void kith_group_set_finish(kith_group_set *set)
{
	if (set->count)
		qsort(set->items, set->count, sizeof(*set->items), by_key);
	set->sorted = 1;
}

const kith_group *kith_group_set_find(const kith_group_set *set, const char *key)
{
	kith_judged_group probe, *hit;
	long at;

	if (!set->sorted) {
		at = find_linear(set, key);
		return at >= 0 ? &set->items[at].group : NULL;
	}
	if (!set->count)
		return NULL;
	probe.key = key;
	hit = bsearch(&probe, set->items, set->count, sizeof(*set->items), by_key);
	return hit ? &hit->group : NULL;
}

void kith_group_set_release(kith_group_set *set)
{
	kith_arena_release(&set->arena);
	free(set->items);
	set->items = NULL;
	set->count = set->alloc = 0;
	set->sorted = 0;
}
