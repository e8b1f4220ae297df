/*
 * The feed reader (src/feed.h): every field of a good group, each rule a
 * schema cannot express with its line:column, --skip-bad-groups, hostile
 * and broken files, and odd but valid XML.  Files are in tests/data/feeds/;
 * the very large hostile ones are written at test time.
 */
#include "support.h"

#include <libxml/globals.h>
#include <libxml/xmlerror.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "feed/feed.h"
#include "model/names.h"
#include "model/schedule.h"

#define DATA "tests/data/feeds/"

/* ---- helpers ----------------------------------------------------------- */

/* What one read handed out: every group described as text, withdrawn ids, the header. */
typedef struct collected {
	kith_buf groups;    /* describe() of each group, one after the other */
	kith_buf ids;       /* group ids, space-separated */
	kith_buf withdrawn; /* withdrawn ids, space-separated */
	kith_buf header;    /* the feed info */
	size_t headers, progress_calls;
	size_t last_done, last_total;
	int stop_after; /* on_group returns 99 after this many groups (0: never) */
	size_t group_calls;
} collected;

typedef struct read_result {
	int rc;
	kith_diag_list *diags;
	kith_feed_result result;
	collected got;
} read_result;

static const char *tri(kith_tri t)
{
	return t == KITH_TRI_YES ? "yes" : t == KITH_TRI_NO ? "no" : "unknown";
}

static void put_list(kith_buf *b, const char *label, const kith_strlist *l)
{
	size_t i;

	if (!l->count)
		return;
	kith_buf_puts(b, label);
	for (i = 0; i < l->count; i++)
		kith_buf_printf(b, " %s", l->items[i]);
	kith_buf_putc(b, '\n');
}

static void put_time(kith_buf *b, int minutes)
{
	kith_buf_printf(b, "%02d:%02d", minutes / 60, minutes % 60);
}

/* Every field of g, one line each, absent ones left out. */
static void describe(kith_buf *b, const kith_group *g)
{
	static const char *const genders[] = {"any", "female", "male", "other"};
	static const char *const pers[] = {"session", "week", "month", "course"};
	static const char *const capacities[] = {"open", "waiting-list", "closed", "unknown"};
	size_t i;

	kith_buf_printf(b, "group %s at %u:%u\n", g->id, g->line, g->column);
	if (g->updated)
		kith_buf_printf(b, "updated %s\n", g->updated);
	kith_buf_printf(b, "name %s\n", g->name ? g->name : "(none)");
	if (g->organisation)
		kith_buf_printf(b, "organisation %s\n", g->organisation);
	if (g->description)
		kith_buf_printf(b, "description %s\n", g->description);
	put_list(b, "needs", &g->needs);
	put_list(b, "activities", &g->activities);
	for (i = 0; i < g->venue_count; i++) {
		const kith_venue *v = &g->venues[i];
		kith_buf_printf(b, "venue %s | %s", v->address ? v->address : "-", v->postcode ? v->postcode : "-");
		if (v->point.known)
			kith_buf_printf(b, " | %.4f %.4f%s", v->point.lat, v->point.lon,
					v->placed_by_postcode ? " by postcode" : "");
		kith_buf_printf(b, " (line %u)\n", v->line);
	}
	if (g->online)
		kith_buf_printf(b, "online %s\n", g->online_how ? g->online_how : "-");
	if (g->home_visits)
		kith_buf_printf(b, "home-visits %.1f km from %.4f %.4f\n", g->home_radius_km, g->home_point.lat,
				g->home_point.lon);
	if (g->schedule_known) {
		kith_buf_printf(b, "schedule %s..%s%s\n", g->starts ? g->starts : "", g->ends ? g->ends : "",
				g->by_appointment ? " by-appointment" : "");
		for (i = 0; i < g->session_count; i++) {
			kith_buf_printf(b, "session %s ", kith_day_name(g->sessions[i].day));
			put_time(b, g->sessions[i].start);
			kith_buf_putc(b, '-');
			put_time(b, g->sessions[i].end);
			kith_buf_printf(b, " weeks %u\n", g->sessions[i].weeks);
		}
	}
	kith_buf_puts(b, "access");
	for (i = 0; i < KITH_ACCESS_COUNT; i++)
		kith_buf_printf(b, " %s=%s", kith_access_name(i), tri(g->access[i]));
	kith_buf_putc(b, '\n');
	kith_buf_printf(b, "eligibility %d-%d %s %s\n", g->min_age, g->max_age, genders[g->gender],
			g->referral_professional ? "professional" : "self");
	put_list(b, "requires", &g->requires);
	if (g->cost_known)
		kith_buf_printf(b, "cost %s%.2f per %s\n", g->cost_free ? "free " : "", g->cost_amount,
				pers[g->cost_per]);
	kith_buf_printf(b, "capacity %s\n", capacities[g->capacity]);
	put_list(b, "languages", &g->languages);
	if (g->area)
		kith_buf_printf(b, "area %s\n", g->area);
	if (g->phone || g->email || g->web)
		kith_buf_printf(b, "contact %s | %s | %s\n", g->phone ? g->phone : "-", g->email ? g->email : "-",
				g->web ? g->web : "-");
	kith_buf_puts(b, "--\n");
}

static int on_header(void *ctx, const kith_feed_info *info)
{
	collected *c = ctx;

	c->headers++;
	kith_buf_printf(&c->header, "id=%s publisher=%s generated=%s delta=%d size=%zu sha256=%s", info->id,
			info->publisher ? info->publisher : "(none)", info->generated ? info->generated : "(none)",
			info->delta, info->size, info->sha256);
	return 0;
}

