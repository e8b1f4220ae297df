/*
 * The fuzz targets (libFuzzer, clang from Debian; cmark's fuzz/ is the
 * model): one source, built once per input kith reads, FUZZ_TARGET naming
 * which -- feed, profile, oruk, hsds, openactive, airs.  Each run hands the
 * bytes to the public API as a file would come (hsds-csv: a datapackage
 * folder whose CSV files are the input's parts, split at each byte 0x1E, in
 * the order of hsds_tables[]; index: values of one groups row in an index of
 * the Kendal corpus, split the same way, then a match; flags: field and
 * value pairs, split the same way, set on a quick-query profile; rules: a
 * synonym rules file, compiled and run over a sentence; http: a request to
 * kith serve's handlers -- method, path, query, content type and body, split
 * the same way -- past libmicrohttpd's own parsing), and must end in a result
 * or a clear error, never a crash, a leak or undefined behaviour (the
 * build adds AddressSanitizer and UndefinedBehaviorSanitizer).  replay.c
 * runs the same function over saved inputs in the ordinary build, so every
 * crash found is kept as a regression test (fuzz/regressions/).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "kith.h"
#include "text/concepts.h"
#include "text/rules.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The bytes as a file (the importers and the feed reader read paths); 0 on success. */
static int as_file(const uint8_t *data, size_t size, char *path, size_t path_size)
{
	const char *tmp = getenv("TMPDIR");
	FILE *f;
	int fd;

	snprintf(path, path_size, "%s/kith-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		return -1;
	if ((f = fdopen(fd, "wb")) == NULL) {
		close(fd);
		unlink(path);
		return -1;
	}
	if ((size && fwrite(data, 1, size, f) != size) | (fclose(f) != 0)) {
		unlink(path);
		return -1;
	}
	return 0;
}

/* The tables an HSDS datapackage folder holds, in the order the hsds-csv target's input gives them. */
static const char *const hsds_tables[] = {
	"services.csv",       "organizations.csv",      "locations.csv",   "services_at_location.csv",
	"physical_addresses.csv", "regular_schedules.csv", "phones.csv",  "languages.csv",
	"accessibility_for_disabilities.csv", "eligibility.csv", "taxonomy.csv", "services_taxonomy.csv",
};

/* The input's parts as an HSDS folder's CSV files, in a new folder whose path goes to dir; 0 on success. */
static int as_folder(const uint8_t *data, size_t size, char *dir, size_t dir_size)
{
	const char *tmp = getenv("TMPDIR");
	size_t i, start = 0, part = 0;

	snprintf(dir, dir_size, "%s/kith-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	for (i = 0; i <= size && part < sizeof(hsds_tables) / sizeof(hsds_tables[0]); i++) {
		char path[512];
		FILE *f;
		if (i < size && data[i] != 0x1E)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, hsds_tables[part++]);
		if ((f = fopen(path, "wb")) != NULL) {
			if (i > start)
				fwrite(data + start, 1, i - start, f);
			fclose(f);
		}
		start = i + 1;
	}
	return 0;
}

