/*
 * The quick-query fields of a profile (kith_profile_set in kith/profile.h):
 * what the command line's flags, and the link worker's form, set one by
 * one from text a person typed.
 */
#include "feed/profile_int.h"

#include <string.h>

#include "model/geo.h"
#include "model/names.h"
#include "model/schedule.h"
#include "util/parse.h"

/* yes -> 1, no -> 0, anything else -> -1 (white space and case ignored). */
static int parse_yes_no(const char *text)
{
	size_t len = strlen(text);

	kith_trim(&text, &len);
	if (kith_word_equals(text, len, "yes"))
		return 1;
	if (kith_word_equals(text, len, "no"))
		return 0;
	return -1;
}

static int set_postcode(kith_profile *p, const char *value)
{
	size_t len = strlen(value);
	double lat, lon;
	char *copy;

	kith_trim(&value, &len);
	if ((copy = kith_arena_strndup(&p->arena, value, len)) == NULL)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	switch (kith_geo_postcode_point(copy, &lat, &lon)) {
	case 0: break;
	case KITH_ENOTFOUND:
		return kith_error_set(&p->error, KITH_ENOTFOUND,
				      "unknown postcode '%s': its district is not in the postcode table", copy);
	default: return kith_error_set(&p->error, KITH_EINVALID, "'%s' is not a UK postcode", copy);
	}
	p->patient.postcode = copy;
	p->patient.home.lat = lat;
	p->patient.home.lon = lon;
	p->patient.home.known = 1;
	p->patient.home_from_postcode = 1;
	return 0;
}

static int set_point(kith_profile *p, const char *value)
{
	const char *comma = strchr(value, ',');
	double lat, lon;

	if (!comma || kith_parse_decimal(value, (size_t)(comma - value), &lat) != 0 ||
	    kith_parse_decimal(comma + 1, strlen(comma + 1), &lon) != 0)
		return kith_error_set(&p->error, KITH_EINVALID,
				      "'%s' is not a point (expected LAT,LON in decimal degrees, e.g. 52.08,0.44)",
				      value);
	if (lat < -90 || lat > 90)
		return kith_error_set(&p->error, KITH_EINVALID, "latitude %g is out of range (-90 to 90)", lat);
	if (lon < -180 || lon > 180)
		return kith_error_set(&p->error, KITH_EINVALID, "longitude %g is out of range (-180 to 180)", lon);
	p->patient.home.lat = lat;
	p->patient.home.lon = lon;
	p->patient.home.known = 1;
	p->patient.home_from_postcode = 0;
	return 0;
}

static int set_needs(kith_profile *p, const char *value)
{
	kith_strlist items;
	kith_need *needs = NULL;
	size_t i;
	char word[16];

	if (kith_profile_split(&p->arena, &items, value, ",", 0) != 0)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	if (items.count && (needs = kith_arena_alloc(&p->arena, items.count * sizeof(*needs))) == NULL)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	for (i = 0; i < items.count; i++) {
		char *id = (char *)items.items[i], *colon = strchr(id, ':');

		needs[i].id = id;
		needs[i].priority = KITH_PRIORITY_NORMAL;
		if (!colon)
			continue;
		*colon = '\0';
		if (!*id)
			return kith_error_set(&p->error, KITH_EINVALID, "missing need before ':%s'", colon + 1);
		if (kith_lower_copy(word, sizeof(word), colon + 1) != 0 ||
		    kith_priority_parse(word, &needs[i].priority) != 0)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "unknown priority '%s' for need '%s' (expected high, normal or low)",
					      colon + 1, id);
	}
	p->patient.needs = needs;
	p->patient.need_count = items.count;
	return 0;
}

static int set_interests(kith_profile *p, const char *value)
{
	kith_buf words = KITH_BUF_INIT;
	int error;

	if ((error = kith_profile_put_collapsed(&words, value)) != 0) {
		kith_buf_release(&words);
		return kith_error_set(&p->error, error, "interests text is too long");
	}
	kith_buf_trim(&words);
	p->patient.interests = NULL;
	if (words.size && (p->patient.interests = kith_arena_strndup(&p->arena, words.ptr, words.size)) == NULL)
		error = kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	kith_buf_release(&words);
	return error;
}

static int set_list(kith_profile *p, kith_strlist *list, const char *value)
{
	kith_strlist items;

	if (kith_profile_split(&p->arena, &items, value, ",", 0) != 0)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	*list = items;
	return 0;
}

static int set_languages(kith_profile *p, const char *value)
{
	kith_strlist items;
	size_t i;

	if (kith_profile_split(&p->arena, &items, value, ",", 1) != 0)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	for (i = 0; i < items.count; i++) {
		const char *code = items.items[i];
		if (strlen(code) != 2 || code[0] < 'a' || code[0] > 'z' || code[1] < 'a' || code[1] > 'z')
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%s' is not a two-letter ISO 639-1 language code (e.g. en, cy, pl)",
					      code);
	}
	p->patient.languages = items;
	return 0;
}

