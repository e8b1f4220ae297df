/*
 * What the files of the server share: a request as the handlers see it,
 * the response they fill, each worker thread's engine, and the HTML and
 * form helpers.
 */
#ifndef KITH_SERVER_INT_H
#define KITH_SERVER_INT_H

#include <stddef.h>
#include <stdio.h>

#include "kith.h"

#define SRV_MAX_BODY (64 * 1024) /* bytes in a request body */
#define SRV_MAX_FIELDS 256       /* fields in a posted form */

/* One worker thread's own index and matcher (never shared between threads). */
typedef struct srv_engine {
	kith_index *idx; /* owned */
	kith_matcher *m; /* owned */
} srv_engine;

/* A decoded form or query field. */
typedef struct srv_field {
	char *name, *value; /* owned */
} srv_field;

typedef struct srv_form {
	srv_field items[SRV_MAX_FIELDS];
	size_t count;
} srv_form;

typedef struct srv_request {
	const char *method;       /* "GET", "HEAD" or "POST" */
	const char *path;         /* without the query */
	const char *content_type; /* may be NULL */
	const char *body;         /* the whole body, NUL-terminated; "" for none */
	size_t body_size;
	srv_form query;     /* the URL's query fields */
	srv_form form;      /* the body's fields, when it is a form */
	srv_engine *engine; /* the answering worker's */
	const char *today;  /* the server's fixed date, or NULL */
	const char *route;  /* set by the handler: the route's pattern, for the log */
} srv_request;

typedef struct srv_response {
	int status;
	const char *type; /* Content-Type */
	char *body;       /* owned */
	size_t size;
	int personal;      /* about a person: Cache-Control no-store */
	const char *allow; /* for 405 */
} srv_response;

/* Handlers (pages.c, api.c): fill res; the server adds the headers every response has. */
void srv_page(srv_request *req, srv_response *res);
void srv_api(srv_request *req, srv_response *res);

/* form.c */
/* Parses "a=1&b=x+y" into form (names and values decoded).  0, or -1 when too many fields. */
int srv_form_parse(srv_form *form, const char *text, size_t len);
void srv_form_release(srv_form *form);
/* The last non-empty value of name, or NULL. */
const char *srv_form_get(const srv_form *form, const char *name);
/* Every value of name, one after another: start i at 0; NULL at the end. */
const char *srv_form_next(const srv_form *form, const char *name, size_t *i);
/*
 * A quick-query profile from the form's fields (named after `kith match`'s
 * flags); on a bad field, NULL with the reason in why.
 */
kith_profile *srv_form_profile(const srv_form *form, char *why, size_t why_size);

/* html.c: writing pages to a memory stream */
/* Writes text with & < > " ' escaped (NULL writes nothing). */
void srv_html(FILE *out, const char *text);
/* The page's head and header, with its title (escaped), and its foot. */
void srv_page_open(FILE *out, const char *title);
void srv_page_close(FILE *out);
/* The style sheet served at /style.css. */
const char *srv_css(void);
/* Sets res to an HTML error page. */
void srv_error_page(srv_response *res, int status, const char *title, const char *detail);

/* http.c: a response whose body is a memory stream's text (takes it) */
void srv_respond(srv_response *res, int status, const char *type, char *body, size_t size);

#endif
