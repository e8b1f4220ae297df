/*
 * The OpenActive reader (import_int.h): RPDE pages ({"items": [...]}),
 * single RPDE items, or bare data objects.  A ScheduledSession is one
 * dated occurrence of a SessionSeries, which it embeds or names by id --
 * and the series may be in another input -- so every input is read
 * first, and the records are joined and written at the end
 * (kith_import_openactive_end): a series with its sessions is one group.
 */
#include "import/openactive_int.h"

#include <stdlib.h>
#include <string.h>

/* One item read, kept until every input is. */
typedef struct oa_entry {
	const json_t *data;  /* borrowed from a root the state holds */
	const json_t *item;  /* its RPDE item, or NULL for a bare data object */
	const char *path;    /* borrowed: the input it came from, alive through the import */
	size_t position;     /* its place in its input, from 1 */
	oa_kind kind;        /* data's */
	const json_t *super; /* a session's embedded superEvent, which it then holds (others may join it) */
	size_t parent;       /* a session or slot: the entry it joins, + 1 (0: none) */
	size_t first_child;  /* sessions or slots joined to this one, a list through next_child (+ 1, 0: none) */
	size_t last_child;
	size_t next_child;
	int superseded;     /* another item with its id is the update (RPDE) */
	size_t replaced_by; /* that item, + 1, when this one was first taken as the listing of its id */
} oa_entry;

typedef struct oa_state {
	json_t **roots; /* owned: every input's document */
	size_t root_count, root_capacity;
	oa_entry *entries; /* owned */
	size_t count, capacity;
	kith_strset listings; /* ids of series, courses, events and facilities -> their entry */
	kith_strset embedded; /* ids of embedded superEvents -> the session holding it */
} oa_state;

static void state_free(oa_state *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->root_count; i++)
		json_decref(st->roots[i]);
	free(st->roots);
	free(st->entries);
	kith_strset_release(&st->listings);
	kith_strset_release(&st->embedded);
	free(st);
}

/* Grows *array to hold one more of size bytes.  0 or KITH_ENOMEM. */
static int grow(void **array, size_t *capacity, size_t count, size_t size)
{
	size_t n = *capacity ? *capacity * 2 : 64;
	void *p;

	if (count < *capacity)
		return 0;
	if ((p = realloc(*array, n * size)) == NULL)
		return KITH_ENOMEM;
	*array = p;
	*capacity = n;
	return 0;
}

/* "item 3 (id abc)", in the arena, for messages. */
static const char *describe(importer *im, const json_t *item, const json_t *data, size_t position)
{
	const json_t *rpde = json_object_get(item, "id");
	const char *id = kith_oa_id(data);
	char text[300];

	if (json_is_string(rpde))
		id = json_string_value(rpde);
	if (json_is_integer(rpde))
		snprintf(text, sizeof(text), "item %zu (id %lld)", position, (long long)json_integer_value(rpde));
	else if (id)
		snprintf(text, sizeof(text), "item %zu (id %.200s)", position, id);
	else
		snprintf(text, sizeof(text), "item %zu", position);
	return kith_arena_strdup(&im->arena, text);
}

/* One RPDE item (or, with item NULL, a bare data object): counted, and kept when it may be written. */
static int read_item(importer *im, oa_state *st, const json_t *item, const json_t *data, size_t position)
{
	const char *state = kith_oa_string(item, "state");
	oa_entry *e;
	int error;

	im->report->records++;
	if (item && !json_is_object(item)) {
		kith_import_skip(im, 0, 0, "item %zu is not an object: left out", position);
		return 0;
	}
	if (state && strcmp(state, "deleted") == 0) {
		/* a delta would withdraw it, but the core cannot write <withdrawn> yet */
		kith_import_skip(im, 0, 0, "%s is deleted: %s", describe(im, item, data, position),
				 im->opts->delta ? "not withdrawn (the import cannot write <withdrawn> yet)"
						 : "left out");
		return 0;
	}
	if (!json_is_object(data)) {
		kith_import_skip(im, 0, 0, "%s has no data object: left out", describe(im, item, data, position));
		return 0;
	}
	if ((error = grow((void **)&st->entries, &st->capacity, st->count, sizeof(*st->entries))) != 0)
		return error;
	e = &st->entries[st->count++];
	memset(e, 0, sizeof(*e));
	e->data = data;
	e->item = item;
	e->path = im->path;
	e->position = position;
	e->kind = kith_oa_kind(data, kith_oa_string(item, "kind"));
	kith_arena_reset(&im->arena);
	return 0;
}

