/*
 * The HSDS importer (src/import/hsds.c, hsds_csv.c): a hand-written
 * datapackage covering each mapping rule, HSDS 3.0 JSON, each kind of bad
 * input (written to a temporary folder when it is generated), and the real
 * 211 Miami export in ../shared (skipped when it is absent).  Every feed
 * written is loaded into a real index.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kith/import.h"
#include "kith/index.h"
#include "util/buf.h"

#define DATA "tests/data/import/hsds/"

/* What one import gave: its code, report, feed text and diagnostics as text. */
typedef struct imported {
	int rc;
	kith_import_report report;
	char *feed;  /* the feed written (empty when nothing was) */
	char *diags; /* "name:line:column: [warning: ]message\n" each, the file by its last name */
	char *dir;   /* a temporary folder holding the feed */
	char *path;  /* the feed's path */
} imported;

/* The last component of path. */
static const char *last_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static char *diag_text(const kith_diag_list *diags)
{
	kith_buf b = KITH_BUF_INIT;
	size_t i;

	kith_buf_puts(&b, "");
	for (i = 0; i < kith_diag_list_count(diags); i++) {
		const kith_diag *d = kith_diag_list_get(diags, i);
		kith_buf_printf(&b, "%s:%u:%u: %s%s\n", last_name(d->file), d->line, d->column,
				d->severity == KITH_DIAG_WARNING ? "warning: " : "", d->message);
	}
	return kith_buf_detach(&b);
}

static imported import_input(const char *input)
{
	imported r;
	kith_import_opts opts = KITH_IMPORT_OPTS_INIT;
	kith_diag_list *diags = NULL;
	const char *inputs[1] = {input};
	FILE *out;

	memset(&r, 0, sizeof(r));
	opts.feed_id = "hsds-test";
	assert_non_null(r.dir = ks_tmpdir());
	r.path = ks_write(r.dir, "feed.xml", "");
	assert_int_equal(kith_diag_list_new(&diags), 0);
	assert_non_null(out = fopen(r.path, "wb"));
	r.rc = kith_import(KITH_IMPORT_HSDS, inputs, 1, &opts, out, &r.report, diags);
	fclose(out);
	r.feed = ks_read(r.path);
	r.diags = diag_text(diags);
	kith_diag_list_free(diags);
	return r;
}

static void release(imported *r)
{
	ks_rmtree(r->dir);
	free(r->dir);
	free(r->path);
	free(r->feed);
	free(r->diags);
}

/* Asserts that text contains needle, showing text when it does not. */
static void assert_has(const char *text, const char *needle)
{
	if (!ks_contains(text, needle))
		fprintf(stderr, "--- looked for:\n%s\n--- in:\n%s\n", needle, text ? text : "(null)");
	assert_true(ks_contains(text, needle));
}

/* How many times needle occurs in text. */
static size_t count_of(const char *text, const char *needle)
{
	size_t n = 0;

	for (; (text = strstr(text, needle)) != NULL; text += strlen(needle))
		n++;
	return n;
}

static void assert_lacks(const char *text, const char *needle)
{
	if (ks_contains(text, needle))
		fprintf(stderr, "--- did not expect:\n%s\n--- in:\n%s\n", needle, text);
	assert_false(ks_contains(text, needle));
}

/* The XML of the group with id, up to its end (static storage, cut at 64 KiB). */
static const char *group_xml(const char *feed, const char *id)
{
	static char text[65536];
	char open[256];
	const char *start, *end;

	snprintf(open, sizeof(open), "<group id=\"%s\"", id);
	start = strstr(feed, open);
	if (!start)
		fprintf(stderr, "no group %s in:\n%s\n", id, feed);
	assert_non_null(start);
	end = strstr(start, "</group>");
	assert_non_null(end);
	snprintf(text, sizeof(text), "%.*s", (int)(end - start), start);
	return text;
}

/* Loads the feed into a new index, which must take every group written. */
static void assert_loads(const imported *r)
{
	kith_index *idx = NULL;
	kith_load_report rep;
	kith_diag_list *diags = NULL;
	kith_buf db = KITH_BUF_INIT;
	char *text;

	kith_buf_printf(&db, "%s/index.db", r->dir);
	assert_int_equal(kith_index_open(&idx, db.ptr, KITH_OPEN_CREATE), 0);
	assert_int_equal(kith_diag_list_new(&diags), 0);
	memset(&rep, 0, sizeof(rep));
	if (kith_index_load(idx, r->path, NULL, &rep, diags) != 0) {
		text = diag_text(diags);
		fprintf(stderr, "the feed did not load:\n%s", text);
		free(text);
		fail();
	}
	assert_int_equal(rep.added, r->report.written);
	assert_int_equal(rep.errors, 0);
	kith_diag_list_free(diags);
	kith_index_free(idx);
	kith_buf_release(&db);
}

