/*
 * kith_buf: a growable byte buffer, always NUL-terminated, with a size cap.
 *
 * Feeds are untrusted, so every buffer that grows from input has a limit;
 * going over it is an error (KITH_ETOOLARGE) rather than an allocation of
 * whatever size the input asks for.
 *
 * A buffer remembers its first error, as SQLite's sqlite3_str does: once an
 * append fails, every later append does nothing and returns that error, so
 * a text built from many appends is checked once, with kith_buf_error(),
 * where it is finished.  kith_buf_clear() and kith_buf_release() forget it.
 */
#ifndef KITH_BUF_H
#define KITH_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct kith_buf {
	char *ptr;    /* owned; NUL-terminated; never NULL after init */
	size_t size;  /* bytes used, not counting the NUL */
	size_t alloc; /* bytes allocated; 0 while ptr points at the static "" */
	size_t limit; /* largest size allowed; 0 means the default (64 MiB) */
	int error;    /* the first failed append's code (KITH_ENOMEM, KITH_ETOOLARGE), or 0 */
} kith_buf;

extern char kith_buf__empty[];
/* clang-format off */
#define KITH_BUF_INIT {kith_buf__empty, 0, 0, 0, 0}
/* clang-format on */

void kith_buf_init(kith_buf *buf, size_t limit);
/* Frees the memory and returns buf to its initial state. */
void kith_buf_release(kith_buf *buf);
/* Empties buf, keeping its memory, and forgets its error. */
void kith_buf_clear(kith_buf *buf);
/*
 * Ensures room for extra more bytes.  0, or KITH_ENOMEM or KITH_ETOOLARGE,
 * which the buffer then remembers.  Every append below returns the same.
 */
int kith_buf_grow(kith_buf *buf, size_t extra);
int kith_buf_put(kith_buf *buf, const char *data, size_t len);
int kith_buf_puts(kith_buf *buf, const char *str);
int kith_buf_putc(kith_buf *buf, char c);
int kith_buf_printf(kith_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int kith_buf_vprintf(kith_buf *buf, const char *fmt, va_list ap);
/* Appends n in decimal. */
int kith_buf_put_int(kith_buf *buf, long long n);
/* Appends x with this many decimals, rounded, as "%.*f" does (no sign on a zero), without printf's cost. */
int kith_buf_put_fixed(kith_buf *buf, double x, int decimals);
/* The first error of an append since buf was made or last cleared, or 0. */
int kith_buf_error(const kith_buf *buf);
/* Hands the string to the caller (free() it) and resets buf.  NULL on ENOMEM. */
char *kith_buf_detach(kith_buf *buf);
/* Removes white space at both ends. */
void kith_buf_trim(kith_buf *buf);

#endif