static int on_group(void *ctx, const kith_group *g)
{
	collected *c = ctx;

	describe(&c->groups, g);
	kith_buf_printf(&c->ids, "%s%s", c->ids.size ? " " : "", g->id);
	c->group_calls++;
	return c->stop_after && c->group_calls >= (size_t)c->stop_after ? 99 : 0;
}

static int on_withdrawn(void *ctx, const char *id)
{
	collected *c = ctx;

	kith_buf_printf(&c->withdrawn, "%s%s", c->withdrawn.size ? " " : "", id);
	return 0;
}

static void on_progress(void *ctx, size_t done, size_t total)
{
	collected *c = ctx;

	c->progress_calls++;
	c->last_done = done;
	c->last_total = total;
}

static read_result read_path_opts(const char *path, int skip, int stop_after)
{
	read_result r;
	kith_feed_handler h = {on_header, on_group, on_withdrawn, on_progress, NULL, 0};

	memset(&r, 0, sizeof(r));
	kith_buf_init(&r.got.groups, 0);
	kith_buf_init(&r.got.ids, 0);
	kith_buf_init(&r.got.withdrawn, 0);
	kith_buf_init(&r.got.header, 0);
	r.got.stop_after = stop_after;
	h.ctx = &r.got;
	assert_int_equal(kith_diag_list_new(&r.diags), 0);
	r.rc = kith_feed_read(path, &h, skip, r.diags, &r.result);
	/* the result counts what the list holds */
	assert_int_equal(r.result.errors, kith_diag_list_count_of(r.diags, KITH_DIAG_ERROR));
	assert_int_equal(r.result.warnings, kith_diag_list_count_of(r.diags, KITH_DIAG_WARNING));
	assert_int_equal(r.result.groups, r.got.group_calls);
	return r;
}

static read_result read_path(const char *path, int skip)
{
	return read_path_opts(path, skip, 0);
}

static read_result read_data(const char *name, int skip)
{
	kith_buf rel = KITH_BUF_INIT;
	read_result r;

	kith_buf_printf(&rel, DATA "%s", name);
	r = read_path(ks_src(rel.ptr), skip);
	kith_buf_release(&rel);
	return r;
}

static void release(read_result *r)
{
	kith_diag_list_free(r->diags);
	kith_buf_release(&r->got.groups);
	kith_buf_release(&r->got.ids);
	kith_buf_release(&r->got.withdrawn);
	kith_buf_release(&r->got.header);
}

/*
 * The diagnostics as "line:column: [warning: ]message" lines, without the
 * file name (each one's file is checked to be path).
 */
static char *diag_text(const kith_diag_list *diags, const char *path)
{
	kith_buf b = KITH_BUF_INIT;
	size_t i;

	for (i = 0; i < kith_diag_list_count(diags); i++) {
		const kith_diag *d = kith_diag_list_get(diags, i);
		assert_string_equal(d->file, path);
		kith_buf_printf(&b, "%u:%u: %s%s\n", d->line, d->column,
				d->severity == KITH_DIAG_WARNING ? "warning: " : "", d->message);
	}
	return kith_buf_detach(&b);
}

static void assert_diags(const read_result *r, const char *path, const char *expected)
{
	char *text = diag_text(r->diags, path);

	if (strcmp(text, expected) != 0)
		fprintf(stderr, "diagnostics:\n%s", text);
	assert_string_equal(text, expected);
	free(text);
}

/* Asserts that text contains needle, showing text when it does not. */
static void assert_has(const char *text, const char *needle)
{
	if (!ks_contains(text, needle))
		fprintf(stderr, "--- looked for:\n%s\n--- in:\n%s\n", needle, text ? text : "(null)");
	assert_true(ks_contains(text, needle));
}

/* 1 when any diagnostic's message contains needle. */
static int diags_contain(const kith_diag_list *diags, const char *needle)
{
	size_t i;

	for (i = 0; i < kith_diag_list_count(diags); i++)
		if (strstr(kith_diag_list_get(diags, i)->message, needle))
			return 1;
	return 0;
}

/*
 * Reads a data file that must fail with rc and exactly the diagnostics
 * expected; groups before the first problem are handed on, none after.
 */
static void assert_rejected_after(const char *name, int rc, size_t groups, const char *expected)
{
	read_result r = read_data(name, 0);
	char *path = strdup(ks_src(DATA));
	kith_buf full = KITH_BUF_INIT;

	kith_buf_printf(&full, "%s%s", path, name);
	assert_int_equal(r.rc, rc);
	assert_diags(&r, full.ptr, expected);
	assert_int_equal(r.got.group_calls, groups);
	kith_buf_release(&full);
	free(path);
	release(&r);
}

static void assert_rejected(const char *name, int rc, const char *expected)
{
	assert_rejected_after(name, rc, 0, expected);
}

static void sha256_hex(const char *data, size_t size, char out[65])
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	size_t i;

	sha256_init(&ctx);
	sha256_update(&ctx, size, (const uint8_t *)data);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (i = 0; i < sizeof(digest); i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

/* A feed of n small groups; bad_at (1-based, 0 for none) gets a session that ends before it starts. */
static char *many_groups(size_t n, size_t bad_at, const char *bad_kind)
{
	kith_buf b = KITH_BUF_INIT;
	size_t i;

	kith_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<feed xmlns=\"urn:kith:feed:1\" id=\"many\" version=\"1\">\n");
	for (i = 1; i <= n; i++) {
		const char *day = i == bad_at && strcmp(bad_kind, "schema") == 0 ? "someday" : "mon";
		const char *end = i == bad_at && strcmp(bad_kind, "rule") == 0 ? "09:00" : "11:00";
		kith_buf_printf(&b,
				"  <group id=\"g%zu\">\n    <name>Group number %zu</name>\n"
				"    <schedule><session day=\"%s\" start=\"10:00\" end=\"%s\"/></schedule>\n"
				"  </group>\n",
				i, i, day, end);
	}
	kith_buf_puts(&b, "</feed>\n");
	return kith_buf_detach(&b);
}

