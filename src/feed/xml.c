/*
 * Safe, located, schema-validating XML reading (see xml.h).
 *
 * The file is mapped read-only and handed to xmlReaderForMemory, which lets
 * messages find exact columns in the original bytes (libxml2 keeps only the
 * line of a node) and lets us refuse JSON or empty files with a plain
 * sentence before libxml2 says something cryptic.
 */
#include "feed/xml.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlschemas.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/parse.h"

struct kith_xml {
	const char *path;      /* borrowed from the caller */
	kith_diag_list *diags; /* borrowed */
	const char *data;      /* the bytes: a mapping of the file (owned), or the caller's */
	int mapped;            /* data is a mapping to unmap */
	size_t size;
	xmlSchemaPtr schema;                 /* owned; outlives reader */
	xmlTextReaderPtr reader;             /* owned */
	size_t errors;                       /* error diagnostics added through this reader */
	size_t messages;                     /* of them and the warnings, how many were raised (kept or not) */
	size_t hidden[2];                    /* of those, how many not kept: by severity (error, warning) */
	int every_message;                   /* keep them all (kith check) */
	int failed;                          /* a fatal problem stopped reading */
	int too_large;                       /* it was one of libxml2's own size or depth limits */
	unsigned cursor_line;                /* line index cursor for locate(): a line... */
	size_t cursor_offset;                /* ...and the offset where it starts */
	int handlers_set;                    /* the thread's libxml2 error handlers are ours */
	xmlStructuredErrorFunc saved_serror; /* the handlers to put back */
	void *saved_serror_ctx;
	xmlGenericErrorFunc saved_error;
	void *saved_error_ctx;
};

/*
 * 1 when one more message about this file is still kept: a hostile file
 * can raise one per element (80,000 lines once buried the one that
 * mattered), so past KITH_XML_MAX_MESSAGES the rest are only counted.
 */
static int message_shown(kith_xml *x)
{
	return ++x->messages <= KITH_XML_MAX_MESSAGES || x->every_message;
}

void kith_xml_keep_every_message(kith_xml *x)
{
	x->every_message = 1;
}

size_t kith_xml_hidden(const kith_xml *x, kith_severity severity)
{
	return x ? x->hidden[severity == KITH_DIAG_ERROR ? 0 : 1] : 0;
}

/* How far locating a tag looks through the bytes: well over any one tag. */
#define LOCATE_WINDOW ((size_t)64 * 1024)

static const char *namespaces[] = {"{urn:kith:feed:1}", "{urn:kith:patient:1}"};

/* Turns a libxml2 message into kith's style: lower-case, no namespaces in braces, no full stop. */
static void tidy_message(kith_buf *out, const char *msg)
{
	size_t i;

	kith_buf_clear(out);
	while (*msg) {
		int skipped = 0;
		for (i = 0; i < sizeof(namespaces) / sizeof(namespaces[0]); i++) {
			size_t n = strlen(namespaces[i]);
			if (strncmp(msg, namespaces[i], n) == 0) {
				msg += n;
				skipped = 1;
			}
		}
		if (!skipped && strncmp(msg, "[facet '", 8) == 0) {
			const char *end = strstr(msg, "'] ");
			if (end) {
				msg = end + 3;
				skipped = 1;
			}
		}
		if (skipped)
			continue;
		if (kith_buf_putc(out, *msg == '\n' ? ' ' : *msg) != 0)
			break;
		msg++;
	}
	kith_buf_trim(out);
	while (out->size && out->ptr[out->size - 1] == '.')
		out->ptr[--out->size] = '\0';
	if (out->size && out->ptr[0] >= 'A' && out->ptr[0] <= 'Z' &&
	    !(out->size > 1 && out->ptr[1] >= 'A' && out->ptr[1] <= 'Z'))
		out->ptr[0] = (char)(out->ptr[0] - 'A' + 'a');
	/* "attribute 'day': The value ..." reads better as one lower-case sentence */
	{
		char *p = out->ptr;
		while ((p = strstr(p, ": ")) != NULL) {
			p += 2;
			if (p[0] >= 'A' && p[0] <= 'Z' && p[1] >= 'a' && p[1] <= 'z')
				p[0] = (char)(p[0] - 'A' + 'a');
		}
	}
}

