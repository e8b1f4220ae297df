/*
 * The matcher (see kith/match.h).
 *
 * A query runs in four steps.  Candidates: the groups with a venue inside
 * the person's travel box (R*Tree), plus those that can be joined online or
 * come to the home (a partial index), or every group when the person gave
 * no place or limit.  Filter: each candidate is checked against the seven
 * hard constraints; any break leaves it out.  Score: each factor in [0, 1]
 * times its weight, rounded, so the parts add up to the score shown.
 * Rank: best first, with a small penalty for repeating what the list
 * already covers and one listing per real-world group.
 */
#include "kith/match.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "util/buf.h"
#include "model/dedup.h"
#include "model/embedded.h"
#include "model/geo.h"
#include "model/names.h"
#include "util/hash.h"
#include "store/index_db.h"
#include "feed/patient.h"
#include "text/rules.h"
#include "model/schedule.h"
#include "text/stem.h"
#include "text/vocab.h"
#include "text/words.h"
#include "model/weights.h"
#include "util/array.h"
#include "util/file.h"

#define MAX_SESSIONS 16
#define MAX_POINTS 8
#define DEFAULT_LIMIT_KM 8.0 /* the distance scale when a person gives no limit */
#define MIN_OVERLAP 30       /* minutes a session must overlap availability (FORMATS.md) */
#define STALE_DAYS 365
#define KITH_DISTANCE_STEEPNESS 4.0
#define KITH_TEXT_SHARE 0.6 /* of the interests factor that comes from BM25 rather than the rules */

#define MAX_PACK_PARTS 65536 /* 4 billion gids; a larger one was not written by kith */

/* One part of group_pack: the masks of KITH_PACK_GIDS gids. */
typedef struct pack_part {
	unsigned char *entries; /* owned */
	size_t bytes;
	int read;
} pack_part;

/* The queries that gather candidates with their concept and language masks (masked_sql). */
enum { Q_BOX, Q_ABOVE, Q_BELOW, Q_LEFT, Q_RIGHT, Q_UNLOCATED, Q_HOME_VISITS, Q_ALL_GROUPS, Q_COUNT };

struct kith_matcher {
	kith_index *idx; /* borrowed */
	sqlite3 *db;     /* borrowed from idx */
	kith_error error;
	kith_weights weights;
	kith_rules *rules;             /* owned */
	sqlite3_stmt *by_gid;          /* owned: one group's row */
	sqlite3_stmt *by_key;          /* owned: a key's gid */
	int precomputed;               /* the index's concepts came from these same rules */
	kith_stemmer *stemmer;         /* owned: FTS5's tokenizer, for BM25 in C */
	sqlite3_stmt *term_docs;       /* owned: how many groups have a term */
	sqlite3_stmt *masked[Q_COUNT]; /* owned; prepared on first use: the candidate queries */
	sqlite3_stmt *online;          /* owned; prepared on first use: the packed online groups */
	pack_part *pack;               /* owned: group_pack's parts, each read when a venue first needs it */
	size_t pack_count;             /* parts allocated in pack */
	sqlite3_stmt *pack_get;        /* owned; prepared on first use */
	double rows;                   /* groups in the index */
	double avg_tokens;             /* tokens per group, on average */
};

/* One group under consideration, read from its row. */
typedef struct cand {
	sqlite3_int64 gid;
	const char *key, *name, *tag_words;
	const char *needs, *activities, *requires, *languages; /* space-separated */
	const char *starts_text, *ends_text;
	/* the details: only what a shown result or a duplicate test needs, read for few (load_details) */
	int has_details;
	const char *organisation, *description, *updated_text, *online_how;
	const char *phone, *email, *web;
	const char *address;                       /* of the first venue, or NULL */
	const char *text_concepts, *name_concepts; /* worked out at load time: 'id=strength ...' */
	const char *stems;                         /* FTS5 tokens of name|organisation|description|tag words */
	int tokens;                                /* how many */
	double lat[MAX_POINTS], lon[MAX_POINTS];
	size_t point_count;
	int has_unlocated_venue;
	int online;
	int home_visits;
	double home_radius, home_lat, home_lon;
	int schedule_known, by_appointment;
	long starts, ends, updated; /* days; LONG_MIN / LONG_MAX / -1 when absent */
	kith_session sessions[MAX_SESSIONS];
	size_t session_count;
	kith_tri access[KITH_ACCESS_COUNT];
	int min_age, max_age;
	kith_gender gender;
	int referral_professional;
	int cost_known, cost_free;
	double cost_amount;
	kith_cost_per cost_per;
	kith_capacity capacity;
	/* worked out while filtering and scoring */
	double distance; /* nearest located venue, km; < 0 when unknown */
	int nearest;     /* index of that venue */
	int in_person, by_online, by_home;
	double factor[KITH_F_COUNT];
	double part[KITH_F_COUNT]; /* weight x factor, rounded */
	double base;               /* sum of parts */
	double text_score;         /* raw BM25, larger is better */
	unsigned aspects;          /* bit per need / interest it covers, for variety */
	int broken;                /* breaks a hard constraint */
	double variety;            /* penalty for repeating what the list shows, rounded */
	double final;              /* base - variety */
	int off_target;            /* named for a condition the person did not mention */
	int dup_of;                /* index of the listing of the same group shown instead, or -1 */
	int also;                  /* index of a duplicate listing left out, or -1 */
} cand;

/* What a query knows about the person, worked out once. */
typedef struct query {
	const kith_patient *pt;
	long today;
	double limit; /* travel limit in km, or the default scale */
	int has_limit;
	double need_weight[32];
	char need_id[32][48];
	size_t need_count;
	kith_concepts interests;  /* what the person's words and tags mean */
	kith_concepts conditions; /* health conditions and situations they mention */
	int no_car;               /* they say they have no car: nearness counts double */
	uint64_t mask;            /* their needs, interests and conditions as concept bits */
	uint64_t langs;           /* the languages they speak as language bits */
	char words[2048];         /* their words worth searching for, space-separated */
} query;

struct kith_results {
	kith_arena arena; /* owns every string */
	kith_result *items;
	size_t count;
	char *patient;
};

/* ---- setup ----------------------------------------------------------- */

/* The text of a weights or rules file (free() it), or NULL with the reason on err. */
static char *read_file(const char *path, kith_error *err)
{
	kith_buf b;
	int error;

	kith_buf_init(&b, 4u << 20);
	if ((error = kith_file_read(&b, path)) != 0) {
		if (error == KITH_EIO)
			kith_error_set(err, error, "%s: cannot read: %s", path, strerror(errno));
		else
			kith_error_set(err, error, "%s: %s", path,
				       error == KITH_ETOOLARGE ? "file too large" : kith_strerror(error));
		kith_buf_release(&b);
		return NULL;
	}
	return kith_buf_detach(&b);
}

static const char row_sql[] =
	"SELECT gid, key, name, organisation, description, tag_words, needs_list, activities_list, "
	"requires_list, languages, updated, starts, ends, online, online_how, home_radius_km, home_lat, "
	"home_lon, schedule_known, by_appointment, sessions_list, venue_list, wheelchair, step_free, "
	"hearing_loop, accessible_toilet, parking, public_transport, min_age, max_age, gender, referral, "
	"cost_free, cost_amount, cost_per, capacity, phone, email, web, "
	"unlocated_venues, first_address, "
	"text_concepts, name_concepts, stems, token_count "
	"FROM groups WHERE gid = ?1";

