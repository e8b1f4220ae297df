/*
 * kith index, kith check and kith stats end to end, through the real
 * program (KITH_BIN): exit statuses, summaries and messages.
 */
#include "support.h"

#include <glob.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "util/buf.h"

#define DATA "tests/data/feeds/"

typedef struct fixture {
	char *dir;
	char *db;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	kith_buf b = KITH_BUF_INIT;

	if (!f || (f->dir = ks_tmpdir()) == NULL)
		return -1;
	kith_buf_printf(&b, "%s/index.db", f->dir);
	f->db = kith_buf_detach(&b);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	ks_rmtree(f->dir);
	free(f->dir);
	free(f->db);
	free(f);
	return 0;
}

/* A data feed's path (free() it): ks_src() reuses one buffer, and a command line often needs several. */
static char *data(const char *name)
{
	kith_buf b = KITH_BUF_INIT;

	kith_buf_printf(&b, "%s/" DATA "%s", ks_srcdir(), name);
	return kith_buf_detach(&b);
}

static void assert_has(const char *text, const char *needle)
{
	if (!ks_contains(text, needle))
		fprintf(stderr, "--- looked for:\n%s\n--- in:\n%s\n", needle, text ? text : "(null)");
	assert_true(ks_contains(text, needle));
}

/* Runs kith index DB with the named data feeds; returns the exit status, stderr in *err. */
static int index_feeds(fixture *f, const char *flags, char **err, const char *a, const char *b)
{
	char *pa = data(a), *pb = b ? data(b) : NULL;
	int status = ks_kith(NULL, err, "index %s %s %s %s", flags, f->db, pa, pb ? pb : "");

	free(pa);
	free(pb);
	return status;
}

static void test_index_summaries(void **state)
{
	fixture *f = *state;
	char *out = NULL, *err = NULL, *full = data("full.xml"), *v2 = data("full-v2.xml");
	kith_buf line = KITH_BUF_INIT;

	assert_int_equal(ks_kith(&out, &err, "index %s %s", f->db, full), 0);
	assert_string_equal(out, "");
	kith_buf_printf(&line,
			"%s: haverhill-lifelink: 3 added, 0 updated, 0 removed, 0 unchanged, 0 skipped, "
			"0 warnings\n",
			full);
	assert_string_equal(err, line.ptr);
	free(out);
	free(err);

	assert_int_equal(ks_kith(NULL, &err, "index %s %s", f->db, full), 0);
	kith_buf_clear(&line);
	kith_buf_printf(&line, "%s: haverhill-lifelink: unchanged since the last load (3 groups)\n", full);
	assert_string_equal(err, line.ptr);
	free(err);

	assert_int_equal(ks_kith(NULL, &err, "index %s %s", f->db, v2), 0);
	assert_has(err, "full-v2.xml: haverhill-lifelink: 1 added, 1 updated, 1 removed, 1 unchanged, 0 skipped, "
			"0 warnings\n");
	free(err);

	/* --quiet says nothing when all is well */
	assert_int_equal(ks_kith(&out, &err, "index --quiet %s %s", f->db, full), 0);
	assert_string_equal(out, "");
	assert_string_equal(err, "");
	free(out);
	free(err);
	kith_buf_release(&line);
	free(full);
	free(v2);
}

static void test_index_warnings_are_shown(void **state)
{
	fixture *f = *state;
	char *err = NULL;

	assert_int_equal(index_feeds(f, "", &err, "warnings.xml", NULL), 0);
	assert_has(err, "warnings.xml:12:12: warning: need 'wellbeing' is not in the vocabulary (kept, and matched "
			"as text)\n");
	assert_has(err, "warnings.xml: warnings: 7 added, 0 updated, 0 removed, 0 unchanged, 0 skipped, 3 warnings\n");
	free(err);
}

