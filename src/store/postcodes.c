/*
 * The postcodes table: full postcodes and their places, loaded from an ONS
 * Postcode Directory (kith_index_load_postcodes in kith/index.h), and read
 * by the matcher to place a home given only by its postcode.
 */
#include <string.h>

#include "feed/onspd.h"
#include "store/db.h"
#include "store/store_int.h"
#include "util/buf.h"

typedef struct loading {
	sqlite3 *db;
	sqlite3_stmt *insert;
} loading;

static int put(void *ctx, const char *postcode, double lat, double lon)
{
	loading *l = ctx;

	sqlite3_bind_text(l->insert, 1, postcode, -1, SQLITE_TRANSIENT);
	sqlite3_bind_double(l->insert, 2, lat);
	sqlite3_bind_double(l->insert, 3, lon);
	if (sqlite3_step(l->insert) != SQLITE_DONE) {
		sqlite3_reset(l->insert);
		return KITH_EIO;
	}
	sqlite3_reset(l->insert);
	return 0;
}

int kith_index_load_postcodes(kith_index *idx, const char *path, kith_postcode_report *out)
{
	loading l = {idx->db, NULL};
	kith_onspd_counts counts;
	kith_buf err = KITH_BUF_INIT;
	int error, began = 0;

	memset(out, 0, sizeof(*out));
	kith_error_clear(&idx->error);
	/* whole or not at all, as a feed: the table is replaced in one transaction */
	if ((error = kith_db_exec(idx->db, "BEGIN IMMEDIATE", &idx->error)) != 0)
		goto cleanup;
	began = 1;
	if ((error = kith_db_exec(idx->db,
				  "CREATE TABLE IF NOT EXISTS postcodes(pcd TEXT PRIMARY KEY, lat REAL NOT NULL, "
				  "lon REAL NOT NULL) WITHOUT ROWID; DELETE FROM postcodes",
				  &idx->error)) != 0)
		goto cleanup;
	if (sqlite3_prepare_v2(idx->db, "INSERT OR REPLACE INTO postcodes VALUES (?1, ?2, ?3)", -1, &l.insert, NULL) !=
	    SQLITE_OK) {
		error = kith_db_error(&idx->error, idx->db, "loading postcodes");
		goto cleanup;
	}
	error = kith_onspd_read(path, put, &l, &counts, &err);
	if (error == KITH_EIO && !err.size)
		error = kith_db_error(&idx->error, idx->db, "loading postcodes");
	else if (error)
		kith_error_set(&idx->error, error, "%s", err.size ? err.ptr : kith_strerror(error));
	if (!error && (error = kith_db_exec(idx->db, "COMMIT", &idx->error)) == 0) {
		began = 0;
		out->loaded = counts.passed;
		out->terminated = counts.terminated;
		out->unplaced = counts.unplaced;
	}

cleanup:
	sqlite3_finalize(l.insert);
	if (began)
		kith_db_rollback(idx->db);
	kith_buf_release(&err);
	return error;
}