/* The quoted name after `word '` in msg ("attribute 'day'"), copied into out. */
static int quoted_after(char *out, size_t size, const char *msg, const char *word)
{
	const char *p = strstr(msg, word), *end;

	if (!p)
		return 0;
	p += strlen(word);
	if (*p != '\'')
		return 0;
	p++;
	if ((end = strchr(p, '\'')) == NULL || (size_t)(end - p) >= size)
		return 0;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	/* drop a namespace prefix in braces */
	if (out[0] == '{' && (p = strchr(out, '}')) != NULL)
		memmove(out, p + 1, strlen(p + 1) + 1);
	return 1;
}

static size_t line_offset(kith_xml *x, unsigned line);

/* 1 when nothing but white space follows line:column (libxml2 counts columns in characters). */
static int at_end_of_file(kith_xml *x, unsigned line, unsigned column)
{
	size_t i;

	if (!x->data || line == 0 || column == 0)
		return 0;
	i = line_offset(x, line);
	while (i < x->size && column > 1 && x->data[i] != '\n') {
		i++;
		while (i < x->size && ((unsigned char)x->data[i] & 0xC0) == 0x80)
			i++;
		column--;
	}
	for (; i < x->size; i++)
		if (!kith_is_space(x->data[i]))
			return 0;
	return 1;
}

/*
 * Plain sentences for the parser errors that broken or hostile files cause,
 * in place of libxml2's ("Input is not proper UTF-8, indicate encoding !",
 * "Extra content at the end of the document" for a cut-off file, limits
 * that name XML_PARSE_HUGE).  Returns 1 when out holds one.
 */
static int plain_message(kith_xml *x, const xmlError *err, unsigned line, unsigned column, kith_buf *out)
{
	const char *m = err->message ? err->message : "";
	const char *bytes = strstr(m, "Bytes: ");

	if (err->domain != XML_FROM_PARSER)
		return 0;
	if (strncmp(m, "Input is not proper UTF-8", 25) == 0) {
		if (bytes)
			kith_buf_printf(out, "the file is not valid UTF-8 (bytes %.*s): save it as UTF-8",
					(int)strcspn(bytes + 7, "\r\n"), bytes + 7);
		else
			kith_buf_puts(out, "the file is not valid UTF-8: save it as UTF-8");
		return 1;
	}
	if (strncmp(m, "Char 0x0 out of allowed range", 29) == 0) {
		kith_buf_puts(out, "a NUL byte is not allowed in an XML file");
		return 1;
	}
	if (strstr(m, "Excessive depth")) {
		x->too_large = 1;
		kith_buf_printf(out, "elements nested deeper than %d levels", KITH_XML_MAX_DEPTH);
		return 1;
	}
	if (strstr(m, "huge text node")) {
		x->too_large = 1;
		kith_buf_printf(out, "text over %d KiB in one element", KITH_XML_MAX_TEXT / 1024);
		return 1;
	}
	if (strstr(m, "AttValue length too long")) {
		x->too_large = 1;
		kith_buf_printf(out, "an attribute over %d KiB", KITH_XML_MAX_ATTR / 1024);
		return 1;
	}
	if (at_end_of_file(x, line, column)) {
		if (err->code == XML_ERR_DOCUMENT_END) {
			kith_buf_puts(out, "the file ends before its root element is closed: it looks cut off");
		} else {
			kith_buf clean = KITH_BUF_INIT;
			tidy_message(&clean, m);
			kith_buf_printf(out, "the file ends too early (%s): it looks cut off", clean.ptr);
			kith_buf_release(&clean);
		}
		return 1;
	}
	return 0;
}

static int is_name_end(char c);
static void position_of(kith_xml *x, size_t line_start, unsigned line, size_t offset, unsigned *out_line,
			unsigned *out_col);

/* 1 when a start tag `<name` or `<prefix:name` begins at byte i. */
static int tag_at(const kith_xml *x, size_t i, const char *name, size_t nlen)
{
	size_t j = i + 1, k;

	if (x->data[i] != '<')
		return 0;
	for (k = j; k < x->size && k - j < 64 && !is_name_end(x->data[k]) && x->data[k] != ':'; k++)
		;
	if (k < x->size && x->data[k] == ':')
		j = k + 1; /* a prefix */
	return j + nlen < x->size && memcmp(x->data + j, name, nlen) == 0 && is_name_end(x->data[j + nlen]);
}

