/*
 * Judgments (TREC qrels, schemas/README.md, "Benchmark set") and the ranking measures the
 * quality benchmark reports: graded NDCG@k, P@k, reciprocal rank and
 * Recall@k.
 *
 * The measures are pure functions of two arrays of grades: the run's, in
 * the run's order, and every judged grade of the patient.  Conventions,
 * chosen once here for every caller:
 * - The run's order is what counts.  Results with equal scores keep the
 *   place the run gave them (trec_eval would re-sort them by score and
 *   break ties by key; kith's ranks already say how ties were broken).
 * - A group with no judgment has grade 0.  A key that appears again lower
 *   in the same run earns nothing the second time (kith_metrics_grades()
 *   sets its grade to 0), so repeating a good group cannot raise a score.
 * - Gain is 2^grade - 1 and the discount log2(rank + 1); the ideal DCG is
 *   that of the patient's judged grades sorted best first.
 * - Relevant means a grade of KITH_RELEVANT_GRADE (2) or more, for P@k,
 *   reciprocal rank and Recall@k.  P@k divides by k even when the run is
 *   shorter (as trec_eval does).
 * - A patient with no relevant judgment is not scored: the measures are
 *   undefined there (Recall has no denominator, and NDCG would reward or
 *   punish a list for a set with nothing worth finding).  Such a patient is
 *   left out of every mean and listed instead, as trec_eval leaves out
 *   topics with no relevant document.
 */
#ifndef KITH_METRICS_H
#define KITH_METRICS_H

#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"

#define KITH_RELEVANT_GRADE 2 /* the lowest grade that counts as relevant */
#define KITH_MAX_GRADE 3      /* grades run 0..3 (schemas/README.md) */

/* One judgment line. */
typedef struct kith_qrel {
	const char *patient; /* PATIENT-ID */
	const char *key;     /* FEED-ID/GROUP-ID */
	int grade;           /* 0..3 */
	unsigned line;       /* where it was read */
} kith_qrel;

/* Every judgment of a set, sorted by patient, then key. */
typedef struct kith_qrels {
	kith_arena arena; /* owns the strings */
	kith_qrel *items; /* owned */
	size_t count;
	size_t alloc;
} kith_qrels;

/* clang-format off */
#define KITH_QRELS_INIT {KITH_ARENA_INIT, NULL, 0, 0}
/* clang-format on */

/*
 * Parses qrels text (len bytes; name is the file name used in messages)
 * into q, which must be empty (as KITH_QRELS_INIT leaves it).  Lines are `PATIENT 0 FEED/GROUP GRADE`,
 * fields separated by spaces or tabs; blank lines are skipped; the second
 * field (the TREC iteration) is read and ignored, as trec_eval does.
 * Errors: a wrong number of fields, a key without exactly one '/', a grade
 * that is not a whole number from 0 to 3, and the same patient and key
 * judged twice.  On error returns KITH_EINVALID with "name:line: reason"
 * in err (the first problem only), or KITH_ENOMEM; either way q is left
 * empty.
 */
int kith_qrels_parse(kith_qrels *q, const char *text, size_t len, const char *name, kith_buf *err);

/* Reads and parses the file at path.  As kith_qrels_parse(), plus KITH_EIO. */
int kith_qrels_load(kith_qrels *q, const char *path, kith_buf *err);

/* Frees everything q holds and makes it empty again. */
void kith_qrels_release(kith_qrels *q);

/* The judged grade of key for patient, or 0 when it was not judged. */
int kith_qrels_grade(const kith_qrels *q, const char *patient, const char *key);

/*
 * The judgments of one patient, sorted by key (borrowed from q), with their
 * count in *count; NULL and 0 when the patient has none.
 */
const kith_qrel *kith_qrels_patient(const kith_qrels *q, const char *patient, size_t *count);

/*
 * Fills grades[0..n) with the judged grade of each key of a run, in the
 * run's order: 0 for unjudged keys and for a key already seen higher up.
 */
void kith_metrics_grades(const kith_qrels *q, const char *patient, const char *const *keys, size_t n, int *grades);

/* Discounted cumulative gain of the first k of grades[0..n). */
double kith_metric_dcg(const int *grades, size_t n, size_t k);

/*
 * NDCG@k of a run's grades[0..n) against the patient's judged[0..m)
 * (any order).  0 when the ideal DCG is 0 (callers do not score such a
 * patient; see above).
 */
double kith_metric_ndcg(const int *grades, size_t n, const int *judged, size_t m, size_t k);

/* Share of the first k places that hold a relevant group (divided by k). */
double kith_metric_precision(const int *grades, size_t n, size_t k);

/* 1 / the rank of the first relevant group; 0 when there is none. */
double kith_metric_rr(const int *grades, size_t n);

/* Relevant groups in the first k over all relevant judged ones; 0 when relevant is 0. */
double kith_metric_recall(const int *grades, size_t n, size_t k, size_t relevant);

/* duplicates.txt: each listed key and the key its real-world group is reported under (its line's first). */
typedef struct kith_dup {
	const char *key, *canonical;
} kith_dup;

typedef struct kith_dups {
	kith_arena arena; /* owns the strings */
	kith_dup *items;  /* owned; sorted by key */
	size_t count, alloc;
	size_t groups; /* lines: real-world groups listed more than once */
} kith_dups;

/* clang-format off */
#define KITH_DUPS_INIT {KITH_ARENA_INIT, NULL, 0, 0, 0}
/* clang-format on */

/*
 * Reads duplicates.txt at path into d (empty): one line per real-world
 * group, its keys separated by white space, blank lines skipped.  A missing
 * file is no error (d stays empty).  Errors: a key without exactly one
 * '/', a line of one key, a key on two lines: KITH_EINVALID with
 * "path:line: reason" in err; KITH_EIO; KITH_ENOMEM.
 */
int kith_dups_load(kith_dups *d, const char *path, kith_buf *err);
void kith_dups_release(kith_dups *d);
/* The key key's real-world group is reported under: its line's first, or key itself. */
const char *kith_dups_canonical(const kith_dups *d, const char *key);

/*
 * The dedup-aware grades (schemas/README.md, "Benchmark set"): fills
 * grades[0..n) as kith_metrics_grades() does, but a key whose real-world
 * group came higher up earns 0; fills judged[0..*m) (room for the
 * patient's judgments) with one grade per real-world group, the best of
 * its listings'.
 */
void kith_metrics_dedup_grades(const kith_qrels *q, const kith_dups *d, const char *patient, const char *const *keys,
			       size_t n, int *grades, int *judged, size_t *m);

/* Every measure the benchmark reports, for one patient. */
typedef struct kith_metrics {
	int scored;                              /* has at least one relevant judgment */
	size_t relevant;                         /* judgments of grade 2 or more */
	double ndcg5, ndcg10, p5, mrr, recall10; /* all 0 when not scored */
} kith_metrics;

/* Works out every measure from a run's grades and the patient's judged grades. */
void kith_metrics_eval(kith_metrics *out, const int *grades, size_t n, const int *judged, size_t m);

#endif
