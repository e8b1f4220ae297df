/*
 * Words in kith's own texts: the space-separated lists the index stores
 * ("walking bowls", "en pa"), tag ids read as words, and the words of a
 * person's own text that are worth searching for.
 */
#ifndef KITH_WORDS_H
#define KITH_WORDS_H

#include <stddef.h>

/*
 * The next word of a space-separated list: its start, with its length in
 * *len, moving *list past it; NULL when none is left.  Walk a list with
 *   for (p = list; (w = kith_word_next(&p, &n)) != NULL;)
 * (a NULL list is empty).
 */
const char *kith_word_next(const char **list, size_t *len);

/* 1 when the len-byte word is one of the words of a space-separated list. */
int kith_word_in(const char *list, const char *word, size_t len);

/* A tag id as words, into out: "walking-football" -> "walking football". */
void kith_tag_words(char *out, size_t size, const char *tag);

/*
 * The words of text, then of extra, worth searching for, into out
 * (space-separated): three letters or more, not a stop word, lower case.
 * Either may be NULL.  Words that would not fit are left out.
 */
void kith_search_words(char *out, size_t size, const char *text, const char *extra);

#endif
