/*
 * The directory maintainers' commands: index, check, stats and postcodes.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* Larger feeds get a progress bar on a terminal. */
#define PROGRESS_MIN_BYTES (4u << 20)

typedef struct progress {
	const char *path;
	int shown;
} progress;

static void show_progress(void *data, size_t done, size_t total)
{
	progress *p = data;

	if (total < PROGRESS_MIN_BYTES || !total)
		return;
	fprintf(stderr, "\r%s: %3u%% ", p->path, (unsigned)(done * 100 / total));
	fflush(stderr);
	p->shown = 1;
}

static void index_usage(FILE *f)
{
	fprintf(f, "usage: kith index [--skip-bad-groups] [--quiet] DB FEED.xml...\n"
		   "       kith index --from FORMAT --feed-id ID [--publisher TEXT] [--area AREAS]\n"
		   "                  [--mode full|delta] [--skip-bad-groups] [--quiet] DB INPUT...\n"
		   "  Loads each feed into the index DB (created when missing), each in one\n"
		   "  transaction: a feed that fails changes nothing, and the others still load.\n"
		   "  With --from, the inputs are one directory in another format (see kith import),\n"
		   "  imported and loaded as one feed, whole or not at all.\n"
		   "  --skip-bad-groups  leave out groups that break a rule, load the rest; a full feed\n"
		   "                     that would so remove over 20%% of its groups is refused\n"
		   "  --max-removed PCT  the share of a feed's groups one such load may remove\n"
		   "  --quiet            print only errors\n");
}

/* Loads one feed file; label names it in messages.  1 when it loaded. */
static int load_one(kith_index *idx, const char *path, const char *label, kith_load_opts *opts, int quiet)
{
	kith_diag_list *diags = NULL;
	kith_load_report r;
	progress p = {label, 0};
	int rc;

	if (kith_diag_list_new(&diags) != 0) {
		cli_error("out of memory");
		return 0;
	}
	if (isatty(STDERR_FILENO)) {
		opts->progress = show_progress;
		opts->progress_data = &p;
	}
	rc = kith_index_load(idx, path, opts, &r, diags);
	if (p.shown)
		fprintf(stderr, "\r\033[K");
	if (rc == 0) {
		if (!quiet)
			cli_print_diags(stderr, diags, 20, "(kith check lists them all)");
		if (!quiet && r.identical)
			fprintf(stderr, "%s: %s: unchanged since the last load (%zu groups)\n", label, r.feed_id,
				r.unchanged);
		else if (!quiet)
			fprintf(stderr,
				"%s: %s: %zu added, %zu updated, %zu removed, %zu unchanged, %zu skipped, %zu "
				"warnings\n",
				label, r.feed_id, r.added, r.updated, r.removed, r.unchanged, r.skipped, r.warnings);
	} else {
		size_t errors = kith_diag_list_count_of(diags, KITH_DIAG_ERROR);
		cli_print_for(stderr, diags, quiet);
		if (errors)
			fprintf(stderr, "%s: not loaded, nothing changed (%zu error%s)\n", label, errors,
				errors == 1 ? "" : "s");
		else
			fprintf(stderr, "%s: not loaded, nothing changed: %s\n", label, kith_index_errmsg(idx));
	}
	kith_diag_list_free(diags);
	return rc == 0;
}

/*
 * Imports inputs (kith import's) into a feed file in a new temporary
 * folder, whose path goes to feed (the caller removes both).  1 on success.
 */
