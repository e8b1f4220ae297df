/*
 * What the importers share (as SQLite's whereInt.h for its where*.c): the
 * import under way, and the one way a record becomes a group.
 *
 * An importer reads its format and, for each record, fills a kith_group
 * (model/model.h) with strings in im->arena, then calls kith_import_emit():
 * the core gives it a valid, unique id, fits it to the feed format, counts
 * it for the report and writes it.  A record that cannot be mapped is
 * kith_import_skip()ped with where and why.  An input that cannot be read
 * at all is kith_import_fail()ed, and the whole import writes nothing.
 */
#ifndef KITH_IMPORT_INT_H
#define KITH_IMPORT_INT_H

#include <stddef.h>

#include "kith/import.h"
#include "model/model.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/strset.h"

#define KITH_IMPORT_MAX_FILE (256u << 20) /* bytes in one input file */
#define KITH_IMPORT_MAX_TEXT 20000        /* bytes of one description, after HTML is read */
#define KITH_IMPORT_MAX_FEED (512u << 20) /* bytes of the feed written */

typedef struct importer {
	const kith_import_opts *opts; /* borrowed */
	kith_diag_list *diags;        /* borrowed; may be NULL */
	kith_import_report *report;   /* borrowed, never NULL */
	const char *path;             /* the input being read, for messages */
	kith_arena arena;             /* owned: the current record's strings, reset after each emit or skip */
	kith_strset ids;              /* owned: group ids written so far */
	kith_buf out;                 /* owned: the feed as written so far */
	size_t warnings;              /* warnings added, to cap how many one import prints */
	void *reader_state;           /* owned by the format's reader: what it keeps from one input to the next */
	kith_strset taxonomy;         /* owned: "scheme<TAB>term" in lower case -> index into taxonomy_ids */
	char **taxonomy_ids;          /* owned: each term's kith ids, space-separated; built on the first look-up */
	size_t taxonomy_count;
} importer;

/* Frees what the import core keeps in im (not the readers' state). */
void kith_import_release(importer *im);

/* Sets g to a group with nothing known (ages -1, capacity unknown), for a reader to fill. */
void kith_import_group_init(kith_group *g);

/*
 * Writes g as one group of the feed.  source_id is the record's own id
 * (made into a group id: characters outside [A-Za-z0-9._-] become '-', and
 * a repeat gets "-2", "-3" ...); line and column say where the record is
 * (0 when unknown).  Fits g to the format: drops sessions that end before
 * they start, needs and activities outside the vocabulary (their words stay
 * in the text), a description over KITH_IMPORT_MAX_TEXT.  Resets the
 * arena.  0, or KITH_ENOMEM.
 */
int kith_import_emit(importer *im, kith_group *g, const char *source_id, unsigned line, unsigned column);

/* Leaves a record out, with a warning at line:column saying why; resets the arena. */
void kith_import_skip(importer *im, unsigned line, unsigned column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A warning about a record that is still written (a value ignored); capped per import. */
void kith_import_warn(importer *im, unsigned line, unsigned column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* An error that stops the import: returns code (KITH_EINVALID, KITH_EIO ...) for the caller to return. */
int kith_import_fail(importer *im, int code, unsigned line, unsigned column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/*
 * Helpers every format needs.  Strings they return live in im->arena.
 */

/*
 * HTML (or plain text) as plain text: entities decoded, tags dropped,
 * paragraphs and list items kept as lines (plain text keeps its own).
 */
const char *kith_import_text(importer *im, const char *html);
/* The same on one line, for a name, an address or a label: every line break a single space. */
const char *kith_import_line(importer *im, const char *html);

/*
 * Opening hours written as text ("Mon-Fri 9am-5pm", "Tuesdays 10:00 -
 * 12:00", "first Wednesday of the month 2pm-4pm") read into sessions,
 * appended to g (in im->arena).  Returns how many were read; 0 when the
 * text is not sure enough ("Tuesday and Thursday evenings"), and then g is
 * unchanged: keep the text in the description.
 */
size_t kith_import_hours(importer *im, kith_group *g, const char *text);

/* Appends one session to g (in im->arena); ignores a bad one (end <= start). 0 or KITH_ENOMEM. */
int kith_import_add_session(importer *im, kith_group *g, int day, int start, int end, unsigned weeks);
/* Appends one string to a list (in im->arena), skipping a repeat.  0 or KITH_ENOMEM. */
int kith_import_add_string(importer *im, kith_strlist *list, const char *s);
/* Appends one venue to g (in im->arena) and returns it zeroed, or NULL on ENOMEM. */
kith_venue *kith_import_add_venue(importer *im, kith_group *g);
/* Appends "\n\n" and text to the description (things the format has no place for). 0 or KITH_ENOMEM. */
int kith_import_append_text(importer *im, kith_group *g, const char *label, const char *text);

/*
 * A sure mapping of a publisher's taxonomy term to kith's vocabulary, from
 * the tables in corpus/import/ (each with its source): scheme is "oruk",
 * "open211", "openactive" or "airs"; term is the code or the label.
 * Adds "need:..." or "activity:..." ids to g's needs or activities;
 * returns 1 when the term was mapped, 0 when not.
 */
int kith_import_taxonomy(importer *im, kith_group *g, const char *scheme, const char *term);

/* The ISO 639-1 code of len bytes naming a language in English or by its code ("Polish", "pl"), or NULL. */
const char *kith_import_language(const char *word, size_t len);

/* An ISO 8601 date or date-time ("2024-12-03", "2024-12-03T10:00:00Z") as YYYY-MM-DD in the arena, or NULL. */
const char *kith_import_date(importer *im, const char *text);

/*
 * The JSON document at path (jansson), or NULL after a located error
 * (kith_import_fail's) saying what is wrong: not JSON, truncated, invalid
 * UTF-8, a duplicate key, nested too deep, a number out of range, or over
 * KITH_IMPORT_MAX_FILE.  *error gets the code.  The caller json_decref()s it.
 */
struct json_t *kith_import_json(importer *im, const char *path, int *error);

/* Readers, one per format (oruk.c, hsds.c, openactive.c, airs.c): each reads one input. */
int kith_import_oruk(importer *im, const char *path);
int kith_import_hsds(importer *im, const char *path);
int kith_import_openactive(importer *im, const char *path);
int kith_import_airs(importer *im, const char *path);

/*
 * A reader's end, for a format whose records refer to records in other
 * inputs (an OpenActive session to its series): called once after the
 * last input with error 0, to write what it kept (0 or an error), or
 * after a failure with the error, only to let go of im->reader_state.
 */
int kith_import_openactive_end(importer *im, int error);

#endif
