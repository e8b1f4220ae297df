/*
 * The AIRS XML importer (src/import/airs.c, airs_map.c): hand-written 3.0
 * and 3.1 files in tests/data/import/airs/ with each mapping rule, the
 * feed they make loaded into a real index, and hostile or broken files
 * (the very large ones written at test time) refused quickly, located, with
 * nothing written.
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kith/import.h"
#include "kith/index.h"
#include "util/buf.h"

#define DATA "tests/data/import/airs/"

/* What one import did: its code, the feed written (or ""), the report and the messages. */
typedef struct imported {
	int rc;
	char *feed; /* the written feed's text */
	size_t feed_size;
	kith_import_report report;
	kith_diag_list *diags;
} imported;

/* Imports path as AIRS into dir/feed.xml (kept for loading). */
static imported import_file(const char *dir, const char *path)
{
	kith_import_opts opts = KITH_IMPORT_OPTS_INIT;
	const char *inputs[1] = {path};
	char out_path[4096];
	imported r;
	FILE *out;

	memset(&r, 0, sizeof(r));
	opts.feed_id = "airs";
	snprintf(out_path, sizeof(out_path), "%s/feed.xml", dir);
	assert_int_equal(kith_diag_list_new(&r.diags), 0);
	assert_non_null(out = fopen(out_path, "w"));
	r.rc = kith_import(KITH_IMPORT_AIRS, inputs, 1, &opts, out, &r.report, r.diags);
	fclose(out);
	assert_non_null(r.feed = ks_read(out_path));
	r.feed_size = strlen(r.feed);
	return r;
}

static void release(imported *r)
{
	free(r->feed);
	kith_diag_list_free(r->diags);
}

/* 1 when a diagnostic of severity holds needle (and, when line > 0, is on that line with a column). */
static int has_diag(const kith_diag_list *diags, kith_severity severity, unsigned line, const char *needle)
{
	size_t i;

	for (i = 0; i < kith_diag_list_count(diags); i++) {
		const kith_diag *d = kith_diag_list_get(diags, i);
		if (d->severity == severity && ks_contains(d->message, needle) &&
		    (line == 0 || (d->line == line && d->column > 0)))
			return 1;
	}
	return 0;
}

static void print_diags(const kith_diag_list *diags)
{
	char buf[1024];
	size_t i;

	for (i = 0; i < kith_diag_list_count(diags); i++) {
		kith_diag_format(kith_diag_list_get(diags, i), buf, sizeof(buf));
		print_message("%s\n", buf);
	}
}

/* Loads dir/feed.xml into a new index in dir; returns the groups added. */
static size_t load_into_index(const char *dir)
{
	char db[4096], feed[4096];
	kith_index *idx = NULL;
	kith_load_report report;
	kith_diag_list *diags = NULL;
	int rc;

	snprintf(db, sizeof(db), "%s/index.db", dir);
	snprintf(feed, sizeof(feed), "%s/feed.xml", dir);
	assert_int_equal(kith_diag_list_new(&diags), 0);
	assert_int_equal(kith_index_open(&idx, db, KITH_OPEN_CREATE), 0);
	rc = kith_index_load(idx, feed, NULL, &report, diags);
	if (rc != 0)
		print_diags(diags);
	assert_int_equal(rc, 0);
	assert_int_equal(report.errors, 0);
	kith_index_free(idx);
	kith_diag_list_free(diags);
	return report.added;
}

/* The text of the group with id in feed (from its start tag to its end tag), in a static buffer. */
static const char *group_text(const char *feed, const char *id)
{
	static char text[8192];
	char start[128];
	const char *p, *end;

	snprintf(start, sizeof(start), "<group id=\"%s\"", id);
	p = strstr(feed, start);
	assert_non_null(p);
	end = strstr(p, "</group>");
	assert_non_null(end);
	snprintf(text, sizeof(text), "%.*s", (int)(end - p), p);
	return text;
}

/* ---- 3.1 ----------------------------------------------------------------- */

