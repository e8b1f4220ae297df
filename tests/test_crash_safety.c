/*
 * Crash safety (issue 13): a load killed at any moment leaves the index as
 * it was before the load or as it is after it -- never between -- and
 * sound: SQLite's integrity check, FTS5's and the R*Tree's own checks, and
 * a match, all pass.  A bounded loop kills `kith index` (SIGKILL) at
 * seeded, varied moments of a load of a few seconds.
 */
#include "support.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "kith.h"
#include "util/buf.h"

#define BIG_GROUPS 20000
#define ROUNDS 12

static char *big_feed(const char *dir)
{
	kith_buf xml = KITH_BUF_INIT;
	char *path;
	int i;

	kith_buf_puts(&xml, "<feed xmlns=\"urn:kith:feed:1\" id=\"big\" version=\"1\">\n");
	for (i = 0; i < BIG_GROUPS; i++)
		kith_buf_printf(&xml,
				"<group id=\"g%d\"><name>Group %d</name><description>A weekly group for company, a "
				"walk, a cup of tea and a chat; gardening and singing too.</description><needs><need>"
				"loneliness</need></needs><venue><point lat=\"5%d.%04d\" lon=\"-%d.%04d\"/></venue>"
				"<schedule><session day=\"tue\" start=\"10:00\" end=\"12:00\"/></schedule></group>\n",
				i, i, 1 + i % 4, i % 10000, 1 + i % 3, (i * 7) % 10000);
	kith_buf_puts(&xml, "</feed>\n");
	path = ks_write(dir, "big.xml", xml.ptr);
	kith_buf_release(&xml);
	return path;
}

/* The first row of a query as text ("" when none). */
static void query_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *s = NULL;

	out[0] = '\0';
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_text(s, 0))
		snprintf(out, size, "%s", (const char *)sqlite3_column_text(s, 0));
	else
		snprintf(out, size, "error: %s", sqlite3_errmsg(db));
	sqlite3_finalize(s);
}

/* Before or after, and sound: 1 when the big feed is there whole, 0 when not at all; fails otherwise. */
static int check_index(const char *db)
{
	sqlite3 *s = NULL;
	char v[512];
	long big, small;
	kith_index *idx = NULL;
	kith_matcher *m = NULL;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;

	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	query_text(s, "PRAGMA integrity_check", v, sizeof(v));
	assert_string_equal(v, "ok");
	assert_int_equal(
		sqlite3_exec(s, "INSERT INTO group_fts(group_fts) VALUES('integrity-check')", NULL, NULL, NULL),
		SQLITE_OK);
	query_text(s, "SELECT rtreecheck('venue_rtree')", v, sizeof(v));
	assert_string_equal(v, "ok");
	query_text(s, "SELECT count(*) FROM groups WHERE feed_id = 'big'", v, sizeof(v));
	big = strtol(v, NULL, 10);
	query_text(s, "SELECT count(*) FROM groups WHERE feed_id = 'south-lakes-cvs'", v, sizeof(v));
	small = strtol(v, NULL, 10);
	query_text(s, "SELECT count(*) FROM venue_rtree", v, sizeof(v));
	sqlite3_close(s);
	if (big != 0 && big != BIG_GROUPS)
		fail_msg("the killed load left %ld of %d groups", big, BIG_GROUPS);
	assert_int_equal(small, 38);

	o.today = "2026-11-23";
	assert_int_equal(kith_index_open(&idx, db, KITH_OPEN_READONLY), 0);
	assert_int_equal(kith_matcher_new(&m, idx, NULL, NULL), 0);
	assert_int_equal(kith_profile_new(&p, "Q"), 0);
	assert_int_equal(kith_profile_set(p, "point", "54.3262,-2.74397"), 0);
	assert_int_equal(kith_profile_set(p, "needs", "loneliness"), 0);
	assert_int_equal(kith_matcher_run(m, p, &o, &r), 0);
	assert_true(kith_results_count(r) > 0);
	kith_results_free(r);
	kith_profile_free(p);
	kith_matcher_free(m);
	kith_index_free(idx);
	return big == BIG_GROUPS;
}

static void test_killed_loads(void **state)
{
	char *dir = ks_tmpdir(), *feed = big_feed(dir), db[4096];
	const char *bin = getenv("KITH_BIN");
	unsigned seed = 20261206;
	int round, after = 0, before = 0;

	(void)state;
	assert_non_null(bin);
	snprintf(db, sizeof(db), "%s/k.db", dir);
	assert_int_equal(ks_kith(NULL, NULL, "index -q %s %s", db, ks_src("corpus/kendal/feeds/south-lakes-cvs.xml")),
			 0);
	for (round = 0; round < ROUNDS; round++) {
		/* kill points spread over the load: reading, writing, committing, checkpointing */
		long ms = 20 + rand_r(&seed) % 700; /* a load here takes about 0.7 s */
		struct timespec wait = {ms / 1000, (ms % 1000) * 1000000L};
		pid_t pid = fork();
		int status;
		assert_true(pid >= 0);
		if (pid == 0) {
			execl(bin, bin, "index", "-q", db, feed, (char *)NULL);
			_exit(127);
		}
		nanosleep(&wait, NULL);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (check_index(db)) {
			after++;
			/* back to before, so the next round's load is a real one */
			assert_int_equal(ks_kith(NULL, NULL, "remove %s big", db), 0);
			assert_int_equal(check_index(db), 0);
		} else {
			before++;
		}
	}
	printf("crash safety: %d loads killed before they committed, %d after\n", before, after);
	ks_rmtree(dir);
	free(dir);
	free(feed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_killed_loads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
