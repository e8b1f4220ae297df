/*
 * The importers' core (issue 12): what every format shares.  HTML made
 * plain, opening hours read only when sure, the feed writer's escaping of
 * whatever bytes a record held, ids made valid and unique -- and the feed
 * written loads into a real index.
 */
#include "support.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "feed/feed_write.h"
#include "import/import_int.h"
#include "kith.h"

typedef struct fixture {
	importer im;
	kith_import_report report;
	kith_import_opts opts;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	kith_import_opts o = KITH_IMPORT_OPTS_INIT;

	f->opts = o;
	f->opts.feed_id = "test";
	f->im.opts = &f->opts;
	f->im.report = &f->report;
	f->im.path = "test.json";
	kith_buf_init(&f->im.out, KITH_IMPORT_MAX_FEED);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	kith_import_release(&f->im);
	free(f);
	return 0;
}

/* Descriptions as councils publish them: entities decoded, tags gone, paragraphs and list items kept. */
static void test_html_made_plain(void **state)
{
	fixture *f = *state;
	const char *t;

	t = kith_import_text(&f->im, "<h4>Young people aged 16&nbsp;to 25</h4><p><br></p><p>We help &amp; "
				     "support.</p><ul><li>Housing</li><li>Money</li></ul><script>x()</script>");
	assert_string_equal(t, "Young people aged 16 to 25\n\nWe help & support.\n\n- Housing\n- Money");
	assert_string_equal(kith_import_text(&f->im, "  plain   text\n here \n\n\n\nnext"), "plain text\nhere\n\nnext");
	assert_null(kith_import_text(&f->im, "<p><br></p>"));
	assert_null(kith_import_text(&f->im, NULL));
}

/* Hours as text, read into sessions only when every part is sure. */
static void test_hours_when_sure(void **state)
{
	fixture *f = *state;
	kith_group g;

	kith_import_group_init(&g);
	assert_int_equal(kith_import_hours(&f->im, &g, "Mon-Fri 9am-5pm; Sat 10:00-12:30"), 6);
	assert_int_equal(g.sessions[0].day, 0);
	assert_int_equal(g.sessions[0].start, 9 * 60);
	assert_int_equal(g.sessions[0].end, 17 * 60);
	assert_int_equal(g.sessions[5].day, 5);
	assert_int_equal(g.sessions[5].end, 12 * 60 + 30);

	kith_import_group_init(&g);
	assert_int_equal(kith_import_hours(&f->im, &g, "First Wednesday of the month, 2pm to 4pm"), 1);
	assert_int_equal(g.sessions[0].day, 2);
	assert_int_equal(g.sessions[0].weeks, KITH_WEEK(1));
	assert_int_equal(g.sessions[0].start, 14 * 60);

	kith_import_group_init(&g);
	assert_int_equal(kith_import_hours(&f->im, &g, "Tuesday 10 \xE2\x80\x93 12pm"), 1);
	assert_int_equal(g.sessions[0].start, 10 * 60);
	assert_int_equal(g.sessions[0].end, 12 * 60);

	/* not sure: left as text, the group unchanged */
	kith_import_group_init(&g);
	assert_int_equal(kith_import_hours(&f->im, &g, "Tuesday and Thursday evenings"), 0);
	assert_int_equal(kith_import_hours(&f->im, &g, "Term time only, 9am-3pm"), 0);
	assert_int_equal(kith_import_hours(&f->im, &g, "9am-5pm"), 0);
	assert_int_equal(kith_import_hours(&f->im, &g, "Monday 5pm-9am"), 0);
	assert_int_equal(kith_import_hours(&f->im, &g, "Mondays"), 0);
	assert_int_equal(kith_import_hours(&f->im, &g, "Tuesday 2 - 4"), 0); /* afternoon or small hours? */
	assert_int_equal(g.session_count, 0);
}

/* Whatever bytes a record held, the feed written is XML: escaped, and invalid bytes replaced. */
static void test_writer_escapes(void **state)
{
	kith_buf b = KITH_BUF_INIT;

	(void)state;
	kith_feed_write_text(&b, "a<b & \"c\"\x01\xff\xc3\xa9\xed\xa0\x80!");
	assert_string_equal(b.ptr, "a&lt;b &amp; &quot;c&quot;\xEF\xBF\xBD\xEF\xBF\xBD\xc3\xa9"
				   "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD!");
	kith_buf_release(&b);
}

