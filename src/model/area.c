/*
 * Areas served: parsing, and whether a home lies in one (see area.h).
 */
#include "model/area.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kith/common.h"
#include "model/embedded.h"
#include "model/geo.h"

#define DIGITS "0123456789"

/* 1 when s[0..n) is a postcode area (1-2 letters) or district (an outward code). */
static int area_or_district(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && isalpha((unsigned char)s[i]))
		i++;
	if (i < 1 || i > 2)
		return 0;
	if (i == n)
		return 1;
	if (!isdigit((unsigned char)s[i++]))
		return 0;
	if (i < n && isalnum((unsigned char)s[i]))
		i++;
	return i == n;
}

/* The length of the word at s (up to white space), and where the next starts. */
static size_t word_at(const char *s, const char **next)
{
	size_t n = 0;

	while (s[n] && !isspace((unsigned char)s[n]))
		n++;
	*next = s + n;
	while (**next && isspace((unsigned char)**next))
		(*next)++;
	return n;
}

/*
 * Splits off the next token at *p: a word, and with it the next word when
 * this one is a district and that one a lone digit (a sector, "SS7 1").
 * Returns its length, with the token in upper case in tok, or 0 at the
 * end; -1 when it is no area, district or sector (tok holds what was read).
 */
static int take(const char **p, char *tok, size_t size)
{
	const char *s = *p, *next, *after;
	size_t n, len = 0, i;
	int ok;

	while (*s && isspace((unsigned char)*s))
		s++;
	if (!*s)
		return 0;
	n = word_at(s, &next);
	ok = area_or_district(s, n) && n + 1 < KITH_AREA_TOKEN;
	for (i = 0; i < n && len + 1 < size; i++)
		tok[len++] = (char)toupper((unsigned char)s[i]);
	tok[len] = '\0';
	if (ok && strpbrk(tok, DIGITS) && isdigit((unsigned char)next[0]) && word_at(next, &after) == 1 &&
	    len + 3 <= KITH_AREA_TOKEN) {
		tok[len++] = ' ';
		tok[len++] = next[0];
		tok[len] = '\0';
		next = after;
	}
	*p = next;
	return ok ? (int)len : -1;
}

int kith_area_normalize(const char *text, char *out, size_t size, char bad[16])
{
	char tok[16];
	size_t used = 0, n;
	int len;

	bad[0] = '\0';
	if (size)
		out[0] = '\0';
	for (;;) {
		const char *at = text, *next;
		while (*at && isspace((unsigned char)*at))
			at++;
		if ((len = take(&text, tok, sizeof(tok))) == 0)
			break;
		if (len < 0) { /* named as written */
			n = word_at(at, &next);
			snprintf(bad, 16, "%.*s", (int)(n < 15 ? n : 15), at);
			return KITH_EINVALID;
		}
		n = (size_t)len;
		if (used + (used ? 1 : 0) + n + 1 > size)
			return KITH_ETOOLARGE;
		if (used)
			out[used++] = ' ';
		memcpy(out + used, tok, n + 1);
		used += n;
	}
	return 0;
}

const char *kith_area_next(const char **p, char tok[KITH_AREA_TOKEN])
{
	return take(p, tok, KITH_AREA_TOKEN) > 0 ? tok : NULL;
}

int kith_home_area_of(const char *postcode, const kith_point *point, kith_home_area *out)
{
	const char *district = NULL, *s;
	char outward[8];
	size_t n;

	memset(out, 0, sizeof(*out));
	if (postcode && kith_geo_outward_code(outward, sizeof(outward), postcode) == 0) {
		district = outward;
		/* the sector is the outward code and the inward code's digit: "SS7 1AB" -> "SS7 1" */
		for (s = postcode + strlen(postcode); s > postcode && isspace((unsigned char)s[-1]); s--)
			;
		n = (size_t)(s - postcode);
		if (n >= 5 && isdigit((unsigned char)postcode[n - 3]) && isalpha((unsigned char)postcode[n - 2]) &&
		    isalpha((unsigned char)postcode[n - 1]))
			snprintf(out->sector, sizeof(out->sector), "%s %c", outward, postcode[n - 3]);
	} else if (point && point->known) {
		district = kith_geo_nearest_district(point->lat, point->lon, NULL);
		out->from_point = 1;
	}
	if (!district)
		return KITH_ENOTFOUND;
	snprintf(out->district, sizeof(out->district), "%s", district);
	for (n = 0; n < 2 && isalpha((unsigned char)district[n]); n++)
		out->area[n] = district[n];
	out->area[n] = '\0';
	return 0;
}

