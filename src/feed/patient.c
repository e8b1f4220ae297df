/*
 * Patient profiles (FORMATS.md section 2): reading a profile file, and the
 * quick-query fields the command line sets one by one.
 *
 * A profile is a few hundred bytes, so the file is read whole through the
 * shared safe reader (schema, limits, no DTD), its tree is kept, and the
 * rules an XSD cannot say are checked on that tree afterwards.  Every string
 * and array of the parsed kith_patient lives in the profile's arena.
 */
#include "feed/patient.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "model/embedded.h"
#include "model/geo.h"
#include "model/names.h"
#include "model/schedule.h"
#include "text/vocab.h"
#include "feed/xml.h"

#define PATIENT_NS "urn:kith:patient:1"

/*
 * A profile is a few hundred bytes; its whole tree is kept while it is
 * read, so a file far bigger than any real profile is refused unread.
 */
#define PATIENT_MAX_BYTES (1024 * 1024)

struct kith_profile {
	kith_arena arena;     /* owns every string and array in patient */
	kith_patient patient; /* what the matcher reads */
	kith_error error;     /* last kith_profile_set() failure */
};

/* The mobility attributes that say a person needs an access fact, with its index. */
static const struct {
	const char *name;
	int access;
} mobility_needs[] = {
	{"wheelchair", KITH_ACCESS_WHEELCHAIR},
	{"step-free", KITH_ACCESS_STEP_FREE},
	{"hearing-loop", KITH_ACCESS_HEARING_LOOP},
	{"accessible-toilet", KITH_ACCESS_ACCESSIBLE_TOILET},
};
#define MOBILITY_NEEDS (sizeof(mobility_needs) / sizeof(mobility_needs[0]))

