/*
 * Judgments (TREC qrels) and the ranking measures, against values worked
 * out by hand.
 */
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kith/common.h"
#include "eval/metrics.h"

#define EPS 1e-4

/*
 * The worked example.  Patient P has these judgments:
 *   a 3, b 2, c 1, d 0, e 2        (f is not judged: grade 0)
 * and a run ranks  c, a, f, b, d  so its grades are 1, 3, 0, 2, 0.
 *
 * Gains are 2^grade - 1 (1, 7, 0, 3, 0) and rank r is discounted by log2(r + 1):
 *   DCG@5  = 1/log2(2) + 7/log2(3) + 0/log2(4) + 3/log2(5) + 0/log2(6)
 *          = 1 + 4.41650 + 0 + 1.29203 + 0                      = 6.70854
 * The ideal list is every judged grade best first, 3 2 2 1 0:
 *   IDCG@5 = 7/log2(2) + 3/log2(3) + 3/log2(4) + 1/log2(5) + 0
 *          = 7 + 1.89279 + 1.5 + 0.43068                        = 10.82347
 *   NDCG@5 = 6.70854 / 10.82347 = 0.61981, and NDCG@10 is the same
 *   (neither list has anything below rank 5).
 * Relevant means grade 2 or more: a, b and e.
 *   P@5 = 2 relevant (a, b) / 5 = 0.4
 *   RR  = 1 / 2 (a, at rank 2, is the first relevant) = 0.5
 *   R@10 = 2 found / 3 relevant = 0.66667
 */
static const char example_qrels[] = "P 0 f1/a 3\n"
				    "P 0 f1/b 2\n"
				    "P\t0\tf1/c\t1\r\n" /* tabs and CRLF are fine */
				    "\n"
				    "P 0 f2/d 0\n"
				    "   \n"
				    "P Q0 f2/e 2\n" /* the iteration field is ignored */
				    "Z 0 f1/a 0\n"
				    "Z 0 f1/b 1\n";

static void parse_ok(kith_qrels *q, const char *text)
{
	kith_buf err = KITH_BUF_INIT;
	int rc = kith_qrels_parse(q, text, strlen(text), "qrels.txt", &err);

	if (rc != 0)
		fail_msg("unexpected error %d: %s", rc, err.ptr);
	kith_buf_release(&err);
}

static void test_worked_example(void **state)
{
	static const char *const run[] = {"f1/c", "f1/a", "f9/f", "f1/b", "f2/d"};
	kith_qrels q = KITH_QRELS_INIT;
	const kith_qrel *judged;
	int grades[5], jgrades[8];
	size_t n, i;
	kith_metrics m;

	(void)state;
	parse_ok(&q, example_qrels);
	assert_int_equal(q.count, 7);
	kith_metrics_grades(&q, "P", run, 5, grades);
	assert_int_equal(grades[0], 1);
	assert_int_equal(grades[1], 3);
	assert_int_equal(grades[2], 0);
	assert_int_equal(grades[3], 2);
	assert_int_equal(grades[4], 0);
	judged = kith_qrels_patient(&q, "P", &n);
	assert_int_equal(n, 5);
	for (i = 0; i < n; i++)
		jgrades[i] = judged[i].grade;

	assert_float_equal(kith_metric_dcg(grades, 5, 5), 6.70854, EPS);
	assert_float_equal(kith_metric_ndcg(grades, 5, jgrades, n, 5), 0.61981, EPS);
	assert_float_equal(kith_metric_ndcg(grades, 5, jgrades, n, 10), 0.61981, EPS);
	assert_float_equal(kith_metric_precision(grades, 5, 5), 0.4, EPS);
	assert_float_equal(kith_metric_rr(grades, 5), 0.5, EPS);
	assert_float_equal(kith_metric_recall(grades, 5, 10, 3), 2.0 / 3.0, EPS);

	kith_metrics_eval(&m, grades, 5, jgrades, n);
	assert_true(m.scored);
	assert_int_equal(m.relevant, 3);
	assert_float_equal(m.ndcg5, 0.61981, EPS);
	assert_float_equal(m.ndcg10, 0.61981, EPS);
	assert_float_equal(m.p5, 0.4, EPS);
	assert_float_equal(m.mrr, 0.5, EPS);
	assert_float_equal(m.recall10, 2.0 / 3.0, EPS);

	/* The order of the judged grades does not matter for the ideal. */
	{
		int shuffled[5] = {0, 2, 1, 3, 2};
		assert_float_equal(kith_metric_ndcg(grades, 5, shuffled, 5, 5), 0.61981, EPS);
	}
	/* The ideal run scores 1 everywhere. */
	{
		int ideal[5] = {3, 2, 2, 1, 0};
		kith_metrics_eval(&m, ideal, 5, jgrades, n);
		assert_float_equal(m.ndcg5, 1.0, EPS);
		assert_float_equal(m.ndcg10, 1.0, EPS);
		assert_float_equal(m.p5, 0.6, EPS);
		assert_float_equal(m.mrr, 1.0, EPS);
		assert_float_equal(m.recall10, 1.0, EPS);
	}
	kith_qrels_release(&q);
}