/* Removes the folder as_folder() made. */
static void remove_folder(const char *dir)
{
	size_t i;
	char path[512];

	for (i = 0; i < sizeof(hsds_tables) / sizeof(hsds_tables[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, hsds_tables[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* The groups row's columns the index target fills, in the order of the input's parts. */
static const char *const row_columns[] = {"sessions_list", "venue_list", "text_concepts", "name_concepts", "area",
					  "stems", "needs_list", "languages", "text_area", "capacity"};

/* The index target's template, built once per process (a harness may keep state; the library may not). */
static char template_db[256];

static void remove_template(void)
{
	unlink(template_db);
}

/*
 * A copy of an index of the Kendal corpus, built once per process (a fuzzer
 * harness may keep state; the library may not), with one group's columns
 * set from the input's parts; then a match over it.
 */
static void damaged_index_match(const uint8_t *data, size_t size, kith_diag_list *diags)
{
	char db[300], sql[200];
	const char *tmp = getenv("TMPDIR");
	kith_index *idx = NULL;
	kith_matcher *m = NULL;
	kith_profile *p = NULL;
	kith_results *r = NULL;
	kith_match_opts o = KITH_MATCH_OPTS_INIT;
	sqlite3 *s = NULL;
	sqlite3_stmt *st;
	size_t i, start = 0, part = 0;

	(void)diags;
	if (!template_db[0]) {
		snprintf(template_db, sizeof(template_db), "%s/kith-fuzz-index-%d.db", tmp && *tmp ? tmp : "/tmp",
			 (int)getpid());
		if (kith_index_open(&idx, template_db, KITH_OPEN_CREATE) != 0 ||
		    kith_index_load(idx, "corpus/kendal/feeds/south-lakes-cvs.xml", NULL, NULL, NULL) != 0)
			abort(); /* run from the project's folder */
		kith_index_free(idx);
		idx = NULL;
		atexit(remove_template);
	}
	snprintf(db, sizeof(db), "%s.copy", template_db);
	{
		/* the copy: SQLite's backup, page by page */
		sqlite3 *from = NULL;
		sqlite3_backup *b;
		if (sqlite3_open(template_db, &from) != SQLITE_OK || sqlite3_open(db, &s) != SQLITE_OK ||
		    (b = sqlite3_backup_init(s, "main", from, "main")) == NULL) {
			sqlite3_close(from);
			goto cleanup;
		}
		sqlite3_backup_step(b, -1);
		sqlite3_backup_finish(b);
		sqlite3_close(from);
	}
	for (i = 0; i <= size && part < sizeof(row_columns) / sizeof(row_columns[0]); i++) {
		if (i < size && data[i] != 0x1E)
			continue;
		snprintf(sql, sizeof(sql), "UPDATE groups SET %s = ?1 WHERE key = 'south-lakes-cvs/st-georges-tuesday-lunch'",
			 row_columns[part++]);
		if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) == SQLITE_OK) {
			sqlite3_bind_text(st, 1, (const char *)data + start, (int)(i - start), SQLITE_TRANSIENT);
			sqlite3_step(st);
			sqlite3_finalize(st);
		}
		start = i + 1;
	}
	sqlite3_close(s);
	s = NULL;
	o.today = "2026-11-23";
	o.top = 50;
	if (kith_index_open(&idx, db, KITH_OPEN_READONLY) == 0 && kith_matcher_new(&m, idx, NULL, NULL) == 0 &&
	    kith_profile_new(&p, "Q") == 0 && kith_profile_set(p, "point", "54.3262,-2.74397") == 0 &&
	    kith_profile_set(p, "needs", "loneliness") == 0 && kith_profile_set(p, "interests", "lunch and a chat") == 0 &&
	    kith_matcher_run(m, p, &o, &r) == 0) {
		char *text = NULL;
		kith_render_opts ro = KITH_RENDER_OPTS_INIT;
		ro.format = KITH_FORMAT_JSON;
		if (kith_results_render(r, &ro, &text) == 0)
			free(text);
	}
cleanup:
	sqlite3_close(s);
	kith_results_free(r);
	kith_profile_free(p);
	kith_matcher_free(m);
	kith_index_free(idx);
	unlink(db);
}

/* Quick-query flags as `kith match` and the page take them: field, value, field, value ... */
static void quick_query(const uint8_t *data, size_t size)
{
	kith_profile *p = NULL;
	char *copy = malloc(size + 1), *field = NULL, *at;
	size_t i;

	if (!copy || kith_profile_new(&p, "Q") != 0) {
		free(copy);
		return;
	}
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (at = copy, i = 0; i <= size; i++) {
		if (i < size && copy[i] != 0x1E)
			continue;
		copy[i] = '\0';
		if (!field) {
			field = at;
		} else {
			kith_profile_set(p, field, at);
			field = NULL;
		}
		at = copy + i + 1;
	}
	{
		double lat, lon, km;
		kith_profile_home(p, &lat, &lon, &km);
	}
	kith_profile_free(p);
	free(copy);
}

/* A synonym rules file, compiled and scanned over a sentence people write. */
static void rules(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	kith_rules *r = NULL;
	kith_buf err = KITH_BUF_INIT;

	if (!text)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	if (kith_rules_compile(&r, text, "fuzz.rules", &err) == 0) {
		kith_concepts set = {0};
		kith_rules_scan(r, "I used to have an allotment and sing in the choir; lonely since my wife died", &set);
		kith_rules_free(r);
	}
	kith_buf_release(&err);
	free(text);
}

#ifdef FUZZ_WITH_SERVER
#include "server_int.h"

/* One request to the page and API handlers, answered by an engine over the Kendal index (built once). */
static void http_request(const uint8_t *data, size_t size)
{
	static srv_engine engine;
	static char db[256];
	const char *tmp = getenv("TMPDIR");
	char *copy = malloc(size + 1), *part[5] = {NULL, NULL, NULL, NULL, NULL}, *at;
	srv_request req;
	srv_response res;
	size_t i, n = 0;

	if (!copy)
		return;
	if (!engine.m) {
		kith_index *idx = NULL;
		snprintf(db, sizeof(db), "%s/kith-fuzz-http-%d.db", tmp && *tmp ? tmp : "/tmp", (int)getpid());
		if (kith_index_open(&idx, db, KITH_OPEN_CREATE) != 0 ||
		    kith_index_load(idx, "corpus/kendal/feeds/south-lakes-cvs.xml", NULL, NULL, NULL) != 0)
			abort(); /* run from the project's folder */
		kith_index_free(idx);
		if (kith_index_open(&engine.idx, db, KITH_OPEN_READONLY) != 0 ||
		    kith_matcher_new(&engine.m, engine.idx, NULL, NULL) != 0)
			abort();
		unlink(db); /* open, it stays readable; gone when the process ends */
	}
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (at = copy, i = 0; i <= size && n < 5; i++)
		if (i == size || copy[i] == 0x1E) {
			copy[i] = '\0';
			part[n++] = at;
			at = copy + i + 1;
		}
	memset(&req, 0, sizeof(req));
	memset(&res, 0, sizeof(res));
	req.method = part[0] && strcmp(part[0], "POST") == 0 ? "POST" : part[0] && strcmp(part[0], "HEAD") == 0 ? "HEAD" : "GET";
	req.path = part[1] && part[1][0] == '/' ? part[1] : "/";
	if (part[2])
		srv_form_parse(&req.query, part[2], strlen(part[2]));
	req.content_type = part[3];
	req.body = part[4] ? part[4] : "";
	req.body_size = strlen(req.body);
	req.engine = &engine;
	req.today = "2026-11-23";
	if (strncmp(req.path, "/api/", 5) == 0)
		srv_api(&req, &res);
	else
		srv_page(&req, &res);
	free(res.body);
	srv_form_release(&req.query);
	srv_form_release(&req.form);
	free(copy);
}
#endif

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET names the input: feed, profile, flags, rules, index, oruk, hsds, hsds_csv, openactive, airs or http"
#endif
#define STR2(x) #x
#define STR(x) STR2(x)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *target = STR(FUZZ_TARGET);
	kith_diag_list *diags = NULL;
	char path[256];
	const char *paths[1];
	kith_import_format format;

	if (kith_diag_list_new(&diags) != 0)
		return 0;
	if (strcmp(target, "profile") == 0) {
		kith_profile *p = NULL;
		if (kith_profile_parse(&p, "fuzz.xml", (const char *)data, size, diags) == 0)
			kith_profile_free(p);
#ifdef FUZZ_WITH_SERVER
	} else if (strcmp(target, "http") == 0) {
		http_request(data, size);
#endif
	} else if (strcmp(target, "flags") == 0) {
		quick_query(data, size);
	} else if (strcmp(target, "rules") == 0) {
		rules(data, size);
	} else if (strcmp(target, "index") == 0) {
		damaged_index_match(data, size, diags);
	} else if (strcmp(target, "hsds_csv") == 0) {
		kith_import_opts o = KITH_IMPORT_OPTS_INIT;
		FILE *out = fopen("/dev/null", "w");
		o.feed_id = "fuzz";
		if (out && as_folder(data, size, path, sizeof(path)) == 0) {
			paths[0] = path;
			kith_import(KITH_IMPORT_HSDS, paths, 1, &o, out, NULL, diags);
			remove_folder(path);
		}
		if (out)
			fclose(out);
	} else if (as_file(data, size, path, sizeof(path)) == 0) {
		paths[0] = path;
		if (strcmp(target, "feed") == 0) {
			kith_check_feeds(paths, 1, NULL, diags, NULL);
		} else if (kith_import_format_from_name(target, &format) == 0) {
			kith_import_opts o = KITH_IMPORT_OPTS_INIT;
			FILE *out = fopen("/dev/null", "w");
			o.feed_id = "fuzz";
			if (out) {
				kith_import(format, paths, 1, &o, out, NULL, diags);
				fclose(out);
			}
		} else {
			abort(); /* a target this file does not know: the build is wrong */
		}
		unlink(path);
	}
	kith_diag_list_free(diags);
	return 0;
}
