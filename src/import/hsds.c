/*
 * Open Referral HSDS (import_int.h): a tabular datapackage (a folder of
 * CSVs, hsds_csv.c) or HSDS 3.0 JSON (a service with its organization,
 * locations and schedules nested, an array of them, or an API page of
 * them).  This file maps one service's fields, the same for both forms,
 * and reads the JSON.  HSDS is mostly American: a ZIP code stays in the
 * address text, areas served stay text, and fees in dollars are not
 * written as pounds.
 */
#include "import/hsds_int.h"

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "model/geo.h"
#include "util/array.h"
#include "util/parse.h"

#define MAX_AGE 120

/* ---- text -------------------------------------------------------------- */

/* s with "\n" written as two characters made real line breaks and "###MON###"-style markers left out, in the arena. */
static char *unescape(importer *im, const char *s)
{
	size_t n = strlen(s), i, k = 0;
	char *out = kith_arena_alloc(&im->arena, n + 1);

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && (s[i + 1] == 'n' || s[i + 1] == 'r')) {
			out[k++] = s[i + 1] == 'n' ? '\n' : ' ';
			i++;
		} else if (s[i] == '#' && strncmp(s + i, "###", 3) == 0) {
			/* 211 Miami marks records for its counties ("###MON###"): not words for a reader */
			size_t j = i + 3;
			while (isupper((unsigned char)s[j]))
				j++;
			if (j > i + 3 && strncmp(s + j, "###", 3) == 0)
				i = j + 2;
			else
				out[k++] = s[i];
		} else {
			out[k++] = s[i];
		}
	}
	out[k] = '\0';
	return out;
}

const char *kith_hsds_text(importer *im, const char *text)
{
	char *s;

	if (!text || !*text || (s = unescape(im, text)) == NULL)
		return NULL;
	return kith_import_text(im, s);
}

const char *kith_hsds_line(importer *im, const char *text)
{
	char *s;

	if (!text || !*text || (s = unescape(im, text)) == NULL)
		return NULL;
	return kith_import_line(im, s);
}

/* 1 when s is NULL or only white space. */
static int blank(const char *s)
{
	return !s || strspn(s, " \t\r\n") == strlen(s);
}

/* s trimmed and in lower case into out (cut to fit). */
static void lower_copy(char *out, size_t size, const char *s)
{
	size_t n;

	while (*s && kith_is_space(*s))
		s++;
	n = strlen(s);
	while (n && kith_is_space(s[n - 1]))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	kith_lower(out);
}

/* ---- schedules --------------------------------------------------------- */

/* The day (0 Monday .. 6 Sunday) a word names: "1".."7", "Monday", "Mondays", "Tues", "MO"; -1. */
static int day_of(const char *w, size_t n)
{
	static const char *const names[7] = {"monday", "tuesday",  "wednesday", "thursday",
					     "friday", "saturday", "sunday"};
	int d;

	if (n == 1 && w[0] >= '1' && w[0] <= '7')
		return w[0] - '1'; /* ISO 8601's numbering, as the HSDS sample uses it: 1 is Monday */
	for (d = 0; d < 7; d++)
		if ((n >= 2 && n <= strlen(names[d]) && strncasecmp(w, names[d], n) == 0) ||
		    (n == strlen(names[d]) + 1 && strncasecmp(w, names[d], n - 1) == 0 &&
		     tolower((unsigned char)w[n - 1]) == 's'))
			return d; /* two letters tell the days apart; "Mondays" is Monday */
	return -1;
}

/* The week of the month an RRULE ordinal names ("1" .. "5", "-1" the last) as KITH_WEEK bits; 0 when none. */
static unsigned week_of(const char **p, int *bad)
{
	const char *s = *p;
	unsigned week = 0;

	if (s[0] == '-' && s[1] == '1' && !isdigit((unsigned char)s[2]))
		week = KITH_WEEK_LAST, s += 2;
	else if (s[0] == '+' && s[1] >= '1' && s[1] <= '5' && !isdigit((unsigned char)s[2]))
		week = KITH_WEEK(s[1] - '0'), s += 2;
	else if (s[0] >= '1' && s[0] <= '5' && isalpha((unsigned char)s[1]))
		week = KITH_WEEK(s[0] - '0'), s += 1;
	else if (s[0] == '-' || s[0] == '+')
		*bad = 1; /* "-2MO": the second to last is not a week the feed can say */
	*p = s;
	return week;
}

/*
 * The days listed in text ("MO,TU", "Monday", "3", RRULE's "2TU,-1FR") as
 * bits (1 << day), each day's weeks of the month in weeks[day] (0: every
 * week); 0 when any word is no day.
 */
static unsigned days_of(const char *text, unsigned weeks[7])
{
	unsigned days = 0, every = 0;
	const char *p = text;
	int bad = 0;

	memset(weeks, 0, 7 * sizeof(*weeks));
	while (*p) {
		size_t n;
		unsigned week;
		int d;
		p += strspn(p, " ,;/\t");
		if (!*p)
			break;
		week = week_of(&p, &bad);
		n = strcspn(p, " ,;/\t");
		if (bad || (d = day_of(p, n)) < 0)
			return 0;
		days |= 1u << d;
		if (week)
			weeks[d] |= week;
		else
			every |= 1u << d;
		p += n;
	}
	for (int d = 0; d < 7; d++)
		if (every & (1u << d))
			weeks[d] = 0; /* every week says more than some */
	return days;
}

