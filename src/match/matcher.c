/*
 * The matcher (see kith/match.h): making one, its weights, a run from
 * candidates to the written-up list, and why a group is not in it.  The
 * steps are the other files of this folder (match_int.h).
 */
#include "match/match_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feed/profile.h"
#include "model/embedded.h"
#include "model/geo.h"
#include "model/schedule.h"
#include "store/columns.h"
#include "store/index.h"
#include "util/file.h"

static const char *const statements[ST_COUNT] = {
	[ST_ROW] = "SELECT " KITH_GROUP_COLUMNS " FROM groups WHERE gid = ?1",
	[ST_KEY] = "SELECT gid FROM groups WHERE key = ?1",
	[ST_TERM_DOCS] = "SELECT docs FROM term_docs WHERE term = ?1",
	[ST_VENUES] = "SELECT address, postcode, lat, lon FROM venues WHERE gid = ?1 ORDER BY vid",
	[ST_POSTCODE] = "SELECT lat, lon FROM postcodes WHERE pcd = ?1",
	/* the candidate queries: their parameters are candidates.c's */
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
			"WHERE venue_list IS NULL AND (unlocated_venues > 0 OR (placeless AND area IS NOT NULL))",
	[Q_HOME_VISITS] = "SELECT id, mask, langs FROM home_visit_rtree "
			  "WHERE max_lat >= ?1 AND min_lat <= ?2 AND max_lon >= ?3 AND min_lon <= ?4",
	[Q_ALL_GROUPS] = "SELECT gid, concept_mask, lang_mask FROM groups",
};

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
	if (kith_stmt_cache_init(&m->stmts, m->db, statements, ST_COUNT) != 0 ||
	    kith_pack_reader_new(&m->packs, m->db) != 0) {
		error = kith_error_set(&m->error, KITH_ENOMEM, "out of memory");
		goto cleanup;
	}
	{
		char found[8];
		if ((error = kith_db_one(m->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1",
					 "postcodes", found, sizeof(found), NULL, &m->error)) != 0)
			goto cleanup;
		m->has_postcodes = found[0] == '1'; /* loaded later (kith postcodes): looked for now */
	}
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
		char hash[KITH_RULES_HASH_TEXT], stored[KITH_RULES_HASH_TEXT + 8];
		kith_rules_hash_text(m->rules, hash);
		if ((error = kith_db_one(m->db, "SELECT value FROM meta WHERE key = 'rules_hash'", NULL, stored,
					 sizeof(stored), NULL, &m->error)) != 0)
			goto cleanup;
		m->precomputed = strcmp(stored, hash) == 0;
	}
	if ((error = kith_stemmer_new(&m->stemmer, m->db)) != 0) {
		kith_error_set(&m->error, error, "this SQLite has no FTS5 porter tokenizer");
		goto cleanup;
	}
	if ((error = kith_db_one(m->db, "SELECT value FROM meta WHERE key = 'groups'", NULL, NULL, 0, &m->rows,
				 &m->error)) != 0 ||
	    (error = kith_db_one(m->db, "SELECT value FROM meta WHERE key = 'avg_tokens'", NULL, NULL, 0,
				 &m->avg_tokens, &m->error)) != 0)
		goto cleanup;

cleanup:
	free(text);
	kith_buf_release(&err);
	return error;
}

