/* dist.c - drawing uncertain parameters with GSL. */
#include "core/dist.h"

#include <math.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "core/rng.h"

struct dist dist_fixed(double v)
{
	struct dist d = { DIST_FIXED, v, 0, 0, v, v };
	return d;
}

/* Inverse CDF of the triangular distribution at U; GSL has none. */
static double triangular_quantile(const struct dist *d, double u)
{
	double w = d->hi - d->lo;
	double f = (d->c - d->lo) / w;

	if (u < f)
		return d->lo + sqrt(u * w * (d->c - d->lo));
	return d->hi - sqrt((1 - u) * w * (d->hi - d->c));
}

/* Inverse CDF of the normal D truncated to [lo, hi] at U: the quantile
 * of the window's share of the standard normal, taken from the tail the
 * window lies in so that far windows keep their precision. */
static double truncnorm_quantile(const struct dist *d, double u)
{
	double a, b, pa, pb, z;

	if (d->b == 0)
		return d->a;
	a = (d->lo - d->a) / d->b;
	b = (d->hi - d->a) / d->b;
	if (a > 0) {		/* the upper tail: mirror it */
		pa = gsl_cdf_ugaussian_Q(a);
		pb = gsl_cdf_ugaussian_Q(b);
		z = gsl_cdf_ugaussian_Qinv(pa - u * (pa - pb));
	} else {
		pa = gsl_cdf_ugaussian_P(a);
		pb = gsl_cdf_ugaussian_P(b);
		z = gsl_cdf_ugaussian_Pinv(pa + u * (pb - pa));
	}
	z = d->a + d->b * z;
	return z < d->lo ? d->lo : z > d->hi ? d->hi : z;
}

double dist_quantile(const struct dist *d, double u)
{
	switch (d->kind) {
	case DIST_FIXED:
		return d->a;
	case DIST_UNIFORM:
		return d->lo + (d->hi - d->lo) * u;
	case DIST_NORMAL:
		return truncnorm_quantile(d, u);
	case DIST_LOGNORMAL:
		return d->b == 0 ? exp(d->a) : exp(d->a + d->b * gsl_cdf_ugaussian_Pinv(u));
	case DIST_BETA:
		return d->lo + (d->hi - d->lo) * gsl_cdf_beta_Pinv(u, d->a, d->b);
	case DIST_TRIANGULAR:
		return triangular_quantile(d, u);
	}
	return NAN;
}

double dist_draw(const struct dist *d, const gsl_rng *r, int anti)
{
	if (d->kind == DIST_FIXED)
		return d->a;
	return dist_quantile(d, rng_u(r, anti));
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
