/* output.c - tables, JSON and data files. */
#include "io/output.h"
#include "io/provenance.h"

#include <math.h>
#include <string.h>

#include "core/atomic.h"
#include "core/errors.h"
#include "core/numbers.h"
#include "core/status.h"
#include "models/model.h"

#define REAL_DIGITS 10

static void ci_text(char *buf, size_t n, const struct figure *f)
{
	if (!f->defined)
		snprintf(buf, n, "%s", "");
	else if (!f->has_ci)
		snprintf(buf, n, "%s", "-");
	else
		snprintf(buf, n, "[%.4f, %.4f]", f->lo, f->hi);
}

int output_table(FILE *f, const struct run_info *r)
{
	const struct scenario *sc = r->sc;
	const struct model_layout *L = sc->layout;
	const struct tally *t = r->t;
	char ci[64];
	size_t i, b;
	int g;

	/* Names and paths escaped: no control character reaches the terminal. */
	fputs("scenario  ", f);
	output_escape(f, sc->name);
	fprintf(f, "\nmodel     %s, %ld steps of %.6g years (horizon %.6g years%s%s)\n",
		sc->model->name, sc->n_steps, sc->dt, sc->horizon, sc->start ? " from " : "",
		sc->start ? sc->start : "");
	fputs("config    ", f);
	output_escape(f, r->cfg->name);
	fputc('\n', f);
	fprintf(f, "trials    %llu, seed %llu, rng %s\n", (unsigned long long)t->trials,
		(unsigned long long)sc->seed, sc->rng->name);
	fprintf(f, "estimator %s%s\n", scenario_estimator_name(sc),
		sc->estimator == MODEL_CONDITIONAL
		? sc->antithetic ? " (each trial's chances given its draws; antithetic pairs)"
				 : " (each trial's chances given its draws)"
		: " (each trial counts 0 or 1)");
	fprintf(f, "time      %.3f s on %d thread%s: %.4g trials/s, %.4g trial-steps/s\n\n",
		r->seconds, r->threads, r->threads == 1 ? "" : "s",
		(double)t->trials / r->seconds, (double)t->steps / r->seconds);
	fprintf(f, "%-32s %-38s %8s  %s\n", "figure", "meaning", "value", "95% CI");
	for (i = 0; i < L->nfigures; i++) {
		const struct figure *x = &r->fig[i];

		ci_text(ci, sizeof(ci), x);
		if (x->defined)
			fprintf(f, "%-32s %-38s %8.4f  %s\n", L->figures[i].key, L->figures[i].label,
				x->value, ci);
		else
			fprintf(f, "%-32s %-38s %8s\n", L->figures[i].key, L->figures[i].label, "n/a");
	}
	for (b = 0; L->nactors > 0 && b < L->nbreakdowns; b++) {
		fprintf(f, "\n%-32s %8s  %s\n", L->breakdowns[b].title, "value", "95% CI");
		for (g = 0; g < L->nactors; g++) {
			const struct figure *x = &r->fig[L->nfigures + b * (size_t)L->nactors + (size_t)g];

			if (!x->defined)
				fprintf(f, "%-32.32s %8s\n", L->actor_names[g], "n/a");
			else
				fprintf(f, "%-32.32s %8.4f  [%.4f, %.4f]\n", L->actor_names[g], x->value,
					x->lo, x->hi);
		}
	}
	return ferror(f) ? -1 : 0;
}

/* Figure X as {"value": V, "ci": [LO, HI]}, null where undefined. */
static json_t *figure_json(const struct figure *x, const char *label)
{
	json_t *o = json_object();

	if (label)
		json_object_set_new(o, "label", json_string(label));
	json_object_set_new(o, "value", x->defined ? json_real(x->value) : json_null());
	json_object_set_new(o, "ci", x->defined && x->has_ci ? json_pack("[f, f]", x->lo, x->hi)
							      : json_null());
	return o;
}

/* Every figure of R with its interval, the per-actor breakdowns, what was
 * run and the provenance, into J. */
