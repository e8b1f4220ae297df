/*
 * Scoring a candidate (see match_int.h): ten factors, each in [0, 1],
 * times its weight and rounded to 3 places, so the parts shown add up to
 * the score; with an explain, each factor's sentence and the cautions a
 * link worker should say aloud.
 */
#include "match/match_int.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model/names.h"
#include "model/schedule.h"
#include "text/vocab.h"
#include "text/words.h"

#define STALE_DAYS 365
#define KITH_DISTANCE_STEEPNESS 4.0
#define KITH_TEXT_SHARE 0.6  /* of the interests factor that comes from BM25 rather than the rules */
#define SPECIFIC_NAME 0.6    /* name_rarity from which a word of the interests in a name is a specific match */
#define SHARED_PASSION 0.6   /* what a group around the person's passion does for loneliness and purpose */
#define TEXT_AREA_MISS 0.3   /* needs and interests of a group whose words say it is for people elsewhere */
#define SPECIALIST_ASIDE 0.4 /* a need a specialist service's words touch on, when it is not for theirs */

/* What a group is about: its tags, what its words say, and what those imply. */
static void group_concepts(const kith_matcher *m, const cand *c, kith_concepts *set, kith_concepts *named)
{
	const char *lists[2] = {c->needs, c->activities};
	const char *kinds[2] = {"need:", "activity:"};
	kith_concepts text = {0};
	size_t i, k;

	set->count = 0;
	for (k = 0; k < 2; k++) {
		const char *p = lists[k], *tag;
		size_t n;
		while ((tag = kith_word_next(&p, &n)) != NULL) {
			char id[64];
			if (n + strlen(kinds[k]) < sizeof(id)) {
				snprintf(id, sizeof(id), "%s%.*s", kinds[k], (int)n, tag);
				kith_concepts_add(set, id, 1.0, "tag");
			}
		}
	}
	named->count = 0;
	if (m->precomputed) {
		kith_concepts_read(named, c->name_concepts);
		kith_concepts_read(&text, c->text_concepts);
	} else {
		kith_rules_scan(m->rules, c->name, named);
		for (i = 0; i < named->count; i++)
			kith_concepts_add(&text, named->items[i].id, named->items[i].strength,
					  named->items[i].evidence);
		kith_rules_scan(m->rules, c->description, &text);
	}
	/* words in a listing are weaker evidence than the publisher's own tags */
	for (i = 0; i < text.count; i++)
		kith_concepts_add(set, text.items[i].id, 0.85 * text.items[i].strength, text.items[i].evidence);
	kith_rules_imply(m->rules, set);
}

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

static void caution(explain *e, const char *text)
{
	if (e)
		kith_buf_printf(&e->cautions, "%s\n", text);
}

/* 1 when its name is a rare word of the person's interests and it meets as a group, in person. */
static int shares_passion(const cand *c)
{
	return c->name_rarity >= SPECIFIC_NAME && c->in_person && c->session_count > 0;
}

/* Needs a service is for, not a side of it: a debt adviser may be kind, but kindness is not what it offers. */
static int specialist_need(const char *id, size_t n)
{
	static const char *const specialist[] = {"money",         "benefits",       "housing",   "employment",
						 "substance-use", "domestic-abuse", "parenting", "english-language"};
	size_t i;

	for (i = 0; i < sizeof(specialist) / sizeof(specialist[0]); i++)
		if (strlen(specialist[i]) == n && memcmp(specialist[i], id, n) == 0)
			return 1;
	return 0;
}

/*
 * 1 when the publisher tagged the group only with specialist needs (and
 * needs outside the vocabulary), none of them the person's: then what its
 * words say about loneliness or mood is how it works, not what it is for.
 */
static int specialist_for_others(const query *q, const cand *c)
{
	const char *p = c->needs, *tag;
	size_t n, i;
	int specialist = 0;

	while ((tag = kith_word_next(&p, &n)) != NULL) {
		char id[64];
		snprintf(id, sizeof(id), "%.*s", (int)n, tag);
		if (specialist_need(tag, n))
			specialist = 1;
		else if (kith_vocab_find(KITH_VOCAB_NEED, id) != NULL)
			return 0;
	}
	for (i = 0; specialist && i < q->need_count; i++)
		if (kith_word_in(c->needs, q->need_id[i], strlen(q->need_id[i])))
			return 0;
	return specialist;
}

