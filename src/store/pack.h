/*
 * The packed copies of the index's masks, written by the loader and read
 * by the matcher, both here: blobs of little-endian 8-byte fields.
 *
 * group_pack: every group's concept mask and language mask (16 bytes a
 * gid; zeros for no group), part p holding gids p * KITH_PACK_GIDS to
 * (p + 1) * KITH_PACK_GIDS - 1: what narrowing reads for each venue the
 * R*Tree finds.  online_pack: every online group as gid, mask, langs (24
 * bytes each), rewritten after every load: a match reads all of them, and
 * a few blobs read faster than rows.
 */
#ifndef KITH_PACK_H
#define KITH_PACK_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"

#define KITH_PACK_GIDS 65536 /* gids per part of group_pack */
#define KITH_PACK_ENTRY 16   /* bytes per gid: the concept mask, then the language mask */

/* ---- writing, at the end of a load ---- */

/* A group's masks as group_pack will hold them (zeros: removed), in the order noted. */
typedef struct kith_pack_change {
	sqlite3_int64 gid;
	uint64_t mask, langs;
	size_t order;
} kith_pack_change;

typedef struct kith_pack_changes {
	kith_pack_change *items; /* owned */
	size_t count, alloc;
} kith_pack_changes;

/* Notes gid's new masks.  0 or KITH_ENOMEM. */
int kith_pack_note(kith_pack_changes *changes, sqlite3_int64 gid, uint64_t mask, uint64_t langs);
void kith_pack_changes_release(kith_pack_changes *changes);
/* Applies the changes to the parts of group_pack they fall in (the last noted for a gid wins). */
int kith_pack_write_groups(sqlite3 *db, kith_pack_changes *changes, kith_error *err);
/* Rewrites online_pack from the online_groups table. */
int kith_pack_write_online(sqlite3 *db, kith_error *err);

/* ---- reading, while matching ---- */

typedef struct kith_pack_reader kith_pack_reader;

/* A reader over db (borrowed).  0 or KITH_ENOMEM. */
int kith_pack_reader_new(kith_pack_reader **out, sqlite3 *db);
void kith_pack_reader_free(kith_pack_reader *r);
/*
 * The masks of gid, reading its part of group_pack on first use (a city's
 * groups come from a few feeds, so a match reads a few parts of a national
 * pack).  A gid the pack lacks gets every bit, so it stays a candidate.
 * 0, or KITH_EIO / KITH_ENOMEM with err set.
 */
int kith_pack_masks(kith_pack_reader *r, sqlite3_int64 gid, uint64_t *mask, uint64_t *langs, kith_error *err);
/* Calls fn for every online group, in gid order, until it returns non-zero (that is returned). */
int kith_pack_online(kith_pack_reader *r, int (*fn)(void *ctx, sqlite3_int64 gid, uint64_t mask, uint64_t langs),
		     void *ctx, kith_error *err);

#endif
