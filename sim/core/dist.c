/* dist.c - drawing uncertain parameters with GSL. */
#include "core/dist.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

struct dist dist_fixed(double v)
{
	struct dist d = { DIST_FIXED, v, 0, 0, v, v };
	return d;
}

/* Inverse CDF of the triangular distribution; GSL has none. */
static double triangular_draw(const struct dist *d, const gsl_rng *r)
{
	double u = gsl_rng_uniform(r);
	double w = d->hi - d->lo;
	double f = (d->c - d->lo) / w;

	if (u < f)
		return d->lo + sqrt(u * w * (d->c - d->lo));
	return d->hi - sqrt((1 - u) * w * (d->hi - d->c));
}

double dist_draw(const struct dist *d, const gsl_rng *r)
{
	double x;

	switch (d->kind) {
	case DIST_FIXED:
		return d->a;
	case DIST_UNIFORM:
		return d->lo + (d->hi - d->lo) * gsl_rng_uniform(r);
	case DIST_NORMAL:
		/* Config checking guarantees the window holds enough mass
		 * for this loop to end quickly. */
		do
			x = d->a + gsl_ran_gaussian_ziggurat(r, d->b);
		while (x < d->lo || x > d->hi);
		return x;
	case DIST_LOGNORMAL:
		return gsl_ran_lognormal(r, d->a, d->b);
	case DIST_BETA:
		return d->lo + (d->hi - d->lo) * gsl_ran_beta(r, d->a, d->b);
	case DIST_TRIANGULAR:
		return triangular_draw(d, r);
	}
	return NAN;
}

void dist_support(const struct dist *d, double *lo, double *hi)
{
	switch (d->kind) {
	case DIST_FIXED:
		*lo = *hi = d->a;
		return;
	case DIST_NORMAL:
		*lo = fmax(d->lo, d->a - DIST_Z_MAX * d->b);
		*hi = fmin(d->hi, d->a + DIST_Z_MAX * d->b);
		return;
	case DIST_LOGNORMAL:
		*lo = exp(d->a - DIST_Z_MAX * d->b);
		*hi = exp(d->a + DIST_Z_MAX * d->b);
		return;
	default:
		*lo = d->lo;
		*hi = d->hi;
		return;
	}
}

double dist_normal_window_mass(const struct dist *d)
{
	if (d->b == 0)
		return d->a >= d->lo && d->a <= d->hi;
	return gsl_cdf_gaussian_P(d->hi - d->a, d->b) -
	       gsl_cdf_gaussian_P(d->lo - d->a, d->b);
}

/* Mean and variance of a normal truncated to [lo, hi], by the standard
 * formulas with alpha = (lo - m)/s and beta = (hi - m)/s. */
static void truncnorm_moments(const struct dist *d, double *mean, double *var)
{
	double s = d->b, al, be, z, pa, pb;

	if (s == 0) {
		*mean = d->a;
		*var = 0;
		return;
	}
	al = (d->lo - d->a) / s;
	be = (d->hi - d->a) / s;
	z = gsl_cdf_ugaussian_P(be) - gsl_cdf_ugaussian_P(al);
	pa = isinf(al) ? 0 : gsl_ran_ugaussian_pdf(al);
	pb = isinf(be) ? 0 : gsl_ran_ugaussian_pdf(be);
	*mean = d->a + s * (pa - pb) / z;
	*var = s * s * (1 + ((isinf(al) ? 0 : al * pa) - (isinf(be) ? 0 : be * pb)) / z -
			((pa - pb) / z) * ((pa - pb) / z));
}

double dist_mean(const struct dist *d)
{
	double m, v, w = d->hi - d->lo;

	switch (d->kind) {
	case DIST_FIXED:
		return d->a;
	case DIST_UNIFORM:
		return (d->lo + d->hi) / 2;
	case DIST_NORMAL:
		truncnorm_moments(d, &m, &v);
		return m;
	case DIST_LOGNORMAL:
		return exp(d->a + d->b * d->b / 2);
	case DIST_BETA:
		return d->lo + w * d->a / (d->a + d->b);
	case DIST_TRIANGULAR:
		return (d->lo + d->c + d->hi) / 3;
	}
	return NAN;
}

double dist_variance(const struct dist *d)
{
	double m, v, w = d->hi - d->lo, s2 = d->b * d->b, ab = d->a + d->b;

	switch (d->kind) {
	case DIST_FIXED:
		return 0;
	case DIST_UNIFORM:
		return w * w / 12;
	case DIST_NORMAL:
		truncnorm_moments(d, &m, &v);
		return v;
	case DIST_LOGNORMAL:
		return (exp(s2) - 1) * exp(2 * d->a + s2);
	case DIST_BETA:
		return w * w * d->a * d->b / (ab * ab * (ab + 1));
	case DIST_TRIANGULAR:
		return (d->lo * d->lo + d->c * d->c + d->hi * d->hi -
			d->lo * d->c - d->lo * d->hi - d->c * d->hi) / 18;
	}
	return NAN;
}

const char *dist_name(enum dist_kind kind)
{
	static const char *const names[] = {
		"fixed", "uniform", "normal", "lognormal", "beta", "triangular"
	};
	return names[kind];
}
