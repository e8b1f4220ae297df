/*
 * Parsing the small texts people type or files hold: trimming, words that
 * ignore ASCII case, and numbers read without the C locale (strtod would
 * read "52,08" in a comma locale).  Nothing here knows kith.
 */
#ifndef KITH_PARSE_H
#define KITH_PARSE_H

#include <stddef.h>

/* XML's white space: space, tab, CR, LF (never the NUL byte). */
int kith_is_space(char c);
/* Narrows [*s, *s + *len) to its text without white space at either end. */
void kith_trim(const char **s, size_t *len);
/* 1 when [s, s + len) equals word (lower case), ignoring ASCII case. */
int kith_word_equals(const char *s, size_t len, const char *word);
/* s trimmed and in lower case, into out.  0, or -1 when it does not fit. */
int kith_lower_copy(char *out, size_t size, const char *s);
/* Turns s to ASCII lower case in place. */
void kith_lower(char *s);

/* The first needle in [p, end), or NULL: for bytes that hold no terminating NUL (a mapped file). */
const char *kith_find(const char *p, const char *end, const char *needle);

/*
 * Parses an xs:decimal ("52.0826", "-2.7", "+.5") in [text, text + len),
 * with white space around it.  Returns 0, or -1 when it is not a plain
 * decimal number.
 */
int kith_parse_decimal(const char *text, size_t len, double *out);
/* A whole number in [min, max] with white space around it; 0 or -1. */
int kith_parse_int(const char *text, long min, long max, long *out);

#endif
