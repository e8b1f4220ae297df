/*
 * The JSON API (server/openapi.yaml): match a profile, a group's listing,
 * why a group is not in a list, and the server's health.  POST /api/match
 * answers exactly what `kith match --format json` prints for the same
 * profile, date and top: both are written by kith_results_render().
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server_int.h"

/* {"error": message, ...} with status. */
static void json_error(srv_response *res, int status, const char *message, unsigned line, unsigned column)
{
	json_t *o = json_object();
	char *text;

	json_object_set_new(o, "error", json_string(message));
	if (line)
		json_object_set_new(o, "line", json_integer(line));
	if (column)
		json_object_set_new(o, "column", json_integer(column));
	text = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	srv_respond(res, status, "application/json", text, text ? strlen(text) : 0);
}

static void json_ok(srv_response *res, char *text)
{
	srv_respond(res, 200, "application/json", text, text ? strlen(text) : 0);
}

/* A JSON value as the text kith_profile_set() takes; sep joins an array's items.  NULL when it has no such form. */
static char *field_text(const json_t *v, const char *sep)
{
	char buf[64];

	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_true(v))
		return strdup("yes");
	if (json_is_false(v))
		return strdup("no");
	if (json_is_number(v)) {
		snprintf(buf, sizeof(buf), "%.10g", json_number_value(v));
		return strdup(buf);
	}
	if (json_is_array(v)) {
		char *out = NULL;
		size_t i, size = 0;
		FILE *f = open_memstream(&out, &size);
		int ok = f != NULL;
		for (i = 0; ok && i < json_array_size(v); i++) {
			ok = json_is_string(json_array_get(v, i));
			if (ok)
				fprintf(f, "%s%s", i ? sep : "", json_string_value(json_array_get(v, i)));
		}
		if (f)
			fclose(f);
		if (!ok)
			free(out);
		return ok ? out : NULL;
	}
	return NULL;
}

/*
 * A profile from the JSON form: an object whose keys are `kith match`'s
 * quick-query fields ("postcode", "needs", "max-km", ...) and "id"; a value
 * is a string, a number, true or false (yes or no), or an array of strings.
 */
static kith_profile *profile_from_json(const srv_request *req, char *why, size_t why_size)
{
	json_error_t jerr;
	json_t *root = json_loadb(req->body, req->body_size, JSON_REJECT_DUPLICATES, &jerr), *v;
	const char *key, *id;
	kith_profile *p = NULL;

	if (!root || !json_is_object(root)) {
		snprintf(why, why_size, "not a JSON object%s%s", root ? "" : ": ", root ? "" : jerr.text);
		goto failed;
	}
	id = json_is_string(json_object_get(root, "id")) ? json_string_value(json_object_get(root, "id")) : "query";
	if (kith_profile_new(&p, id) != 0) {
		snprintf(why, why_size, "out of memory");
		goto failed;
	}
	json_object_foreach(root, key, v)
	{
		const char *sep = strcmp(key, "when") == 0 ? ";" : strcmp(key, "languages") == 0 ? " " : ",";
		char *text;
		if (strcmp(key, "id") == 0)
			continue;
		if ((text = field_text(v, sep)) == NULL) {
			snprintf(why, why_size, "%s: expected a string, a number, true, false or a list of strings",
				 key);
			goto failed;
		}
		if (kith_profile_set(p, key, text) != 0) {
			snprintf(why, why_size, "%s: %s", key, kith_profile_errmsg(p));
			free(text);
			goto failed;
		}
		free(text);
	}
	json_decref(root);
	return p;

failed:
	json_decref(root);
	kith_profile_free(p);
	return NULL;
}

/* The profile in the body (XML or JSON); on failure, the 400 is sent and NULL returned. */
static kith_profile *body_profile(const srv_request *req, srv_response *res)
{
	const char *type = req->content_type ? req->content_type : "";
	kith_diag_list *diags = NULL;
	kith_profile *p = NULL;
	char why[512];

	if (strncmp(type, "application/json", 16) == 0) {
		if ((p = profile_from_json(req, why, sizeof(why))) == NULL)
			json_error(res, 400, why, 0, 0);
		return p;
	}
	if (strncmp(type, "application/xml", 15) != 0 && strncmp(type, "text/xml", 8) != 0) {
		json_error(res, 415, "send the profile as application/xml or application/json", 0, 0);
		return NULL;
	}
	if (kith_diag_list_new(&diags) != 0) {
		json_error(res, 500, "out of memory", 0, 0);
		return NULL;
	}
	if (kith_profile_parse(&p, "profile", req->body, req->body_size, diags) != 0) {
		size_t i;
		const kith_diag *d = NULL;
		for (i = 0; i < kith_diag_list_count(diags) && !d; i++)
			if (kith_diag_list_get(diags, i)->severity == KITH_DIAG_ERROR)
				d = kith_diag_list_get(diags, i);
		json_error(res, 400, d ? d->message : "the profile is not valid", d ? d->line : 0, d ? d->column : 0);
	}
	kith_diag_list_free(diags);
	return p;
}

