/*
 * genfeed: a deterministic generator of realistic national feeds and patient
 * profiles, for load and scale testing of kith.
 *
 * Groups and patients are placed over the UK's postcode districts in
 * proportion to population, and each one is built from phrase banks that
 * imitate what real directories hold: tagged and untagged listings, hours and
 * prices given only in the description, unknown accessibility, courses that
 * have ended, eligibility rules, waiting lists and other languages. Every
 * group and every patient draws from its own PRNG stream keyed by the seed
 * and its global index, so the same arguments always give byte-identical
 * files, and group gN is the same listing whatever --feeds is.
 *
 * Output is streamed: nothing per group outlives the group, so a million
 * groups need no more memory than ten.
 *
 * This is a standalone program (it uses nothing from include/kith/), built
 * with: cc -std=c17 -O2 -o genfeed bench/genfeed.c -lm
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#define GROUPS_PER_FEED 50000UL
#define LINE_MAX_LEN 8192
#define TEXT_MAX 2048
#define PI 3.14159265358979323846

/* Stream ids keep groups and patients independent of each other's counts. */
#define STREAM_GROUP 0x67726f7570ULL
#define STREAM_PATIENT 0x706174ULL

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64, one independent stream per generated object.      */

struct rng {
	uint64_t s; /* splitmix64 state */
};

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_init(struct rng *r, uint64_t seed, uint64_t stream, uint64_t index)
{
	r->s = mix64(seed + 0x9e3779b97f4a7c15ULL) ^ mix64(stream * 0x9e3779b97f4a7c15ULL + index);
}

static uint64_t rng_next(struct rng *r)
{
	r->s += 0x9e3779b97f4a7c15ULL;
	return mix64(r->s);
}

/* Uniform in [0, n) for n < 2^32; the multiply-shift bias is far below
 * anything a test could notice and keeps the arithmetic portable. */
static unsigned rng_below(struct rng *r, unsigned n)
{
	if (n <= 1)
		return 0;
	return (unsigned)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (unsigned)(hi - lo + 1));
}

static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* True with probability per_mille / 1000. */
static int rng_pm(struct rng *r, unsigned per_mille)
{
	return rng_below(r, 1000) < per_mille;
}

/* ------------------------------------------------------------------ */
/* Bounded text building.                                              */

struct text {
	char s[TEXT_MAX]; /* always NUL-terminated */
	size_t n;         /* length used */
};

static void tx_clear(struct text *t)
{
	t->n = 0;
	t->s[0] = '\0';
}

static void tx_putn(struct text *t, const char *s, size_t len)
{
	size_t room = sizeof(t->s) - 1 - t->n;

	if (len > room)
		len = room;
	memcpy(t->s + t->n, s, len);
	t->n += len;
	t->s[t->n] = '\0';
}

static void tx_put(struct text *t, const char *s)
{
	tx_putn(t, s, strlen(s));
}

static void tx_fmt(struct text *t, const char *fmt, ...)
{
	va_list ap;
	size_t room = sizeof(t->s) - t->n;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(t->s + t->n, room, fmt, ap);
	va_end(ap);
	if (len < 0)
		return;
	t->n += (size_t)len < room ? (size_t)len : room - 1;
}

/* A '|'-separated list of alternatives, the form every phrase bank takes. */
static unsigned count_pieces(const char *list)
{
	unsigned n = 1;

	for (; *list; list++)
		if (*list == '|')
			n++;
	return n;
}

static const char *nth_piece(const char *list, unsigned k, size_t *len)
{
	const char *end;

	while (k > 0) {
		const char *bar = strchr(list, '|');
		if (!bar)
			break;
		list = bar + 1;
		k--;
	}
	end = strchr(list, '|');
	*len = end ? (size_t)(end - list) : strlen(list);
	return list;
}

static const char *pick_piece(struct rng *r, const char *list, size_t *len)
{
	return nth_piece(list, rng_below(r, count_pieces(list)), len);
}

/* A space-separated word list, split without copying. */
struct span {
	const char *p; /* first byte */
	size_t n;      /* length */
};

