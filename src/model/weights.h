/*
 * Scoring weights: one number per factor, read from a small text file
 * ("needs 0.34"), plus the variety strength used when re-ranking.
 */
#ifndef KITH_WEIGHTS_H
#define KITH_WEIGHTS_H

#include "util/buf.h"

/* The factors, in the order explanations list them. */
typedef enum {
	KITH_F_NEEDS,
	KITH_F_INTERESTS,
	KITH_F_DISTANCE,
	KITH_F_AVAILABILITY,
	KITH_F_COST,
	KITH_F_FRESHNESS,
	KITH_F_CAPACITY,
	KITH_F_LANGUAGE,
	KITH_F_ACCESS,
	KITH_F_TARGETED,
	KITH_F_COUNT
} kith_factor;

extern const char *const kith_factor_names[KITH_F_COUNT];

typedef struct kith_weights {
	double w[KITH_F_COUNT];
	double variety; /* 0 = no re-ranking for variety, 1 = strongest */
} kith_weights;

/*
 * Parses weights text (name for messages).  Every factor must be given
 * once; unknown names, negative values and repeats are errors written to
 * err as "name:line: reason".  Returns 0 or KITH_EINVALID.
 */
int kith_weights_parse(kith_weights *out, const char *text, const char *name, kith_buf *err);
/* Writes weights in the file format, with a heading comment. */
int kith_weights_write(const kith_weights *w, kith_buf *out, const char *heading);

#endif
