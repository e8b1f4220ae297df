/*
 * The parts of an Open Referral UK service that a full service object
 * nests (oruk.h): its locations with their accessibility, its schedules,
 * eligibility, costs and languages.  Each is mapped only where the
 * mapping is sure; what is not goes into the description as text.
 */
#include "import/oruk_int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_AGE 120
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- values ------------------------------------------------------------ */

const char *oruk_string(importer *im, const json_t *obj, const char *key, size_t max)
{
	const json_t *v = json_object_get(obj, key);
	const char *s;
	size_t n;

	if (!json_is_string(v))
		return NULL;
	s = json_string_value(v);
	n = json_string_length(v);
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--; /* cut at a character's start, never inside one */
	}
	return kith_arena_strndup(&im->arena, s, n);
}

const char *oruk_string_of(importer *im, const json_t *obj, const char *const *keys, size_t max)
{
	const char *s = NULL;

	for (; *keys && !s; keys++)
		s = oruk_string(im, obj, *keys, max);
	return s;
}

const json_t *oruk_array(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_array(v) ? v : NULL;
}

int oruk_number(const json_t *v, double *out)
{
	const char *s;
	char *end;

	if (json_is_integer(v)) {
		*out = (double)json_integer_value(v);
		return 1;
	}
	if (json_is_real(v)) {
		*out = json_real_value(v);
		return isfinite(*out);
	}
	if (!json_is_string(v))
		return 0;
	s = json_string_value(v);
	*out = strtod(s, &end);
	if (end == s)
		return 0;
	while (isspace((unsigned char)*end))
		end++;
	return *end == '\0' && isfinite(*out);
}

/* "a, b" from the parts that are there, leaving out one that repeats the one before (a venue named as its street). */
static const char *joined(importer *im, const char *const *parts, size_t n)
{
	kith_buf b = KITH_BUF_INIT;
	const char *last = NULL, *result = NULL;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!parts[i] || (last && strcasecmp(parts[i], last) == 0))
			continue;
		kith_buf_printf(&b, "%s%s", b.size ? ", " : "", parts[i]);
		last = parts[i];
	}
	if (!kith_buf_error(&b) && b.size)
		result = kith_arena_strndup(&im->arena, b.ptr, b.size);
	kith_buf_release(&b);
	return result;
}

/* ---- locations ---------------------------------------------------------- */

/* Access words a directory writes as a fact, not a description (the rest stays text). */
static const struct {
	const char *phrase;
	int fact;
} access_phrases[] = {
	{"wheelchair accessible", KITH_ACCESS_WHEELCHAIR},
	{"wheelchair access", KITH_ACCESS_WHEELCHAIR},
	{"step free access", KITH_ACCESS_STEP_FREE},
	{"step-free access", KITH_ACCESS_STEP_FREE},
	{"level access", KITH_ACCESS_STEP_FREE},
	{"hearing loop", KITH_ACCESS_HEARING_LOOP},
	{"induction loop", KITH_ACCESS_HEARING_LOOP},
	{"accessible toilet", KITH_ACCESS_ACCESSIBLE_TOILET},
	{"accessible toilets", KITH_ACCESS_ACCESSIBLE_TOILET},
	{"disabled toilet", KITH_ACCESS_ACCESSIBLE_TOILET},
	{"disabled toilets", KITH_ACCESS_ACCESSIBLE_TOILET},
	{"parking", KITH_ACCESS_PARKING},
	{"car parking", KITH_ACCESS_PARKING},
	{"disabled parking", KITH_ACCESS_PARKING},
};

static int read_access(oruk_record *r, const json_t *location)
{
	static const char *const keys[] = {"accessibility", "description", NULL};
	const json_t *list = oruk_array(location, "accessibility_for_disabilities"), *item;
	kith_buf text = KITH_BUF_INIT;
	size_t i, k;
	int error = 0;

	if (!list)
		list = oruk_array(location, "accessibility");
	json_array_foreach(list, i, item)
	{
		const char *s = oruk_string_of(r->im, item, keys, 500);
		if (!s)
			continue;
		for (k = 0; k < COUNT(access_phrases); k++)
			if (strcasecmp(s, access_phrases[k].phrase) == 0)
				r->g->access[access_phrases[k].fact] = KITH_TRI_YES;
		kith_buf_printf(&text, "%s%s", text.size ? "; " : "", s);
	}
	if ((error = kith_buf_error(&text)) == 0)
		error = kith_import_append_text(r->im, r->g, "Accessibility", text.ptr);
	kith_buf_release(&text);
	return error;
}

