/*
 * Days, times and dates, and how a weekly session meets a person's
 * availability (see schedule.h).
 *
 * Dates are counted as days since 1970-01-01 in the proleptic Gregorian
 * calendar with Howard Hinnant's days_from_civil / civil_from_days
 * algorithms, so parsing never depends on the time zone or on timegm().
 */
#include "model/schedule.h"

#include <limits.h>
#include <string.h>
#include <time.h>

static const char *const day_names[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

/* How far ahead kith_session_next() looks. */
#define KITH_NEXT_HORIZON 400

int kith_day_parse(const char *text)
{
	int i;

	if (!text)
		return -1;
	for (i = 0; i < 7; i++)
		if (strcmp(text, day_names[i]) == 0)
			return i;
	return -1;
}

const char *kith_day_name(int day)
{
	return day >= 0 && day < 7 ? day_names[day] : "?";
}

const char *kith_day_short(int day)
{
	static const char *const names[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

	return day >= 0 && day < 7 ? names[day] : "?";
}

const char *kith_day_long(int day)
{
	static const char *const names[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
					     "Friday", "Saturday", "Sunday"};

	return day >= 0 && day < 7 ? names[day] : "?";
}

const char *kith_month_short(int month)
{
	static const char *const names[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

	return month >= 1 && month <= 12 ? names[month - 1] : "?";
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int kith_time_parse(const char *text)
{
	int h, m;

	if (!text || strlen(text) != 5 || !is_digit(text[0]) || !is_digit(text[1]) || text[2] != ':' ||
	    !is_digit(text[3]) || !is_digit(text[4]))
		return -1;
	h = (text[0] - '0') * 10 + (text[1] - '0');
	m = (text[3] - '0') * 10 + (text[4] - '0');
	if (h > 23 || m > 59)
		return -1;
	return h * 60 + m;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int kith_weeks_parse(const char *text)
{
	unsigned bits = 0;
	int tokens = 0;

	if (!text)
		return -1;
	for (;;) {
		const char *start;
		size_t len;

		while (is_space(*text))
			text++;
		if (!*text)
			break;
		start = text;
		while (*text && !is_space(*text))
			text++;
		len = (size_t)(text - start);
		if (len == 1 && start[0] >= '1' && start[0] <= '5')
			bits |= KITH_WEEK(start[0] - '0');
		else if (len == 4 && memcmp(start, "last", 4) == 0)
			bits |= KITH_WEEK_LAST;
		else
			return -1;
		tokens++;
	}
	return tokens ? (int)bits : -1;
}

/* Days since 1970-01-01 of a civil date (m 1..12, d 1..31). */
static long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (long)(era * 146097 + doe - 719468);
}

/* The civil date of days since 1970-01-01. */
static void civil_from_days(long days, long long *y, unsigned *m, unsigned *d)
{
	long long z = (long long)days + 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;

	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int is_leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(long long y, unsigned m)
{
	static const unsigned days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Accepts the time zone an xs:date may carry ("Z", "+01:00"); it does not move the date. */
static int timezone_ok(const char *p)
{
	if (*p == '\0')
		return 1;
	if (p[0] == 'Z' && p[1] == '\0')
		return 1;
	if ((p[0] == '+' || p[0] == '-') && strlen(p) == 6 && is_digit(p[1]) && is_digit(p[2]) && p[3] == ':' &&
	    is_digit(p[4]) && is_digit(p[5]))
		return (p[1] - '0') * 10 + (p[2] - '0') <= 14 && (p[4] - '0') * 10 + (p[5] - '0') <= 59;
	return 0;
}

int kith_date_parse(const char *text, long *days)
{
	int i;
	long long y = 0;
	unsigned m, d;

	if (!text || strlen(text) < 10)
		return -1;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (text[i] != '-')
				return -1;
		} else if (!is_digit(text[i])) {
			return -1;
		}
	}
	if (!timezone_ok(text + 10))
		return -1;
	for (i = 0; i < 4; i++)
		y = y * 10 + (text[i] - '0');
	m = (unsigned)((text[5] - '0') * 10 + (text[6] - '0'));
	d = (unsigned)((text[8] - '0') * 10 + (text[9] - '0'));
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

void kith_date_format(long days, char *out)
{
	long long y;
	unsigned m, d, i;
	char tmp[11];

	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		/* outside what YYYY can say; never produced by kith_date_parse() */
		y = y < 0 ? 0 : 9999;
	}
	tmp[0] = (char)('0' + (y / 1000) % 10);
	tmp[1] = (char)('0' + (y / 100) % 10);
	tmp[2] = (char)('0' + (y / 10) % 10);
	tmp[3] = (char)('0' + y % 10);
	tmp[4] = '-';
	tmp[5] = (char)('0' + m / 10);
	tmp[6] = (char)('0' + m % 10);
	tmp[7] = '-';
	tmp[8] = (char)('0' + d / 10);
	tmp[9] = (char)('0' + d % 10);
	tmp[10] = '\0';
	for (i = 0; i < sizeof(tmp); i++)
		out[i] = tmp[i];
}

int kith_date_weekday(long days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0) */
	long r = days % 7;

	if (r < 0)
		r += 7;
	return (int)((r + 3) % 7);
}

unsigned kith_date_weeks(long days)
{
	long long y;
	unsigned m, d, bits;

	civil_from_days(days, &y, &m, &d);
	bits = KITH_WEEK((d - 1) / 7 + 1);
	if (d + 7 > month_days(y, m))
		bits |= KITH_WEEK_LAST;
	return bits;
}

long kith_date_today(void)
{
	time_t now = time(NULL);
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL)
		return (long)(now / 86400);
	return days_from_civil((long long)tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

int kith_session_overlap(const kith_session *s, const kith_availability_window *windows, size_t count,
			 int has_availability)
{
	size_t i;
	int best = 0;

	if (s->end <= s->start)
		return 0;
	if (!has_availability)
		return s->end - s->start;
	for (i = 0; i < count; i++) {
		const kith_availability_window *w = &windows[i];
		int from, to;

		if (w->day != s->day)
			continue;
		from = w->start > s->start ? w->start : s->start;
		to = w->end < s->end ? w->end : s->end;
		if (to - from > best)
			best = to - from;
	}
	return best;
}

long kith_session_next(const kith_session *s, long from, long starts, long ends)
{
	long d = from > starts ? from : starts, last;
	int shift;

	if (s->day < 0 || s->day > 6 || d > LONG_MAX - KITH_NEXT_HORIZON - 7)
		return -1;
	last = d + KITH_NEXT_HORIZON;
	if (ends < last)
		last = ends;
	shift = (s->day - kith_date_weekday(d) + 7) % 7;
	for (d += shift; d <= last; d += 7)
		if (s->weeks == 0 || (s->weeks & kith_date_weeks(d)) != 0)
			return d;
	return -1;
}