/* ---- good feeds --------------------------------------------------------- */

static void test_full_feed_every_field(void **state)
{
	read_result r = read_data("full.xml", 0);
	char *bytes = ks_read(ks_src(DATA "full.xml")), sha[65];
	kith_buf header = KITH_BUF_INIT;

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_int_equal(kith_diag_list_count(r.diags), 0);
	assert_int_equal(r.result.groups, 3);
	assert_int_equal(r.result.skipped, 0);
	assert_int_equal(r.result.withdrawn, 0);
	assert_int_equal(r.got.headers, 1);
	sha256_hex(bytes, strlen(bytes), sha);
	kith_buf_printf(&header,
			"id=haverhill-lifelink publisher=ONE Haverhill Partnership generated=2026-11-01T09:00:00Z "
			"delta=0 size=%zu sha256=%s",
			strlen(bytes), sha);
	assert_string_equal(r.got.header.ptr, header.ptr);
	assert_string_equal(
		r.got.groups.ptr,
		"group tue-lunch at 6:3\n"
		"updated 2026-10-12\n"
		"name Tuesday Lunch Club\n"
		"organisation Haverhill Community Trust\n"
		"description A hot two-course lunch and a chat with friendly volunteers.\n"
		"needs loneliness low-mood\n"
		"activities lunch-club games\n"
		"venue Arts Centre, High Street, Haverhill | CB9 8AR | 52.0826 0.4390 (line 12)\n"
		"venue Chalkstone Community Hall, Haverhill | CB9 0LB | 52.0830 0.4399 by postcode (line 17)\n"
		"online by telephone on a Tuesday afternoon\n"
		"home-visits 8.0 km from 52.0800 0.4400\n"
		"schedule 2026-01-06..2027-12-21 by-appointment\n"
		"session tue 12:00-14:00 weeks 0\n"
		"session thu 10:30-11:30 weeks 37\n"
		"access wheelchair=yes step-free=yes hearing-loop=unknown accessible-toilet=yes "
		"parking=no public-transport=yes\n"
		"eligibility 55-99 female professional\n"
		"requires carer bereaved\n"
		"cost 3.50 per week\n"
		"capacity waiting-list\n"
		"languages en pl\n"
		"contact 01440 000000 | hello@example.org | https://example.org\n"
		"--\n"
		"group walk-talk at 39:3\n"
		"updated 2026-11-02\n"
		"name Walk and Talk\n"
		"description Gentle walking round the East Town Park, at your own pace.\n"
		"needs physical-activity\n"
		"activities walking\n"
		"venue East Town Park gates, Haverhill | - | 52.0861 0.4502 (line 44)\n"
		"schedule ..\n"
		"session wed 10:00-11:00 weeks 0\n"
		"access wheelchair=no step-free=no hearing-loop=unknown accessible-toilet=unknown "
		"parking=unknown public-transport=unknown\n"
		"eligibility -1--1 any self\n"
		"cost free 0.00 per session\n"
		"capacity unknown\n"
		"--\n"
		"group cafe-connect at 54:3\n"
		"updated 2026-10-30\n"
		"name Café Connect\n"
		"description A friendly telephone café for anyone who would like a chat.\n"
		"needs loneliness\n"
		"activities befriending\n"
		"online telephone\n"
		"schedule .. by-appointment\n"
		"access wheelchair=unknown step-free=unknown hearing-loop=unknown "
		"accessible-toilet=unknown parking=unknown public-transport=unknown\n"
		"eligibility -1--1 any self\n"
		"capacity closed\n"
		"--\n");
	kith_buf_release(&header);
	free(bytes);
	release(&r);
}

static void test_delta_feed(void **state)
{
	read_result r = read_data("delta.xml", 0);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_int_equal(kith_diag_list_count(r.diags), 0);
	assert_has(r.got.header.ptr, "id=haverhill-lifelink publisher=(none) "
				     "generated=2026-11-15T09:00:00Z delta=1");
	assert_string_equal(r.got.ids.ptr, "choir walk-talk");
	assert_string_equal(r.got.withdrawn.ptr, "tue-lunch never-listed");
	assert_int_equal(r.result.withdrawn, 2);
	release(&r);
}

static void test_withdrawn_in_full_feed_warns(void **state)
{
	char *dir = ks_tmpdir();
	char *path = ks_write(dir, "full-withdrawn.xml",
			      "<?xml version=\"1.0\"?>\n"
			      "<feed xmlns=\"urn:kith:feed:1\" id=\"f\" version=\"1\" mode=\"full\">\n"
			      "  <group id=\"a\"><name>A</name></group>\n"
			      "  <withdrawn id=\"old\"/>\n"
			      "</feed>\n");
	read_result r = read_path(path, 0);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_diags(&r, path,
		     "4:3: warning: withdrawn 'old' in a full feed does nothing: absent groups are removed anyway\n");
	assert_string_equal(r.got.withdrawn.ptr, "old");
	release(&r);
	free(path);
	ks_rmtree(dir);
	free(dir);
}

