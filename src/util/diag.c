/*
 * Diagnostics lists and handle error messages.
 */
#include "util/diag.h"
#include "util/array.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct kith_diag_list {
	kith_diag *items; /* owned, with each item's file and message */
	size_t count;
	size_t alloc;
};

const char *kith_strerror(int code)
{
	switch (code) {
	case KITH_OK: return "success";
	case KITH_ERROR: return "error";
	case KITH_ENOTFOUND: return "not found";
	case KITH_EINVALID: return "invalid input";
	case KITH_ETOOLARGE: return "input too large";
	case KITH_ENOMEM: return "out of memory";
	case KITH_EVERSION: return "database version mismatch";
	case KITH_EIO: return "input/output error";
	default: return "unknown error";
	}
}

int kith_diag_list_new(kith_diag_list **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : KITH_ENOMEM;
}

void kith_diag_list_truncate(kith_diag_list *list, size_t n)
{
	while (list && list->count > n) {
		kith_diag *d = &list->items[--list->count];
		free((char *)d->file);
		free((char *)d->message);
	}
}

typedef struct ordered {
	kith_diag diag;
	size_t index; /* original position, so equal places keep their order */
} ordered;

static int by_place(const void *a, const void *b)
{
	const ordered *x = a, *y = b;
	int c = strcmp(x->diag.file, y->diag.file);

	if (c)
		return c;
	if (x->diag.line != y->diag.line)
		return x->diag.line < y->diag.line ? -1 : 1;
	if (x->diag.column != y->diag.column)
		return x->diag.column < y->diag.column ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

void kith_diag_list_sort(kith_diag_list *list, size_t n)
{
	ordered *tmp;
	size_t i, count;

	if (!list || n >= list->count)
		return;
	count = list->count - n;
	if ((tmp = malloc(count * sizeof(*tmp))) == NULL)
		return; /* unsorted is still correct */
	for (i = 0; i < count; i++) {
		tmp[i].diag = list->items[n + i];
		tmp[i].index = i;
	}
	qsort(tmp, count, sizeof(*tmp), by_place);
	for (i = 0; i < count; i++)
		list->items[n + i] = tmp[i].diag;
	free(tmp);
}

void kith_diag_list_free(kith_diag_list *list)
{
	if (!list)
		return;
	kith_diag_list_truncate(list, 0);
	free(list->items);
	free(list);
}

size_t kith_diag_list_count(const kith_diag_list *list)
{
	return list ? list->count : 0;
}

size_t kith_diag_list_count_of(const kith_diag_list *list, kith_severity severity)
{
	size_t i, n = 0;

	for (i = 0; list && i < list->count; i++)
		n += list->items[i].severity == severity;
	return n;
}

const kith_diag *kith_diag_list_get(const kith_diag_list *list, size_t i)
{
	return list && i < list->count ? &list->items[i] : NULL;
}

int kith_diag_vadd(kith_diag_list *list, kith_severity severity, const char *file, unsigned line, unsigned column,
		   const char *fmt, va_list ap)
{
	kith_buf msg = KITH_BUF_INIT;
	kith_diag *d;
	int error;

	if (!list)
		return 0;
	if ((error = KITH_ARRAY_RESERVE(list->items, list->alloc, list->count + 1, 16)) != 0)
		return error;
	if ((error = kith_buf_vprintf(&msg, fmt, ap)) != 0)
		return error;
	d = &list->items[list->count];
	d->severity = severity;
	d->file = strdup(file ? file : "");
	d->line = line;
	d->column = column;
	d->message = kith_buf_detach(&msg);
	if (!d->file || !d->message) {
		free((char *)d->file);
		free((char *)d->message);
		return KITH_ENOMEM;
	}
	list->count++;
	return 0;
}

int kith_diag_add(kith_diag_list *list, kith_severity severity, const char *file, unsigned line, unsigned column,
		  const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = kith_diag_vadd(list, severity, file, line, column, fmt, ap);
	va_end(ap);
	return error;
}

size_t kith_diag_format(const kith_diag *diag, char *buf, size_t size)
{
	const char *sev = diag->severity == KITH_DIAG_WARNING ? "warning: " : "";
	int n;

	if (diag->line && diag->column)
		n = snprintf(buf, size, "%s:%u:%u: %s%s", diag->file, diag->line, diag->column, sev, diag->message);
	else if (diag->line)
		n = snprintf(buf, size, "%s:%u: %s%s", diag->file, diag->line, sev, diag->message);
	else
		n = snprintf(buf, size, "%s: %s%s", diag->file, sev, diag->message);
	return n < 0 ? 0 : (size_t)n;
}

int kith_error_set(kith_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	kith_buf_clear(&err->message);
	va_start(ap, fmt);
	if (kith_buf_vprintf(&err->message, fmt, ap) != 0)
		kith_buf_clear(&err->message);
	va_end(ap);
	return code;
}

void kith_error_clear(kith_error *err)
{
	err->code = 0;
	kith_buf_clear(&err->message);
}

void kith_error_release(kith_error *err)
{
	kith_buf_release(&err->message);
	err->code = 0;
}

const char *kith_error_message(const kith_error *err)
{
	return err->message.size ? err->message.ptr : kith_strerror(err->code);
}
