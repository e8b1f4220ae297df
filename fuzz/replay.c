/*
 * The fuzz targets' inputs run again in the ordinary build (and so under
 * valgrind and the sanitizer builds of `make test`): every crash a fuzzer
 * found stays a regression test.  Usage: replay FILE...  (built once per
 * target with target.c).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		uint8_t *data = NULL;
		long size;
		if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
		    (data = malloc(size ? (size_t)size : 1)) == NULL ||
		    (size && fread(data, 1, (size_t)size, f) != (size_t)size)) {
			fprintf(stderr, "replay: %s: cannot read\n", argv[i]);
			free(data);
			if (f)
				fclose(f);
			return 2;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(data, (size_t)size);
		free(data);
	}
	return 0;
}
