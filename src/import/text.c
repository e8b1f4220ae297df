/*
 * Text the importers share: HTML made plain, dates, and small appends to a
 * group, all in the record's arena.
 */
#include "import/import_int.h"

#include <libxml/HTMLparser.h>
#include <stdint.h>
#include <string.h>

#include "model/schedule.h"

/* Elements whose end starts a new line of their own. */
static int block(const char *name)
{
	static const char *const blocks[] = {"p",          "div",     "h1",      "h2",     "h3",     "h4",
					     "h5",         "h6",      "ul",      "ol",     "table",  "tr",
					     "blockquote", "section", "article", "header", "footer", "pre"};
	size_t i;

	for (i = 0; i < sizeof(blocks) / sizeof(blocks[0]); i++)
		if (strcmp(name, blocks[i]) == 0)
			return 1;
	return 0;
}

/* Appends len bytes of text with runs of white space made one space, never two at a line's start. */
static void put_words(kith_buf *out, const char *text, size_t len)
{
	const char *end = text + len;

	for (; text < end && *text; text++) {
		int space = *text == ' ' || *text == '\t' || *text == '\n' || *text == '\r' ||
			    ((unsigned char)text[0] == 0xC2 && text + 1 < end && (unsigned char)text[1] == 0xA0);
		if (space) {
			if ((unsigned char)*text == 0xC2)
				text++;
			if (out->size && out->ptr[out->size - 1] != ' ' && out->ptr[out->size - 1] != '\n')
				kith_buf_putc(out, ' ');
		} else {
			kith_buf_putc(out, *text);
		}
	}
}

/* Ends the current line (dropping a trailing space); paragraph: leave a blank line after it. */
static void end_line(kith_buf *out, int paragraph)
{
	while (out->size && out->ptr[out->size - 1] == ' ')
		out->ptr[--out->size] = '\0';
	if (!out->size)
		return;
	if (out->ptr[out->size - 1] != '\n')
		kith_buf_putc(out, '\n');
	if (paragraph && (out->size < 2 || out->ptr[out->size - 2] != '\n'))
		kith_buf_putc(out, '\n');
}

static void walk(kith_buf *out, xmlNode *n, int depth)
{
	for (; n; n = n->next) {
		const char *name = (const char *)n->name;
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				put_words(out, (const char *)n->content, strlen((const char *)n->content));
			continue;
		}
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(name, "script") == 0 || strcmp(name, "style") == 0)
			continue;
		if (strcmp(name, "br") == 0) {
			end_line(out, 0);
			continue;
		}
		if (strcmp(name, "li") == 0) {
			end_line(out, 0);
			kith_buf_puts(out, "- ");
		}
		if (depth < 64) /* deeper HTML is read flat rather than recursed into */
			walk(out, n->children, depth + 1);
		if (block(name))
			end_line(out, 1);
		else if (strcmp(name, "li") == 0 || strcmp(name, "td") == 0)
			end_line(out, 0);
	}
}

/* HTML read with libxml2's parser into out (entities decoded, tags dropped); the words alone when it cannot. */
static void put_html(kith_buf *out, const char *html, size_t len)
{
	htmlDocPtr doc =
		htmlReadMemory(html, (int)len, NULL, "UTF-8",
			       HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NOBLANKS);

	if (doc) {
		walk(out, xmlDocGetRootElement(doc), 0);
		xmlFreeDoc(doc);
	} else {
		put_words(out, html, len);
	}
}

/* Plain text with its lines kept (at most one blank line between paragraphs), entities in a line decoded. */
static void put_lines(kith_buf *out, const char *text)
{
	int blank_before = 0;

	while (*text) {
		size_t n = strcspn(text, "\n"), before;
		if (out->size)
			kith_buf_puts(out, blank_before ? "\n\n" : "\n");
		before = out->size;
		if (memchr(text, '&', n))
			put_html(out, text, n);
		else
			put_words(out, text, n);
		while (out->size > before && out->ptr[out->size - 1] == ' ')
			out->ptr[--out->size] = '\0';
		if (out->size == before) { /* a blank line: take back the break, remember the paragraph */
			while (out->size && out->ptr[out->size - 1] == '\n')
				out->ptr[--out->size] = '\0';
			blank_before = out->size > 0;
		} else {
			blank_before = 0;
		}
		text += n + (text[n] == '\n');
	}
}