/* A temporary package folder holding services.csv (and more with add_file). */
static char *package_with(const char *services)
{
	char *dir = ks_tmpdir();
	free(ks_write(dir, "services.csv", services));
	return dir;
}

static void add_file(const char *dir, const char *name, const char *content)
{
	free(ks_write(dir, name, content));
}

/* ---- the hand-written package ----------------------------------------- */

static void test_package_report_and_warnings(void **state)
{
	imported r = import_input(ks_src(DATA "package"));

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.diags,
			    "eligibility.csv:0:0: warning: 1 of 3 rows name no service_id: they cannot be joined "
			    "and are left out\n"
			    "services.csv:7:1: warning: service 'nameless' has no name: left out\n"
			    "services.csv:8:1: warning: a service with no id: left out\n"
			    "services.csv:9:1: warning: service 'closed' is defunct: left out\n"
			    "locations.csv:5:0: warning: latitude '95.5', longitude '-200' is no point on the "
			    "earth: left out\n"
			    "regular_schedules.csv:6:0: warning: schedule: unknown weekday 'Funday': left out\n"
			    "regular_schedules.csv:7:0: warning: schedule: opens at '17:00', after it closes at "
			    "'09:00': left out\n"
			    "regular_schedules.csv:8:0: warning: schedule: a time that cannot be read ('25:00' to "
			    "'26:00'): left out\n");
	assert_int_equal(r.report.records, 10);
	assert_int_equal(r.report.written, 7);
	assert_int_equal(r.report.skipped, 3);
	assert_int_equal(r.report.placed, 3);
	assert_int_equal(r.report.scheduled, 4);
	assert_int_equal(r.report.hours_text, 2);
	assert_int_equal(r.report.eligibility, 3);
	assert_int_equal(r.report.access, 2);
	assert_loads(&r);
	release(&r);
}

static void test_package_service_fields(void **state)
{
	imported r = import_input(ks_src(DATA "package"));
	const char *g;

	(void)state;
	assert_int_equal(r.rc, 0);
	g = group_xml(r.feed, "pantry");
	/* HTML made text, the organisation joined, the modified date, the phone with its extension */
	assert_has(g, "updated=\"2024-03-05\"");
	assert_has(g, "<name>Food Pantry</name>");
	assert_has(g, "<organisation>Little Havana Community Center</organisation>");
	assert_has(g, "<description>Free groceries &amp; fresh fruit.\n\nBring a bag, please.\n\nHow to apply: Walk in"
		      "\n\nEligibility: 18+\n\nArea served: Miami-Dade County</description>");
	assert_has(g, "<needs><need>food</need></needs>");
	/* a US ZIP stays in the address, not a postcode */
	assert_has(g, "<address>700 SW 8th Street, Miami, FL 33130</address>");
	assert_lacks(g, "<postcode>");
	assert_has(g, "<point lat=\"25.774200\" lon=\"-80.234100\"/>");
	/* weekday 1 is Monday; "9:00 AM" to "12:30 PM" */
	assert_has(g, "<session day=\"mon\" start=\"09:00\" end=\"12:00\"/>");
	assert_has(g, "<session day=\"wed\" start=\"09:00\" end=\"12:30\"/>");
	assert_has(g, "<access wheelchair=\"yes\"/>");
	assert_has(g, "<eligibility min-age=\"18\"/>");
	assert_has(g, "<cost free=\"yes\"/>");
	assert_has(g, "<capacity status=\"open\"/>");
	assert_has(g, "<languages>en es ht</languages>");
	assert_has(g, "<contact phone=\"305-555-0100 ext. 12\" email=\"pantry@lhcc.example\" "
		      "web=\"https://lhcc.example/pantry\"/>");
	release(&r);
}

static void test_package_joins_and_text(void **state)
{
	imported r = import_input(ks_src(DATA "package"));
	const char *g;

	(void)state;
	g = group_xml(r.feed, "lunch");
	/* "\n" written as two characters, the county markers dropped; dollars stay text */
	assert_has(g, "<description>Hot lunch, chat and dominoes.\n\nEveryone welcome.\n\nFees: $5 per meal\n\n"
		      "Interpretation: Spanish and Creole volunteers\n\nAccessibility: Ramp at the side door\n\n"
		      "Languages: other languages available upon request</description>");
	assert_lacks(g, "###");
	assert_lacks(g, "<cost");
	/* senior centers mean company; "Older Adults" says who, not what, and is not mapped */
	assert_has(g, "<needs><need>loneliness</need></needs>");
	/* a place's name that says more than the street's is kept */
	assert_has(g, "<address>Church Hall, 12 NW 2nd Ave, Suite 3, Miami, FL 33128</address>");
	/* schedules joined through service_at_location, byday "TU,TH", 11:30:00 */
	assert_has(g, "<session day=\"tue\" start=\"11:30\" end=\"13:30\"/>");
	assert_has(g, "<session day=\"thu\" start=\"11:30\" end=\"13:30\"/>");
	assert_has(g, "<access step-free=\"yes\" parking=\"yes\"/>");
	assert_has(g, "<eligibility min-age=\"60\"/>");
	assert_has(g, "<languages>es</languages>");
	/* the organisation's phone when the service has none, its quoted name read */
	assert_has(g, "<organisation>Friends of &quot;Tuesday&quot; Club</organisation>");
	assert_has(g, "<contact phone=\"305-555-0199\" web=\"www.friends.example\"/>");
	release(&r);
}