/* 1 when an RRULE's freq and interval say a week's or a month's pattern the feed can hold (no freq is weekly). */
static int repeats_plainly(const kith_hsds_opening *o, const unsigned weeks[7])
{
	long interval;
	int d, monthly = 0;

	if (!blank(o->interval) && (kith_parse_int(o->interval, 1, 1000, &interval) != 0 || interval != 1))
		return 0; /* every other week */
	for (d = 0; d < 7; d++)
		monthly |= weeks[d] != 0;
	if (blank(o->freq))
		return 1;
	if (strcasecmp(o->freq, "weekly") == 0 || strcasecmp(o->freq, "daily") == 0)
		return !monthly;
	if (strcasecmp(o->freq, "monthly") == 0)
		return monthly;
	return 0;
}

/* Reads "am", "a.m.", "pm", "p.m." at *p: 1 am, 2 pm, 0 none; moves *p past it. */
static int meridiem_of(const char **p)
{
	const char *s = *p;
	int which;

	while (*s == ' ')
		s++;
	if (tolower((unsigned char)*s) == 'a')
		which = 1;
	else if (tolower((unsigned char)*s) == 'p')
		which = 2;
	else
		return 0;
	s++;
	if (*s == '.')
		s++;
	if (tolower((unsigned char)*s) != 'm')
		return 0;
	s++;
	if (*s == '.')
		s++;
	*p = s;
	return which;
}

/*
 * Minutes after midnight of "09:00", "09:00:00", "09:00-05:00" (the zone
 * is the service's own, so it is left aside), "9:00am", "9 AM", "noon";
 * *said_meridiem says whether am or pm was written.  -1 when unreadable.
 */
static int clock_of(const char *text, int *said_meridiem)
{
	const char *p = text;
	int h = 0, m = 0, digits = 0, which;

	*said_meridiem = 0;
	while (*p == ' ')
		p++;
	if (strncasecmp(p, "noon", 4) == 0 && blank(p + 4))
		return 12 * 60;
	if (strncasecmp(p, "midnight", 8) == 0 && blank(p + 8))
		return 0;
	for (; isdigit((unsigned char)*p) && digits < 2; p++, digits++)
		h = h * 10 + (*p - '0');
	if (!digits)
		return -1;
	if ((*p == ':' || *p == '.') && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2])) {
		m = (p[1] - '0') * 10 + (p[2] - '0');
		p += 3;
		if (*p == ':' && isdigit((unsigned char)p[1]) && isdigit((unsigned char)p[2]))
			p += 3; /* seconds */
		if (*p == 'Z' || ((*p == '+' || *p == '-') && isdigit((unsigned char)p[1])))
			p += *p == 'Z' ? 1 : strspn(p + 1, "0123456789:") + 1;
	}
	which = meridiem_of(&p);
	if (!blank(p) || m > 59)
		return -1;
	*said_meridiem = which != 0;
	if (which) {
		if (h < 1 || h > 12)
			return -1;
		return ((h % 12) + (which == 2 ? 12 : 0)) * 60 + m;
	}
	if (h > 24 || (h == 24 && m))
		return -1;
	return h * 60 + m;
}

/* Adds a session unless g has it already. */
static int add_session_once(importer *im, kith_group *g, int day, int start, int end, unsigned weeks)
{
	size_t i;

	for (i = 0; i < g->session_count; i++)
		if (g->sessions[i].day == day && g->sessions[i].start == start && g->sessions[i].end == end &&
		    g->sessions[i].weeks == weeks)
			return 0;
	return kith_import_add_session(im, g, day, start, end, weeks);
}

/* valid_from and valid_to as the course's dates: the earliest start and the latest end of the sessions read. */
static void course_dates(importer *im, kith_group *g, const kith_hsds_opening *o)
{
	const char *from = kith_import_date(im, o->valid_from), *to = kith_import_date(im, o->valid_to);

	if (from && (!g->starts || strcmp(from, g->starts) < 0))
		g->starts = from;
	if (to && (!g->ends || strcmp(to, g->ends) > 0))
		g->ends = to;
}

/* Minutes of opens and closes into *start, *end; 0, or -1 (warned) when they cannot be a session. */
static int opening_times(importer *im, const kith_hsds_opening *o, int *start, int *end)
{
	int opens_meridiem, closes_meridiem;

	*start = clock_of(o->opens, &opens_meridiem);
	*end = clock_of(o->closes, &closes_meridiem);
	if (*start < 0 || *end < 0) {
		kith_import_warn(im, o->line, 0, "%s: a time that cannot be read ('%s' to '%s'): left out", o->what,
				 o->opens, o->closes);
		return -1;
	}
	if (*end == 0 || *end == 24 * 60)
		*end = 24 * 60 - 1; /* closes at midnight: the feed's day ends at 23:59 */
	else if (opens_meridiem && !closes_meridiem && *end <= *start && *end < 12 * 60)
		*end += 12 * 60; /* "9:00am" to "5:00": the afternoon */
	if (*end <= *start) {
		kith_import_warn(im, o->line, 0, "%s: opens at '%s', after it closes at '%s': left out", o->what,
				 o->opens, o->closes);
		return -1;
	}
	return 0;
}

