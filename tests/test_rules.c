/*
 * The synonym rules: what a scan finds, checked against trying every rule
 * at every byte with PCRE2 directly, so the word-prefix shortcut in
 * kith_rules_scan can never lose a concept.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "support.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/embedded.h"
#include "text/rules.h"

/*
 * text with the typographic characters of the test texts written in ASCII,
 * as the rules read them (a no-break space is a space, a curly apostrophe
 * an apostrophe, a dash a hyphen, an ellipsis three dots); free() it.
 */
static char *plain(const char *text)
{
	static const char *const from[] = {"\xc2\xa0", "\xe2\x80\x99", "\xe2\x80\x93", "\xe2\x80\x94"};
	static const char to[] = {' ', '\'', '-', '-'};
	kith_buf b = KITH_BUF_INIT;
	size_t k;

	while (*text) {
		for (k = 0; k < sizeof(to); k++)
			if (strncmp(text, from[k], strlen(from[k])) == 0)
				break;
		if (k < sizeof(to)) {
			kith_buf_putc(&b, to[k]);
			text += strlen(from[k]);
		} else {
			kith_buf_putc(&b, *text++);
		}
	}
	return kith_buf_detach(&b);
}

/*
 * The reference: each rule line compiled on its own, searched anywhere
 * in the text (made plain first).  Returns how many distinct rule ids matched, and checks
 * each is in found.
 */
static size_t check_against_reference(const char *rules_text, const char *text, const kith_concepts *found)
{
	char *copy = strdup(rules_text), *line, *next, *ascii = plain(text);
	pcre2_match_data *md = pcre2_match_data_create(4, NULL);
	kith_concepts hits = {0};

	assert_non_null(copy);
	assert_non_null(md);
	for (line = copy; line; line = next) {
		char *eq, id[64], full[4096];
		pcre2_code *code;
		int err;
		PCRE2_SIZE off;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (*line == ' ')
			line++;
		if (!*line || *line == '#' || strncmp(line, "imply ", 6) == 0 || (eq = strchr(line, '=')) == NULL)
			continue;
		*eq = '\0';
		sscanf(line, "%63s", id);
		snprintf(full, sizeof(full), "(?<![\\w])(?:%s)(?![\\w])", eq + 1 + strspn(eq + 1, " "));
		code = pcre2_compile((PCRE2_SPTR)full, PCRE2_ZERO_TERMINATED, PCRE2_CASELESS | PCRE2_UTF | PCRE2_UCP,
				     &err, &off, NULL);
		assert_non_null(code);
		if (pcre2_match(code, (PCRE2_SPTR)ascii, strlen(ascii), 0, 0, md, NULL) > 0) {
			if (!kith_concepts_find(found, id))
				fail_msg("'%s' in \"%s\": the reference finds it, the scan does not", id, text);
			kith_concepts_add(&hits, id, 1.0, "");
		}
		pcre2_code_free(code);
	}
	pcre2_match_data_free(md);
	free(copy);
	free(ascii);
	return hits.count;
}

static const char *const texts[] = {
	"A friendly lunch club for older people who live alone; hot meal and company.",
	"Walking football for men over 50. Gentle pace, no experience needed!",
	/* non-breaking spaces, curly apostrophes, dashes and accents between words */
	"Carers\xc2\xa0"
	"support\xc2\xa0"
	"group \xe2\x80\x93 respite and a cuppa \xe2\x80\x94 women\xe2\x80\x99"
	"s aid",
	"Caf\xc3\xa9"
	" for people living with dementia; r\xc3\xa9"
	"sum\xc3\xa9"
	" help and CV clinic",
	"\xc2\xa0"
	"lonely?\xc2\xa0"
	"Feeling down?  Come to our choir\xe2\x80\xa6"
	"singing for wellbeing",
	"GARDENING & ALLOTMENT PROJECT (COMMUNITY GARDEN) - VOLUNTEERS WELCOME",
	"u3a: lectures, courses, IT help, ESOL; debt/benefits advice at 10am",
	"fit; ms; it; aa; pip; cv", /* short words at the end of phrases and texts */
	"x",
	"",
	"\xc3\xa9",
	"a-b-c_d'e",
};

