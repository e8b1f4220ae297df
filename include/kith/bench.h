/*
 * Quality benchmarks: how well a ranking suits people, against a link
 * worker's judgments, and weight tuning on the same data.
 *
 * A benchmark set is a folder (schemas/README.md, "Benchmark set"): partner feeds in
 * feeds/, one profile per patient in patients/ (.xml files), and
 * qrels.txt.  Opening a set loads its feeds into a fresh
 * temporary index, which lives as long as the set and is removed with it;
 * each run then matches every patient with one ranking strategy (kith
 * itself or a baseline, see kith_rank_mode) and scores the top 10:
 * NDCG@5 and NDCG@10 with graded gains (2^grade - 1, discount
 * log2(rank + 1), ideal from all the patient's judged grades), P@5,
 * reciprocal rank and Recall@10, where relevant means grade 2 or more and
 * an unjudged group has grade 0.  The run's order is what counts.  A
 * patient with no relevant judgment is not scored: it is left out of every
 * mean and marked.  Each top 10 is also checked against the seven hard
 * constraints by a checker written apart from the matcher's own filter,
 * and every breach is counted.
 */
#ifndef KITH_BENCH_H
#define KITH_BENCH_H

#include <stdio.h>

#include "kith/common.h"
#include "kith/match.h"

typedef struct kith_bench kith_bench;

typedef struct kith_bench_opts {
	unsigned version;         /* KITH_BENCH_OPTS_VERSION */
	const char *today;        /* "YYYY-MM-DD"; NULL means the real date */
	const char *weights_path; /* for the matcher; NULL means the default weights */
	const char *rules_path;   /* for the matcher; NULL means the default synonym rules */
	unsigned long seed;       /* for the random baseline */
	int desk;                 /* as at a GP's desk: a profile's point dropped where it has a postcode (version 2) */
} kith_bench_opts;

#define KITH_BENCH_OPTS_VERSION 2
/* clang-format off */
#define KITH_BENCH_OPTS_INIT {KITH_BENCH_OPTS_VERSION, NULL, NULL, NULL, 1, 0}
/* clang-format on */

/* How many results of each run are scored and checked. */
#define KITH_BENCH_DEPTH 10

/*
 * Opens the benchmark set in folder dir: reads qrels.txt, loads every
 * .xml file in feeds/ (in name order, bad groups left out with a warning)
 * and duplicates.txt when there is one
 * into a new index in a temporary folder ($TMPDIR, else /tmp), reads every
 * .xml file in patients/ and makes a matcher.  Diagnostics go to diags,
 * which may be NULL: errors in any file, warnings about profiles and
 * judgments (a patient with no profile, a group no feed lists).  Feed
 * warnings are left to `kith check`.  On failure *out is still set when it could be
 * allocated, and holds the message (kith_bench_errmsg); kith_bench_free() it
 * either way.  Returns 0, KITH_EINVALID (a feed, profile, the qrels or the
 * weights or rules broke their format; see diags or the message),
 * KITH_ENOTFOUND (no such folder, or no feeds or patients in it), KITH_EIO
 * or KITH_ENOMEM.
 */
KITH_EXPORT int kith_bench_open(kith_bench **out, const char *dir, const kith_bench_opts *opts, kith_diag_list *diags);

/* Removes the temporary index and frees the set.  NULL is a no-op. */
KITH_EXPORT void kith_bench_free(kith_bench *b);

/* The message of the last failed call on b (borrowed).  Never NULL. */
KITH_EXPORT const char *kith_bench_errmsg(const kith_bench *b);