static void test_vocabulary_and_postcode_warnings(void **state)
{
	char *dir = ks_tmpdir();
	char *path = ks_write(dir, "words.xml",
			      "<?xml version=\"1.0\"?>\n"
			      "<feed xmlns=\"urn:kith:feed:1\" id=\"words\" version=\"1\">\n"
			      "  <group id=\"a\">\n"
			      "    <name>A</name>\n"
			      "    <needs><need>loneliness</need><need>wellbeing</need></needs>\n"
			      "    <activities><activity>zumba</activity></activities>\n"
			      "    <venue><postcode>not a postcode</postcode></venue>\n"
			      "    <venue><postcode>ZZ9 9ZZ</postcode></venue>\n"
			      "    <eligibility><requires>left-handed</requires></eligibility>\n"
			      "  </group>\n"
			      "</feed>\n");
	read_result r = read_path(path, 0);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_diags(&r, path,
		     "5:35: warning: need 'wellbeing' is not in the vocabulary (kept, and matched as text)\n"
		     "6:17: warning: activity 'zumba' is not in the vocabulary (kept, and matched as text)\n"
		     "7:12: warning: postcode 'not a postcode' is not a UK postcode (kept as written)\n"
		     "8:12: warning: postcode 'ZZ9 9ZZ' is in no known district, so the venue has no location\n"
		     "9:18: warning: requires 'left-handed' is not in the vocabulary (kept, and matched as text)\n");
	/* kept as written, and matched as text later */
	assert_has(r.got.groups.ptr, "needs loneliness wellbeing\n");
	assert_has(r.got.groups.ptr, "activities zumba\n");
	assert_has(r.got.groups.ptr, "venue - | not a postcode (line 7)\n");
	assert_has(r.got.groups.ptr, "venue - | ZZ9 9ZZ (line 8)\n");
	assert_has(r.got.groups.ptr, "requires left-handed\n");
	release(&r);
	free(path);
	ks_rmtree(dir);
	free(dir);
}

static void test_callback_stops_reading(void **state)
{
	read_result r = read_path_opts(ks_src(DATA "full.xml"), 0, 2);

	(void)state;
	assert_int_equal(r.rc, 99);
	assert_string_equal(r.got.ids.ptr, "tue-lunch walk-talk");
	release(&r);
}

static void test_progress_is_reported(void **state)
{
	char *dir = ks_tmpdir();
	char *text = many_groups(2500, 0, "");
	char *path = ks_write(dir, "many.xml", text);
	read_result r = read_path(path, 0);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.result.groups, 2500);
	assert_int_equal(r.got.progress_calls, 2);
	assert_int_equal(r.got.last_total, strlen(text));
	assert_true(r.got.last_done > 0 && r.got.last_done <= r.got.last_total);
	release(&r);
	free(path);
	free(text);
	ks_rmtree(dir);
	free(dir);
}

/* ---- rules -------------------------------------------------------------- */

static void test_rule_duplicate_id(void **state)
{
	(void)state;
	assert_rejected_after("duplicate-id.xml", KITH_EINVALID, 1,
			      "6:10: group id 'coffee' is used twice in this feed (first at line 3)\n");
}

/* An area served in normal form, the feed's for groups that state none; a wrong code is named with its place. */
static void test_areas_served(void **state)
{
	read_result r = read_data("area.xml", 0);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_has(r.got.groups.ptr, "group council-wide at 3:3\nname Befriending for Castle Point residents\naccess");
	assert_has(r.got.groups.ptr, "capacity unknown\narea SS7 SS8\n--\ngroup one-sector");
	assert_has(r.got.groups.ptr, "area SS8 9\n");
	assert_has(r.got.groups.ptr, "area SS CM CO\n");
	release(&r);
	assert_rejected("area-bad.xml", KITH_EINVALID,
			"2:61: area served: 'Benfleet' is not a postcode area, district or sector (expected "
			"space-separated codes such as SS, SS7 or SS7 1)\n");
	assert_rejected("area-bad-group.xml", KITH_EINVALID,
			"4:5: area served: 'SS7,' is not a postcode area, district or sector (expected "
			"space-separated codes such as SS, SS7 or SS7 1)\n");
}

static void test_rule_session_end(void **state)
{
	(void)state;
	assert_rejected("session-end.xml", KITH_EINVALID,
			"6:40: session end 09:00 is before start 10:00\n"
			"12:40: session end 10:00 is the same as start 10:00\n");
	assert_rejected("crlf-session-end.xml", KITH_EINVALID, "6:40: session end 09:30 is before start 10:00\n");
}

static void test_rule_coordinates(void **state)
{
	(void)state;
	assert_rejected("lat-range.xml", KITH_EINVALID, "5:19: latitude 91.5 is out of range (expected -90 to 90)\n");
	assert_rejected("lon-range.xml", KITH_EINVALID,
			"5:30: longitude -181.25 is out of range (expected -180 to 180)\n");
}

static void test_rule_ages(void **state)
{
	(void)state;
	assert_rejected("age-range.xml", KITH_EINVALID, "5:18: min-age 65 is above max-age 18\n");
}

static void test_rule_version_and_namespace(void **state)
{
	(void)state;
	assert_rejected("version-2.xml", KITH_EINVALID,
			"2:43: unsupported feed version '2' (this kith reads version 1)\n");
	assert_rejected("wrong-namespace.xml", KITH_EINVALID,
			"2:1: not a kith feed: root element is 'feed' in namespace 'urn:kith:feed:2' (expected "
			"'feed' in namespace 'urn:kith:feed:1')\n");
	assert_rejected("no-namespace.xml", KITH_EINVALID,
			"2:1: not a kith feed: root element is 'feed' with no namespace (expected 'feed' in "
			"namespace 'urn:kith:feed:1')\n");
	assert_rejected("xhtml.xml", KITH_EINVALID,
			"2:1: not a kith feed: root element is 'html' in namespace "
			"'http://www.w3.org/1999/xhtml' (expected 'feed' in namespace 'urn:kith:feed:1')\n");
}

