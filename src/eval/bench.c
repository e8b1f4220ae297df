/*
 * Quality benchmarks (see kith/bench.h).
 *
 * A set is loaded once: the index, the matcher, the profiles, the
 * judgments and the benchmark's own copy of the groups, read straight from
 * the feed files for the hard-constraint checker (judge.h).  Runs then only
 * match and score, which is what lets tuning try hundreds of weightings.
 */
#include "kith/bench.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "eval/judge.h"
#include "eval/metrics.h"
#include "feed/profile.h"
#include "model/schedule.h"
#include "util/array.h"

struct kith_bench {
	char *dir;    /* as given */
	char *name;   /* its last component */
	char *tmpdir; /* holds the index; removed by kith_bench_free */
	char today[11];
	long today_days;
	unsigned long seed;
	kith_index *idx;         /* owned */
	kith_matcher *matcher;   /* owned */
	kith_profile **profiles; /* owned, in file-name order */
	kith_profile **truth;    /* owned: with desk, the profiles as written, for the judge; else NULL */
	size_t profile_count;
	size_t scored; /* profiles with a relevant judgment */
	int desk;      /* points dropped for postcodes */
	size_t desk_count;
	kith_qrels qrels;
	kith_dups dups; /* duplicates.txt; empty without one */
	kith_group_set groups;
	kith_error error;
};

struct kith_bench_result {
	kith_arena arena; /* owns everything below but the patients array */
	kith_rank_mode mode;
	kith_bench_scores scores;
	kith_bench_patient *patients; /* owned */
	size_t count;
};

static const kith_rank_mode systems[] = {KITH_RANK_KITH, KITH_RANK_FILTERED_TEXT, KITH_RANK_TEXT, KITH_RANK_NEAREST,
					 KITH_RANK_RANDOM};

const kith_rank_mode *kith_bench_systems(size_t *count)
{
	*count = sizeof(systems) / sizeof(systems[0]);
	return systems;
}

const char *kith_bench_system_name(kith_rank_mode mode)
{
	switch (mode) {
	case KITH_RANK_KITH: return "kith";
	case KITH_RANK_RANDOM: return "random";
	case KITH_RANK_NEAREST: return "nearest";
	case KITH_RANK_TEXT: return "text";
	case KITH_RANK_FILTERED_TEXT: return "filtered-text";
	}
	return "unknown";
}

/* ---- files ------------------------------------------------------------------ */

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t count)
{
	size_t i;

	for (i = 0; names && i < count; i++)
		free(names[i]);
	free(names);
}

/* The paths of the .xml files in folder dir, sorted by name, into *out (free_names() them). */
static int list_xml(kith_bench *b, const char *dir, char ***out, size_t *count)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, alloc = 0;
	int error = 0;

	*out = NULL;
	*count = 0;
	if (!d)
		return kith_error_set(&b->error, errno == ENOENT ? KITH_ENOTFOUND : KITH_EIO, "%s: cannot open: %s",
				      dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		kith_buf path = KITH_BUF_INIT;
		if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".xml") != 0)
			continue;
		if ((error = KITH_ARRAY_RESERVE(names, alloc, n + 1, 16)) != 0)
			goto cleanup;
		if (kith_buf_printf(&path, "%s/%s", dir, e->d_name) != 0) {
			kith_buf_release(&path);
			error = KITH_ENOMEM;
			goto cleanup;
		}
		names[n++] = kith_buf_detach(&path);
	}
	if (n)
		qsort(names, n, sizeof(*names), by_string);

cleanup:
	closedir(d);
	if (error) {
		free_names(names, n);
		return kith_error_set(&b->error, error, "%s: out of memory", dir);
	}
	*out = names;
	*count = n;
	return 0;
}

/* Removes the temporary folder and the files the index left in it. */
static void remove_tmpdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (d) {
		while ((e = readdir(d)) != NULL) {
			kith_buf path = KITH_BUF_INIT;
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			if (kith_buf_printf(&path, "%s/%s", dir, e->d_name) == 0)
				unlink(path.ptr);
			kith_buf_release(&path);
		}
		closedir(d);
	}
	rmdir(dir);
}

