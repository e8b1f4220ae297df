/*
 * Words as the full-text index sees them: SQLite's own FTS5 tokenizer
 * ("porter unicode61 remove_diacritics 2"), used outside the index so that
 * kith can score BM25 over a few candidates in C with exactly the index's
 * terms, instead of asking FTS5 for every row that has a common word.
 */
#ifndef KITH_STEM_H
#define KITH_STEM_H

#include <sqlite3.h>
#include <stddef.h>

typedef struct kith_stemmer kith_stemmer;

/* A tokenizer from db's FTS5 module.  0, KITH_ENOMEM or KITH_ERROR (no FTS5). */
int kith_stemmer_new(kith_stemmer **out, sqlite3 *db);
void kith_stemmer_free(kith_stemmer *st);

/* Calls fn for each token of text[0..len) in order; fn returning non-zero stops. */
int kith_stemmer_tokens(kith_stemmer *st, const char *text, size_t len,
			int (*fn)(void *ctx, const char *token, size_t n), void *ctx);

#endif
