/*
 * Days, times, dates and how schedules meet availability.
 */
#ifndef KITH_SCHEDULE_H
#define KITH_SCHEDULE_H

#include "model/model.h"

/* "mon".."sun" to 0..6; -1 otherwise. */
int kith_day_parse(const char *text);
/* 0..6 to "mon".."sun"; "?" out of range. */
const char *kith_day_name(int day);
/* 0..6 to "Mon".."Sun", and to "Monday".."Sunday", for people to read; "?" out of range. */
const char *kith_day_short(int day);
const char *kith_day_long(int day);
/* 1..12 to "Jan".."Dec"; "?" out of range. */
const char *kith_month_short(int month);
/* "HH:MM" (24-hour) to minutes after midnight; -1 when malformed. */
int kith_time_parse(const char *text);
/* "weeks" attribute ("1 3", "last", "2 last") to KITH_WEEK bits; -1 when malformed. */
int kith_weeks_parse(const char *text);

/*
 * "YYYY-MM-DD" to days since 1970-01-01 (proleptic Gregorian); 0 on success,
 * -1 when malformed or not a real date.  A time zone suffix that xs:date
 * allows ("Z", "+01:00") is accepted and ignored.
 */
int kith_date_parse(const char *text, long *days);
/* Days since 1970-01-01 back to "YYYY-MM-DD" (out needs 11 bytes). */
void kith_date_format(long days, char *out);
/* Day of week of a date, 0 = mon .. 6 = sun. */
int kith_date_weekday(long days);
/* KITH_WEEK bits that describe a date: its week of the month (1..5) and KITH_WEEK_LAST when it is the last such weekday
 * of its month. */
unsigned kith_date_weeks(long days);
/* Today's date in local time, as days since 1970-01-01. */
long kith_date_today(void);

/*
 * Minutes of the longest overlap between one weekly session and the
 * availability windows (the whole session when has_availability is 0).
 */
int kith_session_overlap(const kith_session *s, const kith_availability_window *windows, size_t count,
			 int has_availability);

/*
 * The first date on or after from (days since epoch) on which session s
 * meets, honouring its weeks and the course bounds starts/ends (days; pass
 * LONG_MIN / LONG_MAX when unbounded); -1 when none within 400 days of
 * the first date it may meet (the later of from and starts).
 */
long kith_session_next(const kith_session *s, long from, long starts, long ends);

#endif
