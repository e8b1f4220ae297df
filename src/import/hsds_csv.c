/*
 * HSDS's tabular form (hsds_int.h): a datapackage, one CSV a table, joined
 * by id.  The CSVs are read with libcsv rather than by hand: RFC 4180's
 * quoting (quotes doubled inside quoted fields, commas and line breaks
 * inside them) is easy to get nearly right, and a reader that is nearly
 * right splits a description with a line break in it into two broken
 * records.  libcsv is fed one line at a time, so every record's line is
 * known for messages, and a quote left open is an error, not a file read
 * as one field.
 *
 * Every table but services.csv is read into memory first and indexed by
 * the id it is joined on; services.csv is then streamed, each row becoming
 * one group.
 */
#include "import/hsds_int.h"

#include <csv.h>
#include <errno.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "util/array.h"
#include "util/parse.h"

#define MAX_FIELD (1u << 20) /* bytes in one field: a description is never a megabyte */
#define MAX_FIELDS 256       /* fields in one record */
#define CHUNK 65536
#define NONE SIZE_MAX

/* ---- reading one CSV --------------------------------------------------- */

/* Called with each record's fields (header included) and the line it starts on; nonzero stops. */
typedef int (*row_fn)(void *ctx, char **fields, size_t count, unsigned line);

typedef struct csv_reader {
	importer *im;
	row_fn on_row;
	void *ctx;
	kith_buf data; /* the record's fields, each NUL-terminated */
	size_t offsets[MAX_FIELDS];
	size_t count;   /* fields of the record so far */
	unsigned line;  /* the line being parsed */
	unsigned start; /* the line the record started on */
	int error;      /* set by a callback: the read stops */
	int too_many;   /* the record has more than MAX_FIELDS fields */
} csv_reader;

static void on_field(void *s, size_t len, void *data)
{
	csv_reader *r = data;

	if (r->error)
		return;
	if (r->count == MAX_FIELDS) {
		r->too_many = 1;
		return;
	}
	r->offsets[r->count++] = r->data.size;
	kith_buf_put(&r->data, s ? s : "", s ? len : 0);
	kith_buf_putc(&r->data, '\0');
	if (kith_buf_error(&r->data))
		r->error = KITH_ENOMEM;
}

static void on_record(int end, void *data)
{
	csv_reader *r = data;
	char *fields[MAX_FIELDS];
	size_t i;

	(void)end;
	if (!r->error && r->too_many)
		r->error = kith_import_fail(r->im, KITH_EINVALID, r->start, 0,
					    "a record of more than %d fields: not a table of HSDS", MAX_FIELDS);
	if (!r->error) {
		for (i = 0; i < r->count; i++)
			fields[i] = r->data.ptr + r->offsets[i];
		r->error = r->on_row(r->ctx, fields, r->count, r->start);
	}
	r->count = 0;
	kith_buf_clear(&r->data);
	r->start = r->line + 1;
}

/* Feeds one block to the parser a line at a time, counting lines. */
static int parse_block(csv_reader *r, struct csv_parser *p, const char *block, size_t n)
{
	while (n && !r->error) {
		const char *nl = memchr(block, '\n', n);
		size_t len = nl ? (size_t)(nl - block) + 1 : n;
		if (csv_parse(p, block, len, on_field, on_record, r) != len)
			return kith_import_fail(r->im, KITH_EINVALID, r->line, 0,
						"a quote is not where CSV allows one (%s): the file is broken",
						csv_strerror(csv_error(p)));
		if (csv_get_buffer_size(p) > MAX_FIELD)
			return kith_import_fail(r->im, KITH_ETOOLARGE, r->start, 0,
						"a field of more than 1 MiB: not a table of HSDS");
		if (nl) {
			r->line++;
			if (r->start == r->line - 1 && r->count == 0 && (len == 1 || (len == 2 && block[0] == '\r')))
				r->start = r->line; /* a blank line between records, which libcsv passes over */
		}
		block += len;
		n -= len;
	}
	return r->error;
}

