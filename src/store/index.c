/*
 * The index (see kith/index.h): opening it and loading feeds into it.
 * Its tables are schema.c's, loading is the loader's (load.c), statistics
 * are stats.c's.
 */
#include "store/index.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/db.h"
#include "store/load.h"
#include "store/schema.h"
#include "store/store_int.h"

sqlite3 *kith_index_db(kith_index *idx)
{
	return idx->db;
}

kith_error *kith_index_error(kith_index *idx)
{
	return &idx->error;
}

const char *kith_index_errmsg(const kith_index *idx)
{
	return idx ? kith_error_message(&idx->error) : "no index";
}

int kith_index_open(kith_index **out, const char *path, int flags)
{
	kith_index *idx;
	struct stat st;
	int error = 0, create = (flags & KITH_OPEN_CREATE) != 0;
	int oflags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;

	*out = NULL;
	if ((idx = calloc(1, sizeof(*idx))) == NULL)
		return KITH_ENOMEM;
	*out = idx;
	if (!create && stat(path, &st) != 0)
		return kith_error_set(&idx->error, KITH_ENOTFOUND, "%s: no such index (create it with kith index)",
				      path);
	if (sqlite3_open_v2(path, &idx->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		return kith_error_set(&idx->error, KITH_EIO, "%s: cannot open: %s", path,
				      idx->db ? sqlite3_errmsg(idx->db) : "out of memory");
	sqlite3_busy_timeout(idx->db, 5000);
	if ((error = kith_schema_open(idx->db, path, create, &idx->error)) != 0)
		return error;
	if (create) {
		if ((error = kith_db_exec(idx->db, "PRAGMA journal_mode=WAL", &idx->error)) != 0 ||
		    (error = kith_db_exec(idx->db, "PRAGMA synchronous=NORMAL", &idx->error)) != 0)
			return error;
	}
	return 0;
}

void kith_index_free(kith_index *idx)
{
	if (!idx)
		return;
	kith_loader_free(idx->loader);
	sqlite3_close(idx->db);
	kith_error_release(&idx->error);
	free(idx);
}

int kith_index_load(kith_index *idx, const char *path, const kith_load_opts *opts, kith_load_report *report,
		    kith_diag_list *diags)
{
	kith_load_opts defaults = KITH_LOAD_OPTS_INIT;
	kith_load_report local;
	int error;

	if (!opts)
		opts = &defaults;
	if (!report)
		report = &local;
	kith_error_clear(&idx->error);
	/* the rules and the tokenizer, made on the first load: matching needs neither from here */
	if (!idx->loader && (error = kith_loader_new(&idx->loader, idx->db, &idx->error)) != 0) {
		memset(report, 0, sizeof(*report));
		return error;
	}
	return kith_loader_load(idx->loader, path, opts, report, diags, &idx->error);
}

int kith_index_remove_feed(kith_index *idx, const char *feed_id, size_t *removed)
{
	size_t local;
	int error;

	if (!removed)
		removed = &local;
	*removed = 0;
	kith_error_clear(&idx->error);
	if (!idx->loader && (error = kith_loader_new(&idx->loader, idx->db, &idx->error)) != 0)
		return error;
	return kith_loader_remove(idx->loader, feed_id, removed, &idx->error);
}
