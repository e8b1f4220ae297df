/*
 * srv_map_write: the map is one accessible <svg> element, untrusted names
 * come out escaped, everything drawn fits inside the viewBox at one scale,
 * the scale bar tells the truth in round kilometres, and bad input leaves
 * pins out instead of writing NaN.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <cmocka.h>

#include "map.h"

#define KM_PER_DEG 111.195
#define PI 3.14159265358979323846
#define HOME_LAT 54.3262 /* Kendal */
#define HOME_LON -2.74397

struct circle {
	char cls[32];     /* kith-map-pin or kith-map-limit */
	double cx, cy, r; /* as written */
};

/* A point km_north and km_east of home, by the projection the map uses. */
static srv_map_pin pin_at(int rank, const char *name, double km_north, double km_east)
{
	srv_map_pin p = {rank, name, HOME_LAT + km_north / KM_PER_DEG, 0, 0};

	p.lon = HOME_LON + km_east / (KM_PER_DEG * cos(HOME_LAT * PI / 180));
	p.km = hypot(km_north, km_east);
	return p;
}

/* The map as a string, through a real stream; the caller frees it. */
static char *render(double lat, double lon, double limit_km, const srv_map_pin *pins, size_t count)
{
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	assert_non_null(out);
	assert_int_equal(srv_map_write(out, lat, lon, limit_km, pins, count), 0);
	assert_int_equal(fclose(out), 0);
	assert_int_equal(strlen(text), len);
	return text;
}

/* The number in attribute name of the tag that starts at tag. */
static double num_attr(const char *tag, const char *name)
{
	char needle[32];
	const char *end = strchr(tag, '>'), *at;

	snprintf(needle, sizeof(needle), " %s=\"", name);
	at = strstr(tag, needle);
	assert_non_null(at);
	assert_true(at < end);
	return strtod(at + strlen(needle), NULL);
}

/* Every <circle> in svg, up to max. */
static size_t find_circles(const char *svg, struct circle *out, size_t max)
{
	const char *p = svg, *cls;
	size_t n = 0;

	while ((p = strstr(p, "<circle ")) && n < max) {
		cls = strstr(p, "class=\"");
		assert_non_null(cls);
		snprintf(out[n].cls, sizeof(out[n].cls), "%.*s", (int)strcspn(cls + 7, "\""), cls + 7);
		out[n].cx = num_attr(p, "cx");
		out[n].cy = num_attr(p, "cy");
		out[n].r = num_attr(p, "r");
		n++;
		p++;
	}
	return n;
}

/* How many times needle occurs in s. */
static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle))) {
		n++;
		s++;
	}
	return n;
}

/* The output is one element, an <svg>, whose tags nest properly, with nothing around it but white space. */
static void assert_one_svg_element(const char *s)
{
	const char *open[64], *p = s, *end, *name;
	size_t depth = 0, len, roots = 0;

	assert_int_equal(strspn(s, " \n"), (size_t)(strchr(s, '<') - s));
	while ((p = strchr(p, '<'))) {
		end = strchr(p, '>');
		assert_non_null(end);
		assert_null(memchr(p + 1, '<', (size_t)(end - p - 1))); /* no raw '<' inside a tag */
		if (p[1] == '/') {
			name = p + 2;
			len = strcspn(name, ">");
			assert_true(depth > 0);
			depth--;
			assert_memory_equal(open[depth], name, len);
			assert_true(strchr(" />", open[depth][len]) != NULL);
		} else {
			name = p + 1;
			if (depth == 0) {
				assert_memory_equal(name, "svg ", 4);
				roots++;
			}
			if (end[-1] != '/') {
				assert_true(depth < 64);
				open[depth++] = name;
			}
		}
		p = end + 1;
	}
	assert_int_equal(depth, 0);
	assert_int_equal(roots, 1);
	assert_int_equal(strspn(strrchr(s, '>') + 1, " \n"), strlen(strrchr(s, '>') + 1));
}

/* printf writes "nan", "-nan", "inf" for numbers that are not; the only word here that holds one is "dominant". */
static void assert_no_bad_number(const char *svg)
{
	assert_int_equal(count(svg, "nan"), count(svg, "dominant"));
	assert_int_equal(count(svg, "inf"), 0);
}

/* Every circle lies inside the viewBox, all of it, not just its centre. */
static void assert_circles_inside(const char *svg, size_t want_pins, int want_limit)
{
	struct circle c[16];
	size_t n = find_circles(svg, c, 16), i, pins = 0;
	double x, y, w, h;

	assert_int_equal(sscanf(strstr(svg, "viewBox=\"") + 9, "%lf %lf %lf %lf", &x, &y, &w, &h), 4);
	for (i = 0; i < n; i++) {
		assert_true(c[i].r > 0);
		assert_true(c[i].cx - c[i].r >= x && c[i].cx + c[i].r <= x + w);
		assert_true(c[i].cy - c[i].r >= y && c[i].cy + c[i].r <= y + h);
		pins += strcmp(c[i].cls, "kith-map-pin") == 0;
	}
	assert_int_equal(pins, want_pins);
	assert_int_equal(n - pins, want_limit);
}

