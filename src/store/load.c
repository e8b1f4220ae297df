/*
 * Loading feeds into the index (see kith/index.h, kith_index_load).
 *
 * Each feed loads in one transaction.  A group's content hash (over every
 * field, in a fixed order) tells an unchanged group from an updated one, so
 * reloading a feed rewrites only what changed, and reloading the same file
 * changes nothing: its SHA-256 matches the last load and the file is not
 * even parsed again.
 */
#include "store/index_db.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/arena.h"
#include "util/buf.h"
#include "model/embedded.h"
#include "model/names.h"
#include "feed/feed.h"
#include "util/hash.h"
#include "text/rules.h"
#include "text/stem.h"
#include "text/terms.h"
#include "text/vocab.h"
#include "text/words.h"
#include "util/array.h"

enum {
	S_FIND,
	S_INSERT_GROUP,
	S_FTS_INSERT,
	S_FTS_DELETE,
	S_DEL_VENUE_RTREE,
	S_DEL_VENUES,
	S_DEL_SESSIONS,
	S_DEL_NEEDS,
	S_DEL_ACTIVITIES,
	S_DEL_REQUIRES,
	S_DEL_LANGUAGES,
	S_DEL_HOME_RTREE,
	S_DEL_GROUP,
	S_INS_VENUE,
	S_INS_VENUE_RTREE,
	S_INS_SESSION,
	S_INS_NEED,
	S_INS_ACTIVITY,
	S_INS_REQUIRES,
	S_INS_LANGUAGE,
	S_INS_HOME_RTREE,
	S_INS_ONLINE,
	S_DEL_ONLINE,
	S_SEEN,
	S_COUNT
};

