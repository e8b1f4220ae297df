/*
 * Writing kith's own feed format (schemas/README.md, "Feed"), the other
 * half of kith_feed.c: the importers write what the loader reads.  Text is
 * escaped, and bytes that cannot stand in XML 1.0 (invalid UTF-8, control
 * characters) become U+FFFD, so whatever a record held, the output parses.
 */
#ifndef KITH_FEED_WRITE_H
#define KITH_FEED_WRITE_H

#include "feed/feed.h"
#include "model/model.h"
#include "util/buf.h"

/* The root's start tag: id, version, publisher, generated, area, mode from info. */
void kith_feed_write_header(kith_buf *out, const kith_feed_info *info);
/* One <group>, its elements in the schema's order; g must hold a valid id and a name. */
void kith_feed_write_group(kith_buf *out, const kith_group *g);
/* The root's end tag. */
void kith_feed_write_footer(kith_buf *out);
/* text escaped for XML content and attributes, invalid bytes replaced. */
void kith_feed_write_text(kith_buf *out, const char *text);

#endif
