/*
 * What a list does for each need the person gave (see match_int.h).  A
 * need that nothing within reach serves is said plainly, with the nearest
 * group beyond reach that serves it: further away, or by phone or online
 * for someone who said they do not go online, or the next town.
 */
#include "match/match_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "text/vocab.h"

/* How far the search beyond reach goes: three times the limit, and at least 15 km more. */
#define BEYOND_FACTOR 3.0
#define BEYOND_EXTRA_KM 15.0

/* The need's words for a sentence: "bereavement and grief" for "bereavement". */
static const char *need_words(const char *id)
{
	const kith_vocab_term *t = kith_vocab_find(KITH_VOCAB_NEED, id);

	return t ? t->covers : id;
}

/*
 * For each need i with unserved[i] set, the nearest group beyond reach that
 * helps with it, into best[i] (found[i] says whether there is one): one
 * search as if the person could travel further and could use a phone or go
 * online, keeping only groups nothing else rules out (age, language,
 * times, cost...).
 */
static int nearest_beyond(kith_matcher *m, run *r, const int *unserved, size_t needs, cand *best, int *found)
{
	kith_patient wider = *r->q.pt;
	query q = r->q;
	gid_list gids = {0};
	kith_buf why = KITH_BUF_INIT;
	cand c;
	size_t k, i;
	int error;

	wider.online = 1;
	wider.housebound = 0;
	q.pt = &wider;
	q.has_limit = 1;
	q.limit = fmax(BEYOND_FACTOR * r->q.limit, r->q.limit + BEYOND_EXTRA_KM);
	if ((error = kith_match_candidates(m, &q, 0, 1, 10, &gids)) != 0)
		goto cleanup;
	for (k = 0; k < gids.count; k++) {
		if ((error = kith_match_read_row(m, r->arena, gids.items[k], &c)) == KITH_ENOTFOUND)
			continue;
		if (error)
			goto cleanup;
		kith_buf_clear(&why);
		if (kith_match_breaks(&q, &c, &why, 0) != 0)
			continue;
		kith_match_score(m, &q, &c, 0, NULL);
		for (i = 0; i < needs; i++) {
			if (!unserved[i] || !(c.aspects & (1u << (i & 31))))
				continue;
			/* nearest first; a phone line or online group only where nothing meets nearer */
			if (!found[i] || (c.in_person && (!best[i].in_person || c.distance < best[i].distance))) {
				best[i] = c;
				found[i] = 1;
			}
		}
	}
	error = 0;

cleanup:
	free(gids.items);
	kith_buf_release(&why);
	return error;
}

/* The sentence for a need nothing in the list serves. */
static const char *unserved_text(kith_arena *a, const query *q, const kith_need_cover *n)
{
	kith_buf b = KITH_BUF_INIT;
	const char *out;

	if (n->reachable)
		kith_buf_printf(&b, "None of these helps with %s; %zu group%s in reach further down the list do%s.",
				need_words(n->need), n->reachable, n->reachable == 1 ? "" : "s",
				n->reachable == 1 ? "es" : "");
	else if (q->pt->home.known && q->has_limit)
		kith_buf_printf(&b, "Nothing within %g km says it helps with %s", q->limit, need_words(n->need));
	else
		kith_buf_printf(&b, "Nothing that fits says it helps with %s", need_words(n->need));
	if (!n->reachable && n->beyond && n->beyond_km >= 0)
		kith_buf_printf(&b, "; the nearest that does is %s, %.1f km away.", n->beyond_name, n->beyond_km);
	else if (!n->reachable && n->beyond)
		kith_buf_printf(&b, "; %s does, by phone or online.", n->beyond_name);
	else if (!n->reachable)
		kith_buf_printf(&b, ", and nothing within %g km does either.",
				fmax(BEYOND_FACTOR * q->limit, q->limit + BEYOND_EXTRA_KM));
	out = kith_buf_error(&b) ? NULL : kith_arena_strdup(a, b.ptr);
	kith_buf_release(&b);
	return out;
}

int kith_match_coverage(kith_matcher *m, run *r, kith_results *res)
{
	size_t needs = r->q.pt->need_count < r->q.need_count ? r->q.pt->need_count : r->q.need_count, i, k;
	int unserved[MAX_NEEDS] = {0}, found[MAX_NEEDS] = {0}, any = 0, error = 0;
	cand *best = NULL;

	if (!needs)
		return 0;
	if ((res->needs = kith_arena_alloc(&res->arena, needs * sizeof(*res->needs))) == NULL)
		return KITH_ENOMEM;
	for (i = 0; i < needs; i++) {
		kith_need_cover *n = &res->needs[i];
		unsigned bit = 1u << (i & 31);
		memset(n, 0, sizeof(*n));
		if ((n->need = kith_arena_strdup(&res->arena, r->q.need_id[i])) == NULL)
			return KITH_ENOMEM;
		n->beyond_km = -1;
		n->text = "";
		for (k = 0; k < r->count; k++)
			n->reachable += !r->cands[k].broken && r->cands[k].dup_of < 0 && (r->cands[k].aspects & bit);
		for (k = 0; k < r->chosen; k++)
			n->shown += (r->cands[r->order[k]].aspects & bit) != 0;
		any |= unserved[i] = !n->shown && !n->reachable;
		res->need_count++;
	}
	if (any) {
		if ((best = calloc(needs, sizeof(*best))) == NULL)
			return KITH_ENOMEM;
		if ((error = nearest_beyond(m, r, unserved, needs, best, found)) != 0)
			goto cleanup;
	}
	for (i = 0; i < needs; i++) {
		kith_need_cover *n = &res->needs[i];
		if (n->shown)
			continue;
		if (found[i]) {
			n->beyond = best[i].key;
			n->beyond_name = best[i].name;
			n->beyond_km = best[i].in_person ? best[i].distance : -1;
		}
		if ((n->text = unserved_text(&res->arena, &r->q, n)) == NULL) {
			error = KITH_ENOMEM;
			goto cleanup;
		}
	}

cleanup:
	free(best);
	return error;
}
