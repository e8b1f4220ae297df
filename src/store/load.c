/*
 * Loading feeds into the index (see load.h and load_int.h): the loader,
 * the two threads and the queue between them.
 */
#include "store/load_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/embedded.h"
#include "store/columns.h"
#include "util/queue.h"

#define QUEUE_ITEMS 256
#define RELEASE_EVERY 16 /* the writer hands written items back this many at a time */

static const char *const write_sql[S_COUNT] = {
	[S_FIND] = "SELECT gid, content_hash FROM groups WHERE feed_id = ?1 AND local_id = ?2",
	[S_INSERT_GROUP] = NULL, /* made from the groups row's column list (kith_loader_new) */
	[S_FTS_INSERT] = "INSERT INTO group_fts(rowid, name, organisation, description, tag_words, concept_words) "
			 "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[S_FTS_DELETE] = "INSERT INTO group_fts(group_fts, rowid, name, organisation, description, tag_words, "
			 "concept_words) SELECT 'delete', gid, name, organisation, description, tag_words, "
			 "concept_words FROM groups "
			 "WHERE gid = ?1",
	[S_DEL_VENUE_RTREE] = "DELETE FROM venue_rtree WHERE id IN (SELECT vid FROM venues WHERE gid = ?1)",
	[S_DEL_VENUES] = "DELETE FROM venues WHERE gid = ?1",
	[S_DEL_SESSIONS] = "DELETE FROM sessions WHERE gid = ?1",
	[S_DEL_NEEDS] = "DELETE FROM group_needs WHERE gid = ?1",
	[S_DEL_ACTIVITIES] = "DELETE FROM group_activities WHERE gid = ?1",
	[S_DEL_REQUIRES] = "DELETE FROM group_requires WHERE gid = ?1",
	[S_DEL_LANGUAGES] = "DELETE FROM group_languages WHERE gid = ?1",
	[S_DEL_HOME_RTREE] = "DELETE FROM home_visit_rtree WHERE id = ?1",
	[S_DEL_GROUP] = "DELETE FROM groups WHERE gid = ?1",
	[S_INS_VENUE] = "INSERT INTO venues(vid, gid, address, postcode, lat, lon, placed_by) "
			"VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6)",
	[S_INS_VENUE_RTREE] = "INSERT INTO venue_rtree(id, min_lat, max_lat, min_lon, max_lon) "
			      "VALUES (?1, ?2, ?2, ?3, ?3)",
	[S_INS_SESSION] = "INSERT INTO sessions(gid, day, start_min, end_min, weeks) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_INS_NEED] = "INSERT INTO group_needs(gid, need) VALUES (?1, ?2)",
	[S_INS_ACTIVITY] = "INSERT INTO group_activities(gid, activity) VALUES (?1, ?2)",
	[S_INS_REQUIRES] = "INSERT INTO group_requires(gid, circumstance) VALUES (?1, ?2)",
	[S_INS_LANGUAGE] = "INSERT INTO group_languages(gid, language) VALUES (?1, ?2)",
	[S_INS_HOME_RTREE] = "INSERT INTO home_visit_rtree(id, min_lat, max_lat, min_lon, max_lon, mask, langs) "
			     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[S_INS_ONLINE] = "INSERT INTO online_groups(gid, mask, langs) VALUES (?1, ?2, ?3)",
	[S_DEL_ONLINE] = "DELETE FROM online_groups WHERE gid = ?1",
	[S_SEEN] = "INSERT OR IGNORE INTO temp.seen(gid) VALUES (?1)",
};

/* ---- the loader ------------------------------------------------------------ */

/* "INSERT INTO groups(every column) VALUES (?1, ..., ?N)", so parameter column + 1 is that column. */
static char *insert_group_sql(void)
{
	kith_buf b = KITH_BUF_INIT;
	int i;

	kith_buf_puts(&b, "INSERT INTO groups(" KITH_GROUP_COLUMNS ") VALUES (");
	for (i = 1; i <= KITH_COL_COUNT; i++)
		kith_buf_printf(&b, "%s?%d", i > 1 ? ", " : "", i);
	kith_buf_putc(&b, ')');
	if (kith_buf_error(&b)) {
		kith_buf_release(&b);
		return NULL;
	}
	return kith_buf_detach(&b);
}

int kith_loader_new(kith_loader **out, sqlite3 *db, kith_error *err)
{
	kith_loader *l = calloc(1, sizeof(*l));
	kith_buf why = KITH_BUF_INIT;
	int error = 0;

	*out = NULL;
	if (!l)
		return KITH_ENOMEM;
	l->db = db;
	memcpy(l->sql, write_sql, sizeof(l->sql));
	if ((l->insert_sql = insert_group_sql()) == NULL || kith_stmt_cache_init(&l->stmts, db, l->sql, S_COUNT) != 0) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	l->sql[S_INSERT_GROUP] = l->insert_sql;
	if ((error = kith_rules_compile(&l->rules, kith_default_synonyms, "synonyms.rules", &why)) != 0) {
		kith_error_set(err, error, "built-in rules: %s", why.ptr);
		goto cleanup;
	}
	if ((error = kith_stemmer_new(&l->stemmer, db)) != 0) {
		kith_error_set(err, error, "this SQLite has no FTS5 porter tokenizer");
		goto cleanup;
	}
	*out = l;
	l = NULL;

cleanup:
	kith_loader_free(l);
	kith_buf_release(&why);
	return error;
}

void kith_loader_free(kith_loader *loader)
{
	if (!loader)
		return;
	kith_stmt_cache_release(&loader->stmts);
	kith_rules_free(loader->rules);
	kith_stemmer_free(loader->stemmer);
	free(loader->insert_sql);
	free(loader);
}

/* ---- one load ---------------------------------------------------------------- */

typedef enum { ITEM_HEADER, ITEM_GROUP, ITEM_WITHDRAWN } item_kind;

/* A feed's header, one of its groups or a withdrawal, on its way to the writer. */
typedef struct load_item {
	item_kind kind;
	kith_arena arena;    /* owned; reset for each use: the copies below live in it */
	kith_feed_info info; /* ITEM_HEADER */
	const char *id;      /* ITEM_WITHDRAWN */
	kith_group group;    /* ITEM_GROUP */
	load_columns cols;   /* ITEM_GROUP; its buffers keep their memory between uses */
} load_item;

/* The state of one feed load. */
typedef struct load_state {
	kith_loader *loader;
	const char *path;
	kith_queue queue;
	load_item *items; /* owned: QUEUE_ITEMS of them, the queue's slots */
	/* the reading thread's */
	int skip_bad_groups;
	double max_removed; /* with skip_bad_groups: the largest share of the feed's groups a load may remove */
	kith_diag_list *diags;
	kith_feed_result result;
	kith_progress_fn progress;
	void *progress_data;
	char *read_feed_id;     /* owned: the feed's id, for the groups' keys */
	kith_term_counts terms; /* owned: in a new feed, groups per FTS5 term */
	long long tokens;       /* in a new feed, the groups' tokens */
	kith_error read_error;  /* why the reading thread failed, when not the feed's fault */
	/* the writing thread's; the reader reads writer.fresh once the header is written (read_header) */
	load_writer writer;
} load_state;

/* The next free item, waiting for one; NULL when the writer said stop (its reason in *stop). */
static load_item *take_free_item(load_state *st, item_kind kind, int *stop)
{
	size_t slot;
	load_item *item;

	if ((*stop = kith_queue_reserve(&st->queue, &slot)) != 0)
		return NULL;
	item = &st->items[slot];
	kith_arena_reset(&item->arena);
	item->kind = kind;
	return item;
}

/* ---- the reading thread ---- */

static int read_header(void *ctx, const kith_feed_info *info)
{
	load_state *st = ctx;
	int stop;
	load_item *item = take_free_item(st, ITEM_HEADER, &stop);
	kith_arena *a;

	if (!item)
		return stop;
	a = &item->arena;
	item->info = *info;
	item->info.path = NULL;
	if ((st->read_feed_id = strdup(info->id)) == NULL || (item->info.id = kith_arena_strdup(a, info->id)) == NULL ||
	    (info->publisher && (item->info.publisher = kith_arena_strdup(a, info->publisher)) == NULL) ||
	    (info->generated && (item->info.generated = kith_arena_strdup(a, info->generated)) == NULL))
		return KITH_ENOMEM;
	kith_queue_push(&st->queue);
	/* an identical file stops here, before a single group is parsed; after it, writer.fresh is known */
	return kith_queue_drain(&st->queue);
}

static int read_group(void *ctx, const kith_group *g)
{
	load_state *st = ctx;
	int stop, error;
	load_item *item = take_free_item(st, ITEM_GROUP, &stop);

	if (!item)
		return stop;
	if ((error = kith_group_copy(&item->arena, &item->group, g)) != 0 ||
	    (error = kith_load_derive(st->loader, st->read_feed_id, &item->group, &item->cols, &st->read_error)) != 0 ||
	    (st->writer.fresh &&
	     (error = kith_load_count_terms(st->loader, &item->cols, &st->terms, &st->tokens)) != 0))
		return error;
	kith_queue_push(&st->queue);
	return 0;
}

static int read_withdrawn(void *ctx, const char *id)
{
	load_state *st = ctx;
	int stop;
	load_item *item = take_free_item(st, ITEM_WITHDRAWN, &stop);

	if (!item)
		return stop;
	if ((item->id = kith_arena_strdup(&item->arena, id)) == NULL)
		return KITH_ENOMEM;
	kith_queue_push(&st->queue);
	return 0;
}

static void read_progress(void *ctx, size_t done, size_t total)
{
	load_state *st = ctx;

	if (st->progress)
		st->progress(st->progress_data, done, total);
}

static void *reading_thread(void *arg)
{
	load_state *st = arg;
	kith_feed_handler handler = {read_header, read_group, read_withdrawn, read_progress, st, 0};

	kith_queue_close(&st->queue, kith_feed_read(st->path, &handler, st->skip_bad_groups, st->diags, &st->result));
	return NULL;
}

/* ---- the writing thread ---- */

static int write_item(load_writer *w, const load_item *item)
{
	switch (item->kind) {
	case ITEM_HEADER: return kith_load_write_header(w, &item->info);
	case ITEM_GROUP: return kith_load_write_group(w, &item->group, &item->cols);
	case ITEM_WITHDRAWN: return kith_load_write_withdrawn(w, item->id);
	}
	return KITH_ERROR;
}

/*
 * Writes items as the reader sends them, until it is done or writing
 * fails.  Returns 0 or the writer's error, which the reader is told as its
 * reason to stop.
 */
static int write_items(load_state *st)
{
	int error = 0;

	for (;;) {
		size_t first, ready = kith_queue_wait(&st->queue, &first), done;
		if (!ready)
			return 0; /* the end, or a feed that failed validation: it is rolled back */
		/* every item waiting now, handed back a few at a time so the reader never waits long */
		for (done = 0; done < ready;) {
			size_t batch = ready - done < RELEASE_EVERY ? ready - done : RELEASE_EVERY, k;
			for (k = 0; k < batch && !error; k++)
				error = write_item(&st->writer, &st->items[(first + done + k) % QUEUE_ITEMS]);
			done += batch;
			kith_queue_give_back(&st->queue, batch, error);
			if (error)
				return error;
		}
	}
}

static int items_new(load_state *st)
{
	size_t i;

	if ((st->items = calloc(QUEUE_ITEMS, sizeof(*st->items))) == NULL)
		return KITH_ENOMEM;
	for (i = 0; i < QUEUE_ITEMS; i++)
		kith_load_columns_init(&st->items[i].cols);
	return 0;
}

static void items_free(load_item *items)
{
	size_t i;

	for (i = 0; items && i < QUEUE_ITEMS; i++) {
		kith_load_columns_release(&items[i].cols);
		kith_arena_release(&items[i].arena);
	}
	free(items);
}

/* After both threads are done: the feed's end, or why it failed.  Commits when all is well. */
static int finish(load_state *st, int error, kith_error *err)
{
	load_writer *w = &st->writer;

	if (!error && st->queue.result) {
		error = st->queue.result;
		if (st->read_error.code)
			kith_error_set(err, error, "%s", kith_error_message(&st->read_error));
	}
	if (!error && !w->in_transaction)
		error = KITH_EINVALID; /* no root was ever read */
	w->terms = &st->terms;
	w->tokens = st->tokens;
	if (!error && !w->delta && !w->fresh)
		error = kith_load_remove_unseen(w, st->skip_bad_groups ? st->max_removed : 1.0);
	if (!error)
		error = kith_load_record_feed(w);
	if (!error)
		error = kith_db_exec(st->loader->db, "COMMIT", err);
	if (!error) {
		int rc;
		w->in_transaction = 0;
		/* committed: now into the file itself, so the -wal does not grow; readers may hold it (busy: later) */
		rc = sqlite3_wal_checkpoint_v2(st->loader->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		if (rc != SQLITE_OK && rc != SQLITE_BUSY && rc != SQLITE_LOCKED) {
			w->report->unflushed = 1;
			kith_db_error(err, st->loader->db,
				      "loaded and safe in the index's -wal file, but not yet copied into the index");
		}
	}
	if (error && err->code == 0)
		kith_error_set(err, error, "%s: feed not loaded: %s", st->path,
			       error == KITH_EINVALID    ? "it is not valid"
			       : error == KITH_ETOOLARGE ? "it is over a size or nesting limit"
			       : error == KITH_EIO       ? "it cannot be read"
							 : kith_strerror(error));
	return error;
}

int kith_loader_load(kith_loader *loader, const char *path, const kith_load_opts *opts, kith_load_report *report,
		     kith_diag_list *diags, kith_error *err)
{
	load_state st;
	pthread_t reader;
	int error, queue_ready = 0;

	memset(report, 0, sizeof(*report));
	memset(&st, 0, sizeof(st));
	st.loader = loader;
	st.path = path;
	st.skip_bad_groups = opts->skip_bad_groups;
	st.max_removed = opts->version >= 2 && opts->max_removed > 0 ? opts->max_removed : KITH_MAX_REMOVED_DEFAULT;
	st.diags = diags;
	st.progress = opts->progress;
	st.progress_data = opts->progress_data;
	st.writer.loader = loader;
	st.writer.err = err;
	st.writer.path = path;
	st.writer.source = opts->version >= 2 && opts->source ? opts->source : path;
	st.writer.report = report;
	kith_buf_init(&st.read_error.message, 0);

	if ((error = items_new(&st)) != 0 || (error = kith_queue_init(&st.queue, QUEUE_ITEMS)) != 0)
		goto cleanup;
	queue_ready = 1;
	if (pthread_create(&reader, NULL, reading_thread, &st) != 0) {
		error = kith_error_set(err, KITH_ENOMEM, "%s: cannot start a thread to read it", path);
		goto cleanup;
	}
	error = write_items(&st);
	pthread_join(reader, NULL);
	report->skipped = st.result.skipped;
	report->warnings = st.result.warnings;
	report->errors = st.result.errors;
	if (error == KITH_STOP_IDENTICAL)
		error = 0;
	else
		error = finish(&st, error, err);

cleanup:
	if (st.writer.in_transaction)
		kith_db_rollback(loader->db);
	if (error)
		report->added = report->updated = report->removed = report->unchanged = 0;
	if (queue_ready)
		kith_queue_release(&st.queue);
	items_free(st.items);
	kith_error_release(&st.read_error);
	kith_term_counts_release(&st.terms);
	kith_load_writer_release(&st.writer);
	free(st.read_feed_id);
	return error;
}

int kith_loader_remove(kith_loader *loader, const char *feed_id, size_t *removed, kith_error *err)
{
	load_writer w;
	kith_load_report report;
	int error;

	memset(&w, 0, sizeof(w));
	memset(&report, 0, sizeof(report));
	w.loader = loader;
	w.err = err;
	w.path = feed_id;
	w.report = &report;
	if ((w.feed_id = strdup(feed_id)) == NULL)
		return KITH_ENOMEM;
	error = kith_load_remove_feed(&w);
	if (w.in_transaction)
		kith_db_rollback(loader->db);
	*removed = error ? 0 : report.removed;
	kith_load_writer_release(&w);
	return error;
}
