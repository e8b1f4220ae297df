/*
 * What the layers above see of an index beyond kith/index.h: its SQLite
 * connection, to read the tables (the groups row is store/columns.h's,
 * the packed masks store/pack.h's).
 */
#ifndef KITH_STORE_INDEX_H
#define KITH_STORE_INDEX_H

#include <sqlite3.h>

#include "kith/index.h"
#include "util/diag.h"

/* The connection (borrowed from idx; used on idx's thread only). */
sqlite3 *kith_index_db(kith_index *idx);
/* The error kith_index_errmsg() reports, for the layers above to set. */
kith_error *kith_index_error(kith_index *idx);

#endif