/* NDCG@5 only looks at the first five; the ideal is cut at k too. */
static void test_cutoff(void **state)
{
	int run[7] = {0, 0, 0, 0, 0, 3, 3};
	int judged[2] = {3, 3};

	(void)state;
	assert_float_equal(kith_metric_ndcg(run, 7, judged, 2, 5), 0.0, EPS);
	/* @10: DCG = 7/log2(7) + 7/log2(8) = 2.49339 + 2.33333; IDCG = 7 + 7/log2(3) = 11.41650 */
	assert_float_equal(kith_metric_ndcg(run, 7, judged, 2, 10), (7 / log2(7.0) + 7 / 3.0) / (7 + 7 / log2(3.0)),
			   EPS);
	assert_float_equal(kith_metric_rr(run, 7), 1.0 / 6.0, EPS);
	assert_float_equal(kith_metric_precision(run, 7, 5), 0.0, EPS);
	assert_float_equal(kith_metric_recall(run, 7, 10, 2), 1.0, EPS);
	assert_float_equal(kith_metric_recall(run, 7, 5, 2), 0.0, EPS);
}

/* A short run: P@5 still divides by 5; an empty run scores 0. */
static void test_short_and_empty_runs(void **state)
{
	int run[2] = {2, 0};
	int judged[3] = {2, 2, 0};
	kith_metrics m;

	(void)state;
	assert_float_equal(kith_metric_precision(run, 2, 5), 0.2, EPS);
	assert_float_equal(kith_metric_precision(run, 2, 0), 0.0, EPS);
	kith_metrics_eval(&m, NULL, 0, judged, 3);
	assert_true(m.scored);
	assert_float_equal(m.ndcg10, 0.0, EPS);
	assert_float_equal(m.p5, 0.0, EPS);
	assert_float_equal(m.mrr, 0.0, EPS);
	assert_float_equal(m.recall10, 0.0, EPS);
}

/*
 * Ties: the measures read the run's order, not its scores, so two groups
 * of equal score count in the place the run put them; groups of equal
 * grade can swap without changing anything.
 */
