/*
 * perf_match: match latency measured inside one process, for `make
 * bench-perf`.
 *
 * The index and the matcher are opened once and every profile is loaded
 * before the clock starts, so what is timed is kith_matcher_run() alone,
 * one call per profile, with clock_gettime(CLOCK_MONOTONIC) around it: the
 * latency a long-running server would see.  The CPU time of the same calls
 * (cpu_mean) tells a slow query from a busy machine; setup_ms is what
 * opening the index and building the matcher took, once.  A few untimed calls first warm
 * the SQLite page cache the way any earlier query would.  It prints one
 * line of key=value pairs (latencies in milliseconds, nearest-rank
 * percentiles) that bench/perf.sh reads, and can write the rankings as a
 * TREC run (FORMATS.md section 3) for the quality comparison.
 *
 * With --spawn KITH it times whole processes instead: one `KITH match DB
 * PATIENT.xml --format trec` per profile (output to /dev/null), from fork()
 * to waitpid(), so start-up, opening the index, building the matcher,
 * reading the profile and writing the results all count.  rss_kb is then
 * the largest peak RSS of any of those processes (getrusage of the
 * children).  A process that fails stops the run: a quick failure must
 * never pass for a quick match.
 *
 * --slowest N lists the N slowest profiles and their times on stderr, to
 * find what makes the tail.
 *
 *   perf_match [--date YYYY-MM-DD] [--top N] [--warmup N] [--trec FILE]
 *              [--run-name NAME] [--slowest N] [--spawn KITH] DB PATIENT.xml...
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kith/index.h"
#include "kith/match.h"
#include "kith/profile.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* CPU time of this process (user + system), in milliseconds. */
static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double tv_ms(struct timeval tv)
{
	return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted[0..n): the smallest value with at least p of the sample at or below it. */
static double percentile(const double *sorted, size_t n, double p)
{
	size_t rank = (size_t)ceil(p * (double)n);

	if (n == 0)
		return 0.0;
	if (rank < 1)
		rank = 1;
	return sorted[rank > n ? n - 1 : rank - 1];
}

static void usage(void)
{
	fprintf(stderr, "usage: perf_match [--date YYYY-MM-DD] [--top N] [--warmup N] [--trec FILE] "
			"[--run-name NAME] [--slowest N] [--spawn KITH] DB PATIENT.xml...\n");
}

/* Runs `kith match db patient` with stdout to /dev/null; returns its wall time in ms, or < 0 when it failed. */
static double spawn_one(const char *kith, const char *db, const char *patient, const char *date, const char *top)
{
	char *args[12];
	int n = 0, status = 0;
	double t0 = now_ms();
	pid_t pid;

	args[n++] = (char *)(uintptr_t)kith;
	args[n++] = (char *)(uintptr_t) "match";
	args[n++] = (char *)(uintptr_t)db;
	args[n++] = (char *)(uintptr_t)patient;
	args[n++] = (char *)(uintptr_t) "--format";
	args[n++] = (char *)(uintptr_t) "trec";
	args[n++] = (char *)(uintptr_t) "--top";
	args[n++] = (char *)(uintptr_t)top;
	if (date) {
		args[n++] = (char *)(uintptr_t) "--date";
		args[n++] = (char *)(uintptr_t)date;
	}
	args[n] = NULL;
	if ((pid = fork()) < 0)
		return -1.0;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, STDOUT_FILENO);
		execv(kith, args);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "perf_match: %s match %s %s: exit status %d\n", kith, db, patient,
			WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1.0;
	}
	return now_ms() - t0;
}

static int parse_size(const char *text, size_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || end == text || *end)
		return -1;
	*out = (size_t)v;
	return 0;
}

