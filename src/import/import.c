/*
 * The import core (import_int.h): runs a format's reader over each input,
 * turns each mapped record into a valid group of one kith feed, and keeps
 * the report.  The feed is built in memory and written out only when
 * every input was read, so a broken file imports nothing.
 */
#include "import/import_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feed/feed_write.h"
#include "model/area.h"
#include "model/schedule.h"
#include "text/vocab.h"

#define MAX_WARNINGS 200 /* printed for one import; the count goes on in the report */

typedef int (*reader_fn)(importer *im, const char *path);
typedef int (*end_fn)(importer *im, int error);

static const struct {
	const char *name;
	reader_fn read;
	end_fn end; /* NULL: each input is read whole by itself */
} formats[KITH_IMPORT_FORMAT_COUNT] = {
	{"oruk", kith_import_oruk, NULL},
	{"hsds", kith_import_hsds, NULL},
	{"openactive", kith_import_openactive, kith_import_openactive_end},
	{"airs", kith_import_airs, NULL},
};

int kith_import_format_from_name(const char *name, kith_import_format *out)
{
	int i;

	for (i = 0; name && i < KITH_IMPORT_FORMAT_COUNT; i++)
		if (strcmp(name, formats[i].name) == 0) {
			*out = (kith_import_format)i;
			return 0;
		}
	return KITH_EINVALID;
}

const char *kith_import_format_name(kith_import_format format)
{
	return (unsigned)format < KITH_IMPORT_FORMAT_COUNT ? formats[format].name : NULL;
}

static void vdiag(importer *im, kith_severity sev, unsigned line, unsigned column, const char *fmt, va_list ap)
{
	if (im->diags)
		kith_diag_vadd(im->diags, sev, im->path, line, column, fmt, ap);
}

void kith_import_skip(importer *im, unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;

	im->report->skipped++;
	if (im->warnings++ < MAX_WARNINGS) {
		va_start(ap, fmt);
		vdiag(im, KITH_DIAG_WARNING, line, column, fmt, ap);
		va_end(ap);
	}
	kith_arena_reset(&im->arena);
}