static void test_ties_and_repeats(void **state)
{
	static const char *const ab[] = {"f1/a", "f1/b"};
	static const char *const ba[] = {"f1/b", "f1/a"};
	static const char *const be[] = {"f1/b", "f2/e"};
	static const char *const eb[] = {"f2/e", "f1/b"};
	static const char *const repeat[] = {"f1/a", "f1/a", "f1/b"};
	kith_qrels q = KITH_QRELS_INIT;
	int g1[3], g2[3], judged[5] = {3, 2, 1, 0, 2};

	(void)state;
	parse_ok(&q, example_qrels);
	kith_metrics_grades(&q, "P", ab, 2, g1);
	kith_metrics_grades(&q, "P", ba, 2, g2);
	/* a (3) then b (2): 7 + 3/log2(3); b then a: 3 + 7/log2(3) */
	assert_float_equal(kith_metric_dcg(g1, 2, 10), 7 + 3 / log2(3.0), EPS);
	assert_float_equal(kith_metric_dcg(g2, 2, 10), 3 + 7 / log2(3.0), EPS);
	assert_true(kith_metric_ndcg(g1, 2, judged, 5, 10) > kith_metric_ndcg(g2, 2, judged, 5, 10));
	/* b and e are both 2: their order does not matter. */
	kith_metrics_grades(&q, "P", be, 2, g1);
	kith_metrics_grades(&q, "P", eb, 2, g2);
	assert_float_equal(kith_metric_ndcg(g1, 2, judged, 5, 10), kith_metric_ndcg(g2, 2, judged, 5, 10), 1e-12);
	/* A repeated key earns nothing the second time. */
	kith_metrics_grades(&q, "P", repeat, 3, g1);
	assert_int_equal(g1[0], 3);
	assert_int_equal(g1[1], 0);
	assert_int_equal(g1[2], 2);
	kith_qrels_release(&q);
}

/* A patient with nothing relevant is not scored; one with no judgments at all neither. */
static void test_no_relevant_group(void **state)
{
	static const char *const run[] = {"f1/b", "f1/a"};
	kith_qrels q = KITH_QRELS_INIT;
	const kith_qrel *judged;
	int grades[2], jgrades[4];
	size_t n, i;
	kith_metrics m;

	(void)state;
	parse_ok(&q, example_qrels);
	/* Z: a 0, b 1.  IDCG > 0 (the 1), but nothing reaches grade 2. */
	judged = kith_qrels_patient(&q, "Z", &n);
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		jgrades[i] = judged[i].grade;
	kith_metrics_grades(&q, "Z", run, 2, grades);
	kith_metrics_eval(&m, grades, 2, jgrades, n);
	assert_false(m.scored);
	assert_int_equal(m.relevant, 0);
	assert_float_equal(m.ndcg10, 0.0, EPS);
	assert_float_equal(m.p5, 0.0, EPS);
	assert_float_equal(m.mrr, 0.0, EPS);
	assert_float_equal(m.recall10, 0.0, EPS);
	/* All zeros: the ideal DCG is 0, and NDCG is defined as 0 rather than 0/0. */
	jgrades[0] = jgrades[1] = 0;
	assert_float_equal(kith_metric_ndcg(grades, 2, jgrades, 2, 10), 0.0, EPS);
	assert_float_equal(kith_metric_recall(grades, 2, 10, 0), 0.0, EPS);
	/* Unknown patient. */
	assert_null(kith_qrels_patient(&q, "Q", &n));
	assert_int_equal(n, 0);
	kith_metrics_eval(&m, grades, 2, NULL, 0);
	assert_false(m.scored);
	kith_qrels_release(&q);
}

static void test_lookup(void **state)
{
	kith_qrels q = KITH_QRELS_INIT;
	size_t n;

	(void)state;
	parse_ok(&q, example_qrels);
	assert_int_equal(kith_qrels_grade(&q, "P", "f1/a"), 3);
	assert_int_equal(kith_qrels_grade(&q, "P", "f1/c"), 1);
	assert_int_equal(kith_qrels_grade(&q, "P", "f2/e"), 2);
	assert_int_equal(kith_qrels_grade(&q, "P", "f9/f"), 0);
	assert_int_equal(kith_qrels_grade(&q, "Z", "f1/b"), 1);
	assert_int_equal(kith_qrels_grade(&q, "A", "f1/a"), 0);
	assert_int_equal(kith_qrels_grade(&q, "ZZ", "f1/a"), 0);
	assert_non_null(kith_qrels_patient(&q, "P", &n));
	assert_int_equal(n, 5);
	assert_int_equal(kith_qrels_patient(&q, "P", &n)[0].line, 1);
	kith_qrels_release(&q);
	assert_int_equal(q.count, 0);
	kith_qrels_release(&q); /* twice is fine */

	/* Empty text: no judgments, no error. */
	parse_ok(&q, "");
	assert_int_equal(q.count, 0);
	assert_int_equal(kith_qrels_grade(&q, "P", "f1/a"), 0);
	assert_null(kith_qrels_patient(&q, "P", &n));
	kith_qrels_release(&q);
}