int kith_matcher_new(kith_matcher **out, kith_index *idx, const char *weights_path, const char *rules_path)
{
	kith_matcher *m = calloc(1, sizeof(*m));
	kith_buf err = KITH_BUF_INIT;
	char *text = NULL;
	int error = 0;

	*out = m;
	if (!m)
		return KITH_ENOMEM;
	m->idx = idx;
	m->db = kith_index_db(idx);
	/* the R*Tree's pages and the rows last read stay cached from one match to the next */
	sqlite3_exec(m->db, "PRAGMA cache_size=-8192", NULL, NULL, NULL); /* KiB */
	text = weights_path ? read_file(weights_path, &m->error) : strdup(kith_default_weights);
	if (!text) {
		error = m->error.code ? m->error.code : KITH_ENOMEM;
		goto cleanup;
	}
	if ((error = kith_weights_parse(&m->weights, text, weights_path ? weights_path : "weights.conf", &err)) != 0) {
		kith_error_set(&m->error, error, "%s", err.ptr);
		goto cleanup;
	}
	free(text);
	text = rules_path ? read_file(rules_path, &m->error) : strdup(kith_default_synonyms);
	if (!text) {
		error = m->error.code ? m->error.code : KITH_ENOMEM;
		goto cleanup;
	}
	if ((error = kith_rules_compile(&m->rules, text, rules_path ? rules_path : "synonyms.rules", &err)) != 0) {
		kith_error_set(&m->error, error, "%s", err.ptr);
		goto cleanup;
	}
	{
		sqlite3_stmt *s = NULL;
		char hash[KITH_RULES_HASH_TEXT];
		kith_rules_hash_text(m->rules, hash);
		if (sqlite3_prepare_v2(m->db, "SELECT value FROM meta WHERE key = 'rules_hash'", -1, &s, NULL) ==
			    SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
			m->precomputed = strcmp((const char *)sqlite3_column_text(s, 0), hash) == 0;
		sqlite3_finalize(s);
	}
	if ((error = kith_stemmer_new(&m->stemmer, m->db)) != 0) {
		kith_error_set(&m->error, error, "this SQLite has no FTS5 porter tokenizer");
		goto cleanup;
	}
	{
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(m->db,
				       "SELECT (SELECT value FROM meta WHERE key = 'groups'), "
				       "(SELECT value FROM meta WHERE key = 'avg_tokens')",
				       -1, &s, NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW) {
			m->rows = sqlite3_column_double(s, 0);
			m->avg_tokens = sqlite3_column_double(s, 1);
		}
		sqlite3_finalize(s);
	}
	if (sqlite3_prepare_v3(m->db, "SELECT docs FROM term_docs WHERE term = ?1", -1, SQLITE_PREPARE_PERSISTENT,
			       &m->term_docs, NULL) != SQLITE_OK) {
		error = kith_error_set(&m->error, KITH_EIO, "reading the index: %s", sqlite3_errmsg(m->db));
		goto cleanup;
	}
	if (sqlite3_prepare_v3(m->db, row_sql, -1, SQLITE_PREPARE_PERSISTENT, &m->by_gid, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(m->db, "SELECT gid FROM groups WHERE key = ?1", -1, SQLITE_PREPARE_PERSISTENT,
			       &m->by_key, NULL) != SQLITE_OK) {
		error = kith_error_set(&m->error, KITH_EIO, "reading the index: %s", sqlite3_errmsg(m->db));
		goto cleanup;
	}

cleanup:
	free(text);
	kith_buf_release(&err);
	return error;
}

void kith_matcher_free(kith_matcher *m)
{
	int i;

	if (!m)
		return;
	sqlite3_finalize(m->by_gid);
	sqlite3_finalize(m->by_key);
	sqlite3_finalize(m->term_docs);
	for (i = 0; i < Q_COUNT; i++)
		sqlite3_finalize(m->masked[i]);
	sqlite3_finalize(m->online);
	for (i = 0; i < (int)m->pack_count; i++)
		free(m->pack[i].entries);
	free(m->pack);
	sqlite3_finalize(m->pack_get);
	kith_stemmer_free(m->stemmer);
	kith_rules_free(m->rules);
	kith_error_release(&m->error);
	free(m);
}

const char *kith_matcher_errmsg(const kith_matcher *m)
{
	return m ? kith_error_message(&m->error) : "out of memory";
}

static double *weight_slot(kith_matcher *m, const char *factor)
{
	int f;

	if (strcmp(factor, "variety") == 0)
		return &m->weights.variety;
	for (f = 0; f < KITH_F_COUNT; f++)
		if (strcmp(factor, kith_factor_names[f]) == 0)
			return &m->weights.w[f];
	return NULL;
}

double kith_matcher_weight(const kith_matcher *m, const char *factor)
{
	double *slot = weight_slot((kith_matcher *)m, factor);
	return slot ? *slot : -1.0;
}

int kith_matcher_set_weight(kith_matcher *m, const char *factor, double value)
{
	double *slot = weight_slot(m, factor);

	if (!slot || value < 0 || (slot == &m->weights.variety && value > 1))
		return kith_error_set(&m->error, KITH_EINVALID, "cannot set weight '%s' to %g", factor, value);
	*slot = value;
	return 0;
}

const char *const *kith_matcher_factors(void)
{
	static const char *const names[] = {"needs",    "interests", "distance", "availability", "cost",    "freshness",
					    "capacity", "language",  "access",   "targeted",     "variety", NULL};
	return names;
}

char *kith_matcher_weights_text(const kith_matcher *m, const char *heading)
{
	kith_buf b = KITH_BUF_INIT;

	if (kith_weights_write(&m->weights, &b, heading) != 0) {
		kith_buf_release(&b);
		return NULL;
	}
	return kith_buf_detach(&b);
}

/* ---- reading candidates ---------------------------------------------- */

static const char *col_text(kith_arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? kith_arena_strdup(a, (const char *)t) : NULL;
}

static long col_date(sqlite3_stmt *s, int i, long absent)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	long d;

	return t && kith_date_parse((const char *)t, &d) == 0 ? d : absent;
}

static void read_details(kith_arena *a, sqlite3_stmt *s, cand *c)
{
	c->organisation = col_text(a, s, 3);
	c->description = col_text(a, s, 4);
	c->updated_text = col_text(a, s, 10);
	c->online_how = col_text(a, s, 14);
	c->phone = col_text(a, s, 36);
	c->email = col_text(a, s, 37);
	c->web = col_text(a, s, 38);
	c->address = col_text(a, s, 40);
	c->has_details = 1;
}

/* Reads group gid into c; strings go to the arena.  0, KITH_ENOTFOUND or KITH_EIO. */
static int load_cand(kith_matcher *m, kith_arena *a, sqlite3_int64 gid, cand *c)
{
	sqlite3_stmt *s = m->by_gid;
	const char *p;
	int rc, i;

	memset(c, 0, sizeof(*c));
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, gid);
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE
			       ? KITH_ENOTFOUND
			       : kith_error_set(&m->error, KITH_EIO, "reading the index: %s", sqlite3_errmsg(m->db));
	}
	c->gid = sqlite3_column_int64(s, 0);
	c->key = col_text(a, s, 1);
	c->name = col_text(a, s, 2);
	c->tag_words = col_text(a, s, 5);
	c->needs = col_text(a, s, 6);
	c->activities = col_text(a, s, 7);
	c->requires = col_text(a, s, 8);
	c->languages = col_text(a, s, 9);
	c->updated = col_date(s, 10, -1);
	c->starts_text = col_text(a, s, 11);
	c->ends_text = col_text(a, s, 12);
	c->starts = col_date(s, 11, LONG_MIN);
	c->ends = col_date(s, 12, LONG_MAX);
	c->online = sqlite3_column_int(s, 13);
	if (sqlite3_column_type(s, 15) != SQLITE_NULL) {
		c->home_visits = 1;
		c->home_radius = sqlite3_column_double(s, 15);
		c->home_lat = sqlite3_column_double(s, 16);
		c->home_lon = sqlite3_column_double(s, 17);
	}
	c->schedule_known = sqlite3_column_int(s, 18);
	c->by_appointment = sqlite3_column_int(s, 19);
	for (p = (const char *)sqlite3_column_text(s, 20); p && *p && c->session_count < MAX_SESSIONS;) {
		kith_session *ss = &c->sessions[c->session_count];
		char *end;
		ss->day = (int)strtol(p, &end, 10);
		ss->start = (int)strtol(end + 1, &end, 10);
		ss->end = (int)strtol(end + 1, &end, 10);
		ss->weeks = (unsigned)strtoul(end + 1, &end, 10);
		c->session_count++;
		p = *end ? end + 1 : end;
	}
	for (p = (const char *)sqlite3_column_text(s, 21); p && *p && c->point_count < MAX_POINTS;) {
		char *end;
		c->lat[c->point_count] = strtod(p, &end);
		c->lon[c->point_count] = strtod(end + 1, &end);
		c->point_count++;
		p = *end ? end + 1 : end;
	}
	for (i = 0; i < KITH_ACCESS_COUNT; i++)
		c->access[i] = (kith_tri)sqlite3_column_int(s, 22 + i);
	c->min_age = sqlite3_column_type(s, 28) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 28);
	c->max_age = sqlite3_column_type(s, 29) == SQLITE_NULL ? -1 : sqlite3_column_int(s, 29);
	c->gender = KITH_GENDER_ANY;
	kith_gender_parse((const char *)sqlite3_column_text(s, 30), &c->gender);
	c->referral_professional = kith_referral_parse((const char *)sqlite3_column_text(s, 31));
	if (sqlite3_column_type(s, 32) != SQLITE_NULL) {
		c->cost_known = 1;
		c->cost_free = sqlite3_column_int(s, 32);
		c->cost_amount = sqlite3_column_double(s, 33);
		c->cost_per = KITH_PER_SESSION;
		kith_cost_per_parse((const char *)sqlite3_column_text(s, 34), &c->cost_per);
	}
	c->capacity = KITH_CAPACITY_OPEN;
	kith_capacity_parse((const char *)sqlite3_column_text(s, 35), &c->capacity);
	c->has_unlocated_venue = sqlite3_column_int(s, 39) > 0;
	if (!m->precomputed)
		read_details(a, s, c); /* the rules will read the description */
	c->text_concepts = col_text(a, s, 41);
	c->name_concepts = col_text(a, s, 42);
	c->stems = col_text(a, s, 43);
	c->tokens = sqlite3_column_int(s, 44);
	sqlite3_reset(s);
	if (!c->key || !c->name)
		return KITH_ENOMEM;
	return 0;
}

/*
 * The details of a candidate, read again from its row: ranking hundreds of
 * candidates needs none of them, and copying them for all would cost more
 * than the second read for the few that are shown.
 */
static int load_details(kith_matcher *m, kith_arena *a, cand *c)
{
	sqlite3_stmt *s = m->by_gid;
	int rc;

	if (c->has_details)
		return 0;
	sqlite3_reset(s);
	sqlite3_bind_int64(s, 1, c->gid);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_details(a, s, c);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return kith_error_set(&m->error, KITH_EIO, "reading the index: %s",
				      rc == SQLITE_DONE ? "a group went missing" : sqlite3_errmsg(m->db));
	return 0;
}

/* ---- the person ------------------------------------------------------ */

static int prepare_query(kith_matcher *m, const kith_patient *pt, long today, query *q)
{
	static const double priority_weight[] = {1.0, 2.0, 3.0}; /* low, normal, high */
	kith_concepts words = {0};
	kith_buf need_words = KITH_BUF_INIT;
	char tw[64];
	size_t i;

	memset(q, 0, sizeof(*q));
	q->pt = pt;
	q->today = today;
	q->has_limit = pt->max_travel_km >= 0;
	q->limit = q->has_limit ? pt->max_travel_km : DEFAULT_LIMIT_KM;
	for (i = 0; i < pt->need_count && q->need_count < 32; i++) {
		snprintf(q->need_id[q->need_count], sizeof(q->need_id[0]), "%s", pt->needs[i].id);
		q->need_weight[q->need_count++] = priority_weight[pt->needs[i].priority];
		kith_tag_words(tw, sizeof(tw), pt->needs[i].id);
		kith_buf_printf(&need_words, " %s", tw);
	}
	/* what the person's own words mean; needs they mention count a little */
	kith_rules_scan(m->rules, pt->interests, &words);
	for (i = 0; i < pt->interest_tags.count; i++) {
		char id[64];
		snprintf(id, sizeof(id), "activity:%s", pt->interest_tags.items[i]);
		kith_concepts_add(&words, id, 1.0, pt->interest_tags.items[i]);
	}
	kith_rules_imply(m->rules, &words);
	for (i = 0; i < words.count; i++) {
		const kith_concept *c = &words.items[i];
		if (strncmp(c->id, "need:", 5) == 0) {
			size_t j;
			int known = 0;
			for (j = 0; j < q->need_count; j++)
				known |= strcmp(q->need_id[j], c->id + 5) == 0;
			if (!known && q->need_count < 32) {
				snprintf(q->need_id[q->need_count], sizeof(q->need_id[0]), "%s", c->id + 5);
				q->need_weight[q->need_count++] = 0.5 * c->strength;
			}
		} else if (strncmp(c->id, "condition:", 10) == 0) {
			kith_concepts_add(&q->conditions, c->id, c->strength, c->evidence);
		} else if (strncmp(c->id, "transport:", 10) == 0) {
			q->no_car = 1;
		} else {
			kith_concepts_add(&q->interests, c->id, c->strength, c->evidence);
		}
	}
	if (pt->needs_access[KITH_ACCESS_WHEELCHAIR])
		kith_concepts_add(&q->conditions, "condition:physical-disability", 1.0, "wheelchair");
	/* needs that are what a condition-specific group is for */
	for (i = 0; i < pt->need_count; i++) {
		static const char *const as_condition[][2] = {
			{"substance-use", "condition:alcohol"},
			{"memory", "condition:dementia"},
			{"parenting", "condition:pregnancy"},
		};
		size_t k;
		for (k = 0; k < sizeof(as_condition) / sizeof(as_condition[0]); k++)
			if (strcmp(pt->needs[i].id, as_condition[k][0]) == 0)
				kith_concepts_add(&q->conditions, as_condition[k][1], 1.0, pt->needs[i].id);
	}
	/* circumstances that are conditions too */
	for (i = 0; i < pt->circumstances.count; i++) {
		static const char *const as_condition[][2] = {
			{"dementia", "condition:dementia"},
			{"sight-loss", "condition:sight-loss"},
			{"hearing-loss", "condition:hearing-loss"},
			{"autism", "condition:autism"},
			{"learning-disability", "condition:learning-disability"},
			{"pregnant", "condition:pregnancy"},
			{"new-parent", "condition:pregnancy"},
		};
		size_t k;
		for (k = 0; k < sizeof(as_condition) / sizeof(as_condition[0]); k++)
			if (strcmp(pt->circumstances.items[i], as_condition[k][0]) == 0)
				kith_concepts_add(&q->conditions, as_condition[k][1], 1.0, pt->circumstances.items[i]);
	}
	kith_search_words(q->words, sizeof(q->words), pt->interests, need_words.ptr);
	for (i = 0; i < q->need_count; i++) {
		char id[64];
		snprintf(id, sizeof(id), "need:%s", q->need_id[i]);
		q->mask |= kith_vocab_concept_bit(id);
	}
	for (i = 0; i < q->interests.count; i++)
		if (q->interests.items[i].strength >= 0.5)
			q->mask |= kith_vocab_concept_bit(q->interests.items[i].id);
	for (i = 0; i < q->conditions.count; i++)
		q->mask |= kith_vocab_concept_bit(q->conditions.items[i].id);
	for (i = 0; i < pt->languages.count; i++)
		q->langs |= kith_vocab_language_bit(pt->languages.items[i]);
	if (!q->langs)
		q->langs = kith_vocab_language_bit("en");
	kith_buf_release(&need_words);
	return 0;
}

/* ---- candidates ------------------------------------------------------- */

typedef struct gid_list {
	sqlite3_int64 *items;
	size_t count, alloc;
} gid_list;

static int gid_push(gid_list *l, sqlite3_int64 gid)
{
	if (KITH_ARRAY_RESERVE(l->items, l->alloc, l->count + 1, 256) != 0)
		return KITH_ENOMEM;
	l->items[l->count++] = gid;
	return 0;
}

