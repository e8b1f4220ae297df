/*
 * Scoring weights (see weights.h).
 */
#include "model/weights.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kith/common.h"

const char *const kith_factor_names[KITH_F_COUNT] = {
	"needs",     "interests", "distance", "availability", "cost",
	"freshness", "capacity",  "language", "access",       "targeted",
};

int kith_weights_parse(kith_weights *out, const char *text, const char *name, kith_buf *err)
{
	int seen[KITH_F_COUNT + 1] = {0};
	size_t lineno = 0;
	const char *line = text;

	memset(out, 0, sizeof(*out));
	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[256], key[64], *p = buf, *num_end;
		double value;
		int i, found = -1;

		lineno++;
		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		line = end ? end + 1 : NULL;
		while (isspace((unsigned char)*p))
			p++;
		if (!*p || *p == '#')
			continue;
		for (i = 0; *p && !isspace((unsigned char)*p) && i + 1 < (int)sizeof(key); p++)
			key[i++] = *p;
		key[i] = '\0';
		value = strtod(p, &num_end);
		while (isspace((unsigned char)*num_end))
			num_end++;
		if (num_end == p || *num_end) {
			/* what was expected, not what was found: the file may not be kith's, and its lines are its own
			 */
			kith_buf_printf(err,
					"%s:%zu: expected a factor and a number, such as 'needs 0.17' (is this a kith "
					"weights file?)",
					name, lineno);
			return KITH_EINVALID;
		}
		for (i = 0; i < KITH_F_COUNT; i++)
			if (strcmp(key, kith_factor_names[i]) == 0)
				found = i;
		if (strcmp(key, "variety") == 0)
			found = KITH_F_COUNT;
		if (found < 0) {
			kith_buf_printf(
				err,
				"%s:%zu: not a factor kith scores (they are needs, interests, distance, "
				"availability, cost, freshness, capacity, language, access, targeted and variety)",
				name, lineno);
			return KITH_EINVALID;
		}
		if (value < 0 || (found == KITH_F_COUNT && value > 1)) {
			kith_buf_printf(err, "%s:%zu: '%s' must be %s", name, lineno, key,
					found == KITH_F_COUNT ? "between 0 and 1" : "0 or more");
			return KITH_EINVALID;
		}
		if (seen[found]++) {
			kith_buf_printf(err, "%s:%zu: '%s' is given twice", name, lineno, key);
			return KITH_EINVALID;
		}
		if (found == KITH_F_COUNT)
			out->variety = value;
		else
			out->w[found] = value;
	}
	for (int i = 0; i < KITH_F_COUNT; i++) {
		if (!seen[i]) {
			kith_buf_printf(err, "%s: no weight for '%s'", name, kith_factor_names[i]);
			return KITH_EINVALID;
		}
	}
	return 0;
}

int kith_weights_write(const kith_weights *w, kith_buf *out, const char *heading)
{
	int i, error = 0;

	if (heading)
		error = kith_buf_puts(out, heading);
	for (i = 0; i < KITH_F_COUNT && !error; i++)
		error = kith_buf_printf(out, "%-14s %.4f\n", kith_factor_names[i], w->w[i]);
	if (!error)
		error = kith_buf_printf(out, "%-14s %.4f\n", "variety", w->variety);
	return error;
}
