/*
 * Bump allocator (see arena.h).
 */
#include "util/arena.h"

#include <stdlib.h>
#include <string.h>

#define KITH_ARENA_BLOCK 16384

struct kith_arena_block {
	kith_arena_block *next;
	size_t size;        /* bytes in data */
	max_align_t data[]; /* aligned for any object */
};

void *kith_arena_alloc(kith_arena *arena, size_t size)
{
	size_t align = sizeof(max_align_t);
	size_t need = (size + align - 1) / align * align;
	kith_arena_block *b = arena->head;
	void *p;

	if (size == 0)
		need = align;
	if (!b || b->size - arena->used < need) {
		size_t bsize = need > KITH_ARENA_BLOCK ? need : KITH_ARENA_BLOCK;
		b = malloc(sizeof(*b) + bsize);
		if (!b) {
			arena->failed = 1;
			return NULL;
		}
		b->next = arena->head;
		b->size = bsize;
		arena->head = b;
		arena->used = 0;
	}
	p = (char *)b->data + arena->used;
	arena->used += need;
	memset(p, 0, size);
	return p;
}

char *kith_arena_strndup(kith_arena *arena, const char *str, size_t len)
{
	char *p = kith_arena_alloc(arena, len + 1);

	if (p) {
		memcpy(p, str, len);
		p[len] = '\0';
	}
	return p;
}

char *kith_arena_strdup(kith_arena *arena, const char *str)
{
	return kith_arena_strndup(arena, str, strlen(str));
}

void kith_arena_reset(kith_arena *arena)
{
	kith_arena_block *b = arena->head;

	arena->failed = 0;
	if (!b)
		return;
	/* keep the oldest block: it is the usual size and enough for most records */
	while (b->next) {
		kith_arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena->head = b;
	arena->used = 0;
}

void kith_arena_release(kith_arena *arena)
{
	kith_arena_block *b = arena->head;

	while (b) {
		kith_arena_block *next = b->next;
		free(b);
		b = next;
	}
	arena->head = NULL;
	arena->used = 0;
}
