/*
 * The reader of kith's own XML feed format (see feed.h).
 *
 * The file streams through libxml2's reader; each <group> is expanded into
 * a small DOM, copied into an arena and checked, then the reader moves on
 * and frees it.  Schema errors inside a group arrive while the reader walks
 * through it, so a group is handed on only once its end tag has been read.
 */
#include "feed/feed.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "util/arena.h"
#include "util/diag.h"
#include "model/area.h"
#include "model/embedded.h"
#include "model/geo.h"
#include "model/names.h"
#include "model/schedule.h"
#include "util/strset.h"
#include "text/vocab.h"
#include "feed/span.h"
#include "feed/xml.h"

#define FEED_NS "urn:kith:feed:1"
#define KITH_FEED_MAX_GROUP (2u << 20) /* bytes in one group, from its start tag to its end tag */

typedef struct feed_reader {
	kith_xml *xml; /* owned */
	const kith_feed_handler *handler;
	kith_feed_info info;
	kith_arena header; /* feed attributes, for the whole read */
	kith_arena arena;  /* the current group, reset per group */
	kith_group group;
	kith_strset ids;       /* group ids seen, with their lines */
	kith_strset withdrawn; /* withdrawn ids seen */
	kith_feed_result result;
	int skip_bad; /* skip_bad_groups */
	kith_span scan;
	kith_text_pos group_start, group_end; /* of the group being read */
	size_t diag_start;                    /* the first diagnostic of this feed */
	size_t settle_from;                   /* diagnostics before it are settled */
	kith_buf claimed;                     /* a byte per diagnostic: 1 when a group's */
} feed_reader;

static int is_kith(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, FEED_NS) == 0 && (!name || strcmp((const char *)n->name, name) == 0);
}

/* An attribute without namespace, borrowed from the node; NULL when absent. */
static const char *attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next)
		if (!a->ns && strcmp((const char *)a->name, name) == 0)
			return a->children && a->children->content ? (const char *)a->children->content : "";
	return NULL;
}

/* The text inside n, trimmed, in the arena; NULL when empty. */
static const char *text_of(kith_arena *arena, const xmlNode *n)
{
	const xmlNode *c;
	size_t len = 0, start, end;
	char *s;

	for (c = n->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			len += strlen((const char *)c->content);
	if ((s = kith_arena_alloc(arena, len + 1)) == NULL)
		return NULL;
	len = 0;
	for (c = n->children; c; c = c->next) {
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content) {
			size_t l = strlen((const char *)c->content);
			memcpy(s + len, c->content, l);
			len += l;
		}
	}
	s[len] = '\0';
	for (start = 0; start < len && strchr(" \t\r\n", s[start]); start++)
		;
	for (end = len; end > start && strchr(" \t\r\n", s[end - 1]); end--)
		;
	s[end] = '\0';
	return end > start ? s + start : NULL;
}

static const char *dup_attr(kith_arena *arena, const xmlNode *n, const char *name)
{
	const char *v = attr(n, name);
	return v ? kith_arena_strdup(arena, v) : NULL;
}

/* A warning or an error about node n (and its attribute a, when not NULL), located in the file. */
#define warn(fr, ...) kith_xml_report((fr)->xml, KITH_DIAG_WARNING, __VA_ARGS__)
#define fail(fr, ...) kith_xml_report((fr)->xml, KITH_DIAG_ERROR, __VA_ARGS__)

/*
 * An area served (the feed's area attribute, or a group's area-served) in
 * normal form in the arena; NULL when blank or wrong, after failing with
 * the token that is wrong.
 */
static const char *read_area(feed_reader *fr, kith_arena *arena, const xmlNode *n, const char *attribute,
			     const char *text)
{
	char bad[16], *out;
	size_t size;

	if (!text)
		return NULL;
	size = strlen(text) + 1;
	if ((out = kith_arena_alloc(arena, size)) == NULL)
		return NULL;
	if (kith_area_normalize(text, out, size, bad) != 0) {
		fail(fr, n, attribute,
		     "area served: '%s' is not a postcode area, district or sector (expected "
		     "space-separated codes such as SS, SS7 or SS7 1)",
		     bad);
		return NULL;
	}
	return *out ? out : NULL;
}

