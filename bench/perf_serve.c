/*
 * perf_serve: kith serve's throughput and latency through HTTP, beside the
 * same work done in process, in one run.
 *
 * In process: each of two threads (one per core) with its own index and
 * matcher parses a profile and matches it to JSON, as a server worker does.
 * Through the server: kith serve started in this process on a free loopback
 * port, and 1, 4 and 16 clients, each on one keep-alive connection, posting
 * the same profiles to /api/match.  Memory: the process's RSS before and
 * after 10,000 requests.
 *
 * Usage: perf_serve DB PROFILE.xml... [--date D] [--seconds S] [--requests N] [--threads T]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kith.h"
#include "server.h"

#define MAX_PROFILES 1000
#define MAX_SAMPLES 2000000

typedef struct bench {
	const char *db, *date;
	char *bodies[MAX_PROFILES];
	size_t sizes[MAX_PROFILES];
	size_t count;
	double seconds;
	unsigned port;
} bench;

typedef struct worker {
	bench *b;
	size_t first;  /* the profile to start from */
	long requests; /* 0: run for b->seconds */
	long done, errors;
	double *lat; /* owned: milliseconds of each request */
	size_t nlat;
} worker;

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long rss_kb(void)
{
	long pages = 0, resident = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
			resident = 0;
		fclose(f);
	}
	return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void note(worker *w, double ms)
{
	if (w->nlat < MAX_SAMPLES)
		w->lat[w->nlat++] = ms;
}

static void *in_process(void *arg)
{
	worker *w = arg;
	kith_match_opts mo = KITH_MATCH_OPTS_INIT;
	kith_render_opts ro = KITH_RENDER_OPTS_INIT;
	kith_index *idx = NULL;
	kith_matcher *m = NULL;
	double end = now() + w->b->seconds;
	size_t i = w->first;

	mo.today = w->b->date;
	ro.format = KITH_FORMAT_JSON;
	if (kith_index_open(&idx, w->b->db, KITH_OPEN_READONLY) != 0 || kith_matcher_new(&m, idx, NULL, NULL) != 0) {
		w->errors++;
		goto done;
	}
	while (now() < end) {
		kith_profile *p = NULL;
		kith_results *r = NULL;
		char *json = NULL;
		double t0 = now();
		if (kith_profile_parse(&p, "profile", w->b->bodies[i], w->b->sizes[i], NULL) != 0 ||
		    kith_matcher_run(m, p, &mo, &r) != 0 || kith_results_render(r, &ro, &json) != 0)
			w->errors++;
		else
			note(w, (now() - t0) * 1e3);
		free(json);
		kith_results_free(r);
		kith_profile_free(p);
		w->done++;
		i = (i + 1) % w->b->count;
	}
done:
	kith_matcher_free(m);
	kith_index_free(idx);
	return NULL;
}

static int connect_to(unsigned port)
{
	struct sockaddr_in a;
	int s = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons((unsigned short)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) != 0) {
		if (s >= 0)
			close(s);
		return -1;
	}
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return s;
}

/* One request on a keep-alive connection: 0 when the answer was a whole 200. */
static int post(int s, const bench *b, size_t i, char *buf, size_t size)
{
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "POST /api/match?date=%s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nContent-Type: application/xml\r\n"
			 "Content-Length: %zu\r\n\r\n",
			 b->date, b->port, b->sizes[i]);
	size_t got = 0, need = 0;
	char *end, *len;

	if (write(s, head, (size_t)n) != n || write(s, b->bodies[i], b->sizes[i]) != (ssize_t)b->sizes[i])
		return -1;
	for (;;) {
		ssize_t r = read(s, buf + got, size - got - 1);
		if (r <= 0)
			return -1;
		got += (size_t)r;
		buf[got] = '\0';
		if (!need && (end = strstr(buf, "\r\n\r\n")) != NULL) {
			if ((len = strcasestr(buf, "Content-Length:")) == NULL)
				return -1;
			need = (size_t)(end + 4 - buf) + strtoul(len + 15, NULL, 10);
			if (need >= size)
				return -1;
		}
		if (need && got >= need)
			return strncmp(buf, "HTTP/1.1 200", 12) == 0 ? 0 : -1;
	}
}

