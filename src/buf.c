/*
 * Growable, capped, NUL-terminated buffer (see buf.h).
 */
#include "buf.h"

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
	if (buf->alloc)
		buf->ptr[0] = '\0';
}

int kith_buf_grow(kith_buf *buf, size_t extra)
{
	size_t limit = buf->limit ? buf->limit : KITH_BUF_DEFAULT_LIMIT;
	size_t need, alloc;
	char *p;

	if (extra > limit || buf->size > limit - extra)
		return KITH_ETOOLARGE;
	need = buf->size + extra + 1;
	if (need <= buf->alloc)
		return 0;
	alloc = buf->alloc ? buf->alloc : 64;
	while (alloc < need)
		alloc += alloc / 2;
	p = buf->alloc ? realloc(buf->ptr, alloc) : malloc(alloc);
	if (!p)
		return KITH_ENOMEM;
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
	va_list copy;
	int len, error;

	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0)
		return KITH_ERROR;
	if ((error = kith_buf_grow(buf, (size_t)len)) != 0)
		return error;
	vsnprintf(buf->ptr + buf->size, (size_t)len + 1, fmt, ap);
	buf->size += (size_t)len;
	return 0;
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