static void test_sample_31_maps_each_rule(void **state)
{
	char *dir = ks_tmpdir();
	imported r = import_file(dir, ks_src(DATA "sample-3.1.xml"));
	const char *g;

	(void)state;
	if (r.rc != 0)
		print_diags(r.diags);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 7);
	assert_int_equal(r.report.written, 6);
	assert_int_equal(r.report.skipped, 1);
	/* the inactive SiteService, located */
	assert_true(has_diag(r.diags, KITH_DIAG_WARNING, 60, "SiteService (Key 102) is marked inactive"));
	/* a valid file: no schema warnings */
	assert_false(has_diag(r.diags, KITH_DIAG_WARNING, 0, "schema"));

	g = group_text(r.feed, "service-100");
	assert_true(ks_contains(g, "updated=\"2024-11-05\"")); /* DateLastVerified before DateOfLastAction */
	assert_true(ks_contains(g, "<name>Kendal Food Pantry</name>"));
	assert_true(ks_contains(g, "<organisation>Kendal Community Trust</organisation>"));
	/* HTML made text; Site and Agency descriptions after the service's */
	assert_true(ks_contains(g, "afford food.\nNo questions asked."));
	assert_true(ks_contains(g, "About Kendal Town Hall: The town hall on Highgate"));
	assert_true(ks_contains(g, "About Kendal Community Trust: A local charity running community services"));
	assert_false(ks_contains(g, "&lt;p"));
	assert_true(ks_contains(g, "<need>food</need>")); /* BD-1800.2000 through its parent BD-1800 */
	assert_true(ks_contains(g, "<address>Highgate, Kendal, Cumbria, United Kingdom</address>"));
	assert_true(ks_contains(g, "<postcode>LA9 4DL</postcode>"));
	assert_true(ks_contains(
		g, "<point lat=\"54.326900\" lon=\"-2.746400\"/>")); /* SpatialLocation, after the services */
	assert_true(ks_contains(g, "<area-served>LA9 LA8</area-served>"));
	assert_true(ks_contains(g, "Area served: Kendal"));
	assert_true(ks_contains(g, "<session day=\"tue\" start=\"10:00\" end=\"12:00\"/>"));
	assert_true(ks_contains(g, "<session day=\"tue\" start=\"14:00\" end=\"16:00\"/>"));
	assert_true(ks_contains(g, "<session day=\"thu\" start=\"10:00\" end=\"12:00\"/>"));
	assert_false(ks_contains(g, "day=\"mon\"")); /* the service's TimeOpen, not the Site's */
	assert_true(ks_contains(g, "Hours: Closed on bank holidays"));
	assert_true(ks_contains(g, "<access wheelchair=\"yes\" hearing-loop=\"yes\"/>"));
	assert_true(ks_contains(g, "<eligibility min-age=\"18\"/>"));
	assert_true(ks_contains(g, "Ages: Adults"));
	assert_true(ks_contains(g, "<cost free=\"yes\"/>"));
	assert_true(ks_contains(g, "<languages>en ur</languages>"));
	assert_true(ks_contains(g, "Languages: Klingon"));
	assert_true(ks_contains(g, "Eligibility: A referral from a GP"));
	assert_true(ks_contains(g, "Buses: Buses 41 and 555 stop outside."));
	/* the service's phone; the Site's web; the Agency's e-mail */
	assert_true(ks_contains(g, "phone=\"01539 700100\""));
	assert_true(ks_contains(g, "web=\"https://kendaltrust.example.org/town-hall\""));
	assert_true(ks_contains(g, "email=\"hello@kendaltrust.example.org\""));

	g = group_text(r.feed, "service-101");
	assert_true(ks_contains(g, "<name>Warm Spaces</name>")); /* its ServiceGroup's name */
	assert_true(ks_contains(g, "updated=\"2024-10-01\""));   /* the Agency's ResourceInfo */
	assert_true(ks_contains(g, "<session day=\"fri\" start=\"09:00\" end=\"17:00\"/>")); /* Notes read as hours */
	assert_true(ks_contains(g, "<need>loneliness</need>"));
	assert_true(ks_contains(g, "<activity>befriending</activity>"));
	assert_true(ks_contains(g, "Fees: £2 a session, concessions available"));
	assert_false(ks_contains(g, "<cost"));
	assert_true(ks_contains(g, "<languages>en pl</languages>")); /* the Site's Languages */
	assert_true(ks_contains(g, "phone=\"01539 700001\""));       /* the Site's; not its confidential one */
	assert_false(ks_contains(r.feed, "07700 900000"));

	g = group_text(r.feed, "service-103");
	assert_true(ks_contains(g, "updated=\"2024-09-30\"")); /* DateOfLastAction */
	assert_true(ks_contains(g, "Hours: Tuesday and Thursday evenings"));
	assert_false(ks_contains(g, "<schedule>"));
	assert_true(ks_contains(g, "<need>carer-support</need>")); /* a linked code: PN-8100.1400 * YF-3000 */
	assert_true(ks_contains(g, "<activity>carers-group</activity>"));
	assert_true(ks_contains(g, "<activity>peer-support</activity>")); /* its parent PN-8100 */
	assert_true(ks_contains(g, "<eligibility max-age=\"65\" gender=\"female\"/>"));
	assert_true(ks_contains(g, "Documents required: None"));
	assert_true(ks_contains(g, "How to apply: 1; Phone the coordinator first."));

	g = group_text(r.feed, "site-11"); /* a Site with no SiteService */
	assert_true(ks_contains(g, "<name>Library drop-in point</name>"));
	assert_false(ks_contains(g, "<venue>")); /* its address is confidential */
	assert_true(ks_contains(g, "Hours: open Wednesday, times not given"));
	assert_true(ks_contains(g, "Access: NW"));
	assert_false(ks_contains(g, "<access"));

	g = group_text(r.feed, "service-200"); /* a child Agency */
	assert_true(ks_contains(g, "<organisation>Kendal Walking Club</organisation>"));
	assert_true(ks_contains(g, "<name>Abbot Hall car park</name>")); /* no service name: the Site's */
	assert_true(ks_contains(g, "<need>physical-activity</need>"));
	assert_true(ks_contains(g, "<access wheelchair=\"no\" public-transport=\"yes\"/>"));
	assert_true(ks_contains(g, "<eligibility gender=\"female\"/>")); /* GenderRequirements "Women only" */
	assert_true(ks_contains(g, "<cost free=\"yes\"/>"));             /* "No charge." */
	assert_true(ks_contains(g, "<languages>cy</languages>"));
	assert_false(ks_contains(g, "Kendal Community Trust"));

	g = group_text(r.feed, "service-300"); /* outside the UK: no postcode, no area */
	assert_true(ks_contains(g, "<address>100 Biscayne Blvd, Miami, FL, 33101, USA</address>"));
	assert_false(ks_contains(g, "<postcode>"));
	assert_true(ks_contains(g, "Area served: Miami-Dade"));
	assert_false(ks_contains(g, "<area-served>"));

	assert_int_equal(r.report.hours_text, 2); /* service-103, site-11 */
	assert_int_equal(load_into_index(dir), 6);
	release(&r);
	ks_rmtree(dir);
	free(dir);
}