static void test_package_status_gender_postcode_hours(void **state)
{
	imported r = import_input(ks_src(DATA "package"));
	const char *g;

	(void)state;
	/* a quoted name over two lines is one line; temporarily closed; "Women" */
	g = group_xml(r.feed, "paused");
	assert_has(g, "<name>Knit and Natter</name>");
	assert_has(g, "<description>A knitting group, with tea.\nWool provided.");
	assert_has(g, "<eligibility gender=\"female\"/>");
	assert_has(g, "<capacity status=\"closed\"/>");
	/* a UK postcode is the venue's postcode */
	g = group_xml(r.feed, "london");
	assert_has(g, "<address>Trafalgar Square, London</address>");
	assert_has(g, "<postcode>WC2N 5DN</postcode>");
	assert_has(g, "<session day=\"sat\" start=\"10:00\" end=\"12:00\"/>");
	assert_has(g, "<cost free=\"yes\"/>");
	/* hours as text: read when sure, else kept */
	g = group_xml(r.feed, "text-hours");
	assert_has(g, "<session day=\"fri\" start=\"09:00\" end=\"17:00\"/>");
	assert_has(group_xml(r.feed, "vague-hours"), "<description>Hours: Tuesday and Thursday evenings</description>");
	/* no readable schedule row: its original text is kept; an age range backwards is dropped */
	g = group_xml(r.feed, "bad-sched");
	assert_has(g, "<description>Hours: Fridays after prayers</description>");
	assert_lacks(g, "<schedule>");
	assert_lacks(g, "<point");
	assert_lacks(g, "<eligibility");
	/* left out: no name, no id, defunct */
	assert_lacks(r.feed, "nameless");
	assert_lacks(r.feed, "Old Club");
	assert_lacks(r.feed, "Service With No Id");
	/* a resource path that leaves the folder is not followed */
	assert_lacks(r.diags, "passwd");
	release(&r);
}

static void test_folder_without_descriptor(void **state)
{
	imported r = import_input(ks_src(DATA "flat"));

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 1);
	assert_has(r.feed, "<name>Flat Club</name>");
	assert_loads(&r);
	release(&r);
	/* services.csv named itself: its folder is read */
	r = import_input(ks_src(DATA "package/data/services.csv"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 7);
	release(&r);
}

/* ---- schedules, ages, languages from generated packages ----------------- */

static void test_schedule_forms(void **state)
{
	char *dir = package_with("id,name\ns,Times\n");
	imported r;
	const char *g;

	(void)state;
	add_file(dir, "regular_schedules.csv",
		 "service_id,weekday,byday,opens_at,closes_at\n"
		 "s,Mon,,8:00am,5:00\n" /* closes "5:00" after opening in the morning: the afternoon */
		 "s,,SA,9 AM,12 noon\n" /* "12 noon" is no time: left out */
		 "s,7,,10:00,00:00\n"   /* 7 is Sunday; closing at midnight is 23:59 */
		 "s,Tues,,12:00pm,1:30 p.m.\n"
		 "s,Fridays,,18:00,19:00\n"
		 "s,Thursday,,09:00-05:00,17:00:00Z\n" /* a zone is the service's own: left aside */
		 "s,0,,10:00,11:00\n"                  /* no day 0 */
		 "s,Wednesday,,noon,midnight\n");
	r = import_input(dir);
	assert_int_equal(r.rc, 0);
	g = group_xml(r.feed, "s");
	assert_has(g, "<session day=\"mon\" start=\"08:00\" end=\"17:00\"/>");
	assert_has(g, "<session day=\"sun\" start=\"10:00\" end=\"23:59\"/>");
	assert_has(g, "<session day=\"tue\" start=\"12:00\" end=\"13:30\"/>");
	assert_has(g, "<session day=\"fri\" start=\"18:00\" end=\"19:00\"/>");
	assert_has(g, "<session day=\"thu\" start=\"09:00\" end=\"17:00\"/>");
	assert_has(g, "<session day=\"wed\" start=\"12:00\" end=\"23:59\"/>");
	assert_lacks(g, "day=\"sat\"");
	assert_has(r.diags, "regular_schedules.csv:3:0: warning: schedule: a time that cannot be read ('9 AM' to "
			    "'12 noon')");
	assert_has(r.diags, "regular_schedules.csv:8:0: warning: schedule: unknown weekday '0'");
	assert_loads(&r);
	release(&r);
	ks_rmtree(dir);
	free(dir);
}

