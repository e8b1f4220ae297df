/*
 * kith import: a directory published in another format, written as one
 * kith feed, with a report on stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void import_usage(FILE *f)
{
	fprintf(f, "usage: kith import FORMAT INPUT... --feed-id ID [--publisher TEXT] [--area AREAS]\n"
		   "                   [--mode full|delta] [-o FEED.xml] [--quiet]\n"
		   "  Writes a kith feed from a directory in another format, to stdout or FEED.xml.\n"
		   "  FORMAT: oruk (Open Referral UK JSON), hsds (HSDS datapackage folder or 3.0 JSON),\n"
		   "  openactive (RPDE pages and items), airs (AIRS XML 3.0, 3.1).  --area gives the\n"
		   "  postcode areas or districts a feed for one council serves (\"BS\", \"DN15 DN16\").\n");
}

/* The report on stderr: what was read, written and left out. */
void cli_print_import_report(const char *format, const kith_import_report *r)
{
	fprintf(stderr,
		"import %s: %zu records read, %zu groups written, %zu skipped; %zu with a place, %zu with only an "
		"area served, %zu with neither (no one can be shown them); %zu with a schedule, %zu with hours as "
		"text only; %zu with eligibility, %zu with access facts\n",
		format, r->records, r->written, r->skipped, r->placed, r->area_only, r->no_place, r->scheduled,
		r->hours_text, r->eligibility, r->access);
}

int cli_import(int argc, char **argv)
{
	static const struct option options[] = {
		{"feed-id", required_argument, NULL, 'f'}, {"publisher", required_argument, NULL, 'p'},
		{"area", required_argument, NULL, 'a'},    {"mode", required_argument, NULL, 'm'},
		{"output", required_argument, NULL, 'o'},  {"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
	};
	kith_import_opts opts = KITH_IMPORT_OPTS_INIT;
	kith_import_format format;
	kith_import_report report;
	kith_diag_list *diags = NULL;
	const char *output = NULL;
	FILE *out = stdout;
	int c, rc, quiet = 0, status = CLI_OK;

	while ((c = getopt_long(argc, argv, "o:qh", options, NULL)) != -1) {
		switch (c) {
		case 'f': opts.feed_id = optarg; break;
		case 'p': opts.publisher = optarg; break;
		case 'a': opts.area = optarg; break;
		case 'm':
			if (strcmp(optarg, "full") != 0 && strcmp(optarg, "delta") != 0) {
				cli_error("--mode is full or delta, not '%s'", optarg);
				return CLI_ERROR;
			}
			opts.delta = strcmp(optarg, "delta") == 0;
			break;
		case 'o': output = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': import_usage(stdout); return CLI_OK;
		default: import_usage(stderr); return CLI_ERROR;
		}
	}
	if (argc - optind < 2 || !opts.feed_id) {
		import_usage(stderr);
		return CLI_ERROR;
	}
	if (kith_import_format_from_name(argv[optind], &format) != 0) {
		cli_error("'%s' is not a format kith imports: oruk, hsds, openactive or airs", argv[optind]);
		return CLI_ERROR;
	}
	if (kith_diag_list_new(&diags) != 0) {
		cli_error("out of memory");
		return CLI_ERROR;
	}
	if (output && (out = fopen(output, "w")) == NULL) {
		cli_error("%s: cannot write", output);
		kith_diag_list_free(diags);
		return CLI_ERROR;
	}
	rc = kith_import(format, (const char *const *)argv + optind + 1, (size_t)(argc - optind - 1), &opts, out,
			 &report, diags);
	cli_print_for(stderr, diags, quiet);
	if (rc != 0) {
		fprintf(stderr, "import %s: nothing written: %s\n", argv[optind], kith_strerror(rc));
		status = CLI_ERROR;
	} else if (!quiet) {
		cli_print_import_report(argv[optind], &report);
	}
	if (output && fclose(out) != 0 && rc == 0) {
		cli_error("%s: cannot write", output);
		status = CLI_ERROR;
	}
	if (output && rc != 0)
		remove(output);
	kith_diag_list_free(diags);
	return status;
}
