/*
 * The names of the model's enums (see names.h).
 */
#include "model/names.h"

#include <string.h>

#include "kith/vocab.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *const gender_names[] = {"any", "female", "male", "other"};
static const char *const gender_people[] = {"everyone", "women", "men", "other"};
static const char *const cost_per_names[] = {"session", "week", "month", "course"};
static const char *const cost_per_phrases[] = {"a session", "a week", "a month", "for the course"};
static const char *const capacity_names[] = {"open", "waiting-list", "closed", "unknown"};
static const char *const priority_names[] = {"low", "normal", "high"};
static const char *const access_names[KITH_ACCESS_COUNT] = {
	"wheelchair", "step-free", "hearing-loop", "accessible-toilet", "parking", "public-transport",
};
static const char *const access_phrases[KITH_ACCESS_COUNT] = {
	"wheelchair access",    "step-free access", "a hearing loop",
	"an accessible toilet", "parking",          "public transport",
};

/* The index of name in names[0..count), or -1. */
static int find(const char *const *names, size_t count, const char *name)
{
	size_t i;

	for (i = 0; name && i < count; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return -1;
}

/* names[i], or "" when i is out of range (a value no table names). */
static const char *name_of(const char *const *names, size_t count, int i)
{
	return i >= 0 && (size_t)i < count ? names[i] : "";
}

const char *kith_gender_name(kith_gender g)
{
	return name_of(gender_names, COUNT(gender_names), (int)g);
}

const char *kith_gender_people(kith_gender g)
{
	return name_of(gender_people, COUNT(gender_people), (int)g);
}

int kith_gender_parse(const char *name, kith_gender *out)
{
	int i = find(gender_names, COUNT(gender_names), name);

	if (i < 0)
		return -1;
	*out = (kith_gender)i;
	return 0;
}

const char *kith_cost_per_name(kith_cost_per per)
{
	return name_of(cost_per_names, COUNT(cost_per_names), (int)per);
}

const char *kith_cost_per_phrase(kith_cost_per per)
{
	return name_of(cost_per_phrases, COUNT(cost_per_phrases), (int)per);
}

int kith_cost_per_parse(const char *name, kith_cost_per *out)
{
	int i = find(cost_per_names, COUNT(cost_per_names), name);

	if (i < 0)
		return -1;
	*out = (kith_cost_per)i;
	return 0;
}

const char *kith_capacity_name(kith_capacity c)
{
	return name_of(capacity_names, COUNT(capacity_names), (int)c);
}

int kith_capacity_parse(const char *name, kith_capacity *out)
{
	int i = find(capacity_names, COUNT(capacity_names), name);

	if (i < 0)
		return -1;
	*out = (kith_capacity)i;
	return 0;
}

const char *kith_priority_name(kith_priority p)
{
	return name_of(priority_names, COUNT(priority_names), (int)p);
}

int kith_priority_parse(const char *name, kith_priority *out)
{
	int i = find(priority_names, COUNT(priority_names), name);

	if (i < 0)
		return -1;
	*out = (kith_priority)i;
	return 0;
}

const char *kith_access_name(int fact)
{
	return name_of(access_names, KITH_ACCESS_COUNT, fact);
}

const char *kith_access_phrase(int fact)
{
	return name_of(access_phrases, KITH_ACCESS_COUNT, fact);
}

kith_tri kith_tri_parse(const char *name)
{
	if (name && strcmp(name, "yes") == 0)
		return KITH_TRI_YES;
	if (name && strcmp(name, "no") == 0)
		return KITH_TRI_NO;
	return KITH_TRI_UNKNOWN;
}

const char *kith_referral_name(int professional)
{
	return professional ? "professional" : "self";
}

int kith_referral_parse(const char *name)
{
	return name && strcmp(name, "professional") == 0;
}

static const kith_vocab_term language_names[] = {
	{"en", "English"},   {"cy", "Welsh"},    {"gd", "Gaelic"},     {"pl", "Polish"},     {"pa", "Punjabi"},
	{"ur", "Urdu"},      {"hi", "Hindi"},    {"bn", "Bengali"},    {"gu", "Gujarati"},   {"ar", "Arabic"},
	{"so", "Somali"},    {"ro", "Romanian"}, {"lt", "Lithuanian"}, {"pt", "Portuguese"}, {"es", "Spanish"},
	{"fr", "French"},    {"zh", "Chinese"},  {"ku", "Kurdish"},    {"fa", "Persian"},    {"ti", "Tigrinya"},
	{"uk", "Ukrainian"}, {"ru", "Russian"},  {"tr", "Turkish"},    {"it", "Italian"},    {"de", "German"},
	{"bg", "Bulgarian"}, {"ta", "Tamil"},    {"ps", "Pashto"},     {"sq", "Albanian"},   {"yo", "Yoruba"},
};

const char *kith_language_name(const char *code)
{
	size_t i;

	for (i = 0; i < COUNT(language_names); i++)
		if (strcmp(language_names[i].id, code) == 0)
			return language_names[i].covers;
	return code;
}

const kith_vocab_term *kith_vocab_languages(size_t *count)
{
	*count = COUNT(language_names);
	return language_names;
}