/* Reads the children named child of n into list, warning on words outside the vocabulary. */
static int read_tags(feed_reader *fr, const xmlNode *n, const char *child, kith_vocab_kind kind, kith_strlist *list)
{
	const xmlNode *c;
	size_t count = 0;

	for (c = n->children; c; c = c->next)
		count += is_kith(c, child);
	list->items = kith_arena_alloc(&fr->arena, (count ? count : 1) * sizeof(char *));
	if (!list->items)
		return KITH_ENOMEM;
	for (c = n->children; c; c = c->next) {
		const char *v;
		if (!is_kith(c, child) || (v = text_of(&fr->arena, c)) == NULL)
			continue;
		if (!kith_vocab_find(kind, v))
			warn(fr, c, NULL, "%s '%s' is not in the vocabulary (kept, and matched as text)", child, v);
		list->items[list->count++] = v;
	}
	return 0;
}

static int read_point(feed_reader *fr, const xmlNode *n, kith_point *p)
{
	const char *lat = attr(n, "lat"), *lon = attr(n, "lon");

	if (!lat || !lon)
		return 0; /* the schema reports it */
	p->lat = strtod(lat, NULL);
	p->lon = strtod(lon, NULL);
	if (!(p->lat >= -90.0 && p->lat <= 90.0)) {
		fail(fr, n, "lat", "latitude %s is out of range (expected -90 to 90)", lat);
		return 0;
	}
	if (!(p->lon >= -180.0 && p->lon <= 180.0)) {
		fail(fr, n, "lon", "longitude %s is out of range (expected -180 to 180)", lon);
		return 0;
	}
	p->known = 1;
	return 0;
}

static int read_venue(feed_reader *fr, const xmlNode *n, kith_venue *v)
{
	const xmlNode *c, *postcode_node = NULL;

	v->line = kith_xml_line(n);
	for (c = n->children; c; c = c->next) {
		if (is_kith(c, "address"))
			v->address = text_of(&fr->arena, c);
		else if (is_kith(c, "postcode"))
			v->postcode = text_of(&fr->arena, c), postcode_node = c;
		else if (is_kith(c, "point"))
			read_point(fr, c, &v->point);
	}
	if (v->postcode) {
		double lat, lon;
		int rc = kith_geo_postcode_point(v->postcode, &lat, &lon);
		if (rc == KITH_EINVALID)
			warn(fr, postcode_node, NULL, "postcode '%s' is not a UK postcode (kept as written)",
			     v->postcode);
		else if (rc == KITH_ENOTFOUND && !v->point.known)
			warn(fr, postcode_node, NULL,
			     "postcode '%s' is in no known district, so the venue has no location", v->postcode);
		else if (rc == 0 && !v->point.known) {
			v->point.lat = lat;
			v->point.lon = lon;
			v->point.known = 1;
			v->placed_by_postcode = 1;
		}
	}
	return 0;
}

static void read_schedule(feed_reader *fr, const xmlNode *n, kith_group *g)
{
	const xmlNode *c;
	size_t count = 0;
	long starts = 0, ends = 0;

	g->schedule_known = 1;
	g->starts = dup_attr(&fr->arena, n, "starts");
	g->ends = dup_attr(&fr->arena, n, "ends");
	if (g->starts && g->ends && kith_date_parse(g->starts, &starts) == 0 && kith_date_parse(g->ends, &ends) == 0 &&
	    ends < starts)
		fail(fr, n, "ends", "schedule ends %s before it starts %s", g->ends, g->starts);
	for (c = n->children; c; c = c->next)
		count += is_kith(c, "session");
	g->sessions = kith_arena_alloc(&fr->arena, (count ? count : 1) * sizeof(kith_session));
	if (!g->sessions)
		return;
	for (c = n->children; c; c = c->next) {
		if (is_kith(c, "by-appointment")) {
			g->by_appointment = 1;
		} else if (is_kith(c, "session")) {
			kith_session *s = &g->sessions[g->session_count];
			const char *day = attr(c, "day"), *start = attr(c, "start"), *end = attr(c, "end");
			const char *weeks = attr(c, "weeks");
			int w = weeks ? kith_weeks_parse(weeks) : 0;
			s->day = day ? kith_day_parse(day) : -1;
			s->start = start ? kith_time_parse(start) : -1;
			s->end = end ? kith_time_parse(end) : -1;
			s->weeks = w > 0 ? (unsigned)w : 0;
			if (s->day < 0 || s->start < 0 || s->end < 0 || w < 0)
				continue; /* the schema reports it */
			if (s->end <= s->start) {
				fail(fr, c, "end", "session end %s is %s start %s", end,
				     s->end == s->start ? "the same as" : "before", start);
				continue;
			}
			g->session_count++;
		}
	}
}

