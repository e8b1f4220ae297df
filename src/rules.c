/*
 * Synonym and phrase rules (see rules.h), compiled with PCRE2 and JIT.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith/common.h"

typedef struct pattern_rule {
	char id[48];
	double strength;
	pcre2_code *code; /* owned; anchored: tried only where a word starts */
	uint8_t first[32];   /* bytes a match can start with, as a bitmap */
	int any_first;       /* no such bitmap: try at every word start */
} pattern_rule;

typedef struct imply_rule {
	char from[48];
	char to[48];
	double strength;
} imply_rule;

struct kith_rules {
	pattern_rule *patterns; /* owned */
	size_t pattern_count;
	imply_rule *implies;    /* owned */
	size_t imply_count;
	pcre2_match_data *match; /* owned; rules are used by one thread at a time */
	pcre2_code *all;         /* owned: every pattern as one alternation, to find where rules hit */
	pcre2_match_data *all_match; /* owned */
	unsigned long long hash;
};

static char *trim(char *s)
{
	char *e;

	while (*s && isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* "kind:id [strength]" into id and strength. */
static int parse_target(const char *text, char *id, size_t size, double *strength)
{
	char buf[128];
	char *sp, *end;

	snprintf(buf, sizeof(buf), "%s", text);
	sp = strpbrk(buf, " \t");
	*strength = 1.0;
	if (sp) {
		*sp++ = '\0';
		*strength = strtod(trim(sp), &end);
		if (*trim(end) || *strength <= 0 || *strength > 1)
			return -1;
	}
	if (!strchr(buf, ':') || strlen(buf) >= size)
		return -1;
	snprintf(id, size, "%s", buf);
	return 0;
}

/*
 * Which bytes a match of pattern can start with, from PCRE2's own study of
 * it, so a scan skips the rules that cannot start at a word.
 */
static void first_bytes(pattern_rule *p, const char *pattern)
{
	const uint8_t *bitmap = NULL;
	uint32_t type = 0, unit = 0;
	int code;
	PCRE2_SIZE offset;
	pcre2_code *probe = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
					  PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &code, &offset, NULL);

	p->any_first = 1;
	memset(p->first, 0, sizeof(p->first));
	if (!probe)
		return;
	if (pcre2_pattern_info(probe, PCRE2_INFO_FIRSTBITMAP, &bitmap) == 0 && bitmap) {
		memcpy(p->first, bitmap, sizeof(p->first));
		p->any_first = 0;
	} else if (pcre2_pattern_info(probe, PCRE2_INFO_FIRSTCODETYPE, &type) == 0 && type == 1 &&
		   pcre2_pattern_info(probe, PCRE2_INFO_FIRSTCODEUNIT, &unit) == 0 && unit < 128) {
		p->first[unit / 8] |= (uint8_t)(1u << (unit % 8));
		p->first[tolower((int)unit) / 8] |= (uint8_t)(1u << (tolower((int)unit) % 8));
		p->first[toupper((int)unit) / 8] |= (uint8_t)(1u << (toupper((int)unit) % 8));
		p->any_first = 0;
	}
	pcre2_code_free(probe);
}

static int add_pattern(kith_rules *r, const char *target, const char *pattern, size_t lineno, const char *name,
		       kith_buf *err)
{
	pattern_rule *more, *p;
	kith_buf full = KITH_BUF_INIT;
	int code;
	PCRE2_SIZE offset;

	more = realloc(r->patterns, (r->pattern_count + 1) * sizeof(*more));
	if (!more)
		return KITH_ENOMEM;
	r->patterns = more;
	p = &r->patterns[r->pattern_count];
	if (parse_target(target, p->id, sizeof(p->id), &p->strength) != 0) {
		kith_buf_printf(err, "%s:%zu: expected 'kind:id [strength] = pattern' with strength in (0, 1]",
				name, lineno);
		return KITH_EINVALID;
	}
	/* word boundaries on both sides, so "art" does not match "heart" */
	kith_buf_printf(&full, "(?<![\\w])(?:%s)(?![\\w])", pattern);
	p->code = pcre2_compile((PCRE2_SPTR)full.ptr, full.size,
				PCRE2_ANCHORED | PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &code, &offset, NULL);
	kith_buf_release(&full);
	if (!p->code) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(code, msg, sizeof(msg));
		kith_buf_printf(err, "%s:%zu: bad pattern: %s", name, lineno, (const char *)msg);
		return KITH_EINVALID;
	}
	/* without JIT it still works, slower; KITH_NO_JIT turns it off for valgrind, which cannot see into JIT code */
	if (!getenv("KITH_NO_JIT"))
		pcre2_jit_compile(p->code, PCRE2_JIT_COMPLETE);
	first_bytes(p, pattern);
	r->pattern_count++;
	return 0;
}