/* ---- small text helpers ---------------------------------------------- */

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Narrows [*s, *s + *len) to its text without white space at either end. */
static void trim_range(const char **s, size_t *len)
{
	while (*len && is_space(**s))
		(*s)++, (*len)--;
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static char *arena_trimdup(kith_arena *a, const char *s, size_t len)
{
	trim_range(&s, &len);
	return kith_arena_strndup(a, s, len);
}

/* 1 when [s, s + len) equals word, ignoring ASCII case. */
static int equals_word(const char *s, size_t len, const char *word)
{
	size_t i;

	if (strlen(word) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (lower(s[i]) != word[i])
			return 0;
	return 1;
}

/* s trimmed and in lower case, into out: the form names.h reads.  0, or -1 when it does not fit. */
static int lower_word(char *out, size_t size, const char *s)
{
	size_t len = strlen(s), i;

	trim_range(&s, &len);
	if (len >= size)
		return -1;
	for (i = 0; i < len; i++)
		out[i] = lower(s[i]);
	out[len] = '\0';
	return 0;
}

static int is_sep(char c, const char *seps)
{
	return c != '\0' && strchr(seps, c) != NULL;
}

/*
 * Splits text at any of seps (white space is always a separator and is
 * trimmed) into a list of arena copies, lower-cased when fold is set.
 * Empty pieces are dropped.  Returns 0 or KITH_ENOMEM.
 */
static int split_list(kith_arena *a, kith_strlist *out, const char *text, const char *seps, int fold)
{
	const char *p;
	size_t n = 0, i = 0;
	const char **items;

	out->items = NULL;
	out->count = 0;
	for (p = text; *p;) {
		while (*p && (is_space(*p) || is_sep(*p, seps)))
			p++;
		if (!*p)
			break;
		n++;
		while (*p && !is_space(*p) && !is_sep(*p, seps))
			p++;
	}
	if (n == 0)
		return 0;
	if ((items = kith_arena_alloc(a, n * sizeof(*items))) == NULL)
		return KITH_ENOMEM;
	for (p = text; *p;) {
		const char *start;
		char *copy;
		size_t j;

		while (*p && (is_space(*p) || is_sep(*p, seps)))
			p++;
		if (!*p)
			break;
		start = p;
		while (*p && !is_space(*p) && !is_sep(*p, seps))
			p++;
		if ((copy = kith_arena_strndup(a, start, (size_t)(p - start))) == NULL)
			return KITH_ENOMEM;
		for (j = 0; fold && copy[j]; j++)
			copy[j] = lower(copy[j]);
		items[i++] = copy;
	}
	out->items = items;
	out->count = n;
	return 0;
}

/*
 * Parses an xs:decimal ("52.0826", "-2.7", "+.5"), with white space around
 * it, without strtod(): that would read "52,08" in a comma locale.
 * Returns 0, or -1 when text is not a plain decimal number.
 */
static int parse_decimal(const char *text, size_t len, double *out)
{
	static const double tens[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
				      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	uint64_t mant = 0;
	int exp10 = 0, digits = 0, point = 0, negative = 0;
	size_t i = 0;
	double v;

	trim_range(&text, &len);
	if (i < len && (text[i] == '+' || text[i] == '-'))
		negative = text[i++] == '-';
	for (; i < len; i++) {
		char c = text[i];
		if (c == '.' && !point) {
			point = 1;
			continue;
		}
		if (c < '0' || c > '9')
			return -1;
		digits++;
		if (mant < UINT64_C(100000000000000000)) {
			mant = mant * 10 + (uint64_t)(c - '0');
			exp10 -= point;
		} else if (!point) {
			exp10++; /* a digit past the precision kept, before the point */
		}
	}
	if (digits == 0)
		return -1;
	v = (double)mant;
	while (exp10 < 0) {
		int k = -exp10 > 22 ? 22 : -exp10;
		v /= tens[k];
		exp10 += k;
	}
	while (exp10 > 0) {
		int k = exp10 > 22 ? 22 : exp10;
		v *= tens[k];
		exp10 -= k;
	}
	*out = negative ? -v : v;
	return 0;
}

/* A whole number in [min, max] with white space around it; 0 or -1. */
static int parse_int(const char *text, long min, long max, long *out)
{
	char *end;
	long v;

	while (is_space(*text))
		text++;
	if (!*text || (*text != '+' && *text != '-' && (*text < '0' || *text > '9')))
		return -1;
	errno = 0;
	v = strtol(text, &end, 10);
	while (is_space(*end))
		end++;
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* yes -> 1, no -> 0, anything else -> -1 (white space and case ignored). */
static int parse_yes_no(const char *text)
{
	size_t len = strlen(text);

	trim_range(&text, &len);
	if (equals_word(text, len, "yes"))
		return 1;
	if (equals_word(text, len, "no"))
		return 0;
	return -1;
}

static void patient_defaults(kith_patient *pt)
{
	memset(pt, 0, sizeof(*pt));
	pt->age = -1;
	pt->gender = KITH_GENDER_ANY;
	pt->max_travel_km = -1;
	pt->max_per_session = -1;
}

static int profile_alloc(kith_profile **out)
{
	kith_profile *p = calloc(1, sizeof(*p));

	*out = NULL;
	if (!p)
		return KITH_ENOMEM;
	p->arena = (kith_arena)KITH_ARENA_INIT;
	kith_buf_init(&p->error.message, 4096);
	patient_defaults(&p->patient);
	*out = p;
	return 0;
}

/* ---- reading a profile file ---------------------------------------- */

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
	s = arena_trimdup(a, (const char *)c, strlen((const char *)c));
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
	*out = arena_trimdup(a, (const char *)v, strlen((const char *)v));
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
	if (parse_int(text, 0, 130, &age) == 0)
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
	if ((error = split_list(r->a, list, text, "", 0)) != 0)
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

/* Appends text to buf with every run of white space as one space. */
static int put_collapsed(kith_buf *buf, const char *text)
{
	int error;

	for (; *text; text++) {
		char c = is_space(*text) ? ' ' : *text;
		if (c == ' ' && (buf->size == 0 || buf->ptr[buf->size - 1] == ' '))
			continue;
		if ((error = kith_buf_putc(buf, c)) != 0)
			return error;
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
			if (c->prev && c->prev->type == XML_ELEMENT_NODE && (error = put_collapsed(&words, " ")) != 0)
				goto cleanup;
			if (c->content && (error = put_collapsed(&words, (const char *)c->content)) != 0)
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
	return split_list(r->a, &r->p->patient.languages, text, "", 0);
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
	if (parse_decimal(text, strlen(text), out) != 0)
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
	case 0: pt->home.known = 1; break;
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
	if (text && parse_decimal(text, strlen(text), &km) == 0 && km >= 0)
		pt->max_travel_km = km;
	for (i = 0; i < MOBILITY_NEEDS; i++) {
		if ((error = node_attr(r->a, n, mobility_needs[i].name, &text)) < 0)
			return error;
		if (text)
			pt->needs_access[mobility_needs[i].access] = strcmp(text, "yes") == 0;
	}
	if ((error = node_attr(r->a, n, "online", &text)) < 0)
		return error;
	if (text)
		pt->online = strcmp(text, "yes") == 0;
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
	if (text && parse_decimal(text, strlen(text), &v) == 0 && v >= 0)
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

int kith_profile_load(kith_profile **out, const char *path, kith_diag_list *diags)
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
	if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > PATIENT_MAX_BYTES) {
		kith_diag_add(diags, KITH_DIAG_ERROR, path, 0, 0,
			      "file is over %d KiB: a patient profile is a few hundred bytes",
			      PATIENT_MAX_BYTES / 1024);
		error = KITH_ETOOLARGE;
		goto cleanup;
	}
	xmlSetGenericErrorFunc(NULL, silent);
	if ((error = kith_xml_open(&x, path, "patient profile", kith_patient_xsd, diags)) != 0)
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
	if ((error = profile_alloc(&p)) != 0)
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

/* ---- quick queries ---------------------------------------------------- */

int kith_profile_new(kith_profile **out, const char *id)
{
	kith_profile *p = NULL;
	int error;

	if ((error = profile_alloc(&p)) != 0)
		return error;
	if ((p->patient.id = kith_arena_strdup(&p->arena, id && *id ? id : "query")) == NULL) {
		kith_profile_free(p);
		return KITH_ENOMEM;
	}
	*out = p;
	return 0;
}

static int set_postcode(kith_profile *p, const char *value)
{
	size_t len = strlen(value);
	double lat, lon;
	char *copy;

	trim_range(&value, &len);
	if ((copy = kith_arena_strndup(&p->arena, value, len)) == NULL)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	switch (kith_geo_postcode_point(copy, &lat, &lon)) {
	case 0: break;
	case KITH_ENOTFOUND:
		return kith_error_set(&p->error, KITH_ENOTFOUND,
				      "unknown postcode '%s': its district is not in the postcode table", copy);
	default: return kith_error_set(&p->error, KITH_EINVALID, "'%s' is not a UK postcode", copy);
	}
	p->patient.postcode = copy;
	p->patient.home.lat = lat;
	p->patient.home.lon = lon;
	p->patient.home.known = 1;
	return 0;
}

static int set_point(kith_profile *p, const char *value)
{
	const char *comma = strchr(value, ',');
	double lat, lon;

	if (!comma || parse_decimal(value, (size_t)(comma - value), &lat) != 0 ||
	    parse_decimal(comma + 1, strlen(comma + 1), &lon) != 0)
		return kith_error_set(&p->error, KITH_EINVALID,
				      "'%s' is not a point (expected LAT,LON in decimal degrees, e.g. 52.08,0.44)",
				      value);
	if (lat < -90 || lat > 90)
		return kith_error_set(&p->error, KITH_EINVALID, "latitude %g is out of range (-90 to 90)", lat);
	if (lon < -180 || lon > 180)
		return kith_error_set(&p->error, KITH_EINVALID, "longitude %g is out of range (-180 to 180)", lon);
	p->patient.home.lat = lat;
	p->patient.home.lon = lon;
	p->patient.home.known = 1;
	return 0;
}

static int set_needs(kith_profile *p, const char *value)
{
	kith_strlist items;
	kith_need *needs = NULL;
	size_t i;
	char word[16];

	if (split_list(&p->arena, &items, value, ",", 0) != 0)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	if (items.count && (needs = kith_arena_alloc(&p->arena, items.count * sizeof(*needs))) == NULL)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	for (i = 0; i < items.count; i++) {
		char *id = (char *)items.items[i], *colon = strchr(id, ':');

		needs[i].id = id;
		needs[i].priority = KITH_PRIORITY_NORMAL;
		if (!colon)
			continue;
		*colon = '\0';
		if (!*id)
			return kith_error_set(&p->error, KITH_EINVALID, "missing need before ':%s'", colon + 1);
		if (lower_word(word, sizeof(word), colon + 1) != 0 ||
		    kith_priority_parse(word, &needs[i].priority) != 0)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "unknown priority '%s' for need '%s' (expected high, normal or low)",
					      colon + 1, id);
	}
	p->patient.needs = needs;
	p->patient.need_count = items.count;
	return 0;
}

static int set_interests(kith_profile *p, const char *value)
{
	kith_buf words = KITH_BUF_INIT;
	int error;

	if ((error = put_collapsed(&words, value)) != 0) {
		kith_buf_release(&words);
		return kith_error_set(&p->error, error, "interests text is too long");
	}
	kith_buf_trim(&words);
	p->patient.interests = NULL;
	if (words.size && (p->patient.interests = kith_arena_strndup(&p->arena, words.ptr, words.size)) == NULL)
		error = kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	kith_buf_release(&words);
	return error;
}

static int set_list(kith_profile *p, kith_strlist *list, const char *value)
{
	kith_strlist items;

	if (split_list(&p->arena, &items, value, ",", 0) != 0)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	*list = items;
	return 0;
}

static int set_languages(kith_profile *p, const char *value)
{
	kith_strlist items;
	size_t i;

	if (split_list(&p->arena, &items, value, ",", 1) != 0)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	for (i = 0; i < items.count; i++) {
		const char *code = items.items[i];
		if (strlen(code) != 2 || code[0] < 'a' || code[0] > 'z' || code[1] < 'a' || code[1] > 'z')
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%s' is not a two-letter ISO 639-1 language code (e.g. en, cy, pl)",
					      code);
	}
	p->patient.languages = items;
	return 0;
}

/* A non-negative amount, with an optional unit written before (e.g. "£") or after (e.g. "km"). */
static int parse_amount(const char *value, const char *prefix, const char *suffix, double *out)
{
	size_t len = strlen(value), plen = strlen(prefix), slen = strlen(suffix);

	trim_range(&value, &len);
	if (plen && len >= plen && memcmp(value, prefix, plen) == 0)
		value += plen, len -= plen;
	if (slen && len >= slen && equals_word(value + len - slen, slen, suffix))
		len -= slen;
	if (parse_decimal(value, len, out) != 0 || *out < 0)
		return -1;
	return 0;
}

/* ---- "when": "mon,tue@09:00-12:00;thu@13:00-17:00" -------------------- */

/* One day word ("tue", "weekdays", "mon-fri") to day bits (bit 0 = mon); 0 when unknown. */
static unsigned day_word(const char *s, size_t len)
{
	char word[16];
	const char *dash = memchr(s, '-', len);
	size_t i;
	int d;

	if (equals_word(s, len, "any"))
		return 0x7F;
	if (equals_word(s, len, "weekdays"))
		return 0x1F;
	if (equals_word(s, len, "weekends") || equals_word(s, len, "weekend"))
		return 0x60;
	if (dash) {
		unsigned from = day_word(s, (size_t)(dash - s)), to, bits = 0;
		int a, b;
		to = day_word(dash + 1, len - (size_t)(dash - s) - 1);
		/* both ends must be single days */
		for (a = 0; a < 7 && from != (1u << a); a++)
			;
		for (b = 0; b < 7 && to != (1u << b); b++)
			;
		if (a == 7 || b == 7)
			return 0;
		for (d = a;; d = (d + 1) % 7) {
			bits |= 1u << d;
			if (d == b)
				break;
		}
		return bits;
	}
	if (len >= sizeof(word))
		return 0;
	for (i = 0; i < len; i++)
		word[i] = lower(s[i]);
	word[len] = '\0';
	d = kith_day_parse(word);
	return d < 0 ? 0 : 1u << d;
}

/* "HH:MM" or "H:MM" (and "24:00" as an end) to minutes; -1 when malformed. */
static int when_time(const char *s, size_t len, int is_end)
{
	char t[6];

	trim_range(&s, &len);
	if (len == 4) {
		t[0] = '0';
		memcpy(t + 1, s, 4);
	} else if (len == 5) {
		memcpy(t, s, 5);
	} else {
		return -1;
	}
	t[5] = '\0';
	if (is_end && strcmp(t, "24:00") == 0)
		return 24 * 60;
	return kith_time_parse(t);
}

static void format_minutes(char out[6], int minutes)
{
	int h = minutes / 60, m = minutes % 60;

	out[0] = (char)('0' + h / 10);
	out[1] = (char)('0' + h % 10);
	out[2] = ':';
	out[3] = (char)('0' + m / 10);
	out[4] = (char)('0' + m % 10);
	out[5] = '\0';
}

/* Parses one "DAYS@HH:MM-HH:MM" (or "DAYS" for all day) item into windows. */
static int when_item(kith_profile *p, const char *item, size_t len, kith_availability_window *windows, size_t *count)
{
	const char *at = memchr(item, '@', len), *days = item, *end;
	size_t days_len = at ? (size_t)(at - item) : len;
	unsigned bits = 0;
	int start = 0, stop = 24 * 60, d;

	trim_range(&days, &days_len);
	if (days_len == 0)
		return kith_error_set(&p->error, KITH_EINVALID,
				      "missing days before '@' in '%.*s' (e.g. mon,tue@09:00-12:00)", (int)len, item);
	for (end = days + days_len; days < end;) {
		const char *comma = memchr(days, ',', (size_t)(end - days));
		const char *word = days;
		size_t wlen = (size_t)((comma ? comma : end) - days);
		unsigned b;

		days = comma ? comma + 1 : end;
		trim_range(&word, &wlen);
		if (wlen == 0)
			continue;
		if ((b = day_word(word, wlen)) == 0)
			return kith_error_set(&p->error, KITH_EINVALID, "unknown day '%.*s' (expected mon..sun)",
					      (int)wlen, word);
		bits |= b;
	}
	if (bits == 0)
		return kith_error_set(&p->error, KITH_EINVALID,
				      "missing days before '@' in '%.*s' (e.g. mon,tue@09:00-12:00)", (int)len, item);
	if (at) {
		const char *times = at + 1, *dash;
		size_t tlen = len - (size_t)(times - item);

		trim_range(&times, &tlen);
		dash = memchr(times, '-', tlen);
		if (!dash)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%.*s' is not a time range (expected HH:MM-HH:MM, e.g. 09:00-12:00)",
					      (int)tlen, times);
		start = when_time(times, (size_t)(dash - times), 0);
		if (start < 0)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%.*s' is not a time (expected HH:MM, 24-hour)", (int)(dash - times),
					      times);
		stop = when_time(dash + 1, tlen - (size_t)(dash - times) - 1, 1);
		if (stop < 0)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%.*s' is not a time (expected HH:MM, 24-hour)",
					      (int)(tlen - (size_t)(dash - times) - 1), dash + 1);
		if (stop <= start) {
			char a[6], b[6];
			format_minutes(a, start);
			format_minutes(b, stop);
			return kith_error_set(&p->error, KITH_EINVALID, "end %s is not after start %s", b, a);
		}
	}
	for (d = 0; d < 7; d++) {
		if (!(bits & (1u << d)))
			continue;
		windows[*count].day = d;
		windows[*count].start = start;
		windows[*count].end = stop;
		(*count)++;
	}
	return 0;
}

