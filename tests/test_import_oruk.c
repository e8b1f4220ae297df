/*
 * The Open Referral UK importer (src/import/oruk.c): each mapping rule on
 * small hand-written services in tests/data/import/oruk/, each bad input
 * refused with a located message or its record skipped, and the councils'
 * real feeds in ../shared/realdata/ (skipped when that folder is absent:
 * they carry no licence, so they are not copied here).  Every feed written
 * is loaded into a real index, which validates it.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kith/import.h"
#include "kith/index.h"
#include "util/buf.h"

#define DATA "tests/data/import/oruk/"
#define REAL "../shared/realdata/oruk-council-feeds/"

/* ---- helpers ----------------------------------------------------------- */

typedef struct imported {
	int rc;
	kith_import_report report;
	char *dir;      /* a temporary folder for the feed and the index */
	char *feed;     /* the feed's path */
	char *xml;      /* what was written ("" when nothing) */
	char *messages; /* every diagnostic, one a line */
} imported;

static char *joined_path(const char *dir, const char *name)
{
	kith_buf b = KITH_BUF_INIT;

	kith_buf_printf(&b, "%s/%s", dir, name);
	assert_int_equal(kith_buf_error(&b), 0);
	return kith_buf_detach(&b);
}

static char *format_diags(const kith_diag_list *diags)
{
	kith_buf b = KITH_BUF_INIT;
	char line[1024];
	size_t i;

	for (i = 0; i < kith_diag_list_count(diags); i++) {
		kith_diag_format(kith_diag_list_get(diags, i), line, sizeof(line));
		kith_buf_printf(&b, "%s\n", line);
	}
	assert_int_equal(kith_buf_error(&b), 0);
	return kith_buf_detach(&b);
}

/* Imports the files as one listing with feed id and area (which may be NULL). */
static imported import_paths(const char *const *paths, size_t count, const char *feed_id, const char *area)
{
	kith_import_opts opts = KITH_IMPORT_OPTS_INIT;
	kith_diag_list *diags = NULL;
	imported r;
	FILE *out;

	memset(&r, 0, sizeof(r));
	r.dir = ks_tmpdir();
	r.feed = joined_path(r.dir, "feed.xml");
	opts.feed_id = feed_id;
	opts.area = area;
	assert_int_equal(kith_diag_list_new(&diags), 0);
	assert_non_null(out = fopen(r.feed, "w"));
	r.rc = kith_import(KITH_IMPORT_ORUK, paths, count, &opts, out, &r.report, diags);
	assert_int_equal(fclose(out), 0);
	assert_non_null(r.xml = ks_read(r.feed));
	r.messages = format_diags(diags);
	kith_diag_list_free(diags);
	return r;
}

/* Imports one file of tests/data/import/oruk/. */
static imported import_data(const char *name, const char *area)
{
	char *path = strdup(ks_src(name));
	imported r;

	assert_non_null(path);
	r = import_paths((const char *const *)&path, 1, "test", area);
	free(path);
	return r;
}

static void release(imported *r)
{
	ks_rmtree(r->dir);
	free(r->dir);
	free(r->feed);
	free(r->xml);
	free(r->messages);
}

/* Loads the feed written into a new index: it must load whole, with every group. */
static void assert_loads(const imported *r, size_t groups)
{
	char *db = joined_path(r->dir, "index.db");
	kith_load_report report;
	kith_index *idx = NULL;

	assert_int_equal(kith_index_open(&idx, db, KITH_OPEN_CREATE), 0);
	assert_int_equal(kith_index_load(idx, r->feed, NULL, &report, NULL), 0);
	assert_int_equal(report.added, groups);
	assert_int_equal(report.errors, 0);
	kith_index_free(idx);
	free(db);
}

static void assert_has(const char *text, const char *needle)
{
	if (!ks_contains(text, needle))
		fail_msg("expected '%s' in:\n%s", needle, text);
}

