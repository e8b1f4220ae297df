/*
 * The matcher on a real index of tests/data/match: every hard constraint
 * both ways, the factors, explanations that add up, --why-not, duplicates,
 * determinism, and the match command's quick queries.
 */
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "kith.h"

#define HOME "54.3262,-2.74397"
#define TODAY "2026-11-23"

typedef struct fixture {
	char *dir;
	char *db;
	kith_index *idx;
	kith_matcher *m;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	char path[4096];

	f->dir = ks_tmpdir();
	snprintf(path, sizeof(path), "%s/match.db", f->dir);
	f->db = strdup(path);
	assert_int_equal(kith_index_open(&f->idx, f->db, KITH_OPEN_CREATE), 0);
	assert_int_equal(kith_index_load(f->idx, ks_src("tests/data/match/testtown.xml"), NULL, NULL, NULL), 0);
	assert_int_equal(kith_index_load(f->idx, ks_src("tests/data/match/othertown.xml"), NULL, NULL, NULL), 0);
	assert_int_equal(kith_matcher_new(&f->m, f->idx, NULL, NULL), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	kith_matcher_free(f->m);
	kith_index_free(f->idx);
	ks_rmtree(f->dir);
	free(f->dir);
	free(f->db);
	free(f);
	return 0;
}

/* A profile with the given id and field=value pairs (NULL-terminated), and nothing else. */
static kith_profile *person(const char *id, ...)
{
	kith_profile *p = NULL;
	va_list ap;
	const char *field;

	assert_int_equal(kith_profile_new(&p, id), 0);
	va_start(ap, id);
	for (field = va_arg(ap, const char *); field; field = va_arg(ap, const char *)) {
		const char *value = va_arg(ap, const char *);
		if (kith_profile_set(p, field, value) != 0)
			fail_msg("set %s=%s: %s", field, value, kith_profile_errmsg(p));
	}
	va_end(ap);
	return p;
}

/* A profile at HOME, 10 km, with the given field=value pairs (NULL-terminated). */
static kith_profile *profile(const char *first, ...)
{
	kith_profile *p = NULL;
	va_list ap;
	const char *field;

	p = person("T1", "point", HOME, "max-km", "10", NULL);
	va_start(ap, first);
	for (field = first; field; field = va_arg(ap, const char *)) {
		const char *value = va_arg(ap, const char *);
		if (kith_profile_set(p, field, value) != 0)
			fail_msg("set %s=%s: %s", field, value, kith_profile_errmsg(p));
	}
	va_end(ap);
	return p;
}

static kith_results *match(fixture *f, kith_profile *p)
{
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	kith_results *r = NULL;

	o.top = 100;
	o.today = TODAY;
	assert_int_equal(kith_matcher_run(f->m, p, &o, &r), 0);
	return r;
}

static const kith_result *find(const kith_results *r, const char *key)
{
	size_t i;

	for (i = 0; i < kith_results_count(r); i++)
		if (strcmp(kith_results_get(r, i)->key, key) == 0)
			return kith_results_get(r, i);
	return NULL;
}

/* Whether key is recommended for the profile; frees the profile. */
static int shown(fixture *f, kith_profile *p, const char *key)
{
	kith_results *r = match(f, p);
	int found = find(r, key) != NULL;

	kith_results_free(r);
	kith_profile_free(p);
	return found;
}

static int has_caution(const kith_result *r, const char *text)
{
	size_t i;

	for (i = 0; r && i < r->caution_count; i++)
		if (strstr(r->cautions[i], text))
			return 1;
	return 0;
}

static void test_access(void **state)
{
	fixture *f = *state;
	kith_results *r;
	kith_profile *p;

	assert_false(shown(f, profile("wheelchair", "yes", NULL), "testtown/no-wheelchair"));
	assert_true(shown(f, profile(NULL, NULL), "testtown/no-wheelchair"));
	assert_false(shown(f, profile("step-free", "yes", NULL), "testtown/no-wheelchair"));
	/* unknown is not no: allowed, said, and ranked below a confirmed yes */
	p = profile("wheelchair", "yes", NULL);
	r = match(f, p);
	assert_non_null(find(r, "testtown/unknown-access"));
	assert_true(has_caution(find(r, "testtown/unknown-access"), "wheelchair access not confirmed"));
	assert_false(has_caution(find(r, "testtown/near"), "wheelchair access"));
	kith_results_free(r);
	kith_profile_free(p);
}

static void test_eligibility(void **state)
{
	fixture *f = *state;

	assert_false(shown(f, profile("age", "30", NULL), "testtown/over-55"));
	assert_true(shown(f, profile("age", "60", NULL), "testtown/over-55"));
	assert_false(shown(f, profile("age", "30", NULL), "testtown/under-25"));
	assert_true(shown(f, profile("age", "19", NULL), "testtown/under-25"));
	assert_true(shown(f, profile("gender", "female", NULL), "testtown/women"));
	assert_false(shown(f, profile("gender", "male", NULL), "testtown/women"));
	assert_true(shown(f, profile("circumstances", "carer", NULL), "testtown/carers"));
	assert_false(shown(f, profile(NULL, NULL), "testtown/carers"));
}

static void test_reach(void **state)
{
	fixture *f = *state;

	assert_false(shown(f, profile(NULL, NULL), "testtown/far"));
	assert_false(shown(f, profile(NULL, NULL), "testtown/far-online"));
	assert_true(shown(f, profile("online", "yes", NULL), "testtown/far-online"));
	assert_true(shown(f, profile(NULL, NULL), "testtown/home"));
	assert_false(shown(f, profile(NULL, NULL), "testtown/home-far"));
	assert_true(shown(f, profile("max-km", "25", NULL), "testtown/far"));
	/* housebound: only what comes to the home or can be joined from it */
	assert_false(shown(f, profile("housebound", "yes", "online", "yes", NULL), "testtown/near"));
	assert_true(shown(f, profile("housebound", "yes", "online", "yes", NULL), "testtown/far-online"));
	assert_true(shown(f, profile("housebound", "yes", NULL), "testtown/home"));
	assert_false(shown(f, profile("housebound", "yes", NULL), "testtown/far-online"));
}

static void test_reach_is_said(void **state)
{
	fixture *f = *state;
	kith_profile *p = profile("online", "yes", NULL);
	kith_results *r = match(f, p);

	assert_string_equal(find(r, "testtown/home")->how, "home visits");
	assert_string_equal(find(r, "testtown/far-online")->how, "online or by phone");
	assert_string_equal(find(r, "testtown/near")->how, "in person");
	assert_true(find(r, "testtown/near")->distance_km < 1.0);
	kith_results_free(r);
	kith_profile_free(p);
}

static void test_schedule(void **state)
{
	fixture *f = *state;

	assert_true(shown(f, profile("when", "tue@10:00-12:00", NULL), "testtown/near"));
	assert_false(shown(f, profile("when", "tue@10:00-12:00", NULL), "testtown/evening"));
	assert_true(shown(f, profile("when", "mon@18:00-22:00", NULL), "testtown/evening"));
	assert_false(shown(f, profile("when", "mon@18:00-22:00", NULL), "testtown/near"));
	/* by appointment fits any availability */
	assert_true(shown(f, profile("when", "sat@09:00-10:00", NULL), "testtown/appointment"));
	/* 15 minutes of overlap is not enough; 30 is */
	assert_false(shown(f, profile("when", "tue@10:00-12:00", NULL), "testtown/short-overlap"));
	assert_true(shown(f, profile("when", "tue@10:00-12:15", NULL), "testtown/short-overlap"));
	/* weeks="1 3" still meets on Tuesdays */
	assert_true(shown(f, profile("when", "tue@10:00-11:00", NULL), "testtown/weeks"));
}

static void test_next_session_honours_weeks(void **state)
{
	fixture *f = *state;
	kith_profile *p = profile(NULL, NULL);
	kith_results *r = match(f, p);

	/* 2026-11-23 is a Monday; the first Tuesday of December is the 1st */
	assert_string_equal(find(r, "testtown/weeks")->next_session, "Tue 1 Dec 10:00-11:00");
	assert_string_equal(find(r, "testtown/near")->next_session, "Tue 24 Nov 10:00-12:00");
	assert_string_equal(find(r, "testtown/appointment")->next_session, "by appointment");
	kith_results_free(r);
	kith_profile_free(p);
}

static void test_cost(void **state)
{
	fixture *f = *state;

	assert_false(shown(f, profile("free", "yes", NULL), "testtown/three-pounds"));
	assert_true(shown(f, profile("budget", "5", NULL), "testtown/three-pounds"));
	/* £30 a month is compared whole with a per-session budget */
	assert_false(shown(f, profile("budget", "5", NULL), "testtown/monthly-fee"));
	assert_true(shown(f, profile("budget", "30", NULL), "testtown/monthly-fee"));
	assert_true(shown(f, profile(NULL, NULL), "testtown/monthly-fee"));
}

static void test_closed_and_ended(void **state)
{
	fixture *f = *state;
	kith_profile *p = profile(NULL, NULL);
	kith_results *r = match(f, p);

	assert_null(find(r, "testtown/closed"));
	assert_null(find(r, "testtown/ended"));
	assert_non_null(find(r, "testtown/future"));
	assert_true(has_caution(find(r, "testtown/future"), "starts on 2027-01-10"));
	assert_true(has_caution(find(r, "testtown/waiting"), "waiting list"));
	assert_true(has_caution(find(r, "testtown/stale"), "last checked on 2023-01-01"));
	kith_results_free(r);
	kith_profile_free(p);
}

static void test_language(void **state)
{
	fixture *f = *state;

	assert_false(shown(f, profile(NULL, NULL), "testtown/polish"));
	assert_true(shown(f, profile("languages", "pl", NULL), "testtown/polish"));
	assert_false(shown(f, profile("languages", "pl", NULL), "testtown/near"));
	assert_true(shown(f, profile("languages", "pl en", NULL), "testtown/near"));
}

static void test_explanations_add_up(void **state)
{
	fixture *f = *state;
	kith_profile *p = profile("needs", "loneliness:high,purpose", "interests", "allotment, a natter and a cuppa",
				  "wheelchair", "yes", "budget", "5", NULL);
	kith_results *r = match(f, p);
	size_t i, j;

	assert_true(kith_results_count(r) > 5);
	for (i = 0; i < kith_results_count(r); i++) {
		const kith_result *x = kith_results_get(r, i);
		double sum = 0;
		assert_true(x->reason_count >= 10);
		for (j = 0; j < x->reason_count; j++) {
			sum += x->reasons[j].contribution;
			assert_non_null(x->reasons[j].text);
		}
		assert_true(fabs(sum - x->score) < 1e-9);
		if (i)
			assert_true(x->score <= kith_results_get(r, i - 1)->score);
	}
	kith_results_free(r);
	kith_profile_free(p);
}

static double part(const kith_result *r, const char *factor)
{
	size_t i;

	for (i = 0; i < r->reason_count; i++)
		if (strcmp(r->reasons[i].factor, factor) == 0)
			return r->reasons[i].contribution;
	return 0;
}

static const char *reason(const kith_result *r, const char *factor)
{
	size_t i;

	for (i = 0; i < r->reason_count; i++)
		if (strcmp(r->reasons[i].factor, factor) == 0)
			return r->reasons[i].text;
	return "";
}

static void test_factors(void **state)
{
	fixture *f = *state;
	kith_profile *p = profile("needs", "loneliness", "interests", "used to have an allotment", "budget", "5", NULL);
	const char *const *names = kith_matcher_factors();
	kith_results *r;
	size_t i;

	/* every factor counts here, whatever the tuned defaults say */
	for (i = 0; names[i]; i++)
		assert_int_equal(kith_matcher_set_weight(f->m, names[i], strcmp(names[i], "variety") ? 0.1 : 0.0), 0);
	r = match(f, p);
	const kith_result *near = find(r, "testtown/near"), *garden = find(r, "testtown/allotment");

	/* interests: everyday words reach the vocabulary */
	assert_true(part(garden, "interests") > part(near, "interests"));
	assert_true(ks_contains(reason(garden, "interests"), "gardening"));
	/* needs: tagged loneliness beats no tags */
	assert_true(part(near, "needs") > part(garden, "needs"));
	/* distance: nearer scores more */
	assert_true(part(near, "distance") > part(garden, "distance"));
	/* cost: free beats £3 */
	assert_true(part(near, "cost") > part(find(r, "testtown/three-pounds"), "cost"));
	/* capacity and freshness */
	assert_true(part(find(r, "testtown/waiting"), "capacity") < part(near, "capacity"));
	assert_true(part(find(r, "testtown/stale"), "freshness") < part(near, "freshness"));
	/* unknown times score below known ones that fit */
	assert_true(part(find(r, "testtown/near"), "availability") > 0);
	kith_results_free(r);
	kith_profile_free(p);
	kith_matcher_free(f->m);
	assert_int_equal(kith_matcher_new(&f->m, f->idx, NULL, NULL), 0);
}

static void test_duplicates_shown_once(void **state)
{
	fixture *f = *state;
	kith_profile *p = profile("needs", "purpose", "interests", "woodwork", NULL);
	kith_results *r = match(f, p);
	const kith_result *a = find(r, "testtown/dup-a"), *b = find(r, "othertown/shed");

	assert_true((a != NULL) != (b != NULL));
	assert_non_null((a ? a : b)->also_listed);
	kith_results_free(r);
	kith_profile_free(p);
}

static void test_why_not(void **state)
{
	fixture *f = *state;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	kith_profile *p = profile("max-km", "3", NULL);
	char *text = NULL;

	o.today = TODAY;
	assert_int_equal(kith_matcher_why_not(f->m, p, &o, "testtown/far", &text), 0);
	assert_true(ks_contains(text, "km away, beyond your 3 km; no online option"));
	free(text);
	assert_int_equal(kith_matcher_why_not(f->m, p, &o, "testtown/closed", &text), 0);
	assert_true(ks_contains(text, "closed to new members"));
	free(text);
	assert_int_equal(kith_matcher_why_not(f->m, p, &o, "testtown/monthly-fee", &text), 0);
	free(text);
	assert_int_equal(kith_matcher_why_not(f->m, p, &o, "testtown/near", &text), 0);
	assert_true(ks_contains(text, "is in the list, at #"));
	free(text);
	o.top = 1;
	assert_int_equal(kith_matcher_why_not(f->m, p, &o, "testtown/unknown-access", &text), 0);
	assert_true(ks_contains(text, "breaks no constraint but scored"));
	free(text);
	assert_int_equal(kith_matcher_why_not(f->m, p, &o, "testtown/nothing", &text), KITH_ENOTFOUND);
	kith_profile_free(p);
}

static void test_deterministic(void **state)
{
	fixture *f = *state;
	kith_profile *p = profile("needs", "loneliness", "interests", "a cuppa", NULL);
	kith_results *a = match(f, p), *b = match(f, p);
	size_t i;

	assert_int_equal(kith_results_count(a), kith_results_count(b));
	for (i = 0; i < kith_results_count(a); i++) {
		assert_string_equal(kith_results_get(a, i)->key, kith_results_get(b, i)->key);
		assert_true(kith_results_get(a, i)->score == kith_results_get(b, i)->score);
	}
	kith_results_free(a);
	kith_results_free(b);
	kith_profile_free(p);
}

static void test_baselines_ignore_constraints(void **state)
{
	fixture *f = *state;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	kith_profile *p = profile("needs", "loneliness", NULL);
	kith_results *r = NULL;

	o.today = TODAY;
	o.top = 100;
	o.mode = KITH_RANK_RANDOM;
	assert_int_equal(kith_matcher_run(f->m, p, &o, &r), 0);
	assert_non_null(find(r, "testtown/closed"));
	kith_results_free(r);
	o.mode = KITH_RANK_FILTERED_TEXT;
	assert_int_equal(kith_matcher_run(f->m, p, &o, &r), 0);
	assert_null(find(r, "testtown/closed"));
	kith_results_free(r);
	kith_profile_free(p);
}

static void test_bad_weights_and_rules(void **state)
{
	fixture *f = *state;
	char *dir = ks_tmpdir(), *w = ks_write(dir, "w.conf", "needs 0.3\nnonsense 2\n");
	char *rules = ks_write(dir, "r.rules", "activity:gardening = allot(ment\n");
	kith_matcher *m = NULL;

	assert_int_equal(kith_matcher_new(&m, f->idx, w, NULL), KITH_EINVALID);
	assert_true(ks_contains(kith_matcher_errmsg(m), "w.conf:2: not a factor kith scores"));
	kith_matcher_free(m);
	/* a file that is not kith's is never quoted: what was expected is said, not what was found */
	free(w);
	w = ks_write(dir, "passwd", "root:x:0:0:root:/root:/bin/bash\n");
	assert_int_equal(kith_matcher_new(&m, f->idx, w, NULL), KITH_EINVALID);
	assert_true(ks_contains(kith_matcher_errmsg(m), "passwd:1: expected a factor and a number"));
	assert_false(ks_contains(kith_matcher_errmsg(m), "root"));
	kith_matcher_free(m);
	/* a folder or an unreadable file is an error, never "no rules" */
	assert_int_equal(kith_matcher_new(&m, f->idx, NULL, dir), KITH_EIO);
	assert_true(ks_contains(kith_matcher_errmsg(m), "cannot read: Is a directory"));
	kith_matcher_free(m);
	assert_int_equal(kith_matcher_new(&m, f->idx, NULL, rules), KITH_EINVALID);
	assert_true(ks_contains(kith_matcher_errmsg(m), "r.rules:1: bad pattern"));
	kith_matcher_free(m);
	ks_rmtree(dir);
	free(dir);
	free(w);
	free(rules);
}

static void test_cli_quick_query(void **state)
{
	fixture *f = *state;
	char *out = NULL, *err = NULL;

	assert_int_equal(
		ks_kith(&out, &err,
			"match '%s' --postcode 'LA9 4AA' --max-km 10 --needs loneliness --interests 'a natter' "
			"--wheelchair --when 'tue@09:00-13:00' --date %s --format json --top 3",
			f->db, TODAY),
		0);
	assert_true(ks_contains(out, "{\"patient\": \"query\", \"home\": {\"precision\": \"sector\", \"place\": "
				     "\"LA9 4\"}, \"results\": ["));
	assert_true(ks_contains(out, "\"rank\": 3"));
	assert_false(ks_contains(out, "testtown/no-wheelchair"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "match '%s' --point %s --when 'tues@09:00-12:00'", f->db, HOME), 2);
	assert_true(ks_contains(err, "--when: unknown day 'tues'"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "match '%s' --postcode 'ZZ9 9ZZ' --needs loneliness", f->db), 2);
	assert_true(ks_contains(err, "ZZ9 9ZZ"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "match '%s' --point %s --format trec --run-name t1 --top 2 --date %s",
				 f->db, HOME, TODAY),
			 0);
	assert_int_equal(ks_lines(out), 2);
	assert_true(ks_contains(out, "query Q0 testtown/"));
	assert_true(ks_contains(out, " 1 ") && ks_contains(out, " t1\n"));
	free(out);
	free(err);
	assert_int_equal(
		ks_kith(&out, &err, "match '%s' --point %s --why-not testtown/closed --date %s", f->db, HOME, TODAY),
		0);
	assert_true(ks_contains(out, "closed to new members"));
	free(out);
	free(err);
}

static void test_cli_bad_profile(void **state)
{
	fixture *f = *state;
	char *dir = ks_tmpdir(), *bad, *out = NULL, *err = NULL;

	bad = ks_write(dir, "p.xml",
		       "<patient xmlns=\"urn:kith:patient:1\" id=\"P1\">\n"
		       "  <availability><window day=\"mon\" start=\"12:00\" end=\"10:00\"/></availability>\n"
		       "</patient>\n");
	assert_int_equal(ks_kith(&out, &err, "match '%s' '%s'", f->db, bad), 2);
	assert_true(ks_contains(err, "p.xml:2:"));
	assert_true(ks_contains(err, "profile rejected"));
	free(out);
	free(err);
	free(bad);
	ks_rmtree(dir);
	free(dir);
}

/* An index of 120 friendship clubs about loneliness near HOME, plus one more group. */
typedef struct clubs {
	char *dir, *feed, *db;
	kith_index *idx;
	kith_matcher *m;
} clubs;

static void clubs_open(clubs *c, const char *extra_group)
{
	kith_buf xml = KITH_BUF_INIT;
	int i;

	c->dir = ks_tmpdir();
	kith_buf_puts(&xml, "<feed xmlns=\"urn:kith:feed:1\" id=\"many\" version=\"1\">\n");
	for (i = 0; i < 120; i++)
		kith_buf_printf(
			&xml,
			"<group id=\"g%d\"><name>Friendship Club %d</name><needs><need>loneliness</need></needs>"
			"<venue><point lat=\"%.4f\" lon=\"-2.74397\"/></venue></group>\n",
			i, i, 54.3262 + i * 0.0001);
	kith_buf_printf(&xml, "%s\n</feed>\n", extra_group);
	c->feed = ks_write(c->dir, "many.xml", xml.ptr);
	c->db = ks_write(c->dir, "many.db", "");
	remove(c->db);
	c->idx = NULL;
	c->m = NULL;
	assert_int_equal(kith_index_open(&c->idx, c->db, KITH_OPEN_CREATE), 0);
	assert_int_equal(kith_index_load(c->idx, c->feed, NULL, NULL, NULL), 0);
	assert_int_equal(kith_matcher_new(&c->m, c->idx, NULL, NULL), 0);
	kith_buf_release(&xml);
}

static void clubs_close(clubs *c)
{
	kith_matcher_free(c->m);
	kith_index_free(c->idx);
	ks_rmtree(c->dir);
	free(c->dir);
	free(c->feed);
	free(c->db);
}

/* Someone at HOME, 5 km, whose main need is loneliness, speaking languages. */
static kith_results *lonely_within_5km(clubs *c, const char *languages, size_t top)
{
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	kith_profile *p;
	kith_results *r;

	p = person("P", "point", HOME, "max-km", "5", "needs", "loneliness", NULL);
	if (languages)
		assert_int_equal(kith_profile_set(p, "languages", languages), 0);
	o.today = TODAY;
	o.top = top;
	assert_int_equal(kith_matcher_run(c->m, p, &o, &r), 0);
	kith_profile_free(p);
	return r;
}

/*
 * Narrowing by shared concepts must not hide the only groups a person can
 * use: 120 English groups about loneliness, one Polish group about nothing
 * they asked for, and a Polish speaker who asks about loneliness.
 */
static void test_narrowing_never_hides_the_possible(void **state)
{
	clubs c;
	kith_results *r;

	(void)state;
	clubs_open(&c, "<group id=\"polish\"><name>Klub Szachowy</name><description>Szachy.</description>"
		       "<venue><point lat=\"54.3265\" lon=\"-2.74397\"/></venue><languages>pl</languages></group>");
	r = lonely_within_5km(&c, "pl", 0);
	assert_int_equal(kith_results_count(r), 1);
	assert_string_equal(kith_results_get(r, 0)->key, "many/polish");
	kith_results_free(r);
	clubs_close(&c);
}

/*
 * A group whose only venue has no location (an address, no postcode) is
 * still a candidate when plenty of located groups pass: the narrowing
 * brings it in beside them.
 */
/*
 * What is read aloud must be true.  A wheelchair user who would join a
 * far group by telephone has no venue to get into, so its venue's access is
 * neither a reason nor a caution; a listing silent on capacity is not said
 * to be taking new members; someone who gave no interests is not told a
 * listing shares words with them.
 */
static void test_reasons_are_true(void **state)
{
	fixture *f = *state;
	kith_profile *p = profile("online", "yes", "wheelchair", "yes", "needs", "loneliness", NULL);
	kith_results *r = match(f, p);
	const kith_result *phone = find(r, "testtown/far-online"), *near = find(r, "testtown/unknown-access");
	const kith_result *waiting = find(r, "testtown/waiting");
	size_t i;

	assert_non_null(phone);
	assert_non_null(near);
	assert_non_null(waiting);
	assert_string_equal(phone->how, "online or by phone");
	assert_string_equal(reason(phone, "access"), "you would take part from home: no venue to get into");
	for (i = 0; i < phone->caution_count; i++)
		assert_null(strstr(phone->cautions[i], "access"));
	assert_true(has_caution(near, "wheelchair access not confirmed"));
	assert_string_equal(reason(near, "capacity"), "does not say whether it has room");
	assert_string_equal(reason(waiting, "capacity"), "has a waiting list");
	assert_true(strncmp(reason(near, "interests"), "no interests given", 18) == 0);
	kith_results_free(r);
	kith_profile_free(p);
}

/*
 * One strong, specific match outweighs many weak ones (issue 11, class 1):
 * a long story with one passion in it, bell ringing, and two groups near
 * home that both say they help with loneliness and meet weekly: a tower's
 * practice night, and a shed whose listing meets many of the story's
 * everyday words (tea, chat, garden, church, friends).  Forty friendship
 * groups further off make those words as common as they are in a real
 * directory.
 */
static void test_a_passion_in_a_long_story(void **state)
{
	kith_buf xml = KITH_BUF_INIT;
	char *dir = ks_tmpdir(), *feed, *db;
	kith_index *idx = NULL;
	kith_matcher *m = NULL;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	int i;

	(void)state;
	kith_buf_puts(&xml,
		      "<feed xmlns=\"urn:kith:feed:1\" id=\"town\" version=\"1\">"
		      "<group id=\"bells\"><name>St Mary's Tower Bell Ringers</name>"
		      "<description>Practice night in the tower. Learners welcome; we teach handling.</description>"
		      "<needs><need>loneliness</need></needs>"
		      "<venue><point lat=\"54.3270\" lon=\"-2.7440\"/></venue>"
		      "<schedule><session day=\"thu\" start=\"19:30\" end=\"21:00\"/></schedule></group>"
		      "<group id=\"shed\"><name>Riverside Shed</name>"
		      "<description>Come along for a cup of tea and a chat with other men. We fix things, garden, "
		      "make friends, talk about the old days, help each other and the church, share our lives and "
		      "keep busy. Wife, family, neighbours all welcome at open days.</description>"
		      "<needs><need>loneliness</need></needs>"
		      "<venue><point lat=\"54.3270\" lon=\"-2.7440\"/></venue>"
		      "<schedule><session day=\"tue\" start=\"10:00\" end=\"12:00\"/></schedule></group>");
	for (i = 0; i < 40; i++)
		kith_buf_printf(&xml,
				"<group id=\"f%d\"><name>Friendship Group %d</name><description>A friendly group with "
				"tea and a chat, help for each other, friends and family welcome; talk about the old "
				"days.</description><venue><point lat=\"%.4f\" lon=\"-2.9000\"/></venue></group>",
				i, i, 54.30 + i * 0.001);
	kith_buf_puts(&xml, "</feed>");
	feed = ks_write(dir, "town.xml", xml.ptr);
	db = ks_write(dir, "town.db", "");
	remove(db);
	assert_int_equal(kith_index_open(&idx, db, KITH_OPEN_CREATE), 0);
	assert_int_equal(kith_index_load(idx, feed, NULL, NULL, NULL), 0);
	assert_int_equal(kith_matcher_new(&m, idx, NULL, NULL), 0);
	p = person("P", "point", HOME, "max-km", "3", "needs", "loneliness", NULL);
	assert_int_equal(
		kith_profile_set(p, "interests",
				 "Since my wife died the days are long. My family live away and the neighbours are "
				 "busy. I used to help at church and talk to friends after the service. I like a cup "
				 "of tea and a chat about the old days. I rang the bells at St Mary's for thirty "
				 "years. I potter in the garden but my knees are bad now."),
		0);
	o.today = TODAY;
	assert_int_equal(kith_matcher_run(m, p, &o, &r), 0);
	assert_int_equal(kith_results_count(r), 2);
	assert_string_equal(kith_results_get(r, 0)->key, "town/bells");
	assert_string_equal(reason(kith_results_get(r, 0), "interests"), "its name matches words of your interests");
	kith_results_free(r);
	kith_profile_free(p);
	kith_matcher_free(m);
	kith_index_free(idx);
	kith_buf_release(&xml);
	ks_rmtree(dir);
	free(feed);
	free(db);
	free(dir);
}

/* A fresh index of feed_xml (one feed) in dir, with a matcher; free with close_town(). */
typedef struct town {
	char *dir, *db;
	kith_index *idx;
	kith_matcher *m;
} town;

/* As open_town, with a second feed (NULL for none). */
static void open_towns(town *t, const char *feed_xml, const char *other_xml)
{
	char *feed;

	t->dir = ks_tmpdir();
	t->db = ks_write(t->dir, "town.db", "");
	remove(t->db);
	t->idx = NULL;
	t->m = NULL;
	assert_int_equal(kith_index_open(&t->idx, t->db, KITH_OPEN_CREATE), 0);
	feed = ks_write(t->dir, "town.xml", feed_xml);
	assert_int_equal(kith_index_load(t->idx, feed, NULL, NULL, NULL), 0);
	free(feed);
	if (other_xml) {
		feed = ks_write(t->dir, "other.xml", other_xml);
		assert_int_equal(kith_index_load(t->idx, feed, NULL, NULL, NULL), 0);
		free(feed);
	}
	assert_int_equal(kith_matcher_new(&t->m, t->idx, NULL, NULL), 0);
}

static void open_town(town *t, const char *feed_xml)
{
	open_towns(t, feed_xml, NULL);
}

static void close_town(town *t)
{
	kith_matcher_free(t->m);
	kith_index_free(t->idx);
	ks_rmtree(t->dir);
	free(t->dir);
	free(t->db);
}

/*
 * What an activity asks of the body and the senses (issue 11, class 3): for
 * a wheelchair user a health walk is said with a caution and comes after a
 * seated class that is otherwise the same; for someone hard of hearing at
 * home, a telephone line comes after a video call.
 */
static void test_what_an_activity_asks(void **state)
{
	town t;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;

	(void)state;
	open_town(
		&t,
		"<feed xmlns=\"urn:kith:feed:1\" id=\"town\" version=\"1\">"
		"<group id=\"walk\"><name>Health Walk</name><description>A gentle hour round the park.</description>"
		"<needs><need>physical-activity</need><need>loneliness</need></needs>"
		"<activities><activity>walking</activity></activities>"
		"<venue><point lat=\"54.3270\" lon=\"-2.7440\"/></venue>"
		"<schedule><session day=\"tue\" start=\"10:00\" end=\"11:00\"/></schedule></group>"
		"<group id=\"seated\"><name>Seated Stretch</name><description>A gentle hour of stretches.</description>"
		"<needs><need>physical-activity</need><need>loneliness</need></needs>"
		"<venue><point lat=\"54.3270\" lon=\"-2.7440\"/></venue>"
		"<schedule><session day=\"tue\" start=\"10:00\" end=\"11:00\"/></schedule></group>"
		"<group id=\"phone\"><name>Friendly Voices</name><description>A weekly chat with a "
		"volunteer.</description>"
		"<needs><need>loneliness</need></needs><online how=\"telephone call\"/>"
		"<schedule><by-appointment/></schedule></group>"
		"<group id=\"video\"><name>Friendly Faces</name><description>A weekly chat with a "
		"volunteer.</description>"
		"<needs><need>loneliness</need></needs><online how=\"video call on a tablet\"/>"
		"<schedule><by-appointment/></schedule></group>"
		"</feed>");
	o.today = TODAY;
	p = person("P", "point", HOME, "max-km", "3", "needs", "physical-activity", "wheelchair", "yes", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_string_equal(kith_results_get(r, 0)->key, "town/seated");
	assert_true(has_caution(find(r, "town/walk"), "an activity on foot: check it suits a wheelchair user"));
	assert_false(has_caution(find(r, "town/seated"), "on foot"));
	kith_results_free(r);
	kith_profile_free(p);

	p = person("Q", "point", HOME, "needs", "loneliness", "housebound", "yes", "online", "yes", "circumstances",
		   "hearing-loss", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_string_equal(kith_results_get(r, 0)->key, "town/video");
	assert_true(has_caution(find(r, "town/phone"), "a telephone service: check they can hear well on the phone"));
	kith_results_free(r);
	kith_profile_free(p);
	close_town(&t);
}

/*
 * Who a listing is for, read from its words (issue 11, class 2): a lonely
 * man of seventy is not sent first to a group for mums-to-be and parents of
 * babies, nor to a club taken by referral from the stroke team, though
 * both say they help with loneliness; a new mother is sent to the first.
 */
static void test_who_a_listing_is_for(void **state)
{
	town t;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	const char *venue = "<venue><point lat=\"54.3270\" lon=\"-2.7440\"/></venue>"
			    "<schedule><session day=\"tue\" start=\"10:00\" end=\"12:00\"/></schedule>";
	kith_buf xml = KITH_BUF_INIT;

	(void)state;
	kith_buf_printf(
		&xml,
		"<feed xmlns=\"urn:kith:feed:1\" id=\"town\" version=\"1\">"
		"<group id=\"bumps\"><name>Tuesday Group</name><description>A friendly morning for mums-to-be and "
		"parents of babies: tea, toys and company.</description><needs><need>loneliness</need></needs>%s"
		"</group>"
		"<group id=\"stroke\"><name>Wednesday Club</name><description>A social club; places by referral "
		"from the stroke team.</description><needs><need>loneliness</need></needs>%s</group>"
		"<group id=\"brain\"><name>Friday Singing</name><description>Singing for people living "
		"with dementia and their carers.</description><needs><need>loneliness</need></needs>%s</group>"
		"<group id=\"coffee\"><name>Thursday Group</name><description>A morning of tea and a "
		"natter.</description><needs><need>loneliness</need></needs>%s</group>"
		"</feed>",
		venue, venue, venue, venue);
	open_town(&t, xml.ptr);
	o.today = TODAY;
	p = person("P", "point", HOME, "needs", "loneliness", "age", "70", "gender", "male", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_string_equal(kith_results_get(r, 0)->key, "town/coffee");
	assert_true(has_caution(find(r, "town/bumps"), "its listing says it is for expectant and new parents"));
	assert_true(has_caution(find(r, "town/stroke"), "its listing says it is for people who have had a stroke"));
	assert_true(
		has_caution(find(r, "town/brain"), "its listing says it is for people with dementia and their carers"));
	kith_results_free(r);
	kith_profile_free(p);

	p = person("Q", "point", HOME, "needs", "loneliness", "circumstances", "new-parent", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_false(has_caution(find(r, "town/bumps"), "its listing says it is for"));
	kith_results_free(r);
	kith_profile_free(p);
	close_town(&t);
	kith_buf_release(&xml);
}

/*
 * Services for other people (issue 11, class 2): a new mother of 27 who
 * walks 2 km with the pram, low and lonely.  A home library for those who
 * cannot get to one, visits for older people and a drink and drugs peer
 * group all say words about company or mood; none is for her, and the
 * list says so, puts the baby group first and never says the recovery
 * group helps with her loneliness.  For a housebound man of 85 the home
 * library is made for him.
 */
static void test_services_for_other_people(void **state)
{
	town t;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	const kith_result *library, *recovery;
	size_t i;
	const char *venue = "<venue><point lat=\"54.3270\" lon=\"-2.7440\"/></venue>"
			    "<schedule><session day=\"wed\" start=\"10:00\" end=\"12:00\"/></schedule>";
	const char *visits = "<home-visits radius-km=\"20\"><point lat=\"54.3270\" lon=\"-2.7440\"/></home-visits>"
			     "<schedule><by-appointment/></schedule>";
	kith_buf xml = KITH_BUF_INIT;

	(void)state;
	kith_buf_printf(
		&xml,
		"<feed xmlns=\"urn:kith:feed:1\" id=\"town\" version=\"1\">"
		"<group id=\"library\"><name>Books at Home</name><description>Books delivered by a volunteer to "
		"people who cannot get to a library because of age or disability; a chat too, if you are lonely."
		"</description><needs><need>loneliness</need></needs>%s</group>"
		"<group id=\"visits\"><name>Good Neighbours</name><description>A volunteer visits for a cup of tea "
		"and a chat. For older or isolated people.</description><needs><need>loneliness</need></needs>%s"
		"</group>"
		"<group id=\"recovery\"><name>Evening Peer Group</name><description>For anyone who wants to stop "
		"drinking or using drugs: company, and people who understand when you feel low.</description>"
		"<needs><need>substance-use</need></needs>%s</group>"
		"<group id=\"babies\"><name>Stay and Play</name><description>Play for babies and under-fives with "
		"their parents, and a brew.</description>%s</group>"
		"<group id=\"cafe\"><name>Wednesday Café</name><description>Tea and cake, all welcome."
		"</description><needs><need>loneliness</need></needs>%s</group>"
		"<group id=\"leaving\"><name>Thursday Drop-in</name><description>For care leavers: help with money "
		"and somewhere to live.</description><needs><need>housing</need></needs>%s</group>"
		"</feed>",
		visits, visits, venue, venue, venue, venue);
	open_town(&t, xml.ptr);
	o.today = TODAY;
	p = person("P", "point", HOME, "max-km", "2", "needs", "low-mood,loneliness,parenting", "age", "27", "gender",
		   "female", "circumstances", "new-parent", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_string_equal(kith_results_get(r, 0)->key, "town/babies");
	assert_string_equal(kith_results_get(r, 1)->key, "town/cafe");
	assert_true(
		has_caution(find(r, "town/library"), "its listing says it is for people who cannot easily get out"));
	assert_true(has_caution(find(r, "town/visits"), "its listing says it is for older people"));
	recovery = find(r, "town/recovery");
	assert_non_null(recovery);
	for (i = 0; i < recovery->reason_count; i++) {
		assert_null(strstr(recovery->reasons[i].text, "helps with loneliness"));
		assert_null(strstr(recovery->reasons[i].text, "helps with low mood"));
	}
	kith_results_free(r);
	kith_profile_free(p);

	p = person("Q", "point", HOME, "max-km", "0.5", "needs", "loneliness", "age", "85", "housebound", "yes", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	library = find(r, "town/library");
	assert_non_null(library);
	assert_false(has_caution(library, "its listing says it is for"));
	for (i = 0; i < library->reason_count && strcmp(library->reasons[i].factor, "targeted") != 0; i++)
		;
	assert_true(i < library->reason_count);
	assert_non_null(strstr(library->reasons[i].text, "made for people who cannot easily get out, which fits you"));
	kith_results_free(r);
	kith_profile_free(p);

	/* nobody asks whether someone grew up in care; their own words may say so */
	p = person("R", "point", HOME, "needs", "housing", "age", "19", "interests", "sofa surfing since my room went",
		   NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_true(has_caution(find(r, "town/leaving"), "its listing says it is for young people leaving care"));
	kith_results_free(r);
	kith_profile_free(p);
	p = person("S", "point", HOME, "needs", "housing", "age", "19", "interests",
		   "sofa surfing since my room went; I was in care till I was 18", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_non_null(find(r, "town/leaving"));
	assert_false(has_caution(find(r, "town/leaving"), "its listing says it is for"));
	kith_results_free(r);
	kith_profile_free(p);
	close_town(&t);
	kith_buf_release(&xml);
}

/*
 * When nothing fits, say so (issue 11, class 5): a widow who asks for help
 * with grief and with getting out more, 3 km from home; a walking group is
 * near, the bereavement group 8 km away.  The list says plainly that
 * nothing in reach helps with grief, and names the group beyond.
 */
static void test_a_need_nothing_in_reach_serves(void **state)
{
	town t;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	const kith_need_cover *grief, *active;
	char *json = NULL;
	kith_render_opts ro = KITH_RENDER_OPTS_INIT;

	(void)state;
	open_town(&t, "<feed xmlns=\"urn:kith:feed:1\" id=\"town\" version=\"1\">"
		      "<group id=\"walk\"><name>Health Walk</name><needs><need>physical-activity</need></needs>"
		      "<venue><point lat=\"54.3270\" lon=\"-2.7440\"/></venue></group>"
		      "<group id=\"cruse\"><name>Bereavement Support Group</name>"
		      "<needs><need>bereavement</need></needs>"
		      "<venue><point lat=\"54.3982\" lon=\"-2.7440\"/></venue></group>"
		      "</feed>");
	o.today = TODAY;
	p = person("P", "point", HOME, "max-km", "3", "needs", "bereavement:high,physical-activity", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_int_equal(kith_results_count(r), 1);
	assert_int_equal(kith_results_need_count(r), 2);
	grief = kith_results_need(r, 0);
	active = kith_results_need(r, 1);
	assert_string_equal(grief->need, "bereavement");
	assert_int_equal(grief->shown, 0);
	assert_int_equal(grief->reachable, 0);
	assert_string_equal(grief->beyond, "town/cruse");
	assert_true(grief->beyond_km > 7.5 && grief->beyond_km < 8.5);
	assert_true(ks_contains(grief->text, "Nothing within 3 km says it helps with bereavement"));
	assert_true(ks_contains(grief->text, "the nearest that does is Bereavement Support Group, 8.0 km away."));
	assert_int_equal(active->shown, 1);
	assert_string_equal(active->text, "");
	ro.format = KITH_FORMAT_TEXT;
	assert_int_equal(kith_results_render(r, &ro, &json), 0);
	assert_true(ks_contains(json, "note: Nothing within 3 km says it helps with bereavement"));
	free(json);
	kith_results_free(r);
	kith_profile_free(p);
	close_town(&t);
}

/*
 * At the desk only a postcode is known (issue 11, class 6).  The district's
 * centre puts a lunch club 4.5 km off, inside a 5 km limit, and kith says
 * the distance is approximate and may be further; with the postcodes
 * loaded, the home is 2.5 km the other way, 7 km from the club, and the
 * club is out of reach.
 */
static void test_a_home_known_by_postcode(void **state)
{
	town t;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	kith_postcode_report rep;
	const char *place = NULL;
	char *csv;

	(void)state;
	open_town(&t, "<feed xmlns=\"urn:kith:feed:1\" id=\"town\" version=\"1\">"
		      "<group id=\"lunch\"><name>Lunch Club</name><needs><need>loneliness</need></needs>"
		      "<venue><point lat=\"54.28573\" lon=\"-2.74397\"/></venue></group></feed>");
	o.today = TODAY;
	p = person("P", "postcode", "la9 7ab", "max-km", "5", "needs", "loneliness", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_int_equal(kith_results_home(r, &place), KITH_HOME_DISTRICT);
	assert_string_equal(place, "LA9");
	assert_non_null(find(r, "town/lunch"));
	assert_true(has_caution(find(r, "town/lunch"),
				"4.5 km from the centre of LA9, near their 5 km: from their home "
				"it may be further"));
	kith_results_free(r);

	kith_profile_free(p);
	close_town(&t);

	/*
	 * Without the directory, the venues the index lists in the home's own
	 * sector place it better than the district's centre; one geocoded far
	 * from its district is not believed.
	 */
	open_town(&t, "<feed xmlns=\"urn:kith:feed:1\" id=\"town\" version=\"1\">"
		      "<group id=\"lunch\"><name>Lunch Club</name><needs><need>loneliness</need></needs>"
		      "<venue><point lat=\"54.28573\" lon=\"-2.74397\"/></venue></group>"
		      "<group id=\"hall\"><name>Village Hall Coffee</name><needs><need>loneliness</need></needs>"
		      "<venue><postcode>LA9 7AX</postcode><point lat=\"54.34868\" lon=\"-2.74397\"/></venue></group>"
		      "<group id=\"far\"><name>Misplaced</name><venue><postcode>LA9 7ZZ</postcode>"
		      "<point lat=\"51.5\" lon=\"-0.1\"/></venue></group></feed>");
	p = person("P", "postcode", "la9 7ab", "max-km", "5", "needs", "loneliness", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_int_equal(kith_results_home(r, &place), KITH_HOME_SECTOR);
	assert_string_equal(place, "LA9 7");
	assert_non_null(find(r, "town/hall"));
	assert_null(find(r, "town/lunch")); /* 7 km from the sector's venues: beyond their 5 km */
	kith_results_free(r);

	csv = ks_write(t.dir, "onspd.csv", "pcds,lat,long,doterm\nLA9 7AB,54.34868,-2.74397,\n");
	assert_int_equal(kith_index_load_postcodes(t.idx, csv, &rep), 0);
	kith_matcher_free(t.m);
	t.m = NULL;
	assert_int_equal(kith_matcher_new(&t.m, t.idx, NULL, NULL), 0);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_int_equal(kith_results_home(r, &place), KITH_HOME_POSTCODE);
	assert_string_equal(place, "la9 7ab");
	assert_null(find(r, "town/lunch"));
	kith_results_free(r);
	kith_profile_free(p);
	free(csv);
	close_town(&t);
}

/*
 * One organisation, one building, one phone number, two services: a
 * publisher lists a group once, so two of its own listings are two groups,
 * and so are two listings that both give times and never the same one.
 */
static void test_one_organisation_two_services(void **state)
{
	town t;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;

	(void)state;
	open_town(&t,
		  "<feed xmlns=\"urn:kith:feed:1\" id=\"town\" version=\"1\">"
		  "<group id=\"recovery\"><name>Recovery Group</name><needs><need>loneliness</need></needs>"
		  "<venue><address>The Centre, High Street</address><point lat=\"54.3270\" lon=\"-2.7440\"/></venue>"
		  "<contact phone=\"01632 960001\"/></group>"
		  "<group id=\"mentoring\"><name>Peer Mentoring into Work</name><needs><need>loneliness</need></needs>"
		  "<venue><address>The Centre, High Street</address><point lat=\"54.3270\" lon=\"-2.7440\"/></venue>"
		  "<contact phone=\"01632 960001\"/></group></feed>");
	o.today = TODAY;
	p = person("P", "point", HOME, "needs", "loneliness", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_int_equal(kith_results_count(r), 2);
	assert_null(kith_results_get(r, 0)->also_listed);
	kith_results_free(r);
	kith_profile_free(p);
	close_town(&t);
}

/* A question not asked is unknown, not no: why-not says which (issue 11, class 6). */
static void test_online_not_asked(void **state)
{
	fixture *f = *state;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	kith_profile *p = profile("max-km", "5", NULL);
	char *text = NULL;

	o.today = TODAY;
	assert_int_equal(kith_matcher_why_not(f->m, p, &o, "testtown/far-online", &text), 0);
	assert_true(ks_contains(text, "whether you can join that way was not asked"));
	free(text);
	kith_profile_free(p);
	p = profile("max-km", "5", "online", "no", NULL);
	assert_int_equal(kith_matcher_why_not(f->m, p, &o, "testtown/far-online", &text), 0);
	assert_true(ks_contains(text, "it is online, and you do not go online"));
	free(text);
	kith_profile_free(p);
}

/*
 * Who a listing is for by where they live, in its words (issue 11, class
 * 2): "open to anyone living in Kendal" is read as Kendal's districts, by
 * the postcode table's town names; someone from Windermere is cautioned and
 * sent first to a larder with no such words; "in and around Kendal" is not
 * a restriction a table can check, so it is not read as one.
 */
static void test_who_a_listing_is_for_by_where_they_live(void **state)
{
	town t;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;

	(void)state;
	open_town(&t, "<feed xmlns=\"urn:kith:feed:1\" id=\"town\" version=\"1\">"
		      "<group id=\"kendal\"><name>Community Larder</name><description>Fruit, veg and bread. Open to "
		      "anyone living in Kendal, no referral needed.</description><needs><need>food</need></needs>"
		      "<venue><point lat=\"54.3270\" lon=\"-2.7440\"/></venue></group>"
		      "<group id=\"around\"><name>Food Pantry</name><description>Fruit, veg and bread for people "
		      "living in and around Kendal.</description><needs><need>food</need></needs>"
		      "<venue><point lat=\"54.3270\" lon=\"-2.7440\"/></venue></group></feed>");
	o.today = TODAY;
	p = person("P", "postcode", "LA23 1AA", "max-km", "20", "needs", "food", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_string_equal(kith_results_get(r, 0)->key, "town/around");
	assert_true(has_caution(find(r, "town/kendal"),
				"its listing says it is for people living in Kendal: check they do"));
	assert_false(has_caution(find(r, "town/around"), "its listing says it is for people living in"));
	kith_results_free(r);
	kith_profile_free(p);

	p = person("Q", "postcode", "LA9 4DH", "needs", "food", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_false(has_caution(find(r, "town/kendal"), "its listing says it is for people living in"));
	kith_results_free(r);
	kith_profile_free(p);
	close_town(&t);
}

/*
 * What a listing's words say of whom it is for counts for the people it
 * names as much as an eligibility tag (a veterans' breakfast for a
 * veteran); and one befriending service that comes to people, listed by
 * two publishers with its phone number, is shown once.
 */
static void test_said_for_them_and_one_service_twice(void **state)
{
	town t;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	const kith_result *res;

	(void)state;
	open_towns(
		&t,
		"<feed xmlns=\"urn:kith:feed:1\" id=\"council\" version=\"1\">"
		"<group id=\"breakfast\"><name>Armed Forces &amp; Veterans Breakfast Club</name>"
		"<needs><need>loneliness</need></needs><venue><point lat=\"54.3270\" lon=\"-2.7440\"/></venue></group>"
		"<group id=\"friends\"><name>Befriending</name><needs><need>loneliness</need></needs>"
		"<home-visits radius-km=\"10\"><point lat=\"54.3270\" lon=\"-2.7440\"/></home-visits>"
		"<contact phone=\"01632 960555\"/></group></feed>",
		"<feed xmlns=\"urn:kith:feed:1\" id=\"cvs\" version=\"1\">"
		"<group id=\"friends\"><name>Home Befriending Scheme</name><needs><need>loneliness</need></needs>"
		"<home-visits radius-km=\"10\"><point lat=\"54.3271\" lon=\"-2.7441\"/></home-visits>"
		"<contact phone=\"01632 960 555\"/></group></feed>");
	o.today = TODAY;
	p = person("P", "point", HOME, "needs", "loneliness", "circumstances", "veteran", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_non_null(res = find(r, "council/breakfast"));
	assert_string_equal(reason(res, "targeted"), "made for veterans, which fits you");
	assert_int_equal(kith_results_count(r), 2);
	assert_true((find(r, "council/friends") != NULL) + (find(r, "cvs/friends") != NULL) == 1);
	kith_results_free(r);
	kith_profile_free(p);
	close_town(&t);
}

/*
 * A telephone service has no place: two publishers' listings of one line
 * (one number, a word of the name in common) are one group; the same
 * charity's other line on the same number is another.
 */
static void test_one_telephone_line_twice(void **state)
{
	town t;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;

	(void)state;
	open_towns(
		&t,
		"<feed xmlns=\"urn:kith:feed:1\" id=\"council\" version=\"1\">"
		"<group id=\"friends\"><name>Telephone Friends</name><needs><need>loneliness</need></needs>"
		"<online how=\"telephone\"/><contact phone=\"01632 960777\"/></group>"
		"<group id=\"advice\"><name>Benefits Advice Line</name><needs><need>loneliness</need></needs>"
		"<online how=\"telephone\"/><contact phone=\"01632 960777\"/></group></feed>",
		"<feed xmlns=\"urn:kith:feed:1\" id=\"cvs\" version=\"1\">"
		"<group id=\"friends\"><name>Age Concern Telephone Friends</name><needs><need>loneliness</need></needs>"
		"<online how=\"telephone\"/><contact phone=\"01632 960 777\"/></group></feed>");
	o.today = TODAY;
	p = person("P", "point", HOME, "needs", "loneliness", "online", "yes", NULL);
	assert_int_equal(kith_matcher_run(t.m, p, &o, &r), 0);
	assert_int_equal(kith_results_count(r), 2);
	assert_non_null(find(r, "council/advice"));
	kith_results_free(r);
	kith_profile_free(p);
	close_town(&t);
}

/* The why-not text for key, for the person lonely_within_5km asks for (free() it). */
static char *why_not_lonely(clubs *c, const char *key)
{
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	kith_profile *p;
	char *text = NULL;

	p = person("P", "point", HOME, "max-km", "5", "needs", "loneliness", NULL);
	o.today = TODAY;
	o.top = 200;
	assert_int_equal(kith_matcher_why_not(c->m, p, &o, key, &text), 0);
	kith_profile_free(p);
	return text;
}

/*
 * FORMATS.md rules 3 and 8.  A venue known only by its address says
 * nothing of where it is: such a group is reachable only where it serves
 * an area that holds the home, and then says so.  A venue with a postcode
 * kith cannot place still counts (reach cannot be ruled out).  An area
 * served that does not hold the home breaks rule 8; a home given as a
 * point is in its nearest district (LA9 here), so a sector of it is unsure.
 */
static void test_places_and_areas_served(void **state)
{
	clubs c;
	kith_results *r;
	char *why;
	const kith_result *res;

	(void)state;
	clubs_open(&c,
		   "<group id=\"hall\"><name>Village Hall Lunch</name><needs><need>loneliness</need></needs>"
		   "<venue><address>The Village Hall, Church Lane</address></venue></group>"
		   "<group id=\"hall-la9\"><name>Church Hall Lunch</name><needs><need>loneliness</need></needs>"
		   "<venue><address>The Church Hall</address></venue><area-served>la8 LA9</area-served></group>"
		   "<group id=\"hall-ca\"><name>Carlisle Lunch</name><needs><need>loneliness</need></needs>"
		   "<area-served>CA</area-served></group>"
		   "<group id=\"abroad\"><name>Lunch Abroad</name><needs><need>loneliness</need></needs>"
		   "<venue><postcode>ZZ9 9ZZ</postcode></venue></group>"
		   "<group id=\"near-ca\"><name>Near but for Carlisle</name><needs><need>loneliness</need></needs>"
		   "<venue><point lat=\"54.3262\" lon=\"-2.7440\"/></venue><area-served>CA1 CA2</area-served></group>"
		   "<group id=\"near-la\"><name>Near for LA</name><needs><need>loneliness</need></needs>"
		   "<venue><point lat=\"54.3262\" lon=\"-2.7440\"/></venue><area-served>LA</area-served></group>"
		   "<group id=\"near-sector\"><name>Near for a sector</name><needs><need>loneliness</need></needs>"
		   "<venue><point lat=\"54.3262\" lon=\"-2.7440\"/></venue><area-served>LA9 4</area-served></group>");
	r = lonely_within_5km(&c, NULL, 200);
	assert_int_equal(kith_results_count(r), 120 + 3);
	assert_null(find(r, "many/hall"));
	assert_null(find(r, "many/hall-ca"));
	assert_null(find(r, "many/near-ca"));
	assert_null(find(r, "many/near-sector"));
	assert_non_null(res = find(r, "many/hall-la9"));
	assert_true(has_caution(res, "where it meets is not listed; it serves your area"));
	assert_non_null(find(r, "many/abroad"));
	assert_non_null(res = find(r, "many/near-la"));
	assert_string_equal(reason(res, "targeted"), "for people living in an area that includes yours");
	kith_results_free(r);

	why = why_not_lonely(&c, "many/hall");
	assert_true(ks_contains(why, "it does not say where it meets, nor which area it serves"));
	free(why);
	why = why_not_lonely(&c, "many/hall-ca");
	assert_true(ks_contains(why, "the area it serves is not yours"));
	free(why);
	why = why_not_lonely(&c, "many/near-ca");
	assert_true(ks_contains(why, "it is only for people living in CA1, CA2; your home is in LA9 (the district "
				     "nearest its point)"));
	free(why);
	why = why_not_lonely(&c, "many/near-sector");
	assert_true(ks_contains(why, "your home is known only as LA9"));
	free(why);
	clubs_close(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_access),
		cmocka_unit_test(test_eligibility),
		cmocka_unit_test(test_reach),
		cmocka_unit_test(test_reach_is_said),
		cmocka_unit_test(test_reasons_are_true),
		cmocka_unit_test(test_a_passion_in_a_long_story),
		cmocka_unit_test(test_what_an_activity_asks),
		cmocka_unit_test(test_who_a_listing_is_for),
		cmocka_unit_test(test_services_for_other_people),
		cmocka_unit_test(test_a_need_nothing_in_reach_serves),
		cmocka_unit_test(test_a_home_known_by_postcode),
		cmocka_unit_test(test_one_organisation_two_services),
		cmocka_unit_test(test_online_not_asked),
		cmocka_unit_test(test_who_a_listing_is_for_by_where_they_live),
		cmocka_unit_test(test_said_for_them_and_one_service_twice),
		cmocka_unit_test(test_one_telephone_line_twice),
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_next_session_honours_weeks),
		cmocka_unit_test(test_cost),
		cmocka_unit_test(test_closed_and_ended),
		cmocka_unit_test(test_language),
		cmocka_unit_test(test_explanations_add_up),
		cmocka_unit_test(test_factors),
		cmocka_unit_test(test_duplicates_shown_once),
		cmocka_unit_test(test_why_not),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_baselines_ignore_constraints),
		cmocka_unit_test(test_bad_weights_and_rules),
		cmocka_unit_test(test_cli_quick_query),
		cmocka_unit_test(test_cli_bad_profile),
		cmocka_unit_test(test_narrowing_never_hides_the_possible),
		cmocka_unit_test(test_places_and_areas_served),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
