/*
 * The shared vocabulary of VOCABULARY.md: needs, activities, circumstances.
 */
#ifndef KITH_VOCAB_H
#define KITH_VOCAB_H

#include <stddef.h>

typedef enum { KITH_VOCAB_NEED, KITH_VOCAB_ACTIVITY, KITH_VOCAB_CIRCUMSTANCE } kith_vocab_kind;

typedef struct kith_vocab_term {
	const char *id;     /* "low-mood" */
	const char *covers; /* plain words for explanations: "low mood"; for circumstances, who: "unpaid carers" */
} kith_vocab_term;

/* The terms of one kind, in VOCABULARY.md order; count in *count. */
const kith_vocab_term *kith_vocab_terms(kith_vocab_kind kind, size_t *count);
/* The term with this id, or NULL when it is not in the vocabulary. */
const kith_vocab_term *kith_vocab_find(kith_vocab_kind kind, const char *id);

#endif