static void json_details(json_t *j, const struct run_info *r)
{
	const struct model_layout *L = r->sc->layout;
	const struct scenario *sc = r->sc;
	json_t *figs = json_object(), *bd = json_array(), *run = json_object();
	char hash[17];
	size_t i, b;
	int a;

	for (i = 0; i < L->nfigures; i++)
		json_object_set_new(figs, L->figures[i].key,
				    figure_json(&r->fig[i], L->figures[i].label));
	for (b = 0; b < L->nbreakdowns; b++) {
		json_t *one = json_object(), *actors = json_object();

		json_object_set_new(one, "title", json_string(L->breakdowns[b].title));
		json_object_set_new(one, "key", json_string(L->breakdowns[b].fig.key));
		for (a = 0; a < L->nactors; a++)
			json_object_set_new(actors, L->actor_names[a],
					    figure_json(&r->fig[L->nfigures + b * (size_t)L->nactors +
								(size_t)a], NULL));
		json_object_set_new(one, L->actor ? L->actor : "actors", actors);
		json_array_append_new(bd, one);
	}
	json_object_set_new(run, "scenario", json_string(sc->name));
	json_object_set_new(run, "model", json_string(sc->model->name));
	{
		char *name = output_escaped(r->cfg->name);	/* valid UTF-8 */

		json_object_set_new(run, "config", json_string(name ? name : "?"));
		free(name);
	}
	json_object_set_new(run, "content_hash", json_string(provenance_config_hash(r->cfg, hash)));
	json_object_set_new(run, "rng", json_string(sc->rng->name));
	json_object_set_new(run, "horizon_years", json_real(sc->horizon));
	json_object_set_new(run, "steps_per_year", json_integer(sc->steps_per_year));
	json_object_set_new(j, "figures", figs);
	json_object_set_new(j, "breakdowns", bd);
	json_object_set_new(j, "run", run);
	json_object_set_new(j, "provenance", provenance_json());
}

json_t *output_json(const struct run_info *r)
{
	const struct model_layout *L = r->sc->layout;
	json_t *j = json_object();
	char key[256];
	size_t i;

	json_object_set_new(j, "trials", json_integer((json_int_t)r->t->trials));
	json_object_set_new(j, "seed", json_integer((json_int_t)r->sc->seed));
	json_object_set_new(j, "estimator", json_string(scenario_estimator_name(r->sc)));
	json_object_set_new(j, "antithetic", json_boolean(r->sc->antithetic));
	for (i = 0; i < L->nfigures; i++) {
		const struct model_figure *d = &L->figures[i];
		const struct figure *x = &r->fig[i];

		if (!(d->flags & MODEL_FIG_JSON))
			continue;
		json_object_set_new(j, d->key, x->defined ? json_real(x->value) : json_null());
		if (d->flags & MODEL_FIG_CI) {
			snprintf(key, sizeof(key), "%s_ci", d->key);
			json_object_set_new(j, key, json_pack("[f, f]", x->lo, x->hi));
		}
	}
	json_details(j, r);
	return j;
}

int output_dump_json(FILE *f, const json_t *j)
{
	if (json_dumpf(j, f, JSON_INDENT(2) | JSON_REAL_PRECISION(REAL_DIGITS)) < 0)
		return -1;
	fputc('\n', f);
	return ferror(f) ? -1 : 0;
}

void output_triple(FILE *f, const double *x, const char *fmt, int width)
{
	char v[32], lo[32], hi[32], cell[100];

	snprintf(v, sizeof(v), fmt, x[0]);
	snprintf(lo, sizeof(lo), fmt, x[1]);
	snprintf(hi, sizeof(hi), fmt, x[2]);
	snprintf(cell, sizeof(cell), "%s [%s, %s]", v, lo, hi);
	fprintf(f, " %-*s", width, cell);
}

int output_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int n = (s[0] >> 5) == 6 ? 2 : (s[0] >> 4) == 14 ? 3 : (s[0] >> 3) == 30 ? 4 : 0, i;
	unsigned long cp;

	if (!n)
		return 0;
	cp = s[0] & (0x7fu >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] >> 6) != 2)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void output_escape(FILE *f, const char *s)
{
	while (*s) {
		unsigned char c = (unsigned char)*s;
		int n = c >= 0x80 ? output_utf8(s) : 1;

		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20 || c == 0x7f || c == '#' || c == '"' || n == 0)
			fprintf(f, "\\x%02x", c);
		else
			fwrite(s, 1, (size_t)n, f);
		s += n ? n : 1;
	}
}

char *output_escaped(const char *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	output_escape(f, s);
	fclose(f);
	return text;
}

void output_header(FILE *f, const struct cfg *c, const struct scenario *sc,
		   const char *trials)
{
	char hash[17];

	provenance_write(f);
	fprintf(f, "# model: %s\n", sc->model->name);
	fputs("# config: ", f);
	output_escape(f, c->name);
	fprintf(f, "\n# content hash: %s (FNV-1a of the resolved config.cfg, its keys in order of name)\n",
		provenance_config_hash(c, hash));
	fputs("# scenario: ", f);
	output_escape(f, sc->name);
	fputc('\n', f);
	fprintf(f, "# seed: %llu\n", (unsigned long long)sc->seed);
	fprintf(f, "# trials: %s\n", trials);
	fprintf(f, "# rng: %s\n", sc->rng->name);
	fprintf(f, "# steps: %ld (%ld per year, horizon %.10g years)\n", sc->n_steps,
		sc->steps_per_year, sc->horizon);
	if (sc->start)
		fprintf(f, "# start: %s (year 0 is %.10g)\n", sc->start, sc->start_year);
	fprintf(f, "# estimator: %s%s\n", scenario_estimator_name(sc),
		sc->antithetic ? ", antithetic pairs" : "");
}