static int read_items(importer *im, oa_state *st, const json_t *items)
{
	size_t i;
	int error = 0;

	for (i = 0; !error && i < json_array_size(items); i++)
		error = read_item(im, st, json_array_get(items, i), json_object_get(json_array_get(items, i), "data"),
				  i + 1);
	return error;
}

int kith_import_openactive(importer *im, const char *path)
{
	oa_state *st = im->reader_state;
	json_t *root;
	const json_t *items;
	int error;

	if (!st && (st = im->reader_state = calloc(1, sizeof(*st))) == NULL)
		return KITH_ENOMEM;
	if ((root = kith_import_json(im, path, &error)) == NULL)
		return error;
	if ((error = grow((void **)&st->roots, &st->root_capacity, st->root_count, sizeof(*st->roots))) != 0) {
		json_decref(root);
		return error;
	}
	st->roots[st->root_count++] = root;
	items = json_object_get(root, "items");
	if (json_is_array(root))
		return read_items(im, st, root);
	if (json_is_array(items))
		return read_items(im, st, items);
	if (!json_is_object(root) || items)
		return kith_import_fail(im, KITH_EINVALID, 1, 1,
					"%s: expected an OpenActive RPDE page ({\"items\": [...]}), an RPDE item or "
					"an OpenActive object with a type",
					items ? "\"items\" is not a list" : "not an object");
	if (json_object_get(root, "data") || (json_object_get(root, "state") && json_object_get(root, "id")))
		return read_item(im, st, root, json_object_get(root, "data"), 1);
	if (kith_oa_string(root, "@type") || kith_oa_string(root, "type"))
		return read_item(im, st, NULL, root, 1);
	return kith_import_fail(im, KITH_EINVALID, 1, 1,
				"expected an OpenActive RPDE page ({\"items\": [...]}), an RPDE item or an OpenActive "
				"object with a type");
}

/*
 * Joining, once every input is read.
 */

static int is_listing(oa_kind kind)
{
	return kind == OA_SERIES || kind == OA_COURSE || kind == OA_EVENT || kind == OA_FACILITY;
}

/* 1 when item a's RPDE "modified" is after b's (numbers, or texts of one form); 0 when not or not known. */
static int modified_after(const json_t *a, const json_t *b)
{
	const json_t *x = json_object_get(a, "modified"), *y = json_object_get(b, "modified");

	if (json_is_integer(x) && json_is_integer(y))
		return json_integer_value(x) > json_integer_value(y);
	if (json_is_string(x) && json_is_string(y) && strlen(json_string_value(x)) == strlen(json_string_value(y)))
		return strcmp(json_string_value(x), json_string_value(y)) > 0;
	return 0;
}

/*
 * Listings by id.  Of two items with one id the update wins (RPDE): the
 * one modified later, else the later in the inputs; the other is
 * superseded, and its value in the set points on to the winner.
 */
static int index_listings(oa_state *st)
{
	size_t i, at;
	int added;

	for (i = st->count; i-- > 0;) {
		const char *id = kith_oa_id(st->entries[i].data);
		if (!is_listing(st->entries[i].kind) || !id)
			continue;
		if ((added = kith_strset_add(&st->listings, id, i, &at)) < 0)
			return added;
		if (added)
			continue;
		while (st->entries[at].replaced_by)
			at = st->entries[at].replaced_by - 1;
		if (modified_after(st->entries[i].item, st->entries[at].item)) {
			st->entries[at].superseded = 1;
			st->entries[at].replaced_by = i + 1;
		} else {
			st->entries[i].superseded = 1;
		}
	}
	return 0;
}

