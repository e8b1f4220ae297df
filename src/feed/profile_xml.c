/*
 * Reading a patient profile file (schemas/README.md, "Profile"; schemas/patient.xsd).
 *
 * A profile is a few hundred bytes, so the file is read whole through the
 * shared safe reader (schema, limits, no DTD), its tree is kept, and the
 * rules an XSD cannot say are checked on that tree afterwards.
 */
#include "feed/profile_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "feed/xml.h"
#include "model/embedded.h"
#include "model/geo.h"
#include "model/names.h"
#include "model/schedule.h"
#include "text/vocab.h"
#include "util/parse.h"

#define PATIENT_NS "urn:kith:patient:1"

/*
 * A profile is a few hundred bytes; its whole tree is kept while it is
 * read, so a file far bigger than any real profile is refused unread.
 */
#define PATIENT_MAX_BYTES \
	(64 * 1024) /* a profile is a few hundred bytes; an 869 KB one once tied up kith match for minutes */

/* What one file read needs: the reader (for messages) and the profile being filled. */
typedef struct reading {
	kith_xml *x;
	kith_profile *p;
	kith_arena *a;
} reading;

static int in_ns(const xmlNode *n)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, PATIENT_NS) == 0;
}

static int named(const xmlNode *n, const char *name)
{
	return in_ns(n) && strcmp((const char *)n->name, name) == 0;
}

/* The element's whole text content, trimmed, in the arena; NULL on ENOMEM. */
static char *node_text(kith_arena *a, const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	char *s;

	if (!c)
		return kith_arena_strdup(a, "");
	s = kith_profile_trimdup(a, (const char *)c, strlen((const char *)c));
	xmlFree(c);
	return s;
}

/*
 * The value of an unqualified attribute, trimmed, in the arena.  Returns 1
 * when present, 0 when absent, KITH_ENOMEM.
 */
static int node_attr(kith_arena *a, const xmlNode *n, const char *name, char **out)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);

	*out = NULL;
	if (!v)
		return 0;
	*out = kith_profile_trimdup(a, (const char *)v, strlen((const char *)v));
	xmlFree(v);
	return *out ? 1 : KITH_ENOMEM;
}

static void warn_vocab(reading *r, const xmlNode *n, kith_vocab_kind kind, const char *what, const char *id)
{
	if (!kith_vocab_find(kind, id))
		kith_xml_report(r->x, KITH_DIAG_WARNING, n, NULL,
				"%s '%s' is not in the vocabulary: it is kept and matched as text", what, id);
}

static int count_children(const xmlNode *n, const char *name)
{
	const xmlNode *c;
	int count = 0;

	for (c = n->children; c; c = c->next)
		count += named(c, name);
	return count;
}

static int read_age(reading *r, const xmlNode *n)
{
	char *text = node_text(r->a, n);
	long age;

	if (!text)
		return KITH_ENOMEM;
	if (kith_parse_int(text, 0, 130, &age) == 0)
		r->p->patient.age = (int)age;
	return 0; /* the schema reports a bad age */
}

static int read_gender(reading *r, const xmlNode *n)
{
	char *text = node_text(r->a, n);

	if (!text)
		return KITH_ENOMEM;
	kith_gender_parse(text, &r->p->patient.gender); /* the schema reports a name it does not know */
	return 0;
}

static int read_circumstances(reading *r, const xmlNode *n)
{
	kith_strlist *list = &r->p->patient.circumstances;
	char *text = node_text(r->a, n);
	size_t i;
	int error;

	if (!text)
		return KITH_ENOMEM;
	if ((error = kith_profile_split(r->a, list, text, "", 0)) != 0)
		return error;
	for (i = 0; i < list->count; i++)
		warn_vocab(r, n, KITH_VOCAB_CIRCUMSTANCE, "circumstance", list->items[i]);
	return 0;
}

static int read_needs(reading *r, const xmlNode *n)
{
	kith_patient *pt = &r->p->patient;
	const xmlNode *c;
	int count = count_children(n, "need");
	char *prio;
	int error;

	pt->needs = NULL;
	pt->need_count = 0;
	if (count == 0)
		return 0;
	if ((pt->needs = kith_arena_alloc(r->a, (size_t)count * sizeof(*pt->needs))) == NULL)
		return KITH_ENOMEM;
	for (c = n->children; c; c = c->next) {
		kith_need *need;
		char *id;

		if (!named(c, "need"))
			continue;
		if ((id = node_text(r->a, c)) == NULL)
			return KITH_ENOMEM;
		if (!*id)
			continue; /* the schema reports an empty need */
		need = &pt->needs[pt->need_count++];
		need->id = id;
		need->priority = KITH_PRIORITY_NORMAL;
		if ((error = node_attr(r->a, c, "priority", &prio)) < 0)
			return error;
		kith_priority_parse(prio, &need->priority);
		warn_vocab(r, c, KITH_VOCAB_NEED, "need", id);
	}
	return 0;
}

