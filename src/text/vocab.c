/*
 * VOCABULARY.md version 1, as tables.  The `covers` text is what kith says
 * in explanations, so it is short and plain.
 */
#include "text/vocab.h"

#include <string.h>

static const kith_vocab_term needs[] = {
	{"loneliness", "loneliness"},
	{"low-mood", "low mood"},
	{"anxiety", "anxiety and stress"},
	{"bereavement", "bereavement"},
	{"confidence", "confidence"},
	{"purpose", "purpose and routine"},
	{"carer-support", "support for carers"},
	{"physical-activity", "being more active"},
	{"healthy-weight", "healthy weight and eating"},
	{"long-term-condition", "living with a long-term condition"},
	{"falls-prevention", "strength, balance and falls"},
	{"memory", "memory and dementia"},
	{"money", "money and debt"},
	{"benefits", "benefits and grants"},
	{"housing", "housing"},
	{"employment", "work and volunteering"},
	{"learning", "learning"},
	{"digital-skills", "digital skills"},
	{"food", "food"},
	{"substance-use", "alcohol and drugs"},
	{"domestic-abuse", "domestic abuse"},
	{"parenting", "parenting"},
	{"english-language", "learning English"},
};

/* clang-format off */
#define A(x) {x, x}
/* clang-format on */
static const kith_vocab_term activities[] = {
	A("walking"),
	A("running"),
	A("cycling"),
	A("swimming"),
	A("football"),
	{"walking-football", "walking football"},
	A("bowls"),
	A("gym"),
	A("yoga"),
	{"tai-chi", "tai chi"},
	A("pilates"),
	{"chair-exercise", "chair exercise"},
	A("dance"),
	A("sport"),
	A("gardening"),
	A("nature"),
	A("conservation"),
	A("fishing"),
	{"bird-watching", "bird watching"},
	A("singing"),
	A("music"),
	A("drama"),
	A("film"),
	A("arts"),
	A("crafts"),
	A("knitting"),
	A("sewing"),
	{"lace-making", "lace making"},
	A("woodwork"),
	A("photography"),
	A("writing"),
	A("reading"),
	A("history"),
	A("heritage"),
	A("lectures"),
	A("languages"),
	A("computers"),
	A("games"),
	A("quiz"),
	{"board-games", "board games"},
	A("cooking"),
	A("baking"),
	{"lunch-club", "lunch club"},
	{"coffee-morning", "coffee morning"},
	{"community-meal", "community meal"},
	A("befriending"),
	{"peer-support", "peer support"},
	{"mens-shed", "men's shed"},
	{"carers-group", "carers' group"},
	{"parent-and-baby", "parent and baby"},
	A("mindfulness"),
	A("faith"),
	A("volunteering"),
	A("advice"),
	A("discussion"),
};
#undef A

static const kith_vocab_term circumstances[] = {
	{"carer", "unpaid carers"},
	{"veteran", "veterans"},
	{"dementia", "people with dementia"},
	{"learning-disability", "people with a learning disability"},
	{"autism", "autistic people"},
	{"sight-loss", "people with sight loss"},
	{"hearing-loss", "people with hearing loss"},
	{"new-parent", "parents of a baby under one"},
	{"pregnant", "pregnant women"},
	{"refugee", "refugees and asylum seekers"},
	{"unemployed", "people out of work"},
	{"long-term-condition", "people with a long-term condition"},
	{"bereaved", "people recently bereaved"},
};

const kith_vocab_term *kith_vocab_terms(kith_vocab_kind kind, size_t *count)
{
	switch (kind) {
	case KITH_VOCAB_NEED: *count = sizeof(needs) / sizeof(needs[0]); return needs;
	case KITH_VOCAB_ACTIVITY: *count = sizeof(activities) / sizeof(activities[0]); return activities;
	default: *count = sizeof(circumstances) / sizeof(circumstances[0]); return circumstances;
	}
}

const kith_vocab_term *kith_vocab_find(kith_vocab_kind kind, const char *id)
{
	size_t count, i;
	const kith_vocab_term *terms = kith_vocab_terms(kind, &count);

	for (i = 0; i < count; i++)
		if (strcmp(terms[i].id, id) == 0)
			return &terms[i];
	return NULL;
}

#define SHARED_BITS 41 /* 64 bits less one per need */

uint64_t kith_vocab_concept_bit(const char *concept_id)
{
	size_t count, i;
	const kith_vocab_term *needs_ = kith_vocab_terms(KITH_VOCAB_NEED, &count);
	const char *id = strchr(concept_id, ':');
	uint32_t h = 2166136261u;

	if (!id)
		return 0;
	id++;
	if (strncmp(concept_id, "need:", 5) == 0) {
		for (i = 0; i < count; i++)
			if (strcmp(needs_[i].id, id) == 0)
				return (uint64_t)1 << i;
	} else if (strncmp(concept_id, "activity:", 9) != 0 && strncmp(concept_id, "condition:", 10) != 0) {
		return 0;
	}
	for (; *concept_id; concept_id++)
		h = (h ^ (unsigned char)*concept_id) * 16777619u;
	return (uint64_t)1 << (count + h % SHARED_BITS);
}

uint64_t kith_vocab_language_bit(const char *code)
{
	uint32_t h = 2166136261u;

	if (strcmp(code, "en") == 0)
		return 1;
	for (; *code; code++)
		h = (h ^ (unsigned char)*code) * 16777619u;
	return (uint64_t)1 << (1 + h % 63);
}
