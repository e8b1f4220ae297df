/*
 * peer_pg: the same matching job done the usual way on PostgreSQL, for
 * `make bench-perf`.
 *
 * A team without kith would load the partner feeds into PostgreSQL and
 * write the matching as SQL: earthdistance + cube for the radius (a GiST
 * index on ll_to_earth), a tsvector with a GIN index for the text, arrays
 * for tags, languages and eligibility, and one query holding the seven hard
 * constraints of FORMATS.md section 2 that ranks what is left by text
 * relevance, need tags and distance.  This program is that peer, as fairly
 * as we can write it, and the instrument that times it:
 *
 *   peer_pg setup CONNINFO DISTRICTS.csv
 *       extensions and the postcode district table (untimed set-up: kith
 *       has the same table compiled in)
 *   peer_pg load CONNINFO FEED.xml...
 *       (re)creates the tables and loads the feeds: libxml2's streaming
 *       reader converts each group to COPY rows (text format) sent with
 *       COPY FROM STDIN, then venues placed by postcode only get their
 *       district centroid, the indexes are built and ANALYZE runs.  No
 *       schema validation: the peer trusts its input, as such loaders do.
 *   peer_pg match [--date D] [--top N] [--warmup N] [--trec FILE]
 *                 [--run-name NAME] [--explain PATIENT-ID] CONNINFO PATIENT.xml...
 *       reads every profile first, then times each query (a prepared
 *       statement, one round trip over the Unix socket, rows fetched) with
 *       clock_gettime; --explain prints the plan of one profile's query
 *       (EXPLAIN ANALYZE) instead
 *   peer_pg eval QRELS RUN
 *       NDCG@10 and P@5 of a TREC run, with kith's conventions (gain
 *       2^grade - 1, discount log2(rank + 1), ideal from every judged grade,
 *       relevant = grade 2 or more, P@k over k, repeated keys earn nothing,
 *       patients with no relevant judgment left out)
 *
 * Each command prints one line of key=value pairs that bench/perf.sh reads.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlreader.h>

#define MAX_VENUES 16
#define MAX_SESSIONS 32
#define MAX_WINDOWS 32
#define FLUSH_AT (1u << 20)

/* ---- small helpers --------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("peer_pg: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* A growable byte buffer, always NUL-terminated. */
typedef struct buf {
	char *p;
	size_t n, cap;
} buf;

static void buf_put(buf *b, const char *s, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;
		while (b->n + len + 1 > cap)
			cap *= 2;
		if ((p = realloc(b->p, cap)) == NULL)
			die("out of memory");
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}

static void buf_puts(buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

static void buf_printf(buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		die("internal: formatted field too long");
	buf_put(b, tmp, (size_t)n);
}

static void buf_clear(buf *b)
{
	b->n = 0;
	if (b->p)
		b->p[0] = '\0';
}

/* One field of a COPY text-format row: backslash, tab, newline and CR escaped; NULL as \N. */
static void copy_field(buf *b, const char *s)
{
	const char *p;

	if (!s) {
		buf_puts(b, "\\N");
		return;
	}
	for (p = s; *p; p++) {
		switch (*p) {
		case '\\': buf_puts(b, "\\\\"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		default: buf_put(b, p, 1);
		}
	}
}

/* A text[] literal with every element quoted: {"a","b c"}. */
static void array_literal(buf *b, const char *const *items, size_t count)
{
	size_t i;
	const char *p;

	buf_puts(b, "{");
	for (i = 0; i < count; i++) {
		buf_puts(b, i ? ",\"" : "\"");
		for (p = items[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				buf_put(b, "\\", 1);
			buf_put(b, p, 1);
		}
		buf_puts(b, "\"");
	}
	buf_puts(b, "}");
}

/* Splits text on white space into at most max words; returns the count.  Words point into text, which is cut. */
static size_t split_words(char *text, char **words, size_t max)
{
	size_t n = 0;
	char *p = text;

	while (p && *p && n < max) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

static PGconn *connect_db(const char *conninfo)
{
	PGconn *c = PQconnectdb(conninfo);

	if (PQstatus(c) != CONNECTION_OK)
		die("cannot connect (%s): %s", conninfo, PQerrorMessage(c));
	return c;
}

static void exec_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ExecStatusType st = PQresultStatus(r);

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		die("%s\n  in: %.200s", PQerrorMessage(c), sql);
	PQclear(r);
}

static void copy_start(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);

	if (PQresultStatus(r) != PGRES_COPY_IN)
		die("%s", PQerrorMessage(c));
	PQclear(r);
}

static void copy_send(PGconn *c, buf *b)
{
	if (b->n && PQputCopyData(c, b->p, (int)b->n) != 1)
		die("COPY: %s", PQerrorMessage(c));
	buf_clear(b);
}

static void copy_end(PGconn *c)
{
	PGresult *r;

	if (PQputCopyEnd(c, NULL) != 1)
		die("COPY: %s", PQerrorMessage(c));
	r = PQgetResult(c);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die("COPY: %s", PQerrorMessage(c));
	PQclear(r);
	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
}

static long long scalar(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	long long v;

	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) < 1)
		die("%s", PQerrorMessage(c));
	v = PQgetisnull(r, 0, 0) ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

/* ---- setup ------------------------------------------------------------------- */

static int cmd_setup(int argc, char **argv)
{
	PGconn *c;
	FILE *f;
	buf b = {0};
	char chunk[65536];
	size_t n;

	if (argc != 2)
		die("usage: peer_pg setup CONNINFO DISTRICTS.csv");
	c = connect_db(argv[0]);
	exec_ok(c, "SET client_min_messages = warning");
	exec_ok(c, "CREATE EXTENSION IF NOT EXISTS cube");
	exec_ok(c, "CREATE EXTENSION IF NOT EXISTS earthdistance");
	exec_ok(c, "DROP TABLE IF EXISTS districts");
	exec_ok(c, "CREATE TABLE districts(district text PRIMARY KEY, lat float8, lon float8, town text, "
		   "region text, active_postcodes int, population int)");
	if ((f = fopen(argv[1], "rb")) == NULL)
		die("%s: %s", argv[1], strerror(errno));
	copy_start(c, "COPY districts FROM STDIN WITH (FORMAT csv, HEADER true)");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_put(&b, chunk, n);
		copy_send(c, &b);
	}
	fclose(f);
	copy_end(c);
	exec_ok(c, "ANALYZE districts");
	printf("districts=%lld\n", scalar(c, "SELECT count(*) FROM districts"));
	PQfinish(c);
	free(b.p);
	return 0;
}