int main(int argc, char **argv)
{
	kith_match_opts opts = KITH_MATCH_OPTS_INIT;
	kith_index *idx = NULL;
	kith_matcher *m = NULL;
	kith_profile **profiles = NULL;
	double *lat = NULL, total = 0.0, t0 = 0.0, cpu = 0.0, c0, setup = 0.0;
	const char *db = NULL, *trec_path = NULL, *run_name = "kith", *spawn = NULL;
	char top_text[32];
	FILE *trec = NULL;
	size_t warmup = 5, n = 0, i, results = 0, empty = 0, slowest = 0;
	double *by_profile = NULL;
	struct rusage ru;
	int a, rc = 1, first;

	kith_threads_prepare(); /* as kith itself does */
	opts.today = NULL;
	for (a = 1; a < argc && argv[a][0] == '-' && argv[a][1] == '-'; a += 2) {
		if (a + 1 >= argc) {
			usage();
			return 2;
		}
		if (strcmp(argv[a], "--date") == 0) {
			opts.today = argv[a + 1];
		} else if (strcmp(argv[a], "--top") == 0) {
			if (parse_size(argv[a + 1], &opts.top) != 0) {
				usage();
				return 2;
			}
		} else if (strcmp(argv[a], "--warmup") == 0) {
			if (parse_size(argv[a + 1], &warmup) != 0) {
				usage();
				return 2;
			}
		} else if (strcmp(argv[a], "--trec") == 0) {
			trec_path = argv[a + 1];
		} else if (strcmp(argv[a], "--run-name") == 0) {
			run_name = argv[a + 1];
		} else if (strcmp(argv[a], "--slowest") == 0) {
			if (parse_size(argv[a + 1], &slowest) != 0) {
				usage();
				return 2;
			}
		} else if (strcmp(argv[a], "--spawn") == 0) {
			spawn = argv[a + 1];
		} else {
			usage();
			return 2;
		}
	}
	if (argc - a < 2) {
		usage();
		return 2;
	}
	db = argv[a++];
	first = a;
	snprintf(top_text, sizeof(top_text), "%zu", opts.top ? opts.top : 10);
	if (spawn) {
		if ((lat = calloc((size_t)(argc - first), sizeof(*lat))) == NULL)
			goto cleanup;
		for (; a < argc; a++, n++) {
			if ((lat[n] = spawn_one(spawn, db, argv[a], opts.today, top_text)) < 0)
				goto cleanup;
			total += lat[n];
		}
		qsort(lat, n, sizeof(*lat), by_value);
		getrusage(RUSAGE_CHILDREN, &ru);
		printf("n=%zu p50=%.3f p95=%.3f p99=%.3f mean=%.3f max=%.3f cpu_mean=%.3f rss_kb=%ld\n", n,
		       percentile(lat, n, 0.50), percentile(lat, n, 0.95), percentile(lat, n, 0.99), total / (double)n,
		       lat[n - 1], (tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime)) / (double)n, ru.ru_maxrss);
		rc = 0;
		n = 0; /* no profiles to free */
		goto cleanup;
	}
	if ((profiles = calloc((size_t)(argc - first), sizeof(*profiles))) == NULL ||
	    (lat = calloc((size_t)(argc - first), sizeof(*lat))) == NULL ||
	    (by_profile = calloc((size_t)(argc - first), sizeof(*by_profile))) == NULL) {
		fprintf(stderr, "perf_match: out of memory\n");
		goto cleanup;
	}
	for (; a < argc; a++) {
		int error = kith_profile_load(&profiles[n], argv[a], NULL);
		if (error) {
			fprintf(stderr, "perf_match: %s: %s (profile left out)\n", argv[a], kith_strerror(error));
			continue;
		}
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "perf_match: no profile could be read\n");
		goto cleanup;
	}
	setup = now_ms();
	if (kith_index_open(&idx, db, KITH_OPEN_READONLY) != 0) {
		fprintf(stderr, "perf_match: %s\n", kith_index_errmsg(idx));
		goto cleanup;
	}
	if (kith_matcher_new(&m, idx, NULL, NULL) != 0) {
		fprintf(stderr, "perf_match: %s\n", kith_matcher_errmsg(m));
		goto cleanup;
	}
	setup = now_ms() - setup;
	if (trec_path && (trec = fopen(trec_path, "w")) == NULL) {
		fprintf(stderr, "perf_match: %s: %s\n", trec_path, strerror(errno));
		goto cleanup;
	}
	for (i = 0; i < warmup && i < n; i++) {
		kith_results *res = NULL;
		if (kith_matcher_run(m, profiles[i], &opts, &res) == 0)
			kith_results_free(res);
	}
	for (i = 0; i < n; i++) {
		kith_results *res = NULL;
		size_t k, count;
		int error;

		c0 = cpu_ms();
		t0 = now_ms();
		error = kith_matcher_run(m, profiles[i], &opts, &res);
		lat[i] = by_profile[i] = now_ms() - t0;
		cpu += cpu_ms() - c0;
		if (error) {
			fprintf(stderr, "perf_match: %s: %s\n", kith_profile_id(profiles[i]), kith_matcher_errmsg(m));
			goto cleanup;
		}
		total += lat[i];
		count = kith_results_count(res);
		results += count;
		empty += count == 0;
		for (k = 0; trec && k < count; k++) {
			const kith_result *r = kith_results_get(res, k);
			fprintf(trec, "%s Q0 %s %zu %.4f %s\n", kith_results_patient(res), r->key, r->rank, r->score,
				run_name);
		}
		kith_results_free(res);
	}
	qsort(lat, n, sizeof(*lat), by_value);
	for (i = 0; i < slowest && i < n; i++) {
		size_t k;
		for (k = 0; k < n && by_profile[k] != lat[n - 1 - i]; k++)
			;
		fprintf(stderr, "slow: %.3f ms %s\n", lat[n - 1 - i], kith_profile_id(profiles[k]));
	}
	getrusage(RUSAGE_SELF, &ru);
	printf("n=%zu p50=%.3f p95=%.3f p99=%.3f mean=%.3f max=%.3f cpu_mean=%.3f results=%.2f empty=%zu "
	       "setup_ms=%.3f rss_kb=%ld\n",
	       n, percentile(lat, n, 0.50), percentile(lat, n, 0.95), percentile(lat, n, 0.99), total / (double)n,
	       lat[n - 1], cpu / (double)n, (double)results / (double)n, empty, setup, ru.ru_maxrss);
	rc = 0;

cleanup:
	if (trec && fclose(trec) != 0 && rc == 0) {
		fprintf(stderr, "perf_match: %s: %s\n", trec_path, strerror(errno));
		rc = 1;
	}
	kith_matcher_free(m);
	kith_index_free(idx);
	for (i = 0; profiles && i < n; i++)
		kith_profile_free(profiles[i]);
	free(profiles);
	free(lat);
	free(by_profile);
	return rc;
}