/*
 * The person's words are the element's own text (a <tag> child's text is a
 * tag, not words); tags go to interest_tags.
 */
static int read_interests(reading *r, const xmlNode *n)
{
	kith_patient *pt = &r->p->patient;
	kith_buf words = KITH_BUF_INIT;
	const xmlNode *c;
	int count = count_children(n, "tag"), error = 0;

	pt->interests = NULL;
	pt->interest_tags.items = NULL;
	pt->interest_tags.count = 0;
	if (count > 0 && (pt->interest_tags.items = kith_arena_alloc(r->a, (size_t)count * sizeof(char *))) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (c = n->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			/* a space stands where a tag was, so "a<tag>x</tag>b" stays two words */
			if (c->prev && c->prev->type == XML_ELEMENT_NODE &&
			    (error = kith_profile_put_collapsed(&words, " ")) != 0)
				goto cleanup;
			if (c->content && (error = kith_profile_put_collapsed(&words, (const char *)c->content)) != 0)
				goto cleanup;
		} else if (named(c, "tag")) {
			char *tag = node_text(r->a, c);
			if (!tag) {
				error = KITH_ENOMEM;
				goto cleanup;
			}
			if (!*tag)
				continue;
			pt->interest_tags.items[pt->interest_tags.count++] = tag;
			warn_vocab(r, c, KITH_VOCAB_ACTIVITY, "activity tag", tag);
		}
	}
	kith_buf_trim(&words);
	if (words.size && (pt->interests = kith_arena_strndup(r->a, words.ptr, words.size)) == NULL)
		error = KITH_ENOMEM;

cleanup:
	kith_buf_release(&words);
	return error;
}

static int read_languages(reading *r, const xmlNode *n)
{
	char *text = node_text(r->a, n);

	if (!text)
		return KITH_ENOMEM;
	return kith_profile_split(r->a, &r->p->patient.languages, text, "", 0);
}

/*
 * Reads a coordinate attribute and checks its range.  Returns 1 when it is a
 * usable number, 0 when it is not (reported), KITH_ENOMEM.
 */
static int read_coordinate(reading *r, const xmlNode *n, const char *attr, double limit, double *out)
{
	const char *what = strcmp(attr, "lat") == 0 ? "latitude" : "longitude";
	char *text;
	int error;

	if ((error = node_attr(r->a, n, attr, &text)) <= 0)
		return error; /* absent: the schema reports it */
	if (kith_parse_decimal(text, strlen(text), out) != 0)
		return 0; /* the schema reports a malformed number */
	if (*out < -limit || *out > limit) {
		kith_xml_report(r->x, KITH_DIAG_ERROR, n, attr, "%s %s is out of range (-%g to %g)", what, text, limit,
				limit);
		return 0;
	}
	return 1;
}

static int read_home(reading *r, const xmlNode *n)
{
	kith_patient *pt = &r->p->patient;
	const xmlNode *c;
	char *postcode;
	int error, has_point = 0;

	if ((error = node_attr(r->a, n, "postcode", &postcode)) < 0)
		return error;
	pt->postcode = postcode;
	for (c = n->children; c; c = c->next) {
		double lat = 0, lon = 0;
		int lat_ok, lon_ok;

		if (!named(c, "point"))
			continue;
		has_point = 1;
		if ((lat_ok = read_coordinate(r, c, "lat", 90, &lat)) < 0)
			return lat_ok;
		if ((lon_ok = read_coordinate(r, c, "lon", 180, &lon)) < 0)
			return lon_ok;
		if (lat_ok && lon_ok) {
			pt->home.lat = lat;
			pt->home.lon = lon;
			pt->home.known = 1;
		}
	}
	if (has_point || !postcode)
		return 0;
	switch (kith_geo_postcode_point(postcode, &pt->home.lat, &pt->home.lon)) {
	case 0: pt->home.known = pt->home_from_postcode = 1; break;
	case KITH_ENOTFOUND:
		kith_xml_report(r->x, KITH_DIAG_ERROR, n, "postcode",
				"unknown postcode '%s': its district is not in the postcode table", postcode);
		break;
	default: kith_xml_report(r->x, KITH_DIAG_ERROR, n, "postcode", "'%s' is not a UK postcode", postcode); break;
	}
	return 0;
}

