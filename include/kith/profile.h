/*
 * Patient profiles: what a link worker knows about one person, for one query
 * (schemas/README.md, "Profile").
 *
 * A profile is query input.  kith never stores or logs it.
 */
#ifndef KITH_PROFILE_H
#define KITH_PROFILE_H

#include "kith/common.h"

typedef struct kith_profile kith_profile;

/*
 * Reads and validates the profile at path (schema plus rules: window end
 * after start, coordinates in range, a postcode that resolves through the
 * postcode district table when no point is given).
 * On success *out is a new profile (kith_profile_free() it) and warnings, if
 * any, are in diags.  On failure returns KITH_EINVALID (or KITH_EIO,
 * KITH_ETOOLARGE), *out is NULL, and every reason is in diags with
 * file:line:column.  diags may be NULL.
 */
KITH_EXPORT int kith_profile_load(kith_profile **out, const char *path, kith_diag_list *diags);

/*
 * The same from size bytes at data (a request's body, say), named name in
 * messages: nothing is written anywhere.  As kith_profile_load().
 */
KITH_EXPORT int kith_profile_parse(kith_profile **out, const char *name, const char *data, size_t size,
				   kith_diag_list *diags);

/* An empty profile (any time, no limits, English) with this id, for quick queries. */
KITH_EXPORT int kith_profile_new(kith_profile **out, const char *id);

/*
 * Sets one field of a profile from text, as the command-line quick queries
 * do.  Fields and their text:
 *   "postcode"   a UK postcode; also sets home to its district centroid
 *   "point"      "LAT,LON"
 *   "needs"      comma-separated need ids; "id:high" / "id:low" set priority
 *   "interests"  free text in the person's words
 *   "tags"       comma-separated activity ids
 *   "max-km"     a distance in km
 *   "wheelchair", "step-free", "hearing-loop", "accessible-toilet",
 *   "online", "housebound"        "yes" or "no"
 *   "free"       "yes": budget 0 per session
 *   "budget"     pounds per session
 *   "when"       availability: "mon,tue@09:00-12:00;thu@13:00-17:00"
 *   "age"        years
 *   "gender"     female, male or other
 *   "languages"  space- or comma-separated ISO 639-1 codes
 *   "circumstances"  comma-separated circumstance ids
 * Returns 0, or KITH_EINVALID / KITH_ENOTFOUND (unknown postcode or field)
 * with the reason in kith_profile_errmsg(p).
 */
KITH_EXPORT int kith_profile_set(kith_profile *p, const char *field, const char *value);

/* The last error message of kith_profile_set() on p. */
KITH_EXPORT const char *kith_profile_errmsg(const kith_profile *p);

/*
 * Where the person lives and how far they can get, for a map: 1 with
 * *lat and *lon set when the home is known (from a point or a postcode),
 * else 0.  *max_km gets the travel limit, or -1 when none was given.
 */
KITH_EXPORT int kith_profile_home(const kith_profile *p, double *lat, double *lon, double *max_km);

/* The profile's id (borrowed). */
KITH_EXPORT const char *kith_profile_id(const kith_profile *p);

/* Frees the profile.  NULL is a no-op. */
KITH_EXPORT void kith_profile_free(kith_profile *p);

#endif
