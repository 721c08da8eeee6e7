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

#include "study/simplex.h"

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

/* The gradient of objective() for SURV_EXPREG: with h = exp(b0 + b.x),
 * an event's term log(exp(-h (t - w)) - exp(-h t)) has derivative
 * h (t e_t - (t - w) e_w) / (e_w - e_t) in its linear predictor, a
 * censored case's -h t the derivative -h t. */
static void gradient(const gsl_vector *v, void *params, gsl_vector *g)
{
	struct problem *q = params;
	size_t a, j, k = q->f.k;

	gsl_vector_set_zero(g);
	for (j = 0; j < v->size; j++)
		q->f.par[j] = gsl_vector_get(v, j);
	for (a = 0; a < q->n; a++) {
		size_t i = q->idx ? q->idx[a] : a;
		const double *xi = q->x + i * k;
		double eta = q->f.par[0], h, t = q->c[i].t, d;

		for (j = 0; j < k; j++)
			eta += q->f.par[1 + j] * xi[j];
		h = exp(eta);
		if (q->c[i].event) {
			double tw = t - q->width > 0 ? t - q->width : 0;
			double ew = exp(-h * tw), et = exp(-h * t);

			d = ew - et > 0 ? h * (t * et - tw * ew) / (ew - et) : -h * tw;
		} else {
			d = -h * t;
		}
		/* The objective is minus the log-likelihood. */
		*gsl_vector_ptr(g, 0) -= d;
		for (j = 0; j < k; j++)
			*gsl_vector_ptr(g, 1 + j) -= d * xi[j];
	}
	for (j = 1; j < v->size; j++)
		*gsl_vector_ptr(g, j) += 2 * q->ridge * q->f.par[j];
}

static void both(const gsl_vector *v, void *params, double *f, gsl_vector *g)
{
	*f = objective(v, params);
	gradient(v, params, g);
}

/* Fits the regression of Q from V by BFGS with the exact gradient (the
 * simplex is slow and unreliable in a dozen dimensions). Returns 0 or -1. */
static int fit_regression(struct problem *q, gsl_vector *v)
{
	gsl_multimin_function_fdf fn = { objective, gradient, both, v->size, q };
	gsl_multimin_fdfminimizer *m =
		gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, v->size);
	int status = GSL_CONTINUE, it;
	size_t j;

	if (!m)
		return -1;
	gsl_multimin_fdfminimizer_set(m, &fn, v, 0.1, 0.1);
	for (it = 0; it < 1000 && status == GSL_CONTINUE; it++) {
		if (gsl_multimin_fdfminimizer_iterate(m))
			break;
		status = gsl_multimin_test_gradient(m->gradient, 1e-6);
	}
	if (status != GSL_SUCCESS)
		status = gsl_multimin_test_gradient(m->gradient, 1e-3);
	for (j = 0; j < v->size; j++)
		q->f.par[j] = gsl_vector_get(m->x, j);
	q->f.loglik = -m->f;
	gsl_multimin_fdfminimizer_free(m);
	return status == GSL_SUCCESS ? 0 : -1;
}

int surv_fit(int kind, const struct surv_case *c, const size_t *idx, size_t n,
	     const double *x, size_t k, double width, double ridge, struct surv_fit *f)
{
	struct problem q = { c, idx, n, x, width, ridge, { kind, 0, { 0 }, 0 } };
	size_t np = kind == SURV_CONSTANT ? 1 : kind == SURV_WEIBULL ? 2 : 1 + k, j;
	gsl_multimin_function fn = { objective, np, &q };
	double fval, size;
	gsl_vector *v;
	int status;

	if (kind == SURV_EXPREG && (k > SURV_MAX_COVARIATES || !x))
		return -1;
	q.f.k = kind == SURV_EXPREG ? k : 0;
	if (!(v = gsl_vector_alloc(np)))
		return -1;
	start_at(&q, v);
	if (kind == SURV_EXPREG) {
		status = fit_regression(&q, v) == 0 ? GSL_SUCCESS : GSL_FAILURE;
	} else {
		status = simplex_minimise(&fn, v, 0.5, 5000, 1e-8, &fval, &size);
		/* A simplex that rounding keeps from shrinking further, or that
		 * makes no progress, at this size is as good as converged. */
		if (status != GSL_SUCCESS && status != GSL_ENOMEM && size < 1e-6)
			status = GSL_SUCCESS;
		if (status != GSL_ENOMEM) {
			for (j = 0; j < np; j++)
				q.f.par[j] = gsl_vector_get(v, j);
			q.f.loglik = -fval;
		}
	}
	*f = q.f;
	gsl_vector_free(v);
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

size_t surv_fold(const size_t *group, size_t i, size_t folds)
{
	return (group ? group[i] : i) % folds;
}

double surv_cv(int kind, const struct surv_case *c, size_t n, const double *x, size_t k,
	       double width, double ridge, size_t folds, const size_t *group, double *out,
	       struct surv_fit *fits)
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
			if (surv_fold(group, i, folds) != fold)
				train[m++] = i;
		if (m == n)
			continue;	/* an empty fold */
		if (surv_fit(kind, c, train, m, x, k, width, ridge, &f) < 0) {
			free(train);
			return NAN;
		}
		for (i = 0; i < n; i++) {
			double l;

			if (surv_fold(group, i, folds) != fold)
				continue;
			l = surv_loglik_case(c, i, &p, width);
			if (out)
				out[i] = l;
			if (fits)
				fits[i] = f;
			sum += l;
		}
	}
	free(train);
	return sum;
}