static void test_failing_feed_and_the_next(void **state)
{
	fixture *f = *state;
	char *out = NULL, *err = NULL;

	assert_int_equal(index_feeds(f, "", &err, "full.xml", NULL), 0);
	free(err);
	assert_int_equal(index_feeds(f, "", &err, "session-end.xml", "other.xml"), 2);
	assert_has(err, "session-end.xml:6:40: session end 09:00 is before start 10:00\n");
	assert_has(err, "session-end.xml:12:40: session end 10:00 is the same as start 10:00\n");
	assert_has(err, "session-end.xml: not loaded, nothing changed (2 errors)\n");
	assert_has(err, "other.xml: suffolk-mind: 1 added, 0 updated, 0 removed, 0 unchanged, 0 skipped, 0 warnings\n");
	free(err);

	/* an unreadable file fails too, and the one after it still loads */
	assert_int_equal(index_feeds(f, "", &err, "no-such-feed.xml", "full-v2.xml"), 2);
	assert_has(err, "no-such-feed.xml: cannot read file: No such file or directory\n");
	assert_has(err, "no-such-feed.xml: not loaded, nothing changed (1 error)\n");
	assert_has(err, "full-v2.xml: haverhill-lifelink: 1 added, 1 updated, 1 removed, 1 unchanged");
	free(err);

	assert_int_equal(ks_kith(&out, &err, "stats --date 2026-11-23 %s", f->db), 0);
	assert_has(out, "feeds (2)\n");
	assert_has(out, "groups 4, venues 4, weekly sessions 4\n");
	free(out);
	free(err);
}

static void test_skip_bad_groups(void **state)
{
	fixture *f = *state;
	char *err = NULL;

	assert_int_equal(index_feeds(f, "", &err, "skip-bad.xml", NULL), 2);
	assert_has(err, "skip-bad.xml: not loaded, nothing changed (3 errors)\n");
	free(err);
	assert_int_equal(index_feeds(f, "--skip-bad-groups", &err, "skip-bad.xml", NULL), 0);
	assert_has(err, "skip-bad.xml:5:62: warning: element 'session', attribute 'day': the value 'tues' is not an "
			"element of the set");
	assert_has(err, "skip-bad.xml:5:3: warning: group 'bad-day' skipped: 1 problem in it\n");
	assert_has(err, "skip-bad.xml:6:3: warning: group 'bad-time' skipped: 1 problem in it\n");
	assert_has(err, "skip-bad.xml:7:3: warning: group 'no-name' skipped: 1 problem in it\n");
	assert_has(err, "skip-bad.xml: skippy: 2 added, 0 updated, 0 removed, 0 unchanged, 3 skipped, 6 warnings\n");
	free(err);
}

/* --quiet prints only the errors of a failed load, at most 20 of them, not every warning before them. */
static void test_quiet_prints_errors_only(void **state)
{
	fixture *f = *state;
	kith_buf xml = KITH_BUF_INIT;
	char *err = NULL, *path;
	int i;

	kith_buf_puts(&xml, "<feed xmlns=\"urn:kith:feed:1\" id=\"noisy\" version=\"1\">\n");
	for (i = 0; i < 30; i++)
		kith_buf_printf(&xml,
				"<group id=\"g%d\"><name>G</name><needs><need>not-a-need</need></needs><schedule>"
				"<session day=\"tue\" start=\"10:00\" end=\"09:00\"/></schedule></group>\n",
				i);
	kith_buf_puts(&xml, "</feed>\n");
	path = ks_write(f->dir, "noisy.xml", xml.ptr);
	assert_int_equal(ks_kith(NULL, &err, "index --quiet %s %s", f->db, path), 2);
	assert_false(ks_contains(err, "warning:"));
	assert_has(err, "... and 10 more errors\n");
	assert_has(err, "noisy.xml: not loaded, nothing changed (30 errors)\n");
	assert_int_equal(ks_lines(err), 22);
	free(err);
	free(path);
	kith_buf_release(&xml);
}