/* The location's physical address: v1 physical_addresses, or v3 addresses of type physical. */
static const json_t *address_of(const json_t *location)
{
	const json_t *list = oruk_array(location, "physical_addresses"), *item;
	size_t i;

	if (list)
		return json_array_get(list, 0);
	json_array_foreach(oruk_array(location, "addresses"), i, item)
	{
		const json_t *type = json_object_get(item, "address_type");
		if (!json_is_string(type) || strcasecmp(json_string_value(type), "physical") == 0)
			return item;
	}
	return NULL;
}

/* A point given for the location, kept only inside the British Isles (swapped or zero coordinates are common). */
static void read_point(oruk_record *r, const json_t *location, kith_venue *v)
{
	double lat, lon;

	if (!oruk_number(json_object_get(location, "latitude"), &lat) ||
	    !oruk_number(json_object_get(location, "longitude"), &lon))
		return;
	if (lat >= 49.0 && lat <= 61.5 && lon >= -11.0 && lon <= 2.5) {
		v->point.lat = lat;
		v->point.lon = lon;
		v->point.known = 1;
	} else if (lat != 0.0 || lon != 0.0) {
		kith_import_warn(r->im, 0, 0, "%s: a location's point %g, %g is not in the UK: left out", r->where, lat,
				 lon);
	}
}

static int read_location(oruk_record *r, const json_t *location)
{
	const json_t *address = address_of(location);
	const char *parts[3];
	const char *postcode;
	kith_venue *v;

	parts[0] = oruk_string(r->im, location, "name", 500);
	parts[1] = oruk_string(r->im, address, "address_1", 500);
	parts[2] = oruk_string(r->im, address, "city", 200);
	postcode = oruk_string(r->im, address, "postal_code", 20);
	if ((v = kith_import_add_venue(r->im, r->g)) == NULL)
		return KITH_ENOMEM;
	v->address = joined(r->im, parts, 3);
	v->postcode = postcode;
	read_point(r, location, v);
	if (!v->address && !v->postcode && !v->point.known)
		r->g->venue_count--; /* nothing says where it is */
	return read_access(r, location);
}

int oruk_read_locations(oruk_record *r)
{
	const json_t *item;
	size_t i;
	int error = 0;

	json_array_foreach(oruk_array(r->service, "service_at_locations"), i, item)
	{
		const json_t *location = json_object_get(item, "location");
		if (json_is_object(location) && (error = read_location(r, location)) != 0)
			return error;
		if (json_is_object(item) && (error = oruk_read_schedules(r, item)) != 0)
			return error;
	}
	return 0;
}

/* ---- schedules ---------------------------------------------------------- */

static const char *const day_codes[7] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
static const char *const day_names[7] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

/* A day as "TU", "Tue" or "Tuesday" (any case): 0 = Monday .. 6, or -1. */
static int day_of(const char *t, size_t n)
{
	int d;

	for (d = 0; d < 7; d++)
		if ((n == 2 && strncasecmp(t, day_codes[d], 2) == 0) ||
		    (n >= 3 && n <= strlen(day_names[d]) && strncasecmp(t, day_names[d], n) == 0))
			return d;
	return -1;
}

/* "10:00" or "10:00:00" as minutes after midnight ("24:00" is the day's end), or -1. */
static int minutes_of(const char *t)
{
	int h, m, used = 0;

	if (!t || sscanf(t, "%2d:%2d%n", &h, &m, &used) != 2 || h < 0 || m < 0 || m > 59 || h * 60 + m > 24 * 60)
		return -1;
	if (t[used] == ':' && isdigit((unsigned char)t[used + 1]) && isdigit((unsigned char)t[used + 2]))
		used += 3;
	return t[used] == '\0' || t[used] == 'Z' ? h * 60 + m : -1;
}

