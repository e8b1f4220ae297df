/*
 * SQLite helpers and the statement cache (see db.h).
 */
#include "store/db.h"

#include <stdlib.h>

int kith_threads_prepare(void)
{
	return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK ? 0 : KITH_ERROR;
}

int kith_db_error(kith_error *err, sqlite3 *db, const char *what)
{
	return kith_error_set(err, KITH_EIO, "%s: %s", what, sqlite3_errmsg(db));
}

int kith_db_exec(sqlite3 *db, const char *sql, kith_error *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return kith_db_error(err, db, "database");
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