/* The ages read from one eligibility text, as the feed writes them ("" when none). */
static void assert_ages(const char *text, const char *expected)
{
	kith_buf csv = KITH_BUF_INIT;
	char *dir = package_with("id,name\ns,Ages\n");
	imported r;
	const char *g, *e;

	kith_buf_printf(&csv, "service_id,eligibility\ns,\"%s\"\n", text);
	add_file(dir, "eligibility.csv", csv.ptr);
	r = import_input(dir);
	assert_int_equal(r.rc, 0);
	g = group_xml(r.feed, "s");
	e = strstr(g, "<eligibility");
	if (!*expected) {
		assert_null(e);
	} else {
		assert_non_null(e);
		assert_has(e, expected);
	}
	release(&r);
	ks_rmtree(dir);
	free(dir);
	kith_buf_release(&csv);
}

static void test_eligibility_ages(void **state)
{
	(void)state;
	assert_ages("18+", "<eligibility min-age=\"18\"/>");
	assert_ages("Ages 5-17", "<eligibility min-age=\"5\" max-age=\"17\"/>");
	assert_ages("Adults 60 years of age and older.", "<eligibility min-age=\"60\"/>");
	assert_ages("Children under 12", "<eligibility max-age=\"11\"/>");
	assert_ages("Youth 14 to 21 years old", "<eligibility min-age=\"14\" max-age=\"21\"/>");
	assert_ages("Men", "<eligibility gender=\"male\"/>");
	/* two ages, or an unsure one: none read */
	assert_ages("All girls, 5-17 years old. Adult members over 18 years old.", "");
	assert_ages("Over 18", "");
	assert_ages("Crime must be reported within 72 hours", "");
	assert_ages("Women and children", "");
	assert_ages("Income below $25000 for 2 people", "");
}

static void test_languages_and_access_words(void **state)
{
	char *dir = package_with("id,name\ns,Words\n");
	imported r;
	const char *g;

	(void)state;
	add_file(dir, "services_at_location.csv", "service_id,location_id\ns,l\n");
	add_file(dir, "locations.csv", "id,name,latitude,longitude\nl,Hall,0,0\n");
	add_file(dir, "accessibility_for_disabilities.csv",
		 "location_id,accessibility,details\nl,elevator,\nl,restroom,\nl,Hearing loop in the hall,\n"
		 "l,tape_braille,\nl,Not wheelchair accessible,\n");
	add_file(dir, "languages.csv",
		 "service_id,language\ns,English and Spanish\ns,Haitian-Creole\ns,Mandarin\ns,fr\n"
		 "s,Klingon\ns,American Sign Language\n");
	r = import_input(dir);
	assert_int_equal(r.rc, 0);
	g = group_xml(r.feed, "s");
	assert_has(g, "<languages>en es ht zh fr</languages>");
	assert_has(g, "Languages: Klingon\n\nLanguages: American Sign Language");
	assert_has(g, "<access wheelchair=\"no\" step-free=\"yes\" hearing-loop=\"yes\" accessible-toilet=\"yes\"/>");
	assert_has(g, "Accessibility: tape_braille");
	/* 0, 0 is no place: the venue has only its name */
	assert_has(r.diags, "locations.csv:2:0: warning: the point 0, 0 is a missing point, not a place: left out");
	assert_lacks(g, "<point");
	assert_loads(&r);
	release(&r);
	ks_rmtree(dir);
	free(dir);
}

/* ---- bad inputs -------------------------------------------------------- */

static void test_wrong_kind_of_input(void **state)
{
	imported r;

	(void)state;
	r = import_input(ks_src(DATA "empty"));
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.diags, "empty:0:0: expected an HSDS datapackage: a folder with datapackage.json or services.csv");
	assert_string_equal(r.feed, ""); /* nothing written */
	release(&r);
	r = import_input(ks_src(DATA "not_hsds.json"));
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.diags, "not_hsds.json:1:1: expected HSDS: a datapackage folder, a service, an array of services");
	release(&r);
	r = import_input(ks_src(DATA "no-such-folder"));
	assert_int_equal(r.rc, KITH_EIO);
	assert_has(r.diags, "no-such-folder:0:0: cannot be read");
	release(&r);
}

static void test_not_services_table(void **state)
{
	char *dir = package_with("number,title\n1,Not a service\n");
	imported r = import_input(dir);

	(void)state;
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.diags, "services.csv:1:1: expected HSDS services.csv with 'id' and 'name' columns");
	assert_string_equal(r.feed, "");
	release(&r);
	ks_rmtree(dir);
	free(dir);
}