void kith_import_warn(importer *im, unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;

	if (im->warnings++ >= MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vdiag(im, KITH_DIAG_WARNING, line, column, fmt, ap);
	va_end(ap);
}

int kith_import_fail(importer *im, int code, unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdiag(im, KITH_DIAG_ERROR, line, column, fmt, ap);
	va_end(ap);
	return code;
}

/* source_id as a group id ([A-Za-z0-9][A-Za-z0-9._-]*), unique in the feed, in the arena; NULL on ENOMEM. */
static const char *group_id(importer *im, const char *source_id)
{
	char base[121], id[140];
	size_t i, n = 0;
	int k, added;

	for (i = 0; source_id && source_id[i] && n < sizeof(base) - 1; i++) {
		unsigned char c = (unsigned char)source_id[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 (n > 0 && (c == '.' || c == '_' || c == '-'));
		if (ok)
			base[n++] = (char)c;
		else if (n > 0 && base[n - 1] != '-')
			base[n++] = '-';
	}
	while (n > 0 && base[n - 1] == '-')
		n--;
	base[n] = '\0';
	if (n == 0)
		snprintf(base, sizeof(base), "record");
	snprintf(id, sizeof(id), "%s", base);
	for (k = 2;; k++) {
		if ((added = kith_strset_add(&im->ids, id, 0, NULL)) < 0)
			return NULL;
		if (added == 1)
			break;
		snprintf(id, sizeof(id), "%s-%d", base, k);
	}
	return kith_arena_strdup(&im->arena, id);
}

/* Keeps the ids of list that are in the vocabulary of kind. */
static void keep_vocabulary(kith_strlist *list, kith_vocab_kind kind)
{
	size_t i, n = 0;

	for (i = 0; i < list->count; i++)
		if (kith_vocab_find(kind, list->items[i]))
			list->items[n++] = list->items[i];
	list->count = n;
}

/* Cuts text to at most max bytes, at a character boundary, in the arena. */
static const char *cut(importer *im, const char *text, size_t max)
{
	size_t n;
	char *s;

	if (!text || strlen(text) <= max)
		return text;
	n = max;
	while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
		n--;
	if ((s = kith_arena_alloc(&im->arena, n + 4)) == NULL)
		return NULL;
	memcpy(s, text, n);
	memcpy(s + n, "\xE2\x80\xA6", 4); /* an ellipsis says it was cut */
	return s;
}

static int blank(const char *s)
{
	if (!s)
		return 1;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return 0;
	return 1;
}

static void count(importer *im, const kith_group *g)
{
	kith_import_report *r = im->report;
	size_t i;
	int placed = g->online || g->home_visits, f;

	for (i = 0; i < g->venue_count; i++)
		placed |= g->venues[i].point.known || g->venues[i].postcode != NULL;
	if (placed)
		r->placed++;
	else if (g->area || im->opts->area)
		r->area_only++;
	else
		r->no_place++;
	if (g->session_count || g->by_appointment)
		r->scheduled++;
	if (g->min_age >= 0 || g->max_age >= 0 || g->gender != KITH_GENDER_ANY || g->referral_professional ||
	    g->requires.count)
		r->eligibility++;
	for (f = 0; f < KITH_ACCESS_COUNT; f++)
		if (g->access[f] != KITH_TRI_UNKNOWN) {
			r->access++;
			break;
		}
	r->written++;
}

int kith_import_emit(importer *im, kith_group *g, const char *source_id, unsigned line, unsigned column)
{
	size_t i, n = 0;

	if (im->arena.failed) /* a piece of the record could not be kept: writing what is left would be wrong */
		return KITH_ENOMEM;
	if (blank(g->name)) {
		kith_import_skip(im, line, column, "record '%s' has no name: left out", source_id ? source_id : "?");
		return 0;
	}
	if ((g->id = group_id(im, source_id)) == NULL)
		return KITH_ENOMEM;
	if (g->description && (g->description = cut(im, g->description, KITH_IMPORT_MAX_TEXT)) == NULL)
		return KITH_ENOMEM;
	if (blank(g->description))
		g->description = NULL;
	keep_vocabulary(&g->needs, KITH_VOCAB_NEED);
	keep_vocabulary(&g->activities, KITH_VOCAB_ACTIVITY);
	keep_vocabulary(&g->requires, KITH_VOCAB_CIRCUMSTANCE);
	for (i = 0; i < g->session_count; i++)
		if (g->sessions[i].end > g->sessions[i].start && g->sessions[i].day >= 0 && g->sessions[i].day < 7)
			g->sessions[n++] = g->sessions[i];
	g->session_count = n;
	if (g->starts && g->ends && strcmp(g->starts, g->ends) > 0)
		g->starts = g->ends = NULL; /* a course that ends before it starts: its dates are wrong */
	if (g->home_visits && g->home_radius_km <= 0)
		g->home_visits = 0;
	count(im, g);
	kith_feed_write_group(&im->out, g);
	kith_arena_reset(&im->arena);
	return kith_buf_error(&im->out);
}

/* 1 when id is a feed id the format allows: [a-z0-9][a-z0-9-]*, as schemas/feed.xsd says. */
static int feed_id_ok(const char *id)
{
	size_t i;

	for (i = 0; id[i]; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || (i > 0 && id[i] == '-')))
			return 0;
	return i > 0;
}

static void init_group(kith_group *g)
{
	memset(g, 0, sizeof(*g));
	g->min_age = g->max_age = -1;
	g->capacity = KITH_CAPACITY_UNKNOWN;
}

/* A group with nothing known, for a reader to fill (min_age -1, capacity unknown ...). */
void kith_import_group_init(kith_group *g)
{
	init_group(g);
}

int kith_import(kith_import_format format, const char *const *inputs, size_t input_count, const kith_import_opts *opts,
		FILE *out, kith_import_report *report, kith_diag_list *diags)
{
	importer im;
	kith_import_report local;
	kith_feed_info info;
	char area[4096], bad[16], generated[32];
	time_t now = time(NULL);
	struct tm tm;
	size_t i;
	int error = 0;

	memset(&im, 0, sizeof(im));
	memset(&local, 0, sizeof(local));
	memset(&info, 0, sizeof(info));
	im.opts = opts;
	im.diags = diags;
	im.report = report ? report : &local;
	memset(im.report, 0, sizeof(*im.report));
	kith_buf_init(&im.out, KITH_IMPORT_MAX_FEED);
	if ((unsigned)format >= KITH_IMPORT_FORMAT_COUNT || !opts || !opts->feed_id)
		return KITH_EINVALID;
	if (!feed_id_ok(opts->feed_id)) {
		im.path = "--feed-id";
		error = kith_import_fail(
			&im, KITH_EINVALID, 0, 0,
			"'%s' is not a feed id: lower-case letters, digits and '-', starting with a letter "
			"or digit (\"bristol-council\")",
			opts->feed_id);
		goto cleanup;
	}
	info.id = opts->feed_id;
	info.publisher = opts->publisher;
	info.delta = opts->delta;
	if (opts->area && *opts->area) {
		if ((error = kith_area_normalize(opts->area, area, sizeof(area), bad)) != 0) {
			im.path = "--area";
			error = kith_import_fail(&im, KITH_EINVALID, 0, 0,
						 "area '%s': '%s' is no postcode area or district", opts->area, bad);
			goto cleanup;
		}
		info.area = area;
	}
	gmtime_r(&now, &tm);
	strftime(generated, sizeof(generated), "%Y-%m-%dT%H:%M:%SZ", &tm);
	info.generated = generated;
	kith_feed_write_header(&im.out, &info);
	for (i = 0; i < input_count; i++) {
		im.path = inputs[i];
		if ((error = formats[format].read(&im, inputs[i])) != 0)
			goto cleanup;
		if ((error = kith_buf_error(&im.out)) != 0)
			goto cleanup;
	}
	if (formats[format].end && (error = formats[format].end(&im, 0)) != 0)
		goto cleanup;
	kith_feed_write_footer(&im.out);
	if ((error = kith_buf_error(&im.out)) != 0)
		goto cleanup;
	if (fwrite(im.out.ptr, 1, im.out.size, out) != im.out.size || fflush(out) != 0) {
		im.path = "output";
		error = kith_import_fail(&im, KITH_EIO, 0, 0, "the feed could not be written");
	}
cleanup:
	if (error && formats[format].end)
		formats[format].end(&im, error); /* lets go of what the reader kept */
	kith_import_release(&im);
	return error;
}

void kith_import_release(importer *im)
{
	size_t i;

	kith_buf_release(&im->out);
	kith_arena_release(&im->arena);
	kith_strset_release(&im->ids);
	kith_strset_release(&im->taxonomy);
	for (i = 0; i < im->taxonomy_count; i++)
		free(im->taxonomy_ids[i]);
	free(im->taxonomy_ids);
	im->taxonomy_ids = NULL;
	im->taxonomy_count = 0;
}
