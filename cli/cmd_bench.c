/*
 * kith bench quality and kith tune: match quality on judged benchmark sets,
 * against four baselines, and weight tuning with cross-validation.  All the
 * work is in the library (kith/bench.h); this file reads options and prints.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define MAX_SYSTEMS 8

static void quality_usage(FILE *f)
{
	fprintf(f,
		"usage: kith bench quality [options] SETDIR...\n"
		"  Scores kith and four baselines (filtered-text, text, nearest, random) on judged\n"
		"  benchmark sets: folders with feeds/, patients/ and qrels.txt.  Each set gets a\n"
		"  fresh temporary index.  Measures are over each top %d: NDCG@5 and NDCG@10 (graded),\n"
		"  P@5, MRR and R@10 (relevant: grade 2 or more), hard-constraint breaches, and\n"
		"  NDCG@10 dd, dedup-aware: a group duplicates.txt lists twice counts once; and\n"
		"  0@5, the share of top-5 places holding a group judged unsuitable (grade 0).\n"
		"  --date YYYY-MM-DD   'today' (default: the real date; the benchmark sets use 2026-11-23)\n"
		"  --runs DIR          write TREC run files DIR/SET-SYSTEM.run\n"
		"  --json              machine-readable output\n"
		"  --per-patient       also each patient's NDCG@10, P@5 and breaches for kith\n"
		"  --weights FILE      scoring weights for kith (default: built from corpus/weights.conf)\n"
		"  --rules FILE        synonym rules (default: built from corpus/synonyms.rules)\n"
		"  --seed N            seed of the random baseline (default 1)\n"
		"  --desk              as at a GP's desk: each profile's point dropped where it has a\n"
		"                      postcode, so its home is the postcode district's centre\n"
		"exit status: 0, 1 when kith itself recommends a group that breaks a hard\n"
		"constraint, 2 on errors.\n",
		KITH_BENCH_DEPTH);
}

static void tune_usage(FILE *f)
{
	fprintf(f, "usage: kith tune [options] SETDIR...\n"
		   "  Tunes the scoring weights on judged benchmark sets by coordinate ascent (each\n"
		   "  weight times 0, 0.5, 0.75, 1.25, 1.5 and 2 in turn) to maximise the mean NDCG@10,\n"
		   "  starting from the current weights.  With two sets or more it first holds out\n"
		   "  each set in turn and reports its score with weights trained without it.\n"
		   "  --date YYYY-MM-DD   'today' (default: the real date; the benchmark sets use 2026-11-23)\n"
		   "  --weights FILE      starting weights (default: built from corpus/weights.conf)\n"
		   "  --rules FILE        synonym rules (default: built from corpus/synonyms.rules)\n"
		   "  --out FILE          write the weights trained on all the sets (weights-file format)\n"
		   "  --rounds N          rounds of coordinate ascent at most (default 3)\n"
		   "  --verbose           each weight change, on stderr\n");
}

/* Opens every set; on failure prints why and returns non-zero.  sets[] must hold count NULLs. */
static int open_sets(kith_bench **sets, char **dirs, size_t count, const kith_bench_opts *opts)
{
	kith_diag_list *diags = NULL;
	size_t i;
	int status = 0;

	for (i = 0; i < count && !status; i++) {
		if (kith_diag_list_new(&diags) != 0) {
			cli_error("out of memory");
			return CLI_ERROR;
		}
		if (kith_bench_open(&sets[i], dirs[i], opts, diags) != 0) {
			cli_print_diags(stderr, diags, 20, NULL);
			cli_error("%s", kith_bench_errmsg(sets[i]));
			status = CLI_ERROR;
		} else {
			cli_print_diags(stderr, diags, 20, NULL);
		}
		kith_diag_list_free(diags);
		diags = NULL;
	}
	return status;
}

static void free_sets(kith_bench **sets, size_t count)
{
	size_t i;

	for (i = 0; sets && i < count; i++)
		kith_bench_free(sets[i]);
	free(sets);
}

