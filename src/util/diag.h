/*
 * Internal side of diagnostics and of the error message kept on handles.
 */
#ifndef KITH_DIAG_H
#define KITH_DIAG_H

#include <stdarg.h>

#include "util/buf.h"
#include "kith/common.h"

/* Appends a diagnostic; file is copied.  Returns 0 or KITH_ENOMEM. */
int kith_diag_add(kith_diag_list *list, kith_severity severity, const char *file, unsigned line, unsigned column,
		  const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int kith_diag_vadd(kith_diag_list *list, kith_severity severity, const char *file, unsigned line, unsigned column,
		   const char *fmt, va_list ap);
/* Sorts the diagnostics after the first n by file, line and column, keeping the order of equals. */
void kith_diag_list_sort(kith_diag_list *list, size_t n);
/* Removes every diagnostic after the first n. */
void kith_diag_list_truncate(kith_diag_list *list, size_t n);

/* The last error of a handle: a code and a message. */
typedef struct kith_error {
	int code;
	kith_buf message;
} kith_error;

/* Records code and message on err and returns code, for `return kith_error_set(...)`. */
int kith_error_set(kith_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void kith_error_clear(kith_error *err);
void kith_error_release(kith_error *err);
/* The message, or the code's kith_strerror() when none was set. */
const char *kith_error_message(const kith_error *err);

#endif
