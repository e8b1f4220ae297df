/*
 * The results page's map as inline SVG.  Everything is placed around home on
 * a flat (equirectangular) projection, which is accurate enough over the few
 * kilometres a person travels to a group, and scaled so that the travel limit
 * and every pin fit: a pin clamped to the edge would lie about where it is.
 * Every number written is finite and has at most one decimal, and every text
 * from outside is escaped, so the element can go straight into a page.
 */
#include "map.h"

#include <math.h>
#include <stdbool.h>

#define MAP_W 600.0                 /* the viewBox, px */
#define MAP_H 400.0                 /* the viewBox, px */
#define MAP_FOOT 40.0               /* the strip at the bottom that holds the scale bar */
#define MAP_PAD 24.0                /* room for a pin or the home marker around each point */
#define PIN_R 11.0                  /* a pin's radius, room for two digits */
#define KM_PER_DEG 111.195          /* along a meridian, on a sphere of 6371 km */
#define MAX_KM (180.0 * KM_PER_DEG) /* half way round the world: no distance on the map is longer */
#define EMPTY_KM 2.0                /* the reach shown when there is nothing but home */
#define MIN_KM 0.5                  /* the least reach shown, so that a pin next door is not drawn on home */
#define PI 3.14159265358979323846

#define INK "#212b32"   /* home and the scale bar */
#define PIN "#005eb8"   /* pins, with white numbers */
#define LIMIT "#4c6272" /* the travel limit */

/* Where home is and how large a kilometre is. */
struct view {
	double lat, lon;  /* home, degrees */
	double coslat;    /* how much shorter a degree of longitude is at home's latitude */
	double cx, cy;    /* home in the viewBox */
	double px_per_km; /* the scale */
};

/* A point on Earth; comparisons with NaN are false, so this refuses NaN too. */
static bool valid_point(double lat, double lon)
{
	return fabs(lat) <= 90.0 && fabs(lon) <= 180.0;
}

/* East and north of home, km; a point across the antimeridian is near, not 359 degrees away. */
static void to_km(const struct view *v, double lat, double lon, double *x, double *y)
{
	double dlon = lon - v->lon;

	if (dlon > 180.0)
		dlon -= 360.0;
	else if (dlon < -180.0)
		dlon += 360.0;
	*x = dlon * v->coslat * KM_PER_DEG;
	*y = (lat - v->lat) * KM_PER_DEG;
}

/* Into the viewBox, whose y grows downwards. */
static void to_px(const struct view *v, double lat, double lon, double *px, double *py)
{
	double x, y;

	to_km(v, lat, lon, &x, &y);
	*px = v->cx + x * v->px_per_km;
	*py = v->cy - y * v->px_per_km;
}

/* The largest scale at which the limit circle and every pin fit above the scale bar. */
static void fit(struct view *v, double limit_km, const srv_map_pin *pins, size_t count)
{
	double rx = limit_km, ry = limit_km, x, y;
	bool any = limit_km > 0;
	size_t i;

	for (i = 0; i < count; i++) {
		if (!valid_point(pins[i].lat, pins[i].lon))
			continue;
		to_km(v, pins[i].lat, pins[i].lon, &x, &y);
		rx = fmax(rx, fabs(x));
		ry = fmax(ry, fabs(y));
		any = true;
	}
	rx = fmax(rx, any ? MIN_KM : EMPTY_KM);
	ry = fmax(ry, any ? MIN_KM : EMPTY_KM);
	v->px_per_km = fmin((v->cx - MAP_PAD) / rx, (v->cy - MAP_PAD) / ry);
}

/* A round length, 1, 2 or 5 times a power of ten, as long as km or a little shorter. */
static double round_km(double km)
{
	double p = pow(10.0, floor(log10(km)));

	if (km >= 5 * p)
		return 5 * p;
	if (km >= 2 * p)
		return 2 * p;
	return p;
}

/* Text from outside as XML character data or attribute value; control characters are not XML, so they go. */
static void put_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, out);
		}
	}
}

/* "1: NAME, 0.8 km": what a pin stands for, in the description and the pin's tooltip. */
static void put_pin_label(FILE *out, const srv_map_pin *p)
{
	fprintf(out, "%d: ", p->rank);
	put_text(out, p->name);
	if (p->km >= 0 && p->km <= MAX_KM)
		fprintf(out, ", %.1f km", p->km);
}

