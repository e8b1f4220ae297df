/*
 * kith serve, started for real on a free loopback port over a real index,
 * spoken to in HTTP over a socket: every route, every error status, the
 * limits, the Host and Origin checks, the headers, escaping of hostile feed
 * text, a log that holds nothing about the person, and POST /api/match
 * equal byte for byte to `kith match --format json` for every Kendal
 * patient.
 */
#include "support.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kith.h"
#include "server.h"

#define DATE "2026-11-23"

static const char hostile_feed[] =
	"<feed xmlns=\"urn:kith:feed:1\" id=\"hostile\" version=\"1\">\n"
	"<group id=\"x\" updated=\"2026-11-01\"><name>&lt;script&gt;alert(1)&lt;/script&gt; Lunch \"club\"</name>"
	"<description>&lt;img src=x onerror=alert(2)&gt; a hot lunch for lonely people</description>"
	"<needs><need>loneliness</need></needs><venue><postcode>LA9 4DH</postcode></venue></group>\n"
	"</feed>\n";

typedef struct fixture {
	char *dir, *db;
	srv *server;
	char *log;
	size_t log_size;
	FILE *log_file;
	unsigned port;
	char host[64];
} fixture;

typedef struct reply {
	int status;
	char *head; /* the status line and headers */
	char *body;
} reply;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));
	srv_opts o = {NULL, NULL, 0, 2, DATE, NULL};
	kith_index *idx = NULL;
	char path[4096], err[256], *feed;
	DIR *d;
	struct dirent *e;

	f->dir = ks_tmpdir();
	snprintf(path, sizeof(path), "%s/kendal.db", f->dir);
	f->db = strdup(path);
	assert_int_equal(kith_index_open(&idx, f->db, KITH_OPEN_CREATE), 0);
	assert_non_null(d = opendir(ks_src("corpus/kendal/feeds")));
	while ((e = readdir(d)) != NULL) {
		if (!strstr(e->d_name, ".xml"))
			continue;
		snprintf(path, sizeof(path), "%s/corpus/kendal/feeds/%s", ks_srcdir(), e->d_name);
		assert_int_equal(kith_index_load(idx, path, NULL, NULL, NULL), 0);
	}
	closedir(d);
	feed = ks_write(f->dir, "hostile.xml", hostile_feed);
	assert_int_equal(kith_index_load(idx, feed, NULL, NULL, NULL), 0);
	free(feed);
	kith_index_free(idx);
	f->log_file = open_memstream(&f->log, &f->log_size);
	o.db = f->db;
	o.log = f->log_file;
	if (srv_start(&f->server, &o, err, sizeof(err)) != 0)
		fail_msg("srv_start: %s", err);
	f->port = srv_port(f->server);
	snprintf(f->host, sizeof(f->host), "127.0.0.1:%u", f->port);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	srv_stop(f->server);
	fclose(f->log_file);
	free(f->log);
	ks_rmtree(f->dir);
	free(f->dir);
	free(f->db);
	free(f);
	return 0;
}

/* Sends a raw request and reads the whole answer (the server closes: Connection: close). */
static reply ask_raw(fixture *f, const char *request, size_t len)
{
	struct sockaddr_in a;
	reply r = {0, NULL, NULL};
	char *all = NULL, buf[8192], *split;
	size_t size = 0;
	ssize_t n;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(s >= 0);
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)f->port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(connect(s, (struct sockaddr *)&a, sizeof(a)), 0);
	while (len > 0 && (n = write(s, request, len)) > 0) {
		request += n;
		len -= (size_t)n;
	}
	while ((n = read(s, buf, sizeof(buf))) > 0) {
		all = realloc(all, size + (size_t)n + 1);
		assert_non_null(all);
		memcpy(all + size, buf, (size_t)n);
		size += (size_t)n;
		all[size] = '\0';
	}
	close(s);
	assert_non_null(all);
	r.status = (int)strtol(all + 9, NULL, 10); /* "HTTP/1.1 200" */
	split = strstr(all, "\r\n\r\n");
	assert_non_null(split);
	*split = '\0';
	r.head = all;
	r.body = split + 4;
	return r;
}

