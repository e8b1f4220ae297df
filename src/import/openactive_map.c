/*
 * One OpenActive record -- a series with its sessions, a course, an event,
 * a facility with its slots -- as a kith group (openactive_int.h).  What
 * the feed format has no place for (levels, attendee instructions, the
 * dates of dated sessions, prices beyond the cheapest) goes into the
 * description rather than being lost.
 */
#include "import/openactive_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/geo.h"

#define MAX_DATES_SHOWN 12 /* dated sessions listed in the description; the rest are counted */
#define MAX_DATES 400      /* distinct dates remembered for one record */

/* A date, or a date and local time, from an ISO 8601 text. */
typedef struct oa_when {
	long days;    /* since 1970-01-01 */
	int minute;   /* after local midnight */
	int has_time; /* 0: a date alone */
} oa_when;

/* The dates of a record's dated sessions, for its description. */
typedef struct oa_dates {
	long days[MAX_DATES];
	size_t count; /* distinct dates kept */
	size_t more;  /* distinct dates past MAX_DATES */
} oa_dates;

static const char *const day_names[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

const char *kith_oa_string(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The last word of a type or enumeration value: "https://schema.org/Monday", "schema:Monday", "oa:FemaleOnly" -> after
 * the '/', ':' or '#'. */
static const char *last_word(const char *s)
{
	const char *p, *word = s;

	for (p = s; p && *p; p++)
		if (*p == '/' || *p == ':' || *p == '#')
			word = p + 1;
	return word;
}

/* A number, or a number written as text ("5.00"); 0 when neither. */
static int number(const json_t *v, double *out)
{
	char *end;

	if (json_is_number(v)) {
		*out = json_number_value(v);
		return isfinite(*out);
	}
	if (!json_is_string(v) || !*json_string_value(v))
		return 0;
	*out = strtod(json_string_value(v), &end);
	return *end == '\0' && isfinite(*out);
}

/* The member key of main, then of the facility it belongs to, then of its first part that has it: a series may leave to
 * its sessions what they all say. */
static const json_t *field(const oa_record *r, const char *key)
{
	const json_t *v = json_object_get(r->main, key), *aggregate = json_object_get(r->main, "aggregateFacilityUse");
	size_t i;

	if (!v && json_is_object(aggregate))
		v = json_object_get(aggregate, key);
	for (i = 0; !v && i < r->part_count; i++)
		v = json_object_get(r->parts[i], key);
	return v;
}

static const char *field_string(const oa_record *r, const char *key)
{
	const json_t *v = field(r, key);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* key, else its OpenActive beta form ("beta:key"). */
static const json_t *field_or_beta(const oa_record *r, const char *key)
{
	char beta[64];
	const json_t *v = field(r, key);

	snprintf(beta, sizeof(beta), "beta:%s", key);
	return v ? v : field(r, beta);
}

oa_kind kith_oa_kind(const json_t *data, const char *fallback)
{
	static const struct {
		const char *type;
		oa_kind kind;
	} kinds[] = {
		{"SessionSeries", OA_SERIES},
		{"EventSeries", OA_SERIES},
		{"ScheduledSession", OA_SESSION},
		{"CourseInstance", OA_COURSE},
		{"Course", OA_COURSE},
		{"Event", OA_EVENT},
		{"HeadlineEvent", OA_EVENT},
		{"OnDemandEvent", OA_EVENT},
		{"SportsEvent", OA_EVENT},
		{"FacilityUse", OA_FACILITY},
		{"IndividualFacilityUse", OA_FACILITY},
		{"Slot", OA_SLOT},
	};
	const char *type = kith_oa_string(data, "@type");
	size_t i;

	if (!type)
		type = kith_oa_string(data, "type");
	if (!type)
		type = fallback;
	if (!type)
		return OA_OTHER;
	type = last_word(type);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(type, kinds[i].type) == 0) {
			/* an Event with a superEvent is one occurrence of a series, as a ScheduledSession is */
			if (kinds[i].kind == OA_EVENT && strcmp(type, "Event") == 0 &&
			    json_object_get(data, "superEvent"))
				return OA_SESSION;
			return kinds[i].kind;
		}
	return OA_OTHER;
}

int kith_oa_cancelled(const json_t *data)
{
	const char *status = kith_oa_string(data, "eventStatus");

	return status && strcmp(last_word(status), "EventCancelled") == 0;
}

const char *kith_oa_id(const json_t *data)
{
	const char *id = kith_oa_string(data, "@id");

	if (!id)
		id = kith_oa_string(data, "id");
	if (!id)
		id = kith_oa_string(data, "identifier");
	return id;
}

/*
 * Dates and times.
 */

static long days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 = Monday .. 6 = Sunday (1970-01-01 was a Thursday). */
static int weekday(long days)
{
	return (int)(((days % 7) + 7 + 3) % 7);
}

/* a / b rounded down, for minutes before 1970 */
static long floor_div(long a, long b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* British Summer Time, for a minute counted in UTC: from 01:00 UTC on March's last Sunday to October's. */
static int british_summer_time(long utc_minute)
{
	int y, m, d;
	long day = floor_div(utc_minute, 1440), march, october;

	civil_from_days(day, &y, &m, &d);
	march = days_from_civil(y, 3, 31);
	march -= (weekday(march) + 1) % 7;
	october = days_from_civil(y, 10, 31);
	october -= (weekday(october) + 1) % 7;
	return utc_minute >= march * 1440 + 60 && utc_minute < october * 1440 + 60;
}

/* n digits at s as a number, or -1. */
static int digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "HH:MM" or "HH:MM:SS" (seconds ignored) as minutes after midnight, or -1. */
static int clock_minutes(const char *s, const char **rest)
{
	int h = digits(s, 2), m = s[0] && s[1] && s[2] == ':' ? digits(s + 3, 2) : -1;

	if (h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	s += 5;
	if (*s == ':') {
		if (digits(s + 1, 2) < 0 || digits(s + 1, 2) > 60)
			return -1;
		s += 3;
		if (*s == '.')
			for (s++; *s >= '0' && *s <= '9'; s++)
				;
	}
	if (rest)
		*rest = s;
	else if (*s)
		return -1;
	return h * 60 + m;
}

/*
 * An ISO 8601 date or date-time as a local date and time: a time with an
 * offset is local as written; one in UTC ("Z") is turned into UK time, as
 * the feeds are British.  0, or -1 when it is no date.
 */
static int parse_when(const char *s, oa_when *out)
{
	int y, mo, d, minute, dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const char *p;
	long utc;

	if (!s || strlen(s) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = digits(s, 4), mo = digits(s + 5, 2), d = digits(s + 8, 2);
	if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1)
		return -1;
	if (mo == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim[1] = 29;
	if (d > dim[mo - 1])
		return -1;
	out->days = days_from_civil(y, mo, d);
	out->minute = 0;
	out->has_time = 0;
	if (s[10] == '\0')
		return 0;
	if ((s[10] != 'T' && s[10] != ' ') || (minute = clock_minutes(s + 11, &p)) < 0)
		return -1;
	out->minute = minute;
	out->has_time = 1;
	if (*p == 'Z' && p[1] == '\0') {
		utc = out->days * 1440 + minute;
		if (british_summer_time(utc))
			utc += 60;
		out->days = floor_div(utc, 1440);
		out->minute = (int)(utc - out->days * 1440);
		return 0;
	}
	if (*p == '\0')
		return 0;
	/* an offset: the time is local as written */
	if ((*p == '+' || *p == '-') && digits(p + 1, 2) >= 0 &&
	    (p[3] == '\0' || (p[3] == ':' && digits(p + 4, 2) >= 0 && p[6] == '\0') ||
	     (digits(p + 3, 2) >= 0 && p[5] == '\0')))
		return 0;
	return -1;
}

/* An ISO 8601 duration ("PT1H30M", "P1D") in minutes, or -1. */
static long duration_minutes(const char *s)
{
	long total = 0, n;
	int in_time = 0, any = 0;
	char *end;

	if (!s || *s != 'P')
		return -1;
	for (s++; *s;) {
		if (*s == 'T' && !in_time) {
			in_time = 1;
			s++;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		n = strtol(s, &end, 10);
		if (n < 0 || n > 100000 || (*end == '.' && (end = strpbrk(end, "HMSD")) == NULL))
			return -1;
		if (*end == 'W' && !in_time)
			total += n * 7 * 1440;
		else if (*end == 'D' && !in_time)
			total += n * 1440;
		else if (*end == 'H' && in_time)
			total += n * 60;
		else if (*end == 'M' && in_time)
			total += n;
		else if (*end != 'S' || !in_time)
			return -1;
		any = 1;
		s = end + 1;
	}
	return any ? total : -1;
}

static void remember_date(oa_dates *dates, long days)
{
	size_t i;

	for (i = 0; i < dates->count; i++)
		if (dates->days[i] == days)
			return;
	if (dates->count < MAX_DATES)
		dates->days[dates->count++] = days;
	else
		dates->more++;
}

static int compare_days(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* "Dates: 2020-07-27, 2020-08-03 and 5 more" into the description. */
static int describe_dates(importer *im, kith_group *g, oa_dates *dates)
{
	kith_buf b = KITH_BUF_INIT;
	size_t i, shown = dates->count < MAX_DATES_SHOWN ? dates->count : MAX_DATES_SHOWN;
	int y, m, d, error;

	if (!dates->count)
		return 0;
	qsort(dates->days, dates->count, sizeof(dates->days[0]), compare_days);
	for (i = 0; i < shown; i++) {
		civil_from_days(dates->days[i], &y, &m, &d);
		kith_buf_printf(&b, "%s%04d-%02d-%02d", i ? ", " : "", y, m, d);
	}
	if (dates->count + dates->more > shown)
		kith_buf_printf(&b, " and %zu more", dates->count + dates->more - shown);
	error = kith_buf_error(&b);
	if (!error)
		error = kith_import_append_text(im, g, dates->count + dates->more > 1 ? "Dates" : "Date", b.ptr);
	kith_buf_release(&b);
	return error;
}

/* Adds a weekly session unless g has it already. */
static int add_weekly(importer *im, kith_group *g, int day, int start, int end)
{
	size_t i;

	for (i = 0; i < g->session_count; i++)
		if (g->sessions[i].day == day && g->sessions[i].start == start && g->sessions[i].end == end)
			return 0;
	return kith_import_add_session(im, g, day, start, end, 0);
}

/*
 * One dated occurrence (a ScheduledSession, a subEvent, a Slot, a one-off
 * Event) as a weekly session on its weekday and local time: the dated
 * sessions of a series on one weekday and time make one weekly session.
 */
static int occurrence(importer *im, kith_group *g, const json_t *part, const char *what, oa_dates *dates)
{
	const char *start_text = kith_oa_string(part, "startDate"), *end_text = kith_oa_string(part, "endDate");
	oa_when start, end;
	long from, to, length;

	if (!start_text || kith_oa_cancelled(part))
		return 0; /* a cancelled date is no session and no date to note */
	if (parse_when(start_text, &start) != 0) {
		kith_import_warn(im, 0, 0, "%s: startDate '%s' is not a date: left out", what, start_text);
		return 0;
	}
	if (end_text && parse_when(end_text, &end) != 0) {
		kith_import_warn(im, 0, 0, "%s: endDate '%s' is not a date: left out", what, end_text);
		return 0;
	}
	if (end_text && end.days * 1440 + end.minute < start.days * 1440 + start.minute) {
		kith_import_warn(im, 0, 0, "%s: startDate %s is after endDate %s: left out", what, start_text,
				 end_text);
		return 0;
	}
	remember_date(dates, start.days);
	if (!start.has_time)
		return 0;
	from = start.days * 1440 + start.minute;
	if (end_text && end.has_time)
		to = end.days * 1440 + end.minute;
	else if ((length = duration_minutes(kith_oa_string(part, "duration"))) > 0)
		to = from + length;
	else
		return 0; /* a start and no end: its date is noted, but no session can be */
	if (to <= from || to > start.days * 1440 + 24 * 60 - 1)
		return 0; /* over midnight, or longer than the day: no session the format can say */
	return add_weekly(im, g, weekday(start.days), start.minute, (int)(to - start.days * 1440));
}

/* A day of the week ("https://schema.org/Monday", "schema:Monday", "Monday"), or -1. */
static int day_of(const char *text)
{
	int d;

	if (!text)
		return -1;
	text = last_word(text);
	for (d = 0; d < 7; d++)
		if (strcasecmp(text, day_names[d]) == 0)
			return d;
	return -1;
}

/* The days of a byDay or dayOfWeek value (a string or a list) as bits; -1 when one is no day. */
static int day_bits(const json_t *v)
{
	size_t i;
	int bits = 0, d;

	if (json_is_string(v))
		return (d = day_of(json_string_value(v))) < 0 ? -1 : 1 << d;
	if (!json_is_array(v))
		return v ? -1 : 0;
	for (i = 0; i < json_array_size(v); i++) {
		if ((d = day_of(json_is_string(json_array_get(v, i)) ? json_string_value(json_array_get(v, i))
								     : NULL)) < 0)
			return -1;
		bits |= 1 << d;
	}
	return bits;
}

/* The schedule as words ("Friday 14:00-15:00, repeats P2W"), for a description, when it cannot be sessions. */
static int schedule_as_text(importer *im, kith_group *g, const json_t *schedule)
{
	const json_t *days = json_object_get(schedule, "byDay");
	const char *start = kith_oa_string(schedule, "startTime"), *end = kith_oa_string(schedule, "endTime"),
		   *frequency = kith_oa_string(schedule, "repeatFrequency");
	kith_buf b = KITH_BUF_INIT;
	size_t i, n = json_is_array(days) ? json_array_size(days) : 1;
	int error;

	for (i = 0; i < n; i++) {
		const json_t *d = json_is_array(days) ? json_array_get(days, i) : days;
		if (json_is_string(d))
			kith_buf_printf(&b, "%s%s", b.size ? ", " : "", last_word(json_string_value(d)));
	}
	if (start || end)
		kith_buf_printf(&b, "%s%s-%s", b.size ? " " : "", start ? start : "?", end ? end : "?");
	if (frequency)
		kith_buf_printf(&b, "%srepeats %s", b.size ? ", " : "", frequency);
	error = kith_buf_error(&b);
	if (!error && b.size)
		error = kith_import_append_text(im, g, "Schedule", b.ptr);
	kith_buf_release(&b);
	return error;
}

/* Dates a Schedule has besides its days and times: when it runs, and the dates it does not. */
static int schedule_dates(importer *im, kith_group *g, const json_t *schedule, oa_kind kind)
{
	const char *from = kith_import_date(im, kith_oa_string(schedule, "startDate"));
	const char *to = kith_import_date(im, kith_oa_string(schedule, "endDate"));
	const json_t *except = json_object_get(schedule, "exceptDate");
	kith_buf b = KITH_BUF_INIT;
	size_t i;
	int error = 0;

	if (kind == OA_COURSE) {
		if (!g->starts && !g->ends) {
			g->starts = from;
			g->ends = to;
		}
	} else if (from || to) {
		kith_buf_printf(&b, "%s%s%s%s", from ? "from " : "", from ? from : "",
				to ? (from ? " to " : "to ") : "", to ? to : "");
		error = kith_import_append_text(im, g, "Runs", b.ptr);
		kith_buf_clear(&b);
	}
	for (i = 0; json_is_array(except) && i < json_array_size(except); i++) {
		const char *d = kith_import_date(im, json_is_string(json_array_get(except, i))
							     ? json_string_value(json_array_get(except, i))
							     : NULL);
		if (d)
			kith_buf_printf(&b, "%s%s", b.size ? ", " : "", d);
	}
	if (!error)
		error = kith_buf_error(&b);
	if (!error && b.size)
		error = kith_import_append_text(im, g, "Not on", b.ptr);
	kith_buf_release(&b);
	return error;
}

/* One Schedule: weekly (or daily) ones become sessions; others are kept as words. *text is set when any was. */
static int schedule(importer *im, kith_group *g, const json_t *s, oa_kind kind, const char *what, int *text)
{
	const char *frequency = kith_oa_string(s, "repeatFrequency"), *start_text = kith_oa_string(s, "startTime"),
		   *end_text = kith_oa_string(s, "endTime");
	int days = day_bits(json_object_get(s, "byDay")), start, end = -1, d, error;
	long length;

	if ((error = schedule_dates(im, g, s, kind)) != 0)
		return error;
	start = start_text ? clock_minutes(start_text, NULL) : -1;
	if (end_text)
		end = clock_minutes(end_text, NULL);
	else if (start >= 0 && (length = duration_minutes(kith_oa_string(s, "duration"))) > 0 && start + length < 1440)
		end = start + (int)length;
	if (frequency && (strcmp(frequency, "P1D") == 0) && days == 0)
		days = 0x7F;
	if (frequency && strcmp(frequency, "P1W") != 0 && strcmp(frequency, "P7D") != 0 &&
	    strcmp(frequency, "P1D") != 0)
		days = -1; /* fortnightly, monthly ...: the format cannot say so surely */
	if ((start_text && start < 0) || (end_text && end < 0))
		kith_import_warn(im, 0, 0, "%s: eventSchedule time '%s' is not a time: kept as text", what,
				 start_text && start < 0 ? start_text : end_text);
	if (days <= 0 || start < 0 || end <= start) {
		*text = 1;
		return schedule_as_text(im, g, s);
	}
	for (d = 0; d < 7; d++)
		if ((days & (1 << d)) && (error = add_weekly(im, g, d, start, end)) != 0)
			return error;
	return 0;
}

/* A facility's hoursAvailable (OpeningHoursSpecification: dayOfWeek, opens, closes). */
static int opening_hours(importer *im, kith_group *g, const json_t *list, int *text)
{
	size_t i;
	int d, error;

	for (i = 0; json_is_array(list) && i < json_array_size(list); i++) {
		const json_t *h = json_array_get(list, i);
		int days = day_bits(json_object_get(h, "dayOfWeek"));
		int opens = kith_oa_string(h, "opens") ? clock_minutes(kith_oa_string(h, "opens"), NULL) : -1;
		int closes = kith_oa_string(h, "closes") ? clock_minutes(kith_oa_string(h, "closes"), NULL) : -1;
		if (days <= 0 || opens < 0 || closes <= opens) {
			*text = 1;
			continue;
		}
		for (d = 0; d < 7; d++)
			if ((days & (1 << d)) && (error = add_weekly(im, g, d, opens, closes)) != 0)
				return error;
	}
	return 0;
}

/* Sessions from the eventSchedule, a facility's hours, and the dated occurrences. */
static int sessions(importer *im, const oa_record *r, const char *what, kith_group *g)
{
	const json_t *schedules = json_object_get(r->main, "eventSchedule");
	oa_dates *dates = NULL;
	size_t i, parts;
	int text = 0, error = 0;

	if (json_is_object(schedules))
		error = schedule(im, g, schedules, r->kind, what, &text);
	for (i = 0; !error && json_is_array(schedules) && i < json_array_size(schedules); i++)
		if (json_is_object(json_array_get(schedules, i)))
			error = schedule(im, g, json_array_get(schedules, i), r->kind, what, &text);
	if (!error && r->kind == OA_FACILITY)
		error = opening_hours(im, g, json_object_get(r->main, "hoursAvailable"), &text);
	if (error)
		return error;
	if ((dates = calloc(1, sizeof(*dates))) == NULL)
		return KITH_ENOMEM;
	/* a facility's slots say when it can be booked only when it gives no hours */
	parts = r->kind == OA_FACILITY && g->session_count ? 0 : r->part_count;
	if (r->kind == OA_EVENT)
		error = occurrence(im, g, r->main, what, dates);
	for (i = 0; !error && i < parts; i++)
		error = occurrence(im, g, r->parts[i], what, dates);
	if (!error)
		error = describe_dates(im, g, dates);
	free(dates);
	if (!error && text && !g->session_count)
		im->report->hours_text++;
	return error;
}

/*
 * Where: the location Place (its address, postcode and point), or the
 * place it is in (a court in a leisure centre).
 */

/* 1 when text is only two numbers ("52.04, -0.75"): some publishers name a place by its coordinates. */
static int coordinates_only(const char *text)
{
	char *end;

	strtod(text, &end);
	if (end == text || *end != ',')
		return 0;
	text = end + 1;
	strtod(text, &end);
	return end != text && *end == '\0';
}

static void add_part(kith_buf *b, const char *part)
{
	if (part && *part && !coordinates_only(part) && !strstr(b->ptr ? b->ptr : "", part))
		kith_buf_printf(b, "%s%s", b->size ? ", " : "", part);
}

/* The place's name and address into b; its postcode into postcode when it is a UK one. */
static void place_address(const json_t *place, kith_buf *b, char postcode[10])
{
	const json_t *address = json_object_get(place, "address");
	const char *code;

	add_part(b, kith_oa_string(place, "name"));
	if (json_is_string(address)) {
		add_part(b, json_string_value(address));
		return;
	}
	add_part(b, kith_oa_string(address, "streetAddress"));
	add_part(b, kith_oa_string(address, "addressLocality"));
	if ((code = kith_oa_string(address, "postalCode")) != NULL && !postcode[0] &&
	    kith_geo_postcode_normal(postcode, code) != 0) {
		postcode[0] = '\0';
		add_part(b, code); /* not a UK postcode: kept as words */
	}
}

static int place_point(const json_t *place, kith_point *p)
{
	const json_t *geo = json_object_get(place, "geo");
	double lat, lon;

	if (!number(json_object_get(geo, "latitude"), &lat) || !number(json_object_get(geo, "longitude"), &lon))
		return 0;
	if (lat < -90 || lat > 90 || lon < -180 || lon > 180 || (lat == 0 && lon == 0))
		return 0;
	p->lat = lat;
	p->lon = lon;
	p->known = 1;
	return 1;
}

static int venue(importer *im, kith_group *g, const json_t *place)
{
	const json_t *within = json_object_get(place, "containedInPlace");
	kith_buf b = KITH_BUF_INIT;
	char postcode[10] = "";
	kith_point point = {0, 0, 0};
	kith_venue *v;
	int error;

	if (!json_is_object(place))
		return 0;
	place_address(place, &b, postcode);
	if (json_is_object(within))
		place_address(within, &b, postcode);
	if (!place_point(place, &point) && json_is_object(within))
		place_point(within, &point);
	if ((error = kith_buf_error(&b)) != 0 || (!b.size && !postcode[0] && !point.known))
		goto cleanup;
	if ((v = kith_import_add_venue(im, g)) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	memset(v, 0, sizeof(*v));
	v->point = point;
	if ((b.size && (v->address = kith_arena_strdup(&im->arena, b.ptr)) == NULL) ||
	    (postcode[0] && (v->postcode = kith_arena_strdup(&im->arena, postcode)) == NULL))
		error = KITH_ENOMEM;
cleanup:
	kith_buf_release(&b);
	return error;
}

/* Online: the attendance mode, an on-demand event, a virtual location (and how to join). */
static int online(importer *im, const oa_record *r, kith_group *g)
{
	const char *mode = field_string(r, "eventAttendanceMode"), *type = kith_oa_string(r->main, "@type");
	const json_t *virtual_place = field_or_beta(r, "virtualLocation");
	const char *url = kith_oa_string(virtual_place, "url");

	if (!type)
		type = kith_oa_string(r->main, "type");
	if ((mode && (strstr(mode, "Online") || strstr(mode, "Mixed"))) ||
	    (type && strcmp(last_word(type), "OnDemandEvent") == 0) || url)
		g->online = 1;
	if (g->online && url && (g->online_how = kith_arena_strdup(&im->arena, url)) == NULL)
		return KITH_ENOMEM;
	return 0;
}

/*
 * Cost: free when the listing says so or its cheapest price is 0; else
 * the cheapest price in pounds (other currencies are not kith's), the
 * others listed in the description.
 */
static int cost(importer *im, const oa_record *r, kith_group *g)
{
	const json_t *offers = field(r, "offers"), *free_flag = field(r, "isAccessibleForFree");
	kith_buf b = KITH_BUF_INIT;
	double cheapest = -1, price;
	size_t i, n = json_is_array(offers) ? json_array_size(offers) : json_is_object(offers) ? 1 : 0, priced = 0;
	int error;

	for (i = 0; i < n; i++) {
		const json_t *o = json_is_array(offers) ? json_array_get(offers, i) : offers;
		const char *currency = kith_oa_string(o, "priceCurrency"), *name = kith_oa_string(o, "name");
		if (!number(json_object_get(o, "price"), &price) || price < 0 || price > 100000 || !currency ||
		    strcasecmp(currency, "GBP") != 0)
			continue;
		if (cheapest < 0 || price < cheapest)
			cheapest = price;
		kith_buf_printf(&b, "%s%s%s\xC2\xA3%.2f", priced++ ? "; " : "", name ? name : "", name ? " " : "",
				price);
	}
	if (json_is_true(free_flag) || cheapest == 0) {
		g->cost_known = g->cost_free = 1;
	} else if (cheapest > 0) {
		g->cost_known = 1;
		g->cost_amount = cheapest;
		g->cost_per = r->kind == OA_COURSE ? KITH_PER_COURSE : KITH_PER_SESSION;
	}
	error = kith_buf_error(&b);
	if (!error && priced > 1)
		error = kith_import_append_text(im, g, "Prices", b.ptr);
	kith_buf_release(&b);
	return error;
}

/* Ages, gender. */
static void eligibility(importer *im, const oa_record *r, const char *what, kith_group *g)
{
	const json_t *ages = field(r, "ageRange"), *gender = field(r, "genderRestriction");
	double min = -1, max = -1;
	const char *word = NULL;

	if (json_is_object(ages)) {
		if (!number(json_object_get(ages, "minValue"), &min) || min < 0 || min > 130 || min != floor(min))
			min = -1;
		if (!number(json_object_get(ages, "maxValue"), &max) || max < 0 || max > 130 || max != floor(max))
			max = -1;
		if (min >= 0 && max >= 0 && min > max) {
			kith_import_warn(im, 0, 0, "%s: ageRange %g to %g: ages left out", what, min, max);
			min = max = -1;
		}
		g->min_age = (int)min;
		g->max_age = (int)max;
	}
	if (json_is_array(gender) && json_array_size(gender) == 1)
		gender = json_array_get(gender, 0);
	if (json_is_string(gender))
		word = last_word(json_string_value(gender));
	if (word && strcmp(word, "FemaleOnly") == 0)
		g->gender = KITH_GENDER_FEMALE;
	else if (word && strcmp(word, "MaleOnly") == 0)
		g->gender = KITH_GENDER_MALE;
}

/* The labels of a list of Concepts or strings ("level", "accessibilitySupport", "category") as "a, b". */
static int labels(importer *im, kith_group *g, const json_t *v, const char *label)
{
	kith_buf b = KITH_BUF_INIT;
	size_t i, n = json_is_array(v) ? json_array_size(v) : v ? 1 : 0;
	int error;

	for (i = 0; i < n; i++) {
		const json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
		const char *text = json_is_string(e) ? json_string_value(e) : kith_oa_string(e, "prefLabel");
		if (!text)
			text = kith_oa_string(e, "name");
		if (text && *text)
			kith_buf_printf(&b, "%s%s", b.size ? ", " : "", text);
	}
	error = kith_buf_error(&b);
	if (!error && b.size)
		error = kith_import_append_text(im, g, label, kith_import_line(im, b.ptr));
	kith_buf_release(&b);
	return error;
}

/* An activity-list concept's id in the form the table has ("https://openactive.io/activity-list#uuid"). */
static const char *activity_id(importer *im, const json_t *concept)
{
	const char *id = kith_oa_id(concept), *hash;
	char text[200];

	if (!id || (hash = strstr(id, "activity-list#")) == NULL)
		return id;
	snprintf(text, sizeof(text), "https://openactive.io/%s", hash);
	return kith_arena_strdup(&im->arena, text);
}

/* activity[]: each concept mapped to kith's activities where the table is sure; the labels kept as words. */
static int activities(importer *im, const oa_record *r, kith_group *g)
{
	const json_t *v = field(r, "activity");
	size_t i, n = json_is_array(v) ? json_array_size(v) : v ? 1 : 0;
	int mapped;

	for (i = 0; i < n; i++) {
		const json_t *c = json_is_array(v) ? json_array_get(v, i) : v;
		const char *label = json_is_string(c) ? json_string_value(c) : kith_oa_string(c, "prefLabel");
		const char *id = json_is_object(c) ? activity_id(im, c) : NULL;
		/* the label maps as its id does: looked up only when the id is not in the list */
		mapped = id && strstr(id, "activity-list#") ? kith_import_taxonomy(im, g, "openactive", id) : 0;
		if (mapped == 0)
			mapped = kith_import_taxonomy(im, g, "openactive", label);
		if (mapped < 0)
			return mapped;
	}
	return labels(im, g, v, "Activity");
}

/* Wheelchair access, of the session or of its place. */
static void access(const oa_record *r, kith_group *g)
{
	const json_t *place = field(r, "location"), *v = field_or_beta(r, "isWheelchairAccessible");

	if (!v && json_is_object(place))
		v = json_object_get(place, "isWheelchairAccessible");
	if (!v && json_is_object(place))
		v = json_object_get(place, "beta:isWheelchairAccessible");
	if (json_is_boolean(v))
		g->access[KITH_ACCESS_WHEELCHAIR] = json_is_true(v) ? KITH_TRI_YES : KITH_TRI_NO;
}

/* Full when every session that says how many places are left says none. */
static void capacity(const oa_record *r, kith_group *g)
{
	size_t i;
	int seen = 0, open = 0;
	double left;

	if (number(json_object_get(r->main, "remainingAttendeeCapacity"), &left))
		seen = 1, open |= left > 0;
	for (i = 0; i < r->part_count; i++)
		if (number(json_object_get(r->parts[i], "remainingAttendeeCapacity"), &left))
			seen = 1, open |= left > 0;
	if (seen)
		g->capacity = open ? KITH_CAPACITY_OPEN : KITH_CAPACITY_CLOSED;
}

/* Who runs it, and how to reach them. */
static void organiser(const oa_record *r, kith_group *g)
{
	const json_t *o = field(r, "organizer");
	const char *url;

	if (json_is_array(o))
		o = json_array_get(o, 0);
	if (!json_is_object(o))
		o = field(r, "provider");
	if (json_is_array(o))
		o = json_array_get(o, 0);
	g->organisation = kith_oa_string(o, "name");
	g->email = kith_oa_string(o, "email");
	g->phone = kith_oa_string(o, "telephone");
	url = field_string(r, "url");
	g->web = url ? url : kith_oa_string(o, "url");
}

static int updated(importer *im, const oa_record *r, kith_group *g)
{
	const char *date = kith_import_date(im, field_string(r, "dateModified"));

	/* RPDE's "modified" is often a change number, not a date: only a date-time is read */
	if (!date)
		date = kith_import_date(im, kith_oa_string(r->item, "modified"));
	g->updated = date;
	return 0;
}

/* What the format has no place for, as words. */
static int more_text(importer *im, const oa_record *r, kith_group *g)
{
	const char *instructions = field_string(r, "attendeeInstructions"), *meeting = field_string(r, "meetingPoint");
	int error = 0;

	if (instructions)
		error = kith_import_append_text(im, g, "Attendee instructions", kith_import_text(im, instructions));
	if (!error && meeting)
		error = kith_import_append_text(im, g, "Meeting point", kith_import_text(im, meeting));
	if (!error)
		error = labels(im, g, field(r, "level"), "Level");
	if (!error)
		error = labels(im, g, field(r, "category"), "Category");
	if (!error)
		error = labels(im, g, field(r, "accessibilitySupport"), "Accessibility support");
	if (!error && field_string(r, "accessibilityInformation"))
		error = kith_import_append_text(im, g, "Accessibility",
						kith_import_text(im, field_string(r, "accessibilityInformation")));
	if (!error && r->kind == OA_FACILITY)
		error = kith_import_append_text(im, g, NULL, "A facility to hire: book a slot.");
	return error;
}

/* A course's own start and end (before its schedule's); an end before the start is neither. */
static int course_dates(importer *im, const oa_record *r, const char *what, kith_group *g)
{
	const char *from = kith_oa_string(r->main, "startDate"), *to = kith_oa_string(r->main, "endDate");

	g->starts = kith_import_date(im, from);
	g->ends = kith_import_date(im, to);
	if (g->starts && g->ends && strcmp(g->starts, g->ends) > 0) {
		kith_import_warn(im, 0, 0, "%s: startDate %s is after endDate %s: the course's dates left out", what,
				 from, to);
		g->starts = g->ends = NULL;
	}
	return 0;
}

int kith_oa_map(importer *im, const oa_record *r, const char *what, kith_group *g)
{
	const char *description = field_string(r, "description");
	const json_t *place = field(r, "location");
	int error = 0;

	g->name = field_string(r, "name");
	if (!description)
		description = field_string(r, "beta:formattedDescription");
	g->description = kith_import_text(im, description);
	if (json_is_array(place))
		place = json_array_get(place, 0);
	eligibility(im, r, what, g);
	access(r, g);
	capacity(r, g);
	if (r->kind == OA_FACILITY)
		g->capacity = KITH_CAPACITY_UNKNOWN; /* a slot booked up says nothing of the facility */
	organiser(r, g);
	if ((error = updated(im, r, g)) != 0 || (error = venue(im, g, place)) != 0 || (error = online(im, r, g)) != 0 ||
	    (error = cost(im, r, g)) != 0 || (error = activities(im, r, g)) != 0 || (error = more_text(im, r, g)) != 0)
		return error;
	if (r->kind == OA_COURSE && (error = course_dates(im, r, what, g)) != 0)
		return error;
	return sessions(im, r, what, g);
}