static void read_access(const xmlNode *n, kith_group *g)
{
	int i;

	for (i = 0; i < KITH_ACCESS_COUNT; i++)
		g->access[i] = kith_tri_parse(attr(n, kith_access_name(i)));
}

static void read_eligibility(feed_reader *fr, const xmlNode *n, kith_group *g)
{
	const char *min = attr(n, "min-age"), *max = attr(n, "max-age");
	const char *gender = attr(n, "gender"), *referral = attr(n, "referral");

	g->min_age = min ? (int)strtol(min, NULL, 10) : -1;
	g->max_age = max ? (int)strtol(max, NULL, 10) : -1;
	if (g->min_age >= 0 && g->max_age >= 0 && g->min_age > g->max_age)
		fail(fr, n, "min-age", "min-age %d is above max-age %d", g->min_age, g->max_age);
	g->gender = KITH_GENDER_ANY;
	kith_gender_parse(gender, &g->gender); /* the schema reports a name it does not know */
	g->referral_professional = kith_referral_parse(referral);
	read_tags(fr, n, "requires", KITH_VOCAB_CIRCUMSTANCE, &g->requires);
}

static void read_cost(feed_reader *fr, const xmlNode *n, kith_group *g)
{
	const char *free_ = attr(n, "free"), *amount = attr(n, "amount"), *per = attr(n, "per");

	if (free_ && strcmp(free_, "yes") == 0) {
		g->cost_known = 1;
		g->cost_free = 1;
		if (amount && strtod(amount, NULL) > 0)
			fail(fr, n, "amount", "cost is both free and %s", amount);
	} else if (amount) {
		g->cost_known = 1;
		g->cost_amount = strtod(amount, NULL);
		g->cost_free = g->cost_amount == 0.0;
		g->cost_per = KITH_PER_SESSION;
		kith_cost_per_parse(per, &g->cost_per);
	}
}

static void read_languages(feed_reader *fr, const xmlNode *n, kith_group *g)
{
	const char *t = text_of(&fr->arena, n);
	size_t count = 0, i;
	char *copy, *p;

	if (!t)
		return;
	copy = kith_arena_strdup(&fr->arena, t);
	for (i = 0; copy && copy[i]; i++)
		count += (i == 0 || strchr(" \t\r\n", copy[i - 1])) && !strchr(" \t\r\n", copy[i]);
	g->languages.items = kith_arena_alloc(&fr->arena, (count ? count : 1) * sizeof(char *));
	if (!copy || !g->languages.items)
		return;
	for (p = copy; *p;) {
		while (*p && strchr(" \t\r\n", *p))
			*p++ = '\0';
		if (!*p)
			break;
		g->languages.items[g->languages.count++] = p;
		while (*p && !strchr(" \t\r\n", *p))
			p++;
	}
}

