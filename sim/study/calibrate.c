/* calibrate.c - the case base through the crisis mapping: curves,
 * likelihood, its maximisation and cross-validation. */
#include "study/calibrate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include "core/cfg.h"
#include "engine/engine.h"
#include "engine/scenario.h"
#include "engine/summary.h"
#include "core/rng.h"
#include "study/simplex.h"

/* The most bytes a generated config takes. */
#define CAL_CONFIG_MAX 8192

double cal_horizon(const struct cb_case *c)
{
	return c->years > 10 ? c->years : 10;
}

/* Runs case C under P into *CV. Returns 0 or -1 (printed). */
static int one_curve(const struct cal_setup *s, const struct cb_case *c, const double *p,
		     struct case_curve *cv)
{
	char text[CAL_CONFIG_MAX];
	struct cfg cfg;
	struct scenario sc;
	struct tally t = { 0 };
	const struct scenario *one = &sc;
	struct engine_run r = { .s = &one, .m = 1, .threads = 1 };
	int ret = -1;

	cv->s = NULL;
	if ((s->map ? s->map : cb_mappings)->config(c, p, cal_horizon(c), s->trials, text, sizeof(text)) < 0) {
		fprintf(stderr, "sim: error: case %s: its config is too long\n", c->text[CB_ID]);
		return -1;
	}
	if (cfg_load_string(&cfg, c->text[CB_ID], text) < 0 || scenario_load(&sc, &cfg, NULL, NULL) < 0) {
		fprintf(stderr, "sim: error: case %s (line %d): the config its codes map to does "
			"not check:\n%s", c->text[CB_ID], c->line, text);
		cfg_release(&cfg);
		return -1;
	}
	r.count = sc.trials;
	cv->dt = sc.dt;
	cv->n = sc.n_steps;
	cv->s = malloc(sizeof(double) * (size_t)sc.n_steps);
	if (cv->s && engine_tally(&t, &sc) == 0 && engine_run(&r, &t, NULL) == 0) {
		summary_curve(sc.layout, sc.n_steps, &t, cv->s);
		ret = 0;
	} else {
		fprintf(stderr, "sim: error: out of memory\n");
	}
	tally_release(&t);
	scenario_release(&sc);
	cfg_release(&cfg);
	return ret;
}

int cal_curves(const struct cal_setup *s, const double *p, const size_t *idx, size_t n,
	       struct case_curve *cv)
{
	long a, m = (long)n;
	int failed = 0;

	/* One case a thread: a case's run is a pair of trials, one unit of
	 * work, which the engine would not split. Each curve depends only on
	 * its case, so the result is the same for any number of threads. */
#pragma omp parallel for schedule(dynamic, 1) num_threads(s->threads > 0 ? s->threads : 1) \
	reduction(| : failed)
	for (a = 0; a < m; a++) {
		size_t i = idx ? idx[a] : (size_t)a;

		if (one_curve(s, &s->b->c[i], p, &cv[i]) < 0)
			failed = 1;
	}
	if (failed) {
		for (a = 0; a < m; a++) {
			size_t i = idx ? idx[a] : (size_t)a;

			free(cv[i].s);
			cv[i].s = NULL;
		}
		return -1;
	}
	return 0;
}

/* The cases as survival data. */
static struct surv_case *cases_of(const struct cb_base *b)
{
	struct surv_case *c = malloc(sizeof(*c) * (b->n ? b->n : 1));
	size_t i;

	for (i = 0; c && i < b->n; i++) {
		c[i].t = b->c[i].years;
		c[i].event = b->c[i].event;
	}
	return c;
}

double cal_loglik(const struct cal_setup *s, const double *p, const size_t *idx, size_t n)
{
	struct case_curve *cv = calloc(s->b->n ? s->b->n : 1, sizeof(*cv));
	struct surv_case *c = cases_of(s->b);
	struct surv_pred pr = { casescore_curve_S, cv };
	double sum = NAN;
	size_t a;

	if (cv && c && cal_curves(s, p, idx, n, cv) == 0) {
		sum = 0;
		for (a = 0; a < n; a++) {
			size_t i = idx ? idx[a] : a;

			sum += (s->weight ? s->weight[i] : 1) *
			       surv_loglik_case(c, i, &pr, CASESCORE_WIDTH);
			free(cv[i].s);
		}
	}
	free(cv);
	free(c);
	return sum;
}

/* What the minimiser sees. */
struct cal_problem {
	const struct cal_setup *s;
	const size_t *idx;
	size_t n;
	double p[CB_NPAR];
};

