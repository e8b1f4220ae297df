/*
 * JSON as kith writes it: strings escaped once, here, for every JSON
 * document the library writes.
 */
#ifndef KITH_JSON_H
#define KITH_JSON_H

#include "util/buf.h"

/* Appends s as a JSON string literal, escaped; NULL writes "". */
void kith_json_string(kith_buf *out, const char *s);
/* Appends s as a string, or null when s is NULL. */
void kith_json_value(kith_buf *out, const char *s);
/* Appends `, "name": ` and s as kith_json_value() does. */
void kith_json_field(kith_buf *out, const char *name, const char *s);

#endif
