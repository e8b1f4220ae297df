/*
 * Judgments and ranking measures (see metrics.h).
 */
#include "eval/metrics.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith/common.h"
#include "util/array.h"
#include "util/file.h"

#define MAX_FIELD 512 /* longest patient id or key kept in a message */

/* ---- qrels --------------------------------------------------------------- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Splits line[0..len) into at most max fields; returns how many there were (may exceed max). */
static size_t split(const char *line, size_t len, const char **start, size_t *size, size_t max)
{
	size_t i = 0, n = 0;

	while (i < len) {
		size_t from;
		while (i < len && is_blank(line[i]))
			i++;
		if (i == len)
			break;
		from = i;
		while (i < len && !is_blank(line[i]))
			i++;
		if (n < max) {
			start[n] = line + from;
			size[n] = i - from;
		}
		n++;
	}
	return n;
}

static int push(kith_qrels *q, const char *patient, size_t plen, const char *key, size_t klen, int grade, unsigned line)
{
	kith_qrel *r;

	if (KITH_ARRAY_RESERVE(q->items, q->alloc, q->count + 1, 256) != 0)
		return KITH_ENOMEM;
	r = &q->items[q->count];
	r->patient = kith_arena_strndup(&q->arena, patient, plen);
	r->key = kith_arena_strndup(&q->arena, key, klen);
	if (!r->patient || !r->key)
		return KITH_ENOMEM;
	r->grade = grade;
	r->line = line;
	q->count++;
	return 0;
}

static int by_patient_key(const void *a, const void *b)
{
	const kith_qrel *x = a, *y = b;
	int c = strcmp(x->patient, y->patient);

	if (c == 0)
		c = strcmp(x->key, y->key);
	if (c == 0)
		c = x->line < y->line ? -1 : x->line > y->line;
	return c;
}

/* Checks one line's fields; writes the reason to err and returns KITH_EINVALID when they are wrong. */
static int check_line(const char **f, const size_t *len, size_t n, const char *name, unsigned line, int *grade,
		      kith_buf *err)
{
	const char *slash;
	char text[16];
	size_t i;

	if (n != 4) {
		kith_buf_printf(err, "%s:%u: expected 4 fields 'PATIENT-ID 0 FEED-ID/GROUP-ID GRADE', got %zu", name,
				line, n);
		return KITH_EINVALID;
	}
	slash = memchr(f[2], '/', len[2]);
	if (!slash || slash == f[2] || slash == f[2] + len[2] - 1 ||
	    memchr(slash + 1, '/', len[2] - (size_t)(slash + 1 - f[2]))) {
		kith_buf_printf(err, "%s:%u: key '%.*s' is not FEED-ID/GROUP-ID", name, line,
				(int)(len[2] < MAX_FIELD ? len[2] : MAX_FIELD), f[2]);
		return KITH_EINVALID;
	}
	for (i = 0; i < len[3] && f[3][i] >= '0' && f[3][i] <= '9'; i++)
		;
	if (i < len[3] || len[3] >= sizeof(text)) {
		kith_buf_printf(err, "%s:%u: grade '%.*s' is not a whole number from 0 to %d", name, line,
				(int)(len[3] < MAX_FIELD ? len[3] : MAX_FIELD), f[3], KITH_MAX_GRADE);
		return KITH_EINVALID;
	}
	memcpy(text, f[3], len[3]);
	text[len[3]] = '\0';
	*grade = (int)strtol(text, NULL, 10);
	if (*grade > KITH_MAX_GRADE) {
		kith_buf_printf(err, "%s:%u: grade %s is out of range (expected 0 to %d)", name, line, text,
				KITH_MAX_GRADE);
		return KITH_EINVALID;
	}
	return 0;
}

int kith_qrels_parse(kith_qrels *q, const char *text, size_t len, const char *name, kith_buf *err)
{
	const char *p = text, *end = text + len;
	unsigned line = 0;
	size_t i;
	int error = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n, linelen = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *f[4];
		size_t flen[4];
		int grade = 0;

		line++;
		if (memchr(p, '\0', linelen)) {
			kith_buf_printf(err, "%s:%u: NUL byte in the line", name, line);
			error = KITH_EINVALID;
			goto cleanup;
		}
		n = split(p, linelen, f, flen, 4);
		p = nl ? nl + 1 : end;
		if (n == 0)
			continue;
		if ((error = check_line(f, flen, n, name, line, &grade, err)) != 0)
			goto cleanup;
		if ((error = push(q, f[0], flen[0], f[2], flen[2], grade, line)) != 0)
			goto cleanup;
	}
	if (q->count)
		qsort(q->items, q->count, sizeof(*q->items), by_patient_key);
	for (i = 1; i < q->count; i++) {
		const kith_qrel *a = &q->items[i - 1], *b = &q->items[i];
		if (strcmp(a->patient, b->patient) == 0 && strcmp(a->key, b->key) == 0) {
			kith_buf_printf(err, "%s:%u: '%s' is judged again for patient '%s' (first on line %u)", name,
					b->line, b->key, b->patient, a->line);
			error = KITH_EINVALID;
			goto cleanup;
		}
	}