static const char *const statements[S_COUNT] = {
	[S_FIND] = "SELECT gid, content_hash FROM groups WHERE feed_id = ?1 AND local_id = ?2",
	[S_INSERT_GROUP] =
		"INSERT INTO groups(gid, feed_id, local_id, key, content_hash, name, organisation, "
		"description, tag_words, updated, source_line, online, online_how, home_radius_km, home_lat, "
		"home_lon, schedule_known, by_appointment, starts, ends, wheelchair, step_free, hearing_loop, "
		"accessible_toilet, parking, public_transport, min_age, max_age, gender, referral, cost_free, "
		"cost_amount, cost_per, capacity, languages, phone, email, web, needs_list, activities_list, "
		"requires_list, sessions_list, venue_list, text_concepts, name_concepts, concept_words, concept_mask, "
		"stems, token_count, first_address, unlocated_venues, lang_mask) "
		"VALUES (?1, ?2, ?3, ?4, ?5, "
		"?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, "
		"?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34, ?35, ?36, ?37, ?38, ?39, ?40, ?41, ?42, ?43, "
		"?44, ?45, ?46, ?47, ?48, ?49, ?50, ?51, ?52)",
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

/* What loading keeps between feeds, owned by the index. */
struct kith_loader {
	kith_rules *rules;           /* owned; the built-in synonym rules */
	kith_stemmer *stemmer;       /* owned; FTS5's tokenizer */
	sqlite3_stmt *stmt[S_COUNT]; /* owned; prepared on first use */
};

void kith_loader_free(kith_loader *loader)
{
	int i;

	if (!loader)
		return;
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(loader->stmt[i]);
	kith_rules_free(loader->rules);
	kith_stemmer_free(loader->stemmer);
	free(loader);
}

/*
 * A feed loads on two threads.  A reading thread parses and validates the
 * feed and works out what the index stores beyond the feed's own fields
 * (the rules' concepts, FTS5 tokens, masks and lists: most of the CPU time);
 * the calling thread, the only one that touches SQLite, writes.  They meet
 * in a small queue of items, so memory stays flat whatever the feed's size.
 */
typedef struct group_columns {
	int64_t hash; /* of every field: tells an unchanged group on reload */
	uint64_t mask, langs_mask;
	size_t token_count;
	int unlocated;  /* venues with no location */
	kith_buf canon; /* the group's canonical text, hashed */
	kith_buf key, langs, tag_words, needs, activities, requires, sessions, venues;
	kith_buf text_concepts, name_concepts, concept_words, stems;
} group_columns;

typedef enum { ITEM_HEADER, ITEM_GROUP, ITEM_WITHDRAWN } item_kind;

/* A feed's header, one of its groups or a withdrawal, on its way to the writer. */
typedef struct load_item {
	item_kind kind;
	kith_arena arena;    /* owned; reset for each use: the copies below live in it */
	kith_feed_info info; /* ITEM_HEADER */
	const char *id;      /* ITEM_WITHDRAWN */
	kith_group group;    /* ITEM_GROUP */
	group_columns cols;  /* ITEM_GROUP; its buffers keep their memory between uses */
} load_item;

/* SQLite's page cache while loading, in KiB (its default is 2 MiB) */
#define LOAD_CACHE "PRAGMA cache_size=-32768"
#define QUEUE_ITEMS 256
#define RELEASE_EVERY 16 /* the writer hands written items back this many at a time */

typedef struct load_queue {
	pthread_mutex_t lock;
	pthread_cond_t changed; /* an item came or went, reading ended, or it must stop */
	int waiting;            /* threads waiting on changed: no signal is sent to nobody */
	load_item *items;       /* owned: QUEUE_ITEMS of them, a ring */
	size_t head, count;     /* the oldest waiting item, and how many wait */
	int reading_done;
	int read_result; /* kith_feed_read's, once reading_done */
	int stop;        /* non-zero: the writer's reason for the reader to stop */
} load_queue;

/* A group's masks as group_pack will hold them (zeros: removed), in the order written. */
typedef struct pack_change {
	sqlite3_int64 gid;
	uint64_t mask, langs;
	size_t order;
} pack_change;

/* The state of one feed load. */
typedef struct load_state {
	kith_index *idx;
	const char *path;
	kith_load_report *report;
	load_queue queue;
	/* the reading thread's */
	int skip_bad_groups;
	kith_diag_list *diags;
	kith_feed_result result;
	kith_progress_fn progress;
	void *progress_data;
	char *read_feed_id;     /* owned: the feed's id, for the groups' keys */
	kith_term_counts terms; /* owned: in a new feed, groups per FTS5 term */
	long long tokens;       /* in a new feed, the groups' tokens */
	kith_error read_error;  /* why the reading thread failed, when not the feed's fault */
	/* the writing thread's */
	int delta;
	int fresh; /* the index held no group of this feed before (the reader reads it once the
		      header is written: see read_header) */
	int in_transaction;
	char sha256[65];
	size_t size;
	char *feed_id, *publisher, *generated; /* owned copies */
	pack_change *pack;                     /* owned: the groups written or removed, for group_pack */
	size_t pack_count, pack_alloc;
} load_state;

#define KITH_STOP_IDENTICAL 1 /* a callback's "stop reading, nothing to do" */

static kith_loader *loader_of(kith_index *idx)
{
	return *kith_index_loader(idx);
}

static sqlite3_stmt *stmt(kith_index *idx, int which)
{
	sqlite3_stmt *s = loader_of(idx)->stmt[which];

	if (!s) {
		if (sqlite3_prepare_v3(kith_index_db(idx), statements[which], -1, SQLITE_PREPARE_PERSISTENT, &s,
				       NULL) != SQLITE_OK) {
			kith_index_db_error(idx, "preparing a statement");
			return NULL;
		}
		loader_of(idx)->stmt[which] = s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

/* Runs a prepared statement that returns no rows. */
static int step_done(kith_index *idx, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return kith_index_db_error(idx, "writing the index");
	return 0;
}

/* ---- loading ---------------------------------------------------------- */

static void bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static void put_field(kith_buf *b, const char *v)
{
	kith_buf_puts(b, v ? v : "\x01");
	kith_buf_putc(b, '\x1f');
}

static void put_list(kith_buf *b, const kith_strlist *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		kith_buf_puts(b, l->items[i]);
		kith_buf_putc(b, '\x1e');
	}
	kith_buf_putc(b, '\x1f');
}

/*
 * A 64-bit FNV-1a hash of every field in a fixed order.  It only tells
 * whether a listing changed between loads, so it need not be cryptographic.
 */
static void put_number(kith_buf *b, double v)
{
	kith_buf_put(b, (const char *)&v, sizeof(v)); /* the bytes: only hashed, never read back */
}

static int64_t group_hash(kith_buf *b, const kith_group *g, const kith_rules *rules)
{
	/* the rules count too: new rules rewrite the concepts of every group on the next load */
	uint64_t h = KITH_FNV_START ^ kith_rules_hash(rules);
	size_t i;

	kith_buf_clear(b);
	put_field(b, g->name);
	put_field(b, g->organisation);
	put_field(b, g->description);
	put_field(b, g->updated);
	put_list(b, &g->needs);
	put_list(b, &g->activities);
	for (i = 0; i < g->venue_count; i++) {
		const kith_venue *v = &g->venues[i];
		put_field(b, v->address);
		put_field(b, v->postcode);
		put_number(b, v->point.known);
		put_number(b, v->point.lat);
		put_number(b, v->point.lon);
	}
	put_number(b, g->online);
	put_number(b, g->home_visits);
	put_number(b, g->home_radius_km);
	put_number(b, g->home_point.lat);
	put_number(b, g->home_point.lon);
	put_number(b, g->schedule_known);
	put_number(b, g->by_appointment);
	put_field(b, g->online_how);
	put_field(b, g->starts);
	put_field(b, g->ends);
	for (i = 0; i < g->session_count; i++) {
		put_number(b, g->sessions[i].day);
		put_number(b, g->sessions[i].start);
		put_number(b, g->sessions[i].end);
		put_number(b, g->sessions[i].weeks);
	}
	for (i = 0; i < KITH_ACCESS_COUNT; i++)
		kith_buf_putc(b, (char)('0' + g->access[i]));
	put_number(b, g->min_age);
	put_number(b, g->max_age);
	put_number(b, g->gender);
	put_number(b, g->referral_professional);
	put_number(b, g->cost_known);
	put_number(b, g->cost_free);
	put_number(b, g->cost_amount);
	put_number(b, g->cost_per);
	put_number(b, g->capacity);
	put_list(b, &g->requires);
	put_list(b, &g->languages);
	put_field(b, g->phone);
	put_field(b, g->email);
	put_field(b, g->web);
	return (int64_t)kith_fnv(h, b->ptr, b->size);
}

static int delete_group(kith_index *idx, sqlite3_int64 gid)
{
	static const int order[] = {S_FTS_DELETE,     S_DEL_VENUE_RTREE, S_DEL_VENUES,   S_DEL_SESSIONS,
				    S_DEL_NEEDS,      S_DEL_ACTIVITIES,  S_DEL_REQUIRES, S_DEL_LANGUAGES,
				    S_DEL_HOME_RTREE, S_DEL_ONLINE,      S_DEL_GROUP};
	size_t i;
	int error;

	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		sqlite3_stmt *s = stmt(idx, order[i]);
		if (!s)
			return KITH_EIO;
		sqlite3_bind_int64(s, 1, gid);
		if ((error = step_done(idx, s)) != 0)
			return error;
	}
	return 0;
}

static int insert_tags(kith_index *idx, int which, sqlite3_int64 gid, const kith_strlist *l)
{
	size_t i;
	int error;

	for (i = 0; i < l->count; i++) {
		sqlite3_stmt *s = stmt(idx, which);
		if (!s)
			return KITH_EIO;
		sqlite3_bind_int64(s, 1, gid);
		bind_text(s, 2, l->items[i]);
		if ((error = step_done(idx, s)) != 0)
			return error;
	}
	return 0;
}

/*
 * What the rules read in a group, scanned once: its name alone (who a group
 * is for) into named, name and description into text, and, into words and
 * mask, every concept it has: tagged, read or implied, strong enough to
 * count, as plain words ("loneliness walking football") and bits.
 */
static void concept_text(kith_buf *text, kith_buf *named, kith_buf *words, uint64_t *mask, kith_rules *rules,
			 const kith_group *g)
{
	kith_concepts name_set = {0}, set = {0}, all = {0};
	const kith_strlist *lists[2];
	const char *kinds[2] = {"need:", "activity:"};
	size_t i, j;

	kith_rules_scan(rules, g->name, &name_set);
	kith_concepts_write(named, &name_set);
	set = name_set;
	kith_rules_scan(rules, g->description, &set);
	kith_concepts_write(text, &set);
	lists[0] = &g->needs;
	lists[1] = &g->activities;
	for (i = 0; i < 2; i++) {
		for (j = 0; j < lists[i]->count; j++) {
			char id[96];
			size_t kind_len = strlen(kinds[i]), len = strlen(lists[i]->items[j]);
			if (kind_len + len >= sizeof(id))
				continue; /* no vocabulary id is that long */
			memcpy(id, kinds[i], kind_len);
			memcpy(id + kind_len, lists[i]->items[j], len + 1);
			kith_concepts_add(&all, id, 1.0, "");
		}
	}
	for (i = 0; i < set.count; i++)
		kith_concepts_add(&all, set.items[i].id, set.items[i].strength, "");
	kith_rules_imply(rules, &all);
	*mask = 0;
	for (i = 0; i < all.count; i++) {
		char w[64];
		if (all.items[i].strength < 0.5)
			continue;
		*mask |= kith_vocab_concept_bit(all.items[i].id);
		kith_tag_words(w, sizeof(w), strchr(all.items[i].id, ':') + 1);
		if (words->size)
			kith_buf_putc(words, ' ');
		kith_buf_puts(words, w);
	}
}

/* Appends one token, space-separated within a column. */
static int put_stem(void *ctx, const char *token, size_t n)
{
	kith_buf *b = ctx;

	if (b->size && b->ptr[b->size - 1] != '|')
		kith_buf_putc(b, ' ');
	return kith_buf_put(b, token, n) != 0;
}

/* Tokens in a stems string: runs of characters other than space and '|'. */
static size_t count_tokens(const char *p)
{
	size_t n = 0;
	int in = 0;

	for (; *p; p++) {
		int sep = *p == ' ' || *p == '|';
		n += !sep && !in;
		in = !sep;
	}
	return n;
}

static void join_list(kith_buf *b, const kith_strlist *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		if (i)
			kith_buf_putc(b, ' ');
		kith_buf_puts(b, l->items[i]);
	}
}

