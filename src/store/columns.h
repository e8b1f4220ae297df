/*
 * The groups row, the one row a match reads per candidate, and the formats
 * inside it.  The loader writes it and the matcher reads it through this
 * header only: columns by name (a parameter is column + 1, a result column
 * is column), both statements made from KITH_GROUP_COLUMNS, and the
 * lists packed in its text columns written and read by columns.c.
 */
#ifndef KITH_COLUMNS_H
#define KITH_COLUMNS_H

#include <sqlite3.h>
#include <stddef.h>

#include "model/model.h"
#include "util/buf.h"

/* The columns of the groups table, in its order (schema.c; a test checks they agree). */
typedef enum kith_group_column {
	KITH_COL_GID,
	KITH_COL_FEED_ID,
	KITH_COL_LOCAL_ID,
	KITH_COL_KEY,
	KITH_COL_CONTENT_HASH,
	KITH_COL_NAME,
	KITH_COL_ORGANISATION,
	KITH_COL_DESCRIPTION,
	KITH_COL_TAG_WORDS,
	KITH_COL_UPDATED,
	KITH_COL_SOURCE_LINE,
	KITH_COL_ONLINE,
	KITH_COL_ONLINE_HOW,
	KITH_COL_HOME_RADIUS_KM, /* NULL: no home visits */
	KITH_COL_HOME_LAT,
	KITH_COL_HOME_LON,
	KITH_COL_SCHEDULE_KNOWN,
	KITH_COL_BY_APPOINTMENT,
	KITH_COL_STARTS,
	KITH_COL_ENDS,
	KITH_COL_ACCESS, /* KITH_ACCESS_COUNT columns, in KITH_ACCESS_* order: 0 unknown, 1 yes, 2 no */
	KITH_COL_MIN_AGE = KITH_COL_ACCESS + KITH_ACCESS_COUNT,
	KITH_COL_MAX_AGE,
	KITH_COL_GENDER,
	KITH_COL_REFERRAL,
	KITH_COL_COST_FREE, /* NULL: cost unknown */
	KITH_COL_COST_AMOUNT,
	KITH_COL_COST_PER,
	KITH_COL_CAPACITY,
	KITH_COL_LANGUAGES,
	KITH_COL_PHONE,
	KITH_COL_EMAIL,
	KITH_COL_WEB,
	KITH_COL_NEEDS_LIST, /* the child tables' facts again, space-separated, so a match reads one row */
	KITH_COL_ACTIVITIES_LIST,
	KITH_COL_REQUIRES_LIST,
	KITH_COL_SESSIONS_LIST, /* kith_sessions_write() */
	KITH_COL_VENUE_LIST,    /* kith_points_write(); NULL when no venue is located */
	KITH_COL_TEXT_CONCEPTS, /* kith_concepts_write() of what the rules read in name and description */
	KITH_COL_NAME_CONCEPTS, /* the same of the name alone */
	KITH_COL_CONCEPT_WORDS, /* every concept it has, as words, for the full-text index */
	KITH_COL_CONCEPT_MASK,
	KITH_COL_LANG_MASK,
	KITH_COL_STEMS, /* FTS5 tokens of name|organisation|description|tag words */
	KITH_COL_TOKEN_COUNT,
	KITH_COL_FIRST_ADDRESS,
	KITH_COL_UNLOCATED_VENUES,
	KITH_COL_AREA,      /* area served, normal form (model/area.h); NULL: anyone */
	KITH_COL_PLACELESS, /* 1: no venue with a point or postcode, no online, no home visits */
	KITH_COL_TEXT_AREA, /* the districts its words say it is for ("for people living in Kendal"); NULL: none */
	KITH_COL_TEXT_AREA_NAMES, /* those places as its words name them */
	KITH_COL_COUNT
} kith_group_column;

/* Every column in order, for the statements that write and read the row. */
#define KITH_GROUP_COLUMNS                                                                                      \
	"gid, feed_id, local_id, key, content_hash, name, organisation, description, tag_words, updated, "      \
	"source_line, online, online_how, home_radius_km, home_lat, home_lon, schedule_known, by_appointment, " \
	"starts, ends, wheelchair, step_free, hearing_loop, accessible_toilet, parking, public_transport, "     \
	"min_age, max_age, gender, referral, cost_free, cost_amount, cost_per, capacity, languages, phone, "    \
	"email, web, needs_list, activities_list, requires_list, sessions_list, venue_list, text_concepts, "    \
	"name_concepts, concept_words, concept_mask, lang_mask, stems, token_count, first_address, "            \
	"unlocated_venues, area, placeless, text_area, text_area_names"

/*
 * A venue's id (vid) is its group's gid shifted left this many bits, plus
 * its place in the group, so a venue found in the R*Tree names its group.
 */
#define KITH_VENUE_BITS 20

static inline sqlite3_int64 kith_venue_id(sqlite3_int64 gid, size_t place)
{
	return gid << KITH_VENUE_BITS | (sqlite3_int64)place;
}

static inline sqlite3_int64 kith_venue_group(sqlite3_int64 vid)
{
	return vid >> KITH_VENUE_BITS;
}

/* Appends sessions as "day,start,end,weeks ..." (sessions_list).  Returns out's error. */
int kith_sessions_write(kith_buf *out, const kith_session *sessions, size_t count);
/*
 * Reads at most max sessions of a sessions_list (NULL is none) into out,
 * how many into *count.  An index is input too: returns KITH_EINVALID for
 * a list not as kith_sessions_write() writes it or a session no feed could
 * hold (a day past Sunday, times past midnight, an end before its start).
 */
int kith_sessions_read(const char *text, kith_session *out, size_t max, size_t *count);

/* Appends the located points as "lat,lon ..." (venue_list), 6 decimals.  Returns out's error. */
int kith_points_write(kith_buf *out, const kith_venue *venues, size_t count);
/* Reads at most max points of a venue_list (NULL is none) into lat and lon, how many into *count; KITH_EINVALID for a
 * bad list or a point off the globe. */
int kith_points_read(const char *text, double *lat, double *lon, size_t max, size_t *count);

#endif