/* ---- kith bench quality ---------------------------------------------------- */

static void print_header(void)
{
	printf("  %-14s %7s %8s %6s %6s %6s %9s %10s %6s\n", "system", "NDCG@5", "NDCG@10", "P@5", "MRR", "R@10",
	       "breaches", "NDCG@10 dd", "0@5");
}

static void print_row(const char *name, const kith_bench_scores *s)
{
	if (s->scored)
		printf("  %-14s %7.3f %8.3f %6.3f %6.3f %6.3f %9zu %10.3f %6.3f\n", name, s->ndcg5, s->ndcg10, s->p5,
		       s->mrr, s->recall10, s->breaches, s->dedup.ndcg10,
		       s->slots5 ? (double)s->unsuitable5 / (double)s->slots5 : 0.0);
	else
		printf("  %-14s %7s %8s %6s %6s %6s %9zu %10s %6s\n", name, "-", "-", "-", "-", "-", s->breaches, "-",
		       "-");
}

static void print_set_text(kith_bench *b, kith_bench_result **res, size_t nsys, int per_patient)
{
	const kith_bench_result *kith = res[0];
	size_t i, j, unscored = 0;

	printf("\n%s: %zu groups (%zu listed twice), %zu patients, %zu scored\n", kith_bench_name(b),
	       kith_bench_group_count(b), kith_bench_duplicate_count(b), kith_bench_patient_count(b),
	       kith_bench_scored_count(b));
	if (kith_bench_desk_count(b))
		printf("  at the desk: %zu of the %zu homes placed by postcode district, not point\n",
		       kith_bench_desk_count(b), kith_bench_patient_count(b));
	print_header();
	for (i = 0; i < nsys; i++)
		print_row(kith_bench_system_name(kith_bench_result_mode(res[i])), kith_bench_result_scores(res[i]));
	for (i = 0; i < kith_bench_result_count(kith); i++) {
		const kith_bench_patient *p = kith_bench_result_patient(kith, i);
		if (!p->scored)
			printf("%s%s",
			       unscored++ ? ", " : "  left out of the means (no group graded 2 or more): ", p->id);
	}
	if (unscored)
		printf("\n");
	if (per_patient) {
		printf("  %-14s %8s %6s %9s\n", "kith, patient", "NDCG@10", "P@5", "breaches");
		for (i = 0; i < kith_bench_result_count(kith); i++) {
			const kith_bench_patient *p = kith_bench_result_patient(kith, i);
			if (p->scored)
				printf("  %-14s %8.3f %6.3f %9zu\n", p->id, p->ndcg10, p->p5, p->breach_count);
			else
				printf("  %-14s %8s %6s %9zu  (not scored)\n", p->id, "-", "-", p->breach_count);
		}
	}
	for (i = 0; i < kith_bench_result_count(kith); i++) {
		const kith_bench_patient *p = kith_bench_result_patient(kith, i);
		for (j = 0; j < p->breach_count; j++)
			printf("  kith breach: %s rank %zu %s: rule %d (%s): %s\n", p->id, p->breaches[j].rank,
			       p->breaches[j].key, p->breaches[j].rule, p->breaches[j].rule_name,
			       p->breaches[j].reason);
	}
}

/* Writes DIR/SET-SYSTEM.run for every run of one set. */
static int write_runs(const char *dir, kith_bench *b, kith_bench_result **res, size_t nsys)
{
	size_t i;

	for (i = 0; i < nsys; i++) {
		const char *system = kith_bench_system_name(kith_bench_result_mode(res[i]));
		size_t len = strlen(dir) + strlen(kith_bench_name(b)) + strlen(system) + 8;
		char *path = malloc(len);
		FILE *f;
		int rc;

		if (!path) {
			cli_error("out of memory");
			return CLI_ERROR;
		}
		snprintf(path, len, "%s/%s-%s.run", dir, kith_bench_name(b), system);
		if ((f = fopen(path, "w")) == NULL) {
			cli_error("%s: cannot write: %s", path, strerror(errno));
			free(path);
			return CLI_ERROR;
		}
		rc = kith_bench_result_write_run(res[i], f, system);
		if (fclose(f) != 0 || rc != 0) {
			cli_error("%s: cannot write", path);
			free(path);
			return CLI_ERROR;
		}
		free(path);
	}
	return 0;
}