/* The listing with id that is not superseded, into *at; 0 when there is none. */
static int find_listing(const oa_state *st, const char *id, size_t *at)
{
	if (!id || !kith_strset_has(&st->listings, id, at))
		return 0;
	while (st->entries[*at].replaced_by)
		*at = st->entries[*at].replaced_by - 1;
	return 1;
}

static void join(oa_state *st, size_t child, size_t parent)
{
	oa_entry *p = &st->entries[parent];

	st->entries[child].parent = parent + 1;
	if (p->last_child)
		st->entries[p->last_child - 1].next_child = child + 1;
	else
		p->first_child = child + 1;
	p->last_child = child + 1;
}

/* A session to its series (named, or embedded: sessions embedding one series make one group), a slot to its facility.
 */
static int join_one(oa_state *st, size_t i)
{
	oa_entry *e = &st->entries[i];
	const json_t *ref = json_object_get(e->data, e->kind == OA_SLOT ? "facilityUse" : "superEvent");
	const char *id = json_is_string(ref) ? json_string_value(ref) : kith_oa_id(ref);
	size_t at;
	int added;

	if (find_listing(st, id, &at)) {
		join(st, i, at);
		return 0;
	}
	if (!json_is_object(ref))
		return 0; /* named but not in the inputs: left out when written */
	if (id && (added = kith_strset_add(&st->embedded, id, i, &at)) <= 0) {
		if (added < 0)
			return added;
		join(st, i, at);
		return 0;
	}
	e->super = ref;
	return 0;
}

static int join_all(oa_state *st)
{
	size_t i;
	int error = index_listings(st);

	for (i = 0; !error && i < st->count; i++)
		if (st->entries[i].kind == OA_SESSION || st->entries[i].kind == OA_SLOT)
			error = join_one(st, i);
	return error;
}

/*
 * Writing.
 */

/* Appends a listing's own dated parts (subEvent, a facility's slots) to parts. */
static size_t own_parts(const json_t *data, const json_t **parts, size_t n, size_t max)
{
	static const char *const keys[] = {"subEvent", "event"};
	const json_t *ifu = json_object_get(data, "individualFacilityUse");
	size_t k, i;

	for (k = 0; k < 2; k++) {
		const json_t *v = json_object_get(data, keys[k]);
		if (json_is_object(v) && n < max)
			parts[n++] = v;
		for (i = 0; json_is_array(v) && i < json_array_size(v) && n < max; i++)
			if (json_is_object(json_array_get(v, i)))
				parts[n++] = json_array_get(v, i);
	}
	for (i = 0; json_is_array(ifu) && i < json_array_size(ifu); i++)
		n = own_parts(json_array_get(ifu, i), parts, n, max);
	return n;
}

/* Room for a listing's own parts (at most), counting an object as one. */
static size_t room_for_parts(const json_t *data)
{
	const json_t *ifu = json_object_get(data, "individualFacilityUse");
	size_t n = 2 + json_array_size(json_object_get(data, "subEvent")) +
		   json_array_size(json_object_get(data, "event"));
	size_t i;

	for (i = 0; i < json_array_size(ifu); i++)
		n += 2 + json_array_size(json_object_get(json_array_get(ifu, i), "event"));
	return n;
}

static size_t count_parts(const oa_state *st, const oa_entry *e)
{
	size_t n = 1 + room_for_parts(e->super ? e->super : e->data), c;

	for (c = e->first_child; c; c = st->entries[c - 1].next_child)
		n++;
	return n;
}

