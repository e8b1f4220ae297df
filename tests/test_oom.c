/*
 * Out of memory (issue 13, finding 6), the way SQLite tests itself: a load
 * and a match are run again and again, the N-th allocation failing in run
 * N -- kith's own (linked with --wrap=malloc and friends) and SQLite's
 * (SQLITE_CONFIG_MALLOC) -- until a run meets no failure.  Every run must
 * end in a clear error or in success, never a crash (each runs in a child
 * process), and a failed load must leave the index exactly as it was.
 * libxml2's own allocations are not failed here: libxml2 2.9.14 can crash
 * when one fails (README, "What kith promises").
 */
#include "support.h"

#include <execinfo.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "kith.h"

/* The allocation that fails (0: none), and how many have been made since arming (the loader's two threads both count).
 */
static long fail_at;
static _Atomic long made;
/* What the run gives when nothing fails: the match as TREC lines (the parent's, inherited by each child). */
static char *reference;

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* Where the failing allocation is (a breakpoint for a debugger: OOM_ONE=N below). */
void kith_oom_hit(void);
static void *hit_trace[32];
static int hit_depth;

__attribute__((noinline)) void kith_oom_hit(void)
{
	hit_depth = backtrace(hit_trace, 32); /* said when the failure went unnoticed */
}

static int fails(void)
{
	if (fail_at && atomic_fetch_add(&made, 1) + 1 == fail_at) {
		kith_oom_hit();
		return 1;
	}
	return 0;
}

void *__wrap_malloc(size_t size)
{
	return fails() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	return fails() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	return fails() ? NULL : __real_realloc(p, size);
}

char *__wrap_strdup(const char *s)
{
	return fails() ? NULL : __real_strdup(s);
}

char *__wrap_strndup(const char *s, size_t n)
{
	return fails() ? NULL : __real_strndup(s, n);
}

/* SQLite's allocations, through the same count; each keeps its size before it, as SQLite's own allocator does. */
static void *sq_malloc(int n)
{
	sqlite3_int64 *p = fails() ? NULL : __real_malloc((size_t)n + 8);

	if (!p)
		return NULL;
	p[0] = n;
	return p + 1;
}

static void sq_free(void *p)
{
	if (p)
		free((sqlite3_int64 *)p - 1);
}

static void *sq_realloc(void *p, int n)
{
	sqlite3_int64 *q = fails() ? NULL : __real_realloc((sqlite3_int64 *)p - 1, (size_t)n + 8);

	if (!q)
		return NULL;
	q[0] = n;
	return q + 1;
}

static int sq_size(void *p)
{
	return p ? (int)((sqlite3_int64 *)p)[-1] : 0;
}

static int sq_roundup(int n)
{
	return (n + 7) & ~7;
}

static int sq_init(void *ctx)
{
	(void)ctx;
	return SQLITE_OK;
}

static void sq_shutdown(void *ctx)
{
	(void)ctx;
}

/* Copies a file byte for byte: 0 on success. */
static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[65536];
	size_t n;
	int error = !in || !out;

	while (!error && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		error = fwrite(buf, 1, n, out) != n;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		error = 1;
	return error;
}