int kith_hsds_schedule(importer *im, kith_group *g, const kith_hsds_opening *o)
{
	const char *days = o->days;
	unsigned set, weeks[7];
	int start, end, d, added = 0, error;

	if (blank(days) && blank(o->opens) && blank(o->closes))
		return 0;
	if (blank(days) && !blank(o->freq) && strcasecmp(o->freq, "daily") == 0 && blank(o->interval))
		days = "MO,TU,WE,TH,FR,SA,SU";
	if (blank(days) || (set = days_of(days, weeks)) == 0) {
		kith_import_warn(im, o->line, 0, "%s: unknown weekday '%s': left out", o->what, days ? days : "");
		return 0;
	}
	if (!repeats_plainly(o, weeks)) {
		kith_import_warn(im, o->line, 0, "%s: repeats '%s'%s%s: not a weekly or monthly pattern, left out",
				 o->what, o->freq ? o->freq : "", blank(o->interval) ? "" : " every ",
				 blank(o->interval) ? "" : o->interval);
		return 0;
	}
	if (blank(o->opens) || blank(o->closes))
		return 0; /* a day with no times: the hours may be written as text */
	if (opening_times(im, o, &start, &end) != 0)
		return 0;
	for (d = 0; d < 7; d++)
		if (set & (1u << d)) {
			if (g->session_count >= KITH_HSDS_MAX_SESSIONS) {
				if (o->overflow)
					*o->overflow = 1;
				break;
			}
			if ((error = add_session_once(im, g, d, start, end, weeks[d])) != 0)
				return error;
			added++;
		}
	course_dates(im, g, o);
	return added;
}

/* ---- languages ----------------------------------------------------------- */

int kith_hsds_language(importer *im, kith_group *g, const char *language)
{
	char text[512], code[3];
	const char *p, *c;
	size_t n;
	int error, unread = 0, words = 0;

	if (blank(language))
		return 0;
	lower_copy(text, sizeof(text), language);
	/* "Spanish", "es, fr", "Haitian Creole", "Spanish (limited)": each word a language or a filler */
	for (p = text; *p; p += n) {
		p += strspn(p, " ,;/()-.\t\r\n\\");
		if (!*p)
			break;
		n = strcspn(p, " ,;/()-.\t\r\n\\");
		words++;
		if ((c = kith_import_language(p, n)) != NULL) {
			memcpy(code, c, 3);
			if ((error = kith_import_add_string(im, &g->languages, code)) != 0)
				return error;
		} else if (!(n == 3 && strncmp(p, "and", 3) == 0) && !(n == 7 && strncmp(p, "limited", 7) == 0)) {
			unread = 1;
		}
	}
	/* what is more than names ("other languages available upon request") is worth reading */
	return unread && words ? kith_import_append_text(im, g, "Languages", language) : 0;
}

/* ---- accessibility ----------------------------------------------------- */

/* 1 when text holds word as a word of its own (not inside another). */
static int has_word(const char *text, const char *word)
{
	const char *p = text;
	size_t n = strlen(word);

	while ((p = strstr(p, word)) != NULL) {
		int starts = p == text || !isalnum((unsigned char)p[-1]);
		int ends = !isalnum((unsigned char)p[n]);
		if (starts && ends)
			return 1;
		p++;
	}
	return 0;
}

static int has_any(const char *text, const char *const *words)
{
	for (; *words; words++)
		if (has_word(text, *words))
			return 1;
	return 0;
}