typedef struct day_rule {
	int day;
	unsigned weeks;
} day_rule;

/*
 * The days of an RRULE-style byday ("MO,WE", "1TU", "-1FR"; or names):
 * monthly ones need each day's week of the month (1 to 5, or -1 for the
 * last).  Returns how many days, or 0 when a token is not sure.
 */
static size_t read_days(const char *byday, int monthly, day_rule *out, size_t max)
{
	size_t n = 0, len;
	const char *p = byday;

	while (*p) {
		int week = 0, sign = 1;
		p += strspn(p, ", ;");
		if (!*p)
			break;
		if (*p == '-' || *p == '+')
			sign = *p++ == '-' ? -1 : 1;
		while (isdigit((unsigned char)*p)) /* past 99 it is no week: stop counting before int overflows */
			week = week < 100 ? week * 10 + (*p++ - '0') : (p++, week);
		len = strcspn(p, ", ;");
		if (n == max || (out[n].day = day_of(p, len)) < 0 || week > 5 || (sign < 0 && week != 1) ||
		    (week && !monthly))
			return 0;
		out[n++].weeks = week == 0 ? 0 : sign < 0 ? KITH_WEEK_LAST : KITH_WEEK(week);
		p += len;
	}
	return n;
}

/* The schedule as a line of text: its own description, else its fields. */
static void describe_schedule(oruk_record *r, const json_t *s)
{
	importer *im = r->im;
	const char *desc = oruk_string(im, s, "description", 2000);
	const char *days = oruk_string(im, s, "byday", 100), *freq = oruk_string(im, s, "freq", 20);
	const char *opens = oruk_string(im, s, "opens_at", 20), *closes = oruk_string(im, s, "closes_at", 20);
	double interval;

	if (r->when.size)
		kith_buf_puts(&r->when, "; ");
	if (desc) {
		kith_buf_puts(&r->when, desc);
		return;
	}
	if (!days)
		days = oruk_string(im, s, "weekday", 20);
	if (days)
		kith_buf_printf(&r->when, "%s ", days);
	else if (json_is_integer(json_object_get(s, "weekday")))
		kith_buf_printf(&r->when, "weekday %lld ",
				(long long)json_integer_value(json_object_get(s, "weekday")));
	kith_buf_printf(&r->when, "%.5s-%.5s", opens ? opens : "?", closes ? closes : "?");
	if (oruk_number(json_object_get(s, "interval"), &interval) && interval > 1 && interval < 1000)
		kith_buf_printf(&r->when, " every %d %s", (int)interval,
				!freq || strcasecmp(freq, "weekly") == 0 ? "weeks"
				: strcasecmp(freq, "monthly") == 0       ? "months"
				: strcasecmp(freq, "daily") == 0         ? "days"
									 : freq);
	else if (freq && strcasecmp(freq, "weekly") != 0)
		kith_buf_printf(&r->when, " %s", freq);
}

/* How often: 0 weekly, 1 monthly, -1 not sure (fortnightly, yearly, on days of the month). */
static int frequency_of(oruk_record *r, const json_t *s)
{
	const char *freq = oruk_string(r->im, s, "freq", 20);
	const json_t *monthday = json_object_get(s, "bymonthday");
	double interval = 1, day = 0;

	if (json_object_get(s, "interval") && !json_is_null(json_object_get(s, "interval")) &&
	    !oruk_number(json_object_get(s, "interval"), &interval))
		return -1;
	if (interval != 1 && interval != 0)
		return -1;
	if ((json_is_string(monthday) && *json_string_value(monthday)) || (oruk_number(monthday, &day) && day != 0))
		return -1;
	if (!freq || strcasecmp(freq, "weekly") == 0 || strcasecmp(freq, "daily") == 0)
		return 0;
	return strcasecmp(freq, "monthly") == 0 ? 1 : -1;
}