static void test_rule_schema(void **state)
{
	(void)state;
	assert_rejected("missing-name.xml", KITH_EINVALID,
			"4:5: element 'organisation': this element is not expected. Expected is ( name )\n");
	assert_rejected("bad-day.xml", KITH_EINVALID,
			"6:16: element 'session', attribute 'day': the value 'tues' is not an element of the set "
			"{'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'}\n");
	assert_rejected("bad-feed-id.xml", KITH_EINVALID,
			"2:31: element 'feed', attribute 'id': the value 'Bad Feed Id' is not accepted by the "
			"pattern '[a-z0-9][a-z0-9\\-]*'\n");
	assert_rejected("blank-name.xml", KITH_EINVALID, "4:5: group 'blank' has a blank name\n");
}

static void test_rule_other(void **state)
{
	(void)state;
	assert_rejected("course-ends.xml", KITH_EINVALID,
			"5:35: schedule ends 2026-06-30 before it starts 2026-09-01\n");
	assert_rejected("free-and-amount.xml", KITH_EINVALID, "5:22: cost is both free and 2.50\n");
	assert_rejected("bad-date.xml", KITH_EINVALID,
			"3:19: element 'group', attribute 'updated': '2026-02-30' is not a valid value of the "
			"atomic type 'xs:date'\n"
			"3:19: updated date '2026-02-30' is not a real date\n");
}

static void test_rule_listed_and_withdrawn(void **state)
{
	read_result r = read_data("listed-and-withdrawn.xml", 0);
	char *path = strdup(ks_src(DATA "listed-and-withdrawn.xml"));

	(void)state;
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_diags(&r, path, "6:14: group 'walk-talk' is both listed (line 3) and withdrawn\n");
	/* the group was good when it was read; the withdrawal that contradicts it is not passed on */
	assert_string_equal(r.got.withdrawn.ptr, "");
	free(path);
	release(&r);
}

static void test_every_problem_is_reported(void **state)
{
	read_result r = read_data("skip-bad.xml", 0);

	(void)state;
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_int_equal(r.result.errors, 3);
	assert_int_equal(r.result.skipped, 0);
	assert_true(diags_contain(r.diags, "the value 'tues' is not an element of the set"));
	assert_true(diags_contain(r.diags, "session end 09:00 is before start 10:00"));
	assert_true(diags_contain(r.diags, "element 'organisation': this element is not expected"));
	release(&r);
}

/* ---- skip mode ---------------------------------------------------------- */

static void test_skip_bad_groups(void **state)
{
	read_result r = read_data("skip-bad.xml", 1);
	char *path = strdup(ks_src(DATA "skip-bad.xml"));

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.got.ids.ptr, "good-1 good-2");
	assert_int_equal(r.result.skipped, 3);
	assert_int_equal(r.result.errors, 0);
	assert_diags(&r, path,
		     "5:3: warning: group 'bad-day' skipped: 1 problem in it\n"
		     "5:62: warning: element 'session', attribute 'day': the value 'tues' is not an element of "
		     "the set {'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'}\n"
		     "6:3: warning: group 'bad-time' skipped: 1 problem in it\n"
		     "6:88: warning: session end 09:00 is before start 10:00\n"
		     "7:3: warning: group 'no-name' skipped: 1 problem in it\n"
		     "7:23: warning: element 'organisation': this element is not expected. Expected is ( name )\n");
	free(path);
	release(&r);
}

/* The column of the first diagnostic whose message contains text; 0 when none does. */
static unsigned diag_column(const kith_diag_list *diags, const char *text)
{
	size_t i;

	for (i = 0; i < kith_diag_list_count(diags); i++)
		if (strstr(kith_diag_list_get(diags, i)->message, text))
			return kith_diag_list_get(diags, i)->column;
	return 0;
}

static void test_skip_in_a_minified_feed(void **state)
{
	read_result r = read_data("minified.xml", 1);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.got.ids.ptr, "a d");
	assert_int_equal(r.result.skipped, 2);
	/* every group is on line 1: the column tells them apart */
	assert_has(r.got.groups.ptr, "group a at 1:95\n");
	assert_has(r.got.groups.ptr, "group d at 1:338\n");
	assert_true(diags_contain(r.diags, "group 'b' skipped"));
	assert_true(diags_contain(r.diags, "group 'c' skipped"));
	assert_int_equal(diag_column(r.diags, "group 'b' skipped"), 131);
	assert_int_equal(diag_column(r.diags, "group 'c' skipped"), 234);
	/* the schema error is located exactly, in group c */
	assert_int_equal(diag_column(r.diags, "is not an element of the set"), 281);
	release(&r);
}

/* libxml2 reads ahead in chunks: one bad group among many must take only itself out. */
static void test_skip_takes_out_only_the_bad_group(void **state)
{
	static const char *const kinds[] = {"schema", "rule"};
	char *dir = ks_tmpdir();
	size_t k, bad;

	(void)state;
	for (k = 0; k < 2; k++) {
		for (bad = 1; bad <= 60; bad += 7) {
			char *text = many_groups(60, bad, kinds[k]);
			char *path = ks_write(dir, "one-bad.xml", text);
			read_result r = read_path(path, 1);
			char skipped[64];
			snprintf(skipped, sizeof(skipped), "group 'g%zu' skipped", bad);
			assert_int_equal(r.rc, 0);
			assert_int_equal(r.result.groups, 59);
			assert_int_equal(r.result.skipped, 1);
			assert_int_equal(r.result.errors, 0);
			assert_int_equal(r.result.warnings, 2);
			assert_true(diags_contain(r.diags, skipped));
			release(&r);
			r = read_path(path, 0);
			assert_int_equal(r.rc, KITH_EINVALID);
			assert_int_equal(r.result.errors, 1);
			release(&r);
			free(path);
			free(text);
		}
	}
	ks_rmtree(dir);
	free(dir);
}