/* aside: the group is a specialist service for needs not theirs (its other needs count for less) */
static double score_needs(const query *q, const kith_concepts *g, cand *c, int aside, explain *e)
{
	double total = 0, got = 0, best = 0, wmax = 0;
	size_t i, hits = 0;
	const char *names[32];

	for (i = 0; i < q->need_count; i++)
		if (q->need_weight[i] > wmax)
			wmax = q->need_weight[i];
	for (i = 0; i < q->need_count; i++) {
		char id[64];
		const kith_concept *k;
		double s;
		snprintf(id, sizeof(id), "need:%s", q->need_id[i]);
		k = kith_concepts_find(g, id);
		s = k ? k->strength : 0;
		if (aside)
			s *= SPECIALIST_ASIDE;
		/* a group that meets around what they love is company and purpose, said or not */
		if (s < SHARED_PASSION && shares_passion(c) &&
		    (strcmp(q->need_id[i], "loneliness") == 0 || strcmp(q->need_id[i], "purpose") == 0))
			s = SHARED_PASSION;
		total += q->need_weight[i];
		got += q->need_weight[i] * s;
		if (q->need_weight[i] / wmax * s > best)
			best = q->need_weight[i] / wmax * s;
		if (s >= 0.5) {
			c->aspects |= 1u << (i & 31);
			if (hits < 32)
				names[hits++] = q->need_id[i];
		}
	}
	if (!total)
		return 0;
	if (e) {
		if (!hits) {
			kith_buf_puts(&e->text[KITH_F_NEEDS], "does not say it helps with your needs");
		} else {
			const char *main_need = q->pt->need_count && q->pt->needs[0].priority == KITH_PRIORITY_HIGH
							? q->pt->needs[0].id
							: NULL;
			kith_buf_puts(&e->text[KITH_F_NEEDS], "helps with ");
			for (i = 0; i < hits; i++) {
				const kith_vocab_term *t = kith_vocab_find(KITH_VOCAB_NEED, names[i]);
				char item[96];
				snprintf(item, sizeof(item), "%s%s", t ? t->covers : names[i],
					 main_need && strcmp(names[i], main_need) == 0 ? " (your main need)" : "");
				kith_match_put_item(&e->text[KITH_F_NEEDS], i, hits, item);
			}
		}
	}
	/* half for covering the most important need well, half for covering them all */
	return clamp01(0.5 * best + 0.5 * got / total);
}

static double score_interests(const query *q, const kith_concepts *g, double text, cand *c, explain *e)
{
	double best[3] = {0, 0, 0}, concept;
	int named_passion = 0;
	size_t i, hits = 0;
	char words[8][96];

	for (i = 0; i < q->interests.count; i++) {
		const kith_concept *p = &q->interests.items[i], *k;
		double s;
		if (strncmp(p->id, "activity:", 9) != 0 || p->strength <= 0)
			continue;
		k = kith_concepts_find(g, p->id);
		s = k ? p->strength * k->strength : 0;
		if (s > best[0]) {
			best[2] = best[1];
			best[1] = best[0];
			best[0] = s;
		} else if (s > best[1]) {
			best[2] = best[1];
			best[1] = s;
		} else if (s > best[2]) {
			best[2] = s;
		}
		if (s >= 0.4) {
			c->aspects |= 1u << ((16 + i) & 31);
			if (hits < 8) {
				const char *id = strchr(p->id, ':') + 1;
				char label[48];
				kith_tag_words(label, sizeof(label), id);
				if (strcmp(p->evidence, label) != 0 && strcmp(p->evidence, id) != 0)
					snprintf(words[hits], sizeof(words[0]), "%s ('%s')", label, p->evidence);
				else
					snprintf(words[hits], sizeof(words[0]), "%s", label);
				hits++;
			}
		}
	}
	concept = clamp01(best[0] + 0.35 * best[1] + 0.15 * best[2]);
	if (c->name_rarity >= SPECIFIC_NAME && concept < 1.0) {
		/* its name is a rare word of theirs ("Bell Ringers" for "I rang the bells"): what they asked for */
		concept = 1.0;
		named_passion = 1;
	}
	if (e) {
		kith_buf *b = &e->text[KITH_F_INTERESTS];
		if (hits) {
			kith_buf_puts(b, "matches your interests: ");
			for (i = 0; i < hits; i++)
				kith_match_put_item(b, i, hits, words[i]);
		} else if (named_passion) {
			kith_buf_puts(b, "its name matches words of your interests");
		} else if (!q->has_interests) {
			/* with no interests the words searched are the needs' own */
			kith_buf_puts(b, text > 0.3 ? "no interests given; its listing uses the words of your needs"
						    : "no interests given");
		} else if (text > 0.3 && c->interest_terms_met) {
			kith_buf_puts(b, "its listing shares words with your interests");
		} else if (text > 0.3) {
			kith_buf_puts(b, "no link to your interests found; its listing uses the words of your needs");
		} else {
			kith_buf_puts(b, "no link to your interests found");
		}
	}
	/* the rules know meanings; BM25 knows the words the rules lack */
	return clamp01((1.0 - KITH_TEXT_SHARE) * concept + KITH_TEXT_SHARE * text);
}