/* ---- load ------------------------------------------------------------------- */

static const char load_schema[] =
	"DROP TABLE IF EXISTS sessions, venues, groups;"
	"CREATE TABLE groups("
	"  gid int PRIMARY KEY, key text NOT NULL UNIQUE, feed_id text NOT NULL, local_id text NOT NULL,"
	"  name text NOT NULL, organisation text, description text, tag_words text,"
	"  needs text[] NOT NULL, activities text[] NOT NULL, requires text[] NOT NULL, languages text[] NOT NULL,"
	"  online bool NOT NULL, online_how text, home_radius_km float8, home_lat float8, home_lon float8,"
	"  schedule_known bool NOT NULL, by_appointment bool NOT NULL, starts date, ends date,"
	"  wheelchair smallint NOT NULL, step_free smallint NOT NULL, hearing_loop smallint NOT NULL,"
	"  accessible_toilet smallint NOT NULL, parking smallint NOT NULL, public_transport smallint NOT NULL,"
	"  min_age int, max_age int, gender text NOT NULL, referral text NOT NULL,"
	"  cost_free bool, cost_amount float8, cost_per text, capacity text NOT NULL,"
	"  phone text, email text, web text, updated date,"
	"  tsv tsvector GENERATED ALWAYS AS ("
	"    setweight(to_tsvector('english', coalesce(name, '')), 'A') ||"
	"    setweight(to_tsvector('english', coalesce(tag_words, '')), 'B') ||"
	"    setweight(to_tsvector('english', coalesce(organisation, '')), 'C') ||"
	"    setweight(to_tsvector('english', coalesce(description, '')), 'D')) STORED);"
	"CREATE TABLE venues(gid int NOT NULL, address text, postcode text, lat float8, lon float8);"
	"CREATE TABLE sessions(gid int NOT NULL, day smallint NOT NULL, start_min smallint NOT NULL,"
	"  end_min smallint NOT NULL, weeks text);";

static const char load_finish[] = "UPDATE venues v SET lat = d.lat, lon = d.lon FROM districts d"
				  "  WHERE v.lat IS NULL AND v.postcode IS NOT NULL"
				  "  AND d.district = upper(regexp_replace(regexp_replace(v.postcode, '\\s+', '', "
				  "'g'), '[0-9][A-Za-z]{2}$', ''));"
				  "CREATE INDEX venues_earth ON venues USING gist (ll_to_earth(lat, lon));"
				  "CREATE INDEX venues_gid ON venues(gid);"
				  "CREATE INDEX sessions_gid ON sessions(gid);"
				  "CREATE INDEX groups_tsv ON groups USING gin (tsv);"
				  "CREATE INDEX groups_online ON groups(gid) WHERE online;"
				  "CREATE INDEX groups_home ON groups USING gist (ll_to_earth(home_lat, home_lon))"
				  "  WHERE home_radius_km IS NOT NULL;"
				  "CREATE INDEX groups_home_radius ON groups(home_radius_km);";

enum { ACC_WHEELCHAIR, ACC_STEP_FREE, ACC_HEARING_LOOP, ACC_TOILET, ACC_PARKING, ACC_TRANSPORT, ACC_COUNT };
static const char *const access_attrs[ACC_COUNT] = {"wheelchair",        "step-free", "hearing-loop",
						    "accessible-toilet", "parking",   "public-transport"};

typedef struct pvenue {
	char *address, *postcode;
	char lat[32], lon[32]; /* as written; empty when not located */
} pvenue;

typedef struct psession {
	int day, start, end;
	char *weeks;
} psession;

typedef struct pgroup {
	char *id, *updated, *name, *organisation, *description, *online_how, *starts, *ends;
	char *min_age, *max_age, *gender, *referral, *cost_free, *cost_amount, *cost_per, *capacity;
	char *languages, *phone, *email, *web, *home_radius;
	char home_lat[32], home_lon[32];
	int online, schedule_known, by_appointment;
	int access[ACC_COUNT];
	buf needs_l, activities_l, requires_l; /* items, NUL-separated */
	size_t needs_n, activities_n, requires_n;
	pvenue venues[MAX_VENUES];
	size_t venue_count;
	psession sessions[MAX_SESSIONS];
	size_t session_count;
} pgroup;

