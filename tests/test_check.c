/*
 * The feed checker (include/kith/check.h): the warnings a directory
 * maintainer can act on, duplicates within and across feeds, and the exact
 * text and place of a few messages.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "kith/check.h"
#include "kith/index.h"

#define DATA "tests/data/feeds/"
#define TODAY "2026-11-23"

/* ---- helpers ----------------------------------------------------------- */

typedef struct checked {
	int rc;
	char *text; /* every diagnostic, formatted, one a line */
	size_t errors, warnings;
} checked;

/* Checks the feeds (names under tests/data/feeds/, or paths) as of today. */
static checked check_files(const char *today, int stale_months, const char *const *names, size_t count)
{
	kith_check_opts opts = KITH_CHECK_OPTS_INIT;
	kith_diag_list *diags = NULL;
	kith_buf text = KITH_BUF_INIT;
	char **paths = calloc(count ? count : 1, sizeof(char *));
	checked c;
	size_t i;

	assert_non_null(paths);
	for (i = 0; i < count; i++) {
		kith_buf p = KITH_BUF_INIT;
		kith_buf_printf(&p, "%s%s", names[i][0] == '/' ? "" : ks_src(DATA), names[i]);
		paths[i] = kith_buf_detach(&p);
	}
	opts.today = today;
	opts.stale_months = stale_months;
	assert_int_equal(kith_diag_list_new(&diags), 0);
	c.rc = kith_check_feeds((const char *const *)paths, count, &opts, diags, NULL);
	for (i = 0; i < kith_diag_list_count(diags); i++) {
		char line[2048];
		const kith_diag *d = kith_diag_list_get(diags, i);
		const char *src = ks_src(DATA);
		size_t n = kith_diag_format(d, line, sizeof(line));
		assert_true(n < sizeof(line));
		/* messages are shown without the source tree's folder */
		kith_buf_puts(&text, strncmp(line, src, strlen(src)) == 0 ? line + strlen(src) : line);
		kith_buf_putc(&text, '\n');
	}
	c.text = kith_buf_detach(&text);
	c.errors = kith_diag_list_count_of(diags, KITH_DIAG_ERROR);
	c.warnings = kith_diag_list_count_of(diags, KITH_DIAG_WARNING);
	kith_diag_list_free(diags);
	for (i = 0; i < count; i++)
		free(paths[i]);
	free(paths);
	return c;
}

static checked check_one(const char *name)
{
	const char *names[] = {name};

	return check_files(TODAY, 0, names, 1);
}

static void assert_text(const checked *c, const char *expected)
{
	if (strcmp(c->text, expected) != 0)
		fprintf(stderr, "--- got:\n%s--- expected:\n%s", c->text, expected);
	assert_string_equal(c->text, expected);
}

/* A one-group feed written to dir, updated on the given date. */
static char *dated_feed(const char *dir, const char *updated)
{
	kith_buf b = KITH_BUF_INIT;
	char *path;

	kith_buf_printf(&b,
			"<?xml version=\"1.0\"?>\n"
			"<feed xmlns=\"urn:kith:feed:1\" id=\"dated\" version=\"1\">\n"
			"  <group id=\"g\" updated=\"%s\">\n"
			"    <name>Dated</name>\n"
			"    <venue><point lat=\"52.1\" lon=\"0.4\"/></venue>\n"
			"    <schedule><session day=\"mon\" start=\"10:00\" end=\"11:00\"/></schedule>\n"
			"    <access wheelchair=\"yes\"/>\n"
			"  </group>\n"
			"</feed>\n",
			updated);
	path = ks_write(dir, "dated.xml", b.ptr);
	kith_buf_release(&b);
	return path;
}

/* ---- tests -------------------------------------------------------------- */

static void test_clean_feeds(void **state)
{
	const char *names[] = {"full.xml", "other.xml", "delta.xml", "full-v2.xml", "odd-valid.xml"};
	checked c = check_files(TODAY, 0, names, 5);

	(void)state;
	assert_int_equal(c.rc, 0);
	assert_text(&c, "");
	free(c.text);
	c = check_files(TODAY, 0, names, 0);
	assert_int_equal(c.rc, 0);
	assert_text(&c, "");
	free(c.text);
}

