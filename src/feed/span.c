/*
 * Where each element of a feed starts and ends in the file's bytes (see
 * span.h).
 */
#include "feed/span.h"

#include <string.h>

#include "util/parse.h"

static void scan_to(kith_span *sc, size_t off)
{
	for (; sc->off < off && sc->off < sc->size; sc->off++) {
		unsigned char c = (unsigned char)sc->data[sc->off];
		if (c == '\n') {
			sc->pos.line++;
			sc->pos.column = 1;
		} else if ((c & 0xC0) != 0x80) {
			sc->pos.column++;
		}
	}
}

enum { MARKUP_START, MARKUP_EMPTY, MARKUP_END, MARKUP_OTHER, MARKUP_NONE };

/* The markup starting at the '<' at i: its kind, and in *after the offset past it. */
static int markup_at(const kith_span *sc, size_t i, size_t *after)
{
	const char *p = sc->data + i, *end = sc->data + sc->size, *close, *term = NULL;
	size_t skip = 0;
	char quote = 0;

	if (end - p >= 4 && memcmp(p, "<!--", 4) == 0)
		term = "-->", skip = 4;
	else if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
		term = "]]>", skip = 9;
	else if (end - p >= 2 && p[1] == '?')
		term = "?>", skip = 2;
	else if (end - p >= 2 && p[1] == '!')
		term = ">", skip = 2;
	if (term) {
		if ((close = kith_find(p + skip, end, term)) == NULL)
			return MARKUP_NONE;
		*after = (size_t)(close - sc->data) + strlen(term);
		return MARKUP_OTHER;
	}
	for (close = p + 1; close < end; close++) {
		if (quote)
			quote = *close == quote ? 0 : quote;
		else if (*close == '"' || *close == '\'')
			quote = *close;
		else if (*close == '>')
			break;
	}
	if (close >= end)
		return MARKUP_NONE;
	*after = (size_t)(close - sc->data) + 1;
	return p[1] == '/' ? MARKUP_END : close[-1] == '/' ? MARKUP_EMPTY : MARKUP_START;
}

/*
 * The next element at the scanner's depth from i: its start in *start and
 * the offset past its end tag in *end.  Returns the start tag's kind, or
 * MARKUP_END at the parent's end tag, MARKUP_NONE when the file ends.
 */
static int next_element(const kith_span *sc, size_t i, size_t *start, size_t *end)
{
	int depth = 0, kind;
	size_t after;

	for (;;) {
		const char *lt = memchr(sc->data + i, '<', sc->size - i);
		if (!lt)
			return MARKUP_NONE;
		i = (size_t)(lt - sc->data);
		after = 0;
		kind = markup_at(sc, i, &after);
		if (kind == MARKUP_NONE)
			return kind;
		if (depth == 0 && kind == MARKUP_END)
			return kind;
		if (depth == 0 && (kind == MARKUP_START || kind == MARKUP_EMPTY))
			*start = i;
		depth += kind == MARKUP_START ? 1 : kind == MARKUP_END ? -1 : 0;
		i = after;
		if (depth == 0 && kind != MARKUP_OTHER) {
			*end = after;
			return kind == MARKUP_END ? MARKUP_START : kind;
		}
	}
}

void kith_span_init(kith_span *sc, const char *data, size_t size)
{
	size_t end = 0;
	int kind = MARKUP_OTHER;

	memset(sc, 0, sizeof(*sc));
	sc->data = data;
	sc->size = size;
	sc->pos.line = 1;
	sc->pos.column = 1;
	/* past the prolog and into the root element */
	while (data && kind == MARKUP_OTHER) {
		const char *lt = memchr(data + sc->off, '<', size - sc->off);
		if (!lt)
			return;
		kind = markup_at(sc, (size_t)(lt - data), &end);
		if (kind == MARKUP_NONE || kind == MARKUP_END)
			return;
		scan_to(sc, end);
	}
	sc->ok = kind == MARKUP_START; /* an empty root has no groups */
}

/*
 * Moves the scanner over the next element (the group at line, which the
 * reader stands on), setting where it starts and ends.  Returns 0 when the
 * scanner lost its way; it then stays lost.
 */
int kith_span_next(kith_span *sc, unsigned line, kith_text_pos *start, kith_text_pos *end, size_t *bytes)
{
	size_t from = 0, to = 0;
	int kind;

	if (!sc->ok)
		return 0;
	kind = next_element(sc, sc->off, &from, &to);
	if (kind != MARKUP_START && kind != MARKUP_EMPTY) {
		sc->ok = 0;
		return 0;
	}
	scan_to(sc, from);
	*start = sc->pos;
	scan_to(sc, to);
	*end = sc->pos;
	*bytes = to - from;
	if (start->line != line)
		sc->ok = 0; /* not the element the reader is on */
	return sc->ok;
}

/* Skips the next element (a <withdrawn/>) so the scanner stays in step. */
void kith_span_skip(kith_span *sc, unsigned line)
{
	kith_text_pos start, end;
	size_t bytes;

	kith_span_next(sc, line, &start, &end, &bytes);
}

int kith_pos_before(unsigned line, unsigned column, kith_text_pos p)
{
	return line < p.line || (line == p.line && column < p.column);
}