/* The range each parameter is fitted within: beyond these the mapping
 * stops meaning anything (treaty_strength: strength 0.1 + it reaches 1
 * at 0.9) or the likelihood stops changing. */
const double cal_lo[CB_NPAR] = { 1e-4, 0.01, 0, 0, 0, 0 };
const double cal_hi[CB_NPAR] = { 10, 2, 3, 0.9, 20, 5 };

/* Parameter J from its unconstrained value U: a logistic onto its
 * range. */
static double from_free(int j, double u)
{
	return cal_lo[j] + (cal_hi[j] - cal_lo[j]) / (1 + exp(-u));
}

static double to_free(int j, double x)
{
	double f = (x - cal_lo[j]) / (cal_hi[j] - cal_lo[j]);

	f = f < 1e-9 ? 1e-9 : f > 1 - 1e-9 ? 1 - 1e-9 : f;
	return log(f / (1 - f));
}

/* Sets the free parameters of Q from V. */
static void unpack(struct cal_problem *q, const gsl_vector *v)
{
	size_t k = 0;
	int j;

	for (j = 0; j < CB_NPAR; j++)
		if (q->s->free[j])
			q->p[j] = from_free(j, gsl_vector_get(v, k++));
}

static double neg_loglik(const gsl_vector *v, void *params)
{
	struct cal_problem *q = params;
	double l;

	unpack(q, v);
	l = cal_loglik(q->s, q->p, q->idx, q->n);
	return isfinite(l) ? -l : 1e300;
}

double cal_fit(const struct cal_setup *s, double *p, const size_t *idx, size_t n, int *converged)
{
	struct cal_problem q = { s, idx, n, { 0 } };
	size_t np = 0, j, k = 0;
	gsl_multimin_function fn = { neg_loglik, 0, &q };
	double best = NAN, fval, size;
	gsl_vector *v;
	int status;

	for (j = 0; j < CB_NPAR; j++) {
		q.p[j] = p[j];
		np += s->free[j] != 0;
	}
	if (converged)
		*converged = 1;
	if (!np)
		return cal_loglik(s, p, idx, n);
	fn.n = np;
	if (!(v = gsl_vector_alloc(np)))
		return NAN;
	/* A start on an end of the range (crisis_decay's default 0) would sit
	 * where the logistic is flat: start a twentieth in. */
	for (j = 0; j < CB_NPAR; j++)
		if (s->free[j]) {
			double w = cal_hi[j] - cal_lo[j], x = p[j];

			x = x < cal_lo[j] + 0.05 * w ? cal_lo[j] + 0.05 * w
			    : x > cal_hi[j] - 0.05 * w ? cal_hi[j] - 0.05 * w : x;
			gsl_vector_set(v, k++, to_free((int)j, x));
		}
	status = simplex_minimise(&fn, v, 0.3, 300, 1e-3, &fval, &size);
	if (status != GSL_ENOMEM && fval < 1e300) {
		unpack(&q, v);
		for (j = 0; j < CB_NPAR; j++)
			p[j] = q.p[j];
		best = -fval;
	}
	if (converged)
		*converged = status == GSL_SUCCESS;
	gsl_vector_free(v);
	return best;
}

size_t cal_fold(const struct cal_setup *s, size_t i, size_t folds)
{
	return surv_fold(s->group, i, folds);
}

/* The curve CTX, whatever the case asked for. */
static double only_S(const void *ctx, size_t i, double t)
{
	(void)i;
	return casescore_curve_S(ctx, 0, t);
}

double cal_cv(const struct cal_setup *s, const double *p, size_t folds, double *out,
	      struct case_curve *curves)
{
	size_t n = s->b->n, *train = malloc(sizeof(size_t) * (n ? n : 1)), fold, i, m;
	struct surv_case *c = cases_of(s->b);
	struct case_curve one;
	struct surv_pred pr = { only_S, &one };
	double sum = 0;

	if (!train || !c || folds < 2 || folds > n) {
		free(train);
		free(c);
		return NAN;
	}
	for (fold = 0; fold < folds && !isnan(sum); fold++) {
		double q[CB_NPAR], l;
		size_t j;

		for (j = 0; j < CB_NPAR; j++)
			q[j] = p[j];
		for (i = 0, m = 0; i < n; i++)
			if (cal_fold(s, i, folds) != fold)
				train[m++] = i;
		if (m == n)
			continue;	/* an empty fold */
		if (isnan(cal_fit(s, q, train, m, NULL))) {
			sum = NAN;
			break;
		}
		/* Each held-out case is scored alone under the others' fit. */
		for (i = 0; i < n && !isnan(sum); i++) {
			if (cal_fold(s, i, folds) != fold)
				continue;
			if (one_curve(s, &s->b->c[i], q, &one) < 0) {
				sum = NAN;
				break;
			}
			l = surv_loglik_case(c, i, &pr, CASESCORE_WIDTH);
			if (out)
				out[i] = l;
			sum += l;
			if (curves)
				curves[i] = one;
			else
				free(one.s);
		}
	}
	free(train);
	free(c);
	return sum;
}

