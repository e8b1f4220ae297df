/*
 * Patient profiles (see kith/profile.h): the object, and the text helpers
 * its two readers share.  Reading a file is profile_xml.c's; the quick-query
 * fields are profile_fields.c's.  Every string and array of the parsed
 * kith_patient lives in the profile's arena.
 */
#include "feed/profile_int.h"

#include <stdlib.h>
#include <string.h>

#include "util/parse.h"

const kith_mobility_need kith_mobility_needs[KITH_MOBILITY_NEEDS] = {
	{"wheelchair", KITH_ACCESS_WHEELCHAIR},
	{"step-free", KITH_ACCESS_STEP_FREE},
	{"hearing-loop", KITH_ACCESS_HEARING_LOOP},
	{"accessible-toilet", KITH_ACCESS_ACCESSIBLE_TOILET},
};

int kith_profile_alloc(kith_profile **out)
{
	kith_profile *p = calloc(1, sizeof(*p));
	kith_patient *pt;

	*out = NULL;
	if (!p)
		return KITH_ENOMEM;
	p->arena = (kith_arena)KITH_ARENA_INIT;
	kith_buf_init(&p->error.message, 4096);
	pt = &p->patient;
	pt->age = -1;
	pt->gender = KITH_GENDER_ANY;
	pt->max_travel_km = -1;
	pt->max_per_session = -1;
	*out = p;
	return 0;
}

int kith_profile_new(kith_profile **out, const char *id)
{
	kith_profile *p = NULL;
	int error;

	if ((error = kith_profile_alloc(&p)) != 0)
		return error;
	if ((p->patient.id = kith_arena_strdup(&p->arena, id && *id ? id : "query")) == NULL) {
		kith_profile_free(p);
		return KITH_ENOMEM;
	}
	*out = p;
	return 0;
}

const char *kith_profile_errmsg(const kith_profile *p)
{
	if (!p)
		return kith_strerror(KITH_EINVALID);
	return kith_error_message(&p->error);
}

const char *kith_profile_id(const kith_profile *p)
{
	return p->patient.id;
}

int kith_profile_home(const kith_profile *p, double *lat, double *lon, double *max_km)
{
	*lat = p->patient.home.lat;
	*lon = p->patient.home.lon;
	*max_km = p->patient.max_travel_km;
	return p->patient.home.known;
}

const kith_patient *kith_profile_patient(const kith_profile *p)
{
	return &p->patient;
}

void kith_profile_free(kith_profile *p)
{
	if (!p)
		return;
	kith_arena_release(&p->arena);
	kith_error_release(&p->error);
	free(p);
}

char *kith_profile_trimdup(kith_arena *a, const char *s, size_t len)
{
	kith_trim(&s, &len);
	return kith_arena_strndup(a, s, len);
}

static int is_sep(char c, const char *seps)
{
	return c != '\0' && strchr(seps, c) != NULL;
}

/*
 * Splits text at any of seps (white space is always a separator and is
 * trimmed) into a list of arena copies, lower-cased when fold is set.
 * Empty pieces are dropped.  Returns 0 or KITH_ENOMEM.
 */
int kith_profile_split(kith_arena *a, kith_strlist *out, const char *text, const char *seps, int fold)
{
	const char *p;
	size_t n = 0, i = 0;
	const char **items;

	out->items = NULL;
	out->count = 0;
	for (p = text; *p;) {
		while (*p && (kith_is_space(*p) || is_sep(*p, seps)))
			p++;
		if (!*p)
			break;
		n++;
		while (*p && !kith_is_space(*p) && !is_sep(*p, seps))
			p++;
	}
	if (n == 0)
		return 0;
	if ((items = kith_arena_alloc(a, n * sizeof(*items))) == NULL)
		return KITH_ENOMEM;
	for (p = text; *p;) {
		const char *start;
		char *copy;

		while (*p && (kith_is_space(*p) || is_sep(*p, seps)))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && !kith_is_space(*p) && !is_sep(*p, seps))
			p++;
		if ((copy = kith_arena_strndup(a, start, (size_t)(p - start))) == NULL)
			return KITH_ENOMEM;
		if (fold)
			kith_lower(copy);
		items[i++] = copy;
	}
	out->items = items;
	out->count = n;
	return 0;
}

/* Appends text to buf with every run of white space as one space. */
int kith_profile_put_collapsed(kith_buf *buf, const char *text)
{
	int error;

	for (; *text; text++) {
		char c = kith_is_space(*text) ? ' ' : *text;
		if (c == ' ' && (buf->size == 0 || buf->ptr[buf->size - 1] == ' '))
			continue;
		if ((error = kith_buf_putc(buf, c)) != 0)
			return error;
	}
	return 0;
}