/* Ids made valid for the format and unique in the feed; a record without a name is left out and said. */
static void test_ids_and_names(void **state)
{
	fixture *f = *state;
	kith_diag_list *diags = NULL;
	kith_group g;

	assert_int_equal(kith_diag_list_new(&diags), 0);
	f->im.diags = diags;
	kith_import_group_init(&g);
	g.name = "Lunch Club";
	assert_int_equal(kith_import_emit(&f->im, &g, "{ab c}/42", 3, 5), 0);
	kith_import_group_init(&g);
	g.name = "Lunch Club again";
	assert_int_equal(kith_import_emit(&f->im, &g, "ab c 42", 9, 1), 0);
	kith_import_group_init(&g);
	g.name = "  ";
	assert_int_equal(kith_import_emit(&f->im, &g, "x1", 12, 1), 0);
	assert_true(ks_contains(f->im.out.ptr, "<group id=\"ab-c-42\">"));
	assert_true(ks_contains(f->im.out.ptr, "<group id=\"ab-c-42-2\">"));
	assert_int_equal(f->report.written, 2);
	assert_int_equal(f->report.skipped, 1);
	assert_int_equal(f->report.no_place, 2);
	assert_int_equal(kith_diag_list_count(diags), 1);
	assert_int_equal(kith_diag_list_get(diags, 0)->line, 12);
	assert_true(ks_contains(kith_diag_list_get(diags, 0)->message, "has no name"));
	kith_diag_list_free(diags);
}

/* A group with everything the format holds, written and loaded into a real index. */
static void test_written_feed_loads(void **state)
{
	fixture *f = *state;
	kith_feed_info info = {0};
	kith_group g;
	kith_venue *v;
	kith_index *idx = NULL;
	kith_diag_list *diags = NULL;
	kith_load_report r;
	char *dir = ks_tmpdir(), *path, db[4096];

	info.id = "test";
	info.publisher = "Test & Co";
	kith_feed_write_header(&f->im.out, &info);
	kith_import_group_init(&g);
	g.name = "Walk <and> Talk";
	g.description = "Gentle \x01walks.";
	g.organisation = "Parks";
	assert_int_equal(kith_import_add_string(&f->im, &g.needs, "loneliness"), 0);
	assert_int_equal(kith_import_add_string(&f->im, &g.needs, "not-a-need"), 0);
	assert_int_equal(kith_import_add_string(&f->im, &g.activities, "walking"), 0);
	v = kith_import_add_venue(&f->im, &g);
	v->address = "Park gates";
	v->postcode = "LA9 4PY";
	v->point.lat = 54.33;
	v->point.lon = -2.75;
	v->point.known = 1;
	assert_int_equal(kith_import_add_session(&f->im, &g, 1, 600, 660, KITH_WEEK(1) | KITH_WEEK_LAST), 0);
	assert_int_equal(kith_import_add_session(&f->im, &g, 2, 700, 600, 0), 0); /* ends before it starts: not added */
	g.by_appointment = 1;
	g.access[KITH_ACCESS_WHEELCHAIR] = KITH_TRI_YES;
	g.min_age = 50;
	g.cost_known = 1;
	g.cost_amount = 2.5;
	g.capacity = KITH_CAPACITY_OPEN;
	assert_int_equal(kith_import_add_string(&f->im, &g.languages, "en"), 0);
	g.phone = "01539 000000";
	g.updated = kith_import_date(&f->im, "2024-12-03T10:00:00Z");
	assert_int_equal(kith_import_emit(&f->im, &g, "walk-1", 1, 1), 0);
	kith_feed_write_footer(&f->im.out);
	assert_int_equal(kith_buf_error(&f->im.out), 0);
	assert_int_equal(f->report.placed, 1);
	assert_int_equal(f->report.scheduled, 1);
	assert_int_equal(f->report.eligibility, 1);
	assert_int_equal(f->report.access, 1);

	path = ks_write(dir, "test.xml", f->im.out.ptr);
	snprintf(db, sizeof(db), "%s/test.db", dir);
	assert_int_equal(kith_diag_list_new(&diags), 0);
	assert_int_equal(kith_index_open(&idx, db, KITH_OPEN_CREATE), 0);
	assert_int_equal(kith_index_load(idx, path, NULL, &r, diags), 0);
	assert_int_equal(r.added, 1);
	assert_int_equal(kith_diag_list_count_of(diags, KITH_DIAG_ERROR), 0);
	assert_true(
		ks_contains(f->im.out.ptr, "<session day=\"tue\" start=\"10:00\" end=\"11:00\" weeks=\"1 last\"/>"));
	assert_false(ks_contains(f->im.out.ptr, "not-a-need"));
	assert_true(ks_contains(f->im.out.ptr, "updated=\"2024-12-03\""));
	kith_index_free(idx);
	kith_diag_list_free(diags);
	ks_rmtree(dir);
	free(dir);
	free(path);
}

