/* baseline.c - the "baseline" model: attacks come at a Weibull hazard
 * that no guarantee, force or perception changes. It is the null model the
 * validation compares others against (docs/baseline.md).
 *
 * The cumulative hazard by time t is H(t) = (rate * t)^shape; shape 1 is a
 * constant hazard of RATE attacks per year, shape > 1 a hazard that rises
 * with time, shape < 1 one that falls. A trial draws its uncertain
 * parameters and an Exp(1) threshold E, and attacks in the first step k
 * whose end t_{k+1} has H(t_{k+1}) > E: the same law as drawing an attack
 * in step k with probability 1 - exp(-(H(t_{k+1}) - H(t_k))). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>

#include "core/cfg.h"
#include "core/dist.h"
#include "core/rng.h"
#include "models/model.h"

enum { P_RATE, P_SHAPE, N_P };

static const struct cfg_field attack_fields[] = {
	{ "rate", P_RATE, 0, INFINITY, CFG_REQUIRED, 0.05,
	  "attacks per year at shape 1; the hazard's scale (1 / rate is a time in years)" },
	{ "shape", P_SHAPE, 0, INFINITY, CFG_LO_OPEN, 1,
	  "Weibull shape: 1 constant hazard, > 1 rising with time, < 1 falling" },
	{ NULL, 0, 0, 0, 0, 0, NULL }
};

static const char *const sections[] = { "attack", NULL };

/* Counters: two fixed, then one per step. */
enum { K_DETERRED, K_ATTACKED, K_STEP_SUM, K_STEP_SQ, K_CURVE };

static const struct model_figure figures[] = {
	{ "p_deterred", "deterred over the whole horizon",
	  "the share of trials in which no attack comes within the horizon",
	  "P(deterred): no attack within the horizon",
	  MODEL_SHARE, K_DETERRED, 0, 0, MODEL_FIG_JSON | MODEL_FIG_PAIR | MODEL_FIG_CI },
	{ "p_attack", "attacked within the horizon",
	  "the share of trials in which an attack comes (1 - p_deterred)",
	  "P(attack within the horizon)",
	  MODEL_SHARE, K_ATTACKED, 0, 0, MODEL_FIG_JSON | MODEL_FIG_PAIR },
	{ "mean_attack_year", "mean year of attack | attack",
	  "among attacks, the mean time of the attack in years from the start",
	  "Mean year of attack, among attacks",
	  MODEL_MEAN_GIVEN, K_STEP_SUM, K_ATTACKED, K_STEP_SQ, MODEL_FIG_JSON | MODEL_FIG_YEARS },
};

static const struct model_outcome outcomes[] = {
	{ "deterred", "deterred: no attack", K_DETERRED, 0, 0 },
	{ "attacked", "attacked", K_ATTACKED, 3, 0 },
};

static const struct model_column columns[] = {
	{ "hazard", "attacks per year at the step's start", 6, 0 },
	{ "cum", "the cumulative hazard at the step's end", 6, 0 },
	{ "threshold", "the Exp(1) threshold at which this trial's attack comes", 6, 0 },
};

static const struct model_event events[] = {
	{ "attack", "the attack", 0, NULL },
};