/* Keeps the dates of a schedule read, to bound a course when every schedule gives them. */
static void note_dates(oruk_record *r, const json_t *s)
{
	const char *from = kith_import_date(r->im, oruk_string(r->im, s, "valid_from", 40));
	const char *to = kith_import_date(r->im, oruk_string(r->im, s, "valid_to", 40));

	if (!from)
		r->dated_from = 0;
	else if (!r->from || strcmp(from, r->from) < 0)
		r->from = from;
	if (!to)
		r->dated_to = 0;
	else if (!r->to || strcmp(to, r->to) > 0)
		r->to = to;
}

/*
 * One schedule as sessions: 1 when read, 0 when not sure (g unchanged), or
 * KITH_ENOMEM.  A weekday given as a number is not read: directories count
 * from Sunday or from Monday.
 */
static int read_schedule(oruk_record *r, const json_t *s)
{
	day_rule days[14];
	const char *byday = oruk_string(r->im, s, "byday", 200);
	const char *weekday = oruk_string(r->im, s, "weekday", 20);
	const char *desc = oruk_string(r->im, s, "description", 2000);
	int start = minutes_of(oruk_string(r->im, s, "opens_at", 20));
	int end = minutes_of(oruk_string(r->im, s, "closes_at", 20));
	int monthly = frequency_of(r, s), error;
	size_t n = 0, i;

	if (!byday && !weekday)
		return desc && start < 0 && end < 0 && kith_import_hours(r->im, r->g, desc) > 0;
	if (monthly < 0 || start < 0 || end <= start)
		return 0;
	if (byday)
		n = read_days(byday, monthly, days, COUNT(days));
	else if ((days[0].day = day_of(weekday, strlen(weekday))) >= 0 && !monthly) {
		days[0].weeks = 0;
		n = 1;
	}
	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((error = kith_import_add_session(r->im, r->g, days[i].day, start, end, days[i].weeks)) != 0)
			return error;
	note_dates(r, s);
	return 1;
}

int oruk_read_schedules(oruk_record *r, const json_t *owner)
{
	const json_t *list = oruk_array(owner, "regular_schedules"), *s;
	size_t i;
	int read;

	if (!list)
		list = oruk_array(owner, "schedules");
	json_array_foreach(list, i, s)
	{
		if (!json_is_object(s))
			continue;
		describe_schedule(r, s);
		if ((read = read_schedule(r, s)) < 0)
			return read;
		if (read)
			r->schedules_read++;
		else
			r->schedules_unread++;
	}
	return kith_buf_error(&r->when);
}

/*
 * Sessions only when every schedule was sure: a schedule part read would
 * hide the group from someone free only when the rest of it meets.
 */
int oruk_finish_schedules(oruk_record *r)
{
	kith_group *g = r->g;

	if (r->schedules_unread) {
		g->session_count = 0;
		g->schedule_known = g->by_appointment; /* an empty schedule would say it never meets */
		r->im->report->hours_text++;
		return kith_import_append_text(r->im, g, "When", r->when.ptr);
	}
	if (r->schedules_read && g->session_count) {
		g->starts = r->dated_from ? r->from : NULL;
		g->ends = r->dated_to ? r->to : NULL;
	}
	return 0;
}

/* ---- eligibility -------------------------------------------------------- */

/* An age at key: 1 and *out, 0 when absent or not an age (with a warning saying which). */
static int age_at(oruk_record *r, const json_t *obj, const char *key, int *out)
{
	const json_t *v = json_object_get(obj, key);
	double age;

	if (!v || json_is_null(v) || (json_is_string(v) && !*json_string_value(v)))
		return 0;
	if (!oruk_number(v, &age) || age < 0 || age > MAX_AGE || age != floor(age)) {
		if (oruk_number(v, &age))
			kith_import_warn(r->im, 0, 0, "%s: %s %g is not an age: left out", r->where, key, age);
		else
			kith_import_warn(r->im, 0, 0, "%s: %s is not a number: left out", r->where, key);
		return 0;
	}
	*out = (int)age;
	return 1;
}

typedef struct ages {
	int min, max;         /* the widest range the entries allow */
	int all_min, all_max; /* every entry gives one (a missing one means no limit that way) */
	size_t entries;
} ages;