/* Copies the expanded <group> n into fr->group and checks its rules; located: the scanner found it. */
static int read_group(feed_reader *fr, const xmlNode *n, int located)
{
	kith_group *g = &fr->group;
	const xmlNode *c, *name_node = NULL;
	size_t venues = 0, first_line;
	int added;

	kith_arena_reset(&fr->arena);
	memset(g, 0, sizeof(*g));
	g->min_age = g->max_age = -1;
	g->capacity = KITH_CAPACITY_UNKNOWN; /* until a <capacity> says */
	g->id = dup_attr(&fr->arena, n, "id");
	g->updated = dup_attr(&fr->arena, n, "updated");
	g->line = kith_xml_line(n);
	if (located) {
		g->line = fr->group_start.line;
		g->column = fr->group_start.column;
	} else {
		kith_xml_locate(fr->xml, &g->line, &g->column, "group", NULL);
	}
	if (g->id) {
		added = kith_strset_add(&fr->ids, g->id, g->line, &first_line);
		if (added < 0)
			return added;
		if (added == 0)
			fail(fr, n, "id", "group id '%s' is used twice in this feed (first at line %zu)", g->id,
			     first_line);
	}
	for (c = n->children; c; c = c->next)
		venues += is_kith(c, "venue");
	g->venues = kith_arena_alloc(&fr->arena, (venues ? venues : 1) * sizeof(kith_venue));
	if (!g->venues)
		return KITH_ENOMEM;
	for (c = n->children; c; c = c->next) {
		const char *name;
		if (!is_kith(c, NULL))
			continue; /* extensions from other namespaces */
		name = (const char *)c->name;
		if (strcmp(name, "name") == 0)
			g->name = text_of(&fr->arena, c), name_node = c;
		else if (strcmp(name, "organisation") == 0)
			g->organisation = text_of(&fr->arena, c);
		else if (strcmp(name, "description") == 0)
			g->description = text_of(&fr->arena, c);
		else if (strcmp(name, "needs") == 0)
			read_tags(fr, c, "need", KITH_VOCAB_NEED, &g->needs);
		else if (strcmp(name, "activities") == 0)
			read_tags(fr, c, "activity", KITH_VOCAB_ACTIVITY, &g->activities);
		else if (strcmp(name, "venue") == 0)
			read_venue(fr, c, &g->venues[g->venue_count++]);
		else if (strcmp(name, "online") == 0)
			g->online = 1, g->online_how = dup_attr(&fr->arena, c, "how");
		else if (strcmp(name, "area-served") == 0)
			g->area = read_area(fr, &fr->arena, c, NULL, text_of(&fr->arena, c));
		else if (strcmp(name, "home-visits") == 0) {
			const xmlNode *p;
			const char *r = attr(c, "radius-km");
			g->home_visits = 1;
			g->home_radius_km = r ? strtod(r, NULL) : 0;
			for (p = c->children; p; p = p->next)
				if (is_kith(p, "point"))
					read_point(fr, p, &g->home_point);
		} else if (strcmp(name, "schedule") == 0)
			read_schedule(fr, c, g);
		else if (strcmp(name, "access") == 0)
			read_access(c, g);
		else if (strcmp(name, "eligibility") == 0)
			read_eligibility(fr, c, g);
		else if (strcmp(name, "cost") == 0)
			read_cost(fr, c, g);
		else if (strcmp(name, "capacity") == 0) {
			g->capacity = KITH_CAPACITY_OPEN;
			kith_capacity_parse(attr(c, "status"), &g->capacity);
		} else if (strcmp(name, "languages") == 0)
			read_languages(fr, c, g);
		else if (strcmp(name, "contact") == 0) {
			g->phone = dup_attr(&fr->arena, c, "phone");
			g->email = dup_attr(&fr->arena, c, "email");
			g->web = dup_attr(&fr->arena, c, "web");
		}
	}
	if (!g->area)
		g->area = fr->info.area; /* the feed's, for a group that states none */
	if (name_node && !g->name)       /* the schema counts white space as a name */
		fail(fr, name_node, NULL, "group '%s' has a blank name", g->id ? g->id : "?");
	if (g->home_visits && !g->home_point.known) {
		/* a home-visit service with no centre reaches from its venue */
		size_t i;
		for (i = 0; i < g->venue_count && !g->home_point.known; i++)
			if (g->venues[i].point.known)
				g->home_point = g->venues[i].point;
	}
	if (g->updated) {
		long d;
		if (kith_date_parse(g->updated, &d) != 0)
			fail(fr, n, "updated", "updated date '%s' is not a real date", g->updated);
	}
	return 0;
}

