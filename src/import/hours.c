/*
 * Opening hours written as text, read into sessions only when sure
 * (import_int.h): every part must name its days and one time range, or say
 * it is closed.  "Mon-Fri 9am-5pm; Sat 10:00-12:00" and "first Wednesday of
 * the month, 2pm to 4pm" are sure; "Tuesday and Thursday evenings" or
 * "term time only" are not, and stay text.
 */
#include "import/import_int.h"

#include <ctype.h>
#include <string.h>

#define MAX_PARTS 16

static const char *const day_words[7][3] = {
	{"monday", "mon", "mondays"},     {"tuesday", "tue", "tuesdays"}, {"wednesday", "wed", "wednesdays"},
	{"thursday", "thu", "thursdays"}, {"friday", "fri", "fridays"},   {"saturday", "sat", "saturdays"},
	{"sunday", "sun", "sundays"},
};

/* One word of the text: letters, digits, or a single other character. */
typedef struct word {
	char text[24];
} word;

static size_t split(const char *s, word *w, size_t max)
{
	size_t n = 0;

	while (*s && n < max) {
		size_t k = 0;
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (isalnum((unsigned char)*s)) {
			/* a time like 9.30 or 09:00 stays one word */
			while (*s && (isalnum((unsigned char)*s) ||
				      ((*s == ':' || *s == '.') && isdigit((unsigned char)s[1]) && k &&
				       isdigit((unsigned char)w[n].text[k - 1]))))
				if (k < sizeof(w[n].text) - 1)
					w[n].text[k++] = (char)tolower((unsigned char)*s++);
				else
					s++;
		} else if ((unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
			   ((unsigned char)s[2] == 0x93 || (unsigned char)s[2] == 0x94)) {
			w[n].text[k++] = '-'; /* an en or em dash */
			s += 3;
		} else {
			w[n].text[k++] = *s++;
		}
		w[n++].text[k] = '\0';
	}
	return *s ? 0 : n; /* a text too long to read word by word is not sure */
}

static int day_of(const char *t)
{
	int d, k;

	for (d = 0; d < 7; d++)
		for (k = 0; k < 3; k++)
			if (strcmp(t, day_words[d][k]) == 0 ||
			    (k == 1 && strncmp(t, day_words[d][1], 3) == 0 && strlen(t) <= 5 &&
			     strncmp(day_words[d][0], t, strlen(t)) == 0))
				return d;
	return -1;
}

/* Minutes after midnight of "9", "9am", "9.30pm", "09:00", "noon", "midday" (with the next word "am"/"pm"); -1. */
static int time_of(const char *t, const char *next, int *used_next)
{
	int h = 0, m = 0, digits = 0;
	const char *p = t;
	const char *suffix;

	*used_next = 0;
	if (strcmp(t, "noon") == 0 || strcmp(t, "midday") == 0)
		return 12 * 60;
	while (isdigit((unsigned char)*p) && digits < 2) {
		h = h * 10 + (*p++ - '0');
		digits++;
	}
	if (!digits)
		return -1;
	if (*p == ':' || *p == '.') {
		p++;
		if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
			return -1;
		m = (p[0] - '0') * 10 + (p[1] - '0');
		p += 2;
	} else if (digits == 2 && isdigit((unsigned char)*p) && isdigit((unsigned char)p[1]) && !p[2]) {
		return -1; /* 0900 is a time, but "1230" may be anything */
	}
	suffix = *p ? p : (next && (strcmp(next, "am") == 0 || strcmp(next, "pm") == 0) ? next : "");
	if (!*p && *suffix)
		*used_next = 1;
	if (strcmp(suffix, "pm") == 0 && h < 12)
		h += 12;
	else if (strcmp(suffix, "am") == 0 && h == 12)
		h = 0;
	else if (*suffix && strcmp(suffix, "am") != 0 && strcmp(suffix, "pm") != 0)
		return -1;
	if (h > 24 || m > 59 || (h == 24 && m))
		return -1;
	/* a bare hour without am/pm or minutes is not a time ("2 groups") */
	if (!*suffix && t[digits] == '\0')
		return -2;
	return h * 60 + m;
}

static unsigned week_of(const char *t)
{
	static const char *const words[6][2] = {{"first", "1st"},  {"second", "2nd"}, {"third", "3rd"},
						{"fourth", "4th"}, {"fifth", "5th"},  {"last", "last"}};
	int i;

	for (i = 0; i < 6; i++)
		if (strcmp(t, words[i][0]) == 0 || strcmp(t, words[i][1]) == 0)
			return i < 5 ? KITH_WEEK(i + 1) : KITH_WEEK_LAST;
	return 0;
}

/* Words that may stand between the parts without changing their meaning. */
static int filler(const char *t)
{
	static const char *const words[] = {"and",  "&",    "of", "the", "month", "every",   "each",
					    "from", "open", "on", "at",  "hours", "opening", "s",
					    "'",    "(",    ")",  ".",   "and",   "also"};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(t, words[i]) == 0)
			return 1;
	return 0;
}

