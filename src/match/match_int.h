/*
 * What the files of the matcher share (as SQLite's whereInt.h): the
 * matcher, the person as a query, the candidates, a run and its write-up.
 *
 * A match runs in four steps.  Candidates (candidates.c): the groups with
 * a venue inside the person's travel box (R*Tree), plus those that can be
 * joined online or come to the home, narrowed by concept masks, or every
 * group when the person gave no place.  Filter (constraints.c): each
 * candidate, read from its row (row.c), is checked against the seven hard
 * constraints; any break leaves it out.  Score (score.c, bm25.c): each
 * factor in [0, 1] times its weight, rounded, so the parts add up to the
 * score shown.  Rank (rank.c): best first, with a small penalty for
 * repeating what the list already covers, and one listing per real-world
 * group.  explain.c writes up the results; matcher.c is the public face.
 */
#ifndef KITH_MATCH_INT_H
#define KITH_MATCH_INT_H

#include <math.h>
#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

#include "kith/match.h"
#include "model/area.h"
#include "model/model.h"
#include "model/weights.h"
#include "store/db.h"
#include "store/pack.h"
#include "text/concepts.h"
#include "text/rules.h"
#include "text/stem.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/strset.h"

#define MAX_SESSIONS 16      /* of a candidate, read from its row */
#define MAX_POINTS 8         /* located venues of a candidate */
#define MAX_NEEDS 32         /* of a query: the person's, and those their words suggest */
#define DEFAULT_LIMIT_KM 8.0 /* the distance scale when a person gives no limit */
#define MIN_OVERLAP 30       /* minutes a session must overlap availability (hard constraint 4) */
#define SECTOR_MARGIN_KM 1.5 /* how far a home placed amid its sector's venues may be from them */

/* The matcher's statements, by number: kith_stmt_get(&m->stmts, ...). */
enum {
	ST_ROW,       /* one group's row, by gid */
	ST_KEY,       /* a key's gid */
	ST_TERM_DOCS, /* how many groups hold a term */
	ST_VENUES,    /* a group's venues */
	ST_POSTCODE,  /* a full postcode's place, when postcodes were loaded */
	Q_BOX,        /* the candidate queries, see candidates.c */
	Q_ABOVE,
	Q_BELOW,
	Q_LEFT,
	Q_RIGHT,
	Q_UNLOCATED,
	Q_HOME_VISITS,
	Q_ALL_GROUPS,
	ST_COUNT
};

struct kith_matcher {
	kith_index *idx;   /* borrowed */
	sqlite3 *db;       /* borrowed from idx */
	int has_postcodes; /* the index holds full postcodes (kith_index_load_postcodes) */
	kith_error error;
	kith_weights weights;
	kith_rules *rules;       /* owned */
	int precomputed;         /* the index's concepts came from these same rules */
	kith_stemmer *stemmer;   /* owned: FTS5's tokenizer, for BM25 in C */
	kith_stmt_cache stmts;   /* owned */
	kith_pack_reader *packs; /* owned: the packed masks, read as needed */
	double rows;             /* groups in the index */
	double avg_tokens;       /* tokens per group, on average */
	/* where the index's located venues are, by postcode sector ("SY8 3"), read on the first home that needs it */
	int sectors_read;
	kith_strset sectors; /* owned: sector -> index into the sums */
	double *sector_sums; /* owned: lat, lon, count for each sector */
	size_t sector_count;
};

