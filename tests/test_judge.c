/*
 * The benchmark's hard-constraint checker: each of the seven rules of
 * FORMATS.md section 2, both ways, on the hand-written groups and profiles
 * in tests/data/judge/ (feed.xml says what each group is for).
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eval/judge.h"
#include "kith/profile.h"
#include "feed/profile.h"
#include "model/schedule.h"

typedef struct fixture {
	kith_group_set groups;
	kith_profile *walker, *housebound, *unknown;
	long today;
} fixture;

static kith_profile *load_profile(const char *name)
{
	kith_profile *p = NULL;
	char path[256];

	snprintf(path, sizeof(path), "tests/data/judge/%s", name);
	assert_int_equal(kith_profile_load(&p, ks_src(path), NULL), 0);
	return p;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	kith_diag_list *diags = NULL;

	assert_non_null(f);
	assert_int_equal(kith_diag_list_new(&diags), 0);
	assert_int_equal(kith_group_set_read(&f->groups, ks_src("tests/data/judge/feed.xml"), diags), 0);
	assert_int_equal(kith_diag_list_count_of(diags, KITH_DIAG_ERROR), 0);
	kith_diag_list_free(diags);
	kith_group_set_finish(&f->groups);
	f->walker = load_profile("walker.xml");
	f->housebound = load_profile("housebound.xml");
	f->unknown = load_profile("unknown.xml");
	assert_int_equal(kith_date_parse("2026-11-23", &f->today), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	kith_group_set_release(&f->groups);
	kith_profile_free(f->walker);
	kith_profile_free(f->housebound);
	kith_profile_free(f->unknown);
	free(f);
	return 0;
}

/* The rule group `id` of the judge feed breaks for p, with the reason checked to hold `word`. */
static int rule_of(const fixture *f, const kith_profile *p, const char *id, const char *word)
{
	char key[128];
	const kith_group *g;
	kith_buf why = KITH_BUF_INIT;
	int rule;

	snprintf(key, sizeof(key), "judge/%s", id);
	g = kith_group_set_find(&f->groups, key);
	if (!g)
		fail_msg("no group '%s' in the judge feed", key);
	rule = kith_judge(kith_profile_patient(p), g, f->today, &why);
	if (rule != KITH_RULE_NONE && why.size == 0)
		fail_msg("%s: rule %d broken but no reason given", id, rule);
	if (rule == KITH_RULE_NONE && why.size != 0)
		fail_msg("%s: no rule broken but a reason '%s'", id, why.ptr);
	if (word && !ks_contains(why.ptr, word))
		fail_msg("%s: reason '%s' does not mention '%s'", id, why.ptr, word);
	/* Without a buffer the answer is the same. */
	assert_int_equal(kith_judge(kith_profile_patient(p), g, f->today, NULL), rule);
	kith_buf_release(&why);
	return rule;
}

static void test_rule_names(void **state)
{
	(void)state;
	assert_string_equal(kith_rule_name(KITH_RULE_NONE), "none");
	assert_string_equal(kith_rule_name(KITH_RULE_ACCESS), "access");
	assert_string_equal(kith_rule_name(KITH_RULE_ELIGIBILITY), "eligibility");
	assert_string_equal(kith_rule_name(KITH_RULE_REACH), "reach");
	assert_string_equal(kith_rule_name(KITH_RULE_SCHEDULE), "schedule");
	assert_string_equal(kith_rule_name(KITH_RULE_COST), "cost");
	assert_string_equal(kith_rule_name(KITH_RULE_CLOSED), "closed");
	assert_string_equal(kith_rule_name(KITH_RULE_LANGUAGE), "language");
	assert_string_equal(kith_rule_name(KITH_RULE_AREA), "area");
	assert_string_equal(kith_rule_name(9), "unknown");
	assert_string_equal(kith_rule_name(-1), "unknown");
}

/* Rule 1: only "no" breaks it, and only for wheelchair and step-free access. */
static void test_access(void **state)
{
	fixture *f = *state;

	assert_int_equal(rule_of(f, f->walker, "wheelchair-no", "wheelchair"), KITH_RULE_ACCESS);
	assert_int_equal(rule_of(f, f->walker, "step-free-no", "step-free"), KITH_RULE_ACCESS);
	assert_int_equal(rule_of(f, f->walker, "access-unknown", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "access-yes", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "plain", NULL), KITH_RULE_NONE);
	/* Someone who needs neither is not bothered by a "no". */
	assert_int_equal(rule_of(f, f->unknown, "wheelchair-no", NULL), KITH_RULE_NONE);
}

