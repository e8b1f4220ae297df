/*
 * The hard constraints (schemas/README.md), one function each (see
 * match_int.h): a group that breaks one is never shown.  Each says why in
 * the person's terms, with the numbers ("its venue is 7.2 km away, beyond
 * your 3 km"), for `--why-not`.  eval/judge.c checks the same rules from
 * the spec, written apart, so a bug in one shows up in the other.
 */
#include "match/match_int.h"

#include <limits.h>
#include <string.h>

#include "model/geo.h"
#include "model/names.h"
#include "model/schedule.h"
#include "text/vocab.h"
#include "text/words.h"

/* The rules broken so far, and where their reasons go. */
typedef struct breach {
	kith_buf *why;
	int first; /* the first rule broken (1 to 8), or 0 */
	int all;   /* find every one, not just the first */
} breach;

/*
 * Starts the reason for a broken rule ("; and " after an earlier one) and
 * returns the buffer to write it to.
 */
static kith_buf *broke(breach *b, int rule)
{
	if (b->first)
		kith_buf_puts(b->why, "; and ");
	else
		b->first = rule;
	return b->why;
}

/* 1 when the search may stop: a rule is broken and only the first was asked for. */
static int done(const breach *b)
{
	return b->first && !b->all;
}

/* Works out how the person could take part: sets distance, in_person, by_online, by_home. */
static void work_out_reach(const query *q, cand *c)
{
	const kith_patient *pt = q->pt;
	size_t i;

	c->distance = -1;
	c->nearest = -1;
	/* with no home given the area cannot be checked: shown, with a caution (score.c) */
	c->area_holds = c->area && q->home_area_known ? kith_area_holds(c->area, &q->home) : 1;
	if (pt->home.known) {
		for (i = 0; i < c->point_count; i++) {
			double d = kith_geo_distance_km(pt->home.lat, pt->home.lon, c->lat[i], c->lon[i]);
			if (c->distance < 0 || d < c->distance) {
				c->distance = d;
				c->nearest = (int)i;
			}
		}
	}
	if (!pt->housebound) {
		if (c->distance >= 0)
			c->in_person = !q->has_limit || c->distance <= q->limit;
		else if (c->placeless) /* its place is not known at all: only where it serves the person's area */
			c->in_person = c->area && c->area_holds == 1;
		else /* no located venue, or no home: reach cannot be ruled out */
			c->in_person = c->point_count > 0 || c->has_unlocated_venue;
	}
	c->by_online = c->online && pt->online;
	c->by_home = c->home_visits && pt->home.known &&
		     kith_geo_distance_km(pt->home.lat, pt->home.lon, c->home_lat, c->home_lon) <= c->home_radius;
}

int kith_match_session_fits(const query *q, const kith_session *s)
{
	return kith_session_overlap(s, q->pt->windows, q->pt->window_count, q->pt->has_availability) >= MIN_OVERLAP;
}

/* Rule 1: wheelchair or step-free access "no" when the person needs it. */
static void rule_access(const query *q, const cand *c, breach *b)
{
	const kith_patient *pt = q->pt;

	if (pt->needs_access[KITH_ACCESS_WHEELCHAIR] && c->access[KITH_ACCESS_WHEELCHAIR] == KITH_TRI_NO) {
		kith_buf_puts(broke(b, 1), "it has no wheelchair access, and you need it");
		if (done(b))
			return;
	}
	if (pt->needs_access[KITH_ACCESS_STEP_FREE] && c->access[KITH_ACCESS_STEP_FREE] == KITH_TRI_NO)
		kith_buf_puts(broke(b, 1), "it is not step-free, and you need step-free access");
}

int kith_match_has_circumstance(const kith_patient *pt, const char *id, size_t n)
{
	size_t i;

	for (i = 0; i < pt->circumstances.count; i++)
		if (strlen(pt->circumstances.items[i]) == n && memcmp(pt->circumstances.items[i], id, n) == 0)
			return 1;
	return 0;
}

/* Rule 2: age, gender, or a circumstance the group requires. */
static void rule_eligibility(const query *q, const cand *c, breach *b)
{
	const kith_patient *pt = q->pt;
	const char *p = c->requires, *id;
	size_t n;

	if (pt->age >= 0 && c->min_age >= 0 && pt->age < c->min_age) {
		kith_buf_printf(broke(b, 2), "it is for ages %d and over; you are %d", c->min_age, pt->age);
		if (done(b))
			return;
	}
	if (pt->age >= 0 && c->max_age >= 0 && pt->age > c->max_age) {
		kith_buf_printf(broke(b, 2), "it is for ages up to %d; you are %d", c->max_age, pt->age);
		if (done(b))
			return;
	}
	if (c->gender != KITH_GENDER_ANY && pt->gender != KITH_GENDER_ANY && pt->gender != c->gender) {
		kith_buf_printf(broke(b, 2), "it is for %s only", kith_gender_people(c->gender));
		if (done(b))
			return;
	}
	while ((id = kith_word_next(&p, &n)) != NULL) {
		char name[64];
		const kith_vocab_term *t;
		if (n >= sizeof(name) || kith_match_has_circumstance(pt, id, n))
			continue;
		memcpy(name, id, n);
		name[n] = '\0';
		t = kith_vocab_find(KITH_VOCAB_CIRCUMSTANCE, name);
		kith_buf_printf(broke(b, 2), "it is only for %s ('%s')", t ? t->covers : name, name);
		if (done(b))
			return;
	}
}

