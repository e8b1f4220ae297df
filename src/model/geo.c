/*
 * Distances and postcode look-ups.  Postcodes resolve at district precision
 * through the table built from corpus/uk-postcode-districts.csv.
 */
#include "model/geo.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/embedded.h"
#include "kith/common.h"

double kith_geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = 3.14159265358979323846 / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);

	return 2.0 * 6371.0088 * asin(sqrt(a < 1.0 ? a : 1.0));
}

void kith_geo_box(double lat, double lon, double radius_km, double box[4])
{
	double dlat = radius_km / 110.0 + 0.001;
	double coslat = cos(lat * 3.14159265358979323846 / 180.0);
	double dlon = radius_km / (111.32 * (coslat > 0.01 ? coslat : 0.01)) + 0.001;

	box[0] = lat - dlat;
	box[1] = lat + dlat;
	box[2] = lon - dlon;
	box[3] = lon + dlon;
}

/*
 * UK outward codes are A9, A99, AA9, AA99, A9A or AA9A; the inward code,
 * when present, is 9AA.  Anything else is not a UK postcode.
 */
static int outward_shape_ok(const char *s, size_t n)
{
	size_t letters = 0, i = 0;

	while (i < n && isalpha((unsigned char)s[i]))
		letters++, i++;
	if (letters < 1 || letters > 2 || i == n || !isdigit((unsigned char)s[i]))
		return 0;
	i++;
	if (i < n && (isdigit((unsigned char)s[i]) || isalpha((unsigned char)s[i])))
		i++;
	return i == n;
}

/* text without its spaces, in capitals, into compact[16]; its length, or -1 when it holds anything else. */
static int compacted(char compact[16], const char *text)
{
	size_t n = 0;

	for (; *text; text++) {
		if (isspace((unsigned char)*text))
			continue;
		if (!isalnum((unsigned char)*text) || n + 1 >= 16)
			return -1;
		compact[n++] = (char)toupper((unsigned char)*text);
	}
	compact[n] = '\0';
	return (int)n;
}

int kith_geo_outward_code(char *out, size_t size, const char *text)
{
	char compact[16];
	size_t n, outlen, i;
	int len = compacted(compact, text);

	if (len < 0)
		return KITH_EINVALID;
	n = (size_t)len;
	/* a full postcode ends in digit letter letter: strip that inward code */
	if (n >= 5 && isdigit((unsigned char)compact[n - 3]) && isalpha((unsigned char)compact[n - 2]) &&
	    isalpha((unsigned char)compact[n - 1]))
		outlen = n - 3;
	else
		outlen = n;
	if (!outward_shape_ok(compact, outlen) || outlen + 1 > size)
		return KITH_EINVALID;
	for (i = 0; i < outlen; i++)
		out[i] = compact[i];
	out[outlen] = '\0';
	return 0;
}

int kith_geo_postcode_normal(char out[10], const char *text)
{
	char compact[16];
	int len = compacted(compact, text);
	size_t n = len < 0 ? 0 : (size_t)len;

	if (n < 5 || n > 7 || !isdigit((unsigned char)compact[n - 3]) || !isalpha((unsigned char)compact[n - 2]) ||
	    !isalpha((unsigned char)compact[n - 1]) || !outward_shape_ok(compact, n - 3))
		return KITH_EINVALID;
	snprintf(out, 10, "%.*s %s", (int)(n - 3), compact, compact + n - 3);
	return 0;
}

static int district_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct kith_district *)elem)->district);
}

const char *kith_geo_nearest_district(double lat, double lon, const char *skip)
{
	double coslat = cos(lat * 3.14159265358979323846 / 180.0), best_d = 0;
	const char *best = NULL;
	size_t i;

	for (i = 0; i < kith_district_count; i++) {
		double dy = kith_districts[i].lat - lat, dx = (kith_districts[i].lon - lon) * coslat,
		       d = dx * dx + dy * dy;
		if (!kith_districts[i].live || (skip && strcmp(kith_districts[i].district, skip) == 0))
			continue;
		if (!best || d < best_d) {
			best = kith_districts[i].district;
			best_d = d;
		}
	}
	return best;
}

double kith_geo_district_reach_km(const char *district)
{
	const struct kith_district *d =
		bsearch(district, kith_districts, kith_district_count, sizeof(*d), district_cmp);
	const char *next;
	double lat, lon;

	if (!d || (next = kith_geo_nearest_district(d->lat, d->lon, d->district)) == NULL ||
	    kith_geo_postcode_point(next, &lat, &lon) != 0)
		return -1;
	return fmin(fmax(0.5 * kith_geo_distance_km(d->lat, d->lon, lat, lon), 0.5), 10.0);
}

int kith_geo_postcode_point(const char *postcode, double *lat, double *lon)
{
	char outward[8];
	const struct kith_district *d;

	if (kith_geo_outward_code(outward, sizeof(outward), postcode) != 0)
		return KITH_EINVALID;
	d = bsearch(outward, kith_districts, kith_district_count, sizeof(*d), district_cmp);
	if (!d)
		return KITH_ENOTFOUND;
	*lat = d->lat;
	*lon = d->lon;
	return 0;
}
