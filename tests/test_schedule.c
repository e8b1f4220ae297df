/*
 * Days, times, weeks, dates and how weekly sessions meet availability.
 */
#include "support.h"

#include <limits.h>
#include <string.h>
#include <time.h>

#include "model/schedule.h"

static long date(const char *text)
{
	long d = 0;

	assert_int_equal(kith_date_parse(text, &d), 0);
	return d;
}

static void test_days(void **state)
{
	static const char *names[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	int i;

	(void)state;
	for (i = 0; i < 7; i++) {
		assert_int_equal(kith_day_parse(names[i]), i);
		assert_string_equal(kith_day_name(i), names[i]);
	}
	assert_int_equal(kith_day_parse("tues"), -1);
	assert_int_equal(kith_day_parse("Mon"), -1);
	assert_int_equal(kith_day_parse(""), -1);
	assert_int_equal(kith_day_parse(" mon"), -1);
	assert_int_equal(kith_day_parse(NULL), -1);
	assert_non_null(kith_day_name(7));
	assert_non_null(kith_day_name(-1));
}

static void test_times(void **state)
{
	(void)state;
	assert_int_equal(kith_time_parse("00:00"), 0);
	assert_int_equal(kith_time_parse("09:30"), 570);
	assert_int_equal(kith_time_parse("12:00"), 720);
	assert_int_equal(kith_time_parse("23:59"), 1439);
	assert_int_equal(kith_time_parse("24:00"), -1);
	assert_int_equal(kith_time_parse("12:60"), -1);
	assert_int_equal(kith_time_parse("9:00"), -1);
	assert_int_equal(kith_time_parse("09:00 "), -1);
	assert_int_equal(kith_time_parse("09.00"), -1);
	assert_int_equal(kith_time_parse("0a:00"), -1);
	assert_int_equal(kith_time_parse("-1:00"), -1);
	assert_int_equal(kith_time_parse(""), -1);
	assert_int_equal(kith_time_parse(NULL), -1);
}

static void test_weeks(void **state)
{
	(void)state;
	assert_int_equal(kith_weeks_parse("1"), (int)KITH_WEEK(1));
	assert_int_equal(kith_weeks_parse("1 3"), (int)(KITH_WEEK(1) | KITH_WEEK(3)));
	assert_int_equal(kith_weeks_parse("last"), (int)KITH_WEEK_LAST);
	assert_int_equal(kith_weeks_parse("2 last"), (int)(KITH_WEEK(2) | KITH_WEEK_LAST));
	assert_int_equal(kith_weeks_parse("  5\t1  "), (int)(KITH_WEEK(1) | KITH_WEEK(5)));
	assert_int_equal(kith_weeks_parse("1 2 3 4 5 last"), 0x3F);
	assert_int_equal(kith_weeks_parse(""), -1);
	assert_int_equal(kith_weeks_parse("   "), -1);
	assert_int_equal(kith_weeks_parse("0"), -1);
	assert_int_equal(kith_weeks_parse("6"), -1);
	assert_int_equal(kith_weeks_parse("13"), -1);
	assert_int_equal(kith_weeks_parse("1,3"), -1);
	assert_int_equal(kith_weeks_parse("first"), -1);
	assert_int_equal(kith_weeks_parse("lastly"), -1);
	assert_int_equal(kith_weeks_parse(NULL), -1);
}

static void test_date_parse(void **state)
{
	long d = 12345;

	(void)state;
	assert_int_equal(date("1970-01-01"), 0);
	assert_int_equal(date("1969-12-31"), -1);
	assert_int_equal(date("2026-11-23"), 20780);
	assert_int_equal(date("2026-12-01"), 20788);
	assert_int_equal(date("2000-02-29"), 11016);
	assert_int_equal(date("2024-02-29"), 19782);
	assert_int_equal(date("0001-01-01"), -719162);
	assert_int_equal(date("9999-12-31"), 2932896);
	/* the time zone xs:date allows does not move the date */
	assert_int_equal(date("2026-11-23Z"), 20780);
	assert_int_equal(date("2026-11-23+01:00"), 20780);
	assert_int_equal(date("2026-11-23-05:00"), 20780);

	assert_int_equal(kith_date_parse("2026-02-29", &d), -1);
	assert_int_equal(kith_date_parse("1900-02-29", &d), -1);
	assert_int_equal(kith_date_parse("2026-04-31", &d), -1);
	assert_int_equal(kith_date_parse("2026-13-01", &d), -1);
	assert_int_equal(kith_date_parse("2026-00-10", &d), -1);
	assert_int_equal(kith_date_parse("2026-01-00", &d), -1);
	assert_int_equal(kith_date_parse("0000-01-01", &d), -1);
	assert_int_equal(kith_date_parse("2026-1-01", &d), -1);
	assert_int_equal(kith_date_parse("20261123", &d), -1);
	assert_int_equal(kith_date_parse("2026/11/23", &d), -1);
	assert_int_equal(kith_date_parse("2026-11-23x", &d), -1);
	assert_int_equal(kith_date_parse("2026-11-23T09:00:00Z", &d), -1);
	assert_int_equal(kith_date_parse("2026-11-23+1:00", &d), -1);
	assert_int_equal(kith_date_parse(" 2026-11-23", &d), -1);
	assert_int_equal(kith_date_parse("", &d), -1);
	assert_int_equal(kith_date_parse(NULL, &d), -1);
	assert_int_equal(d, 12345); /* untouched on failure */
}

static void test_date_round_trip(void **state)
{
	char text[11];
	long d, back;

	(void)state;
	kith_date_format(0, text);
	assert_string_equal(text, "1970-01-01");
	kith_date_format(20780, text);
	assert_string_equal(text, "2026-11-23");
	kith_date_format(11016, text);
	assert_string_equal(text, "2000-02-29");
	kith_date_format(-1, text);
	assert_string_equal(text, "1969-12-31");
	kith_date_format(-719162, text);
	assert_string_equal(text, "0001-01-01");
	for (d = -719162; d <= 2932896; d += 97) {
		kith_date_format(d, text);
		assert_int_equal(strlen(text), 10);
		assert_int_equal(kith_date_parse(text, &back), 0);
		assert_int_equal(back, d);
	}
	/* every day of a leap year and the next, one by one */
	for (d = date("2023-12-25"); d <= date("2025-01-05"); d++) {
		kith_date_format(d, text);
		assert_int_equal(kith_date_parse(text, &back), 0);
		assert_int_equal(back, d);
	}
}

static void test_weekday(void **state)
{
	(void)state;
	assert_int_equal(kith_date_weekday(0), 3);  /* 1970-01-01 was a Thursday */
	assert_int_equal(kith_date_weekday(-1), 2); /* Wednesday */
	assert_int_equal(kith_date_weekday(-7), 3);
	assert_int_equal(kith_date_weekday(date("2026-11-23")), 0); /* Monday */
	assert_int_equal(kith_date_weekday(date("2026-12-01")), 1); /* Tuesday */
	assert_int_equal(kith_date_weekday(date("2000-02-29")), 1);
	assert_int_equal(kith_date_weekday(date("2024-02-29")), 3);
	assert_int_equal(kith_date_weekday(date("0001-01-01")), 0);
	assert_int_equal(kith_date_weekday(date("9999-12-31")), 4);
}

static void test_week_of_month(void **state)
{
	(void)state;
	/* November 2026 has 30 days */
	assert_int_equal(kith_date_weeks(date("2026-11-01")), KITH_WEEK(1));
	assert_int_equal(kith_date_weeks(date("2026-11-07")), KITH_WEEK(1));
	assert_int_equal(kith_date_weeks(date("2026-11-08")), KITH_WEEK(2));
	assert_int_equal(kith_date_weeks(date("2026-11-14")), KITH_WEEK(2));
	assert_int_equal(kith_date_weeks(date("2026-11-15")), KITH_WEEK(3));
	assert_int_equal(kith_date_weeks(date("2026-11-22")), KITH_WEEK(4));
	assert_int_equal(kith_date_weeks(date("2026-11-23")), KITH_WEEK(4));
	assert_int_equal(kith_date_weeks(date("2026-11-24")), KITH_WEEK(4) | KITH_WEEK_LAST);
	assert_int_equal(kith_date_weeks(date("2026-11-28")), KITH_WEEK(4) | KITH_WEEK_LAST);
	assert_int_equal(kith_date_weeks(date("2026-11-29")), KITH_WEEK(5) | KITH_WEEK_LAST);
	assert_int_equal(kith_date_weeks(date("2026-11-30")), KITH_WEEK(5) | KITH_WEEK_LAST);
	/* February: 28 days, or 29 in a leap year */
	assert_int_equal(kith_date_weeks(date("2026-02-21")), KITH_WEEK(3));
	assert_int_equal(kith_date_weeks(date("2026-02-22")), KITH_WEEK(4) | KITH_WEEK_LAST);
	assert_int_equal(kith_date_weeks(date("2024-02-22")), KITH_WEEK(4));
	assert_int_equal(kith_date_weeks(date("2024-02-23")), KITH_WEEK(4) | KITH_WEEK_LAST);
	assert_int_equal(kith_date_weeks(date("2024-02-29")), KITH_WEEK(5) | KITH_WEEK_LAST);
	assert_int_equal(kith_date_weeks(date("2026-12-31")), KITH_WEEK(5) | KITH_WEEK_LAST);
}

static void test_today(void **state)
{
	long today = kith_date_today(), utc = (long)(time(NULL) / 86400);

	(void)state;
	/* local time is at most a day either side of UTC */
	assert_true(today >= utc - 1 && today <= utc + 1);
}

static void test_overlap(void **state)
{
	const kith_session tue = {1, 12 * 60, 14 * 60, 0};
	const kith_availability_window none[1] = {{0, 0, 0}};
	const kith_availability_window later[] = {{1, 13 * 60, 17 * 60}};
	const kith_availability_window other_day[] = {{0, 9 * 60, 17 * 60}, {2, 9 * 60, 17 * 60}};
	const kith_availability_window inside[] = {{1, 12 * 60 + 15, 12 * 60 + 45}};
	const kith_availability_window touching[] = {{1, 9 * 60, 12 * 60}, {1, 14 * 60, 16 * 60}};
	const kith_availability_window split[] = {{1, 11 * 60, 12 * 60 + 40}, {1, 13 * 60, 13 * 60 + 50}};
	const kith_availability_window covering[] = {{1, 0, 24 * 60}};

	(void)state;
	assert_int_equal(kith_session_overlap(&tue, NULL, 0, 0), 120);
	assert_int_equal(kith_session_overlap(&tue, none, 0, 0), 120);
	/* an <availability> with no windows: never free */
	assert_int_equal(kith_session_overlap(&tue, none, 0, 1), 0);
	assert_int_equal(kith_session_overlap(&tue, later, 1, 1), 60);
	assert_int_equal(kith_session_overlap(&tue, other_day, 2, 1), 0);
	assert_int_equal(kith_session_overlap(&tue, inside, 1, 1), 30);
	assert_int_equal(kith_session_overlap(&tue, touching, 2, 1), 0);
	/* the longest overlap, not the sum */
	assert_int_equal(kith_session_overlap(&tue, split, 2, 1), 50);
	assert_int_equal(kith_session_overlap(&tue, covering, 1, 1), 120);
}

static void test_next(void **state)
{
	const kith_session tue = {1, 12 * 60, 14 * 60, 0};
	const kith_session tue_1_3 = {1, 12 * 60, 14 * 60, KITH_WEEK(1) | KITH_WEEK(3)};
	const kith_session tue_last = {1, 12 * 60, 14 * 60, KITH_WEEK_LAST};
	const kith_session mon_5 = {0, 10 * 60, 11 * 60, KITH_WEEK(5)};
	const kith_session bad_day = {9, 10 * 60, 11 * 60, 0};
	long today = date("2026-11-23"); /* a Monday */

	(void)state;
	assert_int_equal(kith_session_next(&tue, today, LONG_MIN, LONG_MAX), date("2026-11-24"));
	assert_int_equal(kith_session_next(&tue, date("2026-11-24"), LONG_MIN, LONG_MAX), date("2026-11-24"));
	assert_int_equal(kith_session_next(&tue, date("2026-11-25"), LONG_MIN, LONG_MAX), date("2026-12-01"));
	assert_int_equal(kith_session_next(&tue_1_3, today, LONG_MIN, LONG_MAX), date("2026-12-01"));
	assert_int_equal(kith_session_next(&tue_1_3, date("2026-12-02"), LONG_MIN, LONG_MAX), date("2026-12-15"));
	assert_int_equal(kith_session_next(&tue_last, today, LONG_MIN, LONG_MAX), date("2026-11-24"));
	assert_int_equal(kith_session_next(&tue_last, date("2026-11-25"), LONG_MIN, LONG_MAX), date("2026-12-29"));
	assert_int_equal(kith_session_next(&mon_5, date("2026-11-01"), LONG_MIN, LONG_MAX), date("2026-11-30"));
	/* course bounds */
	assert_int_equal(kith_session_next(&tue, today, date("2027-01-10"), LONG_MAX), date("2027-01-12"));
	assert_int_equal(kith_session_next(&tue, today, date("2026-09-01"), date("2026-11-20")), -1);
	assert_int_equal(kith_session_next(&tue, today, date("2026-09-01"), date("2026-11-24")), date("2026-11-24"));
	assert_int_equal(kith_session_next(&tue, today, LONG_MIN, date("2026-11-23")), -1);
	assert_int_equal(kith_session_next(&tue_1_3, today, LONG_MIN, date("2026-11-30")), -1);
	assert_int_equal(kith_session_next(&bad_day, today, LONG_MIN, LONG_MAX), -1);
	assert_int_equal(kith_session_next(&tue, LONG_MAX - 3, LONG_MIN, LONG_MAX), -1);
}

/* Every week of the month pattern finds a date within the horizon, and it is the right one. */
static void test_next_agrees_with_weeks(void **state)
{
	long from, d;
	int day, w;

	(void)state;
	for (from = date("2026-01-01"); from < date("2027-01-01"); from += 11) {
		for (day = 0; day < 7; day++) {
			for (w = 0; w < 6; w++) {
				kith_session s = {day, 600, 660, w < 5 ? KITH_WEEK(w + 1) : KITH_WEEK_LAST};
				long next = kith_session_next(&s, from, LONG_MIN, LONG_MAX);
				assert_true(next >= from);
				assert_int_equal(kith_date_weekday(next), day);
				assert_true((kith_date_weeks(next) & s.weeks) != 0);
				for (d = from; d < next; d++)
					assert_false(kith_date_weekday(d) == day && (kith_date_weeks(d) & s.weeks));
			}
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_weeks),
		cmocka_unit_test(test_date_parse),
		cmocka_unit_test(test_date_round_trip),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_week_of_month),
		cmocka_unit_test(test_today),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_next),
		cmocka_unit_test(test_next_agrees_with_weeks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