/* The match options from the query (top, date); on a bad one, the 400 is sent and -1 returned. */
static int match_opts(const srv_request *req, srv_response *res, kith_match_opts *opts)
{
	const char *top = srv_form_get(&req->query, "top"), *date = srv_form_get(&req->query, "date");
	char *end;

	opts->today = date ? date : req->today;
	if (top) {
		unsigned long n = strtoul(top, &end, 10);
		if (*end || n < 1 || n > 1000) {
			json_error(res, 400, "top: expected a number from 1 to 1000", 0, 0);
			return -1;
		}
		opts->top = n;
	}
	return 0;
}

static void api_match(srv_request *req, srv_response *res, int why_not)
{
	kith_match_opts opts = KITH_MATCH_OPTS_INIT;
	kith_render_opts ro = KITH_RENDER_OPTS_INIT;
	kith_matcher *m = req->engine->m;
	kith_results *results = NULL;
	kith_profile *p = NULL;
	char *text = NULL;
	int rc;

	res->personal = 1;
	if (match_opts(req, res, &opts) != 0 || (p = body_profile(req, res)) == NULL)
		return;
	if (why_not) {
		const char *key = srv_form_get(&req->query, "key");
		if (!key) {
			json_error(res, 400, "key: give the group's key, FEED-ID/GROUP-ID", 0, 0);
		} else if ((rc = kith_matcher_why_not(m, p, &opts, key, &text)) != 0) {
			json_error(res,
				   rc == KITH_ENOTFOUND  ? 404
				   : rc == KITH_EINVALID ? 400
							 : 500,
				   kith_matcher_errmsg(m), 0, 0);
		} else {
			json_t *o = json_pack("{s:s, s:s}", "key", key, "why", text);
			free(text);
			json_ok(res, o ? json_dumps(o, JSON_COMPACT) : NULL);
			json_decref(o);
		}
	} else if ((rc = kith_matcher_run(m, p, &opts, &results)) != 0) {
		json_error(res, rc == KITH_EINVALID ? 400 : 500, kith_matcher_errmsg(m), 0, 0);
	} else {
		ro.format = KITH_FORMAT_JSON;
		if (kith_results_render(results, &ro, &text) != 0)
			json_error(res, 500, "out of memory", 0, 0);
		else
			json_ok(res, text);
	}
	kith_results_free(results);
	kith_profile_free(p);
}

static void api_group(srv_request *req, srv_response *res, const char *key)
{
	char *text = NULL;
	int rc = kith_group_render_json(req->engine->idx, key, &text);

	if (rc == 0)
		json_ok(res, text);
	else
		json_error(res, rc == KITH_ENOTFOUND ? 404 : 500, kith_index_errmsg(req->engine->idx), 0, 0);
}

static void api_health(srv_request *req, srv_response *res)
{
	kith_stats *st = NULL;
	json_t *o, *feeds;
	size_t i;

	if (kith_index_stats(req->engine->idx, req->today, &st) != 0) {
		json_error(res, 500, kith_index_errmsg(req->engine->idx), 0, 0);
		return;
	}
	feeds = json_array();
	for (i = 0; i < st->feed_count; i++)
		json_array_append_new(feeds,
				      json_pack("{s:s, s:I, s:s}", "id", st->feeds[i].id, "groups",
						(json_int_t)st->feeds[i].groups, "loaded_at", st->feeds[i].loaded_at));
	o = json_pack("{s:s, s:I, s:I, s:o}", "status", "ok", "groups", (json_int_t)st->groups, "venues",
		      (json_int_t)st->venues, "feeds", feeds);
	json_ok(res, o ? json_dumps(o, JSON_COMPACT) : NULL);
	json_decref(o);
	kith_stats_free(st);
}

void srv_api(srv_request *req, srv_response *res)
{
	const char *path = req->path;
	int post = strcmp(req->method, "POST") == 0;

	if (strcmp(path, "/api/match") == 0 || strcmp(path, "/api/why-not") == 0) {
		req->route = path;
		if (!post) {
			json_error(res, 405, "use POST with a profile", 0, 0);
			res->allow = "POST";
			return;
		}
		api_match(req, res, strcmp(path, "/api/why-not") == 0);
	} else if (strncmp(path, "/api/groups/", 12) == 0 && strchr(path + 12, '/')) {
		req->route = "/api/groups/{feed}/{group}";
		if (post) {
			json_error(res, 405, "use GET", 0, 0);
			res->allow = "GET, HEAD";
			return;
		}
		api_group(req, res, path + 12);
	} else if (strcmp(path, "/api/health") == 0) {
		req->route = path;
		if (post) {
			json_error(res, 405, "use GET", 0, 0);
			res->allow = "GET, HEAD";
			return;
		}
		api_health(req, res);
	} else {
		json_error(res, 404, "no such route", 0, 0);
	}
}
