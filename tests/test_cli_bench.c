/*
 * kith bench quality and kith tune, end to end through the real program, on
 * the project's own judged set (corpus/kendal) and on small sets made from
 * tests/data/judge/.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const systems[] = {"kith", "filtered-text", "text", "nearest", "random"};

/* A number that follows `"name": ` after from in text; fails the test when absent. */
static double json_number(const char *text, const char *from, const char *name)
{
	char pattern[64];
	const char *at = strstr(text, from), *p;

	if (!at)
		fail_msg("'%s' not in the output", from);
	snprintf(pattern, sizeof(pattern), "\"%s\": ", name);
	if ((p = strstr(at, pattern)) == NULL)
		fail_msg("'%s' not after '%s'", pattern, from);
	return strtod(p + strlen(pattern), NULL);
}

/* A small set in dir/name: the judge feed, two patients, and the qrels given. */
static char *make_set(const char *dir, const char *name, const char *qrels)
{
	char sub[512], *feed = ks_read(ks_src("tests/data/judge/feed.xml"));
	char *walker = ks_read(ks_src("tests/data/judge/walker.xml"));
	char *unknown = ks_read(ks_src("tests/data/judge/unknown.xml"));
	char *set;

	assert_non_null(feed);
	assert_non_null(walker);
	assert_non_null(unknown);
	snprintf(sub, sizeof(sub), "%s/%s", dir, name);
	assert_int_equal(mkdir(sub, 0777), 0);
	snprintf(sub, sizeof(sub), "%s/%s/feeds", dir, name);
	assert_int_equal(mkdir(sub, 0777), 0);
	free(ks_write(sub, "judge.xml", feed));
	snprintf(sub, sizeof(sub), "%s/%s/patients", dir, name);
	assert_int_equal(mkdir(sub, 0777), 0);
	free(ks_write(sub, "walker.xml", walker));
	free(ks_write(sub, "unknown.xml", unknown));
	snprintf(sub, sizeof(sub), "%s/%s", dir, name);
	set = ks_write(sub, "qrels.txt", qrels);
	free(set);
	free(feed);
	free(walker);
	free(unknown);
	return strdup(sub);
}

static void test_quality_json_on_kendal(void **state)
{
	char *out = NULL, *err = NULL;
	const char *kith, *mean;
	double kith_ndcg, random_ndcg, nearest_ndcg;

	(void)state;
	assert_int_equal(ks_kith(&out, &err, "bench quality '%s' --date 2026-11-23 --json", ks_src("corpus/kendal")),
			 0);
	assert_true(ks_contains(out, "\"date\": \"2026-11-23\""));
	assert_true(ks_contains(out, "\"name\": \"kendal\""));
	assert_true(ks_contains(out, "\"groups\": 74, \"duplicates\": 0, \"patients\": 12, \"scored\": 12"));
	/* kith itself never recommends what a hard constraint rules out. */
	kith = strstr(out, "{\"system\": \"kith\"");
	assert_non_null(kith);
	assert_int_equal((int)json_number(out, "{\"system\": \"kith\"", "breaches"), 0);
	assert_int_equal((int)json_number(out, "{\"system\": \"filtered-text\"", "breaches"), 0);
	/* The unfiltered baselines do, which shows the checker is awake. */
	assert_true(json_number(out, "{\"system\": \"random\"", "breaches") > 0);
	assert_true(json_number(out, "{\"system\": \"text\"", "breaches") > 0);
	/* kith beats the naive baselines by a distance. */
	kith_ndcg = json_number(out, "{\"system\": \"kith\"", "ndcg10");
	random_ndcg = json_number(out, "{\"system\": \"random\"", "ndcg10");
	nearest_ndcg = json_number(out, "{\"system\": \"nearest\"", "ndcg10");
	assert_true(kith_ndcg > 0.5 && kith_ndcg <= 1.0);
	assert_true(kith_ndcg > random_ndcg + 0.2);
	assert_true(kith_ndcg > nearest_ndcg + 0.2);
	/* Per patient, with the breaches listed (none here). */
	assert_true(ks_contains(kith, "{\"id\": \"K01\", \"scored\": true"));
	assert_true(ks_contains(kith, "\"breaches\": []"));
	mean = strstr(out, "\"mean\": {\"sets\": 1");
	assert_non_null(mean);
	assert_true(ks_contains(mean, "{\"system\": \"kith\""));
	free(out);
	free(err);
}

/* Checks one TREC run file: `PATIENT Q0 KEY RANK SCORE RUN-NAME`, ranks 1.. per patient. */
static void check_run_file(const char *path, const char *run_name)
{
	char *text = ks_read(path), *line, *save = NULL;
	char last[64] = "";
	size_t expected = 1, lines = 0;

	if (!text)
		fail_msg("no run file %s", path);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char patient[64], q0[8], key[256], name[64], extra[8];
		size_t rank;
		double score;
		int n = sscanf(line, "%63s %7s %255s %zu %lf %63s %7s", patient, q0, key, &rank, &score, name, extra);
		if (n != 6)
			fail_msg("%s: '%s' is not a TREC run line", path, line);
		assert_string_equal(q0, "Q0");
		assert_non_null(strchr(key, '/'));
		assert_string_equal(name, run_name);
		if (strcmp(patient, last) != 0) {
			snprintf(last, sizeof(last), "%s", patient);
			expected = 1;
		}
		assert_int_equal(rank, expected);
		assert_true(rank <= 10);
		expected++;
		lines++;
	}
	assert_true(lines >= 12);
	free(text);
}

