/*
 * kith serve: the link worker's web page and the JSON API on this computer
 * (server/).  It prints its address first, then waits for Ctrl-C or
 * SIGTERM and stops cleanly.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "server.h"

static void serve_usage(FILE *f)
{
	fprintf(f, "usage: kith serve DB [options]\n"
		   "  Serves the link worker's page and the JSON API for the index DB.\n"
		   "  --listen ADDR      IPv4 address to listen on (default 127.0.0.1; anything else is\n"
		   "                     reachable from other machines: only on a network you trust)\n"
		   "  --port N           port (default 8080; 0 takes a free one)\n"
		   "  --threads N        worker threads, each with its own index and matcher (default: one per core)\n"
		   "  --date YYYY-MM-DD  'today' for every match (default: the real date)\n"
		   "  --quiet            no log line per request\n"
		   "The log holds method, route, status and time only: nothing about a person.\n");
}

int cli_serve(int argc, char **argv)
{
	static const struct option options[] = {
		{"listen", required_argument, NULL, 'l'},
		{"port", required_argument, NULL, 'p'},
		{"threads", required_argument, NULL, 't'},
		{"date", required_argument, NULL, 'd'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	srv_opts opts = {NULL, NULL, 8080, 4, NULL, stderr};
	char err[512], *end;
	unsigned long n;
	sigset_t stop;
	srv *s = NULL;
	int c, sig;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'l': opts.listen = optarg; break;
		case 'p':
		case 't':
			n = strtoul(optarg, &end, 10);
			if (*end || end == optarg || n > (c == 'p' ? 65535ul : 64ul) || (c == 't' && n == 0)) {
				cli_error("--%s: expected a number%s, got '%s'", c == 'p' ? "port" : "threads",
					  c == 'p' ? " from 0 to 65535" : " from 1 to 64", optarg);
				return CLI_ERROR;
			}
			if (c == 'p')
				opts.port = (unsigned)n;
			else
				opts.threads = (unsigned)n;
			break;
		case 'd': opts.today = optarg; break;
		case 'q': opts.log = NULL; break;
		case 'h': serve_usage(stdout); return CLI_OK;
		default: serve_usage(stderr); return CLI_ERROR;
		}
	}
	if (argc - optind != 1) {
		serve_usage(stderr);
		return CLI_ERROR;
	}
	opts.db = argv[optind];
	if (opts.listen && strcmp(opts.listen, "127.0.0.1") != 0 && strncmp(opts.listen, "127.", 4) != 0)
		fprintf(stderr, "kith: warning: listening on %s: other machines can reach this page\n", opts.listen);
	/* the workers inherit a mask with these blocked, so only the wait below receives them */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	if (srv_start(&s, &opts, err, sizeof(err)) != 0) {
		cli_error("%s", err);
		return CLI_ERROR;
	}
	printf("http://%s:%u/\n", opts.listen ? opts.listen : "127.0.0.1", srv_port(s));
	fflush(stdout);
	sigwait(&stop, &sig);
	srv_stop(s);
	fprintf(stderr, "kith: stopped\n");
	return CLI_OK;
}
