/*
 * floor_insert: the insert floors for `make bench-perf`.
 *
 * Reads the feeds with libxml2's streaming reader (no schema, no rules) and
 * inserts each group's row, its venues and its weekly sessions into SQLite
 * with prepared statements, all feeds in one transaction, with the same
 * journal settings as kith's index (WAL, synchronous=NORMAL).  Plain, the
 * tables have no index but their rowids: the least any loader storing the
 * same rows must spend.  With --indexed the same rows also go into an
 * FTS5 table (external content over the group rows, kith's tokenizer and
 * columns) and an R*Tree of the located venues: kith's load without
 * validation, content hashing, tag tables or change tracking.
 *
 * Prints one line of key=value pairs that bench/perf.sh reads.  rows counts
 * every row written (the FTS5 and R*Tree rows too); base_rows only the
 * group, venue and session rows.
 *
 *   floor_insert [--indexed] DB FEED.xml...
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <libxml/xmlreader.h>
#include <sqlite3.h>

#define MAX_VENUES 16
#define MAX_SESSIONS 32
#define TAGS_MAX 1024

static const char plain_schema[] =
	"CREATE TABLE groups(gid INTEGER PRIMARY KEY, feed_id TEXT NOT NULL, local_id TEXT NOT NULL,"
	"  name TEXT, organisation TEXT, description TEXT, tag_words TEXT);"
	"CREATE TABLE venues(vid INTEGER PRIMARY KEY, gid INTEGER NOT NULL, address TEXT, postcode TEXT,"
	"  lat REAL, lon REAL);"
	"CREATE TABLE sessions(gid INTEGER NOT NULL, day INTEGER NOT NULL, start_min INTEGER NOT NULL,"
	"  end_min INTEGER NOT NULL);";

static const char index_schema[] =
	"CREATE VIRTUAL TABLE venue_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);"
	"CREATE VIRTUAL TABLE group_fts USING fts5(name, organisation, description, tag_words,"
	"  content='groups', content_rowid='gid', tokenize='porter unicode61 remove_diacritics 2');";

enum { S_GROUP, S_VENUE, S_SESSION, S_FTS, S_RTREE, S_COUNT };

static const char *const sql[S_COUNT] = {
	"INSERT INTO groups(feed_id, local_id, name, organisation, description, tag_words) VALUES (?1,?2,?3,?4,?5,?6)",
	"INSERT INTO venues(gid, address, postcode, lat, lon) VALUES (?1, ?2, ?3, ?4, ?5)",
	"INSERT INTO sessions(gid, day, start_min, end_min) VALUES (?1, ?2, ?3, ?4)",
	"INSERT INTO group_fts(rowid, name, organisation, description, tag_words) VALUES (?1, ?2, ?3, ?4, ?5)",
	"INSERT INTO venue_rtree(id, min_lat, max_lat, min_lon, max_lon) VALUES (?1, ?2, ?2, ?3, ?3)",
};

typedef struct venue {
	xmlChar *address, *postcode; /* owned */
	double lat, lon;
	int located;
} venue;

typedef struct session {
	int day, start, end;
} session;

/* One group as read so far; strings are owned (xmlFree). */
typedef struct group {
	xmlChar *id, *name, *organisation, *description;
	char tags[TAGS_MAX]; /* need and activity ids, hyphens as spaces, as kith's tag_words */
	size_t tags_len;
	venue venues[MAX_VENUES];
	size_t venue_count;
	session sessions[MAX_SESSIONS];
	size_t session_count;
} group;

typedef struct loader {
	sqlite3 *db;
	sqlite3_stmt *stmt[S_COUNT];
	int indexed;
	unsigned long long groups, base_rows, rows;
} loader;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void group_clear(group *g)
{
	size_t i;

	xmlFree(g->id);
	xmlFree(g->name);
	xmlFree(g->organisation);
	xmlFree(g->description);
	for (i = 0; i < g->venue_count; i++) {
		xmlFree(g->venues[i].address);
		xmlFree(g->venues[i].postcode);
	}
	memset(g, 0, sizeof(*g));
}

static void bind_text(sqlite3_stmt *s, int i, const xmlChar *v)
{
	if (v)
		sqlite3_bind_text(s, i, (const char *)v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static int step(loader *l, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "floor_insert: %s\n", sqlite3_errmsg(l->db));
		return -1;
	}
	l->rows++;
	return 0;
}

