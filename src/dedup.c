/*
 * Duplicate listings (see dedup.h).
 */
#include "dedup.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "geo.h"

#define SAME_PLACE_KM 0.25

/* Words that say nothing about which group it is. */
static const char *const filler[] = {
	"the", "a", "an", "at", "of", "for", "and", "in", "on", "to", "with", "s", "group", "club",
	"session", "sessions", "meeting", "centre", "center", "weekly", "monthly",
};

static int is_filler(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(filler) / sizeof(filler[0]); i++)
		if (strlen(filler[i]) == n && memcmp(filler[i], w, n) == 0)
			return 1;
	return 0;
}

void kith_dedup_name(kith_dedup_key *key, const char *name)
{
	char word[64];
	size_t used = 0, n = 0;
	const char *p = name ? name : "";

	key->words[0] = '\0';
	for (;; p++) {
		if (*p && (isalnum((unsigned char)*p) || ((unsigned char)*p & 0x80))) {
			if (n + 1 < sizeof(word))
				word[n++] = (char)tolower((unsigned char)*p);
			continue;
		}
		if (n && !is_filler(word, n) && used + n + 2 < sizeof(key->words)) {
			if (used)
				key->words[used++] = ' ';
			memcpy(key->words + used, word, n);
			used += n;
			key->words[used] = '\0';
		}
		n = 0;
		if (!*p)
			break;
	}
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
static size_t shared_words(const char *a, const char *b, size_t *count_a, size_t *count_b)
{
	size_t shared = 0;
	const char *p, *q;

	*count_a = *count_b = 0;
	for (q = b; *q;) {
		while (*q == ' ')
			q++;
		if (*q)
			(*count_b)++;
		while (*q && *q != ' ')
			q++;
	}
	for (p = a; *p;) {
		size_t n;
		int found = 0;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		n = strcspn(p, " ");
		(*count_a)++;
		for (q = b; *q && !found;) {
			size_t m;
			while (*q == ' ')
				q++;
			m = strcspn(q, " ");
			if (m && n >= 4 && m >= 4 && (strncmp(p, q, n < m ? n : m) == 0))
				found = 1;
			else if (m == n && strncmp(p, q, n) == 0)
				found = 1;
			q += m;
		}
		shared += found;
		p += n;
	}
	return shared;
}

int kith_dedup_same(const kith_dedup_key *a, const kith_dedup_key *b)
{
	size_t na, nb, shared, i, j;
	int same_session = 0;

	if (!a->has_point || !b->has_point ||
	    kith_geo_distance_km(a->lat, a->lon, b->lat, b->lon) > SAME_PLACE_KM)
		return 0;
	if (a->contact[0] && strcmp(a->contact, b->contact) == 0)
		return 1;
	for (i = 0; i < a->session_count && !same_session; i++)
		for (j = 0; j < b->session_count; j++)
			if (a->sessions[i] == b->sessions[j])
				same_session = 1;
	/* two listings that both give times, and never the same one, are two groups */
	if (a->session_count && b->session_count && !same_session)
		return 0;
	shared = shared_words(a->words, b->words, &na, &nb);
	/* at one place, a shared session time and one shared name word, or half the words */
	if (same_session && shared >= 1)
		return 1;
	return shared >= 2 && 2 * shared >= (na < nb ? na : nb);
}