static void assert_lacks(const char *text, const char *needle)
{
	if (ks_contains(text, needle))
		fail_msg("did not expect '%s' in:\n%s", needle, text);
}

/* ---- mapping ----------------------------------------------------------- */

/* One full v1 service object: every field kith has a place for, the rest as text. */
static void test_full_v1_service(void **state)
{
	imported r = import_data(DATA "full_v1.json", NULL);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 1);
	assert_int_equal(r.report.written, 1);
	assert_int_equal(r.report.placed, 1);
	assert_int_equal(r.report.scheduled, 1);
	assert_int_equal(r.report.eligibility, 1);
	assert_int_equal(r.report.access, 1);
	assert_int_equal(r.report.hours_text, 0);
	/* the latest of assured_date and pc_metadata's dates; the name trimmed */
	assert_has(r.xml, "<group id=\"svc-full-1\" updated=\"2024-05-02\">");
	assert_has(r.xml, "<name>Tuesday Friendship Club</name>");
	assert_has(r.xml, "<organisation>Friends of Easton</organisation>");
	/* HTML made plain: entities decoded, list items kept as lines */
	assert_has(r.xml, "<description>A friendly club for older people.\n\n- Tea &amp; cake\n- Board games");
	/* audiences said, not required; mapped to needs where sure, once each */
	assert_has(r.xml, "For: Carers, Dementia, Grandparents\n");
	assert_has(r.xml, "<needs><need>carer-support</need><need>memory</need></needs>");
	assert_lacks(r.xml, "<requires>");
	/* a taxonomy term and the deliverable type through the table; the rest as words */
	assert_has(r.xml, "<activity>befriending</activity><activity>peer-support</activity>");
	assert_has(r.xml, "Categories: Befriending, Community centres");
	assert_has(r.xml, "Attending: Drop-in");
	assert_has(r.xml, "How to attend: Just turn up; ring first if you need a lift.");
	assert_has(r.xml, "Accreditations: Quality Mark");
	/* the location: name and street as the address, postcode, point, access */
	assert_has(r.xml, "<address>Easton Community Centre, Kilburn Street, Bristol</address>");
	assert_has(r.xml, "<postcode>BS5 6AW</postcode>");
	assert_has(r.xml, "<point lat=\"51.461300\" lon=\"-2.563200\"/>");
	assert_has(r.xml, "<access wheelchair=\"yes\" hearing-loop=\"yes\"/>");
	assert_has(r.xml, "Accessibility: Wheelchair accessible; Hearing loop; Lift to first floor");
	assert_has(r.xml, "<area-served>BS5 BS2</area-served>");
	/* weekly sessions at the location's, monthly ones from RRULE ordinals at the service's */
	assert_has(r.xml, "<session day=\"tue\" start=\"10:00\" end=\"12:00\"/>");
	assert_has(r.xml, "<session day=\"thu\" start=\"10:00\" end=\"12:00\"/>");
	assert_has(r.xml, "<session day=\"wed\" start=\"14:00\" end=\"16:00\" weeks=\"1\"/>");
	assert_has(r.xml, "<session day=\"fri\" start=\"14:00\" end=\"16:00\" weeks=\"last\"/>");
	assert_has(r.xml, "<eligibility min-age=\"18\" max-age=\"99\"/>");
	assert_has(r.xml, "Eligibility: Adults");
	assert_has(r.xml, "<cost amount=\"3.50\" per=\"session\"/>");
	/* languages as ISO 639-1 codes; one without a code said in words */
	assert_has(r.xml, "<languages>en pl</languages>");
	assert_has(r.xml, "Languages: British Sign Language");
	assert_has(r.xml, "<contact phone=\"0117 496 0000\" email=\"hello@friendship.example.org\" "
			  "web=\"https://friendship.example.org/club\"/>");
	assert_string_equal(r.messages, "");
	assert_loads(&r, 1);
	release(&r);
}

