/*
 * Growable, capped, NUL-terminated buffer (see buf.h).
 */
#include "util/buf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith/common.h"

#define KITH_BUF_DEFAULT_LIMIT ((size_t)64 << 20)

char kith_buf__empty[1];

void kith_buf_init(kith_buf *buf, size_t limit)
{
	buf->ptr = kith_buf__empty;
	buf->size = 0;
	buf->alloc = 0;
	buf->limit = limit;
	buf->error = 0;
}

void kith_buf_release(kith_buf *buf)
{
	if (buf->alloc)
		free(buf->ptr);
	kith_buf_init(buf, buf->limit);
}

void kith_buf_clear(kith_buf *buf)
{
	buf->size = 0;
	buf->error = 0;
	if (buf->alloc)
		buf->ptr[0] = '\0';
}

int kith_buf_grow(kith_buf *buf, size_t extra)
{
	size_t limit = buf->limit ? buf->limit : KITH_BUF_DEFAULT_LIMIT;
	size_t need, alloc;
	char *p;

	if (buf->error)
		return buf->error;
	if (extra > limit || buf->size > limit - extra)
		return buf->error = KITH_ETOOLARGE;
	need = buf->size + extra + 1;
	if (need <= buf->alloc)
		return 0;
	alloc = buf->alloc ? buf->alloc : 64;
	while (alloc < need)
		alloc += alloc / 2;
	p = buf->alloc ? realloc(buf->ptr, alloc) : malloc(alloc);
	if (!p)
		return buf->error = KITH_ENOMEM;
	if (!buf->alloc)
		p[0] = '\0';
	buf->ptr = p;
	buf->alloc = alloc;
	return 0;
}

int kith_buf_put(kith_buf *buf, const char *data, size_t len)
{
	int error = kith_buf_grow(buf, len);

	if (error)
		return error;
	if (len)
		memmove(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int kith_buf_puts(kith_buf *buf, const char *str)
{
	return kith_buf_put(buf, str, strlen(str));
}

int kith_buf_putc(kith_buf *buf, char c)
{
	return kith_buf_put(buf, &c, 1);
}

int kith_buf_vprintf(kith_buf *buf, const char *fmt, va_list ap)
{
	size_t limit = buf->limit ? buf->limit : KITH_BUF_DEFAULT_LIMIT;
	size_t room = buf->alloc ? buf->alloc - buf->size : 0;
	va_list copy;
	int len, error;

	if (buf->error)
		return buf->error;
	/* most texts fit the room already there: format once */
	va_copy(copy, ap);
	len = vsnprintf(room ? buf->ptr + buf->size : NULL, room, fmt, copy);
	va_end(copy);
	if (len >= 0 && (size_t)len < room && (size_t)len <= limit - buf->size) {
		buf->size += (size_t)len;
		return 0;
	}
	if (buf->alloc)
		buf->ptr[buf->size] = '\0';
	if (len < 0)
		return buf->error = KITH_ERROR;
	if ((error = kith_buf_grow(buf, (size_t)len)) != 0)
		return error;
	vsnprintf(buf->ptr + buf->size, (size_t)len + 1, fmt, ap);
	buf->size += (size_t)len;
	return 0;
}

int kith_buf_put_fixed(kith_buf *buf, double x, int decimals)
{
	static const double scale[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
	char digits[32], *end = digits + sizeof(digits), *p = end;
	unsigned long long rounded, v;
	int i;

	if (decimals < 0 || decimals > 9 || !(fabs(x) < 1e9))
		return kith_buf_printf(buf, "%.*f", decimals, x);
	rounded = v = (unsigned long long)llrint(fabs(x) * scale[decimals]); /* ties to even, as printf */
	for (i = 0; i < decimals; i++, v /= 10)
		*--p = (char)('0' + v % 10);
	if (decimals)
		*--p = '.';
	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (x < 0 && rounded)
		*--p = '-';
	return kith_buf_put(buf, p, (size_t)(end - p));
}

int kith_buf_put_int(kith_buf *buf, long long n)
{
	char digits[24], *end = digits + sizeof(digits), *p = end;
	unsigned long long v = n < 0 ? 0 - (unsigned long long)n : (unsigned long long)n;

	do {
		*--p = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (n < 0)
		*--p = '-';
	return kith_buf_put(buf, p, (size_t)(end - p));
}

int kith_buf_printf(kith_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = kith_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return error;
}

int kith_buf_error(const kith_buf *buf)
{
	return buf->error;
}

char *kith_buf_detach(kith_buf *buf)
{
	char *p = buf->alloc ? buf->ptr : strdup("");

	kith_buf_init(buf, buf->limit);
	return p;
}

void kith_buf_trim(kith_buf *buf)
{
	size_t start = 0;

	while (buf->size && strchr(" \t\r\n", buf->ptr[buf->size - 1]))
		buf->size--;
	while (start < buf->size && strchr(" \t\r\n", buf->ptr[start]))
		start++;
	if (start)
		memmove(buf->ptr, buf->ptr + start, buf->size - start);
	buf->size -= start;
	if (buf->alloc)
		buf->ptr[buf->size] = '\0';
}
