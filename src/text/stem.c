/*
 * FTS5's tokenizer outside the index (see stem.h).
 */
#include "text/stem.h"

#include <stdlib.h>

#include "kith/common.h"

struct kith_stemmer {
	fts5_tokenizer api; /* the porter tokenizer's functions */
	Fts5Tokenizer *tok; /* owned */
};

typedef struct relay {
	int (*fn)(void *ctx, const char *token, size_t n);
	void *ctx;
} relay;

static int on_token(void *ctx, int flags, const char *token, int n, int start, int end)
{
	relay *r = ctx;

	(void)start;
	(void)end;
	if (flags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK; /* synonyms at the same place: the index counts the first */
	return r->fn(r->ctx, token, (size_t)n) ? SQLITE_DONE : SQLITE_OK;
}

static fts5_api *fts5_of(sqlite3 *db)
{
	fts5_api *api = NULL;
	sqlite3_stmt *s = NULL;

	if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &s, NULL) == SQLITE_OK) {
		sqlite3_bind_pointer(s, 1, (void *)&api, "fts5_api_ptr", NULL);
		sqlite3_step(s);
	}
	sqlite3_finalize(s);
	return api;
}

int kith_stemmer_new(kith_stemmer **out, sqlite3 *db)
{
	static const char *args[] = {"unicode61", "remove_diacritics", "2"};
	fts5_api *api = fts5_of(db);
	kith_stemmer *st;
	void *user = NULL;

	*out = NULL;
	if (!api)
		return KITH_ERROR;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return KITH_ENOMEM;
	if (api->xFindTokenizer(api, "porter", &user, &st->api) != SQLITE_OK ||
	    st->api.xCreate(user, args, 3, &st->tok) != SQLITE_OK) {
		free(st);
		return KITH_ERROR;
	}
	*out = st;
	return 0;
}

void kith_stemmer_free(kith_stemmer *st)
{
	if (!st)
		return;
	if (st->tok)
		st->api.xDelete(st->tok);
	free(st);
}

int kith_stemmer_tokens(kith_stemmer *st, const char *text, size_t len,
			int (*fn)(void *ctx, const char *token, size_t n), void *ctx)
{
	relay r = {fn, ctx};
	int rc;

	if (!text || !len)
		return 0;
	rc = st->api.xTokenize(st->tok, &r, FTS5_TOKENIZE_DOCUMENT, text, (int)len, on_token);
	return rc == SQLITE_OK || rc == SQLITE_DONE ? 0 : KITH_ERROR;
}