int kith_hsds_access(importer *im, kith_group *g, const char *accessibility, const char *details)
{
	static const char *const wheelchair[] = {"wheelchair",
						 "handicap accessible",
						 "handicapped accessible",
						 "ada accessible",
						 "ada compliant",
						 "fully accessible",
						 NULL};
	static const char *const not_wheelchair[] = {"not wheelchair", "no wheelchair", "not handicap",
						     "not accessible", NULL};
	static const char *const step_free[] = {"ramp", "elevator", "step-free", "step free", "level access", NULL};
	static const char *const parking[] = {"disabled_parking", "disabled parking",    "accessible parking",
					      "handicap parking", "handicapped parking", NULL};
	static const char *const toilet[] = {"restroom", "accessible toilet", "accessible restroom",
					     "accessible bathroom", NULL};
	static const char *const loop[] = {"hearing loop", "induction loop", "loop system", NULL};
	char text[1024];
	int read = 0;

	if (blank(accessibility))
		return blank(details) ? 0 : kith_import_append_text(im, g, "Accessibility", details);
	lower_copy(text, sizeof(text), accessibility);
	if (has_any(text, not_wheelchair)) {
		g->access[KITH_ACCESS_WHEELCHAIR] = KITH_TRI_NO;
		read = 1;
	} else if (has_any(text, wheelchair) && !has_word(text, "wheelchair_van")) {
		g->access[KITH_ACCESS_WHEELCHAIR] = KITH_TRI_YES;
		read = 1;
	}
	if (has_any(text, step_free) && !has_word(text, "no ramp") && !has_word(text, "no elevator"))
		g->access[KITH_ACCESS_STEP_FREE] = KITH_TRI_YES, read = 1;
	if (has_any(text, parking))
		g->access[KITH_ACCESS_PARKING] = KITH_TRI_YES, read = 1;
	if (has_any(text, toilet))
		g->access[KITH_ACCESS_ACCESSIBLE_TOILET] = KITH_TRI_YES, read = 1;
	if (has_any(text, loop))
		g->access[KITH_ACCESS_HEARING_LOOP] = KITH_TRI_YES, read = 1;
	if (!read && kith_import_append_text(im, g, "Accessibility", accessibility) != 0)
		return KITH_ENOMEM;
	return blank(details) ? 0 : kith_import_append_text(im, g, "Accessibility", details);
}

/* ---- eligibility, fees, status ---------------------------------------- */

typedef struct age_reading {
	int min, max;
	int sure;   /* expressions read surely */
	int unsure; /* numbers that look like ages but say nothing sure ("over 18": 18 or 19?) */
} age_reading;

/* 1 when text at p starts with one of the phrases (after spaces). */
static const char *phrase_at(const char *p, const char *const *phrases)
{
	while (*p == ' ')
		p++;
	for (; *phrases; phrases++)
		if (strncmp(p, *phrases, strlen(*phrases)) == 0)
			return p + strlen(*phrases);
	return NULL;
}

/* Reads the age expression around the number n that runs from start to end in text (lower case). */
static const char *read_age(const char *text, const char *start, const char *end, int n, age_reading *r)
{
	static const char *const units[] = {"years of age", "years old", "year olds", "year-olds",
					    "years",        "yrs",       "year",      NULL};
	static const char *const upward[] = {"and over", "and older", "and up",   "and above",
					     "or older", "or over",   "or above", NULL};
	const char *p = end, *after;
	int m;

	if (*p == '+') {
		r->min = n, r->max = -1, r->sure++;
		return p + 1;
	}
	if ((after = phrase_at(p, (const char *const[]){"-", "to ", "through ", NULL})) != NULL) {
		while (*after == ' ')
			after++;
		if (isdigit((unsigned char)*after)) {
			for (m = 0; isdigit((unsigned char)*after) && m <= MAX_AGE; after++)
				m = m * 10 + (*after - '0');
			if (m >= n && m <= MAX_AGE) {
				r->min = n, r->max = m, r->sure++;
				return after;
			}
		}
	}
	if ((after = phrase_at(p, units)) != NULL)
		p = after;
	if ((after = phrase_at(p, upward)) != NULL) {
		r->min = n, r->max = -1, r->sure++;
		return after;
	}
	if (start - text >= 6 && strncmp(start - 6, "under ", 6) == 0 && n > 0) {
		r->min = -1, r->max = n - 1, r->sure++;
		return p;
	}
	if (p != end ||
	    (start - text >= 5 && (strncmp(start - 5, "over ", 5) == 0 || strncmp(start - 5, "ages ", 5) == 0)))
		r->unsure++; /* "5 years", "over 18": an age, but not a sure bound */
	return p;
}

/* Ages when the text states exactly one bound or range ("18+", "ages 5-17", "60 and older", "under 18"). */
static void read_ages(kith_group *g, const char *text)
{
	age_reading r = {-1, -1, 0, 0};
	const char *p = text;

	while (*p) {
		const char *start = p;
		int n = 0;
		if (!isdigit((unsigned char)*p) || (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '$'))) {
			p++;
			continue;
		}
		for (; isdigit((unsigned char)*p) && n <= MAX_AGE; p++)
			n = n * 10 + (*p - '0');
		if (isdigit((unsigned char)*p) || n > MAX_AGE) {
			p += strspn(p, "0123456789");
			continue;
		}
		p = read_age(text, start, p, n, &r);
	}
	if (r.sure == 1 && !r.unsure) {
		g->min_age = r.min;
		g->max_age = r.max;
	}
}

int kith_hsds_eligibility(importer *im, kith_group *g, const char *text)
{
	static const char *const female[] = {"women", "woman", "female", "females", "girls", "women only", NULL};
	static const char *const male[] = {"men", "man", "male", "males", "boys", "men only", NULL};
	char lower[4096];
	size_t n, i;
	const char *plain = kith_hsds_text(im, text);

	if (blank(plain))
		return 0;
	lower_copy(lower, sizeof(lower), plain);
	if ((n = strlen(lower)) && lower[n - 1] == '.')
		lower[n - 1] = '\0';
	read_ages(g, lower);
	for (i = 0; female[i]; i++)
		if (strcmp(lower, female[i]) == 0)
			g->gender = KITH_GENDER_FEMALE;
	for (i = 0; male[i]; i++)
		if (strcmp(lower, male[i]) == 0)
			g->gender = KITH_GENDER_MALE;
	return kith_import_append_text(im, g, "Eligibility", plain);
}

