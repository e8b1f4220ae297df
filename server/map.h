/*
 * The results page's map: an inline <svg> drawn by the server, so the page
 * needs no map tiles, no network and no JavaScript.  It shows home, the
 * travel limit, a numbered pin for each suggestion that has a place, and a
 * scale bar.  Depends on libc only.
 */
#ifndef KITH_SERVER_MAP_H
#define KITH_SERVER_MAP_H

#include <stddef.h>
#include <stdio.h>

/* One suggestion on the map. */
typedef struct srv_map_pin {
	int rank;         /* 1, 2, ... drawn in the pin */
	const char *name; /* the group's name (untrusted text, escaped on output; NULL: none) */
	double lat, lon;  /* degrees; a pin outside -90..90, -180..180 or not finite is left out */
	double km;        /* distance from home, for the description; outside 0..20015: not said */
} srv_map_pin;

/*
 * Writes an inline <svg> element to out: home at (home_lat, home_lon), the
 * travel limit circle of limit_km (<= 0 or not finite: none), the pins, in
 * the order given (the first is drawn on top).  The scale is chosen so that
 * everything fits; with no limit and no pins the map shows 2 km around home.
 * A home that is not a valid point gives a map of home alone.
 *
 * The element's title and description carry the ids "kith-map-title" and
 * "kith-map-desc", so a page holds one map.
 *
 * Returns 0, or -1 when writing to out failed (its error indicator is set).
 */
int srv_map_write(FILE *out, double home_lat, double home_lon, double limit_km, const srv_map_pin *pins, size_t count);

#endif
