/*
 * The benchmark's own reading of the hard constraints (schemas/README.md,
 * "Hard constraints"): is this group something that may never be recommended to this person?
 *
 * It is written apart from the matcher's filter, from the spec's seven
 * rules, and reads the groups straight from the feed files rather than
 * from the index, so a bug in one shows up as a breach counted by the other.
 * Where a fact is missing (no home, a venue with no location, no age), a
 * rule cannot be shown to be broken and is not: unknown is not no.
 */
#ifndef KITH_JUDGE_H
#define KITH_JUDGE_H

#include <stddef.h>

#include "util/arena.h"
#include "util/buf.h"
#include "kith/common.h"
#include "model/model.h"

/* The hard constraints, numbered as in schemas/README.md. */
typedef enum {
	KITH_RULE_NONE = 0,
	KITH_RULE_ACCESS = 1,  /* wheelchair or step-free access is "no" */
	KITH_RULE_ELIGIBILITY, /* age, gender or a required circumstance */
	KITH_RULE_REACH,       /* no venue in reach, no usable online, no home visits that reach */
	KITH_RULE_SCHEDULE,    /* no session overlaps availability for 30 minutes */
	KITH_RULE_COST,        /* the known cost is above the budget */
	KITH_RULE_CLOSED,      /* capacity closed, or the course has ended */
	KITH_RULE_LANGUAGE,    /* no shared language */
	KITH_RULE_AREA,        /* an area served that does not hold the home */
	KITH_RULE_COUNT
} kith_rule;

/* Minutes a session must overlap one availability window (hard constraint 4). */
#define KITH_JUDGE_MIN_OVERLAP 30

/* "access", "eligibility", ...; "none" for 0 and "unknown" out of range. */
const char *kith_rule_name(int rule);

/*
 * The first hard constraint (1..7) that group g breaks for patient pt as of
 * today (days since 1970-01-01), or KITH_RULE_NONE.  When one is broken and
 * why is not NULL, a short reason ("nearest venue 7.2 km away, beyond 3 km;
 * no usable online; no home visits") is appended to why.
 */
int kith_judge(const kith_patient *pt, const kith_group *g, long today, kith_buf *why);

/* One group read from a feed, with its global key. */
typedef struct kith_judged_group {
	const char *key;  /* FEED-ID/GROUP-ID */
	kith_group group; /* deep copy; strings in the set's arena */
} kith_judged_group;

/*
 * The groups of a benchmark set's feeds, as the feed reader gives them.
 * Feeds apply in the order read: mode="full" replaces that feed's groups,
 * "delta" adds and replaces, <withdrawn> removes.
 */
typedef struct kith_group_set {
	kith_arena arena;         /* owns every copy */
	kith_judged_group *items; /* owned; sorted by key once kith_group_set_finish() ran */
	size_t count;
	size_t alloc;
	int sorted;
} kith_group_set;

/* clang-format off */
#define KITH_GROUP_SET_INIT {KITH_ARENA_INIT, NULL, 0, 0, 0}
/* clang-format on */

/*
 * Reads the feed at path into set, leaving out groups that break a rule
 * (as loading with skip_bad_groups does).  Diagnostics go to diags (not
 * NULL).  Returns 0, or the feed reader's error (KITH_EINVALID, KITH_EIO,
 * KITH_ETOOLARGE) or KITH_ENOMEM; the set then holds what it held before
 * plus possibly some of this feed's groups.
 */
int kith_group_set_read(kith_group_set *set, const char *path, kith_diag_list *diags);

/* Sorts the set for kith_group_set_find(); call once every feed is read. */
void kith_group_set_finish(kith_group_set *set);

/* The group with this key (borrowed), or NULL. */
const kith_group *kith_group_set_find(const kith_group_set *set, const char *key);

void kith_group_set_release(kith_group_set *set);

#endif
