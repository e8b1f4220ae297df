/*
 * The index (see kith/index.h): opening it and loading feeds into it.
 * Its tables are schema.c's, loading is the loader's (load.c), statistics
 * are stats.c's.
 */
#include "store/index.h"

#include <stdio.h>
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

/* 1 when the database file's header says write-ahead logging (bytes 18 and 19 are 2). */
static int file_in_wal_mode(const char *path)
{
	unsigned char header[20];
	FILE *f = fopen(path, "rb");
	int wal = f && fread(header, 1, sizeof(header), f) == sizeof(header) && header[18] == 2 && header[19] == 2;

	if (f)
		fclose(f);
	return wal;
}

/* 1 when path's "-wal" companion holds changes not yet in the file itself. */
static int wal_holds_changes(const char *path)
{
	char wal[4096];
	struct stat st;

	snprintf(wal, sizeof(wal), "%s-wal", path);
	return stat(wal, &st) == 0 && st.st_size > 0;
}

/* path as a "file:" URI for an immutable read-only open (SQLite's URI rules: '%', '?' and '#' escaped). */
static void immutable_uri(char *out, size_t size, const char *path)
{
	size_t n = 0;

	n += (size_t)snprintf(out, size, "file:");
	for (; *path && n + 4 < size; path++) {
		if (*path == '%' || *path == '?' || *path == '#')
			n += (size_t)snprintf(out + n, size - n, "%%%02X", (unsigned char)*path);
		else
			out[n++] = *path;
	}
	snprintf(out + (n < size ? n : size - 1), size - (n < size ? n : size - 1), "?immutable=1");
}

/*
 * A read-only open of an index left in write-ahead-log mode, where nothing
 * may be written beside it (a read-only folder or mount): SQLite cannot
 * make its "-shm" file, so the file is opened as immutable -- which is what
 * it is there -- unless a "-wal" file holds changes, which only a writable
 * folder can read.  0, or an error naming that cause.
 */
static int open_read_only_wal(kith_index *idx, const char *path)
{
	char uri[8192];

	if (wal_holds_changes(path))
		return kith_error_set(
			&idx->error, KITH_EIO,
			"%s: cannot read it here: its latest changes are in %s-wal, which needs a folder "
			"kith can write to (copy the index after kith index has finished, or query it where "
			"it was written)",
			path, path);
	sqlite3_close(idx->db);
	idx->db = NULL;
	immutable_uri(uri, sizeof(uri), path);
	kith_error_clear(&idx->error);
	if (sqlite3_open_v2(uri, &idx->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		return kith_error_set(&idx->error, KITH_EIO, "%s: cannot open: %s", path,
				      idx->db ? sqlite3_errmsg(idx->db) : "out of memory");
	return kith_schema_open(idx->db, path, 0, &idx->error);
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
	if ((error = kith_schema_open(idx->db, path, create, &idx->error)) != 0) {
		int code = sqlite3_extended_errcode(idx->db) & 0xff;
		if (create || (code != SQLITE_READONLY && code != SQLITE_CANTOPEN) || !file_in_wal_mode(path))
			return error;
		return open_read_only_wal(idx, path);
	}
	if (create) {
		idx->writable = 1;
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
	/*
	 * Back to a rollback journal, so the file stands alone: a copy on a
	 * read-only mount, or read by someone who cannot write its folder,
	 * opens.  While other connections read it this fails (busy), and the
	 * file stays in WAL mode, which they are reading it in.
	 */
	if (idx->writable && idx->db)
		sqlite3_exec(idx->db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
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
