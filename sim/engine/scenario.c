/* scenario.c - checking the engine-level part of a config and handing the
 * rest to the model it names. */
#include "engine/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/errors.h"
#include "core/rng.h"
#include "engine/summary.h"
#include "models/model.h"

static const struct cfg_field horizon_field[] = {
	{ "horizon_years", 0, 0, INFINITY, CFG_REQUIRED | CFG_LO_OPEN | CFG_FIXED, 10,
	  "years simulated" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const char *const scenario_keys[] = {
	"name", "description", "steps_per_year", "trials", "seed", "rng", "estimator",
	"antithetic", "start", NULL
};

static const gsl_rng_type *pick_rng(struct diag *d, config_setting_t *sc)
{
	config_setting_t *s = config_setting_get_member(sc, "rng");
	const char *name = cfg_string(d, sc, "scenario", "rng", NULL, 0);
	const char *env = getenv("GSL_RNG_TYPE");
	const gsl_rng_type *t;

	if (s && !name)
		return NULL;
	if (name) {
		t = rng_type(name);
		if (!t)
			diag_error(d, s, "scenario.rng", "unknown or unsupported generator '%s' "
				   "(supported: %s)", name, rng_supported());
		return t;
	}
	name = env && *env ? env : RNG_DEFAULT;
	t = rng_type(name);
	if (!t) {
		diag_at(d, "sim", DIAG_NO_LINE, "GSL_RNG_TYPE", "unknown or unsupported "
			"generator '%s' (supported: %s)", name, rng_supported());
		return NULL;
	}
	cfg_put_string(sc, "rng", name);
	return t;
}

/* The grid and options a model of S is created with. */
static struct model_setup setup_of(const struct scenario *s)
{
	const char *ref = getenv("GSIM_REFERENCE");
	struct model_setup m = { s->horizon, s->steps_per_year, s->n_steps, s->dt,
				 ref && !strcmp(ref, "1"), s->estimator, s->antithetic };

	return m;
}

/* The fraction bits of a product of unit sums of counters A and B of L (B
 * = (size_t)-1: the unit's number of trials), a unit being at most two
 * trials. */
static unsigned char moment_frac(const struct model_layout *L, size_t a, size_t b)
{
	double ma = L->counters[a].max, mb = b == (size_t)-1 ? 1 : L->counters[b].max;

	if (L->counters[a].frac == 0 && (b == (size_t)-1 || L->counters[b].frac == 0))
		return 0;
	return tally_frac(4 * (ma > 1 ? ma : 1) * (mb > 1 ? mb : 1));
}

/* The fraction bits of a sum of unit sums of counter A of L. */
static unsigned char sum_frac(const struct model_layout *L, size_t a)
{
	double ma = L->counters[a].max;

	return L->counters[a].frac == 0 ? 0 : tally_frac(2 * (ma > 1 ? ma : 1));
}

/* Takes the layout of S's instance, with its counters' fraction bits in
 * one array for tallies, followed by those of the moments the engine
 * keeps for each figure, outcome and step (summary_moment(),
 * summary_outcome_moment(), summary_curve_moment()). Returns 0, or -1 when out of
 * memory. */
static int layout_of(struct scenario *s)
{
	const struct model_layout *L;
	unsigned char sq, sum;
	size_t i, n;

	L = s->layout = s->model->layout(s->instance);
	n = summary_count(L);
	/* Whole counts need no moments: their intervals are Wilson's. */
	s->counters = s->estimator == MODEL_CONDITIONAL ? summary_counters(L, s->n_steps)
							: L->ncounters;
	s->frac = malloc(s->counters ? s->counters : 1);
	if (!s->frac) {
		error("out of memory");
		return -1;
	}
	for (i = 0; i < L->ncounters; i++)
		s->frac[i] = L->counters[i].frac;
	if (s->counters == L->ncounters)
		return 0;
	for (i = 0; i < n; i++) {
		const struct model_figure *f = summary_decl(L, i);
		size_t num = summary_num(L, i), den = f->kind == MODEL_SHARE ? (size_t)-1 : f->den;

		s->frac[summary_moment(L, i, 0)] = moment_frac(L, num, num);
		s->frac[summary_moment(L, i, 1)] = den == (size_t)-1 ? sum_frac(L, num)
								   : moment_frac(L, den, den);
		s->frac[summary_moment(L, i, 2)] = moment_frac(L, num, den);
	}
	for (i = 0; i < L->noutcomes; i++) {
		size_t c = L->outcomes[i].counter;

		s->frac[summary_outcome_moment(L, i, 0)] = moment_frac(L, c, c);
		s->frac[summary_outcome_moment(L, i, 1)] = sum_frac(L, c);
	}
	sq = moment_frac(L, L->curve, L->curve);
	sum = sum_frac(L, L->curve);
	for (i = 0; i < (size_t)s->n_steps; i++) {
		s->frac[summary_curve_moment(L, (long)i, 0)] = sq;
		s->frac[summary_curve_moment(L, (long)i, 1)] = sum;
	}
	return 0;
}

const char *scenario_estimator_name(const struct scenario *s)
{
	return s->estimator == MODEL_CONDITIONAL ? "conditional" : "indicator";
}

/* Reads the estimator and whether trials come in antithetic pairs. */
static void read_estimator(struct diag *d, config_setting_t *sc, struct scenario *s)
{
	static const char *const names[] = { "conditional", "indicator", NULL };
	const char *e = cfg_string(d, sc, "scenario", "estimator", "conditional", 0);
	config_setting_t *at = config_setting_get_member(sc, "antithetic");

	if (!e)
		return;
	if (!strcmp(e, "conditional")) {
		s->estimator = MODEL_CONDITIONAL;
	} else if (!strcmp(e, "indicator")) {
		s->estimator = MODEL_INDICATOR;
	} else {
		const char *near = cfg_nearest(e, names);

		diag_error(d, config_setting_get_member(sc, "estimator"), "scenario.estimator",
			   "unknown estimator '%s' (%s%s%s)", e, near ? "did you mean '" : "known: "
			   "conditional, indicator", near ? near : "", near ? "'?" : "");
		return;
	}
	if (cfg_bool(d, sc, "scenario", "antithetic", s->estimator == MODEL_CONDITIONAL,
		     &s->antithetic) < 0)
		return;
	if (s->antithetic && s->estimator == MODEL_INDICATOR)
		diag_error(d, at, "scenario.antithetic", "antithetic pairs need the conditional "
			   "estimator (scenario.estimator = \"conditional\")");
}

/* Reads the optional calendar month the horizon starts at, "YYYY-MM". */
static void read_start(struct diag *d, config_setting_t *sc, struct scenario *s)
{
	config_setting_t *at = config_setting_get_member(sc, "start");
	const char *t = cfg_string(d, sc, "scenario", "start", NULL, 0);
	int y = 0, m = 0, n = -1;

	s->start = NULL;
	if (!t)
		return;
	if (sscanf(t, "%4d-%2d%n", &y, &m, &n) != 2 || n != 7 || strlen(t) != 7 ||
	    y < 1000 || m < 1 || m > 12) {
		diag_error(d, at, "scenario.start", "'%.32s' is not a month as YYYY-MM (such as "
			   "\"2026-01\")", t);
		return;
	}
	s->start = t;
	s->start_year = y + (m - 1) / 12.0;
}

/* Reads the "scenario" section SC of C into S. */
static void read_section(struct diag *d, config_setting_t *sc, struct scenario *s,
			 const uint64_t *trials, const uint64_t *seed)
{
	struct dist h = dist_fixed(0);
	unsigned char has_h = 0;
	long long v;

	cfg_check_keys(d, sc, "scenario", horizon_field, scenario_keys);
	s->name = cfg_string(d, sc, "scenario", "name", NULL, 1);
	s->description = cfg_string(d, sc, "scenario", "description", NULL, 0);
	read_start(d, sc, s);
	cfg_read_fields(d, sc, "scenario", horizon_field, &h, &has_h);
	s->horizon = h.a;
	if (!cfg_int(d, sc, "scenario", "steps_per_year", 1, 1000000, 12, &v))
		s->steps_per_year = (long)v;
	if (trials)
		cfg_put_int(sc, "trials", (long long)*trials);
	if (!cfg_int(d, sc, "scenario", "trials", 1, SCENARIO_MAX_TRIALS, 100000, &v))
		s->trials = (uint64_t)v;
	if (seed)
		cfg_put_int(sc, "seed", (long long)*seed);
	if (!cfg_int(d, sc, "scenario", "seed", 0, INT64_MAX, 1, &v))
		s->seed = (uint64_t)v;
	s->rng = pick_rng(d, sc);
	read_estimator(d, sc, s);
	if (has_h && s->steps_per_year > 0) {
		double n = floor(s->horizon * (double)s->steps_per_year + 0.5);

		if (n < 1 || n > SCENARIO_MAX_STEPS)
			diag_error(d, config_setting_get_member(sc, "horizon_years"),
				   "scenario.horizon_years",
				   "gives %.0f steps at %ld steps per year; it must give 1 to %ld",
				   n, s->steps_per_year, SCENARIO_MAX_STEPS);
		else
			s->n_steps = (long)n;
		s->dt = 1.0 / (double)s->steps_per_year;
	}
}

/* The model named by the "model" key of ROOT (written there when absent:
 * "commitment"), or NULL after reporting to D. */
static const model_type *pick_model(struct diag *d, config_setting_t *root)
{
	config_setting_t *ms = config_setting_get_member(root, "model");
	const char *name = "commitment", **names;
	const model_type *m;
	int i, n = model_count();

	if (ms)
		name = cfg_string(d, root, "", "model", NULL, 1);
	else
		cfg_put_string(root, "model", name);
	if (!name)
		return NULL;
	m = model_lookup(name);
	if (m)
		return m;
	names = calloc((size_t)n + 1, sizeof(*names));
	for (i = 0; names && i < n; i++)
		names[i] = model_types[i]->name;
	if (names && cfg_nearest(name, names))
		diag_error(d, ms, "model", "unknown model '%s' (did you mean '%s'?)", name,
			   cfg_nearest(name, names));
	else
		diag_error(d, ms, "model", "unknown model '%s' (see 'sim models')", name);
	free(names);
	return NULL;
}

/* Checks the top-level keys of ROOT against the scenario's and model M's
 * sections. */
static void check_sections(struct diag *d, config_setting_t *root, const model_type *m)
{
	const char **known;
	int i, n = 0;

	while (m->sections[n])
		n++;
	known = calloc((size_t)n + 3, sizeof(*known));
	if (!known)
		return;
	known[0] = "scenario";
	known[1] = "model";
	for (i = 0; i < n; i++)
		known[i + 2] = m->sections[i];
	cfg_check_keys(d, root, "", NULL, known);
	free(known);
}

int scenario_load(struct scenario *s, struct cfg *c, const uint64_t *trials,
		  const uint64_t *seed)
{
	struct diag d = { c, NULL, 0 };
	config_setting_t *root = config_root_setting(&c->lc), *sc;
	struct model_setup setup;

	memset(s, 0, sizeof(*s));
	sc = cfg_group(&d, root, "", "scenario", 1);
	if (sc)
		read_section(&d, sc, s, trials, seed);
	s->model = pick_model(&d, root);
	if (s->model) {
		check_sections(&d, root, s->model);
		setup = setup_of(s);
		s->instance = s->model->create(c, &setup, &d);
	}
	if (d.errors || !s->instance || layout_of(s) < 0) {
		scenario_release(s);
		return -1;
	}
	return 0;
}

void scenario_release(struct scenario *s)
{
	if (s->model && s->instance)
		s->model->destroy(s->instance);
	s->instance = NULL;
	s->layout = NULL;
	free(s->frac);
	s->frac = NULL;
}

int scenario_read_config(struct cfg *c, const char *path, char *const *sets, int nsets,
			 struct diag *d)
{
	int i;

	if (cfg_load(c, path) < 0)
		return -1;
	for (i = 0; i < nsets; i++)
		cfg_set(c, sets[i], i + 1, d);
	return 0;
}

int scenario_open(struct scenario *s, struct cfg *c, const char *path,
		  char *const *sets, int nsets, const uint64_t *trials,
		  const uint64_t *seed)
{
	struct diag d = { c, NULL, 0 };

	memset(s, 0, sizeof(*s));
	if (scenario_read_config(c, path, sets, nsets, &d) < 0 || d.errors)
		return -1;
	return scenario_load(s, c, trials, seed);
}

void scenario_template(FILE *f, const char *name, const char *model)
{
	fprintf(f, "# What is simulated, for how long, and how often.\nscenario = {\n"
		"  # shown in every output; required.\n  name = \"%s\";\n"
		"  # a sentence on the case; optional.\n  description = \"Describe the case "
		"and cite your sources here.\";\n"
		"  # the month the horizon starts, YYYY-MM, for dates on charts and in\n"
		"  # traces; optional (without it, years count from 0).\n"
		"  # start = \"2026-01\";\n", name);
	cfg_template(f, horizon_field, 2, NULL);
	fprintf(f, "  # steps per year (12: monthly); whole number >= 1; default 12.\n"
		"  steps_per_year = 12;\n"
		"  # trials (simulated histories); whole number >= 1; default 100000.\n"
		"  trials = 100000;\n"
		"  # seed: the same seed gives the same results; whole number >= 0; default 1.\n"
		"  seed = 1;\n"
		"  # random number generator: %s; default $GSL_RNG_TYPE, else %s.\n"
		"  rng = \"%s\";\n};\n\n"
		"# The deterrence model ('sim models' lists them).\nmodel = \"%s\";\n",
		rng_supported(), RNG_DEFAULT, RNG_DEFAULT, model);
}

char *scenario_starter(const model_type *m, const char *name)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return NULL;
	scenario_template(f, name, m->name);
	m->template(f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

int scenario_example(struct scenario *s, struct cfg *c, const model_type *m)
{
	char *text = scenario_starter(m, "example");
	int r;

	if (!text) {
		memset(c, 0, sizeof(*c));
		config_init(&c->lc);
		return -1;
	}
	r = cfg_load_string(c, m->name, text);
	free(text);
	return r < 0 ? -1 : scenario_load(s, c, NULL, NULL);
}
