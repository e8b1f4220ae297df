/*
 * Whole-file reading (see file.h).
 */
#include "util/file.h"

#include <errno.h>
#include <stdio.h>

#include "kith/common.h"

int kith_file_read(kith_buf *out, const char *path)
{
	char chunk[8192];
	size_t n;
	int error = 0, saved;
	FILE *f = fopen(path, "rb");

	if (!f)
		return KITH_EIO;
	while (!error && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		error = kith_buf_put(out, chunk, n);
	if (!error && ferror(f))
		error = KITH_EIO;
	saved = errno;
	fclose(f);
	errno = saved;
	return error;
}