static void expect_error(const char *text, const char *message)
{
	kith_qrels q = KITH_QRELS_INIT;
	kith_buf err = KITH_BUF_INIT;

	assert_int_equal(kith_qrels_parse(&q, text, strlen(text), "sets/x/qrels.txt", &err), KITH_EINVALID);
	if (strcmp(err.ptr, message) != 0)
		fail_msg("expected '%s', got '%s'", message, err.ptr);
	assert_int_equal(q.count, 0);
	kith_buf_release(&err);
}

static void test_parse_errors(void **state)
{
	(void)state;
	expect_error("P 0 f/a 1\nP 0 f/b\n",
		     "sets/x/qrels.txt:2: expected 4 fields 'PATIENT-ID 0 FEED-ID/GROUP-ID GRADE', got 3");
	expect_error("P 0 f/a 1 extra\n",
		     "sets/x/qrels.txt:1: expected 4 fields 'PATIENT-ID 0 FEED-ID/GROUP-ID GRADE', got 5");
	expect_error("\n\nP 0 fa 1\n", "sets/x/qrels.txt:3: key 'fa' is not FEED-ID/GROUP-ID");
	expect_error("P 0 /a 1\n", "sets/x/qrels.txt:1: key '/a' is not FEED-ID/GROUP-ID");
	expect_error("P 0 f/ 1\n", "sets/x/qrels.txt:1: key 'f/' is not FEED-ID/GROUP-ID");
	expect_error("P 0 f/a/b 1\n", "sets/x/qrels.txt:1: key 'f/a/b' is not FEED-ID/GROUP-ID");
	expect_error("P 0 f/a x\n", "sets/x/qrels.txt:1: grade 'x' is not a whole number from 0 to 3");
	expect_error("P 0 f/a -1\n", "sets/x/qrels.txt:1: grade '-1' is not a whole number from 0 to 3");
	expect_error("P 0 f/a 1.5\n", "sets/x/qrels.txt:1: grade '1.5' is not a whole number from 0 to 3");
	expect_error("P 0 f/a 4\n", "sets/x/qrels.txt:1: grade 4 is out of range (expected 0 to 3)");
	expect_error("P 0 f/a 99999999999999999999\n",
		     "sets/x/qrels.txt:1: grade '99999999999999999999' is not a whole number from 0 to 3");
	expect_error("P 0 f/a 1\nQ 0 f/a 2\nP 0 f/a 1\n",
		     "sets/x/qrels.txt:3: 'f/a' is judged again for patient 'P' (first on line 1)");
	{
		static const char nul[] = "P 0 f/a 1\nP 0 f/\0b 1\n";
		kith_qrels q = KITH_QRELS_INIT;
		kith_buf err = KITH_BUF_INIT;
		assert_int_equal(kith_qrels_parse(&q, nul, sizeof(nul) - 1, "q", &err), KITH_EINVALID);
		assert_string_equal(err.ptr, "q:2: NUL byte in the line");
		kith_buf_release(&err);
	}
}

/*
 * duplicates.txt over the worked example: a (3) and e (2) are one group.
 * The run e, a, b earns 2, 3, 2 plainly; dedup-aware, a comes after its
 * own group's e and earns 0: 2, 0, 2.  The ideal holds the group once at
 * its best grade: 3, 2, 1, 0 (a/e, b, c, d).
 */