static int read_ages(oruk_record *r, const json_t *e, ages *a, kith_buf *text)
{
	int min, max, has_min = age_at(r, e, "minimum_age", &min), has_max = age_at(r, e, "maximum_age", &max);
	const char *words = oruk_string(r->im, e, "eligibility", 1000);

	if (has_max && max == 0 && (!has_min || min == 0))
		has_min = has_max = 0; /* 0 to 0 is how some directories say "no limit" */
	if (has_min && has_max && min > max) {
		kith_import_warn(r->im, 0, 0, "%s: minimum_age %d is over maximum_age %d: both left out", r->where, min,
				 max);
		has_min = has_max = 0;
	}
	a->entries++;
	a->all_min &= has_min;
	a->all_max &= has_max;
	if (has_min && (a->entries == 1 || min < a->min))
		a->min = min;
	if (has_max && (a->entries == 1 || max > a->max))
		a->max = max;
	if (words)
		kith_buf_printf(text, "%s%s", text->size ? "; " : "", words);
	return kith_buf_error(text);
}

int oruk_read_eligibility(oruk_record *r)
{
	const json_t *list = oruk_array(r->service, "eligibilitys"), *e;
	ages a = {-1, -1, 1, 1, 0};
	kith_buf text = KITH_BUF_INIT;
	const char *words = oruk_string(r->im, r->service, "eligibility_description", 2000);
	size_t i;
	int error = 0;

	if (!list)
		list = oruk_array(r->service, "eligibility");
	json_array_foreach(list, i, e)
	{
		if (json_is_object(e) && (error = read_ages(r, e, &a, &text)) != 0)
			goto cleanup;
	}
	if (a.entries == 0 && (error = read_ages(r, r->service, &a, &text)) != 0)
		goto cleanup;
	if (a.all_min)
		r->g->min_age = a.min;
	if (a.all_max)
		r->g->max_age = a.max;
	if (words)
		kith_buf_printf(&text, "%s%s", text.size ? "; " : "", words);
	if ((error = kith_buf_error(&text)) == 0)
		error = kith_import_append_text(r->im, r->g, "Eligibility", text.ptr);
cleanup:
	kith_buf_release(&text);
	return error;
}

/* ---- cost --------------------------------------------------------------- */

/* 1 when a word of text starts with word, in any case ("weekly" has "week"; "determined" has no "term"). */
static int has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = text; *p; p++)
		if ((p == text || !isalpha((unsigned char)p[-1])) && strncasecmp(p, word, n) == 0)
			return 1;
	return 0;
}

/* What an amount is paid for, from the option's words: 1 and *per, or 0 when not sure. */
static int per_of(const char *option, kith_cost_per *per)
{
	static const struct {
		const char *word;
		kith_cost_per per;
	} words[] = {
		{"session", KITH_PER_SESSION}, {"class", KITH_PER_SESSION}, {"visit", KITH_PER_SESSION},
		{"each", KITH_PER_SESSION},    {"week", KITH_PER_WEEK},     {"month", KITH_PER_MONTH},
		{"course", KITH_PER_COURSE},   {"term", KITH_PER_COURSE},   {"programme", KITH_PER_COURSE},
	};
	size_t i;
	int found = 0;

	*per = KITH_PER_SESSION;
	if (!option)
		return 1;
	for (i = 0; i < COUNT(words); i++)
		if (has_word(option, words[i].word)) {
			if (found && *per != words[i].per)
				return 0; /* "£5 a session or £15 a month" */
			*per = words[i].per;
			found = 1;
		}
	return found;
}

static void set_cost(kith_group *g, double amount, kith_cost_per per)
{
	g->cost_known = 1;
	g->cost_free = amount == 0;
	g->cost_amount = amount;
	g->cost_per = per;
}