static int split_words(const char *s, struct span *out, int max)
{
	int n = 0;

	while (*s && n < max) {
		size_t len;
		while (*s == ' ')
			s++;
		if (!*s)
			break;
		len = strcspn(s, " ");
		out[n].p = s;
		out[n].n = len;
		n++;
		s += len;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Output.                                                             */

/* Writes s with the five XML specials escaped, usable in text and in
 * attribute values alike. */
static void put_esc(FILE *f, const char *s)
{
	const char *run = s;

	for (; *s; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default: continue;
		}
		if (s > run)
			fwrite(run, 1, (size_t)(s - run), f);
		fputs(rep, f);
		run = s + 1;
	}
	if (s > run)
		fwrite(run, 1, (size_t)(s - run), f);
}

/* <tag>escaped text</tag> on its own line. */
static void put_elem(FILE *f, const char *indent, const char *tag, const char *text)
{
	fprintf(f, "%s<%s>", indent, tag);
	put_esc(f, text);
	fprintf(f, "</%s>\n", tag);
}

static void put_attr(FILE *f, const char *name, const char *value)
{
	fprintf(f, " %s=\"", name);
	put_esc(f, value);
	fputc('"', f);
}

/* ------------------------------------------------------------------ */
/* Dates (proleptic Gregorian, days since 1970-01-01).                 */

static long days_from_civil(int y, int m, int d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Monday is 0: 1970-01-01 was a Thursday. */
static int weekday(long z)
{
	return (int)(((z % 7) + 7 + 3) % 7);
}

static void fmt_date(char *out, size_t size, long z)
{
	int y, m, d;

	civil_from_days(z, &y, &m, &d);
	snprintf(out, size, "%04d-%02d-%02d", y, m, d);
}

/* ------------------------------------------------------------------ */
/* Vocabulary and phrase banks.                                        */

static const char *const day_id[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const day_name[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
static const char *const month_name[12] = {"January", "February", "March",     "April",   "May",      "June",
					   "July",    "August",   "September", "October", "November", "December"};

/* Activity ids (VOCABULARY.md) and the word a listing would use for them. */
static const struct {
	const char *id;   /* vocabulary id */
	const char *word; /* as written in a group's name */
} activity_words[] = {
	{"walking", "Walking"},
	{"running", "Running"},
	{"cycling", "Cycling"},
	{"swimming", "Swimming"},
	{"football", "Football"},
	{"walking-football", "Walking Football"},
	{"bowls", "Bowls"},
	{"gym", "Gym"},
	{"yoga", "Yoga"},
	{"tai-chi", "Tai Chi"},
	{"pilates", "Pilates"},
	{"chair-exercise", "Chair Exercise"},
	{"dance", "Dance"},
	{"sport", "Sport"},
	{"gardening", "Gardening"},
	{"nature", "Nature"},
	{"conservation", "Conservation"},
	{"fishing", "Angling"},
	{"bird-watching", "Birdwatching"},
	{"singing", "Singing"},
	{"music", "Music"},
	{"drama", "Drama"},
	{"film", "Film"},
	{"arts", "Art"},
	{"crafts", "Craft"},
	{"knitting", "Knitting"},
	{"sewing", "Sewing"},
	{"lace-making", "Lace-making"},
	{"woodwork", "Woodwork"},
	{"photography", "Photography"},
	{"writing", "Writing"},
	{"reading", "Reading"},
	{"history", "History"},
	{"heritage", "Heritage"},
	{"lectures", "Talks"},
	{"languages", "Languages"},
	{"computers", "Computer"},
	{"games", "Games"},
	{"quiz", "Quiz"},
	{"board-games", "Board Games"},
	{"cooking", "Cookery"},
	{"baking", "Baking"},
	{"lunch-club", "Lunch"},
	{"coffee-morning", "Coffee Morning"},
	{"community-meal", "Community Meal"},
	{"befriending", "Befriending"},
	{"peer-support", "Peer Support"},
	{"mens-shed", "Men's Shed"},
	{"carers-group", "Carers"},
	{"parent-and-baby", "Baby and Toddler"},
	{"mindfulness", "Mindfulness"},
	{"faith", "Faith"},
	{"volunteering", "Volunteering"},
	{"advice", "Advice"},
	{"discussion", "Discussion"},
};

/* Tags real feeds use that are outside the vocabulary; kith keeps them as
 * text and the checker warns. */
static const char *const oov_activities = "bingo|whist|bridge|ukulele|zumba|allotments|social|tea-dance|darts|dominoes";
static const char *const oov_needs = "wellbeing|mental-health|isolation|farming|fitness|social";

/* Everyday-words phrases per need, so full-text search has something to find
 * even in untagged listings. */
static const struct {
	const char *id;      /* need id */
	const char *phrases; /* '|'-separated sentences */
} need_phrases[] = {
	{"loneliness", "A good way to meet people if you live on your own or don't get out much.|"
		       "Lots of our regulars came along on their own at first - you'll soon know everyone.|"
		       "If you're feeling lonely or cut off, come and join us for some company.|"
		       "Somewhere to get out of the house, have a chat and make new friends."},
	{"low-mood", "Good for your mood if you've been feeling down or fed up.|"
		     "Many people tell us it lifts their spirits when life feels a bit grey.|"
		     "Helpful if you're going through a low patch or mild depression."},
	{"anxiety", "A calm, friendly atmosphere if you get anxious or stressed.|"
		    "Nobody will put you on the spot - come and go as you please if worry gets too much.|"
		    "Practical ways to manage stress, worry and panic."},
	{"bereavement", "For anyone grieving the loss of someone close, however long ago.|"
			"A safe place to talk about the person you've lost, with others who understand."},
	{"confidence", "Ideal if you've lost confidence or haven't been out much for a while.|"
		       "A gentle way to build your confidence back up, at your own pace."},
	{"purpose", "Something to look forward to each week and a reason to get up and out.|"
		    "Put your skills to good use and feel part of something again."},
	{"carer-support", "A break for unpaid carers and a chance to talk to people who get it.|"
			  "If you look after a husband, wife, parent or friend, this is time for you."},
	{"physical-activity", "A gentle way to get more active, whatever your fitness.|"
			      "Good for your heart, joints and general fitness - go at your own pace."},
	{"healthy-weight", "Support to eat well and lose a bit of weight, without faddy diets.|"
			   "Tips on healthy eating, portion sizes and staying a healthy weight."},
	{"long-term-condition", "Suitable if you live with diabetes, COPD, arthritis or a heart condition.|"
				"Adapted for people with long-term health conditions and chronic pain."},
	{"falls-prevention", "Helps with strength and balance and reduces the risk of falls.|"
			     "If you're unsteady on your feet or worried about falling, this can help."},
	{"memory", "Welcoming to people living with dementia or memory problems, and their families.|"
		   "Dementia friendly: come with your partner, family member or carer."},
	{"money", "Help if you're struggling with debt, bills or making ends meet.|"
		  "Free, confidential help with money worries and budgeting."},
	{"benefits", "Check you're getting all the benefits and grants you're entitled to.|"
		     "Help with benefit claims, forms and appeals."},
	{"housing", "Advice on housing problems, repairs, rent arrears and risk of losing your home."},
	{"employment", "Help with CVs, job applications and interviews, or volunteering as a step back to work.|"
		       "If you're looking for work or struggling to stay in a job, we can help."},
	{"learning", "Learn something new in a relaxed, friendly setting - no exams.|"
		     "A chance to learn new skills and keep your mind active."},
	{"digital-skills", "Bring your phone, tablet or laptop and get help using it.|"
			   "Get help with email, video calls, online shopping and NHS app."},
	{"food", "Nobody is turned away; food parcels, fresh fruit and veg and toiletries.|"
		 "A hot meal and help with food if money is tight."},
	{"substance-use", "Support for anyone worried about their drinking or drug use.|"
			  "Recovery support in a non-judgemental setting."},
	{"domestic-abuse", "Confidential support if you are or have been in an abusive relationship."},
	{"parenting", "Meet other parents, share tips and let the little ones play.|"
		      "Support for parents of babies and young children."},
	{"english-language", "Practise your English in a friendly group; all levels welcome.|"
			     "Help with English and settling into the area."},
};

/* Group kinds: how each sort of listing tends to look. */
enum when_class { W_DAY, W_EVE, W_MIX, W_WEEKEND, W_LUNCH, W_APPT, W_COURSE };
enum venue_class { V_HALL, V_LEISURE, V_OUTDOOR, V_LIBRARY, V_GARDEN, V_WORKSHOP, V_CAFE, V_OFFICE, V_FAITH, V_CLINIC };
enum price_class { P_FREE, P_SMALL, P_MEAL, P_MONTH, P_COURSE };
enum rule_class { R_NONE, R_CARER, R_DEMENTIA, R_NEWPARENT, R_VETERAN, R_OLDER, R_YOUTH, R_MALE, R_FEMALE, R_PRO };

struct kind {
	const char *acts;      /* activity ids, space-separated, primary first */
	const char *needs;     /* needs it typically helps with */
	const char *names;     /* name templates: {T} town, {R} region, {S} saint, {A} activity */
	const char *orgs;      /* organisation templates, {N} the group's name */
	const char *opens;     /* opening sentences */
	unsigned char when;    /* enum when_class */
	unsigned char venue;   /* enum venue_class */
	unsigned char price;   /* enum price_class */
	unsigned char rule;    /* enum rule_class */
	unsigned char online;  /* percent offered online or by phone */
	unsigned char home;    /* percent offering home visits */
	unsigned short weight; /* relative frequency */
};

static const struct kind kinds[] = {
	{"walking nature", "physical-activity loneliness low-mood long-term-condition",
	 "Walking for Health – {T}|{T} Health Walks|{T} Wellbeing Walk|Stride Out {T}|{T} Walking Group|{T} Short "
	 "Walks",
	 "Walking for Health|{T} Ramblers|{R} Council Active Communities|{N}",
	 "Free, friendly short walks led by trained volunteer walk leaders, at an easy pace on mostly level paths.|"
	 "A gentle walk of about an hour around {T}, finishing with a cuppa at a local café.|"
	 "Our led walks are a great way to get a bit more active, see the countryside and make new friends.",
	 W_DAY, V_OUTDOOR, P_FREE, R_NONE, 0, 0, 70},
	{"walking-football football sport", "physical-activity loneliness long-term-condition",
	 "{T} Walking Football|Walking Football at {T} Leisure Centre|{T} Over 50s Walking Football",
	 "{T} Town FC Community Trust|{T} Walking Football Club|{R} Active",
	 "Football at a walking pace: no running, no slide tackles, just a good game and good company.|"
	 "Walking football for men and women who thought their playing days were over.",
	 W_MIX, V_LEISURE, P_SMALL, R_OLDER, 0, 0, 20},
	{"chair-exercise", "falls-prevention physical-activity long-term-condition loneliness",
	 "{T} Chair-Based Exercise|Seated Exercise – {T}|Move More {T}|Sit and Be Fit {T}|{T} Chair Exercise Club",
	 "Age UK {R}|{R} Council Healthy Lifestyles|{T} Community Centre|{N}",
	 "Gentle seated exercise to music, led by a qualified instructor, to keep you moving.|"
	 "A light exercise class done sitting down or holding the back of a chair - suitable if you're unsteady on "
	 "your feet.",
	 W_DAY, V_HALL, P_SMALL, R_OLDER, 5, 0, 45},
	{"chair-exercise tai-chi", "falls-prevention physical-activity",
	 "{T} Strength and Balance|Steady Steps {T}|Strength and Balance Programme – {T}|Stay Steady {T}",
	 "{R} Falls Prevention Service|NHS {R} Community Therapy|Age UK {R}",
	 "A strength and balance programme for people who have had a fall or are worried about falling.|"
	 "Exercises proven to reduce falls, led by a physiotherapist or specialist instructor.",
	 W_COURSE, V_HALL, P_FREE, R_PRO, 0, 0, 15},
	{"tai-chi mindfulness", "falls-prevention anxiety physical-activity",
	 "{T} Tai Chi for Health|Tai Chi in the Park – {T}|Qigong and Tai Chi {T}|{T} Tai Chi Club",
	 "{N}|{T} Community Centre|{R} Active",
	 "Slow, flowing tai chi movements to help balance, breathing and calm.|"
	 "Gentle tai chi and qigong for all ages and abilities, standing or seated.",
	 W_MIX, V_HALL, P_SMALL, R_NONE, 5, 0, 15},
	{"yoga mindfulness", "anxiety physical-activity low-mood",
	 "{T} Gentle Yoga|Chair Yoga {T}|Yoga for Wellbeing – {T}|{T} Yoga Club|Yoga for Beginners {T}",
	 "{N}|{T} Community Centre|{T} Wellbeing Hub",
	 "Relaxed yoga with plenty of options to do things seated, for complete beginners.|"
	 "Stretch, breathe and unwind with a gentle yoga class; mats provided.",
	 W_MIX, V_HALL, P_SMALL, R_NONE, 10, 0, 20},
	{"pilates", "physical-activity long-term-condition",
	 "{T} Pilates|Pilates for Back Care – {T}|Mat Pilates at {T} Leisure Centre",
	 "{N}|{R} Leisure|{T} Leisure Centre",
	 "A mat-based Pilates class focusing on posture, core strength and back care.", W_EVE, V_LEISURE, P_SMALL,
	 R_NONE, 5, 0, 8},
	{"swimming sport", "physical-activity long-term-condition healthy-weight",
	 "{T} Aquafit|Over 50s Swim – {T}|Women-only Swim {T}|{T} Quiet Swim|Swimming for Health – {T}",
	 "{R} Leisure|{T} Leisure Centre|{T} Swimming Club",
	 "Relaxed swimming sessions with lane ropes out and a lifeguard on poolside.|"
	 "Aquafit in the shallow end: easy on the joints and good fun.",
	 W_DAY, V_LEISURE, P_SMALL, R_FEMALE, 0, 0, 12},
	{"gym sport", "physical-activity healthy-weight long-term-condition",
	 "{T} Exercise on Referral|Active Lifestyles {T}|{T} Leisure Centre GP Referral Scheme|Fit for Life {T}",
	 "{R} Leisure|{R} Council Public Health|{T} Leisure Centre",
	 "A supervised twelve-week gym programme for people referred by their GP, practice nurse or link worker.|"
	 "Exercise on referral: an instructor draws up a programme to suit your health and fitness.",
	 W_MIX, V_LEISURE, P_MONTH, R_PRO, 0, 0, 12},
	{"dance music", "loneliness physical-activity memory low-mood",
	 "{T} Tea Dance|Dance for Health {T}|Sequence Dancing at {T}|{T} Line Dancing|Golden Years Dance – {T}",
	 "{N}|Age UK {R}|{T} Community Centre",
	 "Old-time and sequence dancing with tea and cake; partners not needed.|"
	 "Dance the afternoon away to music from the 50s, 60s and 70s.|"
	 "Easy-to-follow line dancing for beginners and improvers.",
	 W_DAY, V_HALL, P_SMALL, R_NONE, 0, 0, 16},
	{"cycling", "physical-activity low-mood",
	 "{T} Cycling for Health|Pedal Power {T}|Led Rides – {T}|{T} Bike Club",
	 "{N}|Cycling UK {R}|{R} Council Active Travel",
	 "Led bike rides on quiet lanes and cycle paths, at a sociable pace.|"
	 "Get back on a bike with friendly ride leaders; bikes and adapted trikes can be borrowed.",
	 W_WEEKEND, V_OUTDOOR, P_FREE, R_NONE, 0, 0, 8},
	{"running", "physical-activity low-mood confidence",
	 "{T} parkrun|Couch to 5k – {T}|{T} Jog Club|{T} Run Together", "parkrun UK|{N}|{T} Harriers",
	 "A free, weekly, timed 5k in the park - walk, jog or run, or come and volunteer.|"
	 "A beginners' running group taking you from the sofa to 5k over nine weeks.",
	 W_WEEKEND, V_OUTDOOR, P_FREE, R_NONE, 0, 0, 10},
	{"bowls sport", "loneliness physical-activity",
	 "{T} Bowls Club|{T} Short Mat Bowls|Indoor Bowls at {T}|{T} Crown Green Bowls", "{N}",
	 "Bowls is easy to learn and good for body and mind; woods can be borrowed.|"
	 "A friendly club that welcomes beginners - flat shoes are all you need.",
	 W_DAY, V_LEISURE, P_SMALL, R_NONE, 0, 0, 10},
	{"gardening nature volunteering", "low-mood purpose loneliness physical-activity",
	 "{T} Community Garden|Grow {T}|Therapeutic Gardening – {T}|{T} Allotment Project|{T} {A} Club",
	 "{N}|{T} in Bloom|Mind in {R}|{T} Community Garden Trust",
	 "Grow fruit, veg and flowers alongside others in a friendly community garden.|"
	 "Social and therapeutic horticulture: sowing, potting, weeding and a cuppa in the polytunnel.|"
	 "No gardening experience needed, just an interest in being outdoors.",
	 W_DAY, V_GARDEN, P_FREE, R_NONE, 0, 0, 25},
	{"conservation nature volunteering", "purpose physical-activity low-mood",
	 "{T} Conservation Volunteers|Friends of {T} Park|{T} Green Gym|{T} Wildlife Trust Work Party",
	 "The Conservation Volunteers|{R} Wildlife Trust|{N}",
	 "Get fit outdoors while looking after local green spaces - coppicing, path work, planting and litter picks.|"
	 "Practical conservation tasks in and around {T}; tools and training provided.",
	 W_MIX, V_OUTDOOR, P_FREE, R_NONE, 0, 0, 15},
	{"bird-watching nature walking", "low-mood physical-activity loneliness",
	 "{T} Nature Walks|{T} Birdwatching Group|Wildlife Walks for All – {T}|{T} Natural History Society",
	 "{R} Wildlife Trust|RSPB {R} Local Group|{N}",
	 "Gentle guided walks to spot birds, flowers and wildlife; binoculars to borrow.|"
	 "Monthly birdwatching outings and indoor talks for beginners and old hands.",
	 W_DAY, V_OUTDOOR, P_FREE, R_NONE, 0, 0, 8},
	{"fishing nature", "low-mood purpose loneliness",
	 "{T} Angling for Wellbeing|Fishing for Health – {T}|Tackling Minds {T}|{T} Angling Club",
	 "{N}|Angling Trust|{T} and District Angling Association",
	 "Learn to fish in a peaceful spot with experienced anglers; all kit provided.|"
	 "Angling sessions by the water to relax, switch off and talk if you want to.",
	 W_WEEKEND, V_OUTDOOR, P_FREE, R_NONE, 0, 0, 6},
	{"singing music", "loneliness low-mood long-term-condition",
	 "{T} Community Choir|Sing for Your Lungs {T}|{T} Rock Choir|{T} Male Voice Choir|{T} Singing for "
	 "Wellbeing|{T} Pop Choir",
	 "{N}|{T} Arts Centre|British Lung Foundation",
	 "A friendly choir for people who love to sing - no auditions and no need to read music.|"
	 "Singing is great for breathing, mood and meeting people; we sing everything from Abba to gospel.|"
	 "Warm-ups, well-known songs and a cup of tea at half time.",
	 W_MIX, V_FAITH, P_SMALL, R_NONE, 5, 0, 22},
	{"music", "loneliness low-mood purpose",
	 "{T} Ukulele Group|{T} Community Band|Music for Wellbeing – {T}|{T} Folk Session|{T} Brass Band",
	 "{N}|{T} Arts Centre",
	 "Bring an instrument or borrow one; complete beginners and rusty players welcome.|"
	 "We play for fun, from folk tunes to pop, and perform at local events.",
	 W_EVE, V_HALL, P_SMALL, R_NONE, 0, 0, 10},
	{"drama", "confidence loneliness",
	 "{T} Community Theatre|{T} Amateur Dramatic Society|Drama for Wellbeing – {T}|{T} Players",
	 "{N}|{T} Arts Centre",
	 "Drama games, improvisation and the odd performance, all in a supportive group.|"
	 "Tread the boards or help backstage with set building, costumes and front of house.",
	 W_EVE, V_HALL, P_SMALL, R_NONE, 0, 0, 6},
	{"film discussion", "loneliness memory",
	 "{T} Film Club|Dementia-Friendly Screening – {T}|{T} Community Cinema|Classic Film Afternoon – {T}",
	 "{N}|{T} Arts Centre|{T} Library",
	 "A classic film on the big screen followed by a chat and a cup of tea.|"
	 "Monthly community cinema showing recent releases and old favourites.",
	 W_DAY, V_HALL, P_SMALL, R_NONE, 0, 0, 6},
	{"arts crafts", "low-mood anxiety confidence",
	 "Art for Wellbeing – {T}|{T} Art Group|{T} Creative Minds|Arts on Prescription {T}|{T} Painting Club",
	 "{N}|{T} Arts Centre|Mind in {R}|{T} Museum",
	 "A relaxed art group - drawing, painting, printmaking and collage with an artist; no experience needed.|"
	 "Paint, draw and chat in a friendly studio; all materials provided.",
	 W_DAY, V_HALL, P_SMALL, R_NONE, 5, 0, 16},
	{"knitting crafts", "loneliness purpose",
	 "{T} Knit and Natter|Knit & Natter – {T}|Stitch and Chat {T}|{T} Craft Club|{T} Crochet Circle",
	 "{N}|{T} Library|{T} Methodist Church",
	 "Bring your knitting, crochet or any craft and enjoy a good natter.|"
	 "Knitters and crocheters of all abilities - we make blankets and hats for the hospital and charities.",
	 W_DAY, V_LIBRARY, P_SMALL, R_NONE, 0, 0, 18},
	{"sewing crafts", "purpose loneliness money",
	 "{T} Sewing Bee|Repair Café {T}|{T} Patchwork Group|{T} Sewing Circle",
	 "{N}|{T} Community Centre|{T} Transition Town",
	 "Learn to mend, alter and make your own clothes with our sewing machines.|"
	 "Bring along broken things and clothes needing a repair; volunteers fix them with you.",
	 W_MIX, V_HALL, P_SMALL, R_NONE, 0, 0, 8},
	{"lace-making crafts heritage", "loneliness purpose",
	 "{T} Lace Makers|{T} Bobbin Lace Group|Lace-making in {T}", "{N}",
	 "Traditional bobbin lace, taught by experienced lace makers; bobbins and pillows to borrow.", W_DAY, V_HALL,
	 P_SMALL, R_NONE, 0, 0, 2},
	{"mens-shed woodwork", "loneliness purpose low-mood",
	 "Men's Shed {T}|{T} Men's Shed|{T} Community Shed|{T} and District Men's Shed",
	 "{N}|UK Men's Sheds Association",
	 "Our shed is a place to share skills, make and mend, and have a laugh.|"
	 "Woodwork, metalwork, bike repairs and restoring old tools - and plenty of tea.|"
	 "A workshop where men (and women) can come together to work on projects and chat shoulder to shoulder.",
	 W_DAY, V_WORKSHOP, P_SMALL, R_MALE, 0, 0, 16},
	{"photography walking", "low-mood loneliness purpose",
	 "{T} Photography Club|Phone Photography Walks – {T}|{T} Camera Club", "{N}",
	 "Get out and about taking pictures, on a phone or a proper camera.|"
	 "Club nights with talks, competitions and outings for photographers of every level.",
	 W_EVE, V_HALL, P_SMALL, R_NONE, 0, 0, 5},
	{"writing discussion", "low-mood confidence purpose",
	 "{T} Writers' Circle|Write Well {T}|{T} Creative Writing Group|Life Stories – {T}", "{N}|{T} Library",
	 "Share stories, poems and memories in a supportive writing group.|"
	 "Gentle writing exercises to get you started, and a chance to read your work aloud if you'd like.",
	 W_MIX, V_LIBRARY, P_FREE, R_NONE, 10, 0, 6},
	{"reading discussion", "loneliness purpose",
	 "{T} Library Book Club|Reading Friends {T}|{T} Shared Reading Group|Friends of {T} Library",
	 "{T} Library|The Reader|{R} Libraries|{N}",
	 "We read short stories and poems aloud together, then talk about them - no preparation needed.|"
	 "A monthly book group for people who enjoy a good read and a chat about it.|"
	 "Help us support the library with events, fundraising and a warm welcome for visitors.",
	 W_DAY, V_LIBRARY, P_FREE, R_NONE, 5, 0, 12},
	{"history heritage lectures", "purpose loneliness learning",
	 "{T} Local History Society|{T} Heritage Volunteers|{T} Museum Volunteers|{T} Civic Society|{T} Family History "
	 "Group",
	 "{N}|{T} Museum|{R} Archives",
	 "Monthly talks on the history of {T} and the surrounding villages, with visits in the summer.|"
	 "Help care for the museum's collection, welcome visitors and research local stories.|"
	 "Trace your family tree with help from experienced researchers.",
	 W_MIX, V_LIBRARY, P_SMALL, R_NONE, 5, 0, 10},
	{"lectures languages discussion", "learning purpose loneliness",
	 "{T} U3A|{T} University of the Third Age|{T} Probus Club|{T} Women's Institute|{T} Townswomen's Guild",
	 "{N}|{T} and District U3A|{R} Federation of WIs",
	 "Learning, laughter and friendship for people no longer in full-time work, with dozens of interest groups.|"
	 "A monthly meeting with a speaker, tea and cake, plus outings and social events.",
	 W_DAY, V_HALL, P_SMALL, R_NONE, 5, 0, 12},
	{"languages discussion", "english-language learning loneliness",
	 "{T} ESOL Conversation Club|English Conversation Café – {T}|Learn English {T}|{T} Welcome Café",
	 "{R} Adult Learning|{T} Refugee Welcome|{T} Library|{N}",
	 "Practise speaking English over tea and biscuits with friendly volunteers.|"
	 "Free English classes for adults new to the UK, from beginners upwards.",
	 W_DAY, V_LIBRARY, P_FREE, R_NONE, 10, 0, 8},
	{"computers", "digital-skills learning",
	 "{T} Digital Drop-in|Get Online {T}|{T} Tablet and Smartphone Help|Computer Buddies – {T}|{T} Tech Café",
	 "{T} Library|Age UK {R}|{R} Adult Learning|{N}",
	 "Friendly volunteers help you get to grips with your phone, tablet or computer.|"
	 "One-to-one help with email, video calls, online forms and staying safe online.",
	 W_DAY, V_LIBRARY, P_FREE, R_NONE, 10, 3, 14},
	{"quiz games board-games", "loneliness purpose memory",
	 "{T} Quiz Night|{T} Board Games Café|{T} Bridge Club|{T} Whist Drive|{T} Games Afternoon|{T} Bingo and Social",
	 "{N}|{T} Community Centre|Royal British Legion {T}",
	 "Board games, cards, dominoes and a quiz - a relaxed, sociable afternoon.|"
	 "A friendly quiz with teams made up on the night, so come on your own.|"
	 "Bridge, whist and other card games for all standards; we'll teach you.",
	 W_MIX, V_HALL, P_SMALL, R_NONE, 0, 0, 12},
	{"cooking baking", "healthy-weight food money learning",
	 "Cook and Eat Well – {T}|{T} Cookery Club|Cooking on a Budget {T}|{T} Bake and Chat|Cook Together {T}",
	 "{R} Council Public Health|{T} Family Hub|{T} Community Kitchen|{N}",
	 "Learn to cook simple, healthy meals on a budget, then sit down and eat together.|"
	 "Hands-on cookery sessions; take home recipes and a bag of ingredients.",
	 W_COURSE, V_HALL, P_FREE, R_NONE, 0, 0, 10},
	{"lunch-club community-meal", "loneliness food",
	 "{T} Lunch Club|{T} Luncheon Club|Tuesday Lunch Club – {T}|{T} Over 60s Lunch|{T} Friendship Lunch",
	 "Age UK {R}|{T} Community Trust|{T} WRVS|{T} Methodist Church|{N}",
	 "A hot two-course lunch and a chat, with quizzes, raffles and the odd sing-song.|"
	 "Freshly cooked home-style lunches, followed by tea, coffee and company.|"
	 "Lunch with friends in a warm, welcoming hall; transport can be arranged for those who can't get there.",
	 W_LUNCH, V_HALL, P_MEAL, R_OLDER, 0, 0, 35},
	{"coffee-morning", "loneliness",
	 "{T} Coffee Morning|Cuppa and Chat – {T}|{T} Warm Space|{T} Community Café|{T} Drop-in Café|Tea & Chat {T}",
	 "{T} Community Centre|St {S}'s Church {T}|{N}|{T} Churches Together",
	 "Pop in for a cuppa, homemade cake and a chat - everyone welcome.|"
	 "A warm, friendly space with free hot drinks, newspapers and games.|"
	 "Drop in for tea, toast and a natter with friendly volunteers.",
	 W_DAY, V_FAITH, P_SMALL, R_NONE, 0, 0, 40},
	{"community-meal", "food money loneliness",
	 "{T} Food Bank|{T} Community Pantry|{T} Community Larder|{T} Community Fridge|Pay-as-you-feel Café {T}|{T} "
	 "Community Supper",
	 "{T} Foodbank|{T} Churches Together|{T} Community Trust|{N}",
	 "Emergency food parcels for people in crisis, with a referral voucher from a support worker.|"
	 "A membership pantry: a weekly shop of groceries for a few pounds.|"
	 "Surplus food from local shops and farms, shared on a pay-as-you-feel basis.|"
	 "A free hot meal once a week, with a warm welcome for everyone.",
	 W_DAY, V_FAITH, P_FREE, R_PRO, 0, 0, 20},
	{"befriending", "loneliness low-mood bereavement confidence",
	 "{T} Befriending Service|Telephone Friends {T}|Age UK {R} Befriending|{T} Good Neighbours Scheme|Home Library "
	 "Service – {T}",
	 "Age UK {R}|Re-engage|{T} Good Neighbours|{R} Libraries|Royal Voluntary Service",
	 "A volunteer befriender visits you at home or rings for a chat every week.|"
	 "Regular friendly phone calls from a trained volunteer for older people who feel lonely.|"
	 "Good neighbours helping with lifts, shopping, small jobs and a friendly visit.",
	 W_APPT, V_OFFICE, P_FREE, R_OLDER, 55, 45, 22},
	{"peer-support discussion", "low-mood anxiety confidence",
	 "{T} Wellbeing Café|Mind in {R} Peer Support – {T}|{T} Talking Café|Andy's Man Club {T}|Talk Club {T}|{T} "
	 "Hearing Voices Group",
	 "Mind in {R}|Andy's Man Club|TALK CLUB|{T} Wellbeing Hub|{N}",
	 "A drop-in for adults who are struggling with their mental health or just need someone to talk to.|"
	 "Peer supporters with lived experience, tea and toast, and information about local services.|"
	 "#ITSOKAYTOTALK: a peer-to-peer talking group; come along, have a brew and talk if you want to.",
	 W_EVE, V_HALL, P_FREE, R_NONE, 20, 0, 20},
	{"peer-support discussion", "bereavement loneliness",
	 "{T} Bereavement Café|Cruse Drop-in – {T}|{T} Time to Talk Bereavement Group|{T} Widows and Widowers Group",
	 "Cruse Bereavement Support|{T} Hospice|{N}",
	 "An informal café where bereaved people can meet, share and support each other.|"
	 "Trained bereavement volunteers offer a listening ear, in a group or one to one.",
	 W_DAY, V_CAFE, P_FREE, R_NONE, 25, 5, 10},
	{"carers-group coffee-morning peer-support", "carer-support loneliness",
	 "{T} Carers' Coffee Morning|{T} Carers Support Group|Carers' Café – {T}|Caring Together {T}",
	 "Carers Trust {R}|{R} Carers Centre|{N}",
	 "A chance for unpaid carers to meet, have a break and share tips over coffee.|"
	 "Information, advice and a listening ear for anyone looking after a relative or friend.",
	 W_DAY, V_CAFE, P_FREE, R_CARER, 20, 5, 16},
	{"coffee-morning music peer-support", "memory carer-support loneliness",
	 "{T} Memory Café|Dementia-Friendly Café {T}|Singing for the Brain – {T}|{T} Forget-Me-Not Club",
	 "Alzheimer's Society|Dementia UK|{T} Dementia Action Alliance|{N}",
	 "A relaxed café for people living with dementia and the people who care for them.|"
	 "Songs, reminiscence, activities and a cuppa, with staff who understand memory problems.",
	 W_DAY, V_CAFE, P_FREE, R_DEMENTIA, 0, 0, 14},
	{"parent-and-baby", "parenting loneliness low-mood",
	 "{T} Stay and Play|Baby Rhyme Time – {T} Library|{T} Bumps and Babies|{T} Family Hub Baby Group|{T} Dads' "
	 "Group|{T} Baby Massage",
	 "{T} Family Hub|{T} Library|NCT {R}|Home-Start {R}|{N}",
	 "Rhymes, songs, toys and messy play for babies and toddlers with their grown-ups.|"
	 "A relaxed group for new parents to meet others and get support from the health visiting team.",
	 W_DAY, V_LIBRARY, P_FREE, R_NEWPARENT, 0, 5, 16},
	{"peer-support coffee-morning", "loneliness low-mood purpose",
	 "{T} Armed Forces Breakfast Club|{T} Veterans' Hub|Royal British Legion {T} Branch|{T} Veterans' Drop-in",
	 "Royal British Legion|SSAFA {R}|{N}|Op Courage",
	 "Veterans and their families meet for a breakfast, a brew and a bit of banter.|"
	 "A drop-in for ex-forces, with advice on housing, benefits and health from people who've served.",
	 W_WEEKEND, V_CAFE, P_SMALL, R_VETERAN, 10, 0, 8},
	{"advice", "money benefits housing",
	 "Citizens Advice {R} – {T}|{T} Money Advice Drop-in|{T} Debt Advice Clinic|{T} Benefits Advice Surgery|{T} "
	 "Energy Advice",
	 "Citizens Advice {R}|StepChange|{T} Advice Centre|{R} Council Welfare Rights",
	 "Free, confidential advice on benefits, debt, housing, energy bills and employment problems.|"
	 "Face-to-face help with benefit forms, appeals and money worries.",
	 W_APPT, V_OFFICE, P_FREE, R_NONE, 45, 10, 20},
	{"advice volunteering", "employment confidence learning",
	 "{T} Job Club|{T} Work Club|Routes to Work {T}|{T} Volunteer Centre|Working Well {T}",
	 "{R} Council Employment Support|{T} Volunteer Centre|{N}",
	 "Help with CVs, job searches, interviews and confidence, with computers to use.|"
	 "Find a volunteering role that suits you, with support to get started.",
	 W_DAY, V_LIBRARY, P_FREE, R_NONE, 15, 0, 12},
	{"mindfulness lectures", "anxiety low-mood learning",
	 "Stress Control – {T}|{T} Mindfulness Course|Living Life to the Full – {T}|{T} Wellbeing College "
	 "Course|Confidence Building – {T}",
	 "NHS Talking Therapies {R}|{R} Recovery College|{R} Adult Learning|{N}",
	 "A free course teaching practical ways to cope with stress, worry and low mood.|"
	 "Six weekly sessions of mindfulness practice, with recordings to use at home.",
	 W_COURSE, V_CLINIC, P_FREE, R_NONE, 40, 0, 12},
	{"peer-support", "substance-use low-mood",
	 "{T} Recovery Café|SMART Recovery {T}|{T} Recovery Group|{T} Alcohol Support Group",
	 "{R} Recovery Service|{N}|We Are With You",
	 "A peer-led recovery group for anyone wanting to change their drinking or drug use.|"
	 "Recovery café: a safe, sober space with food, activities and people who've been there.",
	 W_EVE, V_HALL, P_FREE, R_NONE, 20, 0, 6},
	{"advice peer-support", "domestic-abuse confidence",
	 "{T} Freedom Programme|{T} Women's Aid Drop-in|Recovery Toolkit – {T}",
	 "{R} Women's Aid|{R} Domestic Abuse Service",
	 "A confidential group for women who have experienced domestic abuse.|"
	 "Understand what happened, rebuild confidence and plan for the future, with trained staff.",
	 W_COURSE, V_OFFICE, P_FREE, R_FEMALE, 30, 0, 4},
	{"faith coffee-morning community-meal", "loneliness bereavement",
	 "St {S}'s Open Door – {T}|{T} Methodist Friendship Club|{T} Gurdwara Langar|{T} Mosque Sisters' Circle|{T} "
	 "Churches Together Drop-in|Messy Church {T}",
	 "St {S}'s Church|{T} Methodist Church|{T} Baptist Church|{N}",
	 "Everyone is welcome, whatever your faith or none; a warm drink and a friendly face.|"
	 "Free vegetarian meal served to all who come, every day the doors are open.",
	 W_DAY, V_FAITH, P_FREE, R_NONE, 5, 0, 12},
	{"peer-support lectures", "long-term-condition loneliness",
	 "{T} Breathe Easy|{T} Diabetes Support Group|{T} Parkinson's UK Branch|{T} Stroke Club|{T} Heart Support "
	 "Group|Living Well with Pain – {T}",
	 "Asthma + Lung UK|Diabetes UK|Parkinson's UK|Stroke Association|{N}",
	 "A support group for people living with a long-term condition, and their families.|"
	 "Talks from health professionals, gentle exercise and a chance to share experiences.",
	 W_DAY, V_HALL, P_FREE, R_NONE, 20, 0, 14},
	{"cooking walking", "healthy-weight physical-activity",
	 "{T} Weight Management Group|Healthy You {T}|{T} Healthy Lifestyles Programme|Man v Fat {T}",
	 "{R} Healthy Lifestyles Service|NHS {R}|{N}",
	 "A twelve-week programme to help you lose weight, eat well and move more.", W_COURSE, V_CLINIC, P_FREE, R_PRO,
	 25, 0, 8},
	{"peer-support sport games", "anxiety confidence loneliness",
	 "{T} Youth Wellbeing Drop-in|{T} 16–25 Hub|Young Carers {T}|{T} Youth Club",
	 "{R} Youth Service|{T} YMCA|Kooth|{N}",
	 "A relaxed space for young people to hang out, talk and get support.|"
	 "Games, food, trips and someone to talk to about whatever is on your mind.",
	 W_EVE, V_HALL, P_FREE, R_YOUTH, 15, 0, 8},
	{"volunteering", "purpose employment confidence loneliness",
	 "Volunteer with {T} Foodbank|{T} Library Volunteers|{T} Community Transport|Friends of {T} Hospital|{T} "
	 "Charity Shop Volunteers",
	 "{T} Volunteer Centre|{N}|{T} Community Trust",
	 "We're looking for friendly volunteers to help a few hours a week - training given.|"
	 "Use your time and skills to help others and meet new people.",
	 W_DAY, V_OFFICE, P_FREE, R_NONE, 0, 0, 12},
};

static const char *const generic_names = "{T} {A} Club|{T} {A} Group|{A} for Wellbeing – {T}|{A} in {T}";

static const char *const saints =
	"Mary|John|Peter|Andrew|Michael|Paul|George|Luke|Mark|Margaret|James|Matthew|Laurence|Chad";

static const char *const streets =
	"High Street|Church Lane|Station Road|Market Place|Victoria Road|Mill Lane|Park Road|London Road|"
	"Queen Street|King Street|New Road|Chapel Street|Bridge Street|School Lane|The Green|North Street|"
	"Albert Road|Church Street|Manor Road|West Street|Castle Street|Broad Street|Green Lane|Springfield Road|"
	"Elm Grove|Alexandra Road|Orchard Way|Meadow Close|Priory Road|Windsor Road";

static const char *const venue_places[] = {
	/* V_HALL */
	"{T} Community Centre|{T} Village Hall|{T} Memorial Hall|The Salvation Army Hall|{T} Scout Hut|"
	"{T} Town Hall|{T} Family Hub|Friends Meeting House|{T} Social Club|Royal British Legion Club|{T} Civic Hall",
	/* V_LEISURE */
	"{T} Leisure Centre|{T} Sports Centre|{T} Swimming Pool|{T} Community Sports Hub|{T} Recreation Ground "
	"Pavilion",
	/* V_OUTDOOR */
	"Meet at the car park, {T} Country Park|Meet outside {T} Library|{T} Park café|"
	"Meet at the bandstand, {T} Recreation Ground|{T} Nature Reserve visitor centre|Meet at the war memorial",
	/* V_LIBRARY */
	"{T} Library|{T} Library and Information Centre|{T} Community Library",
	/* V_GARDEN */
	"{T} Community Garden|Allotments, {T}|{T} Walled Garden|{T} Growing Space",
	/* V_WORKSHOP */
	"Unit 4, {T} Enterprise Park|The Shed, rear of St {S}'s Church|The Old Fire Station|Unit 2, {T} Business "
	"Centre",
	/* V_CAFE */
	"{T} Community Café|The Old Bakery Café|{T} Garden Centre café|The Red Lion|{T} Arts Centre café",
	/* V_OFFICE */
	"{T} Community Hub|{T} Advice Centre|{T} Library|{T} Resource Centre|{T} Council Offices",
	/* V_FAITH */
	"St {S}'s Church Hall|{T} Methodist Church|{T} Baptist Church|Trinity URC Hall|St {S}'s Parish Rooms|{T} "
	"Community Centre",
	/* V_CLINIC */
	"{T} Health Centre|{T} Medical Practice|{T} Community Hospital|{T} Wellbeing Hub|{T} Library",
};

static const char *const welcomes =
	"Everyone welcome, no need to book.|Tea, coffee and biscuits provided.|"
	"Just turn up, or ring first if you'd like a chat about it.|New members always welcome.|"
	"Carers and family are welcome to come along too.|Tea & cake included.|"
	"Please ring before your first visit so we know to expect you.|"
	"Run by volunteers from the local community.|Places are limited, so please book.|"
	"Transport may be available - ask when you call.|You don't need a referral.";

static const char *const online_how =
	"Zoom|by telephone|Zoom video call, or dial in by telephone|telephone support|"
	"Microsoft Teams|weekly telephone call from a volunteer|video call or telephone appointments|"
	"webchat and telephone|free conference call by telephone|WhatsApp video";

static const char *const oov_langs = "pl|ur|pa|ar|en pl|pa en|ur en|bn en|so|pl en";

/* ------------------------------------------------------------------ */
/* Postcode districts.                                                 */

struct district {
	char code[8];    /* outward code, e.g. "SY8" */
	double lat, lon; /* centroid */
	char *towns;     /* "Main, Other, Other" as in the CSV */
	char *region;    /* county or authority, trimmed */
	double cum;      /* cumulative population up to and including this one */
};

struct districts {
	struct district *v; /* the usable rows, in file order */
	size_t n, cap;      /* used and allocated */
};

static void districts_release(struct districts *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++) {
		free(ds->v[i].towns);
		free(ds->v[i].region);
	}
	free(ds->v);
	ds->v = NULL;
	ds->n = ds->cap = 0;
}

/* Splits one CSV record in place into at most max fields, undoing RFC 4180
 * quoting. Returns the number of fields, or -1 on an unterminated quote. */
static int csv_split(char *line, char **fields, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		char *out = p;
		if (n == max)
			return n + 1; /* more fields than wanted: report it */
		fields[n++] = p;
		if (*p == '"') {
			char *in = p + 1;
			for (;;) {
				if (*in == '\0')
					return -1;
				if (*in == '"') {
					if (in[1] == '"') {
						*out++ = '"';
						in += 2;
						continue;
					}
					in++;
					break;
				}
				*out++ = *in++;
			}
			if (*in != ',' && *in != '\0')
				return -1;
			p = in;
		} else {
			size_t len = strcspn(p, ",");
			out = p + len;
			p = out;
		}
		if (*p == '\0') {
			*out = '\0';
			return n;
		}
		*out = '\0';
		p++;
	}
}

static int parse_double(const char *s, double *out)
{
	char *end;

	if (*s == '\0')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	if (errno || *end != '\0')
		return -1;
	return 0;
}

static char *dup_trimmed(const char *s)
{
	size_t len;
	char *d;

	while (*s == ' ')
		s++;
	len = strlen(s);
	while (len > 0 && s[len - 1] == ' ')
		len--;
	d = malloc(len + 1);
	if (!d)
		return NULL;
	memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

/* Loads the districts usable for placement: those with coordinates, live
 * postcodes and a population; the others carry no weight. */
static int districts_load(struct districts *ds, const char *path)
{
	int error = 0;
	FILE *f = NULL;
	char line[LINE_MAX_LEN];
	long lineno = 0;
	double total = 0.0;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "genfeed: %s: %s\n", path, strerror(errno));
		error = -1;
		goto cleanup;
	}
	while (fgets(line, sizeof(line), f)) {
		char *fields[7];
		size_t len = strlen(line);
		int nf;
		double lat, lon;
		long active, pop;
		char *end;
		struct district *d;

		lineno++;
		if (len == sizeof(line) - 1 && line[len - 1] != '\n' && !feof(f)) {
			fprintf(stderr, "genfeed: %s:%ld: line too long\n", path, lineno);
			error = -1;
			goto cleanup;
		}
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || (lineno == 1 && strncmp(line, "district,", 9) == 0))
			continue;
		nf = csv_split(line, fields, 7);
		if (nf != 7) {
			fprintf(stderr, "genfeed: %s:%ld: expected 7 fields, found %s\n", path, lineno,
				nf < 0   ? "an unterminated quote"
				: nf > 7 ? "more"
					 : "fewer");
			error = -1;
			goto cleanup;
		}
		if (parse_double(fields[1], &lat) || parse_double(fields[2], &lon))
			continue;
		errno = 0;
		active = strtol(fields[5], &end, 10);
		if (errno || *end != '\0' || active <= 0)
			continue;
		pop = strtol(fields[6], &end, 10);
		if (fields[6][0] == '\0' || errno || *end != '\0' || pop <= 0)
			continue;
		if (strlen(fields[0]) >= sizeof(d->code) || fields[0][0] == '\0') {
			fprintf(stderr, "genfeed: %s:%ld: bad district '%s'\n", path, lineno, fields[0]);
			error = -1;
			goto cleanup;
		}
		if (ds->n == ds->cap) {
			size_t cap = ds->cap ? ds->cap * 2 : 4096;
			struct district *v = realloc(ds->v, cap * sizeof(*v));
			if (!v) {
				fprintf(stderr, "genfeed: out of memory\n");
				error = -1;
				goto cleanup;
			}
			ds->v = v;
			ds->cap = cap;
		}
		d = &ds->v[ds->n];
		memset(d, 0, sizeof(*d));
		snprintf(d->code, sizeof(d->code), "%s", fields[0]);
		d->lat = lat;
		d->lon = lon;
		d->towns = dup_trimmed(fields[3][0] ? fields[3] : fields[0]);
		d->region = dup_trimmed(fields[4][0] ? fields[4] : fields[3]);
		if (!d->towns || !d->region) {
			free(d->towns);
			free(d->region);
			fprintf(stderr, "genfeed: out of memory\n");
			error = -1;
			goto cleanup;
		}
		total += (double)pop;
		d->cum = total;
		ds->n++;
	}
	if (ferror(f)) {
		fprintf(stderr, "genfeed: %s: read error\n", path);
		error = -1;
		goto cleanup;
	}
	if (ds->n == 0) {
		fprintf(stderr, "genfeed: %s: no district with a population and a centroid\n", path);
		error = -1;
		goto cleanup;
	}

cleanup:
	if (f)
		fclose(f);
	return error;
}

