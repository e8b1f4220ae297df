/*
 * The AIRS XML reader (import_int.h): AIRS XML Data Transfer 3.0 and 3.1,
 * <Source> holding <Agency>s (nested for child agencies), each with its
 * <Site>s and each Site with its <SiteService>s.
 *
 * The file streams through kith's safe XML reader (feed/xml.h: no DTD, no
 * entities, no network, limits on depth and sizes, every message located),
 * validated against the AIRS schema of its version as it goes.  Real AIRS
 * exports often stray from the schema, so what breaks it is a warning and
 * the record is still read; what is not XML, or not AIRS, imports nothing.
 * An Agency's own elements are read one by one; each Site is read as a
 * small tree and kept until the Agency ends, since its ResourceInfo (the
 * date last verified, for services that give none) comes after its Sites.
 */
#include "import/airs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/embedded.h"
#include "util/diag.h"
#include "util/parse.h"

#define AIRS_31_NS "http://www.airs.org/schema/3_1/AIRS.xsd"
#define PEEK_BYTES 8192        /* of the file's start, to find its root's namespace */
#define MAX_HELD_SITES 4096    /* an Agency's Sites held for its end; past this they are mapped at once */
#define MAX_SCHEMA_WARNINGS 20 /* printed for one file; the rest are counted */
#define MAX_AGENCY_DEPTH 32    /* nested Agencies: as deep as the reader goes */
#define WRONG_ROOT "the root element is <%s>: an AIRS XML file has <Source> holding <Agency> records"

typedef struct airs_reader {
	importer *im;
	kith_xml *x;         /* owned */
	kith_diag_list *own; /* owned: x's messages, sorted here into errors and warnings */
	const char *version; /* "3.0" or "3.1": the schema it is read against */
	size_t schema_warnings;
	int root_seen;
	airs_agency agency;         /* the Agency whose own elements are being read */
	int agency_depth;           /* its depth; -1 when its elements are done (or outside any) */
	int open[MAX_AGENCY_DEPTH]; /* depths of the Agencies open, innermost last */
	size_t open_count;
	int skip_depth;    /* inside an element already read as a tree, until its end at this depth; -1 */
	xmlNodePtr *sites; /* owned copies of the agency's Sites, mapped at its end */
	unsigned char *is_location;
	size_t site_count, site_cap;
} airs_reader;

/* ---- before reading: the schema, and what libxml2 cannot take quickly ---- */

/* Moves i past the next occurrence of end (counting lines); to size when there is none. */
static size_t skip_past(const char *d, size_t i, size_t size, const char *end, unsigned *line, size_t *line_start)
{
	const char *p = kith_find(d + i, d + size, end);
	size_t stop = p ? (size_t)(p - d) + strlen(end) : size;

	for (; i < stop; i++)
		if (d[i] == '\n') {
			(*line)++;
			*line_start = i + 1;
		}
	return stop;
}

/* The root element's start tag, as found in the file's first bytes. */
typedef struct root_tag {
	char name[64]; /* its local name; "" when not found there */
	unsigned line, column;
	int airs_31; /* it names the AIRS 3.1 namespace */
} root_tag;

/*
 * Finds the root's start tag in the file's first PEEK_BYTES: its namespace
 * says which schema to read with (3.0 has none), and a wrong root is told
 * plainly before the schema says something less clear.
 */