/*
 * A partner's feed whose groups went bad does not silently empty its
 * listing: skipping them from a full feed would remove 3 of the 5 groups
 * the index holds, so the load is refused, unless the maintainer allows it.
 */
static void test_skipping_does_not_empty_a_listing(void **state)
{
	fixture *f = *state;
	char *err = NULL,
	     *good = ks_write(f->dir, "skippy-good.xml",
			      "<feed xmlns=\"urn:kith:feed:1\" id=\"skippy\" version=\"1\">"
			      "<group id=\"good-1\"><name>Good One</name></group>"
			      "<group id=\"bad-day\"><name>Bad Day</name></group>"
			      "<group id=\"bad-time\"><name>Bad Time</name></group>"
			      "<group id=\"no-name\"><name>Named Then</name></group>"
			      "<group id=\"good-2\"><name>Good Two</name></group></feed>"),
	     *bad = data("skip-bad.xml");

	assert_int_equal(ks_kith(NULL, &err, "index %s %s", f->db, good), 0);
	free(err);
	assert_int_equal(ks_kith(NULL, &err, "index --skip-bad-groups %s %s", f->db, bad), 2);
	assert_has(err, "feed 'skippy' would lose 3 of its 5 groups in the index, more than 20%: fix the feed, or "
			"allow it (kith index --max-removed 61)");
	free(err);
	assert_int_equal(ks_kith(NULL, &err, "index --skip-bad-groups --max-removed 61 %s %s", f->db, bad), 0);
	assert_has(err, "skippy: 0 added, 0 updated, 3 removed, 2 unchanged, 3 skipped");
	free(err);
	assert_int_equal(ks_kith(NULL, &err, "index --max-removed lots %s %s", f->db, bad), 2);
	assert_has(err, "--max-removed is a percentage from 0 to 100");
	free(err);
	free(good);
	free(bad);
}

/* A maintainer lists the feeds and drops one: its groups go from the search, the other feeds stay. */
static void test_feeds_and_remove(void **state)
{
	fixture *f = *state;
	char *out = NULL, *err = NULL;
	char *lakes = strdup(ks_src("corpus/kendal/feeds/south-lakes-cvs.xml")),
	     *hub = strdup(ks_src("corpus/kendal/feeds/kendal-wellbeing-hub.xml"));

	assert_int_equal(ks_kith(NULL, NULL, "index %s %s %s", f->db, lakes, hub), 0);
	assert_int_equal(ks_kith(&out, NULL, "feeds %s", f->db), 0);
	assert_has(out, "south-lakes-cvs\t");
	assert_has(out, "kendal-wellbeing-hub\t");
	free(out);
	assert_int_equal(ks_kith(&out, NULL,
				 "match %s --point 54.3262,-2.74397 --needs loneliness --top 100 "
				 "--format trec --date 2026-11-23",
				 f->db),
			 0);
	assert_has(out, "south-lakes-cvs/");
	free(out);

	assert_int_equal(ks_kith(NULL, &err, "remove %s south-lakes-cvs", f->db), 0);
	assert_has(err, "removed feed south-lakes-cvs and its ");
	free(err);
	assert_int_equal(ks_kith(&out, NULL, "feeds %s", f->db), 0);
	assert_false(ks_contains(out, "south-lakes-cvs"));
	assert_has(out, "kendal-wellbeing-hub\t");
	free(out);
	assert_int_equal(ks_kith(&out, NULL,
				 "match %s --point 54.3262,-2.74397 --needs loneliness --top 100 "
				 "--format trec --date 2026-11-23",
				 f->db),
			 0);
	assert_false(ks_contains(out, "south-lakes-cvs/"));
	assert_has(out, "kendal-wellbeing-hub/");
	free(out);
	assert_int_equal(ks_kith(NULL, &err, "remove %s south-lakes-cvs", f->db), 2);
	assert_has(err, "no feed 'south-lakes-cvs' in the index");
	free(err);
	assert_int_equal(ks_kith(NULL, &err, "remove %s/none.db x", f->dir), 2);
	assert_has(err, "no such index");
	free(err);
	free(lakes);
	free(hub);
}