typedef struct part {
	unsigned days; /* bit per day */
	unsigned weeks;
	int start, end;
	int closed;
} part;

/* Reads w[0..n) as parts; 0 when anything in it is not sure. */
static size_t read_parts(const word *w, size_t n, part *parts)
{
	size_t i, count = 0;
	part cur = {0, 0, -1, -1, 0};
	int pending_range = 0, last_day = -1;

	for (i = 0; i < n; i++) {
		const char *t = w[i].text;
		int d = day_of(t), used = 0, tm;
		unsigned wk;
		if (d >= 0) {
			if (cur.start >= 0 || cur.closed) { /* a new part */
				if (count == MAX_PARTS)
					return 0;
				parts[count++] = cur;
				memset(&cur, 0, sizeof(cur));
				cur.start = cur.end = -1;
			}
			if (pending_range && last_day >= 0) {
				int k;
				for (k = last_day; k != d; k = (k + 1) % 7)
					cur.days |= 1u << k;
				pending_range = 0;
			}
			cur.days |= 1u << d;
			last_day = d;
			continue;
		}
		if (strcmp(t, "weekdays") == 0 || strcmp(t, "weekday") == 0) {
			cur.days |= 0x1F;
			continue;
		}
		if (strcmp(t, "daily") == 0 || (strcmp(t, "day") == 0 && i && strcmp(w[i - 1].text, "every") == 0)) {
			cur.days |= 0x7F;
			continue;
		}
		if (strcmp(t, "weekends") == 0 || strcmp(t, "weekend") == 0) {
			cur.days |= 0x60;
			continue;
		}
		if ((wk = week_of(t)) != 0) {
			cur.weeks |= wk;
			continue;
		}
		if (strcmp(t, "closed") == 0) {
			cur.closed = 1;
			continue;
		}
		if ((strcmp(t, "-") == 0 || strcmp(t, "to") == 0 || strcmp(t, "until") == 0 ||
		     strcmp(t, "till") == 0) &&
		    cur.start < 0 && last_day >= 0 && i + 1 < n && day_of(w[i + 1].text) >= 0) {
			pending_range = 1;
			continue;
		}
		tm = time_of(t, i + 1 < n ? w[i + 1].text : NULL, &used);
		if (tm >= 0 || tm == -2) {
			size_t j = i + 1 + (size_t)used;
			int end, used2 = 0;
			/* a range: time, "-" or "to", time */
			if (cur.start >= 0 || j >= n ||
			    (strcmp(w[j].text, "-") != 0 && strcmp(w[j].text, "to") != 0 &&
			     strcmp(w[j].text, "until") != 0 && strcmp(w[j].text, "till") != 0))
				return 0;
			if (j + 1 >= n || (end = time_of(w[j + 1].text, j + 2 < n ? w[j + 2].text : NULL, &used2)) < 0)
				return 0;
			if (tm ==
			    -2) { /* "9-5pm", "10 - 12": the start takes the end's half of the day when that fits */
				int h = 0;
				const char *p = t;
				while (isdigit((unsigned char)*p))
					h = h * 10 + (*p++ - '0');
				tm = h * 60;
				if (end >= 12 * 60 && tm + 12 * 60 < end)
					tm += 12 * 60;
				if (tm >= end || tm > 24 * 60)
					return 0;
			}
			cur.start = tm;
			cur.end = end;
			i = j + 1 + (size_t)used2;
			continue;
		}
		if (!filler(t) && strcmp(t, ",") != 0 && strcmp(t, ";") != 0 && strcmp(t, "/") != 0 &&
		    strcmp(t, ":") != 0)
			return 0; /* "evenings", "term", "appointment": not sure */
	}
	if (count == MAX_PARTS)
		return 0;
	parts[count++] = cur;
	return count;
}

size_t kith_import_hours(importer *im, kith_group *g, const char *text)
{
	word w[128];
	part parts[MAX_PARTS];
	size_t n, count, i, added = 0, before = g->session_count;
	int d;

	if (!text || (n = split(text, w, sizeof(w) / sizeof(w[0]))) == 0)
		return 0;
	if ((count = read_parts(w, n, parts)) == 0)
		return 0;
	for (i = 0; i < count; i++) {
		if (parts[i].closed && parts[i].start < 0)
			continue;
		if (!parts[i].days || parts[i].start < 0 || parts[i].end <= parts[i].start || parts[i].closed)
			return 0;
	}
	for (i = 0; i < count; i++)
		for (d = 0; d < 7 && !parts[i].closed; d++)
			if (parts[i].days & (1u << d)) {
				if (kith_import_add_session(im, g, d, parts[i].start, parts[i].end, parts[i].weeks) !=
				    0) {
					g->session_count = before;
					return 0;
				}
				added++;
			}
	return added;
}
