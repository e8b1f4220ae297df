/*
 * The index handle, shared by the files that implement kith/index.h
 * (index.c, stats.c).
 */
#ifndef KITH_STORE_INT_H
#define KITH_STORE_INT_H

#include <sqlite3.h>

#include "kith/index.h"
#include "store/load.h"
#include "util/diag.h"

struct kith_index {
	sqlite3 *db;         /* owned */
	kith_error error;    /* the last failed call's message */
	kith_loader *loader; /* owned; made on the first load */
	int writable;        /* opened to load: back to a rollback journal when closed, so read-only copies open */
};

#endif
