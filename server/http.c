/*
 * The HTTP side of kith serve: libmicrohttpd with its limits set, the
 * checks every request passes before a handler sees it (method, Host,
 * Origin, body size), the headers every response carries, and a log line
 * per request that holds nothing about the person (method, route, status,
 * time).
 *
 * One libmicrohttpd thread does all the reading and writing; a request
 * that passed the checks is suspended and queued, and a pool of workers,
 * each with its own index and matcher, takes them first come first
 * served.  One queue for all the workers keeps the slowest answer close to
 * the typical one: with a pool per connection, as libmicrohttpd's thread
 * pool has, a request waits behind its neighbours' matches while another
 * core is idle.
 */
#include "server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server_int.h"

#define CONNECTION_TIMEOUT 10     /* seconds a connection may sit idle */
#define CONNECTION_LIMIT 64       /* connections at once */
#define CONNECTIONS_PER_IP 32     /* from one address */
#define HEADER_MEMORY (32 * 1024) /* bytes of headers and buffers per connection */
#define CSP                                                                                                \
	"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors " \
	"'none'; base-uri 'none'"

#define MAX_WORKERS 64

/* What one request gathers across libmicrohttpd's calls, and its answer. */
typedef struct pending {
	char *body; /* owned */
	size_t size;
	int too_large;
	struct timespec started;
	struct MHD_Connection *conn; /* suspended while a worker answers */
	srv_request req;             /* what the worker reads; query owned */
	srv_response res;            /* what it answers; body owned */
	int answered;
	struct pending *next; /* in the queue */
} pending;

struct srv {
	struct MHD_Daemon *daemon;
	srv_opts opts;
	char *db;          /* owned copy of opts.db */
	char *today;       /* owned copy of opts.today */
	char hosts[4][80]; /* the Host values answered: the address and loopback names, with the port */
	size_t host_count;
	unsigned port;
	srv_engine engines[MAX_WORKERS]; /* one per worker; owned */
	pthread_t workers[MAX_WORKERS];
	size_t worker_count;  /* started */
	pthread_mutex_t lock; /* guards the queue and stopping */
	pthread_cond_t ready;
	pending *head, *tail; /* the queue: suspended requests, oldest first */
	int stopping;         /* no more requests are queued; the workers empty the queue and end */
};

typedef struct worker_arg {
	srv *s;
	srv_engine *engine;
} worker_arg;

/* Answers one request with the worker's engine. */
static void answer(srv_engine *engine, pending *p)
{
	p->req.engine = engine;
	if (strncmp(p->req.path, "/api/", 5) == 0)
		srv_api(&p->req, &p->res);
	else
		srv_page(&p->req, &p->res);
	p->answered = 1;
}

static void *work(void *arg)
{
	srv *s = ((worker_arg *)arg)->s;
	srv_engine *engine = ((worker_arg *)arg)->engine;
	pending *p;

	free(arg);
	for (;;) {
		pthread_mutex_lock(&s->lock);
		while (!s->head && !s->stopping)
			pthread_cond_wait(&s->ready, &s->lock);
		p = s->head;
		if (p && (s->head = p->next) == NULL)
			s->tail = NULL;
		pthread_mutex_unlock(&s->lock);
		if (!p)
			return NULL; /* stopping, and the queue is empty */
		answer(engine, p);
		MHD_resume_connection(p->conn);
	}
}

/* Queues p for the workers; 0 when the server is stopping and p was not queued. */
static int enqueue(srv *s, pending *p)
{
	int queued = 0;

	pthread_mutex_lock(&s->lock);
	if (!s->stopping) {
		MHD_suspend_connection(p->conn);
		p->next = NULL;
		if (s->tail)
			s->tail->next = p;
		else
			s->head = p;
		s->tail = p;
		queued = 1;
		pthread_cond_signal(&s->ready);
	}
	pthread_mutex_unlock(&s->lock);
	return queued;
}

void srv_respond(srv_response *res, int status, const char *type, char *body, size_t size)
{
	free(res->body);
	res->status = status;
	res->type = type;
	res->body = body;
	res->size = size;
}

/* The Host header names this server: an attacker's DNS name pointed at loopback does not (DNS rebinding). */
static int host_allowed(const srv *s, const char *host)
{
	size_t i;

	for (i = 0; host && i < s->host_count; i++)
		if (strcmp(host, s->hosts[i]) == 0)
			return 1;
	return 0;
}

/*
 * A POST from a page of another origin is refused: browsers say where a
 * request comes from (Origin, Sec-Fetch-Site); other software says nothing
 * and is not the threat.  A sandboxed frame's "null" origin is refused
 * unless the browser also says the request is same-origin.
 */
