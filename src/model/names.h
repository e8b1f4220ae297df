/*
 * The names of the model's enums, one table each: as feeds, profiles and
 * the index's columns spell them ("waiting-list"), and as explanations say
 * them in plain words ("a week", "women").  Every reader and writer of a
 * name goes through here, so a name is spelt in one place.
 */
#ifndef KITH_NAMES_H
#define KITH_NAMES_H

#include "model/model.h"

/* "any", "female", "male", "other". */
const char *kith_gender_name(kith_gender g);
/* "everyone", "women", "men", "other". */
const char *kith_gender_people(kith_gender g);
/* The gender name spells into *out: 0, or -1 (NULL or no such name) with *out unchanged. */
int kith_gender_parse(const char *name, kith_gender *out);

/* "session", "week", "month", "course". */
const char *kith_cost_per_name(kith_cost_per per);
/* "a session", "a week", "a month", "for the course". */
const char *kith_cost_per_phrase(kith_cost_per per);
/* As kith_gender_parse(). */
int kith_cost_per_parse(const char *name, kith_cost_per *out);

/* "open", "waiting-list", "closed". */
const char *kith_capacity_name(kith_capacity c);
/* As kith_gender_parse(). */
int kith_capacity_parse(const char *name, kith_capacity *out);

/* "low", "normal", "high". */
const char *kith_priority_name(kith_priority p);
/* As kith_gender_parse(). */
int kith_priority_parse(const char *name, kith_priority *out);

/* An access fact's attribute name ("wheelchair", "step-free", ...), in KITH_ACCESS_* order. */
const char *kith_access_name(int fact);
/* What it gives a person ("wheelchair access", "a hearing loop", ...). */
const char *kith_access_phrase(int fact);

/* "yes" is KITH_TRI_YES, "no" KITH_TRI_NO, anything else (NULL too) unknown. */
kith_tri kith_tri_parse(const char *name);

/* "self", "professional": who may refer someone (1 when only a professional may). */
const char *kith_referral_name(int professional);
/* 1 for "professional", 0 otherwise. */
int kith_referral_parse(const char *name);

/* A language's English name from its ISO 639-1 code ("pa" -> "Punjabi"); the code itself when unknown. */
const char *kith_language_name(const char *code);

#endif
