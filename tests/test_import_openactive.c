/*
 * The OpenActive importer (kith_import, format openactive) on small
 * hand-written RPDE pages and items in tests/data/import/openactive/, one
 * or more mapping rules or one bad input each, and on the real feed items
 * in ../shared when they are there.  Each feed written is checked as text
 * and loaded into a real index in a temporary folder.
 */
#include "support.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kith/import.h"
#include "kith/index.h"
#include "util/buf.h"

#define DATA "tests/data/import/openactive/"

typedef struct result {
	int rc;
	char *xml;      /* the feed written ("" when nothing was) */
	char *messages; /* every diagnostic, one a line */
	kith_import_report report;
} result;

static void result_release(result *r)
{
	free(r->xml);
	free(r->messages);
	memset(r, 0, sizeof(*r));
}

/* The diagnostics as "file:line:col: message" lines. */
static char *messages_of(const kith_diag_list *diags)
{
	kith_buf b = KITH_BUF_INIT;
	char line[1024];
	size_t i;

	kith_buf_puts(&b, "");
	for (i = 0; i < kith_diag_list_count(diags); i++) {
		kith_diag_format(kith_diag_list_get(diags, i), line, sizeof(line));
		kith_buf_printf(&b, "%s\n", line);
	}
	return kith_buf_detach(&b);
}

/* Imports the files (names under DATA, or absolute paths) with the given mode. */
static void run_paths(result *r, const char *const *paths, size_t n, int delta)
{
	kith_import_opts opts = KITH_IMPORT_OPTS_INIT;
	kith_diag_list *diags = NULL;
	FILE *out = tmpfile();
	kith_buf b = KITH_BUF_INIT;
	char chunk[4096];
	size_t got;

	assert_non_null(out);
	assert_int_equal(kith_diag_list_new(&diags), 0);
	opts.feed_id = "oa-test";
	opts.delta = delta;
	r->rc = kith_import(KITH_IMPORT_OPENACTIVE, paths, n, &opts, out, &r->report, diags);
	rewind(out);
	kith_buf_puts(&b, "");
	while ((got = fread(chunk, 1, sizeof(chunk), out)) > 0)
		kith_buf_put(&b, chunk, got);
	fclose(out);
	r->xml = kith_buf_detach(&b);
	r->messages = messages_of(diags);
	kith_diag_list_free(diags);
}

static void run(result *r, const char *name, int delta)
{
	char *path = strdup(ks_src(DATA));
	kith_buf b = KITH_BUF_INIT;
	const char *paths[1];

	kith_buf_printf(&b, "%s%s", path, name);
	paths[0] = b.ptr;
	run_paths(r, paths, 1, delta);
	kith_buf_release(&b);
	free(path);
}

static void run_two(result *r, const char *first, const char *second)
{
	kith_buf a = KITH_BUF_INIT, b = KITH_BUF_INIT;
	const char *paths[2];

	kith_buf_printf(&a, "%s", ks_src(DATA));
	kith_buf_puts(&a, first);
	kith_buf_printf(&b, "%s", ks_src(DATA));
	kith_buf_puts(&b, second);
	paths[0] = a.ptr;
	paths[1] = b.ptr;
	run_paths(r, paths, 2, 0);
	kith_buf_release(&a);
	kith_buf_release(&b);
}