/* ---- 3.0 ----------------------------------------------------------------- */

static void test_sample_30_maps_each_rule(void **state)
{
	char *dir = ks_tmpdir();
	imported r = import_file(dir, ks_src(DATA "sample-3.0.xml"));
	const char *g;

	(void)state;
	if (r.rc != 0)
		print_diags(r.diags);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.records, 2);
	assert_int_equal(r.report.written, 2);
	assert_false(has_diag(r.diags, KITH_DIAG_WARNING, 0, "schema"));

	g = group_text(r.feed, "service-500"); /* a service of the AgencyLocation */
	assert_true(ks_contains(g, "updated=\"2023-06-15\""));
	assert_true(ks_contains(g, "<need>money</need>"));
	assert_true(ks_contains(g, "<postcode>LA9 4ND</postcode>"));
	assert_true(ks_contains(g, "<point lat=\"54.329000\" lon=\"-2.747000\"/>"));
	assert_true(ks_contains(g, "<session day=\"wed\" start=\"09:30\" end=\"16:30\"/>")); /* the Site's TimeOpen */
	assert_true(ks_contains(g, "<access step-free=\"yes\" accessible-toilet=\"yes\"/>"));
	assert_true(ks_contains(g, "<cost free=\"yes\"/>"));                              /* "Free of charge" */
	assert_true(ks_contains(g, "Eligibility: For people living in South Lakeland.")); /* 3.0 OtherRequirements */
	assert_true(ks_contains(g, "Aid: None"));
	assert_true(ks_contains(g, "phone=\"01539 800000\""));

	g = group_text(r.feed, "service-510"); /* NoPhysicalAddress: by telephone */
	assert_true(ks_contains(g, "<online how=\"Telephone service only\"/>"));
	assert_false(ks_contains(g, "<venue>"));
	assert_true(ks_contains(g, "<need>benefits</need>")); /* NL-1000.8100 through NL */
	assert_true(ks_contains(g, "<area-served>CA LA</area-served>"));
	assert_true(ks_contains(g, "Area served: Cumbria"));
	assert_true(ks_contains(g, "<session day=\"tue\" start=\"10:00\" end=\"12:00\"/>"));
	assert_false(ks_contains(g, "<eligibility")); /* ages the wrong way round are dropped, with a warning */
	assert_true(has_diag(r.diags, KITH_DIAG_WARNING, 0, "the wrong way round"));

	assert_int_equal(r.report.placed, 2);
	assert_int_equal(load_into_index(dir), 2);
	release(&r);
	ks_rmtree(dir);
	free(dir);
}