/* A whole number of years 0..MAX_AGE, or -1. */
static int age_of(const char *text)
{
	long n;
	double d;

	if (blank(text))
		return -1;
	if (kith_parse_int(text, 0, MAX_AGE, &n) == 0)
		return (int)n;
	if (kith_parse_decimal(text, strlen(text), &d) == 0 && d >= 0 && d <= MAX_AGE && d == floor(d))
		return (int)d; /* JSON's 18.0 */
	return -1;
}

void kith_hsds_ages(kith_group *g, const char *minimum, const char *maximum)
{
	int lo = age_of(minimum), hi = age_of(maximum);

	if (lo >= 0 && hi >= 0 && hi < lo)
		return; /* a range that ends before it starts says nothing sure */
	if (lo >= 0)
		g->min_age = lo;
	if (hi >= 0)
		g->max_age = hi;
}

int kith_hsds_fees(importer *im, kith_group *g, const char *fees)
{
	static const char *const free_words[] = {"free", "no fee", "no fees",   "no cost",        "none",         "$0",
						 "0",    "$0.00",  "no charge", "free of charge", "free service", NULL};
	const char *plain = kith_hsds_text(im, fees);
	char lower[256];
	size_t i, n;

	if (blank(plain))
		return 0;
	lower_copy(lower, sizeof(lower), plain);
	if ((n = strlen(lower)) && lower[n - 1] == '.')
		lower[n - 1] = '\0';
	for (i = 0; free_words[i]; i++)
		if (strcmp(lower, free_words[i]) == 0) {
			g->cost_known = 1;
			g->cost_free = 1;
			g->cost_amount = 0;
			return 0;
		}
	return kith_import_append_text(im, g, "Fees", plain);
}

/* How often a price is paid, from the words around it ("per week", "a month", "for the course"). */
static kith_cost_per cost_per(const char *words)
{
	char lower[256];

	if (!words)
		return KITH_PER_SESSION;
	lower_copy(lower, sizeof(lower), words);
	if (strstr(lower, "week"))
		return KITH_PER_WEEK;
	if (strstr(lower, "month"))
		return KITH_PER_MONTH;
	if (strstr(lower, "course") || strstr(lower, "term"))
		return KITH_PER_COURSE;
	return KITH_PER_SESSION;
}

int kith_hsds_cost_option(importer *im, kith_group *g, const char *amount, const char *currency, const char *option)
{
	kith_buf b = KITH_BUF_INIT;
	double value;
	int error;

	if (blank(amount) || kith_parse_decimal(amount, strlen(amount), &value) != 0 || value < 0 || value > 1e6)
		return blank(option) ? 0 : kith_import_append_text(im, g, "Cost", option);
	if (value == 0) {
		g->cost_known = g->cost_free = 1;
		g->cost_amount = 0;
		return 0;
	}
	if (currency && strcasecmp(currency, "GBP") == 0 && !(g->cost_known && g->cost_free)) {
		g->cost_known = 1; /* the feed's amounts are pounds: another currency stays text */
		g->cost_free = 0;
		g->cost_amount = value;
		g->cost_per = cost_per(option);
		return 0;
	}
	kith_buf_init(&b, 1024);
	kith_buf_printf(&b, "%s%s%s %s", option ? option : "", option ? ": " : "", amount, currency ? currency : "");
	error = kith_buf_error(&b) ? KITH_ENOMEM : kith_import_append_text(im, g, "Cost", b.ptr);
	kith_buf_release(&b);
	return error;
}

int kith_hsds_ended(kith_group *g, const char *status)
{
	char lower[64];

	if (blank(status))
		return 0;
	lower_copy(lower, sizeof(lower), status);
	if (strcmp(lower, "inactive") == 0 || strcmp(lower, "defunct") == 0)
		return 1;
	if (strcmp(lower, "temporarily closed") == 0)
		g->capacity = KITH_CAPACITY_CLOSED;
	else if (strcmp(lower, "active") == 0)
		g->capacity = KITH_CAPACITY_OPEN;
	return 0;
}

int kith_hsds_also_known(importer *im, kith_group *g, const char *alternate_name)
{
	const char *name = kith_hsds_line(im, alternate_name);

	if (blank(name) || (g->name && strcasecmp(name, g->name) == 0))
		return 0;
	return kith_import_append_text(im, g, "Also known as", name);
}

/* ---- place, taxonomy, contact, dates ----------------------------------- */

/* A coordinate in [-limit, limit], or NAN. */
static double coordinate(const char *text, double limit)
{
	double d;

	if (blank(text) || kith_parse_decimal(text, strlen(text), &d) != 0 || !isfinite(d) || d < -limit || d > limit)
		return NAN;
	return d;
}

