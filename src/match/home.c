/*
 * Where the person's home is (match_int.h): a point given, a postcode the
 * loaded postcode directory holds, the middle of the located venues the
 * index lists in the postcode's sector, or the district's centre -- the
 * best the index can do, and said in the results.
 */
#include "match/match_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/geo.h"
#include "util/array.h"

#define SECTOR_REACH_KM 8.0 /* a venue further than this from its district's centre is read as misplaced */

void kith_match_sectors_release(kith_matcher *m)
{
	kith_strset_release(&m->sectors);
	free(m->sector_sums);
	m->sector_sums = NULL;
	m->sector_count = 0;
	m->sectors_read = 0;
}

/* "SY8 3" of a normal postcode "SY8 3NN", into out[10]. */
static void sector_of(char out[10], const char *normal)
{
	size_t n = strcspn(normal, " ");

	snprintf(out, 10, "%.*s %c", (int)n, normal, normal[n] ? normal[n + 1] : '?');
}

/* Sums the located venues by sector, once per matcher: 0, or an error on m. */
static int read_sectors(kith_matcher *m)
{
	sqlite3_stmt *s = NULL;
	size_t alloc = 0;
	int rc, error = 0;

	m->sectors_read = 1;
	if (sqlite3_prepare_v2(m->db,
			       "SELECT postcode, lat, lon FROM venues WHERE placed_by = 'point' AND postcode "
			       "IS NOT NULL",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_error_set(&m->error, KITH_EIO, "reading venues: %s", sqlite3_errmsg(m->db));
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *pc = (const char *)sqlite3_column_text(s, 0);
		double lat = sqlite3_column_double(s, 1), lon = sqlite3_column_double(s, 2), clat, clon;
		char normal[10], sector[10];
		size_t at;
		int added;
		if (!pc || kith_geo_postcode_normal(normal, pc) != 0)
			continue;
		/* a venue geocoded far from its own district would pull the sector away */
		if (kith_geo_postcode_point(normal, &clat, &clon) == 0 &&
		    kith_geo_distance_km(lat, lon, clat, clon) > SECTOR_REACH_KM)
			continue;
		sector_of(sector, normal);
		if ((added = kith_strset_add(&m->sectors, sector, m->sector_count, &at)) < 0 ||
		    (added &&
		     (error = KITH_ARRAY_RESERVE(m->sector_sums, alloc, 3 * (m->sector_count + 1), 96)) != 0)) {
			error = KITH_ENOMEM;
			break;
		}
		if (added) {
			at = m->sector_count++;
			memset(&m->sector_sums[3 * at], 0, 3 * sizeof(double));
		}
		m->sector_sums[3 * at] += lat;
		m->sector_sums[3 * at + 1] += lon;
		m->sector_sums[3 * at + 2] += 1;
	}
	if (!error && rc != SQLITE_DONE)
		error = kith_error_set(&m->error, KITH_EIO, "reading venues: %s", sqlite3_errmsg(m->db));
	sqlite3_finalize(s);
	return error;
}

/* The home amid the venues of its sector, when the index lists any: 1 when placed. */
static int place_in_sector(kith_matcher *m, const char *normal, run *r)
{
	size_t at;

	if (!m->sectors_read && read_sectors(m) != 0)
		return 0; /* the district's centre still serves */
	sector_of(r->sector, normal);
	if (!kith_strset_has(&m->sectors, r->sector, &at))
		return 0;
	r->person.home.lat = m->sector_sums[3 * at] / m->sector_sums[3 * at + 2];
	r->person.home.lon = m->sector_sums[3 * at + 1] / m->sector_sums[3 * at + 2];
	r->precision = KITH_HOME_SECTOR;
	return 1;
}

void kith_match_place_home(kith_matcher *m, const kith_patient *pt, run *r)
{
	char normal[10];
	sqlite3_stmt *s;

	r->person = *pt;
	r->precision = !pt->home.known          ? KITH_HOME_UNKNOWN
		       : pt->home_from_postcode ? KITH_HOME_DISTRICT
						: KITH_HOME_POINT;
	if (r->precision != KITH_HOME_DISTRICT || !pt->postcode || kith_geo_postcode_normal(normal, pt->postcode) != 0)
		return;
	if (m->has_postcodes && (s = kith_stmt_get(&m->stmts, ST_POSTCODE, &m->error)) != NULL) {
		sqlite3_bind_text(s, 1, normal, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) == SQLITE_ROW) {
			r->person.home.lat = sqlite3_column_double(s, 0);
			r->person.home.lon = sqlite3_column_double(s, 1);
			r->person.home_from_postcode = 0;
			r->precision = KITH_HOME_POSTCODE;
		}
		sqlite3_reset(s);
		if (r->precision == KITH_HOME_POSTCODE)
			return;
	}
	place_in_sector(m, normal, r);
}