static int origin_allowed(struct MHD_Connection *c, const char *host)
{
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	const char *site = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Sec-Fetch-Site");
	char mine[96];

	if (site && strcmp(site, "same-origin") != 0 && strcmp(site, "none") != 0)
		return 0;
	if (!origin)
		return 1;
	/* under Referrer-Policy no-referrer a browser's own form posts say "null": its Sec-Fetch-Site speaks */
	if (strcmp(origin, "null") == 0)
		return site && strcmp(site, "same-origin") == 0;
	snprintf(mine, sizeof(mine), "http://%s", host ? host : "");
	return strcmp(origin, mine) == 0;
}

static enum MHD_Result add_query_field(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	srv_form *q = cls;

	(void)kind;
	if (q->count == SRV_MAX_FIELDS)
		return MHD_NO;
	q->items[q->count].name = strdup(key);
	q->items[q->count].value = strdup(value ? value : "");
	if (!q->items[q->count].name || !q->items[q->count].value) {
		free(q->items[q->count].name);
		free(q->items[q->count].value);
		return MHD_NO;
	}
	q->count++;
	return MHD_YES;
}

static double elapsed_ms(const struct timespec *from)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - from->tv_sec) * 1e3 + (double)(now.tv_nsec - from->tv_nsec) / 1e6;
}

static void log_request(srv *s, const char *method, const char *route, int status, const pending *p)
{
	char when[32];
	time_t t = time(NULL);
	struct tm tm;

	if (!s->opts.log)
		return;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(s->opts.log, "%s %s %s %d %.1fms\n", when, method, route, status, elapsed_ms(&p->started));
	fflush(s->opts.log);
}

static enum MHD_Result send_response(struct MHD_Connection *c, srv_response *res)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(res->size, res->body, MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ok;

	if (!r)
		return MHD_NO;
	res->body = NULL; /* libmicrohttpd frees it */
	MHD_add_response_header(r, "Content-Type", res->type ? res->type : "text/plain; charset=utf-8");
	MHD_add_response_header(r, "Content-Security-Policy", CSP);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Cache-Control", res->personal ? "no-store" : "no-cache");
	if (res->allow)
		MHD_add_response_header(r, "Allow", res->allow);
	ok = MHD_queue_response(c, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ok;
}

/* A short plain error for a request refused before any handler: JSON under /api/, HTML elsewhere. */
static void refuse(srv_response *res, const char *path, int status, const char *message)
{
	if (strncmp(path, "/api/", 5) == 0) {
		char *body = NULL;
		size_t size = 0;
		FILE *f = open_memstream(&body, &size);
		if (f) {
			fprintf(f, "{\"error\": \"%s\"}\n", message); /* a fixed message: nothing to escape */
			fclose(f);
		}
		srv_respond(res, status, "application/json", body, size);
	} else {
		srv_error_page(res, status, message, NULL);
	}
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
			      const char *version, const char *upload, size_t *upload_size, void **state)
{
	srv *s = cls;
	pending *p = *state;
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
	enum MHD_Result ok;

	(void)version;
	if (!p) {
		if ((p = calloc(1, sizeof(*p))) == NULL)
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &p->started);
		p->conn = c;
		p->req.route = "-";
		*state = p;
		return MHD_YES;
	}
	if (*upload_size) {
		if (p->too_large || p->size + *upload_size > SRV_MAX_BODY) {
			p->too_large = 1;
		} else {
			char *more = realloc(p->body, p->size + *upload_size + 1);
			if (!more)
				return MHD_NO;
			memcpy(more + p->size, upload, *upload_size);
			p->body = more;
			p->size += *upload_size;
			p->body[p->size] = '\0';
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (!p->answered) {
		if (!host_allowed(s, host)) {
			refuse(&p->res, url, 421, "this server answers only to its own address");
		} else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && strcmp(method, "POST") != 0) {
			refuse(&p->res, url, 405, "method not allowed");
			p->res.allow = "GET, HEAD, POST";
		} else if (strcmp(method, "POST") == 0 && !origin_allowed(c, host)) {
			refuse(&p->res, url, 403, "requests from other sites are refused");
		} else if (p->too_large) {
			refuse(&p->res, url, 413, "the request body is over 64 KiB");
		} else {
			/* url, method and header values live as long as the request: the worker may read them */
			p->req.method = method;
			p->req.path = url;
			p->req.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
			p->req.body = p->body ? p->body : "";
			p->req.body_size = p->size;
			p->req.today = s->today;
			MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, add_query_field, &p->req.query);
			if (enqueue(s, p))
				return MHD_YES; /* called again when a worker has answered and resumed it */
			refuse(&p->res, url, 503, "the server is stopping");
		}
	}
	log_request(s, method, p->req.route, p->res.status, p);
	ok = send_response(c, &p->res);
	return ok;
}