static int set_when(kith_profile *p, const char *value)
{
	kith_availability_window *windows;
	size_t items = 1, count = 0;
	const char *s, *end = value + strlen(value);
	int error;

	for (s = value; *s; s++)
		items += *s == ';';
	if ((windows = kith_arena_alloc(&p->arena, items * 7 * sizeof(*windows))) == NULL)
		return kith_error_set(&p->error, KITH_ENOMEM, "out of memory");
	for (s = value; s < end;) {
		const char *semi = memchr(s, ';', (size_t)(end - s)), *item = s;
		size_t len = (size_t)((semi ? semi : end) - s);

		s = semi ? semi + 1 : end;
		trim_range(&item, &len);
		if (len == 0)
			continue;
		if ((error = when_item(p, item, len, windows, &count)) != 0)
			return error;
	}
	if (count == 0)
		return kith_error_set(&p->error, KITH_EINVALID,
				      "no availability given (expected e.g. mon,tue@09:00-12:00;thu@13:00-17:00)");
	p->patient.windows = windows;
	p->patient.window_count = count;
	p->patient.has_availability = 1;
	return 0;
}

int kith_profile_set(kith_profile *p, const char *field, const char *value)
{
	kith_patient *pt = &p->patient;
	double v;
	long n;
	size_t i;
	int yn;

	kith_error_clear(&p->error);
	if (!field)
		return kith_error_set(&p->error, KITH_EINVALID, "no field given");
	if (!value)
		return kith_error_set(&p->error, KITH_EINVALID, "no value given for '%s'", field);

	if (strcmp(field, "postcode") == 0)
		return set_postcode(p, value);
	if (strcmp(field, "point") == 0)
		return set_point(p, value);
	if (strcmp(field, "needs") == 0)
		return set_needs(p, value);
	if (strcmp(field, "interests") == 0)
		return set_interests(p, value);
	if (strcmp(field, "tags") == 0)
		return set_list(p, &pt->interest_tags, value);
	if (strcmp(field, "circumstances") == 0)
		return set_list(p, &pt->circumstances, value);
	if (strcmp(field, "languages") == 0)
		return set_languages(p, value);
	if (strcmp(field, "when") == 0)
		return set_when(p, value);
	if (strcmp(field, "max-km") == 0) {
		if (parse_amount(value, "", "km", &v) != 0)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%s' is not a distance in km (expected a number, e.g. 5 or 2.5)", value);
		pt->max_travel_km = v;
		return 0;
	}
	if (strcmp(field, "budget") == 0) {
		if (parse_amount(value, "\xC2\xA3", "", &v) != 0)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "'%s' is not an amount in pounds (expected a number, e.g. 3.50)", value);
		pt->max_per_session = v;
		return 0;
	}
	if (strcmp(field, "age") == 0) {
		if (parse_int(value, 0, 130, &n) != 0)
			return kith_error_set(&p->error, KITH_EINVALID, "'%s' is not an age in years (0 to 130)",
					      value);
		pt->age = (int)n;
		return 0;
	}
	if (strcmp(field, "gender") == 0) {
		char word[16];
		kith_gender g;
		/* "any" is what no gender means, not a gender to give */
		if (lower_word(word, sizeof(word), value) != 0 || kith_gender_parse(word, &g) != 0 ||
		    g == KITH_GENDER_ANY)
			return kith_error_set(&p->error, KITH_EINVALID,
					      "unknown gender '%s' (expected female, male or other)", value);
		pt->gender = g;
		return 0;
	}

	/* the yes/no fields */
	for (i = 0; i < MOBILITY_NEEDS; i++)
		if (strcmp(field, mobility_needs[i].name) == 0)
			break;
	if (i == MOBILITY_NEEDS && strcmp(field, "online") != 0 && strcmp(field, "housebound") != 0 &&
	    strcmp(field, "free") != 0)
		return kith_error_set(&p->error, KITH_ENOTFOUND, "unknown field '%s'", field);
	if ((yn = parse_yes_no(value)) < 0)
		return kith_error_set(&p->error, KITH_EINVALID, "'%s' is not yes or no", value);
	if (i < MOBILITY_NEEDS)
		pt->needs_access[mobility_needs[i].access] = yn;
	else if (strcmp(field, "online") == 0)
		pt->online = yn;
	else if (strcmp(field, "housebound") == 0)
		pt->housebound = yn;
	else
		pt->max_per_session = yn ? 0 : -1;
	return 0;
}

const char *kith_profile_errmsg(const kith_profile *p)
{
	if (!p)
		return kith_strerror(KITH_EINVALID);
	return kith_error_message(&p->error);
}

const char *kith_profile_id(const kith_profile *p)
{
	return p->patient.id;
}

const kith_patient *kith_profile_patient(const kith_profile *p)
{
	return &p->patient;
}

void kith_profile_free(kith_profile *p)
{
	if (!p)
		return;
	kith_arena_release(&p->arena);
	kith_error_release(&p->error);
	free(p);
}