static void test_index_usage_and_databases(void **state)
{
	fixture *f = *state;
	char *out = NULL, *err = NULL, *notes;
	sqlite3 *db = NULL;

	assert_int_equal(ks_kith(&out, &err, "index"), 2);
	assert_has(err, "usage: kith index");
	free(out);
	free(err);
	assert_int_equal(ks_kith(NULL, &err, "index %s", f->db), 2);
	assert_has(err, "usage: kith index");
	free(err);
	assert_int_equal(ks_kith(&out, NULL, "index --help"), 0);
	assert_has(out, "--skip-bad-groups");
	free(out);
	assert_int_equal(ks_kith(NULL, &err, "index --no-such-option %s x.xml", f->db), 2);
	free(err);

	/* a database of another schema version is refused */
	assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99; CREATE TABLE t(x);", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(index_feeds(f, "", &err, "full.xml", NULL), 2);
	assert_has(err, "kith: ");
	assert_has(err, "made by another version of kith (schema version 99; this kith reads version ");
	free(err);
	assert_int_equal(ks_kith(NULL, &err, "stats %s", f->db), 2);
	assert_has(err, "schema version 99");
	free(err);

	notes = ks_write(f->dir, "notes.txt",
			 "Not a database at all, just some notes written by someone. "
			 "Long enough to cover a database header.\n");
	assert_int_equal(ks_kith(NULL, &err, "index %s %s", notes, f->db), 2);
	assert_has(err, "not a kith index");
	free(err);
	free(notes);
}

static void test_hostile_feeds(void **state)
{
	static const char *const files[] = {
		"external-entity.xml", "parameter-entity.xml", "billion-laughs.xml", "invalid-utf8.xml",
		"nul-byte.xml",        "truncated.xml",        "html.xml",           "json.xml",
		"empty.xml",           "wrong-namespace.xml",  "version-2.xml",      "attribute-flood.xml"};
	fixture *f = *state;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char *out = NULL, *err = NULL, *path = data(files[i]);
		kith_buf line = KITH_BUF_INIT;
		assert_int_equal(ks_kith(&out, &err, "index %s %s", f->db, path), 2);
		kith_buf_printf(&line, "%s: not loaded, nothing changed (1 error)\n", path);
		assert_has(err, line.ptr);
		assert_false(ks_contains(err, "root:x:0"));
		free(out);
		free(err);
		assert_int_equal(ks_kith(&out, &err, "check %s", path), 2);
		assert_false(ks_contains(out, "root:x:0"));
		assert_has(out, "1 feed checked: 1 error, ");
		free(out);
		free(err);
		kith_buf_release(&line);
		free(path);
	}
	/* nothing was ever loaded, so no empty database was left behind */
	assert_int_equal(access(f->db, F_OK), -1);
}

