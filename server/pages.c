/*
 * The link worker's pages, rendered by the server so they work without
 * JavaScript: the person form, the results (with why-not, more results and
 * a map), the printable sheet, a group's page and the maintainers' page.
 * Every page about a person is the answer to a POST and is never cached:
 * the person's answers travel in the form, never in a URL or a cookie.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "server_int.h"

/* The travel presets, in words a person knows. */
static const struct {
	const char *km, *label;
} reach[] = {
	{"1.2", "a 15-minute walk (about 1 km)"},
	{"3", "a 30-minute walk or a short bike ride (about 3 km)"},
	{"5", "a short bus ride (about 5 km)"},
	{"8", "a 10-minute drive (about 8 km)"},
	{"15", "a longer bus or car journey (about 15 km)"},
};

static const char *const days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
static const char *const day_names[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
static const struct {
	const char *name, *times;
} parts[] = {{"Morning", "09:00-12:00"}, {"Afternoon", "12:00-17:00"}, {"Evening", "17:00-21:00"}};

typedef struct page {
	FILE *f;
	char *body;
	size_t size;
} page;

static int page_open(page *p, const char *title)
{
	p->body = NULL;
	p->size = 0;
	if ((p->f = open_memstream(&p->body, &p->size)) == NULL)
		return -1;
	srv_page_open(p->f, title);
	return 0;
}

static void page_send(page *p, srv_response *res, int status)
{
	srv_page_close(p->f);
	fclose(p->f);
	srv_respond(res, status, "text/html; charset=utf-8", p->body, p->size);
}

static void checkbox(FILE *f, const char *name, const char *value, const char *label, const char *id, int checked)
{
	fprintf(f, "<div class=\"choice\"><input type=\"checkbox\" name=\"%s\" id=\"%s\" value=\"", name, id);
	srv_html(f, value);
	fprintf(f, "\"%s><label for=\"%s\">", checked ? " checked" : "", id);
	srv_html(f, label);
	fputs("</label></div>\n", f);
}

static void vocab_choices(FILE *f, kith_vocab_kind kind, const char *name)
{
	size_t n, i;
	const kith_vocab_term *t = kith_vocab_terms(kind, &n);
	char id[80];

	fputs("<div class=\"choices\">\n", f);
	for (i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "%s-%s", name, t[i].id);
		checkbox(f, name, t[i].id, t[i].covers, id, 0);
	}
	fputs("</div>\n", f);
}

/* The week grid: each box is a `when` item of kith match ("mon@09:00-12:00"). */
static void week_grid(FILE *f)
{
	size_t d, k;

	fputs("<table class=\"grid\"><caption class=\"hint\">Tick when the person is free; leave it all "
	      "blank for any time.</caption>\n<tr><th scope=\"col\">Day</th>",
	      f);
	for (k = 0; k < 3; k++)
		fprintf(f, "<th scope=\"col\">%s</th>", parts[k].name);
	fputs("</tr>\n", f);
	for (d = 0; d < 7; d++) {
		fprintf(f, "<tr><th scope=\"row\">%s</th>", day_names[d]);
		for (k = 0; k < 3; k++)
			fprintf(f,
				"<td><input type=\"checkbox\" name=\"when\" value=\"%s@%s\" id=\"when-%s-%zu\" "
				"aria-label=\"%s %s\"></td>",
				days[d], parts[k].times, days[d], k, day_names[d], parts[k].name);
		fputs("</tr>\n", f);
	}
	fputs("</table>\n<label for=\"when-exact\">Or exact times</label><p class=\"hint\">For example "
	      "mon,tue@10:00-12:30;thu@13:00-15:00</p><input type=\"text\" name=\"when\" id=\"when-exact\">\n",
	      f);
}

