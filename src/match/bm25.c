/*
 * BM25 in C (see match_int.h): the person's words scored over each
 * candidate's text from the tokens the index stored for it, as FTS5 would
 * score them.
 */
#include "match/match_int.h"

#include <math.h>
#include <string.h>

/* The query's terms, as the index's tokenizer makes them, with their weights. */
typedef struct terms {
	char term[64][48];
	double idf[64];
	int interest[64]; /* from the person's interests (not their needs' words) */
	size_t count;
	int adding_interests;
} terms;

static int add_term(void *ctx, const char *token, size_t n)
{
	terms *t = ctx;
	size_t i;

	if (n >= sizeof(t->term[0]) || t->count == sizeof(t->term) / sizeof(t->term[0]))
		return 0;
	for (i = 0; i < t->count; i++)
		if (strlen(t->term[i]) == n && memcmp(t->term[i], token, n) == 0)
			return 0;
	memcpy(t->term[t->count], token, n);
	t->interest[t->count] = t->adding_interests;
	t->term[t->count++][n] = '\0';
	return 0;
}

/*
 * BM25 of the person's words over each candidate's text, computed in C from
 * the tokens the index stored for it, as FTS5 computes it (k1 1.2, b 0.75,
 * columns weighted name 4, organisation 1, description 1, tags 2).  FTS5
 * would read every row holding a common word in a national directory; this
 * reads one document count per word and the candidates' own rows.
 *
 * Beside it, for kith's own interests factor, the same parts with
 * diminishing returns: each word's part, largest first, counts 1, 1/2,
 * 1/4...  One rare word of a long story met in a listing ("bell ringing")
 * then outweighs many common ones met in another.  Which of the words were
 * the interests' own (not the needs') is counted, so that "shares words
 * with your interests" is said only when it is so.
 */
/* The terms' parts, largest first, weighted 1, 1/2, 1/4... */
static double diminishing(const double *part, size_t count)
{
	double sorted[64], total = 0, w = 1;
	size_t n = 0, i, j;

	for (i = 0; i < count; i++)
		if (part[i] > 0)
			sorted[n++] = part[i];
	for (i = 1; i < n; i++) /* insertion sort: a few terms */
		for (j = i; j > 0 && sorted[j] > sorted[j - 1]; j--) {
			double x = sorted[j];
			sorted[j] = sorted[j - 1];
			sorted[j - 1] = x;
		}
	for (i = 0; i < n; i++, w /= 2)
		total += w * sorted[i];
	return total;
}

int kith_match_text_scores(kith_matcher *m, run *r)
{
	static const double weight[4] = {4.0, 1.0, 1.0, 2.0};
	const double k1 = 1.2, b = 0.75;
	terms t;
	double rarest;
	size_t i, k;

	memset(&t, 0, sizeof(t));
	if (!r->q.words[0] || !r->count)
		return 0;
	t.adding_interests = 1;
	if (kith_stemmer_tokens(m->stemmer, r->q.interest_words, strlen(r->q.interest_words), add_term, &t) != 0)
		return kith_error_set(&m->error, KITH_ERROR, "tokenizing the query");
	t.adding_interests = 0;
	if (kith_stemmer_tokens(m->stemmer, r->q.words, strlen(r->q.words), add_term, &t) != 0)
		return kith_error_set(&m->error, KITH_ERROR, "tokenizing the query");
	for (k = 0; k < t.count; k++) {
		sqlite3_stmt *s = kith_stmt_get(&m->stmts, ST_TERM_DOCS, &m->error);
		double docs = 0, idf;
		int rc;
		if (!s)
			return KITH_EIO;
		sqlite3_bind_text(s, 1, t.term[k], -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(s)) == SQLITE_ROW)
			docs = sqlite3_column_double(s, 0);
		sqlite3_reset(s);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) /* not a word no group has: a read that failed */
			return kith_db_error(&m->error, m->db, "reading the index");
		idf = log((m->rows - docs + 0.5) / (docs + 0.5));
		t.idf[k] = docs == 0 ? 0 : idf > 1e-6 ? idf : 1e-6;
	}
	rarest = log((m->rows + 0.5) / 1.5); /* the idf of a word only one group has */
	for (i = 0; i < r->count; i++) {
		cand *c = &r->cands[i];
		double freq[64] = {0}, in_name[64] = {0}, part[64], score = 0, norm;
		const char *p = c->stems;
		int col = 0;
		while (p && *p) {
			size_t n = strcspn(p, " |");
			for (k = 0; k < t.count && n; k++)
				if (t.term[k][0] == p[0] && strncmp(t.term[k], p, n) == 0 && t.term[k][n] == '\0') {
					freq[k] += weight[col];
					in_name[k] += col == 0;
				}
			p += n;
			if (*p == '|' && col < 3)
				col++;
			if (*p)
				p++;
		}
		norm = k1 * (1 - b + b * (m->avg_tokens > 0 ? c->tokens / m->avg_tokens : 1.0));
		for (k = 0; k < t.count; k++) {
			part[k] = freq[k] > 0 ? t.idf[k] * freq[k] * (k1 + 1) / (freq[k] + norm) : 0;
			score += part[k];
		}
		c->text_score = score;
		c->focus_score = diminishing(part, t.count);
		c->interest_terms_met = 0;
		c->name_rarity = 0;
		for (k = 0; k < t.count; k++) {
			c->interest_terms_met += t.interest[k] && part[k] > 0;
			/* a rare word of their interests in the group's name: what the group is, not a passing word */
			if (t.interest[k] && in_name[k] > 0 && rarest > 0 && t.idf[k] / rarest > c->name_rarity)
				c->name_rarity = t.idf[k] / rarest;
		}
	}
	return 0;
}