static int bench_quality(int argc, char **argv)
{
	static const struct option options[] = {
		{"date", required_argument, NULL, 'd'},    {"runs", required_argument, NULL, 'o'},
		{"json", no_argument, NULL, 'j'},          {"per-patient", no_argument, NULL, 'p'},
		{"weights", required_argument, NULL, 'W'}, {"rules", required_argument, NULL, 'R'},
		{"seed", required_argument, NULL, 's'},    {"desk", no_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
	kith_bench_opts opts = KITH_BENCH_OPTS_INIT;
	const char *runs = NULL;
	kith_bench **sets = NULL;
	kith_bench_result **res = NULL;
	kith_bench_scores *per_set = NULL, mean;
	const kith_rank_mode *systems;
	size_t nsets, nsys, i, k;
	int c, json = 0, per_patient = 0, status = CLI_ERROR, breached = 0;
	char *end;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'd': opts.today = optarg; break;
		case 'o': runs = optarg; break;
		case 'j': json = 1; break;
		case 'p': per_patient = 1; break;
		case 'k': opts.desk = 1; break;
		case 'W': opts.weights_path = optarg; break;
		case 'R': opts.rules_path = optarg; break;
		case 's':
			errno = 0;
			opts.seed = strtoul(optarg, &end, 10);
			if (errno || end == optarg || *end) {
				cli_error("--seed: expected a whole number, got '%s'", optarg);
				return CLI_ERROR;
			}
			break;
		case 'h': quality_usage(stdout); return CLI_OK;
		default: quality_usage(stderr); return CLI_ERROR;
		}
	}
	if (optind >= argc) {
		quality_usage(stderr);
		return CLI_ERROR;
	}
	nsets = (size_t)(argc - optind);
	systems = kith_bench_systems(&nsys);
	if (runs && mkdir(runs, 0777) != 0 && errno != EEXIST) {
		cli_error("%s: cannot make the folder: %s", runs, strerror(errno));
		return CLI_ERROR;
	}
	if ((sets = calloc(nsets, sizeof(*sets))) == NULL || (res = calloc(nsets * nsys, sizeof(*res))) == NULL ||
	    (per_set = calloc(nsets * nsys, sizeof(*per_set))) == NULL) {
		cli_error("out of memory");
		goto cleanup;
	}
	if (open_sets(sets, argv + optind, nsets, &opts) != 0)
		goto cleanup;
	for (i = 0; i < nsets; i++) {
		for (k = 0; k < nsys; k++) {
			kith_bench_result **r = &res[i * nsys + k];
			if (kith_bench_run(sets[i], systems[k], r) != 0) {
				cli_error("%s", kith_bench_errmsg(sets[i]));
				goto cleanup;
			}
			per_set[k * nsets + i] = *kith_bench_result_scores(*r);
		}
		breached |= kith_bench_result_scores(res[i * nsys])->breaches > 0;
		if (runs && write_runs(runs, sets[i], &res[i * nsys], nsys) != 0)
			goto cleanup;
	}

	if (json) {
		char *text = NULL;
		if (kith_bench_render_json(sets, (const char *const *)(argv + optind), nsets, res, nsys, &text) != 0) {
			cli_error("out of memory");
			goto cleanup;
		}
		fputs(text, stdout);
		free(text);
	} else {
		printf("match quality as of %s: top %d, relevant = grade 2 or more, means over scored patients\n",
		       kith_bench_today(sets[0]), KITH_BENCH_DEPTH);
		for (i = 0; i < nsets; i++)
			print_set_text(sets[i], &res[i * nsys], nsys, per_patient);
		if (nsets > 1) {
			printf("\nmean over %zu sets (each set counts once; breaches are totals)\n", nsets);
			print_header();
			for (k = 0; k < nsys; k++) {
				kith_bench_scores_average(&mean, &per_set[k * nsets], nsets);
				print_row(kith_bench_system_name(systems[k]), &mean);
			}
		}
		if (runs)
			printf("\nruns written to %s/SET-SYSTEM.run\n", runs);
	}
	status = breached ? CLI_WARNINGS : CLI_OK;

cleanup:
	for (i = 0; res && i < nsets * nsys; i++)
		kith_bench_result_free(res[i]);
	free(res);
	free(per_set);
	free_sets(sets, nsets);
	return status;
}

