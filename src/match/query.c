/*
 * The person as a match sees them (see match_int.h): their needs with
 * weights, what their own words mean (interests, conditions, "no car"),
 * the words worth searching for, and the masks that narrow candidates.
 */
#include "match/match_int.h"

#include <stdio.h>
#include <string.h>

#include "text/vocab.h"
#include "text/words.h"

/* Conditions that a need or a circumstance says a person lives with: what condition-specific groups are for. */
static void add_conditions(query *q, const kith_patient *pt)
{
	static const char *const from_need[][2] = {
		{"substance-use", "condition:alcohol"},
		{"memory", "condition:dementia"},
		{"parenting", "condition:pregnancy"},
	};
	static const char *const from_circumstance[][2] = {
		{"dementia", "condition:dementia"},
		{"sight-loss", "condition:sight-loss"},
		{"hearing-loss", "condition:hearing-loss"},
		{"autism", "condition:autism"},
		{"learning-disability", "condition:learning-disability"},
		{"pregnant", "condition:pregnancy"},
		{"new-parent", "condition:pregnancy"},
	};
	size_t i, k;

	if (pt->needs_access[KITH_ACCESS_WHEELCHAIR])
		kith_concepts_add(&q->conditions, "condition:physical-disability", 1.0, "wheelchair");
	for (i = 0; i < pt->need_count; i++)
		for (k = 0; k < sizeof(from_need) / sizeof(from_need[0]); k++)
			if (strcmp(pt->needs[i].id, from_need[k][0]) == 0)
				kith_concepts_add(&q->conditions, from_need[k][1], 1.0, pt->needs[i].id);
	for (i = 0; i < pt->circumstances.count; i++)
		for (k = 0; k < sizeof(from_circumstance) / sizeof(from_circumstance[0]); k++)
			if (strcmp(pt->circumstances.items[i], from_circumstance[k][0]) == 0)
				kith_concepts_add(&q->conditions, from_circumstance[k][1], 1.0,
						  pt->circumstances.items[i]);
}

int kith_match_chronic(const char *id)
{
	static const char *const chronic[] = {"condition:lung",   "condition:heart",     "condition:diabetes",
					      "condition:stroke", "condition:arthritis", "condition:parkinsons",
					      "condition:ms",     "condition:cancer"};
	size_t i;

	for (i = 0; i < sizeof(chronic) / sizeof(chronic[0]); i++)
		if (strcmp(id, chronic[i]) == 0)
			return 1;
	return 0;
}

/* 1 when the person has a long-term condition (a need or a circumstance) and their words name no chronic one. */
static int lives_with_unnamed_condition(const query *q, const kith_patient *pt)
{
	size_t i;
	int has = kith_match_has_circumstance(pt, "long-term-condition", strlen("long-term-condition"));

	for (i = 0; i < pt->need_count; i++)
		has |= strcmp(pt->needs[i].id, "long-term-condition") == 0;
	for (i = 0; has && i < q->conditions.count; i++)
		if (kith_match_chronic(q->conditions.items[i].id))
			return 0;
	return has;
}

/* Sorts what the person's words and tags mean into needs, conditions, "no car" and interests. */
static void sort_concepts(query *q, const kith_concepts *words)
{
	size_t i, j;

	for (i = 0; i < words->count; i++) {
		const kith_concept *c = &words->items[i];
		if (strncmp(c->id, "need:", 5) == 0) {
			int known = 0;
			for (j = 0; j < q->need_count; j++)
				known |= strcmp(q->need_id[j], c->id + 5) == 0;
			/* needs they mention count a little */
			if (!known && q->need_count < MAX_NEEDS) {
				snprintf(q->need_id[q->need_count], sizeof(q->need_id[0]), "%s", c->id + 5);
				q->need_weight[q->need_count++] = 0.5 * c->strength;
			}
		} else if (strncmp(c->id, "condition:", 10) == 0) {
			kith_concepts_add(&q->conditions, c->id, c->strength, c->evidence);
		} else if (strncmp(c->id, "transport:", 10) == 0) {
			q->no_car = 1;
		} else if (strncmp(c->id, "for:", 4) == 0) {
			kith_concepts_add(&q->said_self, c->id, c->strength, c->evidence);
		} else {
			kith_concepts_add(&q->interests, c->id, c->strength, c->evidence);
		}
	}
}

/* The concept and language bits a candidate must share with the person. */
static void set_masks(query *q, const kith_patient *pt)
{
	size_t i;

	for (i = 0; i < q->need_count; i++) {
		char id[64];
		snprintf(id, sizeof(id), "need:%s", q->need_id[i]);
		q->mask |= kith_vocab_concept_bit(id);
	}
	for (i = 0; i < q->interests.count; i++)
		if (q->interests.items[i].strength >= 0.5)
			q->mask |= kith_vocab_concept_bit(q->interests.items[i].id);
	for (i = 0; i < q->conditions.count; i++)
		q->mask |= kith_vocab_concept_bit(q->conditions.items[i].id);
	for (i = 0; i < pt->languages.count; i++)
		q->langs |= kith_vocab_language_bit(pt->languages.items[i]);
	if (!q->langs)
		q->langs = kith_vocab_language_bit("en");
}

int kith_match_query(kith_matcher *m, const kith_patient *pt, long today, query *q)
{
	static const double priority_weight[] = {1.0, 2.0, 3.0}; /* low, normal, high */
	kith_concepts words = {0};
	kith_buf need_words = KITH_BUF_INIT;
	char tw[64];
	size_t i;
	int error;

	memset(q, 0, sizeof(*q));
	q->pt = pt;
	q->today = today;
	q->has_limit = pt->max_travel_km >= 0;
	q->limit = q->has_limit ? pt->max_travel_km : DEFAULT_LIMIT_KM;
	for (i = 0; i < pt->need_count && q->need_count < MAX_NEEDS; i++) {
		snprintf(q->need_id[q->need_count], sizeof(q->need_id[0]), "%s", pt->needs[i].id);
		q->need_weight[q->need_count++] = priority_weight[pt->needs[i].priority];
		kith_tag_words(tw, sizeof(tw), pt->needs[i].id);
		kith_buf_printf(&need_words, " %s", tw);
	}
	/* what the person's own words mean */
	kith_rules_scan(m->rules, pt->interests, &words);
	for (i = 0; i < pt->interest_tags.count; i++) {
		char id[64];
		snprintf(id, sizeof(id), "activity:%s", pt->interest_tags.items[i]);
		kith_concepts_add(&words, id, 1.0, pt->interest_tags.items[i]);
	}
	kith_rules_imply(m->rules, &words);
	sort_concepts(q, &words);
	add_conditions(q, pt);
	kith_search_words(q->words, sizeof(q->words), pt->interests, need_words.ptr);
	kith_search_words(q->interest_words, sizeof(q->interest_words), pt->interests, NULL);
	set_masks(q, pt);
	q->home_area_known = kith_home_area_of(pt->postcode, &pt->home, &q->home) == 0;
	q->has_interests = (pt->interests && *pt->interests) || pt->interest_tags.count > 0;
	q->unnamed_condition = lives_with_unnamed_condition(q, pt);
	error = kith_buf_error(&need_words);
	kith_buf_release(&need_words);
	return error ? kith_error_set(&m->error, error, "reading the person's needs: %s", kith_strerror(error)) : 0;
}
