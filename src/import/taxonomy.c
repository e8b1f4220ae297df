/*
 * Publishers' taxonomy terms mapped to kith's vocabulary, from the table
 * built into the library (the tables in corpus/import/, one per scheme, each with its sources).
 */
#include "import/import_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "model/embedded.h"

/* The field at *p up to a tab or newline, into out; moves *p past it. */
static void field(const char **p, char *out, size_t size)
{
	size_t n = strcspn(*p, "\t\n");

	snprintf(out, size, "%.*s", (int)n, *p);
	*p += n;
	if (**p == '\t')
		(*p)++;
}

int kith_import_taxonomy(importer *im, kith_group *g, const char *scheme, const char *term)
{
	const char *p = kith_import_taxonomy_table, *eol;
	int mapped = 0;

	if (!term || !*term)
		return 0;
	for (; *p; p = *eol ? eol + 1 : eol) {
		char s[32], t[256], id[64];
		eol = p + strcspn(p, "\n");
		if (*p == '#' || *p == '\n')
			continue;
		field(&p, s, sizeof(s));
		field(&p, t, sizeof(t));
		field(&p, id, sizeof(id));
		if (strcmp(s, scheme) != 0 || strcasecmp(t, term) != 0)
			continue;
		if (strncmp(id, "need:", 5) == 0 && kith_import_add_string(im, &g->needs, id + 5) == 0)
			mapped = 1;
		else if (strncmp(id, "activity:", 9) == 0 && kith_import_add_string(im, &g->activities, id + 9) == 0)
			mapped = 1;
	}
	return mapped;
}
