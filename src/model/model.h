/*
 * The in-memory form of a feed's group and of a patient profile, as the
 * parsers produce them (schemas/README.md, "Feed" and "Profile").  Strings and arrays
 * live in the arena of whoever parsed them.
 */
#ifndef KITH_MODEL_H
#define KITH_MODEL_H

#include <stddef.h>

#include "util/arena.h"

/* Tri-state facts.  Absent means unknown (unknown is not no). */
typedef enum { KITH_TRI_UNKNOWN = 0, KITH_TRI_YES = 1, KITH_TRI_NO = 2 } kith_tri;

/* The access facts, in this order everywhere (columns, arrays, messages). */
enum {
	KITH_ACCESS_WHEELCHAIR,
	KITH_ACCESS_STEP_FREE,
	KITH_ACCESS_HEARING_LOOP,
	KITH_ACCESS_ACCESSIBLE_TOILET,
	KITH_ACCESS_PARKING,
	KITH_ACCESS_PUBLIC_TRANSPORT,
	KITH_ACCESS_COUNT
};

typedef enum { KITH_GENDER_ANY = 0, KITH_GENDER_FEMALE, KITH_GENDER_MALE, KITH_GENDER_OTHER } kith_gender;
typedef enum { KITH_PER_SESSION = 0, KITH_PER_WEEK, KITH_PER_MONTH, KITH_PER_COURSE } kith_cost_per;
/* UNKNOWN: the listing says nothing of capacity (stored as "unknown"; no feed can write it) */
typedef enum {
	KITH_CAPACITY_OPEN = 0,
	KITH_CAPACITY_WAITING_LIST,
	KITH_CAPACITY_CLOSED,
	KITH_CAPACITY_UNKNOWN
} kith_capacity;
typedef enum { KITH_PRIORITY_LOW = 0, KITH_PRIORITY_NORMAL, KITH_PRIORITY_HIGH } kith_priority;

/* Week-of-month bits for `weeks="1 3 last"`; 0 means every week. */
#define KITH_WEEK(n) (1u << ((n)-1)) /* n = 1..5 */
#define KITH_WEEK_LAST (1u << 5)

typedef struct kith_strlist {
	const char **items;
	size_t count;
} kith_strlist;

typedef struct kith_point {
	double lat;
	double lon;
	int known; /* 0 when neither given nor found through the postcode */
} kith_point;

typedef struct kith_venue {
	const char *address;  /* may be NULL */
	const char *postcode; /* as written; may be NULL */
	kith_point point;
	int placed_by_postcode; /* point came from the district table */
	unsigned line;          /* where the venue starts in its file */
} kith_venue;

typedef struct kith_session {
	int day;        /* 0 = mon .. 6 = sun */
	int start;      /* minutes after midnight */
	int end;        /* minutes after midnight, > start */
	unsigned weeks; /* KITH_WEEK bits; 0 = every week */
} kith_session;

typedef struct kith_group {
	const char *id;
	const char *updated; /* YYYY-MM-DD or NULL */
	unsigned line, column;
	const char *name;
	const char *organisation;
	const char *description;
	kith_strlist needs;
	kith_strlist activities;
	kith_venue *venues;
	size_t venue_count;
	int online; /* has an <online/> element */
	const char *online_how;
	int home_visits; /* has a <home-visits/> element */
	double home_radius_km;
	kith_point home_point;
	const char *area;   /* area served, its own or its feed's, normal form (model/area.h); NULL: anyone */
	int schedule_known; /* has a <schedule> element */
	int by_appointment;
	const char *starts; /* course bounds, YYYY-MM-DD or NULL */
	const char *ends;
	kith_session *sessions;
	size_t session_count;
	kith_tri access[KITH_ACCESS_COUNT];
	int min_age; /* -1 when absent */
	int max_age; /* -1 when absent */
	kith_gender gender;
	int referral_professional;
	kith_strlist requires;
	int cost_known;
	int cost_free;
	double cost_amount; /* pounds */
	kith_cost_per cost_per;
	kith_capacity capacity;
	kith_strlist languages; /* empty means en */
	const char *phone, *email, *web;
} kith_group;

typedef struct kith_need {
	const char *id;
	kith_priority priority;
} kith_need;

typedef struct kith_availability_window {
	int day;   /* 0 = mon .. 6 = sun */
	int start; /* minutes after midnight */
	int end;
} kith_availability_window;

typedef struct kith_patient {
	const char *id;
	int age;            /* -1 when absent */
	kith_gender gender; /* KITH_GENDER_ANY when absent */
	kith_strlist circumstances;
	kith_need *needs;
	size_t need_count;
	const char *interests; /* free text, may be NULL */
	kith_strlist interest_tags;
	kith_strlist languages; /* empty means en */
	const char *postcode;   /* may be NULL */
	kith_point home;
	int home_from_postcode;              /* home is the postcode's district centre, not a point given */
	double max_travel_km;                /* < 0 when absent (no limit given) */
	int needs_access[KITH_ACCESS_COUNT]; /* 1 where mobility says yes */
	int online;                          /* can join online or by phone */
	int online_asked;                    /* online was answered, yes or no (not asked: unknown, not no) */
	int housebound;
	kith_availability_window *windows;
	size_t window_count; /* 0 with has_availability 0: any time */
	int has_availability;
	double max_per_session; /* < 0 when absent (no limit) */
} kith_patient;

/*
 * A copy of src whose every string and array lives in a (the group a feed
 * reader hands over dies when its callback returns).  0 or KITH_ENOMEM.
 */
int kith_group_copy(kith_arena *a, kith_group *dst, const kith_group *src);

#endif