static void test_runs_written(void **state)
{
	char *dir = ks_tmpdir(), *out = NULL, path[512];
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s/runs", dir);
	assert_int_equal(ks_kith(&out, NULL, "bench quality --date 2026-11-23 --runs '%s' '%s' --per-patient", path,
				 ks_src("corpus/kendal")),
			 0);
	/* The text table: a header, one row per system, the kith patients. */
	assert_true(ks_contains(out, "NDCG@5  NDCG@10    P@5    MRR   R@10  breaches"));
	for (i = 0; i < sizeof(systems) / sizeof(systems[0]); i++) {
		char row[64];
		snprintf(row, sizeof(row), "\n  %-14s ", systems[i]);
		assert_true(ks_contains(out, row));
		snprintf(path, sizeof(path), "%s/runs/kendal-%s.run", dir, systems[i]);
		check_run_file(path, systems[i]);
	}
	assert_true(ks_contains(out, "\n  K12 "));
	free(out);
	ks_rmtree(dir);
	free(dir);
}

/* A set of our own: one patient scored, one not, a judgment of a group no feed has. */
static void test_small_set(void **state)
{
	char *dir = ks_tmpdir(), *out = NULL, *err = NULL;
	char *set = make_set(dir, "tiny",
			     "walker 0 judge/plain 3\n"
			     "walker 0 judge/free 2\n"
			     "walker 0 judge/far 3\n" /* wrong on purpose: it breaks reach */
			     "unknown 0 judge/plain 1\n"
			     "walker 0 judge/nowhere 2\n");

	(void)state;
	assert_int_equal(ks_kith(&out, &err, "bench quality --date 2026-11-23 '%s'", set), 0);
	assert_true(ks_contains(out, "tiny: 37 groups (0 listed twice), 2 patients, 1 scored"));
	assert_true(ks_contains(out, "left out of the means (no group graded 2 or more): unknown"));
	assert_true(ks_contains(err, "qrels.txt:5: warning: group 'judge/nowhere' is in no feed of the set"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "bench quality --date 2026-11-23 --json '%s'", set), 0);
	assert_true(ks_contains(out, "{\"id\": \"unknown\", \"scored\": false, \"relevant\": 0, \"ndcg5\": null"));
	assert_int_equal((int)json_number(out, "{\"system\": \"kith\"", "scored"), 1);
	free(out);
	free(err);
	ks_rmtree(dir);
	free(set);
	free(dir);
}

/*
 * duplicates.txt: the dedup-aware NDCG@10 beside the plain one; and --desk,
 * where each home is its postcode's district centre while the judge still
 * checks the real one.
 */
static void test_duplicates_and_the_desk(void **state)
{
	char *dir = ks_tmpdir(), *out = NULL, *err = NULL, *set, *dups;
	char sub[512];

	(void)state;
	set = make_set(dir, "twice", "walker 0 judge/plain 3\nwalker 0 judge/free 3\n");
	snprintf(sub, sizeof(sub), "%s", set);
	dups = ks_write(sub, "duplicates.txt", "judge/plain judge/free\n");
	assert_int_equal(ks_kith(&out, &err, "bench quality --date 2026-11-23 '%s'", set), 0);
	assert_true(ks_contains(out, "twice: 37 groups (1 listed twice), 2 patients, 1 scored"));
	assert_true(ks_contains(out, "NDCG@10 dd    0@5"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "bench quality --date 2026-11-23 --json '%s'", set), 0);
	assert_true(ks_contains(out, "\"duplicates\": 1"));
	assert_true(ks_contains(out, "\"dedup\": {\"ndcg5\": "));
	assert_true(ks_contains(out, "\"unsuitable_top5\": "));
	free(out);
	free(err);
	free(ks_write(sub, "duplicates.txt", "judge/plain\n"));
	assert_int_equal(ks_kith(&out, &err, "bench quality --date 2026-11-23 '%s'", set), 2);
	assert_true(ks_contains(err, "duplicates.txt:1: one key alone"));
	free(out);
	free(err);
	/* at the desk every Kendal home is placed by its postcode */
	ks_kith(&out, &err, "bench quality --desk --date 2026-11-23 '%s'", ks_src("corpus/kendal"));
	assert_true(ks_contains(out, "at the desk: 12 of the 12 homes placed by postcode district, not point"));
	free(out);
	free(err);
	ks_rmtree(dir);
	free(dups);
	free(set);
	free(dir);
}

