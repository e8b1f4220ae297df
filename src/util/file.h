/*
 * Whole-file reading, for the small text files kith reads at once (weights,
 * synonym rules, judgments).  Feeds and profiles are mapped instead (feed/xml.h).
 */
#ifndef KITH_FILE_H
#define KITH_FILE_H

#include "util/buf.h"

/*
 * Appends the bytes of the file at path to out, whose limit caps the size.
 * Returns 0, KITH_EIO when the file cannot be opened or read (errno says
 * why: a folder gives EISDIR), or out's KITH_ETOOLARGE or KITH_ENOMEM.
 */
int kith_file_read(kith_buf *out, const char *path);

#endif
