/*
 * The packed masks (see pack.h).
 */
#include "store/pack.h"

#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "util/array.h"

#define ONLINE_ENTRY 24       /* bytes per online group: gid, mask, langs */
#define ONLINE_PER_BLOB 16384 /* online groups per blob */
#define MAX_PACK_PARTS 65536  /* 4 billion gids; a part beyond was not written by kith */

static void put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* ---- writing ---------------------------------------------------------- */

int kith_pack_note(kith_pack_changes *changes, sqlite3_int64 gid, uint64_t mask, uint64_t langs)
{
	kith_pack_change *c;

	if (KITH_ARRAY_RESERVE(changes->items, changes->alloc, changes->count + 1, 1024) != 0)
		return KITH_ENOMEM;
	c = &changes->items[changes->count];
	c->gid = gid;
	c->mask = mask;
	c->langs = langs;
	c->order = changes->count++;
	return 0;
}

void kith_pack_changes_release(kith_pack_changes *changes)
{
	free(changes->items);
	memset(changes, 0, sizeof(*changes));
}

int kith_pack_write_online(sqlite3 *db, kith_error *err)
{
	sqlite3_stmt *rows = NULL, *ins = NULL;
	unsigned char *entries = malloc(ONLINE_PER_BLOB * ONLINE_ENTRY);
	size_t n = 0;
	int part = 0, rc, error = 0;

	if (!entries)
		return KITH_ENOMEM;
	if ((error = kith_db_exec(db, "DELETE FROM online_pack", err)) != 0)
		goto cleanup;
	if (sqlite3_prepare_v2(db, "SELECT gid, mask, langs FROM online_groups ORDER BY gid", -1, &rows, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO online_pack(part, entries) VALUES (?1, ?2)", -1, &ins, NULL) !=
		    SQLITE_OK) {
		error = kith_db_error(err, db, "packing online groups");
		goto cleanup;
	}
	for (;;) {
		rc = sqlite3_step(rows);
		if (rc == SQLITE_ROW) {
			unsigned char *e = entries + ONLINE_ENTRY * n++;
			put_le64(e, (uint64_t)sqlite3_column_int64(rows, 0));
			put_le64(e + 8, (uint64_t)sqlite3_column_int64(rows, 1));
			put_le64(e + 16, (uint64_t)sqlite3_column_int64(rows, 2));
		} else if (rc != SQLITE_DONE) {
			error = kith_db_error(err, db, "packing online groups");
			goto cleanup;
		}
		if (n && (n == ONLINE_PER_BLOB || rc == SQLITE_DONE)) {
			sqlite3_bind_int(ins, 1, part++);
			sqlite3_bind_blob(ins, 2, entries, (int)(ONLINE_ENTRY * n), SQLITE_STATIC);
			if ((error = kith_db_step_done(db, ins, err)) != 0)
				goto cleanup;
			n = 0;
		}
		if (rc == SQLITE_DONE)
			break;
	}

cleanup:
	sqlite3_finalize(rows);
	sqlite3_finalize(ins);
	free(entries);
	return error;
}

static int by_gid_then_order(const void *a, const void *b)
{
	const kith_pack_change *x = a, *y = b;

	if (x->gid != y->gid)
		return x->gid < y->gid ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

int kith_pack_write_groups(sqlite3 *db, kith_pack_changes *changes, kith_error *err)
{
	const size_t part_bytes = (size_t)KITH_PACK_GIDS * KITH_PACK_ENTRY;
	sqlite3_stmt *get = NULL, *put = NULL;
	unsigned char *entries = NULL;
	kith_pack_change *c = changes->items;
	size_t i = 0, n = changes->count;
	int error = 0;

	if (!n)
		return 0;
	qsort(c, n, sizeof(*c), by_gid_then_order);
	if (sqlite3_prepare_v2(db, "SELECT entries FROM group_pack WHERE part = ?1", -1, &get, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO group_pack(part, entries) VALUES (?1, ?2)", -1, &put,
			       NULL) != SQLITE_OK) {
		error = kith_db_error(err, db, "packing group masks");
		goto cleanup;
	}
	if ((entries = malloc(part_bytes)) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	while (i < n && !error) {
		sqlite3_int64 part = c[i].gid / KITH_PACK_GIDS;
		size_t used = 0;
		memset(entries, 0, part_bytes);
		sqlite3_bind_int64(get, 1, part);
		if (sqlite3_step(get) == SQLITE_ROW) {
			used = (size_t)sqlite3_column_bytes(get, 0);
			if (used > part_bytes)
				used = part_bytes;
			memcpy(entries, sqlite3_column_blob(get, 0), used);
		}
		sqlite3_reset(get);
		for (; i < n && c[i].gid / KITH_PACK_GIDS == part; i++) {
			size_t at = (size_t)(c[i].gid % KITH_PACK_GIDS) * KITH_PACK_ENTRY;
			put_le64(entries + at, c[i].mask);
			put_le64(entries + at + 8, c[i].langs);
			if (at + KITH_PACK_ENTRY > used)
				used = at + KITH_PACK_ENTRY;
		}
		sqlite3_bind_int64(put, 1, part);
		sqlite3_bind_blob(put, 2, entries, (int)used, SQLITE_STATIC);
		error = kith_db_step_done(db, put, err);
	}

cleanup:
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	free(entries);
	return error;
}

/* ---- reading ---------------------------------------------------------- */

/* One part of group_pack, read on first use. */
typedef struct pack_part {
	unsigned char *entries; /* owned */
	size_t bytes;
	int read;
} pack_part;

enum { READ_PART, READ_ONLINE, READ_COUNT };

static const char *const read_sql[READ_COUNT] = {
	[READ_PART] = "SELECT entries FROM group_pack WHERE part = ?1",
	[READ_ONLINE] = "SELECT entries FROM online_pack ORDER BY part",
};

struct kith_pack_reader {
	sqlite3 *db;           /* borrowed */
	kith_stmt_cache stmts; /* owned */
	pack_part *parts;      /* owned, by part number */
	size_t part_count, part_alloc;
};

int kith_pack_reader_new(kith_pack_reader **out, sqlite3 *db)
{
	kith_pack_reader *r = calloc(1, sizeof(*r));

	*out = NULL;
	if (!r)
		return KITH_ENOMEM;
	r->db = db;
	if (kith_stmt_cache_init(&r->stmts, db, read_sql, READ_COUNT) != 0) {
		free(r);
		return KITH_ENOMEM;
	}
	*out = r;
	return 0;
}

void kith_pack_reader_free(kith_pack_reader *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->part_count; i++)
		free(r->parts[i].entries);
	free(r->parts);
	kith_stmt_cache_release(&r->stmts);
	free(r);
}

/* Reads part p of group_pack into its slot. */
static int read_part(kith_pack_reader *r, pack_part *p, size_t part, kith_error *err)
{
	sqlite3_stmt *s = kith_stmt_get(&r->stmts, READ_PART, err);
	int rc;

	if (!s)
		return KITH_EIO;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)part);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) > 0) {
		p->bytes = (size_t)sqlite3_column_bytes(s, 0);
		if ((p->entries = malloc(p->bytes)) == NULL) {
			sqlite3_reset(s);
			return KITH_ENOMEM;
		}
		memcpy(p->entries, sqlite3_column_blob(s, 0), p->bytes);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kith_db_error(err, r->db, "reading the index");
	p->read = 1;
	return 0;
}