static int insert_group(loader *l, const xmlChar *feed_id, const group *g)
{
	sqlite3_stmt *s = l->stmt[S_GROUP];
	const char *tags = g->tags_len ? g->tags : NULL;
	sqlite3_int64 gid;
	size_t i;

	bind_text(s, 1, feed_id);
	bind_text(s, 2, g->id);
	bind_text(s, 3, g->name);
	bind_text(s, 4, g->organisation);
	bind_text(s, 5, g->description);
	bind_text(s, 6, (const xmlChar *)tags);
	if (step(l, s) != 0)
		return -1;
	gid = sqlite3_last_insert_rowid(l->db);
	l->base_rows++;
	if (l->indexed) {
		s = l->stmt[S_FTS];
		sqlite3_bind_int64(s, 1, gid);
		bind_text(s, 2, g->name);
		bind_text(s, 3, g->organisation);
		bind_text(s, 4, g->description);
		bind_text(s, 5, (const xmlChar *)tags);
		if (step(l, s) != 0)
			return -1;
	}
	for (i = 0; i < g->venue_count; i++) {
		const venue *v = &g->venues[i];
		s = l->stmt[S_VENUE];
		sqlite3_bind_int64(s, 1, gid);
		bind_text(s, 2, v->address);
		bind_text(s, 3, v->postcode);
		if (v->located) {
			sqlite3_bind_double(s, 4, v->lat);
			sqlite3_bind_double(s, 5, v->lon);
		}
		if (step(l, s) != 0)
			return -1;
		l->base_rows++;
		if (l->indexed && v->located) {
			sqlite3_int64 vid = sqlite3_last_insert_rowid(l->db);
			s = l->stmt[S_RTREE];
			sqlite3_bind_int64(s, 1, vid);
			sqlite3_bind_double(s, 2, v->lat);
			sqlite3_bind_double(s, 3, v->lon);
			if (step(l, s) != 0)
				return -1;
		}
	}
	for (i = 0; i < g->session_count; i++) {
		s = l->stmt[S_SESSION];
		sqlite3_bind_int64(s, 1, gid);
		sqlite3_bind_int(s, 2, g->sessions[i].day);
		sqlite3_bind_int(s, 3, g->sessions[i].start);
		sqlite3_bind_int(s, 4, g->sessions[i].end);
		if (step(l, s) != 0)
			return -1;
		l->base_rows++;
	}
	l->groups++;
	return 0;
}

static double attr_double(xmlTextReaderPtr r, const char *name, int *ok)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	char *end = NULL;
	double d = v ? strtod((const char *)v, &end) : 0.0;

	if (!v || end == (char *)v)
		*ok = 0;
	xmlFree(v);
	return d;
}

static int attr_minutes(xmlTextReaderPtr r, const char *name)
{
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)name);
	int m = -1;

	if (v && strlen((const char *)v) == 5)
		m = ((v[0] - '0') * 10 + (v[1] - '0')) * 60 + (v[3] - '0') * 10 + (v[4] - '0');
	xmlFree(v);
	return m;
}

static int attr_day(xmlTextReaderPtr r)
{
	static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
	xmlChar *v = xmlTextReaderGetAttribute(r, (const xmlChar *)"day");
	int d = -1, i;

	for (i = 0; v && i < 7; i++)
		if (strcmp((const char *)v, days[i]) == 0)
			d = i;
	xmlFree(v);
	return d;
}

static void add_tag(group *g, const xmlChar *tag)
{
	size_t n = strlen((const char *)tag), i;

	if (g->tags_len + n + 2 > sizeof(g->tags))
		return;
	if (g->tags_len)
		g->tags[g->tags_len++] = ' ';
	for (i = 0; i < n; i++)
		g->tags[g->tags_len++] = tag[i] == '-' ? ' ' : (char)tag[i];
	g->tags[g->tags_len] = '\0';
}

