/*
 * Writing a kith feed (feed_write.h).  Errors stick to the buffer
 * (kith_buf_error), checked once by whoever finishes it.
 */
#include "feed/feed_write.h"

#include <stdio.h>
#include <string.h>

#include "model/names.h"
#include "model/schedule.h"

/* The length of the UTF-8 sequence at s that XML 1.0 allows, or 0. */
static size_t xml_char(const unsigned char *s)
{
	unsigned c;
	size_t n, i;

	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' ? 1 : 0;
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		c = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		c = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	/* overlong forms, surrogates, U+FFFE/U+FFFF and beyond U+10FFFF */
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || (c >= 0xD800 && c <= 0xDFFF) ||
	    c == 0xFFFE || c == 0xFFFF || c > 0x10FFFF)
		return 0;
	return n;
}

void kith_feed_write_text(kith_buf *out, const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	while (s && *s) {
		size_t n = xml_char(s);
		if (n == 0) {
			kith_buf_puts(out, "\xEF\xBF\xBD");
			s++;
			continue;
		}
		switch (*s) {
		case '&': kith_buf_puts(out, "&amp;"); break;
		case '<': kith_buf_puts(out, "&lt;"); break;
		case '>': kith_buf_puts(out, "&gt;"); break;
		case '"': kith_buf_puts(out, "&quot;"); break;
		case '\r': kith_buf_puts(out, "&#13;"); break;
		default: kith_buf_put(out, (const char *)s, n);
		}
		s += n;
	}
}

/* name="value", escaped, when value is set. */
static void attr(kith_buf *out, const char *name, const char *value)
{
	if (!value)
		return;
	kith_buf_printf(out, " %s=\"", name);
	kith_feed_write_text(out, value);
	kith_buf_putc(out, '"');
}

/* <name>text</name> on its own line, when text is set. */
static void element(kith_buf *out, const char *indent, const char *name, const char *text)
{
	if (!text)
		return;
	kith_buf_printf(out, "%s<%s>", indent, name);
	kith_feed_write_text(out, text);
	kith_buf_printf(out, "</%s>\n", name);
}

static void point(kith_buf *out, const char *indent, const kith_point *p)
{
	kith_buf_printf(out, "%s<point lat=\"%.6f\" lon=\"%.6f\"/>\n", indent, p->lat, p->lon);
}

static void list(kith_buf *out, const char *outer, const char *inner, const kith_strlist *l)
{
	size_t i;

	if (!l->count)
		return;
	kith_buf_printf(out, "    <%s>", outer);
	for (i = 0; i < l->count; i++) {
		kith_buf_printf(out, "<%s>", inner);
		kith_feed_write_text(out, l->items[i]);
		kith_buf_printf(out, "</%s>", inner);
	}
	kith_buf_printf(out, "</%s>\n", outer);
}

void kith_feed_write_header(kith_buf *out, const kith_feed_info *info)
{
	kith_buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"urn:kith:feed:1\"");
	attr(out, "id", info->id);
	kith_buf_puts(out, " version=\"1\"");
	attr(out, "publisher", info->publisher);
	attr(out, "generated", info->generated);
	attr(out, "area", info->area);
	kith_buf_printf(out, " mode=\"%s\">\n", info->delta ? "delta" : "full");
}

void kith_feed_write_footer(kith_buf *out)
{
	kith_buf_puts(out, "</feed>\n");
}

static void venues(kith_buf *out, const kith_group *g)
{
	size_t i;

	for (i = 0; i < g->venue_count; i++) {
		const kith_venue *v = &g->venues[i];
		kith_buf_puts(out, "    <venue>\n");
		element(out, "      ", "address", v->address);
		element(out, "      ", "postcode", v->postcode);
		if (v->point.known && !v->placed_by_postcode)
			point(out, "      ", &v->point);
		kith_buf_puts(out, "    </venue>\n");
	}
	if (g->online) {
		kith_buf_puts(out, "    <online");
		attr(out, "how", g->online_how);
		kith_buf_puts(out, "/>\n");
	}
	if (g->home_visits) {
		kith_buf_puts(out, "    <home-visits radius-km=\"");
		kith_buf_put_fixed(out, g->home_radius_km, 1);
		if (g->home_point.known) {
			kith_buf_puts(out, "\">\n");
			point(out, "      ", &g->home_point);
			kith_buf_puts(out, "    </home-visits>\n");
		} else {
			kith_buf_puts(out, "\"/>\n");
		}
	}
	element(out, "    ", "area-served", g->area);
}