static void test_each_warning(void **state)
{
	checked c = check_one("warnings.xml");

	(void)state;
	assert_int_equal(c.rc, 0);
	assert_int_equal(c.errors, 0);
	assert_text(
		&c,
		"warnings.xml:12:12: warning: need 'wellbeing' is not in the vocabulary (kept, and matched as text)\n"
		"warnings.xml:13:17: warning: activity 'zumba' is not in the vocabulary (kept, and matched as "
		"text)\n"
		"warnings.xml:17:18: warning: requires 'left-handed' is not in the vocabulary (kept, and "
		"matched as text)\n"
		"warnings.xml:19:3: warning: group 'stale' was last updated on 2025-11-01, over 12 months ago: "
		"check it still runs\n"
		"warnings.xml:25:3: warning: group 'undated' has no updated date, so nobody can tell whether it "
		"still runs\n"
		"warnings.xml:31:3: warning: group 'no-access' gives no accessibility facts: wheelchair users "
		"are told to phone first\n"
		"warnings.xml:41:3: warning: group 'no-schedule' has no schedule: nobody can tell when it "
		"meets\n");
	free(c.text);
}

static void test_stale_boundary(void **state)
{
	char *dir = ks_tmpdir();
	struct {
		const char *updated;
		int months, stale;
	} cases[] = {
		{"2025-11-22", 12, 1}, /* 366 days */
		{"2025-11-23", 12, 0}, /* 365 days: not over 12 months */
		{"2026-05-24", 6, 1},  /* 183 days */
		{"2026-05-25", 6, 0},  /* 182 days */
		{"2026-05-24", 0, 0},  /* 0 means the default, 12 */
		{"2027-01-01", 12, 0}, /* in the future */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = dated_feed(dir, cases[i].updated);
		const char *names[] = {path};
		checked c = check_files(TODAY, cases[i].months, names, 1);
		assert_int_equal(c.rc, 0);
		assert_int_equal(c.warnings, (size_t)cases[i].stale);
		if (cases[i].stale)
			assert_true(ks_contains(c.text, "warning: group 'g' was last updated on"));
		free(c.text);
		free(path);
	}
	/* no date given: today's; a listing from 1999 is stale whenever this runs */
	{
		char *path = dated_feed(dir, "1999-01-01");
		const char *names[] = {path};
		checked c = check_files(NULL, 0, names, 1);
		assert_int_equal(c.rc, 0);
		assert_true(ks_contains(c.text, ":3:3: warning: group 'g' was last updated on 1999-01-01, over 12 "
						"months ago: check it still runs\n"));
		free(c.text);
		free(path);
	}
	ks_rmtree(dir);
	free(dir);
}

static void test_duplicates_within_and_across_feeds(void **state)
{
	const char *names[] = {"dup-a.xml", "dup-b.xml"};
	const char *swapped[] = {"dup-b.xml", "dup-a.xml"};
	checked c = check_files(TODAY, 0, names, 2);
	kith_buf expected = KITH_BUF_INIT;

	(void)state;
	assert_int_equal(c.rc, 0);
	kith_buf_printf(&expected,
			"dup-b.xml:3:3: warning: group 'SC-101' looks like a duplicate of 'mens-shed' (%sdup-a.xml:3): "
			"same place, similar listing\n"
			"dup-a.xml:16:3: warning: group 'baby-rhyme-time' looks like a duplicate of 'rhymetime' "
			"(%sdup-a.xml:10): same place, similar listing\n",
			ks_src(DATA), ks_src(DATA));
	assert_text(&c, expected.ptr);
	free(c.text);

	/* the later file's listing is the duplicate */
	c = check_files(TODAY, 0, swapped, 2);
	assert_int_equal(c.warnings, 2);
	assert_true(
		ks_contains(c.text, "dup-a.xml:3:3: warning: group 'mens-shed' looks like a duplicate of 'SC-101'"));
	free(c.text);
	kith_buf_release(&expected);
}