/* 1 when only a venue near the limit, measured from a district's centre, puts the group in reach. */
static int reach_uncertain(const query *q, const cand *c)
{
	return c->in_person && c->distance >= 0 && q->home_approx && q->has_limit && !c->by_online && !c->by_home &&
	       c->distance > q->limit - q->home_margin;
}

static double score_distance(const query *q, const cand *c, explain *e)
{
	/* for someone who can get out, meeting people in person is the point; at home, it is all there is */
	double s = 0, remote = q->pt->housebound ? 0.9 : 0.45;
	kith_buf *b = e ? &e->text[KITH_F_DISTANCE] : NULL;

	if (reach_uncertain(q, c)) {
		/* measured from the district's centre or the sector's venues: near the limit, the real home may be
		 * beyond */
		char msg[200];
		snprintf(msg, sizeof(msg),
			 "%.1f km from %s, near their %g km: from their home it may be further, check the journey",
			 c->distance, q->home_from, q->limit);
		caution(e, msg);
	}
	if (c->in_person && c->distance >= 0) {
		/* anything within reach is feasible; nearer is better, and matters more without a car */
		double x = c->distance / (q->no_car ? 0.5 * q->limit : q->limit);
		s = 1.0 / (1.0 + KITH_DISTANCE_STEEPNESS * x * x);
		if (b)
			kith_buf_printf(b, "%.1f km away%s", c->distance,
					q->has_limit ? (c->distance <= 0.5 * q->limit ? ", well within your limit"
										      : ", within your limit")
						     : "");
	} else if (c->in_person) {
		s = 0.4;
		if (b)
			kith_buf_puts(b, "distance unknown");
		caution(e, c->placeless        ? "where it meets is not listed; it serves your area: ask where"
			   : q->pt->home.known ? "venue location not given: check how far it is"
					       : "no home location given: check how far it is");
	}
	if (c->by_home && (q->pt->housebound ? 1.0 : 0.5) > s) {
		s = q->pt->housebound ? 1.0 : 0.5;
		if (b) {
			kith_buf_clear(b);
			kith_buf_puts(b, "comes to you: home visits reach your home");
		}
	}
	if (c->by_online && remote > s) {
		s = remote;
		if (b) {
			kith_buf_clear(b);
			kith_buf_printf(b, "join %s from home",
					c->online_how && *c->online_how ? c->online_how : "online or by phone");
		}
	}
	return s;
}

static double score_availability(const query *q, const cand *c, explain *e)
{
	const kith_patient *pt = q->pt;
	kith_buf *b = e ? &e->text[KITH_F_AVAILABILITY] : NULL;
	size_t i, fits = 0;
	double quality = 0, s;

	if (c->starts != LONG_MIN && c->starts > q->today) {
		char msg[96];
		snprintf(msg, sizeof(msg), "starts on %s", c->starts_text);
		caution(e, msg);
	}
	if (c->by_appointment) {
		if (b)
			kith_buf_puts(b, "by appointment, at a time to suit you");
		s = 1.0;
	} else if (!c->schedule_known || !c->session_count) {
		if (b)
			kith_buf_puts(b, "times not listed");
		caution(e, "times not listed: phone to check when it meets");
		s = 0.5;
	} else if (!pt->has_availability) {
		if (b) {
			kith_buf_puts(b, "meets ");
			for (i = 0; i < c->session_count && i < 3; i++) {
				kith_buf_printf(b, "%s%s ", i ? ", " : "", kith_day_long(c->sessions[i].day));
				kith_match_put_time(b, c->sessions[i].start);
			}
		}
		s = 1.0;
	} else {
		size_t shown = 0;
		if (b)
			kith_buf_puts(b, "");
		for (i = 0; i < c->session_count; i++) {
			int overlap = kith_session_overlap(&c->sessions[i], pt->windows, pt->window_count, 1);
			int len = c->sessions[i].end - c->sessions[i].start;
			if (overlap < MIN_OVERLAP)
				continue;
			fits++;
			quality += len > 0 ? (double)overlap / len : 1.0;
			if (b && shown < 3) {
				kith_buf_printf(b, "%s%s ", shown ? ", " : "", kith_day_long(c->sessions[i].day));
				kith_match_put_time(b, c->sessions[i].start);
				kith_buf_putc(b, '-');
				kith_match_put_time(b, c->sessions[i].end);
				shown++;
			}
		}
		if (b)
			kith_buf_puts(b, fits == 1 ? " fits when you are free" : " fit when you are free");
		s = fits ? 0.5 + 0.5 * (0.5 * (double)fits / c->session_count + 0.5 * quality / fits) : 0;
		if (fits < c->session_count && b)
			kith_buf_printf(b, " (%zu of its %zu sessions)", fits, c->session_count);
	}
	if (c->starts != LONG_MIN && c->starts > q->today + 30)
		s *= 0.7; /* a long wait before it starts */
	return s;
}

