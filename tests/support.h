/*
 * Helpers shared by the cmocka suites: temporary folders, files, and running
 * the real kith program (end-to-end tests).
 */
#ifndef KITH_TEST_SUPPORT_H
#define KITH_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

/* The source tree (KITH_SRCDIR, default "."), for corpus/ and tests/data/. */
const char *ks_srcdir(void);
/* Path under the source tree; static storage, overwritten by the next call. */
const char *ks_src(const char *relative);
/* A new empty temporary folder; free() the result; removed by ks_rmtree(). */
char *ks_tmpdir(void);
void ks_rmtree(const char *dir);
/* Writes content to dir/name and returns the path (free() it). */
char *ks_write(const char *dir, const char *name, const char *content);
/* Writes len bytes. */
char *ks_write_bytes(const char *dir, const char *name, const char *data, size_t len);
/* The file's contents, NUL-terminated (free() it), or NULL. */
char *ks_read(const char *path);
/*
 * Runs the kith program (KITH_BIN, default build/kith) with the arguments,
 * formatted with printf rules and split by the shell, stdin from /dev/null.
 * Captures stdout and stderr into *out and *err (free() them; either may be
 * NULL to discard).  Returns the exit status, or -1 when it did not exit.
 */
int ks_kith(char **out, char **err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* 1 when needle occurs in haystack. */
int ks_contains(const char *haystack, const char *needle);
/* Count of lines in text. */
size_t ks_lines(const char *text);

#endif