static void peek_root(const char *path, root_tag *root)
{
	char start[PEEK_BYTES + 1], *tag, *end;
	size_t n = 0, i = 0, line_start = 0, len;
	FILE *f = fopen(path, "rb");

	memset(root, 0, sizeof(*root));
	root->line = 1;
	if (f) {
		n = fread(start, 1, PEEK_BYTES, f);
		fclose(f);
	}
	start[n] = '\0';
	/* past the prolog's declarations, comments and processing instructions */
	while (i < n && (start[i] != '<' || start[i + 1] == '?' || start[i + 1] == '!')) {
		const char *close = strncmp(start + i, "<!--", 4) == 0 ? "-->" : start[i + 1] == '?' ? "?>" : ">";
		if (start[i] == '<')
			i = skip_past(start, i, n, close, &root->line, &line_start);
		else if (start[i++] == '\n') {
			root->line++;
			line_start = i;
		}
	}
	if (i >= n || (end = strchr(start + i, '>')) == NULL)
		return;
	*end = '\0';
	tag = start + i + 1;
	len = strcspn(tag, " \t\r\n/");
	if (memchr(tag, ':', len)) { /* a prefix */
		size_t p = (size_t)((char *)memchr(tag, ':', len) - tag) + 1;
		tag += p;
		len -= p;
	}
	snprintf(root->name, sizeof(root->name), "%.*s", (int)(len < sizeof(root->name) ? len : 0), tag);
	root->column = (unsigned)(i - line_start + 1);
	root->airs_31 = strstr(start + i, AIRS_31_NS) != NULL;
}

/* ---- messages ---- */

/* msg without the AIRS namespace libxml2 puts in braces before each name, into out. */
static void without_namespaces(char *out, size_t size, const char *msg)
{
	size_t n = 0;

	while (*msg && n + 1 < size) {
		const char *close = *msg == '{' ? strchr(msg, '}') : NULL;
		if (close && strncmp(msg + 1, "http", 4) == 0) {
			msg = close + 1;
			continue;
		}
		out[n++] = *msg++;
	}
	out[n] = '\0';
}

/*
 * Moves the reader's messages to the import's list.  When reading failed,
 * the last is why, an error; the others, and all of them otherwise, are
 * the schema's, warnings (capped per file).
 */
static void drain(airs_reader *r, int fatal)
{
	size_t i, n = kith_diag_list_count(r->own);
	char msg[1024];

	for (i = 0; i < n; i++) {
		const kith_diag *d = kith_diag_list_get(r->own, i);
		without_namespaces(msg, sizeof(msg), d->message);
		if (fatal && i + 1 == n) {
			if (r->im->diags)
				kith_diag_add(r->im->diags, KITH_DIAG_ERROR, d->file, d->line, d->column, "%s", msg);
		} else if (++r->schema_warnings <= MAX_SCHEMA_WARNINGS) {
			kith_import_warn(r->im, d->line, d->column, "not as the AIRS %s schema says (read anyway): %s",
					 r->version, msg);
		}
	}
	kith_diag_list_truncate(r->own, 0);
}

/* ---- an Agency ---- */

/* Maps the Sites held for the agency, and lets them go. */
static int flush_sites(airs_reader *r)
{
	size_t i;
	int error = 0;

	for (i = 0; i < r->site_count; i++) {
		if (!error)
			error = airs_map_site(r->im, r->x, &r->agency, r->sites[i], r->is_location[i]);
		xmlFreeNode(r->sites[i]);
	}
	r->site_count = 0;
	return error;
}

/* Keeps a copy of the Site tree n (the reader frees its own as it moves on). */
static int hold_site(airs_reader *r, const xmlNode *n, int is_location)
{
	xmlNodePtr copy;

	if (r->site_count == r->site_cap) {
		size_t cap = r->site_cap ? r->site_cap * 2 : 16;
		xmlNodePtr *sites = realloc(r->sites, cap * sizeof(*sites));
		unsigned char *loc = sites ? realloc(r->is_location, cap) : NULL;
		if (sites)
			r->sites = sites;
		if (!loc)
			return KITH_ENOMEM;
		r->is_location = loc;
		r->site_cap = cap;
	}
	if ((copy = xmlCopyNode((xmlNodePtr)n, 1)) == NULL)
		return KITH_ENOMEM;
	r->sites[r->site_count] = copy;
	r->is_location[r->site_count++] = (unsigned char)is_location;
	return r->site_count >= MAX_HELD_SITES ? flush_sites(r) : 0;
}

/* Ends the current agency's own elements: its Sites are mapped with all it said of itself. */
static int end_agency(airs_reader *r)
{
	int error = flush_sites(r);

	r->agency_depth = -1;
	return error;
}