/* Loads one feed: the groups directly under the root; everything else is skipped. */
static int load_file(loader *l, const char *path)
{
	const int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
	xmlTextReaderPtr r = xmlReaderForFile(path, NULL, options);
	xmlChar *feed_id = NULL;
	group g;
	int ret, in_group = 0, in_venue = 0, error = 0;

	memset(&g, 0, sizeof(g));
	if (!r) {
		fprintf(stderr, "floor_insert: %s: cannot open\n", path);
		return -1;
	}
	while (!error && (ret = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r), depth = xmlTextReaderDepth(r);
		const char *name = (const char *)xmlTextReaderConstLocalName(r);

		if (type == XML_READER_TYPE_END_ELEMENT) {
			if (depth == 1 && in_group) {
				error = insert_group(l, feed_id, &g);
				group_clear(&g);
				in_group = 0;
			} else if (in_venue && strcmp(name, "venue") == 0) {
				in_venue = 0;
			}
			continue;
		}
		if (type != XML_READER_TYPE_ELEMENT)
			continue;
		if (depth == 0) {
			feed_id = xmlTextReaderGetAttribute(r, (const xmlChar *)"id");
		} else if (depth == 1) {
			if (strcmp(name, "group") == 0) {
				g.id = xmlTextReaderGetAttribute(r, (const xmlChar *)"id");
				in_group = 1;
				if (xmlTextReaderIsEmptyElement(r)) {
					group_clear(&g);
					in_group = 0;
				}
			}
		} else if (!in_group) {
			continue;
		} else if (depth == 2 && strcmp(name, "name") == 0 && !g.name) {
			g.name = xmlTextReaderReadString(r);
		} else if (depth == 2 && strcmp(name, "organisation") == 0 && !g.organisation) {
			g.organisation = xmlTextReaderReadString(r);
		} else if (depth == 2 && strcmp(name, "description") == 0 && !g.description) {
			g.description = xmlTextReaderReadString(r);
		} else if (strcmp(name, "need") == 0 || strcmp(name, "activity") == 0) {
			xmlChar *t = xmlTextReaderReadString(r);
			if (t)
				add_tag(&g, t);
			xmlFree(t);
		} else if (depth == 2 && strcmp(name, "venue") == 0) {
			if (g.venue_count < MAX_VENUES) {
				g.venue_count++;
				in_venue = !xmlTextReaderIsEmptyElement(r);
			}
		} else if (in_venue && strcmp(name, "address") == 0) {
			venue *v = &g.venues[g.venue_count - 1];
			if (!v->address)
				v->address = xmlTextReaderReadString(r);
		} else if (in_venue && strcmp(name, "postcode") == 0) {
			venue *v = &g.venues[g.venue_count - 1];
			if (!v->postcode)
				v->postcode = xmlTextReaderReadString(r);
		} else if (in_venue && strcmp(name, "point") == 0) {
			venue *v = &g.venues[g.venue_count - 1];
			int ok = 1;
			v->lat = attr_double(r, "lat", &ok);
			v->lon = attr_double(r, "lon", &ok);
			v->located = ok;
		} else if (strcmp(name, "session") == 0 && g.session_count < MAX_SESSIONS) {
			session *s = &g.sessions[g.session_count];
			s->day = attr_day(r);
			s->start = attr_minutes(r, "start");
			s->end = attr_minutes(r, "end");
			if (s->day >= 0 && s->start >= 0 && s->end >= 0)
				g.session_count++;
		}
	}
	if (!error && ret != 0) {
		fprintf(stderr, "floor_insert: %s: not well-formed\n", path);
		error = -1;
	}
	group_clear(&g);
	xmlFree(feed_id);
	xmlFreeTextReader(r);
	return error;
}

int main(int argc, char **argv)
{
	loader l;
	struct rusage ru;
	struct stat st;
	double t0;
	int a = 1, i, rc = 1;
	long long db_bytes = 0;
	char wal[4096];

	memset(&l, 0, sizeof(l));
	if (a < argc && strcmp(argv[a], "--indexed") == 0) {
		l.indexed = 1;
		a++;
	}
	if (argc - a < 2) {
		fprintf(stderr, "usage: floor_insert [--indexed] DB FEED.xml...\n");
		return 2;
	}
	LIBXML_TEST_VERSION
	remove(argv[a]);
	t0 = now_s();
	if (sqlite3_open(argv[a], &l.db) != SQLITE_OK ||
	    sqlite3_exec(l.db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(l.db, plain_schema, NULL, NULL, NULL) != SQLITE_OK ||
	    (l.indexed && sqlite3_exec(l.db, index_schema, NULL, NULL, NULL) != SQLITE_OK)) {
		fprintf(stderr, "floor_insert: %s: %s\n", argv[a], l.db ? sqlite3_errmsg(l.db) : "cannot open");
		goto cleanup;
	}
	for (i = 0; i < S_COUNT; i++) {
		if (!l.indexed && (i == S_FTS || i == S_RTREE))
			continue;
		if (sqlite3_prepare_v3(l.db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &l.stmt[i], NULL) != SQLITE_OK) {
			fprintf(stderr, "floor_insert: %s\n", sqlite3_errmsg(l.db));
			goto cleanup;
		}
	}
	if (sqlite3_exec(l.db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		goto cleanup;
	for (i = a + 1; i < argc; i++)
		if (load_file(&l, argv[i]) != 0)
			goto cleanup;
	if (sqlite3_exec(l.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "floor_insert: %s\n", sqlite3_errmsg(l.db));
		goto cleanup;
	}
	for (i = 0; i < S_COUNT; i++) {
		sqlite3_finalize(l.stmt[i]);
		l.stmt[i] = NULL;
	}
	sqlite3_close(l.db); /* checkpoints the WAL into the database, as kith index's close does */
	l.db = NULL;
	t0 = now_s() - t0;
	if (stat(argv[a], &st) == 0)
		db_bytes += st.st_size;
	snprintf(wal, sizeof(wal), "%s-wal", argv[a]);
	if (stat(wal, &st) == 0)
		db_bytes += st.st_size;
	getrusage(RUSAGE_SELF, &ru);
	printf("seconds=%.3f groups=%llu base_rows=%llu rows=%llu groups_per_s=%.0f rows_per_s=%.0f "
	       "base_rows_per_s=%.0f db_bytes=%lld rss_kb=%ld\n",
	       t0, l.groups, l.base_rows, l.rows, (double)l.groups / t0, (double)l.rows / t0, (double)l.base_rows / t0,
	       db_bytes, ru.ru_maxrss);
	rc = 0;

cleanup:
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(l.stmt[i]);
	sqlite3_close(l.db);
	xmlCleanupParser();
	return rc;
}
