/*
 * What the rest of the library sees of an index: its SQLite connection,
 * and what load.c, which loads feeds into it, shares with index.c.
 */
#ifndef KITH_INDEX_DB_H
#define KITH_INDEX_DB_H

#include <sqlite3.h>

#include "util/diag.h"
#include "kith/index.h"

/* A venue's vid is its group's gid shifted left this many bits, plus its place in the group. */
#define KITH_VENUE_BITS 20
/* Gids per part of group_pack, and bytes per gid: the concept mask, then the language mask. */
#define KITH_PACK_GIDS 65536
#define KITH_PACK_ENTRY 16

/* The connection (borrowed from idx). */
sqlite3 *kith_index_db(kith_index *idx);

/* The index's error, where the messages of kith_index_errmsg() are set. */
kith_error *kith_index_error_of(kith_index *idx);
/* Sets the index's error to "what: SQLite's message" and returns KITH_EIO. */
int kith_index_db_error(kith_index *idx, const char *what);
/* Runs SQL that returns no rows: 0, or KITH_EIO with the index's error set. */
int kith_index_exec(kith_index *idx, const char *sql);

/* What loading keeps between feeds (load.c): made on the first load, owned by the index. */
typedef struct kith_loader kith_loader;
kith_loader **kith_index_loader(kith_index *idx);
void kith_loader_free(kith_loader *loader);

#endif