/* Population-weighted choice by binary search over the cumulative weights. */
static const struct district *districts_pick(const struct districts *ds, struct rng *r)
{
	double x = rng_unit(r) * ds->v[ds->n - 1].cum;
	size_t lo = 0, hi = ds->n - 1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ds->v[mid].cum > x)
			hi = mid;
		else
			lo = mid + 1;
	}
	return &ds->v[lo];
}

/* One of the district's towns, mostly the first (its main one), without the
 * " city centre" style suffixes that would read oddly in a name. */
static void pick_town(struct rng *r, const struct district *d, char *out, size_t size)
{
	static const char *const suffixes[] = {" city centre", " City Centre", " town centre", " Town Centre"};
	const char *list = d->towns;
	unsigned parts = 1, k, i;
	const char *p;
	size_t len;

	for (p = list; *p; p++)
		if (*p == ',')
			parts++;
	k = rng_pm(r, 550) ? 0 : rng_below(r, parts);
	p = list;
	for (i = 0; i < k; i++)
		p = strchr(p, ',') + 1;
	while (*p == ' ')
		p++;
	len = strcspn(p, ",");
	while (len > 0 && p[len - 1] == ' ')
		len--;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);
		if (len > sl && memcmp(p + len - sl, suffixes[i], sl) == 0)
			len -= sl;
	}
	if (len == 0) {
		p = d->code;
		len = strlen(p);
	}
	if (len >= size)
		len = size - 1;
	memcpy(out, p, len);
	out[len] = '\0';
}