/* Sets v's point from latitude and longitude, or warns why not. */
static void place_point(importer *im, kith_venue *v, const char *latitude, const char *longitude, unsigned line)
{
	double lat, lon;

	if (blank(latitude) && blank(longitude))
		return;
	lat = coordinate(latitude, 90);
	lon = coordinate(longitude, 180);
	if (isnan(lat) || isnan(lon)) {
		kith_import_warn(im, line, 0, "latitude '%s', longitude '%s' is no point on the earth: left out",
				 latitude ? latitude : "", longitude ? longitude : "");
		return;
	}
	if (lat == 0 && lon == 0) {
		kith_import_warn(im, line, 0, "the point 0, 0 is a missing point, not a place: left out");
		return;
	}
	v->point.lat = lat;
	v->point.lon = lon;
	v->point.known = 1;
}

int kith_hsds_place(importer *im, kith_group *g, const char *const *address_lines, size_t line_count,
		    const char *postcode, const char *latitude, const char *longitude, unsigned line)
{
	kith_buf address = KITH_BUF_INIT;
	kith_venue *v, probe;
	char uk[10];
	size_t i;
	int error = 0, is_uk = !blank(postcode) && kith_geo_postcode_normal(uk, postcode) == 0;

	kith_buf_init(&address, 4096);
	for (i = 0; i < line_count; i++)
		if (!blank(address_lines[i]))
			kith_buf_printf(&address, "%s%s", address.size ? ", " : "", address_lines[i]);
	if (!blank(postcode) && !is_uk) /* a ZIP code: part of the address, not a UK postcode */
		kith_buf_printf(&address, "%s%s", address.size ? " " : "", postcode);
	memset(&probe, 0, sizeof(probe));
	place_point(im, &probe, latitude, longitude, line);
	if (!address.size && !is_uk && !probe.point.known)
		goto cleanup;
	if ((v = kith_import_add_venue(im, g)) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	v->point = probe.point;
	v->line = line;
	if (address.size && !kith_buf_error(&address) &&
	    (v->address = kith_arena_strndup(&im->arena, address.ptr, address.size)) == NULL)
		error = KITH_ENOMEM;
	if (is_uk && (v->postcode = kith_arena_strdup(&im->arena, uk)) == NULL)
		error = KITH_ENOMEM;
cleanup:
	kith_buf_release(&address);
	return error;
}

int kith_hsds_taxonomy(importer *im, kith_group *g, const char *code, const char *name)
{
	/* by its code, else (a code the table does not know) by its name */
	if ((blank(code) || !kith_import_taxonomy(im, g, "open211", code)) && !blank(name))
		kith_import_taxonomy(im, g, "open211", name);
	return 0;
}

int kith_hsds_phone(importer *im, kith_group *g, const char *number, const char *extension)
{
	kith_buf b = KITH_BUF_INIT;
	int error = 0;

	if (g->phone || blank(number))
		return 0;
	kith_buf_init(&b, 256);
	kith_buf_puts(&b, number);
	if (!blank(extension))
		kith_buf_printf(&b, " ext. %s", extension);
	if (!kith_buf_error(&b) && (g->phone = kith_arena_strdup(&im->arena, b.ptr)) == NULL)
		error = KITH_ENOMEM;
	kith_buf_release(&b);
	return error;
}

void kith_hsds_updated(importer *im, kith_group *g, const char *date)
{
	const char *d = kith_import_date(im, date);

	if (d && (!g->updated || strcmp(d, g->updated) > 0))
		g->updated = d;
}

/* ---- HSDS 3.0 JSON ----------------------------------------------------- */

/* A member as a string (numbers written out), or NULL; the string lives in the arena or the JSON. */
static const char *member(importer *im, const json_t *o, const char *key)
{
	const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
	char number[64];

	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(number, sizeof(number), "%lld", (long long)json_integer_value(v));
		return kith_arena_strdup(&im->arena, number);
	}
	if (json_is_real(v)) {
		snprintf(number, sizeof(number), "%.17g", json_real_value(v));
		return kith_arena_strdup(&im->arena, number);
	}
	return NULL;
}

/* The array member key, or NULL. */
static const json_t *array_member(const json_t *o, const char *key)
{
	const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;

	return json_is_array(v) ? v : NULL;
}

/* The context one JSON import keeps. */
typedef struct json_reader {
	importer *im;
	size_t index; /* the service being read, from 1 */
} json_reader;

