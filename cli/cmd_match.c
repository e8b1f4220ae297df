/*
 * kith match: ranked, explained suggestions for one person, from a profile
 * file or from quick-query flags at a link worker's desk.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void match_usage(FILE *f)
{
	fprintf(f, "usage: kith match DB [PATIENT.xml] [options]\n"
		   "  Suggests groups for one person, best first, each with its reasons.\n"
		   "output:\n"
		   "  --top N             how many (default 10)\n"
		   "  --format F          text (default), json or trec\n"
		   "  --run-name NAME     run name for --format trec (default kith)\n"
		   "  --explain           every factor's part of each score\n"
		   "  --why-not KEY       why group FEED-ID/GROUP-ID is not in the list\n"
		   "  --date YYYY-MM-DD   'today' for courses and freshness (default: the real date)\n"
		   "  --weights FILE      scoring weights (default: built from corpus/weights.conf)\n"
		   "  --rules FILE        synonym rules (default: built from corpus/synonyms.rules)\n"
		   "quick query (each sets or overrides one profile element):\n"
		   "  --postcode PC  --point LAT,LON  --max-km N  --needs a,b:high  --interests TEXT\n"
		   "  --tags a,b  --age N  --gender G  --languages 'pa en'  --circumstances a,b\n"
		   "  --wheelchair  --step-free  --hearing-loop  --accessible-toilet  --online\n"
		   "  --housebound  --free  --budget POUNDS  --when 'mon,tue@09:00-12:00;thu@13:00-17:00'\n");
}

/* Long options that set a profile field, and the field they set. */
static const struct {
	const char *option, *field;
	int has_value;
} quick[] = {
	{"postcode", "postcode", 1},
	{"point", "point", 1},
	{"max-km", "max-km", 1},
	{"needs", "needs", 1},
	{"interests", "interests", 1},
	{"tags", "tags", 1},
	{"age", "age", 1},
	{"gender", "gender", 1},
	{"languages", "languages", 1},
	{"circumstances", "circumstances", 1},
	{"wheelchair", "wheelchair", 0},
	{"step-free", "step-free", 0},
	{"hearing-loop", "hearing-loop", 0},
	{"accessible-toilet", "accessible-toilet", 0},
	{"online", "online", 0},
	{"housebound", "housebound", 0},
	{"free", "free", 0},
	{"budget", "budget", 1},
	{"when", "when", 1},
};
#define QUICK_COUNT (sizeof(quick) / sizeof(quick[0]))
#define QUICK_BASE 1000

int cli_match(int argc, char **argv)
{
	struct option options[QUICK_COUNT + 12];
	const char *fields[QUICK_COUNT], *values[QUICK_COUNT];
	size_t nset = 0, i;
	kith_match_opts opts = KITH_MATCH_OPTS_INIT;
	kith_render_opts ropts = KITH_RENDER_OPTS_INIT;
	const char *format = "text", *run_name = "kith", *why_not = NULL, *weights = NULL, *rules = NULL;
	kith_index *idx = NULL;
	kith_matcher *m = NULL;
	kith_profile *p = NULL;
	kith_results *res = NULL;
	kith_diag_list *diags = NULL;
	int c, explain = 0, status = CLI_ERROR;
	char *end, *text = NULL;

	for (i = 0; i < QUICK_COUNT; i++) {
		options[i].name = quick[i].option;
		options[i].has_arg = quick[i].has_value ? required_argument : no_argument;
		options[i].flag = NULL;
		options[i].val = QUICK_BASE + (int)i;
	}
	{
		const struct option rest[] = {
			{"top", required_argument, NULL, 't'},      {"format", required_argument, NULL, 'f'},
			{"run-name", required_argument, NULL, 'r'}, {"explain", no_argument, NULL, 'e'},
			{"why-not", required_argument, NULL, 'w'},  {"date", required_argument, NULL, 'd'},
			{"weights", required_argument, NULL, 'W'},  {"rules", required_argument, NULL, 'R'},
			{"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
		};
		memcpy(options + QUICK_COUNT, rest, sizeof(rest));
	}
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c >= QUICK_BASE) {
			i = (size_t)(c - QUICK_BASE);
			fields[nset] = quick[i].field;
			values[nset++] = quick[i].has_value ? optarg : "yes";
			continue;
		}
		switch (c) {
		case 't':
			opts.top = (size_t)strtoul(optarg, &end, 10);
			if (*end || !opts.top || opts.top > 1000) {
				cli_error("--top: expected a number from 1 to 1000, got '%s'", optarg);
				return CLI_ERROR;
			}
			break;
		case 'f': format = optarg; break;
		case 'r': run_name = optarg; break;
		case 'e': explain = 1; break;
		case 'w': why_not = optarg; break;
		case 'd': opts.today = optarg; break;
		case 'W': weights = optarg; break;
		case 'R': rules = optarg; break;
		case 'h': match_usage(stdout); return CLI_OK;
		default: match_usage(stderr); return CLI_ERROR;
		}
	}
	if (kith_format_parse(format, &ropts.format) != 0) {
		cli_error("--format: expected text, json or trec, got '%s'", format);
		return CLI_ERROR;
	}
	if (argc - optind < 1 || argc - optind > 2 || (argc - optind == 1 && nset == 0)) {
		match_usage(stderr);
		return CLI_ERROR;
	}
	if (kith_diag_list_new(&diags) != 0)
		goto cleanup;
	if (argc - optind == 2) {
		int rc = kith_profile_load(&p, argv[optind + 1], diags);
		cli_print_diags(stderr, diags, 0, NULL);
		if (rc != 0) {
			cli_error("%s: profile rejected", argv[optind + 1]);
			goto cleanup;
		}
	} else if (kith_profile_new(&p, "query") != 0) {
		cli_error("out of memory");
		goto cleanup;
	}
	for (i = 0; i < nset; i++) {
		if (kith_profile_set(p, fields[i], values[i]) != 0) {
			cli_error("--%s: %s", fields[i], kith_profile_errmsg(p));
			goto cleanup;
		}
	}
	if (kith_index_open(&idx, argv[optind], KITH_OPEN_READONLY) != 0) {
		cli_error("%s", kith_index_errmsg(idx));
		goto cleanup;
	}
	if (kith_matcher_new(&m, idx, weights, rules) != 0) {
		cli_error("%s", kith_matcher_errmsg(m));
		goto cleanup;
	}
	if (why_not) {
		if (kith_matcher_why_not(m, p, &opts, why_not, &text) != 0) {
			cli_error("%s", kith_matcher_errmsg(m));
			goto cleanup;
		}
		printf("%s\n", text);
		status = CLI_OK;
		goto cleanup;
	}
	if (kith_matcher_run(m, p, &opts, &res) != 0) {
		cli_error("%s", kith_matcher_errmsg(m));
		goto cleanup;
	}
	ropts.explain = explain;
	ropts.today = opts.today;
	ropts.run_name = run_name;
	if (kith_results_render(res, &ropts, &text) != 0) {
		cli_error("out of memory");
		goto cleanup;
	}
	fputs(text, stdout);
	status = CLI_OK;

cleanup:
	free(text);
	kith_results_free(res);
	kith_matcher_free(m);
	kith_index_free(idx);
	kith_profile_free(p);
	kith_diag_list_free(diags);
	return status;
}