/* Concept masks of candidates, kept beside their gids while narrowing. */
typedef struct masked {
	sqlite3_int64 gid;
	uint64_t mask;
	uint64_t langs; /* language mask: none shared with the person breaks a hard constraint */
	double km;      /* to the person's home; 0 for home visits and online */
} masked;

typedef struct masked_list {
	masked *items;
	size_t count, alloc;
} masked_list;

static int masked_push(masked_list *l, sqlite3_int64 gid, uint64_t mask, uint64_t langs, double km)
{
	if (KITH_ARRAY_RESERVE(l->items, l->alloc, l->count + 1, 256) != 0)
		return KITH_ENOMEM;
	l->items[l->count].gid = gid;
	l->items[l->count].km = km;
	l->items[l->count].langs = langs;
	l->items[l->count++].mask = mask;
	return 0;
}

/*
 * The queries that gather candidates.  The venue ones (Q_BOX to Q_RIGHT)
 * give a vid and its point; the others a gid and its two masks.  ?1-?4: a
 * box (min lat, max lat, min lon, max lon); ?5-?8: the inner box a widening
 * search has read already, the four strips around it split on its edges so
 * that no venue is read twice.
 */
static const char *const masked_sql[Q_COUNT] = {
	[Q_BOX] = "SELECT id, min_lat, min_lon FROM venue_rtree "
		  "WHERE max_lat >= ?1 AND min_lat <= ?2 AND max_lon >= ?3 AND min_lon <= ?4",
	[Q_ABOVE] = "SELECT id, min_lat, min_lon FROM venue_rtree "
		    "WHERE min_lat > ?6 AND min_lat <= ?2 AND max_lon >= ?3 AND min_lon <= ?4",
	[Q_BELOW] = "SELECT id, min_lat, min_lon FROM venue_rtree "
		    "WHERE max_lat < ?5 AND max_lat >= ?1 AND max_lon >= ?3 AND min_lon <= ?4",
	[Q_LEFT] = "SELECT id, min_lat, min_lon FROM venue_rtree "
		   "WHERE max_lat >= ?5 AND min_lat <= ?6 AND max_lon < ?7 AND max_lon >= ?3",
	[Q_RIGHT] = "SELECT id, min_lat, min_lon FROM venue_rtree "
		    "WHERE max_lat >= ?5 AND min_lat <= ?6 AND min_lon > ?8 AND min_lon <= ?4",
	[Q_UNLOCATED] = "SELECT gid, concept_mask, lang_mask FROM groups "
			"WHERE venue_list IS NULL AND unlocated_venues > 0",
	[Q_HOME_VISITS] = "SELECT id, mask, langs FROM home_visit_rtree "
			  "WHERE max_lat >= ?1 AND min_lat <= ?2 AND max_lon >= ?3 AND min_lon <= ?4",
	[Q_ALL_GROUPS] = "SELECT gid, concept_mask, lang_mask FROM groups",
};

/* Query which, prepared once and kept, with the first box_values of box bound. */
static sqlite3_stmt *masked_stmt(kith_matcher *m, int which, const double *box, int box_values)
{
	sqlite3_stmt *s = m->masked[which];
	int i;

	if (!s) {
		if (sqlite3_prepare_v3(m->db, masked_sql[which], -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) !=
		    SQLITE_OK) {
			kith_error_set(&m->error, KITH_EIO, "reading the index: %s", sqlite3_errmsg(m->db));
			return NULL;
		}
		m->masked[which] = s;
	}
	for (i = 0; i < box_values; i++)
		sqlite3_bind_double(s, i + 1, box[i]);
	return s;
}

/* Appends the rows of query which (gid, concept mask, language mask) to out. */
static int collect_masked(kith_matcher *m, int which, const double *box, int box_values, masked_list *out)
{
	sqlite3_stmt *s = masked_stmt(m, which, box, box_values);
	int rc, error = 0;

	if (!s)
		return KITH_EIO;
	while (!error && (rc = sqlite3_step(s)) == SQLITE_ROW)
		error = masked_push(out, sqlite3_column_int64(s, 0), (uint64_t)sqlite3_column_int64(s, 1),
				    (uint64_t)sqlite3_column_int64(s, 2), 0.0);
	if (!error && rc != SQLITE_DONE)
		error = kith_error_set(&m->error, KITH_EIO, "reading the index: %s", sqlite3_errmsg(m->db));
	sqlite3_reset(s);
	return error;
}