static char *attr(xmlTextReaderPtr r, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	char *s = v ? strdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static char *text_of(xmlTextReaderPtr r)
{
	xmlChar *v = xmlTextReaderReadString(r);
	char *s = v ? strdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static void pgroup_clear(pgroup *g)
{
	char **strs[] = {&g->id,         &g->updated,   &g->name,      &g->organisation, &g->description,
			 &g->online_how, &g->starts,    &g->ends,      &g->min_age,      &g->max_age,
			 &g->gender,     &g->referral,  &g->cost_free, &g->cost_amount,  &g->cost_per,
			 &g->capacity,   &g->languages, &g->phone,     &g->email,        &g->web,
			 &g->home_radius};
	buf keep[3] = {g->needs_l, g->activities_l, g->requires_l};
	size_t i;

	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		free(*strs[i]);
	for (i = 0; i < g->venue_count; i++) {
		free(g->venues[i].address);
		free(g->venues[i].postcode);
	}
	for (i = 0; i < g->session_count; i++)
		free(g->sessions[i].weeks);
	memset(g, 0, sizeof(*g));
	g->needs_l = keep[0];
	g->activities_l = keep[1];
	g->requires_l = keep[2];
	buf_clear(&g->needs_l);
	buf_clear(&g->activities_l);
	buf_clear(&g->requires_l);
}

static void list_add(buf *l, size_t *n, const char *item)
{
	buf_put(l, item, strlen(item) + 1);
	(*n)++;
}

/* The items of a NUL-separated list as an array of pointers (at most max). */
static size_t list_items(const buf *l, size_t n, const char **items, size_t max)
{
	size_t i, off = 0;

	for (i = 0; i < n && i < max; i++) {
		items[i] = l->p + off;
		off += strlen(l->p + off) + 1;
	}
	return i;
}

static int tri(const char *v)
{
	return !v ? 0 : strcmp(v, "yes") == 0 ? 1 : strcmp(v, "no") == 0 ? 2 : 0;
}

static int day_number(const char *d)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	int i;

	for (i = 0; d && i < 7; i++)
		if (strcmp(d, days[i]) == 0)
			return i;
	return -1;
}

static int minutes(const char *t)
{
	if (!t || strlen(t) != 5 || t[2] != ':')
		return -1;
	return ((t[0] - '0') * 10 + (t[1] - '0')) * 60 + (t[3] - '0') * 10 + (t[4] - '0');
}

typedef struct loader {
	PGconn *c;
	buf groups, venues, sessions, field;
	long gid;
	unsigned long long venue_rows, session_rows;
} loader;

static void put_tab(buf *b, const char *s)
{
	copy_field(b, s);
	buf_puts(b, "\t");
}

static void put_array(loader *l, buf *b, const buf *list, size_t n)
{
	const char *items[256];
	size_t k = list_items(list, n, items, 256);

	buf_clear(&l->field);
	array_literal(&l->field, items, k);
	put_tab(b, l->field.p);
}

static void emit_group(loader *l, const char *feed_id, pgroup *g)
{
	buf *b = &l->groups;
	char num[32];
	char *langs[64];
	char *lang_copy = g->languages ? strdup(g->languages) : NULL;
	size_t nl = lang_copy ? split_words(lang_copy, langs, 64) : 0, i, k;

	l->gid++;
	snprintf(num, sizeof(num), "%ld", l->gid);
	put_tab(b, num);
	buf_clear(&l->field);
	buf_printf(&l->field, "%s/", feed_id);
	buf_puts(&l->field, g->id ? g->id : "");
	put_tab(b, l->field.p);
	put_tab(b, feed_id);
	put_tab(b, g->id ? g->id : "");
	put_tab(b, g->name ? g->name : "");
	put_tab(b, g->organisation);
	put_tab(b, g->description);
	{
		/* tag words: need and activity ids with hyphens as spaces, as kith indexes them */
		buf tw = {0};
		const char *items[256];
		size_t n = list_items(&g->needs_l, g->needs_n, items, 256);
		for (k = 0; k < 2; k++) {
			for (i = 0; i < n; i++) {
				const char *p;
				if (tw.n)
					buf_puts(&tw, " ");
				for (p = items[i]; *p; p++)
					buf_put(&tw, *p == '-' ? " " : p, 1);
			}
			n = list_items(&g->activities_l, g->activities_n, items, 256);
		}
		put_tab(b, tw.n ? tw.p : NULL);
		free(tw.p);
	}
	put_array(l, b, &g->needs_l, g->needs_n);
	put_array(l, b, &g->activities_l, g->activities_n);
	put_array(l, b, &g->requires_l, g->requires_n);
	buf_clear(&l->field);
	if (nl) {
		array_literal(&l->field, (const char *const *)langs, nl);
	} else {
		const char *en = "en";
		array_literal(&l->field, &en, 1);
	}
	put_tab(b, l->field.p);
	free(lang_copy);
	put_tab(b, g->online ? "t" : "f");
	put_tab(b, g->online_how);
	put_tab(b, g->home_radius && g->home_lat[0] ? g->home_radius : NULL);
	put_tab(b, g->home_radius && g->home_lat[0] ? g->home_lat : NULL);
	put_tab(b, g->home_radius && g->home_lat[0] ? g->home_lon : NULL);
	put_tab(b, g->schedule_known ? "t" : "f");
	put_tab(b, g->by_appointment ? "t" : "f");
	put_tab(b, g->starts);
	put_tab(b, g->ends);
	for (i = 0; i < ACC_COUNT; i++) {
		snprintf(num, sizeof(num), "%d", g->access[i]);
		put_tab(b, num);
	}
	put_tab(b, g->min_age);
	put_tab(b, g->max_age);
	put_tab(b,
		g->gender && (strcmp(g->gender, "female") == 0 || strcmp(g->gender, "male") == 0) ? g->gender : "any");
	put_tab(b, g->referral && strcmp(g->referral, "professional") == 0 ? "professional" : "self");
	if (g->cost_free && strcmp(g->cost_free, "yes") == 0) {
		put_tab(b, "t");
		put_tab(b, "0");
		put_tab(b, NULL);
	} else if (g->cost_amount) {
		put_tab(b, "f");
		put_tab(b, g->cost_amount);
		put_tab(b, g->cost_per ? g->cost_per : "session");
	} else {
		put_tab(b, NULL);
		put_tab(b, NULL);
		put_tab(b, NULL);
	}
	put_tab(b, g->capacity ? g->capacity : "open");
	put_tab(b, g->phone);
	put_tab(b, g->email);
	put_tab(b, g->web);
	copy_field(b, g->updated);
	buf_puts(b, "\n");
	for (i = 0; i < g->venue_count; i++) {
		pvenue *v = &g->venues[i];
		buf_printf(&l->venues, "%ld\t", l->gid);
		put_tab(&l->venues, v->address);
		put_tab(&l->venues, v->postcode);
		put_tab(&l->venues, v->lat[0] ? v->lat : NULL);
		copy_field(&l->venues, v->lat[0] ? v->lon : NULL);
		buf_puts(&l->venues, "\n");
		l->venue_rows++;
	}
	for (i = 0; i < g->session_count; i++) {
		psession *s = &g->sessions[i];
		buf_printf(&l->sessions, "%ld\t%d\t%d\t%d\t", l->gid, s->day, s->start, s->end);
		copy_field(&l->sessions, s->weeks);
		buf_puts(&l->sessions, "\n");
		l->session_rows++;
	}
	if (l->groups.n > FLUSH_AT)
		copy_send(l->c, &l->groups);
}

/* Streams one feed's groups into the COPY of groups; venues and sessions wait in their buffers. */
static void load_feed(loader *l, const char *path)
{
	const int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
	xmlTextReaderPtr r = xmlReaderForFile(path, NULL, options);
	char *feed_id = NULL;
	pgroup g;
	int ret, in_group = 0;
	enum { IN_NONE, IN_VENUE, IN_HOME } where = IN_NONE;

	memset(&g, 0, sizeof(g));
	if (!r)
		die("%s: cannot open", path);
	while ((ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
		const char *name = (const char *)xmlTextReaderConstLocalName(r);

		if (type == XML_READER_TYPE_END_ELEMENT) {
			if (depth == 1 && in_group) {
				emit_group(l, feed_id, &g);
				pgroup_clear(&g);
				in_group = 0;
			} else if (depth == 2) {
				where = IN_NONE;
			}
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (depth == 0) {
			feed_id = attr(r, "id");
			if (!feed_id)
				die("%s: the feed has no id", path);
			continue;
		}
		if (depth == 1) {
			if (strcmp(name, "group") == 0) {
				g.id = attr(r, "id");
				g.updated = attr(r, "updated");
				in_group = 1;
			}
			continue;
		}
		if (!in_group)
			continue;
		if (depth == 2) {
			where = IN_NONE;
			if (strcmp(name, "name") == 0 && !g.name) {
				g.name = text_of(r);
			} else if (strcmp(name, "organisation") == 0 && !g.organisation) {
				g.organisation = text_of(r);
			} else if (strcmp(name, "description") == 0 && !g.description) {
				g.description = text_of(r);
			} else if (strcmp(name, "venue") == 0) {
				if (g.venue_count < MAX_VENUES) {
					g.venue_count++;
					where = xmlTextReaderIsEmptyElement(r) ? IN_NONE : IN_VENUE;
				}
			} else if (strcmp(name, "online") == 0) {
				g.online = 1;
				g.online_how = attr(r, "how");
			} else if (strcmp(name, "home-visits") == 0) {
				g.home_radius = attr(r, "radius-km");
				where = xmlTextReaderIsEmptyElement(r) ? IN_NONE : IN_HOME;
			} else if (strcmp(name, "schedule") == 0) {
				g.schedule_known = 1;
				g.starts = attr(r, "starts");
				g.ends = attr(r, "ends");
			} else if (strcmp(name, "access") == 0) {
				int i;
				for (i = 0; i < ACC_COUNT; i++) {
					char *v = attr(r, access_attrs[i]);
					g.access[i] = tri(v);
					free(v);
				}
			} else if (strcmp(name, "eligibility") == 0) {
				g.min_age = attr(r, "min-age");
				g.max_age = attr(r, "max-age");
				g.gender = attr(r, "gender");
				g.referral = attr(r, "referral");
			} else if (strcmp(name, "cost") == 0) {
				g.cost_free = attr(r, "free");
				g.cost_amount = attr(r, "amount");
				g.cost_per = attr(r, "per");
			} else if (strcmp(name, "capacity") == 0) {
				g.capacity = attr(r, "status");
			} else if (strcmp(name, "languages") == 0) {
				g.languages = text_of(r);
			} else if (strcmp(name, "contact") == 0) {
				g.phone = attr(r, "phone");
				g.email = attr(r, "email");
				g.web = attr(r, "web");
			}
			continue;
		}
		if (strcmp(name, "need") == 0 || strcmp(name, "activity") == 0 || strcmp(name, "requires") == 0) {
			char *t = text_of(r);
			if (t) {
				if (name[0] == 'n')
					list_add(&g.needs_l, &g.needs_n, t);
				else if (name[0] == 'a')
					list_add(&g.activities_l, &g.activities_n, t);
				else
					list_add(&g.requires_l, &g.requires_n, t);
			}
			free(t);
		} else if (where == IN_VENUE && strcmp(name, "address") == 0) {
			g.venues[g.venue_count - 1].address = text_of(r);
		} else if (where == IN_VENUE && strcmp(name, "postcode") == 0) {
			g.venues[g.venue_count - 1].postcode = text_of(r);
		} else if (strcmp(name, "point") == 0 && where != IN_NONE) {
			char *lat = attr(r, "lat"), *lon = attr(r, "lon");
			if (lat && lon && where == IN_VENUE) {
				pvenue *v = &g.venues[g.venue_count - 1];
				snprintf(v->lat, sizeof(v->lat), "%s", lat);
				snprintf(v->lon, sizeof(v->lon), "%s", lon);
			} else if (lat && lon) {
				snprintf(g.home_lat, sizeof(g.home_lat), "%s", lat);
				snprintf(g.home_lon, sizeof(g.home_lon), "%s", lon);
			}
			free(lat);
			free(lon);
		} else if (strcmp(name, "session") == 0 && g.session_count < MAX_SESSIONS) {
			psession *s = &g.sessions[g.session_count];
			char *day = attr(r, "day"), *start = attr(r, "start"), *end = attr(r, "end");
			s->day = day_number(day);
			s->start = minutes(start);
			s->end = minutes(end);
			if (s->day >= 0 && s->start >= 0 && s->end >= 0) {
				s->weeks = attr(r, "weeks");
				g.session_count++;
			}
			free(day);
			free(start);
			free(end);
		} else if (strcmp(name, "by-appointment") == 0) {
			g.by_appointment = 1;
		}
	}
	if (ret != 0)
		die("%s: not well-formed", path);
	pgroup_clear(&g);
	free(g.needs_l.p);
	free(g.activities_l.p);
	free(g.requires_l.p);
	free(feed_id);
	xmlFreeTextReader(r);
}

static int cmd_load(int argc, char **argv)
{
	loader l;
	double t0, t_copy, t_index, t_analyze;
	long long bytes;
	int i;

	if (argc < 2)
		die("usage: peer_pg load CONNINFO FEED.xml...");
	memset(&l, 0, sizeof(l));
	l.c = connect_db(argv[0]);
	exec_ok(l.c, "SET client_min_messages = warning");
	t0 = now_s();
	exec_ok(l.c, "BEGIN");
	exec_ok(l.c, load_schema);
	copy_start(l.c, "COPY groups(gid, key, feed_id, local_id, name, organisation, description, tag_words, needs, "
			"activities, requires, languages, online, online_how, home_radius_km, home_lat, home_lon, "
			"schedule_known, by_appointment, starts, ends, wheelchair, step_free, hearing_loop, "
			"accessible_toilet, parking, public_transport, min_age, max_age, gender, referral, cost_free, "
			"cost_amount, cost_per, capacity, phone, email, web, updated) FROM STDIN");
	for (i = 1; i < argc; i++)
		load_feed(&l, argv[i]);
	copy_send(l.c, &l.groups);
	copy_end(l.c);
	copy_start(l.c, "COPY venues(gid, address, postcode, lat, lon) FROM STDIN");
	copy_send(l.c, &l.venues);
	copy_end(l.c);
	copy_start(l.c, "COPY sessions(gid, day, start_min, end_min, weeks) FROM STDIN");
	copy_send(l.c, &l.sessions);
	copy_end(l.c);
	t_copy = now_s() - t0;
	exec_ok(l.c, load_finish);
	t_index = now_s() - t0 - t_copy;
	exec_ok(l.c, "COMMIT");
	exec_ok(l.c, "ANALYZE groups; ANALYZE venues; ANALYZE sessions");
	t_analyze = now_s() - t0 - t_copy - t_index;
	t0 = now_s() - t0;
	exec_ok(l.c, "CHECKPOINT");
	bytes = scalar(l.c, "SELECT pg_total_relation_size('groups') + pg_total_relation_size('venues') + "
			    "pg_total_relation_size('sessions')");
	printf("seconds=%.3f copy_s=%.3f index_s=%.3f analyze_s=%.3f groups=%ld venues=%llu sessions=%llu "
	       "groups_per_s=%.0f db_bytes=%lld\n",
	       t0, t_copy, t_index, t_analyze, l.gid, l.venue_rows, l.session_rows, (double)l.gid / t0, bytes);
	PQfinish(l.c);
	free(l.groups.p);
	free(l.venues.p);
	free(l.sessions.p);
	free(l.field.p);
	return 0;
}

/* ---- match ----------------------------------------------------------------- */

/*
 * The query.  Parameters: $1 lat, $2 lon (NULL: no home), $3 reach in
 * metres (NULL: no limit), $4 housebound, $5 can go online, $6 needs
 * wheelchair access, $7 needs step-free access, $8 age, $9 gender (NULL
 * when not given), $10 circumstances, $11 budget a session (NULL: no
 * limit), $12 today, $13 languages, $14 tsquery text, $15 need ids,
 * $16..$18 availability windows (day, start, end in minutes; empty: any
 * time), $19 how many.  REACH is one of the two candidate clauses below.
 */
#define MATCH_SQL(REACH)                                                                                               \
	"WITH p AS MATERIALIZED (SELECT CASE WHEN $1::float8 IS NULL THEN NULL::earth "                                \
	"                                    ELSE ll_to_earth($1::float8, $2::float8) END AS e), "                     \
	"q AS MATERIALIZED (SELECT to_tsquery('english', $14::text) AS q), "                                           \
	"reach AS (" REACH "  UNION ALL SELECT gid, NULL FROM groups WHERE online AND $5::bool "                       \
	"  UNION ALL SELECT g.gid, NULL FROM groups g, p WHERE g.home_radius_km IS NOT NULL "                          \
	"    AND earth_box(p.e, (SELECT max(home_radius_km) FROM groups) * 1000) @> ll_to_earth(g.home_lat, "          \
	"g.home_lon) "                                                                                                 \
	"    AND earth_distance(ll_to_earth(g.home_lat, g.home_lon), p.e) <= g.home_radius_km * 1000), "               \
	"cand AS (SELECT gid, min(d) AS d FROM reach GROUP BY gid), "                                                  \
	"ok AS (SELECT g.key, g.needs, c.d, "                                                                          \
	"         CASE WHEN g.tsv @@ q.q THEN ts_rank('{0.25,0.25,0.5,1.0}', g.tsv, q.q) ELSE 0 END AS r "             \
	"    FROM cand c JOIN groups g ON g.gid = c.gid, q "                                                           \
	"   WHERE NOT ($6::bool AND g.wheelchair = 2) AND NOT ($7::bool AND g.step_free = 2) "                         \
	"     AND ($8::int IS NULL OR ((g.min_age IS NULL OR $8::int >= g.min_age) "                                   \
	"                              AND (g.max_age IS NULL OR $8::int <= g.max_age))) "                             \
	"     AND (g.gender = 'any' OR $9::text IS NULL OR g.gender = $9::text) "                                      \
	"     AND g.requires <@ $10::text[] "                                                                          \
	"     AND (NOT g.schedule_known OR g.by_appointment OR cardinality($16::int[]) = 0 "                           \
	"          OR NOT EXISTS (SELECT 1 FROM sessions s WHERE s.gid = g.gid) "                                      \
	"          OR EXISTS (SELECT 1 FROM sessions s, unnest($16::int[], $17::int[], $18::int[]) AS w(day, ws, we) " \
	"                      WHERE s.gid = g.gid AND s.day = w.day "                                                 \
	"                        AND least(s.end_min, w.we) - greatest(s.start_min, w.ws) >= 30)) "                    \
	"     AND ($11::float8 IS NULL OR g.cost_free IS NULL OR g.cost_free OR g.cost_amount <= $11::float8 + 1e-9) " \
	"     AND g.capacity <> 'closed' AND (g.ends IS NULL OR g.ends >= $12::date) "                                 \
	"     AND g.languages && $13::text[]) "                                                                        \
	"SELECT key, round((0.4 * coalesce(r / NULLIF(max(r) OVER (), 0), 0) "                                         \
	"    + 0.4 * least((SELECT count(*) FROM unnest(needs) n WHERE n = ANY($15::text[]))::float8 "                 \
	"                  / greatest(cardinality($15::text[]), 1), 1) "                                               \
	"    + 0.2 * CASE WHEN d IS NULL THEN 0.5 ELSE 1 - least(d / coalesce($3::float8, 8000), 1) END)::numeric, "   \
	"4) "                                                                                                          \
	"    AS score "                                                                                                \
	"  FROM ok ORDER BY score DESC, key LIMIT $19::int"

/* Home and reach known: venues inside the radius, through the GiST index. */
static const char match_bounded[] =
	MATCH_SQL("SELECT v.gid, earth_distance(ll_to_earth(v.lat, v.lon), p.e) AS d FROM venues v, p "
		  " WHERE NOT $4::bool AND earth_box(p.e, $3::float8) @> ll_to_earth(v.lat, v.lon) "
		  "   AND earth_distance(ll_to_earth(v.lat, v.lon), p.e) <= $3::float8 ");

/*
 * No home or no limit: every group with a venue.  Nearness only scores
 * within 8 km (DEFAULT_LIMIT_KM in kith), so only venues inside that box
 * get a distance, through the index; the rest count as far.
 */
static const char match_unbounded[] =
	MATCH_SQL("SELECT DISTINCT gid, 'Infinity'::float8 AS d FROM venues WHERE NOT $4::bool "
		  "UNION ALL SELECT v.gid, earth_distance(ll_to_earth(v.lat, v.lon), p.e) FROM venues v, p "
		  " WHERE NOT $4::bool AND earth_box(p.e, 8000) @> ll_to_earth(v.lat, v.lon) ");

#define NPARAMS 19

/* One profile, turned into the query's parameters before any clock starts. */
typedef struct pquery {
	char *id;
	int bounded;
	char *values[NPARAMS]; /* text form; NULL is SQL NULL */
} pquery;

static char *dupf(const char *fmt, ...)
{
	char tmp[4096];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		die("internal: parameter too long");
	return strdup(tmp);
}

static char *node_text(xmlNode *n)
{
	xmlChar *v = xmlNodeGetContent(n);
	char *s = strdup(v ? (const char *)v : "");

	xmlFree(v);
	return s;
}

static char *prop(xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s = v ? strdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static int is_yes(xmlNode *n, const char *name)
{
	char *v = prop(n, name);
	int yes = v && strcmp(v, "yes") == 0;

	free(v);
	return yes;
}

/* Adds the words (3+ letters, lower-cased) of text to a tsquery 'a | b', at most max bytes. */
static void add_query_words(buf *q, const char *text)
{
	const char *p = text;

	while (p && *p) {
		char word[48];
		size_t n = 0;
		while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p & 0x80)))
			p++;
		while (*p && ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p & 0x80))) {
			if (n + 1 < sizeof(word))
				word[n++] = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
			p++;
		}
		word[n] = '\0';
		if (n < 3 || q->n + n + 4 > 4000)
			continue;
		if (q->n)
			buf_puts(q, " | ");
		buf_puts(q, word);
	}
}

