/*
 * What the index stores of a group beyond the feed's own fields, worked
 * out on the reading thread (see load_int.h): the content hash, the key,
 * the denormalised lists of the groups row, the concepts the synonym rules
 * read, the concept and language masks, and the FTS5 tokens.
 */
#include "store/load_int.h"

#include <string.h>

#include "store/columns.h"
#include "text/concepts.h"
#include "text/vocab.h"
#include "model/area.h"
#include "text/words.h"
#include "util/hash.h"

#define COLUMN_BUFS 15

/* The buffers of c, to set up, clear, check or free them all. */
static void column_bufs(load_columns *c, kith_buf *bufs[COLUMN_BUFS])
{
	kith_buf *all[COLUMN_BUFS] = {&c->canon,  &c->key,           &c->langs,          &c->tag_words,
				      &c->needs,  &c->activities,    &c->requires,       &c->sessions,
				      &c->venues, &c->text_concepts, &c->name_concepts,  &c->concept_words,
				      &c->stems,  &c->text_area,     &c->text_area_names};

	memcpy(bufs, all, sizeof(all));
}

void kith_load_columns_init(load_columns *c)
{
	kith_buf *bufs[COLUMN_BUFS];
	size_t i;

	memset(c, 0, sizeof(*c));
	column_bufs(c, bufs);
	for (i = 0; i < COLUMN_BUFS; i++)
		kith_buf_init(bufs[i], 0);
}

void kith_load_columns_release(load_columns *c)
{
	kith_buf *bufs[COLUMN_BUFS];
	size_t i;

	column_bufs(c, bufs);
	for (i = 0; i < COLUMN_BUFS; i++)
		kith_buf_release(bufs[i]);
}

/* ---- the content hash ------------------------------------------------------ */

static void put_field(kith_buf *b, const char *v)
{
	kith_buf_puts(b, v ? v : "\x01");
	kith_buf_putc(b, '\x1f');
}

static void put_list(kith_buf *b, const kith_strlist *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		kith_buf_puts(b, l->items[i]);
		kith_buf_putc(b, '\x1e');
	}
	kith_buf_putc(b, '\x1f');
}

static void put_number(kith_buf *b, double v)
{
	kith_buf_put(b, (const char *)&v, sizeof(v)); /* the bytes: only hashed, never read back */
}

/*
 * A 64-bit FNV-1a hash of every field in a fixed order, over its canonical
 * text in b.  It only tells whether a listing changed between loads, so it
 * need not be cryptographic.
 */
static int64_t group_hash(kith_buf *b, const kith_group *g, const kith_rules *rules)
{
	/* the rules count too: new rules rewrite the concepts of every group on the next load */
	uint64_t h = KITH_FNV_START ^ kith_rules_hash(rules);
	size_t i;

	put_field(b, g->name);
	put_field(b, g->organisation);
	put_field(b, g->description);
	put_field(b, g->updated);
	put_list(b, &g->needs);
	put_list(b, &g->activities);
	for (i = 0; i < g->venue_count; i++) {
		const kith_venue *v = &g->venues[i];
		put_field(b, v->address);
		put_field(b, v->postcode);
		put_number(b, v->point.known);
		put_number(b, v->point.lat);
		put_number(b, v->point.lon);
	}
	put_number(b, g->online);
	put_number(b, g->home_visits);
	put_number(b, g->home_radius_km);
	put_number(b, g->home_point.lat);
	put_number(b, g->home_point.lon);
	put_number(b, g->schedule_known);
	put_number(b, g->by_appointment);
	put_field(b, g->online_how);
	put_field(b, g->area);
	put_field(b, g->starts);
	put_field(b, g->ends);
	for (i = 0; i < g->session_count; i++) {
		put_number(b, g->sessions[i].day);
		put_number(b, g->sessions[i].start);
		put_number(b, g->sessions[i].end);
		put_number(b, g->sessions[i].weeks);
	}
	for (i = 0; i < KITH_ACCESS_COUNT; i++)
		kith_buf_putc(b, (char)('0' + g->access[i]));
	put_number(b, g->min_age);
	put_number(b, g->max_age);
	put_number(b, g->gender);
	put_number(b, g->referral_professional);
	put_number(b, g->cost_known);
	put_number(b, g->cost_free);
	put_number(b, g->cost_amount);
	put_number(b, g->cost_per);
	put_number(b, g->capacity);
	put_list(b, &g->requires);
	put_list(b, &g->languages);
	put_field(b, g->phone);
	put_field(b, g->email);
	put_field(b, g->web);
	return (int64_t)kith_fnv(h, b->ptr, b->size);
}

