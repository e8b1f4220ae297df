/*
 * A bump allocator for the strings and arrays of one parsed record.
 *
 * The feed parser reuses one arena per group and resets it between groups,
 * so loading 100,000 groups does not mean millions of small malloc calls.
 */
#ifndef KITH_ARENA_H
#define KITH_ARENA_H

#include <stddef.h>

typedef struct kith_arena_block kith_arena_block;

typedef struct kith_arena {
	kith_arena_block *head; /* owned chain, newest first */
	size_t used;            /* bytes used in head */
	int failed;             /* an allocation failed since the last reset: what was built is incomplete */
} kith_arena;

/* clang-format off */
#define KITH_ARENA_INIT {NULL, 0, 0}
/* clang-format on */

/* Zeroed memory valid until the next reset; NULL on ENOMEM (and arena->failed is set, so a record built of many pieces
 * is checked once). */
void *kith_arena_alloc(kith_arena *arena, size_t size);
/* A NUL-terminated copy of str[0..len). */
char *kith_arena_strndup(kith_arena *arena, const char *str, size_t len);
char *kith_arena_strdup(kith_arena *arena, const char *str);
/* Forgets every allocation, keeping the first block for reuse. */
void kith_arena_reset(kith_arena *arena);
void kith_arena_release(kith_arena *arena);

#endif