/* A v1 page object: fees read when plain, status, referral, appointment; plain text keeps its lines. */
static void test_v1_page(void **state)
{
	imported r = import_data(DATA "page_v1.json", NULL);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 4);
	assert_int_equal(r.report.written, 3);
	assert_int_equal(r.report.skipped, 1);
	assert_has(r.messages, "page_v1.json: warning: service 4 (id p1-gone) is 'inactive', not active: left out");
	assert_lacks(r.xml, "Closed Club");
	assert_has(r.xml, "<description>Plain text walk.\nMeet at the gate.\n\nAll welcome.</description>");
	assert_has(r.xml, "<eligibility referral=\"professional\"/>\n    <cost free=\"yes\"/>");
	assert_has(r.xml, "<by-appointment/>");
	assert_has(r.xml, "<cost amount=\"3.00\" per=\"session\"/>");
	/* fees that say no amount, and a url that is no address, stay as words */
	assert_has(r.xml, "Web: Warmley Community Centre\n\nFees: Donations welcome</description>");
	assert_lacks(r.xml, "web=\"Warmley");
	assert_loads(&r, 3);
	release(&r);
}

/* A v3 page: HSDS 3 names (schedules, addresses, phones, attributes, top-level ages, fees_description). */
static void test_v3_page(void **state)
{
	imported r = import_data(DATA "page_v3.json", NULL);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 2);
	assert_int_equal(r.report.written, 2);
	assert_int_equal(r.report.placed, 2);
	assert_has(r.xml, "<group id=\"v3-1\" updated=\"2025-02-03\">");
	assert_has(r.xml, "<activities><activity>singing</activity></activities>");
	assert_has(r.xml, "<address>Chapel Hall, 1 High St, Cardiff</address>");
	assert_has(r.xml, "<point lat=\"51.480000\" lon=\"-3.180000\"/>");
	assert_has(r.xml, "<area-served>CF</area-served>");
	/* a schedule with valid_from and valid_to bounds a course */
	assert_has(r.xml, "<schedule starts=\"2025-01-08\" ends=\"2025-07-16\">");
	assert_has(r.xml, "<access step-free=\"yes\"/>");
	assert_has(r.xml, "<eligibility min-age=\"16\"/>");
	assert_has(r.xml, "<cost free=\"yes\"/>");
	assert_has(r.xml, "<languages>cy en</languages>");
	assert_has(r.xml, "<contact phone=\"029 2000 0000\"/>");
	/* phone attendance is a way in; cost options not all sure are kept as words only */
	assert_has(r.xml, "<online how=\"by phone\"/>");
	assert_has(r.xml, "Costs: \xC2\xA3"
			  "10.00 per month; \xC2\xA3"
			  "0.00 concessions");
	assert_lacks(r.xml, "per=\"month\"");
	assert_loads(&r, 2);
	release(&r);
}

/* Several inputs are pages of one listing: one feed, ids kept unique. */
static void test_pages_of_one_listing(void **state)
{
	const char *paths[3];
	char *copies[3];
	imported r;
	size_t i;

	(void)state;
	copies[0] = strdup(ks_src(DATA "page_v1.json"));
	copies[1] = strdup(ks_src(DATA "page_v3.json"));
	copies[2] = strdup(ks_src(DATA "list_v1.json"));
	for (i = 0; i < 3; i++)
		paths[i] = copies[i];
	r = import_paths(paths, 3, "pages", "BS");
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 4 + 2 + 8);
	assert_int_equal(r.report.written, 3 + 2 + 6);
	assert_has(r.xml, "<feed xmlns=\"urn:kith:feed:1\" id=\"pages\" version=\"1\"");
	assert_has(r.xml, "area=\"BS\"");
	assert_has(r.xml, "<group id=\"p1-free\">");
	assert_has(r.xml, "<group id=\"v3-2\">");
	assert_has(r.xml, "<group id=\"online-1-2\">");
	assert_loads(&r, 11);
	release(&r);
	for (i = 0; i < 3; i++)
		free(copies[i]);
}