static void test_scan_matches_reference(void **state)
{
	kith_rules *rules = NULL;
	kith_buf err = KITH_BUF_INIT;
	size_t i, total = 0;

	(void)state;
	assert_int_equal(kith_rules_compile(&rules, kith_default_synonyms, "synonyms.rules", &err), 0);
	/* twice: the second pass reads every prefix from what the first remembered */
	for (i = 0; i < 2 * sizeof(texts) / sizeof(texts[0]); i++) {
		kith_concepts found = {0};
		const char *text = texts[i % (sizeof(texts) / sizeof(texts[0]))];
		kith_rules_scan(rules, text, &found);
		assert_int_equal(check_against_reference(kith_default_synonyms, text, &found), found.count);
		total += found.count;
	}
	assert_true(total > 40); /* the texts do exercise the rules */
	kith_rules_free(rules);
	kith_buf_release(&err);
}

static void test_scan_quotes_evidence(void **state)
{
	kith_rules *rules = NULL;
	kith_buf err = KITH_BUF_INIT;
	kith_concepts found = {0};
	const kith_concept *c;

	(void)state;
	assert_int_equal(kith_rules_compile(&rules,
					    "need:loneliness = on (?:my|her) own|lonel\\w*\n"
					    "activity:music 0.8 = brass band\n",
					    "t.rules", &err),
			 0);
	kith_rules_scan(rules,
			"Since Mum died I am on my own and LONELY; I played in a Brass\xc2\xa0"
			"band",
			&found);
	assert_non_null(c = kith_concepts_find(&found, "need:loneliness"));
	assert_string_equal(c->evidence, "on my own");                     /* the first place it matched */
	assert_non_null(c = kith_concepts_find(&found, "activity:music")); /* a no-break space is a space */
	assert_string_equal(c->evidence, "Brass band");
	assert_true(c->strength > 0.79 && c->strength < 0.81);
	/* not inside words: "online" is not "on ...", "heartbrass band" starts mid-word */
	found.count = 0;
	kith_rules_scan(rules, "online heartbrass band", &found);
	assert_int_equal(found.count, 0);
	kith_rules_free(rules);
	kith_buf_release(&err);
}

/* Curly apostrophes (as phones type them) and dashes read as their ASCII forms. */
static void test_scan_reads_typography_as_ascii(void **state)
{
	kith_rules *rules = NULL;
	kith_buf err = KITH_BUF_INIT;
	kith_concepts found = {0};

	(void)state;
	assert_int_equal(kith_rules_compile(&rules, kith_default_synonyms, "synonyms.rules", &err), 0);
	kith_rules_scan(rules,
			"my husband\xe2\x80\x99"
			"s men\xe2\x80\x99"
			"s shed; the women\xe2\x80\x99"
			"s aid "
			"refuge; self\xe2\x80\x93"
			"esteem",
			&found);
	assert_non_null(kith_concepts_find(&found, "activity:mens-shed"));
	assert_non_null(kith_concepts_find(&found, "need:domestic-abuse"));
	assert_non_null(kith_concepts_find(&found, "need:confidence"));
	kith_rules_free(rules);
	kith_buf_release(&err);
}

/* The built-in rules read the ways people put their needs in their own words. */
static void test_everyday_phrasings(void **state)
{
	static const struct {
		const char *text, *concept;
	} cases[] = {
		{"I'm looking after my mum full time", "need:carer-support"},
		{"sofa surfing at a mate's since the summer", "need:housing"},
		{"want my own place", "need:housing"},
		{"struggling to pay the bills this winter", "need:money"},
		{"behind on the rent", "need:money"},
		{"nobody to talk to most days", "need:loneliness"},
		{"no-one to talk to", "need:loneliness"},
		{"I've been feeling really low since the winter", "need:low-mood"},
		{"I can't do my online banking", "need:digital-skills"},
		{"skipping meals to pay for the electric", "need:food"},
		{"Canu emynau. Gwau.", "activity:singing"}, /* Welsh: hymn singing, knitting */
		{"Canu emynau. Gwau.", "activity:knitting"},
		{"Mae hi'n unig ers colli ei gŵr", "need:loneliness"},
	};
	kith_rules *rules = NULL;
	kith_buf err = KITH_BUF_INIT;
	size_t i;

	(void)state;
	assert_int_equal(kith_rules_compile(&rules, kith_default_synonyms, "synonyms.rules", &err), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kith_concepts found = {0};
		kith_rules_scan(rules, cases[i].text, &found);
		if (!kith_concepts_find(&found, cases[i].concept))
			fail_msg("\"%s\" is not read as %s", cases[i].text, cases[i].concept);
	}
	kith_rules_free(rules);
	kith_buf_release(&err);
}