static void test_errors_and_other_feeds(void **state)
{
	char *dir = ks_tmpdir(), *bad_b, *text;
	kith_buf b = KITH_BUF_INIT;
	const char *names[3];
	checked c;

	(void)state;
	/* dup-b with a broken session: it does not load, so it has no duplicates */
	text = ks_read(ks_src(DATA "dup-b.xml"));
	kith_buf_puts(&b, text);
	free(text);
	text = strstr(b.ptr, "end=\"21:00\"");
	assert_non_null(text);
	memcpy(text, "end=\"18:00\"", 11);
	bad_b = ks_write(dir, "dup-b.xml", b.ptr);
	names[0] = "dup-a.xml";
	names[1] = bad_b;
	names[2] = "warnings.xml";
	c = check_files(TODAY, 0, names, 3);
	assert_int_equal(c.rc, KITH_EINVALID);
	assert_int_equal(c.errors, 1);
	assert_true(ks_contains(c.text, "dup-b.xml:13:48: session end 18:00 is before start 19:00\n"));
	assert_false(ks_contains(c.text, "SC-101"));
	/* the files around it are still checked */
	assert_true(ks_contains(c.text, "group 'baby-rhyme-time' looks like a duplicate of 'rhymetime'"));
	assert_true(ks_contains(c.text, "warnings.xml:41:3: warning: group 'no-schedule' has no schedule"));
	free(c.text);
	free(bad_b);
	kith_buf_release(&b);
	ks_rmtree(dir);
	free(dir);
}

static void test_error_messages(void **state)
{
	const char *names[] = {"session-end.xml", "no-such-file.xml", "json.xml", "external-entity.xml"};
	checked c = check_files(TODAY, 0, names, 4);
	kith_buf expected = KITH_BUF_INIT;

	(void)state;
	assert_int_equal(c.rc, KITH_EINVALID);
	kith_buf_printf(&expected,
			"session-end.xml:6:40: session end 09:00 is before start 10:00\n"
			"session-end.xml:12:40: session end 10:00 is the same as start 10:00\n"
			"no-such-file.xml: cannot read file: No such file or directory\n"
			"json.xml:1:1: this looks like JSON, not XML: expected a kith feed (Open Referral and "
			"OpenActive JSON are "
			"read by kith import, or kith index --from)\n"
			"external-entity.xml:2:1: document type declarations (<!DOCTYPE>) are not allowed: kith "
			"files use no DTD and no entities\n");
	assert_text(&c, expected.ptr);
	kith_buf_release(&expected);
	free(c.text);
}

static void test_bad_date_option(void **state)
{
	const char *names[] = {"full.xml"};
	checked c = check_files("23/11/2026", 0, names, 1);

	(void)state;
	assert_int_equal(c.rc, KITH_EINVALID);
	assert_text(&c, "--date: '23/11/2026' is not a date (expected YYYY-MM-DD)\n");
	free(c.text);
}

static void test_default_options(void **state)
{
	const char *path = ks_src(DATA "session-end.xml");
	kith_diag_list *diags = NULL;

	(void)state;
	assert_int_equal(kith_diag_list_new(&diags), 0);
	assert_int_equal(kith_check_feeds(&path, 1, NULL, diags, NULL), KITH_EINVALID);
	assert_int_equal(kith_diag_list_count_of(diags, KITH_DIAG_ERROR), 2);
	kith_diag_list_free(diags);
}

/*
 * Listings no one can ever be shown (issue 12): a council export with no
 * venues, no area served, no online way in and no home visits.  Each is
 * named; one with an area served is counted apart (it is shown, with a
 * caution); a venue with a postcode, online and home visits all count as a place.
 */