static int popcount64(uint64_t x)
{
	int n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * The masks of group gid from group_pack, reading its part on first use: a
 * city's groups usually come from a few feeds, so a match reads a few parts
 * of a national pack.  A gid missing from the pack keeps every bit, so it
 * stays a candidate.
 */
static int group_masks(kith_matcher *m, sqlite3_int64 gid, uint64_t *mask, uint64_t *langs)
{
	size_t part = (size_t)(gid / KITH_PACK_GIDS), at = (size_t)(gid % KITH_PACK_GIDS) * KITH_PACK_ENTRY;
	pack_part *p;

	*mask = *langs = ~(uint64_t)0;
	if (gid <= 0 || part >= MAX_PACK_PARTS)
		return 0;
	if (part >= m->pack_count) {
		size_t count = part + 1;
		pack_part *more = realloc(m->pack, count * sizeof(*more));
		if (!more)
			return KITH_ENOMEM;
		memset(more + m->pack_count, 0, (count - m->pack_count) * sizeof(*more));
		m->pack = more;
		m->pack_count = count;
	}
	p = &m->pack[part];
	if (!p->read) {
		sqlite3_stmt *s = m->pack_get;
		int rc;
		if (!s) {
			if (sqlite3_prepare_v3(m->db, "SELECT entries FROM group_pack WHERE part = ?1", -1,
					       SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
				return kith_error_set(&m->error, KITH_EIO, "reading the index: %s",
						      sqlite3_errmsg(m->db));
			m->pack_get = s;
		}
		sqlite3_bind_int64(s, 1, (sqlite3_int64)part);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) > 0) {
			p->bytes = (size_t)sqlite3_column_bytes(s, 0);
			if ((p->entries = malloc(p->bytes)) == NULL) {
				sqlite3_reset(s);
				return KITH_ENOMEM;
			}
			memcpy(p->entries, sqlite3_column_blob(s, 0), p->bytes);
		}
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return kith_error_set(&m->error, KITH_EIO, "reading the index: %s", sqlite3_errmsg(m->db));
		p->read = 1;
	}
	if (at + KITH_PACK_ENTRY <= p->bytes) {
		*mask = get_le64(p->entries + at);
		*langs = get_le64(p->entries + at + 8);
	}
	return 0;
}

/*
 * Appends the venues query which finds (a vid and its point) as their
 * groups, with the groups' masks from group_pack and the distances.
 */
static int collect_venues(kith_matcher *m, int which, const double *box, int box_values, const kith_point *home,
			  masked_list *out)
{
	sqlite3_stmt *s = masked_stmt(m, which, box, box_values);
	int rc, error = 0;

	if (!s)
		return KITH_EIO;
	while (!error && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 gid = sqlite3_column_int64(s, 0) >> KITH_VENUE_BITS;
		uint64_t mask, langs;
		if ((error = group_masks(m, gid, &mask, &langs)) == 0)
			error = masked_push(out, gid, mask, langs,
					    kith_geo_distance_km(home->lat, home->lon, sqlite3_column_double(s, 1),
								 sqlite3_column_double(s, 2)));
	}
	if (!error && rc != SQLITE_DONE)
		error = kith_error_set(&m->error, KITH_EIO, "reading the index: %s", sqlite3_errmsg(m->db));
	sqlite3_reset(s);
	return error;
}

/* A box radius km around a point: min lat, max lat, min lon, max lon. */
static void box_around(const kith_point *home, double radius, double box[4])
{
	double dlat = radius / 110.0 + 0.001;
	double coslat = cos(home->lat * 3.14159265358979323846 / 180.0);
	double dlon = radius / (111.32 * (coslat > 0.01 ? coslat : 0.01)) + 0.001;

	box[0] = home->lat - dlat;
	box[1] = home->lat + dlat;
	box[2] = home->lon - dlon;
	box[3] = home->lon + dlon;
}

/*
 * The groups with a venue in the box radius km around home but not in the
 * box inner km around it (inner 0: none), with their masks and distances:
 * as the search widens, each venue is read once.
 */
static int venues_near(kith_matcher *m, const query *q, double inner, double radius, masked_list *out)
{
	static const int ring[] = {Q_ABOVE, Q_BELOW, Q_LEFT, Q_RIGHT};
	const kith_patient *pt = q->pt;
	double box[8];
	size_t i;
	int error = 0;

	if (pt->housebound)
		return 0;
	box_around(&pt->home, radius, box);
	if (inner <= 0)
		return collect_venues(m, Q_BOX, box, 4, &pt->home, out);
	box_around(&pt->home, inner, box + 4);
	for (i = 0; i < sizeof(ring) / sizeof(ring[0]) && !error; i++)
		error = collect_venues(m, ring[i], box, 8, &pt->home, out);
	return error;
}

/* Every online group with its masks, from the packed copy the index keeps (index.c, online_pack). */
static int read_online(kith_matcher *m, masked_list *out)
{
	sqlite3_stmt *s = m->online;
	int rc, error = 0;

	if (!s) {
		if (sqlite3_prepare_v3(m->db, "SELECT entries FROM online_pack ORDER BY part", -1,
				       SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
			return kith_error_set(&m->error, KITH_EIO, "reading the index: %s", sqlite3_errmsg(m->db));
		m->online = s;
	}
	while (!error && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0) / 24, i;
		for (i = 0; i < n && !error; i++, p += 24)
			error = masked_push(out, (sqlite3_int64)get_le64(p), get_le64(p + 8), get_le64(p + 16), 0.0);
	}
	if (!error && rc != SQLITE_DONE)
		error = kith_error_set(&m->error, KITH_EIO, "reading the index: %s", sqlite3_errmsg(m->db));
	sqlite3_reset(s);
	return error;
}

/*
 * The groups the person might reach without travelling to a located
 * venue: home visits that reach them, groups whose venues have no
 * location, and the online groups that share most concepts with them (at
 * most remote_cap of those, since a national directory has tens of
 * thousands).
 */
static int reachable_remote(kith_matcher *m, const query *q, size_t remote_cap, masked_list *out)
{
	const kith_patient *pt = q->pt;
	masked_list online = {0};
	double here[4] = {pt->home.lat, pt->home.lat, pt->home.lon, pt->home.lon};
	size_t i;
	int error = 0;

	if (!pt->housebound && (error = collect_masked(m, Q_UNLOCATED, NULL, 0, out)) != 0)
		goto cleanup;
	if ((error = collect_masked(m, Q_HOME_VISITS, here, 4, out)) != 0)
		goto cleanup;
	if (pt->online) {
		size_t per_overlap[65] = {0}, taken = 0;
		int floor_overlap = 64;
		if ((error = read_online(m, &online)) != 0)
			goto cleanup;
		/* the remote_cap sharing most: count by overlap, then take from the top down */
		for (i = 0; i < online.count; i++) {
			online.items[i].mask = (uint64_t)popcount64(online.items[i].mask & q->mask);
			if (online.items[i].langs & q->langs)
				per_overlap[online.items[i].mask]++;
		}
		for (; floor_overlap > 0 && taken + per_overlap[floor_overlap] <= remote_cap; floor_overlap--)
			taken += per_overlap[floor_overlap];
		for (i = 0; i < online.count && !error; i++) {
			int overlap = (int)online.items[i].mask;
			if (!(online.items[i].langs & q->langs))
				continue; /* no shared language: never a candidate */
			if (overlap > floor_overlap || (overlap == floor_overlap && taken < remote_cap && ++taken))
				error = masked_push(out, online.items[i].gid, overlap ? q->mask : 0,
						    online.items[i].langs, 0.0);
		}
	}

cleanup:
	free(online.items);
	return error;
}

/* Most shared concepts (kept in mask), then nearest, then by gid. */
static int by_overlap_then_near(const void *a, const void *b)
{
	const masked *x = a, *y = b;

	if (x->mask != y->mask)
		return x->mask > y->mask ? -1 : 1;
	if (x->km != y->km)
		return x->km < y->km ? -1 : 1;
	return (x->gid > y->gid) - (x->gid < y->gid);
}

static int masked_cmp(const void *a, const void *b)
{
	const masked *x = a, *y = b;
	return (x->gid > y->gid) - (x->gid < y->gid);
}

/* gids to indices (0 is never a gid: SQLite rowids start at 1). */
typedef struct gid_slot {
	sqlite3_int64 gid; /* 0 marks an empty slot */
	size_t index;
} gid_slot;

typedef struct gid_map {
	gid_slot *slots; /* owned */
	size_t capacity, count;
} gid_map;

/*
 * The slot of gid; when it was absent, a new one with index value, and
 * *added set.  NULL when out of memory.
 */
static gid_slot *gid_map_put(gid_map *map, sqlite3_int64 gid, size_t value, int *added)
{
	size_t i;

	*added = 0;
	if ((map->count + 1) * 2 > map->capacity) {
		gid_map bigger = {NULL, map->capacity ? map->capacity * 2 : 256, 0};
		int unused;
		if ((bigger.slots = calloc(bigger.capacity, sizeof(*bigger.slots))) == NULL)
			return NULL;
		for (i = 0; i < map->capacity; i++)
			if (map->slots[i].gid)
				gid_map_put(&bigger, map->slots[i].gid, map->slots[i].index, &unused);
		free(map->slots);
		*map = bigger;
	}
	for (i = (size_t)((uint64_t)gid * 0x9E3779B97F4A7C15u >> 32) & (map->capacity - 1); map->slots[i].gid;
	     i = (i + 1) & (map->capacity - 1))
		if (map->slots[i].gid == gid)
			return &map->slots[i];
	map->slots[i].gid = gid;
	map->slots[i].index = value;
	map->count++;
	*added = 1;
	return &map->slots[i];
}

static void swap_masked(masked *a, masked *b)
{
	masked t = *a;

	*a = *b;
	*b = t;
}

/*
 * Keeps the count entries sharing most concepts with mask, nearest first
 * (by_overlap_then_near), without sorting them all: a count per overlap
 * finds the overlap where the cut falls, and only that one is sorted.
 * Leaves the kept ones at the front, in no useful order.
 */
static void keep_most_shared(masked_list *l, uint64_t mask, size_t count)
{
	size_t per_overlap[65] = {0}, above = 0, i, k = 0, tie_start;
	int cut = 64;

	for (i = 0; i < l->count; i++) {
		l->items[i].mask = (uint64_t)popcount64(l->items[i].mask & mask);
		per_overlap[l->items[i].mask]++;
	}
	while (cut > 0 && above + per_overlap[cut] < count)
		above += per_overlap[cut--];
	/* above: those sharing more than cut, all kept; then the nearest of those sharing cut */
	for (i = 0; i < l->count; i++)
		if ((int)l->items[i].mask > cut)
			swap_masked(&l->items[k++], &l->items[i]);
	tie_start = k;
	for (i = k; i < l->count; i++)
		if ((int)l->items[i].mask == cut)
			swap_masked(&l->items[k++], &l->items[i]);
	qsort(l->items + tie_start, k - tie_start, sizeof(*l->items), by_overlap_then_near);
	l->count = count < k ? count : k;
}

/*
 * The candidates: reachable groups that share at least one concept with
 * what the person needs, likes or lives with (by the concept masks kept in
 * the R*Trees).  A group sharing none scores nothing on needs or
 * interests and cannot beat one that does, so this loses no good result
 * while there are enough of those; when there are not, every reachable
 * group is a candidate.  The search starts 2 km from home and widens to the
 * person's limit, stopping early once there are plenty (in a city), or,
 * without a limit, widens from 8 km until there are enough.  A baseline, or
 * a person with no home, starts from every group.
 */
static int candidates(kith_matcher *m, const query *q, int everything, int narrow, size_t top, gid_list *out)
{
	size_t enough = top * 5 + 20, remote_cap = top * 10 + 100, cap = top * 30 + 300, i, relevant = 0;
	/* without narrowing, still a bound: memory and time stay flat in a national directory */
	size_t wide_cap = top * 100 + 1000;
	/* start near home: a city has plenty close by, and the box is what costs */
	double radius = q->has_limit ? (q->limit < 2.0 ? q->limit : 2.0) : DEFAULT_LIMIT_KM, searched = 0;
	masked_list found = {0}, remote = {0};
	gid_map seen = {0}, groups = {0};
	size_t counted = 0;
	size_t k;
	int error = 0;

	if (!everything && q->pt->home.known &&
	    (error = reachable_remote(m, q, narrow ? remote_cap : wide_cap, &remote)) != 0)
		goto cleanup;
	if (everything || !q->pt->home.known) {
		error = collect_masked(m, Q_ALL_GROUPS, NULL, 0, &found);
	} else {
		for (i = 0; i < remote.count && !error; i++)
			error = masked_push(&found, remote.items[i].gid, remote.items[i].mask, remote.items[i].langs,
					    remote.items[i].km);
	}
	if (error)
		goto cleanup;
	for (;;) {
		if (!everything && q->pt->home.known && (error = venues_near(m, q, searched, radius, &found)) != 0)
			goto cleanup;
		searched = radius;
		/* the groups sharing a concept, each counted once however many venues it has */
		for (; counted < found.count; counted++) {
			int added = 0;
			if ((found.items[counted].mask & q->mask) &&
			    !gid_map_put(&seen, found.items[counted].gid, 0, &added)) {
				error = KITH_ENOMEM;
				goto cleanup;
			}
			relevant += (size_t)added;
		}
		if (everything || !q->pt->home.known)
			break;
		if (q->has_limit ? radius >= q->limit || (narrow && relevant >= cap)
				 : relevant >= enough || radius > 400)
			break;
		radius *= 2;
		if (q->has_limit && radius > q->limit)
			radius = q->limit;
	}
	/* one entry per group, the first found, at its nearest venue */
	for (i = 0, k = 0; i < found.count; i++) {
		int added;
		gid_slot *slot = gid_map_put(&groups, found.items[i].gid, k, &added);
		if (!slot) {
			error = KITH_ENOMEM;
			goto cleanup;
		}
		if (added)
			found.items[k++] = found.items[i];
		else if (found.items[i].km < found.items[slot->index].km)
			found.items[slot->index].km = found.items[i].km;
	}
	found.count = k;
	for (i = 0, k = 0; i < found.count; i++) {
		if (narrow && !everything && q->mask && relevant >= enough && !(found.items[i].mask & q->mask))
			continue;
		if (!everything && !(found.items[i].langs & q->langs))
			continue; /* shares no language with the person: a hard constraint */
		found.items[k++] = found.items[i];
	}
	found.count = k;
	if (!narrow)
		cap = wide_cap;
	/*
	 * A dense city holds thousands: keep those sharing most with the
	 * person, nearest first.  A group sharing fewer concepts and lying
	 * further off than hundreds of others will not reach the top.
	 */
	if (!everything && found.count > cap)
		keep_most_shared(&found, q->mask, cap);
	if (found.count) /* rows read in gid order */
		qsort(found.items, found.count, sizeof(*found.items), masked_cmp);
	for (i = 0; i < found.count && !error; i++)
		error = gid_push(out, found.items[i].gid);

cleanup:
	free(found.items);
	free(remote.items);
	free(seen.slots);
	free(groups.slots);
	return error;
}

/* ---- hard constraints -------------------------------------------------- */

/* "Punjabi and Hindi" from a space-separated code list into b. */
static void language_list(kith_buf *b, const char *codes)
{
	const char *p = codes && *codes ? codes : "en";
	int first = 1;

	while (*p) {
		char code[16];
		size_t n = strcspn(p, " ");
		if (n && n < sizeof(code)) {
			memcpy(code, p, n);
			code[n] = '\0';
			kith_buf_printf(b, "%s%s", first ? "" : ", ", kith_language_name(code));
			first = 0;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
}

static int person_speaks(const kith_patient *pt, const char *code)
{
	size_t i;

	if (!pt->languages.count)
		return strcmp(code, "en") == 0;
	for (i = 0; i < pt->languages.count; i++)
		if (strcmp(pt->languages.items[i], code) == 0)
			return 1;
	return 0;
}


static void put_time(kith_buf *b, int minutes)
{
	kith_buf_printf(b, "%02d:%02d", minutes / 60, minutes % 60);
}

static void put_money(kith_buf *b, double pounds)
{
	if (fabs(pounds - floor(pounds)) < 0.005)
		kith_buf_printf(b, "£%.0f", pounds);
	else
		kith_buf_printf(b, "£%.2f", pounds);
}

/* Works out how the person could take part: sets distance, in_person, by_online, by_home. */
static void work_out_reach(const query *q, cand *c)
{
	const kith_patient *pt = q->pt;
	size_t i;

	c->distance = -1;
	c->nearest = -1;
	if (pt->home.known) {
		for (i = 0; i < c->point_count; i++) {
			double d = kith_geo_distance_km(pt->home.lat, pt->home.lon, c->lat[i], c->lon[i]);
			if (c->distance < 0 || d < c->distance) {
				c->distance = d;
				c->nearest = (int)i;
			}
		}
	}
	if (!pt->housebound) {
		if (c->distance >= 0)
			c->in_person = !q->has_limit || c->distance <= q->limit;
		else /* no located venue, or no home: reach cannot be ruled out */
			c->in_person = c->point_count > 0 || c->has_unlocated_venue;
	}
	c->by_online = c->online && pt->online;
	c->by_home = c->home_visits && pt->home.known &&
		     kith_geo_distance_km(pt->home.lat, pt->home.lon, c->home_lat, c->home_lon) <= c->home_radius;
}

static int session_fits(const query *q, const kith_session *s)
{
	return kith_session_overlap(s, q->pt->windows, q->pt->window_count, q->pt->has_availability) >= MIN_OVERLAP;
}

/*
 * The first hard constraint c breaks (1 to 7, FORMATS.md section 2), with
 * the reason and its numbers in why; 0 when it breaks none.
 */
static int breaks(const query *q, cand *c, kith_buf *why, int all)
{
	int first = 0;
#define BROKE(n)                      \
	do {                          \
		if (!first)           \
			first = (n);  \
		if (!all)             \
			return first; \
	} while (0)
#define SEPARATE()                                    \
	do {                                          \
		if (first)                            \
			kith_buf_puts(why, "; and "); \
	} while (0)
	const kith_patient *pt = q->pt;
	size_t i;

	work_out_reach(q, c);
	if (pt->needs_access[KITH_ACCESS_WHEELCHAIR] && c->access[KITH_ACCESS_WHEELCHAIR] == KITH_TRI_NO) {
		SEPARATE();
		kith_buf_puts(why, "it has no wheelchair access, and you need it");
		BROKE(1);
	}
	if (pt->needs_access[KITH_ACCESS_STEP_FREE] && c->access[KITH_ACCESS_STEP_FREE] == KITH_TRI_NO) {
		SEPARATE();
		kith_buf_puts(why, "it is not step-free, and you need step-free access");
		BROKE(1);
	}
	if (pt->age >= 0 && c->min_age >= 0 && pt->age < c->min_age) {
		SEPARATE();
		kith_buf_printf(why, "it is for ages %d and over; you are %d", c->min_age, pt->age);
		BROKE(2);
	}
	if (pt->age >= 0 && c->max_age >= 0 && pt->age > c->max_age) {
		SEPARATE();
		kith_buf_printf(why, "it is for ages up to %d; you are %d", c->max_age, pt->age);
		BROKE(2);
	}
	if (c->gender != KITH_GENDER_ANY && pt->gender != KITH_GENDER_ANY && pt->gender != c->gender) {
		SEPARATE();
		kith_buf_printf(why, "it is for %s only", kith_gender_people(c->gender));
		BROKE(2);
	}
	for (const char *p = c->requires; p && *p;) {
		char id[64];
		size_t n = strcspn(p, " ");
		int has = 0;
		if (n < sizeof(id)) {
			memcpy(id, p, n);
			id[n] = '\0';
			for (i = 0; i < pt->circumstances.count; i++)
				has |= strcmp(pt->circumstances.items[i], id) == 0;
			if (!has) {
				const kith_vocab_term *t = kith_vocab_find(KITH_VOCAB_CIRCUMSTANCE, id);
				SEPARATE();
				kith_buf_printf(why, "it is only for %s ('%s')", t ? t->covers : id, id);
				BROKE(2);
			}
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	if (!c->in_person && !c->by_online && !c->by_home) {
		SEPARATE();
		if (pt->housebound)
			kith_buf_puts(why, "you are housebound and it meets at a venue");
		else if (c->distance >= 0)
			kith_buf_printf(why, "its venue is %.1f km away, beyond your %g km", c->distance, q->limit);
		else
			kith_buf_puts(why, "it has no venue you can reach");
		kith_buf_puts(why, c->online ? (pt->online ? "" : "; it is online, and you do not go online")
					     : "; no online option");
		if (c->home_visits)
			kith_buf_printf(why, "; its home visits (%g km) do not reach you", c->home_radius);
		else
			kith_buf_puts(why, "; no home visits");
		BROKE(3);
	}
	if (c->schedule_known && !c->by_appointment && c->session_count && pt->has_availability) {
		int fits = 0;
		for (i = 0; i < c->session_count; i++)
			fits |= session_fits(q, &c->sessions[i]);
		if (!fits) {
			SEPARATE();
			kith_buf_puts(why, "it meets ");
			for (i = 0; i < c->session_count && i < 4; i++) {
				kith_buf_printf(why, "%s%s ", i ? ", " : "", kith_day_short(c->sessions[i].day));
				put_time(why, c->sessions[i].start);
				kith_buf_putc(why, '-');
				put_time(why, c->sessions[i].end);
			}
			kith_buf_puts(why, ", when you are not free (30 minutes at least)");
			BROKE(4);
		}
	}
	if (pt->max_per_session >= 0 && c->cost_known && !c->cost_free && c->cost_amount > pt->max_per_session + 1e-9) {
		SEPARATE();
		kith_buf_puts(why, "it costs ");
		put_money(why, c->cost_amount);
		kith_buf_printf(why, " %s, above your ", kith_cost_per_phrase(c->cost_per));
		put_money(why, pt->max_per_session);
		kith_buf_puts(why, " a session");
		BROKE(5);
	}
	if (c->capacity == KITH_CAPACITY_CLOSED) {
		SEPARATE();
		kith_buf_puts(why, "it is closed to new members");
		BROKE(6);
	}
	if (c->ends != LONG_MAX && c->ends < q->today) {
		SEPARATE();
		kith_buf_printf(why, "the course ended on %s", c->ends_text);
		BROKE(6);
	}
	{
		int shared = 0;
		const char *p = c->languages && *c->languages ? c->languages : "en";
		while (*p) {
			char code[16];
			size_t n = strcspn(p, " ");
			if (n < sizeof(code)) {
				memcpy(code, p, n);
				code[n] = '\0';
				shared |= person_speaks(pt, code);
			}
			p += n;
			while (*p == ' ')
				p++;
		}
		if (!shared) {
			SEPARATE();
			kith_buf_puts(why, "it runs in ");
			language_list(why, c->languages);
			kith_buf_puts(why, " only; you speak ");
			if (pt->languages.count) {
				for (i = 0; i < pt->languages.count; i++)
					kith_buf_printf(why, "%s%s", i ? ", " : "",
							kith_language_name(pt->languages.items[i]));
			} else {
				kith_buf_puts(why, "English");
			}
			BROKE(7);
		}
	}
	return first;
#undef BROKE
#undef SEPARATE
}

/* ---- scoring ------------------------------------------------------------ */

/* What a group is about: its tags, what its words say, and what those imply. */
static void group_concepts(const kith_matcher *m, const cand *c, kith_concepts *set, kith_concepts *named)
{
	const char *lists[2] = {c->needs, c->activities};
	const char *kinds[2] = {"need:", "activity:"};
	kith_concepts text = {0};
	size_t i, k;

	set->count = 0;
	for (k = 0; k < 2; k++) {
		for (const char *p = lists[k]; p && *p;) {
			char id[64];
			size_t n = strcspn(p, " ");
			if (n + strlen(kinds[k]) < sizeof(id)) {
				snprintf(id, sizeof(id), "%s%.*s", kinds[k], (int)n, p);
				kith_concepts_add(set, id, 1.0, "tag");
			}
			p += n;
			while (*p == ' ')
				p++;
		}
	}
	named->count = 0;
	if (m->precomputed) {
		kith_concepts_read(named, c->name_concepts);
		kith_concepts_read(&text, c->text_concepts);
	} else {
		kith_rules_scan(m->rules, c->name, named);
		for (i = 0; i < named->count; i++)
			kith_concepts_add(&text, named->items[i].id, named->items[i].strength,
					  named->items[i].evidence);
		kith_rules_scan(m->rules, c->description, &text);
	}
	/* words in a listing are weaker evidence than the publisher's own tags */
	for (i = 0; i < text.count; i++)
		kith_concepts_add(set, text.items[i].id, 0.85 * text.items[i].strength, text.items[i].evidence);
	kith_rules_imply(m->rules, set);
}

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* Appends "a, b and c" style lists. */
static void put_item(kith_buf *b, size_t i, size_t n, const char *text)
{
	kith_buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", text);
}

typedef struct explain {
	kith_buf text[KITH_F_COUNT]; /* a sentence per factor */
	kith_buf cautions;           /* '\n'-separated */
} explain;

static void caution(explain *e, const char *text)
{
	if (e)
		kith_buf_printf(&e->cautions, "%s\n", text);
}

static double score_needs(const query *q, const kith_concepts *g, cand *c, explain *e)
{
	double total = 0, got = 0, best = 0, wmax = 0;
	size_t i, hits = 0;
	const char *names[32];

	for (i = 0; i < q->need_count; i++)
		if (q->need_weight[i] > wmax)
			wmax = q->need_weight[i];
	for (i = 0; i < q->need_count; i++) {
		char id[64];
		const kith_concept *k;
		double s;
		snprintf(id, sizeof(id), "need:%s", q->need_id[i]);
		k = kith_concepts_find(g, id);
		s = k ? k->strength : 0;
		total += q->need_weight[i];
		got += q->need_weight[i] * s;
		if (q->need_weight[i] / wmax * s > best)
			best = q->need_weight[i] / wmax * s;
		if (s >= 0.5) {
			c->aspects |= 1u << (i & 31);
			if (hits < 32)
				names[hits++] = q->need_id[i];
		}
	}
	if (!total)
		return 0;
	if (e) {
		if (!hits) {
			kith_buf_puts(&e->text[KITH_F_NEEDS], "does not say it helps with your needs");
		} else {
			const char *main_need = q->pt->need_count && q->pt->needs[0].priority == KITH_PRIORITY_HIGH
							? q->pt->needs[0].id
							: NULL;
			kith_buf_puts(&e->text[KITH_F_NEEDS], "helps with ");
			for (i = 0; i < hits; i++) {
				const kith_vocab_term *t = kith_vocab_find(KITH_VOCAB_NEED, names[i]);
				char item[96];
				snprintf(item, sizeof(item), "%s%s", t ? t->covers : names[i],
					 main_need && strcmp(names[i], main_need) == 0 ? " (your main need)" : "");
				put_item(&e->text[KITH_F_NEEDS], i, hits, item);
			}
		}
	}
	/* half for covering the most important need well, half for covering them all */
	return clamp01(0.5 * best + 0.5 * got / total);
}

static double score_interests(const query *q, const kith_concepts *g, double text, cand *c, explain *e)
{
	double best[3] = {0, 0, 0}, concept;
	size_t i, hits = 0;
	char words[8][96];

	for (i = 0; i < q->interests.count; i++) {
		const kith_concept *p = &q->interests.items[i], *k;
		double s;
		if (strncmp(p->id, "activity:", 9) != 0 || p->strength <= 0)
			continue;
		k = kith_concepts_find(g, p->id);
		s = k ? p->strength * k->strength : 0;
		if (s > best[0]) {
			best[2] = best[1];
			best[1] = best[0];
			best[0] = s;
		} else if (s > best[1]) {
			best[2] = best[1];
			best[1] = s;
		} else if (s > best[2]) {
			best[2] = s;
		}
		if (s >= 0.4) {
			c->aspects |= 1u << ((16 + i) & 31);
			if (hits < 8) {
				const char *id = strchr(p->id, ':') + 1;
				char label[48];
				kith_tag_words(label, sizeof(label), id);
				if (strcmp(p->evidence, label) != 0 && strcmp(p->evidence, id) != 0)
					snprintf(words[hits], sizeof(words[0]), "%s ('%s')", label, p->evidence);
				else
					snprintf(words[hits], sizeof(words[0]), "%s", label);
				hits++;
			}
		}
	}
	concept = clamp01(best[0] + 0.35 * best[1] + 0.15 * best[2]);
	if (e) {
		kith_buf *b = &e->text[KITH_F_INTERESTS];
		if (hits) {
			kith_buf_puts(b, "matches your interests: ");
			for (i = 0; i < hits; i++)
				put_item(b, i, hits, words[i]);
		} else if (text > 0.3) {
			kith_buf_puts(b, "its listing shares words with your interests");
		} else {
			kith_buf_puts(b, "no link to your interests found");
		}
	}
	/* the rules know meanings; BM25 knows the words the rules lack */
	return clamp01((1.0 - KITH_TEXT_SHARE) * concept + KITH_TEXT_SHARE * text);
}

static double score_distance(const query *q, const cand *c, explain *e)
{
	/* for someone who can get out, meeting people in person is the point; at home, it is all there is */
	double s = 0, remote = q->pt->housebound ? 0.9 : 0.45;
	kith_buf *b = e ? &e->text[KITH_F_DISTANCE] : NULL;

	if (c->in_person && c->distance >= 0) {
		/* anything within reach is feasible; nearer is better, and matters more without a car */
		double x = c->distance / (q->no_car ? 0.5 * q->limit : q->limit);
		s = 1.0 / (1.0 + KITH_DISTANCE_STEEPNESS * x * x);
		if (b)
			kith_buf_printf(b, "%.1f km away%s", c->distance,
					q->has_limit ? (c->distance <= 0.5 * q->limit ? ", well within your limit"
										      : ", within your limit")
						     : "");
	} else if (c->in_person) {
		s = 0.4;
		if (b)
			kith_buf_puts(b, "distance unknown");
		caution(e, q->pt->home.known ? "venue location not given: check how far it is"
					     : "no home location given: check how far it is");
	}
	if (c->by_home && (q->pt->housebound ? 1.0 : 0.5) > s) {
		s = q->pt->housebound ? 1.0 : 0.5;
		if (b) {
			kith_buf_clear(b);
			kith_buf_puts(b, "comes to you: home visits reach your home");
		}
	}
	if (c->by_online && remote > s) {
		s = remote;
		if (b) {
			kith_buf_clear(b);
			kith_buf_printf(b, "join %s from home",
					c->online_how && *c->online_how ? c->online_how : "online or by phone");
		}
	}
	return s;
}

static double score_availability(const query *q, const cand *c, explain *e)
{
	const kith_patient *pt = q->pt;
	kith_buf *b = e ? &e->text[KITH_F_AVAILABILITY] : NULL;
	size_t i, fits = 0;
	double quality = 0, s;

	if (c->starts != LONG_MIN && c->starts > q->today) {
		char msg[96];
		snprintf(msg, sizeof(msg), "starts on %s", c->starts_text);
		caution(e, msg);
	}
	if (c->by_appointment) {
		if (b)
			kith_buf_puts(b, "by appointment, at a time to suit you");
		s = 1.0;
	} else if (!c->schedule_known || !c->session_count) {
		if (b)
			kith_buf_puts(b, "times not listed");
		caution(e, "times not listed: phone to check when it meets");
		s = 0.5;
	} else if (!pt->has_availability) {
		if (b) {
			kith_buf_puts(b, "meets ");
			for (i = 0; i < c->session_count && i < 3; i++) {
				kith_buf_printf(b, "%s%s ", i ? ", " : "", kith_day_long(c->sessions[i].day));
				put_time(b, c->sessions[i].start);
			}
		}
		s = 1.0;
	} else {
		size_t shown = 0;
		if (b)
			kith_buf_puts(b, "");
		for (i = 0; i < c->session_count; i++) {
			int overlap = kith_session_overlap(&c->sessions[i], pt->windows, pt->window_count, 1);
			int len = c->sessions[i].end - c->sessions[i].start;
			if (overlap < MIN_OVERLAP)
				continue;
			fits++;
			quality += len > 0 ? (double)overlap / len : 1.0;
			if (b && shown < 3) {
				kith_buf_printf(b, "%s%s ", shown ? ", " : "", kith_day_long(c->sessions[i].day));
				put_time(b, c->sessions[i].start);
				kith_buf_putc(b, '-');
				put_time(b, c->sessions[i].end);
				shown++;
			}
		}
		if (b)
			kith_buf_puts(b, fits == 1 ? " fits when you are free" : " fit when you are free");
		s = fits ? 0.5 + 0.5 * (0.5 * (double)fits / c->session_count + 0.5 * quality / fits) : 0;
		if (fits < c->session_count && b)
			kith_buf_printf(b, " (%zu of its %zu sessions)", fits, c->session_count);
	}
	if (c->starts != LONG_MIN && c->starts > q->today + 30)
		s *= 0.7; /* a long wait before it starts */
	return s;
}

static double score_cost(const query *q, const cand *c, explain *e)
{
	kith_buf *b = e ? &e->text[KITH_F_COST] : NULL;
	double budget = q->pt->max_per_session;

	if (!c->cost_known) {
		if (b)
			kith_buf_puts(b, "cost not listed");
		caution(e, "cost not listed: ask before going");
		return 0.6;
	}
	if (c->cost_free) {
		if (b)
			kith_buf_puts(b, "free");
		return 1.0;
	}
	if (b) {
		put_money(b, c->cost_amount);
		kith_buf_printf(b, " %s", kith_cost_per_phrase(c->cost_per));
		if (budget >= 0) {
			kith_buf_puts(b, ", within your ");
			put_money(b, budget);
		}
	}
	if (budget > 0)
		return clamp01(1.0 - 0.5 * c->cost_amount / budget);
	return clamp01(1.0 - c->cost_amount / 20.0);
}

static double score_freshness(const query *q, const cand *c, explain *e)
{
	kith_buf *b = e ? &e->text[KITH_F_FRESHNESS] : NULL;
	long age = c->updated >= 0 ? q->today - c->updated : -1;

	if (age < 0) {
		if (b)
			kith_buf_puts(b, c->updated >= 0 ? "listing checked recently" : "no date on the listing");
		if (c->updated < 0)
			caution(e, "the listing has no date: phone to check it still runs");
		return c->updated >= 0 ? 1.0 : 0.5;
	}
	if (b) {
		if (age < 60)
			kith_buf_printf(b, "listing checked %ld days ago", age);
		else
			kith_buf_printf(b, "listing checked %ld months ago", age / 30);
	}
	if (age > STALE_DAYS && e) {
		char msg[128];
		snprintf(msg, sizeof(msg), "listing last checked on %s: phone to check it still runs", c->updated_text);
		caution(e, msg);
	}
	return age <= 180 ? 1.0 : age <= 365 ? 0.8 : age <= 730 ? 0.5 : 0.3;
}

static double score_capacity(const cand *c, explain *e)
{
	if (c->capacity == KITH_CAPACITY_WAITING_LIST) {
		if (e)
			kith_buf_puts(&e->text[KITH_F_CAPACITY], "has a waiting list");
		caution(e, "waiting list: ask how long the wait is");
		return 0.3;
	}
	if (e)
		kith_buf_puts(&e->text[KITH_F_CAPACITY], "taking new members");
	return 1.0;
}

static double score_language(const query *q, const cand *c, explain *e)
{
	const kith_patient *pt = q->pt;
	const char *first = pt->languages.count ? pt->languages.items[0] : "en";
	const char *langs = c->languages && *c->languages ? c->languages : "en";
	kith_buf *b = e ? &e->text[KITH_F_LANGUAGE] : NULL;
	double s = kith_word_in(langs, first, strlen(first)) ? 1.0 : 0.6;

	if (b) {
		kith_buf_puts(b, "runs in ");
		language_list(b, langs);
		if (s == 1.0 && strcmp(first, "en") != 0)
			kith_buf_puts(b, ", your first language");
	}
	return s;
}

static double score_access(const query *q, const cand *c, explain *e)
{
	const kith_patient *pt = q->pt;
	double total = 0;
	size_t needed = 0, i;
	kith_buf *b = e ? &e->text[KITH_F_ACCESS] : NULL;

	for (i = 0; i < 4; i++) {
		if (!pt->needs_access[i])
			continue;
		needed++;
		if (c->access[i] == KITH_TRI_YES) {
			total += 1.0;
			if (b)
				kith_buf_printf(b, "%s%s confirmed", b->size ? "; " : "", kith_access_phrase((int)i));
		} else if (c->access[i] == KITH_TRI_UNKNOWN) {
			char msg[96];
			total += 0.5;
			if (b)
				kith_buf_printf(b, "%s%s not confirmed", b->size ? "; " : "",
						kith_access_phrase((int)i));
			snprintf(msg, sizeof(msg), "%s not confirmed: phone first", kith_access_phrase((int)i));
			caution(e, msg);
		} else {
			char msg[96];
			total += 0.1;
			if (b)
				kith_buf_printf(b, "%sno %s", b->size ? "; " : "", kith_access_phrase((int)i));
			snprintf(msg, sizeof(msg), "no %s", kith_access_phrase((int)i));
			caution(e, msg);
		}
	}
	if (!needed) {
		if (b)
			kith_buf_puts(b, "no access needs given");
		return 1.0;
	}
	return total / (double)needed;
}

static const char *const condition_labels[][2] = {
	{"parkinsons", "Parkinson's"},
	{"ms", "MS"},
	{"dementia", "dementia"},
	{"lung", "lung conditions"},
	{"diabetes", "diabetes"},
	{"heart", "heart conditions"},
	{"stroke", "stroke"},
	{"cancer", "cancer"},
	{"sight-loss", "sight loss"},
	{"hearing-loss", "hearing loss"},
	{"autism", "autism"},
	{"learning-disability", "a learning disability"},
	{"arthritis", "arthritis"},
	{"mental-health", "mental health conditions"},
	{"pregnancy", "pregnancy and new babies"},
	{"alcohol", "alcohol problems"},
	{"physical-disability", "a physical disability"},
};

/* "MS" for "condition:ms". */
static const char *condition_label(const char *id)
{
	size_t i;

	id += strlen("condition:");
	for (i = 0; i < sizeof(condition_labels) / sizeof(condition_labels[0]); i++)
		if (strcmp(condition_labels[i][0], id) == 0)
			return condition_labels[i][1];
	return id;
}

/* The first condition concept of a set, or NULL. */
static const kith_concept *first_condition(const kith_concepts *set)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (strncmp(set->items[i].id, "condition:", 10) == 0)
			return &set->items[i];
	return NULL;
}

static double score_targeted(const query *q, cand *c, const kith_concepts *g, const kith_concepts *named, explain *e)
{
	const kith_patient *pt = q->pt;
	kith_buf *b = e ? &e->text[KITH_F_TARGETED] : NULL;
	const kith_concept *own = NULL, *theirs = first_condition(named);
	double s = 0;
	size_t i;

	for (i = 0; i < q->conditions.count && !own; i++) {
		const kith_concept *k = kith_concepts_find(g, q->conditions.items[i].id);
		if (k && k->strength >= 0.5)
			own = &q->conditions.items[i];
	}
	if (own) {
		if (b)
			kith_buf_printf(b, "made for people with %s, as you said ('%s')", condition_label(own->id),
					own->evidence);
		return 1.0;
	}
	if (theirs) {
		/* a group named for one condition suits few others */
		c->off_target = 1;
		if (b)
			kith_buf_printf(b, "made for people with %s, which you did not mention",
					condition_label(theirs->id));
		caution(e, "made for people with one condition: check it fits");
		return 0.0;
	}
	if (c->requires && *c->requires) {
		const kith_vocab_term *t;
		char id[64];
		size_t n = strcspn(c->requires, " ");
		snprintf(id, sizeof(id), "%.*s", (int)n, c->requires);
		t = kith_vocab_find(KITH_VOCAB_CIRCUMSTANCE, id);
		s = 1.0;
		if (b)
			kith_buf_printf(b, "made for %s, which fits you", t ? t->covers : id);
	} else if (c->max_age >= 0 && c->max_age <= 30 && pt->age >= 0) {
		s = 0.7;
		if (b)
			kith_buf_printf(b, "made for young people (up to %d)", c->max_age);
	} else if (c->min_age >= 50 && pt->age >= 0) {
		s = 0.5;
		if (b)
			kith_buf_printf(b, "made for people over %d", c->min_age);
	} else if (c->gender != KITH_GENDER_ANY && pt->gender == c->gender) {
		s = 0.5;
		if (b)
			kith_buf_printf(b, "a group for %s", kith_gender_people(c->gender));
	} else if (b) {
		kith_buf_puts(b, "open to everyone");
	}
	if (c->min_age >= 0 && pt->age < 0)
		caution(e, "has an age limit: check it fits");
	if (c->gender != KITH_GENDER_ANY && pt->gender == KITH_GENDER_ANY) {
		char msg[32];
		snprintf(msg, sizeof(msg), "for %s only", kith_gender_people(c->gender));
		caution(e, msg);
	}
	if (c->referral_professional)
		caution(e, "needs a referral from a GP or link worker");
	return s;
}

static double round3(double x)
{
	return floor(x * 1000.0 + 0.5) / 1000.0;
}

/* Scores c on every factor; with e, also writes the sentences and cautions. */
static void score(const kith_matcher *m, const query *q, cand *c, double text_norm, explain *e)
{
	kith_concepts g, named;
	int f;

	group_concepts(m, c, &g, &named);
	c->aspects = 0;
	c->factor[KITH_F_NEEDS] = score_needs(q, &g, c, e);
	c->factor[KITH_F_INTERESTS] = score_interests(q, &g, text_norm, c, e);
	c->factor[KITH_F_DISTANCE] = score_distance(q, c, e);
	c->factor[KITH_F_AVAILABILITY] = score_availability(q, c, e);
	c->factor[KITH_F_COST] = score_cost(q, c, e);
	c->factor[KITH_F_FRESHNESS] = score_freshness(q, c, e);
	c->factor[KITH_F_CAPACITY] = score_capacity(c, e);
	c->factor[KITH_F_LANGUAGE] = score_language(q, c, e);
	c->factor[KITH_F_ACCESS] = score_access(q, c, e);
	c->factor[KITH_F_TARGETED] = score_targeted(q, c, &g, &named, e);
	if (c->off_target) {
		/* a group named for a condition the person does not have serves them little */
		c->factor[KITH_F_NEEDS] *= 0.4;
		c->factor[KITH_F_INTERESTS] *= 0.4;
	}
	c->base = 0;
	for (f = 0; f < KITH_F_COUNT; f++) {
		c->part[f] = round3(m->weights.w[f] * c->factor[f]);
		c->base += c->part[f];
	}
	c->base = round3(c->base);
}

/* ---- ranking ------------------------------------------------------------ */

typedef struct run {
	query q;
	kith_arena *arena;
	cand *cands; /* every candidate, sorted by gid */
	size_t count;
	size_t *order; /* chosen results, best first (indices into cands) */
	size_t chosen;
	double max_text;
} run;

static int by_gid(const void *key, const void *elem)
{
	sqlite3_int64 g = *(const sqlite3_int64 *)key, h = ((const cand *)elem)->gid;
	return (g > h) - (g < h);
}

/* The query's terms, as the index's tokenizer makes them, with their weights. */
typedef struct terms {
	char term[64][48];
	double idf[64];
	size_t count;
} terms;

static int add_term(void *ctx, const char *token, size_t n)
{
	terms *t = ctx;
	size_t i;

	if (n >= sizeof(t->term[0]) || t->count == sizeof(t->term) / sizeof(t->term[0]))
		return 0;
	for (i = 0; i < t->count; i++)
		if (strlen(t->term[i]) == n && memcmp(t->term[i], token, n) == 0)
			return 0;
	memcpy(t->term[t->count], token, n);
	t->term[t->count++][n] = '\0';
	return 0;
}

/*
 * BM25 of the person's words over each candidate's text, computed in C from
 * the tokens the index stored for it, as FTS5 computes it (k1 1.2, b 0.75,
 * columns weighted name 4, organisation 1, description 1, tags 2).  FTS5
 * would read every row holding a common word in a national directory; this
 * reads one document count per word and the candidates' own rows.
 */
static int text_scores(kith_matcher *m, run *r)
{
	static const double weight[4] = {4.0, 1.0, 1.0, 2.0};
	const double k1 = 1.2, b = 0.75;
	terms t;
	size_t i, k;

	memset(&t, 0, sizeof(t));
	if (!r->q.words[0] || !r->count)
		return 0;
	if (kith_stemmer_tokens(m->stemmer, r->q.words, strlen(r->q.words), add_term, &t) != 0)
		return kith_error_set(&m->error, KITH_ERROR, "tokenizing the query");
	for (k = 0; k < t.count; k++) {
		double docs = 0, idf;
		sqlite3_reset(m->term_docs);
		sqlite3_bind_text(m->term_docs, 1, t.term[k], -1, SQLITE_STATIC);
		if (sqlite3_step(m->term_docs) == SQLITE_ROW)
			docs = sqlite3_column_double(m->term_docs, 0);
		sqlite3_reset(m->term_docs);
		idf = log((m->rows - docs + 0.5) / (docs + 0.5));
		t.idf[k] = docs == 0 ? 0 : idf > 1e-6 ? idf : 1e-6;
	}
	for (i = 0; i < r->count; i++) {
		cand *c = &r->cands[i];
		double freq[64] = {0}, score = 0, norm;
		const char *p = c->stems;
		int col = 0;
		while (p && *p) {
			size_t n = strcspn(p, " |");
			for (k = 0; k < t.count && n; k++)
				if (t.term[k][0] == p[0] && strncmp(t.term[k], p, n) == 0 && t.term[k][n] == '\0')
					freq[k] += weight[col];
			p += n;
			if (*p == '|' && col < 3)
				col++;
			if (*p)
				p++;
		}
		norm = k1 * (1 - b + b * (m->avg_tokens > 0 ? c->tokens / m->avg_tokens : 1.0));
		for (k = 0; k < t.count; k++)
			if (freq[k] > 0)
				score += t.idf[k] * freq[k] * (k1 + 1) / (freq[k] + norm);
		c->text_score = score;
	}
	return 0;
}

/* A sortable view of a candidate: qsort passes no context, so it carries what it compares. */
typedef struct ranked {
	double score;
	const char *key;
	size_t index;
} ranked;

/* Best first; ties break by key so the same input always gives the same list. */
static int better(const void *a, const void *b)
{
	const ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->key, y->key);
}

/* How much two groups cover the same needs and interests (Jaccard over aspects). */
static double similarity(const cand *a, const cand *b)
{
	unsigned both = a->aspects & b->aspects, either = a->aspects | b->aspects;
	int nb = 0, ne = 0;

	for (; either; either &= either - 1)
		ne++;
	for (; both; both &= both - 1)
		nb++;
	return ne ? (double)nb / ne : 0.0;
}

static void dedup_key(const cand *c, kith_dedup_key *k)
{
	size_t i;

	memset(k, 0, sizeof(*k));
	kith_dedup_name(k, c->name);
	kith_dedup_contact(k, c->phone, c->email, c->web);
	kith_dedup_place(k, c->address);
	if (c->point_count) {
		k->lat = c->lat[0];
		k->lon = c->lon[0];
		k->has_point = 1;
	}
	for (i = 0; i < c->session_count && i < KITH_DEDUP_MAX_SESSIONS; i++)
		k->sessions[k->session_count++] = c->sessions[i].day * 1440 + c->sessions[i].start;
}

/*
 * Picks the list: greedily the best score after a penalty for covering
 * the same needs and interests as what is already chosen (so a person with
 * three needs sees all three served), skipping a second listing of a group
 * already chosen.  The penalty only grows as the list grows, so shown
 * scores never rise down the list.
 */
static int rank_order(kith_matcher *m, run *r, size_t top)
{
	ranked *pool = NULL;
	kith_dedup_key *keys = NULL;
	size_t n = 0, i, window;
	int error = 0;

	for (i = 0; i < r->count; i++)
		n += !r->cands[i].broken;
	if ((pool = malloc((n ? n : 1) * sizeof(*pool))) == NULL ||
	    (r->order = malloc((top ? top : 1) * sizeof(*r->order))) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (i = n = 0; i < r->count; i++) {
		if (r->cands[i].broken)
			continue;
		r->cands[i].final = r->cands[i].base;
		pool[n].score = r->cands[i].base;
		pool[n].key = r->cands[i].key;
		pool[n++].index = i;
	}
	qsort(pool, n, sizeof(*pool), better);
	/* only the head of the pool can reach the list, even after penalties */
	window = n < top * 4 + 8 ? n : top * 4 + 8;
	if ((keys = calloc(window ? window : 1, sizeof(*keys))) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < window; i++) {
		if ((error = load_details(m, r->arena, &r->cands[pool[i].index])) != 0)
			goto cleanup;
		dedup_key(&r->cands[pool[i].index], &keys[i]);
	}
	while (r->chosen < top) {
		size_t best = window, j;
		double best_score = -1e9;
		for (i = 0; i < window; i++) {
			cand *c = &r->cands[pool[i].index];
			double sim = 0, adj;
			if (c->dup_of != -1)
				continue; /* chosen already (-2), or a duplicate of a chosen one */
			for (j = 0; j < r->chosen; j++) {
				cand *s = &r->cands[r->order[j]];
				size_t k;
				for (k = 0; k < window && pool[k].index != r->order[j]; k++)
					;
				if (k < window && kith_dedup_same(&keys[i], &keys[k])) {
					c->dup_of = (int)r->order[j];
					if (s->also < 0)
						s->also = (int)pool[i].index;
					break;
				}
				if (similarity(c, s) > sim)
					sim = similarity(c, s);
			}
			if (c->dup_of != -1)
				continue;
			c->variety = round3(m->weights.variety * 0.15 * sim);
			adj = round3(c->base - c->variety);
			if (adj > best_score || (adj == best_score && best < window &&
						 strcmp(c->key, r->cands[pool[best].index].key) < 0)) {
				best_score = adj;
				best = i;
			}
		}
		if (best == window)
			break;
		r->cands[pool[best].index].final = best_score;
		r->order[r->chosen++] = pool[best].index;
		/* keep its key for the duplicate test, but take it out of the running */
		r->cands[pool[best].index].dup_of = -2;
	}
	/* the ones not chosen keep their variety penalty as of the last round */
	for (i = 0; i < r->chosen; i++)
		if (r->cands[r->order[i]].dup_of == -2)
			r->cands[r->order[i]].dup_of = -1;

cleanup:
	free(pool);
	free(keys);
	return error;
}

/* A seeded, stable pseudo-random score for the random baseline. */
static double random_score(unsigned long seed, const char *key)
{
	uint64_t h = kith_fnv(KITH_FNV_START ^ (seed * 0x9E3779B97F4A7C15ull), key, strlen(key));

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (double)(h >> 11) / 9007199254740992.0;
}

/* Scores for a baseline: one number per group, no variety, no duplicates dropped. */
static int rank_baseline(run *r, kith_rank_mode mode, unsigned long seed, size_t top)
{
	ranked *pool = malloc((r->count ? r->count : 1) * sizeof(*pool));
	size_t i, n = 0;

	if (!pool || (r->order = malloc((top ? top : 1) * sizeof(*r->order))) == NULL) {
		free(pool);
		return KITH_ENOMEM;
	}
	for (i = 0; i < r->count; i++) {
		cand *c = &r->cands[i];
		double s;
		if (mode == KITH_RANK_FILTERED_TEXT && c->broken)
			continue;
		if (mode == KITH_RANK_RANDOM)
			s = random_score(seed, c->key);
		else if (mode == KITH_RANK_NEAREST)
			s = c->distance >= 0 ? 1.0 / (1.0 + c->distance) : 0.0;
		else
			s = r->max_text > 0 ? c->text_score / r->max_text : 0.0;
		c->final = c->base = round3(s);
		pool[n].score = s;
		pool[n].key = c->key;
		pool[n++].index = i;
	}
	qsort(pool, n, sizeof(*pool), better);
	for (i = 0; i < n && r->chosen < top; i++)
		r->order[r->chosen++] = pool[i].index;
	free(pool);
	return 0;
}

static void run_release(run *r)
{
	free(r->cands);
	free(r->order);
	r->cands = NULL;
	r->order = NULL;
}

/* Candidates, filter, text scores, factors, order: everything but the write-up. */
static int run_match(kith_matcher *m, const kith_profile *p, const kith_match_opts *opts, kith_arena *a, run *r)
{
	const kith_patient *pt = kith_profile_patient(p);
	gid_list gids = {0};
	kith_buf why = KITH_BUF_INIT;
	long today;
	size_t i;
	int error = 0, baseline = opts->mode != KITH_RANK_KITH, narrow, in_read = 0;
	size_t top = opts->top ? opts->top : 10;

	memset(r, 0, sizeof(*r));
	r->arena = a;
	if (opts->today) {
		if (kith_date_parse(opts->today, &today) != 0)
			return kith_error_set(&m->error, KITH_EINVALID, "'%s' is not a date (expected YYYY-MM-DD)",
					      opts->today);
	} else {
		today = kith_date_today();
	}
	/* one read transaction for the whole match, rather than one per statement */
	in_read = sqlite3_exec(m->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
	if ((error = prepare_query(m, pt, today, &r->q)) != 0)
		goto cleanup;
	/*
	 * Narrowed first; but when too few of the narrowed candidates pass the
	 * hard constraints, every reachable group is read, so a person whose
	 * few possible groups share no concept with them still sees them.
	 */
	for (narrow = !baseline;; narrow = 0) {
		size_t passing = 0;
		gids.count = 0;
		if ((error = candidates(m, &r->q, baseline, narrow, top, &gids)) != 0)
			goto cleanup;
		free(r->cands);
		r->count = 0;
		if ((r->cands = calloc(gids.count ? gids.count : 1, sizeof(*r->cands))) == NULL) {
			error = KITH_ENOMEM;
			goto cleanup;
		}
		for (i = 0; i < gids.count; i++) {
			cand *c = &r->cands[r->count];
			if ((error = load_cand(m, a, gids.items[i], c)) == KITH_ENOTFOUND)
				continue;
			if (error)
				goto cleanup;
			c->dup_of = c->also = -1;
			kith_buf_clear(&why);
			c->broken = breaks(&r->q, c, &why, 0) != 0;
			passing += !c->broken;
			r->count++;
		}
		if (!narrow || passing >= top)
			break;
	}
	if ((error = text_scores(m, r)) != 0)
		goto cleanup;
	for (i = 0; i < r->count; i++)
		if ((!r->cands[i].broken || baseline) && r->cands[i].text_score > r->max_text)
			r->max_text = r->cands[i].text_score;
	if (baseline) {
		error = rank_baseline(r, opts->mode, opts->seed, opts->top ? opts->top : 10);
		goto cleanup;
	}
	for (i = 0; i < r->count; i++)
		if (!r->cands[i].broken)
			score(m, &r->q, &r->cands[i], r->max_text > 0 ? r->cands[i].text_score / r->max_text : 0, NULL);
	error = rank_order(m, r, opts->top ? opts->top : 10);

cleanup:
	if (in_read)
		sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL);
	free(gids.items);
	kith_buf_release(&why);
	return error;
}

/* ---- the write-up ---------------------------------------------------------- */


/* "Tue 24 Nov 12:00-14:00": the soonest session that fits the person. */
static const char *next_session(kith_arena *a, const query *q, const cand *c)
{
	long best = -1;
	size_t i, which = 0;
	kith_buf b = KITH_BUF_INIT;
	char date[11];
	const char *out;

	if (c->by_appointment)
		return "by appointment";
	for (i = 0; i < c->session_count; i++) {
		long d;
		if (q->pt->has_availability && !session_fits(q, &c->sessions[i]))
			continue;
		d = kith_session_next(&c->sessions[i], q->today, c->starts, c->ends);
		if (d >= 0 &&
		    (best < 0 || d < best || (d == best && c->sessions[i].start < c->sessions[which].start))) {
			best = d;
			which = i;
		}
	}
	if (best < 0)
		return NULL;
	kith_date_format(best, date);
	kith_buf_printf(&b, "%s %d %s ", kith_day_short(kith_date_weekday(best)), (int)strtol(date + 8, NULL, 10),
			kith_month_short((int)strtol(date + 5, NULL, 10)));
	put_time(&b, c->sessions[which].start);
	kith_buf_putc(&b, '-');
	put_time(&b, c->sessions[which].end);
	out = kith_arena_strdup(a, b.ptr);
	kith_buf_release(&b);
	return out;
}

/* The nearest located venue's address and postcode (or the first venue's). */
static void venue_of(kith_matcher *m, kith_arena *a, const query *q, const cand *c, kith_result *res)
{
	sqlite3_stmt *s = NULL;
	double best = -1;

	res->distance_km = c->in_person ? c->distance : -1;
	if (sqlite3_prepare_v2(m->db, "SELECT address, postcode, lat, lon FROM venues WHERE gid = ?1 ORDER BY vid", -1,
			       &s, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(s, 1, c->gid);
	while (sqlite3_step(s) == SQLITE_ROW) {
		double d = -1;
		if (sqlite3_column_type(s, 2) != SQLITE_NULL && q->pt->home.known)
			d = kith_geo_distance_km(q->pt->home.lat, q->pt->home.lon, sqlite3_column_double(s, 2),
						 sqlite3_column_double(s, 3));
		if (!res->venue || (d >= 0 && (best < 0 || d < best))) {
			res->venue = col_text(a, s, 0);
			res->postcode = col_text(a, s, 1);
			best = d;
		}
	}
	sqlite3_finalize(s);
}

static const char *how_text(const cand *c)
{
	if (c->in_person && c->by_online)
		return "in person, or online or by phone";
	if (c->in_person)
		return "in person";
	if (c->by_home && c->by_online)
		return "home visits, or online or by phone";
	if (c->by_home)
		return "home visits";
	return "online or by phone";
}

static int write_result(kith_matcher *m, run *r, size_t rank, cand *c, kith_result *res)
{
	kith_arena *a = r->arena;
	explain e;
	kith_reason *reasons;
	const char **cautions;
	size_t n = 0, count = 0, i;
	char *p;
	int f, error = 0;

	memset(&e, 0, sizeof(e));
	for (f = 0; f < KITH_F_COUNT; f++)
		kith_buf_init(&e.text[f], 0);
	kith_buf_init(&e.cautions, 0);
	score(m, &r->q, c, r->max_text > 0 ? c->text_score / r->max_text : 0, &e);
	reasons = kith_arena_alloc(a, (KITH_F_COUNT + 1) * sizeof(*reasons));
	if (!reasons) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (f = 0; f < KITH_F_COUNT; f++) {
		reasons[n].factor = kith_factor_names[f];
		reasons[n].contribution = c->part[f];
		reasons[n].text = kith_arena_strdup(a, e.text[f].ptr);
		n++;
	}
	if (c->variety > 0) {
		reasons[n].factor = "variety";
		reasons[n].contribution = -c->variety;
		reasons[n].text = "covers much the same as a group above it";
		n++;
	}
	for (p = e.cautions.ptr; *p; p++)
		count += *p == '\n';
	cautions = kith_arena_alloc(a, (count ? count : 1) * sizeof(*cautions));
	if (!cautions) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (i = 0, p = e.cautions.ptr; i < count; i++) {
		char *nl = strchr(p, '\n');
		cautions[i] = kith_arena_strndup(a, p, (size_t)(nl - p));
		p = nl + 1;
	}
	res->rank = rank;
	res->key = c->key;
	res->name = c->name;
	res->organisation = c->organisation;
	res->score = c->final;
	res->reasons = reasons;
	res->reason_count = n;
	res->cautions = cautions;
	res->caution_count = count;
	res->how = how_text(c);
	venue_of(m, a, &r->q, c, res);
	res->next_session = next_session(a, &r->q, c);
	if (c->cost_known) {
		kith_buf b = KITH_BUF_INIT;
		if (c->cost_free) {
			kith_buf_puts(&b, "free");
		} else {
			put_money(&b, c->cost_amount);
			kith_buf_printf(&b, " %s", kith_cost_per_phrase(c->cost_per));
		}
		res->cost = kith_arena_strdup(a, b.ptr);
		kith_buf_release(&b);
	}
	res->phone = c->phone;
	res->email = c->email;
	res->web = c->web;
	res->also_listed = c->also >= 0 ? r->cands[c->also].key : NULL;

cleanup:
	for (f = 0; f < KITH_F_COUNT; f++)
		kith_buf_release(&e.text[f]);
	kith_buf_release(&e.cautions);
	return error;
}

static void write_baseline(run *r, kith_rank_mode mode, size_t rank, cand *c, kith_result *res)
{
	static const char *const names[] = {"kith", "random order", "nearest first", "text relevance only",
					    "text relevance after the hard constraints"};
	kith_reason *reason = kith_arena_alloc(r->arena, sizeof(*reason));

	memset(res, 0, sizeof(*res));
	res->rank = rank;
	res->key = c->key;
	res->name = c->name;
	res->organisation = c->organisation;
	res->score = c->final;
	res->distance_km = c->distance;
	res->how = how_text(c);
	if (reason) {
		reason->factor = "baseline";
		reason->contribution = c->final;
		reason->text = names[mode];
		res->reasons = reason;
		res->reason_count = 1;
	}
}

int kith_matcher_run(kith_matcher *m, const kith_profile *p, const kith_match_opts *opts, kith_results **out)
{
	kith_match_opts defaults = KITH_MATCH_OPTS_INIT;
	kith_results *res = calloc(1, sizeof(*res));
	run r;
	size_t i;
	int error = 0;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!res)
		return KITH_ENOMEM;
	kith_error_clear(&m->error);
	if ((error = run_match(m, p, opts, &res->arena, &r)) != 0)
		goto cleanup;
	res->patient = kith_arena_strdup(&res->arena, kith_profile_id(p));
	if ((res->items = kith_arena_alloc(&res->arena, (r.chosen ? r.chosen : 1) * sizeof(*res->items))) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < r.chosen && !error; i++) {
		cand *c = &r.cands[r.order[i]];
		if ((error = load_details(m, &res->arena, c)) != 0)
			break;
		if (opts->mode == KITH_RANK_KITH)
			error = write_result(m, &r, i + 1, c, &res->items[i]);
		else
			write_baseline(&r, opts->mode, i + 1, c, &res->items[i]);
		res->count++;
	}

cleanup:
	run_release(&r);
	if (error) {
		kith_results_free(res);
		return error;
	}
	*out = res;
	return 0;
}

size_t kith_results_count(const kith_results *r)
{
	return r ? r->count : 0;
}

const kith_result *kith_results_get(const kith_results *r, size_t i)
{
	return r && i < r->count ? &r->items[i] : NULL;
}

const char *kith_results_patient(const kith_results *r)
{
	return r ? r->patient : NULL;
}

void kith_results_free(kith_results *r)
{
	if (!r)
		return;
	kith_arena_release(&r->arena);
	free(r);
}

int kith_matcher_why_not(kith_matcher *m, const kith_profile *p, const kith_match_opts *opts, const char *key,
			 char **out)
{
	kith_match_opts defaults = KITH_MATCH_OPTS_INIT;
	kith_arena a = KITH_ARENA_INIT;
	kith_buf b = KITH_BUF_INIT, why = KITH_BUF_INIT;
	sqlite3_int64 gid = 0;
	run r;
	cand *c = NULL, one;
	size_t i, top;
	int error = 0, rc;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	top = opts->top ? opts->top : 10;
	memset(&r, 0, sizeof(r));
	sqlite3_reset(m->by_key);
	sqlite3_bind_text(m->by_key, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(m->by_key);
	if (rc == SQLITE_ROW)
		gid = sqlite3_column_int64(m->by_key, 0);
	sqlite3_reset(m->by_key);
	if (!gid) {
		error = kith_error_set(&m->error, KITH_ENOTFOUND,
				       "no group '%s' in the index (keys are FEED-ID/GROUP-ID)", key);
		goto cleanup;
	}
	if ((error = run_match(m, p, opts, &a, &r)) != 0)
		goto cleanup;
	c = bsearch(&gid, r.cands, r.count, sizeof(*c), by_gid);
	for (i = 0; c && i < r.chosen; i++) {
		if (&r.cands[r.order[i]] == c) {
			kith_buf_printf(&b, "'%s' is in the list, at #%zu with %.3f", c->name, i + 1, c->final);
			goto done;
		}
	}
	if (!c) {
		/* outside the travel box: read it on its own to say which constraint */
		if ((error = load_cand(m, &a, gid, &one)) != 0)
			goto cleanup;
		one.dup_of = one.also = -1;
		c = &one;
	}
	kith_buf_clear(&why);
	if (breaks(&r.q, c, &why, 1)) {
		kith_buf_printf(&b, "'%s' is left out: %s", c->name, why.ptr);
	} else if (c->dup_of >= 0) {
		kith_buf_printf(&b, "'%s' is the same group as '%s' (%s), shown instead", c->name,
				r.cands[c->dup_of].name, r.cands[c->dup_of].key);
	} else {
		int f;
		kith_buf_printf(&b, "'%s' breaks no constraint but scored %.3f", c->name, c->base - c->variety);
		if (r.chosen)
			kith_buf_printf(&b, ", below #%zu '%s' at %.3f", r.chosen, r.cands[r.order[r.chosen - 1]].name,
					r.cands[r.order[r.chosen - 1]].final);
		kith_buf_puts(&b, " (");
		for (f = 0; f < KITH_F_COUNT; f++)
			kith_buf_printf(&b, "%s%s %.3f", f ? ", " : "", kith_factor_names[f], c->part[f]);
		if (c->variety > 0)
			kith_buf_printf(&b, ", variety -%.3f", c->variety);
		kith_buf_printf(&b, "); ask for more with --top %zu", top * 2);
	}
done:
	*out = kith_buf_detach(&b);
	if (!*out)
		error = KITH_ENOMEM;

cleanup:
	run_release(&r);
	kith_arena_release(&a);
	kith_buf_release(&b);
	kith_buf_release(&why);
	return error;
}
