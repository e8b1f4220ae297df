/*
 * Posted forms: decoding `a=1&b=x+y`, and the person's profile from the
 * form's fields.  The fields are named after `kith match`'s quick-query
 * flags (postcode, point, needs, interests, max-km, when, budget, ...), so a
 * request can be written by hand; a field given twice takes its last
 * non-empty value, and needs, when, languages, circumstances and tags take
 * every value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* [s, s + len) with %XX and + decoded, in a new string. */
static char *decode(const char *s, size_t len)
{
	char *out = malloc(len + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < len; i++) {
		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] == '%' && i + 2 < len && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
			*o++ = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

int srv_form_parse(srv_form *form, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *stop = amp ? amp : end;
		const char *eq = memchr(p, '=', (size_t)(stop - p));
		srv_field *f;
		if (stop == p) {
			p = stop + 1;
			continue;
		}
		if (form->count == SRV_MAX_FIELDS)
			return -1;
		f = &form->items[form->count];
		f->name = decode(p, (size_t)((eq ? eq : stop) - p));
		f->value = eq ? decode(eq + 1, (size_t)(stop - eq - 1)) : strdup("");
		if (!f->name || !f->value) {
			free(f->name);
			free(f->value);
			return -1;
		}
		form->count++;
		p = amp ? amp + 1 : end;
	}
	return 0;
}

void srv_form_release(srv_form *form)
{
	size_t i;

	for (i = 0; i < form->count; i++) {
		free(form->items[i].name);
		free(form->items[i].value);
	}
	form->count = 0;
}

const char *srv_form_get(const srv_form *form, const char *name)
{
	const char *found = NULL;
	size_t i;

	for (i = 0; i < form->count; i++)
		if (strcmp(form->items[i].name, name) == 0 && form->items[i].value[0])
			found = form->items[i].value;
	return found;
}

const char *srv_form_next(const srv_form *form, const char *name, size_t *i)
{
	for (; *i < form->count; (*i)++) {
		if (strcmp(form->items[*i].name, name) == 0 && form->items[*i].value[0])
			return form->items[(*i)++].value;
	}
	return NULL;
}

/* Every value of name joined by sep, into out; 0, or -1 when it would not fit. */
static int join(const srv_form *form, const char *name, const char *sep, char *out, size_t size)
{
	const char *v;
	size_t i = 0, used = 0;

	out[0] = '\0';
	while ((v = srv_form_next(form, name, &i)) != NULL) {
		int n = snprintf(out + used, size - used, "%s%s", used ? sep : "", v);
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
	}
	return 0;
}

/* The needs, the one named by `main` marked high ("loneliness:high,low-mood"). */
static int needs_field(const srv_form *form, char *out, size_t size)
{
	const char *main_need = srv_form_get(form, "main"), *v;
	size_t i = 0, used = 0;

	out[0] = '\0';
	while ((v = srv_form_next(form, "needs", &i)) != NULL) {
		int high = main_need && strcmp(v, main_need) == 0 && !strchr(v, ':');
		int n = snprintf(out + used, size - used, "%s%s%s", used ? "," : "", v, high ? ":high" : "");
		if (n < 0 || (size_t)n >= size - used)
			return -1;
		used += (size_t)n;
	}
	return 0;
}

kith_profile *srv_form_profile(const srv_form *form, char *why, size_t why_size)
{
	static const char *const single[] = {
		"postcode",   "point",     "max-km",       "interests",         "age",    "gender",     "budget",
		"wheelchair", "step-free", "hearing-loop", "accessible-toilet", "online", "housebound", "free"};
	static const struct {
		const char *field, *sep;
	} lists[] = {{"when", ";"}, {"languages", " "}, {"circumstances", ","}, {"tags", ","}};
	kith_profile *p = NULL;
	char joined[4096];
	size_t i;

	if (kith_profile_new(&p, "query") != 0) {
		snprintf(why, why_size, "out of memory");
		return NULL;
	}
	for (i = 0; i < sizeof(single) / sizeof(single[0]); i++) {
		const char *v = srv_form_get(form, single[i]);
		if (v && kith_profile_set(p, single[i], v) != 0)
			goto bad;
	}
	/* "no car" is read from the person's words, as when they say it */
	if (srv_form_get(form, "no-car")) {
		const char *words = srv_form_get(form, "interests");
		snprintf(joined, sizeof(joined), "%s%sno car", words ? words : "", words ? "; " : "");
		if (kith_profile_set(p, "interests", joined) != 0) {
			snprintf(why, why_size, "interests: %s", kith_profile_errmsg(p));
			goto failed;
		}
	}
	if (needs_field(form, joined, sizeof(joined)) != 0)
		goto too_long;
	if (joined[0] && kith_profile_set(p, "needs", joined) != 0) {
		snprintf(why, why_size, "needs: %s", kith_profile_errmsg(p));
		goto failed;
	}
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		if (join(form, lists[i].field, lists[i].sep, joined, sizeof(joined)) != 0)
			goto too_long;
		if (joined[0] && kith_profile_set(p, lists[i].field, joined) != 0) {
			snprintf(why, why_size, "%s: %s", lists[i].field, kith_profile_errmsg(p));
			goto failed;
		}
	}
	return p;

bad:
	snprintf(why, why_size, "%s: %s", single[i], kith_profile_errmsg(p));
	goto failed;
too_long:
	snprintf(why, why_size, "too many choices in one field");
failed:
	kith_profile_free(p);
	return NULL;
}
