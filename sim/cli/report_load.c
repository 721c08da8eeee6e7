/* report_load.c - a finished run read back from its directory for a
 * report: its resolved config (for the model's layout), its figures from
 * summary.json, its survival curve and its outcomes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report.h"
#include "core/errors.h"

/* Figure X of a summary.json ({"value": V, "ci": [LO, HI]}) into *F. */
static void json_figure(const json_t *x, struct figure *f)
{
	const json_t *v = json_object_get(x, "value"), *ci = json_object_get(x, "ci");

	memset(f, 0, sizeof(*f));
	f->lo = f->hi = NAN;
	if (json_is_number(v)) {
		f->defined = 1;
		f->value = json_number_value(v);
	}
	if (f->defined && json_is_array(ci) && json_array_size(ci) == 2 &&
	    json_is_number(json_array_get(ci, 0)) && json_is_number(json_array_get(ci, 1))) {
		f->has_ci = 1;
		f->lo = json_number_value(json_array_get(ci, 0));
		f->hi = json_number_value(json_array_get(ci, 1));
	}
}

/* The figures of R's layout from its summary.json: the model's, then each
 * breakdown's per actor (by name). */
static void read_figures(struct rrun *r)
{
	const struct model_layout *L = r->sc.layout;
	const json_t *figs = json_object_get(r->summary, "figures");
	const json_t *bds = json_object_get(r->summary, "breakdowns");
	size_t i, b;
	int a;

	for (i = 0; i < L->nfigures; i++)
		json_figure(json_object_get(figs, L->figures[i].key), &r->fig[i]);
	for (b = 0; b < L->nbreakdowns; b++) {
		const json_t *one = json_array_get(bds, b);
		const json_t *actors = json_object_get(one, L->actor ? L->actor : "actors");

		for (a = 0; a < L->nactors; a++)
			json_figure(json_object_get(actors, L->actor_names[a]),
				    &r->fig[L->nfigures + b * (size_t)L->nactors + (size_t)a]);
	}
}

int report_run_load(struct rrun *r, const char *dir)
{
	char path[4200];
	json_error_t je;
	const json_t *run;

	memset(r, 0, sizeof(*r));
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	snprintf(path, sizeof(path), "%s/config.cfg", dir);
	if (scenario_open(&r->sc, &r->cfg, path, NULL, 0, NULL, NULL) < 0)
		return error("cannot make a report of %s: its config.cfg does not load", dir);
	r->sc_open = 1;
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	r->summary = json_load_file(path, 0, &je);
	if (!json_is_object(r->summary))
		return error("%s:%d: cannot read the summary: %s", path, je.line, je.text);
	r->fig = calloc(summary_count(r->sc.layout), sizeof(*r->fig));
	if (!r->fig)
		return error("out of memory");
	read_figures(r);
	run = json_object_get(r->summary, "run");
	r->config = json_string_value(json_object_get(run, "config"));
	if (!r->config)
		r->config = "(unknown)";
	r->trials = (uint64_t)json_integer_value(json_object_get(r->summary, "trials"));
	snprintf(path, sizeof(path), "%s/survival.tsv", dir);
	if (rtable_read(path, &r->surv) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/outcomes.tsv", dir);
	if (rtable_read(path, &r->outc) < 0)
		return -1;
	return 0;
}

void report_run_free(struct rrun *r)
{
	free(r->fig);
	json_decref(r->summary);
	rtable_free(&r->surv);
	rtable_free(&r->outc);
	if (r->sc_open)
		scenario_release(&r->sc);
	cfg_release(&r->cfg);
	memset(r, 0, sizeof(*r));
}