/* The offset of ` attr=` inside the tag starting at tag, skipping quoted values; tag when absent. */
static size_t attr_in_tag(const kith_xml *x, size_t tag, const char *attr)
{
	size_t alen = strlen(attr), i;
	char quote = 0;

	for (i = tag; i + alen + 1 < x->size; i++) {
		char c = x->data[i];
		if (quote) {
			quote = c == quote ? 0 : quote;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (c == '>') {
			break;
		} else if (kith_is_space(c) && memcmp(x->data + i + 1, attr, alen) == 0 &&
			   (x->data[i + 1 + alen] == '=' || kith_is_space(x->data[i + 1 + alen]))) {
			return i + 1;
		}
	}
	return tag;
}

/*
 * Where a schema error is.  When libxml2 reports it, the parser stands at
 * byte off (on line line_at) inside or just past the tag of the element in
 * question, so the nearest `<name` before off is that element, exactly,
 * even when a minified feed has every group on one line.  Returns 1 and
 * sets *line and *column (of attr, when given) when it is found.
 */
static int locate_back(kith_xml *x, size_t off, unsigned line_at, const char *name, const char *attr, unsigned *line,
		       unsigned *column)
{
	const size_t window = LOCATE_WINDOW;
	size_t nlen = strlen(name), i = off < x->size ? off : x->size, start, at;
	unsigned newlines = 0;

	if (!x->data || line_at == 0 || nlen == 0)
		return 0;
	while (i > 0 && off - i < window) {
		i--;
		if (x->data[i] == '\n')
			newlines++;
		else if (tag_at(x, i, name, nlen))
			break;
	}
	if (!tag_at(x, i, name, nlen) || newlines >= line_at)
		return 0;
	for (start = i; start > 0 && x->data[start - 1] != '\n'; start--)
		;
	at = attr ? attr_in_tag(x, i, attr) : i;
	position_of(x, start, line_at - newlines, at, line, column);
	return 1;
}

static void on_libxml_error(void *arg, xmlErrorPtr err)
{
	kith_xml *x = arg;
	kith_buf msg = KITH_BUF_INIT;
	unsigned line = err->line > 0 ? (unsigned)err->line : 0;
	unsigned column = err->int2 > 0 ? (unsigned)err->int2 : 0;
	kith_severity sev = err->level == XML_ERR_WARNING ? KITH_DIAG_WARNING : KITH_DIAG_ERROR;

	if (err->domain == XML_FROM_SCHEMASV) {
		char elem[128], attr[128];
		long off = !err->node && x->reader ? xmlTextReaderByteConsumed(x->reader) : -1;
		if (err->node)
			line = kith_xml_line(err->node);
		if (quoted_after(elem, sizeof(elem), err->message ? err->message : "", "Element ") && line) {
			const char *a = quoted_after(attr, sizeof(attr), err->message, "attribute ") ? attr : NULL;
			if (off < 0 || !locate_back(x, (size_t)off, line, elem, a, &line, &column))
				kith_xml_locate(x, &line, &column, elem, a);
		}
	}
	if (!plain_message(x, err, line, column, &msg))
		tidy_message(&msg, err->message ? err->message : "unknown xml error");
	if (message_shown(x))
		kith_diag_add(x->diags, sev, x->path, line, column, "%s", msg.ptr);
	else
		x->hidden[sev == KITH_DIAG_ERROR ? 0 : 1]++;
	if (sev == KITH_DIAG_ERROR)
		x->errors++;
	kith_buf_release(&msg);
}

/* libxml2's unstructured messages (internal notes such as "Unimplemented block") stay off stderr. */
static void ignore_generic(void *arg, const char *msg, ...)
{
	(void)arg;
	(void)msg;
}

/*
 * Routes the thread's libxml2 errors to x while it is open.  The reader's
 * own xmlTextReaderSetStructuredErrorHandler cannot be used: once a schema
 * is attached, libxml2 (2.9) hands parser errors to it with the schema
 * plug's data in place of the parser context, so well-formedness errors
 * (bad UTF-8, truncation, depth) were lost or read through a wrong pointer.
 * The global handlers are per thread, and are put back by kith_xml_free().
 */
static void set_handlers(kith_xml *x)
{
	x->saved_serror = xmlStructuredError;
	x->saved_serror_ctx = xmlStructuredErrorContext;
	x->saved_error = xmlGenericError;
	x->saved_error_ctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(x, on_libxml_error);
	xmlSetGenericErrorFunc(x, ignore_generic);
	x->handlers_set = 1;
}

static void restore_handlers(kith_xml *x)
{
	if (!x->handlers_set)
		return;
	xmlSetStructuredErrorFunc(x->saved_serror_ctx, x->saved_serror);
	xmlSetGenericErrorFunc(x->saved_error_ctx, x->saved_error);
	x->handlers_set = 0;
}

static int refuse(kith_xml *x, int code, unsigned line, unsigned column, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static int refuse(kith_xml *x, int code, unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kith_diag_vadd(x->diags, KITH_DIAG_ERROR, x->path, line, column, fmt, ap);
	va_end(ap);
	x->errors++;
	x->failed = 1;
	x->too_large |= code == KITH_ETOOLARGE;
	return code;
}

/*
 * Refuses a DOCTYPE in the prolog before libxml2 parses it: the reader
 * reads ahead of the node it reports, so an internal subset's entities
 * (a billion laughs in an attribute, say) would be expanded before the
 * DOCTYPE node ever came up.  p points after any BOM and white space.
 */
static int refuse_doctype(kith_xml *x, const char *p, const char *what)
{
	const char *end = x->data + x->size, *close;
	unsigned line, column;

	while (p < end) {
		if (end - p >= 2 && memcmp(p, "<?", 2) == 0)
			close = kith_find(p + 2, end, "?>");
		else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0)
			close = kith_find(p + 4, end, "-->");
		else if (kith_is_space(*p))
			close = p;
		else
			break;
		if (!close)
			return 0; /* unterminated: the parser says so */
		p = close + (*close == '-' ? 3 : *close == '?' ? 2 : 1);
	}
	if (end - p < 9 || memcmp(p, "<!DOCTYPE", 9) != 0)
		return 0;
	position_of(x, 0, 1, (size_t)(p - x->data), &line, &column);
	if (end - p >= 14 && kith_is_space(p[9]) && strncasecmp(p + 10, "html", 4) == 0 &&
	    (end - p == 14 || kith_is_space(p[14]) || p[14] == '>'))
		return refuse(x, KITH_EINVALID, line, column, "this looks like HTML, not XML: expected a %s", what);
	return refuse(x, KITH_EINVALID, line, column,
		      "document type declarations (<!DOCTYPE>) are not allowed: kith files use no DTD and "
		      "no entities");
}

/*
 * Refuses an element with more than KITH_XML_MAX_ATTRIBUTES attributes
 * before libxml2 parses it (its time grows with their square).  One pass
 * over the bytes: comments, CDATA and processing instructions skipped, '='
 * counted inside start tags outside quoted values.
 */
static int refuse_attribute_flood(kith_xml *x, const char *what)
{
	const char *d = x->data, *end = x->data + x->size, *close;
	size_t i, tag_start = 0, attrs = 0;
	unsigned line, column;
	int in_tag = 0;
	char quote = 0;

	for (i = 0; i < x->size; i++) {
		char c = d[i];
		if (in_tag) {
			if (quote)
				quote = c == quote ? 0 : quote;
			else if (c == '"' || c == '\'')
				quote = c;
			else if (c == '>')
				in_tag = 0;
			else if (c == '=' && ++attrs > KITH_XML_MAX_ATTRIBUTES)
				break;
			continue;
		}
		if (c != '<')
			continue;
		close = NULL;
		if (x->size - i >= 4 && memcmp(d + i, "<!--", 4) == 0)
			close = kith_find(d + i + 4, end, "-->");
		else if (x->size - i >= 9 && memcmp(d + i, "<![CDATA[", 9) == 0)
			close = kith_find(d + i + 9, end, "]]>");
		else if (x->size - i >= 2 && d[i + 1] == '?')
			close = kith_find(d + i + 2, end, "?>");
		else {
			in_tag = 1;
			attrs = 0;
			tag_start = i;
			continue;
		}
		if (!close)
			return 0; /* unterminated: the parser says so */
		i = (size_t)(close - d);
	}
	if (attrs <= KITH_XML_MAX_ATTRIBUTES)
		return 0;
	position_of(x, 0, 1, tag_start, &line, &column);
	return refuse(x, KITH_ETOOLARGE, line, column, "an element with over %d attributes: no %s has so many",
		      KITH_XML_MAX_ATTRIBUTES, what);
}

/* Plain-sentence checks on the raw bytes, before libxml2 sees them. */
static int precheck(kith_xml *x, const char *what)
{
	const char *p, *end;
	int error;

	/* an empty file may be mapped as no memory at all (NULL): no pointer sums with it */
	if (x->size == 0 || !x->data)
		return refuse(x, KITH_EINVALID, 0, 0, "empty file, expected a %s", what);
	p = x->data;
	end = x->data + x->size;
	if (x->size >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end && kith_is_space(*p))
		p++;
	if (p == end)
		return refuse(x, KITH_EINVALID, 0, 0, "empty file, expected a %s", what);
	if (*p == '{' || *p == '[')
		return refuse(x, KITH_EINVALID, 1, 1, "this looks like JSON, not XML: expected a %s%s", what,
			      strstr(what, "feed")
				      ? " (Open Referral and OpenActive JSON are read by kith import, or kith "
					"index --from)"
				      : "");
	if (*p != '<')
		return refuse(x, KITH_EINVALID, 1, 1, "not an XML file: expected '<' at the start of a %s", what);
	if ((error = refuse_doctype(x, p, what)) != 0)
		return error;
	return refuse_attribute_flood(x, what);
}

/*
 * libxml2 must be initialised once before threads use it, and its own
 * initialisation is not safe to race (xmlInitParser's documentation).  The
 * once-flag is the library's one static that changes: it is set, never
 * read back as state, and guarded by pthread_once itself.
 */
static pthread_once_t libxml2_ready = PTHREAD_ONCE_INIT;

static void init_libxml2(void)
{
	xmlInitParser();
}

/* Everything after the bytes are in x: the checks on them, the schema, the reader. */
static int start(kith_xml *x, const char *what, const char *xsd_text)
{
	xmlSchemaParserCtxtPtr sctx = NULL;
	/* not XML_PARSE_NOCDATA: with a schema attached, libxml2 (2.9) then drops CDATA text */
	const int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES;
	int error = 0;

	if ((error = precheck(x, what)) != 0)
		return error;
	set_handlers(x);
	sctx = xmlSchemaNewMemParserCtxt(xsd_text, (int)strlen(xsd_text));
	if (!sctx || (x->schema = xmlSchemaParse(sctx)) == NULL) {
		error = refuse(x, KITH_ERROR, 0, 0, "internal error: the built-in schema does not compile");
		goto cleanup;
	}
	if ((x->reader = xmlReaderForMemory(x->data, (int)x->size, x->path, "UTF-8", options)) == NULL) {
		error = KITH_ENOMEM;
		goto cleanup;
	}
	if (xmlTextReaderSetSchema(x->reader, x->schema) != 0)
		error = refuse(x, KITH_ERROR, 0, 0, "internal error: cannot attach the schema");

cleanup:
	xmlSchemaFreeParserCtxt(sctx);
	return error;
}

static kith_xml *xml_new(const char *path, kith_diag_list *diags)
{
	kith_xml *x;

	pthread_once(&libxml2_ready, init_libxml2);
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	x->path = path;
	x->diags = diags;
	x->cursor_line = 1;
	return x;
}

int kith_xml_open(kith_xml **out, const char *path, const char *what, const char *xsd_text, kith_diag_list *diags)
{
	kith_xml *x = xml_new(path, diags);
	struct stat st;
	int fd = -1, error = 0;

	*out = NULL;
	if (!x)
		return KITH_ENOMEM;
	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &st) != 0) {
		error = refuse(x, KITH_EIO, 0, 0, "cannot read file: %s", strerror(errno));
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		error = refuse(x, KITH_EIO, 0, 0, "not a regular file");
		goto cleanup;
	}
	if ((unsigned long long)st.st_size > (unsigned long long)INT_MAX) {
		error = refuse(x, KITH_ETOOLARGE, 0, 0, "file is over 2 GiB: split the feed");
		goto cleanup;
	}
	x->size = (size_t)st.st_size;
	if (x->size) {
		void *m = mmap(NULL, x->size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			error = refuse(x, KITH_EIO, 0, 0, "cannot map file: %s", strerror(errno));
			goto cleanup;
		}
		x->data = m;
		x->mapped = 1;
	}
	error = start(x, what, xsd_text);