static int import_to_temp(const char *format_name, char **inputs, size_t count, const kith_import_opts *o, int quiet,
			  char *folder, size_t folder_size, char *feed, size_t feed_size)
{
	kith_import_format format;
	kith_import_report report;
	kith_diag_list *diags = NULL;
	const char *tmp = getenv("TMPDIR");
	FILE *f = NULL;
	int rc, ok = 0;

	if (kith_import_format_from_name(format_name, &format) != 0) {
		cli_error("'%s' is not a format kith imports: oruk, hsds, openactive or airs", format_name);
		return 0;
	}
	snprintf(folder, folder_size, "%s/kith-import-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(folder)) {
		cli_error("%s: cannot make a temporary folder", folder);
		folder[0] = '\0';
		return 0;
	}
	snprintf(feed, feed_size, "%s/%s.xml", folder, o->feed_id);
	if (kith_diag_list_new(&diags) != 0 || (f = fopen(feed, "w")) == NULL) {
		cli_error("%s: cannot write", feed);
		goto cleanup;
	}
	rc = kith_import(format, (const char *const *)inputs, count, o, f, &report, diags);
	cli_print_for(stderr, diags, quiet);
	if (fclose(f) != 0 && rc == 0)
		rc = KITH_EIO;
	f = NULL;
	if (rc != 0) {
		fprintf(stderr, "import %s: nothing imported, nothing changed: %s\n", format_name, kith_strerror(rc));
		goto cleanup;
	}
	if (!quiet)
		cli_print_import_report(format_name, &report);
	ok = 1;
cleanup:
	if (f)
		fclose(f);
	kith_diag_list_free(diags);
	return ok;
}

/* Removes a database file that a failed first load made, with SQLite's companions. */
static void remove_new_database(const char *path)
{
	static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
	char p[4096];
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, suffixes[i]);
		remove(p);
	}
}

