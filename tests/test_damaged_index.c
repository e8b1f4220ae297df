/*
 * The index is input too (issue 13, finding 3): a database whose structure
 * is sound (integrity_check says ok) but that holds values no feed could
 * have given -- a day of 99, a start of 100,000,000, a truncated list, a
 * point off the globe -- is a clear error naming the group, never a crash
 * or a read out of bounds (ASan and valgrind run this too).
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "kith.h"

typedef struct fixture {
	char *dir, *db;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	kith_index *idx = NULL;
	char path[4096];

	f->dir = ks_tmpdir();
	snprintf(path, sizeof(path), "%s/kendal.db", f->dir);
	f->db = strdup(path);
	assert_int_equal(kith_index_open(&idx, f->db, KITH_OPEN_CREATE), 0);
	assert_int_equal(kith_index_load(idx, ks_src("corpus/kendal/feeds/south-lakes-cvs.xml"), NULL, NULL, NULL), 0);
	kith_index_free(idx);
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

static void sql(const char *db, const char *statement)
{
	sqlite3 *s = NULL;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	if (sqlite3_exec(s, statement, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", statement, msg);
	sqlite3_close(s);
}

/* A match near Kendal for loneliness, every group read: its code, and the message into msg. */
static int match(const char *db, char *msg, size_t size)
{
	kith_index *idx = NULL;
	kith_matcher *m = NULL;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	int rc;

	o.today = "2026-11-23";
	o.top = 100;
	assert_int_equal(kith_index_open(&idx, db, KITH_OPEN_READONLY), 0);
	assert_int_equal(kith_matcher_new(&m, idx, NULL, NULL), 0);
	assert_int_equal(kith_profile_new(&p, "Q"), 0);
	assert_int_equal(kith_profile_set(p, "point", "54.3262,-2.74397"), 0);
	assert_int_equal(kith_profile_set(p, "needs", "loneliness"), 0);
	rc = kith_matcher_run(m, p, &o, &r);
	snprintf(msg, size, "%s", rc ? kith_matcher_errmsg(m) : "");
	kith_results_free(r);
	kith_profile_free(p);
	kith_matcher_free(m);
	kith_index_free(idx);
	return rc;
}

static void test_bad_values_are_named(void **state)
{
	static const struct {
		const char *set, *what;
	} damage[] = {
		{"sessions_list = '99,600,660,0'", "list of sessions"},
		{"sessions_list = '1,100000000,100000060,0'", "list of sessions"},
		{"sessions_list = '1,600'", "list of sessions"},
		{"sessions_list = '1,600,660,0 2,'", "list of sessions"},
		{"sessions_list = '1,660,600,0'", "list of sessions"},
		{"venue_list = '54.3'", "list of venue points"},
		{"venue_list = '191.0,-2.7'", "list of venue points"},
		{"wheelchair = 7", "access fact"},
		{"min_age = 99999", "age"},
		{"cost_amount = -3, cost_free = 0", "cost"},
		{"home_radius_km = -1, home_lat = 54.3, home_lon = -2.7", "home-visit area"},
	};
	fixture *f = *state;
	char msg[512], statement[512];
	size_t i;

	assert_int_equal(match(f->db, msg, sizeof(msg)), 0);
	for (i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
		snprintf(statement, sizeof(statement),
			 "SAVEPOINT s; UPDATE groups SET %s WHERE key = 'south-lakes-cvs/st-georges-tuesday-lunch'",
			 damage[i].set);
		sql(f->db, "CREATE TABLE IF NOT EXISTS keep AS SELECT * FROM groups WHERE 0");
		sql(f->db, "DELETE FROM keep; INSERT INTO keep SELECT * FROM groups "
			   "WHERE key = 'south-lakes-cvs/st-georges-tuesday-lunch'");
		sql(f->db, statement + strlen("SAVEPOINT s; "));
		if (match(f->db, msg, sizeof(msg)) != KITH_EIO ||
		    !strstr(msg, "south-lakes-cvs/st-georges-tuesday-lunch") || !strstr(msg, damage[i].what))
			fail_msg("after %s: '%s'", damage[i].set, msg);
		sql(f->db, "DELETE FROM groups WHERE key = 'south-lakes-cvs/st-georges-tuesday-lunch'; "
			   "INSERT INTO groups SELECT * FROM keep");
	}
	/* odd concept strengths are no crash either: the match still answers */
	sql(f->db, "UPDATE groups SET text_concepts = 'need:loneliness=nan need:low-mood=1e308 x=' "
		   "WHERE key = 'south-lakes-cvs/st-georges-tuesday-lunch'");
	assert_int_equal(match(f->db, msg, sizeof(msg)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_values_are_named, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
