/*
 * kith common definitions: error codes, the export macro and version, and
 * the rules every part of the API keeps.
 *
 * Errors.  Every kith function that can fail returns an int: 0 on success,
 * or one of the negative KITH_E* codes below.  The codes are part of the
 * ABI and are never renumbered.  The detailed message (with file, line and
 * column where there is one) lives on the handle the call was made on.
 *
 * Arguments.  A function that makes something takes its out-parameter
 * first (kith_index_open(&idx, path, flags)), and so does one that fills a
 * struct the caller owns (kith_bench_scores_average(&mean, ...)); every
 * other function takes the handle it acts on first and any out-parameter
 * last (kith_matcher_run(m, profile, opts, &results)).  A string comes
 * before its length.  What comes back through an out-parameter belongs to
 * the caller, to free with the matching _free(); what a getter returns is
 * borrowed from its handle.  Every _free(NULL) does nothing.
 *
 * Threads.  kith keeps no state outside its handles and takes no locks, so
 * different handles may be used on different threads at the same time,
 * while one handle (kith_index, kith_matcher, kith_bench, kith_diag_list)
 * is used by one thread at a time.  A matcher borrows its index: the two
 * belong to one thread together.  A server runs one index and one matcher
 * per worker thread, each opening the same file.  A profile and a result
 * list are only read once made, so several threads may read one at once
 * (kith_profile_set() changes a profile: not while others read it).
 * kith_index_load() runs a thread of its own to read the feed, and joins it
 * before it returns.  A program that matches on several threads should
 * call kith_threads_prepare() once, first.
 */
#ifndef KITH_COMMON_H
#define KITH_COMMON_H

#include <stddef.h>

#if defined(__GNUC__)
#define KITH_EXPORT __attribute__((visibility("default")))
#else
#define KITH_EXPORT
#endif

#define KITH_VERSION "0.1.0"

enum {
	KITH_OK = 0,
	KITH_ERROR = -1,     /* generic failure: see the handle's message */
	KITH_ENOTFOUND = -2, /* the thing asked for does not exist */
	KITH_EINVALID = -3,  /* input broke the format or its rules */
	KITH_ETOOLARGE = -4, /* input over a size, depth or count limit */
	KITH_ENOMEM = -5,    /* out of memory */
	KITH_EVERSION = -6,  /* database written by another schema version */
	KITH_EIO = -7        /* a file or the database could not be read or written */
};

/*
 * A short, static description of an error code ("invalid input").
 * Never NULL; unknown codes give "unknown error".
 */
KITH_EXPORT const char *kith_strerror(int code);

/*
 * For a program that runs kith on several threads (a server; the loader's
 * two): call once at its start, before any kith or SQLite call.  It turns
 * off SQLite's memory statistics, process-wide: they keep one lock that
 * every allocation on every thread takes, which on two cores cost a third
 * of a server's throughput.  Returns 0, or KITH_ERROR when SQLite was
 * already in use (nothing changes; everything still works, only slower).
 */
KITH_EXPORT int kith_threads_prepare(void);

/* Severity of a diagnostic. */
typedef enum { KITH_DIAG_ERROR = 0, KITH_DIAG_WARNING = 1 } kith_severity;

/*
 * One message about an input file, located at file:line:column (line and
 * column count from 1; 0 means unknown).  Borrowed from the list that holds
 * it; valid until that list is freed or cleared.
 */
typedef struct kith_diag {
	kith_severity severity;
	const char *file; /* path as given by the caller */
	unsigned line;
	unsigned column;
	const char *message; /* lower-case plain sentence, no location */
} kith_diag;

/* A growing list of diagnostics, filled by the parsers and checkers. */
typedef struct kith_diag_list kith_diag_list;

/* Creates an empty list in *out.  Returns 0 or KITH_ENOMEM. */
KITH_EXPORT int kith_diag_list_new(kith_diag_list **out);
/* Frees the list and every diagnostic in it.  NULL is a no-op. */
KITH_EXPORT void kith_diag_list_free(kith_diag_list *list);
/* Number of diagnostics held. */
KITH_EXPORT size_t kith_diag_list_count(const kith_diag_list *list);
/* Number held of one severity. */
KITH_EXPORT size_t kith_diag_list_count_of(const kith_diag_list *list, kith_severity severity);
/* The i-th diagnostic (borrowed), or NULL when i is out of range. */
KITH_EXPORT const kith_diag *kith_diag_list_get(const kith_diag_list *list, size_t i);
/*
 * Formats one diagnostic as "file:line:column: warning: message" into buf
 * (always NUL-terminated when size > 0).  Returns the length it needed.
 */
KITH_EXPORT size_t kith_diag_format(const kith_diag *diag, char *buf, size_t size);

#endif