static double score_cost(const query *q, const cand *c, explain *e)
{
	kith_buf *b = e ? &e->text[KITH_F_COST] : NULL;
	double budget = q->pt->max_per_session;

	if (!c->cost_known) {
		if (b)
			kith_buf_puts(b, "cost not listed");
		caution(e, "cost not listed: ask before going");
		return 0.6;
	}
	if (c->cost_free) {
		if (b)
			kith_buf_puts(b, "free");
		return 1.0;
	}
	if (b) {
		kith_match_put_money(b, c->cost_amount);
		kith_buf_printf(b, " %s", kith_cost_per_phrase(c->cost_per));
		if (budget >= 0) {
			kith_buf_puts(b, ", within your ");
			kith_match_put_money(b, budget);
		}
	}
	if (budget > 0)
		return clamp01(1.0 - 0.5 * c->cost_amount / budget);
	return clamp01(1.0 - c->cost_amount / 20.0);
}

static double score_freshness(const query *q, const cand *c, explain *e)
{
	kith_buf *b = e ? &e->text[KITH_F_FRESHNESS] : NULL;
	long age = c->updated >= 0 ? q->today - c->updated : -1;

	if (age < 0) {
		if (b)
			kith_buf_puts(b, c->updated >= 0 ? "listing checked recently" : "no date on the listing");
		if (c->updated < 0)
			caution(e, "the listing has no date: phone to check it still runs");
		return c->updated >= 0 ? 1.0 : 0.5;
	}
	if (b) {
		if (age < 60)
			kith_buf_printf(b, "listing checked %ld days ago", age);
		else
			kith_buf_printf(b, "listing checked %ld months ago", age / 30);
	}
	if (age > STALE_DAYS && e) {
		char msg[128];
		snprintf(msg, sizeof(msg), "listing last checked on %s: phone to check it still runs", c->updated_text);
		caution(e, msg);
	}
	return age <= 180 ? 1.0 : age <= 365 ? 0.8 : age <= 730 ? 0.5 : 0.3;
}

static double score_capacity(const cand *c, explain *e)
{
	if (c->capacity == KITH_CAPACITY_WAITING_LIST) {
		if (e)
			kith_buf_puts(&e->text[KITH_F_CAPACITY], "has a waiting list");
		caution(e, "waiting list: ask how long the wait is");
		return 0.3;
	}
	if (e)
		kith_buf_puts(&e->text[KITH_F_CAPACITY], c->capacity == KITH_CAPACITY_OPEN
								 ? "taking new members"
								 : "does not say whether it has room");
	return 1.0;
}

static double score_language(const query *q, const cand *c, explain *e)
{
	const kith_patient *pt = q->pt;
	const char *first = pt->languages.count ? pt->languages.items[0] : "en";
	const char *langs = c->languages && *c->languages ? c->languages : "en";
	kith_buf *b = e ? &e->text[KITH_F_LANGUAGE] : NULL;
	double s = kith_word_in(langs, first, strlen(first)) ? 1.0 : 0.6;

	if (b) {
		kith_buf_puts(b, "runs in ");
		kith_match_put_languages(b, langs);
		if (s == 1.0 && strcmp(first, "en") != 0)
			kith_buf_puts(b, ", your first language");
	}
	return s;
}

