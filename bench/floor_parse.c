/*
 * floor_parse: the parsing floor for `make bench-perf`.
 *
 * libxml2's streaming reader walks every node of each feed, with the same
 * parser options as kith's reader but no schema, no rules and no database.
 * It reads each node's name and each text node's value, so the parser is
 * made to produce everything a loader would look at.  Nothing a feed
 * loader does can take less time than this.  Prints one line of key=value
 * pairs that bench/perf.sh reads.
 *
 *   floor_parse FEED.xml...
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#include <libxml/xmlreader.h>

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const int options = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
	unsigned long long nodes = 0, groups = 0, bytes = 0, text = 0;
	struct rusage ru;
	double t0;
	int a;

	if (argc < 2) {
		fprintf(stderr, "usage: floor_parse FEED.xml...\n");
		return 2;
	}
	LIBXML_TEST_VERSION
	t0 = now_s();
	for (a = 1; a < argc; a++) {
		xmlTextReaderPtr r = xmlReaderForFile(argv[a], NULL, options);
		struct stat st;
		int ret;

		if (!r) {
			fprintf(stderr, "floor_parse: %s: cannot open\n", argv[a]);
			return 1;
		}
		while ((ret = xmlTextReaderRead(r)) == 1) {
			int type = xmlTextReaderNodeType(r);
			const xmlChar *name = xmlTextReaderConstLocalName(r);
			nodes++;
			if (type == XML_READER_TYPE_ELEMENT && xmlTextReaderDepth(r) == 1 && name &&
			    strcmp((const char *)name, "group") == 0)
				groups++;
			else if (type == XML_READER_TYPE_TEXT) {
				const xmlChar *v = xmlTextReaderConstValue(r);
				text += v ? strlen((const char *)v) : 0;
			}
		}
		xmlFreeTextReader(r);
		if (ret != 0) {
			fprintf(stderr, "floor_parse: %s: not well-formed\n", argv[a]);
			return 1;
		}
		if (stat(argv[a], &st) == 0)
			bytes += (unsigned long long)st.st_size;
	}
	t0 = now_s() - t0;
	getrusage(RUSAGE_SELF, &ru);
	printf("seconds=%.3f groups=%llu nodes=%llu bytes=%llu text_bytes=%llu mb_per_s=%.1f groups_per_s=%.0f "
	       "rss_kb=%ld\n",
	       t0, groups, nodes, bytes, text, (double)bytes / 1e6 / t0, (double)groups / t0, ru.ru_maxrss);
	xmlCleanupParser();
	return 0;
}