cleanup:
	if (fd >= 0)
		close(fd);
	if (error) {
		kith_xml_free(x);
		return error;
	}
	*out = x;
	return 0;
}

int kith_xml_open_memory(kith_xml **out, const char *name, const char *data, size_t size, const char *what,
			 const char *xsd_text, kith_diag_list *diags)
{
	kith_xml *x = xml_new(name, diags);
	int error;

	*out = NULL;
	if (!x)
		return KITH_ENOMEM;
	if (size > (size_t)INT_MAX) {
		error = refuse(x, KITH_ETOOLARGE, 0, 0, "over 2 GiB");
	} else {
		x->data = data;
		x->size = size;
		error = start(x, what, xsd_text);
	}
	if (error) {
		kith_xml_free(x);
		return error;
	}
	*out = x;
	return 0;
}

void kith_xml_free(kith_xml *x)
{
	if (!x)
		return;
	if (x->messages > KITH_XML_MAX_MESSAGES && !x->every_message)
		kith_diag_add(x->diags, x->errors ? KITH_DIAG_ERROR : KITH_DIAG_WARNING, x->path, 0, 0,
			      "... and %zu more problems in this file, not shown (kith check lists them all)",
			      x->messages - KITH_XML_MAX_MESSAGES);
	if (x->reader)
		xmlFreeTextReader(x->reader);
	if (x->schema)
		xmlSchemaFree(x->schema);
	restore_handlers(x);
	if (x->mapped)
		munmap((void *)x->data, x->size);
	free(x);
}

