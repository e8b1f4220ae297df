/*
 * A safe, located, schema-validating XML reader shared by the feed and
 * patient readers.
 *
 * Untrusted files are read with libxml2's streaming reader from a read-only
 * mapping of the file, forced to UTF-8, with no network, no external DTD or
 * entity loading and no entity substitution; a DOCTYPE is refused outright,
 * as are nesting deeper than KITH_XML_MAX_DEPTH and text or attribute values
 * over their limits.  Every problem becomes a diagnostic at file:line:column.
 */
#ifndef KITH_XML_H
#define KITH_XML_H

#include <libxml/xmlreader.h>

#include "kith/common.h"

#define KITH_XML_MAX_DEPTH 32
#define KITH_XML_MAX_TEXT (256 * 1024) /* bytes in one text node */
#define KITH_XML_MAX_ATTR (8 * 1024)   /* bytes in one attribute value */
#define KITH_XML_MAX_MESSAGES 100      /* kept about one file, unless told to keep all: then a count of the rest */
#define KITH_XML_MAX_ATTRIBUTES 256    /* on one element: libxml2 2.9 compares them pairwise, so 200,000 took 49 s */

typedef struct kith_xml kith_xml;

/*
 * Opens path for reading, validated against the schema in xsd_text.
 * Problems found before reading starts (missing, empty, JSON, not XML) are
 * added to diags and reported as KITH_EINVALID or KITH_EIO; *out is then
 * NULL.  what names the expected content in messages ("kith feed").  kith_xml_free() releases it.
 */
int kith_xml_open(kith_xml **out, const char *path, const char *what, const char *xsd_text, kith_diag_list *diags);
/* The same over size bytes at data (borrowed: they must outlive the reader), named name in messages. */
int kith_xml_open_memory(kith_xml **out, const char *name, const char *data, size_t size, const char *what,
			 const char *xsd_text, kith_diag_list *diags);
void kith_xml_free(kith_xml *x);
/* Keep every message about this file (kith check lists them all), not the first KITH_XML_MAX_MESSAGES. */
void kith_xml_keep_every_message(kith_xml *x);
/* How many messages of a severity were raised about this file but not kept. */
size_t kith_xml_hidden(const kith_xml *x, kith_severity severity);

/*
 * Moves to the next node.  Returns 1 on a node, 0 at the end, or a negative
 * error (a diagnostic was added) when the file is not well-formed or breaks
 * a safety limit.  Schema errors do not stop reading; see kith_xml_errors().
 */
int kith_xml_next(kith_xml *x);
xmlTextReaderPtr kith_xml_reader(kith_xml *x);

/* Number of error diagnostics recorded so far for this file. */
size_t kith_xml_errors(const kith_xml *x);

/*
 * Takes n errors back off the count, once the caller has demoted them to
 * warnings (a skipped group's problems).
 */
void kith_xml_forgive(kith_xml *x, size_t n);

/* The file's bytes (borrowed), for hashing. */
const char *kith_xml_bytes(const kith_xml *x, size_t *size);

/* The file as given, for messages. */
const char *kith_xml_path(const kith_xml *x);

/*
 * Finds `<name` (or, with attr, `attr=` inside that tag) ending on or
 * shortly before *line, and sets *line and *column to where it starts, so
 * messages point at it.  Leaves *line and sets *column to 1 when not found.
 */
void kith_xml_locate(kith_xml *x, unsigned *line, unsigned *column, const char *name, const char *attr);

/* The line of node (from libxml2, which counts past 65535 with BIG_LINES). */
unsigned kith_xml_line(const xmlNode *node);

/* Adds an error or warning located at node (and attr, when not NULL). */
void kith_xml_report(kith_xml *x, kith_severity severity, const xmlNode *node, const char *attr, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* The diagnostics list the reader writes to (borrowed). */
kith_diag_list *kith_xml_diags(kith_xml *x);

#endif