static void tag_words(kith_buf *b, const kith_group *g)
{
	const kith_strlist *lists[2] = {&g->needs, &g->activities};
	char words[128];
	size_t i, j;

	kith_buf_clear(b);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < lists[i]->count; j++) {
			kith_tag_words(words, sizeof(words), lists[i]->items[j]);
			if (b->size)
				kith_buf_putc(b, ' ');
			kith_buf_puts(b, words);
		}
	}
}

#define COLUMN_BUFS 13

/* The buffers of c, to set up or free them all. */
static void column_bufs(group_columns *c, kith_buf *bufs[COLUMN_BUFS])
{
	kith_buf *all[COLUMN_BUFS] = {&c->canon,  &c->key,           &c->langs,         &c->tag_words,
				      &c->needs,  &c->activities,    &c->requires,      &c->sessions,
				      &c->venues, &c->text_concepts, &c->name_concepts, &c->concept_words,
				      &c->stems};

	memcpy(bufs, all, sizeof(all));
}

/* Everything the index stores of g beyond its own fields, into cols: the reading thread's work. */
static int derive_columns(load_state *st, const kith_group *g, group_columns *c)
{
	kith_loader *loader = loader_of(st->idx);
	kith_buf *bufs[COLUMN_BUFS];
	const char *fields[4];
	size_t i;

	column_bufs(c, bufs);
	for (i = 0; i < COLUMN_BUFS; i++)
		kith_buf_clear(bufs[i]);
	c->hash = group_hash(&c->canon, g, loader->rules);
	kith_buf_puts(&c->key, st->read_feed_id);
	kith_buf_putc(&c->key, '/');
	kith_buf_puts(&c->key, g->id);
	c->langs_mask = 0;
	for (i = 0; i < g->languages.count; i++)
		c->langs_mask |= kith_vocab_language_bit(g->languages.items[i]);
	join_list(&c->langs, &g->languages);
	if (!c->langs_mask)
		c->langs_mask = kith_vocab_language_bit("en");
	tag_words(&c->tag_words, g);
	join_list(&c->needs, &g->needs);
	join_list(&c->activities, &g->activities);
	join_list(&c->requires, &g->requires);
	for (i = 0; i < g->session_count; i++) { /* "day,start,end,weeks ..." */
		const kith_session *ss = &g->sessions[i];
		if (i)
			kith_buf_putc(&c->sessions, ' ');
		kith_buf_put_int(&c->sessions, ss->day);
		kith_buf_putc(&c->sessions, ',');
		kith_buf_put_int(&c->sessions, ss->start);
		kith_buf_putc(&c->sessions, ',');
		kith_buf_put_int(&c->sessions, ss->end);
		kith_buf_putc(&c->sessions, ',');
		kith_buf_put_int(&c->sessions, ss->weeks);
	}
	c->unlocated = 0;
	for (i = 0; i < g->venue_count; i++) { /* "lat,lon ..." */
		const kith_point *pt = &g->venues[i].point;
		if (!pt->known) {
			c->unlocated++;
			continue;
		}
		if (c->venues.size)
			kith_buf_putc(&c->venues, ' ');
		kith_buf_put_fixed(&c->venues, pt->lat, 6);
		kith_buf_putc(&c->venues, ',');
		kith_buf_put_fixed(&c->venues, pt->lon, 6);
	}
	concept_text(&c->text_concepts, &c->name_concepts, &c->concept_words, &c->mask, loader->rules, g);
	fields[0] = g->name;
	fields[1] = g->organisation;
	fields[2] = g->description;
	fields[3] = c->tag_words.ptr;
	for (i = 0; i < 4; i++) {
		if (i)
			kith_buf_putc(&c->stems, '|');
		if (fields[i] &&
		    kith_stemmer_tokens(loader->stemmer, fields[i], strlen(fields[i]), put_stem, &c->stems) != 0)
			return kith_error_set(&st->read_error, KITH_ERROR, "tokenizing group '%s'", g->id);
	}
	c->token_count = count_tokens(c->stems.ptr);
	return 0;
}

/* ---- the queue between the two threads ----------------------------------- */

/* Both with the lock held. */
static void queue_wait(load_queue *q)
{
	q->waiting++;
	pthread_cond_wait(&q->changed, &q->lock);
	q->waiting--;
}

static void queue_changed(load_queue *q)
{
	if (q->waiting)
		pthread_cond_broadcast(&q->changed);
}

/* The next free item, waiting for one; NULL when the writer said stop. */
static load_item *take_free_item(load_state *st, item_kind kind)
{
	load_queue *q = &st->queue;
	load_item *item = NULL;

	pthread_mutex_lock(&q->lock);
	while (q->count == QUEUE_ITEMS && !q->stop)
		queue_wait(q);
	if (!q->stop)
		item = &q->items[(q->head + q->count) % QUEUE_ITEMS];
	pthread_mutex_unlock(&q->lock);
	if (item) {
		kith_arena_reset(&item->arena);
		item->kind = kind;
	}
	return item;
}

/* Hands the item taken last to the writer. */
static void send_item(load_state *st)
{
	load_queue *q = &st->queue;

	pthread_mutex_lock(&q->lock);
	q->count++;
	queue_changed(q);
	pthread_mutex_unlock(&q->lock);
}

/* Waits until the writer has handled every item sent; its stop reason, or 0. */
static int wait_written(load_state *st)
{
	load_queue *q = &st->queue;
	int stop;

	pthread_mutex_lock(&q->lock);
	while (q->count && !q->stop)
		queue_wait(q);
	stop = q->stop;
	pthread_mutex_unlock(&q->lock);
	return stop;
}

static int stop_reason(load_state *st)
{
	int stop;

	pthread_mutex_lock(&st->queue.lock);
	stop = st->queue.stop;
	pthread_mutex_unlock(&st->queue.lock);
	return stop;
}