xmlTextReaderPtr kith_xml_reader(kith_xml *x)
{
	return x->reader;
}

size_t kith_xml_errors(const kith_xml *x)
{
	return x->errors;
}

void kith_xml_forgive(kith_xml *x, size_t n)
{
	x->errors -= n < x->errors ? n : x->errors;
}

const char *kith_xml_bytes(const kith_xml *x, size_t *size)
{
	*size = x->size;
	return x->data;
}

const char *kith_xml_path(const kith_xml *x)
{
	return x->path;
}

kith_diag_list *kith_xml_diags(kith_xml *x)
{
	return x->diags;
}

unsigned kith_xml_line(const xmlNode *node)
{
	long line = xmlGetLineNo(node);

	return line > 0 ? (unsigned)line : 0;
}

/* Checks the safety limits on the node the reader stands on. */
static int check_limits(kith_xml *x)
{
	xmlTextReaderPtr r = x->reader;
	int type = xmlTextReaderNodeType(r);
	xmlNodePtr node = xmlTextReaderCurrentNode(r);
	unsigned line = node ? kith_xml_line(node) : 0;

	if (type == XML_READER_TYPE_DOCUMENT_TYPE)
		return refuse(x, KITH_EINVALID, line, 1,
			      "document type declarations (<!DOCTYPE>) are not allowed: kith files use no "
			      "DTD and no entities");
	if (type == XML_READER_TYPE_ENTITY_REFERENCE)
		return refuse(x, KITH_EINVALID, line, 1, "entity references are not allowed");
	if (xmlTextReaderDepth(r) > KITH_XML_MAX_DEPTH)
		return refuse(x, KITH_ETOOLARGE, line, 1, "elements nested deeper than %d levels", KITH_XML_MAX_DEPTH);
	if (type == XML_READER_TYPE_TEXT || type == XML_READER_TYPE_CDATA ||
	    type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
		const xmlChar *v = xmlTextReaderConstValue(r);
		if (v && strlen((const char *)v) > KITH_XML_MAX_TEXT)
			return refuse(x, KITH_ETOOLARGE, line, 1, "text over %d KiB in one element",
				      KITH_XML_MAX_TEXT / 1024);
	}
	if (type == XML_READER_TYPE_ELEMENT && node) {
		xmlAttrPtr a;
		for (a = node->properties; a; a = a->next) {
			const xmlNode *t;
			size_t len = 0;
			for (t = a->children; t; t = t->next)
				len += t->content ? strlen((const char *)t->content) : 0;
			if (len > KITH_XML_MAX_ATTR) {
				unsigned col;
				kith_xml_locate(x, &line, &col, (const char *)node->name, (const char *)a->name);
				return refuse(x, KITH_ETOOLARGE, line, col, "attribute '%s' over %d KiB", a->name,
					      KITH_XML_MAX_ATTR / 1024);
			}
		}
	}
	return 0;
}

