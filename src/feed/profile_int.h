/*
 * What the three files of profiles share: the profile object (profile.c),
 * reading a profile file (profile_xml.c) and the quick-query fields
 * (profile_fields.c).
 */
#ifndef KITH_PROFILE_INT_H
#define KITH_PROFILE_INT_H

#include <stddef.h>

#include "feed/profile.h"
#include "model/model.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"

struct kith_profile {
	kith_arena arena;     /* owns every string and array in patient */
	kith_patient patient; /* what the matcher reads */
	kith_error error;     /* last kith_profile_set() failure */
};

/* The mobility attributes that say a person needs an access fact, with its index. */
typedef struct kith_mobility_need {
	const char *name;
	int access;
} kith_mobility_need;

#define KITH_MOBILITY_NEEDS 4
extern const kith_mobility_need kith_mobility_needs[KITH_MOBILITY_NEEDS];

/* A new profile with the defaults of no profile elements (any time, no limits, English). */
int kith_profile_alloc(kith_profile **out);
/* [s, s + len) trimmed, copied into a; NULL on ENOMEM. */
char *kith_profile_trimdup(kith_arena *a, const char *s, size_t len);
/*
 * Splits text at any of seps (white space always separates) into arena
 * copies, lower-cased with fold; empty pieces are dropped.  0 or KITH_ENOMEM.
 */
int kith_profile_split(kith_arena *a, kith_strlist *out, const char *text, const char *seps, int fold);
/* Appends text to buf with every run of white space as one space.  Returns buf's error. */
int kith_profile_put_collapsed(kith_buf *buf, const char *text);

#endif
