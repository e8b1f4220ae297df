/*
 * Concept sets and their stored form (see concepts.h).
 */
#include "text/concepts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Copies src into dst of size bytes, cut short if need be. */
static void copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);

	if (n >= size)
		n = size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void kith_concepts_add(kith_concepts *set, const char *id, double strength, const char *evidence)
{
	size_t i;

	for (i = 0; i < set->count; i++) {
		if (set->items[i].id[0] == id[0] && strcmp(set->items[i].id, id) == 0) {
			if (strength > set->items[i].strength) {
				set->items[i].strength = strength;
				copy_text(set->items[i].evidence, sizeof(set->items[i].evidence), evidence);
			}
			return;
		}
	}
	if (set->count == sizeof(set->items) / sizeof(set->items[0]))
		return;
	copy_text(set->items[set->count].id, sizeof(set->items[0].id), id);
	set->items[set->count].strength = strength;
	copy_text(set->items[set->count].evidence, sizeof(set->items[0].evidence), evidence);
	set->count++;
}

const kith_concept *kith_concepts_find(const kith_concepts *set, const char *id)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (strcmp(set->items[i].id, id) == 0)
			return &set->items[i];
	return NULL;
}

/* A strength in (0, 1] as "%.3g" writes it ("1", "0.85", "0.125"), without printf's cost: loads write millions. */
static void put_strength(kith_buf *b, double x)
{
	long thousandths = lround(x * 1000);
	char digits[4];
	int n = 3;

	if (x < 0.1 || x > 1) {
		kith_buf_printf(b, "%.3g", x);
		return;
	}
	if (thousandths >= 1000) {
		kith_buf_putc(b, '1');
		return;
	}
	digits[0] = (char)('0' + thousandths / 100);
	digits[1] = (char)('0' + thousandths / 10 % 10);
	digits[2] = (char)('0' + thousandths % 10);
	while (n > 1 && digits[n - 1] == '0')
		n--;
	kith_buf_put(b, "0.", 2);
	kith_buf_put(b, digits, (size_t)n);
}

int kith_concepts_write(kith_buf *out, const kith_concepts *set)
{
	size_t i;

	for (i = 0; i < set->count; i++) {
		if (i)
			kith_buf_putc(out, ' ');
		kith_buf_puts(out, set->items[i].id);
		kith_buf_putc(out, '=');
		put_strength(out, set->items[i].strength);
	}
	return kith_buf_error(out);
}

void kith_concepts_read(kith_concepts *set, const char *text)
{
	const char *p = text;

	while (p && *p) {
		char id[64];
		size_t n = strcspn(p, "= ");
		if (p[n] == '=' && n < sizeof(id)) {
			char *end;
			double strength;
			memcpy(id, p, n);
			id[n] = '\0';
			strength = strtod(p + n + 1, &end);
			/* stored by kith in (0, 1]; anything else was not written by kith (an index is input too) */
			if (strength > 0 && strength <= 1)
				kith_concepts_add(set, id, strength, "");
			p = end == p + n + 1 ? p + n + 1 : end;
		} else {
			p += n;
		}
		while (*p == ' ')
			p++;
	}
}