/* A list of v1 services: bad records skipped with their place and id, odd values warned about. */
static void test_list_skips_and_warnings(void **state)
{
	imported r = import_data(DATA "list_v1.json", NULL);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 8);
	assert_int_equal(r.report.written, 6);
	assert_int_equal(r.report.skipped, 2);
	assert_has(r.messages,
		   "list_v1.json: warning: service 1 (id def5ccd4-f121-df4d-60d2-4dc0d69ff555) has no name: left out");
	assert_has(r.messages, "list_v1.json: warning: service 2 is a number, not an object: left out");
	assert_has(r.messages, "service 5 (id 77): minimum_age 999 is not an age: left out");
	assert_has(r.messages, "service 5 (id 77): maximum_age is not a number: left out");
	assert_has(r.messages, "service 6 (id ages-backwards): minimum_age 70 is over maximum_age 18: both left out");
	assert_has(r.messages, "service 7 (id swapped): a location's point -2.6, 51.4 is not in the UK: left out");
	/* online attendance; a date that is none is no date */
	assert_has(r.xml, "<group id=\"online-1\">\n    <name>Online Chat Group</name>");
	assert_has(r.xml, "<online how=\"online\"/>");
	/* a home visit with no radius or base cannot be placed: said in words */
	assert_has(r.xml, "Attending: Home visit");
	assert_lacks(r.xml, "<home-visits");
	/* an audience not sure as a need is only said */
	assert_has(r.xml, "For: Mental Health, Bereaved");
	assert_has(r.xml, "<needs><need>bereavement</need></needs>");
	/* a numeric id, ages left out, a point left out but its postcode kept, an id repeated */
	assert_has(r.xml, "<group id=\"77\">\n    <name>Numbered Service</name>\n  </group>");
	assert_lacks(r.xml, "<eligibility");
	assert_has(r.xml, "<address>Hall</address>\n      <postcode>BS1 5TR</postcode>\n    </venue>");
	assert_has(r.xml, "<group id=\"online-1-2\">\n    <name>Same Id Again</name>");
	assert_loads(&r, 6);
	release(&r);
}

/* Schedules: sessions only when every one is sure; otherwise all said as text, and counted. */
static void test_schedules(void **state)
{
	imported r = import_data(DATA "schedules.json", NULL);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 7);
	assert_int_equal(r.report.scheduled, 2);
	assert_int_equal(r.report.hours_text, 5);
	/* fortnightly is not a weekly session; the sure Thursday is not kept alone either */
	assert_has(r.xml, "<name>Fortnightly Lunch</name>\n    <description>When: TU 12:00-14:00 every 2 weeks; "
			  "TH 12:00-14:00</description>\n  </group>");
	/* a weekday as a number: some count from Sunday */
	assert_has(r.xml, "<description>When: weekday 3 09:00-10:00</description>");
	assert_has(r.xml, "<name>Named Day</name>\n    <schedule>\n      <session day=\"fri\" start=\"09:00\" "
			  "end=\"10:30\"/>");
	/* hours written in words, read when sure */
	assert_has(r.xml, "<name>Hours In Words</name>\n    <schedule>\n      <session day=\"tue\" start=\"10:00\" "
			  "end=\"12:00\"/>");
	assert_has(r.xml, "When: Most weekday evenings");
	assert_has(r.xml, "When: MO 10:00-11:00 MONTHLY");
	assert_has(r.xml, "When: MO 11:00-10:00");
	assert_lacks(r.xml, "<schedule>\n    </schedule>");
	assert_loads(&r, 7);
	release(&r);
}

/* Records with no place but the feed's area served: counted as area-only, still written. */
static void test_area_only(void **state)
{
	imported r = import_data(DATA "page_v1.json", "bs");

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 3);
	assert_int_equal(r.report.area_only, 3);
	assert_int_equal(r.report.no_place, 0);
	assert_has(r.xml, "area=\"BS\"");
	assert_loads(&r, 3);
	release(&r);
}

/* ---- bad inputs ---------------------------------------------------------- */

