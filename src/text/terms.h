/*
 * Document counts per term: how many documents hold each term at least
 * once, counted as the documents go by.  A new feed's term counts are
 * worked out this way while it loads, so the index need not read its whole
 * full-text index back to learn them (see index.c, term_docs).
 */
#ifndef KITH_TERMS_H
#define KITH_TERMS_H

#include <stddef.h>

#include "util/arena.h"

typedef struct kith_term_count {
	const char *term; /* in the counter's arena; NULL marks an empty slot */
	unsigned long long hash;
	size_t len;
	size_t docs;     /* documents holding it */
	size_t last_doc; /* the document that counted it last */
} kith_term_count;

typedef struct kith_term_counts {
	kith_term_count *slots; /* owned; open addressing, a power of two */
	size_t capacity, count;
	size_t doc;         /* the current document, from 1 */
	kith_arena strings; /* owned: the terms */
} kith_term_counts;

/* clang-format off */
#define KITH_TERM_COUNTS_INIT {NULL, 0, 0, 0, KITH_ARENA_INIT}
/* clang-format on */

/* Starts the next document: a term counts once in each. */
void kith_term_counts_next(kith_term_counts *tc);
/* Counts term[0..len) in the current document.  0 or KITH_ENOMEM. */
int kith_term_counts_add(kith_term_counts *tc, const char *term, size_t len);
void kith_term_counts_release(kith_term_counts *tc);

#endif
