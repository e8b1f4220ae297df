/*
 * The thread rules of include/kith/common.h, as a server will use them:
 * each worker thread opens its own index on one file and makes its own
 * matcher, reads its own profiles, and matches and writes up at the same
 * time as the others, while another thread loads feeds into another index.
 * Every worker's output equals the one made alone.  (make test runs this
 * under ThreadSanitizer too.)
 */
#include "support.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith.h"

#define WORKERS 3
#define ROUNDS 4
#define DATE "2026-11-23"

/* ks_src() answers in static storage: the paths are made once, before any thread starts. */
typedef struct paths {
	char *profile;
	char *feeds[3];
} paths;

typedef struct job {
	const paths *files;
	const char *db; /* the index file every worker opens */
	char *expected; /* what every round must write */
	char *got;      /* the first output that differed, or NULL */
	int error;      /* a call that failed */
} job;

/* One match of corpus/kendal/patients/K03.xml, as JSON: with its own handles throughout. */
static int match_once(const paths *files, const char *db, char **out)
{
	kith_render_opts ro = KITH_RENDER_OPTS_INIT;
	kith_match_opts mo = KITH_MATCH_OPTS_INIT;
	kith_index *idx = NULL;
	kith_matcher *m = NULL;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	int error;

	mo.today = DATE;
	ro.format = KITH_FORMAT_JSON;
	if ((error = kith_index_open(&idx, db, KITH_OPEN_READONLY)) == 0 &&
	    (error = kith_matcher_new(&m, idx, NULL, NULL)) == 0 &&
	    (error = kith_profile_load(&p, files->profile, NULL)) == 0 &&
	    (error = kith_matcher_run(m, p, &mo, &r)) == 0)
		error = kith_results_render(r, &ro, out);
	kith_results_free(r);
	kith_profile_free(p);
	kith_matcher_free(m);
	kith_index_free(idx);
	return error;
}

static void *worker(void *arg)
{
	job *j = arg;
	int round;

	for (round = 0; round < ROUNDS && !j->error && !j->got; round++) {
		char *out = NULL;
		if ((j->error = match_once(j->files, j->db, &out)) == 0 && strcmp(out, j->expected) != 0)
			j->got = out;
		else
			free(out);
	}
	return NULL;
}

typedef struct loading {
	const paths *files;
	const char *db;
	int error;
} loading;

/* Loads the Kendal feeds into an index of its own while the workers match. */
static void *loader(void *arg)
{
	loading *l = arg;
	kith_index *idx = NULL;
	size_t i;

	if ((l->error = kith_index_open(&idx, l->db, KITH_OPEN_CREATE)) == 0)
		for (i = 0; i < sizeof(l->files->feeds) / sizeof(l->files->feeds[0]) && !l->error; i++)
			l->error = kith_index_load(idx, l->files->feeds[i], NULL, NULL, NULL);
	kith_index_free(idx);
	return NULL;
}

static void test_workers_with_their_own_handles_agree(void **state)
{
	char *dir = ks_tmpdir(), db[4096], other[4096], *expected = NULL;
	pthread_t threads[WORKERS], load_thread;
	job jobs[WORKERS];
	loading l;
	paths files;
	int i;

	(void)state;
	files.profile = strdup(ks_src("corpus/kendal/patients/K03.xml"));
	files.feeds[0] = strdup(ks_src("corpus/kendal/feeds/kendal-wellbeing-hub.xml"));
	files.feeds[1] = strdup(ks_src("corpus/kendal/feeds/south-lakes-cvs.xml"));
	files.feeds[2] = strdup(ks_src("corpus/kendal/feeds/westmorland-council-directory.xml"));
	l.files = &files;
	snprintf(db, sizeof(db), "%s/kendal.db", dir);
	snprintf(other, sizeof(other), "%s/other.db", dir);
	l.db = db;
	loader(&l);
	assert_int_equal(l.error, 0);
	assert_int_equal(match_once(&files, db, &expected), 0);
	assert_true(ks_contains(expected, "south-lakes-cvs/carers-coffee-windermere"));
	l.db = other;
	assert_int_equal(pthread_create(&load_thread, NULL, loader, &l), 0);
	for (i = 0; i < WORKERS; i++) {
		jobs[i].files = &files;
		jobs[i].db = db;
		jobs[i].expected = expected;
		jobs[i].got = NULL;
		jobs[i].error = 0;
		assert_int_equal(pthread_create(&threads[i], NULL, worker, &jobs[i]), 0);
	}
	for (i = 0; i < WORKERS; i++)
		pthread_join(threads[i], NULL);
	pthread_join(load_thread, NULL);
	for (i = 0; i < WORKERS; i++) {
		assert_int_equal(jobs[i].error, 0);
		if (jobs[i].got)
			fail_msg("worker %d wrote:\n%s\ninstead of:\n%s", i, jobs[i].got, expected);
	}
	assert_int_equal(l.error, 0);
	free(expected);
	free(files.profile);
	for (i = 0; i < 3; i++)
		free(files.feeds[i]);
	ks_rmtree(dir);
	free(dir);
}

/* Once SQLite is in use, kith_threads_prepare() says so and changes nothing. */
static void test_prepare_after_use_is_refused(void **state)
{
	(void)state;
	assert_int_equal(kith_threads_prepare(), KITH_ERROR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_workers_with_their_own_handles_agree),
		cmocka_unit_test(test_prepare_after_use_is_refused),
	};

	/* first, before any kith or SQLite call, as a threaded program does */
	if (kith_threads_prepare() != 0) {
		fprintf(stderr, "kith_threads_prepare failed before any SQLite call\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
