/*
 * Concepts: what a text or a person is about, as vocabulary ids with a
 * strength ("need:loneliness" 0.85), and the one text form the index
 * stores them in ("need:loneliness=0.85 activity:gardening=1"), written
 * at load and read back by the matcher.
 */
#ifndef KITH_CONCEPTS_H
#define KITH_CONCEPTS_H

#include <stddef.h>

#include "util/buf.h"

/* One concept found in a text. */
typedef struct kith_concept {
	char id[48];       /* "need:loneliness", "activity:gardening", "condition:ms" */
	double strength;   /* (0, 1] */
	char evidence[48]; /* the words that matched, or the tag that implied it */
} kith_concept;

/* A set of concepts, strongest kept per id. */
typedef struct kith_concepts {
	kith_concept items[64];
	size_t count;
} kith_concepts;

/* Adds id with strength and evidence, keeping the strongest per id; a full set takes no more. */
void kith_concepts_add(kith_concepts *set, const char *id, double strength, const char *evidence);
/* The concept with this id in set, or NULL. */
const kith_concept *kith_concepts_find(const kith_concepts *set, const char *id);

/*
 * Appends set in its stored form to out: "id=strength" items, space
 * separated, strengths as "%.3g" writes them ("1", "0.85").  Evidence is
 * not stored.  Returns out's error, if any.
 */
int kith_concepts_write(kith_buf *out, const kith_concepts *set);
/* Adds to set the concepts of a stored form (NULL is empty), with no evidence. */
void kith_concepts_read(kith_concepts *set, const char *text);

#endif
