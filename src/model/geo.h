/*
 * Distances on the earth and postcode look-ups.
 */
#ifndef KITH_GEO_H
#define KITH_GEO_H

#include <stddef.h>

/* Great-circle distance in kilometres between two WGS84 points. */
double kith_geo_distance_km(double lat1, double lon1, double lat2, double lon2);

/*
 * The box of latitudes and longitudes that holds every point within
 * radius_km of (lat, lon): box[0..3] = min lat, max lat, min lon, max lon.
 * It errs wide (the shortest degree of latitude, a small margin), since it
 * picks what is then measured: a point inside the circle is never outside
 * the box.
 */
void kith_geo_box(double lat, double lon, double radius_km, double box[4]);

/*
 * Extracts the outward code ("CB9", "SW1A") of a UK postcode written in any
 * usual way ("cb9 8ar", "CB98AR", " CB9 ") into out (upper case).
 * Returns 0, or KITH_EINVALID when text does not look like a UK postcode.
 */
int kith_geo_outward_code(char *out, size_t size, const char *text);

/*
 * Resolves a postcode to the centroid of its district.  Returns 0 and sets
 * *lat and *lon, KITH_EINVALID when it is not a UK postcode, or
 * KITH_ENOTFOUND when its district is not in the table.
 */
int kith_geo_postcode_point(const char *postcode, double *lat, double *lon);

/*
 * A full UK postcode written in any case and spacing, as the postcode
 * tables key it: upper case, one space before the inward code ("AB10 1AB").
 * Returns 0, or KITH_EINVALID when text is not a full postcode.
 */
int kith_geo_postcode_normal(char out[10], const char *text);

/*
 * The live district whose centre is nearest lat, lon, other than skip
 * (NULL for none), or NULL when there is none.  Compared on a flat
 * projection: a scan of some 3,000 that a match may run, kept cheap.
 */
const char *kith_geo_nearest_district(double lat, double lon, const char *skip);

/*
 * How far a home may be from the centre of the postcode district it is
 * placed at: half the way to the nearest other live district's centre (a
 * district reaches about that far), from 0.5 to 10 km.  -1 when the
 * district is not in the table.
 */
double kith_geo_district_reach_km(const char *district);

#endif