static void test_skip_does_not_excuse_the_feed(void **state)
{
	read_result r = read_data("bad-feed-id.xml", 1);

	(void)state;
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_int_equal(r.got.group_calls, 0);
	release(&r);
	r = read_data("listed-and-withdrawn.xml", 1);
	assert_int_equal(r.rc, KITH_EINVALID);
	release(&r);
	r = read_data("truncated.xml", 1);
	assert_int_equal(r.rc, KITH_EINVALID);
	release(&r);
}

/* ---- hostile and broken files ------------------------------------------ */

static void test_hostile_entities(void **state)
{
	static const char *const files[] = {"external-entity.xml", "external-dtd.xml", "parameter-entity.xml",
					    "billion-laughs.xml"};
	static const unsigned lines[] = {2, 2, 3, 2};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char expected[256];
		snprintf(expected, sizeof(expected),
			 "%u:1: document type declarations (<!DOCTYPE>) are not allowed: kith files use no DTD "
			 "and no entities\n",
			 lines[i]);
		assert_rejected(files[i], KITH_EINVALID, expected);
	}
}

/* An entity naming a real file with a secret in it: the secret never comes out. */
static void test_external_entity_never_read(void **state)
{
	static const char marker[] = "KITH-SECRET-MARKER-4f1c";
	char *dir = ks_tmpdir();
	char *secret = ks_write(dir, "secret.txt", marker);
	kith_buf feed = KITH_BUF_INIT, all = KITH_BUF_INIT;
	const char *forms[] = {
		"<!DOCTYPE feed [<!ENTITY s SYSTEM \"file://%s\">]>\n"
		"<feed xmlns=\"urn:kith:feed:1\" id=\"x\" version=\"1\" publisher=\"&s;\">"
		"<group id=\"g\"><name>&s;</name></group></feed>\n",
		"<!DOCTYPE feed [<!ENTITY %% p SYSTEM \"file://%s\"> %%p;]>\n"
		"<feed xmlns=\"urn:kith:feed:1\" id=\"x\" version=\"1\"><group "
		"id=\"g\"><name>n</name></group></feed>\n",
		"<!DOCTYPE feed SYSTEM \"%s\">\n"
		"<feed xmlns=\"urn:kith:feed:1\" id=\"x\" version=\"1\"><group "
		"id=\"g\"><name>n</name></group></feed>\n",
	};
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		char *path;
		read_result r;
		kith_buf_clear(&feed);
		kith_buf_printf(&feed, forms[i], secret);
		path = ks_write(dir, "feed.xml", feed.ptr);
		r = read_path(path, i == 0);
		assert_int_equal(r.rc, KITH_EINVALID);
		assert_int_equal(r.got.group_calls, 0);
		assert_int_equal(r.got.headers, 0);
		kith_buf_clear(&all);
		for (j = 0; j < kith_diag_list_count(r.diags); j++)
			kith_buf_puts(&all, kith_diag_list_get(r.diags, j)->message);
		assert_false(ks_contains(all.ptr, marker));
		assert_true(diags_contain(r.diags, "document type declarations (<!DOCTYPE>) are not allowed"));
		release(&r);
		free(path);
	}
	kith_buf_release(&feed);
	kith_buf_release(&all);
	free(secret);
	ks_rmtree(dir);
	free(dir);
}

static void test_broken_bytes(void **state)
{
	(void)state;
	assert_rejected("invalid-utf8.xml", KITH_EINVALID,
			"3:29: the file is not valid UTF-8 (bytes 0xE9 0x20 0x43 0x6F): save it as UTF-8\n");
	assert_rejected("nul-byte.xml", KITH_EINVALID, "3:29: a NUL byte is not allowed in an XML file\n");
	assert_rejected_after("truncated.xml", KITH_EINVALID, 1,
			      "4:41: the file ends before its root element is closed: it looks cut off\n");
}

static void test_not_a_feed(void **state)
{
	read_result r;
	char *dir = ks_tmpdir();

	(void)state;
	assert_rejected("html.xml", KITH_EINVALID, "1:1: this looks like HTML, not XML: expected a kith feed\n");
	assert_rejected(
		"json.xml", KITH_EINVALID,
		"1:1: this looks like JSON, not XML: expected a kith feed (Open Referral and OpenActive JSON are read "
		"by kith import, or kith index --from)\n");
	assert_rejected("empty.xml", KITH_EINVALID, "0:0: empty file, expected a kith feed\n");
	/* libxml2 2.9 compares a start tag's attributes pairwise: refused before it parses them */
	assert_rejected("attribute-flood.xml", KITH_ETOOLARGE,
			"4:3: an element with over 256 attributes: no kith feed has so many\n");
	assert_rejected("csv.xml", KITH_EINVALID, "1:1: not an XML file: expected '<' at the start of a kith feed\n");
	r = read_path(ks_src(DATA "no-such-file.xml"), 0);
	assert_int_equal(r.rc, KITH_EIO);
	assert_true(diags_contain(r.diags, "cannot read file: No such file or directory"));
	release(&r);
	r = read_path(dir, 0);
	assert_int_equal(r.rc, KITH_EIO);
	assert_true(diags_contain(r.diags, "not a regular file"));
	release(&r);
	ks_rmtree(dir);
	free(dir);
}