/* The cheapest of the cost options, when every one is sure; all of them as text when there are several. */
static int read_cost_options(oruk_record *r, const json_t *list)
{
	static const char *const option_keys[] = {"option", "amount_description", NULL};
	kith_buf text = KITH_BUF_INIT;
	const json_t *c;
	double amount, best = -1;
	kith_cost_per per, best_per = KITH_PER_SESSION;
	size_t i;
	int sure = 1, error;

	json_array_foreach(list, i, c)
	{
		const char *option = oruk_string_of(r->im, c, option_keys, 500);
		int has_amount = oruk_number(json_object_get(c, "amount"), &amount) && amount >= 0 && amount <= 100000;
		if (!json_is_object(c))
			continue;
		kith_buf_puts(&text, text.size ? "; " : "");
		if (has_amount)
			kith_buf_printf(&text, "\xC2\xA3%.2f%s", amount, option ? " " : "");
		kith_buf_puts(&text, option ? option : has_amount ? "" : "?");
		if (!has_amount || !per_of(option, &per)) {
			sure = 0;
			continue;
		}
		if (best < 0 || amount < best)
			best = amount, best_per = per;
	}
	if (sure && best >= 0)
		set_cost(r->g, best, best_per);
	error = kith_buf_error(&text);
	if (!error && (json_array_size(list) > 1 || !sure))
		error = kith_import_append_text(r->im, r->g, "Costs", text.ptr);
	kith_buf_release(&text);
	return error;
}

/* Fees written as text, when they say plainly "free" or "£3 a session": 1 (and the cost set), else 0. */
static int read_fees(kith_group *g, const char *fees)
{
	static const char *const free_words[] = {"free", "free of charge", "no charge", "no cost", "none",
						 "£0",   "£0.00"};
	static const char *const pers[] = {"",         " per session", " a session",  "/session", " per class",
					   " each",    " per week",    " a week",     "/week",    " per month",
					   " a month", "/month",       " per course", " per term"};
	char t[80], *end;
	size_t n = strlen(fees), i;
	double amount;
	kith_cost_per per;

	if (n >= sizeof(t))
		return 0;
	memcpy(t, fees, n + 1);
	while (n > 0 && (t[n - 1] == '.' || t[n - 1] == '!'))
		t[--n] = '\0';
	for (i = 0; i < COUNT(free_words); i++)
		if (strcasecmp(t, free_words[i]) == 0) {
			set_cost(g, 0, KITH_PER_SESSION);
			return 1;
		}
	if (strncmp(t, "\xC2\xA3", 2) != 0 || !isdigit((unsigned char)t[2]))
		return 0;
	amount = strtod(t + 2, &end);
	for (i = 0; i < COUNT(pers); i++)
		if (strcasecmp(end, pers[i]) == 0 && per_of(*end ? end : NULL, &per) && amount <= 100000) {
			set_cost(g, amount, per);
			return 1;
		}
	return 0;
}

int oruk_read_costs(oruk_record *r)
{
	static const char *const fee_keys[] = {"fees", "fees_description", NULL};
	const json_t *options = oruk_array(r->service, "cost_options");
	const char *fees = oruk_string_of(r->im, r->service, fee_keys, 2000);
	int error;

	if (options && json_array_size(options) && (error = read_cost_options(r, options)) != 0)
		return error;
	if (fees && (r->g->cost_known || !read_fees(r->g, fees)))
		return kith_import_append_text(r->im, r->g, "Fees", fees);
	return 0;
}

/* ---- languages ---------------------------------------------------------- */

int oruk_read_languages(oruk_record *r)
{
	static const char *const keys[] = {"language", "code", "name", NULL};
	const json_t *item;
	kith_buf other = KITH_BUF_INIT;
	size_t i;
	int error = 0;

	json_array_foreach(oruk_array(r->service, "languages"), i, item)
	{
		const char *name =
			json_is_string(item) ? json_string_value(item) : oruk_string_of(r->im, item, keys, 100);
		const char *code = name ? kith_import_language(name, strlen(name)) : NULL;
		if (code && (error = kith_import_add_string(r->im, &r->g->languages, code)) != 0)
			goto cleanup;
		if (!code && name && *name)
			kith_buf_printf(&other, "%s%s", other.size ? ", " : "", name);
	}
	if ((error = kith_buf_error(&other)) == 0)
		error = kith_import_append_text(r->im, r->g, "Languages", other.ptr);
cleanup:
	kith_buf_release(&other);
	return error;
}