/* The words a screen reader says instead of the picture. */
static void write_desc(FILE *out, double limit_km, const srv_map_pin *pins, size_t count)
{
	const char *sep = " Numbered pins: ";
	size_t i;

	fputs("<desc id=\"kith-map-desc\">Your home is the dark house at the centre.", out);
	if (limit_km > 0)
		fprintf(out, " The dashed circle is your travel limit, %.1f km.", limit_km);
	for (i = 0; i < count; i++) {
		if (!valid_point(pins[i].lat, pins[i].lon))
			continue;
		fputs(sep, out);
		put_pin_label(out, &pins[i]);
		sep = "; ";
	}
	fputs(sep[0] == ';' ? ".</desc>\n" : " No suggestion has a place to show.</desc>\n", out);
}

/* A house, so that home differs from the pins by shape as well as colour. */
static void write_home(FILE *out, const struct view *v)
{
	fprintf(out,
		"<g class=\"kith-map-home\" aria-label=\"Home\"><title>Home</title>"
		"<path d=\"M%.1f %.1fv-8l8 -8l8 8v8z\" fill=\"" INK "\" stroke=\"#fff\" stroke-width=\"2\"/></g>\n",
		v->cx - 8, v->cy + 7);
}

/* A round pin with its rank inside; the tooltip repeats the description's words. */
static void write_pin(FILE *out, const struct view *v, const srv_map_pin *p)
{
	double x, y;

	to_px(v, p->lat, p->lon, &x, &y);
	fputs("<g><title>", out);
	put_pin_label(out, p);
	fprintf(out,
		"</title><circle class=\"kith-map-pin\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"" PIN
		"\" stroke=\"#fff\" stroke-width=\"2\"/>"
		"<text x=\"%.1f\" y=\"%.1f\" fill=\"#fff\" font-size=\"12\" font-weight=\"bold\" "
		"text-anchor=\"middle\" dominant-baseline=\"central\">%d</text></g>\n",
		x, y, PIN_R, x, y, p->rank);
}

/* A bar about a quarter of the map wide whose length is a round number of km. */
static void write_scale(FILE *out, const struct view *v)
{
	double km = round_km(MAP_W / 4 / v->px_per_km);
	double x0 = MAP_PAD, x1 = MAP_PAD + km * v->px_per_km, y = MAP_H - MAP_FOOT / 2;

	fprintf(out,
		"<path class=\"kith-map-scale\" d=\"M%.1f %.1fV%.1fH%.1fV%.1f\" fill=\"none\" stroke=\"" INK
		"\" stroke-width=\"2\"/>"
		"<text x=\"%.1f\" y=\"%.1f\" fill=\"" INK "\" dominant-baseline=\"central\">%.*f km</text>\n",
		x0, y - 6, y, x1, y - 6, x1 + 8, y, km < 1 ? 1 : 0, km);
}

int srv_map_write(FILE *out, double home_lat, double home_lon, double limit_km, const srv_map_pin *pins, size_t count)
{
	struct view v = {home_lat, home_lon, cos(home_lat * PI / 180.0), MAP_W / 2, (MAP_H - MAP_FOOT) / 2, 1};
	size_t i;

	if (!pins || !valid_point(home_lat, home_lon)) {
		/* nothing can be placed around an unknown home */
		v.lat = v.lon = 0;
		v.coslat = 1;
		count = 0;
	}
	limit_km = limit_km > 0 && valid_point(home_lat, home_lon) ? fmin(limit_km, MAX_KM) : 0; /* NaN: 0 */
	fit(&v, limit_km, pins, count);

	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"kith-map\" viewBox=\"0 0 600 400\" width=\"100%\" "
	      "role=\"img\" aria-labelledby=\"kith-map-title\" aria-describedby=\"kith-map-desc\" font-size=\"14\">\n"
	      "<title id=\"kith-map-title\">Map of the suggestions around your home</title>\n",
	      out);
	write_desc(out, limit_km, pins, count);
	fputs("<rect width=\"600\" height=\"400\" fill=\"#f0f4f5\"/>\n", out);
	if (limit_km > 0)
		fprintf(out,
			"<circle class=\"kith-map-limit\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"" LIMIT
			"\" fill-opacity=\"0.06\" stroke=\"" LIMIT "\" stroke-width=\"2\" stroke-dasharray=\"8 6\"/>\n",
			v.cx, v.cy, limit_km * v.px_per_km);
	write_home(out, &v);
	for (i = count; i-- > 0;) /* backwards, so that the first pin is drawn on top */
		if (valid_point(pins[i].lat, pins[i].lon))
			write_pin(out, &v, &pins[i]);
	write_scale(out, &v);
	fputs("</svg>\n", out);
	return ferror(out) ? -1 : 0;
}