/* White space and NUL bytes only: NUL is not white space. */
static void test_nul_bytes_only(void **state)
{
	char *dir = ks_tmpdir();
	char *path = ks_write_bytes(dir, "zeros.xml", "\0\0\0\0", 4);
	read_result r = read_path(path, 0);

	(void)state;
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_diags(&r, path, "1:1: not an XML file: expected '<' at the start of a kith feed\n");
	release(&r);
	free(path);
	ks_rmtree(dir);
	free(dir);
}

static char *nested(size_t depth)
{
	kith_buf b = KITH_BUF_INIT;
	size_t i;

	kith_buf_puts(&b, "<?xml version=\"1.0\"?>\n"
			  "<feed xmlns=\"urn:kith:feed:1\" xmlns:x=\"urn:example:x\" id=\"deep\" version=\"1\">\n"
			  "  <group id=\"g\"><name>Deep</name>");
	for (i = 0; i < depth; i++)
		kith_buf_puts(&b, "<x:e>");
	for (i = 0; i < depth; i++)
		kith_buf_puts(&b, "</x:e>");
	kith_buf_puts(&b, "</group>\n</feed>\n");
	return kith_buf_detach(&b);
}

static void test_deep_nesting(void **state)
{
	static const size_t depths[] = {40, 300, 100000};
	char *dir = ks_tmpdir();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
		char *text = nested(depths[i]);
		char *path = ks_write(dir, "deep.xml", text);
		read_result r = read_path(path, 1);
		assert_int_equal(r.rc, KITH_ETOOLARGE);
		assert_int_equal(kith_diag_list_count(r.diags), 1);
		assert_int_equal(kith_diag_list_get(r.diags, 0)->line, 3);
		assert_string_equal(kith_diag_list_get(r.diags, 0)->message, "elements nested deeper than 32 levels");
		assert_int_equal(r.got.group_calls, 0);
		release(&r);
		free(path);
		free(text);
	}
	/* within the limit, an extension nests freely */
	{
		char *text = nested(20);
		char *path = ks_write(dir, "deep.xml", text);
		read_result r = read_path(path, 0);
		assert_int_equal(r.rc, 0);
		assert_int_equal(r.result.groups, 1);
		release(&r);
		free(path);
		free(text);
	}
	ks_rmtree(dir);
	free(dir);
}

static char *with_big(const char *before, char fill, size_t n, const char *after)
{
	kith_buf b = KITH_BUF_INIT;

	kith_buf_init(&b, n + 4096);
	kith_buf_puts(&b, "<?xml version=\"1.0\"?>\n<feed xmlns=\"urn:kith:feed:1\" id=\"big\" version=\"1\">\n");
	kith_buf_puts(&b, before);
	assert_int_equal(kith_buf_grow(&b, n), 0);
	memset(b.ptr + b.size, fill, n);
	b.size += n;
	b.ptr[b.size] = '\0';
	kith_buf_puts(&b, after);
	kith_buf_puts(&b, "\n</feed>\n");
	return kith_buf_detach(&b);
}

static void test_huge_text_and_attributes(void **state)
{
	struct {
		const char *before, *after;
		size_t n;
		const char *message;
		unsigned column;
	} cases[] = {
		{"  <group id=\"g\"><name>n</name><description>", "</description></group>", 300 * 1024,
		 "text over 256 KiB in one element", 0},
		{"  <group id=\"g\"><name>n</name><contact web=\"", "\"/></group>", 9 * 1024,
		 "attribute 'web' over 8 KiB", 40},
		{"  <group id=\"g\"><name>", "</name></group>", 300 * 1024, "text over 256 KiB in one element", 0},
	};
	char *dir = ks_tmpdir();
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = with_big(cases[i].before, 'x', cases[i].n, cases[i].after);
		char *path = ks_write(dir, "big.xml", text);
		read_result r = read_path(path, 1);
		const kith_diag *d;
		assert_int_equal(r.rc, KITH_ETOOLARGE);
		assert_int_equal(kith_diag_list_count(r.diags), 1);
		d = kith_diag_list_get(r.diags, 0);
		assert_string_equal(d->message, cases[i].message);
		assert_int_equal(d->line, 3);
		if (cases[i].column)
			assert_int_equal(d->column, cases[i].column);
		assert_int_equal(r.got.group_calls, 0);
		release(&r);
		free(path);
		free(text);
	}
	/* just under the limits loads */
	{
		char *text = with_big("  <group id=\"g\"><name>n</name><description>", 'y', 255 * 1024,
				      "</description><contact web=\"https://example.org\"/></group>");
		char *path = ks_write(dir, "big.xml", text);
		read_result r = read_path(path, 0);
		assert_int_equal(r.rc, 0);
		assert_int_equal(r.result.groups, 1);
		release(&r);
		free(path);
		free(text);
	}
	ks_rmtree(dir);
	free(dir);
}

/* Memory stays flat: a group is held whole, so one of many megabytes is refused before it is read. */
static void test_huge_group(void **state)
{
	char *dir = ks_tmpdir();
	kith_buf b = KITH_BUF_INIT;
	char *path;
	read_result r;
	size_t i;

	(void)state;
	kith_buf_puts(&b, "<?xml version=\"1.0\"?>\n"
			  "<feed xmlns=\"urn:kith:feed:1\" xmlns:x=\"urn:example:x\" id=\"huge\" version=\"1\">\n"
			  "  <group id=\"small\"><name>Small</name></group>\n"
			  "  <group id=\"huge\"><name>Huge</name>");
	for (i = 0; i < 500000; i++)
		kith_buf_puts(&b, "<x:e/>");
	kith_buf_puts(&b, "</group>\n</feed>\n");
	path = ks_write(dir, "huge.xml", b.ptr);
	r = read_path(path, 1);
	assert_int_equal(r.rc, KITH_ETOOLARGE);
	assert_diags(&r, path, "4:3: group 'huge' is over 2 MiB: no listing is that long\n");
	release(&r);
	free(path);
	kith_buf_release(&b);
	ks_rmtree(dir);
	free(dir);
}