static int start_agency(airs_reader *r, const xmlNode *n, int depth)
{
	int error = end_agency(r);
	kith_arena arena = r->agency.arena; /* its memory is kept for the next agency */

	kith_arena_reset(&arena);
	memset(&r->agency, 0, sizeof(r->agency));
	r->agency.arena = arena;
	r->agency.gone = airs_gone(n);
	r->agency_depth = depth;
	return error;
}

static int add_service_group(airs_reader *r, const xmlNode *n)
{
	airs_agency *a = &r->agency;
	airs_service_group *groups = kith_arena_alloc(&a->arena, (a->group_count + 1) * sizeof(*groups));
	const char *name = airs_text(&a->arena, airs_child(n, "Name"));

	if (!groups)
		return KITH_ENOMEM;
	if (a->group_count)
		memcpy(groups, a->groups, a->group_count * sizeof(*groups));
	groups[a->group_count].key = airs_text(&a->arena, airs_child(n, "Key"));
	groups[a->group_count].name = name ? name : airs_text(&a->arena, airs_child(n, "ProgramName"));
	a->groups = groups;
	a->group_count++;
	return 0;
}

static int confidential(const xmlNode *n)
{
	const char *v = airs_attr(n, "Confidential");

	return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

/* One of the agency's own elements n (a tree), named name. */
static int agency_element(airs_reader *r, const xmlNode *n, const char *name)
{
	airs_agency *a = &r->agency;
	kith_arena *arena = &a->arena;
	const char *date;

	if (strcmp(name, "Site") == 0 || strcmp(name, "AgencyLocation") == 0)
		return hold_site(r, n, name[0] == 'A');
	if (strcmp(name, "ServiceGroup") == 0)
		return add_service_group(r, n);
	if (strcmp(name, "Key") == 0)
		a->key = airs_text(arena, n);
	else if (strcmp(name, "Name") == 0)
		a->name = airs_text(arena, n);
	else if (strcmp(name, "AgencyDescription") == 0)
		a->description = airs_text(arena, n);
	else if (strcmp(name, "Phone") == 0 && !a->phone && !confidential(n))
		a->phone = airs_text(arena, airs_child(n, "PhoneNumber"));
	else if (strcmp(name, "URL") == 0 && !a->web)
		a->web = airs_text(arena, airs_child(n, "Address"));
	else if (strcmp(name, "Email") == 0 && !a->email)
		a->email = airs_text(arena, airs_child(n, "Address"));
	else if (strcmp(name, "ResourceInfo") == 0) {
		date = kith_import_date(r->im, airs_attr(n, "DateLastVerified"));
		date = date ? date : kith_import_date(r->im, airs_attr(n, "DateOfLastAction"));
		a->updated = date ? kith_arena_strdup(arena, date) : NULL;
	}
	return 0;
}

/* 1 for the Agency elements read here: a Site is read whole, the others for their text. */
static int is_agency_element(const char *name)
{
	static const char *const names[] = {"Key", "Name",  "AgencyDescription", "AgencyLocation", "Phone",
					    "URL", "Email", "ServiceGroup",      "Site",           "ResourceInfo"};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(name, names[i]) == 0)
			return 1;
	return 0;
}

/* ---- the stream ---- */

static int check_root(airs_reader *r, xmlTextReaderPtr reader, const char *name)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(reader);
	unsigned line = n ? kith_xml_line(n) : 0, column = 0;

	r->root_seen = 1;
	if (strcmp(name, "Source") == 0)
		return 0;
	kith_xml_locate(r->x, &line, &column, name, NULL);
	kith_diag_list_truncate(r->own, 0); /* the schema's "no matching global declaration" says less */
	return kith_import_fail(r->im, KITH_EINVALID, line, column, WRONG_ROOT, name);
}

/* Reads the element the reader stands on as a tree, for the agency; skips its inside after. */
static int read_agency_element(airs_reader *r, xmlTextReaderPtr reader, const char *name, int depth)
{
	int empty = xmlTextReaderIsEmptyElement(reader), error;
	xmlNodePtr n = xmlTextReaderExpand(reader);

	if (!n) {
		/* the parser said why; reading on gives its code */
		error = kith_xml_next(r->x);
		return error < 0 ? error : KITH_EINVALID;
	}
	if (!empty)
		r->skip_depth = depth;
	return agency_element(r, n, name);
}

