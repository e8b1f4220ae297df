/*
 * Synonym and phrase rules (see rules.h), compiled with PCRE2 and JIT.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "text/rules.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kith/common.h"
#include "util/hash.h"
#include "util/array.h"

typedef struct pattern_rule {
	char id[48];
	double strength;
	pcre2_code *code;  /* owned; anchored: tried only where a word starts */
	uint8_t first[32]; /* bytes a match can start with, as a bitmap */
	int any_first;     /* no such bitmap: try at every word start */
} pattern_rule;

/*
 * What rules can match at a word, keyed by the word's first bytes: filled
 * in as words are met, so a scan tries one or two rules at most words
 * rather than every rule everywhere.
 */
#define PREFIX_BYTES 4
#define PREFIX_SLOTS_MAX (1u << 20) /* past this many distinct prefixes, stop remembering */

typedef struct prefix_slot {
	uint32_t key;   /* up to PREFIX_BYTES lowercased bytes, little-endian; 0: empty slot */
	uint32_t first; /* index of its first rule in prefix_cache.rules */
	uint32_t count;
} prefix_slot;

typedef struct prefix_cache {
	prefix_slot *slots; /* owned; open addressing, a power of two */
	size_t slot_count, used;
	uint16_t *rules; /* owned: rule indices, ascending within a slot */
	size_t rule_count, rule_alloc;
} prefix_cache;

typedef struct imply_rule {
	unsigned long long from_hash; /* of from: a concept is compared with every rule */
	char from[48];
	char to[48];
	double strength;
} imply_rule;