/* Each refused whole, with a located message, and nothing written. */
static void test_bad_files(void **state)
{
	static const struct {
		const char *file;
		int rc;
		const char *message;
	} cases[] = {
		{"not_json.json", KITH_EINVALID, "not_json.json:1:1: not valid JSON: invalid token near '<'"},
		{"number.json", KITH_EINVALID,
		 "number.json:1:1: expected Open Referral UK services (an array of services, a page with 'content' or "
		 "'contents', or one service) but found a number"},
		{"no_services.json", KITH_EINVALID,
		 "no_services.json:1:1: expected Open Referral UK services (an array of services, a page with "
		 "'content' or 'contents', or one service) but found an object with no 'content', 'contents', 'id' "
		 "or 'name'"},
		{"content_string.json", KITH_EINVALID, "content_string.json:1:1: expected Open Referral UK services"},
		{"content_string.json", KITH_EINVALID, "but found a page whose 'content' is a string"},
		{"truncated.json", KITH_EINVALID, "truncated.json:3:25: not valid JSON: premature end of input"},
		{"duplicate_keys.json", KITH_EINVALID, "duplicate_keys.json:3:8: not valid JSON: duplicate object key"},
		{"number_overflow.json", KITH_EINVALID,
		 "number_overflow.json:1:68: not valid JSON: real number overflow"},
		{"empty.json", KITH_EINVALID, "empty.json:1:1: the file is empty: expected JSON"},
		{"age_huge_integer.json", KITH_EINVALID, "age_huge_integer.json:1:83: not valid JSON: too big integer"},
	};
	kith_buf name = KITH_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		imported r;
		kith_buf_clear(&name);
		kith_buf_printf(&name, DATA "%s", cases[i].file);
		r = import_data(name.ptr, NULL);
		assert_int_equal(r.rc, cases[i].rc);
		assert_has(r.messages, cases[i].message);
		assert_string_equal(r.xml, "");
		release(&r);
	}
	kith_buf_release(&name);
}

/* A good page followed by a broken one: the listing imports nothing. */
static void test_broken_page_imports_nothing(void **state)
{
	char *good = strdup(ks_src(DATA "page_v1.json")), *bad = strdup(ks_src(DATA "truncated.json"));
	const char *paths[2] = {good, bad};
	imported r = import_paths(paths, 2, "test", NULL);

	(void)state;
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_string_equal(r.xml, "");
	assert_has(r.messages, "truncated.json:3:25:");
	release(&r);
	free(good);
	free(bad);
}

static imported import_bytes(const char *data, size_t len)
{
	char *dir = ks_tmpdir(), *path = ks_write_bytes(dir, "in.json", data, len);
	imported r = import_paths((const char *const *)&path, 1, "test", NULL);

	ks_rmtree(dir);
	free(dir);
	free(path);
	return r;
}

/* Hostile files made at test time: deep nesting, invalid UTF-8, huge strings. */
static void test_hostile_inputs(void **state)
{
	static const char bad_utf8[] = "[{\"id\": \"u\", \"name\": \"Caf\xE9\"}]";
	kith_buf b = KITH_BUF_INIT;
	imported r;
	int i;

	(void)state;
	for (i = 0; i < 65; i++)
		kith_buf_putc(&b, '[');
	for (i = 0; i < 65; i++)
		kith_buf_putc(&b, ']');
	r = import_bytes(b.ptr, b.size);
	assert_int_equal(r.rc, KITH_ETOOLARGE);
	assert_has(r.messages, "JSON nested more than 64 deep");
	assert_string_equal(r.xml, "");
	release(&r);

	r = import_bytes(bad_utf8, sizeof(bad_utf8) - 1);
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_has(r.messages, "in.json:1:");
	assert_has(r.messages, "not valid JSON: unable to decode byte 0xe9");
	release(&r);

	/* a 1 MB name is cut, a 100 kB url left out, a 4 MB description cut: still written, and it loads */
	kith_buf_clear(&b);
	kith_buf_puts(&b, "[{\"id\": \"huge\", \"name\": \"");
	for (i = 0; i < 1000000; i++)
		kith_buf_putc(&b, 'N');
	kith_buf_puts(&b, "\", \"url\": \"http://x/");
	for (i = 0; i < 100000; i++)
		kith_buf_putc(&b, 'a');
	kith_buf_puts(&b, "\", \"description\": \"<p>");
	for (i = 0; i < 800000; i++)
		kith_buf_puts(&b, "word ");
	kith_buf_puts(&b, "</p>\"}]");
	assert_int_equal(kith_buf_error(&b), 0);
	r = import_bytes(b.ptr, b.size);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 1);
	assert_has(r.messages, "service 1 (id huge): its name is 1000000 bytes long: cut to 300");
	assert_has(r.messages, "service 1 (id huge): url is 100009 bytes long: left out");
	assert_true(strlen(r.xml) < 30000);
	assert_loads(&r, 1);
	release(&r);
	kith_buf_release(&b);
}