void output_provenance(FILE *f, const struct run_info *r, const char *what)
{
	char trials[32];

	snprintf(trials, sizeof(trials), "%llu", (unsigned long long)r->t->trials);
	output_header(f, r->cfg, r->sc, trials);
	fprintf(f, "# %s\n", what);
}

void output_axes(FILE *f, const struct model_layout *L)
{
	size_t i;

	for (i = 0; i < L->nfigures; i++) {
		const struct model_figure *d = &L->figures[i];

		fprintf(f, "# axis: %s\t%s\t%s\n", d->key, d->axis ? d->axis : d->key,
			d->kind != MODEL_MEAN_GIVEN ? "0–1" : d->flags & MODEL_FIG_YEARS ? "years" : "");
	}
}

static void write_survival(FILE *f, const struct run_info *r)
{
	const struct tally *t = r->t;
	struct figure x;
	long k;

	output_provenance(f, r, t->frac[r->sc->layout->curve] == 0
			  ? "survival: fraction of trials not attacked by the end of each step, "
			    "with its 95% Wilson interval"
			  : "survival: mean chance over trials of no attack by the end of each "
			    "step (conditional estimator), with its 95% interval");
	fprintf(f, "year\tsurvival\tci_lo\tci_hi\n");
	fprintf(f, "0\t1\t1\t1\n");
	for (k = 0; k < r->sc->n_steps; k++) {
		summary_survival(r->sc->layout, k, t, &x);
		fprintf(f, "%.*g\t%.*g\t%.*g\t%.*g\n",
			REAL_DIGITS, (double)(k + 1) / (double)r->sc->steps_per_year,
			REAL_DIGITS, x.value, REAL_DIGITS, x.lo, REAL_DIGITS, x.hi);
	}
}

static void write_outcomes(FILE *f, const struct run_info *r)
{
	const struct model_layout *L = r->sc->layout;
	char what[1024];
	size_t i;

	snprintf(what, sizeof(what), "outcomes: %s%s", L->outcomes_note,
		 r->t->frac[L->outcomes[0].counter] == 0 ? ""
		 : " (conditional estimator: a count is the sum of the trials' chances)");
	output_provenance(f, r, what);
	/* For charts: each category's colour group, fill and words. */
	for (i = 0; i < L->noutcomes; i++)
		fprintf(f, "# category: %s\t%d\t%s\t%s\n", L->outcomes[i].key, L->outcomes[i].group,
			L->outcomes[i].hatched ? "hatched" : "solid", L->outcomes[i].label);
	fprintf(f, "outcome\tcount\tfraction\tci_lo\tci_hi\n");
	for (i = 0; i < L->noutcomes; i++) {
		struct figure x;

		summary_outcome(L, i, r->t, &x);
		fprintf(f, "%s\t%.*Lg\t%.*g\t%.*g\t%.*g\n", L->outcomes[i].key, REAL_DIGITS,
			tally_get(r->t, L->outcomes[i].counter), REAL_DIGITS, x.value,
			REAL_DIGITS, x.lo, REAL_DIGITS, x.hi);
	}
}

static void write_config(FILE *f, const struct run_info *r)
{
	char hash[17];

	fprintf(f, "# The resolved config of a gsim %s run: overrides applied, defaults\n"
		"# filled. 'sim run' on this file gives the same results.\n"
		"# from: ", SIM_VERSION);
	output_escape(f, r->cfg->name);
	fputc('\n', f);
	provenance_write(f);
	fprintf(f, "# content hash: %s\n\n", provenance_config_hash(r->cfg, hash));
	cfg_write(f, &r->cfg->lc);
}

int output_dir(const char *dir, const struct run_info *r)
{
	enum { SUMMARY, SURVIVAL, OUTCOMES, CONFIG, N_FILES };
	static const char *const names[N_FILES] = {
		"summary.json", "survival.tsv", "outcomes.tsv", "config.cfg"
	};
	struct afile a[N_FILES];
	json_t *j;
	int i, ok = 1;

	memset(a, 0, sizeof(a));
	if (atomic_mkdirs(dir) < 0)
		return -1;
	/* DIR or its parent is locked: a temporary here is a killed run's. */
	atomic_clean(dir);
	for (i = 0; i < N_FILES && ok; i++)
		ok = atomic_open(&a[i], dir, names[i]) == 0;
	if (ok) {
		j = output_json(r);
		output_dump_json(a[SUMMARY].f, j);
		json_decref(j);
		write_survival(a[SURVIVAL].f, r);
		write_outcomes(a[OUTCOMES].f, r);
		write_config(a[CONFIG].f, r);
	}
	/* Every file is finished before any replaces an older one. */
	for (i = 0; i < N_FILES && ok; i++)
		ok = atomic_finish(&a[i]) == 0;
	for (i = 0; i < N_FILES && ok; i++)
		ok = atomic_rename(&a[i]) == 0;
	for (i = 0; i < N_FILES; i++)
		atomic_discard(&a[i]);
	return ok ? 0 : -1;
}