/* Loads the feed r wrote into a new index; every group written must load, and nothing break the format. */
static void assert_loads(const result *r)
{
	char *dir = ks_tmpdir(), *feed = ks_write(dir, "feed.xml", r->xml);
	kith_buf db = KITH_BUF_INIT;
	kith_index *idx = NULL;
	kith_load_report report;
	kith_diag_list *diags = NULL;
	int rc;

	kith_buf_printf(&db, "%s/index.db", dir);
	assert_int_equal(kith_index_open(&idx, db.ptr, KITH_OPEN_CREATE), 0);
	assert_int_equal(kith_diag_list_new(&diags), 0);
	rc = kith_index_load(idx, feed, NULL, &report, diags);
	if (rc != 0 || report.errors) {
		char *m = messages_of(diags);
		fprintf(stderr, "%s\n%s", r->xml, m);
		free(m);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(report.errors, 0);
	assert_int_equal(report.added, r->report.written);
	kith_diag_list_free(diags);
	kith_index_free(idx);
	kith_buf_release(&db);
	free(feed);
	ks_rmtree(dir);
	free(dir);
}

#define assert_has(text, needle)                                             \
	do {                                                                 \
		if (!ks_contains((text), (needle)))                          \
			fail_msg("expected '%s' in:\n%s", (needle), (text)); \
	} while (0)
#define assert_lacks(text, needle)                                                 \
	do {                                                                       \
		if (ks_contains((text), (needle)))                                 \
			fail_msg("did not expect '%s' in:\n%s", (needle), (text)); \
	} while (0)

/* ---- mapping -------------------------------------------------------------- */

/* A series with its dated sessions in one page: name, text, organiser, venue, schedule, eligibility, access, cost. */
static void test_series_with_its_sessions(void **state)
{
	result r = {0};

	(void)state;
	run(&r, "page.json", 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 10);
	assert_int_equal(r.report.written, 4);
	assert_int_equal(r.report.skipped, 4);
	assert_has(r.xml, "<group id=\"example.org-session-series-walk-1\" updated=\"2024-03-05\">");
	assert_has(r.xml, "<name>Ladies' Health Walk</name>");
	assert_has(r.xml, "<organisation>Bristol Walks CIC</organisation>");
	/* HTML as text; what has no place in the format kept as words */
	assert_has(r.xml, "A gentle walk round the park &amp; a cup of tea after.\n\n- Flat paths");
	assert_has(r.xml, "Attendee instructions: Wear comfortable shoes.");
	assert_has(r.xml, "Level: Beginner");
	assert_has(r.xml, "Accessibility support: Visual impairment");
	/* the two dated sessions are the Monday of the weekly schedule: no new session, their dates noted */
	assert_has(r.xml, "Dates: 2024-06-03, 2024-06-10");
	assert_has(r.xml, "<session day=\"mon\" start=\"10:00\" end=\"11:00\"/>\n"
			  "      <session day=\"wed\" start=\"10:00\" end=\"11:00\"/>\n    </schedule>");
	/* the concept by its id URL */
	assert_has(r.xml, "<activities><activity>walking</activity></activities>");
	assert_has(r.xml, "<needs><need>physical-activity</need></needs>");
	assert_has(r.xml, "<address>Castle Park, Wine Street, Bristol</address>\n      <postcode>BS1 4SD</postcode>\n"
			  "      <point lat=\"51.455900\" lon=\"-2.589100\"/>");
	assert_has(r.xml, "<access wheelchair=\"yes\"/>");
	assert_has(r.xml, "<eligibility min-age=\"50\" gender=\"female\"/>");
	assert_has(r.xml, "<cost free=\"yes\"/>\n    <capacity status=\"open\"/>"); /* one session has places */
	assert_has(r.xml, "<contact phone=\"0117 000 0000\" email=\"hello@example.org\"/>");
	assert_loads(&r);
	result_release(&r);
}

/* A course: its dates bound the schedule, its price is per course; a label maps as the id does. */
static void test_course(void **state)
{
	result r = {0};

	(void)state;
	run(&r, "page.json", 0);
	assert_has(r.xml, "<group id=\"example.org-courses-yoga-course\">");
	assert_has(r.xml, "<activities><activity>yoga</activity></activities>");
	assert_has(r.xml, "<schedule starts=\"2024-09-02\" ends=\"2024-10-21\">\n"
			  "      <session day=\"mon\" start=\"18:30\" end=\"19:45\"/>"); /* endTime from duration */
	assert_has(r.xml, "<eligibility min-age=\"18\" max-age=\"64\" gender=\"male\"/>");
	assert_has(r.xml, "<cost amount=\"48.00\" per=\"course\"/>");
	assert_has(r.xml, "<address>St Paul's Church Hall, 12 Church Lane, Leeds LS1 1AA</address>");
	result_release(&r);
}

/* A one-off online event is still a session, its date noted; no places left is closed; not pounds is no cost. */
static void test_one_off_online_event(void **state)
{
	result r = {0};

	(void)state;
	run(&r, "page.json", 0);
	assert_has(r.xml, "<name>Online Tai Chi taster</name>\n    <description>Activity: Tai Chi\n\nDate: 2024-06-01"
			  "</description>");
	assert_has(r.xml, "<activities><activity>tai-chi</activity></activities>\n"
			  "    <online how=\"https://example.org/join\"/>\n"
			  "    <schedule>\n      <session day=\"sat\" start=\"14:00\" end=\"16:00\"/>");
	assert_has(r.xml, "<cost free=\"yes\"/>\n    <capacity status=\"closed\"/>");
	assert_has(r.xml, "<name>Aqua swim</name>\n    <description>Activity: Swimming</description>\n"
			  "    <needs><need>physical-activity</need></needs>\n"
			  "    <activities><activity>swimming</activity></activities>\n  </group>");
	result_release(&r);
}

/* What is not a session or course is left out, each with where and why. */
static void test_left_out_with_reasons(void **state)
{
	result r = {0};

	(void)state;
	run(&r, "page.json", 0);
	assert_has(r.messages, "page.json: warning: item 4 (id gone-1) is deleted: left out");
	assert_has(r.messages, "item 8 (id place-1) (type Place) is not a session, course, event or facility");
	assert_has(r.messages, "item 9 (id slot-1): a Slot whose facility use 'https://example.org/facility-uses/9' "
			       "is not in the inputs: left out");
	assert_has(r.messages, "item 10 is not an object: left out");
	assert_lacks(r.xml, "A hall");
	result_release(&r);
}

/* In a delta, a deleted item is counted and said, but not written: the core cannot write <withdrawn> yet. */
static void test_delta_deleted(void **state)
{
	result r = {0};

	(void)state;
	run(&r, "page.json", 1);
	assert_int_equal(r.rc, 0);
	assert_has(r.xml, "mode=\"delta\"");
	assert_has(r.messages,
		   "item 4 (id gone-1) is deleted: not withdrawn (the import cannot write <withdrawn> yet)");
	assert_lacks(r.xml, "withdrawn");
	assert_lacks(r.xml, "gone-1");
	assert_loads(&r);
	result_release(&r);
}

/* Sessions in one file join their series in another, in either order; UTC times are UK times. */
static void test_join_across_files(void **state)
{
	const char *orders[2][2] = {{"series.json", "sessions.json"}, {"sessions.json", "series.json"}};
	int k;

	(void)state;
	for (k = 0; k < 2; k++) {
		result r = {0};
		run_two(&r, orders[k][0], orders[k][1]);
		assert_int_equal(r.rc, 0);
		assert_int_equal(r.report.records, 4);
		assert_int_equal(r.report.written, 1);
		assert_int_equal(r.report.skipped, 1);
		assert_has(r.xml, "<name>Tai Chi in the Community Centre</name>");
		assert_has(r.xml, "<activities><activity>tai-chi</activity></activities>");
		assert_has(r.xml, "<postcode>LS6 1AA</postcode>");
		/* 09:00Z in July is 10:00 British Summer Time; in January, 09:00 */
		assert_has(r.xml, "<session day=\"mon\" start=\"10:00\" end=\"11:00\"/>");
		assert_has(r.xml, "<session day=\"mon\" start=\"09:00\" end=\"10:00\"/>");
		assert_has(r.xml, "Dates: 2024-01-08, 2024-07-01");
		assert_has(r.messages, "sessions.json: warning: item 3 (id lost): a ScheduledSession whose superEvent "
				       "'https://example.org/session-series/nowhere' is not in the inputs: left out");
		assert_loads(&r);
		result_release(&r);
	}
}

/* Sessions that embed one series make one group; the cheapest price is the cost, all are listed; cancelled is not on.
 */
static void test_embedded_superevent(void **state)
{
	result r = {0};

	(void)state;
	run(&r, "embedded.json", 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 4);
	assert_int_equal(r.report.written, 1);
	assert_int_equal(r.report.skipped, 1);
	/* a cancelled date is no session; a cancelled series is left out */
	assert_lacks(r.xml, "2024-05-17");
	assert_lacks(r.xml, "day=\"fri\"");
	assert_has(r.messages, "item 4 (id off) is cancelled (eventStatus EventCancelled): left out");
	assert_has(r.xml, "<group id=\"example.org-session-series-badminton\">");
	assert_has(r.xml, "Prices: Member \xC2\xA3"
			  "4.50; Non-member \xC2\xA3"
			  "6.00");
	assert_has(r.xml, "Dates: 2024-05-02, 2024-05-09");
	assert_has(r.xml, "<schedule>\n      <session day=\"thu\" start=\"19:00\" end=\"21:00\"/>\n    </schedule>");
	assert_has(r.xml, "<activities><activity>sport</activity></activities>");
	assert_has(r.xml, "<cost amount=\"4.50\" per=\"session\"/>");
	assert_loads(&r);
	result_release(&r);
}

/* Two items with one id: the one modified later is the update, wherever it is; sessions join it. */
static void test_update_wins(void **state)
{
	result r = {0};

	(void)state;
	run(&r, "update.json", 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 3);
	assert_int_equal(r.report.written, 1);
	assert_int_equal(r.report.skipped, 1);
	assert_has(r.xml, "<name>Knit and natter (new name)</name>");
	assert_has(r.xml, "<session day=\"tue\" start=\"14:00\" end=\"16:00\"/>");
	assert_has(r.messages, "item 2 (id s1): another item with its id is its update: this one left out");
	assert_loads(&r);
	result_release(&r);
}

/* ---- bad inputs: records ---------------------------------------------------- */

static void test_superevent_missing(void **state)
{
	result r = {0};

	(void)state;
	run(&r, "missing-super.json", 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 1);
	assert_int_equal(r.report.written, 0);
	assert_int_equal(r.report.skipped, 1);
	assert_has(r.messages, "item 1 (id alone): a ScheduledSession whose superEvent is not given: left out");
	assert_loads(&r);
	result_release(&r);
}

/* Times that are not times: no session, the schedule kept as words and counted; a fortnightly one too. */
static void test_times_not_times(void **state)
{
	result r = {0};

	(void)state;
	run(&r, "bad-times.json", 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 3);
	assert_int_equal(r.report.scheduled, 0);
	assert_int_equal(r.report.hours_text, 2);
	assert_lacks(r.xml, "<session");
	assert_has(r.xml, "Schedule: Tuesday 25:99-soon, repeats P1W");
	assert_has(r.xml, "Schedule: Friday 14:00-15:00, repeats P2W");
	assert_has(r.messages, "item 1 (id bad-clock): eventSchedule time '25:99' is not a time: kept as text");
	assert_has(r.messages, "item 2 (id bad-date): startDate 'yesterday' is not a date: left out");
	assert_loads(&r);
	result_release(&r);
}

static void test_start_after_end(void **state)
{
	result r = {0};

	(void)state;
	run(&r, "start-after-end.json", 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 2);
	assert_lacks(r.xml, "<schedule");
	assert_has(r.messages, "item 1 (id backwards): startDate 2024-09-01 is after endDate 2024-06-01: the course's "
			       "dates left out");
	assert_has(r.messages, "item 2 (id backwards-session): startDate 2024-05-02T21:00:00+01:00 is after endDate "
			       "2024-05-02T19:00:00+01:00: left out");
	assert_loads(&r);
	result_release(&r);
}

/* An RPDE page whose items are of the wrong type: each left out, the page still read. */
static void test_items_of_the_wrong_type(void **state)
{
	result r = {0};

	(void)state;
	run(&r, "wrong-items.json", 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 5);
	assert_int_equal(r.report.written, 0);
	assert_int_equal(r.report.skipped, 5);
	assert_has(r.messages, "item 2 is not an object: left out");
	assert_has(r.messages, "item 4 (id org) (type Organization) is not a session");
	assert_has(r.messages, "item 5 (id nodata) has no data object: left out");
	result_release(&r);
}

/* ---- bad inputs: files (nothing written) ------------------------------------------ */

static void assert_refused(const char *name, int code, const char *message)
{
	result r = {0};

	run(&r, name, 0);
	assert_int_equal(r.rc, code);
	assert_string_equal(r.xml, "");
	assert_has(r.messages, message);
	result_release(&r);
}

static void test_bad_files(void **state)
{
	(void)state;
	assert_refused("not-json.json", KITH_EINVALID, "not-json.json:1:4: not valid JSON");
	assert_refused("items-not-list.json", KITH_EINVALID,
		       "\"items\" is not a list: expected an OpenActive RPDE page ({\"items\": [...]})");
	assert_refused("duplicate-keys.json", KITH_EINVALID, "duplicate object key");
	assert_refused("truncated.json", KITH_EINVALID, "premature end of input");
	assert_refused("not-openactive.json", KITH_EINVALID,
		       "expected an OpenActive RPDE page ({\"items\": [...]}), an RPDE item or an OpenActive object");
}

/* Written at run time: an empty file, invalid UTF-8, nesting too deep; and a good file before a bad one. */
static void test_bad_bytes(void **state)
{
	char *dir = ks_tmpdir(), *empty = ks_write(dir, "empty.json", "");
	char *utf8 = ks_write(dir, "utf8.json", "{\"@type\": \"SessionSeries\", \"name\": \"Caf\xE9\"}");
	kith_buf deep = KITH_BUF_INIT;
	char *nested;
	const char *paths[2];
	result r = {0};
	int i;

	(void)state;
	for (i = 0; i < 100; i++)
		kith_buf_puts(&deep, "{\"items\": [");
	nested = ks_write(dir, "deep.json", deep.ptr);
	paths[0] = empty;
	run_paths(&r, paths, 1, 0);
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.messages, "the file is empty: expected JSON");
	result_release(&r);
	paths[0] = utf8;
	run_paths(&r, paths, 1, 0);
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.messages, "not valid JSON");
	assert_string_equal(r.xml, "");
	result_release(&r);
	paths[0] = nested;
	run_paths(&r, paths, 1, 0);
	assert_int_equal(r.rc, KITH_ETOOLARGE);
	assert_has(r.messages, "nested more than");
	result_release(&r);
	/* a good page, then a broken file: the import writes nothing */
	paths[0] = strdup(ks_src(DATA "page.json"));
	paths[1] = empty;
	run_paths(&r, paths, 2, 0);
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_string_equal(r.xml, "");
	free((char *)paths[0]);
	result_release(&r);
	kith_buf_release(&deep);
	free(empty);
	free(utf8);
	free(nested);
	ks_rmtree(dir);
	free(dir);
}

