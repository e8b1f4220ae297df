/*
 * The groups row's column list and the lists packed in its text columns
 * (see columns.h).
 */
#include "store/columns.h"

#include <stdlib.h>

#include "kith/common.h"

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

/* One whole number of at most 9 digits at *p, then sep (or the list's end when sep is ' '); moves *p past. -1 when not.
 */
static long number_then(const char **p, char sep)
{
	long v = 0;
	int digits = 0;

	while (**p >= '0' && **p <= '9' && digits < 9) {
		v = v * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	if (!digits || (**p != sep && !(sep == ' ' && **p == '\0')))
		return -1;
	if (**p)
		(*p)++;
	return v;
}

int kith_sessions_read(const char *text, kith_session *out, size_t max, size_t *count)
{
	const char *p = text;
	size_t n = 0;

	while (p && *p && n < max) {
		long day = number_then(&p, ','), start = number_then(&p, ','), end = number_then(&p, ','),
		     weeks = number_then(&p, ' ');
		if (day < 0 || day > 6 || start < 0 || end <= start || end > 24 * 60 || weeks < 0 ||
		    weeks > (long)(KITH_WEEK(5) | KITH_WEEK(4) | KITH_WEEK(3) | KITH_WEEK(2) | KITH_WEEK(1) |
				   KITH_WEEK_LAST))
			return KITH_EINVALID;
		out[n].day = (int)day;
		out[n].start = (int)start;
		out[n].end = (int)end;
		out[n].weeks = (unsigned)weeks;
		n++;
	}
	*count = n;
	return 0;
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

int kith_points_read(const char *text, double *lat, double *lon, size_t max, size_t *count)
{
	const char *p = text;
	size_t n = 0;

	while (p && *p && n < max) {
		char *end;
		lat[n] = strtod(p, &end);
		if (end == p || *end != ',')
			return KITH_EINVALID;
		p = end + 1;
		lon[n] = strtod(p, &end);
		if (end == p || (*end != ' ' && *end != '\0') || !(lat[n] >= -90 && lat[n] <= 90) ||
		    !(lon[n] >= -180 && lon[n] <= 180))
			return KITH_EINVALID;
		n++;
		p = *end ? end + 1 : end;
	}
	*count = n;
	return 0;
}