void kith_matcher_free(kith_matcher *m)
{
	if (!m)
		return;
	kith_stmt_cache_release(&m->stmts);
	kith_match_sectors_release(m);
	kith_pack_reader_free(m->packs);
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
	kith_match_place_home(m, pt, r);
	if ((error = kith_match_query(m, &r->person, today, &r->q)) != 0)
		goto cleanup;
	r->q.home_approx = r->precision == KITH_HOME_DISTRICT || r->precision == KITH_HOME_SECTOR;
	if (r->q.home_approx && (r->q.home_margin = kith_geo_district_reach_km(r->q.home.district)) < 0)
		r->q.home_margin = 2.0; /* a district the table does not know: a town's */
	if (r->precision == KITH_HOME_SECTOR && r->q.home_margin > SECTOR_MARGIN_KM)
		r->q.home_margin = SECTOR_MARGIN_KM;
	if (r->precision == KITH_HOME_SECTOR)
		snprintf(r->q.home_from, sizeof(r->q.home_from), "the listed venues of %s", r->sector);
	else
		snprintf(r->q.home_from, sizeof(r->q.home_from), "the centre of %s", r->q.home.district);
	/*
	 * Narrowed first; but when too few of the narrowed candidates pass the
	 * hard constraints, every reachable group is read, so a person whose
	 * few possible groups share no concept with them still sees them.
	 */
	for (narrow = !baseline;; narrow = 0) {
		size_t passing = 0;
		gids.count = 0;
		if ((error = kith_match_candidates(m, &r->q, baseline, narrow, top, &gids)) != 0)
			goto cleanup;
		free(r->cands);
		r->count = 0;
		if ((r->cands = calloc(gids.count ? gids.count : 1, sizeof(*r->cands))) == NULL) {
			error = KITH_ENOMEM;
			goto cleanup;
		}
		for (i = 0; i < gids.count; i++) {
			cand *c = &r->cands[r->count];
			if ((error = kith_match_read_row(m, a, gids.items[i], c)) == KITH_ENOTFOUND)
				continue;
			if (error)
				goto cleanup;
			c->dup_of = c->also = -1;
			kith_buf_clear(&why);
			c->broken = kith_match_breaks(&r->q, c, &why, 0) != 0;
			passing += !c->broken;
			r->count++;
		}
		if (!narrow || passing >= top)
			break;
	}
	if ((error = kith_match_text_scores(m, r)) != 0)
		goto cleanup;
	for (i = 0; i < r->count; i++) {
		if ((!r->cands[i].broken || baseline) && r->cands[i].text_score > r->max_text)
			r->max_text = r->cands[i].text_score;
		if (!r->cands[i].broken && r->cands[i].focus_score > r->max_focus)
			r->max_focus = r->cands[i].focus_score;
	}
	if (baseline) {
		error = kith_match_rank_baseline(r, opts->mode, opts->seed, top);
		goto cleanup;
	}
	for (i = 0; i < r->count; i++)
		if (!r->cands[i].broken)
			kith_match_score(m, &r->q, &r->cands[i],
					 r->max_focus > 0 ? r->cands[i].focus_score / r->max_focus : 0, NULL);
	error = kith_match_rank(m, r, top);

cleanup:
	if (in_read)
		sqlite3_exec(m->db, "COMMIT", NULL, NULL, NULL);
	free(gids.items);
	kith_buf_release(&why);
	return error;
}

static int by_gid(const void *key, const void *elem)
{
	sqlite3_int64 g = *(const sqlite3_int64 *)key, h = ((const cand *)elem)->gid;
	return (g > h) - (g < h);
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
	if ((res->patient = kith_arena_strdup(&res->arena, kith_profile_id(p))) == NULL ||
	    (res->items = kith_arena_alloc(&res->arena, (r.chosen ? r.chosen : 1) * sizeof(*res->items))) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < r.chosen && !error; i++) {
		cand *c = &r.cands[r.order[i]];
		if ((error = kith_match_read_details(m, &res->arena, c)) != 0)
			break;
		if (opts->mode == KITH_RANK_KITH)
			error = kith_match_write_result(m, &r, i + 1, c, &res->items[i]);
		else
			kith_match_write_baseline(&r, opts->mode, i + 1, c, &res->items[i]);
		res->count++;
	}
	if (!error && opts->mode == KITH_RANK_KITH)
		error = kith_match_coverage(m, &r, res);
	if (!error) {
		res->precision = r.precision;
		if (r.precision == KITH_HOME_POSTCODE)
			res->place = kith_arena_strdup(&res->arena, r.person.postcode);
		else if (r.precision == KITH_HOME_DISTRICT)
			res->place = kith_arena_strdup(&res->arena, r.q.home.district);
		else if (r.precision == KITH_HOME_SECTOR)
			res->place = kith_arena_strdup(&res->arena, r.sector);
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

kith_home_precision kith_results_home(const kith_results *r, const char **place)
{
	if (place)
		*place = r ? r->place : NULL;
	return r ? r->precision : KITH_HOME_UNKNOWN;
}

size_t kith_results_need_count(const kith_results *r)
{
	return r ? r->need_count : 0;
}

const kith_need_cover *kith_results_need(const kith_results *r, size_t i)
{
	return r && i < r->need_count ? &r->needs[i] : NULL;
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
	sqlite3_stmt *s;
	run r;
	cand *c = NULL, one;
	size_t i, top;
	int error = 0, rc;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	top = opts->top ? opts->top : 10;
	memset(&r, 0, sizeof(r));
	if ((s = kith_stmt_get(&m->stmts, ST_KEY, &m->error)) == NULL) {
		error = KITH_EIO;
		goto cleanup;
	}
	sqlite3_bind_text(s, 1, key, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		gid = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		error = kith_db_error(&m->error, m->db, "reading the index");
		goto cleanup;
	}
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
		if ((error = kith_match_read_row(m, &a, gid, &one)) != 0)
			goto cleanup;
		one.dup_of = one.also = -1;
		c = &one;
	}
	kith_buf_clear(&why);
	if (kith_match_breaks(&r.q, c, &why, 1)) {
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
	/* the sentence is checked once, finished: why's error shows in b's */
	if ((error = kith_buf_error(&why)) != 0 || (error = kith_buf_error(&b)) != 0)
		goto cleanup;
	if ((*out = kith_buf_detach(&b)) == NULL)
		error = KITH_ENOMEM;

cleanup:
	run_release(&r);
	kith_arena_release(&a);
	kith_buf_release(&b);
	kith_buf_release(&why);
	return error;
}