static void schedule(kith_buf *out, const kith_group *g)
{
	size_t i;

	if (!g->schedule_known && !g->session_count && !g->by_appointment && !g->starts && !g->ends)
		return;
	kith_buf_puts(out, "    <schedule");
	attr(out, "starts", g->starts);
	attr(out, "ends", g->ends);
	kith_buf_puts(out, ">\n");
	for (i = 0; i < g->session_count; i++) {
		const kith_session *s = &g->sessions[i];
		int w;
		kith_buf_printf(out, "      <session day=\"%s\" start=\"%02d:%02d\" end=\"%02d:%02d\"",
				kith_day_name(s->day), s->start / 60, s->start % 60, s->end / 60, s->end % 60);
		if (s->weeks) {
			const char *sep = "";
			kith_buf_puts(out, " weeks=\"");
			for (w = 1; w <= 5; w++)
				if (s->weeks & KITH_WEEK(w)) {
					kith_buf_printf(out, "%s%d", sep, w);
					sep = " ";
				}
			if (s->weeks & KITH_WEEK_LAST)
				kith_buf_printf(out, "%slast", sep);
			kith_buf_putc(out, '"');
		}
		kith_buf_puts(out, "/>\n");
	}
	if (g->by_appointment)
		kith_buf_puts(out, "      <by-appointment/>\n");
	kith_buf_puts(out, "    </schedule>\n");
}

static void access(kith_buf *out, const kith_group *g)
{
	int f, any = 0;

	for (f = 0; f < KITH_ACCESS_COUNT; f++)
		any |= g->access[f] != KITH_TRI_UNKNOWN;
	if (!any)
		return;
	kith_buf_puts(out, "    <access");
	for (f = 0; f < KITH_ACCESS_COUNT; f++)
		if (g->access[f] != KITH_TRI_UNKNOWN)
			attr(out, kith_access_name(f), g->access[f] == KITH_TRI_YES ? "yes" : "no");
	kith_buf_puts(out, "/>\n");
}

static void eligibility(kith_buf *out, const kith_group *g)
{
	size_t i;

	if (g->min_age < 0 && g->max_age < 0 && g->gender == KITH_GENDER_ANY && !g->referral_professional &&
	    !g->requires.count)
		return;
	kith_buf_puts(out, "    <eligibility");
	if (g->min_age >= 0)
		kith_buf_printf(out, " min-age=\"%d\"", g->min_age);
	if (g->max_age >= 0)
		kith_buf_printf(out, " max-age=\"%d\"", g->max_age);
	if (g->gender == KITH_GENDER_FEMALE || g->gender == KITH_GENDER_MALE)
		attr(out, "gender", kith_gender_name(g->gender));
	if (g->referral_professional)
		kith_buf_puts(out, " referral=\"professional\"");
	if (!g->requires.count) {
		kith_buf_puts(out, "/>\n");
		return;
	}
	kith_buf_puts(out, ">");
	for (i = 0; i < g->requires.count; i++) {
		kith_buf_puts(out, "<requires>");
		kith_feed_write_text(out, g->requires.items[i]);
		kith_buf_puts(out, "</requires>");
	}
	kith_buf_puts(out, "</eligibility>\n");
}

static void cost_and_more(kith_buf *out, const kith_group *g)
{
	size_t i;

	if (g->cost_known) {
		kith_buf_puts(out, "    <cost");
		if (g->cost_free) {
			kith_buf_puts(out, " free=\"yes\"");
		} else if (g->cost_amount >= 0) {
			kith_buf_puts(out, " amount=\"");
			kith_buf_put_fixed(out, g->cost_amount, 2);
			kith_buf_printf(out, "\" per=\"%s\"", kith_cost_per_name(g->cost_per));
		}
		kith_buf_puts(out, "/>\n");
	}
	if (g->capacity != KITH_CAPACITY_UNKNOWN)
		kith_buf_printf(out, "    <capacity status=\"%s\"/>\n", kith_capacity_name(g->capacity));
	if (g->languages.count) {
		kith_buf_puts(out, "    <languages>");
		for (i = 0; i < g->languages.count; i++)
			kith_buf_printf(out, "%s%s", i ? " " : "", g->languages.items[i]);
		kith_buf_puts(out, "</languages>\n");
	}
	if (g->phone || g->email || g->web) {
		kith_buf_puts(out, "    <contact");
		attr(out, "phone", g->phone);
		attr(out, "email", g->email);
		attr(out, "web", g->web);
		kith_buf_puts(out, "/>\n");
	}
}

void kith_feed_write_group(kith_buf *out, const kith_group *g)
{
	kith_buf_puts(out, "  <group");
	attr(out, "id", g->id);
	attr(out, "updated", g->updated);
	kith_buf_puts(out, ">\n");
	element(out, "    ", "name", g->name);
	element(out, "    ", "organisation", g->organisation);
	element(out, "    ", "description", g->description);
	list(out, "needs", "need", &g->needs);
	list(out, "activities", "activity", &g->activities);
	venues(out, g);
	schedule(out, g);
	access(out, g);
	eligibility(out, g);
	cost_and_more(out, g);
	kith_buf_puts(out, "  </group>\n");
}