/* The set's name: its folder's last component (borrowed). */
KITH_EXPORT const char *kith_bench_name(const kith_bench *b);
/* "Today" as the runs use it, "YYYY-MM-DD" (borrowed). */
KITH_EXPORT const char *kith_bench_today(const kith_bench *b);
/* Profiles whose street-level point was dropped for their postcode's district (opts desk). */
KITH_EXPORT size_t kith_bench_desk_count(const kith_bench *b);
/* Real-world groups its duplicates.txt lists under more than one key (0 without the file). */
KITH_EXPORT size_t kith_bench_duplicate_count(const kith_bench *b);
/* Groups in the set's feeds, patients, and patients with a relevant judgment. */
KITH_EXPORT size_t kith_bench_group_count(const kith_bench *b);
KITH_EXPORT size_t kith_bench_patient_count(const kith_bench *b);
KITH_EXPORT size_t kith_bench_scored_count(const kith_bench *b);

/*
 * The set's matcher (borrowed from b), to read or change its weights
 * between runs (kith_matcher_weight, kith_matcher_set_weight).
 */
KITH_EXPORT kith_matcher *kith_bench_matcher(kith_bench *b);

/* The ranking strategies, in the order a report lists them: kith, then the baselines. */
KITH_EXPORT const kith_rank_mode *kith_bench_systems(size_t *count);
/* A strategy's name in reports and run files: "kith", "random", "nearest", "text", "filtered-text". */
KITH_EXPORT const char *kith_bench_system_name(kith_rank_mode mode);

/* One hard-constraint breach in a top 10. */
typedef struct kith_bench_breach {
	const char *key;       /* FEED-ID/GROUP-ID */
	size_t rank;           /* from 1 */
	int rule;              /* 1..7, as numbered in schemas/README.md */
	const char *rule_name; /* "access", "eligibility", "reach", "schedule", "cost", "closed", "language" */
	const char *reason;    /* a short sentence with the numbers */
} kith_bench_breach;

/*
 * The measures again, dedup-aware (schemas/README.md, "Benchmark set"): a
 * real-world group that duplicates.txt lists under several keys counts
 * once, the first of its listings in a run earns its grade, a later one 0,
 * and the ideal ranking holds it once.  Equal to the plain measures for a
 * set without duplicates.txt.
 */
typedef struct kith_bench_dedup {
	double ndcg5, ndcg10, p5, mrr, recall10;
} kith_bench_dedup;

/* One patient's run and its scores.  Everything is borrowed from the result. */
typedef struct kith_bench_patient {
	const char *id;
	int scored;                              /* has a relevant judgment; only scored patients count in means */
	size_t relevant;                         /* judgments of grade 2 or more */
	double ndcg5, ndcg10, p5, mrr, recall10; /* 0 when not scored */
	kith_bench_dedup dedup;                  /* the same, counting each real-world group once */
	size_t unsuitable5;                      /* of its first 5 results, those judged 0 (unsuitable or unjudged) */
	size_t count;                            /* results (at most KITH_BENCH_DEPTH) */
	const char *const *keys;                 /* FEED-ID/GROUP-ID of each result, best first */
	const double *scores;                    /* the score the run gave each */
	const int *grades;                       /* the judged grade of each (0 when unjudged or repeated) */
	size_t breach_count;                     /* results that break a hard constraint */
	const kith_bench_breach *breaches;
} kith_bench_patient;

/* Means over the scored patients of a set, or over sets. */
typedef struct kith_bench_scores {
	double ndcg5, ndcg10, p5, mrr, recall10;
	kith_bench_dedup dedup;
	size_t breaches;    /* every breach in every top 10 (a total, not a mean) */
	size_t unsuitable5; /* top-5 slots judged 0, over every patient (a total) */
	size_t slots5;      /* top-5 slots filled, over every patient: unsuitable5 / slots5 is the share */
	size_t scored;      /* patients that count in the means */
	size_t patients;
} kith_bench_scores;

typedef struct kith_bench_result kith_bench_result;

/*
 * Matches every patient of b with one strategy (mode; the matcher's current
 * weights for KITH_RANK_KITH) and scores the runs.  *out is the caller's:
 * kith_bench_result_free() it.  Returns 0, or the matcher's error
 * (KITH_EIO, KITH_EINVALID for a bad date, KITH_ENOMEM) with the message
 * on b.
 */
