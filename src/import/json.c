/*
 * JSON inputs (jansson), read whole with the limits the importers share
 * and every error located: a broken file imports nothing.
 */
#include "import/import_int.h"

#include <errno.h>
#include <jansson.h>
#include <string.h>

#include "util/file.h"

#define MAX_DEPTH 64 /* a directory's JSON is a few levels deep; deeper is an attack or a mistake */

/* 1 when a value nests deeper than max anywhere (the scan is iterative, so no depth can overflow a stack). */
static int too_deep(const char *s, size_t n, int max)
{
	int depth = 0, in_string = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		char c = s[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = 0;
		} else if (c == '"') {
			in_string = 1;
		} else if (c == '[' || c == '{') {
			if (++depth > max)
				return 1;
		} else if (c == ']' || c == '}') {
			depth--;
		}
	}
	return 0;
}

struct json_t *kith_import_json(importer *im, const char *path, int *error)
{
	kith_buf data = KITH_BUF_INIT;
	json_error_t je;
	json_t *root = NULL;
	size_t skip;

	kith_buf_init(&data, KITH_IMPORT_MAX_FILE);
	if ((*error = kith_file_read(&data, path)) != 0) {
		if (*error == KITH_ETOOLARGE)
			*error = kith_import_fail(im, KITH_ETOOLARGE, 0, 0, "the file is over 256 MiB");
		else
			*error = kith_import_fail(im, KITH_EIO, 0, 0, "cannot read it: %s", strerror(errno));
		goto cleanup;
	}
	if (data.size == 0) {
		*error = kith_import_fail(im, KITH_EINVALID, 1, 1, "the file is empty: expected JSON");
		goto cleanup;
	}
	if (too_deep(data.ptr, data.size, MAX_DEPTH)) {
		*error = kith_import_fail(im, KITH_ETOOLARGE, 0, 0, "JSON nested more than %d deep", MAX_DEPTH);
		goto cleanup;
	}
	/* a byte order mark, as some servers send, is no part of the JSON */
	skip = data.size >= 3 && memcmp(data.ptr, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	/* any value, so a reader can say it is the wrong kind rather than "not JSON" */
	root = json_loadb(data.ptr + skip, data.size - skip, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &je);
	if (!root) {
		*error = kith_import_fail(im, KITH_EINVALID, je.line > 0 ? (unsigned)je.line : 0,
					  je.column > 0 ? (unsigned)je.column : 0, "not valid JSON: %s", je.text);
		goto cleanup;
	}
	*error = 0;
cleanup:
	kith_buf_release(&data);
	return root;
}
