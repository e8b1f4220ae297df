/*
 * The loader: what loads feeds into an index's database (see
 * kith_index_load in kith/index.h).  The index makes it on its first load,
 * owns it and frees it; the loader knows only the database it writes.
 */
#ifndef KITH_LOAD_H
#define KITH_LOAD_H

#include <sqlite3.h>

#include "kith/index.h"
#include "util/diag.h"

typedef struct kith_loader kith_loader;

/* A loader writing to db (borrowed: it must outlive the loader).  0, or an error with err set. */
int kith_loader_new(kith_loader **out, sqlite3 *db, kith_error *err);
void kith_loader_free(kith_loader *loader);

/*
 * Loads the feed at path in one transaction, as kith_index_load() says.
 * Messages about the load (not the feed's) go to err.
 */
int kith_loader_load(kith_loader *loader, const char *path, const kith_load_opts *opts, kith_load_report *report,
		     kith_diag_list *diags, kith_error *err);

/* Removes feed_id and all its groups in one transaction; *removed gets how many.  0, KITH_ENOTFOUND, or an error. */
int kith_loader_remove(kith_loader *loader, const char *feed_id, size_t *removed, kith_error *err);

#endif