/* A file off the schema is still read; the schema's words come as capped warnings. */
static void test_off_schema_is_read_with_warnings(void **state)
{
	char *dir = ks_tmpdir(), *path;
	kith_buf b = KITH_BUF_INIT;
	imported r;
	int i;

	(void)state;
	kith_buf_puts(&b, "<?xml version=\"1.0\"?>\n<Source xmlns=\"http://www.airs.org/schema/3_1/AIRS.xsd\">\n");
	for (i = 0; i < 30; i++) /* no Key, and Site before Name: off the schema each time */
		kith_buf_printf(&b,
				"<Agency><Site><Name>Site %d</Name><SiteService><Name>Club %d</Name>"
				"<Taxonomy><Code>BD-1800</Code></Taxonomy></SiteService></Site><Name>Org</Name>"
				"</Agency>\n",
				i, i);
	kith_buf_puts(&b, "</Source>\n");
	path = ks_write(dir, "off.xml", b.ptr);
	r = import_file(dir, path);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 30);
	assert_true(has_diag(r.diags, KITH_DIAG_WARNING, 0, "not as the AIRS 3.1 schema says (read anyway)"));
	assert_true(has_diag(r.diags, KITH_DIAG_WARNING, 0, "more places where the file is not as the AIRS 3.1"));
	assert_false(has_diag(r.diags, KITH_DIAG_WARNING, 0, "{http")); /* namespaces left out of messages */
	assert_true(ks_contains(r.feed, "<name>Club 29</name>"));
	assert_int_equal(load_into_index(dir), 30);
	release(&r);
	kith_buf_release(&b);
	free(path);
	ks_rmtree(dir);
	free(dir);
}

/* An agency's Sites wait for its ResourceInfo; past 4,096 they are mapped at once, without its date. */
static void test_many_sites_of_one_agency(void **state)
{
	char *dir = ks_tmpdir(), *path;
	kith_buf b = KITH_BUF_INIT;
	imported r;
	int i;

	(void)state;
	kith_buf_init(&b, 16u << 20);
	kith_buf_puts(&b, "<?xml version=\"1.0\"?>\n<Source>\n<Agency><Key>1</Key><Name>Org</Name>\n");
	for (i = 0; i < 4100; i++)
		kith_buf_printf(&b, "<Site><Key>%d</Key><Name>Site %d</Name></Site>\n", i, i);
	kith_buf_puts(&b, "<ResourceInfo DateLastVerified=\"2024-10-01\"/></Agency>\n</Source>\n");
	path = ks_write(dir, "many.xml", b.ptr);
	r = import_file(dir, path);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.report.written, 4100);
	assert_false(ks_contains(group_text(r.feed, "site-4095"), "updated="));
	assert_true(ks_contains(group_text(r.feed, "site-4096"), "updated=\"2024-10-01\""));
	assert_true(ks_contains(group_text(r.feed, "site-4099"), "<organisation>Org</organisation>"));
	release(&r);
	kith_buf_release(&b);
	free(path);
	ks_rmtree(dir);
	free(dir);
}

/* The target: the CLI imports, and the feed loads with `kith index`. */
static void test_cli_import_then_index(void **state)
{
	char *dir = ks_tmpdir(), *err = NULL, *out = NULL;

	(void)state;
	assert_int_equal(
		ks_kith(NULL, &err, "import airs %s --feed-id airs -o %s/a.xml", ks_src(DATA "sample-3.1.xml"), dir),
		0);
	assert_true(ks_contains(err, "import airs: 7 records read, 6 groups written, 1 skipped"));
	free(err);
	assert_int_equal(ks_kith(&out, &err, "index %s/a.db %s/a.xml", dir, dir), 0);
	assert_true(ks_contains(out, "airs: 6 added") || ks_contains(err, "airs: 6 added"));
	free(out);
	free(err);
	ks_rmtree(dir);
	free(dir);
}