/* Reads a profile (FORMATS.md section 2) into query parameters; a postcode alone is looked up in districts. */
static void read_profile(PGconn *c, const char *path, pquery *out)
{
	xmlDoc *doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
	xmlNode *root, *n, *k;
	buf needs = {0}, circ = {0}, langs = {0}, words = {0}, days = {0}, starts = {0}, ends = {0}, one = {0};
	const char *items[64];
	char *tmp, *split[64], *postcode = NULL, *lat = NULL, *lon = NULL;
	size_t count, need_n = 0, i;
	double reach_km = -1;
	int housebound = 0, online = 0, wheelchair = 0, step_free = 0, windows = 0;
	char *age = NULL, *gender = NULL, *budget = NULL;

	memset(out, 0, sizeof(*out));
	if (!doc || !(root = xmlDocGetRootElement(doc)))
		die("%s: not well-formed", path);
	out->id = prop(root, "id");
	if (!out->id)
		die("%s: the profile has no id", path);
	buf_puts(&needs, "{");
	for (n = root->children; n; n = n->next) {
		const char *name = (const char *)n->name;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(name, "age") == 0) {
			age = node_text(n);
		} else if (strcmp(name, "gender") == 0) {
			gender = node_text(n);
		} else if (strcmp(name, "circumstances") == 0) {
			tmp = node_text(n);
			count = split_words(tmp, split, 64);
			array_literal(&circ, (const char *const *)split, count);
			free(tmp);
		} else if (strcmp(name, "needs") == 0) {
			for (k = n->children; k; k = k->next) {
				if (k->type != XML_ELEMENT_NODE)
					continue;
				tmp = node_text(k);
				items[0] = tmp;
				if (need_n++)
					buf_puts(&needs, ",");
				buf_clear(&one);
				array_literal(&one, items, 1);
				buf_put(&needs, one.p + 1, one.n - 2); /* the quoted item without braces */
				for (i = 0; tmp[i]; i++)
					if (tmp[i] == '-')
						tmp[i] = ' ';
				add_query_words(&words, tmp);
				free(tmp);
			}
		} else if (strcmp(name, "interests") == 0) {
			tmp = node_text(n); /* the person's words and any <tag> children */
			for (i = 0; tmp[i]; i++)
				if (tmp[i] == '-')
					tmp[i] = ' ';
			add_query_words(&words, tmp);
			free(tmp);
		} else if (strcmp(name, "languages") == 0) {
			tmp = node_text(n);
			count = split_words(tmp, split, 64);
			array_literal(&langs, (const char *const *)split, count);
			free(tmp);
		} else if (strcmp(name, "home") == 0) {
			postcode = prop(n, "postcode");
			for (k = n->children; k; k = k->next)
				if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, "point") == 0) {
					lat = prop(k, "lat");
					lon = prop(k, "lon");
				}
		} else if (strcmp(name, "mobility") == 0) {
			char *km = prop(n, "max-travel-km");
			if (km)
				reach_km = strtod(km, NULL);
			free(km);
			housebound = is_yes(n, "housebound");
			online = is_yes(n, "online");
			wheelchair = is_yes(n, "wheelchair");
			step_free = is_yes(n, "step-free");
		} else if (strcmp(name, "availability") == 0) {
			for (k = n->children; k; k = k->next) {
				char *d, *s, *e;
				if (k->type != XML_ELEMENT_NODE)
					continue;
				d = prop(k, "day");
				s = prop(k, "start");
				e = prop(k, "end");
				if (day_number(d) >= 0 && minutes(s) >= 0 && minutes(e) >= 0) {
					buf_printf(&days, "%s%d", windows ? "," : "", day_number(d));
					buf_printf(&starts, "%s%d", windows ? "," : "", minutes(s));
					buf_printf(&ends, "%s%d", windows ? "," : "", minutes(e));
					windows++;
				}
				free(d);
				free(s);
				free(e);
			}
		} else if (strcmp(name, "budget") == 0) {
			budget = prop(n, "max-per-session");
		}
	}
	buf_puts(&needs, "}");
	if (!lat && postcode) {
		/* resolved before the clock starts, as kith_profile_load() does */
		const char *v[1] = {postcode};
		PGresult *r = PQexecParams(c,
					   "SELECT lat, lon FROM districts WHERE district = upper(regexp_replace("
					   "regexp_replace($1, '\\s+', '', 'g'), '[0-9][A-Za-z]{2}$', ''))",
					   1, NULL, v, NULL, NULL, 0);
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
			lat = strdup(PQgetvalue(r, 0, 0));
			lon = strdup(PQgetvalue(r, 0, 1));
		}
		PQclear(r);
	}
	out->bounded = lat && reach_km >= 0;
	out->values[0] = lat;
	out->values[1] = lon;
	out->values[2] = reach_km >= 0 ? dupf("%.3f", reach_km * 1000.0) : NULL;
	out->values[3] = strdup(housebound ? "t" : "f");
	out->values[4] = strdup(online ? "t" : "f");
	out->values[5] = strdup(wheelchair ? "t" : "f");
	out->values[6] = strdup(step_free ? "t" : "f");
	out->values[7] = age;
	out->values[8] =
		gender && (strcmp(gender, "female") == 0 || strcmp(gender, "male") == 0 || strcmp(gender, "other") == 0)
			? gender
			: NULL;
	if (!out->values[8])
		free(gender);
	out->values[9] = strdup(circ.n ? circ.p : "{}");
	out->values[10] = budget;
	out->values[11] = NULL; /* today: set by the caller */
	if (!langs.n)
		buf_puts(&langs, "{\"en\"}");
	out->values[12] = strdup(langs.p);
	out->values[13] = strdup(words.n ? words.p : "");
	out->values[14] = strdup(needs.p);
	out->values[15] = dupf("{%s}", days.n ? days.p : "");
	out->values[16] = dupf("{%s}", starts.n ? starts.p : "");
	out->values[17] = dupf("{%s}", ends.n ? ends.p : "");
	out->values[18] = NULL; /* top: set by the caller */
	free(postcode);
	free(needs.p);
	free(one.p);
	free(circ.p);
	free(langs.p);
	free(words.p);
	free(days.p);
	free(starts.p);
	free(ends.p);
	xmlFreeDoc(doc);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double percentile(const double *sorted, size_t n, double p)
{
	size_t rank = (size_t)ceil(p * (double)n);

	if (n == 0)
		return 0.0;
	if (rank < 1)
		rank = 1;
	return sorted[rank > n ? n - 1 : rank - 1];
}

