/*
 * A set of strings (open addressing), for duplicate detection over feeds
 * of any size.
 */
#ifndef KITH_STRSET_H
#define KITH_STRSET_H

#include <stddef.h>

typedef struct kith_strset {
	char **slots;  /* owned copies; NULL marks an empty slot */
	size_t *lines; /* a number kept with each string (e.g. its line) */
	size_t count;
	size_t capacity;
} kith_strset;

/* clang-format off */
#define KITH_STRSET_INIT {NULL, NULL, 0, 0}
/* clang-format on */

/*
 * Adds str with value.  Returns 1 when added, 0 when it was present (and
 * *existing, when not NULL, gets the value stored with it), or KITH_ENOMEM.
 */
int kith_strset_add(kith_strset *set, const char *str, size_t value, size_t *existing);
/* 1 when str is in the set; *value gets its number when not NULL. */
int kith_strset_has(const kith_strset *set, const char *str, size_t *value);
void kith_strset_release(kith_strset *set);

#endif