static void test_broken_and_truncated_csv(void **state)
{
	imported r;

	(void)state;
	r = import_input(ks_src(DATA "broken_quote"));
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.diags, "services.csv:2:0: a quote is not where CSV allows one");
	assert_string_equal(r.feed, "");
	release(&r);
	r = import_input(ks_src(DATA "truncated"));
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.diags, "services.csv:3:0: the file ends inside a quoted field: it is cut short or a quote is "
			    "missing");
	assert_string_equal(r.feed, "");
	release(&r);
}

static void test_bom_blank_lines_and_wide_records(void **state)
{
	kith_buf csv = KITH_BUF_INIT;
	char *dir = package_with("\xEF\xBB\xBFid,name\r\n\r\na,First\r\n\r\n\r\nb,\r\nc,\"Two\n\nlines\"\nd,\n");
	imported r;
	int i;

	(void)state;
	r = import_input(dir);
	assert_int_equal(r.rc, 0);
	/* a BOM before the header; blank lines between records are counted */
	assert_string_equal(r.diags, "services.csv:6:1: warning: service 'b' has no name: left out\n"
				     "services.csv:10:1: warning: service 'd' has no name: left out\n");
	assert_has(r.feed, "<name>First</name>");
	assert_has(r.feed, "<name>Two lines</name>");
	release(&r);
	/* a record of 300 fields is no table of HSDS */
	kith_buf_puts(&csv, "id,name\ns,Wide");
	for (i = 0; i < 300; i++)
		kith_buf_puts(&csv, ",x");
	kith_buf_puts(&csv, "\n");
	add_file(dir, "services.csv", csv.ptr);
	r = import_input(dir);
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.diags, "services.csv:2:0: a record of more than 256 fields: not a table of HSDS");
	release(&r);
	kith_buf_release(&csv);
	ks_rmtree(dir);
	free(dir);
}

static void test_broken_descriptor(void **state)
{
	char *dir = package_with("id,name\ns,Fine\n");
	imported r;

	(void)state;
	add_file(dir, "datapackage.json", "{\"resources\": [");
	r = import_input(dir);
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.diags, "datapackage.json:");
	assert_has(r.diags, "not valid JSON");
	release(&r);
	add_file(dir, "datapackage.json", "{\"resources\": {}}");
	r = import_input(dir);
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.diags, "datapackage.json:1:1: a datapackage descriptor without a 'resources' list");
	release(&r);
	ks_rmtree(dir);
	free(dir);
}

static void test_invalid_utf8(void **state)
{
	static const char services[] = "id,name,description\ns,Caf\xe9 Club,\"Bad \xff\xfe bytes, \xc3\x28 here\"\n";
	char *dir = ks_tmpdir();
	imported r;

	(void)state;
	free(ks_write_bytes(dir, "services.csv", services, sizeof(services) - 1));
	r = import_input(dir);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 1);
	assert_has(r.feed, "<name>Caf");
	assert_loads(&r); /* the bytes XML cannot hold were replaced */
	release(&r);
	ks_rmtree(dir);
	free(dir);
}

static void test_huge_fields(void **state)
{
	kith_buf csv = KITH_BUF_INIT;
	char *dir = ks_tmpdir();
	imported r;
	size_t i;

	(void)state;
	/* a 100 KB description is written cut, with an ellipsis */
	kith_buf_init(&csv, 0);
	kith_buf_puts(&csv, "id,name,description\nbig,Big,\"");
	for (i = 0; i < 100000 / 10; i++)
		kith_buf_puts(&csv, "long text ");
	kith_buf_puts(&csv, "\"\nnext,Next,small\n");
	free(ks_write(dir, "services.csv", csv.ptr));
	r = import_input(dir);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 2);
	assert_has(group_xml(r.feed, "big"), "long text \xE2\x80\xA6</description>");
	assert_loads(&r);
	release(&r);
	/* a 2 MiB field is no directory's: the import stops */
	kith_buf_clear(&csv);
	kith_buf_puts(&csv, "id,name,description\nhuge,Huge,\"");
	for (i = 0; i < (2u << 20) / 10; i++)
		kith_buf_puts(&csv, "long text ");
	kith_buf_puts(&csv, "\"\n");
	free(ks_write(dir, "services.csv", csv.ptr));
	r = import_input(dir);
	assert_int_equal(r.rc, KITH_ETOOLARGE);
	assert_has(r.diags, "services.csv:2:0: a field of more than 1 MiB: not a table of HSDS");
	assert_string_equal(r.feed, "");
	release(&r);
	kith_buf_release(&csv);
	ks_rmtree(dir);
	free(dir);
}

