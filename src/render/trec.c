/*
 * TREC run lines (see trec.h), and a benchmark result written as a run
 * (kith_bench_result_write_run in kith/bench.h).
 */
#include "render/trec.h"

#include <stdio.h>

#include "kith/bench.h"

void kith_trec_line(kith_buf *out, const char *patient, const char *key, size_t rank, double score, const char *run)
{
	kith_buf_printf(out, "%s Q0 %s %zu %.4f %s\n", patient, key, rank, score, run);
}

int kith_bench_result_write_run(const kith_bench_result *r, FILE *f, const char *run_name)
{
	kith_buf line = KITH_BUF_INIT;
	size_t i, j;
	int error = 0;

	for (i = 0; i < kith_bench_result_count(r) && !error; i++) {
		const kith_bench_patient *p = kith_bench_result_patient(r, i);
		for (j = 0; j < p->count && !error; j++) {
			kith_buf_clear(&line);
			kith_trec_line(&line, p->id, p->keys[j], j + 1, p->scores[j], run_name);
			if ((error = kith_buf_error(&line)) == 0 && fputs(line.ptr, f) < 0)
				error = KITH_EIO;
		}
	}
	kith_buf_release(&line);
	return error ? error : ferror(f) ? KITH_EIO : 0;
}