/* The project's own judged sets, areas served and all, load; kith breaks no hard constraint on any of them. */
static void test_own_judged_sets(void **state)
{
	static const char *const sets[] = {"dev/bangor",          "dev/barnsley",        "dev/hastings",
					   "validation/bradford", "validation/skegness", "validation/truro"};
	char *out = NULL, *err = NULL, path[4096];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		snprintf(path, sizeof(path), "%s/bench/judged/%s", ks_srcdir(), sets[i]);
		assert_int_equal(ks_kith(&out, &err, "bench quality --date 2026-11-23 '%s'", path), 0);
		assert_true(ks_contains(out, "10 patients, 10 scored"));
		assert_true(ks_contains(out, "(4 listed twice)"));
		free(out);
		free(err);
	}
}

static void test_errors(void **state)
{
	char *dir = ks_tmpdir(), *out = NULL, *err = NULL;
	char *bad = make_set(dir, "bad", "walker 0 judge/plain 3\nwalker 0 judge/free two\n");

	(void)state;
	assert_int_equal(ks_kith(&out, &err, "bench quality --date 2026-11-23 '%s'", bad), 2);
	assert_true(ks_contains(err, "qrels.txt:2: grade 'two' is not a whole number from 0 to 3"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "bench quality --date 2026-11-23 '%s/none'", dir), 2);
	assert_true(ks_contains(err, "no such benchmark set"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "bench quality --date 23/11/2026 '%s'", ks_src("corpus/kendal")), 2);
	assert_true(ks_contains(err, "'23/11/2026' is not a date"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "bench"), 2);
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "bench quality"), 2);
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "bench speed x"), 2);
	assert_true(ks_contains(err, "unknown benchmark 'speed'"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, NULL, "bench quality --help"), 0);
	assert_true(ks_contains(out, "--runs DIR"));
	free(out);
	assert_int_equal(ks_kith(&out, NULL, "tune --help"), 0);
	assert_true(ks_contains(out, "--out FILE"));
	free(out);
	ks_rmtree(dir);
	free(bad);
	free(dir);
}

/* tune on one set says there is no held-out score; its weights file is one `kith match` accepts. */
static void test_tune_writes_weights(void **state)
{
	char *dir = ks_tmpdir(), *out = NULL, *err = NULL, *text, weights[512], db[512];

	(void)state;
	snprintf(weights, sizeof(weights), "%s/weights.conf", dir);
	snprintf(db, sizeof(db), "%s/kendal.db", dir);
	assert_int_equal(ks_kith(&out, &err, "tune --date 2026-11-23 --rounds 1 --out '%s' '%s'", weights,
				 ks_src("corpus/kendal")),
			 0);
	assert_true(ks_contains(out, "no held-out score"));
	assert_true(ks_contains(out, "trained on all: mean NDCG@10 "));
	text = ks_read(weights);
	assert_non_null(text);
	assert_true(ks_contains(text, "# Written by `kith tune` (as of 2026-11-23) on: kendal"));
	assert_true(ks_contains(text, "\nneeds "));
	assert_true(ks_contains(text, "\nvariety "));
	free(text);
	free(out);
	free(err);

	assert_int_equal(ks_kith(NULL, NULL, "index --quiet '%s' '%s'/*.xml", db, ks_src("corpus/kendal/feeds")), 0);
	assert_int_equal(ks_kith(&out, &err, "match '%s' '%s' --date 2026-11-23 --weights '%s' --format trec", db,
				 ks_src("corpus/kendal/patients/K01.xml"), weights),
			 0);
	assert_true(ks_lines(out) >= 1);
	free(out);
	free(err);
	/* And bench quality takes it too. */
	assert_int_equal(ks_kith(&out, &err, "bench quality --date 2026-11-23 --weights '%s' '%s'", weights,
				 ks_src("corpus/kendal")),
			 0);
	free(out);
	free(err);
	ks_rmtree(dir);
	free(dir);
}

/* With two sets, each is held out in turn. */
static void test_tune_cross_validation(void **state)
{
	char *dir = ks_tmpdir(), *out = NULL, *err = NULL;
	char *a = make_set(dir, "north", "walker 0 judge/plain 3\nwalker 0 judge/free 2\nunknown 0 judge/plain 2\n");
	char *b = make_set(dir, "south", "walker 0 judge/over-60 3\nunknown 0 judge/far 2\n");

	(void)state;
	assert_int_equal(ks_kith(&out, &err, "tune --date 2026-11-23 --rounds 1 '%s' '%s'", a, b), 0);
	assert_true(ks_contains(out, "leave one set out"));
	assert_true(ks_contains(out, "  without north "));
	assert_true(ks_contains(out, "  without south "));
	assert_true(ks_contains(out, "mean held out"));
	assert_false(ks_contains(out, "no held-out score"));
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "tune '%s' --rounds 0", a), 2);
	assert_true(ks_contains(err, "--rounds"));
	free(out);
	free(err);
	ks_rmtree(dir);
	free(a);
	free(b);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quality_json_on_kendal),
		cmocka_unit_test(test_runs_written),
		cmocka_unit_test(test_small_set),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_duplicates_and_the_desk),
		cmocka_unit_test(test_own_judged_sets),
		cmocka_unit_test(test_tune_writes_weights),
		cmocka_unit_test(test_tune_cross_validation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