/* One service joined to 20,000 rows of each table: linear time and memory, the description and sessions capped. */
static void test_many_rows_for_one_service(void **state)
{
	kith_buf elig = KITH_BUF_INIT, sched = KITH_BUF_INIT, lang = KITH_BUF_INIT;
	char *dir = package_with("id,name\ns,Hostile\n");
	struct timespec t0, t1;
	imported r;
	int i;

	(void)state;
	kith_buf_init(&elig, 0);
	kith_buf_init(&sched, 0);
	kith_buf_init(&lang, 0);
	kith_buf_puts(&elig, "service_id,eligibility\n");
	kith_buf_puts(&sched, "service_id,weekday,opens_at,closes_at\n");
	kith_buf_puts(&lang, "service_id,language\n");
	for (i = 0; i < 20000; i++) {
		kith_buf_printf(&elig, "s,Rule number %d of many rules that go on\n", i);
		kith_buf_printf(&sched, "s,Monday,%02d:%02d,23:%d\n", (i / 60) % 23, i % 60, 58 + i % 2);
		kith_buf_printf(&lang, "s,Language%d\n", i);
	}
	add_file(dir, "eligibility.csv", elig.ptr);
	add_file(dir, "regular_schedules.csv", sched.ptr);
	add_file(dir, "languages.csv", lang.ptr);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = import_input(dir);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r.rc, 0);
	assert_true(t1.tv_sec - t0.tv_sec < 20); /* each row once: a copy of all before it per row took minutes */
	assert_has(r.diags, "regular_schedules.csv:0:0: warning: service 's' has more than 100 sessions: the rest "
			    "left out\n");
	assert_int_equal(count_of(r.feed, "<session "), 100);
	assert_has(r.feed, "\xE2\x80\xA6</description>");
	assert_loads(&r);
	release(&r);
	/* the same in JSON, with 20,000 locations too */
	kith_buf_clear(&elig);
	kith_buf_puts(&elig, "{\"id\": \"j\", \"name\": \"J\", \"schedules\": [");
	for (i = 0; i < 20000; i++)
		kith_buf_printf(&elig, "%s{\"byday\": \"MO\", \"opens_at\": \"%02d:%02d\", \"closes_at\": \"23:59\"}",
				i ? "," : "", (i / 60) % 23, i % 60);
	kith_buf_puts(&elig, "], \"service_at_locations\": [");
	for (i = 0; i < 20000; i++)
		kith_buf_printf(&elig, "%s{\"location\": {\"latitude\": 51.5, \"longitude\": -0.1}}", i ? "," : "");
	kith_buf_puts(&elig, "], \"eligibility_description\": \"x\"}");
	add_file(dir, "service.json", elig.ptr);
	kith_buf_clear(&sched);
	kith_buf_printf(&sched, "%s/service.json", dir);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = import_input(sched.ptr);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_int_equal(r.rc, 0);
	assert_true(t1.tv_sec - t0.tv_sec < 20);
	assert_has(r.diags, "service 1: more than 100 sessions: the rest left out");
	assert_int_equal(count_of(r.feed, "<session "), 100);
	assert_int_equal(count_of(r.feed, "<venue>"), 32);
	assert_loads(&r);
	release(&r);
	kith_buf_release(&elig);
	kith_buf_release(&sched);
	kith_buf_release(&lang);
	ks_rmtree(dir);
	free(dir);
}

/* ---- HSDS 3.0 JSON ----------------------------------------------------- */

static void test_json_service(void **state)
{
	imported r = import_input(ks_src(DATA "service.json"));
	const char *g;

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.diags, "");
	assert_int_equal(r.report.written, 1);
	g = group_xml(r.feed, "ac148810-d857-441c-9679-408f346de14b");
	assert_has(g, "updated=\"2024-06-02\""); /* the later of assured_date and last_modified */
	assert_has(g, "<name>Community Lunch &amp; Chat</name>");
	assert_has(g, "<organisation>Example Trust</organisation>");
	assert_has(g, "<needs><need>food</need></needs>");
	assert_has(g, "<activities><activity>community-meal</activity></activities>");
	assert_has(g, "<address>Albert Square, Manchester</address>");
	assert_has(g, "<postcode>M60 2LA</postcode>");
	assert_has(g, "<point lat=\"53.479400\" lon=\"-2.245300\"/>");
	assert_has(g, "<online/>"); /* a virtual location */
	assert_has(g, "<session day=\"thu\" start=\"12:00\" end=\"14:00\"/>");
	assert_has(g, "<access wheelchair=\"yes\"/>");
	assert_has(g, "<eligibility min-age=\"55\" max-age=\"120\"/>");
	assert_has(g, "<cost free=\"yes\"/>");
	assert_has(g, "<languages>cy pl</languages>");
	assert_has(g, "Area served: Manchester");
	assert_has(g,
		   "<contact phone=\"0161 496 0000\" email=\"lunch@example.org\" web=\"https://example.org/lunch\"/>");
	assert_loads(&r);
	release(&r);
}

