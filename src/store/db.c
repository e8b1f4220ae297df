/*
 * SQLite helpers and the statement cache (see db.h).
 */
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>

int kith_threads_prepare(void)
{
	return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK ? 0 : KITH_ERROR;
}

int kith_db_error(kith_error *err, sqlite3 *db, const char *what)
{
	int code = sqlite3_extended_errcode(db) & 0xff;

	/* SQLite's words, with the cause a maintainer can act on first */
	switch (code) {
	case SQLITE_FULL: return kith_error_set(err, KITH_EIO, "%s: the disk is full (%s)", what, sqlite3_errmsg(db));
	case SQLITE_NOMEM: return kith_error_set(err, KITH_ENOMEM, "%s: out of memory", what);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return kith_error_set(err, KITH_EIO,
				      "%s: another program holds the index (another kith index loading it?): try again "
				      "when it has finished (%s)",
				      what, sqlite3_errmsg(db));
	case SQLITE_READONLY:
		return kith_error_set(err, KITH_EIO,
				      "%s: the index cannot be written here (a read-only file, folder or mount?) (%s)",
				      what, sqlite3_errmsg(db));
	case SQLITE_IOERR:
		return kith_error_set(err, KITH_EIO, "%s: a read or write of the file failed (%s)", what,
				      sqlite3_errmsg(db));
	default: return kith_error_set(err, KITH_EIO, "%s: %s", what, sqlite3_errmsg(db));
	}
}

int kith_db_one(sqlite3 *db, const char *sql, const char *bind, char *text, size_t size, double *num, kith_error *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (text && size)
		text[0] = '\0';
	if (num)
		*num = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return kith_db_error(err, db, "reading the index");
	if (bind)
		sqlite3_bind_text(s, 1, bind, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (text && size && sqlite3_column_text(s, 0))
			snprintf(text, size, "%s", (const char *)sqlite3_column_text(s, 0));
		if (num)
			*num = sqlite3_column_double(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kith_db_error(err, db, "reading the index");
	return 0;
}

void kith_db_rollback(sqlite3 *db)
{
	/* SQLite rolls back by itself on some errors (a full disk): then there is nothing to undo, and the
	   error that caused it stays the message, not "cannot rollback - no transaction is active" */
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

int kith_db_exec(sqlite3 *db, const char *sql, kith_error *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return kith_db_error(err, db, "the index");
	return 0;
}

int kith_db_step_done(sqlite3 *db, sqlite3_stmt *s, kith_error *err)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return kith_db_error(err, db, "writing the index");
	return 0;
}

void kith_db_bind_text(sqlite3_stmt *s, int i, const char *text)
{
	if (text)
		sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

int kith_stmt_cache_init(kith_stmt_cache *cache, sqlite3 *db, const char *const *sql, size_t count)
{
	cache->db = db;
	cache->sql = sql;
	cache->count = count;
	cache->stmts = calloc(count ? count : 1, sizeof(*cache->stmts));
	return cache->stmts ? 0 : KITH_ENOMEM;
}

void kith_stmt_cache_release(kith_stmt_cache *cache)
{
	size_t i;

	for (i = 0; cache->stmts && i < cache->count; i++)
		sqlite3_finalize(cache->stmts[i]);
	free(cache->stmts);
	cache->stmts = NULL;
}

sqlite3_stmt *kith_stmt_get(kith_stmt_cache *cache, size_t which, kith_error *err)
{
	sqlite3_stmt *s = cache->stmts[which];

	if (!s) {
		if (sqlite3_prepare_v3(cache->db, cache->sql[which], -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
		    SQLITE_OK) {
			kith_db_error(err, cache->db, "preparing a statement");
			return NULL;
		}
		cache->stmts[which] = s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}