const char *kith_import_text(importer *im, const char *html)
{
	kith_buf out = KITH_BUF_INIT;
	const char *result = NULL;

	if (!html)
		return NULL;
	if (!strchr(html, '<')) /* plain text, as many records are: its lines kept */
		put_lines(&out, html);
	else
		put_html(&out, html, strnlen(html, KITH_IMPORT_MAX_FILE));
	while (out.size && (out.ptr[out.size - 1] == '\n' || out.ptr[out.size - 1] == ' '))
		out.ptr[--out.size] = '\0';
	if (!kith_buf_error(&out) && out.size)
		result = kith_arena_strndup(&im->arena, out.ptr, out.size);
	kith_buf_release(&out);
	return result;
}

const char *kith_import_line(importer *im, const char *html)
{
	const char *text = kith_import_text(im, html);
	char *s, *out;

	if (!text)
		return NULL;
	/* the copy is this record's, in the arena: its line breaks become single spaces in place */
	for (s = out = (char *)(uintptr_t)text; *s; s++) {
		if (*s == '\n') {
			if (out > text && out[-1] != ' ')
				*out++ = ' ';
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
	return text;
}

const char *kith_import_date(importer *im, const char *text)
{
	char d[11];
	long days;

	/* the date of a date-time: model's own reading of YYYY-MM-DD decides whether it is a real one */
	if (!text || strlen(text) < 10 || (text[10] != '\0' && text[10] != 'T' && text[10] != ' '))
		return NULL;
	memcpy(d, text, 10);
	d[10] = '\0';
	if (kith_date_parse(d, &days) != 0 || strcmp(d, "1900-01-01") < 0 || strcmp(d, "2100-01-01") > 0)
		return NULL;
	return kith_arena_strdup(&im->arena, d);
}

/*
 * An arena array of count items with room for one more: the arena cannot
 * resize, so each array is given room for a power of two of items and
 * copied only when full -- a record with 20,000 sessions is not 20,000
 * copies.  Callers may shrink count; they never set the array themselves.
 */
static void *room_for_one_more(importer *im, const void *items, size_t count, size_t size)
{
	size_t cap = 4;
	void *grown;

	while (cap < count)
		cap *= 2;
	if (count && count < cap)
		return (void *)(uintptr_t)items; /* room left */
	if (cap == count)
		cap *= 2;
	if (cap > ((size_t)-1) / size || (grown = kith_arena_alloc(&im->arena, cap * size)) == NULL)
		return NULL;
	if (count)
		memcpy(grown, items, count * size);
	return grown;
}

int kith_import_add_session(importer *im, kith_group *g, int day, int start, int end, unsigned weeks)
{
	kith_session *s;

	/* 24:00 has no place in the feed's times: the day's last minute ends it */
	if (end == 24 * 60)
		end = 24 * 60 - 1;
	if (day < 0 || day > 6 || start < 0 || end > 24 * 60 || end <= start)
		return 0;
	if ((s = room_for_one_more(im, g->sessions, g->session_count, sizeof(*s))) == NULL)
		return KITH_ENOMEM;
	s[g->session_count].day = day;
	s[g->session_count].start = start;
	s[g->session_count].end = end;
	s[g->session_count].weeks = weeks;
	g->sessions = s;
	g->session_count++;
	g->schedule_known = 1;
	return 0;
}

int kith_import_add_string(importer *im, kith_strlist *list, const char *str)
{
	const char **items;
	size_t i;

	if (!str || !*str)
		return 0;
	for (i = 0; i < list->count; i++)
		if (strcmp(list->items[i], str) == 0)
			return 0;
	if ((items = room_for_one_more(im, list->items, list->count, sizeof(*items))) == NULL)
		return KITH_ENOMEM;
	if ((items[list->count] = kith_arena_strdup(&im->arena, str)) == NULL)
		return KITH_ENOMEM;
	list->items = items;
	list->count++;
	return 0;
}

kith_venue *kith_import_add_venue(importer *im, kith_group *g)
{
	kith_venue *v = room_for_one_more(im, g->venues, g->venue_count, sizeof(*v));

	if (!v)
		return NULL;
	g->venues = v;
	memset(&v[g->venue_count], 0, sizeof(*v));
	return &v[g->venue_count++];
}

int kith_import_append_text(importer *im, kith_group *g, const char *label, const char *text)
{
	kith_buf b = KITH_BUF_INIT;
	int error;

	if (!text || !*text)
		return 0;
	if (g->description && strlen(g->description) > KITH_IMPORT_MAX_TEXT)
		return 0; /* it will be cut there: a thousand more rows must not each copy it again */
	if (g->description && *g->description)
		kith_buf_printf(&b, "%s\n\n", g->description);
	if (label)
		kith_buf_printf(&b, "%s: ", label);
	kith_buf_puts(&b, text);
	if ((error = kith_buf_error(&b)) == 0 && (g->description = kith_arena_strdup(&im->arena, b.ptr)) == NULL)
		error = KITH_ENOMEM;
	kith_buf_release(&b);
	return error;
}