static int add_imply(kith_rules *r, char *rest, size_t lineno, const char *name, kith_buf *err)
{
	imply_rule *more, *im;
	char *arrow = strstr(rest, "=>");
	double unused;

	if (!arrow) {
		kith_buf_printf(err, "%s:%zu: expected 'imply kind:id => kind:id [strength]'", name, lineno);
		return KITH_EINVALID;
	}
	*arrow = '\0';
	more = realloc(r->implies, (r->imply_count + 1) * sizeof(*more));
	if (!more)
		return KITH_ENOMEM;
	r->implies = more;
	im = &r->implies[r->imply_count];
	if (parse_target(trim(rest), im->from, sizeof(im->from), &unused) != 0 ||
	    parse_target(trim(arrow + 2), im->to, sizeof(im->to), &im->strength) != 0) {
		kith_buf_printf(err, "%s:%zu: expected 'imply kind:id => kind:id [strength]'", name, lineno);
		return KITH_EINVALID;
	}
	r->imply_count++;
	return 0;
}

/*
 * One pattern that matches wherever any rule does: a single JIT pass over
 * a text finds the places worth trying each rule at.
 */
static int compile_all(kith_rules *r, const char *text, const char *name, kith_buf *err)
{
	kith_buf all = KITH_BUF_INIT;
	char *copy = strdup(text), *line, *next;
	int code, error = 0, first = 1;
	PCRE2_SIZE offset;

	if (!copy)
		return KITH_ENOMEM;
	kith_buf_puts(&all, "(?<![\\w])(?:");
	for (line = copy; line; line = next) {
		char *eq, *s;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		s = trim(line);
		if (!*s || *s == '#' || strncmp(s, "imply ", 6) == 0 || (eq = strchr(s, '=')) == NULL)
			continue;
		kith_buf_printf(&all, "%s(?:%s)(?![\\w])", first ? "" : "|", trim(eq + 1));
		first = 0;
	}
	kith_buf_putc(&all, ')');
	free(copy);
	if (first) {
		kith_buf_release(&all);
		return 0;
	}
	r->all = pcre2_compile((PCRE2_SPTR)all.ptr, all.size, PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP, &code, &offset,
			       NULL);
	kith_buf_release(&all);
	if (!r->all) {
		kith_buf_printf(err, "%s: the rules do not combine", name);
		return KITH_EINVALID;
	}
	if (!getenv("KITH_NO_JIT"))
		pcre2_jit_compile(r->all, PCRE2_JIT_COMPLETE);
	if ((r->all_match = pcre2_match_data_create_from_pattern(r->all, NULL)) == NULL)
		error = KITH_ENOMEM;
	return error;
}