int kith_pack_masks(kith_pack_reader *r, sqlite3_int64 gid, uint64_t *mask, uint64_t *langs, kith_error *err)
{
	size_t part = (size_t)(gid / KITH_PACK_GIDS), at = (size_t)(gid % KITH_PACK_GIDS) * KITH_PACK_ENTRY;
	pack_part *p;
	int error;

	*mask = *langs = ~(uint64_t)0;
	if (gid <= 0 || part >= MAX_PACK_PARTS)
		return 0;
	if (part >= r->part_count) {
		if (KITH_ARRAY_RESERVE(r->parts, r->part_alloc, part + 1, 4) != 0)
			return KITH_ENOMEM;
		memset(r->parts + r->part_count, 0, (part + 1 - r->part_count) * sizeof(*r->parts));
		r->part_count = part + 1;
	}
	p = &r->parts[part];
	if (!p->read && (error = read_part(r, p, part, err)) != 0)
		return error;
	if (at + KITH_PACK_ENTRY <= p->bytes) {
		*mask = get_le64(p->entries + at);
		*langs = get_le64(p->entries + at + 8);
	}
	return 0;
}

int kith_pack_online(kith_pack_reader *r, int (*fn)(void *ctx, sqlite3_int64 gid, uint64_t mask, uint64_t langs),
		     void *ctx, kith_error *err)
{
	sqlite3_stmt *s = kith_stmt_get(&r->stmts, READ_ONLINE, err);
	int rc, error = 0;

	if (!s)
		return KITH_EIO;
	while (!error && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0) / ONLINE_ENTRY, i;
		for (i = 0; i < n && !error; i++, p += ONLINE_ENTRY)
			error = fn(ctx, (sqlite3_int64)get_le64(p), get_le64(p + 8), get_le64(p + 16));
	}
	if (!error && rc != SQLITE_DONE)
		error = kith_db_error(err, r->db, "reading the index");
	sqlite3_reset(s);
	return error;
}