int cli_bench(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "quality") == 0)
		return bench_quality(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		quality_usage(stdout);
		return CLI_OK;
	}
	if (argc >= 2)
		cli_error("bench: unknown benchmark '%s' (expected quality)", argv[1]);
	quality_usage(stderr);
	return CLI_ERROR;
}

/* ---- kith tune --------------------------------------------------------------- */

static void tune_progress(void *data, const char *line)
{
	(void)data;
	fprintf(stderr, "kith tune: %s\n", line);
}

/* The heading of a weights file written by tune: what it was trained on and how it scored. */
static char *tune_heading(kith_bench **sets, size_t nsets, const kith_tune_report *r, double held_before,
			  double held_after)
{
	const kith_tune_fold *all = &r->folds[r->fold_count - 1];
	size_t i, len = 1024;
	char *text;
	int n;

	for (i = 0; i < nsets; i++)
		len += strlen(kith_bench_name(sets[i])) + 2;
	if ((text = malloc(len)) == NULL)
		return NULL;
	n = snprintf(text, len,
		     "# kith scoring weights.  Each factor scores a group in [0, 1]; its weight\n"
		     "# says how much it counts.  A recommendation's score is the sum of weight x\n"
		     "# factor over the factors, and each reason shows its part of that sum.\n"
		     "# variety (0 to 1) is how strongly the list avoids near-repeats.\n"
		     "# Written by `kith tune` (as of %s) on:",
		     kith_bench_today(sets[0]));
	for (i = 0; i < nsets && n > 0 && (size_t)n < len; i++)
		n += snprintf(text + n, len - (size_t)n, " %s", kith_bench_name(sets[i]));
	if (n > 0 && (size_t)n < len)
		n += snprintf(text + n, len - (size_t)n, "\n# mean NDCG@10 %.4f (starting weights %.4f)",
			      all->train_after, all->train_before);
	if (n > 0 && (size_t)n < len && held_after >= 0)
		n += snprintf(text + n, len - (size_t)n, "; held out, set by set: %.4f (starting weights %.4f)",
			      held_after, held_before);
	if (n > 0 && (size_t)n < len)
		snprintf(text + n, len - (size_t)n, "\n");
	return text;
}

