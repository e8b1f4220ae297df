/*
 * Where each group's tags start and end in a feed's bytes, found in one
 * pass over the file.  libxml2 parses ahead of the node its reader hands
 * out, so the schema and parser errors of the next groups can arrive while
 * one group is being read; a group's problems are the ones located between
 * its start tag and its end tag.  The file holds no DTD (xml.c refuses
 * one), so comments, CDATA, processing instructions and quoted attribute
 * values are all the tokenising needed.
 */
#ifndef KITH_SPAN_H
#define KITH_SPAN_H

#include <stddef.h>

/* A place in the file: line and column (in characters) from 1. */
typedef struct kith_text_pos {
	unsigned line, column;
} kith_text_pos;

typedef struct kith_span {
	const char *data; /* borrowed: the file's bytes */
	size_t size;
	size_t off;        /* everything before off is scanned */
	kith_text_pos pos; /* where off is */
	int ok;            /* 0 once lost (not well-formed): callers fall back to lines */
} kith_span;

/* Starts a scan of data[0..size), past the prolog and into the root element. */
void kith_span_init(kith_span *sc, const char *data, size_t size);
/*
 * Moves the scan over the next element (the one at line, which the reader
 * stands on), setting where it starts and ends and its size in bytes.
 * Returns 0 when the scan lost its way; it then stays lost.
 */
int kith_span_next(kith_span *sc, unsigned line, kith_text_pos *start, kith_text_pos *end, size_t *bytes);
/* Steps over the next element (one that is not read, a <withdrawn/>) so the scan stays in step. */
void kith_span_skip(kith_span *sc, unsigned line);
/* 1 when line:column comes before p. */
int kith_pos_before(unsigned line, unsigned column, kith_text_pos p);

#endif
