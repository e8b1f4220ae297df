/*
 * The Open Referral UK reader (import_int.h), for the JSON councils serve:
 * a list of v1 services (a top-level array, or a page {"content": [...]}),
 * a v3 page {"contents": [...]}, or one full service object.  Several
 * inputs are pages of one listing.  This file reads the document's shape
 * and a service's own fields; oruk_parts.c the parts a full service nests.
 *
 * jansson keeps no position per value, so a record is located by its
 * place in the file and its id: "service 12 (id abc)".
 */
#include "import/oruk_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/area.h"

#define MAX_NAME 300         /* bytes of a name; a longer one is cut, with a warning */
#define MAX_HTML (1u << 20)  /* bytes of a description's HTML read; the text is cut far shorter anyway */
#define MAX_AUDIENCES 32     /* target audiences of one service said */
#define MAX_WHEN (64u << 10) /* bytes of one service's schedules as text */

static const char *kind_of(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "true or false";
	default: return "null";
	}
}

/* ---- a service's own fields --------------------------------------------- */

/* The record's id as text (a string or a whole number), in the arena, or NULL. */
static const char *id_of(importer *im, const json_t *s)
{
	const json_t *id = json_object_get(s, "id");
	char number[32];

	if (json_is_integer(id)) {
		snprintf(number, sizeof(number), "%lld", (long long)json_integer_value(id));
		return kith_arena_strdup(&im->arena, number);
	}
	return oruk_string(im, s, "id", 200);
}

/* The latest of the dates the record was checked or changed, as YYYY-MM-DD. */
static const char *updated_of(importer *im, const json_t *s)
{
	const json_t *meta = json_object_get(s, "pc_metadata");
	const char *dates[4], *latest = NULL;
	size_t i;

	dates[0] = oruk_string(im, s, "assured_date", 40);
	dates[1] = oruk_string(im, s, "last_modified", 40);
	dates[2] = oruk_string(im, meta, "date_modified", 40);
	dates[3] = oruk_string(im, meta, "date_assured", 40);
	for (i = 0; i < 4; i++) {
		const char *d = kith_import_date(im, dates[i]);
		if (d && (!latest || strcmp(d, latest) > 0))
			latest = d;
	}
	return latest;
}

/* The first phone number: v3 phones[], or v1 contacts[].phones[]. */
static const char *phone_of(importer *im, const json_t *s)
{
	const json_t *contact, *phone;
	const char *number = NULL;
	size_t i, k;

	json_array_foreach(oruk_array(s, "phones"), i, phone)
	{
		if ((number = oruk_string(im, phone, "number", 100)) != NULL)
			return number;
	}
	json_array_foreach(oruk_array(s, "contacts"), i, contact)
	{
		json_array_foreach(oruk_array(contact, "phones"), k, phone)
		{
			if ((number = oruk_string(im, phone, "number", 100)) != NULL)
				return number;
		}
	}
	return NULL;
}

/* A value written as an attribute (a web or e-mail address): left out, with a warning, when too long to be one. */
static const char *attribute_of(oruk_record *r, const char *key)
{
	size_t n = json_string_length(json_object_get(r->service, key));

	if (n > ORUK_MAX_ATTR) {
		kith_import_warn(r->im, 0, 0, "%s: %s is %zu bytes long: left out", r->where, key, n);
		return NULL;
	}
	return oruk_string(r->im, r->service, key, ORUK_MAX_ATTR);
}

static int read_contact(oruk_record *r)
{
	importer *im = r->im;
	kith_group *g = r->g;
	const char *url = attribute_of(r, "url"), *email = attribute_of(r, "email");
	int error = 0;

	if (url && !strpbrk(url, " \t\r\n"))
		g->web = url;
	else if (url)
		error = kith_import_append_text(im, g, "Web", url); /* not an address ("Warmley Community Centre") */
	if (email && strchr(email, '@') && !strpbrk(email, " \t\r\n"))
		g->email = email;
	g->phone = phone_of(im, r->service);
	g->organisation = oruk_string(im, json_object_get(r->service, "organization"), "name", 500);
	g->updated = updated_of(im, r->service);
	return error;
}

/*
 * How a person takes part.  Phone and online are ways in; a home visit
 * cannot be placed (no radius, no base), so it is said in words.
 */
static int read_attending(oruk_record *r)
{
	importer *im = r->im;
	kith_group *g = r->g;
	const char *type = oruk_string(im, r->service, "attending_type", 200);
	const char *access = oruk_string(im, r->service, "attending_access", 200);
	const char *info = oruk_string(im, r->service, "pc_attendingAccess_additionalInfo", 4000);
	int error = 0, phone = type && strcasecmp(type, "phone") == 0, online = type && strcasecmp(type, "online") == 0;

	if (phone || online) {
		g->online = 1;
		g->online_how = phone ? "by phone" : "online";
	} else if (type && strcasecmp(type, "venue") != 0) {
		error = kith_import_append_text(im, g, "Attending", type);
	}
	if (access && strcasecmp(access, "appointment") == 0)
		g->by_appointment = 1;
	else if (access && strcasecmp(access, "professional referral") == 0)
		g->referral_professional = 1;
	else if (access && !error)
		error = kith_import_append_text(im, g, "Attending", access);
	if (info && !error)
		error = kith_import_append_text(im, g, "How to attend", info);
	return error;
}

