/*
 * String set with linear probing (see strset.h).
 */
#include "util/strset.h"

#include <stdlib.h>
#include <string.h>

#include "kith/common.h"
#include "util/hash.h"

static size_t hash(const char *s)
{
	return (size_t)kith_fnv(KITH_FNV_START, s, strlen(s));
}

static size_t find(const kith_strset *set, const char *str)
{
	size_t i = hash(str) & (set->capacity - 1);

	while (set->slots[i] && strcmp(set->slots[i], str) != 0)
		i = (i + 1) & (set->capacity - 1);
	return i;
}

static int grow(kith_strset *set)
{
	size_t cap = set->capacity ? set->capacity * 2 : 64, i;
	kith_strset bigger = {calloc(cap, sizeof(char *)), calloc(cap, sizeof(size_t)), set->count, cap};

	if (!bigger.slots || !bigger.lines) {
		free(bigger.slots);
		free(bigger.lines);
		return KITH_ENOMEM;
	}
	for (i = 0; i < set->capacity; i++) {
		if (set->slots[i]) {
			size_t j = find(&bigger, set->slots[i]);
			bigger.slots[j] = set->slots[i];
			bigger.lines[j] = set->lines[i];
		}
	}
	free(set->slots);
	free(set->lines);
	*set = bigger;
	return 0;
}

int kith_strset_add(kith_strset *set, const char *str, size_t value, size_t *existing)
{
	size_t i;

	if ((set->count + 1) * 2 > set->capacity && grow(set) != 0)
		return KITH_ENOMEM;
	i = find(set, str);
	if (set->slots[i]) {
		if (existing)
			*existing = set->lines[i];
		return 0;
	}
	if ((set->slots[i] = strdup(str)) == NULL)
		return KITH_ENOMEM;
	set->lines[i] = value;
	set->count++;
	return 1;
}

int kith_strset_has(const kith_strset *set, const char *str, size_t *value)
{
	size_t i;

	if (!set->capacity)
		return 0;
	i = find(set, str);
	if (!set->slots[i])
		return 0;
	if (value)
		*value = set->lines[i];
	return 1;
}

void kith_strset_release(kith_strset *set)
{
	size_t i;

	for (i = 0; i < set->capacity; i++)
		free(set->slots[i]);
	free(set->slots);
	free(set->lines);
	memset(set, 0, sizeof(*set));
}