static void person_form(FILE *f)
{
	size_t n, i;
	const kith_vocab_term *t = kith_vocab_terms(KITH_VOCAB_NEED, &n);

	fputs("<form method=\"post\" action=\"/match\">\n<fieldset><legend>What would help</legend>\n", f);
	vocab_choices(f, KITH_VOCAB_NEED, "needs");
	fputs("<label for=\"main-need\">The main one</label><select name=\"main\" id=\"main-need\"><option value=\"\">"
	      "None above the others</option>\n",
	      f);
	for (i = 0; i < n; i++) {
		fputs("<option value=\"", f);
		srv_html(f, t[i].id);
		fputs("\">", f);
		srv_html(f, t[i].covers);
		fputs("</option>\n", f);
	}
	fputs("</select>\n<label for=\"interests\">What they enjoy or used to enjoy, in their own words</label>"
	      "<textarea name=\"interests\" id=\"interests\"></textarea>\n</fieldset>\n"
	      "<fieldset><legend>Where they live and how far they can get</legend>\n"
	      "<label for=\"postcode\">Postcode</label><input type=\"text\" class=\"short\" name=\"postcode\" "
	      "id=\"postcode\" autocomplete=\"off\">\n"
	      "<label for=\"point\">Or a street-level point</label><p class=\"hint\">Latitude,longitude, e.g. "
	      "54.3262,-2.74397</p><input type=\"text\" name=\"point\" id=\"point\" autocomplete=\"off\">\n"
	      "<label for=\"max-km\">How far they can get</label><select name=\"max-km\" id=\"max-km\">"
	      "<option value=\"\">Not asked</option>\n",
	      f);
	for (i = 0; i < sizeof(reach) / sizeof(reach[0]); i++)
		fprintf(f, "<option value=\"%s\">%s</option>\n", reach[i].km, reach[i].label);
	fputs("</select>\n<label for=\"max-km-exact\">Or a distance in km</label><input type=\"number\" "
	      "class=\"short\" step=\"0.1\" min=\"0\" name=\"max-km\" id=\"max-km-exact\">\n",
	      f);
	fputs("</fieldset>\n<fieldset><legend>Getting there and taking part</legend>\n<div class=\"choices\">\n", f);
	checkbox(f, "no-car", "yes", "Has no car", "no-car", 0);
	checkbox(f, "wheelchair", "yes", "Uses a wheelchair", "wheelchair", 0);
	checkbox(f, "step-free", "yes", "Needs step-free access", "step-free", 0);
	checkbox(f, "hearing-loop", "yes", "Needs a hearing loop", "hearing-loop", 0);
	checkbox(f, "accessible-toilet", "yes", "Needs an accessible toilet", "accessible-toilet", 0);
	checkbox(f, "housebound", "yes", "Housebound", "housebound", 0);
	fputs("</div>\n<label for=\"online\">Can join online or by phone</label><select name=\"online\" id=\"online\">"
	      "<option value=\"\">Not asked</option><option value=\"yes\">Yes</option><option value=\"no\">No</option>"
	      "</select>\n</fieldset>\n<fieldset><legend>When they are free</legend>\n",
	      f);
	week_grid(f);
	fputs("</fieldset>\n<fieldset><legend>About them</legend>\n<div class=\"choices\">\n", f);
	checkbox(f, "free", "yes", "Only free groups", "free", 0);
	fputs("</div>\n<label for=\"budget\">Or a budget per session, in pounds</label><input type=\"number\" "
	      "class=\"short\" step=\"0.5\" min=\"0\" name=\"budget\" id=\"budget\">\n"
	      "<label for=\"age\">Age</label><input type=\"number\" class=\"short\" min=\"0\" max=\"130\" name=\"age\" "
	      "id=\"age\">\n<label for=\"gender\">Gender</label><select name=\"gender\" id=\"gender\"><option "
	      "value=\"\">Not asked</option><option value=\"female\">Female</option><option value=\"male\">Male"
	      "</option><option value=\"other\">Other</option></select>\n"
	      "<label for=\"languages\">Languages they are at ease in</label><select name=\"languages\" "
	      "id=\"languages\" multiple size=\"5\">\n",
	      f);
	t = kith_vocab_languages(&n);
	for (i = 0; i < n; i++) {
		fprintf(f, "<option value=\"%s\">", t[i].id);
		srv_html(f, t[i].covers);
		fputs("</option>\n", f);
	}
	fputs("</select>\n<p class=\"hint\">None chosen means English.</p>\n<fieldset><legend>Their "
	      "circumstances</legend>\n",
	      f);
	vocab_choices(f, KITH_VOCAB_CIRCUMSTANCE, "circumstances");
	fputs("</fieldset>\n</fieldset>\n<button type=\"submit\">Find groups</button>\n</form>\n", f);
}

static void form_page(srv_response *res, const char *problem)
{
	page p;

	if (page_open(&p, "Find groups for a person") != 0)
		return;
	fputs("<h1>Find groups for a person</h1>\n", p.f);
	if (problem) {
		fputs("<div class=\"notice error\" role=\"alert\"><h2>There is a problem</h2><p>", p.f);
		srv_html(p.f, problem);
		fputs("</p></div>\n", p.f);
	}
	fputs("<p>Fill in what you know; every part is optional. Nothing you type is kept.</p>\n", p.f);
	person_form(p.f);
	page_send(&p, res, problem ? 400 : 200);
}