/* The thread's own libxml2 error handler is put back, and never sees a feed's errors. */
static int foreign_calls;
static void foreign_handler(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
	foreign_calls++;
}

static void test_libxml2_handlers_restored(void **state)
{
	static int ctx;
	read_result r;

	(void)state;
	xmlSetStructuredErrorFunc(&ctx, foreign_handler);
	r = read_data("truncated.xml", 0);
	assert_int_equal(r.rc, KITH_EINVALID);
	assert_true(diags_contain(r.diags, "it looks cut off"));
	release(&r);
	r = read_data("bad-day.xml", 0);
	assert_int_equal(r.rc, KITH_EINVALID);
	release(&r);
	assert_int_equal(foreign_calls, 0);
	assert_ptr_equal(xmlStructuredError, foreign_handler);
	assert_ptr_equal(xmlStructuredErrorContext, &ctx);
	xmlSetStructuredErrorFunc(NULL, NULL);
}

/* ---- odd but valid ------------------------------------------------------ */

static void test_odd_but_valid(void **state)
{
	read_result r = read_data("odd-valid.xml", 0);

	(void)state;
	assert_int_equal(r.rc, 0);
	assert_int_equal(kith_diag_list_count(r.diags), 0);
	assert_string_equal(r.got.ids.ptr, "arabic chinese.tai-chi_1 emoji");
	assert_has(r.got.header.ptr, "id=odd-but-valid ");
	assert_has(r.got.groups.ptr, "group arabic at 8:3\n"
				     "updated 2026-11-01\n"
				     "name مجموعة القهوة العربية\n"
				     "description Coffee <b>and</b> conversation & \"company\" -- all welcome\n"
				     "needs loneliness\n");
	assert_has(r.got.groups.ptr, "languages ar en\n");
	assert_has(r.got.groups.ptr, "name 太极拳 Tai Chi 😀 for everyone\n"
				     "description Café afterwards & tea <optional> 中文\n");
	assert_has(r.got.groups.ptr, "name 🎨 Art Club 🖌️\n");
	assert_has(r.got.groups.ptr, "access wheelchair=unknown step-free=unknown hearing-loop=unknown "
				     "accessible-toilet=unknown parking=yes");
	release(&r);

	r = read_data("prefixed.xml", 0);
	assert_int_equal(r.rc, 0);
	assert_int_equal(kith_diag_list_count(r.diags), 0);
	assert_has(r.got.groups.ptr, "group p1 at 3:3\n"
				     "updated 2026-11-01\n"
				     "name Prefixed Group\n"
				     "venue - | - | 52.1000 0.4000 (line 5)\n"
				     "schedule ..\n"
				     "session mon 10:00-11:00 weeks 0\n");
	release(&r);
}

static void test_bom_and_crlf(void **state)
{
	char *dir = ks_tmpdir();
	char *path = ks_write(dir, "bom-crlf.xml",
			      "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n"
			      "<feed xmlns=\"urn:kith:feed:1\" id=\"crlf\" version=\"1\">\r\n"
			      "  <group id=\"a\">\r\n"
			      "    <name>Line\r\nEndings</name>\r\n"
			      "  </group>\r\n"
			      "</feed>\r\n");
	read_result r = read_path(path, 0);

	(void)state;
	assert_int_equal(r.rc, 0);
	/* XML turns CR LF into LF */
	assert_has(r.got.groups.ptr, "group a at 3:3\nname Line\nEndings\n");
	release(&r);
	free(path);
	ks_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_feed_every_field),
		cmocka_unit_test(test_delta_feed),
		cmocka_unit_test(test_areas_served),
		cmocka_unit_test(test_withdrawn_in_full_feed_warns),
		cmocka_unit_test(test_vocabulary_and_postcode_warnings),
		cmocka_unit_test(test_callback_stops_reading),
		cmocka_unit_test(test_progress_is_reported),
		cmocka_unit_test(test_rule_duplicate_id),
		cmocka_unit_test(test_rule_session_end),
		cmocka_unit_test(test_rule_coordinates),
		cmocka_unit_test(test_rule_ages),
		cmocka_unit_test(test_rule_version_and_namespace),
		cmocka_unit_test(test_rule_schema),
		cmocka_unit_test(test_rule_other),
		cmocka_unit_test(test_rule_listed_and_withdrawn),
		cmocka_unit_test(test_every_problem_is_reported),
		cmocka_unit_test(test_skip_bad_groups),
		cmocka_unit_test(test_skip_in_a_minified_feed),
		cmocka_unit_test(test_skip_takes_out_only_the_bad_group),
		cmocka_unit_test(test_skip_does_not_excuse_the_feed),
		cmocka_unit_test(test_hostile_entities),
		cmocka_unit_test(test_external_entity_never_read),
		cmocka_unit_test(test_broken_bytes),
		cmocka_unit_test(test_not_a_feed),
		cmocka_unit_test(test_nul_bytes_only),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_huge_text_and_attributes),
		cmocka_unit_test(test_huge_group),
		cmocka_unit_test(test_libxml2_handlers_restored),
		cmocka_unit_test(test_odd_but_valid),
		cmocka_unit_test(test_bom_and_crlf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