/* A plausible full postcode in the district: inward code digit + two of the
 * letters Royal Mail uses there. */
static void make_postcode(struct rng *r, const struct district *d, char *out, size_t size)
{
	static const char letters[] = "ABDEFGHJLNPQRSTUWXYZ";
	unsigned n = (unsigned)(sizeof(letters) - 1);
	/* Separate statements: the order in which a call's arguments are
	 * evaluated is unspecified, and output must not depend on the compiler. */
	unsigned digit = rng_below(r, 10);
	char a = letters[rng_below(r, n)];
	char b = letters[rng_below(r, n)];

	snprintf(out, size, "%s %u%c%c", d->code, digit, a, b);
}

/* The centroid moved by up to max_km in a uniform direction, uniform over
 * the disc. */
static void jitter(struct rng *r, const struct district *d, double max_km, double *lat, double *lon)
{
	double dist = max_km * sqrt(rng_unit(r));
	double angle = 2.0 * PI * rng_unit(r);

	*lat = d->lat + dist * cos(angle) / 111.32;
	*lon = d->lon + dist * sin(angle) / (111.32 * cos(d->lat * PI / 180.0));
}

/* ------------------------------------------------------------------ */
/* Template expansion.                                                 */

struct ctx {
	const char *town;   /* {T} */
	const char *region; /* {R} */
	const char *saint;  /* {S} */
	const char *act;    /* {A} */
	const char *name;   /* {N} */
	const char *pron;   /* {P} */
};