/* The posted answers again, as hidden fields, so the next form carries them on. */
static void hidden_answers(FILE *f, const srv_form *form, const char *skip1, const char *skip2)
{
	size_t i;

	for (i = 0; i < form->count; i++) {
		const srv_field *x = &form->items[i];
		if (!x->value[0] || (skip1 && strcmp(x->name, skip1) == 0) || (skip2 && strcmp(x->name, skip2) == 0))
			continue;
		fputs("<input type=\"hidden\" name=\"", f);
		srv_html(f, x->name);
		fputs("\" value=\"", f);
		srv_html(f, x->value);
		fputs("\">\n", f);
	}
}

static void result_card(FILE *f, const kith_result *r)
{
	size_t j;

	fprintf(f, "<div class=\"card\">\n<h2><span class=\"rank\">%zu</span>", r->rank);
	fputs("<a href=\"/group/", f);
	srv_html(f, r->key);
	fputs("\">", f);
	srv_html(f, r->name);
	fputs("</a></h2>\n", f);
	if (r->organisation) {
		fputs("<p class=\"score\">", f);
		srv_html(f, r->organisation);
		fputs("</p>\n", f);
	}
	fputs("<ul class=\"why\">\n", f);
	for (j = 0; j < r->reason_count; j++) {
		const kith_reason *x = &r->reasons[j];
		if (x->contribution <= 0 || strcmp(x->factor, "freshness") == 0 || strcmp(x->factor, "language") == 0 ||
		    strcmp(x->factor, "capacity") == 0)
			continue;
		fputs("<li>", f);
		srv_html(f, x->text);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n<dl class=\"facts\">\n<dt>How</dt><dd>", f);
	srv_html(f, r->how);
	fputs("</dd>\n", f);
	if (r->next_session) {
		fputs("<dt>Next</dt><dd>", f);
		srv_html(f, r->next_session);
		fputs("</dd>\n", f);
	}
	fputs("<dt>Cost</dt><dd>", f);
	srv_html(f, r->cost ? r->cost : "not listed");
	fputs("</dd>\n", f);
	if (r->venue || r->postcode) {
		fputs("<dt>Where</dt><dd>", f);
		srv_html(f, r->venue);
		fputs(r->venue && r->postcode ? ", " : "", f);
		srv_html(f, r->postcode);
		if (r->distance_km >= 0)
			fprintf(f, " (%.1f km)", r->distance_km);
		fputs("</dd>\n", f);
	}
	if (r->phone || r->email || r->web) {
		fputs("<dt>Contact</dt><dd>", f);
		srv_html(f, r->phone);
		fputs(r->phone && (r->email || r->web) ? ", " : "", f);
		srv_html(f, r->email);
		fputs(r->email && r->web ? ", " : "", f);
		srv_html(f, r->web);
		fputs("</dd>\n", f);
	}
	fputs("</dl>\n", f);
	for (j = 0; j < r->caution_count; j++) {
		fputs("<p class=\"caution\">Check: ", f);
		srv_html(f, r->cautions[j]);
		fputs("</p>\n", f);
	}
	if (r->also_listed) {
		fputs("<p>Also listed as <a href=\"/group/", f);
		srv_html(f, r->also_listed);
		fputs("\">", f);
		srv_html(f, r->also_listed);
		fputs("</a></p>\n", f);
	}
	fprintf(f, "<div class=\"choice noprint\"><input type=\"checkbox\" name=\"pick\" id=\"pick-%zu\" value=\"",
		r->rank);
	srv_html(f, r->key);
	fprintf(f, "\"><label for=\"pick-%zu\">Agreed with the person: put it on their sheet</label></div>\n", r->rank);
	fputs("</div>\n", f);
}

static void results_map(FILE *f, const kith_profile *p, const kith_results *rs)
{
	srv_map_pin pins[100];
	double lat, lon, km;
	size_t i, n = 0;

	if (!kith_profile_home(p, &lat, &lon, &km))
		return;
	for (i = 0; i < kith_results_count(rs) && n < 100; i++) {
		const kith_result *r = kith_results_get(rs, i);
		if (!r->venue_located || r->distance_km < 0)
			continue;
		pins[n].rank = (int)r->rank;
		pins[n].name = r->name;
		pins[n].lat = r->venue_lat;
		pins[n].lon = r->venue_lon;
		pins[n].km = r->distance_km;
		n++;
	}
	fputs("<div class=\"map\">\n", f);
	srv_map_write(f, lat, lon, km, pins, n);
	fputs("</div>\n", f);
}