static int read_mobility(reading *r, const xmlNode *n)
{
	kith_patient *pt = &r->p->patient;
	char *text;
	double km;
	size_t i;
	int error;

	if ((error = node_attr(r->a, n, "max-travel-km", &text)) < 0)
		return error;
	if (text && kith_parse_decimal(text, strlen(text), &km) == 0 && km >= 0)
		pt->max_travel_km = km;
	for (i = 0; i < KITH_MOBILITY_NEEDS; i++) {
		if ((error = node_attr(r->a, n, kith_mobility_needs[i].name, &text)) < 0)
			return error;
		if (text)
			pt->needs_access[kith_mobility_needs[i].access] = strcmp(text, "yes") == 0;
	}
	if ((error = node_attr(r->a, n, "online", &text)) < 0)
		return error;
	if (text) {
		pt->online = strcmp(text, "yes") == 0;
		pt->online_asked = 1;
	}
	if ((error = node_attr(r->a, n, "housebound", &text)) < 0)
		return error;
	if (text)
		pt->housebound = strcmp(text, "yes") == 0;
	return 0;
}

static int read_availability(reading *r, const xmlNode *n)
{
	kith_patient *pt = &r->p->patient;
	const xmlNode *c;
	int count = count_children(n, "window"), error;

	pt->has_availability = 1;
	pt->windows = NULL;
	pt->window_count = 0;
	if (count == 0)
		return 0;
	if ((pt->windows = kith_arena_alloc(r->a, (size_t)count * sizeof(*pt->windows))) == NULL)
		return KITH_ENOMEM;
	for (c = n->children; c; c = c->next) {
		char *day, *start, *end;
		int d, s, e;

		if (!named(c, "window"))
			continue;
		if ((error = node_attr(r->a, c, "day", &day)) < 0 ||
		    (error = node_attr(r->a, c, "start", &start)) < 0 || (error = node_attr(r->a, c, "end", &end)) < 0)
			return error;
		d = kith_day_parse(day);
		s = kith_time_parse(start);
		e = kith_time_parse(end);
		if (d < 0 || s < 0 || e < 0)
			continue; /* the schema reports these */
		if (e <= s) {
			kith_xml_report(r->x, KITH_DIAG_ERROR, c, "end", "window end %s is not after start %s", end,
					start);
			continue;
		}
		pt->windows[pt->window_count].day = d;
		pt->windows[pt->window_count].start = s;
		pt->windows[pt->window_count].end = e;
		pt->window_count++;
	}
	return 0;
}

static int read_budget(reading *r, const xmlNode *n)
{
	char *text;
	double v;
	int error;

	if ((error = node_attr(r->a, n, "max-per-session", &text)) < 0)
		return error;
	if (text && kith_parse_decimal(text, strlen(text), &v) == 0 && v >= 0)
		r->p->patient.max_per_session = v;
	return 0;
}

static const struct {
	const char *name;
	int (*read)(reading *r, const xmlNode *n);
} readers[] = {
	{"age", read_age},       {"gender", read_gender},       {"circumstances", read_circumstances},
	{"needs", read_needs},   {"interests", read_interests}, {"languages", read_languages},
	{"home", read_home},     {"mobility", read_mobility},   {"availability", read_availability},
	{"budget", read_budget},
};

/* Fills r->p from the root element; rule errors go to the diagnostics. */
static int read_root(reading *r, const xmlNode *root)
{
	const xmlNode *c;
	char *id;
	size_t i;
	int error;

	if ((error = node_attr(r->a, root, "id", &id)) < 0)
		return error;
	if (!id && (id = kith_arena_strdup(r->a, "")) == NULL)
		return KITH_ENOMEM;
	r->p->patient.id = id;
	for (c = root->children; c; c = c->next) {
		if (!in_ns(c))
			continue;
		for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
			if (strcmp((const char *)c->name, readers[i].name) != 0)
				continue;
			if ((error = readers[i].read(r, c)) != 0)
				return error;
			break;
		}
	}
	return 0;
}

