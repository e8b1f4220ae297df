/*
 * Growable arrays: one overflow-checked way to make room, for every list
 * kith builds from input of unknown length.
 */
#ifndef KITH_ARRAY_H
#define KITH_ARRAY_H

#include <stddef.h>

/*
 * Makes room for at least need items of size bytes in the array that
 * *items_ptr points to (a pointer to any object type), of which *alloc are
 * allocated: it doubles, from first when empty, and refuses a byte count
 * that would overflow.  Returns 0, or KITH_ENOMEM with the array untouched.
 */
int kith_array_reserve(void *items_ptr, size_t *alloc, size_t need, size_t size, size_t first);

/* kith_array_reserve() for an array items of alloc, typed by its own pointer. */
#define KITH_ARRAY_RESERVE(items, alloc, need, first) \
	kith_array_reserve(&(items), &(alloc), (need), sizeof(*(items)), (first))

#endif