/* ---- bad input --------------------------------------------------------- */

/* Imports path, which must be refused, located, with nothing written (how quickly is measured in bench/, not here). */
static void assert_refused(const char *path, unsigned line, const char *needle)
{
	char *dir = ks_tmpdir();
	imported r = import_file(dir, path);

	if (!has_diag(r.diags, KITH_DIAG_ERROR, line, needle))
		print_diags(r.diags);
	assert_int_not_equal(r.rc, 0);
	assert_true(has_diag(r.diags, KITH_DIAG_ERROR, line, needle));
	assert_int_equal(r.feed_size, 0);
	release(&r);
	ks_rmtree(dir);
	free(dir);
}

static void test_doctype_with_external_entity(void **state)
{
	(void)state;
	assert_refused(ks_src(DATA "doctype-entity.xml"), 2, "document type declarations (<!DOCTYPE>) are not allowed");
}

static void test_entity_bomb(void **state)
{
	(void)state;
	assert_refused(ks_src(DATA "entity-bomb.xml"), 2, "document type declarations (<!DOCTYPE>) are not allowed");
}

static void test_truncated(void **state)
{
	(void)state;
	assert_refused(ks_src(DATA "truncated.xml"), 43, "it looks cut off");
}

static void test_wrong_root(void **state)
{
	(void)state;
	assert_refused(ks_src(DATA "wrong-root.xml"), 3, "the root element is <feed>: an AIRS XML file has <Source>");
}

static void test_not_xml(void **state)
{
	(void)state;
	assert_refused(ks_src(DATA "not-xml.csv"), 1, "not an XML file");
}

#define HEAD                                                                                           \
	"<?xml version=\"1.0\"?>\n<Source SourceEntity=\"x\" OriginTimestamp=\"2024-01-01T00:00:00\" " \
	"SoftwareVendor=\"x\" SoftwareVersion=\"1\" TaxonomyVersion=\"2024-01-01T00:00:00\" "          \
	"SchemaVersion=\"3.0\">\n<Agency><Name>A</Name>"
#define TAIL "</Agency></Source>\n"

/* Writes HEAD, before, n times repeat, after, TAIL to dir/name. */
static char *write_big(const char *dir, const char *name, const char *before, const char *repeat, size_t n,
		       const char *after)
{
	kith_buf b = KITH_BUF_INIT;
	char *path;
	size_t i;

	kith_buf_init(&b, 64u << 20);
	kith_buf_puts(&b, HEAD);
	kith_buf_puts(&b, before);
	for (i = 0; i < n; i++)
		kith_buf_puts(&b, repeat);
	kith_buf_puts(&b, after);
	kith_buf_puts(&b, TAIL);
	assert_int_equal(kith_buf_error(&b), 0);
	path = ks_write(dir, name, b.ptr);
	kith_buf_release(&b);
	return path;
}

static void test_nesting_10000_deep(void **state)
{
	char *dir = ks_tmpdir(), *path;

	(void)state;
	/* no closing tags: the depth limit stops it first */
	path = write_big(dir, "deep.xml", "<Site>", "<x>", 10000, "");
	assert_refused(path, 3, "elements nested deeper than 32 levels");
	free(path);
	ks_rmtree(dir);
	free(dir);
}

static void test_attribute_flood(void **state)
{
	char *dir = ks_tmpdir(), *path;
	kith_buf attrs = KITH_BUF_INIT;
	size_t i;

	(void)state;
	kith_buf_init(&attrs, 16u << 20);
	kith_buf_puts(&attrs, "<Site");
	for (i = 0; i < 200000; i++)
		kith_buf_printf(&attrs, " a%zu=\"x\"", i);
	kith_buf_puts(&attrs, "/>");
	path = write_big(dir, "flood.xml", attrs.ptr, "", 0, "");
	assert_refused(path, 3, "an element with over 256 attributes");
	kith_buf_release(&attrs);
	free(path);
	ks_rmtree(dir);
	free(dir);
}