static void *client(void *arg)
{
	worker *w = arg;
	size_t size = 1 << 20, i = w->first;
	char *buf = malloc(size);
	double end = now() + w->b->seconds;
	int s = connect_to(w->b->port);

	while (buf && s >= 0 && (w->requests ? w->done < w->requests : now() < end)) {
		double t0 = now();
		if (post(s, w->b, i, buf, size) != 0) {
			w->errors++;
			close(s);
			s = connect_to(w->b->port);
		} else {
			note(w, (now() - t0) * 1e3);
		}
		w->done++;
		i = (i + 1) % w->b->count;
	}
	if (s >= 0)
		close(s);
	free(buf);
	return NULL;
}

/* Runs n threads of fn; prints a row: rate, p50, p99, errors.  Returns the rate. */
static double run(bench *b, const char *label, void *(*fn)(void *), int n, long requests_each)
{
	pthread_t t[64];
	worker w[64];
	double t0 = now(), elapsed, *all;
	size_t total = 0, k = 0;
	long done = 0, errors = 0;
	int i;

	for (i = 0; i < n; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].b = b;
		w[i].first = (size_t)i * 7 % b->count;
		w[i].requests = requests_each;
		w[i].lat = malloc(MAX_SAMPLES * sizeof(double));
		pthread_create(&t[i], NULL, fn, &w[i]);
	}
	for (i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		total += w[i].nlat;
		done += w[i].done;
		errors += w[i].errors;
	}
	elapsed = now() - t0;
	all = malloc((total ? total : 1) * sizeof(double));
	for (i = 0; i < n; i++) {
		memcpy(all + k, w[i].lat, w[i].nlat * sizeof(double));
		k += w[i].nlat;
		free(w[i].lat);
	}
	qsort(all, total, sizeof(double), by_value);
	printf("| %-26s | %8.1f | %7.1f | %7.1f | %6ld |\n", label, (double)total / elapsed,
	       total ? all[total / 2] : 0.0, total ? all[total * 99 / 100] : 0.0, errors);
	fflush(stdout);
	free(all);
	(void)done;
	return (double)total / elapsed;
}

int main(int argc, char **argv)
{
	bench b;
	srv_opts so = {NULL, NULL, 0, 2, NULL, NULL};
	srv *s = NULL;
	char err[256];
	long requests = 10000, before, after;
	double inproc, best = 0, rate;
	int i, clients[] = {1, 4, 16};

	kith_threads_prepare(); /* as kith itself does */
	memset(&b, 0, sizeof(b));
	b.date = "2026-11-23";
	b.seconds = 10;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--date") == 0 && i + 1 < argc) {
			b.date = argv[++i];
		} else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
			b.seconds = strtod(argv[++i], NULL);
		} else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
			so.threads = (unsigned)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(argv[i], "--requests") == 0 && i + 1 < argc) {
			requests = strtol(argv[++i], NULL, 10);
		} else if (!b.db) {
			b.db = argv[i];
		} else if (b.count < MAX_PROFILES) {
			FILE *f = fopen(argv[i], "rb");
			size_t n = 0;
			if (!f || (b.bodies[b.count] = malloc(1 << 20)) == NULL)
				return 2;
			n = fread(b.bodies[b.count], 1, (1 << 20) - 1, f);
			fclose(f);
			b.sizes[b.count++] = n;
		}
	}
	if (!b.db || !b.count) {
		fprintf(stderr,
			"usage: perf_serve DB PROFILE.xml... [--date D] [--seconds S] [--requests N] [--threads T]\n");
		return 2;
	}
	so.db = b.db;
	so.today = b.date;
	if (srv_start(&s, &so, err, sizeof(err)) != 0) {
		fprintf(stderr, "perf_serve: %s\n", err);
		return 2;
	}
	b.port = srv_port(s);
	printf("| %-26s | %8s | %7s | %7s | %6s |\n| --- | ---: | ---: | ---: | ---: |\n", "run", "match/s", "p50 ms",
	       "p99 ms", "errors");
	inproc = run(&b, "in process, 2 threads", in_process, 2, 0);
	for (i = 0; i < 3; i++) {
		char label[64];
		snprintf(label, sizeof(label), "kith serve, %d client%s", clients[i], clients[i] == 1 ? "" : "s");
		rate = run(&b, label, client, clients[i], 0);
		if (rate > best)
			best = rate;
	}
	before = rss_kb();
	run(&b, "10,000 requests, 16 clients", client, 16, requests / 16);
	after = rss_kb();
	printf("\nbest server rate / in-process rate: %.2f\nRSS before and after %ld requests: %ld and %ld KiB\n",
	       best / inproc, requests, before, after);
	srv_stop(s);
	for (i = 0; i < (int)b.count; i++)
		free(b.bodies[i]);
	return 0;
}
