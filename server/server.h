/*
 * kith serve: the link worker's web page and the JSON API, served on
 * loopback by libmicrohttpd.  A thin client of include/kith/ like the
 * command line: each worker thread opens its own index and matcher on the
 * one file (the library's thread rules) and takes requests from one queue,
 * and nothing about a person is written anywhere.
 */
#ifndef KITH_SERVER_H
#define KITH_SERVER_H

#include <stdio.h>

typedef struct srv_opts {
	const char *db;     /* the index file */
	const char *listen; /* address to bind; NULL means 127.0.0.1 */
	unsigned port;      /* 0 takes a free one */
	unsigned threads;   /* worker threads, each with its own engine; 0 means one per core (at most 64) */
	const char *today;  /* "YYYY-MM-DD" for every match; NULL means the real date each time */
	FILE *log;          /* one line per request (method, route, status, time); NULL for none */
} srv_opts;

typedef struct srv srv;

/*
 * Opens the index once to check it, then starts serving.  Returns 0 and
 * the server in *out, or -1 with the reason in err.
 */
int srv_start(srv **out, const srv_opts *opts, char *err, size_t err_size);
/* The port it listens on (the one chosen, with port 0). */
unsigned srv_port(const srv *s);
/* Stops serving, waits for the workers, and frees everything.  NULL is a no-op. */
void srv_stop(srv *s);

#endif