static void tx_tmpl(struct text *t, const char *s, size_t len, const struct ctx *c)
{
	const char *end = s + len;

	while (s < end) {
		const char *sub = NULL;
		if (*s == '{' && s + 2 < end && s[2] == '}') {
			switch (s[1]) {
			case 'T': sub = c->town; break;
			case 'R': sub = c->region; break;
			case 'S': sub = c->saint; break;
			case 'A': sub = c->act; break;
			case 'N': sub = c->name; break;
			case 'P': sub = c->pron; break;
			default: break;
			}
		}
		if (sub) {
			tx_put(t, sub);
			s += 3;
		} else {
			tx_putn(t, s, 1);
			s++;
		}
	}
}

static void tx_pick_tmpl(struct text *t, struct rng *r, const char *list, const struct ctx *c)
{
	size_t len;
	const char *p = pick_piece(r, list, &len);

	tx_tmpl(t, p, len, c);
}

static const char *activity_word(const struct span *id)
{
	size_t i;

	for (i = 0; i < sizeof(activity_words) / sizeof(activity_words[0]); i++)
		if (strlen(activity_words[i].id) == id->n && memcmp(activity_words[i].id, id->p, id->n) == 0)
			return activity_words[i].word;
	return "Social";
}

/* Whether "{T} Word Club" reads like a real group's name: true for hobbies,
 * not for services such as advice or befriending. */
static int club_word(const struct span *id)
{
	static const char *const clubs =
		" walking running cycling swimming football walking-football bowls yoga tai-chi"
		" pilates dance gardening nature conservation fishing bird-watching singing music"
		" drama film arts crafts knitting sewing lace-making woodwork photography writing"
		" reading history games quiz board-games cooking baking computers languages ";
	const char *p = clubs;

	while ((p = strstr(p, " ")) != NULL && p[1]) {
		p++;
		if (strncmp(p, id->p, id->n) == 0 && p[id->n] == ' ')
			return 1;
	}
	return 0;
}

static const char *need_phrase_list(const struct span *id)
{
	size_t i;

	for (i = 0; i < sizeof(need_phrases) / sizeof(need_phrases[0]); i++)
		if (strlen(need_phrases[i].id) == id->n && memcmp(need_phrases[i].id, id->p, id->n) == 0)
			return need_phrases[i].phrases;
	return NULL;
}

/* "10am", "10.30am", "12pm", "7.30pm": how listings write times in prose. */
static void tx_clock(struct text *t, int minutes)
{
	int h = minutes / 60, m = minutes % 60;
	int h12 = h % 12 == 0 ? 12 : h % 12;

	if (m)
		tx_fmt(t, "%d.%02d%s", h12, m, h < 12 ? "am" : "pm");
	else
		tx_fmt(t, "%d%s", h12, h < 12 ? "am" : "pm");
}

/* ------------------------------------------------------------------ */
/* Groups.                                                             */

#define MAX_SESSIONS 3

struct session {
	int day;           /* 0 = mon */
	int start, end;    /* minutes after midnight */
	const char *weeks; /* NULL, or the weeks attribute */
};

struct schedule {
	int kind;  /* 0 none, 1 sessions, 2 by-appointment */
	int nsess; /* sessions used */
	struct session s[MAX_SESSIONS];
	long starts, ends; /* course bounds in days, or -1 */
};

static const char *weeks_words(const char *weeks)
{
	if (strcmp(weeks, "1 3") == 0)
		return "first and third";
	if (strcmp(weeks, "2 4") == 0)
		return "second and fourth";
	if (strcmp(weeks, "1") == 0)
		return "first";
	if (strcmp(weeks, "2") == 0)
		return "second";
	if (strcmp(weeks, "4") == 0)
		return "fourth";
	return "last";
}

static void make_schedule(struct rng *r, const struct kind *k, struct schedule *sc)
{
	static const int day_starts[] = {570, 600, 600, 630, 600, 660, 780, 810, 840, 840};
	static const int eve_starts[] = {1080, 1110, 1140, 1140, 1170};
	static const int lengths[] = {60, 90, 90, 120, 120, 120, 150, 180};
	static const char *const weeks[] = {"1 3", "1 3", "2 4", "1", "2", "4", "last"};
	int when = k->when, n, i, used = 0;
	/* One-to-one arrangements suit services that reach out, not walks. */
	int appt_ok = k->online >= 10 || k->home > 0;
	unsigned roll = rng_below(r, 1000);

	memset(sc, 0, sizeof(*sc));
	sc->starts = sc->ends = -1;
	if (roll < 150)
		return; /* unknown: a good share of real listings say nothing */
	if (when == W_APPT ? roll < 850 : appt_ok && roll < 400) {
		sc->kind = 2;
		return;
	}
	sc->kind = 1;
	if (when == W_COURSE ? rng_pm(r, 700) : rng_pm(r, 25)) {
		/* Courses between May 2026 and March 2027, so that some have
		 * ended before "today" (2026-11-23) and some are to come. */
		long first = days_from_civil(2026, 5, 1);
		long span = days_from_civil(2027, 3, 31) - first;
		sc->starts = first + (long)rng_below(r, (unsigned)span);
		while (weekday(sc->starts) >= 5)
			sc->starts++;
		sc->ends = sc->starts + 7L * rng_range(r, 5, 11);
		sc->nsess = 1;
		sc->s[0].day = weekday(sc->starts);
		sc->s[0].start = rng_pm(r, 250) ? eve_starts[rng_below(r, 5)] : day_starts[rng_below(r, 10)];
		sc->s[0].end = sc->s[0].start + (rng_pm(r, 500) ? 120 : 90);
		return;
	}
	n = rng_pm(r, 700) ? 1 : rng_pm(r, 700) ? 2 : 3;
	if (when == W_MIX)
		when = rng_pm(r, 650) ? W_DAY : W_EVE;
	for (i = 0; i < n; i++) {
		struct session *s = &sc->s[sc->nsess];
		int day;
		if (when == W_WEEKEND)
			day = rng_pm(r, 700) ? 5 : 6;
		else
			day = rng_pm(r, 960) ? (int)rng_below(r, 5) : 5 + (int)rng_below(r, 2);
		if (used & (1 << day))
			continue;
		used |= 1 << day;
		if (when == W_LUNCH) {
			s->start = rng_pm(r, 700) ? 720 : 690;
			s->end = s->start + (rng_pm(r, 500) ? 90 : 120);
		} else if (when == W_EVE || (when == W_DAY && rng_pm(r, 80))) {
			s->start = eve_starts[rng_below(r, 5)];
			s->end = s->start + lengths[rng_below(r, 5)];
		} else if (when == W_WEEKEND) {
			s->start = rng_pm(r, 500) ? 540 : 600;
			s->end = s->start + lengths[rng_below(r, 8)];
		} else {
			s->start = day_starts[rng_below(r, 10)];
			s->end = s->start + lengths[rng_below(r, 8)];
		}
		s->day = day;
		s->weeks = rng_pm(r, 130) ? weeks[rng_below(r, 7)] : NULL;
		sc->nsess++;
	}
	/* Listings give sessions in week order. */
	for (i = 1; i < sc->nsess; i++) {
		int j = i;
		while (j > 0 && sc->s[j - 1].day > sc->s[j].day) {
			struct session tmp = sc->s[j];
			sc->s[j] = sc->s[j - 1];
			sc->s[j - 1] = tmp;
			j--;
		}
	}
}

/* The schedule in words, as a listing's description would give it. */
static void tx_schedule(struct text *t, struct rng *r, const struct schedule *sc)
{
	int i;

	if (sc->kind == 2) {
		tx_put(t, rng_pm(r, 500) ? "By appointment - ring us to arrange a time that suits you."
					 : "Appointments to suit you, weekdays.");
		return;
	}
	if (sc->starts >= 0) {
		int y, m, d;
		civil_from_days(sc->starts, &y, &m, &d);
		tx_fmt(t, "%ld weekly sessions on %ss from %d %s %d, ", (sc->ends - sc->starts) / 7 + 1,
		       day_name[sc->s[0].day], d, month_name[m - 1], y);
		tx_clock(t, sc->s[0].start);
		tx_put(t, " to ");
		tx_clock(t, sc->s[0].end);
		tx_put(t, ".");
		return;
	}
	for (i = 0; i < sc->nsess; i++) {
		const struct session *s = &sc->s[i];
		if (i > 0)
			tx_put(t, i + 1 == sc->nsess ? " and " : ", ");
		if (s->weeks)
			tx_fmt(t, "%s%s %s of the month, ", i == 0 ? "The " : "the ", weeks_words(s->weeks),
			       day_name[s->day]);
		else
			tx_fmt(t, "%ss ", day_name[s->day]);
		tx_clock(t, s->start);
		tx_put(t, rng_pm(r, 500) ? " to " : "-");
		tx_clock(t, s->end);
	}
	tx_put(t, ".");
}

struct cost {
	int kind;        /* 0 absent, 1 free, 2 amount */
	int pence;       /* amount when kind is 2 */
	const char *per; /* session, week, month, course */
};

static void make_cost(struct rng *r, const struct kind *k, struct cost *c)
{
	static const int session_pence[] = {100, 150, 200, 200, 250, 300, 300, 350, 400, 450, 500, 600};
	unsigned roll = rng_below(r, 1000);

	c->kind = 0;
	c->pence = 0;
	c->per = "session";
	if (roll < 100)
		return;
	c->kind = 2;
	switch (k->price) {
	case P_FREE:
		if (roll < 850) {
			c->kind = 1;
			return;
		}
		c->pence = session_pence[rng_below(r, 6)];
		return;
	case P_MONTH:
		if (roll < 800) {
			c->per = "month";
			c->pence = 100 * rng_range(r, 15, 35);
		} else {
			c->pence = 100 * rng_range(r, 3, 6);
		}
		return;
	case P_MEAL: c->pence = 300 + 50 * rng_range(r, 0, 6); return;
	default: break;
	}
	if (roll < 330) {
		c->kind = 1;
	} else if (roll < 920) {
		c->pence = session_pence[rng_below(r, 12)];
	} else if (roll < 960) {
		c->per = "week";
		c->pence = 100 * rng_range(r, 3, 10);
	} else if (roll < 985) {
		c->per = "month";
		c->pence = 100 * rng_range(r, 10, 30);
	} else {
		c->per = "course";
		c->pence = 500 * rng_range(r, 4, 12);
	}
}

struct elig {
	int min_age, max_age; /* 0 when absent */
	const char *gender;   /* NULL, "female", "male" */
	int professional;     /* referral="professional" */
	const char *requires; /* circumstance, or NULL */
};

