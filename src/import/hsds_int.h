/*
 * What the two halves of the HSDS reader share: hsds.c maps one service's
 * fields (the same for HSDS 3.0 JSON and the tabular datapackage), and
 * hsds_csv.c reads the datapackage's CSVs and joins them by id.  Every
 * helper takes the text as the publisher wrote it (NULL or blank for none)
 * and fills g with strings in im->arena; each returns 0 or KITH_ENOMEM
 * unless it says otherwise.
 */
#ifndef KITH_HSDS_INT_H
#define KITH_HSDS_INT_H

#include "import/import_int.h"

#define KITH_HSDS_MAX_SESSIONS 100 /* sessions of one group: a week's timetable, not a year's dates */
#define KITH_HSDS_MAX_PLACES 32    /* locations one service is read at */

/* A text field as plain text: "\n" written as two characters made a line break, HTML read, markers dropped. */
const char *kith_hsds_text(importer *im, const char *text);

/* A name: kith_hsds_text() on one line. */
const char *kith_hsds_line(importer *im, const char *text);

/* One opening as HSDS writes it (a regular_schedules row, a schedule object); NULL or blank for none. */
typedef struct kith_hsds_opening {
	const char *days;  /* "1".."7" with 1 Monday, "Monday", "Mon", or RRULE's byday "MO,TU", "2TU", "-1FR" */
	const char *opens; /* "09:00", "09:00:00", "9:00am", "9 AM" */
	const char *closes;
	const char *freq;                  /* RRULE's "WEEKLY" (as none), "MONTHLY" (byday with weeks), "DAILY" */
	const char *interval;              /* "1" or none; more is not a pattern the feed can hold */
	const char *valid_from, *valid_to; /* dates: a course's bounds */
	unsigned line;                     /* where it is, for warnings (0 when unknown) */
	const char *what;                  /* what it is, for warnings ("schedule", "service 3: schedule 2") */
	int *overflow; /* may be NULL; set to 1 when sessions were left out, g having KITH_HSDS_MAX_SESSIONS */
} kith_hsds_opening;

/*
 * Adds a session for each day of the opening.  Warns and adds nothing when
 * a day or a time cannot be read, it opens after it closes, or it repeats
 * in a way the feed cannot say.  Returns how many sessions were added, or
 * KITH_ENOMEM.
 */
int kith_hsds_schedule(importer *im, kith_group *g, const kith_hsds_opening *opening);

/* A language's name or code ("Spanish", "es", "Haitian Creole"): its ISO 639-1 code added; else the text kept. */
int kith_hsds_language(importer *im, kith_group *g, const char *language);
/* An accessibility word or text ("wheelchair", "Handicap accessible", "ramp"): the access facts it states. */
int kith_hsds_access(importer *im, kith_group *g, const char *accessibility, const char *details);
/* Eligibility text: kept in the description, ages ("18+", "ages 5-17") and gender read when sure. */
int kith_hsds_eligibility(importer *im, kith_group *g, const char *text);
/* minimum_age and maximum_age columns or members, when they are whole numbers 0..120. */
void kith_hsds_ages(kith_group *g, const char *minimum, const char *maximum);
/* Fees text: free when it says so, else kept in the description (amounts in dollars are not pounds). */
int kith_hsds_fees(importer *im, kith_group *g, const char *fees);
/* A cost option (HSDS 3.0): free when its amount is 0, an amount in pounds when its currency is GBP, else text. */
int kith_hsds_cost_option(importer *im, kith_group *g, const char *amount, const char *currency, const char *option);
/* The service's other name, in the description when it is not its name. */
int kith_hsds_also_known(importer *im, kith_group *g, const char *alternate_name);
/* 1 when status says the service no longer runs (inactive, defunct), else 0; "temporarily closed" closes it. */
int kith_hsds_ended(kith_group *g, const char *status);
/*
 * A place: address lines joined (a US ZIP stays in the text; a UK postcode
 * is the venue's postcode), and latitude/longitude when both are numbers in
 * range (else warned at line and dropped).  Nothing is added when neither
 * an address nor a point is known.
 */
int kith_hsds_place(importer *im, kith_group *g, const char *const *address_lines, size_t line_count,
		    const char *postcode, const char *latitude, const char *longitude, unsigned line);
/* A taxonomy term (its code, else its name) mapped through the open211 table into g's needs and activities. */
int kith_hsds_taxonomy(importer *im, kith_group *g, const char *code, const char *name);
/* A phone number and extension, as the group's phone when it has none. */
int kith_hsds_phone(importer *im, kith_group *g, const char *number, const char *extension);
/* The date of an ISO date or date-time as updated, when it is later than the one g has. */
void kith_hsds_updated(importer *im, kith_group *g, const char *date);

/* The datapackage folder at path (hsds_csv.c). */
int kith_hsds_read_folder(importer *im, const char *path);

#endif
