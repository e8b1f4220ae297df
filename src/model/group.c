/*
 * Deep copies of a group (see model.h): the feed reader hands each group
 * over in memory it reuses, so whoever keeps one copies it.
 */
#include "model/model.h"

#include <string.h>

#include "kith/common.h"

static const char *copy_str(kith_arena *a, const char *s, int *failed)
{
	char *copy;

	if (!s)
		return NULL;
	if ((copy = kith_arena_strdup(a, s)) == NULL)
		*failed = 1;
	return copy;
}

static void copy_list(kith_arena *a, kith_strlist *dst, const kith_strlist *src, int *failed)
{
	size_t i;

	dst->items = NULL;
	dst->count = 0;
	if (!src->count)
		return;
	if ((dst->items = kith_arena_alloc(a, src->count * sizeof(*dst->items))) == NULL) {
		*failed = 1;
		return;
	}
	for (i = 0; i < src->count; i++)
		dst->items[i] = copy_str(a, src->items[i], failed);
	dst->count = src->count;
}

int kith_group_copy(kith_arena *a, kith_group *dst, const kith_group *src)
{
	int failed = 0;
	size_t i;

	*dst = *src;
	dst->id = copy_str(a, src->id, &failed);
	dst->updated = copy_str(a, src->updated, &failed);
	dst->name = copy_str(a, src->name, &failed);
	dst->organisation = copy_str(a, src->organisation, &failed);
	dst->description = copy_str(a, src->description, &failed);
	dst->online_how = copy_str(a, src->online_how, &failed);
	dst->area = copy_str(a, src->area, &failed);
	dst->starts = copy_str(a, src->starts, &failed);
	dst->ends = copy_str(a, src->ends, &failed);
	dst->phone = copy_str(a, src->phone, &failed);
	dst->email = copy_str(a, src->email, &failed);
	dst->web = copy_str(a, src->web, &failed);
	copy_list(a, &dst->needs, &src->needs, &failed);
	copy_list(a, &dst->activities, &src->activities, &failed);
	copy_list(a, &dst->requires, &src->requires, &failed);
	copy_list(a, &dst->languages, &src->languages, &failed);
	dst->venues = NULL;
	dst->sessions = NULL;
	if (src->venue_count && (dst->venues = kith_arena_alloc(a, src->venue_count * sizeof(*dst->venues))) == NULL)
		return KITH_ENOMEM;
	for (i = 0; i < src->venue_count; i++) {
		dst->venues[i] = src->venues[i];
		dst->venues[i].address = copy_str(a, src->venues[i].address, &failed);
		dst->venues[i].postcode = copy_str(a, src->venues[i].postcode, &failed);
	}
	if (src->session_count) {
		if ((dst->sessions = kith_arena_alloc(a, src->session_count * sizeof(*dst->sessions))) == NULL)
			return KITH_ENOMEM;
		memcpy(dst->sessions, src->sessions, src->session_count * sizeof(*dst->sessions));
	}
	return failed ? KITH_ENOMEM : 0;
}