static void make_elig(struct rng *r, const struct kind *k, struct elig *e)
{
	static const int older[] = {50, 55, 60, 65, 60};

	memset(e, 0, sizeof(*e));
	if (k->rule != R_NONE && rng_pm(r, k->rule == R_OLDER ? 450 : 700)) {
		switch (k->rule) {
		case R_CARER:
			e->requires
			= "carer";
			break;
		case R_DEMENTIA:
			e->requires
			= "dementia";
			break;
		case R_NEWPARENT:
			e->requires
			= "new-parent";
			break;
		case R_VETERAN:
			e->requires
			= "veteran";
			break;
		case R_OLDER: e->min_age = older[rng_below(r, 5)]; break;
		case R_YOUTH:
			e->min_age = rng_pm(r, 500) ? 16 : 18;
			e->max_age = rng_pm(r, 600) ? 25 : 30;
			break;
		case R_MALE: e->gender = "male"; break;
		case R_FEMALE: e->gender = "female"; break;
		case R_PRO: e->professional = 1; break;
		default: break;
		}
		if (k->rule == R_MALE || k->rule == R_FEMALE || k->rule == R_PRO)
			if (rng_pm(r, 500))
				e->min_age = 18;
		return;
	}
	if (rng_pm(r, 120))
		e->min_age = rng_pm(r, 800) ? 18 : older[rng_below(r, 5)];
	if (rng_pm(r, 25))
		e->gender = rng_pm(r, 600) ? "female" : "male";
	if (rng_pm(r, 30))
		e->professional = 1;
	if (rng_pm(r, 15)) {
		static const char *const circ[] = {"carer", "veteran", "dementia", "new-parent"};
		e->requires = circ[rng_below(r, 4)];
	}
}

/* A slug for email and web addresses, from a group or organisation name. */
static void slugify(const char *s, char *out, size_t size)
{
	size_t n = 0;
	int dash = 0;

	for (; *s && n + 1 < size; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
			if (dash && n > 0 && n + 2 < size)
				out[n++] = '-';
			out[n++] = (char)ch;
			dash = 0;
		} else if (ch >= 'A' && ch <= 'Z') {
			if (dash && n > 0 && n + 2 < size)
				out[n++] = '-';
			out[n++] = (char)(ch - 'A' + 'a');
			dash = 0;
		} else if (ch != '\'') {
			dash = 1;
		}
	}
	out[n] = '\0';
	/* Long names make unwieldy addresses; keep whole words. */
	if (n > 28) {
		char *cut = memchr(out, '-', 29) ? out + 28 : NULL;
		while (cut && cut > out && *cut != '-')
			cut--;
		n = cut && cut > out ? (size_t)(cut - out) : 28;
		out[n] = '\0';
	}
	if (n == 0) {
		out[n++] = 'x';
		out[n] = '\0';
	}
}

static void put_point(FILE *f, const char *indent, double lat, double lon)
{
	fprintf(f, "%s<point lat=\"%.4f\" lon=\"%.4f\"/>\n", indent, lat, lon);
}

static void put_venue(FILE *f, struct rng *r, const struct kind *k, const struct district *d, const struct ctx *c,
		      double *lat, double *lon)
{
	struct text addr;
	char postcode[24];
	size_t len;
	const char *p;
	int vclass = k->venue;

	/* Any kind can meet in an ordinary hall now and then. */
	if (rng_pm(r, 150))
		vclass = V_HALL;
	tx_clear(&addr);
	tx_pick_tmpl(&addr, r, venue_places[vclass], c);
	if (strncmp(addr.s, "Meet ", 5) != 0 || rng_pm(r, 300)) {
		tx_put(&addr, ", ");
		if (rng_pm(r, 350))
			tx_fmt(&addr, "%d ", rng_range(r, 1, 140));
		p = pick_piece(r, streets, &len);
		tx_putn(&addr, p, len);
	}
	tx_put(&addr, ", ");
	tx_put(&addr, c->town);
	make_postcode(r, d, postcode, sizeof(postcode));
	jitter(r, d, 2.0, lat, lon);

	fputs("    <venue>\n", f);
	put_elem(f, "      ", "address", addr.s);
	put_elem(f, "      ", "postcode", postcode);
	if (!rng_pm(r, 50))
		put_point(f, "      ", *lat, *lon);
	fputs("    </venue>\n", f);
}

static const char *tri(struct rng *r, unsigned yes_pm, unsigned no_pm)
{
	unsigned x = rng_below(r, 1000);

	if (x < yes_pm)
		return "yes";
	if (x < yes_pm + no_pm)
		return "no";
	return "unknown";
}

static void put_access(FILE *f, struct rng *r, const struct kind *k)
{
	static const char *const attrs[] = {"wheelchair",        "step-free", "hearing-loop",
					    "accessible-toilet", "parking",   "public-transport"};
	static const unsigned present[] = {650, 550, 300, 400, 300, 250};
	int outdoor = k->venue == V_OUTDOOR || k->venue == V_GARDEN;
	int i, any = 0;

	if (rng_pm(r, 450))
		return;
	fputs("    <access", f);
	for (i = 0; i < 6; i++) {
		if (!rng_pm(r, present[i]))
			continue;
		if (outdoor && i < 2)
			fprintf(f, " %s=\"%s\"", attrs[i], tri(r, 300, 450));
		else
			fprintf(f, " %s=\"%s\"", attrs[i], tri(r, 620, 130));
		any++;
	}
	if (!any)
		fprintf(f, " wheelchair=\"%s\"", tri(r, 600, 150));
	fputs("/>\n", f);
}

/* Writes the tags of one kind list: n distinct ids in random order, with an
 * out-of-vocabulary word now and then. */
static void put_tags(FILE *f, struct rng *r, const char *outer, const char *inner, const struct span *ids, int nids,
		     int n, const char *oov)
{
	int order[8], i;

	for (i = 0; i < nids; i++)
		order[i] = i;
	/* The primary activity is usually listed first; the rest shuffle. */
	for (i = nids - 1; i > 1; i--) {
		int j = 1 + (int)rng_below(r, (unsigned)i);
		int tmp = order[i];
		order[i] = order[j];
		order[j] = tmp;
	}
	if (n > nids)
		n = nids;
	fprintf(f, "    <%s>", outer);
	for (i = 0; i < n; i++)
		fprintf(f, "<%s>%.*s</%s>", inner, (int)ids[order[i]].n, ids[order[i]].p, inner);
	if (rng_pm(r, 40)) {
		size_t len;
		const char *p = pick_piece(r, oov, &len);
		fprintf(f, "<%s>%.*s</%s>", inner, (int)len, p, inner);
	}
	fprintf(f, "</%s>\n", outer);
}

static void gen_group(FILE *f, const struct districts *ds, uint64_t seed, unsigned long index)
{
	struct rng r;
	const struct kind *k;
	const struct district *d;
	struct span acts[8], needs[8];
	int nacts, nneeds, i, tagged, nneed_tags, nact_tags;
	char town[128], saint[32];
	struct text name, text;
	struct ctx c;
	struct schedule sc;
	struct cost cost;
	struct elig el;
	double lat = 0.0, lon = 0.0, lat2, lon2;
	char date[40];
	long updated;
	size_t len;
	const char *p;
	unsigned pick;
	static unsigned total_weight;

	if (total_weight == 0)
		for (i = 0; i < (int)(sizeof(kinds) / sizeof(kinds[0])); i++)
			total_weight += kinds[i].weight;

	rng_init(&r, seed, STREAM_GROUP, index);
	pick = rng_below(&r, total_weight);
	for (k = kinds; pick >= k->weight; k++)
		pick -= k->weight;
	d = districts_pick(ds, &r);
	pick_town(&r, d, town, sizeof(town));
	p = pick_piece(&r, saints, &len);
	snprintf(saint, sizeof(saint), "%.*s", (int)len, p);
	nacts = split_words(k->acts, acts, 8);
	nneeds = split_words(k->needs, needs, 8);

	c.town = town;
	c.region = d->region;
	c.saint = saint;
	c.act = activity_word(&acts[0]);
	c.name = "";
	c.pron = "their";
	tx_clear(&name);
	tx_pick_tmpl(&name, &r, rng_pm(&r, 120) && club_word(&acts[0]) ? generic_names : k->names, &c);
	c.name = name.s;

	/* Listings are checked at uneven intervals: most in the last months,
	 * a tail going back to mid-2023 that is plainly stale. */
	{
		long lo, hi;
		unsigned x = rng_below(&r, 1000);
		if (x < 550) {
			lo = days_from_civil(2026, 5, 1);
			hi = days_from_civil(2026, 11, 1);
		} else if (x < 800) {
			lo = days_from_civil(2025, 6, 1);
			hi = days_from_civil(2026, 5, 1);
		} else {
			lo = days_from_civil(2023, 6, 1);
			hi = days_from_civil(2025, 6, 1);
		}
		updated = lo + (long)rng_below(&r, (unsigned)(hi - lo + 1));
		fmt_date(date, sizeof(date), updated);
	}

	fprintf(f, "  <group id=\"g%lu\"", index + 1);
	if (!rng_pm(&r, 20))
		fprintf(f, " updated=\"%s\"", date);
	fputs(">\n", f);
	put_elem(f, "    ", "name", name.s);
	if (rng_pm(&r, 880)) {
		tx_clear(&text);
		tx_pick_tmpl(&text, &r, k->orgs, &c);
		put_elem(f, "    ", "organisation", text.s);
	}

	make_schedule(&r, k, &sc);
	make_cost(&r, k, &cost);
	make_elig(&r, k, &el);

	/* Description: an opening that names the activity, then up to three of
	 * needs in plain words, practicalities, and a welcome. */
	if (rng_pm(&r, 970)) {
		enum { S_NEED = 1, S_WHEN = 2, S_COST = 4, S_RULE = 8, S_WELCOME = 16 };
		int extra = (int)rng_below(&r, 4), used = 0;
		tx_clear(&text);
		tx_pick_tmpl(&text, &r, k->opens, &c);
		for (i = 0; i < extra; i++) {
			unsigned what = rng_below(&r, 10);
			size_t mark = text.n;
			tx_put(&text, " ");
			if (what < 4 && !(used & S_NEED)) {
				const char *list = need_phrase_list(&needs[rng_below(&r, (unsigned)nneeds)]);
				used |= S_NEED;
				if (list) {
					tx_pick_tmpl(&text, &r, list, &c);
					continue;
				}
			}
			if (what < 7 && sc.kind != 0 && !(used & S_WHEN)) {
				used |= S_WHEN;
				tx_schedule(&text, &r, &sc);
			} else if (what < 7 && cost.kind == 2 && !(used & S_COST)) {
				used |= S_COST;
				tx_fmt(&text, "£%d.%02d a %s.", cost.pence / 100, cost.pence % 100, cost.per);
			} else if (what < 7 && cost.kind == 1 && !(used & S_COST)) {
				used |= S_COST;
				tx_put(&text, rng_pm(&r, 500) ? "It's free." : "Free of charge.");
			} else if (what == 7 && (used & S_RULE)) {
				text.n = mark;
				text.s[mark] = '\0';
			} else if (what == 7 && el.requires) {
				used |= S_RULE;
				tx_fmt(&text, "This group is only for people who are %s.",
				       strcmp(el.requires, "carer") == 0     ? "unpaid carers"
				       : strcmp(el.requires, "veteran") == 0 ? "veterans of the armed forces"
				       : strcmp(el.requires, "dementia") == 0
					       ? "living with dementia, with their carers"
					       : "parents of babies under one");
			} else if (what == 7 && el.min_age >= 50) {
				used |= S_RULE;
				tx_fmt(&text, "For people aged %d and over.", el.min_age);
			} else if (!(used & S_WELCOME)) {
				used |= S_WELCOME;
				tx_pick_tmpl(&text, &r, welcomes, &c);
			} else {
				text.n = mark; /* nothing new to say */
				text.s[mark] = '\0';
			}
		}
		/* Some listings keep their hours only in the text. */
		if (sc.kind == 0 && rng_pm(&r, 400)) {
			struct schedule hidden;
			struct kind plain = *k;
			plain.when = k->when == W_APPT || k->when == W_COURSE ? W_DAY : k->when;
			make_schedule(&r, &plain, &hidden);
			if (hidden.kind == 1 && hidden.starts < 0) {
				tx_put(&text, " ");
				tx_schedule(&text, &r, &hidden);
			}
		}
		put_elem(f, "    ", "description", text.s);
	}

	/* Tags: a third of listings carry none at all. */
	tagged = rng_pm(&r, 650);
	nneed_tags = tagged && rng_pm(&r, 930) ? 1 + (int)rng_below(&r, 3) : 0;
	nact_tags = tagged && (nneed_tags == 0 || rng_pm(&r, 920)) ? 1 + (int)rng_below(&r, 3) : 0;
	if (nneed_tags)
		put_tags(f, &r, "needs", "need", needs, nneeds, nneed_tags, oov_needs);
	if (nact_tags)
		put_tags(f, &r, "activities", "activity", acts, nacts, nact_tags, oov_activities);

	/* Venues; helplines and befriending schemes may have none. */
	{
		int remote = rng_pm(&r, (unsigned)k->online * 10 + 50);
		int home = rng_pm(&r, (unsigned)k->home * 10 + 30);
		int venues = (remote || home) && k->when == W_APPT && rng_pm(&r, 400) ? 0 : rng_pm(&r, 920) ? 1 : 2;
		for (i = 0; i < venues; i++)
			put_venue(f, &r, k, d, &c, i == 0 ? &lat : &lat2, i == 0 ? &lon : &lon2);
		if (venues == 0)
			jitter(&r, d, 2.0, &lat, &lon);
		if (remote) {
			fputs("    <online", f);
			p = pick_piece(&r, online_how, &len);
			fprintf(f, " how=\"%.*s\"/>\n", (int)len, p);
		}
		if (home) {
			fprintf(f, "    <home-visits radius-km=\"%d\">", rng_range(&r, 5, 20));
			fprintf(f, "<point lat=\"%.4f\" lon=\"%.4f\"/></home-visits>\n", lat, lon);
		}
	}

	if (sc.kind == 2) {
		fputs("    <schedule>\n      <by-appointment/>\n    </schedule>\n", f);
	} else if (sc.kind == 1) {
		fputs("    <schedule", f);
		if (sc.starts >= 0) {
			char s1[40], s2[40];
			fmt_date(s1, sizeof(s1), sc.starts);
			fmt_date(s2, sizeof(s2), sc.ends);
			fprintf(f, " starts=\"%s\" ends=\"%s\"", s1, s2);
		}
		fputs(">\n", f);
		for (i = 0; i < sc.nsess; i++) {
			const struct session *s = &sc.s[i];
			fprintf(f, "      <session day=\"%s\" start=\"%02d:%02d\" end=\"%02d:%02d\"", day_id[s->day],
				s->start / 60, s->start % 60, s->end / 60, s->end % 60);
			if (s->weeks)
				fprintf(f, " weeks=\"%s\"", s->weeks);
			fputs("/>\n", f);
		}
		fputs("    </schedule>\n", f);
	}

	put_access(f, &r, k);

	if (el.min_age || el.max_age || el.gender || el.professional || el.requires) {
		fputs("    <eligibility", f);
		if (el.min_age)
			fprintf(f, " min-age=\"%d\"", el.min_age);
		if (el.max_age)
			fprintf(f, " max-age=\"%d\"", el.max_age);
		if (el.gender)
			fprintf(f, " gender=\"%s\"", el.gender);
		if (el.professional)
			fputs(" referral=\"professional\"", f);
		if (el.requires)
			fprintf(f, ">\n      <requires>%s</requires>\n    </eligibility>\n", el.requires);
		else
			fputs("/>\n", f);
	}

	if (cost.kind == 1)
		fputs("    <cost free=\"yes\"/>\n", f);
	else if (cost.kind == 2)
		fprintf(f, "    <cost amount=\"%d.%02d\" per=\"%s\"/>\n", cost.pence / 100, cost.pence % 100, cost.per);

	{
		unsigned x = rng_below(&r, 1000);
		if (x < 100)
			fputs("    <capacity status=\"waiting-list\"/>\n", f);
		else if (x < 110)
			fputs("    <capacity status=\"closed\"/>\n", f);
		else if (x < 300)
			fputs("    <capacity status=\"open\"/>\n", f);
	}

	{
		unsigned x = rng_below(&r, 1000);
		if (x < 30) {
			p = pick_piece(&r, oov_langs, &len);
			fprintf(f, "    <languages>%.*s</languages>\n", (int)len, p);
		} else if (x < 80) {
			fputs("    <languages>en</languages>\n", f);
		}
	}

	if (rng_pm(&r, 900)) {
		char slug[64];
		int any = 0;
		slugify(rng_pm(&r, 500) ? name.s : c.town, slug, sizeof(slug));
		fputs("    <contact", f);
		if (rng_pm(&r, 800)) {
			if (rng_pm(&r, 850))
				fprintf(f, " phone=\"01632 960%03u\"", rng_below(&r, 1000));
			else
				fprintf(f, " phone=\"07700 900%03u\"", rng_below(&r, 1000));
			any = 1;
		}
		if (rng_pm(&r, 450)) {
			fprintf(f, " email=\"%s@example.org\"", slug);
			any = 1;
		}
		if (rng_pm(&r, 400) || !any)
			fprintf(f, " web=\"https://example.org/%s\"", slug);
		fputs("/>\n", f);
	}
	fputs("  </group>\n", f);
}

