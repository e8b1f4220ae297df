/*
 * Weight tuning (kith_bench_tune in kith/bench.h): coordinate ascent on the
 * mean NDCG@10 of kith's own runs, with leave-one-set-out cross-validation
 * so the report shows how much of a gain survives on a town it never saw.
 *
 * Each set keeps its index, matcher and profiles; a trial only changes a
 * weight on the matchers and runs the patients again.
 */
#include "kith/bench.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#define DEFAULT_ROUNDS 3
#define MIN_GAIN 1e-9  /* a trial must beat the best by more than this */
#define ZERO_STEP 0.02 /* a weight at 0 is tried at multiples of this instead */

static const double default_grid[] = {0, 0.5, 0.75, 1.25, 1.5, 2};

typedef struct tuner {
	kith_bench *const *sets;
	size_t count;
	const kith_tune_opts *opts;
	const char *const *names; /* kith_matcher_factors() */
	size_t weights;           /* how many names */
} tuner;

static void say(const tuner *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(const tuner *t, const char *fmt, ...)
{
	kith_buf line = KITH_BUF_INIT;
	va_list ap;

	if (!t->opts->progress)
		return;
	va_start(ap, fmt);
	if (kith_buf_vprintf(&line, fmt, ap) == 0)
		t->opts->progress(t->opts->progress_data, line.ptr);
	va_end(ap);
	kith_buf_release(&line);
}

static double round4(double x)
{
	return round(x * 10000.0) / 10000.0;
}

/* Sets weight f to value on the matchers of the chosen sets (use[i] != 0). */
static int set_weight(const tuner *t, const unsigned char *use, size_t f, double value)
{
	size_t i;
	int error;

	for (i = 0; i < t->count; i++) {
		if (!use[i])
			continue;
		if ((error = kith_matcher_set_weight(kith_bench_matcher(t->sets[i]), t->names[f], value)) != 0)
			return error;
	}
	return 0;
}

static int set_weights(const tuner *t, const unsigned char *use, const double *w)
{
	size_t f;
	int error;

	for (f = 0; f < t->weights; f++)
		if ((error = set_weight(t, use, f, w[f])) != 0)
			return error;
	return 0;
}

/* The mean over the chosen sets of kith's mean NDCG@10 (sets with no scored patient left out). */
static int objective(const tuner *t, const unsigned char *use, double *out)
{
	size_t i, used = 0;
	double sum = 0;
	int error;

	for (i = 0; i < t->count; i++) {
		kith_bench_result *r = NULL;
		const kith_bench_scores *s;
		if (!use[i])
			continue;
		if ((error = kith_bench_run(t->sets[i], KITH_RANK_KITH, &r)) != 0)
			return error;
		s = kith_bench_result_scores(r);
		if (s->scored) {
			sum += s->ndcg10;
			used++;
		}
		kith_bench_result_free(r);
	}
	*out = used ? sum / (double)used : 0;
	return 0;
}

/*
 * Coordinate ascent from start on the chosen sets; the trained weights go
 * to w and stay set on those sets' matchers.
 */
static int ascend(const tuner *t, const unsigned char *use, const double *start, double *w, double *before,
		  double *after)
{
	const double *grid = t->opts->grid ? t->opts->grid : default_grid;
	size_t grid_count = t->opts->grid ? t->opts->grid_count : sizeof(default_grid) / sizeof(default_grid[0]);
	unsigned rounds = t->opts->rounds ? t->opts->rounds : DEFAULT_ROUNDS, round_no;
	double best, score;
	size_t f, g;
	int error;

	memcpy(w, start, t->weights * sizeof(*w));
	if ((error = set_weights(t, use, w)) != 0 || (error = objective(t, use, &best)) != 0)
		return error;
	*before = best;
	for (round_no = 1; round_no <= rounds; round_no++) {
		int changed = 0;
		for (f = 0; f < t->weights; f++) {
			double current = w[f], chosen = current;
			int is_variety = strcmp(t->names[f], "variety") == 0;
			for (g = 0; g < grid_count; g++) {
				double trial = round4(current > 0 ? current * grid[g] : ZERO_STEP * grid[g]);
				if (trial < 0 || trial == current || (is_variety && trial > 1))
					continue;
				if ((error = set_weight(t, use, f, trial)) != 0 ||
				    (error = objective(t, use, &score)) != 0)
					return error;
				if (score > best + MIN_GAIN) {
					best = score;
					chosen = trial;
				}
			}
			if ((error = set_weight(t, use, f, chosen)) != 0)
				return error;
			if (chosen != current) {
				say(t, "round %u: %s %.4f -> %.4f, NDCG@10 %.4f", round_no, t->names[f], current,
				    chosen, best);
				w[f] = chosen;
				changed = 1;
			}
		}
		if (!changed) {
			say(t, "round %u: no weight change helps, stopping", round_no);
			break;
		}
	}
	*after = best;
	return 0;
}

void kith_tune_report_free(kith_tune_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->fold_count; i++)
		free(r->folds[i].weights);
	free(r->folds);
	free(r->start);
	free(r);
}

