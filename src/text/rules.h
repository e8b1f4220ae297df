/*
 * Synonym and phrase rules: everyday words to vocabulary ids.
 *
 * People write "allotment", "a natter and a cuppa" or "brass band"; feeds
 * write "community garden" or nothing at all.  The rules (PCRE2, in
 * corpus/synonyms.rules) map both sides onto the vocabulary so the matcher
 * compares meanings, and say which words matched so explanations can quote
 * them.  Rule file lines:
 *
 *   need:loneliness = lonely|isolat\w*|on (?:my|her|his) own
 *   activity:music 0.8 = brass band|cornet|trumpet
 *   imply activity:befriending => need:loneliness 0.9
 *
 * A pattern is matched case-insensitively on word boundaries.  An `imply`
 * line says a tag or concept also suggests another, with a strength.
 */
#ifndef KITH_RULES_H
#define KITH_RULES_H

#include <stddef.h>

#include "text/concepts.h"
#include "util/buf.h"

typedef struct kith_rules kith_rules;

/*
 * Compiles rules from text (name is used in messages).  Returns 0 and a
 * new rule set in *out, or KITH_EINVALID with "name:line: reason" in err.
 */
int kith_rules_compile(kith_rules **out, const char *text, const char *name, kith_buf *err);
void kith_rules_free(kith_rules *rules);
/* A hash of the rule text, to tell whether an index was built with these rules. */
unsigned long long kith_rules_hash(const kith_rules *rules);
/* The same as the index's meta table keeps it (rules_hash): hex digits. */
#define KITH_RULES_HASH_TEXT 17
void kith_rules_hash_text(const kith_rules *rules, char out[KITH_RULES_HASH_TEXT]);

/*
 * Adds to set every concept whose pattern matches text (NULL is fine).
 * Not const: the rules remember which of them each word prefix can start.
 */
void kith_rules_scan(kith_rules *rules, const char *text, kith_concepts *set);
/* Adds what the concepts already in set imply (one round). */
void kith_rules_imply(const kith_rules *rules, kith_concepts *set);

#endif