/* The log-likelihood at P with parameter J set to X. */
static double loglik_at(const struct cal_setup *s, const double *p, int j, double x)
{
	double q[CB_NPAR];
	int k;

	for (k = 0; k < CB_NPAR; k++)
		q[k] = p[k];
	q[j] = x;
	return cal_loglik(s, q, NULL, s->b->n);
}

int cal_profile(const struct cal_setup *s, const double *p, int j, double *lo, double *hi)
{
	double top = cal_loglik(s, p, NULL, s->b->n), cut = top - 1.920729, *end[2] = { lo, hi };
	int side;

	if (isnan(top))
		return -1;
	for (side = 0; side < 2; side++) {
		double in = to_free(j, p[j]), out = in, step = side ? 0.1 : -0.1;
		int k;

		/* Walk out until the likelihood falls below the cut, then halve. */
		for (k = 0; k < 60; k++, step *= 1.5) {
			double l = loglik_at(s, p, j, from_free(j, out + step));

			if (isnan(l))
				return -1;
			if (l < cut) {
				out += step;
				break;
			}
			in = out += step;
		}
		if (k == 60) {
			*end[side] = side ? cal_hi[j] : cal_lo[j];
			continue;
		}
		for (k = 0; k < 24; k++) {
			double mid = (in + out) / 2, l = loglik_at(s, p, j, from_free(j, mid));

			if (isnan(l))
				return -1;
			if (l < cut)
				out = mid;
			else
				in = mid;
		}
		*end[side] = from_free(j, (in + out) / 2);
	}
	return 0;
}

int cal_bootstrap(const struct cal_setup *s, const double *p, const size_t *group, size_t ngroups,
		  long b, uint64_t seed, double *out)
{
	size_t n = s->b->n, i, g, *idx = malloc(sizeof(size_t) * (n ? n : 1));
	double *w = malloc(sizeof(double) * (n ? n : 1));
	size_t *pick = malloc(sizeof(size_t) * (ngroups ? ngroups : 1));
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	struct cal_setup t = *s;
	long k;
	int j, ret = 0;

	if (!idx || !w || !pick || !r || !ngroups)
		ret = -1;
	t.weight = w;
	for (k = 0; ret == 0 && k < b; k++) {
		size_t m = 0;

		/* Replicate K draws the pairs with replacement from its own
		 * stream: the same replicates whatever came before. */
		rng_stream(r, seed, (uint64_t)k, STREAM_REFIT);
		for (i = 0; i < n; i++)
			w[i] = 0;
		for (g = 0; g < ngroups; g++)
			pick[g] = 0;
		for (g = 0; g < ngroups; g++)
			pick[gsl_rng_uniform_int(r, ngroups)]++;
		for (i = 0; i < n; i++) {
			w[i] = (double)pick[group ? group[i] : i];
			if (w[i] > 0)
				idx[m++] = i;
		}
		for (j = 0; j < CB_NPAR; j++)
			out[k * CB_NPAR + j] = p[j];
		if (isnan(cal_fit(&t, out + k * CB_NPAR, idx, m, NULL)))
			ret = -1;
	}
	gsl_rng_free(r);
	free(idx);
	free(w);
	free(pick);
	return ret;
}

int cal_boot_summary(const double *rep, long b, int j, double *lo, double *hi, double *sdlog)
{
	double *x = malloc(sizeof(double) * (size_t)(b > 0 ? b : 1));
	long k;
	int pos = 1;

	if (!x || b < 2) {
		free(x);
		return -1;
	}
	for (k = 0; k < b; k++) {
		x[k] = rep[k * CB_NPAR + j];
		pos &= x[k] > 0;
	}
	gsl_sort(x, 1, (size_t)b);
	*lo = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)b, 0.025);
	*hi = gsl_stats_quantile_from_sorted_data(x, 1, (size_t)b, 0.975);
	for (k = 0; pos && k < b; k++)
		x[k] = log(x[k]);
	*sdlog = pos ? gsl_stats_sd(x, 1, (size_t)b) : NAN;
	free(x);
	return 0;
}