static int on_agency(airs_reader *r, xmlTextReaderPtr reader, int depth)
{
	int error;

	if (r->open_count == MAX_AGENCY_DEPTH)
		return 0; /* the reader's depth limit stops the file first */
	if ((error = start_agency(r, xmlTextReaderCurrentNode(reader), depth)) != 0)
		return error;
	if (xmlTextReaderIsEmptyElement(reader))
		return end_agency(r);
	r->open[r->open_count++] = depth;
	return 0;
}

/* One node of the stream. */
static int step(airs_reader *r, xmlTextReaderPtr reader)
{
	int type = xmlTextReaderNodeType(reader), depth = xmlTextReaderDepth(reader);
	const char *name;

	if (r->skip_depth >= 0) {
		if (type == XML_READER_TYPE_END_ELEMENT && depth == r->skip_depth)
			r->skip_depth = -1;
		return 0;
	}
	if (type == XML_READER_TYPE_END_ELEMENT) {
		if (r->open_count && depth == r->open[r->open_count - 1]) {
			r->open_count--;
			return end_agency(r);
		}
		return 0;
	}
	if (type != XML_READER_TYPE_ELEMENT)
		return 0;
	name = (const char *)xmlTextReaderConstLocalName(reader);
	if (depth == 0)
		return check_root(r, reader, name);
	if (strcmp(name, "Agency") == 0 && (depth == 1 || (r->open_count && depth == r->open[r->open_count - 1] + 1)))
		return on_agency(r, reader, depth);
	if (r->agency_depth >= 0 && depth == r->agency_depth + 1 && is_agency_element(name))
		return read_agency_element(r, reader, name, depth);
	return 0;
}

static int read_stream(airs_reader *r)
{
	xmlTextReaderPtr reader = kith_xml_reader(r->x);
	int ret, error = 0;

	while ((ret = kith_xml_next(r->x)) == 1) {
		if ((error = step(r, reader)) != 0) {
			drain(r, 1);
			return error;
		}
		drain(r, 0);
	}
	if (ret < 0) {
		drain(r, 1);
		return ret;
	}
	if (!r->root_seen)
		return kith_import_fail(r->im, KITH_EINVALID, 0, 0, "no root element: expected an AIRS XML file");
	error = end_agency(r);
	drain(r, 0);
	if (r->schema_warnings > MAX_SCHEMA_WARNINGS)
		kith_import_warn(r->im, 0, 0, "and %zu more places where the file is not as the AIRS %s schema says",
				 r->schema_warnings - MAX_SCHEMA_WARNINGS, r->version);
	return error;
}

int kith_import_airs(importer *im, const char *path)
{
	airs_reader r;
	root_tag root;
	int error;

	memset(&r, 0, sizeof(r));
	r.im = im;
	r.agency_depth = r.skip_depth = -1;
	peek_root(path, &root);
	r.version = root.airs_31 ? "3.1" : "3.0";
	if ((error = kith_diag_list_new(&r.own)) != 0)
		return error;
	error = kith_xml_open(&r.x, path, "file in AIRS XML (3.0 or 3.1)",
			      root.airs_31 ? kith_airs_3_1_xsd : kith_airs_3_0_xsd, r.own);
	if (error) {
		drain(&r, 1);
		goto cleanup;
	}
	if (root.name[0] && strcmp(root.name, "Source") != 0) {
		error = kith_import_fail(im, KITH_EINVALID, root.line, root.column, WRONG_ROOT, root.name);
		goto cleanup;
	}
	error = read_stream(&r);

cleanup:
	while (r.site_count)
		xmlFreeNode(r.sites[--r.site_count]);
	free(r.sites);
	free(r.is_location);
	kith_arena_release(&r.agency.arena);
	kith_xml_free(r.x);
	kith_diag_list_free(r.own);
	return error;
}