int kith_rules_compile(kith_rules **out, const char *text, const char *name, kith_buf *err)
{
	kith_rules *r = calloc(1, sizeof(*r));
	char *copy = NULL, *line, *next;
	size_t lineno = 0;
	unsigned long long h = 1469598103934665603ull;
	const char *c;
	int error = 0;

	*out = NULL;
	if (!r || (copy = strdup(text)) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	for (c = text; *c; c++)
		h = (h ^ (unsigned char)*c) * 1099511628211ull;
	r->hash = h;
	for (line = copy; line && !error; line = next) {
		char *eq, *s;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		s = trim(line);
		if (!*s || *s == '#')
			continue;
		if (strncmp(s, "imply ", 6) == 0) {
			error = add_imply(r, s + 6, lineno, name, err);
			continue;
		}
		if ((eq = strchr(s, '=')) == NULL) {
			kith_buf_printf(err, "%s:%zu: expected 'kind:id [strength] = pattern'", name, lineno);
			error = KITH_EINVALID;
			break;
		}
		*eq = '\0';
		error = add_pattern(r, trim(s), trim(eq + 1), lineno, name, err);
	}
	if (!error && (r->match = pcre2_match_data_create(4, NULL)) == NULL)
		error = KITH_ENOMEM;
	if (!error)
		error = compile_all(r, text, name, err);

cleanup:
	free(copy);
	if (error) {
		kith_rules_free(r);
		return error;
	}
	*out = r;
	return 0;
}

void kith_rules_free(kith_rules *rules)
{
	size_t i;

	if (!rules)
		return;
	for (i = 0; i < rules->pattern_count; i++)
		pcre2_code_free(rules->patterns[i].code);
	free(rules->patterns);
	free(rules->implies);
	pcre2_match_data_free(rules->match);
	pcre2_code_free(rules->all);
	pcre2_match_data_free(rules->all_match);
	free(rules);
}

unsigned long long kith_rules_hash(const kith_rules *rules)
{
	return rules->hash;
}

void kith_concepts_add(kith_concepts *set, const char *id, double strength, const char *evidence)
{
	size_t i;

	for (i = 0; i < set->count; i++) {
		if (strcmp(set->items[i].id, id) == 0) {
			if (strength > set->items[i].strength) {
				set->items[i].strength = strength;
				snprintf(set->items[i].evidence, sizeof(set->items[i].evidence), "%s", evidence);
			}
			return;
		}
	}
	if (set->count == sizeof(set->items) / sizeof(set->items[0]))
		return;
	snprintf(set->items[set->count].id, sizeof(set->items[0].id), "%s", id);
	set->items[set->count].strength = strength;
	snprintf(set->items[set->count].evidence, sizeof(set->items[0].evidence), "%s", evidence);
	set->count++;
}

const kith_concept *kith_concepts_find(const kith_concepts *set, const char *id)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (strcmp(set->items[i].id, id) == 0)
			return &set->items[i];
	return NULL;
}

static int is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/*
 * Every rule's pattern starts and ends on a word boundary.  One pass of
 * the combined pattern finds the word starts where some rule matches; there
 * each rule whose first bytes fit is tried, anchored: a few dozen tries
 * instead of every rule over the whole text.
 */
void kith_rules_scan(const kith_rules *rules, const char *text, kith_concepts *set)
{
	size_t starts[512], nstarts = 0, i, k, len;
	unsigned char *done;

	if (!text || !*text || !rules->all)
		return;
	len = strlen(text);
	/* the word starts where some rule matches: one pass of the combined pattern */
	for (i = 0; i < len && nstarts < sizeof(starts) / sizeof(starts[0]);) {
		PCRE2_SIZE at;
		if (pcre2_match(rules->all, (PCRE2_SPTR)text, len, i, 0, rules->all_match, NULL) <= 0)
			break;
		at = pcre2_get_ovector_pointer(rules->all_match)[0];
		starts[nstarts++] = at;
		/* other rules may also match here or start later inside this match */
		for (i = at + 1; i < len && !(is_word_byte((unsigned char)text[i]) &&
					       !is_word_byte((unsigned char)text[i - 1]));
		     i++)
			;
	}
	if ((done = calloc(rules->pattern_count ? rules->pattern_count : 1, 1)) == NULL)
		return;
	for (k = 0; k < nstarts; k++) {
		unsigned char c = (unsigned char)text[starts[k]];
		for (i = 0; i < rules->pattern_count; i++) {
			const pattern_rule *p = &rules->patterns[i];
			PCRE2_SIZE *ov;
			char evidence[48];
			size_t n;
			if (done[i] || (!p->any_first && !(p->first[c / 8] & (1u << (c % 8)))))
				continue;
			if (pcre2_match(p->code, (PCRE2_SPTR)text, len, starts[k], 0, rules->match, NULL) <= 0)
				continue;
			done[i] = 1;
			ov = pcre2_get_ovector_pointer(rules->match);
			n = ov[1] - ov[0];
			if (n >= sizeof(evidence))
				n = sizeof(evidence) - 1;
			memcpy(evidence, text + ov[0], n);
			evidence[n] = '\0';
			kith_concepts_add(set, p->id, p->strength, evidence);
		}
	}
	free(done);
}

void kith_rules_imply(const kith_rules *rules, kith_concepts *set)
{
	size_t i, n = set->count, j;

	for (j = 0; j < n; j++) {
		for (i = 0; i < rules->imply_count; i++) {
			const imply_rule *im = &rules->implies[i];
			if (strcmp(im->from, set->items[j].id) == 0)
				kith_concepts_add(set, im->to, im->strength * set->items[j].strength,
						  set->items[j].evidence);
		}
	}
}