/*
 * Errors in the root's start tag.  libxml2 may already have reported the
 * first groups' errors too, which are for handle_group() to settle.
 */
static size_t root_errors(feed_reader *fr, kith_diag_list *diags, size_t diag_mark)
{
	size_t i, n = 0;

	if (!fr->scan.ok)
		return kith_xml_errors(fr->xml);
	for (i = diag_mark; i < kith_diag_list_count(diags); i++) {
		const kith_diag *d = kith_diag_list_get(diags, i);
		n += d->severity == KITH_DIAG_ERROR && kith_pos_before(d->line, d->column, fr->scan.pos);
	}
	return n;
}

/* Checks the root element and reads the feed's attributes. */
static int read_root(feed_reader *fr, xmlTextReaderPtr r, size_t diag_mark)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(r);
	kith_diag_list *diags = kith_xml_diags(fr->xml);
	const char *ns = n && n->ns && n->ns->href ? (const char *)n->ns->href : NULL;
	const char *version;

	if (!n || strcmp((const char *)n->name, "feed") != 0 || !ns || strcmp(ns, FEED_NS) != 0) {
		/* say it plainly instead of the schema's "no matching global declaration" */
		kith_diag_list_truncate(diags, diag_mark);
		kith_xml_forgive(fr->xml, kith_xml_errors(fr->xml));
		fail(fr, n, NULL, "not a kith feed: root element is '%s'%s%s%s (expected 'feed' in namespace '%s')",
		     n ? (const char *)n->name : "?", ns ? " in namespace '" : " with no namespace", ns ? ns : "",
		     ns ? "'" : "", FEED_NS);
		return KITH_EINVALID;
	}
	version = attr(n, "version");
	if (version && strcmp(version, "1") != 0) {
		kith_diag_list_truncate(diags, diag_mark);
		kith_xml_forgive(fr->xml, kith_xml_errors(fr->xml));
		fail(fr, n, "version", "unsupported feed version '%s' (this kith reads version 1)", version);
		return KITH_EINVALID;
	}
	fr->info.id = dup_attr(&fr->header, n, "id");
	fr->info.publisher = dup_attr(&fr->header, n, "publisher");
	fr->info.generated = dup_attr(&fr->header, n, "generated");
	fr->info.area = read_area(fr, &fr->header, n, "area", attr(n, "area"));
	fr->info.delta = attr(n, "mode") && strcmp(attr(n, "mode"), "delta") == 0;
	if (!fr->info.id || root_errors(fr, diags, diag_mark))
		return KITH_EINVALID; /* the schema said why */
	if (fr->handler->on_header)
		return fr->handler->on_header(fr->handler->ctx, &fr->info);
	return 0;
}

static void hash_file(feed_reader *fr)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	size_t size, i;
	const char *bytes = kith_xml_bytes(fr->xml, &size);

	sha256_init(&ctx);
	sha256_update(&ctx, size, (const uint8_t *)bytes);
	sha256_digest(&ctx, sizeof(digest), digest);
	for (i = 0; i < sizeof(digest); i++)
		snprintf(fr->info.sha256 + 2 * i, 3, "%02x", digest[i]);
	fr->info.size = size;
}

/* The i-th diagnostic, writable: a skipped group's errors are demoted where they stand. */
static kith_diag *diag_at(kith_diag_list *diags, size_t i)
{
	return (kith_diag *)kith_diag_list_get(diags, i);
}

/*
 * Finds the errors that belong to the group just read: the reader's own
 * (indices own_from to own_to) and libxml2's located inside its tags (or,
 * when the scanner is lost, those since mark).  Marks them as claimed,
 * demotes them to warnings in skip mode, and returns how many there were.
 */