static const struct model_section report_sections[] = {
	{ "attack", "Hazard of attack", 0 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct baseline {
	struct dist p[N_P];
	long n_steps;
	double dt;
	int estimator, antithetic;
	struct model_layout layout;
	struct model_counter *counters;
};

/* A trial's record. */
struct record {
	int attacked;
	long step;
};

struct work {
	gsl_rng *r;
};

static void baseline_destroy(void *vm)
{
	struct baseline *m = vm;

	if (!m)
		return;
	free(m->counters);
	free(m);
}

static void make_layout(struct baseline *m)
{
	size_t i, n = K_CURVE + (size_t)m->n_steps;
	static const char *const names[K_CURVE] = {
		"deterred", "attacked", "attack_step_sum", "attack_step_squares"
	};

	for (i = 0; i < n; i++) {
		m->counters[i].name = i < K_CURVE ? names[i] : "attacks_in_step";
		m->counters[i].max = i == K_STEP_SUM ? (double)m->n_steps
				     : i == K_STEP_SQ ? (double)m->n_steps * (double)m->n_steps : 1;
		m->counters[i].frac = m->estimator == MODEL_CONDITIONAL
				      ? tally_frac(m->counters[i].max) : 0;
	}
	m->layout = (struct model_layout){
		.record_size = m->estimator == MODEL_CONDITIONAL ? sizeof(double) * n
								 : sizeof(struct record),
		.record_values = m->estimator == MODEL_CONDITIONAL,
		.ncounters = n, .counters = m->counters,
		.nfigures = COUNT(figures), .figures = figures,
		.noutcomes = COUNT(outcomes), .outcomes = outcomes,
		.outcomes_note = "every trial in exactly one row: deterred, or attacked",
		.outcomes_caption = "How the trials ended: deterred over the horizon, or attacked.",
		.curve = K_CURVE,
		.curve_caption = "Probability that no attack has come, by year, with its 95% band.",
		.ncolumns = COUNT(columns), .columns = columns,
		.nevents = COUNT(events), .events = events,
		.nsections = COUNT(report_sections), .sections = report_sections,
	};
}

static void *baseline_create(struct cfg *c, const struct model_setup *setup, struct diag *d)
{
	struct baseline *m = calloc(1, sizeof(*m));
	config_setting_t *g;
	unsigned char present[N_P];
	int before = d->errors;

	if (!m)
		return NULL;
	m->n_steps = setup->n_steps;
	m->dt = setup->dt;
	m->estimator = setup->estimator;
	m->antithetic = setup->antithetic;
	g = cfg_group(d, config_root_setting(&c->lc), "", "attack", 1);
	if (g) {
		cfg_check_keys(d, g, "attack", attack_fields, NULL);
		cfg_read_fields(d, g, "attack", attack_fields, m->p, present);
	}
	m->counters = calloc(K_CURVE + (size_t)m->n_steps, sizeof(*m->counters));
	if (d->errors > before || !m->counters) {
		baseline_destroy(m);
		return NULL;
	}
	make_layout(m);
	return m;
}

static const struct model_layout *baseline_layout(const void *vm)
{
	return &((const struct baseline *)vm)->layout;
}

static void *baseline_work_alloc(const void *vm, const gsl_rng_type *t,
				 const volatile sig_atomic_t *stop)
{
	struct work *w = calloc(1, sizeof(*w));

	(void)vm;
	(void)stop;
	if (w && !(w->r = gsl_rng_alloc(t))) {
		free(w);
		w = NULL;
	}
	return w;
}

static void baseline_work_free(void *vw)
{
	struct work *w = vw;

	if (w)
		gsl_rng_free(w->r);
	free(w);
}

static void baseline_template(FILE *f)
{
	fputs("\n# The hazard of attack, the same whatever anyone promises: the null\n"
	      "# model. Cumulative hazard by year t: (rate * t)^shape.\nattack = {\n", f);
	cfg_template(f, attack_fields, 2, NULL);
	fputs("};\n", f);
}

/* Runs trial I into OUT (a struct record for the indicator estimator, the
 * trial's contribution to each counter for the conditional one),
 * reporting each step to SINK when not NULL. */
static void one_trial(const struct baseline *m, struct work *w, uint64_t seed, uint64_t i,
		      void *out, const struct model_trace_sink *sink)
{
	uint64_t si = m->antithetic ? i & ~(uint64_t)1 : i;
	int anti = m->antithetic && (i & 1), cond = m->estimator == MODEL_CONDITIONAL;
	struct record *o = out;
	double *x = out, rate, shape, threshold, cum, prev = 0;
	long k, attack = -1;

	rng_stream(w->r, seed, si, STREAM_PARAMS);
	rate = dist_draw(&m->p[P_RATE], w->r, anti);
	shape = dist_draw(&m->p[P_SHAPE], w->r, anti);
	rng_stream(w->r, seed, si, STREAM_SEEN);
	threshold = -log(rng_u(w->r, anti));
	if (cond)
		memset(x, 0, m->layout.record_size);
	for (k = 0; k < m->n_steps && (cond || attack < 0); k++) {
		double t = (double)k * m->dt;

		cum = pow(rate * (t + m->dt), shape);
		if (sink && attack < 0) {
			double v[3] = { shape * rate * pow(rate * t, shape - 1), cum, threshold };
			struct model_trace_step st = { k, t, v };

			if (k == 0 && shape < 1)
				v[0] = INFINITY;	/* the hazard at t = 0 */
			sink->step(sink->ctx, &st);
		}
		if (cond) {
			/* P(attack in step k) = exp(-H(t_k)) - exp(-H(t_k+1)). */
			double p = exp(-prev) - exp(-cum);

			x[K_ATTACKED] += p;
			x[K_STEP_SUM] += p * (double)k;
			x[K_STEP_SQ] += p * (double)k * (double)k;
			x[K_CURVE + k] = p;
			prev = cum;
		}
		if (attack < 0 && cum > threshold) {
			attack = k;
			if (sink) {
				struct model_trace_event e = { 0, k, t, NULL };

				sink->event(sink->ctx, &e);
			}
		}
	}
	if (cond) {
		x[K_DETERRED] = exp(-prev);
		return;
	}
	o->attacked = attack >= 0;
	o->step = attack >= 0 ? attack : m->n_steps;
}

static void baseline_trials(const void *vm, void *w, uint64_t seed, uint64_t first,
			    uint64_t count, void *rec, const volatile sig_atomic_t *stop)
{
	const struct baseline *m = vm;
	uint64_t i;

	for (i = 0; i < count && !(stop && *stop); i++)
		one_trial(m, w, seed, first + i, (char *)rec + i * m->layout.record_size, NULL);
}

static void baseline_trace(const void *vm, void *w, uint64_t seed, uint64_t i,
			   const struct model_trace_sink *sink, void *rec)
{
	one_trial(vm, w, seed, i, rec, sink);
}

static void baseline_add(const void *vm, const void *rec, struct tally *t)
{
	const struct baseline *m = vm;
	const struct record *o = rec;
	const double *x = rec;
	size_t i;

	if (m->estimator == MODEL_CONDITIONAL) {
		for (i = 0; i < m->layout.ncounters; i++)
			if (x[i] != 0)
				tally_add(t, i, x[i]);
		t->steps += (uint64_t)m->n_steps;
		return;
	}
	if (!o->attacked) {
		tally_count(t, K_DETERRED);
		t->steps += (uint64_t)m->n_steps;
		return;
	}
	t->steps += (uint64_t)o->step + 1;
	tally_count(t, K_ATTACKED);
	tally_add_int(t, K_STEP_SUM, o->step);
	t->sum[K_STEP_SQ] += (tally_sum)o->step * o->step;
	tally_count(t, K_CURVE + (size_t)o->step);
}

static double baseline_contribution(const void *vm, const void *rec, size_t i)
{
	const struct baseline *m = vm;
	const struct record *o = rec;

	if (m->estimator == MODEL_CONDITIONAL)
		return ((const double *)rec)[i];
	if (i == K_DETERRED)
		return !o->attacked;
	if (!o->attacked)
		return 0;
	if (i == K_ATTACKED)
		return 1;
	if (i == K_STEP_SUM)
		return (double)o->step;
	if (i == K_STEP_SQ)
		return (double)o->step * (double)o->step;
	return (long)(i - K_CURVE) == o->step;
}

static int baseline_same(const void *vm, const void *va, const void *vb)
{
	const struct baseline *m = vm;
	const struct record *a = va, *b = vb;

	if (m->estimator == MODEL_CONDITIONAL)
		return !memcmp(va, vb, m->layout.record_size);
	return a->attacked == b->attacked && a->step == b->step;
}

/* The attack section's keys, every one given or defaulted. */
static long baseline_keys(const void *vm, struct model_key *out, size_t max)
{
	const struct baseline *m = vm;
	const struct cfg_field *f;
	size_t n = 0;
	char *path;

	for (f = attack_fields; f->key; f++, n++) {
		if (n >= max)
			continue;
		if (!(path = malloc(strlen(f->key) + 8))) {
			while (n-- > 0)
				free(out[n].path);
			return -1;
		}
		sprintf(path, "attack.%s", f->key);
		out[n] = (struct model_key){ path, f->lo, f->hi, f->flags, m->p[f->slot].a,
					     m->p[f->slot].kind != DIST_FIXED, f->help };
		if (out[n].drawn)
			out[n].value = dist_mean(&m->p[f->slot]);
	}
	return (long)n;
}

const model_type model_baseline_type = {
	.name = "baseline",
	.description = "attacks at a Weibull hazard no guarantee changes: the null model "
		       "(docs/baseline.md)",
	.sections = sections,
	.create = baseline_create,
	.destroy = baseline_destroy,
	.layout = baseline_layout,
	.work_alloc = baseline_work_alloc,
	.work_free = baseline_work_free,
	.template = baseline_template,
	.trials = baseline_trials,
	.add = baseline_add,
	.contribution = baseline_contribution,
	.trace = baseline_trace,
	.story = NULL,
	.keys = baseline_keys,
	.same = baseline_same,
};
