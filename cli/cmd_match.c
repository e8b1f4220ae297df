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

static void json_opt_string(FILE *f, const char *name, const char *s)
{
	fprintf(f, ", \"%s\": ", name);
	if (s)
		cli_json_string(f, s);
	else
		fputs("null", f);
}

static void print_json(const kith_results *res)
{
	size_t i, j;

	printf("{\"patient\": ");
	cli_json_string(stdout, kith_results_patient(res));
	printf(", \"results\": [");
	for (i = 0; i < kith_results_count(res); i++) {
		const kith_result *r = kith_results_get(res, i);
		printf("%s\n  {\"rank\": %zu, \"key\": ", i ? "," : "", r->rank);
		cli_json_string(stdout, r->key);
		printf(", \"name\": ");
		cli_json_string(stdout, r->name);
		json_opt_string(stdout, "organisation", r->organisation);
		printf(", \"score\": %.3f, \"reasons\": [", r->score);
		for (j = 0; j < r->reason_count; j++) {
			printf("%s{\"factor\": ", j ? ", " : "");
			cli_json_string(stdout, r->reasons[j].factor);
			printf(", \"contribution\": %.3f, \"text\": ", r->reasons[j].contribution);
			cli_json_string(stdout, r->reasons[j].text);
			printf("}");
		}
		printf("], \"cautions\": [");
		for (j = 0; j < r->caution_count; j++) {
			printf("%s", j ? ", " : "");
			cli_json_string(stdout, r->cautions[j]);
		}
		printf("]");
		json_opt_string(stdout, "how", r->how);
		json_opt_string(stdout, "venue", r->venue);
		json_opt_string(stdout, "postcode", r->postcode);
		if (r->distance_km >= 0)
			printf(", \"distance_km\": %.1f", r->distance_km);
		else
			printf(", \"distance_km\": null");
		json_opt_string(stdout, "next_session", r->next_session);
		json_opt_string(stdout, "cost", r->cost);
		printf(", \"contact\": {\"phone\": ");
		r->phone ? cli_json_string(stdout, r->phone) : (void)fputs("null", stdout);
		printf(", \"email\": ");
		r->email ? cli_json_string(stdout, r->email) : (void)fputs("null", stdout);
		printf(", \"web\": ");
		r->web ? cli_json_string(stdout, r->web) : (void)fputs("null", stdout);
		printf("}");
		json_opt_string(stdout, "also_listed", r->also_listed);
		printf("}");
	}
	printf("\n]}\n");
}

/* The reasons that carry most of the score, in one line. */
static void print_top_reasons(const kith_result *r)
{
	const kith_reason *best[3] = {NULL, NULL, NULL};
	size_t i, k;

	for (i = 0; i < r->reason_count; i++) {
		const kith_reason *x = &r->reasons[i];
		if (x->contribution <= 0 || strcmp(x->factor, "capacity") == 0 || strcmp(x->factor, "freshness") == 0 ||
		    strcmp(x->factor, "language") == 0 || strcmp(x->factor, "access") == 0)
			continue;
		for (k = 0; k < 3; k++) {
			if (!best[k] || x->contribution > best[k]->contribution) {
				memmove(&best[k + 1], &best[k], (2 - k) * sizeof(best[0]));
				best[k] = x;
				break;
			}
		}
	}
	printf("    why: ");
	for (k = 0; k < 3 && best[k]; k++)
		printf("%s%s", k ? "; " : "", best[k]->text);
	printf("\n");
}

static void print_text(const kith_results *res, int explain, const char *today)
{
	size_t i, j, n = kith_results_count(res);

	printf("%zu suggestion%s for %s%s%s\n", n, n == 1 ? "" : "s", kith_results_patient(res), today ? " as of " : "",
	       today ? today : "");
	for (i = 0; i < n; i++) {
		const kith_result *r = kith_results_get(res, i);
		printf("\n%2zu. %s  [%.3f]\n    %s\n", r->rank, r->name, r->score, r->key);
		if (explain) {
			for (j = 0; j < r->reason_count; j++)
				printf("    %-13s %+.3f  %s\n", r->reasons[j].factor, r->reasons[j].contribution,
				       r->reasons[j].text);
			printf("    %-13s %+.3f\n", "score", r->score);
		} else {
			print_top_reasons(r);
		}
		printf("    how: %s", r->how);
		if (r->next_session)
			printf("; next: %s", r->next_session);
		printf("; cost: %s\n", r->cost ? r->cost : "not listed");
		if (r->venue || r->postcode) {
			printf("    where: %s%s%s", r->venue ? r->venue : "", r->venue && r->postcode ? ", " : "",
			       r->postcode ? r->postcode : "");
			if (r->distance_km >= 0)
				printf(" (%.1f km)", r->distance_km);
			printf("\n");
		}
		if (r->phone || r->email || r->web)
			printf("    contact: %s%s%s%s%s\n", r->phone ? r->phone : "",
			       r->phone && (r->email || r->web) ? ", " : "", r->email ? r->email : "",
			       r->email && r->web ? ", " : "", r->web ? r->web : "");
		for (j = 0; j < r->caution_count; j++)
			printf("    check: %s\n", r->cautions[j]);
		if (r->also_listed)
			printf("    also listed as %s\n", r->also_listed);
	}
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
	const char *format = "text", *run_name = "kith", *why_not = NULL, *weights = NULL, *rules = NULL;
	kith_index *idx = NULL;
	kith_matcher *m = NULL;
	kith_profile *p = NULL;
	kith_results *res = NULL;
	kith_diag_list *diags = NULL;
	int c, explain = 0, status = CLI_ERROR;
	char *end;

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
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 && strcmp(format, "trec") != 0) {
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
		char *text = NULL;
		if (kith_matcher_why_not(m, p, &opts, why_not, &text) != 0) {
			cli_error("%s", kith_matcher_errmsg(m));
			goto cleanup;
		}
		printf("%s\n", text);
		free(text);
		status = CLI_OK;
		goto cleanup;
	}
	if (kith_matcher_run(m, p, &opts, &res) != 0) {
		cli_error("%s", kith_matcher_errmsg(m));
		goto cleanup;
	}
	if (strcmp(format, "json") == 0) {
		print_json(res);
	} else if (strcmp(format, "trec") == 0) {
		for (i = 0; i < kith_results_count(res); i++) {
			const kith_result *r = kith_results_get(res, i);
			printf("%s Q0 %s %zu %.4f %s\n", kith_results_patient(res), r->key, r->rank, r->score,
			       run_name);
		}
	} else {
		print_text(res, explain, opts.today);
	}
	status = CLI_OK;

cleanup:
	kith_results_free(res);
	kith_matcher_free(m);
	kith_index_free(idx);
	kith_profile_free(p);
	kith_diag_list_free(diags);
	return status;
}
