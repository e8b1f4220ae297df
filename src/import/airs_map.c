/*
 * One AIRS Site's services as kith groups (airs.h).  Each SiteService is a
 * group at its Site's address, run by its Agency; a Site with no service
 * is one group of its own.  Facts the feed has a place for are mapped only
 * when the text says them plainly; the rest goes into the description.
 */
#include "import/airs.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model/area.h"
#include "model/geo.h"
#include "util/parse.h"

#define AIRS_MAX_TEXT (1u << 20) /* bytes of one element's text read: well over any description */

/* What a Site gives each of its services. */
typedef struct site_info {
	kith_xml *x; /* borrowed: locates messages */
	const xmlNode *node;
	const char *key, *name, *description;
	const char *phone, *web, *email;
	kith_venue venue; /* address NULL, postcode NULL and point unknown when none */
} site_info;

static int named(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

const xmlNode *airs_next(const xmlNode *n, const char *name)
{
	for (n = n ? n->next : NULL; n; n = n->next)
		if (named(n, name))
			return n;
	return NULL;
}

const xmlNode *airs_child(const xmlNode *n, const char *name)
{
	const xmlNode *c = n ? n->children : NULL;

	return named(c, name) ? c : airs_next(c, name);
}

const char *airs_attr(const xmlNode *n, const char *name)
{
	const xmlAttr *a;

	for (a = n ? n->properties : NULL; a; a = a->next)
		if (!a->ns && strcmp((const char *)a->name, name) == 0)
			return a->children && a->children->content ? (const char *)a->children->content : "";
	return NULL;
}

const char *airs_text(kith_arena *a, const xmlNode *n)
{
	const xmlNode *c;
	kith_buf b;
	const char *out = NULL;

	/* one element's text can come in many nodes (split by comments): over the cap, what came first is kept */
	kith_buf_init(&b, AIRS_MAX_TEXT);
	for (c = n ? n->children : NULL; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			kith_buf_puts(&b, (const char *)c->content);
	kith_buf_trim(&b);
	if (kith_buf_error(&b) != KITH_ENOMEM && b.size)
		out = kith_arena_strdup(a, b.ptr);
	kith_buf_release(&b);
	return out;
}

/*
 * The n bytes at p, trimmed of white space and of a final full stop, into
 * out; 0 when they do not fit (a part that long is no phrase of ours).
 */
static int part_copy(char *out, size_t size, const char *p, size_t n)
{
	while (n && kith_is_space(*p)) {
		p++;
		n--;
	}
	while (n && (kith_is_space(p[n - 1]) || p[n - 1] == '.'))
		n--;
	if (n >= size)
		return 0;
	memcpy(out, p, n);
	out[n] = '\0';
	return 1;
}

static int is_true(const char *v)
{
	return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

int airs_gone(const xmlNode *n)
{
	const char *status = airs_attr(n, "Status");

	return is_true(airs_attr(n, "delete")) ||
	       (status && (strcmp(status, "inactive") == 0 || strcmp(status, "defunct") == 0));
}

const char *airs_contact(kith_arena *a, const xmlNode *n, const char *name, const char *field)
{
	const xmlNode *c;
	const char *v;

	for (c = airs_child(n, name); c; c = airs_next(c, name))
		if (!is_true(airs_attr(c, "Confidential")) && (v = airs_text(a, airs_child(c, field))) != NULL)
			return v;
	return NULL;
}

const char *airs_updated(importer *im, const xmlNode *n)
{
	const xmlNode *info = airs_child(n, "ResourceInfo");
	const char *d = kith_import_date(im, airs_attr(info, "DateLastVerified"));

	return d ? d : kith_import_date(im, airs_attr(info, "DateOfLastAction"));
}

/*
 * Each child called name of n, as one text under label: its own text, or
 * with parts, the text of those of its children (Step and Description, say).
 */
static int append_parts(importer *im, kith_group *g, const xmlNode *n, const char *name, const char *const parts[],
			const char *label)
{
	const xmlNode *c;
	kith_buf b = KITH_BUF_INIT;
	size_t i;
	int error;

	for (c = airs_child(n, name); c; c = airs_next(c, name))
		for (i = 0; parts ? parts[i] != NULL : i == 0; i++) {
			const xmlNode *part = parts ? airs_child(c, parts[i]) : c;
			const char *t = kith_import_line(im, airs_text(&im->arena, part));
			if (t && *t)
				kith_buf_printf(&b, "%s%s", b.size ? "; " : "", t);
		}
	error = kith_buf_error(&b);
	if (!error && b.size)
		error = kith_import_append_text(im, g, label, b.ptr);
	kith_buf_release(&b);
	return error;
}

/* ---- the Site ---- */

/* A coordinate written as the schema says ("+54.3281"), within limit, or NAN. */
static double coordinate(importer *im, const xmlNode *n, double limit)
{
	const char *t = airs_text(&im->arena, n);
	char *end;
	double v;

	if (!t)
		return NAN;
	v = strtod(t, &end);
	return *end == '\0' && isfinite(v) && fabs(v) <= limit ? v : NAN;
}

/* The Site's point, from its first SpatialLocation that has both coordinates (0,0 is no place). */
static void read_point(importer *im, const xmlNode *site, kith_point *p)
{
	const xmlNode *s;

	for (s = airs_child(site, "SpatialLocation"); s; s = airs_next(s, "SpatialLocation")) {
		double lat = coordinate(im, airs_child(s, "Latitude"), 90),
		       lon = coordinate(im, airs_child(s, "Longitude"), 180);
		if (!isnan(lat) && !isnan(lon) && (lat != 0 || lon != 0)) {
			p->lat = lat;
			p->lon = lon;
			p->known = 1;
			return;
		}
	}
}

/* The PhysicalAddress as one line, and its ZipCode as the postcode when it is a UK postcode. */
static int read_address(importer *im, const xmlNode *site, kith_venue *v)
{
	static const char *const lines[] = {"PreAddressLine", "Line1", "Line2", "City", "County", "State", NULL};
	const xmlNode *a = airs_child(site, "PhysicalAddress");
	const char *zip, *country;
	char postcode[10];
	kith_buf b = KITH_BUF_INIT;
	size_t i;
	int error;

	if (!a || is_true(airs_attr(a, "Confidential")))
		return 0;
	for (i = 0; lines[i]; i++) {
		const char *t = airs_text(&im->arena, airs_child(a, lines[i]));
		if (t)
			kith_buf_printf(&b, "%s%s", b.size ? ", " : "", t);
	}
	zip = airs_text(&im->arena, airs_child(a, "ZipCode"));
	if (zip && kith_geo_postcode_normal(postcode, zip) == 0)
		v->postcode = kith_arena_strdup(&im->arena, postcode);
	else if (zip)
		kith_buf_printf(&b, "%s%s", b.size ? ", " : "", zip);
	country = airs_text(&im->arena, airs_child(a, "Country"));
	if (country)
		kith_buf_printf(&b, "%s%s", b.size ? ", " : "", country);
	if ((error = kith_buf_error(&b)) == 0 && b.size && (v->address = kith_arena_strdup(&im->arena, b.ptr)) == NULL)
		error = KITH_ENOMEM;
	kith_buf_release(&b);
	return error;
}

static int read_site(importer *im, kith_xml *x, const xmlNode *site, site_info *s)
{
	memset(s, 0, sizeof(*s));
	s->x = x;
	s->node = site;
	s->key = airs_text(&im->arena, airs_child(site, "Key"));
	s->name = airs_text(&im->arena, airs_child(site, "Name"));
	s->description = kith_import_text(im, airs_text(&im->arena, airs_child(site, "SiteDescription")));
	s->phone = airs_contact(&im->arena, site, "Phone", "PhoneNumber");
	s->web = airs_contact(&im->arena, site, "URL", "Address");
	s->email = airs_contact(&im->arena, site, "Email", "Address");
	s->venue.line = kith_xml_line(site);
	read_point(im, site, &s->venue.point);
	return read_address(im, site, &s->venue);
}

/*
 * A Site with NoPhysicalAddress whose words say it is reached by phone or
 * online ("Telephone service only"): the service is joined from home.
 */
static void read_remote(importer *im, kith_group *g, const xmlNode *site)
{
	static const char *const remote[] = {"telephone service only",
					     "telephone only",
					     "phone only",
					     "by telephone only",
					     "telephone service",
					     "telephone helpline",
					     "helpline",
					     "online only",
					     "online service",
					     "online service only",
					     "virtual",
					     "virtual only",
					     NULL};
	const xmlNode *none = airs_child(site, "NoPhysicalAddress");
	const char *why = airs_text(&im->arena, airs_child(none, "Explanation"));
	char t[64];
	size_t i;

	why = why ? why : airs_text(&im->arena, airs_child(none, "Description"));
	for (i = 0; why && part_copy(t, sizeof(t), why, strlen(why)) && remote[i]; i++)
		if (strcasecmp(t, remote[i]) == 0) {
			g->online = 1;
			g->online_how = why;
			return;
		}
}

/* ---- schedules ---- */

/* An xs:time ("09:30:00", "17:00") as minutes after midnight, or -1. */
static int minutes(const char *t)
{
	int i, h, m;

	if (!t || strlen(t) < 5 || t[2] != ':')
		return -1;
	for (i = 0; i < 5; i++)
		if (i != 2 && (t[i] < '0' || t[i] > '9'))
			return -1;
	h = (t[0] - '0') * 10 + (t[1] - '0');
	m = (t[3] - '0') * 10 + (t[4] - '0');
	return h <= 24 && m < 60 && h * 60 + m <= 24 * 60 ? h * 60 + m : -1;
}

/* The From/To pairs of one day element as sessions; a day named without times goes to untimed. */
static int read_day(importer *im, kith_group *g, const xmlNode *d, int day, kith_buf *untimed)
{
	const xmlNode *c;
	int from = -1, any = 0, error;

	for (c = d->children; c; c = c->next) {
		if (named(c, "From")) {
			from = minutes(airs_text(&im->arena, c));
		} else if (named(c, "To")) {
			int to = minutes(airs_text(&im->arena, c));
			if (from >= 0 && to > from && (error = kith_import_add_session(im, g, day, from, to, 0)) != 0)
				return error;
			any |= from >= 0 && to > from;
			from = -1;
		}
	}
	if (!any)
		kith_buf_printf(untimed, "%s%s", untimed->size ? ", " : "", (const char *)d->name);
	return 0;
}

/* The sessions of every TimeOpen under n; their Notes as hours when sure, else in the description. */
static int read_time_open(importer *im, kith_group *g, const xmlNode *n)
{
	static const char *const days[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
					   "Friday", "Saturday", "Sunday"};
	const xmlNode *t, *c;
	kith_buf notes = KITH_BUF_INIT, untimed = KITH_BUF_INIT;
	int error = 0, d;

	for (t = airs_child(n, "TimeOpen"); t && !error; t = airs_next(t, "TimeOpen")) {
		const char *note = airs_text(&im->arena, airs_child(t, "Notes"));
		for (c = t->children; c && !error; c = c->next)
			for (d = 0; d < 7 && !error; d++)
				if (named(c, days[d]))
					error = read_day(im, g, c, d, &untimed);
		if (note)
			kith_buf_printf(&notes, "%s%s", notes.size ? "; " : "", note);
	}
	if (!error && untimed.size) /* open those days, but when is not said */
		kith_buf_printf(&notes, "%sopen %s, times not given", notes.size ? "; " : "", untimed.ptr);
	if (!error)
		error = kith_buf_error(&notes);
	if (error || !notes.size)
		goto cleanup;
	if (g->session_count == 0 && !untimed.size && kith_import_hours(im, g, notes.ptr) > 0)
		goto cleanup;
	if (g->session_count == 0)
		im->report->hours_text++;
	error = kith_import_append_text(im, g, "Hours", notes.ptr);
cleanup:
	kith_buf_release(&notes);
	kith_buf_release(&untimed);
	return error;
}

/* ---- languages ---- */

/* Reads one Languages Name ("Spanish, Polish"): 1 when every part is a known language. */
static int read_language_name(importer *im, kith_group *g, const char *text)
{
	char part[64];
	const char *p = text;
	int all = 1;

	while (*p) {
		size_t n = strcspn(p, ",;/");
		const char *code;
		if (!part_copy(part, sizeof(part), p, n) ||
		    (*part && (code = kith_import_language(part, strlen(part))) == NULL))
			all = 0;
		else if (*part && kith_import_add_string(im, &g->languages, code) != 0)
			return -1;
		p += n;
		if (*p)
			p++;
	}
	return all;
}

/* The Languages Names as codes; a name not known kept as text. */
static int read_languages(importer *im, kith_group *g, const xmlNode *n)
{
	const xmlNode *l, *name;
	kith_buf other = KITH_BUF_INIT;
	int error = 0, all;

	for (l = airs_child(n, "Languages"); l && !error; l = airs_next(l, "Languages"))
		for (name = airs_child(l, "Name"); name && !error; name = airs_next(name, "Name")) {
			const char *t = airs_text(&im->arena, name);
			if (t && (all = read_language_name(im, g, t)) < 0)
				error = KITH_ENOMEM;
			else if (t && !all)
				kith_buf_printf(&other, "%s%s", other.size ? "; " : "", t);
		}
	if (!error)
		error = kith_buf_error(&other);
	if (!error && other.size)
		error = kith_import_append_text(im, g, "Languages", other.ptr);
	kith_buf_release(&other);
	return error;
}

/* ---- access, ages, cost, area ---- */

static const struct {
	const char *phrase;
	int fact;
	kith_tri value;
} access_phrases[] = {
	{"wheelchair accessible", KITH_ACCESS_WHEELCHAIR, KITH_TRI_YES},
	{"fully wheelchair accessible", KITH_ACCESS_WHEELCHAIR, KITH_TRI_YES},
	{"wheelchair access", KITH_ACCESS_WHEELCHAIR, KITH_TRI_YES},
	{"not wheelchair accessible", KITH_ACCESS_WHEELCHAIR, KITH_TRI_NO},
	{"no wheelchair access", KITH_ACCESS_WHEELCHAIR, KITH_TRI_NO},
	{"step-free access", KITH_ACCESS_STEP_FREE, KITH_TRI_YES},
	{"step free access", KITH_ACCESS_STEP_FREE, KITH_TRI_YES},
	{"level access", KITH_ACCESS_STEP_FREE, KITH_TRI_YES},
	{"hearing loop", KITH_ACCESS_HEARING_LOOP, KITH_TRI_YES},
	{"induction loop", KITH_ACCESS_HEARING_LOOP, KITH_TRI_YES},
	{"accessible toilet", KITH_ACCESS_ACCESSIBLE_TOILET, KITH_TRI_YES},
	{"accessible toilets", KITH_ACCESS_ACCESSIBLE_TOILET, KITH_TRI_YES},
	{"accessible parking", KITH_ACCESS_PARKING, KITH_TRI_YES},
	{"disabled parking", KITH_ACCESS_PARKING, KITH_TRI_YES},
};

/* One part of DisabilitiesAccess ("Wheelchair accessible") as a fact: 1 when it is one of the phrases. */
static int access_part(kith_group *g, const char *part)
{
	size_t i;

	for (i = 0; i < sizeof(access_phrases) / sizeof(access_phrases[0]); i++)
		if (strcasecmp(part, access_phrases[i].phrase) == 0) {
			g->access[access_phrases[i].fact] = access_phrases[i].value;
			return 1;
		}
	return 0;
}

/* DisabilitiesAccess read part by part ("Wheelchair accessible; hearing loop."); the text kept unless every part was
 * read. */
static int read_access(importer *im, kith_group *g, const xmlNode *site)
{
	const char *text = airs_text(&im->arena, airs_child(site, "DisabilitiesAccess"));
	const char *transport = airs_attr(site, "PublicAccessToTransportation");
	const char *p = text;
	char part[64];
	int all = 1;

	if (transport && (is_true(transport) || strcmp(transport, "false") == 0 || strcmp(transport, "0") == 0))
		g->access[KITH_ACCESS_PUBLIC_TRANSPORT] = is_true(transport) ? KITH_TRI_YES : KITH_TRI_NO;
	while (p && *p) {
		size_t n = strcspn(p, ",;\n");
		if (!part_copy(part, sizeof(part), p, n) || (*part && !access_part(g, part)))
			all = 0;
		p += n;
		if (*p)
			p++;
	}
	return text && !all ? kith_import_append_text(im, g, "Access", text) : 0;
}

/* AgeRequirements' MinimumAge, MaximumAge and Gender; its text in the description. */
static int read_ages(importer *im, kith_group *g, const xmlNode *svc, kith_xml *x)
{
	const xmlNode *a = airs_child(svc, "AgeRequirements");
	const char *gender, *text;
	unsigned line = kith_xml_line(a), column = 0;
	long v;

	if (!a)
		return 0;
	if (airs_attr(a, "MinimumAge") && kith_parse_int(airs_attr(a, "MinimumAge"), 0, 130, &v) == 0)
		g->min_age = (int)v;
	if (airs_attr(a, "MaximumAge") && kith_parse_int(airs_attr(a, "MaximumAge"), 0, 130, &v) == 0)
		g->max_age = (int)v;
	if (g->min_age >= 0 && g->max_age >= 0 && g->max_age < g->min_age) {
		kith_xml_locate(x, &line, &column, "AgeRequirements", NULL);
		kith_import_warn(im, line, column, "AgeRequirements from %d to %d: the wrong way round, ignored",
				 g->min_age, g->max_age);
		g->min_age = g->max_age = -1; /* neither can be trusted */
	}
	gender = airs_attr(a, "Gender");
	if (gender && strcmp(gender, "Female") == 0)
		g->gender = KITH_GENDER_FEMALE;
	else if (gender && strcmp(gender, "Male") == 0)
		g->gender = KITH_GENDER_MALE;
	text = airs_text(&im->arena, a);
	return text ? kith_import_append_text(im, g, "Ages", text) : 0;
}

static int read_gender(importer *im, kith_group *g, const xmlNode *svc)
{
	const char *t = airs_text(&im->arena, airs_child(svc, "GenderRequirements"));

	if (!t)
		return 0;
	if (strcasecmp(t, "female") == 0 || strcasecmp(t, "women") == 0 || strcasecmp(t, "women only") == 0)
		g->gender = KITH_GENDER_FEMALE;
	else if (strcasecmp(t, "male") == 0 || strcasecmp(t, "men") == 0 || strcasecmp(t, "men only") == 0)
		g->gender = KITH_GENDER_MALE;
	else
		return kith_import_append_text(im, g, "Gender", t);
	return 0;
}

/* FeeStructure: "Free" (and the like) is free; anything else is kept as text. */
static int read_cost(importer *im, kith_group *g, const xmlNode *svc)
{
	static const char *const free_words[] = {"free",      "free of charge", "no fee", "no fees",
						 "no charge", "none",           NULL};
	char t[64];
	const char *text = kith_import_text(im, airs_text(&im->arena, airs_child(svc, "FeeStructure")));
	size_t i;

	if (!text)
		return 0;
	for (i = 0; part_copy(t, sizeof(t), text, strlen(text)) && free_words[i]; i++)
		if (strcasecmp(t, free_words[i]) == 0) {
			g->cost_known = g->cost_free = 1;
			return 0;
		}
	return kith_import_append_text(im, g, "Fees", text);
}

/* GeographicAreaServed: UK postcode areas and districts as the area served; other places as text. */
static int read_area(importer *im, kith_group *g, const xmlNode *svc)
{
	const xmlNode *a, *c;
	kith_buf codes = KITH_BUF_INIT, other = KITH_BUF_INIT;
	char normal[1024], bad[16];
	int error;

	for (a = airs_child(svc, "GeographicAreaServed"); a; a = airs_next(a, "GeographicAreaServed"))
		for (c = a->children; c; c = c->next) {
			const char *t = c->type == XML_ELEMENT_NODE ? airs_text(&im->arena, c) : NULL;
			if (!t)
				continue;
			if (named(c, "ZipCode") && kith_area_normalize(t, normal, sizeof(normal), bad) == 0)
				kith_buf_printf(&codes, "%s%s", codes.size ? " " : "", normal);
			else
				kith_buf_printf(&other, "%s%s", other.size ? "; " : "", t);
		}
	error = kith_buf_error(&codes) ? kith_buf_error(&codes) : kith_buf_error(&other);
	if (!error && codes.size && kith_area_normalize(codes.ptr, normal, sizeof(normal), bad) == 0 &&
	    (g->area = kith_arena_strdup(&im->arena, normal)) == NULL)
		error = KITH_ENOMEM;
	if (!error && other.size)
		error = kith_import_append_text(im, g, "Area served", other.ptr);
	kith_buf_release(&codes);
	kith_buf_release(&other);
	return error;
}

/* A code and each of its parents (BD-1800.2000-100, BD-1800.2000, BD-1800, BD): a parent's sure mapping holds for its
 * children. */
static void map_code(importer *im, kith_group *g, char *code)
{
	for (;;) {
		char *dot = strrchr(code, '.'), *dash = strrchr(code, '-'), *cut = dot > dash ? dot : dash;
		kith_import_taxonomy(im, g, "airs", code);
		if (!cut)
			return;
		*cut = '\0';
	}
}

/* Each Taxonomy Code, and each part of a linked code ("BD-1800.2000 * YF-3000"). */
static void read_taxonomy(importer *im, kith_group *g, const xmlNode *svc)
{
	const xmlNode *t, *c;
	char part[64];

	for (t = airs_child(svc, "Taxonomy"); t; t = airs_next(t, "Taxonomy"))
		for (c = airs_child(t, "Code"); c; c = airs_next(c, "Code")) {
			const char *p = airs_text(&im->arena, c);
			while (p && *p) {
				size_t n = strcspn(p, "*");
				if (part_copy(part, sizeof(part), p, n) && *part)
					map_code(im, g, part);
				p += n;
				if (*p)
					p++;
			}
		}
}

/* ---- the group ---- */

/* The name of the agency's ServiceGroup that svc names by its ServiceGroupKey, or NULL. */
static const char *service_group_name(const airs_agency *agency, const xmlNode *svc)
{
	const char *key = airs_attr(svc, "ServiceGroupKey");
	size_t i;

	for (i = 0; key && i < agency->group_count; i++)
		if (agency->groups[i].key && strcmp(agency->groups[i].key, key) == 0)
			return agency->groups[i].name;
	return NULL;
}

/* Appends "About NAME: text" unless text is empty or already the description. */
static int append_about(importer *im, kith_group *g, const char *name, const char *text)
{
	char label[160];

	if (!text || !*text || (g->description && strcmp(g->description, text) == 0))
		return 0;
	if (!g->description) {
		g->description = text;
		return 0;
	}
	snprintf(label, sizeof(label), "About %s", name ? name : "the organisation");
	return kith_import_append_text(im, g, label, text);
}

/* The texts of svc that have no place in a group, kept in its description. */
static int append_texts(importer *im, kith_group *g, const xmlNode *svc, const xmlNode *site)
{
	static const char *const seasonal[] = {"Description", "StartDate", "EndDate", NULL};
	static const char *const documents[] = {"DocumentsRequired", "Description", NULL};
	static const char *const steps[] = {"Step", "Description", NULL};
	static const char *const no_address[] = {"Description", "Explanation", NULL};
	int error = 0;

	if (svc) {
		error = append_parts(im, g, svc, "Seasonal", seasonal, "Seasonal");
		error = error ? error : append_parts(im, g, svc, "GeneralEligibility", NULL, "Eligibility");
		error = error ? error : append_parts(im, g, svc, "OtherRequirements", NULL, "Eligibility"); /* 3.0 */
		error = error ? error : append_parts(im, g, svc, "ResidencyRequirements", NULL, "Residency");
		error = error ? error : append_parts(im, g, svc, "IncomeRequirements", NULL, "Income");
		error = error ? error : append_parts(im, g, svc, "FamilyRequirements", NULL, "Family");
		error = error ? error : append_parts(im, g, svc, "AidRequirements", NULL, "Aid"); /* 3.0 */
		error = error ? error : append_parts(im, g, svc, "DocumentsRequired", documents, "Documents required");
		error = error ? error : append_parts(im, g, svc, "ApplicationProcess", steps, "How to apply");
		error = error ? error : append_parts(im, g, svc, "PaymentMethodAccepted", NULL, "Payment");
	}
	error = error ? error : append_parts(im, g, site, "NoPhysicalAddress", no_address, "No address");
	error = error ? error : append_parts(im, g, site, "PhysicalLocationDescription", NULL, "Finding it");
	error = error ? error : append_parts(im, g, site, "BusServiceAccess", NULL, "Buses");
	return error;
}

/* svc when it has elements named name, else its Site: a service's own hours or languages win over its Site's. */
static const xmlNode *own_or_site(const xmlNode *svc, const xmlNode *site, const char *name)
{
	return svc && airs_child(svc, name) ? svc : site;
}

/* Facts of svc (or of the Site, where svc says nothing), each where the feed has a place for it. */
static int read_facts(importer *im, kith_group *g, const xmlNode *svc, const site_info *site)
{
	int error;

	error = read_time_open(im, g, own_or_site(svc, site->node, "TimeOpen"));
	error = error ? error : read_languages(im, g, own_or_site(svc, site->node, "Languages"));
	error = error ? error : read_access(im, g, site->node);
	read_remote(im, g, site->node);
	if (svc) {
		error = error ? error : read_ages(im, g, svc, site->x);
		error = error ? error : read_gender(im, g, svc);
		error = error ? error : read_cost(im, g, svc);
		error = error ? error : read_area(im, g, svc);
		read_taxonomy(im, g, svc);
	}
	return error ? error : append_texts(im, g, svc, site->node);
}

/* The group of one SiteService svc (or of the Site alone, when svc is NULL). */
static int map_service(importer *im, kith_xml *x, const airs_agency *agency, const site_info *site, const xmlNode *svc)
{
	const xmlNode *at = svc ? svc : site->node;
	const char *key = airs_text(&im->arena, airs_child(at, "Key"));
	unsigned line = kith_xml_line(at), column = 0;
	char id[160];
	kith_group g;
	kith_venue *v;
	int error;

	kith_xml_locate(x, &line, &column, svc ? "SiteService" : "Site", NULL);
	im->report->records++;
	if (svc)
		snprintf(id, sizeof(id), "service-%s", key ? key : site->key ? site->key : "");
	else
		snprintf(id, sizeof(id), "site-%s", key ? key : "");
	if (airs_gone(at) || airs_gone(site->node) || agency->gone) {
		kith_import_skip(im, line, column, "%s (Key %s) is marked inactive, defunct or deleted: left out",
				 svc ? "SiteService" : "Site", key ? key : "?");
		return 0;
	}
	kith_import_group_init(&g);
	g.line = line;
	g.column = column;
	g.name = svc ? airs_text(&im->arena, airs_child(svc, "Name")) : NULL;
	g.name = g.name ? g.name : svc ? service_group_name(agency, svc) : NULL;
	g.name = g.name ? g.name : site->name ? site->name : agency->name;
	g.organisation = agency->name;
	g.description = svc ? kith_import_text(im, airs_text(&im->arena, airs_child(svc, "Description"))) : NULL;
	if ((error = append_about(im, &g, site->name, site->description)) != 0 ||
	    (error = append_about(im, &g, agency->name, kith_import_text(im, agency->description))) != 0)
		return error;
	if (site->venue.address || site->venue.postcode || site->venue.point.known) {
		if ((v = kith_import_add_venue(im, &g)) == NULL)
			return KITH_ENOMEM;
		*v = site->venue;
	}
	g.phone = svc ? airs_contact(&im->arena, svc, "Phone", "PhoneNumber") : NULL;
	g.phone = g.phone ? g.phone : site->phone ? site->phone : agency->phone;
	g.web = site->web ? site->web : agency->web;
	g.email = site->email ? site->email : agency->email;
	g.updated = svc ? airs_updated(im, svc) : NULL;
	g.updated = g.updated ? g.updated : agency->updated;
	if ((error = read_facts(im, &g, svc, site)) != 0)
		return error;
	return kith_import_emit(im, &g, id, line, column);
}

int airs_map_site(importer *im, kith_xml *x, const airs_agency *agency, const xmlNode *site, int is_location)
{
	const xmlNode *svc;
	site_info info;
	int error;

	for (svc = airs_child(site, "SiteService"); svc; svc = airs_next(svc, "SiteService"))
		/* read the Site again for each: emitting a group empties the arena its strings live in */
		if ((error = read_site(im, x, site, &info)) != 0 ||
		    (error = map_service(im, x, agency, &info, svc)) != 0)
			return error;
	if (airs_child(site, "SiteService") || is_location)
		return 0;
	if ((error = read_site(im, x, site, &info)) != 0)
		return error;
	return map_service(im, x, agency, &info, NULL);
}