static void test_check_exit_statuses(void **state)
{
	char *out = NULL, *err = NULL, *full = data("full.xml"), *warn = data("warnings.xml");
	char *bad = data("session-end.xml"), *a = data("dup-a.xml"), *b = data("dup-b.xml");
	kith_buf line = KITH_BUF_INIT;

	(void)state;
	assert_int_equal(ks_kith(&out, &err, "check --date 2026-11-23 %s", full), 0);
	assert_string_equal(out, "1 feed checked: 0 errors, 0 warnings\n");
	assert_string_equal(err, "");
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, NULL, "check --strict --date 2026-11-23 %s", full), 0);
	free(out);

	/* warnings: 0, or 1 with --strict */
	assert_int_equal(ks_kith(&out, NULL, "check --date 2026-11-23 %s", warn), 0);
	assert_has(out, "1 feed checked: 0 errors, 7 warnings\n");
	kith_buf_printf(&line,
			"%s:19:3: warning: group 'stale' was last updated on 2025-11-01, over 12 months ago: "
			"check it still runs\n",
			warn);
	assert_has(out, line.ptr);
	free(out);
	assert_int_equal(ks_kith(&out, NULL, "check --strict --date 2026-11-23 %s", warn), 1);
	free(out);

	/* errors: 2, whatever else */
	assert_int_equal(ks_kith(&out, NULL, "check --date 2026-11-23 %s %s", warn, bad), 2);
	kith_buf_clear(&line);
	kith_buf_printf(&line, "%s:6:40: session end 09:00 is before start 10:00\n", bad);
	assert_has(out, line.ptr);
	assert_has(out, "2 feeds checked: 2 errors, 7 warnings\n");
	free(out);
	assert_int_equal(ks_kith(&out, NULL, "check --strict %s", bad), 2);
	free(out);

	/* duplicates across the feeds given */
	assert_int_equal(ks_kith(&out, NULL, "check --strict --date 2026-11-23 %s %s", a, b), 1);
	kith_buf_clear(&line);
	kith_buf_printf(&line,
			"%s:3:3: warning: group 'SC-101' looks like a duplicate of 'mens-shed' (%s:3): same "
			"place, similar listing\n",
			b, a);
	assert_has(out, line.ptr);
	free(out);

	assert_int_equal(ks_kith(&out, &err, "check"), 2);
	assert_has(err, "usage: kith check");
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, NULL, "check --date tomorrow %s", full), 2);
	assert_has(out, "--date: 'tomorrow' is not a date (expected YYYY-MM-DD)\n");
	free(out);
	kith_buf_release(&line);
	free(full);
	free(warn);
	free(bad);
	free(a);
	free(b);
}

static void test_stats_output(void **state)
{
	fixture *f = *state;
	char *out = NULL, *err = NULL;
	kith_buf line = KITH_BUF_INIT;

	assert_int_equal(index_feeds(f, "", &err, "full.xml", "other.xml"), 0);
	free(err);
	assert_int_equal(index_feeds(f, "", &err, "warnings.xml", NULL), 0);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "stats --date 2026-11-23 %s", f->db), 0);
	assert_string_equal(err, "");
	assert_has(out, "feeds (3)\n");
	kith_buf_printf(&line, "  %-34s %7d groups  loaded ", "haverhill-lifelink", 3);
	assert_has(out, line.ptr);
	assert_has(out, "  publisher: ONE Haverhill Partnership\n");
	kith_buf_clear(&line);
	kith_buf_printf(&line, "  %-34s %7d groups  loaded ", "warnings", 7);
	assert_has(out, line.ptr);
	assert_has(out, "  publisher: (none)\n");
	kith_buf_clear(&line);
	assert_has(out, "\ngroups 11, venues 10, weekly sessions 9\n");
	kith_buf_printf(&line, "  %-34s %7d  %5.1f%%\n", "stale: over 12 months", 1, 100.0 / 11);
	assert_has(out, line.ptr);
	kith_buf_clear(&line);
	kith_buf_printf(&line, "  %-34s %7d  %5.1f%%\n", "no updated date", 1, 100.0 / 11);
	assert_has(out, line.ptr);
	kith_buf_clear(&line);
	kith_buf_printf(&line, "  %-34s %7d  %5.1f%%\n", "no accessibility facts", 3, 300.0 / 11);
	assert_has(out, line.ptr);
	assert_has(out, "\ntags: need\n");
	kith_buf_clear(&line);
	kith_buf_printf(&line, "  %-34s %7d\n", "loneliness", 2);
	assert_has(out, line.ptr);
	kith_buf_clear(&line);
	kith_buf_printf(&line, "  %-34s %7d  (not in vocabulary)\n", "wellbeing", 1);
	assert_has(out, line.ptr);
	free(out);
	free(err);

	assert_int_equal(ks_kith(&out, &err, "stats --date 23/11/2026 %s", f->db), 2);
	assert_has(err, "'23/11/2026' is not a date");
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "stats %s/missing.db", f->dir), 2);
	assert_has(err, "no such index (create it with kith index)");
	free(out);
	free(err);
	kith_buf_release(&line);
}