/* Why a group the link worker names is not in the list: by key, or by part of its name. */
static void why_not_answer(FILE *f, srv_request *req, kith_profile *p, const kith_match_opts *opts, const char *asked)
{
	kith_matcher *m = req->engine->m;
	char *found = NULL, *why = NULL;
	json_t *list = NULL;
	const char *key = asked;

	fputs("<div class=\"notice\" role=\"status\" id=\"why-not-answer\"><h2>Why not \"", f);
	srv_html(f, asked);
	fputs("\"?</h2>\n", f);
	if (!strchr(asked, '/') && kith_groups_find_json(req->engine->idx, asked, 5, &found) == 0) {
		list = json_loads(found, 0, NULL);
		key = json_array_size(list) ? json_string_value(json_object_get(json_array_get(list, 0), "key")) : NULL;
	}
	if (!key) {
		fputs("<p>No group in the directory has that in its name.</p>\n", f);
	} else if (kith_matcher_why_not(m, p, opts, key, &why) != 0) {
		fputs("<p>", f);
		srv_html(f, kith_matcher_errmsg(m));
		fputs("</p>\n", f);
	} else {
		fputs("<p>", f);
		srv_html(f, why);
		fputs("</p>\n", f);
		if (json_array_size(list) > 1)
			fputs("<p class=\"hint\">Other groups have that in their name too: type more of it to choose "
			      "another.</p>\n",
			      f);
	}
	fputs("</div>\n", f);
	free(why);
	free(found);
	json_decref(list);
}

/* A home placed at its postcode district's centre is said, so distances are read as approximate. */
static void home_precision(FILE *f, const kith_results *rs)
{
	const char *place = NULL;

	kith_home_precision home = kith_results_home(rs, &place);

	if (home != KITH_HOME_DISTRICT && home != KITH_HOME_SECTOR)
		return;
	fputs(home == KITH_HOME_SECTOR ? "<p class=\"hint\">Home placed amid the listed venues of postcode sector "
				       : "<p class=\"hint\">Home placed at the centre of postcode district ",
	      f);
	srv_html(f, place ? place : "?");
	fputs(", not the street: distances are approximate. A street-level point, or the postcode directory "
	      "loaded with <code>kith postcodes</code>, makes them exact.</p>\n",
	      f);
}

/* What the matcher says of a need nothing in the list serves, plainly, before the cards. */
static void need_notes(FILE *f, const kith_results *rs)
{
	size_t i, said = 0;

	for (i = 0; i < kith_results_need_count(rs); i++) {
		const kith_need_cover *n = kith_results_need(rs, i);
		if (!*n->text)
			continue;
		fputs(said++ ? "<li>" : "<div class=\"notes\" role=\"note\"><h2>Not met by these groups</h2>\n<ul><li>",
		      f);
		srv_html(f, n->text);
		if (n->beyond) {
			fputs(" <a href=\"/group/", f);
			srv_html(f, n->beyond);
			fputs("\">About it</a>", f);
		}
		fputs("</li>\n", f);
	}
	if (said)
		fputs("</ul></div>\n", f);
}

static void results_page(srv_request *req, srv_response *res)
{
	kith_match_opts opts = KITH_MATCH_OPTS_INIT;
	kith_results *rs = NULL;
	kith_profile *p;
	const char *top = srv_form_get(&req->form, "top"), *why = srv_form_get(&req->form, "why");
	char problem[512];
	page pg;
	size_t i, n;

	if ((p = srv_form_profile(&req->form, problem, sizeof(problem))) == NULL) {
		form_page(res, problem);
		return;
	}
	opts.today = req->today;
	opts.top = top ? strtoul(top, NULL, 10) : 10;
	if (opts.top < 1 || opts.top > 200)
		opts.top = 10;
	if (kith_matcher_run(req->engine->m, p, &opts, &rs) != 0) {
		form_page(res, kith_matcher_errmsg(req->engine->m));
		kith_profile_free(p);
		return;
	}
	if (page_open(&pg, "Suggestions") != 0)
		goto cleanup;
	n = kith_results_count(rs);
	fprintf(pg.f, "<h1>%zu suggestion%s</h1>\n", n, n == 1 ? "" : "s");
	if (why)
		why_not_answer(pg.f, req, p, &opts, why);
	home_precision(pg.f, rs);
	need_notes(pg.f, rs);
	if (!n)
		fputs("<p>No group fits every practical need. Try a longer journey, more times, or joining "
		      "online.</p>\n",
		      pg.f);
	results_map(pg.f, p, rs);
	fputs("<form method=\"post\" action=\"/sheet\">\n", pg.f);
	hidden_answers(pg.f, &req->form, "why", "pick");
	for (i = 0; i < n; i++)
		result_card(pg.f, kith_results_get(rs, i));
	fputs("<fieldset class=\"noprint\"><legend>A sheet for the person</legend>\n"
	      "<label for=\"worker\">Your name</label><input type=\"text\" name=\"worker\" id=\"worker\">\n"
	      "<label for=\"worker-phone\">Your phone number</label><input type=\"tel\" name=\"worker-phone\" "
	      "id=\"worker-phone\">\n<button type=\"submit\">Make the sheet for the ticked groups</button>\n"
	      "</fieldset>\n</form>\n",
	      pg.f);
	fputs("<form method=\"post\" action=\"/match\" class=\"noprint\">\n", pg.f);
	hidden_answers(pg.f, &req->form, "why", "pick");
	fputs("<label for=\"why\">Why not this group?</label><p class=\"hint\">Type part of a group's name</p>"
	      "<input type=\"text\" name=\"why\" id=\"why\">\n<button type=\"submit\" class=\"secondary\">Ask"
	      "</button>\n</form>\n",
	      pg.f);
	fputs("<form method=\"post\" action=\"/match\" class=\"noprint\">\n", pg.f);
	hidden_answers(pg.f, &req->form, "why", "top");
	fprintf(pg.f,
		"<input type=\"hidden\" name=\"top\" value=\"%zu\">\n<button type=\"submit\" "
		"class=\"secondary\">Show more</button>\n</form>\n",
		opts.top + 10);
	res->personal = 1;
	page_send(&pg, res, 200);

cleanup:
	kith_results_free(rs);
	kith_profile_free(p);
}