/* The command: a format it does not know, an area that is no postcode area, and nothing written on failure. */
static void test_cli_refusals(void **state)
{
	char *out = NULL, *err = NULL, *dir = ks_tmpdir(), *json = ks_write(dir, "x.json", "[]");

	(void)state;
	assert_int_equal(ks_kith(&out, &err, "import csv %s --feed-id t", json), 2);
	assert_true(ks_contains(err, "not a format kith imports"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "import oruk %s --feed-id t --area 'Bristol'", json), 2);
	assert_true(ks_contains(err, "is no postcode area or district"));
	assert_string_equal(out, "");
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "import oruk %s", json), 2);
	free(out);
	free(err);
	/* a feed id the format cannot hold, and a file that is not there, each said */
	assert_int_equal(ks_kith(&out, &err, "import oruk %s --feed-id 'Bad Id'", json), 2);
	assert_true(ks_contains(err, "--feed-id: 'Bad Id' is not a feed id"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "import oruk %s/none.json --feed-id t", dir), 2);
	assert_true(ks_contains(err, "none.json: cannot read it: No such file or directory"));
	free(out);
	free(err);
	free(json);
	/* a byte order mark, as some servers send, is read past */
	json = ks_write(dir, "bom.json",
			"\xEF\xBB\xBF[{\"id\": \"a\", \"name\": \"Tea Club\", \"status\": \"active\"}]");
	assert_int_equal(ks_kith(&out, &err, "import oruk %s --feed-id t", json), 0);
	assert_true(ks_contains(out, "<name>Tea Club</name>"));
	free(out);
	free(err);
	ks_rmtree(dir);
	free(dir);
	free(json);
}

/*
 * kith index --from: an Open Referral UK listing imported and loaded as one
 * feed, its source named by the import; a broken input changes nothing and
 * leaves no new database behind.
 */
static void test_index_from(void **state)
{
	char *out = NULL, *err = NULL, *dir = ks_tmpdir(), db[4096];
	char *good = ks_write(dir, "council.json",
			      "[{\"id\": \"s1\", \"name\": \"Lunch Club\", \"status\": \"active\", "
			      "\"description\": \"<p>A hot lunch &amp; a chat.</p>\"}, "
			      "{\"id\": \"s2\", \"name\": \"Carers Cafe\", \"status\": \"active\"}]");
	char *bad = ks_write(dir, "broken.json", "[{\"id\": \"s1\", \"name\": ");

	(void)state;
	snprintf(db, sizeof(db), "%s/new.db", dir);
	assert_int_equal(ks_kith(&out, &err, "index %s --from oruk --feed-id council --area BS %s", db, bad), 2);
	assert_true(ks_contains(err, "broken.json:1:"));
	assert_true(ks_contains(err, "nothing imported, nothing changed"));
	assert_int_equal(access(db, F_OK), -1);
	free(out);
	free(err);

	assert_int_equal(ks_kith(&out, &err, "index %s --from oruk --feed-id council --area BS %s", db, good), 0);
	assert_true(ks_contains(err, "import oruk: 2 records read, 2 groups written, 0 skipped"));
	assert_true(ks_contains(err, "council: council: 2 added"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "feeds %s", db), 0);
	assert_true(ks_contains(out, "council\t2 groups\t"));
	assert_true(ks_contains(out, "from kith import oruk "));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "match %s --postcode 'BS1 5TR' --needs loneliness --format trec", db), 0);
	assert_true(ks_contains(out, "council/s1"));
	free(out);
	free(err);
	ks_rmtree(dir);
	free(dir);
	free(good);
	free(bad);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_html_made_plain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hours_when_sure, setup, teardown),
		cmocka_unit_test(test_writer_escapes),
		cmocka_unit_test_setup_teardown(test_ids_and_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_written_feed_loads, setup, teardown),
		cmocka_unit_test(test_cli_refusals),
		cmocka_unit_test(test_index_from),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