static void prepare(PGconn *c, const char *name, const char *sql)
{
	PGresult *r = PQprepare(c, name, sql, NPARAMS, NULL);

	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		die("preparing %s: %s", name, PQerrorMessage(c));
	PQclear(r);
}

static PGresult *run_query(PGconn *c, const pquery *q)
{
	PGresult *r = PQexecPrepared(c, q->bounded ? "bounded" : "unbounded", NPARAMS, (const char *const *)q->values,
				     NULL, NULL, 0);

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		die("%s: %s", q->id, PQerrorMessage(c));
	return r;
}

static int cmd_match(int argc, char **argv)
{
	const char *today = NULL, *trec_path = NULL, *run_name = "pg", *explain = NULL;
	char today_buf[32], top_buf[32];
	size_t top = 10, warmup = 5, n = 0, i, results = 0, empty = 0, bounded = 0;
	pquery *qs;
	double *lat, total = 0.0;
	FILE *trec = NULL;
	PGconn *c;
	int a;

	for (a = 0; a + 1 < argc && strncmp(argv[a], "--", 2) == 0; a += 2) {
		if (strcmp(argv[a], "--date") == 0)
			today = argv[a + 1];
		else if (strcmp(argv[a], "--top") == 0)
			top = strtoul(argv[a + 1], NULL, 10);
		else if (strcmp(argv[a], "--warmup") == 0)
			warmup = strtoul(argv[a + 1], NULL, 10);
		else if (strcmp(argv[a], "--trec") == 0)
			trec_path = argv[a + 1];
		else if (strcmp(argv[a], "--run-name") == 0)
			run_name = argv[a + 1];
		else if (strcmp(argv[a], "--explain") == 0)
			explain = argv[a + 1];
		else
			die("unknown option %s", argv[a]);
	}
	if (argc - a < 2)
		die("usage: peer_pg match [--date D] [--top N] [--warmup N] [--trec FILE] [--run-name NAME] CONNINFO "
		    "PATIENT.xml...");
	if (!today) {
		time_t t = time(NULL);
		struct tm tm;
		localtime_r(&t, &tm);
		strftime(today_buf, sizeof(today_buf), "%Y-%m-%d", &tm);
		today = today_buf;
	}
	snprintf(top_buf, sizeof(top_buf), "%zu", top ? top : 10);
	c = connect_db(argv[a++]);
	if ((qs = calloc((size_t)(argc - a), sizeof(*qs))) == NULL ||
	    (lat = calloc((size_t)(argc - a), sizeof(*lat))) == NULL)
		die("out of memory");
	for (; a < argc; a++, n++) {
		read_profile(c, argv[a], &qs[n]);
		qs[n].values[11] = strdup(today);
		qs[n].values[18] = strdup(top_buf);
		bounded += qs[n].bounded != 0;
	}
	for (i = 0; explain && i < n; i++) {
		/* EXPLAIN ANALYZE of the named profile's query, to stdout, instead of timing */
		buf sql = {0};
		PGresult *r;
		int k;
		if (strcmp(qs[i].id, explain) != 0)
			continue;
		buf_puts(&sql, "EXPLAIN (ANALYZE, BUFFERS) ");
		buf_puts(&sql, qs[i].bounded ? match_bounded : match_unbounded);
		r = PQexecParams(c, sql.p, NPARAMS, NULL, (const char *const *)qs[i].values, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			die("%s", PQerrorMessage(c));
		for (k = 0; k < PQntuples(r); k++)
			printf("%s\n", PQgetvalue(r, k, 0));
		PQclear(r);
		free(sql.p);
		goto cleanup;
	}
	if (explain)
		die("no profile with id '%s'", explain);
	prepare(c, "bounded", match_bounded);
	prepare(c, "unbounded", match_unbounded);
	if (trec_path && (trec = fopen(trec_path, "w")) == NULL)
		die("%s: %s", trec_path, strerror(errno));
	for (i = 0; i < warmup && i < n; i++)
		PQclear(run_query(c, &qs[i]));
	for (i = 0; i < n; i++) {
		double t0 = now_s();
		PGresult *r = run_query(c, &qs[i]);
		int k, rows = PQntuples(r);
		lat[i] = (now_s() - t0) * 1e3;
		total += lat[i];
		results += (size_t)rows;
		empty += rows == 0;
		for (k = 0; trec && k < rows; k++)
			fprintf(trec, "%s Q0 %s %d %s %s\n", qs[i].id, PQgetvalue(r, k, 0), k + 1, PQgetvalue(r, k, 1),
				run_name);
		PQclear(r);
	}
	if (trec && fclose(trec) != 0)
		die("%s: %s", trec_path, strerror(errno));
	qsort(lat, n, sizeof(*lat), by_value);
	printf("n=%zu p50=%.3f p95=%.3f p99=%.3f mean=%.3f max=%.3f results=%.2f empty=%zu bounded=%zu\n", n,
	       percentile(lat, n, 0.50), percentile(lat, n, 0.95), percentile(lat, n, 0.99),
	       n ? total / (double)n : 0.0, n ? lat[n - 1] : 0.0, n ? (double)results / (double)n : 0.0, empty,
	       bounded);

cleanup:
	for (i = 0; i < n; i++) {
		int k;
		free(qs[i].id);
		for (k = 0; k < NPARAMS; k++)
			free(qs[i].values[k]);
	}
	free(qs);
	free(lat);
	PQfinish(c);
	return 0;
}

/* ---- eval ------------------------------------------------------------------ */

typedef struct judged {
	char patient[128], key[256];
	int grade;
} judged;

typedef struct ranked {
	char patient[128], key[256];
	long rank;
} ranked;

static int by_patient_rank(const void *a, const void *b)
{
	const ranked *x = a, *y = b;
	int c = strcmp(x->patient, y->patient);
	return c ? c : (x->rank > y->rank) - (x->rank < y->rank);
}

static int by_grade_desc(const void *a, const void *b)
{
	return *(const int *)b - *(const int *)a;
}

static void *read_lines(const char *path, size_t size, size_t *count, int qrels)
{
	FILE *f = fopen(path, "r");
	char line[1024];
	char *items = NULL;
	size_t n = 0, alloc = 0;

	if (!f)
		die("%s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char a[128], b[256], c[256], d[64];
		if (n == alloc) {
			char *more = realloc(items, (alloc = alloc ? alloc * 2 : 1024) * size);
			if (!more)
				die("out of memory");
			items = more;
		}
		if (qrels) {
			judged *j = (judged *)(void *)(items + n * size);
			if (sscanf(line, "%127s %255s %255s %63s", a, c, b, d) != 4)
				continue;
			snprintf(j->patient, sizeof(j->patient), "%s", a);
			snprintf(j->key, sizeof(j->key), "%s", b);
			j->grade = (int)strtol(d, NULL, 10);
		} else {
			ranked *r = (ranked *)(void *)(items + n * size);
			if (sscanf(line, "%127s %255s %255s %63s", a, c, b, d) != 4)
				continue;
			snprintf(r->patient, sizeof(r->patient), "%s", a);
			snprintf(r->key, sizeof(r->key), "%s", b);
			r->rank = strtol(d, NULL, 10);
		}
		n++;
	}
	fclose(f);
	*count = n;
	return items;
}

static int cmd_eval(int argc, char **argv)
{
	judged *q;
	ranked *run;
	size_t nq, nr, i, j, scored = 0, patients = 0;
	double ndcg_sum = 0.0, p5_sum = 0.0;

	if (argc != 2)
		die("usage: peer_pg eval QRELS RUN");
	q = read_lines(argv[0], sizeof(judged), &nq, 1);
	run = read_lines(argv[1], sizeof(ranked), &nr, 0);
	qsort(run, nr, sizeof(*run), by_patient_rank);
	for (i = 0; i < nq; i++) {
		int grades[10] = {0}, *ideal;
		size_t m = 0, got = 0, relevant = 0, k;
		double dcg = 0.0, idcg = 0.0, hits = 0.0;

		for (j = 0; j < i; j++)
			if (strcmp(q[j].patient, q[i].patient) == 0)
				break;
		if (j < i)
			continue; /* patient seen already */
		patients++;
		for (j = i; j < nq; j++)
			if (strcmp(q[j].patient, q[i].patient) == 0) {
				m++;
				relevant += q[j].grade >= 2;
			}
		if (!relevant)
			continue; /* no relevant judgment: not scored, as kith's metrics do */
		if ((ideal = calloc(m, sizeof(*ideal))) == NULL)
			die("out of memory");
		for (j = i, k = 0; j < nq; j++)
			if (strcmp(q[j].patient, q[i].patient) == 0)
				ideal[k++] = q[j].grade;
		qsort(ideal, m, sizeof(*ideal), by_grade_desc);
		for (j = 0; j < nr && got < 10; j++) {
			size_t x, dup = 0;
			if (strcmp(run[j].patient, q[i].patient) != 0)
				continue;
			for (x = 0; x < nr && x < j; x++)
				dup |= strcmp(run[x].patient, q[i].patient) == 0 && strcmp(run[x].key, run[j].key) == 0;
			if (!dup)
				for (x = 0; x < nq; x++)
					if (strcmp(q[x].patient, q[i].patient) == 0 &&
					    strcmp(q[x].key, run[j].key) == 0)
						grades[got] = q[x].grade;
			got++;
		}
		for (k = 0; k < 10; k++) {
			dcg += (pow(2.0, grades[k]) - 1.0) / log2((double)k + 2.0);
			if (k < m)
				idcg += (pow(2.0, ideal[k]) - 1.0) / log2((double)k + 2.0);
			if (k < 5)
				hits += grades[k] >= 2;
		}
		ndcg_sum += idcg > 0 ? dcg / idcg : 0.0;
		p5_sum += hits / 5.0;
		scored++;
		free(ideal);
	}
	printf("ndcg10=%.4f p5=%.4f scored=%zu patients=%zu\n", scored ? ndcg_sum / (double)scored : 0.0,
	       scored ? p5_sum / (double)scored : 0.0, scored, patients);
	free(q);
	free(run);
	return 0;
}

int main(int argc, char **argv)
{
	int rc;

	if (argc < 2) {
		fprintf(stderr, "usage: peer_pg setup|load|match|eval ...\n");
		return 2;
	}
	LIBXML_TEST_VERSION
	if (strcmp(argv[1], "setup") == 0)
		rc = cmd_setup(argc - 2, argv + 2);
	else if (strcmp(argv[1], "load") == 0)
		rc = cmd_load(argc - 2, argv + 2);
	else if (strcmp(argv[1], "match") == 0)
		rc = cmd_match(argc - 2, argv + 2);
	else if (strcmp(argv[1], "eval") == 0)
		rc = cmd_eval(argc - 2, argv + 2);
	else {
		fprintf(stderr, "usage: peer_pg setup|load|match|eval ...\n");
		return 2;
	}
	xmlCleanupParser();
	return rc;
}