/* A non-negative amount, with an optional unit written before (e.g. "£") or after (e.g. "km"). */
static int parse_amount(const char *value, const char *prefix, const char *suffix, double *out)
{
	size_t len = strlen(value), plen = strlen(prefix), slen = strlen(suffix);

	kith_trim(&value, &len);
	if (plen && len >= plen && memcmp(value, prefix, plen) == 0)
		value += plen, len -= plen;
	if (slen && len >= slen && kith_word_equals(value + len - slen, slen, suffix))
		len -= slen;
	if (kith_parse_decimal(value, len, out) != 0 || *out < 0)
		return -1;
	return 0;
}

/* ---- "when": "mon,tue@09:00-12:00;thu@13:00-17:00" -------------------- */

/* One day word ("tue", "weekdays", "mon-fri") to day bits (bit 0 = mon); 0 when unknown. */
static unsigned day_word(const char *s, size_t len)
{
	char word[16];
	const char *dash = memchr(s, '-', len);
	size_t i;
	int d;

	if (kith_word_equals(s, len, "any"))
		return 0x7F;
	if (kith_word_equals(s, len, "weekdays"))
		return 0x1F;
	if (kith_word_equals(s, len, "weekends") || kith_word_equals(s, len, "weekend"))
		return 0x60;
	if (dash) {
		unsigned from = day_word(s, (size_t)(dash - s)), to, bits = 0;
		int a, b;
		to = day_word(dash + 1, len - (size_t)(dash - s) - 1);
		/* both ends must be single days */
		for (a = 0; a < 7 && from != (1u << a); a++)
			;
		for (b = 0; b < 7 && to != (1u << b); b++)
			;
		if (a == 7 || b == 7)
			return 0;
		for (d = a;; d = (d + 1) % 7) {
			bits |= 1u << d;
			if (d == b)
				break;
		}
		return bits;
	}
	if (len >= sizeof(word))
		return 0;
	for (i = 0; i < len; i++)
		word[i] = (char)(s[i] >= 'A' && s[i] <= 'Z' ? s[i] - 'A' + 'a' : s[i]);
	word[len] = '\0';
	d = kith_day_parse(word);
	return d < 0 ? 0 : 1u << d;
}

/* "HH:MM" or "H:MM" (and "24:00" as an end) to minutes; -1 when malformed. */
static int when_time(const char *s, size_t len, int is_end)
{
	char t[6];

	kith_trim(&s, &len);
	if (len == 4) {
		t[0] = '0';
		memcpy(t + 1, s, 4);
	} else if (len == 5) {
		memcpy(t, s, 5);
	} else {
		return -1;
	}
	t[5] = '\0';
	if (is_end && strcmp(t, "24:00") == 0)
		return 24 * 60;
	return kith_time_parse(t);
}

static void format_minutes(char out[6], int minutes)
{
	int h = minutes / 60, m = minutes % 60;

	out[0] = (char)('0' + h / 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
}

/* Parses one "DAYS@HH:MM-HH:MM" (or "DAYS" for all day) item into windows. */
static int when_item(kith_profile *p, const char *item, size_t len, kith_availability_window *windows, size_t *count)
{
	const char *at = memchr(item, '@', len), *days = item, *end;
	size_t days_len = at ? (size_t)(at - item) : len;
	unsigned bits = 0;
	int start = 0, stop = 24 * 60, d;

	kith_trim(&days, &days_len);
	if (days_len == 0)
		return kith_error_set(&p->error, KITH_EINVALID,
				      "missing days before '@' in '%.*s' (e.g. mon,tue@09:00-12:00)", (int)len, item);
	for (end = days + days_len; days < end;) {
		const char *comma = memchr(days, ',', (size_t)(end - days));
		const char *word = days;
		size_t wlen = (size_t)((comma ? comma : end) - days);
		unsigned b;

		days = comma ? comma + 1 : end;
		kith_trim(&word, &wlen);
		if (wlen == 0)
			continue;
		if ((b = day_word(word, wlen)) == 0)
			return kith_error_set(&p->error, KITH_EINVALID, "unknown day '%.*s' (expected mon..sun)",
					      (int)wlen, word);
		bits |= b;
	}
	if (bits == 0)
		return kith_error_set(&p->error, KITH_EINVALID,
				      "missing days before '@' in '%.*s' (e.g. mon,tue@09:00-12:00)", (int)len, item);
	if (at) {
		const char *times = at + 1, *dash;
		size_t tlen = len - (size_t)(times - item);

		kith_trim(&times, &tlen);
		dash = memchr(times, '-', tlen);
		if (!dash)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%.*s' is not a time range (expected HH:MM-HH:MM, e.g. 09:00-12:00)",
					      (int)tlen, times);
		start = when_time(times, (size_t)(dash - times), 0);
		if (start < 0)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%.*s' is not a time (expected HH:MM, 24-hour)", (int)(dash - times),
					      times);
		stop = when_time(dash + 1, tlen - (size_t)(dash - times) - 1, 1);
		if (stop < 0)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%.*s' is not a time (expected HH:MM, 24-hour)",
					      (int)(tlen - (size_t)(dash - times) - 1), dash + 1);
		if (stop <= start) {
			char a[6], b[6];
			format_minutes(a, start);
			format_minutes(b, stop);
			return kith_error_set(&p->error, KITH_EINVALID, "end %s is not after start %s", b, a);
		}
	}
	for (d = 0; d < 7; d++) {
		if (!(bits & (1u << d)))
			continue;
		windows[*count].day = d;
		windows[*count].start = start;
		windows[*count].end = stop;
		(*count)++;
	}
	return 0;
}

