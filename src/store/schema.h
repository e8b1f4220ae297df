/*
 * The index's tables (schema.c holds their SQL) and its version, kept in
 * PRAGMA user_version: an index of another version is refused, never
 * migrated, since rebuilding it from its feeds is always possible.
 */
#ifndef KITH_SCHEMA_H
#define KITH_SCHEMA_H

#include <sqlite3.h>

#include "util/diag.h"

/*
 * Checks that db (opened from path) is a kith index of this version, or,
 * with create, makes the tables in an empty database.  0, or with err set:
 * KITH_ENOTFOUND (an empty database, without create), KITH_EVERSION (another
 * version) or KITH_EIO (not a database, or it cannot be written).
 */
int kith_schema_open(sqlite3 *db, const char *path, int create, kith_error *err);

#endif