/*
 * Ordinary sentences from listings and people that must not become topics
 * (issue 11: a reason read aloud must be true), and the meant senses of
 * the same words that still must.
 */
static void test_common_words_are_not_topics(void **state)
{
	static const struct {
		const char *text, *concept;
		int found;
	} cases[] = {
		{"It meets in the church hall and it is free.", "need:digital-skills", 0},
		{"It meets in the church hall and it is free.", "activity:computers", 0},
		{"Line dancing at the Welfare Hall, £3 on the door.", "need:benefits", 0},
		{"Parking in the car park behind the hall.", "activity:nature", 0},
		{"A relaxed, friendly group.", "need:anxiety", 0},
		{"At the Castle Street Centre.", "activity:heritage", 0},
		{"Ms Jones leads the group.", "condition:ms", 0},
		{"A flat, level route along the canal.", "need:housing", 0},
		{"We have a fully equipped kitchen.", "activity:cooking", 0},
		{"Anne trains our volunteers; near the station.", "activity:heritage", 0},
		{"I fell last winter and lost my nerve.", "activity:walking", 0},
		{"Our theatre company meets on Fridays.", "need:loneliness", 0},
		{"What suits you best.", "activity:sewing", 0},
		{"I have MS and use a wheelchair.", "condition:ms", 1},
		{"Free IT help for older people.", "need:digital-skills", 1},
		{"My flat is damp and the landlord won't fix it.", "need:housing", 1},
		{"I miss the company since my wife died.", "need:loneliness", 1},
		{"Gentle walks in Hergest Park.", "activity:nature", 1},
		{"Tea and talks by local speakers.", "activity:lectures", 1},
		/* who a listing is for, in its words */
		{"Volunteers for families with children under 5.", "for:new-parent", 1},
		{"Singing for people living with dementia and their carers.", "for:dementia", 1},
		{"A welcome for refugees and asylum seekers.", "for:refugee", 1},
		{"A weekly drop-in for Slovak, Czech and Roma families.", "for:community", 1},
		{"Armed Forces & Veterans Breakfast Club", "for:veteran", 1},
		{"Tea for anyone who likes a natter.", "for:new-parent", 0},
	};
	kith_rules *rules = NULL;
	kith_buf err = KITH_BUF_INIT;
	size_t i;

	(void)state;
	assert_int_equal(kith_rules_compile(&rules, kith_default_synonyms, "synonyms.rules", &err), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kith_concepts found = {0};
		kith_rules_scan(rules, cases[i].text, &found);
		if ((kith_concepts_find(&found, cases[i].concept) != NULL) != cases[i].found)
			fail_msg("\"%s\" %s read as %s", cases[i].text, cases[i].found ? "is not" : "is",
				 cases[i].concept);
	}
	/* a friendly manner is a little evidence of company, never enough to be said */
	{
		kith_concepts found = {0};
		const kith_concept *k;
		kith_rules_scan(rules, "Free, friendly and welcoming debt advice.", &found);
		k = kith_concepts_find(&found, "need:loneliness");
		assert_true(!k || k->strength < 0.5);
	}
	kith_rules_free(rules);
	kith_buf_release(&err);
}

/* A rule that starts on punctuation is still found where no word starts. */
static void test_scan_rule_starting_off_word(void **state)
{
	kith_rules *rules = NULL;
	kith_buf err = KITH_BUF_INIT;
	kith_concepts found = {0};

	(void)state;
	assert_int_equal(kith_rules_compile(&rules, "activity:music = \\#choir\n", "t.rules", &err), 0);
	kith_rules_scan(rules, "join our #choir today", &found);
	assert_non_null(kith_concepts_find(&found, "activity:music"));
	kith_rules_free(rules);
	kith_buf_release(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_matches_reference),
		cmocka_unit_test(test_scan_quotes_evidence),
		cmocka_unit_test(test_scan_reads_typography_as_ascii),
		cmocka_unit_test(test_everyday_phrasings),
		cmocka_unit_test(test_scan_rule_starting_off_word),
		cmocka_unit_test(test_common_words_are_not_topics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