int cli_tune(int argc, char **argv)
{
	static const struct option options[] = {
		{"date", required_argument, NULL, 'd'},   {"weights", required_argument, NULL, 'W'},
		{"rules", required_argument, NULL, 'R'},  {"out", required_argument, NULL, 'o'},
		{"rounds", required_argument, NULL, 'r'}, {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
	};
	kith_bench_opts opts = KITH_BENCH_OPTS_INIT;
	kith_tune_opts topts = KITH_TUNE_OPTS_INIT;
	kith_tune_report *report = NULL;
	kith_bench **sets = NULL;
	const char *out = NULL;
	const char *const *names = kith_matcher_factors();
	char *heading = NULL, *text = NULL, *end;
	size_t nsets = 0, i, held = 0;
	double held_before = 0, held_after = 0;
	int c, status = CLI_ERROR;
	FILE *f;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'd': opts.today = optarg; break;
		case 'W': opts.weights_path = optarg; break;
		case 'R': opts.rules_path = optarg; break;
		case 'o': out = optarg; break;
		case 'r':
			topts.rounds = (unsigned)strtoul(optarg, &end, 10);
			if (*end || end == optarg || topts.rounds < 1 || topts.rounds > 50) {
				cli_error("--rounds: expected a number from 1 to 50, got '%s'", optarg);
				return CLI_ERROR;
			}
			break;
		case 'v': topts.progress = tune_progress; break;
		case 'h': tune_usage(stdout); return CLI_OK;
		default: tune_usage(stderr); return CLI_ERROR;
		}
	}
	if (optind >= argc) {
		tune_usage(stderr);
		return CLI_ERROR;
	}
	nsets = (size_t)(argc - optind);
	if ((sets = calloc(nsets, sizeof(*sets))) == NULL) {
		cli_error("out of memory");
		goto cleanup;
	}
	if (open_sets(sets, argv + optind, nsets, &opts) != 0)
		goto cleanup;
	if (kith_bench_tune(&report, sets, nsets, &topts) != 0) {
		for (i = 0; i < nsets; i++)
			cli_error("%s: %s", kith_bench_name(sets[i]), kith_bench_errmsg(sets[i]));
		goto cleanup;
	}

	printf("weight tuning as of %s: coordinate ascent on mean NDCG@10 over %zu set%s\n", kith_bench_today(sets[0]),
	       nsets, nsets == 1 ? "" : "s");
	if (nsets == 1) {
		printf("one set: no held-out score (leave-one-set-out needs two sets or more), so the\n"
		       "training score below is optimistic\n");
	} else {
		printf("\nleave one set out       %12s %12s %12s %12s\n", "train before", "train after", "held before",
		       "held after");
		for (i = 0; i + 1 < report->fold_count; i++) {
			const kith_tune_fold *fd = &report->folds[i];
			printf("  without %-14s %12.4f %12.4f %12.4f %12.4f\n", fd->held_out, fd->train_before,
			       fd->train_after, fd->held_before, fd->held_after);
			held_before += fd->held_before;
			held_after += fd->held_after;
			held++;
		}
		held_before /= (double)held;
		held_after /= (double)held;
		printf("  %-22s %12s %12s %12.4f %12.4f\n", "mean held out", "", "", held_before, held_after);
	}
	{
		const kith_tune_fold *all = &report->folds[report->fold_count - 1];
		printf("\ntrained on all: mean NDCG@10 %.4f -> %.4f\n", all->train_before, all->train_after);
		printf("  %-14s %8s %8s\n", "weight", "start", "trained");
		for (i = 0; i < report->weight_count; i++)
			printf("  %-14s %8.4f %8.4f%s\n", names[i], report->start[i], all->weights[i],
			       report->start[i] != all->weights[i] ? "  *" : "");
	}
	if (out) {
		if ((heading = tune_heading(sets, nsets, report, nsets > 1 ? held_before : -1,
					    nsets > 1 ? held_after : -1)) == NULL ||
		    (text = kith_matcher_weights_text(kith_bench_matcher(sets[0]), heading)) == NULL) {
			cli_error("out of memory");
			goto cleanup;
		}
		if ((f = fopen(out, "w")) == NULL) {
			cli_error("%s: cannot write: %s", out, strerror(errno));
			goto cleanup;
		}
		c = fputs(text, f) < 0;
		if (fclose(f) != 0 || c) {
			cli_error("%s: cannot write", out);
			goto cleanup;
		}
		printf("\nwrote %s\n", out);
	}
	status = CLI_OK;

cleanup:
	free(text);
	free(heading);
	kith_tune_report_free(report);
	free_sets(sets, nsets);
	return status;
}