/* "Parents>Grandparents" says its last part; the whole term and the part are both looked up. */
static const char *audience_leaf(const char *term)
{
	const char *gt = strrchr(term, '>');

	while (gt && (gt[1] == ' ' || gt[1] == '\t'))
		gt++;
	return gt && gt[1] ? gt + 1 : term;
}

/*
 * Whom the service suits (pc_targetAudience): said as "For: Carers,
 * Dementia", and mapped to needs where the table is sure.  An audience is
 * not an eligibility rule, so it never becomes a requirement.
 */
static int read_audiences(oruk_record *r)
{
	const char *seen[MAX_AUDIENCES];
	const json_t *item;
	kith_buf text = KITH_BUF_INIT;
	size_t i, k, n = 0;
	int error;

	json_array_foreach(oruk_array(r->service, "pc_targetAudience"), i, item)
	{
		const char *term = oruk_string(r->im, item, "audienceType", 200), *leaf;
		if (!term || n == MAX_AUDIENCES)
			continue;
		leaf = audience_leaf(term);
		if (!kith_import_taxonomy(r->im, r->g, "oruk", term))
			kith_import_taxonomy(r->im, r->g, "oruk", leaf);
		for (k = 0; k < n && strcasecmp(seen[k], leaf) != 0; k++)
			;
		if (k < n)
			continue;
		seen[n++] = leaf;
		kith_buf_printf(&text, "%s%s", text.size ? ", " : "", leaf);
	}
	if ((error = kith_buf_error(&text)) == 0)
		error = kith_import_append_text(r->im, r->g, "For", text.ptr);
	kith_buf_release(&text);
	return error;
}

/* Taxonomy terms (v1 service_taxonomys[].taxonomy, v3 attributes[].taxonomy_term) and the deliverable type. */
static int read_taxonomies(oruk_record *r)
{
	static const char *const lists[][2] = {{"service_taxonomys", "taxonomy"}, {"attributes", "taxonomy_term"}};
	static const char *const id_keys[] = {"id", "code", NULL};
	const char *type = oruk_string(r->im, r->service, "deliverable_type", 200);
	kith_buf text = KITH_BUF_INIT;
	const json_t *item;
	size_t l, i;
	int error;

	for (l = 0; l < 2; l++)
		json_array_foreach(oruk_array(r->service, lists[l][0]), i, item)
		{
			const json_t *term = json_object_get(item, lists[l][1]);
			const char *name = oruk_string(r->im, term, "name", 200);
			const char *code = oruk_string_of(r->im, term, id_keys, 200);
			if (!kith_import_taxonomy(r->im, r->g, "oruk", name))
				kith_import_taxonomy(r->im, r->g, "oruk", code);
			if (name)
				kith_buf_printf(&text, "%s%s", text.size ? ", " : "", name);
		}
	if (type)
		kith_import_taxonomy(r->im, r->g, "oruk", type);
	if ((error = kith_import_append_text(r->im, r->g, "Type", type)) == 0 && (error = kith_buf_error(&text)) == 0)
		error = kith_import_append_text(r->im, r->g, "Categories", text.ptr);
	kith_buf_release(&text);
	return error;
}

/* 1 when text is written as postcodes ("BS", "BS1 BS2", "DN15 6"): a place's name is not read as one. */
static int postcode_like(const char *text)
{
	for (; *text; text++)
		if ((*text >= 'a' && *text <= 'z') || *text == '\n')
			return 0;
	return 1;
}

/* Service areas: an area served when every one is written as postcodes, else said in words. */
static int read_service_areas(oruk_record *r)
{
	static const char *const keys[] = {"service_area", "name", NULL};
	kith_buf codes = KITH_BUF_INIT, words = KITH_BUF_INIT;
	char area[4096], bad[16];
	const json_t *item;
	size_t i;
	int error, all_codes = 1;

	json_array_foreach(oruk_array(r->service, "service_areas"), i, item)
	{
		const char *a = json_is_string(item) ? json_string_value(item) : oruk_string_of(r->im, item, keys, 500);
		if (!a || !*a)
			continue;
		kith_buf_printf(&words, "%s%s", words.size ? ", " : "", a);
		kith_buf_printf(&codes, "%s%s", codes.size ? " " : "", a);
		all_codes &= postcode_like(a);
	}
	if ((error = kith_buf_error(&codes)) != 0 || (error = kith_buf_error(&words)) != 0)
		goto cleanup;
	if (codes.size && all_codes && kith_area_normalize(codes.ptr, area, sizeof(area), bad) == 0) {
		if ((r->g->area = kith_arena_strdup(&r->im->arena, area)) == NULL)
			error = KITH_ENOMEM;
	} else {
		error = kith_import_append_text(r->im, r->g, "Area served", words.ptr);
	}
cleanup:
	kith_buf_release(&codes);
	kith_buf_release(&words);
	return error;
}