cleanup:
	if (error == KITH_ENOMEM)
		kith_buf_printf(err, "%s: out of memory", name);
	if (error)
		kith_qrels_release(q);
	return error;
}

int kith_qrels_load(kith_qrels *q, const char *path, kith_buf *err)
{
	kith_buf text = KITH_BUF_INIT;
	int error;

	if ((error = kith_file_read(&text, path)) == KITH_EIO)
		kith_buf_printf(err, "%s: cannot read: %s", path, strerror(errno));
	else if (error)
		kith_buf_printf(err, "%s: %s", path, kith_strerror(error));
	else
		error = kith_qrels_parse(q, text.ptr, text.size, path, err);
	kith_buf_release(&text);
	return error;
}

void kith_qrels_release(kith_qrels *q)
{
	kith_arena_release(&q->arena);
	free(q->items);
	q->items = NULL;
	q->count = q->alloc = 0;
}

/* Index of the first judgment of patient (sorted order), or q->count. */
static size_t lower_bound(const kith_qrels *q, const char *patient, const char *key)
{
	size_t lo = 0, hi = q->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(q->items[mid].patient, patient);
		if (c == 0 && key)
			c = strcmp(q->items[mid].key, key);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int kith_qrels_grade(const kith_qrels *q, const char *patient, const char *key)
{
	size_t i = lower_bound(q, patient, key);

	if (i < q->count && strcmp(q->items[i].patient, patient) == 0 && strcmp(q->items[i].key, key) == 0)
		return q->items[i].grade;
	return 0;
}

const kith_qrel *kith_qrels_patient(const kith_qrels *q, const char *patient, size_t *count)
{
	size_t i = lower_bound(q, patient, NULL), j = i;

	while (j < q->count && strcmp(q->items[j].patient, patient) == 0)
		j++;
	*count = j - i;
	return j > i ? &q->items[i] : NULL;
}

void kith_metrics_grades(const kith_qrels *q, const char *patient, const char *const *keys, size_t n, int *grades)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		grades[i] = kith_qrels_grade(q, patient, keys[i]);
		for (j = 0; j < i && grades[i]; j++)
			if (strcmp(keys[j], keys[i]) == 0)
				grades[i] = 0;
	}
}

/* ---- measures --------------------------------------------------------------- */

static double gain(int grade)
{
	if (grade > 31)
		grade = 31;
	return grade > 0 ? ldexp(1.0, grade) - 1.0 : 0.0;
}

double kith_metric_dcg(const int *grades, size_t n, size_t k)
{
	double dcg = 0;
	size_t i;

	for (i = 0; i < n && i < k; i++)
		dcg += gain(grades[i]) / log2((double)i + 2.0);
	return dcg;
}

double kith_metric_ndcg(const int *grades, size_t n, const int *judged, size_t m, size_t k)
{
	size_t count[32] = {0}, i, rank = 0;
	double idcg = 0;
	int g;

	/* The ideal list holds the judged grades best first: count them by grade. */
	for (i = 0; i < m; i++)
		if (judged[i] > 0)
			count[judged[i] < 31 ? judged[i] : 31]++;
	for (g = 31; g > 0 && rank < k; g--)
		for (; count[g] && rank < k; count[g]--, rank++)
			idcg += gain(g) / log2((double)rank + 2.0);
	return idcg > 0 ? kith_metric_dcg(grades, n, k) / idcg : 0.0;
}

double kith_metric_precision(const int *grades, size_t n, size_t k)
{
	size_t i, hits = 0;

	if (k == 0)
		return 0;
	for (i = 0; i < n && i < k; i++)
		hits += grades[i] >= KITH_RELEVANT_GRADE;
	return (double)hits / (double)k;
}

double kith_metric_rr(const int *grades, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (grades[i] >= KITH_RELEVANT_GRADE)
			return 1.0 / (double)(i + 1);
	return 0;
}

double kith_metric_recall(const int *grades, size_t n, size_t k, size_t relevant)
{
	size_t i, hits = 0;

	if (relevant == 0)
		return 0;
	for (i = 0; i < n && i < k; i++)
		hits += grades[i] >= KITH_RELEVANT_GRADE;
	return (double)hits / (double)relevant;
}

void kith_metrics_eval(kith_metrics *out, const int *grades, size_t n, const int *judged, size_t m)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < m; i++)
		out->relevant += judged[i] >= KITH_RELEVANT_GRADE;
	out->scored = out->relevant > 0;
	if (!out->scored)
		return;
	out->ndcg5 = kith_metric_ndcg(grades, n, judged, m, 5);
	out->ndcg10 = kith_metric_ndcg(grades, n, judged, m, 10);
	out->p5 = kith_metric_precision(grades, n, 5);
	out->mrr = kith_metric_rr(grades, n);
	out->recall10 = kith_metric_recall(grades, n, 10, out->relevant);
}