/* Copies the errors of from into to (feed warnings are left to `kith check`). */
static void copy_errors(kith_diag_list *to, const kith_diag_list *from)
{
	size_t i;

	for (i = 0; to && i < kith_diag_list_count(from); i++) {
		const kith_diag *d = kith_diag_list_get(from, i);
		if (d->severity == KITH_DIAG_ERROR)
			kith_diag_add(to, d->severity, d->file, d->line, d->column, "%s", d->message);
	}
}

/* ---- opening a set -------------------------------------------------------------- */

static int load_feeds(kith_bench *b, const char *dir, kith_diag_list *diags)
{
	kith_load_opts lo = KITH_LOAD_OPTS_INIT;
	kith_diag_list *scratch = NULL;
	kith_buf path = KITH_BUF_INIT;
	char **feeds = NULL;
	size_t count = 0, i;
	int error = 0;

	lo.skip_bad_groups = 1;
	if ((error = kith_buf_printf(&path, "%s/feeds", dir)) != 0 || (error = kith_diag_list_new(&scratch)) != 0) {
		error = kith_error_set(&b->error, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((error = list_xml(b, path.ptr, &feeds, &count)) != 0)
		goto cleanup;
	if (count == 0) {
		error = kith_error_set(&b->error, KITH_ENOTFOUND, "%s: no feeds (.xml files)", path.ptr);
		goto cleanup;
	}
	for (i = 0; i < count; i++) {
		kith_load_report report;
		if ((error = kith_index_load(b->idx, feeds[i], &lo, &report, scratch)) != 0) {
			copy_errors(diags, scratch);
			kith_error_set(&b->error, error, "%s", kith_index_errmsg(b->idx));
			goto cleanup;
		}
		if (report.skipped && diags)
			kith_diag_add(diags, KITH_DIAG_WARNING, feeds[i], 0, 0,
				      "%zu bad group%s left out of the benchmark (`kith check` says why)",
				      report.skipped, report.skipped == 1 ? "" : "s");
		kith_diag_list_free(scratch);
		scratch = NULL;
		if ((error = kith_diag_list_new(&scratch)) != 0) {
			error = kith_error_set(&b->error, KITH_ENOMEM, "out of memory");
			goto cleanup;
		}
		/* The checker's own copy, read again from the file rather than from the index. */
		if ((error = kith_group_set_read(&b->groups, feeds[i], scratch)) != 0) {
			copy_errors(diags, scratch);
			kith_error_set(&b->error, error, "%s: %s", feeds[i], kith_strerror(error));
			goto cleanup;
		}
		kith_diag_list_free(scratch);
		scratch = NULL;
		if ((error = kith_diag_list_new(&scratch)) != 0) {
			error = kith_error_set(&b->error, KITH_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	kith_group_set_finish(&b->groups);

cleanup:
	free_names(feeds, count);
	kith_diag_list_free(scratch);
	kith_buf_release(&path);
	return error;
}

/*
 * The profile as a link worker at a GP's desk knows it: the postcode, not
 * the street-level point, so the home is its district's centre.  A
 * profile with no postcode keeps its point.
 */
static void at_the_desk(kith_bench *b, kith_profile *p)
{
	const kith_patient *pt = kith_profile_patient(p);
	char postcode[32];

	if (!pt->postcode)
		return;
	snprintf(postcode, sizeof(postcode), "%s", pt->postcode);
	/* a postcode the table cannot place leaves the point as it was */
	if (kith_profile_set(p, "postcode", postcode) == 0)
		b->desk_count++;
}

static int load_profiles(kith_bench *b, const char *dir, kith_diag_list *diags)
{
	kith_buf path = KITH_BUF_INIT;
	char **files = NULL;
	size_t count = 0, i, j;
	int error = 0;

	if ((error = kith_buf_printf(&path, "%s/patients", dir)) != 0) {
		error = kith_error_set(&b->error, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((error = list_xml(b, path.ptr, &files, &count)) != 0)
		goto cleanup;
	if (count == 0) {
		error = kith_error_set(&b->error, KITH_ENOTFOUND, "%s: no patient profiles (.xml files)", path.ptr);
		goto cleanup;
	}
	if ((b->profiles = calloc(count, sizeof(*b->profiles))) == NULL ||
	    (b->desk && (b->truth = calloc(count, sizeof(*b->truth))) == NULL)) {
		error = kith_error_set(&b->error, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < count; i++) {
		if ((error = kith_profile_load(&b->profiles[i], files[i], diags)) != 0) {
			kith_error_set(&b->error, error, "%s: profile rejected", files[i]);
			goto cleanup;
		}
		b->profile_count++;
		if (b->desk) {
			/* the judge checks the real home; the matcher sees the desk's */
			if ((error = kith_profile_load(&b->truth[i], files[i], NULL)) != 0) {
				kith_error_set(&b->error, error, "%s: profile rejected", files[i]);
				goto cleanup;
			}
			at_the_desk(b, b->profiles[i]);
		}
		for (j = 0; j < i; j++) {
			if (strcmp(kith_profile_id(b->profiles[j]), kith_profile_id(b->profiles[i])) == 0) {
				error = kith_error_set(&b->error, KITH_EINVALID,
						       "%s: patient id '%s' is also used by %s", files[i],
						       kith_profile_id(b->profiles[i]), files[j]);
				goto cleanup;
			}
		}
	}

cleanup:
	free_names(files, count);
	kith_buf_release(&path);
	return error;
}

/* Warns about judgments the set cannot use, and counts the patients that will be scored. */
static void check_qrels(kith_bench *b, const char *path, kith_diag_list *diags)
{
	size_t i, j, n;

	for (i = 0; i < b->qrels.count; i++) {
		const kith_qrel *q = &b->qrels.items[i];
		int known = 0;
		for (j = 0; j < b->profile_count && !known; j++)
			known = strcmp(kith_profile_id(b->profiles[j]), q->patient) == 0;
		if (!known && diags)
			kith_diag_add(diags, KITH_DIAG_WARNING, path, q->line, 0,
				      "patient '%s' has no profile in patients/", q->patient);
		else if (!kith_group_set_find(&b->groups, q->key) && diags)
			kith_diag_add(diags, KITH_DIAG_WARNING, path, q->line, 0, "group '%s' is in no feed of the set",
				      q->key);
	}
	for (i = 0; i < b->profile_count; i++) {
		const kith_qrel *judged = kith_qrels_patient(&b->qrels, kith_profile_id(b->profiles[i]), &n);
		for (j = 0; j < n; j++) {
			if (judged[j].grade >= KITH_RELEVANT_GRADE) {
				b->scored++;
				break;
			}
		}
	}
}

/* The folder's last component, without trailing slashes. */
static char *base_name(const char *dir)
{
	size_t end = strlen(dir), start;
	char *name;

	while (end > 1 && dir[end - 1] == '/')
		end--;
	start = end;
	while (start > 0 && dir[start - 1] != '/')
		start--;
	if ((name = malloc(end - start + 1)) != NULL) {
		memcpy(name, dir + start, end - start);
		name[end - start] = '\0';
	}
	return name;
}

int kith_bench_open(kith_bench **out, const char *dir, const kith_bench_opts *opts, kith_diag_list *diags)
{
	kith_bench_opts defaults = KITH_BENCH_OPTS_INIT;
	kith_bench *b = calloc(1, sizeof(*b));
	kith_buf path = KITH_BUF_INIT, err = KITH_BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	int error = 0;

	*out = b;
	if (!b)
		return KITH_ENOMEM;
	if (!opts)
		opts = &defaults;
	b->seed = opts->seed;
	b->desk = opts->version >= 2 && opts->desk;
	if ((b->dir = strdup(dir)) == NULL || (b->name = base_name(dir)) == NULL) {
		error = kith_error_set(&b->error, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (opts->today) {
		if (kith_date_parse(opts->today, &b->today_days) != 0) {
			error = kith_error_set(&b->error, KITH_EINVALID, "'%s' is not a date (expected YYYY-MM-DD)",
					       opts->today);
			goto cleanup;
		}
	} else {
		b->today_days = kith_date_today();
	}
	kith_date_format(b->today_days, b->today);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		error = kith_error_set(&b->error, KITH_ENOTFOUND, "%s: no such benchmark set (a folder)", dir);
		goto cleanup;
	}

	/* Judgments first: a broken qrels file is the cheapest thing to report. */
	if ((error = kith_buf_printf(&path, "%s/qrels.txt", dir)) != 0) {
		error = kith_error_set(&b->error, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((error = kith_qrels_load(&b->qrels, path.ptr, &err)) != 0) {
		kith_error_set(&b->error, error, "%s", err.ptr);
		goto cleanup;
	}
	kith_buf_clear(&path);
	if ((error = kith_buf_printf(&path, "%s/duplicates.txt", dir)) != 0) {
		error = kith_error_set(&b->error, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((error = kith_dups_load(&b->dups, path.ptr, &err)) != 0) {
		kith_error_set(&b->error, error, "%s", err.ptr);
		goto cleanup;
	}

	kith_buf_clear(&path);
	if ((error = kith_buf_printf(&path, "%s/kith-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp")) != 0) {
		error = kith_error_set(&b->error, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (mkdtemp(path.ptr) == NULL) {
		error = kith_error_set(&b->error, KITH_EIO, "%s: cannot make a temporary folder: %s", path.ptr,
				       strerror(errno));
		goto cleanup;
	}
	b->tmpdir = kith_buf_detach(&path);
	if (!b->tmpdir || (error = kith_buf_printf(&path, "%s/index.db", b->tmpdir)) != 0) {
		error = kith_error_set(&b->error, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((error = kith_index_open(&b->idx, path.ptr, KITH_OPEN_CREATE)) != 0) {
		kith_error_set(&b->error, error, "%s", kith_index_errmsg(b->idx));
		goto cleanup;
	}
	if ((error = load_feeds(b, dir, diags)) != 0)
		goto cleanup;
	if ((error = load_profiles(b, dir, diags)) != 0)
		goto cleanup;
	kith_buf_clear(&path);
	if (kith_buf_printf(&path, "%s/qrels.txt", dir) == 0)
		check_qrels(b, path.ptr, diags);
	if ((error = kith_matcher_new(&b->matcher, b->idx, opts->weights_path, opts->rules_path)) != 0) {
		kith_error_set(&b->error, error, "%s", kith_matcher_errmsg(b->matcher));
		goto cleanup;
	}

cleanup:
	kith_buf_release(&path);
	kith_buf_release(&err);
	return error;
}

void kith_bench_free(kith_bench *b)
{
	size_t i;

	if (!b)
		return;
	kith_matcher_free(b->matcher);
	kith_index_free(b->idx);
	if (b->tmpdir)
		remove_tmpdir(b->tmpdir);
	for (i = 0; i < b->profile_count; i++) {
		kith_profile_free(b->profiles[i]);
		kith_profile_free(b->truth ? b->truth[i] : NULL);
	}
	free(b->profiles);
	free(b->truth);
	kith_qrels_release(&b->qrels);
	kith_dups_release(&b->dups);
	kith_group_set_release(&b->groups);
	kith_error_release(&b->error);
	free(b->tmpdir);
	free(b->name);
	free(b->dir);
	free(b);
}

const char *kith_bench_errmsg(const kith_bench *b)
{
	return b ? kith_error_message(&b->error) : "out of memory";
}

const char *kith_bench_name(const kith_bench *b)
{
	return b->name;
}

const char *kith_bench_today(const kith_bench *b)
{
	return b->today;
}

size_t kith_bench_desk_count(const kith_bench *b)
{
	return b->desk_count;
}

size_t kith_bench_duplicate_count(const kith_bench *b)
{
	return b->dups.groups;
}

size_t kith_bench_group_count(const kith_bench *b)
{
	return b->groups.count;
}

size_t kith_bench_patient_count(const kith_bench *b)
{
	return b->profile_count;
}

size_t kith_bench_scored_count(const kith_bench *b)
{
	return b->scored;
}

kith_matcher *kith_bench_matcher(kith_bench *b)
{
	return b->matcher;
}

/* ---- runs ---------------------------------------------------------------------- */

/* Checks each result against the hard constraints with the benchmark's own checker. */
static int judge_run(kith_bench *b, kith_arena *a, const kith_patient *pt, kith_bench_patient *out)
{
	kith_bench_breach *list;
	kith_buf why = KITH_BUF_INIT;
	size_t i;
	int error = 0;

	if (!out->count)
		return 0;
	if ((list = kith_arena_alloc(a, out->count * sizeof(*list))) == NULL)
		return KITH_ENOMEM;
	for (i = 0; i < out->count; i++) {
		const kith_group *g = kith_group_set_find(&b->groups, out->keys[i]);
		int rule;
		kith_buf_clear(&why);
		if (!g) {
			/* The index and the files disagree: that is a bug worth counting too. */
			rule = KITH_RULE_NONE;
			kith_buf_puts(&why, "not a group of the set's feeds");
		} else if ((rule = kith_judge(pt, g, b->today_days, &why)) == KITH_RULE_NONE) {
			continue;
		}
		list[out->breach_count].key = out->keys[i];
		list[out->breach_count].rank = i + 1;
		list[out->breach_count].rule = rule;
		list[out->breach_count].rule_name = g ? kith_rule_name(rule) : "unknown";
		if (kith_buf_error(&why) || (list[out->breach_count].reason = kith_arena_strdup(a, why.ptr)) == NULL) {
			error = KITH_ENOMEM;
			break;
		}
		out->breach_count++;
	}
	out->breaches = list;
	kith_buf_release(&why);
	return error;
}

/* Scores one patient's run of profile p; the judge reads truth (the profile as written) when not NULL. */
static int score_patient(kith_bench *b, kith_bench_result *r, const kith_profile *p, const kith_profile *truth,
			 const kith_results *res, kith_bench_patient *out)
{
	kith_arena *a = &r->arena;
	const kith_qrel *judged;
	size_t i, n = kith_results_count(res), m;
	const char **keys;
	double *scores;
	int *grades, *jgrades, *dgrades;
	kith_metrics met, dmet;

	out->id = kith_arena_strdup(a, kith_profile_id(p));
	out->count = n;
	keys = kith_arena_alloc(a, (n ? n : 1) * sizeof(*keys));
	scores = kith_arena_alloc(a, (n ? n : 1) * sizeof(*scores));
	grades = kith_arena_alloc(a, (n ? n : 1) * sizeof(*grades));
	if (!out->id || !keys || !scores || !grades)
		return KITH_ENOMEM;
	for (i = 0; i < n; i++) {
		const kith_result *x = kith_results_get(res, i);
		if ((keys[i] = kith_arena_strdup(a, x->key)) == NULL)
			return KITH_ENOMEM;
		scores[i] = x->score;
	}
	kith_metrics_grades(&b->qrels, out->id, keys, n, grades);
	judged = kith_qrels_patient(&b->qrels, out->id, &m);
	if ((jgrades = kith_arena_alloc(a, (m ? m : 1) * sizeof(*jgrades))) == NULL)
		return KITH_ENOMEM;
	for (i = 0; i < m; i++)
		jgrades[i] = judged[i].grade;
	kith_metrics_eval(&met, grades, n, jgrades, m);
	if ((dgrades = kith_arena_alloc(a, (n ? n : 1) * sizeof(*dgrades))) == NULL)
		return KITH_ENOMEM;
	kith_metrics_dedup_grades(&b->qrels, &b->dups, out->id, keys, n, dgrades, jgrades, &m);
	kith_metrics_eval(&dmet, dgrades, n, jgrades, m);
	for (i = 0; i < n && i < 5; i++)
		out->unsuitable5 += grades[i] == 0;
	out->dedup.ndcg5 = dmet.ndcg5;
	out->dedup.ndcg10 = dmet.ndcg10;
	out->dedup.p5 = dmet.p5;
	out->dedup.mrr = dmet.mrr;
	out->dedup.recall10 = dmet.recall10;
	out->keys = keys;
	out->scores = scores;
	out->grades = grades;
	out->scored = met.scored;
	out->relevant = met.relevant;
	out->ndcg5 = met.ndcg5;
	out->ndcg10 = met.ndcg10;
	out->p5 = met.p5;
	out->mrr = met.mrr;
	out->recall10 = met.recall10;
	return judge_run(b, a, kith_profile_patient(truth ? truth : p), out);
}

static void add_dedup(kith_bench_dedup *sum, const kith_bench_dedup *x, double weight)
{
	sum->ndcg5 += weight * x->ndcg5;
	sum->ndcg10 += weight * x->ndcg10;
	sum->p5 += weight * x->p5;
	sum->mrr += weight * x->mrr;
	sum->recall10 += weight * x->recall10;
}

static void scale_dedup(kith_bench_dedup *x, double by)
{
	x->ndcg5 *= by;
	x->ndcg10 *= by;
	x->p5 *= by;
	x->mrr *= by;
	x->recall10 *= by;
}

int kith_bench_run(kith_bench *b, kith_rank_mode mode, kith_bench_result **out)
{
	kith_bench_result *r = calloc(1, sizeof(*r));
	kith_match_opts mo = KITH_MATCH_OPTS_INIT;
	kith_results *res = NULL;
	kith_bench_scores *s;
	size_t i;
	int error = 0;

	*out = NULL;
	if (!r || (r->patients = calloc(b->profile_count ? b->profile_count : 1, sizeof(*r->patients))) == NULL) {
		error = kith_error_set(&b->error, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	r->mode = mode;
	mo.top = KITH_BENCH_DEPTH;
	mo.today = b->today;
	mo.mode = mode;
	mo.seed = b->seed;
	s = &r->scores;
	for (i = 0; i < b->profile_count; i++) {
		kith_bench_patient *pp = &r->patients[i];
		if ((error = kith_matcher_run(b->matcher, b->profiles[i], &mo, &res)) != 0) {
			kith_error_set(&b->error, error, "%s: %s: %s", b->name, kith_profile_id(b->profiles[i]),
				       kith_matcher_errmsg(b->matcher));
			goto cleanup;
		}
		if ((error = score_patient(b, r, b->profiles[i], b->truth ? b->truth[i] : NULL, res, pp)) != 0) {
			kith_error_set(&b->error, error, "out of memory");
			goto cleanup;
		}
		kith_results_free(res);
		res = NULL;
		r->count++;
		s->patients++;
		s->breaches += pp->breach_count;
		s->unsuitable5 += pp->unsuitable5;
		s->slots5 += pp->count < 5 ? pp->count : 5;
		if (pp->scored) {
			s->scored++;
			s->ndcg5 += pp->ndcg5;
			s->ndcg10 += pp->ndcg10;
			s->p5 += pp->p5;
			s->mrr += pp->mrr;
			s->recall10 += pp->recall10;
			add_dedup(&s->dedup, &pp->dedup, 1.0);
		}
	}
	if (s->scored) {
		s->ndcg5 /= (double)s->scored;
		s->ndcg10 /= (double)s->scored;
		s->p5 /= (double)s->scored;
		s->mrr /= (double)s->scored;
		s->recall10 /= (double)s->scored;
		scale_dedup(&s->dedup, 1.0 / (double)s->scored);
	}

cleanup:
	kith_results_free(res);
	if (error) {
		kith_bench_result_free(r);
		r = NULL;
	}
	*out = r;
	return error;
}

void kith_bench_result_free(kith_bench_result *r)
{
	if (!r)
		return;
	kith_arena_release(&r->arena);
	free(r->patients);
	free(r);
}

kith_rank_mode kith_bench_result_mode(const kith_bench_result *r)
{
	return r->mode;
}

const kith_bench_scores *kith_bench_result_scores(const kith_bench_result *r)
{
	return &r->scores;
}

size_t kith_bench_result_count(const kith_bench_result *r)
{
	return r->count;
}

const kith_bench_patient *kith_bench_result_patient(const kith_bench_result *r, size_t i)
{
	return i < r->count ? &r->patients[i] : NULL;
}

void kith_bench_scores_average(kith_bench_scores *out, const kith_bench_scores *sets, size_t count)
{
	size_t i, used = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < count; i++) {
		const kith_bench_scores *s = &sets[i];
		out->breaches += s->breaches;
		out->unsuitable5 += s->unsuitable5;
		out->slots5 += s->slots5;
		out->scored += s->scored;
		out->patients += s->patients;
		if (!s->scored)
			continue;
		used++;
		out->ndcg5 += s->ndcg5;
		out->ndcg10 += s->ndcg10;
		out->p5 += s->p5;
		out->mrr += s->mrr;
		out->recall10 += s->recall10;
		add_dedup(&out->dedup, &s->dedup, 1.0);
	}
	if (used) {
		out->ndcg5 /= (double)used;
		out->ndcg10 /= (double)used;
		out->p5 /= (double)used;
		out->mrr /= (double)used;
		out->recall10 /= (double)used;
		scale_dedup(&out->dedup, 1.0 / (double)used);
	}
}
