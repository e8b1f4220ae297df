/*
 * Data built into the library from schemas/ and corpus/ (see scripts/), so
 * that an installed kith needs no data files at run time.
 */
#ifndef KITH_EMBEDDED_H
#define KITH_EMBEDDED_H

#include <stddef.h>

extern const char kith_feed_xsd[];              /* schemas/feed.xsd */
extern const char kith_patient_xsd[];           /* schemas/patient.xsd */
extern const char kith_default_weights[];       /* corpus/weights.conf */
extern const char kith_default_synonyms[];      /* corpus/synonyms.rules */
extern const char kith_import_taxonomy_table[]; /* the tables in corpus/import/, one after another */
extern const char kith_airs_3_0_xsd[];          /* schemas/airs/airs_3_0.xsd (AIRS XML 3.0) */
extern const char kith_airs_3_1_xsd[];          /* schemas/airs/airs_3_1.xsd (AIRS XML 3.1) */

/* One UK postcode district and the centroid of its postcodes. */
struct kith_district {
	const char *district; /* outward code, upper case: "CB9" */
	double lat;
	double lon;
	int live; /* 0 for a terminated district: nobody's nearest */
};
/* Sorted by district (strcmp order), from corpus/uk-postcode-districts.csv. */
extern const struct kith_district kith_districts[];
extern const size_t kith_district_count;

/* A place a live district covers, by name: one of its towns, or its area ("south lakeland"). */
struct kith_place {
	const char *name; /* lower case */
	const char *district;
};
/* Sorted by name, then district (strcmp order). */
extern const struct kith_place kith_places[];
extern const size_t kith_place_count;

#endif