/* Groups of a feed in the index at db, by plain SQLite (-1 on error). */
static long groups_of(const char *db, const char *feed)
{
	sqlite3 *s = NULL;
	sqlite3_stmt *st = NULL;
	long n = -1;

	if (sqlite3_open(db, &s) == SQLITE_OK &&
	    sqlite3_prepare_v2(s, "SELECT count(*) FROM groups WHERE feed_id = ?1", -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, feed, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			n = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	return n;
}

/*
 * One run, in the child: a load of a second feed into the index at db and
 * a match, the fail_at-th allocation failing.  Exit 0: no allocation
 * failed (the runs are over); 1: one failed and a clean error came back;
 * 3: one failed and kith went on without it (a cache, say), giving the
 * same results; 4: it went on but gave other results; 2: an error came
 * back though no allocation failed.  With reference NULL, sets it.
 */
static int run(const char *db, const char *feed)
{
	kith_index *idx = NULL;
	kith_matcher *m = NULL;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	int rc;

	o.today = "2026-11-23";
	made = 0;
	rc = kith_index_open(&idx, db, KITH_OPEN_CREATE);
	if (rc == 0)
		rc = kith_index_load(idx, feed, NULL, NULL, NULL);
	if (rc == 0)
		rc = kith_matcher_new(&m, idx, NULL, NULL);
	if (rc == 0)
		rc = kith_profile_new(&p, "Q");
	if (rc == 0)
		rc = kith_profile_set(p, "point", "52.0826,0.4390");
	if (rc == 0)
		rc = kith_profile_set(p, "needs", "loneliness");
	if (rc == 0)
		rc = kith_matcher_run(m, p, &o, &r);
	if (rc == 0) {
		kith_render_opts ro = KITH_RENDER_OPTS_INIT;
		char *text = NULL;
		ro.format = KITH_FORMAT_TREC;
		rc = kith_results_render(r, &ro, &text);
		if (rc == 0 && !reference)
			reference = text;
		else if (rc == 0 && strcmp(text, reference) != 0)
			rc = 4;
		if (text != reference)
			free(text);
		if (rc == 4) {
			backtrace_symbols_fd(hit_trace, hit_depth, 2);
			return 4;
		}
	}
	kith_results_free(r);
	kith_profile_free(p);
	kith_matcher_free(m);
	kith_index_free(idx);
	if (!fail_at || made < fail_at)
		return rc != 0 ? 2 : 0; /* no allocation failed: an error then is not this test's */
	return rc != 0 ? 1 : 3;
}

static void test_every_allocation_fails_once(void **state)
{
	char *dir = ks_tmpdir(), template_db[4096], db[4200];
	char first[4096], second[4096];
	long n, clean = 0, went_on = 0, stride;

	(void)state;
	snprintf(first, sizeof(first), "%s", ks_src("tests/data/match/testtown.xml")); /* ks_src reuses one buffer */
	snprintf(second, sizeof(second), "%s", ks_src("tests/data/feeds/full.xml"));
	snprintf(template_db, sizeof(template_db), "%s/template.db", dir);
	snprintf(db, sizeof(db), "%s/run.db", dir);
	{
		kith_index *idx = NULL;
		assert_int_equal(kith_index_open(&idx, template_db, KITH_OPEN_CREATE), 0);
		assert_int_equal(kith_index_load(idx, first, NULL, NULL, NULL), 0);
		kith_index_free(idx);
	}
	/* the results with nothing failing, for the runs that go on without an allocation to compare with */
	assert_int_equal(copy_file(template_db, db), 0);
	fail_at = 0;
	assert_int_equal(run(db, second), 0);
	assert_non_null(reference);
	stride = getenv("KITH_OOM_STRIDE") ? strtol(getenv("KITH_OOM_STRIDE"), NULL, 10) : 13;
	if (stride < 1)
		stride = 1;
	for (n = 1; n < 100000; n += stride) {
		pid_t pid;
		int status;
		assert_int_equal(copy_file(template_db, db), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			/* a crash is a signal to the parent, not the test framework's handlers in this copy of it */
			signal(SIGSEGV, SIG_DFL);
			signal(SIGABRT, SIG_DFL);
			signal(SIGBUS, SIG_DFL);
			signal(SIGILL, SIG_DFL);
			signal(SIGFPE, SIG_DFL);
			fail_at = n;
			_exit(run(db, second));
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFEXITED(status))
			fail_msg("allocation %ld failing crashed the run (signal %d)", n,
				 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		if (WEXITSTATUS(status) == 0)
			break; /* no allocation failed: every one has been tried */
		if (WEXITSTATUS(status) == 4)
			fail_msg("allocation %ld failing went unnoticed and changed the results", n);
		if (WEXITSTATUS(status) != 1 && WEXITSTATUS(status) != 3)
			fail_msg("allocation %ld failing gave no clean error (status %d)", n, WEXITSTATUS(status));
		went_on += WEXITSTATUS(status) == 3;
		/* the index as it was, or with the whole second feed when the failure came after its commit */
		if (groups_of(db, "testtown") <= 0)
			fail_msg("allocation %ld failing harmed the first feed", n);
		if (groups_of(db, "haverhill-lifelink") != 0 && groups_of(db, "haverhill-lifelink") != 3)
			fail_msg("allocation %ld failing left part of a feed", n);
		clean++;
	}
	assert_true(n < 100000);
	printf("out of memory: %ld allocations (every %ld%s) each failed once: %ld a clean error, %ld gone on "
	       "without, with the same results\n",
	       clean, stride, stride == 1 ? "" : "th: make test-oom tries them all", clean - went_on, went_on);
	free(reference);
	ks_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_allocation_fails_once),
	};
	static const sqlite3_mem_methods methods = {sq_malloc,  sq_free, sq_realloc,  sq_size,
						    sq_roundup, sq_init, sq_shutdown, NULL};

	/* before SQLite starts: its allocations then go through the count too */
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK)
		return 1;
	if (getenv("OOM_ONE")) { /* one run, in this process, for a debugger: OOM_ONE=N DB FEED */
		kith_index *idx = NULL;
		char template_db[4200];
		snprintf(template_db, sizeof(template_db), "%s.template", getenv("OOM_DB"));
		char copy[4300];
		kith_index_open(&idx, template_db, KITH_OPEN_CREATE); /* as the test's parent does first */
		kith_index_load(idx, getenv("OOM_FIRST"), NULL, NULL, NULL);
		kith_index_free(idx);
		snprintf(copy, sizeof(copy), "%s.copy", template_db);
		copy_file(template_db, copy);
		run(copy, getenv("OOM_FEED"));
		copy_file(template_db, getenv("OOM_DB"));
		fail_at = strtol(getenv("OOM_ONE"), NULL, 10);
		return run(getenv("OOM_DB"), getenv("OOM_FEED"));
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
