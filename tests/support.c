/*
 * Test helpers (see support.h).
 */
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/buf.h"

const char *ks_srcdir(void)
{
	const char *d = getenv("KITH_SRCDIR");
	return d && *d ? d : ".";
}

const char *ks_src(const char *relative)
{
	static char path[4096];
	snprintf(path, sizeof(path), "%s/%s", ks_srcdir(), relative);
	return path;
}

char *ks_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	kith_buf b = KITH_BUF_INIT;

	kith_buf_printf(&b, "%s/kith-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(b.ptr)) {
		kith_buf_release(&b);
		return NULL;
	}
	return kith_buf_detach(&b);
}

void ks_rmtree(const char *dir)
{
	kith_buf cmd = KITH_BUF_INIT;

	if (!dir)
		return;
	kith_buf_printf(&cmd, "rm -rf '%s'", dir);
	if (system(cmd.ptr) != 0)
		fprintf(stderr, "warning: could not remove %s\n", dir);
	kith_buf_release(&cmd);
}

char *ks_write_bytes(const char *dir, const char *name, const char *data, size_t len)
{
	kith_buf path = KITH_BUF_INIT;
	FILE *f;

	kith_buf_printf(&path, "%s/%s", dir, name);
	f = fopen(path.ptr, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return kith_buf_detach(&path);
}

char *ks_write(const char *dir, const char *name, const char *content)
{
	return ks_write_bytes(dir, name, content, strlen(content));
}

char *ks_read(const char *path)
{
	kith_buf b = KITH_BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		kith_buf_put(&b, chunk, n);
	fclose(f);
	return kith_buf_detach(&b);
}

int ks_kith(char **out, char **err, const char *fmt, ...)
{
	const char *bin = getenv("KITH_BIN");
	char *dir = ks_tmpdir();
	kith_buf args = KITH_BUF_INIT, cmd = KITH_BUF_INIT, path = KITH_BUF_INIT;
	va_list ap;
	int status;

	va_start(ap, fmt);
	kith_buf_vprintf(&args, fmt, ap);
	va_end(ap);
	kith_buf_printf(&cmd, "%s %s </dev/null >'%s/out' 2>'%s/err'", bin && *bin ? bin : "build/kith", args.ptr, dir,
			dir);
	status = system(cmd.ptr);
	if (out) {
		kith_buf_printf(&path, "%s/out", dir);
		*out = ks_read(path.ptr);
		kith_buf_clear(&path);
	}
	if (err) {
		kith_buf_printf(&path, "%s/err", dir);
		*err = ks_read(path.ptr);
	}
	ks_rmtree(dir);
	free(dir);
	kith_buf_release(&args);
	kith_buf_release(&cmd);
	kith_buf_release(&path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int ks_contains(const char *haystack, const char *needle)
{
	return haystack && needle && strstr(haystack, needle) != NULL;
}

size_t ks_lines(const char *text)
{
	size_t n = 0;

	for (; text && *text; text++)
		n += *text == '\n';
	return n;
}
