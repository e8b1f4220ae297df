/*
 * Telling two listings of one real-world group apart from two groups.
 *
 * Partners list the same shed or lunch club in their own words, so names
 * alone fail ("Rhymetime - Ludlow Library" and "Baby Rhyme Time at the
 * library").  Two listings are the same group when they meet at the same
 * place and agree on something else: name words, a contact, or a session.
 */
#ifndef KITH_DEDUP_H
#define KITH_DEDUP_H

#include <stddef.h>

#define KITH_DEDUP_MAX_SESSIONS 8

typedef struct kith_dedup_key {
	char words[256]; /* the name's distinctive words, normalised, space-separated */
	char place[256]; /* street and town words of its address: in a name they say where, not what */
	double lat, lon; /* first located venue */
	int has_point;
	int remote;        /* no place: taken part in by phone or online only, so where it is does not tell */
	char feed[64];     /* the feed that lists it, when known: a publisher lists a group once */
	char contact[128]; /* phone digits, else e-mail, else web host; may be empty */
	int sessions[KITH_DEDUP_MAX_SESSIONS]; /* day * 1440 + start */
	size_t session_count;
} kith_dedup_key;

/* Fills key->words from a group name. */
void kith_dedup_name(kith_dedup_key *key, const char *name);
/* Fills key->place from a venue address (NULL is fine). */
void kith_dedup_place(kith_dedup_key *key, const char *address);
/* Fills key->feed from a key "FEED/GROUP". */
void kith_dedup_feed(kith_dedup_key *key, const char *group_key);
/* Fills key->contact from the contact fields (any may be NULL). */
void kith_dedup_contact(kith_dedup_key *key, const char *phone, const char *email, const char *web);
/* 1 when a and b look like the same real-world group (never two listings of one known feed). */
int kith_dedup_same(const kith_dedup_key *a, const kith_dedup_key *b);

#endif
