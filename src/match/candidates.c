/*
 * Finding the candidates of a match (see match_int.h): the groups a person
 * might reach, from the R*Trees of venues and home-visit areas, the groups
 * with no located venue and the packed online groups, narrowed by the
 * concept and language masks so that a match reads a few hundred rows
 * whatever the directory's size.
 *
 * The statements (matcher.c): the venue queries (Q_BOX to Q_RIGHT) give a
 * vid and its point; the others a gid and its two masks.  ?1-?4 bind a box
 * (min lat, max lat, min lon, max lon); ?5-?8 the inner box a widening
 * search has read already, the four strips around it split on its edges so
 * that no venue is read twice.
 */
#include "match/match_int.h"

#include <stdlib.h>

#include "model/geo.h"
#include "store/columns.h"
#include "util/array.h"

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

/* Query which, with the first box_values of box bound. */
static sqlite3_stmt *masked_stmt(kith_matcher *m, int which, const double *box, int box_values)
{
	sqlite3_stmt *s = kith_stmt_get(&m->stmts, (size_t)which, &m->error);
	int i;

	for (i = 0; s && i < box_values; i++)
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
		error = kith_db_error(&m->error, m->db, "reading the index");
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
		sqlite3_int64 gid = kith_venue_group(sqlite3_column_int64(s, 0));
		uint64_t mask, langs;
		if ((error = kith_pack_masks(m->packs, gid, &mask, &langs, &m->error)) == 0)
			error = masked_push(out, gid, mask, langs,
					    kith_geo_distance_km(home->lat, home->lon, sqlite3_column_double(s, 1),
								 sqlite3_column_double(s, 2)));
	}
	if (!error && rc != SQLITE_DONE)
		error = kith_db_error(&m->error, m->db, "reading the index");
	sqlite3_reset(s);
	return error;
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
	kith_geo_box(pt->home.lat, pt->home.lon, radius, box);
	if (inner <= 0)
		return collect_venues(m, Q_BOX, box, 4, &pt->home, out);
	kith_geo_box(pt->home.lat, pt->home.lon, inner, box + 4);
	for (i = 0; i < sizeof(ring) / sizeof(ring[0]) && !error; i++)
		error = collect_venues(m, ring[i], box, 8, &pt->home, out);
	return error;
}

static int push_online(void *ctx, sqlite3_int64 gid, uint64_t mask, uint64_t langs)
{
	return masked_push(ctx, gid, mask, langs, 0.0);
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
		if ((error = kith_pack_online(m->packs, push_online, &online, &m->error)) != 0)
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
int kith_match_candidates(kith_matcher *m, const query *q, int everything, int narrow, size_t top, gid_list *out)
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