/* ---- concepts ---------------------------------------------------------------- */

/*
 * What the rules read in a group, scanned once: its name alone (who a group
 * is for) into named, name and description into text, and, into words and
 * mask, every concept it has: tagged, read or implied, strong enough to
 * count, as plain words ("loneliness walking football") and bits.
 */
static void concept_text(kith_buf *text, kith_buf *named, kith_buf *words, uint64_t *mask, kith_rules *rules,
			 const kith_group *g)
{
	kith_concepts name_set = {0}, set = {0}, all = {0};
	const kith_strlist *lists[2];
	const char *kinds[2] = {"need:", "activity:"};
	size_t i, j;

	kith_rules_scan(rules, g->name, &name_set);
	kith_concepts_write(named, &name_set);
	set = name_set;
	kith_rules_scan(rules, g->description, &set);
	kith_concepts_write(text, &set);
	lists[0] = &g->needs;
	lists[1] = &g->activities;
	for (i = 0; i < 2; i++) {
		for (j = 0; j < lists[i]->count; j++) {
			char id[96];
			size_t kind_len = strlen(kinds[i]), len = strlen(lists[i]->items[j]);
			if (kind_len + len >= sizeof(id))
				continue; /* no vocabulary id is that long */
			memcpy(id, kinds[i], kind_len);
			memcpy(id + kind_len, lists[i]->items[j], len + 1);
			kith_concepts_add(&all, id, 1.0, "");
		}
	}
	for (i = 0; i < set.count; i++)
		kith_concepts_add(&all, set.items[i].id, set.items[i].strength, "");
	kith_rules_imply(rules, &all);
	*mask = 0;
	for (i = 0; i < all.count; i++) {
		char w[64];
		if (all.items[i].strength < 0.5)
			continue;
		*mask |= kith_vocab_concept_bit(all.items[i].id);
		kith_tag_words(w, sizeof(w), strchr(all.items[i].id, ':') + 1);
		if (words->size)
			kith_buf_putc(words, ' ');
		kith_buf_puts(words, w);
	}
}

/* ---- lists and tokens ----------------------------------------------------------- */

static void join_list(kith_buf *b, const kith_strlist *l)
{
	size_t i;

	for (i = 0; i < l->count; i++) {
		if (i)
			kith_buf_putc(b, ' ');
		kith_buf_puts(b, l->items[i]);
	}
}

/* The tags as words ("walking football"), needs then activities. */
static void tag_words(kith_buf *b, const kith_group *g)
{
	const kith_strlist *lists[2] = {&g->needs, &g->activities};
	char words[128];
	size_t i, j;

	for (i = 0; i < 2; i++) {
		for (j = 0; j < lists[i]->count; j++) {
			kith_tag_words(words, sizeof(words), lists[i]->items[j]);
			if (b->size)
				kith_buf_putc(b, ' ');
			kith_buf_puts(b, words);
		}
	}
}

/* Appends one token, space-separated within a column ('|' separates columns). */
static int put_stem(void *ctx, const char *token, size_t n)
{
	kith_buf *b = ctx;

	if (b->size && b->ptr[b->size - 1] != '|')
		kith_buf_putc(b, ' ');
	return kith_buf_put(b, token, n) != 0;
}

