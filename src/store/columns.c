/*
 * The groups row's column list and the lists packed in its text columns
 * (see columns.h).
 */
#include "store/columns.h"

#include <stdlib.h>

int kith_sessions_write(kith_buf *out, const kith_session *sessions, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		const kith_session *ss = &sessions[i];
		if (i)
			kith_buf_putc(out, ' ');
		kith_buf_put_int(out, ss->day);
		kith_buf_putc(out, ',');
		kith_buf_put_int(out, ss->start);
		kith_buf_putc(out, ',');
		kith_buf_put_int(out, ss->end);
		kith_buf_putc(out, ',');
		kith_buf_put_int(out, ss->weeks);
	}
	return kith_buf_error(out);
}

size_t kith_sessions_read(const char *text, kith_session *out, size_t max)
{
	const char *p = text;
	size_t n = 0;

	while (p && *p && n < max) {
		kith_session *ss = &out[n];
		char *end;
		ss->day = (int)strtol(p, &end, 10);
		ss->start = (int)strtol(end + 1, &end, 10);
		ss->end = (int)strtol(end + 1, &end, 10);
		ss->weeks = (unsigned)strtoul(end + 1, &end, 10);
		n++;
		p = *end ? end + 1 : end;
	}
	return n;
}

int kith_points_write(kith_buf *out, const kith_venue *venues, size_t count)
{
	size_t i, written = 0;

	for (i = 0; i < count; i++) {
		const kith_point *pt = &venues[i].point;
		if (!pt->known)
			continue;
		if (written++)
			kith_buf_putc(out, ' ');
		kith_buf_put_fixed(out, pt->lat, 6);
		kith_buf_putc(out, ',');
		kith_buf_put_fixed(out, pt->lon, 6);
	}
	return kith_buf_error(out);
}

size_t kith_points_read(const char *text, double *lat, double *lon, size_t max)
{
	const char *p = text;
	size_t n = 0;

	while (p && *p && n < max) {
		char *end;
		lat[n] = strtod(p, &end);
		lon[n] = strtod(end + 1, &end);
		n++;
		p = *end ? end + 1 : end;
	}
	return n;
}
