/* survival.c - proper scores for right-censored times to an event, the
 * Kaplan-Meier estimator, and bootstrap intervals over cases. */
#include "study/survival.h"

#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>

#include "core/rng.h"

/* The least chance a log-likelihood term takes the log of. */
#define SURV_FLOOR 1e-300

double surv_loglik_case(const struct surv_case *c, size_t i, const struct surv_pred *p,
			double width)
{
	double t = c[i].t, x;

	if (c[i].event) {
		double a = t - width > 0 ? p->S(p->ctx, i, t - width) : 1;

		x = a - p->S(p->ctx, i, t);
	} else {
		x = p->S(p->ctx, i, t);
	}
	if (isnan(x))
		return NAN;
	return log(x > SURV_FLOOR ? x : SURV_FLOOR);
}

double surv_loglik(const struct surv_case *c, size_t n, const struct surv_pred *p, double width)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += surv_loglik_case(c, i, p, width);
	return s;
}

/* Whether case I had the event before case J (a comparable pair). */
static int first(const struct surv_case *c, size_t i, size_t j)
{
	if (!c[i].event)
		return 0;
	return c[i].t < c[j].t || (c[i].t == c[j].t && !c[j].event);
}

/* The concordance over the cases IDX[0 .. N-1] (bootstrap resamples
 * repeat cases; a case is never paired with itself). */
static double cindex_of(const struct surv_case *c, const size_t *idx, size_t n,
			const struct surv_pred *p)
{
	double pairs = 0, good = 0;
	size_t a, b;

	for (a = 0; a < n; a++)
		for (b = 0; b < n; b++) {
			size_t i = idx ? idx[a] : a, j = idx ? idx[b] : b;
			double si, sj;

			if (i == j || !first(c, i, j))
				continue;
			si = p->S(p->ctx, i, c[i].t);
			sj = p->S(p->ctx, j, c[i].t);
			pairs++;
			good += si < sj ? 1 : si == sj ? 0.5 : 0;
		}
	return pairs > 0 ? good / pairs : NAN;
}

double surv_cindex(const struct surv_case *c, size_t n, const struct surv_pred *p)
{
	return cindex_of(c, NULL, n, p);
}

static int by_time(const void *a, const void *b)
{
	const struct surv_case *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return y->event - x->event;	/* events first */
}

size_t surv_km(const struct surv_case *c, size_t n, int censoring, double *t, double *s)
{
	struct surv_case *o = malloc(sizeof(*o) * (n ? n : 1));
	double at_risk = (double)n, surv = 1;
	size_t i = 0, m = 0;

	if (!o)
		return 0;
	for (i = 0; i < n; i++)
		o[i] = c[i];
	qsort(o, n, sizeof(*o), by_time);
	for (i = 0; i < n;) {
		double ti = o[i].t, d = 0, left = 0;

		for (; i < n && o[i].t == ti; i++) {
			if (censoring ? !o[i].event : o[i].event)
				d++;
			left++;
		}
		if (d > 0) {
			/* An event ends a case just before a censoring at the
			 * same time: in the estimate of the censoring, the events
			 * at TI have already left the risk set. */
			double risk = censoring ? at_risk - (left - d) : at_risk;

			surv *= 1 - d / risk;
			t[m] = ti;
			s[m++] = surv;
		}
		at_risk -= left;
	}
	free(o);
	return m;
}

double surv_km_at(const double *t, const double *s, size_t m, double x, int left)
{
	double v = 1;
	size_t j;

	for (j = 0; j < m && (left ? t[j] < x : t[j] <= x); j++)
		v = s[j];
	return v;
}

/* The IPCW Brier score at TAU over the cases IDX[0 .. N-1], with the
 * censoring estimate G (M steps at GT, GS) of those cases. */
static double brier_of(const struct surv_case *c, const size_t *idx, size_t n,
		       const struct surv_pred *p, double tau, const double *gt, const double *gs,
		       size_t m)
{
	double sum = 0, gtau = surv_km_at(gt, gs, m, tau, 0);
	size_t a;

	if (!(gtau > 0))
		return NAN;
	for (a = 0; a < n; a++) {
		size_t i = idx ? idx[a] : a;
		double s = p->S(p->ctx, i, tau);

		if (c[i].t <= tau && c[i].event) {
			double g = surv_km_at(gt, gs, m, c[i].t, 1);

			if (g > 0)
				sum += s * s / g;
		} else if (c[i].t > tau) {
			sum += (1 - s) * (1 - s) / gtau;
		}
	}
	return n ? sum / (double)n : NAN;
}

/* The cases IDX[0 .. N-1] as an array of their own (for surv_km()). */
static struct surv_case *gather(const struct surv_case *c, const size_t *idx, size_t n)
{
	struct surv_case *o = malloc(sizeof(*o) * (n ? n : 1));
	size_t a;

	for (a = 0; o && a < n; a++)
		o[a] = c[idx ? idx[a] : a];
	return o;
}

static double brier_idx(const struct surv_case *c, const size_t *idx, size_t n,
			const struct surv_pred *p, double tau)
{
	struct surv_case *o = gather(c, idx, n);
	double *gt = malloc(sizeof(double) * (n ? n : 1)), *gs = malloc(sizeof(double) * (n ? n : 1));
	double r = NAN;

	if (o && gt && gs)
		r = brier_of(c, idx, n, p, tau, gt, gs, surv_km(o, n, 1, gt, gs));
	free(o);
	free(gt);
	free(gs);
	return r;
}

double surv_brier(const struct surv_case *c, size_t n, const struct surv_pred *p, double tau)
{
	return brier_idx(c, NULL, n, p, tau);
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

long surv_bootstrap(const struct surv_case *c, size_t n, const struct surv_pred *p,
		    surv_score_fn score, const void *arg, long b, uint64_t seed,
		    double *lo, double *hi)
{
	size_t *idx = malloc(sizeof(*idx) * (n ? n : 1)), a;
	double *v = malloc(sizeof(double) * (size_t)(b > 0 ? b : 1));
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	long k, used = 0;

	*lo = *hi = NAN;
	if (!idx || !v || !r) {
		free(idx);
		free(v);
		if (r)
			gsl_rng_free(r);
		return -1;
	}
	rng_seed(r, rng_key(seed, 0, STREAM_RESAMPLE));
	for (k = 0; k < b && n > 0; k++) {
		double x;

		for (a = 0; a < n; a++)
			idx[a] = (size_t)gsl_rng_uniform_int(r, (unsigned long)n);
		x = score(c, idx, n, p, arg);
		if (!isnan(x))
			v[used++] = x;
	}
	if (used > 0) {
		qsort(v, (size_t)used, sizeof(double), by_value);
		*lo = v[(size_t)floor(0.025 * (double)(used - 1))];
		*hi = v[(size_t)ceil(0.975 * (double)(used - 1))];
	}
	free(idx);
	free(v);
	gsl_rng_free(r);
	return used;
}

double surv_score_cindex(const struct surv_case *c, const size_t *idx, size_t n,
			 const struct surv_pred *p, const void *arg)
{
	(void)arg;
	return cindex_of(c, idx, n, p);
}

double surv_score_brier(const struct surv_case *c, const size_t *idx, size_t n,
			const struct surv_pred *p, const void *arg)
{
	return brier_idx(c, idx, n, p, *(const double *)arg);
}

double surv_score_loglik(const struct surv_case *c, const size_t *idx, size_t n,
			 const struct surv_pred *p, const void *arg)
{
	double s = 0;
	size_t a;

	for (a = 0; a < n; a++)
		s += surv_loglik_case(c, idx[a], p, *(const double *)arg);
	return s;
}