static double score_access(const query *q, const cand *c, explain *e)
{
	const kith_patient *pt = q->pt;
	double total = 0;
	size_t needed = 0, i;
	kith_buf *b = e ? &e->text[KITH_F_ACCESS] : NULL;

	for (i = 0; i < 4; i++)
		needed += pt->needs_access[i] != 0;
	if (needed && !c->in_person) {
		/* by phone, online or at home there is no venue to get into: its facts do not apply */
		if (b)
			kith_buf_puts(b, "you would take part from home: no venue to get into");
		return 1.0;
	}
	needed = 0;
	for (i = 0; i < 4; i++) {
		if (!pt->needs_access[i])
			continue;
		needed++;
		if (c->access[i] == KITH_TRI_YES) {
			total += 1.0;
			if (b)
				kith_buf_printf(b, "%s%s confirmed", b->size ? "; " : "", kith_access_phrase((int)i));
		} else if (c->access[i] == KITH_TRI_UNKNOWN) {
			char msg[96];
			total += 0.5;
			if (b)
				kith_buf_printf(b, "%s%s not confirmed", b->size ? "; " : "",
						kith_access_phrase((int)i));
			snprintf(msg, sizeof(msg), "%s not confirmed: phone first", kith_access_phrase((int)i));
			caution(e, msg);
		} else {
			char msg[96];
			total += 0.1;
			if (b)
				kith_buf_printf(b, "%sno %s", b->size ? "; " : "", kith_access_phrase((int)i));
			snprintf(msg, sizeof(msg), "no %s", kith_access_phrase((int)i));
			caution(e, msg);
		}
	}
	if (!needed) {
		if (b)
			kith_buf_puts(b, "no access needs given");
		return 1.0;
	}
	return total / (double)needed;
}

static const char *const condition_labels[][2] = {
	{"parkinsons", "Parkinson's"},
	{"ms", "MS"},
	{"dementia", "dementia"},
	{"lung", "lung conditions"},
	{"diabetes", "diabetes"},
	{"heart", "heart conditions"},
	{"stroke", "stroke"},
	{"cancer", "cancer"},
	{"sight-loss", "sight loss"},
	{"hearing-loss", "hearing loss"},
	{"autism", "autism"},
	{"learning-disability", "a learning disability"},
	{"arthritis", "arthritis"},
	{"mental-health", "mental health conditions"},
	{"pregnancy", "pregnancy and new babies"},
	{"alcohol", "alcohol problems"},
	{"physical-disability", "a physical disability"},
};

/* "MS" for "condition:ms". */
static const char *condition_label(const char *id)
{
	size_t i;

	id += strlen("condition:");
	for (i = 0; i < sizeof(condition_labels) / sizeof(condition_labels[0]); i++)
		if (strcmp(condition_labels[i][0], id) == 0)
			return condition_labels[i][1];
	return id;
}

/* The first condition concept of a set, or NULL. */
static const kith_concept *first_condition(const kith_concepts *set)
{
	size_t i;

	for (i = 0; i < set->count; i++)
		if (strncmp(set->items[i].id, "condition:", 10) == 0)
			return &set->items[i];
	return NULL;
}

static int person_is(const query *q, const char *who);

/*
 * The people a listing's words may say it is for (the "for:" rules), as
 * a caution names them; those marked targets count, when the person is one
 * of them, as an eligibility tag would.
 */
static const struct {
	const char *who, *people;
	int targets;
} said_for_whom[] = {
	{"new-parent", "expectant and new parents", 1},
	{"carer", "carers", 1},
	{"veteran", "veterans", 1},
	{"stroke", "people who have had a stroke", 1},
	{"female", "women", 0},
	{"male", "men", 0},
	{"young", "young people", 0},
	{"tenant", "the tenants of one landlord", 0},
	{"dementia", "people with dementia and their carers", 0},
	{"refugee", "refugees and people new to the country", 0},
	{"community", "one community from abroad", 0},
	{"housebound", "people who cannot easily get out", 1},
	{"older", "older people", 0},
	{"over-50", "people over 50", 0},
	{"care-leaver", "young people leaving care", 0},
	{"business", "the self-employed and small businesses", 0},
	{"farming", "farming families", 0},
};

/* 1 when the listing's words say it is for said_for_whom[i]'s people. */
static int says_for(const kith_concepts *g, size_t i)
{
	char id[48];
	const kith_concept *k;

	snprintf(id, sizeof(id), "for:%s", said_for_whom[i].who);
	return (k = kith_concepts_find(g, id)) != NULL && k->strength >= 0.5;
}

/* The people a listing's words say it is for that this person is one of ("veterans"), or NULL. */
static const char *said_for(const query *q, const kith_concepts *g)
{
	size_t i;

	for (i = 0; i < sizeof(said_for_whom) / sizeof(said_for_whom[0]); i++)
		if (said_for_whom[i].targets && says_for(g, i) && person_is(q, said_for_whom[i].who) == 1)
			return said_for_whom[i].people;
	return NULL;
}

