/*
 * The kith program: one function per subcommand, each a thin client of the
 * public API in include/kith/.
 */
#ifndef KITH_CLI_H
#define KITH_CLI_H

#include <stdio.h>

#include "kith.h"

/* Exit statuses shared by every subcommand. */
enum { CLI_OK = 0, CLI_WARNINGS = 1, CLI_ERROR = 2 };

int cli_index(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_stats(int argc, char **argv);
int cli_postcodes(int argc, char **argv);
int cli_match(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_tune(int argc, char **argv);
int cli_serve(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_feeds(int argc, char **argv);
int cli_remove(int argc, char **argv);

/* The import report on stderr. */
void cli_print_import_report(const char *format, const kith_import_report *r);

/* Prints diagnostics to f, at most limit of them (0: all), then a count of the rest. */
void cli_print_diags(FILE *f, const kith_diag_list *diags, size_t limit, const char *more_hint);
/* Prints only the errors among diags to f, at most limit of them, then a count of the rest: what --quiet shows. */
void cli_print_errors(FILE *f, const kith_diag_list *diags, size_t limit);
/* Prints diagnostics as the command's --quiet asks: only errors (20 at most), or all of them (50 at most). */
#define cli_print_for(f, diags, quiet) \
	((quiet) ? cli_print_errors((f), (diags), 20) : cli_print_diags((f), (diags), 50, NULL))
/* "kith: " + message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