static int read_text(oruk_record *r)
{
	const char *html = oruk_string(r->im, r->service, "description", MAX_HTML);
	const json_t *name = json_object_get(r->service, "name");

	if (json_string_length(name) > MAX_NAME)
		kith_import_warn(r->im, 0, 0, "%s: its name is %zu bytes long: cut to %d", r->where,
				 json_string_length(name), MAX_NAME);
	if (html)
		r->g->description = kith_import_text(r->im, html);
	return 0;
}

/* Fills the group from every field, in the order the description says them. */
static int read_fields(oruk_record *r)
{
	int error;

	if ((error = read_text(r)) != 0 || (error = read_contact(r)) != 0 || (error = read_audiences(r)) != 0 ||
	    (error = read_taxonomies(r)) != 0 || (error = read_attending(r)) != 0 ||
	    (error = oruk_read_locations(r)) != 0 || (error = oruk_read_schedules(r, r->service)) != 0 ||
	    (error = oruk_finish_schedules(r)) != 0 || (error = oruk_read_eligibility(r)) != 0 ||
	    (error = oruk_read_costs(r)) != 0 || (error = oruk_read_languages(r)) != 0)
		return error;
	if ((error = read_service_areas(r)) != 0)
		return error;
	return kith_import_append_text(r->im, r->g, "Accreditations",
				       oruk_string(r->im, r->service, "accreditations", 2000));
}

/* One service: written, or skipped with where and why.  0, or KITH_ENOMEM. */
static int read_service(importer *im, const json_t *s, size_t index)
{
	oruk_record r;
	kith_group g;
	const char *id, *name, *status;
	char fallback[40];
	int error = 0;

	im->report->records++;
	if (!json_is_object(s)) {
		kith_import_skip(im, 0, 0, "service %zu is %s, not an object: left out", index, kind_of(s));
		return 0;
	}
	memset(&r, 0, sizeof(r));
	r.im = im;
	r.g = &g;
	r.service = s;
	r.dated_from = r.dated_to = 1;
	kith_buf_init(&r.when, MAX_WHEN);
	id = id_of(im, s);
	if (id)
		snprintf(r.where, sizeof(r.where), "service %zu (id %.100s)", index, id);
	else
		snprintf(r.where, sizeof(r.where), "service %zu", index);
	snprintf(fallback, sizeof(fallback), "service-%zu", index);
	name = oruk_string(im, s, "name", MAX_NAME);
	status = oruk_string(im, s, "status", 100);
	if (!name) {
		kith_import_skip(im, 0, 0, "%s has no name: left out", r.where);
	} else if (status && strcasecmp(status, "active") != 0) {
		kith_import_skip(im, 0, 0, "%s is '%s', not active: left out", r.where, status);
	} else {
		kith_import_group_init(&g);
		g.name = name;
		if ((error = read_fields(&r)) == 0)
			error = kith_import_emit(im, &g, id ? id : fallback, 0, 0);
	}
	kith_buf_release(&r.when);
	return error;
}

/* ---- the document ------------------------------------------------------- */

/*
 * The services of a document: the array itself, or a page's "content"
 * (v1) or "contents" (v3).  NULL when there is no such list; *why then
 * says what was found instead.
 */
static const json_t *services_of(const json_t *root, char *why, size_t size)
{
	static const char *const pages[] = {"content", "contents"};
	const json_t *list;
	size_t i;

	if (json_is_array(root))
		return root;
	if (!json_is_object(root)) {
		snprintf(why, size, "%s", kind_of(root));
		return NULL;
	}
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if ((list = json_object_get(root, pages[i])) != NULL) {
			if (json_is_array(list))
				return list;
			snprintf(why, size, "a page whose '%s' is %s", pages[i], kind_of(list));
			return NULL;
		}
	snprintf(why, size, "an object with no 'content', 'contents', 'id' or 'name'");
	return NULL;
}

/* One service object served alone (/services/{id}). */
static int is_service(const json_t *root)
{
	return json_is_object(root) && (json_object_get(root, "name") || json_object_get(root, "id")) &&
	       !json_object_get(root, "content") && !json_object_get(root, "contents");
}

int kith_import_oruk(importer *im, const char *path)
{
	const json_t *list, *s;
	json_t *root;
	char why[120];
	size_t i;
	int error = 0;

	if ((root = kith_import_json(im, path, &error)) == NULL)
		return error;
	if (is_service(root)) {
		error = read_service(im, root, 1);
	} else if ((list = services_of(root, why, sizeof(why))) == NULL) {
		error = kith_import_fail(im, KITH_EINVALID, 1, 1,
					 "expected Open Referral UK services (an array of services, a page with "
					 "'content' or 'contents', or one service) but found %s",
					 why);
	} else {
		json_array_foreach(list, i, s) if ((error = read_service(im, s, i + 1)) != 0) break;
	}
	json_decref(root);
	return error;
}