static void test_json_page(void **state)
{
	imported r = import_input(ks_src(DATA "page.json"));

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.diags,
			    "page.json:0:0: warning: service 2 (id b) has no name: left out\n"
			    "page.json:0:0: warning: service 3 is not an object: left out\n"
			    "page.json:0:0: warning: service 4 (id c) is inactive: left out\n"
			    "page.json:0:0: warning: latitude 'north', longitude '2' is no point on the earth: "
			    "left out\n");
	assert_int_equal(r.report.records, 5);
	assert_int_equal(r.report.written, 2);
	assert_int_equal(r.report.skipped, 3);
	assert_int_equal(r.report.hours_text, 1);
	assert_has(group_xml(r.feed, "a"), "<session day=\"fri\" start=\"10:00\" end=\"11:30\"/>");
	assert_has(group_xml(r.feed, "d"), "Hours: Tuesday and Thursday evenings");
	assert_loads(&r);
	release(&r);
}

static void test_json_repeats_and_costs(void **state)
{
	imported r = import_input(ks_src(DATA "rrule.json"));
	const char *g;

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.diags,
			    "rrule.json:0:0: warning: service 1: schedule 4: repeats 'WEEKLY' every 2: not a "
			    "weekly or monthly pattern, left out\n"
			    "rrule.json:0:0: warning: service 1: schedule 5: repeats 'YEARLY': not a "
			    "weekly or monthly pattern, left out\n"
			    "rrule.json:0:0: warning: service 1: schedule 6: repeats 'MONTHLY': not a "
			    "weekly or monthly pattern, left out\n"
			    "rrule.json:0:0: warning: service 1: schedule 7: unknown weekday '-2MO': left out\n");
	g = group_xml(r.feed, "club");
	/* RRULE's ordinals are weeks of the month; DAILY is every day */
	assert_has(g, "<schedule starts=\"2025-01-07\" ends=\"2025-06-24\">");
	assert_has(g, "<session day=\"tue\" start=\"14:00\" end=\"16:00\" weeks=\"2 4\"/>");
	assert_has(g, "<session day=\"fri\" start=\"10:00\" end=\"12:00\" weeks=\"last\"/>");
	assert_has(g, "<session day=\"sun\" start=\"08:00\" end=\"09:00\"/>");
	assert_lacks(g, "day=\"sat\" start=\"10:00\"");
	assert_has(g, "<cost amount=\"3.50\" per=\"session\"/>");
	assert_has(g, "<description>Also known as: Second Tuesday Club</description>");
	/* dollars are not pounds; an alternate name that is the name says nothing */
	g = group_xml(r.feed, "dollars");
	assert_has(g, "<description>Cost: Per class: 10 USD</description>");
	assert_lacks(g, "<cost");
	/* free for some: free */
	assert_has(group_xml(r.feed, "free"), "<cost free=\"yes\"/>");
	assert_loads(&r);
	release(&r);
}

/* HSDS 3.0's tables: schedules, addresses, accessibility, service_at_locations, attributes and terms, costs. */
static void test_hsds3_tables(void **state)
{
	char *dir = package_with("id,name,alternate_name\nv3,Three,\n");
	imported r;
	const char *g;

	(void)state;
	add_file(dir, "service_at_locations.csv", "id,service_id,location_id\nsal,v3,hall\nsal2,v3,web\n");
	add_file(dir, "locations.csv",
		 "id,location_type,name,latitude,longitude\nhall,physical,Hall,52.2053,0.1218\n"
		 "web,virtual,Online,,\n");
	add_file(dir, "addresses.csv",
		 "id,location_id,address_type,address_1,city,postal_code\n"
		 "p,hall,postal,PO Box 1,Cambridge,CB1 1AA\n"
		 "s,hall,physical,1 Market Square,Cambridge,CB2 3QJ\n");
	add_file(dir, "accessibility.csv", "id,location_id,description,details\nx,hall,Wheelchair accessible,\n");
	add_file(dir, "attributes.csv",
		 "id,link_id,link_type,link_entity,taxonomy_term_id\n"
		 "a1,v3,,service,t1\na2,hall,,location,t2\na3,v3,,service,missing\n");
	add_file(dir, "taxonomy_terms.csv",
		 "id,code,name,taxonomy\nt1,,Friendly Visiting,211\n"
		 "t2,BD-1800,Emergency Food,211\n");
	add_file(dir, "cost_options.csv", "id,service_id,option,amount,currency\nc,v3,Per month,12,GBP\n");
	add_file(dir, "schedules.csv",
		 "id,service_id,freq,byday,opens_at,closes_at,description\n"
		 "s1,v3,WEEKLY,\"MO,WE\",10:00,12:00,\n"
		 "s2,v3,MONTHLY,1SA,14:00,15:00,\n");
	r = import_input(dir);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.diags, "");
	g = group_xml(r.feed, "v3");
	assert_has(g, "<address>Hall, 1 Market Square, Cambridge</address>");
	assert_has(g, "<postcode>CB2 3QJ</postcode>");
	assert_has(g, "<online/>");
	assert_has(g, "<session day=\"mon\" start=\"10:00\" end=\"12:00\"/>");
	assert_has(g, "<session day=\"sat\" start=\"14:00\" end=\"15:00\" weeks=\"1\"/>");
	assert_has(g, "<access wheelchair=\"yes\"/>");
	/* a term by its name through attributes; one linked to a location is not the service's */
	assert_has(g, "<needs><need>loneliness</need></needs>");
	assert_has(g, "<activities><activity>befriending</activity></activities>");
	assert_has(g, "<cost amount=\"12.00\" per=\"month\"/>");
	assert_loads(&r);
	release(&r);
	ks_rmtree(dir);
	free(dir);
}