/* Rule 3: no venue in reach, no usable online option, no home visits that reach the person. */
static void rule_reach(const query *q, const cand *c, breach *b)
{
	const kith_patient *pt = q->pt;
	kith_buf *why;

	if (c->in_person || c->by_online || c->by_home)
		return;
	why = broke(b, 3);
	if (pt->housebound)
		kith_buf_puts(why, "you are housebound and it meets at a venue");
	else if (c->placeless)
		kith_buf_puts(why, c->area ? "it does not say where it meets, and the area it serves is not yours"
					   : "it does not say where it meets, nor which area it serves");
	else if (c->distance >= 0)
		kith_buf_printf(why, "its venue is %.1f km away, beyond your %g km", c->distance, q->limit);
	else
		kith_buf_puts(why, "it has no venue you can reach");
	kith_buf_puts(why, !c->online   ? "; no online option"
			   : pt->online ? ""
			   : pt->online_asked
				   ? "; it is online, and you do not go online"
				   : "; it is online or by phone, and whether you can join that way was not asked");
	if (c->home_visits)
		kith_buf_printf(why, "; its home visits (%g km) do not reach you", c->home_radius);
	else
		kith_buf_puts(why, "; no home visits");
}

/* Rule 4: known times, none of which the person can make for 30 minutes. */
static void rule_schedule(const query *q, const cand *c, breach *b)
{
	kith_buf *why;
	size_t i;

	if (!c->schedule_known || c->by_appointment || !c->session_count || !q->pt->has_availability)
		return;
	for (i = 0; i < c->session_count; i++)
		if (kith_match_session_fits(q, &c->sessions[i]))
			return;
	why = broke(b, 4);
	kith_buf_puts(why, "it meets ");
	for (i = 0; i < c->session_count && i < 4; i++) {
		kith_buf_printf(why, "%s%s ", i ? ", " : "", kith_day_short(c->sessions[i].day));
		kith_match_put_time(why, c->sessions[i].start);
		kith_buf_putc(why, '-');
		kith_match_put_time(why, c->sessions[i].end);
	}
	kith_buf_puts(why, ", when you are not free (30 minutes at least)");
}

/* Rule 5: a known cost, whatever it is per, above the person's budget per session. */
static void rule_cost(const query *q, const cand *c, breach *b)
{
	const kith_patient *pt = q->pt;
	kith_buf *why;

	if (pt->max_per_session < 0 || !c->cost_known || c->cost_free || c->cost_amount <= pt->max_per_session + 1e-9)
		return;
	why = broke(b, 5);
	kith_buf_puts(why, "it costs ");
	kith_match_put_money(why, c->cost_amount);
	kith_buf_printf(why, " %s, above your ", kith_cost_per_phrase(c->cost_per));
	kith_match_put_money(why, pt->max_per_session);
	kith_buf_puts(why, " a session");
}

/* Rule 6: closed to new members, or a course that has ended. */
static void rule_closed(const query *q, const cand *c, breach *b)
{
	if (c->capacity == KITH_CAPACITY_CLOSED) {
		kith_buf_puts(broke(b, 6), "it is closed to new members");
		if (done(b))
			return;
	}
	if (c->ends != LONG_MAX && c->ends < q->today)
		kith_buf_printf(broke(b, 6), "the course ended on %s", c->ends_text);
}

/* 1 when the person speaks the language code[0..n) (English when they name none). */
static int person_speaks(const kith_patient *pt, const char *code, size_t n)
{
	size_t i;

	if (!pt->languages.count)
		return n == 2 && memcmp(code, "en", 2) == 0;
	for (i = 0; i < pt->languages.count; i++)
		if (strlen(pt->languages.items[i]) == n && memcmp(pt->languages.items[i], code, n) == 0)
			return 1;
	return 0;
}

/* Rule 7: no language in common (a group that names none runs in English). */
static void rule_language(const query *q, const cand *c, breach *b)
{
	const kith_patient *pt = q->pt;
	const char *p = c->languages && *c->languages ? c->languages : "en", *code;
	kith_buf *why;
	size_t n, i;

	while ((code = kith_word_next(&p, &n)) != NULL)
		if (n < 16 && person_speaks(pt, code, n))
			return;
	why = broke(b, 7);
	kith_buf_puts(why, "it runs in ");
	kith_match_put_languages(why, c->languages);
	kith_buf_puts(why, " only; you speak ");
	if (!pt->languages.count)
		kith_buf_puts(why, "English");
	for (i = 0; i < pt->languages.count; i++)
		kith_buf_printf(why, "%s%s", i ? ", " : "", kith_language_name(pt->languages.items[i]));
}

/* Rule 8: an area served that does not hold the person's home (a home given as a point: its nearest district). */
static void rule_area(const query *q, const cand *c, breach *b)
{
	kith_buf *why;

	if (c->area_holds == 1)
		return;
	why = broke(b, 8);
	kith_buf_puts(why, "it is only for people living in ");
	kith_match_put_area(why, c->area);
	if (c->area_holds < 0)
		kith_buf_printf(why, "; your home is known only as %s%s, not which part", q->home.district,
				q->home.from_point ? " (the district nearest its point)" : "");
	else
		kith_buf_printf(why, "; your home is in %s%s", q->home.sector[0] ? q->home.sector : q->home.district,
				q->home.from_point ? " (the district nearest its point)" : "");
}

int kith_match_breaks(const query *q, cand *c, kith_buf *why, int all)
{
	static void (*const rules[])(const query *, const cand *, breach *) = {
		rule_access, rule_eligibility, rule_reach,    rule_schedule,
		rule_cost,   rule_closed,      rule_language, rule_area,
	};
	breach b = {why, 0, all};
	size_t i;

	work_out_reach(q, c);
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]) && !done(&b); i++)
		rules[i](q, c, &b);
	return b.first;
}