/* The scale bar's length in km (its label) and in px; the label must be 1, 2 or 5 times a power of ten. */
static double scale_bar(const char *svg, double *px)
{
	const char *bar = strstr(svg, "class=\"kith-map-scale\""), *label;
	double x0, y0, y1, x1, km, mantissa;

	assert_non_null(bar);
	assert_int_equal(sscanf(strstr(bar, "d=\"") + 3, "M%lf %lfV%lfH%lf", &x0, &y0, &y1, &x1), 4);
	label = strchr(strstr(bar, "<text"), '>') + 1;
	km = strtod(label, NULL);
	assert_non_null(strstr(label, " km</text>"));
	assert_true(km > 0);
	mantissa = km / pow(10, floor(log10(km) + 1e-9));
	assert_true(fabs(mantissa - 1) < 1e-6 || fabs(mantissa - 2) < 1e-6 || fabs(mantissa - 5) < 1e-6);
	*px = x1 - x0;
	assert_true(*px >= 600 / 10.0 && *px <= 600 / 4.0 + 0.1); /* about a quarter of the width */
	return km;
}

static void test_one_accessible_svg(void **state)
{
	srv_map_pin pins[] = {pin_at(1, "Quaker Meeting House", 0.8, 0), pin_at(2, "Walking for Health", -1, 2),
			      pin_at(3, "Men's Shed", 3, -3.5)};
	char *svg = render(HOME_LAT, HOME_LON, 5, pins, 3);

	(void)state;
	assert_one_svg_element(svg);
	assert_non_null(strstr(svg, " role=\"img\""));
	assert_non_null(strstr(svg, " width=\"100%\""));
	assert_non_null(strstr(svg, " aria-labelledby=\"kith-map-title\""));
	assert_non_null(strstr(svg, "<title id=\"kith-map-title\">Map of the suggestions around your home</title>"));
	assert_non_null(strstr(svg, " aria-describedby=\"kith-map-desc\""));
	assert_non_null(strstr(svg, "<desc id=\"kith-map-desc\">"));
	assert_non_null(strstr(svg, "1: Quaker Meeting House, 0.8 km; 2: Walking for Health, 2.2 km; "
				    "3: Men&#39;s Shed, 4.6 km.</desc>"));
	assert_non_null(strstr(svg, "<title>Home</title>"));
	assert_non_null(strstr(svg, "dominant-baseline=\"central\">2</text>")); /* the rank inside the pin */
	assert_non_null(strstr(svg, "stroke-dasharray"));                       /* the limit is dashed */
	/* nothing that reaches out of the page or runs */
	assert_null(strstr(svg, "href"));
	assert_null(strstr(svg, "url("));
	assert_null(strstr(svg, "@import"));
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "<image"));
	assert_null(strstr(svg, "<foreignObject"));
	assert_null(strstr(svg, " on")); /* no event handler attributes */
	free(svg);
}

static void test_names_are_escaped(void **state)
{
	srv_map_pin pins[] = {pin_at(1, "<script>alert(1)</script> & \"x\"", 1, 1), pin_at(2, "it's\x01", 1, -1)};
	char *svg = render(HOME_LAT, HOME_LON, 2, pins, 2);
	const char *amp;

	(void)state;
	assert_one_svg_element(svg);
	assert_null(strstr(svg, "<script"));
	assert_null(strstr(svg, "\"x\""));
	assert_null(strstr(svg, "it's"));
	assert_null(strchr(svg, '\x01'));
	/* in the description and in the pin's tooltip */
	assert_int_equal(count(svg, "1: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;, 1.4 km"), 2);
	assert_int_equal(count(svg, "2: it&#39;s , 1.4 km"), 2);
	for (amp = strchr(svg, '&'); amp; amp = strchr(amp + 1, '&'))
		assert_true(strncmp(amp, "&amp;", 5) == 0 || strncmp(amp, "&lt;", 4) == 0 ||
			    strncmp(amp, "&gt;", 4) == 0 || strncmp(amp, "&quot;", 6) == 0 ||
			    strncmp(amp, "&#39;", 5) == 0);
	free(svg);
}