static void test_json_truncated(void **state)
{
	char *dir = ks_tmpdir();
	char *path = ks_write(dir, "cut.json", "[{\"id\": \"a\", \"name\": \"Cut");
	imported r = import_input(path);

	(void)state;
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.diags, "cut.json:1:");
	assert_string_equal(r.feed, "");
	release(&r);
	ks_rmtree(dir);
	free(dir);
	free(path);
}

/* ---- real exports (../shared, not part of the project) ----------------- */

static int present(const char *relative)
{
	FILE *f = fopen(ks_src(relative), "rb");

	if (f)
		fclose(f);
	return f != NULL;
}

static void test_real_miami(void **state)
{
	const char *dir = "../shared/realdata/hsds-open211-miami";
	struct timespec t0, t1;
	imported r;
	double seconds;

	(void)state;
	if (!present("../shared/realdata/hsds-open211-miami/datapackage.json"))
		skip();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = import_input(ks_src(dir));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_int_equal(r.rc, 0);
	/* issue 12's targets */
	assert_true(r.report.written >= 4000);
	assert_true(r.report.placed >= 2200);
	assert_true(r.report.scheduled >= 2500);
	assert_true(r.report.access >= 1600);
	/* 211 Miami's eligibility rows name no service: one warning says so */
	assert_has(r.diags, "eligibility.csv:0:0: warning: 2244 of 2244 rows name no service_id");
	assert_has(r.feed, "<need>food</need>");
	assert_has(r.feed, "<need>loneliness</need>");
	assert_lacks(r.feed, "###MON###");
	assert_lacks(r.feed, "<postcode>"); /* no US ZIP is taken for a UK postcode */
	fprintf(stderr, "211 Miami: %zu records in %.3f s (%.0f records/s); %zu written, %zu placed, %zu scheduled\n",
		r.report.records, seconds, (double)r.report.records / seconds, r.report.written, r.report.placed,
		r.report.scheduled);
	assert_loads(&r);
	release(&r);
}

static void test_real_sample(void **state)
{
	imported r;

	(void)state;
	if (!present("../shared/realdata/hsds-sample-datapackage/all_resources/datapackage.json"))
		skip();
	r = import_input(ks_src("../shared/realdata/hsds-sample-datapackage/all_resources"));
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 10);
	assert_int_equal(r.report.skipped, 3); /* inactive */
	assert_has(r.feed, "<name>Never Homeless Helpline</name>");
	assert_has(r.feed, "<access parking=\"yes\"/>"); /* "disabled_parking" */
	assert_loads(&r);
	release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_package_report_and_warnings),
		cmocka_unit_test(test_package_service_fields),
		cmocka_unit_test(test_package_joins_and_text),
		cmocka_unit_test(test_package_status_gender_postcode_hours),
		cmocka_unit_test(test_folder_without_descriptor),
		cmocka_unit_test(test_schedule_forms),
		cmocka_unit_test(test_eligibility_ages),
		cmocka_unit_test(test_languages_and_access_words),
		cmocka_unit_test(test_wrong_kind_of_input),
		cmocka_unit_test(test_not_services_table),
		cmocka_unit_test(test_broken_and_truncated_csv),
		cmocka_unit_test(test_bom_blank_lines_and_wide_records),
		cmocka_unit_test(test_broken_descriptor),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_huge_fields),
		cmocka_unit_test(test_many_rows_for_one_service),
		cmocka_unit_test(test_json_service),
		cmocka_unit_test(test_json_page),
		cmocka_unit_test(test_json_repeats_and_costs),
		cmocka_unit_test(test_hsds3_tables),
		cmocka_unit_test(test_json_truncated),
		cmocka_unit_test(test_real_miami),
		cmocka_unit_test(test_real_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