/* ---- the reading thread ---------------------------------------------------- */

static int count_term(void *ctx, const char *token, size_t n)
{
	return kith_term_counts_add(ctx, token, n) != 0;
}

/* Counts the group's FTS5 terms, its stems and its concept words' tokens, once each. */
static int count_terms(load_state *st, const group_columns *c)
{
	const char *p = c->stems.ptr;

	kith_term_counts_next(&st->terms);
	while (*p) {
		size_t n = strcspn(p, " |");
		if (n && kith_term_counts_add(&st->terms, p, n) != 0)
			return KITH_ENOMEM;
		p += n;
		if (*p)
			p++;
	}
	if (c->concept_words.size && kith_stemmer_tokens(loader_of(st->idx)->stemmer, c->concept_words.ptr,
							 c->concept_words.size, count_term, &st->terms) != 0)
		return KITH_ENOMEM;
	st->tokens += (long long)c->token_count;
	return 0;
}

static int read_header(void *ctx, const kith_feed_info *info)
{
	load_state *st = ctx;
	load_item *item = take_free_item(st, ITEM_HEADER);
	kith_arena *a;

	if (!item)
		return stop_reason(st);
	a = &item->arena;
	item->info = *info;
	item->info.path = NULL;
	if ((st->read_feed_id = strdup(info->id)) == NULL || (item->info.id = kith_arena_strdup(a, info->id)) == NULL ||
	    (info->publisher && (item->info.publisher = kith_arena_strdup(a, info->publisher)) == NULL) ||
	    (info->generated && (item->info.generated = kith_arena_strdup(a, info->generated)) == NULL))
		return KITH_ENOMEM;
	send_item(st);
	/* an identical file stops here, before a single group is parsed; after it, st->fresh is known */
	return wait_written(st);
}

static int read_group(void *ctx, const kith_group *g)
{
	load_state *st = ctx;
	load_item *item = take_free_item(st, ITEM_GROUP);
	int error;

	if (!item)
		return stop_reason(st);
	if ((error = kith_group_copy(&item->arena, &item->group, g)) != 0 ||
	    (error = derive_columns(st, &item->group, &item->cols)) != 0 ||
	    (st->fresh && (error = count_terms(st, &item->cols)) != 0))
		return error;
	send_item(st);
	return 0;
}

static int read_withdrawn(void *ctx, const char *id)
{
	load_state *st = ctx;
	load_item *item = take_free_item(st, ITEM_WITHDRAWN);

	if (!item)
		return stop_reason(st);
	if ((item->id = kith_arena_strdup(&item->arena, id)) == NULL)
		return KITH_ENOMEM;
	send_item(st);
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
	kith_feed_handler handler = {read_header, read_group, read_withdrawn, read_progress, st};
	int result = kith_feed_read(st->path, &handler, st->skip_bad_groups, st->diags, &st->result);

	pthread_mutex_lock(&st->queue.lock);
	st->queue.read_result = result;
	st->queue.reading_done = 1;
	queue_changed(&st->queue);
	pthread_mutex_unlock(&st->queue.lock);
	return NULL;
}

/* ---- the writing thread ---------------------------------------------------- */

