/*
 * JSON strings (see json.h).
 */
#include "render/json.h"

void kith_json_string(kith_buf *out, const char *s)
{
	kith_buf_putc(out, '"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			kith_buf_printf(out, "\\%c", c);
		else if (c == '\n')
			kith_buf_puts(out, "\\n");
		else if (c == '\t')
			kith_buf_puts(out, "\\t");
		else if (c < 0x20)
			kith_buf_printf(out, "\\u%04x", c);
		else
			kith_buf_putc(out, (char)c);
	}
	kith_buf_putc(out, '"');
}

void kith_json_value(kith_buf *out, const char *s)
{
	if (s)
		kith_json_string(out, s);
	else
		kith_buf_puts(out, "null");
}

void kith_json_field(kith_buf *out, const char *name, const char *s)
{
	kith_buf_printf(out, ", \"%s\": ", name);
	kith_json_value(out, s);
}