static double score_targeted(const query *q, cand *c, const kith_concepts *g, const kith_concepts *named, explain *e)
{
	const kith_patient *pt = q->pt;
	kith_buf *b = e ? &e->text[KITH_F_TARGETED] : NULL;
	const kith_concept *own = NULL, *theirs = first_condition(named);
	const char *requires = c->requires, *first, *said;
	double s = 0;
	size_t i, n;

	for (i = 0; i < q->conditions.count && !own; i++) {
		const kith_concept *k = kith_concepts_find(g, q->conditions.items[i].id);
		if (k && k->strength >= 0.5)
			own = &q->conditions.items[i];
	}
	if (own) {
		if (b)
			kith_buf_printf(b, "made for people with %s, as you said ('%s')", condition_label(own->id),
					own->evidence);
		return 1.0;
	}
	if (theirs && q->unnamed_condition && kith_match_chronic(theirs->id)) {
		/* they live with a long-term condition and did not say which: this may be it */
		if (b)
			kith_buf_printf(b, "made for people with %s: ask whether that is their condition",
					condition_label(theirs->id));
		caution(e, "made for people with one condition: check it fits");
		return 0.5;
	}
	if (theirs) {
		/* a group named for one condition suits few others */
		c->off_target = 1;
		if (b)
			kith_buf_printf(b, "made for people with %s, which you did not mention",
					condition_label(theirs->id));
		caution(e, "made for people with one condition: check it fits");
		return 0.0;
	}
	if ((said = said_for(q, g)) != NULL) {
		/* not in its eligibility, but its words say it is for people like them */
		s = 1.0;
		if (b)
			kith_buf_printf(b, "made for %s, which fits you", said);
	} else if ((first = kith_word_next(&requires, &n)) != NULL) {
		const kith_vocab_term *t;
		char id[64];
		snprintf(id, sizeof(id), "%.*s", (int)n, first);
		t = kith_vocab_find(KITH_VOCAB_CIRCUMSTANCE, id);
		s = 1.0;
		if (b)
			kith_buf_printf(b, "made for %s, which fits you", t ? t->covers : id);
	} else if (c->max_age >= 0 && c->max_age <= 30 && pt->age >= 0) {
		s = 0.7;
		if (b)
			kith_buf_printf(b, "made for young people (up to %d)", c->max_age);
	} else if (c->min_age >= 50 && pt->age >= 0) {
		s = 0.5;
		if (b)
			kith_buf_printf(b, "made for people over %d", c->min_age);
	} else if (c->gender != KITH_GENDER_ANY && pt->gender == c->gender) {
		s = 0.5;
		if (b)
			kith_buf_printf(b, "a group for %s", kith_gender_people(c->gender));
	} else if (b) {
		kith_buf_puts(b, !c->area             ? "open to everyone"
				 : q->home_area_known ? "for people living in an area that includes yours"
						      : "for people living in some areas only");
	}
	if (c->area && !q->home_area_known) {
		kith_buf msg = KITH_BUF_INIT;
		kith_buf_puts(&msg, "only for people living in ");
		kith_match_put_area(&msg, c->area);
		kith_buf_puts(&msg, ": check they do");
		if (!kith_buf_error(&msg))
			caution(e, msg.ptr);
		kith_buf_release(&msg);
	}
	if (c->min_age >= 0 && pt->age < 0)
		caution(e, "has an age limit: check it fits");
	if (c->gender != KITH_GENDER_ANY && pt->gender == KITH_GENDER_ANY) {
		char msg[32];
		snprintf(msg, sizeof(msg), "for %s only", kith_gender_people(c->gender));
		caution(e, msg);
	}
	if (c->referral_professional)
		caution(e, "needs a referral from a GP or link worker");
	return s;
}

/* 1 when the group is, by its tags or its name, an activity done on foot. */
static int on_foot(const cand *c, const kith_concepts *named)
{
	static const char *const activities[] = {"walking",          "running",      "dance", "football",
						 "walking-football", "conservation", "sport"};
	char id[48];
	size_t i;

	for (i = 0; i < sizeof(activities) / sizeof(activities[0]); i++) {
		snprintf(id, sizeof(id), "activity:%s", activities[i]);
		if (kith_word_in(c->activities, activities[i], strlen(activities[i])) || kith_concepts_find(named, id))
			return 1;
	}
	return 0;
}

