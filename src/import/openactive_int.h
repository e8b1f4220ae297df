/*
 * What the two halves of the OpenActive reader share: openactive.c reads
 * the RPDE pages and items and joins sessions to their series (across
 * inputs); openactive_map.c maps one joined record to a group.
 */
#ifndef KITH_OPENACTIVE_INT_H
#define KITH_OPENACTIVE_INT_H

#include <jansson.h>

#include "import/import_int.h"

/* What an item describes, by its data's type. */
typedef enum {
	OA_OTHER = 0, /* a Place, an Organization ...: not a session or a course */
	OA_SERIES,    /* SessionSeries, EventSeries: sessions' parent */
	OA_SESSION,   /* ScheduledSession (or an Event with a superEvent): one dated occurrence */
	OA_COURSE,    /* CourseInstance, Course */
	OA_EVENT,     /* Event, HeadlineEvent, OnDemandEvent: a listing of its own */
	OA_FACILITY,  /* FacilityUse, IndividualFacilityUse: slots' parent */
	OA_SLOT       /* Slot: one bookable time of a facility */
} oa_kind;

/* One record to map: a series, course, event or facility, with the dated sessions or slots joined to it. */
typedef struct oa_record {
	const json_t *main;   /* borrowed: the listing's data object */
	oa_kind kind;         /* main's kind */
	const json_t *item;   /* borrowed: its RPDE item (for "modified"), or NULL */
	const json_t **parts; /* borrowed: sessions, subEvents or slots, main's then joined ones */
	size_t part_count;
	const char *source_id; /* the id to make the group id from */
} oa_record;

/* The kind of a data object, by its "@type" or "type", else by fallback (its RPDE item's "kind"; may be NULL). */
oa_kind kith_oa_kind(const json_t *data, const char *fallback);
/* The data object's "@id" or "id" (or its "identifier" when text), or NULL. */
const char *kith_oa_id(const json_t *data);
/* 1 when the data's eventStatus is EventCancelled. */
int kith_oa_cancelled(const json_t *data);
/* The string member key of obj, or NULL when absent or not a string. */
const char *kith_oa_string(const json_t *obj, const char *key);

/*
 * Fills g (kith_import_group_init'ed) from r, in im->arena; warnings are
 * about record what (e.g. "item 3 (id abc)").  0 or KITH_ENOMEM.
 */
int kith_oa_map(importer *im, const oa_record *r, const char *what, kith_group *g);

#endif