/* Tokens in a stems string: runs of characters other than space and '|'. */
static size_t count_tokens(const char *p)
{
	size_t n = 0;
	int in = 0;

	for (; *p; p++) {
		int sep = *p == ' ' || *p == '|';
		n += !sep && !in;
		in = !sep;
	}
	return n;
}

int kith_load_derive(kith_loader *loader, const char *feed_id, const kith_group *g, load_columns *c, kith_error *err)
{
	kith_buf *bufs[COLUMN_BUFS];
	const char *fields[4];
	size_t i;
	int error = 0;

	column_bufs(c, bufs);
	for (i = 0; i < COLUMN_BUFS; i++)
		kith_buf_clear(bufs[i]);
	c->hash = group_hash(&c->canon, g, loader->rules);
	kith_buf_puts(&c->key, feed_id);
	kith_buf_putc(&c->key, '/');
	kith_buf_puts(&c->key, g->id);
	c->langs_mask = 0;
	for (i = 0; i < g->languages.count; i++)
		c->langs_mask |= kith_vocab_language_bit(g->languages.items[i]);
	join_list(&c->langs, &g->languages);
	if (!c->langs_mask)
		c->langs_mask = kith_vocab_language_bit("en");
	tag_words(&c->tag_words, g);
	join_list(&c->needs, &g->needs);
	join_list(&c->activities, &g->activities);
	join_list(&c->requires, &g->requires);
	kith_sessions_write(&c->sessions, g->sessions, g->session_count);
	kith_points_write(&c->venues, g->venues, g->venue_count);
	c->unlocated = 0;
	c->placeless = !g->online && !g->home_visits;
	for (i = 0; i < g->venue_count; i++) {
		c->unlocated += !g->venues[i].point.known;
		if (g->venues[i].point.known || g->venues[i].postcode)
			c->placeless = 0;
	}
	concept_text(&c->text_concepts, &c->name_concepts, &c->concept_words, &c->mask, loader->rules, g);
	if (!g->area) { /* an area served, its own or its feed's, says it formally */
		const kith_point *near = NULL;
		for (i = 0; i < g->venue_count && !near; i++)
			if (g->venues[i].point.known)
				near = &g->venues[i].point;
		kith_area_read_text(g->description, near ? near : &g->home_point, &c->text_area, &c->text_area_names);
	}
	fields[0] = g->name;
	fields[1] = g->organisation;
	fields[2] = g->description;
	fields[3] = c->tag_words.ptr;
	for (i = 0; i < 4; i++) {
		if (i)
			kith_buf_putc(&c->stems, '|');
		if (fields[i] &&
		    kith_stemmer_tokens(loader->stemmer, fields[i], strlen(fields[i]), put_stem, &c->stems) != 0 &&
		    !kith_buf_error(&c->stems))
			return kith_error_set(err, KITH_ERROR, "tokenizing group '%s'", g->id);
	}
	c->token_count = count_tokens(c->stems.ptr);
	for (i = 0; i < COLUMN_BUFS && !error; i++)
		error = kith_buf_error(bufs[i]);
	if (error)
		return kith_error_set(err, error, "group '%s': %s", g->id, kith_strerror(error));
	return 0;
}

static int count_term(void *ctx, const char *token, size_t n)
{
	return kith_term_counts_add(ctx, token, n) != 0;
}

/* FTS5 indexes the stems (name, organisation, description, tag words) and the concept words. */
int kith_load_count_terms(kith_loader *loader, const load_columns *c, kith_term_counts *terms, long long *tokens)
{
	const char *p = c->stems.ptr;

	kith_term_counts_next(terms);
	while (*p) {
		size_t n = strcspn(p, " |");
		if (n && kith_term_counts_add(terms, p, n) != 0)
			return KITH_ENOMEM;
		p += n;
		if (*p)
			p++;
	}
	if (c->concept_words.size &&
	    kith_stemmer_tokens(loader->stemmer, c->concept_words.ptr, c->concept_words.size, count_term, terms) != 0)
		return KITH_ENOMEM;
	*tokens += (long long)c->token_count;
	return 0;
}