/* Rule 2: age bands (inclusive), gender, required circumstances; referral is not a rule. */
static void test_eligibility(void **state)
{
	fixture *f = *state;

	assert_int_equal(rule_of(f, f->walker, "over-75", "75"), KITH_RULE_ELIGIBILITY);
	assert_int_equal(rule_of(f, f->walker, "over-60", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "under-65", "65"), KITH_RULE_ELIGIBILITY);
	assert_int_equal(rule_of(f, f->walker, "men-only", "men"), KITH_RULE_ELIGIBILITY);
	assert_int_equal(rule_of(f, f->walker, "women-only", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "requires-veteran", "veteran"), KITH_RULE_ELIGIBILITY);
	assert_int_equal(rule_of(f, f->walker, "requires-carer", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->housebound, "women-only", "women"), KITH_RULE_ELIGIBILITY);
	/* No age, gender or circumstances given: nothing to compare, so nothing broken... */
	assert_int_equal(rule_of(f, f->unknown, "over-75", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->unknown, "men-only", NULL), KITH_RULE_NONE);
	/* ...except a requirement, which the person must be known to meet. */
	assert_int_equal(rule_of(f, f->unknown, "requires-carer", "carer"), KITH_RULE_ELIGIBILITY);
}

/* Rule 3: a venue within reach, usable online, or home visits that reach the person. */
static void test_reach(void **state)
{
	fixture *f = *state;

	assert_int_equal(rule_of(f, f->walker, "far", "beyond 3 km"), KITH_RULE_REACH);
	assert_int_equal(rule_of(f, f->walker, "far-online", "cannot join online"), KITH_RULE_REACH);
	assert_int_equal(rule_of(f, f->walker, "far-home-visits", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "home-visits-short", "home visits reach 5 km"), KITH_RULE_REACH);
	assert_int_equal(rule_of(f, f->walker, "phone-only", "no venue"), KITH_RULE_REACH);
	assert_int_equal(rule_of(f, f->walker, "near-and-far", NULL), KITH_RULE_NONE);
	/* Housebound: no venue counts, however near; phone and home visits do. */
	assert_int_equal(rule_of(f, f->housebound, "plain", "housebound"), KITH_RULE_REACH);
	assert_int_equal(rule_of(f, f->housebound, "far-online", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->housebound, "phone-only", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->housebound, "far-home-visits", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->housebound, "home-visits-short", "housebound"), KITH_RULE_REACH);
	/* No home and no limit: any venue may be in reach; online needs online="yes". */
	assert_int_equal(rule_of(f, f->unknown, "far", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->unknown, "phone-only", NULL), KITH_RULE_REACH);
}

/* Rule 4: 30 minutes of overlap with one window; by-appointment always fits; weeks do not matter. */
static void test_schedule(void **state)
{
	fixture *f = *state;

	assert_int_equal(rule_of(f, f->walker, "thursday", "thu 10:00-12:00"), KITH_RULE_SCHEDULE);
	assert_int_equal(rule_of(f, f->walker, "tue-15-minutes", "30 minutes"), KITH_RULE_SCHEDULE);
	assert_int_equal(rule_of(f, f->walker, "tue-30-minutes", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "thu-or-appointment", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "tue-first-week", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "plain", NULL), KITH_RULE_NONE); /* no schedule: unknown */
	/* No availability given: any time. */
	assert_int_equal(rule_of(f, f->unknown, "thursday", NULL), KITH_RULE_NONE);
}

/* Rule 5: any known cost above the budget per session, whatever it is per. */
static void test_cost(void **state)
{
	fixture *f = *state;

	assert_int_equal(rule_of(f, f->walker, "month-30", "a month"), KITH_RULE_COST);
	assert_int_equal(rule_of(f, f->walker, "session-350", "3.50"), KITH_RULE_COST);
	assert_int_equal(rule_of(f, f->walker, "course-12", "for the course"), KITH_RULE_COST);
	assert_int_equal(rule_of(f, f->walker, "session-3", NULL), KITH_RULE_NONE); /* equal is within */
	assert_int_equal(rule_of(f, f->walker, "week-250", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "free", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "plain", NULL), KITH_RULE_NONE); /* cost unknown */
	/* No budget: no limit. */
	assert_int_equal(rule_of(f, f->unknown, "month-30", NULL), KITH_RULE_NONE);
}

/* Rule 6: closed, or a course whose end date is before today (ending today is still on). */
static void test_closed(void **state)
{
	fixture *f = *state;
	long later;

	assert_int_equal(rule_of(f, f->walker, "closed", "closed"), KITH_RULE_CLOSED);
	assert_int_equal(rule_of(f, f->walker, "ended", "2026-10-21"), KITH_RULE_CLOSED);
	assert_int_equal(rule_of(f, f->walker, "ends-today", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "waiting-list", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->walker, "starts-in-january", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->unknown, "closed", NULL), KITH_RULE_CLOSED);
	/* The day after, the course that ended today has ended. */
	assert_int_equal(kith_date_parse("2026-11-24", &later), 0);
	assert_int_equal(kith_judge(kith_profile_patient(f->walker),
				    kith_group_set_find(&f->groups, "judge/ends-today"), later, NULL),
			 KITH_RULE_CLOSED);
	assert_int_equal(kith_judge(kith_profile_patient(f->walker), kith_group_set_find(&f->groups, "judge/ended"),
				    f->today - 40, NULL),
			 KITH_RULE_NONE);
}