/* Reads the CSV at path (im->path is set to it for messages), calling on_row for each record. */
static int read_csv(importer *im, const char *path, row_fn on_row, void *ctx)
{
	struct csv_parser p;
	csv_reader r;
	FILE *f = NULL;
	char *block = NULL;
	size_t n, total = 0;
	int error = 0, first = 1;

	memset(&r, 0, sizeof(r));
	r.im = im, r.on_row = on_row, r.ctx = ctx, r.line = r.start = 1;
	kith_buf_init(&r.data, MAX_FIELDS * (size_t)MAX_FIELD);
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return KITH_ENOMEM;
	if ((block = malloc(CHUNK)) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	if ((f = fopen(path, "rb")) == NULL) {
		error = kith_import_fail(im, KITH_EIO, 0, 0, "cannot read it: %s", strerror(errno));
		goto cleanup;
	}
	while ((n = fread(block, 1, CHUNK, f)) > 0) {
		size_t skip = first && n >= 3 && memcmp(block, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0; /* a BOM */
		first = 0;
		if ((total += n) > KITH_IMPORT_MAX_FILE) {
			error = kith_import_fail(im, KITH_ETOOLARGE, 0, 0, "the file is over 256 MiB");
			goto cleanup;
		}
		if ((error = parse_block(&r, &p, block + skip, n - skip)) != 0)
			goto cleanup;
	}
	if (ferror(f)) {
		error = kith_import_fail(im, KITH_EIO, r.line, 0, "cannot be read to its end");
		goto cleanup;
	}
	if (csv_fini(&p, on_field, on_record, &r) != 0)
		error = kith_import_fail(im, KITH_EINVALID, r.start, 0,
					 "the file ends inside a quoted field: it is cut short or a quote is missing");
	else
		error = r.error;
cleanup:
	if (f)
		fclose(f);
	free(block);
	csv_free(&p);
	kith_buf_release(&r.data);
	return error;
}

/* ---- tables held in memory -------------------------------------------- */

/* A joined table: its rows, and an index on one column. */
typedef struct table {
	const char *name;  /* the HSDS resource ("location") */
	char *path;        /* owned; NULL when the package has no such table */
	kith_arena *arena; /* borrowed: where cells live */
	char **columns;    /* header names, lower case */
	size_t column_count;
	const char **cells; /* owned: row-major, NULL for empty cells */
	unsigned *lines;    /* owned: each row's line */
	size_t row_count, cell_alloc, line_alloc;
} table;

/* Rows sharing a key, in file order: key -> bucket; head[bucket] -> next[row] ... */
typedef struct table_index {
	const table *t;
	kith_strset keys;
	size_t *head, *tail, *next; /* owned */
	size_t bucket_count, bucket_alloc;
} table_index;

/* The column named name, or -1. */
static int column_of(const table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->column_count; i++)
		if (strcmp(t->columns[i], name) == 0)
			return (int)i;
	return -1;
}

/* The cell of row in column col (NULL when empty or no such column). */
static const char *cell(const table *t, size_t row, int col)
{
	return col < 0 || row >= t->row_count ? NULL : t->cells[row * t->column_count + (size_t)col];
}

static const char *get(const table *t, size_t row, const char *name)
{
	return cell(t, row, column_of(t, name));
}

/* A copy of s without white space at its ends, in the arena; NULL when empty. */
static const char *trimmed(kith_arena *a, const char *s, int *error)
{
	size_t n = strlen(s);

	kith_trim(&s, &n);
	if (!n)
		return NULL;
	if ((s = kith_arena_strndup(a, s, n)) == NULL)
		*error = KITH_ENOMEM;
	return s;
}

/* The header: column names trimmed and in lower case. */
static int read_header(table *t, char **fields, size_t count)
{
	size_t i;
	int error = 0;

	if ((t->columns = kith_arena_alloc(t->arena, (count ? count : 1) * sizeof(*t->columns))) == NULL)
		return KITH_ENOMEM;
	for (i = 0; i < count; i++) {
		const char *name = trimmed(t->arena, fields[i], &error);
		if (error)
			return error;
		if ((t->columns[i] = kith_arena_strdup(t->arena, name ? name : "")) == NULL)
			return KITH_ENOMEM;
		kith_lower(t->columns[i]);
	}
	t->column_count = count;
	return 0;
}

static int store_row(void *ctx, char **fields, size_t count, unsigned line)
{
	table *t = ctx;
	size_t i, base;
	int error = 0;

	if (!t->columns)
		return read_header(t, fields, count);
	if (!t->column_count)
		return 0;
	if (KITH_ARRAY_RESERVE(t->cells, t->cell_alloc, (t->row_count + 1) * t->column_count, 1024) != 0 ||
	    KITH_ARRAY_RESERVE(t->lines, t->line_alloc, t->row_count + 1, 64) != 0)
		return KITH_ENOMEM;
	base = t->row_count * t->column_count;
	for (i = 0; i < t->column_count; i++)
		t->cells[base + i] = i < count ? trimmed(t->arena, fields[i], &error) : NULL;
	t->lines[t->row_count++] = line;
	return error;
}

static void table_release(table *t)
{
	free(t->path);
	free(t->cells);
	free(t->lines);
}

/* Indexes t's rows by column name (rows with it empty are left out). */
static int index_build(table_index *x, const table *t, const char *name)
{
	int col = column_of(t, name);
	size_t row;

	x->t = t;
	if (col < 0 || !t->row_count)
		return 0;
	if ((x->next = malloc(t->row_count * sizeof(*x->next))) == NULL)
		return KITH_ENOMEM;
	for (row = 0; row < t->row_count; row++) {
		const char *key = cell(t, row, col);
		size_t bucket;
		int added;
		x->next[row] = NONE;
		if (!key)
			continue;
		if ((added = kith_strset_add(&x->keys, key, x->bucket_count, &bucket)) < 0)
			return KITH_ENOMEM;
		if (added) {
			if (KITH_ARRAY_RESERVE(x->head, x->bucket_alloc, x->bucket_count + 1, 256) != 0 ||
			    (x->tail = realloc(x->tail, x->bucket_alloc * sizeof(*x->tail))) == NULL)
				return KITH_ENOMEM;
			bucket = x->bucket_count++;
			x->head[bucket] = row;
		} else {
			x->next[x->tail[bucket]] = row;
		}
		x->tail[bucket] = row;
	}
	return 0;
}

/* The first row whose key is key, or NONE. */
static size_t index_first(const table_index *x, const char *key)
{
	size_t bucket;

	if (!key || !x->head || !kith_strset_has(&x->keys, key, &bucket))
		return NONE;
	return x->head[bucket];
}

static size_t index_next(const table_index *x, size_t row)
{
	return x->next[row];
}

static void index_release(table_index *x)
{
	kith_strset_release(&x->keys);
	free(x->head);
	free(x->tail);
	free(x->next);
}

/* ---- the package ------------------------------------------------------- */

enum {
	T_SERVICE,
	T_ORGANIZATION,
	T_SERVICE_AT_LOCATION,
	T_LOCATION,
	T_PHYSICAL_ADDRESS,
	T_ACCESSIBILITY,
	T_REGULAR_SCHEDULE,
	T_PHONE,
	T_LANGUAGE,
	T_ELIGIBILITY,
	T_SERVICE_AREA,
	T_SERVICE_TAXONOMY,
	T_TAXONOMY,
	T_ATTRIBUTE,     /* HSDS 3.0: taxonomy terms linked to a service */
	T_TAXONOMY_TERM, /* HSDS 3.0 */
	T_COST_OPTION,   /* HSDS 3.0 */
	T_COUNT
};

/*
 * Each table's resource names in a datapackage (HSDS 1.x and 2.0's, then
 * 3.0's where it differs), and its files when the package does not say.
 */
static const struct {
	const char *resources[2];
	const char *files[2];
} table_names[T_COUNT] = {
	{{"service", NULL}, {"services.csv", NULL}},
	{{"organization", NULL}, {"organizations.csv", NULL}},
	{{"service_at_location", NULL}, {"services_at_location.csv", "service_at_locations.csv"}},
	{{"location", NULL}, {"locations.csv", NULL}},
	{{"physical_address", "address"}, {"physical_addresses.csv", "addresses.csv"}},
	{{"accessibility_for_disabilities", "accessibility"},
	 {"accessibility_for_disabilities.csv", "accessibility.csv"}},
	{{"regular_schedule", "schedule"}, {"regular_schedules.csv", "schedules.csv"}},
	{{"phone", NULL}, {"phones.csv", NULL}},
	{{"language", NULL}, {"languages.csv", NULL}},
	{{"eligibility", NULL}, {"eligibility.csv", NULL}},
	{{"service_area", NULL}, {"service_areas.csv", NULL}},
	{{"service_taxonomy", NULL}, {"services_taxonomy.csv", "service_taxonomy.csv"}},
	{{"taxonomy", NULL}, {"taxonomy.csv", NULL}},
	{{"attribute", NULL}, {"attributes.csv", NULL}},
	{{"taxonomy_term", NULL}, {"taxonomy_terms.csv", NULL}},
	{{"cost_option", NULL}, {"cost_options.csv", NULL}},
};

/* The joins: which table is indexed on which column. */
enum {
	X_ORGANIZATION,
	X_SAL_BY_SERVICE,
	X_LOCATION,
	X_ADDRESS_BY_LOCATION,
	X_ACCESS_BY_LOCATION,
	X_SCHEDULE_BY_SERVICE,
	X_SCHEDULE_BY_SAL,
	X_PHONE_BY_SERVICE,
	X_PHONE_BY_LOCATION,
	X_PHONE_BY_ORGANIZATION,
	X_LANGUAGE_BY_SERVICE,
	X_LANGUAGE_BY_LOCATION,
	X_ELIGIBILITY_BY_SERVICE,
	X_AREA_BY_SERVICE,
	X_TAXONOMY_BY_SERVICE,
	X_TAXONOMY,
	X_ATTRIBUTE_BY_LINK,
	X_TAXONOMY_TERM,
	X_COST_BY_SERVICE,
	X_COUNT
};

static const struct {
	int table;
	const char *column;
} index_specs[X_COUNT] = {
	{T_ORGANIZATION, "id"},
	{T_SERVICE_AT_LOCATION, "service_id"},
	{T_LOCATION, "id"},
	{T_PHYSICAL_ADDRESS, "location_id"},
	{T_ACCESSIBILITY, "location_id"},
	{T_REGULAR_SCHEDULE, "service_id"},
	{T_REGULAR_SCHEDULE, "service_at_location_id"},
	{T_PHONE, "service_id"},
	{T_PHONE, "location_id"},
	{T_PHONE, "organization_id"},
	{T_LANGUAGE, "service_id"},
	{T_LANGUAGE, "location_id"},
	{T_ELIGIBILITY, "service_id"},
	{T_SERVICE_AREA, "service_id"},
	{T_SERVICE_TAXONOMY, "service_id"},
	{T_TAXONOMY, "id"},
	{T_ATTRIBUTE, "link_id"},
	{T_TAXONOMY_TERM, "id"},
	{T_COST_OPTION, "service_id"},
};

typedef struct package {
	importer *im;
	const char *folder;
	kith_arena arena; /* owned: every table's cells */
	table tables[T_COUNT];
	table_index indexes[X_COUNT];
	table services; /* services.csv's header (its rows are streamed, not kept) */
} package;

/* 1 when path names a regular file. */
static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* folder/relative in a new string (free() it), or NULL. */
static char *join_path(const char *folder, const char *relative)
{
	kith_buf b = KITH_BUF_INIT;

	kith_buf_init(&b, 8192);
	kith_buf_printf(&b, "%s/%s", folder, relative);
	if (kith_buf_error(&b)) {
		kith_buf_release(&b);
		return NULL;
	}
	return kith_buf_detach(&b);
}

/* 1 when a resource's path stays inside the package's folder (no "..", not absolute, not a URL). */
static int safe_relative(const char *path)
{
	const char *p;

	if (!*path || path[0] == '/' || strstr(path, "://"))
		return 0;
	for (p = path; (p = strstr(p, "..")) != NULL; p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return 0;
	return 1;
}

/* The datapackage's path for the resource named name, when it is a file inside the folder; NULL. */
static int resource_path(package *pk, const json_t *resources, const char *name, char **out)
{
	const json_t *res;
	size_t i;

	*out = NULL;
	json_array_foreach(resources, i, res)
	{
		const json_t *n = json_object_get(res, "name"), *p = json_object_get(res, "path");
		if (!json_is_string(n) || !json_is_string(p) || strcmp(json_string_value(n), name) != 0 ||
		    !safe_relative(json_string_value(p)))
			continue;
		if ((*out = join_path(pk->folder, json_string_value(p))) == NULL)
			return KITH_ENOMEM;
		if (is_file(*out))
			return 0;
		free(*out);
		*out = NULL;
	}
	return 0;
}

/* folder/prefix/file when it is a file, into *out (else NULL). */
static int usual_path(package *pk, const char *prefix, const char *file, char **out)
{
	char rel[128];

	snprintf(rel, sizeof(rel), "%s%s", prefix, file);
	if ((*out = join_path(pk->folder, rel)) == NULL)
		return KITH_ENOMEM;
	if (!is_file(*out)) {
		free(*out);
		*out = NULL;
	}
	return 0;
}

/* Where table k is: the datapackage's resource path, else a usual name in the folder or in data/. */
static int locate(package *pk, int k, const json_t *resources)
{
	char *path = NULL;
	int i, error = 0;

	for (i = 0; i < 2 && !path && !error && table_names[k].resources[i]; i++)
		error = resource_path(pk, resources, table_names[k].resources[i], &path);
	for (i = 0; i < 2 && !path && !error && table_names[k].files[i]; i++) {
		if ((error = usual_path(pk, "", table_names[k].files[i], &path)) == 0 && !path)
			error = usual_path(pk, "data/", table_names[k].files[i], &path);
	}
	pk->tables[k].path = path;
	return error;
}

/* Reads datapackage.json's resources (when there is one) and finds each table. */
static int find_tables(package *pk)
{
	importer *im = pk->im;
	char *descriptor = join_path(pk->folder, "datapackage.json");
	const char *saved = im->path;
	json_t *root = NULL;
	const json_t *resources = NULL;
	int error = 0, k;

	if (!descriptor)
		return KITH_ENOMEM;
	if (is_file(descriptor)) {
		im->path = descriptor;
		if ((root = kith_import_json(im, descriptor, &error)) == NULL)
			goto cleanup;
		resources = json_object_get(root, "resources");
		if (!json_is_array(resources)) {
			error = kith_import_fail(im, KITH_EINVALID, 1, 1,
						 "a datapackage descriptor without a 'resources' list");
			goto cleanup;
		}
	}
	im->path = saved;
	for (k = 0; k < T_COUNT; k++)
		if ((error = locate(pk, k, resources)) != 0)
			goto cleanup;
	if (!pk->tables[T_SERVICE].path)
		error = kith_import_fail(im, KITH_EINVALID, 0, 0,
					 "expected an HSDS datapackage: a folder with datapackage.json or "
					 "services.csv (or data/services.csv), or an HSDS JSON file");
cleanup:
	im->path = saved;
	json_decref(root);
	free(descriptor);
	return error;
}

/* Reads every table but services into memory, and indexes them. */
static int load_tables(package *pk)
{
	importer *im = pk->im;
	const char *saved = im->path;
	int error = 0, k;

	for (k = T_SERVICE + 1; k < T_COUNT && !error; k++) {
		table *t = &pk->tables[k];
		t->name = table_names[k].resources[0];
		t->arena = &pk->arena;
		if (!t->path)
			continue;
		im->path = t->path;
		error = read_csv(im, t->path, store_row, t);
	}
	im->path = saved;
	for (k = 0; k < X_COUNT && !error; k++)
		error = index_build(&pk->indexes[k], &pk->tables[index_specs[k].table], index_specs[k].column);
	return error;
}

/* ---- one service ------------------------------------------------------- */

/* What one service row gives, by name. */
typedef struct service_row {
	char **fields;
	size_t count;
	unsigned line;
} service_row;

static const char *field(const package *pk, const service_row *s, const char *name)
{
	int col = column_of(&pk->services, name);
	const char *v;

	if (col < 0 || (size_t)col >= s->count)
		return NULL;
	v = s->fields[col];
	v += strspn(v, " \t\r\n");
	return *v ? v : NULL;
}

/* Loops row over the rows of index x whose key is key, in file order (none when key is NULL). */
#define EACH_ROW(pk, x, key, row) \
	for (size_t row = index_first(&(pk)->indexes[x], key); row != NONE; row = index_next(&(pk)->indexes[x], row))

/* The location's street address: its first, or HSDS 3.0's physical one where a postal one comes first. */
static size_t street_address(package *pk, const char *location_id)
{
	const table *addr = &pk->tables[T_PHYSICAL_ADDRESS];
	size_t first = index_first(&pk->indexes[X_ADDRESS_BY_LOCATION], location_id);

	EACH_ROW(pk, X_ADDRESS_BY_LOCATION, location_id, r)
	{
		const char *type = get(addr, r, "address_type");
		if (!type || strcasecmp(type, "postal") != 0)
			return r;
	}
	return first;
}

/* A location: its venue (address and point) and its access facts. */
static int map_location(package *pk, kith_group *g, const char *location_id, const char *skip_name)
{
	importer *im = pk->im;
	const table *loc = &pk->tables[T_LOCATION], *addr = &pk->tables[T_PHYSICAL_ADDRESS];
	const table *acc = &pk->tables[T_ACCESSIBILITY];
	size_t row = index_first(&pk->indexes[X_LOCATION], location_id);
	size_t a = street_address(pk, location_id);
	const char *lines[7] = {NULL}, *name = row != NONE ? get(loc, row, "name") : NULL;
	const char *type = row != NONE ? get(loc, row, "location_type") : NULL;
	int error = 0;

	if (type && strcasecmp(type, "virtual") == 0) {
		g->online = 1; /* HSDS 3.0: a service reached online or by phone */
		return 0;
	}
	if (row == NONE && a == NONE)
		return 0;
	if (a != NONE) {
		lines[1] = get(addr, a, "address_1");
		lines[2] = get(addr, a, "address_2");
		lines[3] = get(addr, a, "address_3");
		lines[4] = get(addr, a, "address_4");
		lines[5] = get(addr, a, "city");
		lines[6] = get(addr, a, "state_province");
	}
	/* the place's name when it says more than the service's, the organisation's or the street's */
	if (name && (!skip_name || strcasecmp(name, skip_name) != 0) &&
	    (!g->organisation || strcasecmp(name, g->organisation) != 0) &&
	    (!lines[1] || strcasecmp(name, lines[1]) != 0))
		lines[0] = name;
	im->path = loc->path;
	if ((error = kith_hsds_place(im, g, lines, 7, a != NONE ? get(addr, a, "postal_code") : NULL,
				     row != NONE ? get(loc, row, "latitude") : NULL,
				     row != NONE ? get(loc, row, "longitude") : NULL,
				     row != NONE ? loc->lines[row] : 0)) != 0)
		return error;
	EACH_ROW(pk, X_ACCESS_BY_LOCATION, location_id, r)
	{
		const char *what = get(acc, r, "accessibility"); /* 3.0 calls it description */
		if ((error = kith_hsds_access(im, g, what ? what : get(acc, r, "description"),
					      get(acc, r, "details"))) != 0)
			return error;
	}
	return 0;
}

/* The service's schedules: its own and its locations'; hours text kept when no time could be read. */
static int map_schedules(package *pk, kith_group *g, const char *service_id, const char *const *sal_ids,
			 size_t sal_count, kith_buf *hours)
{
	importer *im = pk->im;
	const table *t = &pk->tables[T_REGULAR_SCHEDULE];
	size_t i;
	int added, overflow = 0;

	im->path = t->path;
	for (i = 0; i <= sal_count; i++) {
		int x = i == 0 ? X_SCHEDULE_BY_SERVICE : X_SCHEDULE_BY_SAL;
		EACH_ROW(pk, x, i == 0 ? service_id : sal_ids[i - 1], r)
		{
			kith_hsds_opening o = {
				.days = get(t, r, "weekday"),
				.opens = get(t, r, "opens_at"),
				.closes = get(t, r, "closes_at"),
				.freq = get(t, r, "freq"),
				.interval = get(t, r, "interval"),
				.valid_from = get(t, r, "valid_from"),
				.valid_to = get(t, r, "valid_to"),
				.line = t->lines[r],
				.what = "schedule",
				.overflow = &overflow,
			};
			const char *text = get(t, r, "original_text");
			if (!o.days)
				o.days = get(t, r, "byday");
			if (!text)
				text = get(t, r, "description");
			if ((added = kith_hsds_schedule(im, g, &o)) < 0)
				return added;
			if (!added && text && !strstr(hours->ptr ? hours->ptr : "", text))
				kith_buf_printf(hours, "%s%s", hours->size ? "; " : "", text);
		}
	}
	if (overflow)
		kith_import_warn(im, 0, 0, "service '%s' has more than %d sessions: the rest left out", service_id,
				 KITH_HSDS_MAX_SESSIONS);
	return 0;
}

/* Languages: the service's, else its locations'. */
static int map_languages(package *pk, kith_group *g, const char *service_id, const char *const *location_ids,
			 size_t location_count)
{
	const table *t = &pk->tables[T_LANGUAGE];
	size_t i;
	int error;

	EACH_ROW(pk, X_LANGUAGE_BY_SERVICE, service_id, r)
	{
		if ((error = kith_hsds_language(pk->im, g, get(t, r, "language"))) != 0)
			return error;
	}
	for (i = 0; i < location_count && !g->languages.count; i++)
		EACH_ROW(pk, X_LANGUAGE_BY_LOCATION, location_ids[i], r)
		{
			if ((error = kith_hsds_language(pk->im, g, get(t, r, "language"))) != 0)
				return error;
		}
	return 0;
}

/* The phone: the service's, else its locations', else its organisation's. */
static int map_phone(package *pk, kith_group *g, const char *service_id, const char *const *location_ids,
		     size_t location_count, const char *organization_id)
{
	const table *t = &pk->tables[T_PHONE];
	size_t i;
	int error;

	EACH_ROW(pk, X_PHONE_BY_SERVICE, service_id, r)
	{
		if ((error = kith_hsds_phone(pk->im, g, get(t, r, "number"), get(t, r, "extension"))) != 0)
			return error;
	}
	for (i = 0; i < location_count && !g->phone; i++)
		EACH_ROW(pk, X_PHONE_BY_LOCATION, location_ids[i], r)
		{
			if ((error = kith_hsds_phone(pk->im, g, get(t, r, "number"), get(t, r, "extension"))) != 0)
				return error;
		}
	EACH_ROW(pk, X_PHONE_BY_ORGANIZATION, g->phone ? NULL : organization_id, r)
	{
		if ((error = kith_hsds_phone(pk->im, g, get(t, r, "number"), get(t, r, "extension"))) != 0)
			return error;
	}
	return 0;
}

/* HSDS 3.0's links: taxonomy terms through attributes, and cost options. */
static int map_hsds3_links(package *pk, kith_group *g, const char *service_id)
{
	const table *attr = &pk->tables[T_ATTRIBUTE], *term = &pk->tables[T_TAXONOMY_TERM];
	const table *cost = &pk->tables[T_COST_OPTION];
	int error;

	EACH_ROW(pk, X_ATTRIBUTE_BY_LINK, service_id, r)
	{
		const char *entity = get(attr, r, "link_entity");
		size_t t = index_first(&pk->indexes[X_TAXONOMY_TERM], get(attr, r, "taxonomy_term_id"));
		if ((entity && strcasecmp(entity, "service") != 0) || t == NONE)
			continue; /* an id shared with a location or an organisation, or a term not listed */
		if ((error = kith_hsds_taxonomy(pk->im, g, get(term, t, "code"), get(term, t, "name"))) != 0)
			return error;
	}
	EACH_ROW(pk, X_COST_BY_SERVICE, service_id, r)
	{
		if ((error = kith_hsds_cost_option(pk->im, g, get(cost, r, "amount"), get(cost, r, "currency"),
						   get(cost, r, "option"))) != 0)
			return error;
	}
	return 0;
}

/* Eligibility, areas served and taxonomy terms: the tables joined by the service's id alone. */
static int map_by_service(package *pk, kith_group *g, const char *service_id)
{
	importer *im = pk->im;
	const table *elig = &pk->tables[T_ELIGIBILITY], *area = &pk->tables[T_SERVICE_AREA];
	const table *st = &pk->tables[T_SERVICE_TAXONOMY], *tax = &pk->tables[T_TAXONOMY];
	int error;

	EACH_ROW(pk, X_ELIGIBILITY_BY_SERVICE, service_id, r)
	{
		if ((error = kith_hsds_eligibility(im, g, get(elig, r, "eligibility"))) != 0)
			return error;
	}
	EACH_ROW(pk, X_AREA_BY_SERVICE, service_id, r)
	{
		const char *name = get(area, r, "service_area");
		if ((error = kith_import_append_text(im, g, "Area served",
						     name ? name : get(area, r, "description"))) != 0)
			return error;
	}
	EACH_ROW(pk, X_TAXONOMY_BY_SERVICE, service_id, r)
	{
		const char *code = get(st, r, "taxonomy_id");
		size_t t = index_first(&pk->indexes[X_TAXONOMY], code);
		if ((error = kith_hsds_taxonomy(im, g, code, t != NONE ? get(tax, t, "name") : NULL)) != 0)
			return error;
	}
	return map_hsds3_links(pk, g, service_id);
}

/* The service row's own columns. */
static int map_fields(package *pk, kith_group *g, const service_row *s)
{
	importer *im = pk->im;
	const char *org_id = field(pk, s, "organization_id");
	size_t org = index_first(&pk->indexes[X_ORGANIZATION], org_id);
	const table *orgs = &pk->tables[T_ORGANIZATION];
	int error = 0;

	g->name = kith_hsds_line(im, field(pk, s, "name"));
	g->description = kith_hsds_text(im, field(pk, s, "description"));
	if (org != NONE) {
		g->organisation = kith_hsds_line(im, get(orgs, org, "name"));
		g->web = get(orgs, org, "url");
		g->email = get(orgs, org, "email");
	}
	if (field(pk, s, "url"))
		g->web = field(pk, s, "url");
	if (field(pk, s, "email"))
		g->email = field(pk, s, "email");
	kith_hsds_updated(im, g, field(pk, s, "assured_date"));
	kith_hsds_updated(im, g, field(pk, s, "last_modified"));
	kith_hsds_ages(g, field(pk, s, "minimum_age"), field(pk, s, "maximum_age"));
	if ((error = kith_hsds_also_known(im, g, field(pk, s, "alternate_name"))) != 0 ||
	    (error = kith_hsds_eligibility(im, g, field(pk, s, "eligibility_description"))) != 0 ||
	    (error = kith_hsds_fees(
		     im, g, field(pk, s, "fees") ? field(pk, s, "fees") : field(pk, s, "fees_description"))) != 0 ||
	    (error = kith_import_append_text(im, g, "How to apply",
					     kith_hsds_text(im, field(pk, s, "application_process")))) != 0 ||
	    (error = kith_import_append_text(im, g, "Interpretation",
					     kith_hsds_text(im, field(pk, s, "interpretation_services")))) != 0 ||
	    (error = kith_import_append_text(im, g, "Wait", kith_hsds_text(im, field(pk, s, "wait_time")))) != 0)
		return error;
	return 0;
}

/* The service's places, through services_at_location; their ids into sal_ids and location_ids. */
static int map_places(package *pk, kith_group *g, const char *service_id, const char **sal_ids,
		      const char **location_ids, size_t *count, size_t max)
{
	const table *sal = &pk->tables[T_SERVICE_AT_LOCATION];
	int error = 0;

	*count = 0;
	EACH_ROW(pk, X_SAL_BY_SERVICE, service_id, r)
	{
		const char *loc = get(sal, r, "location_id");
		if (!loc || *count == max || error)
			continue;
		sal_ids[*count] = get(sal, r, "id");
		location_ids[(*count)++] = loc;
		error = map_location(pk, g, loc, g->name);
	}
	return error;
}

/* Hours that were text: read into sessions when sure, else kept in the description. */
static int map_hours_text(importer *im, kith_group *g, const char *text)
{
	if (!text || !*text || g->session_count)
		return 0;
	if (kith_import_hours(im, g, text) > 0)
		return 0;
	im->report->hours_text++;
	return kith_import_append_text(im, g, "Hours", text);
}

static int map_service(package *pk, kith_group *g, const service_row *s, const char *id)
{
	importer *im = pk->im;
	const char *sal_ids[KITH_HSDS_MAX_PLACES], *location_ids[KITH_HSDS_MAX_PLACES], *services_path = im->path;
	size_t places;
	kith_buf hours = KITH_BUF_INIT;
	int error = 0;

	kith_buf_init(&hours, KITH_IMPORT_MAX_TEXT);
	if ((error = map_fields(pk, g, s)) != 0 ||
	    (error = map_places(pk, g, id, sal_ids, location_ids, &places, KITH_HSDS_MAX_PLACES)) != 0 ||
	    (error = map_schedules(pk, g, id, sal_ids, places, &hours)) != 0)
		goto cleanup;
	im->path = services_path;
	if (!hours.size && field(pk, s, "schedule"))
		kith_buf_puts(&hours, field(pk, s, "schedule"));
	if ((error = map_hours_text(im, g, hours.ptr)) != 0)
		goto cleanup;
	if ((error = map_languages(pk, g, id, location_ids, places)) != 0 ||
	    (error = map_phone(pk, g, id, location_ids, places, field(pk, s, "organization_id"))) != 0)
		goto cleanup;
	error = map_by_service(pk, g, id);
cleanup:
	im->path = services_path;
	kith_buf_release(&hours);
	return error;
}

static int on_service(void *ctx, char **fields, size_t count, unsigned line)
{
	package *pk = ctx;
	importer *im = pk->im;
	service_row s = {fields, count, line};
	kith_group g;
	const char *id;
	int error;

	if (!pk->services.columns) {
		pk->services.arena = &pk->arena;
		if ((error = read_header(&pk->services, fields, count)) != 0)
			return error;
		if (column_of(&pk->services, "id") < 0 || column_of(&pk->services, "name") < 0)
			return kith_import_fail(im, KITH_EINVALID, line, 1,
						"expected HSDS services.csv with 'id' and 'name' columns");
		return 0;
	}
	im->report->records++;
	if ((id = field(pk, &s, "id")) == NULL) {
		kith_import_skip(im, line, 1, "a service with no id: left out");
		return 0;
	}
	kith_import_group_init(&g);
	if (kith_hsds_ended(&g, field(pk, &s, "status"))) {
		kith_import_skip(im, line, 1, "service '%s' is %s: left out", id, field(pk, &s, "status"));
		return 0;
	}
	if (!field(pk, &s, "name")) {
		kith_import_skip(im, line, 1, "service '%s' has no name: left out", id);
		return 0;
	}
	if ((error = map_service(pk, &g, &s, id)) != 0)
		return error;
	return kith_import_emit(im, &g, id, line, 1);
}

/* One warning for rows that cannot be joined: 211 Miami's eligibility names no service. */
static void warn_unjoined(package *pk, int k, const char *column)
{
	const table *t = &pk->tables[k];
	int col = column_of(t, column);
	size_t row, unjoined = 0;

	if (!t->path || !t->row_count)
		return;
	for (row = 0; row < t->row_count; row++)
		unjoined += cell(t, row, col) == NULL;
	if (unjoined) {
		const char *saved = pk->im->path;
		pk->im->path = t->path;
		kith_import_warn(pk->im, 0, 0, "%zu of %zu rows name no %s: they cannot be joined and are left out",
				 unjoined, t->row_count, column);
		pk->im->path = saved;
	}
}

int kith_hsds_read_folder(importer *im, const char *path)
{
	package pk;
	const char *saved = im->path;
	int error = 0, k;

	memset(&pk, 0, sizeof(pk));
	pk.im = im;
	pk.folder = path;
	if ((error = find_tables(&pk)) != 0 || (error = load_tables(&pk)) != 0)
		goto cleanup;
	warn_unjoined(&pk, T_ELIGIBILITY, "service_id");
	im->path = pk.tables[T_SERVICE].path;
	error = read_csv(im, pk.tables[T_SERVICE].path, on_service, &pk);
	if (!error && !pk.services.columns)
		error = kith_import_fail(im, KITH_EINVALID, 1, 1, "services.csv is empty: expected a header");
cleanup:
	im->path = saved;
	for (k = 0; k < X_COUNT; k++)
		index_release(&pk.indexes[k]);
	for (k = 0; k < T_COUNT; k++)
		table_release(&pk.tables[k]);
	kith_arena_release(&pk.arena);
	return error;
}