/* ---- duplicates.txt ------------------------------------------------------- */

static int by_dup_key(const void *a, const void *b)
{
	return strcmp(((const kith_dup *)a)->key, ((const kith_dup *)b)->key);
}

/* One line's keys into d; 0 or KITH_EINVALID / KITH_ENOMEM with the reason in err. */
static int dups_line(kith_dups *d, char *line, const char *path, unsigned lineno, kith_buf *err)
{
	const char *canonical = NULL;
	char *save = NULL, *word;
	size_t keys = 0;
	int error;

	for (word = strtok_r(line, " \t\r", &save); word; word = strtok_r(NULL, " \t\r", &save)) {
		const char *slash = strchr(word, '/');
		char *key;
		if (!slash || slash == word || !slash[1] || strchr(slash + 1, '/')) {
			kith_buf_printf(err, "%s:%u: '%s' is not a key (expected FEED-ID/GROUP-ID)", path, lineno,
					word);
			return KITH_EINVALID;
		}
		if ((key = kith_arena_strdup(&d->arena, word)) == NULL ||
		    (error = KITH_ARRAY_RESERVE(d->items, d->alloc, d->count + 1, 16)) != 0)
			return KITH_ENOMEM;
		if (!canonical)
			canonical = key;
		d->items[d->count].key = key;
		d->items[d->count].canonical = canonical;
		d->count++;
		keys++;
	}
	if (keys == 1) {
		kith_buf_printf(err, "%s:%u: one key alone: a line lists every key of one real-world group", path,
				lineno);
		return KITH_EINVALID;
	}
	d->groups += keys > 1;
	return 0;
}

int kith_dups_load(kith_dups *d, const char *path, kith_buf *err)
{
	kith_buf text = KITH_BUF_INIT;
	char *line, *next;
	unsigned lineno = 0;
	size_t i;
	int error;

	if ((error = kith_file_read(&text, path)) == KITH_EIO && errno == ENOENT) {
		error = 0; /* a set without duplicates */
		goto cleanup;
	}
	if (error) {
		if (error == KITH_EIO)
			kith_buf_printf(err, "%s: cannot read: %s", path, strerror(errno));
		else
			kith_buf_printf(err, "%s: %s", path, kith_strerror(error));
		goto cleanup;
	}
	for (line = text.ptr; line && !error; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		lineno++;
		error = dups_line(d, line, path, lineno, err);
	}
	if (!error && d->count)
		qsort(d->items, d->count, sizeof(*d->items), by_dup_key);
	for (i = 1; !error && i < d->count; i++) {
		if (strcmp(d->items[i - 1].key, d->items[i].key) == 0) {
			kith_buf_printf(err, "%s: '%s' is listed twice", path, d->items[i].key);
			error = KITH_EINVALID;
		}
	}

cleanup:
	kith_buf_release(&text);
	if (error)
		kith_dups_release(d);
	return error;
}

void kith_dups_release(kith_dups *d)
{
	kith_arena_release(&d->arena);
	free(d->items);
	d->items = NULL;
	d->count = d->alloc = d->groups = 0;
}

const char *kith_dups_canonical(const kith_dups *d, const char *key)
{
	kith_dup probe = {key, NULL};
	const kith_dup *found = d->count ? bsearch(&probe, d->items, d->count, sizeof(*d->items), by_dup_key) : NULL;

	return found ? found->canonical : key;
}

void kith_metrics_dedup_grades(const kith_qrels *q, const kith_dups *d, const char *patient, const char *const *keys,
			       size_t n, int *grades, int *judged, size_t *m)
{
	const kith_qrel *all;
	size_t i, j, count;

	for (i = 0; i < n; i++) {
		const char *group = kith_dups_canonical(d, keys[i]);
		int seen = 0;
		for (j = 0; j < i && !seen; j++)
			seen = strcmp(kith_dups_canonical(d, keys[j]), group) == 0;
		grades[i] = seen ? 0 : kith_qrels_grade(q, patient, keys[i]);
	}
	/* one judgment per real-world group: the best its listings were given */
	all = kith_qrels_patient(q, patient, &count);
	*m = 0;
	for (i = 0; i < count; i++) {
		const char *group = kith_dups_canonical(d, all[i].key);
		int merged = 0;
		for (j = 0; j < i && !merged; j++) {
			if (strcmp(kith_dups_canonical(d, all[j].key), group) != 0)
				continue;
			merged = 1;
		}
		if (!merged) {
			int best = all[i].grade;
			for (j = i + 1; j < count; j++)
				if (strcmp(kith_dups_canonical(d, all[j].key), group) == 0 && all[j].grade > best)
					best = all[j].grade;
			judged[(*m)++] = best;
		}
	}
}