/* 1 when the only way the person would take part is a telephone line. */
static int by_telephone_only(const cand *c)
{
	const char *how = c->online_how ? c->online_how : "";

	return c->by_online && !c->in_person && !c->by_home && (strstr(how, "phone") || strstr(how, "Phone")) &&
	       !strstr(how, "video") && !strstr(how, "Video");
}

/*
 * What an activity asks of the body and the senses, against what the
 * person has: a walking or dancing group for a wheelchair user (unless it
 * says it is made for them), a telephone line for someone hard of hearing.
 * Says so as a caution; returns 1 when it asks too much.
 */
static int asks_too_much(const query *q, const cand *c, const kith_concepts *g, const kith_concepts *named, explain *e)
{
	const kith_patient *pt = q->pt;
	size_t i;
	int hard_of_hearing = pt->needs_access[KITH_ACCESS_HEARING_LOOP];

	for (i = 0; i < pt->circumstances.count; i++)
		hard_of_hearing |= strcmp(pt->circumstances.items[i], "hearing-loss") == 0;
	if (pt->needs_access[KITH_ACCESS_WHEELCHAIR] && c->in_person && on_foot(c, named) &&
	    !kith_concepts_find(g, "condition:physical-disability") &&
	    !kith_concepts_find(g, "activity:chair-exercise")) {
		caution(e, "an activity on foot: check it suits a wheelchair user");
		return 1;
	}
	if (hard_of_hearing && by_telephone_only(c) && !kith_concepts_find(g, "condition:hearing-loss")) {
		caution(e, "a telephone service: check they can hear well on the phone");
		return 1;
	}
	return 0;
}

/* 1 when the person names a language other than English. */
static int speaks_other_than_english(const kith_patient *pt)
{
	size_t i;

	for (i = 0; i < pt->languages.count; i++)
		if (strcmp(pt->languages.items[i], "en") != 0)
			return 1;
	return 0;
}

static int circumstance(const kith_patient *pt, const char *id)
{
	return kith_match_has_circumstance(pt, id, strlen(id));
}

static int has_need(const kith_patient *pt, const char *id)
{
	size_t i;

	for (i = 0; i < pt->need_count; i++)
		if (strcmp(pt->needs[i].id, id) == 0)
			return 1;
	return 0;
}

/* 1 when the profile's fields say the person is one of those a "for:" concept names, 0 when not, -1 when unknown. */
static int profile_says(const query *q, const char *who)
{
	const kith_patient *pt = q->pt;

	if (strcmp(who, "new-parent") == 0)
		return circumstance(pt, "new-parent") || circumstance(pt, "pregnant") || has_need(pt, "parenting");
	if (strcmp(who, "carer") == 0)
		return circumstance(pt, "carer") || has_need(pt, "carer-support");
	if (strcmp(who, "veteran") == 0)
		return circumstance(pt, "veteran");
	if (strcmp(who, "stroke") == 0)
		return kith_concepts_find(&q->conditions, "condition:stroke") != NULL;
	if (strcmp(who, "dementia") == 0) /* and those who care for them */
		return kith_concepts_find(&q->conditions, "condition:dementia") != NULL || has_need(pt, "memory") ||
		       circumstance(pt, "carer") || has_need(pt, "carer-support");
	if (strcmp(who, "refugee") == 0)
		return circumstance(pt, "refugee") || has_need(pt, "english-language");
	if (strcmp(who, "community") == 0) /* a community of another language: theirs if they speak one */
		return circumstance(pt, "refugee") || has_need(pt, "english-language") || speaks_other_than_english(pt);
	if (strcmp(who, "female") == 0 || strcmp(who, "male") == 0)
		return pt->gender == KITH_GENDER_ANY
			       ? -1
			       : pt->gender == (strcmp(who, "female") == 0 ? KITH_GENDER_FEMALE : KITH_GENDER_MALE);
	if (strcmp(who, "young") == 0)
		return pt->age < 0 ? -1 : pt->age <= 30;
	if (strcmp(who, "older") == 0)
		return pt->age < 0 ? -1 : pt->age >= 60 ? 1 : pt->age < 50 ? 0 : -1;
	if (strcmp(who, "over-50") == 0)
		return pt->age < 0 ? -1 : pt->age >= 50 ? 1 : pt->age < 45 ? 0 : -1;
	if (strcmp(who, "housebound") == 0) /* a carer is tied to home; anyone else who says how far they go goes out */
		return pt->housebound || circumstance(pt, "carer") || has_need(pt, "carer-support") ? 1
		       : pt->max_travel_km > 0                                                      ? 0
												    : -1;
	return -1; /* tenants of a landlord, and the like: nobody asked */
}