static void test_everything_fits_at_one_scale(void **state)
{
	srv_map_pin beyond[] = {pin_at(1, "North", 10, 0), pin_at(2, "East", 0, 2)};
	srv_map_pin around[] = {pin_at(1, "N", 4, 0), pin_at(2, "S", -4, 0), pin_at(3, "E", 0, 4),
				pin_at(4, "W", 0, -4), pin_at(5, "NE", 3, 3)};
	srv_map_pin next_door[] = {pin_at(1, "Next door", 0.01, 0), pin_at(2, "At home", 0, 0)};
	srv_map_pin across[] = {{1, "Across the antimeridian", 0.01, -179.99, 2.2}};
	srv_map_pin far[] = {{1, "Antipodes", -54.3262, 177.25603, 20015}};
	struct circle c[4];
	char *svg;
	double px, km;

	(void)state;
	/* a pin beyond the limit widens the view; positions keep their proportions */
	svg = render(HOME_LAT, HOME_LON, 3, beyond, 2);
	assert_circles_inside(svg, 2, 1);
	assert_int_equal(find_circles(svg, c, 4), 3);
	assert_string_equal(c[0].cls, "kith-map-limit");
	assert_float_equal(c[0].cy - c[2].cy, c[0].r * 10 / 3, 0.2); /* the first pin is drawn last, on top */
	assert_float_equal(c[2].cx, c[0].cx, 0.1);
	assert_float_equal(c[1].cx - c[0].cx, c[0].r * 2 / 3, 0.2);
	assert_float_equal(c[1].cy, c[0].cy, 0.1);
	km = scale_bar(svg, &px);
	assert_float_equal(px / km, c[0].r / 3, 0.1); /* the bar agrees with the circle */
	free(svg);

	svg = render(HOME_LAT, HOME_LON, 0, around, 5);
	assert_circles_inside(svg, 5, 0);
	free(svg);
	svg = render(HOME_LAT, HOME_LON, 0, next_door, 2);
	assert_circles_inside(svg, 2, 0);
	free(svg);
	svg = render(0, 179.99, 1, across, 1);
	assert_circles_inside(svg, 1, 1);
	free(svg);
	svg = render(HOME_LAT, HOME_LON, 5, far, 1);
	assert_circles_inside(svg, 1, 1);
	free(svg);
	svg = render(HOME_LAT, HOME_LON, 1e300, NULL, 0);
	assert_circles_inside(svg, 0, 1);
	free(svg);
}

static void test_scale_bar_is_round(void **state)
{
	static const double limits[] = {0.3, 1, 1.7, 3, 5, 8, 12.5, 40, 160, 1000};
	srv_map_pin one = pin_at(1, "Library", 0.2, 0.1);
	struct circle c[2];
	double px, km;
	size_t i;
	char *svg;

	(void)state;
	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		svg = render(HOME_LAT, HOME_LON, limits[i], &one, 1);
		km = scale_bar(svg, &px);
		assert_int_equal(find_circles(svg, c, 2), 2);
		assert_float_equal(px / km, c[0].r / limits[i], 0.01 * c[0].r / limits[i] + 0.1);
		free(svg);
	}
}

static void test_no_limit_and_no_pins(void **state)
{
	char *svg = render(HOME_LAT, HOME_LON, 0, NULL, 0);
	double px;

	(void)state;
	assert_one_svg_element(svg);
	assert_circles_inside(svg, 0, 0);
	assert_non_null(strstr(svg, "<title>Home</title>"));
	assert_non_null(strstr(svg, "No suggestion has a place to show.</desc>"));
	assert_float_equal(scale_bar(svg, &px), 1, 0); /* the 2 km around home that fit the height: 1 km */
	free(svg);
}

static void test_bad_input_is_left_out(void **state)
{
	srv_map_pin pins[] = {pin_at(1, "Good", 1, 0),
			      {2, "Bad lat", NAN, HOME_LON, 1},
			      {3, "Bad lon", 54, INFINITY, 1},
			      {4, "Off the globe", 91, 0, 1},
			      {5, "Unknown distance", HOME_LAT, HOME_LON, NAN}};
	char *svg;

	(void)state;
	svg = render(HOME_LAT, HOME_LON, NAN, pins, 5);
	assert_one_svg_element(svg);
	assert_circles_inside(svg, 2, 0);
	assert_non_null(strstr(svg, ">Your home is the dark house at the centre. Numbered pins: 1: Good, 1.0 km; "
				    "5: Unknown distance.</desc>"));
	assert_null(strstr(svg, "Bad"));
	assert_null(strstr(svg, "Off the globe"));
	assert_no_bad_number(svg);
	free(svg);

	/* nothing can be placed around a home that is nowhere */
	svg = render(NAN, HOME_LON, INFINITY, pins, 5);
	assert_one_svg_element(svg);
	assert_circles_inside(svg, 0, 0);
	assert_no_bad_number(svg);
	free(svg);
}

static void test_write_failure_is_reported(void **state)
{
	FILE *full = fopen("/dev/full", "w");

	(void)state;
	if (!full)
		skip();
	setvbuf(full, NULL, _IONBF, 0); /* so the first write fails, not a later flush */
	assert_int_equal(srv_map_write(full, HOME_LAT, HOME_LON, 1, NULL, 0), -1);
	fclose(full);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_accessible_svg),           cmocka_unit_test(test_names_are_escaped),
		cmocka_unit_test(test_everything_fits_at_one_scale), cmocka_unit_test(test_scale_bar_is_round),
		cmocka_unit_test(test_no_limit_and_no_pins),         cmocka_unit_test(test_bad_input_is_left_out),
		cmocka_unit_test(test_write_failure_is_reported),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