static size_t settle_group(feed_reader *fr, kith_diag_list *diags, size_t own_from, size_t own_to, size_t mark,
			   int located)
{
	size_t count = kith_diag_list_count(diags), i, bad = 0;

	while (fr->diag_start + fr->claimed.size < count)
		if (kith_buf_putc(&fr->claimed, 0) != 0)
			return 1; /* out of memory: call the group bad */
	for (i = fr->settle_from; i < count; i++) {
		kith_diag *d = diag_at(diags, i);
		int mine;
		if (fr->claimed.ptr[i - fr->diag_start] || d->severity != KITH_DIAG_ERROR)
			continue;
		if (i >= own_from && i < own_to)
			mine = 1;
		else if (located)
			mine = !kith_pos_before(d->line, d->column, fr->group_start) &&
			       kith_pos_before(d->line, d->column, fr->group_end);
		else
			mine = i >= mark;
		if (!mine)
			continue;
		fr->claimed.ptr[i - fr->diag_start] = 1;
		if (fr->skip_bad)
			d->severity = KITH_DIAG_WARNING;
		bad++;
	}
	/* what lies before this group's end can never be a later group's */
	while (fr->settle_from < count) {
		const kith_diag *d = kith_diag_list_get(diags, fr->settle_from);
		if (!fr->claimed.ptr[fr->settle_from - fr->diag_start] && d->severity == KITH_DIAG_ERROR &&
		    !(located && kith_pos_before(d->line, d->column, fr->group_end)))
			break;
		fr->settle_from++;
	}
	return bad;
}

/* Handles one <group> from its start tag to its end tag. */
static int handle_group(feed_reader *fr, xmlTextReaderPtr r, kith_diag_list *diags)
{
	size_t mark = kith_diag_list_count(diags), own_from, own_to, bad, bytes = 0;
	xmlNodePtr n = xmlTextReaderCurrentNode(r);
	unsigned line = n ? kith_xml_line(n) : 0;
	int error, empty = xmlTextReaderIsEmptyElement(r), located;

	located = kith_span_next(&fr->scan, line, &fr->group_start, &fr->group_end, &bytes);
	if (located && bytes > KITH_FEED_MAX_GROUP) {
		/* expanding it would hold it all in memory, many times its size; reading stops here */
		const char *id = n ? attr(n, "id") : NULL;
		kith_diag_add(diags, KITH_DIAG_ERROR, kith_xml_path(fr->xml), fr->group_start.line,
			      fr->group_start.column, "group '%s' is over %u MiB: no listing is that long",
			      id ? id : "?", KITH_FEED_MAX_GROUP >> 20);
		return KITH_ETOOLARGE;
	}
	if ((n = xmlTextReaderExpand(r)) == NULL) {
		/* the parser said why; reading on gives its code (a limit is KITH_ETOOLARGE) */
		error = kith_xml_next(fr->xml);
		return error < 0 ? error : KITH_EINVALID;
	}
	own_from = kith_diag_list_count(diags);
	if ((error = read_group(fr, n, located)) != 0)
		return error;
	if (fr->arena.failed) /* a piece of the group could not be copied: it is not the group the feed holds */
		return KITH_ENOMEM;
	own_to = kith_diag_list_count(diags);
	while (!empty && (error = kith_xml_next(fr->xml)) == 1) {
		if (xmlTextReaderDepth(r) == 1 && xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT)
			break;
	}
	if (!empty && error != 1)
		return error ? error : KITH_EINVALID;
	bad = settle_group(fr, diags, own_from, own_to, mark, located);
	if (bad) {
		if (!fr->skip_bad)
			return 0; /* keep reading to report every problem; the feed fails */
		kith_xml_forgive(fr->xml, bad);
		kith_diag_add(diags, KITH_DIAG_WARNING, kith_xml_path(fr->xml), fr->group.line, fr->group.column,
			      "group '%s' skipped: %zu problem%s in it", fr->group.id ? fr->group.id : "?", bad,
			      bad == 1 ? "" : "s");
		fr->result.skipped++;
		return 0;
	}
	if (!fr->skip_bad && kith_xml_errors(fr->xml))
		return 0; /* the feed already failed: validate only */
	fr->result.groups++;
	if (fr->handler->on_group)
		return fr->handler->on_group(fr->handler->ctx, &fr->group);
	return 0;
}

