/*
 * FNV-1a, 64-bit: quick, and good enough for the hash tables and change
 * detection here, whose keys are not chosen by an attacker.
 */
#ifndef KITH_HASH_H
#define KITH_HASH_H

#include <stddef.h>
#include <stdint.h>

#define KITH_FNV_START 1469598103934665603ull

/* Continues hash h over len bytes of data (start from KITH_FNV_START). */
static inline uint64_t kith_fnv(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

#endif