int kith_bench_tune(kith_tune_report **out, kith_bench *const *sets, size_t count, const kith_tune_opts *opts)
{
	kith_tune_opts defaults = KITH_TUNE_OPTS_INIT;
	kith_tune_report *r = NULL;
	unsigned char *use = NULL;
	tuner t;
	size_t i, f, folds;
	int error = 0;

	*out = NULL;
	if (count == 0)
		return KITH_EINVALID;
	t.sets = sets;
	t.count = count;
	t.opts = opts ? opts : &defaults;
	t.names = kith_matcher_factors();
	for (t.weights = 0; t.names[t.weights]; t.weights++)
		;
	folds = count > 1 ? count + 1 : 1;
	if ((r = calloc(1, sizeof(*r))) == NULL || (r->folds = calloc(folds, sizeof(*r->folds))) == NULL ||
	    (r->start = calloc(t.weights, sizeof(*r->start))) == NULL || (use = calloc(count, 1)) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	r->weight_count = t.weights;
	for (f = 0; f < t.weights; f++)
		r->start[f] = kith_matcher_weight(kith_bench_matcher(sets[0]), t.names[f]);
	for (i = 0; i < folds; i++) {
		kith_tune_fold *fold = &r->folds[i];
		int all = i == folds - 1;
		if ((fold->weights = calloc(t.weights, sizeof(*fold->weights))) == NULL) {
			error = KITH_ENOMEM;
			goto cleanup;
		}
		r->fold_count++;
		memset(use, 1, count);
		fold->held_before = fold->held_after = -1;
		if (!all) {
			fold->held_out = kith_bench_name(sets[i]);
			use[i] = 0;
			say(&t, "fold %zu of %zu: training without %s", i + 1, count, fold->held_out);
		} else {
			say(&t, "training on all %zu set%s", count, count == 1 ? "" : "s");
		}
		if ((error = ascend(&t, use, r->start, fold->weights, &fold->train_before, &fold->train_after)) != 0)
			goto cleanup;
		if (!all) {
			memset(use, 0, count);
			use[i] = 1;
			if ((error = set_weights(&t, use, r->start)) != 0 ||
			    (error = objective(&t, use, &fold->held_before)) != 0 ||
			    (error = set_weights(&t, use, fold->weights)) != 0 ||
			    (error = objective(&t, use, &fold->held_after)) != 0)
				goto cleanup;
			say(&t, "fold %zu of %zu: %s held out: NDCG@10 %.4f -> %.4f", i + 1, count, fold->held_out,
			    fold->held_before, fold->held_after);
		}
	}
	/* Leave every set with the weights trained on all of them. */
	memset(use, 1, count);
	error = set_weights(&t, use, r->folds[folds - 1].weights);

cleanup:
	free(use);
	if (error) {
		kith_tune_report_free(r);
		r = NULL;
	}
	*out = r;
	return error;
}
