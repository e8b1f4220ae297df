/*
 * What the rest of the library sees of an index: its SQLite connection.
 */
#ifndef KITH_INDEX_DB_H
#define KITH_INDEX_DB_H

#include <sqlite3.h>

#include "diag.h"
#include "kith/index.h"

/* The connection (borrowed from idx). */
sqlite3 *kith_index_db(kith_index *idx);

/*
 * Text words for a tag id, as they go into the full-text index:
 * "walking-football" -> "walking football".
 */
void kith_tag_words(char *out, size_t size, const char *tag);

#endif