/* ---- the real feed items (../shared, not copied here) ----------------------------- */

static void test_real_feed_items(void **state)
{
	const char *dir = ks_src("../shared/realdata/openactive-feed-items");
	kith_buf pattern = KITH_BUF_INIT;
	struct stat st;
	glob_t g;
	result r = {0};

	(void)state;
	if (stat(dir, &st) != 0) {
		skip();
		return;
	}
	kith_buf_printf(&pattern, "%s/*.json", dir);
	assert_int_equal(glob(pattern.ptr, 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, 22);
	run_paths(&r, (const char *const *)g.gl_pathv, g.gl_pathc, 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 22);
	assert_int_equal(r.report.written, 16);
	assert_int_equal(r.report.skipped,
			 3); /* two superseded by a later item with their id; a slot of an absent facility */
	assert_int_equal(r.report.placed, 9);
	assert_int_equal(r.report.scheduled, 14);
	/* a ScheduledSession joins its SessionSeries from another file; 08:15Z in July is 09:15 */
	assert_has(r.xml, "<name>Shadow Box Fit</name>");
	assert_has(r.xml, "<session day=\"mon\" start=\"09:15\" end=\"10:00\"/>");
	assert_has(r.xml, "Date: 2020-07-27");
	/* an Event embedding its EventSeries, full */
	assert_has(r.xml, "<name>WOD Class</name>");
	assert_has(r.xml, "<eligibility min-age=\"14\"/>\n    <cost amount=\"5.00\" per=\"session\"/>\n"
			  "    <capacity status=\"closed\"/>");
	/* a slot joins its facility use from another file */
	assert_has(r.xml, "<name>Squash Activities ST</name>");
	assert_has(r.xml, "<session day=\"thu\" start=\"10:20\" end=\"11:00\"/>");
	assert_has(r.messages, "a Slot whose facility use "
			       "'https://jubileehall-openactive.legendonlineservices.co.uk/api/facility-uses/106-4' is "
			       "not in the inputs");
	assert_has(r.xml, "<activities><activity>dance</activity></activities>\n    <online/>");
	assert_loads(&r);
	result_release(&r);
	globfree(&g);
	kith_buf_release(&pattern);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_series_with_its_sessions),
		cmocka_unit_test(test_course),
		cmocka_unit_test(test_one_off_online_event),
		cmocka_unit_test(test_left_out_with_reasons),
		cmocka_unit_test(test_delta_deleted),
		cmocka_unit_test(test_join_across_files),
		cmocka_unit_test(test_embedded_superevent),
		cmocka_unit_test(test_update_wins),
		cmocka_unit_test(test_superevent_missing),
		cmocka_unit_test(test_times_not_times),
		cmocka_unit_test(test_start_after_end),
		cmocka_unit_test(test_items_of_the_wrong_type),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_real_feed_items),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
