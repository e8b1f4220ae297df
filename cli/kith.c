/*
 * kith: the command-line program.  Dispatches to one subcommand.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"index", cli_index, "load partner feeds into an index database"},
	{"import", cli_import, "write a kith feed from Open Referral UK, HSDS, OpenActive or AIRS"},
	{"feeds", cli_feeds, "list the feeds an index holds"},
	{"remove", cli_remove, "remove a feed and its groups from an index"},
	{"check", cli_check, "validate feeds without touching a database"},
	{"stats", cli_stats, "what an index holds: feeds, freshness, gaps, tags"},
	{"postcodes", cli_postcodes, "load full postcodes (ONS Postcode Directory) to place homes to the street"},
	{"match", cli_match, "ranked, explained suggestions for one person"},
	{"bench", cli_bench, "match quality on judged sets, against baselines"},
	{"tune", cli_tune, "tune the scoring weights on judged sets"},
	{"serve", cli_serve, "the link worker's web page and JSON API, on this computer"},
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: kith COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'kith COMMAND --help' shows a command's options.\n");
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kith: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_print_diags(FILE *f, const kith_diag_list *diags, size_t limit, const char *more_hint)
{
	size_t i, n = kith_diag_list_count(diags);
	char line[2048];

	for (i = 0; i < n && (!limit || i < limit); i++) {
		kith_diag_format(kith_diag_list_get(diags, i), line, sizeof(line));
		fprintf(f, "%s\n", line);
	}
	if (limit && n > limit)
		fprintf(f, "... and %zu more%s%s\n", n - limit, more_hint ? " " : "", more_hint ? more_hint : "");
}

void cli_print_errors(FILE *f, const kith_diag_list *diags, size_t limit)
{
	size_t i, shown = 0, n = kith_diag_list_count(diags), errors = kith_diag_list_count_of(diags, KITH_DIAG_ERROR);
	char line[2048];

	for (i = 0; i < n && shown < limit; i++) {
		const kith_diag *d = kith_diag_list_get(diags, i);
		if (d->severity != KITH_DIAG_ERROR)
			continue;
		kith_diag_format(d, line, sizeof(line));
		fprintf(f, "%s\n", line);
		shown++;
	}
	if (errors > shown)
		fprintf(f, "... and %zu more errors\n", errors - shown);
}

int main(int argc, char **argv)
{
	size_t i;

	kith_threads_prepare(); /* the loader and the server run on several threads */
	if (argc < 2 || strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_ERROR : CLI_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("kith %s\n", KITH_VERSION);
		return CLI_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	cli_error("unknown command '%s'", argv[1]);
	usage(stderr);
	return CLI_ERROR;
}