int cli_index(int argc, char **argv)
{
	static const struct option options[] = {
		{"skip-bad-groups", no_argument, NULL, 's'},
		{"quiet", no_argument, NULL, 'q'},
		{"from", required_argument, NULL, 'F'},
		{"feed-id", required_argument, NULL, 'f'},
		{"publisher", required_argument, NULL, 'p'},
		{"area", required_argument, NULL, 'a'},
		{"mode", required_argument, NULL, 'm'},
		{"max-removed", required_argument, NULL, 'M'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	kith_load_opts opts = KITH_LOAD_OPTS_INIT;
	kith_import_opts io = KITH_IMPORT_OPTS_INIT;
	kith_index *idx = NULL;
	const char *from = NULL, *db;
	char folder[4096] = "", feed[4200];
	int c, i, quiet = 0, loaded = 0, failed = 0, existed;

	while ((c = getopt_long(argc, argv, "qh", options, NULL)) != -1) {
		switch (c) {
		case 's': opts.skip_bad_groups = 1; break;
		case 'q': quiet = 1; break;
		case 'F': from = optarg; break;
		case 'f': io.feed_id = optarg; break;
		case 'p': io.publisher = optarg; break;
		case 'a': io.area = optarg; break;
		case 'm': io.delta = strcmp(optarg, "delta") == 0; break;
		case 'M': {
			char *end = NULL;
			double pct = strtod(optarg, &end);
			if (!end || *end || end == optarg || !(pct >= 0 && pct <= 100)) {
				cli_error("--max-removed is a percentage from 0 to 100, not '%s'", optarg);
				return CLI_ERROR;
			}
			opts.max_removed = pct > 0 ? pct / 100 : 1e-9;
			break;
		}
		case 'h': index_usage(stdout); return CLI_OK;
		default: index_usage(stderr); return CLI_ERROR;
		}
	}
	if (argc - optind < 2 || (from && !io.feed_id)) {
		index_usage(stderr);
		return CLI_ERROR;
	}
	db = argv[optind];
	if (from && !import_to_temp(from, argv + optind + 1, (size_t)(argc - optind - 1), &io, quiet, folder,
				    sizeof(folder), feed, sizeof(feed))) {
		if (folder[0]) {
			remove(feed);
			remove(folder);
		}
		return CLI_ERROR;
	}
	existed = access(db, F_OK) == 0;
	if (kith_index_open(&idx, db, KITH_OPEN_CREATE) != 0) {
		cli_error("%s", kith_index_errmsg(idx));
		kith_index_free(idx);
		idx = NULL;
		failed = 1;
	} else if (from) {
		char source[4300];
		snprintf(source, sizeof(source), "kith import %s %s%s", from, argv[optind + 1],
			 argc - optind > 2 ? " ..." : "");
		opts.source = source;
		loaded += load_one(idx, feed, io.feed_id, &opts, quiet);
		failed += !loaded;
	} else {
		for (i = optind + 1; i < argc; i++) {
			int ok = load_one(idx, argv[i], argv[i], &opts, quiet);
			loaded += ok;
			failed += !ok;
		}
	}
	if (idx)
		kith_index_free(idx);
	/* a first load that failed leaves no empty database behind */
	if (!existed && !loaded)
		remove_new_database(db);
	if (from) {
		remove(feed);
		remove(folder);
	}
	return failed ? CLI_ERROR : CLI_OK;
}

static void check_usage(FILE *f)
{
	fprintf(f, "usage: kith check [--strict] [--date YYYY-MM-DD] FEED.xml...\n"
		   "  Validates feeds without a database and warns about what serves people\n"
		   "  badly (unknown tags, stale listings, no access facts or schedule,\n"
		   "  duplicates).  Exit 0 when clean, 1 on warnings with --strict, 2 on errors.\n");
}

int cli_check(int argc, char **argv)
{
	static const struct option options[] = {
		{"strict", no_argument, NULL, 's'},
		{"date", required_argument, NULL, 'd'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	kith_check_opts opts = KITH_CHECK_OPTS_INIT;
	kith_diag_list *diags = NULL;
	int c, strict = 0, rc;
	size_t errors, warnings;
	kith_check_report report;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 's': strict = 1; break;
		case 'd': opts.today = optarg; break;
		case 'h': check_usage(stdout); return CLI_OK;
		default: check_usage(stderr); return CLI_ERROR;
		}
	}
	if (argc - optind < 1) {
		check_usage(stderr);
		return CLI_ERROR;
	}
	if (kith_diag_list_new(&diags) != 0) {
		cli_error("out of memory");
		return CLI_ERROR;
	}
	rc = kith_check_feeds((const char *const *)argv + optind, (size_t)(argc - optind), &opts, diags, &report);
	cli_print_diags(stdout, diags, 0, NULL);
	errors = kith_diag_list_count_of(diags, KITH_DIAG_ERROR);
	warnings = kith_diag_list_count_of(diags, KITH_DIAG_WARNING);
	printf("%d feed%s checked: %zu error%s, %zu warning%s", argc - optind, argc - optind == 1 ? "" : "s", errors,
	       errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
	if (report.never_shown || report.area_only)
		printf("; of %zu groups, %zu can never be shown to anyone and %zu have only an area served",
		       report.groups, report.never_shown, report.area_only);
	printf("\n");
	kith_diag_list_free(diags);
	if (rc != 0 || errors)
		return CLI_ERROR;
	return strict && warnings ? CLI_WARNINGS : CLI_OK;
}

static void stats_usage(FILE *f)
{
	fprintf(f, "usage: kith stats [--date YYYY-MM-DD] [--gaps KIND] DB\n"
		   "  What the index holds: feeds with publisher, load time and groups;\n"
		   "  listings by freshness; gaps (no access facts, schedule, location); tags.\n"
		   "  --gaps KIND   list every listing with that gap instead, one a line:\n"
		   "                key, name, updated date and what it lacks.  KIND is\n"
		   "                never-shown, no-access, no-schedule, stale or untagged.\n");
}

static void pct_line(const char *what, long long n, long long total)
{
	printf("  %-34s %7lld  %5.1f%%\n", what, n, total ? 100.0 * (double)n / (double)total : 0.0);
}

/* kith stats --gaps KIND: every listing with that gap, a line each. */
static int list_gaps(const char *db, const char *name, const char *today)
{
	kith_index *idx = NULL;
	kith_gap_list *list = NULL;
	kith_gap gap;
	size_t i;
	int status = CLI_OK;

	if (kith_gap_from_name(name, &gap) != 0) {
		cli_error("--gaps: expected never-shown, no-access, no-schedule, stale or untagged, got '%s'", name);
		return CLI_ERROR;
	}
	if (kith_index_open(&idx, db, KITH_OPEN_READONLY) != 0 ||
	    kith_index_gaps(idx, gap, today, SIZE_MAX, &list) != 0) {
		cli_error("%s", kith_index_errmsg(idx));
		status = CLI_ERROR;
		goto cleanup;
	}
	for (i = 0; i < list->count; i++)
		printf("%s\t%s\t%s\t%s\n", list->items[i].key, list->items[i].name,
		       *list->items[i].updated ? list->items[i].updated : "-", list->items[i].reason);

cleanup:
	kith_gap_list_free(list);
	kith_index_free(idx);
	return status;
}

int cli_stats(int argc, char **argv)
{
	static const struct option options[] = {
		{"date", required_argument, NULL, 'd'},
		{"gaps", required_argument, NULL, 'g'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *today = NULL, *gaps = NULL;
	kith_index *idx = NULL;
	kith_stats *st = NULL;
	int c, status = CLI_OK;
	size_t i;
	const char *kind = "";

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'd': today = optarg; break;
		case 'g': gaps = optarg; break;
		case 'h': stats_usage(stdout); return CLI_OK;
		default: stats_usage(stderr); return CLI_ERROR;
		}
	}
	if (argc - optind != 1) {
		stats_usage(stderr);
		return CLI_ERROR;
	}
	if (gaps)
		return list_gaps(argv[optind], gaps, today);
	if (kith_index_open(&idx, argv[optind], KITH_OPEN_READONLY) != 0 || kith_index_stats(idx, today, &st) != 0) {
		cli_error("%s", kith_index_errmsg(idx));
		status = CLI_ERROR;
		goto cleanup;
	}
	printf("feeds (%zu)\n", st->feed_count);
	for (i = 0; i < st->feed_count; i++) {
		const kith_feed_stats *f = &st->feeds[i];
		printf("  %-34s %7lld groups  loaded %s  publisher: %s\n", f->id, f->groups, f->loaded_at,
		       *f->publisher ? f->publisher : "(none)");
	}
	printf("\ngroups %lld, venues %lld, weekly sessions %lld\n", st->groups, st->venues, st->sessions);
	printf("\nfreshness (by updated date)\n");
	pct_line("updated in the last 3 months", st->fresh_3m, st->groups);
	pct_line("updated 3 to 12 months ago", st->fresh_12m, st->groups);
	pct_line("stale: over 12 months", st->stale, st->groups);
	pct_line("no updated date", st->undated, st->groups);
	printf("\ngaps\n");
	pct_line("no accessibility facts", st->no_access, st->groups);
	pct_line("no schedule", st->no_schedule, st->groups);
	pct_line("no location, online or home visits", st->no_location, st->groups);
	pct_line("no need or activity tags", st->untagged, st->groups);
	printf("\nways of taking part\n");
	pct_line("online or by phone", st->online, st->groups);
	pct_line("home visits", st->home_visits, st->groups);
	pct_line("by appointment", st->by_appointment, st->groups);
	pct_line("waiting list", st->waiting_list, st->groups);
	pct_line("closed", st->closed, st->groups);
	pct_line("course already ended", st->ended_courses, st->groups);
	for (i = 0; i < st->tag_count; i++) {
		const kith_tag_count *t = &st->tags[i];
		if (strcmp(kind, t->kind) != 0) {
			kind = t->kind;
			printf("\ntags: %s\n", kind);
		}
		printf("  %-34s %7lld%s\n", t->tag, t->groups, t->in_vocabulary ? "" : "  (not in vocabulary)");
	}

cleanup:
	kith_stats_free(st);
	kith_index_free(idx);
	return status;
}

static void postcodes_usage(FILE *f)
{
	fprintf(f, "usage: kith postcodes DB FILE.csv\n"
		   "  Loads full postcodes and where they are from an ONS Postcode Directory CSV\n"
		   "  (ONSPD, or any CSV with postcode, lat and long columns) into the index,\n"
		   "  replacing any loaded before.  A home given only by a postcode the index\n"
		   "  holds is then placed to the street, not at its district's centre.\n");
}

int cli_postcodes(int argc, char **argv)
{
	kith_index *idx = NULL;
	kith_postcode_report rep;
	int status = CLI_OK;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		postcodes_usage(stdout);
		return CLI_OK;
	}
	if (argc != 3) {
		postcodes_usage(stderr);
		return CLI_ERROR;
	}
	/* into an index that is there: a mistyped name must not make a new, empty one */
	if (kith_index_open(&idx, argv[1], KITH_OPEN_READONLY) != 0) {
		cli_error("%s", kith_index_errmsg(idx));
		status = CLI_ERROR;
		goto cleanup;
	}
	kith_index_free(idx);
	idx = NULL;
	if (kith_index_open(&idx, argv[1], KITH_OPEN_CREATE) != 0 ||
	    kith_index_load_postcodes(idx, argv[2], &rep) != 0) {
		cli_error("%s", kith_index_errmsg(idx));
		status = CLI_ERROR;
		goto cleanup;
	}
	printf("%s: %zu postcodes loaded (%zu no longer in use and %zu with no place left out)\n", argv[2], rep.loaded,
	       rep.terminated, rep.unplaced);

cleanup:
	kith_index_free(idx);
	return status;
}

/* kith feeds DB: the feeds an index holds, one a line. */
int cli_feeds(int argc, char **argv)
{
	kith_index *idx = NULL;
	kith_stats *st = NULL;
	size_t i;
	int status = CLI_OK;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(argc == 2 && strcmp(argv[1], "--help") == 0 ? stdout : stderr,
			"usage: kith feeds DB\n  Lists the feeds the index holds: id, groups, when loaded, from which "
			"file, publisher.\n");
		return argc == 2 && strcmp(argv[1], "--help") == 0 ? CLI_OK : CLI_ERROR;
	}
	if (kith_index_open(&idx, argv[1], KITH_OPEN_READONLY) != 0 || kith_index_stats(idx, NULL, &st) != 0) {
		cli_error("%s", kith_index_errmsg(idx));
		status = CLI_ERROR;
		goto cleanup;
	}
	for (i = 0; i < st->feed_count; i++) {
		const kith_feed_stats *f = &st->feeds[i];
		printf("%s\t%lld groups\tloaded %s\tfrom %s%s%s\n", f->id, f->groups, f->loaded_at ? f->loaded_at : "?",
		       f->source_file ? f->source_file : "?", f->publisher && *f->publisher ? "\t" : "",
		       f->publisher ? f->publisher : "");
	}
	if (!st->feed_count)
		printf("no feeds\n");
cleanup:
	kith_stats_free(st);
	kith_index_free(idx);
	return status;
}

/* kith remove DB FEED-ID: a feed and its groups out of the index. */
int cli_remove(int argc, char **argv)
{
	kith_index *idx = NULL;
	size_t removed = 0;
	int rc, status = CLI_OK;

	if (argc != 3 || argv[1][0] == '-') {
		int help = argc == 2 && strcmp(argv[1], "--help") == 0;
		fprintf(help ? stdout : stderr, "usage: kith remove DB FEED-ID\n  Removes the feed and every group it "
						"listed, in one transaction.\n");
		return help ? CLI_OK : CLI_ERROR;
	}
	if (access(argv[1], F_OK) != 0) {
		cli_error("%s: no such index", argv[1]);
		return CLI_ERROR;
	}
	if (kith_index_open(&idx, argv[1], KITH_OPEN_CREATE) != 0 ||
	    (rc = kith_index_remove_feed(idx, argv[2], &removed)) != 0) {
		cli_error("%s", kith_index_errmsg(idx));
		status = CLI_ERROR;
	} else {
		fprintf(stderr, "%s: removed feed %s and its %zu groups\n", argv[1], argv[2], removed);
	}
	kith_index_free(idx);
	return status;
}
