/*
 * Document counts per term (see terms.h).
 */
#include "text/terms.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kith/common.h"
#include "util/hash.h"

/* The slot holding the term with this hash, or the empty slot where it belongs. */
static kith_term_count *slot_for(kith_term_count *slots, size_t capacity, const char *term, size_t len, uint64_t hash)
{
	size_t i = (size_t)hash & (capacity - 1);

	while (slots[i].term && (slots[i].hash != hash || slots[i].len != len || memcmp(slots[i].term, term, len) != 0))
		i = (i + 1) & (capacity - 1);
	return &slots[i];
}

static int grow(kith_term_counts *tc)
{
	size_t capacity = tc->capacity ? tc->capacity * 2 : 1024, i;
	kith_term_count *slots = calloc(capacity, sizeof(*slots));

	if (!slots)
		return KITH_ENOMEM;
	for (i = 0; i < tc->capacity; i++)
		if (tc->slots[i].term)
			*slot_for(slots, capacity, tc->slots[i].term, tc->slots[i].len, tc->slots[i].hash) =
				tc->slots[i];
	free(tc->slots);
	tc->slots = slots;
	tc->capacity = capacity;
	return 0;
}

void kith_term_counts_next(kith_term_counts *tc)
{
	tc->doc++;
}

int kith_term_counts_add(kith_term_counts *tc, const char *term, size_t len)
{
	uint64_t hash = kith_fnv(KITH_FNV_START, term, len);
	kith_term_count *slot;

	if ((tc->count + 1) * 2 > tc->capacity && grow(tc) != 0)
		return KITH_ENOMEM;
	slot = slot_for(tc->slots, tc->capacity, term, len, hash);
	if (!slot->term) {
		if ((slot->term = kith_arena_strndup(&tc->strings, term, len)) == NULL)
			return KITH_ENOMEM;
		slot->hash = hash;
		slot->len = len;
		tc->count++;
	}
	if (slot->last_doc != tc->doc) {
		slot->last_doc = tc->doc;
		slot->docs++;
	}
	return 0;
}

void kith_term_counts_release(kith_term_counts *tc)
{
	free(tc->slots);
	kith_arena_release(&tc->strings);
	memset(tc, 0, sizeof(*tc));
}