KITH_EXPORT int kith_bench_run(kith_bench *b, kith_rank_mode mode, kith_bench_result **out);
KITH_EXPORT void kith_bench_result_free(kith_bench_result *r);
/* The strategy the result is for. */
KITH_EXPORT kith_rank_mode kith_bench_result_mode(const kith_bench_result *r);
/* Means over the set's scored patients (borrowed). */
KITH_EXPORT const kith_bench_scores *kith_bench_result_scores(const kith_bench_result *r);
KITH_EXPORT size_t kith_bench_result_count(const kith_bench_result *r);
/* The i-th patient, in the order of the patients' file names (borrowed), or NULL. */
KITH_EXPORT const kith_bench_patient *kith_bench_result_patient(const kith_bench_result *r, size_t i);

/*
 * Writes the result as a TREC run (schemas/README.md, "Benchmark set"): one line
 * `PATIENT Q0 KEY RANK SCORE RUN-NAME` per result.  Returns 0 or KITH_EIO.
 */
KITH_EXPORT int kith_bench_result_write_run(const kith_bench_result *r, FILE *f, const char *run_name);

/*
 * The mean over sets of each measure (each set counts once, whatever its
 * number of patients; sets with no scored patient are left out), with
 * breaches, scored and patients summed.
 */
KITH_EXPORT void kith_bench_scores_average(kith_bench_scores *out, const kith_bench_scores *sets, size_t count);

/* Called while tuning, with one line about what it just did (no newline). */
typedef void (*kith_tune_progress_fn)(void *data, const char *line);

typedef struct kith_tune_opts {
	unsigned version;   /* KITH_TUNE_OPTS_VERSION */
	unsigned rounds;    /* coordinate-ascent rounds at most; 0 means 3 */
	const double *grid; /* multipliers tried on each weight; NULL means the default */
	size_t grid_count;
	kith_tune_progress_fn progress; /* may be NULL */
	void *progress_data;
} kith_tune_opts;

#define KITH_TUNE_OPTS_VERSION 1
/* clang-format off */
#define KITH_TUNE_OPTS_INIT {KITH_TUNE_OPTS_VERSION, 0, NULL, 0, NULL, NULL}
/* clang-format on */

/* One fold of the cross-validation: trained on every set but held_out. */
typedef struct kith_tune_fold {
	const char *held_out; /* the set left out (borrowed from it); NULL for the fold trained on all */
	double train_before;  /* mean NDCG@10 over the training sets, starting weights */
	double train_after;   /* the same with the trained weights */
	double held_before;   /* NDCG@10 of the held-out set, starting weights; -1 when none */
	double held_after;    /* the same with the weights trained without it; -1 when none */
	double *weights;      /* the trained weights, in kith_matcher_factors() order */
} kith_tune_fold;

typedef struct kith_tune_report {
	kith_tune_fold *folds; /* one per set held out (none with a single set), then the all-sets fold */
	size_t fold_count;
	double *start;       /* the starting weights, in kith_matcher_factors() order */
	size_t weight_count; /* entries of start and of each fold's weights */
} kith_tune_report;

/*
 * Tunes the weights by coordinate ascent to maximise the mean NDCG@10 over
 * sets: each weight in turn is multiplied by every value of the grid (and
 * variety kept within 0 to 1), the best is kept when it beats the current
 * score, for a number of rounds or until a round changes nothing.  It starts
 * from the weights of sets[0]'s matcher.  With two sets or more it first
 * does leave-one-set-out cross-validation, one fold per set, then trains on
 * all the sets.  When it returns 0 every set's matcher holds the weights
 * trained on all the sets (kith_matcher_weights_text writes them), and *out
 * is the caller's (kith_tune_report_free).  Returns 0, or a run's error with
 * its message on that set, or KITH_ENOMEM.
 */
KITH_EXPORT int kith_bench_tune(kith_tune_report **out, kith_bench *const *sets, size_t count,
				const kith_tune_opts *opts);
KITH_EXPORT void kith_tune_report_free(kith_tune_report *r);

#endif