/* The group's id: the data's id without its scheme ("playwaze.com/SessionSeries/x"), else the RPDE id. */
static const char *source_id(importer *im, const json_t *item, const json_t *data)
{
	const char *id = kith_oa_id(data), *scheme;
	const json_t *rpde = json_object_get(item, "id");
	char text[32];

	if (id && (scheme = strstr(id, "://")) != NULL)
		return scheme + 3;
	if (id)
		return id;
	if (json_is_string(rpde))
		return json_string_value(rpde);
	if (json_is_integer(rpde)) {
		snprintf(text, sizeof(text), "%lld", (long long)json_integer_value(rpde));
		return kith_arena_strdup(&im->arena, text);
	}
	return "openactive";
}

/* Writes the listing at entry i (a listing, or a session holding its embedded series) with what joined it. */
static int write_listing(importer *im, oa_state *st, size_t i, const char *what)
{
	oa_entry *e = &st->entries[i];
	oa_record r;
	kith_group g;
	size_t max = count_parts(st, e), c;
	const json_t **parts = malloc(max * sizeof(*parts));
	int error;

	if (!parts)
		return KITH_ENOMEM;
	memset(&r, 0, sizeof(r));
	r.main = e->super ? e->super : e->data;
	r.kind = e->super ? kith_oa_kind(e->super, NULL) : e->kind;
	if (!is_listing(r.kind))
		r.kind = OA_SERIES;
	r.item = e->item;
	r.parts = parts;
	if (e->super)
		parts[r.part_count++] = e->data;
	r.part_count = own_parts(r.main, parts, r.part_count, max);
	for (c = e->first_child; c && r.part_count < max; c = st->entries[c - 1].next_child)
		parts[r.part_count++] = st->entries[c - 1].data;
	r.source_id = source_id(im, e->item, r.main);
	kith_import_group_init(&g);
	if ((error = kith_oa_map(im, &r, what, &g)) == 0)
		error = kith_import_emit(im, &g, r.source_id, 0, 0);
	free(parts);
	return error;
}

static const char *type_of(const json_t *data)
{
	const char *type = kith_oa_string(data, "@type");

	return type ? type : kith_oa_string(data, "type") ? kith_oa_string(data, "type") : "thing with no type";
}

static int write_entry(importer *im, oa_state *st, size_t i)
{
	oa_entry *e = &st->entries[i];
	const json_t *ref = json_object_get(e->data, e->kind == OA_SLOT ? "facilityUse" : "superEvent");
	const char *what = describe(im, e->item, e->data, e->position);

	im->path = e->path;
	if (e->parent)
		return 0; /* written with its series or facility */
	if (e->superseded) {
		kith_import_skip(im, 0, 0, "%s: another item with its id is its update: this one left out", what);
		return 0;
	}
	if ((is_listing(e->kind) || e->super) && kith_oa_cancelled(e->super ? e->super : e->data)) {
		kith_import_skip(im, 0, 0, "%s is cancelled (eventStatus EventCancelled): left out", what);
		return 0;
	}
	if (is_listing(e->kind) || e->super)
		return write_listing(im, st, i, what);
	if (e->kind == OA_SESSION || e->kind == OA_SLOT)
		kith_import_skip(im, 0, 0, "%s: a %s whose %s %s%s%s: left out", what, type_of(e->data),
				 e->kind == OA_SLOT ? "facility use" : "superEvent", json_is_string(ref) ? "'" : "",
				 json_is_string(ref) ? json_string_value(ref) : "",
				 json_is_string(ref) ? "' is not in the inputs" : "is not given");
	else
		kith_import_skip(im, 0, 0, "%s (type %s) is not a session, course, event or facility: left out", what,
				 type_of(e->data));
	return 0;
}

int kith_import_openactive_end(importer *im, int error)
{
	oa_state *st = im->reader_state;
	size_t i;

	if (!error && st)
		error = join_all(st);
	for (i = 0; !error && st && i < st->count; i++)
		error = write_entry(im, st, i);
	state_free(st);
	im->reader_state = NULL;
	return error;
}