/* 1 when the person is one of those a "for:" concept names, 0 when not, -1 when nobody asked. */
static int person_is(const query *q, const char *who)
{
	char id[48];
	int is = profile_says(q, who);

	snprintf(id, sizeof(id), "for:%s", who);
	/* what nobody asked, their own words may say ("I was in care till I was 18") */
	return is == -1 && kith_concepts_find(&q->said_self, id) ? 1 : is;
}

/*
 * Who the listing's own words say it is for ("for mums-to-be and parents
 * of babies", "by referral from the stroke team", "for our tenants"),
 * against the person: 1 when it fits or says nothing, 0.3 when they are
 * not one of those, 0.7 when nobody asked.  Says which as a caution.
 */
static double for_whom(const query *q, const kith_concepts *g, explain *e)
{
	double fit = 1.0;
	size_t i;

	for (i = 0; i < sizeof(said_for_whom) / sizeof(said_for_whom[0]); i++) {
		char msg[128];
		int is;
		if (!says_for(g, i) || (is = person_is(q, said_for_whom[i].who)) == 1)
			continue;
		snprintf(msg, sizeof(msg), "its listing says it is for %s: check it is open to them",
			 said_for_whom[i].people);
		caution(e, msg);
		fit = fmin(fit, is == 0 ? 0.3 : 0.7);
	}
	return fit;
}

/*
 * Where the listing's words say its people live ("for people living in
 * Kendal and Burneside"), against the home's district: 1 when it is one of
 * them or the words say nothing, TEXT_AREA_MISS when it is not.  Formal
 * areas served are hard rule 8; this is words, so a strong penalty and a
 * caution rather than a rule.
 */
static double lives_there(const query *q, const cand *c, explain *e)
{
	char msg[200];

	if (!c->text_area || !q->home_area_known || kith_area_holds(c->text_area, &q->home) == 1)
		return 1.0;
	snprintf(msg, sizeof(msg), "its listing says it is for people living in %s: check they do",
		 c->text_area_names ? c->text_area_names : "some places");
	caution(e, msg);
	return TEXT_AREA_MISS;
}

/* Scores c on every factor; with e, also writes the sentences and cautions. */
void kith_match_score(const kith_matcher *m, const query *q, cand *c, double text_norm, explain *e)
{
	kith_concepts g, named;
	double fit;
	int f, aside = specialist_for_others(q, c);

	group_concepts(m, c, &g, &named);
	c->aspects = 0;
	c->factor[KITH_F_NEEDS] = score_needs(q, &g, c, aside, e);
	c->factor[KITH_F_INTERESTS] = score_interests(q, &g, text_norm, c, e);
	if (aside) /* a recovery service's words about families are not a hobby shared */
		c->factor[KITH_F_INTERESTS] *= SPECIALIST_ASIDE;
	c->factor[KITH_F_DISTANCE] = score_distance(q, c, e);
	c->factor[KITH_F_AVAILABILITY] = score_availability(q, c, e);
	c->factor[KITH_F_COST] = score_cost(q, c, e);
	c->factor[KITH_F_FRESHNESS] = score_freshness(q, c, e);
	c->factor[KITH_F_CAPACITY] = score_capacity(c, e);
	c->factor[KITH_F_LANGUAGE] = score_language(q, c, e);
	c->factor[KITH_F_ACCESS] = score_access(q, c, e);
	c->factor[KITH_F_TARGETED] = score_targeted(q, c, &g, &named, e);
	fit = fmin(for_whom(q, &g, e), lives_there(q, c, e));
	if (fit < 1.0) {
		/* its words say it is for people this person may not be */
		c->factor[KITH_F_NEEDS] *= fit;
		c->factor[KITH_F_INTERESTS] *= fit;
	}
	if (asks_too_much(q, c, &g, &named, e)) {
		/* what it asks of the body or the senses is what this person may not have */
		c->factor[KITH_F_NEEDS] *= 0.5;
		c->factor[KITH_F_INTERESTS] *= 0.5;
	}
	if (c->off_target) {
		/* a group named for a condition the person does not have serves them little */
		c->factor[KITH_F_NEEDS] *= 0.4;
		c->factor[KITH_F_INTERESTS] *= 0.4;
	}
	c->base = 0;
	for (f = 0; f < KITH_F_COUNT; f++) {
		c->part[f] = kith_round3(m->weights.w[f] * c->factor[f]);
		c->base += c->part[f];
	}
	c->base = kith_round3(c->base);
}
