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
} kith_arena;

/* clang-format off */
#define KITH_ARENA_INIT {NULL, 0}
/* clang-format on */

/* Zeroed memory valid until the next reset; NULL on ENOMEM. */
void *kith_arena_alloc(kith_arena *arena, size_t size);
/* A NUL-terminated copy of str[0..len). */
char *kith_arena_strndup(kith_arena *arena, const char *str, size_t len);
char *kith_arena_strdup(kith_arena *arena, const char *str);
/* Forgets every allocation, keeping the first block for reuse. */
void kith_arena_reset(kith_arena *arena);
void kith_arena_release(kith_arena *arena);

#endif
