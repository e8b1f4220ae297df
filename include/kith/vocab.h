/*
 * The shared vocabulary (version 1; schemas/README.md): the needs,
 * activities and circumstances that feeds and profiles tag with, and the
 * languages kith names, for forms whose choices must come from it.
 */
#ifndef KITH_VOCAB_PUBLIC_H
#define KITH_VOCAB_PUBLIC_H

#include <stddef.h>

#include "kith/common.h"

typedef enum { KITH_VOCAB_NEED, KITH_VOCAB_ACTIVITY, KITH_VOCAB_CIRCUMSTANCE } kith_vocab_kind;

/* One term: its id and the plain words kith uses for it. */
typedef struct kith_vocab_term {
	const char *id;     /* "low-mood" */
	const char *covers; /* "low mood"; for circumstances, who: "unpaid carers" */
} kith_vocab_term;

/* The terms of one kind, in the vocabulary's order, count in *count (static). */
KITH_EXPORT const kith_vocab_term *kith_vocab_terms(kith_vocab_kind kind, size_t *count);
/* The term with this id (static), or NULL when it is not in the vocabulary. */
KITH_EXPORT const kith_vocab_term *kith_vocab_find(kith_vocab_kind kind, const char *id);
/* The languages kith names, as ISO 639-1 code and English name ("pa", "Punjabi"), count in *count (static). */
KITH_EXPORT const kith_vocab_term *kith_vocab_languages(size_t *count);

#endif