/* kith stats --gaps and kith postcodes as a maintainer uses them: output, wrong names, files that are not there. */
static void test_gaps_and_postcodes(void **state)
{
	fixture *f = *state;
	char *out = NULL, *err = NULL, *csv, *missing;
	FILE *probe;

	assert_int_equal(index_feeds(f, "", &err, "full.xml", NULL), 0);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "stats --date 2026-11-23 --gaps never-shown %s", f->db), 0);
	assert_has(out, "haverhill-lifelink/cafe-connect\tCafé Connect\t2026-10-30\tclosed to new members\n");
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "stats --gaps nothing %s", f->db), 2);
	assert_has(err, "--gaps: expected never-shown, no-access, no-schedule, stale or untagged, got 'nothing'");
	free(out);
	free(err);

	csv = ks_write(f->dir, "onspd.csv",
		       "pcds,lat,long,doterm\nLA9 4DH,54.3281,-2.7466,\nLA9 7ZZ,54.3,-2.7,199606\n");
	assert_int_equal(ks_kith(&out, &err, "postcodes %s %s", f->db, csv), 0);
	assert_has(out, "1 postcodes loaded (1 no longer in use and 0 with no place left out)");
	free(out);
	free(err);
	/* a mistyped index is refused, not made */
	missing = ks_write(f->dir, "x", "");
	remove(missing);
	assert_int_equal(ks_kith(&out, &err, "postcodes %s.db %s", missing, csv), 2);
	assert_has(err, "no such index (create it with kith index)");
	free(out);
	free(err);
	{
		char path[4096];
		snprintf(path, sizeof(path), "%s.db", missing);
		assert_null(probe = fopen(path, "r"));
	}
	free(missing);
	free(csv);
}

/* Every feed of the shared quality benchmarks loads and checks without an error. */
static void test_benchmark_feeds(void **state)
{
	fixture *f = *state;
	kith_buf pattern = KITH_BUF_INIT, files = KITH_BUF_INIT;
	glob_t g;
	struct stat st;
	size_t i;
	char *out = NULL, *err = NULL;

	if (stat(ks_src("../shared/benchmarks"), &st) != 0) {
		skip();
		return;
	}
	kith_buf_printf(&pattern, "%s", ks_src("../shared/benchmarks/*/feeds/*.xml"));
	assert_int_equal(glob(pattern.ptr, 0, NULL, &g), 0);
	assert_true(g.gl_pathc > 0);
	for (i = 0; i < g.gl_pathc; i++)
		kith_buf_printf(&files, " '%s'", g.gl_pathv[i]);
	assert_int_equal(ks_kith(&out, &err, "index %s%s", f->db, files.ptr), 0);
	assert_false(ks_contains(err, "not loaded"));
	for (i = 0; i < g.gl_pathc; i++) {
		const char *name = strrchr(g.gl_pathv[i], '/') + 1;
		char id[256];
		snprintf(id, sizeof(id), ": %.*s: ", (int)(strlen(name) - 4), name);
		assert_has(err, id);
	}
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "check%s", files.ptr), 0);
	assert_has(out, " 0 errors, ");
	free(out);
	free(err);
	globfree(&g);
	kith_buf_release(&pattern);
	kith_buf_release(&files);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_index_summaries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_warnings_are_shown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failing_feed_and_the_next, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skip_bad_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_skipping_does_not_empty_a_listing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quiet_prints_errors_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feeds_and_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_usage_and_databases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_feeds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_exit_statuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_output, setup, teardown),
		cmocka_unit_test_setup_teardown(test_gaps_and_postcodes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_benchmark_feeds, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