/* ------------------------------------------------------------------ */
/* Patients.                                                           */

/* Who an interest can belong to, so that profiles hang together. */
enum who { I_ANY, I_OLDER, I_RETIRED, I_MUM, I_CARER, I_VETERAN, I_NEWCOMER };

static const struct {
	const char *text; /* in the person's words; {P} is his, her or their */
	const char *tag;  /* activity id, or NULL */
	int who;          /* enum who */
} interests[] = {
	{"used to have an allotment", "gardening", I_OLDER},
	{"fancy a natter and a cuppa", "coffee-morning", I_ANY},
	{"played in a brass band", "music", I_OLDER},
	{"sang in the church choir for years", "singing", I_OLDER},
	{"loves a crossword and a quiz", "quiz", I_ANY},
	{"watches the football every Saturday", "football", I_ANY},
	{"walks the dog most mornings", "walking", I_ANY},
	{"did a lot of knitting when the kids were small", "knitting", I_OLDER},
	{"enjoys baking, makes a mean Victoria sponge", "baking", I_ANY},
	{"into family history", "history", I_ANY},
	{"was a joiner by trade and likes making things", "woodwork", I_OLDER},
	{"misses going dancing", "dance", I_ANY},
	{"wants to get fitter after {P} heart op", "gym", I_OLDER},
	{"reads a lot, mostly crime novels", "reading", I_ANY},
	{"keen on birds, has a feeder in the garden", "bird-watching", I_ANY},
	{"used to go fishing with {P} dad", "fishing", I_ANY},
	{"paints watercolours", "arts", I_ANY},
	{"would like to learn to use the tablet the family bought", "computers", I_OLDER},
	{"would like to practise English", "languages", I_NEWCOMER},
	{"likes old films", "film", I_ANY},
	{"goes to church on Sundays", "faith", I_ANY},
	{"used to play bowls", "bowls", I_RETIRED},
	{"likes swimming but hasn't been for years", "swimming", I_ANY},
	{"happiest outdoors", "nature", I_ANY},
	{"cooks curries for the whole family", "cooking", I_ANY},
	{"likes a game of cards or dominoes", "games", I_ANY},
	{"wants something useful to do since retiring", "volunteering", I_RETIRED},
	{"would love to meet other mums", "parent-and-baby", I_MUM},
	{"just wants someone to talk to", "befriending", I_ANY},
	{"takes photos on {P} phone", "photography", I_ANY},
	{"enjoys a sing-song", "singing", I_ANY},
	{"sewing and mending", "sewing", I_ANY},
	{"likes a good chat about the news", "discussion", I_ANY},
	{"yoga helped with {P} back pain", "yoga", I_ANY},
	{"used to cycle everywhere", "cycling", I_ANY},
	{"would like to meet other carers", "carers-group", I_CARER},
	{"served in the army, misses the banter", "peer-support", I_VETERAN},
	{"did amateur dramatics", "drama", I_ANY},
	{"writes poems", "writing", I_ANY},
	{"watches tai chi videos on YouTube", "tai-chi", I_ANY},
	{"loves a board game", "board-games", I_ANY},
	{"enjoys a talk on local history", "lectures", I_ANY},
	{"likes a proper sit-down lunch with company", "lunch-club", I_RETIRED},
	{"tinkering with old motorbikes", "mens-shed", I_ANY},
	{"used to run half marathons", "running", I_ANY},
	{"bingo on a Friday", NULL, I_ANY},
	{"wants to try mindfulness for {P} nerves", "mindfulness", I_ANY},
	{"likes wildlife and conservation work", "conservation", I_ANY},
	{"the garden is {P} pride and joy", "gardening", I_ANY},
	{"anything with music in it", "music", I_ANY},
	{"gaming and building PCs", "computers", I_ANY},
	{"looks after {P} mum, hardly gets a minute", "carers-group", I_CARER},
	{"misses the lads from the regiment", "peer-support", I_VETERAN},
};

static const char *const limits = "no car|doesn't like big groups|bad knees, can't walk far|finds noisy places hard|"
				  "works days so evenings only|hard of hearing|the bus only runs a few times a day|"
				  "nervous about going somewhere new on {P} own|gets tired quickly";

static const char *const patient_needs[] = {
	"loneliness",
	"loneliness",
	"loneliness",
	"low-mood",
	"low-mood",
	"anxiety",
	"anxiety",
	"bereavement",
	"confidence",
	"purpose",
	"physical-activity",
	"physical-activity",
	"healthy-weight",
	"long-term-condition",
	"falls-prevention",
	"memory",
	"money",
	"benefits",
	"housing",
	"employment",
	"learning",
	"digital-skills",
	"food",
	"substance-use",
	"parenting",
	"english-language",
	"carer-support",
};

#define P_FIELDS 10

struct patient {
	int age;                                     /* years */
	const char *gender;                          /* NULL when not given */
	char circ[96];                               /* space-separated circumstances, may be empty */
	const char *needs[3];                        /* distinct need ids */
	const char *prio[3];                         /* "high", "low" or NULL */
	int nneeds;                                  /* used */
	struct text interests;                       /* free text */
	int itag[3];                                 /* interest rows, for <tag> */
	int ntags;                                   /* <tag> children to write */
	const char *langs;                           /* NULL for absent */
	char postcode[24];                           /* home postcode */
	int has_point;                               /* write a point */
	double lat, lon;                             /* home point */
	int has_mobility;                            /* write mobility */
	const char *travel;                          /* max-travel-km */
	int wheelchair, stepfree, hloop, housebound; /* need flags */
	const char *online;                          /* "yes", "no" or NULL */
	int nwin;                                    /* availability windows, 0 for absent */
	int wday[4], wstart[4], wend[4];             /* windows */
	int budget;                                  /* pounds, -1 for absent */
};

static void add_need(struct patient *p, const char *need)
{
	int i;

	if (p->nneeds >= 3)
		return;
	for (i = 0; i < p->nneeds; i++)
		if (strcmp(p->needs[i], need) == 0)
			return;
	p->needs[p->nneeds++] = need;
}

static void add_circ(struct patient *p, const char *circ)
{
	size_t n = strlen(p->circ);

	snprintf(p->circ + n, sizeof(p->circ) - n, "%s%s", n ? " " : "", circ);
}

static void make_patient(struct rng *r, const struct districts *ds, struct patient *p)
{
	static const char *const travel[] = {"1", "1.5", "2",  "2.5", "3",  "4",  "5", "5",
					     "8", "10",  "10", "12",  "15", "20", "25"};
	static const int budgets[] = {0, 0, 2, 3, 3, 4, 5, 5, 10};
	static const char *const langs = "pl|ur en|pa hi|ar|bn en|so|pl en|uk|pa en|ro";
	const struct district *d;
	struct ctx c;
	int i, n, used_rows[3];
	size_t len;
	const char *s;

	memset(p, 0, sizeof(*p));
	p->budget = -1;
	p->age = rng_pm(r, 350) ? rng_range(r, 18, 59) : rng_range(r, 60, 95);
	if (!rng_pm(r, 50)) {
		unsigned x = rng_below(r, 1000);
		p->gender = x < 560 ? "female" : x < 985 ? "male" : "other";
	}

	if (rng_pm(r, 250)) {
		unsigned x = rng_below(r, 100);
		if (x < 30) {
			add_circ(p, "carer");
			add_need(p, "carer-support");
		} else if (x < 45) {
			add_circ(p, "bereaved");
			add_need(p, "bereavement");
		} else if (x < 65) {
			add_circ(p, "long-term-condition");
			add_need(p, "long-term-condition");
		} else if (x < 73) {
			add_circ(p, "veteran");
		} else if (x < 78 && p->age >= 60) {
			add_circ(p, "dementia");
			add_need(p, "memory");
		} else if (x < 85 && p->age < 45) {
			add_circ(p, "new-parent");
			add_need(p, "parenting");
		} else if (x < 92 && p->age < 65) {
			add_circ(p, "unemployed");
			add_need(p, "employment");
		} else if (x < 95) {
			add_circ(p, "hearing-loss");
		} else if (x < 97) {
			add_circ(p, "sight-loss");
		} else if (x < 99 && p->age < 40) {
			add_circ(p, "autism");
		} else {
			add_circ(p, "refugee");
			add_need(p, "english-language");
		}
	}
	n = 1 + (int)rng_below(r, 3);
	while (p->nneeds < n) {
		const char *need = patient_needs[rng_below(r, sizeof(patient_needs) / sizeof(patient_needs[0]))];
		if (strcmp(need, "parenting") == 0 && p->age > 45)
			continue;
		add_need(p, need);
	}
	for (i = 0; i < p->nneeds; i++) {
		if (i == 0 && rng_pm(r, 600))
			p->prio[i] = "high";
		else if (i > 0 && rng_pm(r, 200))
			p->prio[i] = "low";
	}

	for (i = 0; i < p->nneeds; i++)
		if (strcmp(p->needs[i], "english-language") == 0 && rng_pm(r, 700))
			p->langs = pick_piece(r, langs, &len);
	if (rng_pm(r, 50))
		p->langs = pick_piece(r, langs, &len);

	memset(&c, 0, sizeof(c));
	c.pron = !p->gender || strcmp(p->gender, "other") == 0 ? "their"
		 : strcmp(p->gender, "female") == 0            ? "her"
							       : "his";
	tx_clear(&p->interests);
	n = 1 + (int)rng_below(r, 3);
	for (i = 0; i < n; i++) {
		int row, j, ok;
		unsigned tries = 0;
		do {
			row = (int)rng_below(r, sizeof(interests) / sizeof(interests[0]));
			switch (interests[row].who) {
			case I_OLDER: ok = p->age >= 50; break;
			case I_RETIRED: ok = p->age >= 62; break;
			case I_MUM: ok = p->age < 45 && p->gender && strcmp(p->gender, "female") == 0; break;
			case I_CARER: ok = strstr(p->circ, "carer") != NULL; break;
			case I_VETERAN: ok = strstr(p->circ, "veteran") != NULL; break;
			case I_NEWCOMER: ok = p->langs != NULL; break;
			default: ok = 1; break;
			}
			for (j = 0; j < i; j++)
				ok &= used_rows[j] != row;
			/* A carer or veteran often says so in their own words. */
			if (i == 0 && interests[row].who == I_ANY && tries < 20 &&
			    (strstr(p->circ, "carer") || strstr(p->circ, "veteran")) && rng_pm(r, 500))
				ok = 0;
			tries++;
		} while (!ok);
		used_rows[i] = row;
		if (i > 0)
			tx_put(&p->interests, rng_pm(r, 600) ? ", " : "; ");
		tx_tmpl(&p->interests, interests[row].text, strlen(interests[row].text), &c);
	}
	if (rng_pm(r, 300)) {
		tx_put(&p->interests, "; ");
		s = pick_piece(r, limits, &len);
		tx_tmpl(&p->interests, s, len, &c);
	}
	if (rng_pm(r, 250))
		for (i = 0; i < n; i++)
			if (interests[used_rows[i]].tag)
				p->itag[p->ntags++] = used_rows[i];

	/* A piece of the list, ending at '|' or NUL; written with strcspn. */

	d = districts_pick(ds, r);
	make_postcode(r, d, p->postcode, sizeof(p->postcode));
	jitter(r, d, 2.0, &p->lat, &p->lon);
	p->has_point = !rng_pm(r, 150);

	p->has_mobility = !rng_pm(r, 80);
	p->travel = travel[rng_below(r, sizeof(travel) / sizeof(travel[0]))];
	p->wheelchair = rng_pm(r, 60);
	p->stepfree = p->wheelchair || rng_pm(r, 90);
	p->hloop = rng_pm(r, 30);
	p->housebound = rng_pm(r, 40);
	{
		unsigned x = rng_below(r, 1000);
		p->online = p->housebound ? (x < 850 ? "yes" : "no") : x < 550 ? "yes" : x < 850 ? "no" : NULL;
	}

	if (rng_pm(r, 400)) {
		int used = 0, want = 1 + (int)rng_below(r, 4), shape = (int)rng_below(r, 4);
		while (p->nwin < want) {
			int day = (int)rng_below(r, 7), j;
			if (used & (1 << day))
				continue;
			used |= 1 << day;
			for (j = p->nwin; j > 0 && p->wday[j - 1] > day; j--) {
				p->wday[j] = p->wday[j - 1];
				p->wstart[j] = p->wstart[j - 1];
				p->wend[j] = p->wend[j - 1];
			}
			p->wday[j] = day;
			p->wstart[j] = shape == 0 ? 540 : shape == 1 ? 780 : shape == 2 ? 540 : 1080;
			p->wend[j] = shape == 0 ? 720 : shape == 1 ? 1020 : shape == 2 ? 1020 : 1260;
			p->nwin++;
		}
	}
	if (rng_pm(r, 400))
		p->budget = budgets[rng_below(r, sizeof(budgets) / sizeof(budgets[0]))];
}

