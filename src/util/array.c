/*
 * Growable arrays (see array.h).
 */
#include "util/array.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kith/common.h"

int kith_array_reserve(void *items_ptr, size_t *alloc, size_t need, size_t size, size_t first)
{
	size_t count = *alloc ? *alloc : (first ? first : 1);
	void *items, *more;

	if (need <= *alloc)
		return 0;
	while (count < need) {
		if (count > SIZE_MAX / 2)
			return KITH_ENOMEM;
		count *= 2;
	}
	if (size && count > SIZE_MAX / size)
		return KITH_ENOMEM;
	/* items_ptr points to a T *: copied as bytes, so no T ** is read as a void ** */
	memcpy(&items, items_ptr, sizeof(items));
	if ((more = realloc(items, count * size)) == NULL)
		return KITH_ENOMEM;
	memcpy(items_ptr, &more, sizeof(more));
	*alloc = count;
	return 0;
}
