/*
 * SQLite as the store uses it: errors turned into kith codes with SQLite's
 * own message on a kith_error, and one cache of prepared statements that
 * the loader and the matcher both keep theirs in.
 */
#ifndef KITH_DB_H
#define KITH_DB_H

#include <sqlite3.h>
#include <stddef.h>

#include "util/diag.h"

/* Sets err to "what: the cause in plain words (SQLite's message)" and returns KITH_EIO, or KITH_ENOMEM when memory ran
 * out. */
int kith_db_error(kith_error *err, sqlite3 *db, const char *what);
/* Runs SQL that returns no rows: 0, or KITH_EIO with err set. */
int kith_db_exec(sqlite3 *db, const char *sql, kith_error *err);
/*
 * The first column of sql's one row (text into text, a number into num;
 * "" and 0 when there is no row), bind as ?1 when not NULL: 0, or an error
 * on err -- a read that fails must not pass for an empty answer.
 */
int kith_db_one(sqlite3 *db, const char *sql, const char *bind, char *text, size_t size, double *num, kith_error *err);
/* Rolls back the open transaction, if SQLite has not already; never touches an error's message. */
void kith_db_rollback(sqlite3 *db);
/* Steps a statement that returns no rows and resets it: 0, or KITH_EIO with err set ("writing the index: ..."). */
int kith_db_step_done(sqlite3 *db, sqlite3_stmt *s, kith_error *err);
/* Binds text, or NULL for a NULL string (the text must outlive the step). */
void kith_db_bind_text(sqlite3_stmt *s, int i, const char *text);

/*
 * Statements prepared on first use and kept for the life of the cache: a
 * load writes hundreds of thousands of rows and a match reads hundreds,
 * and preparing costs more than running.  sql[] is borrowed.
 */
typedef struct kith_stmt_cache {
	sqlite3 *db;            /* borrowed */
	const char *const *sql; /* borrowed: the statements, by number */
	size_t count;
	sqlite3_stmt **stmts; /* owned; NULL until first used */
} kith_stmt_cache;

/* 0 or KITH_ENOMEM. */
int kith_stmt_cache_init(kith_stmt_cache *cache, sqlite3 *db, const char *const *sql, size_t count);
/* Finalizes every statement.  A zeroed cache is fine. */
void kith_stmt_cache_release(kith_stmt_cache *cache);
/*
 * Statement which, prepared on first use, reset and with its bindings
 * cleared; NULL with err set when it cannot be prepared.
 */
sqlite3_stmt *kith_stmt_get(kith_stmt_cache *cache, size_t which, kith_error *err);

#endif
