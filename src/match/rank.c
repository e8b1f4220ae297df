/*
 * Choosing the list (see match_int.h): best first; for kith itself with a
 * penalty for repeating what the list already covers, and one listing per
 * real-world group; for a baseline, one number per group.
 */
#include "match/match_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/dedup.h"
#include "util/hash.h"

/* A sortable view of a candidate: qsort passes no context, so it carries what it compares. */
typedef struct ranked {
	double score;
	const char *key;
	size_t index;
} ranked;

/* Best first; ties break by key so the same input always gives the same list. */
static int better(const void *a, const void *b)
{
	const ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* How much two groups cover the same needs and interests (Jaccard over aspects). */
static double similarity(const cand *a, const cand *b)
{
	unsigned both = a->aspects & b->aspects, either = a->aspects | b->aspects;
	int nb = 0, ne = 0;

	for (; either; either &= either - 1)
		ne++;
	for (; both; both &= both - 1)
		nb++;
	return ne ? (double)nb / ne : 0.0;
}

static void dedup_key(const cand *c, kith_dedup_key *k)
{
	size_t i;

	memset(k, 0, sizeof(*k));
	kith_dedup_name(k, c->name);
	kith_dedup_feed(k, c->key);
	kith_dedup_contact(k, c->phone, c->email, c->web);
	kith_dedup_place(k, c->address);
	if (c->point_count) {
		k->lat = c->lat[0];
		k->lon = c->lon[0];
		k->has_point = 1;
	} else if (c->home_visits) {
		/* a service that comes to people is where it comes from */
		k->lat = c->home_lat;
		k->lon = c->home_lon;
		k->has_point = 1;
	} else if (c->online && !c->has_unlocated_venue) {
		k->remote = 1;
	}
	for (i = 0; i < c->session_count && i < KITH_DEDUP_MAX_SESSIONS; i++)
		k->sessions[k->session_count++] = c->sessions[i].day * 1440 + c->sessions[i].start;
}

/*
 * Picks the list: greedily the best score after a penalty for covering
 * the same needs and interests as what is already chosen (so a person with
 * three needs sees all three served), skipping a second listing of a group
 * already chosen.  The penalty only grows as the list grows, so shown
 * scores never rise down the list.
 */
int kith_match_rank(kith_matcher *m, run *r, size_t top)
{
	ranked *pool = NULL;
	kith_dedup_key *keys = NULL;
	size_t n = 0, i, window;
	int error = 0;

	for (i = 0; i < r->count; i++)
		n += !r->cands[i].broken;
	if ((pool = malloc((n ? n : 1) * sizeof(*pool))) == NULL ||
	    (r->order = malloc((top ? top : 1) * sizeof(*r->order))) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (i = n = 0; i < r->count; i++) {
		if (r->cands[i].broken)
			continue;
		r->cands[i].final = r->cands[i].base;
		pool[n].score = r->cands[i].base;
		pool[n].key = r->cands[i].key;
		pool[n++].index = i;
	}
	qsort(pool, n, sizeof(*pool), better);
	/* only the head of the pool can reach the list, even after penalties */
	window = n < top * 4 + 8 ? n : top * 4 + 8;
	if ((keys = calloc(window ? window : 1, sizeof(*keys))) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < window; i++) {
		if ((error = kith_match_read_details(m, r->arena, &r->cands[pool[i].index])) != 0)
			goto cleanup;
		dedup_key(&r->cands[pool[i].index], &keys[i]);
	}
	while (r->chosen < top) {
		size_t best = window, j;
		double best_score = -1e9;
		for (i = 0; i < window; i++) {
			cand *c = &r->cands[pool[i].index];
			double sim = 0, adj;
			if (c->dup_of != -1)
				continue; /* chosen already (-2), or a duplicate of a chosen one */
			for (j = 0; j < r->chosen; j++) {
				cand *s = &r->cands[r->order[j]];
				size_t k;
				for (k = 0; k < window && pool[k].index != r->order[j]; k++)
					;
				if (k < window && kith_dedup_same(&keys[i], &keys[k])) {
					c->dup_of = (int)r->order[j];
					if (s->also < 0)
						s->also = (int)pool[i].index;
					break;
				}
				if (similarity(c, s) > sim)
					sim = similarity(c, s);
			}
			if (c->dup_of != -1)
				continue;
			c->variety = kith_round3(m->weights.variety * 0.15 * sim);
			adj = kith_round3(c->base - c->variety);
			if (adj > best_score || (adj == best_score && best < window &&
						 strcmp(c->key, r->cands[pool[best].index].key) < 0)) {
				best_score = adj;
				best = i;
			}
		}
		if (best == window)
			break;
		r->cands[pool[best].index].final = best_score;
		r->order[r->chosen++] = pool[best].index;
		/* keep its key for the duplicate test, but take it out of the running */
		r->cands[pool[best].index].dup_of = -2;
	}
	/* the ones not chosen keep their variety penalty as of the last round */
	for (i = 0; i < r->chosen; i++)
		if (r->cands[r->order[i]].dup_of == -2)
			r->cands[r->order[i]].dup_of = -1;

cleanup:
	free(pool);
	free(keys);
	return error;
}

/* A seeded, stable pseudo-random score for the random baseline. */
static double random_score(unsigned long seed, const char *key)
{
	uint64_t h = kith_fnv(KITH_FNV_START ^ (seed * 0x9E3779B97F4A7C15ull), key, strlen(key));

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (double)(h >> 11) / 9007199254740992.0;
}

/* Scores for a baseline: one number per group, no variety, no duplicates dropped. */
int kith_match_rank_baseline(run *r, kith_rank_mode mode, unsigned long seed, size_t top)
{
	ranked *pool = malloc((r->count ? r->count : 1) * sizeof(*pool));
	size_t i, n = 0;

	if (!pool || (r->order = malloc((top ? top : 1) * sizeof(*r->order))) == NULL) {
		free(pool);
		return KITH_ENOMEM;
	}
	for (i = 0; i < r->count; i++) {
		cand *c = &r->cands[i];
		double s;
		if (mode == KITH_RANK_FILTERED_TEXT && c->broken)
			continue;
		if (mode == KITH_RANK_RANDOM)
			s = random_score(seed, c->key);
		else if (mode == KITH_RANK_NEAREST)
			s = c->distance >= 0 ? 1.0 / (1.0 + c->distance) : 0.0;
		else
			s = r->max_text > 0 ? c->text_score / r->max_text : 0.0;
		c->final = c->base = kith_round3(s);
		pool[n].score = s;
		pool[n].key = c->key;
		pool[n++].index = i;
	}
	qsort(pool, n, sizeof(*pool), better);
	for (i = 0; i < n && r->chosen < top; i++)
		r->order[r->chosen++] = pool[i].index;
	free(pool);
	return 0;
}