static int json_schedules(json_reader *r, kith_group *g, const json_t *schedules, kith_buf *hours)
{
	size_t i;
	const json_t *s;
	int added, overflow = 0;

	json_array_foreach(schedules, i, s)
	{
		kith_hsds_opening o;
		const char *text = member(r->im, s, "description");
		char what[64];
		snprintf(what, sizeof(what), "service %zu: schedule %zu", r->index, i + 1);
		memset(&o, 0, sizeof(o));
		o.days = member(r->im, s, "byday") ? member(r->im, s, "byday") : member(r->im, s, "weekday");
		o.opens = member(r->im, s, "opens_at");
		o.closes = member(r->im, s, "closes_at");
		o.freq = member(r->im, s, "freq");
		o.interval = member(r->im, s, "interval");
		o.valid_from = member(r->im, s, "valid_from");
		o.valid_to = member(r->im, s, "valid_to");
		o.what = what;
		o.overflow = &overflow;
		if ((added = kith_hsds_schedule(r->im, g, &o)) < 0)
			return added;
		if (!added && !blank(text))
			kith_buf_printf(hours, "%s%s", hours->size ? "; " : "", text);
	}
	if (overflow)
		kith_import_warn(r->im, 0, 0, "service %zu: more than %d sessions: the rest left out", r->index,
				 KITH_HSDS_MAX_SESSIONS);
	return 0;
}

static int json_location(json_reader *r, kith_group *g, const json_t *loc, kith_buf *hours)
{
	const json_t *addresses = array_member(loc, "addresses"), *a = NULL, *x;
	const char *lines[6] = {NULL}, *postcode = NULL, *type = member(r->im, loc, "location_type");
	size_t i;
	int error = 0;

	if (type && strcasecmp(type, "virtual") == 0) {
		g->online = 1;
		return 0;
	}
	json_array_foreach(addresses, i, x)
	{
		const char *kind = member(r->im, x, "address_type");
		if (!a || (kind && strcasecmp(kind, "physical") == 0))
			a = x; /* the first address, or the physical one where a postal one comes first */
	}
	if (a) {
		lines[0] = member(r->im, a, "address_1");
		lines[1] = member(r->im, a, "address_2");
		lines[2] = member(r->im, a, "city");
		lines[3] = member(r->im, a, "state_province");
		postcode = member(r->im, a, "postal_code");
	}
	if ((error = kith_hsds_place(r->im, g, lines, 4, postcode, member(r->im, loc, "latitude"),
				     member(r->im, loc, "longitude"), 0)) != 0)
		return error;
	json_array_foreach(array_member(loc, "accessibility"), i, x)
	{
		if ((error = kith_hsds_access(r->im, g, member(r->im, x, "description"),
					      member(r->im, x, "details"))) != 0)
			return error;
	}
	json_array_foreach(array_member(loc, "languages"), i, x)
	{
		const char *code = member(r->im, x, "code");
		if ((error = kith_hsds_language(r->im, g, code ? code : member(r->im, x, "name"))) != 0)
			return error;
	}
	json_array_foreach(array_member(loc, "phones"), i, x)
	{
		if ((error = kith_hsds_phone(r->im, g, member(r->im, x, "number"), member(r->im, x, "extension"))) != 0)
			return error;
	}
	return json_schedules(r, g, array_member(loc, "schedules"), hours);
}

/* The service's lists: locations, schedules, phones, languages, taxonomy, areas. */
static int json_lists(json_reader *r, kith_group *g, const json_t *svc, kith_buf *hours)
{
	const json_t *x;
	size_t i;
	int error = 0;

	json_array_foreach(array_member(svc, "service_at_locations"), i, x)
	{
		const json_t *loc = json_object_get(x, "location");
		if (i == KITH_HSDS_MAX_PLACES)
			break; /* each venue added copies those before it */
		if (json_is_object(loc) && (error = json_location(r, g, loc, hours)) != 0)
			return error;
		if ((error = json_schedules(r, g, array_member(x, "schedules"), hours)) != 0)
			return error;
	}
	if ((error = json_schedules(r, g, array_member(svc, "schedules"), hours)) != 0)
		return error;
	json_array_foreach(array_member(svc, "phones"), i, x)
	{
		if ((error = kith_hsds_phone(r->im, g, member(r->im, x, "number"), member(r->im, x, "extension"))) != 0)
			return error;
	}
	json_array_foreach(array_member(svc, "languages"), i, x)
	{
		const char *code = member(r->im, x, "code");
		if ((error = kith_hsds_language(r->im, g, code ? code : member(r->im, x, "name"))) != 0)
			return error;
	}
	json_array_foreach(array_member(svc, "attributes"), i, x)
	{
		const json_t *term = json_object_get(x, "taxonomy_term");
		if ((error = kith_hsds_taxonomy(r->im, g, member(r->im, term, "code"), member(r->im, term, "name"))) !=
		    0)
			return error;
	}
	json_array_foreach(array_member(svc, "cost_options"), i, x)
	{
		if ((error = kith_hsds_cost_option(r->im, g, member(r->im, x, "amount"), member(r->im, x, "currency"),
						   member(r->im, x, "option"))) != 0)
			return error;
	}
	json_array_foreach(array_member(svc, "service_areas"), i, x)
	{
		const char *area = member(r->im, x, "name");
		if ((error = kith_import_append_text(r->im, g, "Area served",
						     area ? area : member(r->im, x, "description"))) != 0)
			return error;
	}
	return 0;
}

