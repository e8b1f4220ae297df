/*
 * Parsing small texts (see parse.h).
 */
#include "util/parse.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int kith_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

void kith_trim(const char **s, size_t *len)
{
	while (*len && kith_is_space(**s))
		(*s)++, (*len)--;
	while (*len && kith_is_space((*s)[*len - 1]))
		(*len)--;
}

int kith_word_equals(const char *s, size_t len, const char *word)
{
	size_t i;

	if (strlen(word) != len)
		return 0;
	for (i = 0; i < len; i++)
		if (lower(s[i]) != word[i])
			return 0;
	return 1;
}

int kith_lower_copy(char *out, size_t size, const char *s)
{
	size_t len = strlen(s), i;

	kith_trim(&s, &len);
	if (len >= size)
		return -1;
	for (i = 0; i < len; i++)
		out[i] = lower(s[i]);
	out[len] = '\0';
	return 0;
}

const char *kith_find(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);

	for (; end - p >= (ptrdiff_t)n; p++)
		if (memcmp(p, needle, n) == 0)
			return p;
	return NULL;
}

void kith_lower(char *s)
{
	for (; *s; s++)
		*s = lower(*s);
}

/*
 * Parses an xs:decimal ("52.0826", "-2.7", "+.5"), with white space around
 * it, without strtod(): that would read "52,08" in a comma locale.
 * Returns 0, or -1 when text is not a plain decimal number.
 */
int kith_parse_decimal(const char *text, size_t len, double *out)
{
	static const double tens[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
				      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
	uint64_t mant = 0;
	int exp10 = 0, digits = 0, point = 0, negative = 0;
	size_t i = 0;
	double v;

	kith_trim(&text, &len);
	if (i < len && (text[i] == '+' || text[i] == '-'))
		negative = text[i++] == '-';
	for (; i < len; i++) {
		char c = text[i];
		if (c == '.' && !point) {
			point = 1;
			continue;
		}
		if (c < '0' || c > '9')
			return -1;
		digits++;
		if (mant < UINT64_C(100000000000000000)) {
			mant = mant * 10 + (uint64_t)(c - '0');
			exp10 -= point;
		} else if (!point) {
			exp10++; /* a digit past the precision kept, before the point */
		}
	}
	if (digits == 0)
		return -1;
	v = (double)mant;
	while (exp10 < 0) {
		int k = -exp10 > 22 ? 22 : -exp10;
		v /= tens[k];
		exp10 += k;
	}
	while (exp10 > 0) {
		int k = exp10 > 22 ? 22 : exp10;
		v *= tens[k];
		exp10 -= k;
	}
	*out = negative ? -v : v;
	return 0;
}

/* A whole number in [min, max] with white space around it; 0 or -1. */
int kith_parse_int(const char *text, long min, long max, long *out)
{
	char *end;
	long v;

	while (kith_is_space(*text))
		text++;
	if (!*text || (*text != '+' && *text != '-' && (*text < '0' || *text > '9')))
		return -1;
	errno = 0;
	v = strtol(text, &end, 10);
	while (kith_is_space(*end))
		end++;
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