static void test_never_shown(void **state)
{
	char *dir = ks_tmpdir(),
	     *path = ks_write(
		     dir, "council.xml",
		     "<feed xmlns=\"urn:kith:feed:1\" id=\"council\" version=\"1\">"
		     "<group id=\"nowhere\" updated=\"2026-11-01\"><name>Advice Line</name>"
		     "<schedule><by-appointment/></schedule></group>"
		     "<group id=\"area\" updated=\"2026-11-01\"><name>Carers Support</name>"
		     "<area-served>BS</area-served><schedule><by-appointment/></schedule></group>"
		     "<group id=\"postcode\" updated=\"2026-11-01\"><name>Lunch</name>"
		     "<venue><postcode>BS1 5TR</postcode></venue><schedule><by-appointment/></schedule>"
		     "<access wheelchair=\"yes\"/></group>"
		     "<group id=\"phone\" updated=\"2026-11-01\"><name>Phone Friends</name><online how=\"by phone\"/>"
		     "<schedule><by-appointment/></schedule></group>"
		     "</feed>");
	kith_diag_list *diags = NULL;
	kith_check_report report;
	kith_check_opts opts = KITH_CHECK_OPTS_INIT;
	const char *paths[1];
	size_t i, named = 0;

	(void)state;
	paths[0] = path;
	opts.today = "2026-11-23";
	assert_int_equal(kith_diag_list_new(&diags), 0);
	assert_int_equal(kith_check_feeds(paths, 1, &opts, diags, &report), 0);
	assert_int_equal(report.groups, 4);
	assert_int_equal(report.never_shown, 1);
	assert_int_equal(report.area_only, 1);
	for (i = 0; i < kith_diag_list_count(diags); i++)
		if (ks_contains(kith_diag_list_get(diags, i)->message, "no one can ever be shown it")) {
			assert_true(ks_contains(kith_diag_list_get(diags, i)->message, "'nowhere'"));
			named++;
		}
	assert_int_equal(named, 1);
	kith_diag_list_free(diags);
	ks_rmtree(dir);
	free(dir);
	free(path);
}

/*
 * A hostile file may raise a message per element: at most 100 are kept,
 * then one line saying how many more there were (issue 13, finding 2: one
 * profile printed 80,000 lines before the one that mattered); kith check,
 * whose job is the list, keeps them all.
 */
static void test_messages_capped(void **state)
{
	kith_buf xml = KITH_BUF_INIT;
	char *dir = ks_tmpdir(), *path;
	kith_diag_list *diags = NULL;
	const char *paths[1];
	size_t i, vocabulary = 0, more = 0;

	(void)state;
	kith_buf_puts(&xml, "<feed xmlns=\"urn:kith:feed:1\" id=\"noisy\" version=\"1\">\n");
	for (i = 0; i < 3000; i++)
		kith_buf_printf(&xml,
				"<group id=\"g%zu\" updated=\"2026-11-01\"><name>G</name><needs><need>no-such-need-%zu"
				"</need></needs><online/><schedule><by-appointment/></schedule></group>\n",
				i, i);
	kith_buf_puts(&xml, "</feed>\n");
	path = ks_write(dir, "noisy.xml", xml.ptr);
	paths[0] = path;
	assert_int_equal(kith_diag_list_new(&diags), 0);
	assert_int_equal(kith_check_feeds(paths, 1, NULL, diags, NULL), 0);
	for (i = 0; i < kith_diag_list_count(diags); i++)
		vocabulary += ks_contains(kith_diag_list_get(diags, i)->message, "is not in the vocabulary");
	assert_int_equal(vocabulary, 3000);
	kith_diag_list_free(diags);
	vocabulary = 0;
	{
		char db[4200];
		kith_index *idx = NULL;
		snprintf(db, sizeof(db), "%s/noisy.db", dir);
		assert_int_equal(kith_diag_list_new(&diags), 0);
		assert_int_equal(kith_index_open(&idx, db, KITH_OPEN_CREATE), 0);
		assert_int_equal(kith_index_load(idx, path, NULL, NULL, diags), 0);
		kith_index_free(idx);
	}
	for (i = 0; i < kith_diag_list_count(diags); i++) {
		const char *m = kith_diag_list_get(diags, i)->message;
		vocabulary += ks_contains(m, "is not in the vocabulary");
		more += ks_contains(m, "... and 2900 more problems in this file, not shown");
	}
	assert_int_equal(vocabulary, 100);
	assert_int_equal(more, 1);
	kith_diag_list_free(diags);
	kith_buf_release(&xml);
	ks_rmtree(dir);
	free(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_feeds),
		cmocka_unit_test(test_never_shown),
		cmocka_unit_test(test_messages_capped),
		cmocka_unit_test(test_each_warning),
		cmocka_unit_test(test_stale_boundary),
		cmocka_unit_test(test_duplicates_within_and_across_feeds),
		cmocka_unit_test(test_errors_and_other_feeds),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_bad_date_option),
		cmocka_unit_test(test_default_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