int kith_area_holds(const char *area, const kith_home_area *home)
{
	char tok[KITH_AREA_TOKEN];
	int unsure = 0;

	size_t d = strlen(home->district);

	while (kith_area_next(&area, tok)) {
		if (strchr(tok, ' ')) { /* a sector: a home known only by its district may or may not be in it */
			if (strcmp(tok, home->sector) == 0)
				return 1;
			if (!home->sector[0] && d && strncmp(tok, home->district, d) == 0 && tok[d] == ' ')
				unsure = 1;
		} else if (strcmp(tok, strpbrk(tok, DIGITS) ? home->district : home->area) == 0) {
			return 1;
		}
	}
	return unsure ? -1 : 0;
}

/* The first place whose name is s[0..n), case folded, or NULL; *count gets how many entries it has. */
static const struct kith_place *place_named(const char *s, size_t n, size_t *count)
{
	size_t lo = 0, hi = kith_place_count, i;
	char name[64];

	if (n == 0 || n >= sizeof(name))
		return NULL;
	for (i = 0; i < n; i++)
		name[i] = (char)tolower((unsigned char)s[i]);
	name[n] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(kith_places[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == kith_place_count || strcmp(kith_places[lo].name, name) != 0)
		return NULL;
	for (*count = 0; lo + *count < kith_place_count && strcmp(kith_places[lo + *count].name, name) == 0; (*count)++)
		;
	return &kith_places[lo];
}

#define PLACE_NEAR_KM 40.0 /* a place named in a listing is one near where it meets */

/* 1 when district's centre is within PLACE_NEAR_KM of near (or near is not known). */
static int is_near(const char *district, const kith_point *near)
{
	double lat, lon;

	if (!near || !near->known || kith_geo_postcode_point(district, &lat, &lon) != 0)
		return 1;
	return kith_geo_distance_km(lat, lon, near->lat, near->lon) <= PLACE_NEAR_KM;
}

/* 1 when word appears in s before the clause ends. */
static int strstr_clause(const char *s, const char *word)
{
	size_t n = strcspn(s, ".;:!?\n");
	const char *hit = strstr(s, word);

	return hit && (size_t)(hit - s) < n;
}

/* Appends district to the list unless it is there. */
static void add_district(kith_buf *districts, const char *district)
{
	const char *p = districts->ptr ? districts->ptr : "";
	char tok[KITH_AREA_TOKEN];

	while (kith_area_next(&p, tok))
		if (strcmp(tok, district) == 0)
			return;
	kith_buf_printf(districts, "%s%s", districts->size ? " " : "", district);
}

/*
 * Reads places from s up to the end of its clause: at each word, the
 * longest run of up to four words the table names.  Returns how many.
 */
static size_t read_places(const char *s, const kith_point *near, kith_buf *districts, kith_buf *names)
{
	size_t found = 0;

	while (*s && !strchr(".;:!?\n", *s)) {
		size_t best = 0, count = 0, words = 0, len = 0, i;
		const struct kith_place *place = NULL;
		if (!isalpha((unsigned char)*s)) {
			s++;
			continue;
		}
		/* try the runs of one to four words starting here, keep the longest the table knows */
		while (words < 4) {
			size_t c;
			const struct kith_place *p;
			while (s[len] && (isalpha((unsigned char)s[len]) || s[len] == '\'' || s[len] == '-'))
				len++;
			words++;
			if ((p = place_named(s, len, &c)) != NULL) {
				place = p;
				count = c;
				best = len;
			}
			if (s[len] != ' ' || !isalpha((unsigned char)s[len + 1]))
				break;
			len++;
		}
		if (place) {
			for (i = 0; i < count; i++)
				if (is_near(place[i].district, near))
					add_district(districts, place[i].district);
			kith_buf_printf(names, "%s%.*s", names->size ? ", " : "", (int)best, s);
			found++;
			s += best;
		} else {
			while (*s && isalpha((unsigned char)*s))
				s++;
		}
	}
	return found;
}

size_t kith_area_read_text(const char *text, const kith_point *near, kith_buf *districts, kith_buf *names)
{
	static const char *const markers[] = {"living in ",    "live in ",     "lives in ",        "resident in ",
					      "residents of ", "residing in ", "based in ",        "people in ",
					      "families in ",  "anyone in ",   "who live within ", NULL};
	size_t found = 0, i;
	const char *p;

	if (!text)
		return 0;
	for (p = text; *p; p++) {
		for (i = 0; markers[i]; i++) {
			size_t n = strlen(markers[i]);
			if ((p == text || !isalpha((unsigned char)p[-1])) && strncasecmp(p, markers[i], n) == 0) {
				const char *after = p + n;
				/* "the Borough of X", "the district of X" */
				if (strncasecmp(after, "the ", 4) == 0)
					after += 4;
				if (strncasecmp(after, "and around", 10) == 0 || strncasecmp(after, "around", 6) == 0 ||
				    strncasecmp(after, "near", 4) == 0 || strstr_clause(after, "surrounding"))
					break; /* wider than any list of places */
				found += read_places(after, near, districts, names);
				break;
			}
		}
	}
	return found;
}
