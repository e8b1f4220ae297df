/*
 * Reading a directory's feed: what every reader of a feed format gives its
 * caller (the loader, the checker, the benchmark's judge).  A reader
 * streams one file, validates it, and hands each good group to a handler,
 * one at a time, so memory stays flat whatever the feed's size.  kith's own
 * XML format (schemas/README.md, "Feed"; schemas/feed.xsd) is read by
 * kith_feed.c; the importers of other formats join as readers of the same
 * shape (kith_feed_reader_fn) behind the same handler.
 */
#ifndef KITH_FEED_H
#define KITH_FEED_H

#include "kith/common.h"
#include "util/arena.h"
#include "model/model.h"

typedef struct kith_feed_info {
	const char *path;      /* as given */
	const char *id;        /* feed id */
	const char *publisher; /* may be NULL */
	const char *generated; /* may be NULL */
	const char *area;      /* the area served by groups that state none, normal form; may be NULL */
	int delta;             /* mode="delta" */
	char sha256[65];       /* of the file's bytes, hex */
	size_t size;           /* of the file, bytes */
} kith_feed_info;

typedef struct kith_feed_handler {
	/* Once, at the root, before any group; non-zero stops reading. */
	int (*on_header)(void *ctx, const kith_feed_info *info);
	/* Each group that passed validation (borrowed until the call returns). */
	int (*on_group)(void *ctx, const kith_group *group);
	/* Each <withdrawn id="..."/>. */
	int (*on_withdrawn)(void *ctx, const char *id);
	/* Now and then, with bytes read so far; may be NULL. */
	void (*on_progress)(void *ctx, size_t done, size_t total);
	void *ctx;
	int every_message; /* keep every message about the file (kith check), not the first KITH_XML_MAX_MESSAGES */
} kith_feed_handler;

typedef struct kith_feed_result {
	size_t groups;  /* groups handed to on_group */
	size_t skipped; /* bad groups left out (skip_bad_groups) */
	size_t withdrawn;
	size_t warnings; /* warning diagnostics added */
	size_t errors;   /* error diagnostics added */
} kith_feed_result;

/* A reader of one feed format: its arguments and result as kith_feed_read()'s. */
typedef int (*kith_feed_reader_fn)(const char *path, const kith_feed_handler *handler, int skip_bad_groups,
				   kith_diag_list *diags, kith_feed_result *result);

/*
 * Reads the kith feed at path.  With skip_bad_groups, a group that breaks a
 * rule is left out: its problems become warnings followed by one saying it
 * was skipped, and the rest of the feed goes on.
 * Returns 0 when the feed is valid (apart from skipped groups), KITH_EINVALID
 * (or KITH_EIO, KITH_ETOOLARGE) when it is not, or the first non-zero value a
 * callback returned.  Diagnostics go to diags; result may be NULL.
 */
int kith_feed_read(const char *path, const kith_feed_handler *handler, int skip_bad_groups, kith_diag_list *diags,
		   kith_feed_result *result);

#endif
