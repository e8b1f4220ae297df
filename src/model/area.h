/*
 * Areas served (schemas/README.md): who a service is for by where they
 * live, as UK postcode areas ("SS"), districts ("SS7") and sectors
 * ("SS7 1"), and where a person's home falls among them.
 */
#ifndef KITH_MODEL_AREA_H
#define KITH_MODEL_AREA_H

#include <stddef.h>

#include "model/model.h"
#include "util/buf.h"

#define KITH_AREA_TOKEN 8 /* "SS7 1" and "EC1A 1" fit, with the NUL */

/* Where a home is, as far as postcodes tell. */
typedef struct kith_home_area {
	char area[3];     /* "SS"; "" when unknown */
	char district[8]; /* "SS7" */
	char sector[10];  /* "SS7 1"; "" when only the district is known */
	int from_point;   /* 1: the district whose centre is nearest the point */
} kith_home_area;

/*
 * Writes text as a normal area list to out (upper case, one space between
 * tokens, a sector's digit after its district).  Returns 0, or
 * KITH_EINVALID with the first token that is no postcode area, district
 * or sector in bad (NUL-terminated, cut to fit), or KITH_ETOOLARGE when
 * out is too small.
 */
int kith_area_normalize(const char *text, char *out, size_t size, char bad[16]);

/*
 * The next token of a normal area list at *p ("SS", "SS7" or "SS7 1"),
 * copied to tok; advances *p.  Returns tok, or NULL at the end.
 */
const char *kith_area_next(const char **p, char tok[KITH_AREA_TOKEN]);

/*
 * Where the home is: from its postcode when it has one, else from the
 * nearest live district's centre to its point.  Returns 0, or
 * KITH_ENOTFOUND when neither tells (out is then all "").
 */
int kith_home_area_of(const char *postcode, const kith_point *point, kith_home_area *out);

/* 1 when area (a normal list) holds the home, 0 when not, -1 when it cannot tell (a sector, a district-only home). */
int kith_area_holds(const char *area, const kith_home_area *home);

/*
 * Who a listing is for by where they live, read from its words: after
 * "living in", "live in", "residents of" and the like, the places the
 * postcode table knows by name ("for people living in Kendal and
 * Burneside", "open to residents of South Lakeland").  Appends their
 * districts to districts (a normal area list) and the names as written
 * to names ("Kendal, Burneside").  A name many places share (St Leonards)
 * is read as those within PLACE_NEAR_KM of near, when near is known.
 * "In and around", "near" and "surrounding" widen a place beyond what a
 * table can say, so they are not read.  Returns how many places were read.
 */
size_t kith_area_read_text(const char *text, const kith_point *near, kith_buf *districts, kith_buf *names);

#endif