struct kith_rules {
	pattern_rule *patterns; /* owned */
	size_t pattern_count, pattern_alloc;
	imply_rule *implies; /* owned */
	size_t imply_count, imply_alloc;
	pcre2_match_data *match; /* owned; rules are used by one thread at a time */
	prefix_cache prefixes;   /* owned; grows as scans meet new words */
	int edge_rules;          /* some rule can start on a byte that is not a word byte */
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

static int may_start_with(const pattern_rule *p, unsigned char c)
{
	return p->any_first || (p->first[c / 8] & (1u << (c % 8)));
}

/* Whether a match of p can start on an ASCII byte that is not a letter or digit. */
static int starts_off_word(const pattern_rule *p)
{
	unsigned c;

	for (c = 1; c < 128; c++)
		if (!isalnum((int)c) && may_start_with(p, (unsigned char)c))
			return 1;
	return 0;
}

static int add_pattern(kith_rules *r, const char *target, const char *pattern, size_t lineno, const char *name,
		       kith_buf *err)
{
	pattern_rule *p;
	kith_buf full = KITH_BUF_INIT;
	int code;
	PCRE2_SIZE offset;

	if (KITH_ARRAY_RESERVE(r->patterns, r->pattern_alloc, r->pattern_count + 1, 64) != 0)
		return KITH_ENOMEM;
	p = &r->patterns[r->pattern_count];
	if (parse_target(target, p->id, sizeof(p->id), &p->strength) != 0) {
		kith_buf_printf(err, "%s:%zu: expected 'kind:id [strength] = pattern' with strength in (0, 1]", name,
				lineno);
		return KITH_EINVALID;
	}
	/* word boundaries on both sides, so "art" does not match "heart" */
	kith_buf_printf(&full, "(?<![\\w])(?:%s)(?![\\w])", pattern);
	if (kith_buf_error(&full)) { /* an empty pattern compiled in its place would match nothing, silently */
		kith_buf_release(&full);
		return KITH_ENOMEM;
	}
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

static unsigned long long text_hash(const char *s)
{
	return kith_fnv(KITH_FNV_START, s, strlen(s));
}

static int add_imply(kith_rules *r, char *rest, size_t lineno, const char *name, kith_buf *err)
{
	imply_rule *im;
	char *arrow = strstr(rest, "=>");
	double unused;

	if (!arrow) {
		kith_buf_printf(err, "%s:%zu: expected 'imply kind:id => kind:id [strength]'", name, lineno);
		return KITH_EINVALID;
	}
	*arrow = '\0';
	if (KITH_ARRAY_RESERVE(r->implies, r->imply_alloc, r->imply_count + 1, 16) != 0)
		return KITH_ENOMEM;
	im = &r->implies[r->imply_count];
	if (parse_target(trim(rest), im->from, sizeof(im->from), &unused) != 0 ||
	    parse_target(trim(arrow + 2), im->to, sizeof(im->to), &im->strength) != 0) {
		kith_buf_printf(err, "%s:%zu: expected 'imply kind:id => kind:id [strength]'", name, lineno);
		return KITH_EINVALID;
	}
	im->from_hash = text_hash(im->from);
	r->imply_count++;
	return 0;
}

int kith_rules_compile(kith_rules **out, const char *text, const char *name, kith_buf *err)
{
	kith_rules *r = calloc(1, sizeof(*r));
	char *copy = NULL, *line, *next;
	size_t lineno = 0, i;
	int error = 0;

	*out = NULL;
	if (!r || (copy = strdup(text)) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	r->hash = text_hash(text);
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
	for (i = 0; !error && i < r->pattern_count; i++)
		r->edge_rules |= starts_off_word(&r->patterns[i]);

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
	free(rules->prefixes.slots);
	free(rules->prefixes.rules);
	free(rules);
}

unsigned long long kith_rules_hash(const kith_rules *rules)
{
	return rules->hash;
}

void kith_rules_hash_text(const kith_rules *rules, char out[KITH_RULES_HASH_TEXT])
{
	snprintf(out, KITH_RULES_HASH_TEXT, "%llx", rules->hash);
}

/*
 * The key of the word at text + at: its first PREFIX_BYTES bytes, or fewer
 * and the byte that ends it, lowercased, stopping short of any byte that is
 * not ASCII (where caseless Unicode matching makes bytes unsafe to compare);
 * *n gets how many.  0 when the first byte is not ASCII.
 */
static uint32_t prefix_key(const char *text, size_t len, size_t at, size_t *n)
{
	uint32_t key = 0;
	size_t i;

	for (i = 0; i < PREFIX_BYTES && at + i < len; i++) {
		unsigned char c = (unsigned char)text[at + i];
		if (c >= 0x80)
			break;
		key |= (uint32_t)tolower(c) << (8 * i);
		if (!isalnum(c)) {
			i++;
			break;
		}
	}
	*n = i;
	return key;
}

static size_t slot_of(const prefix_cache *c, uint32_t key)
{
	size_t i = (key * 2654435761u) & (c->slot_count - 1);

	while (c->slots[i].key && c->slots[i].key != key)
		i = (i + 1) & (c->slot_count - 1);
	return i;
}

static int grow_slots(prefix_cache *c)
{
	prefix_cache bigger = *c;
	size_t i;

	bigger.slot_count = c->slot_count ? c->slot_count * 2 : 1024;
	if ((bigger.slots = calloc(bigger.slot_count, sizeof(*bigger.slots))) == NULL)
		return KITH_ENOMEM;
	for (i = 0; i < c->slot_count; i++)
		if (c->slots[i].key)
			bigger.slots[slot_of(&bigger, c->slots[i].key)] = c->slots[i];
	free(c->slots);
	*c = bigger;
	return 0;
}

/*
 * The slot of the rules that can match a word starting with these bytes,
 * found by PCRE2's partial matching: a rule belongs when the bytes are a
 * match or the start of one.  NULL when out of memory or past the cap.
 */
/* 1 when p can match text that starts with subject[0..n). */
static int may_match(kith_rules *r, const pattern_rule *p, const char *subject, size_t n)
{
	int rc = pcre2_match(p->code, (PCRE2_SPTR)subject, n, 0, PCRE2_PARTIAL_HARD | PCRE2_NO_JIT, r->match, NULL);

	return rc >= 0 || rc == PCRE2_ERROR_PARTIAL;
}

static const prefix_slot *prefix_rules(kith_rules *r, uint32_t key, size_t n)
{
	prefix_cache *c = &r->prefixes;
	char subject[PREFIX_BYTES], upper[PREFIX_BYTES], capital[PREFIX_BYTES];
	prefix_slot *slot;
	size_t i;

	if (c->slot_count) {
		slot = &c->slots[slot_of(c, key)];
		if (slot->key)
			return slot;
	}
	if (c->used >= PREFIX_SLOTS_MAX)
		return NULL;
	if ((c->used + 1) * 2 > c->slot_count && grow_slots(c) != 0)
		return NULL;
	for (i = 0; i < n; i++)
		subject[i] = (char)((key >> (8 * i)) & 0xff);
	slot = &c->slots[slot_of(c, key)];
	slot->first = (uint32_t)c->rule_count;
	slot->count = 0;
	for (i = 0; i < n; i++) {
		upper[i] = (char)toupper((unsigned char)subject[i]);
		capital[i] = i ? subject[i] : upper[i];
	}
	for (i = 0; i < r->pattern_count; i++) {
		const pattern_rule *p = &r->patterns[i];
		if (!may_start_with(p, (unsigned char)subject[0]) &&
		    !may_start_with(p, (unsigned char)toupper((unsigned char)subject[0])))
			continue;
		/* the key is lowercased; a rule may be case-sensitive in part ("(?-i:MS)"): try the usual cases */
		if (!may_match(r, p, subject, n) && !may_match(r, p, upper, n) && !may_match(r, p, capital, n))
			continue;
		if (KITH_ARRAY_RESERVE(c->rules, c->rule_alloc, c->rule_count + 1, 1024) != 0)
			return NULL;
		c->rules[c->rule_count++] = (uint16_t)i;
		slot->count++;
	}
	slot->key = key;
	c->used++;
	return slot;
}

/* Tries rule i anchored at text + at; on a match adds its concept and marks it done. */
static void try_rule(kith_rules *r, size_t i, const char *text, size_t len, size_t at, unsigned char *done,
		     kith_concepts *set)
{
	const pattern_rule *p = &r->patterns[i];
	PCRE2_SIZE *ov;
	char evidence[48];
	size_t n;

	if (done[i] || pcre2_match(p->code, (PCRE2_SPTR)text, len, at, 0, r->match, NULL) <= 0)
		return;
	done[i] = 1;
	ov = pcre2_get_ovector_pointer(r->match);
	n = ov[1] - ov[0];
	if (n >= sizeof(evidence))
		n = sizeof(evidence) - 1;
	memcpy(evidence, text + ov[0], n);
	evidence[n] = '\0';
	kith_concepts_add(set, p->id, p->strength, evidence);
}

/*
 * The ASCII a typographic character stands for, or 0: *n gets its length
 * in bytes.  Phones curl apostrophes and word processors put no-break
 * spaces in phrases, and "men\u2019s shed" should meet "men'?s shed".
 */
static char plain_ascii(const unsigned char *p, size_t *n)
{
	if (p[0] == 0xc2 && p[1] == 0xa0) {
		*n = 2;
		return ' '; /* no-break space */
	}
	if (p[0] != 0xe2 || p[1] != 0x80 || !p[2])
		return 0;
	*n = 3;
	if (p[2] <= 0x8a || p[2] == 0xaf)
		return ' '; /* en quad to hair space, narrow no-break space */
	if (p[2] >= 0x90 && p[2] <= 0x95)
		return '-'; /* hyphens and dashes */
	if (p[2] >= 0x98 && p[2] <= 0x9b)
		return '\''; /* single quotes */
	if (p[2] >= 0x9c && p[2] <= 0x9f)
		return '"'; /* double quotes */
	return 0;
}

/* A copy of text with typographic spaces, dashes and quotes made ASCII (free() it), or NULL if none. */
static char *plain_copy(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	char *copy, *out;
	size_t n;

	for (; *p; p++)
		if ((*p == 0xc2 || *p == 0xe2) && plain_ascii(p, &n))
			break;
	if (!*p || (copy = malloc(strlen(text) + 1)) == NULL)
		return NULL;
	for (p = (const unsigned char *)text, out = copy; *p;) {
		char c = (*p == 0xc2 || *p == 0xe2) ? plain_ascii(p, &n) : 0;
		if (c) {
			*out++ = c;
			p += n;
		} else {
			*out++ = (char)*p++;
		}
	}
	*out = '\0';
	return copy;
}

/*
 * Every rule's pattern starts and ends on a word boundary, so a scan
 * visits word starts only, and there tries just the rules the word's first
 * bytes allow (prefix_rules).  Any character that is not ASCII may or may
 * not be a word character, so a scan also tries after each one, and lets
 * PCRE2's own boundary test decide.  Typographic spaces, dashes and quotes
 * are read as their ASCII forms (plain_copy).
 */
void kith_rules_scan(kith_rules *rules, const char *text, kith_concepts *set)
{
	unsigned char stack_done[256], *done = stack_done;
	size_t len, at, i;
	char *plain;

	if (!text || !*text || !rules->pattern_count)
		return;
	if (rules->pattern_count > sizeof(stack_done) && (done = malloc(rules->pattern_count)) == NULL)
		return;
	if ((plain = plain_copy(text)) != NULL)
		text = plain;
	memset(done, 0, rules->pattern_count);
	len = strlen(text);
	for (at = 0; at < len; at++) {
		unsigned char c = (unsigned char)text[at];
		const prefix_slot *slot = NULL;
		uint32_t key;
		size_t n;
		if (c < 0x80 && !isalnum(c)) {
			for (i = 0; rules->edge_rules && i < rules->pattern_count; i++)
				if (may_start_with(&rules->patterns[i], c))
					try_rule(rules, i, text, len, at, done, set);
			continue;
		}
		if ((c >= 0x80 && c < 0xc0) || (at > 0 && isalnum((unsigned char)text[at - 1])))
			continue; /* inside a character or a word */
		if ((key = prefix_key(text, len, at, &n)) != 0)
			slot = prefix_rules(rules, key, n);
		if (slot) {
			for (i = 0; i < slot->count; i++)
				try_rule(rules, rules->prefixes.rules[slot->first + i], text, len, at, done, set);
		} else {
			for (i = 0; i < rules->pattern_count; i++)
				if (may_start_with(&rules->patterns[i], c))
					try_rule(rules, i, text, len, at, done, set);
		}
	}
	if (done != stack_done)
		free(done);
	free(plain);
}

void kith_rules_imply(const kith_rules *rules, kith_concepts *set)
{
	size_t i, n = set->count, j;

	for (j = 0; j < n; j++) {
		unsigned long long h = text_hash(set->items[j].id);
		for (i = 0; i < rules->imply_count; i++) {
			const imply_rule *im = &rules->implies[i];
			if (im->from_hash == h && strcmp(im->from, set->items[j].id) == 0)
				kith_concepts_add(set, im->to, im->strength * set->items[j].strength,
						  set->items[j].evidence);
		}
	}
}
