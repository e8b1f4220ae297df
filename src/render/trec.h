/*
 * TREC run lines, `PATIENT Q0 KEY RANK SCORE RUN-NAME` (schemas/README.md,
 * "Benchmark set"): written here only, for a match's results and a benchmark's runs.
 */
#ifndef KITH_TREC_H
#define KITH_TREC_H

#include <stddef.h>

#include "util/buf.h"

/* Appends one line, the score with 4 decimals. */
void kith_trec_line(kith_buf *out, const char *patient, const char *key, size_t rank, double score, const char *run);

#endif
