/*
 * A match's results written out (kith_results_render in kith/render.h):
 * text for a person to read, JSON for software, TREC run lines.
 */
#include "kith/render.h"

#include <string.h>

#include "render/json.h"
#include "render/trec.h"
#include "util/buf.h"

int kith_format_parse(const char *name, kith_format *out)
{
	static const char *const names[] = {"text", "json", "trec"};
	size_t i;

	for (i = 0; name && i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (kith_format)i;
			return 0;
		}
	}
	return KITH_EINVALID;
}

static void json_result(kith_buf *b, const kith_result *r)
{
	size_t j;

	kith_buf_printf(b, "{\"rank\": %zu, \"key\": ", r->rank);
	kith_json_string(b, r->key);
	kith_buf_puts(b, ", \"name\": ");
	kith_json_string(b, r->name);
	kith_json_field(b, "organisation", r->organisation);
	kith_buf_printf(b, ", \"score\": %.3f, \"reasons\": [", r->score);
	for (j = 0; j < r->reason_count; j++) {
		kith_buf_printf(b, "%s{\"factor\": ", j ? ", " : "");
		kith_json_string(b, r->reasons[j].factor);
		kith_buf_printf(b, ", \"contribution\": %.3f, \"text\": ", r->reasons[j].contribution);
		kith_json_string(b, r->reasons[j].text);
		kith_buf_putc(b, '}');
	}
	kith_buf_puts(b, "], \"cautions\": [");
	for (j = 0; j < r->caution_count; j++) {
		kith_buf_puts(b, j ? ", " : "");
		kith_json_string(b, r->cautions[j]);
	}
	kith_buf_putc(b, ']');
	kith_json_field(b, "how", r->how);
	kith_json_field(b, "venue", r->venue);
	kith_json_field(b, "postcode", r->postcode);
	if (r->distance_km >= 0)
		kith_buf_printf(b, ", \"distance_km\": %.1f", r->distance_km);
	else
		kith_buf_puts(b, ", \"distance_km\": null");
	kith_json_field(b, "next_session", r->next_session);
	kith_json_field(b, "cost", r->cost);
	kith_buf_puts(b, ", \"contact\": {\"phone\": ");
	kith_json_value(b, r->phone);
	kith_json_field(b, "email", r->email);
	kith_json_field(b, "web", r->web);
	kith_buf_putc(b, '}');
	kith_json_field(b, "also_listed", r->also_listed);
	kith_buf_putc(b, '}');
}

static void render_json(kith_buf *b, const kith_results *res)
{
	const char *place;
	size_t i;

	static const char *const precision[] = {"unknown", "point", "postcode", "district", "sector"};
	kith_home_precision home = kith_results_home(res, &place);

	kith_buf_puts(b, "{\"patient\": ");
	kith_json_string(b, kith_results_patient(res));
	kith_buf_printf(b, ", \"home\": {\"precision\": \"%s\", \"place\": ", precision[home]);
	kith_json_value(b, place);
	kith_buf_puts(b, "}, \"results\": [");
	for (i = 0; i < kith_results_count(res); i++) {
		kith_buf_puts(b, i ? ",\n  " : "\n  ");
		json_result(b, kith_results_get(res, i));
	}
	kith_buf_puts(b, "\n], \"needs\": [");
	for (i = 0; i < kith_results_need_count(res); i++) {
		const kith_need_cover *n = kith_results_need(res, i);
		kith_buf_puts(b, i ? ",\n  {\"need\": " : "\n  {\"need\": ");
		kith_json_string(b, n->need);
		kith_buf_printf(b, ", \"shown\": %zu, \"reachable\": %zu, \"beyond\": ", n->shown, n->reachable);
		if (n->beyond) {
			kith_buf_puts(b, "{\"key\": ");
			kith_json_string(b, n->beyond);
			kith_buf_puts(b, ", \"name\": ");
			kith_json_string(b, n->beyond_name);
			if (n->beyond_km >= 0)
				kith_buf_printf(b, ", \"distance_km\": %.1f}", n->beyond_km);
			else
				kith_buf_puts(b, ", \"distance_km\": null}");
		} else {
			kith_buf_puts(b, "null");
		}
		kith_buf_puts(b, ", \"note\": ");
		kith_json_value(b, *n->text ? n->text : NULL);
		kith_buf_putc(b, '}');
	}
	kith_buf_puts(b, kith_results_need_count(res) ? "\n]}\n" : "]}\n");
}