/* What to expect: the start of the listing's description, cut at a word. */
static void what_to_expect(FILE *f, kith_index *idx, const char *key)
{
	char *text = NULL, cut[320];
	json_t *g;
	const char *d;
	size_t n;

	if (kith_group_render_json(idx, key, &text) != 0 || (g = json_loads(text, 0, NULL)) == NULL) {
		free(text);
		return;
	}
	d = json_string_value(json_object_get(g, "description"));
	if (d) {
		n = strlen(d);
		if (n >= sizeof(cut)) {
			n = sizeof(cut) - 4;
			while (n > 0 && d[n] != ' ')
				n--;
		}
		snprintf(cut, sizeof(cut), "%.*s%s", (int)n, d, n < strlen(d) ? "..." : "");
		fputs("<p>", f);
		srv_html(f, cut);
		fputs("</p>\n", f);
	}
	json_decref(g);
	free(text);
}

/* One group on the person's sheet: plain facts they can act on, no scores. */
static void sheet_card(FILE *f, kith_index *idx, const kith_result *r)
{
	size_t j;

	fputs("<div class=\"card\">\n<h2>", f);
	srv_html(f, r->name);
	fputs("</h2>\n", f);
	what_to_expect(f, idx, r->key);
	fputs("<dl class=\"facts\">\n<dt>Next</dt><dd>", f);
	srv_html(f, r->next_session ? r->next_session : "phone to ask when it next meets");
	fputs("</dd>\n<dt>Where</dt><dd>", f);
	if (r->venue || r->postcode) {
		srv_html(f, r->venue);
		fputs(r->venue && r->postcode ? ", " : "", f);
		srv_html(f, r->postcode);
	} else {
		srv_html(f, r->how);
	}
	fputs("</dd>\n<dt>Cost</dt><dd>", f);
	srv_html(f, r->cost ? r->cost : "ask before going");
	fputs("</dd>\n", f);
	for (j = 0; j < r->caution_count; j++) {
		fputs("<dt>Note</dt><dd>", f);
		srv_html(f, r->cautions[j]);
		fputs("</dd>\n", f);
	}
	if (r->phone || r->email || r->web) {
		fputs("<dt>Contact</dt><dd>", f);
		srv_html(f, r->phone);
		fputs(r->phone && (r->email || r->web) ? ", " : "", f);
		srv_html(f, r->email ? r->email : r->web);
		fputs("</dd>\n", f);
	}
	fputs("</dl>\n</div>\n", f);
}

