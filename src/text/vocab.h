/*
 * The shared vocabulary (kith/vocab.h) as the index uses it: concept bits.
 */
#ifndef KITH_VOCAB_H
#define KITH_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#include "kith/vocab.h"

/*
 * One bit for a concept id ("need:loneliness", "activity:gardening",
 * "condition:ms"), for the 64-bit concept masks that let the index narrow
 * candidates without reading their rows: each need has its own bit, the
 * rest share the other 41 by hash.  0 for ids of other kinds.
 */
uint64_t kith_vocab_concept_bit(const char *concept_id);

/*
 * One bit for an ISO 639-1 code, for language masks: "en" has bit 0, the
 * rest share the other 63 by hash, so masks that share no bit share no
 * language (the hard constraint), whatever collisions there are.
 */
uint64_t kith_vocab_language_bit(const char *code);

#endif