/* What a match knows about the person, worked out once (query.c). */
typedef struct query {
	const kith_patient *pt;
	long today;
	double limit; /* travel limit in km, or the default scale */
	int has_limit;
	double need_weight[MAX_NEEDS];
	char need_id[MAX_NEEDS][48];
	size_t need_count;
	kith_concepts interests;   /* what the person's words and tags mean */
	kith_concepts conditions;  /* health conditions and situations they mention */
	kith_concepts said_self;   /* whom their own words say they are ("I was in care"): the "for:" rules */
	int no_car;                /* they say they have no car: nearness counts double */
	uint64_t mask;             /* their needs, interests and conditions as concept bits */
	uint64_t langs;            /* the languages they speak as language bits */
	char words[2048];          /* their words worth searching for, space-separated */
	char interest_words[1024]; /* the interests' own, without the needs' */
	int has_interests;         /* the person gave interests, in words or tags */
	int unnamed_condition;     /* lives with a long-term condition and names none of the chronic ones */
	kith_home_area home;       /* where the home is by postcode, for areas served (rule 8) */
	int home_approx;           /* the home is its postcode district's centre: distances are approximate */
	double home_margin;        /* then how far out they may be, km */
	char home_from[48];        /* then what distances are measured from: "the centre of LA9" */
	int home_area_known;
} query;

/* One group under consideration, read from its row (row.c). */
typedef struct cand {
	sqlite3_int64 gid;
	const char *key, *name, *tag_words;
	const char *needs, *activities, *requires, *languages; /* space-separated */
	const char *starts_text, *ends_text;
	/* the details: only what a shown result or a duplicate test needs, read for few (kith_match_details) */
	int has_details;
	const char *organisation, *description, *updated_text, *online_how;
	const char *phone, *email, *web;
	const char *address;                       /* of the first venue, or NULL */
	const char *text_concepts, *name_concepts; /* worked out at load time, stored form */
	const char *stems;                         /* FTS5 tokens of name|organisation|description|tag words */
	int tokens;                                /* how many */
	double lat[MAX_POINTS], lon[MAX_POINTS];
	size_t point_count;
	int has_unlocated_venue;
	int placeless;                           /* its place is not known at all (spec rule 3) */
	const char *area;                        /* area served, normal form; NULL: anyone */
	const char *text_area, *text_area_names; /* the districts its words say it is for, and their names */
	int area_holds; /* kith_area_holds() for the person: 1, 0, -1 unsure; 1 when no area or no home */
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
	double text_score;         /* raw BM25 of interests and need words, larger is better (the baselines') */
	double focus_score;        /* the same words' parts with diminishing returns (kith's) */
	int interest_terms_met;    /* of those words, the interests' own found in its text */
	double name_rarity;        /* the rarest interest word in its name: idf over the idf of a unique word */
	unsigned aspects;          /* bit per need / interest it covers, for variety */
	int broken;                /* breaks a hard constraint */
	double variety;            /* penalty for repeating what the list shows, rounded */
	double final;              /* base - variety */
	int off_target;            /* named for a condition the person did not mention */
	int dup_of;                /* index of the listing of the same group shown instead, or -1 */
	int also;                  /* index of a duplicate listing left out, or -1 */
} cand;

/* The gids of the candidates, in the order their rows are read. */
typedef struct gid_list {
	sqlite3_int64 *items; /* owned */
	size_t count, alloc;
} gid_list;

/* One match: the query, every candidate, and the chosen list. */
typedef struct run {
	kith_patient person; /* the profile's, with the home placed as well as the index can */
	kith_home_precision precision;
	char sector[10]; /* the postcode sector the home was placed in ("SY8 3"), with KITH_HOME_SECTOR */
	query q;
	kith_arena *arena; /* borrowed: the results' */
	cand *cands;       /* owned: every candidate, sorted by gid */
	size_t count;
	size_t *order; /* owned: chosen results, best first (indices into cands) */
	size_t chosen;
	double max_text;  /* the best text score, to scale the others by */
	double max_focus; /* the best focus_score */
} run;

/* The sentences of one result: one per factor, and the cautions. */
typedef struct explain {
	kith_buf text[KITH_F_COUNT];
	kith_buf cautions; /* '\n'-separated */
} explain;

struct kith_results {
	kith_arena arena; /* owns every string */
	kith_result *items;
	size_t count;
	char *patient;
	kith_need_cover *needs; /* in the arena */
	size_t need_count;
	kith_home_precision precision;
	const char *place; /* the postcode or district the home was placed by, or NULL */
};