/* The sheet: one A4 page in large plain type, and the same as a short text to send. */
static void sheet_page(srv_request *req, srv_response *res)
{
	kith_match_opts opts = KITH_MATCH_OPTS_INIT;
	kith_results *rs = NULL;
	kith_profile *p;
	const char *top = srv_form_get(&req->form, "top"), *worker = srv_form_get(&req->form, "worker");
	const char *phone = srv_form_get(&req->form, "worker-phone"), *key;
	char problem[512], *text = NULL;
	size_t i, k, size = 0, shown = 0;
	FILE *sms;
	page pg;

	if ((p = srv_form_profile(&req->form, problem, sizeof(problem))) == NULL) {
		form_page(res, problem);
		return;
	}
	opts.today = req->today;
	opts.top = top ? strtoul(top, NULL, 10) : 10;
	if (opts.top < 1 || opts.top > 200)
		opts.top = 10;
	if (kith_matcher_run(req->engine->m, p, &opts, &rs) != 0 || page_open(&pg, "Your groups") != 0 ||
	    (sms = open_memstream(&text, &size)) == NULL) {
		srv_error_page(res, 500, "The sheet could not be made", kith_matcher_errmsg(req->engine->m));
		goto cleanup;
	}
	fputs("<div class=\"sheet\">\n<h1>Groups we talked about</h1>\n", pg.f);
	for (i = 0; i < kith_results_count(rs); i++) {
		const kith_result *r = kith_results_get(rs, i);
		int picked = 0;
		for (k = 0; (key = srv_form_next(&req->form, "pick", &k)) != NULL;)
			picked |= strcmp(key, r->key) == 0;
		if (!picked)
			continue;
		shown++;
		sheet_card(pg.f, req->engine->idx, r);
		fprintf(sms, "%s%s: %s%s%s; %s; %s%s%s\n", shown > 1 ? "\n" : "", r->name,
			r->next_session ? "next " : "", r->next_session ? r->next_session : "",
			r->next_session ? "" : "ask when it meets", r->cost ? r->cost : "ask the cost",
			r->venue ? r->venue : r->how, r->phone ? "; " : "", r->phone ? r->phone : "");
	}
	if (!shown)
		fputs("<p>No group was ticked: go back and tick the ones agreed with the person.</p>\n", pg.f);
	if (worker || phone) {
		fputs("<p>If you want to talk it over, call ", pg.f);
		srv_html(pg.f, worker ? worker : "your link worker");
		if (phone) {
			fputs(" on ", pg.f);
			srv_html(pg.f, phone);
		}
		fputs(".</p>\n", pg.f);
		fprintf(sms, "\nAny questions: %s%s%s\n", worker ? worker : "", worker && phone ? ", " : "",
			phone ? phone : "");
	}
	fclose(sms);
	fputs("</div>\n<div class=\"noprint\"><h2>To send as a text or an email</h2>\n<label for=\"text-version\">"
	      "Copy this</label><textarea id=\"text-version\" readonly rows=\"8\">",
	      pg.f);
	srv_html(pg.f, text);
	fputs("</textarea>\n<p>Print this page for the person with your browser's Print.</p></div>\n", pg.f);
	res->personal = 1;
	page_send(&pg, res, 200);

cleanup:
	free(text);
	kith_results_free(rs);
	kith_profile_free(p);
}

static void json_text_row(FILE *f, const char *label, json_t *v)
{
	if (!json_is_string(v) || !json_string_length(v))
		return;
	fputs("<tr><th scope=\"row\">", f);
	srv_html(f, label);
	fputs("</th><td>", f);
	srv_html(f, json_string_value(v));
	fputs("</td></tr>\n", f);
}