/* The reasons that carry most of the score, in one line. */
static void top_reasons(kith_buf *b, const kith_result *r)
{
	const kith_reason *best[3] = {NULL, NULL, NULL};
	size_t i, k;

	for (i = 0; i < r->reason_count; i++) {
		const kith_reason *x = &r->reasons[i];
		if (x->contribution <= 0 || strcmp(x->factor, "capacity") == 0 || strcmp(x->factor, "freshness") == 0 ||
		    strcmp(x->factor, "language") == 0 || strcmp(x->factor, "access") == 0)
			continue;
		for (k = 0; k < 3; k++) {
			if (!best[k] || x->contribution > best[k]->contribution) {
				memmove(&best[k + 1], &best[k], (2 - k) * sizeof(best[0]));
				best[k] = x;
				break;
			}
		}
	}
	kith_buf_puts(b, "    why: ");
	for (k = 0; k < 3 && best[k]; k++)
		kith_buf_printf(b, "%s%s", k ? "; " : "", best[k]->text);
	kith_buf_putc(b, '\n');
}

/* "how", "where" and "contact" lines, the cautions and "also listed as". */
static void text_details(kith_buf *b, const kith_result *r)
{
	size_t j;

	kith_buf_printf(b, "    how: %s", r->how);
	if (r->next_session)
		kith_buf_printf(b, "; next: %s", r->next_session);
	kith_buf_printf(b, "; cost: %s\n", r->cost ? r->cost : "not listed");
	if (r->venue || r->postcode) {
		kith_buf_printf(b, "    where: %s%s%s", r->venue ? r->venue : "", r->venue && r->postcode ? ", " : "",
				r->postcode ? r->postcode : "");
		if (r->distance_km >= 0)
			kith_buf_printf(b, " (%.1f km)", r->distance_km);
		kith_buf_putc(b, '\n');
	}
	if (r->phone || r->email || r->web)
		kith_buf_printf(b, "    contact: %s%s%s%s%s\n", r->phone ? r->phone : "",
				r->phone && (r->email || r->web) ? ", " : "", r->email ? r->email : "",
				r->email && r->web ? ", " : "", r->web ? r->web : "");
	for (j = 0; j < r->caution_count; j++)
		kith_buf_printf(b, "    check: %s\n", r->cautions[j]);
	if (r->also_listed)
		kith_buf_printf(b, "    also listed as %s\n", r->also_listed);
}

static void render_text(kith_buf *b, const kith_results *res, const kith_render_opts *opts)
{
	size_t i, j, n = kith_results_count(res);
	const char *place;

	kith_buf_printf(b, "%zu suggestion%s for %s%s%s\n", n, n == 1 ? "" : "s", kith_results_patient(res),
			opts->today ? " as of " : "", opts->today ? opts->today : "");
	switch (kith_results_home(res, &place)) {
	case KITH_HOME_DISTRICT:
		kith_buf_printf(b,
				"home: the centre of postcode district %s, not the street: distances are approximate\n",
				place ? place : "?");
		break;
	case KITH_HOME_SECTOR:
		kith_buf_printf(b,
				"home: amid the listed venues of postcode sector %s, not the street: distances are "
				"approximate\n",
				place ? place : "?");
		break;
	default: break;
	}
	/* a need nothing here serves is said first, not hidden behind the list */
	for (i = 0; i < kith_results_need_count(res); i++)
		if (*kith_results_need(res, i)->text)
			kith_buf_printf(b, "note: %s\n", kith_results_need(res, i)->text);
	for (i = 0; i < n; i++) {
		const kith_result *r = kith_results_get(res, i);
		kith_buf_printf(b, "\n%2zu. %s  [%.3f]\n    %s\n", r->rank, r->name, r->score, r->key);
		if (opts->explain) {
			for (j = 0; j < r->reason_count; j++)
				kith_buf_printf(b, "    %-13s %+.3f  %s\n", r->reasons[j].factor,
						r->reasons[j].contribution, r->reasons[j].text);
			kith_buf_printf(b, "    %-13s %+.3f\n", "score", r->score);
		} else {
			top_reasons(b, r);
		}
		text_details(b, r);
	}
}

int kith_results_render(const kith_results *results, const kith_render_opts *opts, char **out)
{
	kith_render_opts defaults = KITH_RENDER_OPTS_INIT;
	kith_buf b = KITH_BUF_INIT;
	size_t i;
	int error;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	switch (opts->format) {
	case KITH_FORMAT_TEXT: render_text(&b, results, opts); break;
	case KITH_FORMAT_JSON: render_json(&b, results); break;
	case KITH_FORMAT_TREC:
		for (i = 0; i < kith_results_count(results); i++) {
			const kith_result *r = kith_results_get(results, i);
			kith_trec_line(&b, kith_results_patient(results), r->key, r->rank, r->score,
				       opts->run_name ? opts->run_name : "kith");
		}
		break;
	default: return KITH_EINVALID;
	}
	if ((error = kith_buf_error(&b)) != 0) {
		kith_buf_release(&b);
		return error;
	}
	if ((*out = kith_buf_detach(&b)) == NULL)
		return KITH_ENOMEM;
	return 0;
}