static void test_duplicates(void **state)
{
	static const char *const run[] = {"f2/e", "f1/a", "f1/b"};
	kith_qrels q = KITH_QRELS_INIT;
	kith_dups d = KITH_DUPS_INIT;
	kith_buf err = KITH_BUF_INIT;
	char *dir = ks_tmpdir(), *path = ks_write(dir, "duplicates.txt", "f1/a f2/e\n\nf3/x f3/y f3/z\n");
	int grades[3], judged[8];
	size_t m;

	(void)state;
	parse_ok(&q, example_qrels);
	assert_int_equal(kith_dups_load(&d, path, &err), 0);
	assert_int_equal(d.groups, 2);
	assert_string_equal(kith_dups_canonical(&d, "f2/e"), "f1/a");
	assert_string_equal(kith_dups_canonical(&d, "f3/z"), "f3/x");
	assert_string_equal(kith_dups_canonical(&d, "f1/b"), "f1/b");
	kith_metrics_dedup_grades(&q, &d, "P", run, 3, grades, judged, &m);
	assert_int_equal(grades[0], 2);
	assert_int_equal(grades[1], 0);
	assert_int_equal(grades[2], 2);
	assert_int_equal(m, 4);
	assert_int_equal(judged[0], 3);
	assert_int_equal(judged[1], 2);
	assert_int_equal(judged[2], 1);
	assert_int_equal(judged[3], 0);
	kith_dups_release(&d);
	free(path);

	/* no file: no duplicates; broken lines say where */
	assert_int_equal(kith_dups_load(&d, "/nonexistent/duplicates.txt", &err), 0);
	assert_int_equal(d.count, 0);
	path = ks_write(dir, "bad.txt", "f1/a f2/e\nf1/b\n");
	assert_int_equal(kith_dups_load(&d, path, &err), KITH_EINVALID);
	assert_true(ks_contains(err.ptr, "bad.txt:2: one key alone"));
	free(path);
	kith_buf_clear(&err);
	path = ks_write(dir, "bad.txt", "f1/a nokey\n");
	assert_int_equal(kith_dups_load(&d, path, &err), KITH_EINVALID);
	assert_true(ks_contains(err.ptr, "bad.txt:1: 'nokey' is not a key"));
	free(path);
	kith_buf_clear(&err);
	path = ks_write(dir, "bad.txt", "f1/a f2/e\nf2/e f3/x\n");
	assert_int_equal(kith_dups_load(&d, path, &err), KITH_EINVALID);
	assert_true(ks_contains(err.ptr, "'f2/e' is listed twice"));
	assert_int_equal(d.count, 0);
	free(path);
	kith_qrels_release(&q);
	kith_buf_release(&err);
	ks_rmtree(dir);
	free(dir);
}

static void test_load_file(void **state)
{
	kith_qrels q = KITH_QRELS_INIT;
	kith_buf err = KITH_BUF_INIT;
	char *dir = ks_tmpdir(), *path = ks_write(dir, "qrels.txt", example_qrels);

	(void)state;
	assert_int_equal(kith_qrels_load(&q, path, &err), 0);
	assert_int_equal(q.count, 7);
	kith_qrels_release(&q);
	free(path);
	path = ks_write(dir, "bad.txt", "P 0 f/a 1\nP 0 f/b 7\n");
	assert_int_equal(kith_qrels_load(&q, path, &err), KITH_EINVALID);
	assert_true(ks_contains(err.ptr, "bad.txt:2: grade 7 is out of range"));
	kith_buf_clear(&err);
	assert_int_equal(kith_qrels_load(&q, "/nonexistent/qrels.txt", &err), KITH_EIO);
	assert_true(ks_contains(err.ptr, "/nonexistent/qrels.txt: cannot read"));
	/* The project's own set parses: 12 patients x 74 groups. */
	kith_buf_clear(&err);
	assert_int_equal(kith_qrels_load(&q, ks_src("corpus/kendal/qrels.txt"), &err), 0);
	assert_int_equal(q.count, 888);
	kith_qrels_release(&q);
	kith_buf_release(&err);
	ks_rmtree(dir);
	free(path);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_worked_example),       cmocka_unit_test(test_cutoff),
		cmocka_unit_test(test_short_and_empty_runs), cmocka_unit_test(test_ties_and_repeats),
		cmocka_unit_test(test_no_relevant_group),    cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_parse_errors),         cmocka_unit_test(test_load_file),
		cmocka_unit_test(test_duplicates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
