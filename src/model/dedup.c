/*
 * Duplicate listings (see dedup.h).
 */
#include "model/dedup.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "model/geo.h"
#include "text/words.h"

#define SAME_PLACE_KM 0.25

/* Words that say nothing about which group it is. */
static const char *const filler[] = {
	"the", "a",     "an",   "at",      "of",       "for",     "and",    "in",     "on",     "to",      "with",
	"s",   "group", "club", "session", "sessions", "meeting", "centre", "center", "weekly", "monthly",
};

static int is_filler(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(filler) / sizeof(filler[0]); i++)
		if (strlen(filler[i]) == n && memcmp(filler[i], w, n) == 0)
			return 1;
	return 0;
}

/* Normalised distinctive words of text into out (size bytes). */
static void words_of(char *out, size_t size, const char *text)
{
	char word[64];
	size_t used = 0, n = 0;
	const char *p = text ? text : "";

	out[0] = '\0';
	for (;; p++) {
		if (*p && (isalnum((unsigned char)*p) || ((unsigned char)*p & 0x80))) {
			if (n + 1 < sizeof(word))
				word[n++] = (char)tolower((unsigned char)*p);
			continue;
		}
		if (n && !is_filler(word, n) && used + n + 2 < size) {
			if (used)
				out[used++] = ' ';
			memcpy(out + used, word, n);
			used += n;
			out[used] = '\0';
		}
		n = 0;
		if (!*p)
			break;
	}
}

void kith_dedup_name(kith_dedup_key *key, const char *name)
{
	words_of(key->words, sizeof(key->words), name);
}

void kith_dedup_place(kith_dedup_key *key, const char *address)
{
	const char *p = address ? address : "", *from = p;
	int commas = 0;

	/* the street and town: the building's own name ("The Shed, ...") can be the group's too */
	for (p = address ? address + strlen(address) : p; p > from; p--) {
		if (p[-1] == ',' && ++commas == 2)
			break;
	}
	words_of(key->place, sizeof(key->place), p);
}

void kith_dedup_contact(kith_dedup_key *key, const char *phone, const char *email, const char *web)
{
	size_t n = 0;

	key->contact[0] = '\0';
	if (phone) {
		for (; *phone && n + 1 < sizeof(key->contact); phone++)
			if (isdigit((unsigned char)*phone))
				key->contact[n++] = *phone;
		key->contact[n] = '\0';
		if (n >= 6)
			return;
	}
	if (email && *email) {
		snprintf(key->contact, sizeof(key->contact), "%s", email);
		return;
	}
	if (web && *web) {
		const char *h = strstr(web, "://");
		snprintf(key->contact, sizeof(key->contact), "%s", h ? h + 3 : web);
	}
}

/* Shared words, where a word also matches a longer one it starts ("rhyme" ~ "rhymetime"). */
static size_t shared_words(const kith_dedup_key *ka, const kith_dedup_key *kb, size_t *count_a, size_t *count_b)
{
	const char *a = ka->words, *p, *q, *b;
	size_t shared = 0, n, m;

	*count_a = *count_b = 0;
	for (b = kb->words; kith_word_next(&b, &m) != NULL;)
		(*count_b)++;
	while ((p = kith_word_next(&a, &n)) != NULL) {
		int found = 0;
		if (kith_word_in(ka->place, p, n) || kith_word_in(kb->place, p, n))
			continue; /* a place name says where, not which group */
		(*count_a)++;
		for (b = kb->words; !found && (q = kith_word_next(&b, &m)) != NULL;)
			found = (n >= 4 && m >= 4 && strncmp(p, q, n < m ? n : m) == 0) ||
				(m == n && strncmp(p, q, n) == 0);
		shared += found;
	}
	return shared;
}

void kith_dedup_feed(kith_dedup_key *key, const char *group_key)
{
	snprintf(key->feed, sizeof(key->feed), "%.*s", (int)strcspn(group_key, "/"), group_key);
}

int kith_dedup_same(const kith_dedup_key *a, const kith_dedup_key *b)
{
	size_t na, nb, shared, i, j;
	int same_session = 0;

	if (a->feed[0] && strcmp(a->feed, b->feed) == 0)
		return 0; /* a publisher lists a group once: two of its listings are two groups */
	if (a->remote && b->remote) {
		/* a telephone or online service has no place: one number and a word of its name say which it is */
		shared = shared_words(a, b, &na, &nb);
		return a->contact[0] && strcmp(a->contact, b->contact) == 0 && shared >= 1;
	}
	if (!a->has_point || !b->has_point || kith_geo_distance_km(a->lat, a->lon, b->lat, b->lon) > SAME_PLACE_KM) {
		return 0;
	}
	if (a->contact[0] && strcmp(a->contact, b->contact) == 0)
		return 1;
	for (i = 0; i < a->session_count && !same_session; i++)
		for (j = 0; j < b->session_count; j++)
			if (a->sessions[i] == b->sessions[j])
				same_session = 1;
	/* two listings that both give times, and never the same one, are two groups */
	if (a->session_count && b->session_count && !same_session)
		return 0;
	shared = shared_words(a, b, &na, &nb);
	/* at one place, a shared session time and one shared name word, or half the words */
	if (same_session && shared >= 1)
		return 1;
	return shared >= 2 && 2 * shared >= (na < nb ? na : nb);
}