/* x rounded to 3 places: every part of a score is, so the parts shown add up to the score. */
static inline double kith_round3(double x)
{
	return floor(x * 1000.0 + 0.5) / 1000.0;
}

/*
 * home.c: the person's home as well as the index can place it into r (the
 * person and the precision): a postcode the loaded postcodes hold is
 * placed to the street; else amid the venues the index lists in its sector;
 * else it stays at its district's centre.
 */
void kith_match_place_home(kith_matcher *m, const kith_patient *pt, run *r);
void kith_match_sectors_release(kith_matcher *m);

/* query.c: the person, worked out for a match as of today (days). */
int kith_match_query(kith_matcher *m, const kith_patient *pt, long today, query *q);

/*
 * candidates.c: the gids worth reading for q into out.  everything: every
 * group (a baseline); narrow: only those sharing a concept with the person
 * while there are enough.  top is how many results are wanted.
 */
int kith_match_candidates(kith_matcher *m, const query *q, int everything, int narrow, size_t top, gid_list *out);

/* row.c: reads group gid into c, strings in a.  0, KITH_ENOTFOUND or KITH_EIO. */
int kith_match_read_row(kith_matcher *m, kith_arena *a, sqlite3_int64 gid, cand *c);
/* row.c: the details of c, read again from its row when not read yet. */
int kith_match_read_details(kith_matcher *m, kith_arena *a, cand *c);

/*
 * constraints.c: the first hard constraint c breaks (1 to 7, as numbered
 * in schemas/README.md), with the reason and its numbers in why (every one broken,
 * with all); 0 when it breaks none.  Works out c's reach first.
 */
int kith_match_breaks(const query *q, cand *c, kith_buf *why, int all);
/* 1 when the person has the circumstance id[0..n). */
int kith_match_has_circumstance(const kith_patient *pt, const char *id, size_t n);

/* query.c: 1 for the chronic conditions a person may mean by "a long-term condition" without naming it. */
int kith_match_chronic(const char *id);

/* coverage.c: after ranking, what the list does for each of the person's needs (res->needs). */
int kith_match_coverage(kith_matcher *m, run *r, kith_results *res);
/* constraints.c: 1 when session s overlaps the person's time for MIN_OVERLAP minutes. */
int kith_match_session_fits(const query *q, const kith_session *s);

/* bm25.c: each candidate's BM25 text score for the person's words. */
int kith_match_text_scores(kith_matcher *m, run *r);

/* score.c: scores c on every factor; with e, also writes the sentences and cautions. */
void kith_match_score(const kith_matcher *m, const query *q, cand *c, double text_norm, explain *e);

/* rank.c: chooses the list of top for kith itself, and for a baseline. */
int kith_match_rank(kith_matcher *m, run *r, size_t top);
int kith_match_rank_baseline(run *r, kith_rank_mode mode, unsigned long seed, size_t top);

/* explain.c: result rank (from 1) for c, written up into res. */
int kith_match_write_result(kith_matcher *m, run *r, size_t rank, cand *c, kith_result *res);
void kith_match_write_baseline(run *r, kith_rank_mode mode, size_t rank, cand *c, kith_result *res);

/* explain.c: phrasing shared by the constraints, the scores and the write-up. */
void kith_match_put_time(kith_buf *b, int minutes);            /* "09:30" */
void kith_match_put_money(kith_buf *b, double pounds);         /* "£3", "£3.50" */
void kith_match_put_languages(kith_buf *b, const char *codes); /* "Punjabi, Hindi"; English for none */
void kith_match_put_area(kith_buf *b, const char *area);       /* "TN34, TN35 4" */
/* Appends item i of n in an "a, b and c" list. */
void kith_match_put_item(kith_buf *b, size_t i, size_t n, const char *text);

#endif
