/*
 * Faults a load meets in deployment (issue 13, finding 4), each said as its
 * real cause and leaving the index as it was: a second loader while one
 * holds the index; a disk that fills during a load (a small tmpfs, when the
 * test may mount one).
 */
#define _DEFAULT_SOURCE /* mount */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "kith.h"
#include "util/buf.h"

/* A feed of n groups with long descriptions: enough to fill a small disk. */
static char *big_feed(const char *dir, int n)
{
	kith_buf xml = KITH_BUF_INIT;
	char *path;
	int i;

	kith_buf_puts(&xml, "<feed xmlns=\"urn:kith:feed:1\" id=\"big\" version=\"1\">\n");
	for (i = 0; i < n; i++)
		kith_buf_printf(&xml,
				"<group id=\"g%d\"><name>Group %d</name><description>A friendly weekly group number %d "
				"for anyone who would like company, a cup of tea, a walk by the river, a game of "
				"dominoes, some gardening in the community allotment, singing in a small choir, or "
				"simply a chat with people who live nearby; volunteers welcome too.</description>"
				"<venue><point lat=\"54.%04d\" lon=\"-2.%04d\"/></venue></group>\n",
				i, i, i, 3000 + i % 5000, 7000 + i % 3000);
	kith_buf_puts(&xml, "</feed>\n");
	path = ks_write(dir, "big.xml", xml.ptr);
	kith_buf_release(&xml);
	return path;
}

/* How many groups the index at db holds (-1 when it cannot be read). */
static long long groups_in(const char *db)
{
	kith_index *idx = NULL;
	kith_stats *st = NULL;
	long long n = -1;

	if (kith_index_open(&idx, db, KITH_OPEN_READONLY) == 0 && kith_index_stats(idx, NULL, &st) == 0)
		n = st->groups;
	kith_stats_free(st);
	kith_index_free(idx);
	return n;
}

/* A second loader, while another holds the index, is told so and changes nothing. */
static void test_second_loader(void **state)
{
	char *dir = ks_tmpdir(), db[4096];
	kith_index *idx = NULL;
	sqlite3 *other = NULL;
	kith_load_report r;
	int rc;

	(void)state;
	snprintf(db, sizeof(db), "%s/k.db", dir);
	assert_int_equal(kith_index_open(&idx, db, KITH_OPEN_CREATE), 0);
	assert_int_equal(kith_index_load(idx, ks_src("corpus/kendal/feeds/south-lakes-cvs.xml"), NULL, &r, NULL), 0);
	kith_index_free(idx);

	assert_int_equal(sqlite3_open(db, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	rc = kith_index_open(&idx, db, KITH_OPEN_CREATE);
	if (rc == 0)
		rc = kith_index_load(idx, ks_src("corpus/kendal/feeds/kendal-wellbeing-hub.xml"), NULL, &r, NULL);
	assert_int_not_equal(rc, 0);
	assert_non_null(strstr(kith_index_errmsg(idx), "another program holds the index"));
	assert_null(strstr(kith_index_errmsg(idx), "cannot rollback"));
	kith_index_free(idx);
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	assert_int_equal(groups_in(db), 38);
	ks_rmtree(dir);
	free(dir);
}

/* A disk that fills during a load: "the disk is full", never "cannot rollback", and the index as it was. */
static void test_full_disk(void **state)
{
	char *dir = ks_tmpdir(), *feed, mnt[4096], db[4200];
	kith_index *idx = NULL;
	kith_load_report r;
	int rc;

	(void)state;
	snprintf(mnt, sizeof(mnt), "%s/small", dir);
	assert_int_equal(mkdir(mnt, 0755), 0);
	if (geteuid() != 0 || mount("kith-test", mnt, "tmpfs", 0, "size=1m") != 0) {
		ks_rmtree(dir);
		free(dir);
		skip(); /* a small disk needs root, and a system that lets a test mount */
	}
	feed = big_feed(dir, 4000);
	snprintf(db, sizeof(db), "%s/k.db", mnt);
	assert_int_equal(kith_index_open(&idx, db, KITH_OPEN_CREATE), 0);
	assert_int_equal(kith_index_load(idx, ks_src("corpus/kendal/feeds/south-lakes-cvs.xml"), NULL, &r, NULL), 0);
	rc = kith_index_load(idx, feed, NULL, &r, NULL);
	assert_int_not_equal(rc, 0);
	if (!strstr(kith_index_errmsg(idx), "the disk is full"))
		fail_msg("message: %s", kith_index_errmsg(idx));
	assert_null(strstr(kith_index_errmsg(idx), "cannot rollback"));
	kith_index_free(idx);
	assert_int_equal(groups_in(db), 38);
	umount(mnt);
	ks_rmtree(dir);
	free(dir);
	free(feed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_second_loader),
		cmocka_unit_test(test_full_disk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
