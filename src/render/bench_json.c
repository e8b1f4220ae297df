/*
 * The JSON form of a quality benchmark (kith_bench_render_json in
 * kith/render.h).
 */
#include "kith/render.h"

#include <stdlib.h>

#include "render/json.h"
#include "util/buf.h"

/* The five measures, or null for each when no patient was scored. */
static void json_measures(kith_buf *b, int scored, double ndcg5, double ndcg10, double p5, double mrr, double recall10)
{
	if (scored)
		kith_buf_printf(b, "\"ndcg5\": %.4f, \"ndcg10\": %.4f, \"p5\": %.4f, \"mrr\": %.4f, \"recall10\": %.4f",
				ndcg5, ndcg10, p5, mrr, recall10);
	else
		kith_buf_puts(b, "\"ndcg5\": null, \"ndcg10\": null, \"p5\": null, \"mrr\": null, \"recall10\": null");
}

/* The dedup-aware measures as an object: "dedup": {...}. */
static void json_dedup(kith_buf *b, int scored, const kith_bench_dedup *d)
{
	kith_buf_puts(b, ", \"dedup\": {");
	json_measures(b, scored, d->ndcg5, d->ndcg10, d->p5, d->mrr, d->recall10);
	kith_buf_putc(b, '}');
}

static void json_scores(kith_buf *b, const kith_bench_scores *s)
{
	json_measures(b, s->scored != 0, s->ndcg5, s->ndcg10, s->p5, s->mrr, s->recall10);
	json_dedup(b, s->scored != 0, &s->dedup);
	kith_buf_printf(b,
			", \"breaches\": %zu, \"unsuitable_top5\": %zu, \"top5_slots\": %zu, \"scored\": %zu, "
			"\"patients\": %zu",
			s->breaches, s->unsuitable5, s->slots5, s->scored, s->patients);
}

static void json_patient(kith_buf *b, const kith_bench_patient *p)
{
	size_t j;

	kith_buf_puts(b, "{\"id\": ");
	kith_json_string(b, p->id);
	kith_buf_printf(b, ", \"scored\": %s, \"relevant\": %zu, ", p->scored ? "true" : "false", p->relevant);
	json_measures(b, p->scored, p->ndcg5, p->ndcg10, p->p5, p->mrr, p->recall10);
	json_dedup(b, p->scored, &p->dedup);
	kith_buf_printf(b, ", \"unsuitable_top5\": %zu, \"results\": [", p->unsuitable5);
	for (j = 0; j < p->count; j++) {
		kith_buf_printf(b, "%s{\"key\": ", j ? ", " : "");
		kith_json_string(b, p->keys[j]);
		kith_buf_printf(b, ", \"grade\": %d}", p->grades[j]);
	}
	kith_buf_puts(b, "], \"breaches\": [");
	for (j = 0; j < p->breach_count; j++) {
		const kith_bench_breach *x = &p->breaches[j];
		kith_buf_printf(b, "%s{\"rank\": %zu, \"key\": ", j ? ", " : "", x->rank);
		kith_json_string(b, x->key);
		kith_buf_printf(b, ", \"rule\": %d, \"rule_name\": ", x->rule);
		kith_json_string(b, x->rule_name);
		kith_buf_puts(b, ", \"reason\": ");
		kith_json_string(b, x->reason);
		kith_buf_putc(b, '}');
	}
	kith_buf_puts(b, "]}");
}

static void json_set(kith_buf *b, kith_bench *set, const char *path, kith_bench_result *const *res, size_t nsys)
{
	size_t i, j;

	kith_buf_puts(b, "{\"name\": ");
	kith_json_string(b, kith_bench_name(set));
	kith_buf_puts(b, ", \"path\": ");
	kith_json_string(b, path);
	kith_buf_printf(b, ", \"groups\": %zu, \"duplicates\": %zu, \"patients\": %zu, \"scored\": %zu, \"systems\": [",
			kith_bench_group_count(set), kith_bench_duplicate_count(set), kith_bench_patient_count(set),
			kith_bench_scored_count(set));
	for (i = 0; i < nsys; i++) {
		kith_buf_printf(b, "%s\n   {\"system\": ", i ? "," : "");
		kith_json_string(b, kith_bench_system_name(kith_bench_result_mode(res[i])));
		kith_buf_puts(b, ", ");
		json_scores(b, kith_bench_result_scores(res[i]));
		kith_buf_puts(b, ", \"per_patient\": [");
		for (j = 0; j < kith_bench_result_count(res[i]); j++) {
			kith_buf_printf(b, "%s\n    ", j ? "," : "");
			json_patient(b, kith_bench_result_patient(res[i], j));
		}
		kith_buf_puts(b, "]}");
	}
	kith_buf_puts(b, "]}");
}

/* Each system's mean over the sets, as kith_bench_scores_average() takes them. */
static int json_means(kith_buf *b, size_t set_count, kith_bench_result *const *results, size_t nsys)
{
	kith_bench_scores *per_set = calloc(set_count ? set_count : 1, sizeof(*per_set)), mean;
	size_t i, k, count;
	const kith_rank_mode *systems = kith_bench_systems(&count);

	if (!per_set)
		return KITH_ENOMEM;
	kith_buf_printf(b, "],\n \"mean\": {\"sets\": %zu, \"systems\": [", set_count);
	for (k = 0; k < nsys && k < count; k++) {
		for (i = 0; i < set_count; i++)
			per_set[i] = *kith_bench_result_scores(results[i * nsys + k]);
		kith_bench_scores_average(&mean, per_set, set_count);
		kith_buf_printf(b, "%s\n   {\"system\": ", k ? "," : "");
		kith_json_string(b, kith_bench_system_name(systems[k]));
		kith_buf_puts(b, ", ");
		json_scores(b, &mean);
		kith_buf_putc(b, '}');
	}
	kith_buf_puts(b, "]}}\n");
	free(per_set);
	return 0;
}

int kith_bench_render_json(kith_bench *const *sets, const char *const *paths, size_t set_count,
			   kith_bench_result *const *results, size_t system_count, char **out)
{
	kith_buf b = KITH_BUF_INIT;
	size_t i;
	int error;

	*out = NULL;
	kith_buf_puts(&b, "{\"date\": ");
	kith_json_string(&b, set_count ? kith_bench_today(sets[0]) : "");
	kith_buf_printf(&b, ", \"depth\": %d, \"relevant_grade\": 2, \"sets\": [", KITH_BENCH_DEPTH);
	for (i = 0; i < set_count; i++) {
		kith_buf_printf(&b, "%s\n  ", i ? "," : "");
		json_set(&b, sets[i], paths[i], &results[i * system_count], system_count);
	}
	if ((error = json_means(&b, set_count, results, system_count)) != 0 || (error = kith_buf_error(&b)) != 0) {
		kith_buf_release(&b);
		return error;
	}
	return (*out = kith_buf_detach(&b)) ? 0 : KITH_ENOMEM;
}