static void put_patient_field(FILE *f, const struct patient *p, int field)
{
	int i;

	switch (field) {
	case 0: fprintf(f, "  <age>%d</age>\n", p->age); break;
	case 1:
		if (p->gender)
			fprintf(f, "  <gender>%s</gender>\n", p->gender);
		break;
	case 2:
		if (p->circ[0])
			fprintf(f, "  <circumstances>%s</circumstances>\n", p->circ);
		break;
	case 3:
		fputs("  <needs>", f);
		for (i = 0; i < p->nneeds; i++) {
			if (p->prio[i])
				fprintf(f, "<need priority=\"%s\">%s</need>", p->prio[i], p->needs[i]);
			else
				fprintf(f, "<need>%s</need>", p->needs[i]);
		}
		fputs("</needs>\n", f);
		break;
	case 4:
		fputs("  <interests>", f);
		put_esc(f, p->interests.s);
		for (i = 0; i < p->ntags; i++)
			fprintf(f, "<tag>%s</tag>", interests[p->itag[i]].tag);
		fputs("</interests>\n", f);
		break;
	case 5:
		if (p->langs)
			fprintf(f, "  <languages>%.*s</languages>\n", (int)strcspn(p->langs, "|"), p->langs);
		break;
	case 6:
		fputs("  <home", f);
		put_attr(f, "postcode", p->postcode);
		if (p->has_point)
			fprintf(f, "><point lat=\"%.4f\" lon=\"%.4f\"/></home>\n", p->lat, p->lon);
		else
			fputs("/>\n", f);
		break;
	case 7:
		if (!p->has_mobility)
			break;
		fprintf(f, "  <mobility max-travel-km=\"%s\"", p->travel);
		if (p->wheelchair)
			fputs(" wheelchair=\"yes\"", f);
		if (p->stepfree)
			fputs(" step-free=\"yes\"", f);
		if (p->hloop)
			fputs(" hearing-loop=\"yes\"", f);
		if (p->online)
			fprintf(f, " online=\"%s\"", p->online);
		if (p->housebound)
			fputs(" housebound=\"yes\"", f);
		else if (p->online)
			fputs(" housebound=\"no\"", f);
		fputs("/>\n", f);
		break;
	case 8:
		if (!p->nwin)
			break;
		fputs("  <availability>\n", f);
		for (i = 0; i < p->nwin; i++)
			fprintf(f, "    <window day=\"%s\" start=\"%02d:%02d\" end=\"%02d:%02d\"/>\n",
				day_id[p->wday[i]], p->wstart[i] / 60, p->wstart[i] % 60, p->wend[i] / 60,
				p->wend[i] % 60);
		fputs("  </availability>\n", f);
		break;
	case 9:
		if (p->budget >= 0)
			fprintf(f, "  <budget max-per-session=\"%d\"/>\n", p->budget);
		break;
	default: break;
	}
}

/* ------------------------------------------------------------------ */
/* Files.                                                              */

static int make_dir(const char *path)
{
	if (mkdir(path, 0777) == 0 || errno == EEXIST)
		return 0;
	fprintf(stderr, "genfeed: %s: %s\n", path, strerror(errno));
	return -1;
}

/* Closes f, reporting any write error that stdio buffered until now. */
static int close_checked(FILE *f, const char *path)
{
	int bad = ferror(f);

	if (fclose(f) != 0 || bad) {
		fprintf(stderr, "genfeed: %s: write error\n", path);
		return -1;
	}
	return 0;
}

static int write_feed(const char *dir, const struct districts *ds, uint64_t seed, unsigned long feed,
		      unsigned long nfeeds, unsigned long first, unsigned long last, long long *bytes)
{
	int error = 0;
	char path[4096];
	FILE *f = NULL;
	char *buf = NULL;
	unsigned long g;

	if ((size_t)snprintf(path, sizeof(path), "%s/gen-%lu.xml", dir, feed + 1) >= sizeof(path)) {
		fprintf(stderr, "genfeed: %s: path too long\n", dir);
		error = -1;
		goto cleanup;
	}
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "genfeed: %s: %s\n", path, strerror(errno));
		error = -1;
		goto cleanup;
	}
	buf = malloc(1 << 20);
	if (buf)
		setvbuf(f, buf, _IOFBF, 1 << 20);
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<feed xmlns=\"urn:kith:feed:1\" id=\"gen-%lu\" version=\"1\"\n"
		"      publisher=\"kith genfeed, seed %llu, part %lu of %lu\" "
		"generated=\"2026-11-01T09:00:00Z\"\n"
		"      mode=\"full\">\n",
		feed + 1, (unsigned long long)seed, feed + 1, nfeeds);
	for (g = first; g < last; g++)
		gen_group(f, ds, seed, g);
	fputs("</feed>\n", f);
	{
		long pos = ftell(f);
		if (pos > 0)
			*bytes += pos;
	}
	error = close_checked(f, path);
	f = NULL;

cleanup:
	if (f)
		fclose(f);
	free(buf);
	return error;
}

static int write_patient(const char *dir, const struct districts *ds, uint64_t seed, unsigned long index)
{
	int error = 0;
	char path[4096];
	FILE *f = NULL;
	struct rng r;
	struct patient p;
	int order[P_FIELDS], i;

	if ((size_t)snprintf(path, sizeof(path), "%s/patients/PAT%04lu.xml", dir, index + 1) >= sizeof(path)) {
		fprintf(stderr, "genfeed: %s: path too long\n", dir);
		error = -1;
		goto cleanup;
	}
	rng_init(&r, seed, STREAM_PATIENT, index);
	make_patient(&r, ds, &p);
	for (i = 0; i < P_FIELDS; i++)
		order[i] = i;
	/* Hand-written profiles come in any order; exercise that now and then. */
	if (rng_pm(&r, 200)) {
		for (i = P_FIELDS - 1; i > 0; i--) {
			int j = (int)rng_below(&r, (unsigned)i + 1), tmp = order[i];
			order[i] = order[j];
			order[j] = tmp;
		}
	}
	f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "genfeed: %s: %s\n", path, strerror(errno));
		error = -1;
		goto cleanup;
	}
	fprintf(f,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<patient xmlns=\"urn:kith:patient:1\" id=\"PAT%04lu\">\n",
		index + 1);
	for (i = 0; i < P_FIELDS; i++)
		put_patient_field(f, &p, order[i]);
	fputs("</patient>\n", f);
	error = close_checked(f, path);
	f = NULL;

cleanup:
	if (f)
		fclose(f);
	return error;
}

/* ------------------------------------------------------------------ */
/* Command line.                                                       */

static void usage(FILE *f)
{
	fputs("usage: genfeed --districts FILE.csv --groups N [--seed S] [--feeds K]\n"
	      "               --out DIR [--patients P]\n"
	      "  Writes K feeds DIR/gen-1.xml ... (default one per 50,000 groups) holding\n"
	      "  N groups between them, and P profiles DIR/patients/PAT0001.xml ...\n"
	      "  The same arguments always produce the same bytes.\n",
	      f);
}

static int parse_count(const char *opt, const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s) {
		fprintf(stderr, "genfeed: %s needs a value\n", opt);
		return -1;
	}
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*s == '-' || *s == '\0' || *end != '\0' || errno || v > max) {
		fprintf(stderr, "genfeed: %s: bad value '%s'\n", opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int error = 0, i;
	const char *csv = NULL, *out = NULL;
	unsigned long long groups = 0, seed = 1, nfeeds = 0, patients = 0;
	int have_groups = 0;
	struct districts ds = {NULL, 0, 0};
	char path[4096];
	unsigned long f;
	long long bytes = 0;
	double t0 = now_seconds();

	/* Every option takes a value, so arguments are consumed in pairs. */
	for (i = 1; i < argc; i += 2) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--districts") == 0 && v) {
			csv = v;
		} else if (strcmp(a, "--out") == 0 && v) {
			out = v;
		} else if (strcmp(a, "--groups") == 0) {
			if (parse_count(a, v, 4000000000ULL, &groups))
				return 2;
			have_groups = 1;
		} else if (strcmp(a, "--seed") == 0) {
			if (parse_count(a, v, UINT64_MAX, &seed))
				return 2;
		} else if (strcmp(a, "--feeds") == 0) {
			if (parse_count(a, v, 1000000ULL, &nfeeds))
				return 2;
			if (nfeeds == 0) {
				fprintf(stderr, "genfeed: --feeds must be at least 1\n");
				return 2;
			}
		} else if (strcmp(a, "--patients") == 0) {
			if (parse_count(a, v, 9999999ULL, &patients))
				return 2;
		} else {
			fprintf(stderr, "genfeed: unknown or incomplete option '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	if (!csv || !out || !have_groups) {
		usage(stderr);
		return 2;
	}
	if (nfeeds == 0)
		nfeeds = groups == 0 ? 1 : (groups + GROUPS_PER_FEED - 1) / GROUPS_PER_FEED;

	if (districts_load(&ds, csv)) {
		error = 1;
		goto cleanup;
	}
	if (make_dir(out)) {
		error = 1;
		goto cleanup;
	}
	for (f = 0; f < nfeeds; f++) {
		unsigned long first = (unsigned long)(groups * f / nfeeds);
		unsigned long last = (unsigned long)(groups * (f + 1) / nfeeds);
		if (write_feed(out, &ds, (uint64_t)seed, f, (unsigned long)nfeeds, first, last, &bytes)) {
			error = 1;
			goto cleanup;
		}
	}
	if (patients > 0) {
		unsigned long p;
		if ((size_t)snprintf(path, sizeof(path), "%s/patients", out) >= sizeof(path) || make_dir(path)) {
			error = 1;
			goto cleanup;
		}
		for (p = 0; p < patients; p++)
			if (write_patient(out, &ds, (uint64_t)seed, p)) {
				error = 1;
				goto cleanup;
			}
	}
	fprintf(stderr, "genfeed: %llu groups in %llu feeds (%.1f MB), %llu patients, to %s in %.2f s\n", groups,
		nfeeds, (double)bytes / 1e6, patients, out, now_seconds() - t0);

cleanup:
	districts_release(&ds);
	return error;
}