static int set_when(kith_profile *p, const char *value)
{
	kith_availability_window *windows;
	size_t items = 1, count = 0;
	const char *s, *end = value + strlen(value);
	int error;

	for (s = value; *s; s++)
		items += *s == ';';
	if ((windows = kith_arena_alloc(&p->arena, items * 7 * sizeof(*windows))) == NULL)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	for (s = value; s < end;) {
		const char *semi = memchr(s, ';', (size_t)(end - s)), *item = s;
		size_t len = (size_t)((semi ? semi : end) - s);

		s = semi ? semi + 1 : end;
		kith_trim(&item, &len);
		if (len == 0)
			continue;
		if ((error = when_item(p, item, len, windows, &count)) != 0)
			return error;
	}
	if (count == 0)
		return kith_error_set(&p->error, KITH_EINVALID,
				      "no availability given (expected e.g. mon,tue@09:00-12:00;thu@13:00-17:00)");
	p->patient.windows = windows;
	p->patient.window_count = count;
	p->patient.has_availability = 1;
	return 0;
}

int kith_profile_set(kith_profile *p, const char *field, const char *value)
{
	kith_patient *pt = &p->patient;
	double v;
	long n;
	size_t i;
	int yn;

	kith_error_clear(&p->error);
	if (!field)
		return kith_error_set(&p->error, KITH_EINVALID, "no field given");
	if (!value)
		return kith_error_set(&p->error, KITH_EINVALID, "no value given for '%s'", field);

	if (strcmp(field, "postcode") == 0)
		return set_postcode(p, value);
	if (strcmp(field, "point") == 0)
		return set_point(p, value);
	if (strcmp(field, "needs") == 0)
		return set_needs(p, value);
	if (strcmp(field, "interests") == 0)
		return set_interests(p, value);
	if (strcmp(field, "tags") == 0)
		return set_list(p, &pt->interest_tags, value);
	if (strcmp(field, "circumstances") == 0)
		return set_list(p, &pt->circumstances, value);
	if (strcmp(field, "languages") == 0)
		return set_languages(p, value);
	if (strcmp(field, "when") == 0)
		return set_when(p, value);
	if (strcmp(field, "max-km") == 0) {
		if (parse_amount(value, "", "km", &v) != 0)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%s' is not a distance in km (expected a number, e.g. 5 or 2.5)", value);
		pt->max_travel_km = v;
		return 0;
	}
	if (strcmp(field, "budget") == 0) {
		if (parse_amount(value, "\xC2\xA3", "", &v) != 0)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%s' is not an amount in pounds (expected a number, e.g. 3.50)", value);
		pt->max_per_session = v;
		return 0;
	}
	if (strcmp(field, "age") == 0) {
		if (kith_parse_int(value, 0, 130, &n) != 0)
			return kith_error_set(&p->error, KITH_EINVALID, "'%s' is not an age in years (0 to 130)",
					      value);
		pt->age = (int)n;
		return 0;
	}
	if (strcmp(field, "gender") == 0) {
		char word[16];
		kith_gender g;
		/* "any" is what no gender means, not a gender to give */
		if (kith_lower_copy(word, sizeof(word), value) != 0 || kith_gender_parse(word, &g) != 0 ||
		    g == KITH_GENDER_ANY)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "unknown gender '%s' (expected female, male or other)", value);
		pt->gender = g;
		return 0;
	}

	/* the yes/no fields */
	for (i = 0; i < KITH_MOBILITY_NEEDS; i++)
		if (strcmp(field, kith_mobility_needs[i].name) == 0)
			break;
	if (i == KITH_MOBILITY_NEEDS && strcmp(field, "online") != 0 && strcmp(field, "housebound") != 0 &&
	    strcmp(field, "free") != 0)
		return kith_error_set(&p->error, KITH_ENOTFOUND, "unknown field '%s'", field);
	if ((yn = parse_yes_no(value)) < 0)
		return kith_error_set(&p->error, KITH_EINVALID, "'%s' is not yes or no", value);
	if (i < KITH_MOBILITY_NEEDS)
		pt->needs_access[kith_mobility_needs[i].access] = yn;
	else if (strcmp(field, "online") == 0)
		pt->online = yn, pt->online_asked = 1;
	else if (strcmp(field, "housebound") == 0)
		pt->housebound = yn;
	else
		pt->max_per_session = yn ? 0 : -1;
	return 0;
}