static int write_header(load_state *st, const kith_feed_info *info)
{
	kith_index *idx = st->idx;
	sqlite3_stmt *s = NULL;
	char rules_hash[KITH_RULES_HASH_TEXT];
	int error = 0, rc;

	snprintf(st->report->feed_id, sizeof(st->report->feed_id), "%s", info->id);
	st->delta = info->delta;
	if ((st->feed_id = strdup(info->id)) == NULL ||
	    (info->publisher && (st->publisher = strdup(info->publisher)) == NULL) ||
	    (info->generated && (st->generated = strdup(info->generated)) == NULL))
		return KITH_ENOMEM;
	memcpy(st->sha256, info->sha256, sizeof(st->sha256));
	st->size = info->size;
	/* a load touches pages all over the B-trees: a larger cache saves reading them again */
	if ((error = kith_index_exec(idx, LOAD_CACHE)) != 0 || (error = kith_index_exec(idx, "BEGIN IMMEDIATE")) != 0)
		return error;
	st->in_transaction = 1;
	/* the same bytes need no reading, unless other rules made the index's concepts (a kith upgrade) */
	if (sqlite3_prepare_v2(kith_index_db(idx),
			       "SELECT source_sha256, group_count, "
			       "NOT EXISTS (SELECT 1 FROM groups WHERE feed_id = ?1), "
			       "(SELECT value FROM meta WHERE key = 'rules_hash') IS ?2 FROM feeds WHERE id = ?1",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_index_db_error(idx, "reading feeds");
	bind_text(s, 1, info->id);
	kith_rules_hash_text(loader_of(idx)->rules, rules_hash);
	bind_text(s, 2, rules_hash);
	st->fresh = 1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		st->fresh = sqlite3_column_int(s, 2);
		if (sqlite3_column_text(s, 0) && strcmp((const char *)sqlite3_column_text(s, 0), info->sha256) == 0 &&
		    sqlite3_column_int(s, 3)) {
			st->report->unchanged = (size_t)sqlite3_column_int64(s, 1);
			st->report->identical = 1;
			error = KITH_STOP_IDENTICAL;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kith_index_db_error(idx, "reading feeds");
	if (error || st->fresh)
		return error; /* a feed new to the index has no old groups to look up or remove */
	return kith_index_exec(idx, "CREATE TEMP TABLE IF NOT EXISTS seen(gid INTEGER PRIMARY KEY);"
				    "DELETE FROM temp.seen;");
}

/* The row of the feed's group with this id: its gid and content hash; gid 0 when there is none. */
static int find_group(load_state *st, const char *id, sqlite3_int64 *gid, int64_t *hash)
{
	sqlite3_stmt *s = stmt(st->idx, S_FIND);
	int rc;

	*gid = 0;
	*hash = 0;
	if (!s)
		return KITH_EIO;
	bind_text(s, 1, st->feed_id);
	bind_text(s, 2, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*gid = sqlite3_column_int64(s, 0);
		*hash = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return kith_index_db_error(st->idx, "reading groups");
	return 0;
}

static int mark_seen(load_state *st, sqlite3_int64 gid)
{
	sqlite3_stmt *s;

	if (st->fresh)
		return 0;
	if ((s = stmt(st->idx, S_SEEN)) == NULL)
		return KITH_EIO;
	sqlite3_bind_int64(s, 1, gid);
	return step_done(st->idx, s);
}

static int note_pack(load_state *st, sqlite3_int64 gid, uint64_t mask, uint64_t langs)
{
	if (KITH_ARRAY_RESERVE(st->pack, st->pack_alloc, st->pack_count + 1, 1024) != 0)
		return KITH_ENOMEM;
	st->pack[st->pack_count].gid = gid;
	st->pack[st->pack_count].mask = mask;
	st->pack[st->pack_count].langs = langs;
	st->pack[st->pack_count].order = st->pack_count;
	st->pack_count++;
	return 0;
}

/* Inserts the group's rows (with gid when it replaces a group, else a new one). */
static int insert_group(load_state *st, const kith_group *g, const group_columns *c, sqlite3_int64 gid)
{
	kith_index *idx = st->idx;
	sqlite3_stmt *s = stmt(idx, S_INSERT_GROUP);
	size_t i;
	int error = 0, k;

	if (!s)
		return KITH_EIO;
	if (gid > 0)
		sqlite3_bind_int64(s, 1, gid);
	bind_text(s, 2, st->feed_id);
	bind_text(s, 3, g->id);
	bind_text(s, 4, c->key.ptr);
	sqlite3_bind_int64(s, 5, c->hash);
	bind_text(s, 6, g->name);
	bind_text(s, 7, g->organisation);
	bind_text(s, 8, g->description);
	bind_text(s, 9, c->tag_words.size ? c->tag_words.ptr : NULL);
	bind_text(s, 10, g->updated);
	sqlite3_bind_int64(s, 11, g->line);
	sqlite3_bind_int(s, 12, g->online);
	bind_text(s, 13, g->online_how);
	if (g->home_visits && g->home_point.known) {
		sqlite3_bind_double(s, 14, g->home_radius_km);
		sqlite3_bind_double(s, 15, g->home_point.lat);
		sqlite3_bind_double(s, 16, g->home_point.lon);
	}
	sqlite3_bind_int(s, 17, g->schedule_known);
	sqlite3_bind_int(s, 18, g->by_appointment);
	bind_text(s, 19, g->starts);
	bind_text(s, 20, g->ends);
	for (k = 0; k < KITH_ACCESS_COUNT; k++)
		sqlite3_bind_int(s, 21 + k, (int)g->access[k]);
	if (g->min_age >= 0)
		sqlite3_bind_int(s, 27, g->min_age);
	if (g->max_age >= 0)
		sqlite3_bind_int(s, 28, g->max_age);
	bind_text(s, 29, kith_gender_name(g->gender));
	bind_text(s, 30, kith_referral_name(g->referral_professional));
	if (g->cost_known) {
		sqlite3_bind_int(s, 31, g->cost_free);
		sqlite3_bind_double(s, 32, g->cost_free ? 0.0 : g->cost_amount);
		bind_text(s, 33, kith_cost_per_name(g->cost_per));
	}
	bind_text(s, 34, kith_capacity_name(g->capacity));
	bind_text(s, 35, c->langs.size ? c->langs.ptr : "en");
	bind_text(s, 36, g->phone);
	bind_text(s, 37, g->email);
	bind_text(s, 38, g->web);
	bind_text(s, 39, c->needs.ptr);
	bind_text(s, 40, c->activities.ptr);
	bind_text(s, 41, c->requires.ptr);
	bind_text(s, 42, c->sessions.ptr);
	bind_text(s, 43, c->venues.size ? c->venues.ptr : NULL); /* NULL: no located venue */
	bind_text(s, 44, c->text_concepts.ptr);
	bind_text(s, 45, c->name_concepts.ptr);
	bind_text(s, 46, c->concept_words.ptr);
	sqlite3_bind_int64(s, 47, (sqlite3_int64)c->mask);
	bind_text(s, 48, c->stems.ptr);
	sqlite3_bind_int64(s, 49, (sqlite3_int64)c->token_count);
	bind_text(s, 50, g->venue_count ? g->venues[0].address : NULL);
	sqlite3_bind_int(s, 51, c->unlocated);
	sqlite3_bind_int64(s, 52, (sqlite3_int64)c->langs_mask);
	if ((error = step_done(idx, s)) != 0)
		goto cleanup;
	gid = sqlite3_last_insert_rowid(kith_index_db(idx));
	if (gid >= (sqlite3_int64)1 << (62 - KITH_VENUE_BITS)) {
		error = kith_error_set(kith_index_error_of(idx), KITH_ETOOLARGE, "group ids have run out");
		goto cleanup;
	}
	if ((error = note_pack(st, gid, c->mask, c->langs_mask)) != 0)
		goto cleanup;

	if ((s = stmt(idx, S_FTS_INSERT)) == NULL) {
		error = KITH_EIO;
		goto cleanup;
	}
	sqlite3_bind_int64(s, 1, gid);
	bind_text(s, 2, g->name);
	bind_text(s, 3, g->organisation);
	bind_text(s, 4, g->description);
	bind_text(s, 5, c->tag_words.size ? c->tag_words.ptr : NULL);
	bind_text(s, 6, c->concept_words.ptr);
	if ((error = step_done(idx, s)) != 0)
		goto cleanup;

	for (i = 0; i < g->venue_count && i < ((size_t)1 << KITH_VENUE_BITS); i++) {
		const kith_venue *v = &g->venues[i];
		sqlite3_int64 vid = gid << KITH_VENUE_BITS | (sqlite3_int64)i;
		if ((s = stmt(idx, S_INS_VENUE)) == NULL) {
			error = KITH_EIO;
			goto cleanup;
		}
		sqlite3_bind_int64(s, 7, vid);
		sqlite3_bind_int64(s, 1, gid);
		bind_text(s, 2, v->address);
		bind_text(s, 3, v->postcode);
		if (v->point.known) {
			sqlite3_bind_double(s, 4, v->point.lat);
			sqlite3_bind_double(s, 5, v->point.lon);
			bind_text(s, 6, v->placed_by_postcode ? "postcode" : "point");
		}
		if ((error = step_done(idx, s)) != 0)
			goto cleanup;
		if (v->point.known) {
			if ((s = stmt(idx, S_INS_VENUE_RTREE)) == NULL) {
				error = KITH_EIO;
				goto cleanup;
			}
			sqlite3_bind_int64(s, 1, vid);
			sqlite3_bind_double(s, 2, v->point.lat);
			sqlite3_bind_double(s, 3, v->point.lon);
			if ((error = step_done(idx, s)) != 0)
				goto cleanup;
		}
	}
	for (i = 0; i < g->session_count; i++) {
		if ((s = stmt(idx, S_INS_SESSION)) == NULL) {
			error = KITH_EIO;
			goto cleanup;
		}
		sqlite3_bind_int64(s, 1, gid);
		sqlite3_bind_int(s, 2, g->sessions[i].day);
		sqlite3_bind_int(s, 3, g->sessions[i].start);
		sqlite3_bind_int(s, 4, g->sessions[i].end);
		sqlite3_bind_int(s, 5, (int)g->sessions[i].weeks);
		if ((error = step_done(idx, s)) != 0)
			goto cleanup;
	}
	if ((error = insert_tags(idx, S_INS_NEED, gid, &g->needs)) != 0 ||
	    (error = insert_tags(idx, S_INS_ACTIVITY, gid, &g->activities)) != 0 ||
	    (error = insert_tags(idx, S_INS_REQUIRES, gid, &g->requires)) != 0 ||
	    (error = insert_tags(idx, S_INS_LANGUAGE, gid, &g->languages)) != 0)
		goto cleanup;
	if (g->home_visits && g->home_point.known) {
		/* the box around the circle the service reaches */
		double dlat = g->home_radius_km / 111.0;
		double coslat = cos(g->home_point.lat * 3.14159265358979323846 / 180.0);
		double dlon = g->home_radius_km / (111.0 * (coslat > 0.01 ? coslat : 0.01));
		if ((s = stmt(idx, S_INS_HOME_RTREE)) == NULL) {
			error = KITH_EIO;
			goto cleanup;
		}
		sqlite3_bind_int64(s, 1, gid);
		sqlite3_bind_double(s, 2, g->home_point.lat - dlat);
		sqlite3_bind_double(s, 3, g->home_point.lat + dlat);
		sqlite3_bind_double(s, 4, g->home_point.lon - dlon);
		sqlite3_bind_double(s, 5, g->home_point.lon + dlon);
		sqlite3_bind_int64(s, 6, (sqlite3_int64)c->mask);
		sqlite3_bind_int64(s, 7, (sqlite3_int64)c->langs_mask);
		if ((error = step_done(idx, s)) != 0)
			goto cleanup;
	}
	if (g->online) {
		if ((s = stmt(idx, S_INS_ONLINE)) == NULL) {
			error = KITH_EIO;
			goto cleanup;
		}
		sqlite3_bind_int64(s, 1, gid);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)c->mask);
		sqlite3_bind_int64(s, 3, (sqlite3_int64)c->langs_mask);
		if ((error = step_done(idx, s)) != 0)
			goto cleanup;
	}
	error = mark_seen(st, gid);

cleanup:
	return error;
}
static int write_group(load_state *st, const kith_group *g, const group_columns *c)
{
	sqlite3_int64 gid = 0;
	int64_t old_hash = 0;
	int error;

	if (!st->fresh && (error = find_group(st, g->id, &gid, &old_hash)) != 0)
		return error;
	if (gid && old_hash == c->hash) {
		st->report->unchanged++;
		return mark_seen(st, gid);
	}
	if (gid) {
		if ((error = delete_group(st->idx, gid)) != 0)
			return error;
		st->report->updated++;
	} else {
		st->report->added++;
	}
	return insert_group(st, g, c, gid);
}

static int write_withdrawn(load_state *st, const char *id)
{
	sqlite3_int64 gid;
	int64_t hash;
	int error = find_group(st, id, &gid, &hash);

	if (error || !gid)
		return error;
	st->report->removed++;
	if ((error = delete_group(st->idx, gid)) != 0)
		return error;
	return note_pack(st, gid, 0, 0);
}

static int write_item(load_state *st, const load_item *item)
{
	switch (item->kind) {
	case ITEM_HEADER: return write_header(st, &item->info);
	case ITEM_GROUP: return write_group(st, &item->group, &item->cols);
	case ITEM_WITHDRAWN: return write_withdrawn(st, item->id);
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
	load_queue *q = &st->queue;
	int error = 0;

	for (;;) {
		size_t ready, first, done;
		pthread_mutex_lock(&q->lock);
		while (!q->count && !q->reading_done)
			queue_wait(q);
		/* a feed that failed validation is rolled back: what is left need not be written */
		ready = q->reading_done && q->read_result ? 0 : q->count;
		first = q->head;
		pthread_mutex_unlock(&q->lock);
		if (!ready)
			return 0;
		/* every item waiting now, handed back a few at a time so the reader never waits long */
		for (done = 0; done < ready;) {
			size_t batch = ready - done < RELEASE_EVERY ? ready - done : RELEASE_EVERY, k;
			for (k = 0; k < batch && !error; k++)
				error = write_item(st, &q->items[(first + done + k) % QUEUE_ITEMS]);
			done += batch;
			pthread_mutex_lock(&q->lock);
			q->head = (q->head + batch) % QUEUE_ITEMS;
			q->count -= batch;
			q->stop = error;
			queue_changed(q);
			pthread_mutex_unlock(&q->lock);
			if (error)
				return error;
		}
	}
}

static int queue_init(load_queue *q)
{
	kith_buf *bufs[COLUMN_BUFS];
	size_t i, b;

	memset(q, 0, sizeof(*q));
	if ((q->items = calloc(QUEUE_ITEMS, sizeof(*q->items))) == NULL)
		return KITH_ENOMEM;
	for (i = 0; i < QUEUE_ITEMS; i++) {
		column_bufs(&q->items[i].cols, bufs);
		for (b = 0; b < COLUMN_BUFS; b++)
			kith_buf_init(bufs[b], 0);
	}
	if (pthread_mutex_init(&q->lock, NULL) != 0)
		goto failed;
	if (pthread_cond_init(&q->changed, NULL) != 0) {
		pthread_mutex_destroy(&q->lock);
		goto failed;
	}
	return 0;

failed:
	free(q->items);
	q->items = NULL;
	return KITH_ENOMEM;
}

static void queue_release(load_queue *q)
{
	kith_buf *bufs[COLUMN_BUFS];
	size_t i, b;

	for (i = 0; i < QUEUE_ITEMS; i++) {
		column_bufs(&q->items[i].cols, bufs);
		for (b = 0; b < COLUMN_BUFS; b++)
			kith_buf_release(bufs[b]);
		kith_arena_release(&q->items[i].arena);
	}
	free(q->items);
	pthread_cond_destroy(&q->changed);
	pthread_mutex_destroy(&q->lock);
}

/* Removes the feed's groups that a full load did not list. */
static int remove_unseen(load_state *st)
{
	kith_index *idx = st->idx;
	sqlite3_stmt *s = NULL;
	sqlite3_int64 *gids = NULL;
	size_t n = 0, alloc = 0, i;
	int rc, error = 0;

	if (sqlite3_prepare_v2(kith_index_db(idx),
			       "SELECT gid FROM groups WHERE feed_id = ?1 AND gid NOT IN (SELECT gid FROM temp.seen)",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_index_db_error(idx, "reading groups");
	bind_text(s, 1, st->feed_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((error = KITH_ARRAY_RESERVE(gids, alloc, n + 1, 64)) != 0)
			goto cleanup;
		gids[n++] = sqlite3_column_int64(s, 0);
	}
	if (rc != SQLITE_DONE) {
		error = kith_index_db_error(idx, "reading groups");
		goto cleanup;
	}
	for (i = 0; i < n && !error; i++)
		if ((error = delete_group(idx, gids[i])) == 0)
			error = note_pack(st, gids[i], 0, 0);
	st->report->removed += n;

cleanup:
	sqlite3_finalize(s);
	free(gids);
	return error;
}

/*
 * What BM25 needs at match time: how many groups hold each term, and the
 * groups' mean length in tokens.  A new feed adds what its reading thread
 * counted; a load that replaced or removed groups counts again, reading
 * FTS5's own index.
 */
static int update_term_docs(load_state *st)
{
	static const char mean[] = "INSERT OR REPLACE INTO meta(key, value) SELECT 'avg_tokens', "
				   "CASE WHEN g.value > 0 THEN CAST(t.value AS REAL) / g.value ELSE 0 END "
				   "FROM meta t, meta g WHERE t.key = 'tokens' AND g.key = 'groups'";
	kith_index *idx = st->idx;
	sqlite3_stmt *s = NULL;
	size_t i;
	int error = 0;

	if (!st->fresh) {
		error = kith_index_exec(idx,
					"INSERT OR REPLACE INTO meta(key, value) "
					"SELECT 'tokens', coalesce(sum(token_count), 0) FROM groups;"
					"INSERT OR REPLACE INTO meta(key, value) SELECT 'groups', count(*) FROM groups;"
					"CREATE VIRTUAL TABLE IF NOT EXISTS temp.kith_vocab USING fts5vocab(main, "
					"'group_fts', 'row');"
					"DELETE FROM term_docs;"
					"INSERT INTO term_docs(term, docs) SELECT term, doc FROM temp.kith_vocab;");
		return error ? error : kith_index_exec(idx, mean);
	}
	if (sqlite3_prepare_v2(kith_index_db(idx),
			       "INSERT INTO term_docs(term, docs) VALUES (?1, ?2) "
			       "ON CONFLICT(term) DO UPDATE SET docs = docs + excluded.docs",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_index_db_error(idx, "writing term_docs");
	for (i = 0; i < st->terms.capacity && !error; i++) {
		const kith_term_count *t = &st->terms.slots[i];
		if (!t->term)
			continue;
		bind_text(s, 1, t->term);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)t->docs);
		error = step_done(idx, s);
	}
	sqlite3_finalize(s);
	if (error)
		return error;
	if (sqlite3_prepare_v2(kith_index_db(idx),
			       "INSERT OR REPLACE INTO meta(key, value) VALUES "
			       "('tokens', coalesce((SELECT value FROM meta WHERE key = 'tokens'), 0) + ?1), "
			       "('groups', coalesce((SELECT value FROM meta WHERE key = 'groups'), 0) + ?2)",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_index_db_error(idx, "writing meta");
	sqlite3_bind_int64(s, 1, st->tokens);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)st->report->added);
	error = step_done(idx, s);
	sqlite3_finalize(s);
	return error ? error : kith_index_exec(idx, mean);
}

#define PACK_ENTRIES 16384 /* online groups per blob */

static void put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Rewrites online_pack from online_groups. */
static int pack_online(kith_index *idx)
{
	sqlite3 *db = kith_index_db(idx);
	sqlite3_stmt *rows = NULL, *ins = NULL;
	unsigned char *entries = malloc(PACK_ENTRIES * 24);
	size_t n = 0;
	int part = 0, rc, error = 0;

	if (!entries)
		return KITH_ENOMEM;
	if ((error = kith_index_exec(idx, "DELETE FROM online_pack")) != 0)
		goto cleanup;
	if (sqlite3_prepare_v2(db, "SELECT gid, mask, langs FROM online_groups ORDER BY gid", -1, &rows, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO online_pack(part, entries) VALUES (?1, ?2)", -1, &ins, NULL) !=
		    SQLITE_OK) {
		error = kith_index_db_error(idx, "packing online groups");
		goto cleanup;
	}
	for (;;) {
		rc = sqlite3_step(rows);
		if (rc == SQLITE_ROW) {
			put_le64(entries + 24 * n, (uint64_t)sqlite3_column_int64(rows, 0));
			put_le64(entries + 24 * n + 8, (uint64_t)sqlite3_column_int64(rows, 1));
			put_le64(entries + 24 * n + 16, (uint64_t)sqlite3_column_int64(rows, 2));
			n++;
		} else if (rc != SQLITE_DONE) {
			error = kith_index_db_error(idx, "packing online groups");
			goto cleanup;
		}
		if (n && (n == PACK_ENTRIES || rc == SQLITE_DONE)) {
			sqlite3_bind_int(ins, 1, part++);
			sqlite3_bind_blob(ins, 2, entries, (int)(24 * n), SQLITE_STATIC);
			if ((error = step_done(idx, ins)) != 0)
				goto cleanup;
			n = 0;
		}
		if (rc == SQLITE_DONE)
			break;
	}

cleanup:
	sqlite3_finalize(rows);
	sqlite3_finalize(ins);
	free(entries);
	return error;
}

static int by_gid_then_order(const void *a, const void *b)
{
	const pack_change *x = a, *y = b;

	if (x->gid != y->gid)
		return x->gid < y->gid ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* Applies the load's changes to the parts of group_pack they fall in. */
static int write_group_pack(load_state *st)
{
	sqlite3 *db = kith_index_db(st->idx);
	sqlite3_stmt *get = NULL, *put = NULL;
	unsigned char *entries = NULL;
	size_t i = 0;
	int error = 0;

	if (!st->pack_count)
		return 0;
	qsort(st->pack, st->pack_count, sizeof(*st->pack), by_gid_then_order);
	if (sqlite3_prepare_v2(db, "SELECT entries FROM group_pack WHERE part = ?1", -1, &get, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT OR REPLACE INTO group_pack(part, entries) VALUES (?1, ?2)", -1, &put,
			       NULL) != SQLITE_OK) {
		error = kith_index_db_error(st->idx, "packing group masks");
		goto cleanup;
	}
	if ((entries = malloc((size_t)KITH_PACK_GIDS * KITH_PACK_ENTRY)) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	while (i < st->pack_count && !error) {
		sqlite3_int64 part = st->pack[i].gid / KITH_PACK_GIDS;
		size_t used = 0;
		memset(entries, 0, (size_t)KITH_PACK_GIDS * KITH_PACK_ENTRY);
		sqlite3_bind_int64(get, 1, part);
		if (sqlite3_step(get) == SQLITE_ROW) {
			used = (size_t)sqlite3_column_bytes(get, 0);
			if (used > (size_t)KITH_PACK_GIDS * KITH_PACK_ENTRY)
				used = (size_t)KITH_PACK_GIDS * KITH_PACK_ENTRY;
			memcpy(entries, sqlite3_column_blob(get, 0), used);
		}
		sqlite3_reset(get);
		for (; i < st->pack_count && st->pack[i].gid / KITH_PACK_GIDS == part; i++) {
			size_t at = (size_t)(st->pack[i].gid % KITH_PACK_GIDS) * KITH_PACK_ENTRY;
			put_le64(entries + at, st->pack[i].mask);
			put_le64(entries + at + 8, st->pack[i].langs);
			if (at + KITH_PACK_ENTRY > used)
				used = at + KITH_PACK_ENTRY;
		}
		sqlite3_bind_int64(put, 1, part);
		sqlite3_bind_blob(put, 2, entries, (int)used, SQLITE_STATIC);
		error = step_done(st->idx, put);
	}

cleanup:
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	free(entries);
	return error;
}

static int record_feed(load_state *st)
{
	char hash[KITH_RULES_HASH_TEXT];
	sqlite3_stmt *m = NULL;

	kith_index *idx = st->idx;
	sqlite3_stmt *s = NULL;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	int error = 0;

	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (sqlite3_prepare_v2(kith_index_db(idx),
			       "INSERT OR REPLACE INTO feeds(id, publisher, generated, mode, loaded_at, source_file, "
			       "source_sha256, source_bytes, group_count) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
			       "(SELECT count(*) FROM groups WHERE feed_id = ?1))",
			       -1, &s, NULL) != SQLITE_OK)
		return kith_index_db_error(idx, "writing feeds");
	bind_text(s, 1, st->feed_id);
	bind_text(s, 2, st->publisher);
	bind_text(s, 3, st->generated);
	bind_text(s, 4, st->delta ? "delta" : "full");
	bind_text(s, 5, now);
	bind_text(s, 6, st->path);
	bind_text(s, 7, st->sha256);
	sqlite3_bind_int64(s, 8, (sqlite3_int64)st->size);
	if (sqlite3_step(s) != SQLITE_DONE)
		error = kith_index_db_error(idx, "writing feeds");
	sqlite3_finalize(s);
	if (!error)
		error = update_term_docs(st);
	if (!error)
		error = pack_online(idx);
	if (!error)
		error = write_group_pack(st);
	kith_rules_hash_text(loader_of(idx)->rules, hash);
	if (!error &&
	    sqlite3_prepare_v2(kith_index_db(idx), "INSERT OR REPLACE INTO meta(key, value) VALUES ('rules_hash', ?1)",
			       -1, &m, NULL) == SQLITE_OK) {
		bind_text(m, 1, hash);
		if (sqlite3_step(m) != SQLITE_DONE)
			error = kith_index_db_error(idx, "writing meta");
	}
	sqlite3_finalize(m);
	return error;
}

/* The rules and the tokenizer, made on the first load: matching needs neither from here. */
static int load_tools(kith_index *idx)
{
	int error = 0;

	kith_loader **slot = kith_index_loader(idx);

	if (!*slot && (*slot = calloc(1, sizeof(**slot))) == NULL)
		return KITH_ENOMEM;
	if (!(*slot)->rules) {
		kith_buf err = KITH_BUF_INIT;
		error = kith_rules_compile(&(*slot)->rules, kith_default_synonyms, "synonyms.rules", &err);
		if (error)
			kith_error_set(kith_index_error_of(idx), error, "built-in rules: %s", err.ptr);
		kith_buf_release(&err);
		if (error)
			return error;
	}
	if (!(*slot)->stemmer && (error = kith_stemmer_new(&(*slot)->stemmer, kith_index_db(idx))) != 0)
		return kith_error_set(kith_index_error_of(idx), error, "this SQLite has no FTS5 porter tokenizer");
	return 0;
}

int kith_index_load(kith_index *idx, const char *path, const kith_load_opts *opts, kith_load_report *report,
		    kith_diag_list *diags)
{
	kith_load_opts defaults = KITH_LOAD_OPTS_INIT;
	kith_load_report local;
	load_state st;
	pthread_t reader;
	int error, read_result, queue_ready = 0;

	if (!opts)
		opts = &defaults;
	if (!report)
		report = &local;
	memset(report, 0, sizeof(*report));
	memset(&st, 0, sizeof(st));
	st.idx = idx;
	st.path = path;
	st.report = report;
	st.skip_bad_groups = opts->skip_bad_groups;
	st.diags = diags;
	st.progress = opts->progress;
	st.progress_data = opts->progress_data;
	kith_buf_init(&st.read_error.message, 0);
	kith_error_clear(kith_index_error_of(idx));

	if ((error = load_tools(idx)) != 0)
		goto cleanup;
	if ((error = queue_init(&st.queue)) != 0)
		goto cleanup;
	queue_ready = 1;
	if (pthread_create(&reader, NULL, reading_thread, &st) != 0) {
		error = kith_error_set(kith_index_error_of(idx), KITH_ENOMEM, "%s: cannot start a thread to read it",
				       path);
		goto cleanup;
	}
	error = write_items(&st);
	pthread_join(reader, NULL);
	read_result = st.queue.read_result;
	report->skipped = st.result.skipped;
	report->warnings = st.result.warnings;
	report->errors = st.result.errors;
	if (error == KITH_STOP_IDENTICAL) {
		error = 0;
		goto cleanup;
	}
	if (!error && read_result) {
		error = read_result;
		if (st.read_error.code)
			kith_error_set(kith_index_error_of(idx), error, "%s", kith_error_message(&st.read_error));
	}
	if (!error && !st.in_transaction)
		error = KITH_EINVALID; /* no root was ever read */
	if (!error && !st.delta && !st.fresh)
		error = remove_unseen(&st);
	if (!error)
		error = record_feed(&st);
	if (!error)
		error = kith_index_exec(idx, "COMMIT");
	if (!error)
		st.in_transaction = 0;
	if (error && kith_index_error_of(idx)->code == 0)
		kith_error_set(kith_index_error_of(idx), error, "%s: feed not loaded: %s", path,
			       error == KITH_EINVALID    ? "it is not valid"
			       : error == KITH_ETOOLARGE ? "it is over a size or nesting limit"
			       : error == KITH_EIO       ? "it cannot be read"
							 : kith_strerror(error));

cleanup:
	if (st.in_transaction)
		kith_index_exec(idx, "ROLLBACK");
	if (error)
		report->added = report->updated = report->removed = report->unchanged = 0;
	if (queue_ready)
		queue_release(&st.queue);
	kith_error_release(&st.read_error);
	kith_term_counts_release(&st.terms);
	free(st.pack);
	free(st.read_feed_id);
	free(st.feed_id);
	free(st.publisher);
	free(st.generated);
	return error;
}
