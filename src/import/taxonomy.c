/*
 * Publishers' taxonomy terms mapped to kith's vocabulary, from the table
 * built into the library (the tables in corpus/import/, one per scheme,
 * each with its sources), read into a hash once per import.
 */
#include "import/import_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/embedded.h"
#include "util/array.h"

/* The field at *p up to a tab or newline, into out; moves *p past it. */
static void field(const char **p, char *out, size_t size)
{
	size_t n = strcspn(*p, "\t\n");

	snprintf(out, size, "%.*s", (int)n, *p);
	*p += n;
	if (**p == '\t')
		(*p)++;
}

/* "scheme<TAB>term" in lower case, the hash's key. */
static void key_of(char *out, size_t size, const char *scheme, const char *term)
{
	size_t i;

	snprintf(out, size, "%s\t%s", scheme, term);
	for (i = 0; out[i]; i++)
		out[i] = (char)tolower((unsigned char)out[i]);
}

/* Reads the table into im->taxonomy: 0 or KITH_ENOMEM. */
static int build(importer *im)
{
	const char *p = kith_import_taxonomy_table, *eol;
	size_t alloc = 0;
	int error = 0;

	for (; *p && !error; p = *eol ? eol + 1 : eol) {
		char s[32], t[256], id[64], key[300];
		size_t at;
		int added;
		eol = p + strcspn(p, "\n");
		if (*p == '#' || *p == '\n')
			continue;
		field(&p, s, sizeof(s));
		field(&p, t, sizeof(t));
		field(&p, id, sizeof(id));
		if (!*s || !*t || !*id)
			continue;
		key_of(key, sizeof(key), s, t);
		if ((added = kith_strset_add(&im->taxonomy, key, im->taxonomy_count, &at)) < 0)
			return KITH_ENOMEM;
		if (added) {
			if ((error = KITH_ARRAY_RESERVE(im->taxonomy_ids, alloc, im->taxonomy_count + 1, 256)) != 0 ||
			    (im->taxonomy_ids[im->taxonomy_count] = strdup(id)) == NULL)
				return KITH_ENOMEM;
			im->taxonomy_count++;
		} else {
			/* a term that maps to more than one id: "need:food activity:cooking" */
			char *old = im->taxonomy_ids[at], *grown = malloc(strlen(old) + strlen(id) + 2);
			if (!grown)
				return KITH_ENOMEM;
			snprintf(grown, strlen(old) + strlen(id) + 2, "%s %s", old, id);
			free(old);
			im->taxonomy_ids[at] = grown;
		}
	}
	return error;
}

int kith_import_taxonomy(importer *im, kith_group *g, const char *scheme, const char *term)
{
	char key[300], id[64];
	const char *p;
	size_t at, n;
	int mapped = 0;

	if (!term || !*term || strlen(term) > 250)
		return 0;
	if (!im->taxonomy_count && build(im) != 0)
		return 0;
	key_of(key, sizeof(key), scheme, term);
	if (!kith_strset_has(&im->taxonomy, key, &at))
		return 0;
	for (p = im->taxonomy_ids[at]; *p; p += n + (p[n] == ' ')) {
		n = strcspn(p, " ");
		snprintf(id, sizeof(id), "%.*s", (int)n, p);
		if (strncmp(id, "need:", 5) == 0 && kith_import_add_string(im, &g->needs, id + 5) == 0)
			mapped = 1;
		else if (strncmp(id, "activity:", 9) == 0 && kith_import_add_string(im, &g->activities, id + 9) == 0)
			mapped = 1;
	}
	return mapped;
}