static int handle_withdrawn(feed_reader *fr, xmlTextReaderPtr r)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(r);
	const char *id = n ? attr(n, "id") : NULL;
	size_t line;

	if (!id)
		return 0; /* the schema reports it */
	if (!fr->info.delta)
		warn(fr, n, NULL, "withdrawn '%s' in a full feed does nothing: absent groups are removed anyway", id);
	if (kith_strset_has(&fr->ids, id, &line))
		fail(fr, n, "id", "group '%s' is both listed (line %zu) and withdrawn", id, line);
	if (kith_strset_add(&fr->withdrawn, id, 0, NULL) < 0)
		return KITH_ENOMEM;
	fr->result.withdrawn++;
	/* in skip mode errors may be a later group's, to be skipped; a failed feed is rolled back anyway */
	if ((fr->skip_bad || !kith_xml_errors(fr->xml)) && fr->handler->on_withdrawn)
		return fr->handler->on_withdrawn(fr->handler->ctx, id);
	return 0;
}

int kith_feed_read(const char *path, const kith_feed_handler *handler, int skip_bad_groups, kith_diag_list *diags,
		   kith_feed_result *result)
{
	feed_reader fr;
	xmlTextReaderPtr r;
	size_t diag_start = kith_diag_list_count(diags), since_progress = 0;
	size_t errors_before = kith_diag_list_count_of(diags, KITH_DIAG_ERROR);
	size_t warnings_before = kith_diag_list_count_of(diags, KITH_DIAG_WARNING), size;
	const char *bytes;
	int error, ret;

	memset(&fr, 0, sizeof(fr));
	fr.handler = handler;
	fr.info.path = path;
	fr.skip_bad = skip_bad_groups;
	fr.diag_start = fr.settle_from = diag_start;
	kith_buf_init(&fr.claimed, 0);
	if ((error = kith_xml_open(&fr.xml, path, "kith feed", kith_feed_xsd, diags)) != 0)
		goto cleanup;
	if (handler->every_message)
		kith_xml_keep_every_message(fr.xml);
	hash_file(&fr);
	bytes = kith_xml_bytes(fr.xml, &size);
	kith_span_init(&fr.scan, bytes, size);
	r = kith_xml_reader(fr.xml);
	while ((ret = kith_xml_next(fr.xml)) == 1) {
		const char *name;
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT)
			continue;
		name = (const char *)xmlTextReaderConstLocalName(r);
		if (xmlTextReaderDepth(r) == 0) {
			if ((error = read_root(&fr, r, diag_start)) != 0)
				goto cleanup;
		} else if (xmlTextReaderDepth(r) == 1 && strcmp(name, "group") == 0) {
			if ((error = handle_group(&fr, r, diags)) != 0)
				goto cleanup;
			if (handler->on_progress && ++since_progress == 1000) {
				since_progress = 0;
				handler->on_progress(handler->ctx, (size_t)xmlTextReaderByteConsumed(r), fr.info.size);
			}
		} else if (xmlTextReaderDepth(r) == 1) {
			kith_span_skip(&fr.scan, kith_xml_line(xmlTextReaderCurrentNode(r)));
			if (strcmp(name, "withdrawn") == 0 && (error = handle_withdrawn(&fr, r)) != 0)
				goto cleanup;
		}
	}
	if (ret < 0)
		error = ret;
	else if (kith_xml_errors(fr.xml))
		error = KITH_EINVALID;

cleanup:
	/* libxml2 reads ahead, so its messages can arrive before ours about earlier lines */
	kith_diag_list_sort(diags, diag_start);
	fr.result.errors = kith_diag_list_count_of(diags, KITH_DIAG_ERROR) - errors_before +
			   kith_xml_hidden(fr.xml, KITH_DIAG_ERROR);
	fr.result.warnings = kith_diag_list_count_of(diags, KITH_DIAG_WARNING) - warnings_before +
			     kith_xml_hidden(fr.xml, KITH_DIAG_WARNING);
	if (result)
		*result = fr.result;
	kith_xml_free(fr.xml);
	kith_strset_release(&fr.ids);
	kith_strset_release(&fr.withdrawn);
	kith_arena_release(&fr.arena);
	kith_arena_release(&fr.header);
	kith_buf_release(&fr.claimed);
	return error;
}