/* The service's own fields and its organization. */
static int json_fields(json_reader *r, kith_group *g, const json_t *svc)
{
	importer *im = r->im;
	const json_t *org = json_object_get(svc, "organization");
	const char *fees = member(im, svc, "fees_description");
	int error = 0;

	g->name = kith_hsds_line(im, member(im, svc, "name"));
	g->description = kith_hsds_text(im, member(im, svc, "description"));
	g->organisation = kith_hsds_line(im, member(im, org, "name"));
	g->web = member(im, svc, "url");
	g->email = member(im, svc, "email");
	if (!g->web)
		g->web = member(im, org, "website") ? member(im, org, "website") : member(im, org, "url");
	kith_hsds_updated(im, g, member(im, svc, "assured_date"));
	kith_hsds_updated(im, g, member(im, svc, "last_modified"));
	kith_hsds_ages(g, member(im, svc, "minimum_age"), member(im, svc, "maximum_age"));
	if ((error = kith_hsds_also_known(im, g, member(im, svc, "alternate_name"))) != 0 ||
	    (error = kith_hsds_eligibility(im, g, member(im, svc, "eligibility_description"))) != 0 ||
	    (error = kith_hsds_fees(im, g, fees ? fees : member(im, svc, "fees"))) != 0 ||
	    (error = kith_import_append_text(im, g, "How to apply",
					     kith_hsds_text(im, member(im, svc, "application_process")))) != 0 ||
	    (error = kith_import_append_text(im, g, "Interpretation",
					     kith_hsds_text(im, member(im, svc, "interpretation_services")))) != 0)
		return error;
	return 0;
}

static int json_service(json_reader *r, const json_t *svc)
{
	importer *im = r->im;
	kith_group g;
	kith_buf hours = KITH_BUF_INIT;
	const char *id = member(im, svc, "id");
	int error = 0;

	im->report->records++;
	if (!json_is_object(svc)) {
		kith_import_skip(im, 0, 0, "service %zu is not an object: left out", r->index);
		return 0;
	}
	if (blank(id)) {
		kith_import_skip(im, 0, 0, "service %zu has no id: left out", r->index);
		return 0;
	}
	kith_import_group_init(&g);
	kith_buf_init(&hours, KITH_IMPORT_MAX_TEXT);
	if (kith_hsds_ended(&g, member(im, svc, "status"))) {
		kith_import_skip(im, 0, 0, "service %zu (id %s) is %s: left out", r->index, id,
				 member(im, svc, "status"));
		goto cleanup;
	}
	if ((error = json_fields(r, &g, svc)) != 0 || (error = json_lists(r, &g, svc, &hours)) != 0)
		goto cleanup;
	if (hours.size && !g.session_count && kith_import_hours(im, &g, hours.ptr) == 0) {
		im->report->hours_text++;
		if ((error = kith_import_append_text(im, &g, "Hours", hours.ptr)) != 0)
			goto cleanup;
	}
	if (blank(g.name)) {
		kith_import_skip(im, 0, 0, "service %zu (id %s) has no name: left out", r->index, id);
		goto cleanup;
	}
	error = kith_import_emit(im, &g, id, 0, 0);
cleanup:
	kith_buf_release(&hours);
	return error;
}

/* The services of a document: one service, an array of them, or a page ({"contents": [...]}). */
static int read_json(importer *im, const char *path)
{
	json_reader r;
	json_t *root;
	const json_t *list = NULL, *svc;
	size_t i;
	int error = 0;

	memset(&r, 0, sizeof(r));
	r.im = im;
	if ((root = kith_import_json(im, path, &error)) == NULL)
		return error;
	if (json_is_array(root))
		list = root;
	else if (json_is_array(json_object_get(root, "contents")))
		list = json_object_get(root, "contents");
	else if (!json_is_object(root) || !json_is_string(json_object_get(root, "name"))) {
		error = kith_import_fail(im, KITH_EINVALID, 1, 1,
					 "expected HSDS: a datapackage folder, a service, an array of services, or a "
					 "page with 'contents'");
		goto cleanup;
	}
	if (!list) {
		r.index = 1;
		error = json_service(&r, root);
		goto cleanup;
	}
	json_array_foreach(list, i, svc)
	{
		r.index = i + 1;
		if ((error = json_service(&r, svc)) != 0)
			goto cleanup;
	}
cleanup:
	json_decref(root);
	return error;
}

int kith_import_hsds(importer *im, const char *path)
{
	struct stat st;
	const char *base = strrchr(path, '/');

	if (stat(path, &st) != 0)
		return kith_import_fail(im, KITH_EIO, 0, 0, "cannot be read: no such file or folder");
	if (S_ISDIR(st.st_mode))
		return kith_hsds_read_folder(im, path);
	if (strcmp(base ? base + 1 : path, "datapackage.json") == 0 ||
	    strcmp(base ? base + 1 : path, "services.csv") == 0) {
		/* the datapackage's descriptor, or its services table, names its folder */
		char folder[4096];
		if (!base)
			snprintf(folder, sizeof(folder), ".");
		else
			snprintf(folder, sizeof(folder), "%.*s", base == path ? 1 : (int)(base - path), path);
		return kith_hsds_read_folder(im, folder);
	}
	return read_json(im, path);
}