/* A group's whole listing, from the same JSON the API gives. */
static void group_page(srv_request *req, srv_response *res, const char *key)
{
	char *text = NULL;
	json_t *g, *v, *x;
	const char *name;
	size_t i;
	page pg;
	int rc = kith_group_render_json(req->engine->idx, key, &text);

	if (rc != 0 || (g = json_loads(text, 0, NULL)) == NULL) {
		free(text);
		srv_error_page(res, rc == KITH_ENOTFOUND ? 404 : 500,
			       rc == KITH_ENOTFOUND ? "No such group" : "The group could not be read",
			       kith_index_errmsg(req->engine->idx));
		return;
	}
	free(text);
	name = json_string_value(json_object_get(g, "name"));
	if (page_open(&pg, name ? name : key) != 0) {
		json_decref(g);
		return;
	}
	fputs("<h1>", pg.f);
	srv_html(pg.f, name);
	fputs("</h1>\n<p>", pg.f);
	srv_html(pg.f, json_string_value(json_object_get(g, "description")));
	fputs("</p>\n<table>\n", pg.f);
	json_text_row(pg.f, "Run by", json_object_get(g, "organisation"));
	json_text_row(pg.f, "Capacity", json_object_get(g, "capacity"));
	json_array_foreach(json_object_get(g, "venues"), i, v)
	{
		json_text_row(pg.f, "Venue", json_object_get(v, "address"));
		json_text_row(pg.f, "Postcode", json_object_get(v, "postcode"));
	}
	if (json_array_size(json_object_get(g, "area_served"))) {
		fputs("<tr><th scope=\"row\">For people living in</th><td>", pg.f);
		json_array_foreach(json_object_get(g, "area_served"), i, v)
		{
			fputs(i ? ", " : "", pg.f);
			srv_html(pg.f, json_string_value(v));
		}
		fputs("</td></tr>\n", pg.f);
	}
	x = json_object_get(g, "schedule");
	json_array_foreach(json_object_get(x, "sessions"), i, v)
	{
		fputs("<tr><th scope=\"row\">Meets</th><td>", pg.f);
		srv_html(pg.f, json_string_value(json_object_get(v, "day")));
		fputs(" ", pg.f);
		srv_html(pg.f, json_string_value(json_object_get(v, "start")));
		fputs("-", pg.f);
		srv_html(pg.f, json_string_value(json_object_get(v, "end")));
		fputs("</td></tr>\n", pg.f);
	}
	if (json_is_true(json_object_get(x, "by_appointment")))
		fputs("<tr><th scope=\"row\">Meets</th><td>by appointment</td></tr>\n", pg.f);
	{
		const char *fact;
		json_object_foreach(json_object_get(g, "access"), fact, v)
		{
			fputs("<tr><th scope=\"row\">", pg.f);
			srv_html(pg.f, fact);
			fputs("</th><td>", pg.f);
			srv_html(pg.f, json_string_value(v));
			fputs("</td></tr>\n", pg.f);
		}
	}
	x = json_object_get(g, "contact");
	json_text_row(pg.f, "Phone", json_object_get(x, "phone"));
	json_text_row(pg.f, "Email", json_object_get(x, "email"));
	json_text_row(pg.f, "Web", json_object_get(x, "web"));
	json_text_row(pg.f, "Listing checked", json_object_get(g, "updated"));
	x = json_object_get(g, "feed");
	json_text_row(pg.f, "Listed by", json_object_get(x, "publisher"));
	json_text_row(pg.f, "Loaded", json_object_get(x, "loaded_at"));
	fputs("</table>\n", pg.f);
	if (json_array_size(json_object_get(g, "also_listed"))) {
		fputs("<h2>Other listings of this group</h2>\n<ul>\n", pg.f);
		json_array_foreach(json_object_get(g, "also_listed"), i, v)
		{
			fputs("<li><a href=\"/group/", pg.f);
			srv_html(pg.f, json_string_value(v));
			fputs("\">", pg.f);
			srv_html(pg.f, json_string_value(v));
			fputs("</a></li>\n", pg.f);
		}
		fputs("</ul>\n", pg.f);
	}
	json_decref(g);
	page_send(&pg, res, 200);
}

static void count_row(FILE *f, const char *label, long long n, long long of)
{
	fprintf(f, "<tr><th scope=\"row\">%s</th><td>%lld</td><td>%.1f%%</td></tr>\n", label, n,
		of ? 100.0 * (double)n / (double)of : 0.0);
}

#define GAP_LIST_LIMIT 100 /* listings shown of each gap; the rest are counted */

static const struct gap_section {
	kith_gap gap;
	const char *title, *flag, *why;
} gap_sections[] = {
	{KITH_GAP_NEVER_SHOWN, "Listings no one can be shown", "never-shown",
	 "kith can never recommend these: it cannot tell where they are, or they are closed or over."},
	{KITH_GAP_NO_ACCESS, "Listings with no accessibility facts", "no-access",
	 "For someone who needs step-free or wheelchair access these rank lower, with a caution to phone first."},
	{KITH_GAP_NO_SCHEDULE, "Listings with no schedule", "no-schedule",
	 "kith cannot say when these meet, so it cannot check them against when a person is free."},
};

/* One gap's listings, each a link to its page, with the command that lists them all. */
static void gap_section(FILE *f, srv_request *req, const struct gap_section *sec)
{
	kith_gap_list *list = NULL;
	size_t i;

	fprintf(f, "<h2>%s</h2>\n<p>%s</p>\n", sec->title, sec->why);
	if (kith_index_gaps(req->engine->idx, sec->gap, req->today, GAP_LIST_LIMIT, &list) != 0) {
		fputs("<p>This list could not be read: ", f);
		srv_html(f, kith_index_errmsg(req->engine->idx));
		fputs("</p>\n", f);
		return;
	}
	if (list->count == 0)
		fputs("<p>None.</p>\n", f);
	else
		fputs("<ul class=\"gaps\">\n", f);
	for (i = 0; i < list->count; i++) {
		const kith_gap_item *it = &list->items[i];
		fputs("<li><a href=\"/group/", f);
		srv_html(f, it->key);
		fputs("\">", f);
		srv_html(f, it->name);
		fputs("</a> <span class=\"key\">", f);
		srv_html(f, it->key);
		fprintf(f, "</span>%s%s</li>\n", sec->gap == KITH_GAP_NEVER_SHOWN ? ": " : "",
			sec->gap == KITH_GAP_NEVER_SHOWN ? it->reason : "");
	}
	if (list->count)
		fputs("</ul>\n", f);
	if (list->total > (long long)list->count)
		fprintf(f, "<p>And %lld more: <code>kith stats DB --gaps %s</code> lists them all.</p>\n",
			list->total - (long long)list->count, sec->flag);
	kith_gap_list_free(list);
}