/* Rule 7: a shared language; absent means English on either side. */
static void test_language(void **state)
{
	fixture *f = *state;

	assert_int_equal(rule_of(f, f->walker, "polish-only", "runs in pl"), KITH_RULE_LANGUAGE);
	assert_int_equal(rule_of(f, f->walker, "english-and-polish", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->unknown, "polish-only", "speaks en"), KITH_RULE_LANGUAGE);
	assert_int_equal(rule_of(f, f->housebound, "polish-online", NULL), KITH_RULE_NONE);
	assert_int_equal(rule_of(f, f->housebound, "phone-only", NULL), KITH_RULE_NONE); /* en, and he speaks en */
}

/* The first rule broken is the one reported. */
static void test_first_rule_wins(void **state)
{
	fixture *f = *state;

	/* polish-online: no venue and walker has no internet (3) before the language (7). */
	assert_int_equal(rule_of(f, f->walker, "polish-online", NULL), KITH_RULE_REACH);
	/* month-30 for the housebound man: reach (3) before cost (he has no budget anyway). */
	assert_int_equal(rule_of(f, f->housebound, "month-30", NULL), KITH_RULE_REACH);
	/* under-65 for the housebound man: eligibility (2) before reach (3). */
	assert_int_equal(rule_of(f, f->housebound, "under-65", NULL), KITH_RULE_ELIGIBILITY);
}

static const char delta_feed[] =
	"<feed xmlns=\"urn:kith:feed:1\" id=\"judge\" version=\"1\" mode=\"delta\">\n"
	"  <group id=\"plain\"><name>plain, now closed</name><capacity status=\"closed\"/></group>\n"
	"  <group id=\"brand-new\"><name>new</name></group>\n"
	"  <withdrawn id=\"closed\"/>\n"
	"</feed>\n";

static const char full_feed[] = "<feed xmlns=\"urn:kith:feed:1\" id=\"judge\" version=\"1\">\n"
				"  <group id=\"only\"><name>the only one</name></group>\n"
				"</feed>\n";

static const char other_feed[] = "<feed xmlns=\"urn:kith:feed:1\" id=\"other\" version=\"1\">\n"
				 "  <group id=\"plain\"><name>another plain</name></group>\n"
				 "</feed>\n";

/* The set follows the feed modes: delta replaces and withdraws, full replaces the feed's groups. */
static void test_group_set_modes(void **state)
{
	fixture *f = *state;
	kith_group_set set = KITH_GROUP_SET_INIT;
	kith_diag_list *diags = NULL;
	char *dir = ks_tmpdir(), *delta = ks_write(dir, "delta.xml", delta_feed),
	     *full = ks_write(dir, "full.xml", full_feed), *other = ks_write(dir, "other.xml", other_feed),
	     *bad = ks_write(dir, "bad.xml", "<feed");
	size_t before;

	(void)f;
	assert_int_equal(kith_diag_list_new(&diags), 0);
	assert_int_equal(kith_group_set_read(&set, ks_src("tests/data/judge/feed.xml"), diags), 0);
	before = set.count;
	assert_int_equal(kith_group_set_read(&set, other, diags), 0);
	assert_int_equal(kith_group_set_read(&set, delta, diags), 0);
	kith_group_set_finish(&set);
	assert_int_equal(set.count, before + 1 + 1 - 1);
	assert_null(kith_group_set_find(&set, "judge/closed"));
	assert_non_null(kith_group_set_find(&set, "judge/brand-new"));
	assert_int_equal(kith_group_set_find(&set, "judge/plain")->capacity, KITH_CAPACITY_CLOSED);
	assert_string_equal(kith_group_set_find(&set, "other/plain")->name, "another plain");
	assert_null(kith_group_set_find(&set, "judge"));
	assert_null(kith_group_set_find(&set, "judge/plai"));

	assert_int_equal(kith_group_set_read(&set, full, diags), 0);
	kith_group_set_finish(&set);
	assert_int_equal(set.count, 2);
	assert_non_null(kith_group_set_find(&set, "judge/only"));
	assert_non_null(kith_group_set_find(&set, "other/plain"));
	assert_null(kith_group_set_find(&set, "judge/plain"));

	/* A broken file is reported, not half-read into a crash. */
	assert_int_equal(kith_group_set_read(&set, bad, diags), KITH_EINVALID);
	assert_true(kith_diag_list_count_of(diags, KITH_DIAG_ERROR) > 0);

	kith_group_set_release(&set);
	kith_diag_list_free(diags);
	ks_rmtree(dir);
	free(delta);
	free(full);
	free(other);
	free(bad);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_names),
		cmocka_unit_test_setup_teardown(test_access, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eligibility, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reach, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schedule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_language, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_rule_wins, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_set_modes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
