/*
 * The shared vocabulary of VOCABULARY.md: needs, activities, circumstances.
 */
#ifndef KITH_VOCAB_H
#define KITH_VOCAB_H

#include <stddef.h>
#include <stdint.h>

typedef enum { KITH_VOCAB_NEED, KITH_VOCAB_ACTIVITY, KITH_VOCAB_CIRCUMSTANCE } kith_vocab_kind;

typedef struct kith_vocab_term {
	const char *id;     /* "low-mood" */
	const char *covers; /* plain words for explanations: "low mood"; for circumstances, who: "unpaid carers" */
} kith_vocab_term;

/* The terms of one kind, in VOCABULARY.md order; count in *count. */
const kith_vocab_term *kith_vocab_terms(kith_vocab_kind kind, size_t *count);
/* The term with this id, or NULL when it is not in the vocabulary. */
const kith_vocab_term *kith_vocab_find(kith_vocab_kind kind, const char *id);

/*
 * One bit for a concept id ("need:loneliness", "activity:gardening",
 * "condition:ms"), for the 64-bit concept masks that let the index narrow
 * candidates without reading their rows: each need has its own bit, the
 * rest share the other 41 by hash.  0 for ids of other kinds.
 */
uint64_t kith_vocab_concept_bit(const char *concept_id);

/*
 * One bit for an ISO 639-1 code, for language masks: "en" has bit 0, the
 * rest share the other 63 by hash, so masks that share no bit share no
 * language (the hard constraint), whatever collisions there are.
 */
uint64_t kith_vocab_language_bit(const char *code);

#endif