int kith_xml_next(kith_xml *x)
{
	int ret, error;

	if (x->failed || x->too_large) /* over one of libxml2's limits, the parser has stopped */
		return x->too_large ? KITH_ETOOLARGE : KITH_EINVALID;
	ret = xmlTextReaderRead(x->reader);
	if (ret < 0) {
		x->failed = 1;
		if (!x->errors)
			refuse(x, KITH_EINVALID, 0, 0, "the file is not well-formed XML");
		return x->too_large ? KITH_ETOOLARGE : KITH_EINVALID;
	}
	if (ret == 0)
		return 0;
	if ((error = check_limits(x)) != 0)
		return error;
	return 1;
}

/* Offset of the start of line (1-based), or size when past the end. */
static size_t line_offset(kith_xml *x, unsigned line)
{
	if (line < x->cursor_line / 2) {
		x->cursor_line = 1;
		x->cursor_offset = 0;
	}
	/* locate() looks a few lines back: step back from the cursor rather than rescan from the top */
	while (line < x->cursor_line && x->cursor_line > 1) {
		size_t i = x->cursor_offset - 1; /* the newline that ends the line before */
		while (i > 0 && x->data[i - 1] != '\n')
			i--;
		x->cursor_offset = i;
		x->cursor_line--;
	}
	while (x->cursor_line < line) {
		const char *nl = memchr(x->data + x->cursor_offset, '\n', x->size - x->cursor_offset);
		if (!nl)
			return x->size; /* past the last line; the cursor stays on it */
		x->cursor_offset = (size_t)(nl - x->data) + 1;
		x->cursor_line++;
	}
	return x->cursor_offset;
}

