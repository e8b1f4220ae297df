/*
 * What the two halves of the Open Referral UK reader share: oruk.c reads
 * the document's shape and a service's own fields, oruk_parts.c the parts
 * a full service object nests (locations, schedules, eligibility, costs,
 * languages).  ORUK v1 and v3 (HSDS 3) names are both read.
 */
#ifndef KITH_IMPORT_ORUK_INT_H
#define KITH_IMPORT_ORUK_INT_H

#include <jansson.h>

#include "import/import_int.h"

#define ORUK_MAX_ATTR 2000 /* bytes of a value written as an attribute (a phone, a web address) */

/* One service being read: what the parts need to fill the group and to say where a problem is. */
typedef struct oruk_record {
	importer *im;            /* borrowed */
	kith_group *g;           /* borrowed: the group being filled */
	const json_t *service;   /* borrowed */
	char where[160];         /* "service 12 (id abc)", for messages */
	kith_buf when;           /* owned: every schedule as text, kept when any cannot be read */
	size_t schedules_unread; /* schedules that are not sure sessions */
	size_t schedules_read;
	int dated_from, dated_to; /* every schedule read gives valid_from / valid_to */
	const char *from, *to;    /* the earliest valid_from and the latest valid_to (in the arena) */
} oruk_record;

/* The trimmed string at key (in the arena, cut to max bytes), or NULL when absent, blank or not a string. */
const char *oruk_string(importer *im, const json_t *obj, const char *key, size_t max);
/* The first of the keys that holds a string, as oruk_string() reads it. */
const char *oruk_string_of(importer *im, const json_t *obj, const char *const *keys, size_t max);
/* The array at key, or NULL when absent or not an array. */
const json_t *oruk_array(const json_t *obj, const char *key);
/* A number, or a string holding only a number, into *out: 1, or 0 when v is neither. */
int oruk_number(const json_t *v, double *out);

/* Each part fills r->g from r->service: 0, or KITH_ENOMEM. */
int oruk_read_locations(oruk_record *r);
int oruk_read_schedules(oruk_record *r, const json_t *owner);
int oruk_finish_schedules(oruk_record *r);
int oruk_read_eligibility(oruk_record *r);
int oruk_read_costs(oruk_record *r);
int oruk_read_languages(oruk_record *r);

#endif
