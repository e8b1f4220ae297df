/*
 * The fuzz targets (libFuzzer, clang from Debian; cmark's fuzz/ is the
 * model): one source, built once per input kith reads, FUZZ_TARGET naming
 * which -- feed, profile, oruk, hsds, openactive, airs.  Each run hands the
 * bytes to the public API as a file would come (hsds-csv: a datapackage
 * folder whose CSV files are the input's parts, split at each byte 0x1E, in
 * the order of hsds_tables[]), and must end in a result
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

#include "kith.h"

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

#ifndef FUZZ_TARGET
#error "FUZZ_TARGET names the input: feed, profile, oruk, hsds, hsds_csv, openactive or airs"
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