static void test_huge_text_node(void **state)
{
	char *dir = ks_tmpdir(), *path;

	(void)state;
	path = write_big(dir, "huge.xml", "<Site><Name>", "xxxxxxxxxxxxxxxx", 65536, "</Name></Site>");
	assert_refused(path, 3, "text over 256 KiB in one element");
	free(path);
	ks_rmtree(dir);
	free(dir);
}

static void test_empty_and_missing_files(void **state)
{
	char *dir = ks_tmpdir(), *path = ks_write(dir, "empty.xml", "");
	imported r;

	(void)state;
	assert_refused(path, 0, "empty file, expected a file in AIRS XML");
	r = import_file(dir, "/nonexistent/airs.xml");
	assert_int_equal(r.rc, KITH_EIO);
	assert_true(has_diag(r.diags, KITH_DIAG_ERROR, 0, "cannot read file"));
	release(&r);
	free(path);
	ks_rmtree(dir);
	free(dir);
}

/* A prefixed 3.1 root, after a byte-order mark and a comment, is read with the 3.1 schema. */
static void test_prefixed_root_after_bom(void **state)
{
	char *dir = ks_tmpdir(), *path;
	imported r;

	(void)state;
	path = ks_write(
		dir, "prefixed.xml",
		"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- <Agency> in a comment -->\n"
		"<a:Source xmlns:a=\"http://www.airs.org/schema/3_1/AIRS.xsd\" SourceEntity=\"x\" SourceID=\"1\" "
		"OriginTimestamp=\"2024-01-01T00:00:00\" SoftwareVendor=\"x\" SoftwareVersion=\"1\" "
		"TaxonomyVersion=\"2024-01-01T00:00:00\" SchemaVersion=\"3.1\">\n"
		"<a:Agency><a:Key>1</a:Key><a:Name>Org</a:Name><a:Site><a:Key>2</a:Key><a:Name>Hall</a:Name>"
		"<a:SiteService><a:Name>Club</a:Name><a:Key>3</a:Key><a:Taxonomy><a:Code>PH-1400</a:Code>"
		"</a:Taxonomy></a:SiteService></a:Site></a:Agency>\n</a:Source>\n");
	r = import_file(dir, path);
	if (kith_diag_list_count(r.diags))
		print_diags(r.diags);
	assert_int_equal(r.rc, 0);
	assert_int_equal(kith_diag_list_count(r.diags), 0); /* valid against 3.1: no warning */
	assert_true(ks_contains(r.feed, "<name>Club</name>"));
	assert_true(ks_contains(r.feed, "<need>loneliness</need>"));
	release(&r);
	free(path);
	ks_rmtree(dir);
	free(dir);
}

/* ---- the schemas -------------------------------------------------------- */

/* The schemas built in are the published ones, unchanged (skipped without ../shared). */
static void test_schemas_are_the_published_ones(void **state)
{
	static const char *const names[] = {"airs_3_0.xsd", "airs_3_1.xsd"};
	char shared[4096], ours[4096];
	struct stat st;
	size_t i;

	(void)state;
	snprintf(shared, sizeof(shared), "%s", ks_src("../shared/realdata/airs-xsd"));
	if (stat(shared, &st) != 0)
		skip();
	for (i = 0; i < 2; i++) {
		char *a, *b;
		snprintf(shared, sizeof(shared), "%s/%s", ks_src("../shared/realdata/airs-xsd"), names[i]);
		snprintf(ours, sizeof(ours), "%s/%s", ks_src("schemas/airs"), names[i]);
		assert_non_null(a = ks_read(shared));
		assert_non_null(b = ks_read(ours));
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_31_maps_each_rule),
		cmocka_unit_test(test_sample_30_maps_each_rule),
		cmocka_unit_test(test_off_schema_is_read_with_warnings),
		cmocka_unit_test(test_many_sites_of_one_agency),
		cmocka_unit_test(test_cli_import_then_index),
		cmocka_unit_test(test_doctype_with_external_entity),
		cmocka_unit_test(test_entity_bomb),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_wrong_root),
		cmocka_unit_test(test_not_xml),
		cmocka_unit_test(test_nesting_10000_deep),
		cmocka_unit_test(test_attribute_flood),
		cmocka_unit_test(test_huge_text_node),
		cmocka_unit_test(test_empty_and_missing_files),
		cmocka_unit_test(test_prefixed_root_after_bom),
		cmocka_unit_test(test_schemas_are_the_published_ones),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