/* Frees what a request gathered, however it ended. */
static void completed(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode code)
{
	pending *p = *state;

	(void)cls;
	(void)c;
	(void)code;
	if (p) {
		free(p->body);
		free(p->res.body);
		srv_form_release(&p->req.query);
		srv_form_release(&p->req.form);
		free(p);
		*state = NULL;
	}
}

/* The Host values answered: the bound address, and the loopback names, each with the port. */
static void set_hosts(srv *s, const char *listen)
{
	const char *names[] = {listen, "127.0.0.1", "localhost", "[::1]"};
	size_t i;

	for (i = 0; i < 4; i++)
		snprintf(s->hosts[s->host_count++], sizeof(s->hosts[0]), "%s:%u", names[i], s->port);
}

int srv_start(srv **out, const srv_opts *opts, char *err, size_t err_size)
{
	srv *s = calloc(1, sizeof(*s));
	struct sockaddr_in addr;
	const union MHD_DaemonInfo *info;
	size_t i;
	const char *listen = opts->listen ? opts->listen : "127.0.0.1";
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = opts->threads ? opts->threads : cores > 0 ? (unsigned)cores : 1;

	*out = NULL;
	if (!s) {
		snprintf(err, err_size, "out of memory");
		return -1;
	}
	s->opts = *opts;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->ready, NULL);
	if (threads > MAX_WORKERS)
		threads = MAX_WORKERS;
	if ((s->db = strdup(opts->db)) == NULL || (opts->today && (s->today = strdup(opts->today)) == NULL)) {
		snprintf(err, err_size, "out of memory");
		goto failed;
	}
	/* each worker's engine, opened now: a bad index is refused with its reason, not on the first request */
	for (i = 0; i < threads; i++) {
		srv_engine *e = &s->engines[i];
		worker_arg *arg;
		if (kith_index_open(&e->idx, opts->db, KITH_OPEN_READONLY) != 0) {
			snprintf(err, err_size, "%s", kith_index_errmsg(e->idx));
			goto failed;
		}
		if (kith_matcher_new(&e->m, e->idx, NULL, NULL) != 0) {
			snprintf(err, err_size, "%s", kith_matcher_errmsg(e->m));
			goto failed;
		}
		if ((arg = malloc(sizeof(*arg))) == NULL) {
			snprintf(err, err_size, "out of memory");
			goto failed;
		}
		arg->s = s;
		arg->engine = e;
		if (pthread_create(&s->workers[i], NULL, work, arg) != 0) {
			free(arg);
			snprintf(err, err_size, "cannot start a worker thread");
			goto failed;
		}
		s->worker_count++;
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_port = htons((uint16_t)opts->port);
	if (inet_pton(AF_INET, listen, &addr.sin_addr) != 1) {
		snprintf(err, err_size, "--listen: '%s' is not an IPv4 address", listen);
		goto failed;
	}
	s->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, 0, NULL, NULL, handle, s,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)CONNECTION_TIMEOUT, MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)CONNECTIONS_PER_IP, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
		(size_t)HEADER_MEMORY, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL, MHD_OPTION_END);
	if (!s->daemon) {
		snprintf(err, err_size, "cannot listen on %s port %u", listen, opts->port);
		goto failed;
	}
	info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : opts->port;
	set_hosts(s, listen);
	*out = s;
	return 0;

failed:
	srv_stop(s);
	return -1;
}

unsigned srv_port(const srv *s)
{
	return s->port;
}

void srv_stop(srv *s)
{
	size_t i;

	if (!s)
		return;
	/* the workers answer what is queued and end; then no connection is suspended and the daemon can stop */
	pthread_mutex_lock(&s->lock);
	s->stopping = 1;
	pthread_cond_broadcast(&s->ready);
	pthread_mutex_unlock(&s->lock);
	for (i = 0; i < s->worker_count; i++)
		pthread_join(s->workers[i], NULL);
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	for (i = 0; i < MAX_WORKERS; i++) {
		kith_matcher_free(s->engines[i].m);
		kith_index_free(s->engines[i].idx);
	}
	pthread_cond_destroy(&s->ready);
	pthread_mutex_destroy(&s->lock);
	free(s->db);
	free(s->today);
	free(s);
}