/* ---- the councils' real feeds -------------------------------------------- */

/* A council's whole listing: at least 95% written, each skip said, and the feed loads. */
static imported import_council(const char *file, const char *feed_id, const char *area, size_t records)
{
	char *path = strdup(ks_src(file));
	imported r;

	if (access(path, R_OK) != 0) {
		free(path);
		skip();
	}
	r = import_paths((const char *const *)&path, 1, feed_id, area);
	free(path);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, records);
	assert_true(r.report.written * 100 >= records * 95);
	assert_int_equal(r.report.written + r.report.skipped, records);
	/* no locations in these list pages: the council's area is all that places them */
	assert_int_equal(r.report.no_place, 0);
	assert_int_equal(r.report.area_only + r.report.placed, r.report.written);
	assert_loads(&r, r.report.written);
	return r;
}

static void test_real_bristol(void **state)
{
	imported r = import_council(REAL "bristol_services.json", "bristol", "BS", 819);
	char *db = joined_path(r.dir, "index.db"), *out = NULL, *err = NULL;

	(void)state;
	assert_int_equal(r.report.written, 818);
	assert_has(r.messages, "bristol_services.json: warning: service 1 (id def5ccd4-f121-df4d-60d2-4dc0d69ff555) "
			       "has no name: left out");
	assert_true(r.report.area_only >= 800);
	assert_has(r.xml, "For: Dementia, Carers");
	/* a Bristol home asking for company finds area-only groups, each with its caution */
	assert_int_equal(ks_kith(&out, &err, "match %s --postcode 'BS1 5TR' --needs loneliness", db), 0);
	assert_true(strncmp(out, "0 suggestions", 13) != 0);
	assert_has(out, "bristol/");
	assert_has(out, "where it meets is not listed; it serves your area");
	free(out);
	free(err);
	assert_int_equal(ks_kith(&out, &err, "match %s --postcode 'BS1 5TR' --needs low-mood", db), 0);
	assert_true(strncmp(out, "0 suggestions", 13) != 0);
	free(out);
	free(err);
	free(db);
	release(&r);
}

static void test_real_north_lincolnshire(void **state)
{
	imported r = import_council(REAL "north_lincolnshire_services.json", "north-lincolnshire", "DN", 738);

	(void)state;
	assert_int_equal(r.report.written, 738);
	assert_true(r.report.placed > 0); /* phone and online services */
	release(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_v1_service),
		cmocka_unit_test(test_v1_page),
		cmocka_unit_test(test_v3_page),
		cmocka_unit_test(test_pages_of_one_listing),
		cmocka_unit_test(test_list_skips_and_warnings),
		cmocka_unit_test(test_schedules),
		cmocka_unit_test(test_area_only),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_broken_page_imports_nothing),
		cmocka_unit_test(test_hostile_inputs),
		cmocka_unit_test(test_real_bristol),
		cmocka_unit_test(test_real_north_lincolnshire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
