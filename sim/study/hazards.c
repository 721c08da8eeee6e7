/* hazards.c - baseline hazard models for the back-test: a constant
 * hazard, a Weibull and an exponential regression on coded covariates,
 * fitted by maximum likelihood on the same censored interval likelihood
 * the models are scored by, and cross-validated. */
#include "study/survival.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>

double surv_fit_S(const struct surv_fit *f, const double *xi, double t)
{
	double h;
	size_t j;

	switch (f->kind) {
	case SURV_CONSTANT:
		return exp(-exp(f->par[0]) * t);
	case SURV_WEIBULL:
		return exp(-pow(exp(f->par[0]) * t, exp(f->par[1])));
	default:
		h = f->par[0];
		for (j = 0; j < f->k; j++)
			h += f->par[1 + j] * xi[j];
		return exp(-exp(h) * t);
	}
}

/* What the minimiser sees: the cases, the model, and a fit to evaluate. */
struct problem {
	const struct surv_case *c;
	const size_t *idx;
	size_t n;
	const double *x;
	double width, ridge;
	struct surv_fit f;
};

static double predict(const void *ctx, size_t i, double t)
{
	const struct problem *q = ctx;

	return surv_fit_S(&q->f, q->x ? q->x + i * q->f.k : NULL, t);
}

/* The negative penalised log-likelihood at the parameters V. */
static double objective(const gsl_vector *v, void *params)
{
	struct problem *q = params;
	struct surv_pred p = { predict, q };
	double s = 0;
	size_t a, j;

	for (j = 0; j < v->size; j++)
		q->f.par[j] = gsl_vector_get(v, j);
	for (a = 0; a < q->n; a++)
		s += surv_loglik_case(q->c, q->idx ? q->idx[a] : a, &p, q->width);
	if (q->f.kind == SURV_EXPREG)
		for (j = 1; j < v->size; j++)
			s -= q->ridge * q->f.par[j] * q->f.par[j];
	return isfinite(s) ? -s : 1e300;
}

/* The starting point: the constant hazard's closed form (events over
 * time at risk), shape 1, slopes 0. */
static void start_at(const struct problem *q, gsl_vector *v)
{
	double d = 0, time = 0;
	size_t a;

	for (a = 0; a < q->n; a++) {
		const struct surv_case *c = &q->c[q->idx ? q->idx[a] : a];

		d += c->event;
		time += c->t;
	}
	gsl_vector_set_zero(v);
	gsl_vector_set(v, 0, log((d > 0 ? d : 0.5) / (time > 0 ? time : 1)));
}

int surv_fit(int kind, const struct surv_case *c, const size_t *idx, size_t n,
	     const double *x, size_t k, double width, double ridge, struct surv_fit *f)
{
	struct problem q = { c, idx, n, x, width, ridge, { kind, 0, { 0 }, 0 } };
	size_t np = kind == SURV_CONSTANT ? 1 : kind == SURV_WEIBULL ? 2 : 1 + k, it, j;
	gsl_multimin_function fn = { objective, np, &q };
	gsl_multimin_fminimizer *m;
	gsl_vector *v, *step;
	int status = GSL_CONTINUE;

	if (kind == SURV_EXPREG && (k > SURV_MAX_COVARIATES || !x))
		return -1;
	q.f.k = kind == SURV_EXPREG ? k : 0;
	m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, np);
	v = gsl_vector_alloc(np);
	step = gsl_vector_alloc(np);
	if (!m || !v || !step) {
		gsl_multimin_fminimizer_free(m);
		gsl_vector_free(v);
		gsl_vector_free(step);
		return -1;
	}
	start_at(&q, v);
	gsl_vector_set_all(step, 0.5);
	gsl_multimin_fminimizer_set(m, &fn, v, step);
	for (it = 0; it < 5000 && status == GSL_CONTINUE; it++) {
		int e = gsl_multimin_fminimizer_iterate(m);

		status = gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), 1e-8);
		if (e && status == GSL_CONTINUE)
			status = e;
	}
	/* A simplex that rounding keeps from shrinking further, or that makes
	 * no progress, at this size is as good as converged. */
	if (status != GSL_SUCCESS && gsl_multimin_fminimizer_size(m) < 1e-6)
		status = GSL_SUCCESS;
	for (j = 0; j < np; j++)
		q.f.par[j] = gsl_vector_get(m->x, j);
	q.f.loglik = -m->fval;
	*f = q.f;
	gsl_multimin_fminimizer_free(m);
	gsl_vector_free(v);
	gsl_vector_free(step);
	return status == GSL_SUCCESS ? 0 : -1;
}

/* A held-out fold's predictions: the fit F for every case. */
struct held {
	const struct surv_fit *f;
	const double *x;
};

static double held_S(const void *ctx, size_t i, double t)
{
	const struct held *h = ctx;

	return surv_fit_S(h->f, h->x ? h->x + i * h->f->k : NULL, t);
}

double surv_cv(int kind, const struct surv_case *c, size_t n, const double *x, size_t k,
	       double width, double ridge, size_t folds, double *out)
{
	size_t *train = malloc(sizeof(*train) * (n ? n : 1)), fold, i, m;
	double sum = 0;

	if (!train || folds < 2 || folds > n) {
		free(train);
		return NAN;
	}
	for (fold = 0; fold < folds; fold++) {
		struct surv_fit f;
		struct held h = { &f, x };
		struct surv_pred p = { held_S, &h };

		for (i = 0, m = 0; i < n; i++)
			if (i % folds != fold)
				train[m++] = i;
		if (surv_fit(kind, c, train, m, x, k, width, ridge, &f) < 0) {
			free(train);
			return NAN;
		}
		for (i = fold; i < n; i += folds) {
			double l = surv_loglik_case(c, i, &p, width);

			if (out)
				out[i] = l;
			sum += l;
		}
	}
	free(train);
	return sum;
}