/* For directory maintainers: the feeds, how fresh the listings are, and what they lack. */
static void maintain_page(srv_request *req, srv_response *res)
{
	kith_stats *st = NULL;
	size_t i;
	page pg;

	if (kith_index_stats(req->engine->idx, req->today, &st) != 0) {
		srv_error_page(res, 500, "The directory could not be read", kith_index_errmsg(req->engine->idx));
		return;
	}
	if (page_open(&pg, "The directory") != 0) {
		kith_stats_free(st);
		return;
	}
	fprintf(pg.f,
		"<h1>The directory</h1>\n<p>%lld groups, %lld venues, %lld weekly sessions.</p>\n"
		"<h2>Feeds</h2>\n<table><tr><th scope=\"col\">Feed</th><th scope=\"col\">Groups</th>"
		"<th scope=\"col\">Loaded</th><th scope=\"col\">Publisher</th></tr>\n",
		st->groups, st->venues, st->sessions);
	for (i = 0; i < st->feed_count; i++) {
		fputs("<tr><td>", pg.f);
		srv_html(pg.f, st->feeds[i].id);
		fprintf(pg.f, "</td><td>%lld</td><td>", st->feeds[i].groups);
		srv_html(pg.f, st->feeds[i].loaded_at);
		fputs("</td><td>", pg.f);
		srv_html(pg.f, st->feeds[i].publisher);
		fputs("</td></tr>\n", pg.f);
	}
	fputs("</table>\n<h2>Freshness and gaps</h2>\n<table><tr><th scope=\"col\">Listings</th><th scope=\"col\">"
	      "Groups</th><th scope=\"col\">Share</th></tr>\n",
	      pg.f);
	count_row(pg.f, "updated in the last 3 months", st->fresh_3m, st->groups);
	count_row(pg.f, "updated 3 to 12 months ago", st->fresh_12m, st->groups);
	count_row(pg.f, "not updated for over 12 months", st->stale, st->groups);
	count_row(pg.f, "with no updated date", st->undated, st->groups);
	count_row(pg.f, "with no accessibility facts", st->no_access, st->groups);
	count_row(pg.f, "with no schedule", st->no_schedule, st->groups);
	count_row(pg.f, "with no place, online option, home visits or area served: never shown", st->no_location,
		  st->groups);
	count_row(pg.f, "closed to new members: never shown", st->closed, st->groups);
	count_row(pg.f, "courses that have ended: never shown", st->ended_courses, st->groups);
	fputs("</table>\n", pg.f);
	for (i = 0; i < sizeof(gap_sections) / sizeof(gap_sections[0]); i++)
		gap_section(pg.f, req, &gap_sections[i]);
	fputs("<p><code>kith check</code> finds each listing in its feed with the file and line.</p>\n", pg.f);
	kith_stats_free(st);
	page_send(&pg, res, 200);
}

void srv_page(srv_request *req, srv_response *res)
{
	const char *path = req->path;
	int post = strcmp(req->method, "POST") == 0;

	if (post && srv_form_parse(&req->form, req->body, req->body_size) != 0) {
		srv_error_page(res, 400, "Too many answers in one form", NULL);
		return;
	}
	if (strcmp(path, "/") == 0 && !post) {
		req->route = "/";
		form_page(res, NULL);
	} else if (strcmp(path, "/match") == 0 && post) {
		req->route = "/match";
		results_page(req, res);
	} else if (strcmp(path, "/sheet") == 0 && post) {
		req->route = "/sheet";
		sheet_page(req, res);
	} else if (strncmp(path, "/group/", 7) == 0 && strchr(path + 7, '/') && !post) {
		req->route = "/group/{feed}/{group}";
		group_page(req, res, path + 7);
	} else if (strcmp(path, "/maintain") == 0 && !post) {
		req->route = "/maintain";
		maintain_page(req, res);
	} else if (strcmp(path, "/style.css") == 0 && !post) {
		char *css = strdup(srv_css());
		req->route = "/style.css";
		srv_respond(res, 200, "text/css; charset=utf-8", css, css ? strlen(css) : 0);
	} else if (strcmp(path, "/") == 0 || strcmp(path, "/match") == 0 || strcmp(path, "/sheet") == 0 ||
		   strcmp(path, "/maintain") == 0) {
		srv_error_page(res, 405, "That page is not used that way", NULL);
		res->allow = strcmp(path, "/match") == 0 || strcmp(path, "/sheet") == 0 ? "POST" : "GET, HEAD";
	} else {
		srv_error_page(res, 404, "Page not found", "There is no such page.");
	}
}