/* Line and column (in characters, from 1) of offset, counting from a known line start. */
static void position_of(kith_xml *x, size_t line_start, unsigned line, size_t offset, unsigned *out_line,
			unsigned *out_col)
{
	size_t i;
	unsigned col = 1;

	for (i = line_start; i < offset; i++) {
		if (x->data[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)x->data[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	*out_line = line;
	*out_col = col;
}

static int is_name_end(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '>';
}

void kith_xml_locate(kith_xml *x, unsigned *line, unsigned *column, const char *name, const char *attr)
{
	const unsigned back = 4;
	unsigned first = *line > back ? *line - back : 1;
	size_t from, to, nlen = strlen(name), i, tag = (size_t)-1;

	*column = 1;
	if (!x->data || *line == 0)
		return;
	from = line_offset(x, first);
	to = line_offset(x, *line + 1);
	if (to - from > LOCATE_WINDOW)
		return; /* very long lines (a minified feed): the last `<name` would be a guess, and slow */
	/* the last `<name` that starts before the end of the node's line */
	for (i = from; i + nlen + 1 < to; i++)
		if (tag_at(x, i, name, nlen))
			tag = i;
	if (tag == (size_t)-1)
		return;
	position_of(x, from, first, attr ? attr_in_tag(x, tag, attr) : tag, line, column);
}

void kith_xml_report(kith_xml *x, kith_severity severity, const xmlNode *node, const char *attr, const char *fmt, ...)
{
	unsigned line = node ? kith_xml_line(node) : 0, column = 0;
	va_list ap;

	if (node && line)
		kith_xml_locate(x, &line, &column, (const char *)node->name, attr);
	if (message_shown(x)) {
		va_start(ap, fmt);
		kith_diag_vadd(x->diags, severity, x->path, line, column, fmt, ap);
		va_end(ap);
	} else {
		x->hidden[severity == KITH_DIAG_ERROR ? 0 : 1]++;
	}
	if (severity == KITH_DIAG_ERROR)
		x->errors++;
}
