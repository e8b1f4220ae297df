/*
 * A read-only deployment (issue 13, finding 1): an index built by a
 * maintainer is copied where link workers and kith serve replicas can
 * only read it -- a file they cannot write, a folder they cannot write, a
 * read-only mount.  Queries work there, and a case kith cannot read says
 * its real cause.  As root, the readers run as nobody in a child process.
 */
#define _DEFAULT_SOURCE /* setgroups, mount */
#include "support.h"

#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include "kith.h"

#define NOBODY 65534

/* What a link worker does with the index: open it, read its figures, match one person.  0 when all worked. */
static int query(const char *db, const char *expect_error)
{
	kith_index *idx = NULL;
	kith_matcher *m = NULL;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_stats *st = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	int status = 1;

	if (kith_index_open(&idx, db, KITH_OPEN_READONLY) != 0) {
		if (expect_error && strstr(kith_index_errmsg(idx), expect_error))
			status = 0;
		else
			fprintf(stderr, "open: %s\n", kith_index_errmsg(idx));
		goto cleanup;
	}
	if (expect_error)
		goto cleanup; /* it should not have opened */
	o.today = "2026-11-23";
	if (kith_index_stats(idx, o.today, &st) != 0 || kith_matcher_new(&m, idx, NULL, NULL) != 0 ||
	    kith_profile_new(&p, "Q") != 0 || kith_profile_set(p, "point", "54.3262,-2.74397") != 0 ||
	    kith_profile_set(p, "needs", "loneliness") != 0 || kith_matcher_run(m, p, &o, &r) != 0) {
		fprintf(stderr, "query: %s\n", m ? kith_matcher_errmsg(m) : kith_index_errmsg(idx));
		goto cleanup;
	}
	status = st->groups == 74 && kith_results_count(r) == 10 ? 0 : 1;
cleanup:
	kith_results_free(r);
	kith_profile_free(p);
	kith_matcher_free(m);
	kith_stats_free(st);
	kith_index_free(idx);
	return status;
}

/* query() in a child that cannot write what root could (nobody, when we are root): its exit status. */
static int as_reader(const char *db, const char *expect_error)
{
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setgid(NOBODY) != 0 || setuid(NOBODY) != 0))
			_exit(3);
		_exit(query(db, expect_error));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
}

/* A folder anyone may read and enter, holding the Kendal index, built as a maintainer does. */
static char *built_index(char **dir)
{
	kith_index *idx = NULL;
	char path[4096];
	static const char *const feeds[] = {"corpus/kendal/feeds/kendal-wellbeing-hub.xml",
					    "corpus/kendal/feeds/south-lakes-cvs.xml",
					    "corpus/kendal/feeds/westmorland-council-directory.xml"};
	size_t i;

	*dir = ks_tmpdir();
	assert_int_equal(chmod(*dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/kendal.db", *dir);
	assert_int_equal(kith_index_open(&idx, path, KITH_OPEN_CREATE), 0);
	for (i = 0; i < sizeof(feeds) / sizeof(feeds[0]); i++)
		assert_int_equal(kith_index_load(idx, ks_src(feeds[i]), NULL, NULL, NULL), 0);
	kith_index_free(idx);
	return strdup(path);
}

/* The header's journal mode: 1 for a rollback journal, 2 for write-ahead logging. */
static int journal_mode_of(const char *path)
{
	unsigned char header[20] = {0};
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	assert_int_equal(fread(header, 1, sizeof(header), f), sizeof(header));
	fclose(f);
	return header[18];
}

/* After kith index, the file stands alone, and a reader who can write neither it nor its folder queries it. */
static void test_read_only_file_and_folder(void **state)
{
	char *dir = NULL, *db = built_index(&dir), wal[4200];
	struct stat st;

	(void)state;
	assert_int_equal(journal_mode_of(db), 1);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	assert_int_not_equal(stat(wal, &st), 0);
	assert_int_equal(chmod(db, 0444), 0);
	assert_int_equal(chmod(dir, 0555), 0);
	assert_int_equal(as_reader(db, NULL), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	ks_rmtree(dir);
	free(dir);
	free(db);
}

/*
 * A copy left in write-ahead-log mode (taken while a load ran, say) in a
 * folder the reader cannot write: read as the immutable file it is there;
 * and when a "-wal" holds changes, the message says so rather than "attempt
 * to write a readonly database".
 */
static void test_wal_copy_in_read_only_folder(void **state)
{
	char *dir = NULL, *db = built_index(&dir), wal[4200];
	sqlite3 *s = NULL;
	FILE *f;

	(void)state;
	assert_int_equal(sqlite3_open(db, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA journal_mode=WAL", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(journal_mode_of(db), 2);
	assert_int_equal(chmod(dir, 0555), 0);
	assert_int_equal(as_reader(db, NULL), 0);

	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(wal, sizeof(wal), "%s-wal", db);
	assert_non_null(f = fopen(wal, "wb"));
	fputs("changes", f);
	fclose(f);
	assert_int_equal(chmod(dir, 0555), 0);
	assert_int_equal(as_reader(db, "its latest changes are in"), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	ks_rmtree(dir);
	free(dir);
	free(db);
}

/* On a read-only mount even root cannot write beside the index: it still answers. */
static void test_read_only_mount(void **state)
{
	char *dir = NULL, *db = built_index(&dir), mnt[4200], copy[4300], cmd[9000];
	int ok;

	(void)state;
	snprintf(mnt, sizeof(mnt), "%s/mnt", dir);
	assert_int_equal(mkdir(mnt, 0755), 0);
	if (geteuid() != 0 || mount("kith-test", mnt, "tmpfs", 0, "size=16m") != 0) {
		ks_rmtree(dir);
		free(dir);
		free(db);
		skip(); /* mounting needs root, and a system that lets a test mount */
	}
	snprintf(copy, sizeof(copy), "%s/kendal.db", mnt);
	snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", db, copy);
	ok = system(cmd) == 0 && mount("kith-test", mnt, "tmpfs", MS_REMOUNT | MS_RDONLY, "size=16m") == 0;
	if (ok)
		ok = query(copy, NULL) == 0;
	umount(mnt);
	ks_rmtree(dir);
	free(dir);
	free(db);
	assert_true(ok);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_only_file_and_folder),
		cmocka_unit_test(test_wal_copy_in_read_only_folder),
		cmocka_unit_test(test_read_only_mount),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