/* One request with these extra header lines ("" for none) and body (NULL for none). */
static reply ask(fixture *f, const char *method, const char *target, const char *headers, const char *type,
		 const char *body)
{
	char *req = NULL;
	size_t size = 0;
	FILE *m = open_memstream(&req, &size);
	reply r;

	fprintf(m, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n%s", method, target, f->host, headers);
	if (body)
		fprintf(m, "Content-Type: %s\r\nContent-Length: %zu\r\n\r\n%s", type, strlen(body), body);
	else
		fputs("\r\n", m);
	fclose(m);
	r = ask_raw(f, req, size);
	free(req);
	return r;
}

static void done(reply *r)
{
	free(r->head);
}

static int has_header(const reply *r, const char *line)
{
	return ks_contains(r->head, line);
}

static void test_pages(void **state)
{
	fixture *f = *state;
	reply r = ask(f, "GET", "/", "", NULL, NULL);

	assert_int_equal(r.status, 200);
	assert_true(ks_contains(r.body, "name=\"postcode\""));
	assert_true(ks_contains(r.body, "value=\"carer-support\"")); /* choices from the vocabulary */
	assert_true(ks_contains(r.body, "name=\"when\" value=\"mon@09:00-12:00\""));
	assert_true(has_header(&r, "Content-Security-Policy: default-src 'none'"));
	assert_true(has_header(&r, "X-Content-Type-Options: nosniff"));
	assert_true(has_header(&r, "Referrer-Policy: no-referrer"));
	assert_false(ks_contains(r.head, "Access-Control"));
	done(&r);
	r = ask(f, "POST", "/match", "", "application/x-www-form-urlencoded",
		"needs=loneliness&needs=purpose&main=loneliness&postcode=LA9+4DH&max-km=3&interests=a+natter");
	assert_int_equal(r.status, 200);
	assert_true(has_header(&r, "Cache-Control: no-store"));
	assert_true(ks_contains(r.body, "suggestions</h1>"));
	assert_true(ks_contains(r.body, "<svg"));
	assert_true(ks_contains(r.body, "name=\"pick\""));
	done(&r);
	r = ask(f, "GET", "/group/south-lakes-cvs/kendal-mens-shed", "", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_true(ks_contains(r.body, "Other listings of this group"));
	done(&r);
	r = ask(f, "GET", "/maintain", "", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_true(ks_contains(r.body, "kendal-wellbeing-hub"));
	/* the listings no one can be shown, and those with gaps, each a link to its page */
	assert_true(
		ks_contains(r.body, "<a href=\"/group/south-lakes-cvs/grange-mens-shed\">Grange Men&#39;s Shed</a>"));
	assert_true(ks_contains(r.body, "closed to new members"));
	assert_true(ks_contains(r.body, "<a href=\"/group/south-lakes-cvs/kendal-mens-shed\">"));
	done(&r);
	r = ask(f, "GET", "/style.css", "", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_true(has_header(&r, "text/css"));
	done(&r);
}

/* A need nothing within reach serves is said above the cards, with the nearest group that does. */
static void test_unmet_need_is_said(void **state)
{
	fixture *f = *state;
	reply r = ask(f, "POST", "/match", "", "application/x-www-form-urlencoded",
		      "needs=domestic-abuse&needs=loneliness&main=loneliness&postcode=LA9+4DH&max-km=0.5");

	assert_int_equal(r.status, 200);
	assert_true(ks_contains(r.body, "<h2>Not met by these groups</h2>"));
	assert_true(ks_contains(r.body, "Nothing within 0.5 km says it helps with"));
	assert_true(ks_contains(r.body, "Home placed amid the listed venues of postcode sector LA9 4"));
	done(&r);
}

static void test_why_not_and_sheet(void **state)
{
	fixture *f = *state;
	reply r = ask(f, "POST", "/match", "", "application/x-www-form-urlencoded",
		      "needs=loneliness&postcode=LA9+4DH&max-km=1.2&why=kendal+men%27s");

	assert_int_equal(r.status, 200);
	assert_true(ks_contains(r.body, "id=\"why-not-answer\""));
	assert_true(ks_contains(r.body, "Kendal Men&#39;s Shed"));
	done(&r);
	r = ask(f, "POST", "/sheet", "", "application/x-www-form-urlencoded",
		"needs=loneliness&postcode=LA9+4DH&max-km=3&pick=westmorland-council-directory%2FWF-40112"
		"&worker=Sam+Jones&worker-phone=01632+960000");
	assert_int_equal(r.status, 200);
	assert_true(ks_contains(r.body, "Knit and Natter"));
	assert_true(ks_contains(r.body, "Sam Jones"));
	assert_true(ks_contains(r.body, "01632 960000"));
	assert_true(has_header(&r, "Cache-Control: no-store"));
	done(&r);
}

static void test_errors(void **state)
{
	fixture *f = *state;
	char big[70 * 1024 + 64];
	reply r = ask(f, "GET", "/nowhere", "", NULL, NULL);

	assert_int_equal(r.status, 404);
	done(&r);
	r = ask(f, "GET", "/api/nowhere", "", NULL, NULL);
	assert_int_equal(r.status, 404);
	assert_true(ks_contains(r.body, "{\"error\""));
	done(&r);
	r = ask(f, "DELETE", "/", "", NULL, NULL);
	assert_int_equal(r.status, 405);
	assert_true(has_header(&r, "Allow: GET, HEAD, POST"));
	done(&r);
	r = ask(f, "GET", "/api/match", "", NULL, NULL);
	assert_int_equal(r.status, 405);
	done(&r);
	r = ask(f, "GET", "/match", "", NULL, NULL);
	assert_int_equal(r.status, 405);
	done(&r);
	r = ask(f, "POST", "/api/match", "", "text/plain", "hello");
	assert_int_equal(r.status, 415);
	done(&r);
	r = ask(f, "POST", "/api/match", "", "application/xml",
		"<patient xmlns=\"urn:kith:patient:1\" id=\"x\">\n  <age>two hundred</age>\n</patient>\n");
	assert_int_equal(r.status, 400);
	assert_true(ks_contains(r.body, "\"line\":2"));
	assert_true(ks_contains(r.body, "\"column\""));
	done(&r);
	r = ask(f, "POST", "/api/match", "", "application/json", "{\"postcode\": \"ZZ99 9ZZ\"}");
	assert_int_equal(r.status, 400);
	assert_true(ks_contains(r.body, "postcode"));
	done(&r);
	r = ask(f, "POST", "/api/match?top=0", "", "application/json", "{}");
	assert_int_equal(r.status, 400);
	done(&r);
	r = ask(f, "GET", "/api/groups/no/such", "", NULL, NULL);
	assert_int_equal(r.status, 404);
	done(&r);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, "interests=", 10);
	r = ask(f, "POST", "/match", "", "application/x-www-form-urlencoded", big);
	assert_int_equal(r.status, 413);
	done(&r);
}

/* The attacker is a web page in the same browser: another origin's POST, or a rebound DNS name. */
static void test_host_and_origin(void **state)
{
	fixture *f = *state;
	char request[256];
	int n;
	reply r;

	n = snprintf(request, sizeof(request), "GET / HTTP/1.1\r\nHost: evil.example:%u\r\nConnection: close\r\n\r\n",
		     f->port);
	r = ask_raw(f, request, (size_t)n);
	assert_int_equal(r.status, 421);
	done(&r);
	r = ask(f, "POST", "/match", "Origin: http://evil.example\r\n", "application/x-www-form-urlencoded",
		"needs=loneliness");
	assert_int_equal(r.status, 403);
	done(&r);
	r = ask(f, "POST", "/api/match", "Sec-Fetch-Site: cross-site\r\n", "application/json", "{}");
	assert_int_equal(r.status, 403);
	done(&r);
	snprintf(request, sizeof(request), "Origin: http://%s\r\n", f->host);
	r = ask(f, "POST", "/match", request, "application/x-www-form-urlencoded", "needs=loneliness");
	assert_int_equal(r.status, 200);
	done(&r);
}

/* A feed is untrusted: its text is shown as text wherever it appears. */
static void test_hostile_feed_text_is_escaped(void **state)
{
	fixture *f = *state;
	reply r = ask(f, "GET", "/group/hostile/x", "", NULL, NULL);

	assert_int_equal(r.status, 200);
	assert_true(ks_contains(r.body, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_false(ks_contains(r.body, "<script"));
	assert_false(ks_contains(r.body, "<img"));
	done(&r);
	r = ask(f, "POST", "/match", "", "application/x-www-form-urlencoded",
		"needs=loneliness&postcode=LA9+4DH&max-km=5&interests=lunch&top=30");
	assert_int_equal(r.status, 200);
	assert_true(ks_contains(r.body, "&lt;script&gt;"));
	assert_false(ks_contains(r.body, "<script"));
	done(&r);
}

/* The log has method, route, status and time: not a word of what was asked. */
static void test_log_holds_nothing_about_the_person(void **state)
{
	fixture *f = *state;
	reply r = ask(f, "POST", "/match", "", "application/x-www-form-urlencoded",
		      "needs=loneliness&postcode=LA9+4DH&interests=zanzibarsecret&age=77");

	assert_int_equal(r.status, 200);
	done(&r);
	r = ask(f, "GET", "/group/south-lakes-cvs/kendal-mens-shed", "", NULL, NULL);
	done(&r);
	fflush(f->log_file);
	assert_true(ks_contains(f->log, "POST /match 200"));
	assert_true(ks_contains(f->log, "GET /group/{feed}/{group} 200"));
	assert_false(ks_contains(f->log, "zanzibarsecret"));
	assert_false(ks_contains(f->log, "LA9"));
	assert_false(ks_contains(f->log, "kendal-mens-shed"));
}

/* The API answers exactly what the command line prints, for every Kendal patient. */
static void test_api_match_equals_the_command_line(void **state)
{
	fixture *f = *state;
	DIR *d = opendir(ks_src("corpus/kendal/patients"));
	struct dirent *e;
	size_t checked = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char path[4096], *xml, *cli = NULL;
		reply r;
		if (!strstr(e->d_name, ".xml"))
			continue;
		snprintf(path, sizeof(path), "%s/corpus/kendal/patients/%s", ks_srcdir(), e->d_name);
		assert_non_null(xml = ks_read(path));
		r = ask(f, "POST", "/api/match?top=10&date=" DATE, "", "application/xml", xml);
		assert_int_equal(r.status, 200);
		assert_int_equal(ks_kith(&cli, NULL, "match %s %s --date %s --top 10 --format json", f->db, path, DATE),
				 0);
		assert_string_equal(r.body, cli);
		free(cli);
		free(xml);
		done(&r);
		checked++;
	}
	closedir(d);
	assert_int_equal(checked, 12);
}

typedef struct concurrent {
	fixture *f;
	const char *xml;
	reply r;
} concurrent;

static void *post_profile(void *arg)
{
	concurrent *c = arg;

	c->r = ask(c->f, "POST", "/api/match?top=10&date=" DATE, "", "application/xml", c->xml);
	return NULL;
}

/* Requests from many connections at once go through the one queue to the two workers, each answered right. */
static void test_many_clients_at_once(void **state)
{
	fixture *f = *state;
	enum { CLIENTS = 24 };
	concurrent c[CLIENTS];
	pthread_t t[CLIENTS];
	char *xml[2], *expected[2] = {NULL, NULL};
	const char *names[2] = {"K01", "K07"};
	size_t i;

	for (i = 0; i < 2; i++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/corpus/kendal/patients/%s.xml", ks_srcdir(), names[i]);
		assert_non_null(xml[i] = ks_read(path));
		assert_int_equal(
			ks_kith(&expected[i], NULL, "match %s %s --date %s --top 10 --format json", f->db, path, DATE),
			0);
	}
	for (i = 0; i < CLIENTS; i++) {
		c[i].f = f;
		c[i].xml = xml[i % 2];
		assert_int_equal(pthread_create(&t[i], NULL, post_profile, &c[i]), 0);
	}
	for (i = 0; i < CLIENTS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(c[i].r.status, 200);
		assert_string_equal(c[i].r.body, expected[i % 2]);
		done(&c[i].r);
	}
	for (i = 0; i < 2; i++) {
		free(xml[i]);
		free(expected[i]);
	}
}

static void test_api_json_profile_group_why_not_health(void **state)
{
	fixture *f = *state;
	char *cli = NULL;
	reply r = ask(f, "POST", "/api/match?date=" DATE "&top=5", "", "application/json",
		      "{\"id\": \"desk\", \"postcode\": \"LA9 4DH\", \"max-km\": 3, \"needs\": [\"loneliness:high\"], "
		      "\"interests\": \"used to have an allotment, fancy a natter\", \"wheelchair\": true, "
		      "\"when\": [\"tue,thu@10:00-14:00\"], \"free\": true}");

	assert_int_equal(r.status, 200);
	assert_int_equal(
		ks_kith(&cli, NULL,
			"match %s --postcode 'LA9 4DH' --max-km 3 --needs loneliness:high --interests "
			"'used to have an allotment, fancy a natter' --wheelchair --when 'tue,thu@10:00-14:00' "
			"--free --date %s --top 5 --format json",
			f->db, DATE),
		0);
	/* the same request through flags: only the patient id differs */
	assert_true(ks_contains(r.body, "{\"patient\": \"desk\""));
	assert_string_equal(strchr(r.body, ','), strchr(cli, ','));
	free(cli);
	done(&r);
	r = ask(f, "GET", "/api/groups/south-lakes-cvs/kendal-mens-shed", "", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_true(ks_contains(r.body, "\"also_listed\": [\"kendal-wellbeing-hub/mens-shed-kendal\"]"));
	done(&r);
	r = ask(f, "POST", "/api/why-not?date=" DATE "&key=south-lakes-cvs/andys-man-club-kendal", "",
		"application/json", "{\"gender\": \"female\", \"postcode\": \"LA9 4DH\"}");
	assert_int_equal(r.status, 200);
	assert_true(ks_contains(r.body, "it is for men only"));
	done(&r);
	r = ask(f, "GET", "/api/health", "", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_true(ks_contains(r.body, "\"groups\":75"));
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_why_not_and_sheet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unmet_need_is_said, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_host_and_origin, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_feed_text_is_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_holds_nothing_about_the_person, setup, teardown),
		cmocka_unit_test_setup_teardown(test_api_match_equals_the_command_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_api_json_profile_group_why_not_health, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_clients_at_once, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