/* Reports a root element that is not <patient xmlns="urn:kith:patient:1">. */
static int check_root(kith_xml *x, const xmlNode *root)
{
	const char *ns = root->ns && root->ns->href ? (const char *)root->ns->href : NULL;

	if (in_ns(root) && strcmp((const char *)root->name, "patient") == 0)
		return 0;
	if (ns)
		kith_xml_report(x, KITH_DIAG_ERROR, root, NULL,
				"not a patient profile: root element is '%s' in namespace '%s' (expected "
				"'patient' in '" PATIENT_NS "')",
				root->name, ns);
	else
		kith_xml_report(x, KITH_DIAG_ERROR, root, NULL,
				"not a patient profile: root element is '%s' in no namespace (expected "
				"'patient' in '" PATIENT_NS "'): add xmlns=\"" PATIENT_NS "\"",
				root->name);
	return KITH_EINVALID;
}

/*
 * libxml2's schema validator prints some internal notes ("Unimplemented
 * block at xmlschemas.c") straight to stderr, e.g. for a root element the
 * schema does not declare; a library must not write to stderr, and the
 * problem is reported as a diagnostic anyway.
 */
static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* A profile from the file at path, or, with data, from size bytes there named path. */
static int read_profile(kith_profile **out, const char *path, const char *data, size_t size, kith_diag_list *diags)
{
	xmlGenericErrorFunc saved_func = xmlGenericError;
	void *saved_ctx = xmlGenericErrorContext;
	kith_diag_list *own = NULL;
	kith_xml *x = NULL;
	kith_profile *p = NULL;
	const xmlNode *root = NULL;
	struct stat st;
	reading r;
	int error = 0, ret;

	*out = NULL;
	if (!diags) {
		/* a private list, so that a replaced message can be dropped below */
		if ((error = kith_diag_list_new(&own)) != 0)
			return error;
		diags = own;
	}
	if ((data && size > PATIENT_MAX_BYTES) ||
	    (!data && stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > PATIENT_MAX_BYTES)) {
		kith_diag_add(diags, KITH_DIAG_ERROR, path, 0, 0,
			      "file is over %d KiB: a patient profile is a few hundred bytes",
			      PATIENT_MAX_BYTES / 1024);
		error = KITH_ETOOLARGE;
		goto cleanup;
	}
	xmlSetGenericErrorFunc(NULL, silent);
	error = data ? kith_xml_open_memory(&x, path, data, size, "patient profile", kith_patient_xsd, diags)
		     : kith_xml_open(&x, path, "patient profile", kith_patient_xsd, diags);
	if (error)
		goto cleanup;
	for (;;) {
		size_t before = kith_diag_list_count(diags);
		xmlTextReaderPtr reader = kith_xml_reader(x);

		if ((ret = kith_xml_next(x)) <= 0)
			break;
		if (root || xmlTextReaderNodeType(reader) != XML_READER_TYPE_ELEMENT)
			continue;
		root = xmlTextReaderCurrentNode(reader);
		if (!root) {
			error = KITH_ENOMEM;
			goto cleanup;
		}
		if ((error = check_root(x, root)) != 0) {
			/* the schema's "no matching global declaration" says the same, less plainly */
			kith_diag_list_truncate(diags, before);
			check_root(x, root);
			goto cleanup;
		}
		/* keep the tree: it is read after the schema has seen all of it */
		if (xmlTextReaderPreserve(reader) == NULL) {
			error = KITH_ENOMEM;
			goto cleanup;
		}
	}
	if (ret < 0) {
		error = ret;
		goto cleanup;
	}
	if (!root) {
		kith_diag_add(diags, KITH_DIAG_ERROR, path, 0, 0, "no root element: expected a patient profile");
		error = KITH_EINVALID;
		goto cleanup;
	}
	if ((error = kith_profile_alloc(&p)) != 0)
		goto cleanup;
	r.x = x;
	r.p = p;
	r.a = &p->arena;
	if ((error = read_root(&r, root)) != 0)
		goto cleanup;
	if (kith_xml_errors(x) > 0) {
		error = KITH_EINVALID;
		goto cleanup;
	}
	*out = p;
	p = NULL;

cleanup:
	kith_profile_free(p);
	kith_xml_free(x);
	xmlSetGenericErrorFunc(saved_ctx, saved_func);
	kith_diag_list_free(own);
	return error;
}

int kith_profile_load(kith_profile **out, const char *path, kith_diag_list *diags)
{
	return read_profile(out, path, NULL, 0, diags);
}

int kith_profile_parse(kith_profile **out, const char *name, const char *data, size_t size, kith_diag_list *diags)
{
	return read_profile(out, name, data ? data : "", data ? size : 0, diags);
}
