/* design.c - Latin hypercube and Sobol' sequence designs with GSL. */
#include "study/design.h"

#include <math.h>
#include <string.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>

/* The most coordinates design_saltelli() asks of the Sobol' generator;
 * GSL's gsl_qrng_sobol supports 40. */
#define DESIGN_QRNG_MAX 40

/* Returns a point of stratum J of N at relative position U in [0,1): a
 * value in [J/N, (J+1)/N), both ends as computed in double. Rounding can
 * carry LO + (HI - LO) * U up to HI; such a value is moved to the largest
 * double below HI. */
static double lhs_point(size_t j, size_t n, double u)
{
	double lo = (double)j / (double)n, hi = (double)(j + 1) / (double)n;
	double v = lo + (hi - lo) * u;

	if (v >= hi)
		v = nextafter(hi, lo);
	return v;
}

/* Column d is written in stratum order (row j in stratum j) and then the
 * rows are shuffled whole, which also moves columns 0..d-1. Column d thus
 * ends up permuted by shuffles d..K-1; the map from the K independent
 * uniform shuffles to these K composite permutations is one-to-one, so
 * the columns' stratum orders are independent uniform permutations, as
 * if each column had been shuffled alone, without a scratch array. */
void design_lhs(const gsl_rng *r, size_t n, size_t k, double *x)
{
	size_t d, j;

	if (n == 0 || k == 0)
		return;
	memset(x, 0, sizeof(double) * n * k);	/* the shuffles copy every byte */
	for (d = 0; d < k; d++) {
		for (j = 0; j < n; j++)
			x[j * k + d] = lhs_point(j, n, gsl_rng_uniform(r));
		gsl_ran_shuffle(r, x, n, sizeof(double) * k);
	}
}

int design_saltelli(size_t n, size_t k, double *a, double *b)
{
	double v[DESIGN_QRNG_MAX];
	gsl_qrng *q;
	size_t i, j;

	if (k > gsl_qrng_sobol->max_dimension / 2 || k > DESIGN_QRNG_MAX / 2)
		return -1;
	if (n == 0 || k == 0)
		return 0;
	q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned int)(2 * k));
	if (!q)
		return -1;
	/* GSL's first point is (1/2, ..., 1/2): the origin is already left
	 * out, so every point it gives is used. */
	for (j = 0; j < n; j++) {
		if (gsl_qrng_get(q, v)) {	/* past the sequence's 2^30 - 1 points */
			gsl_qrng_free(q);
			return -1;
		}
		for (i = 0; i < k; i++) {
			a[j * k + i] = v[i];
			b[j * k + i] = v[k + i];
		}
	}
	gsl_qrng_free(q);
	return 0;
}

void design_scale(double *x, size_t n, size_t k, const double *lo, const double *hi)
{
	size_t i, j;

	for (i = 0; i < k; i++) {
		double d = hi[i] - lo[i];

		/* Where HI - LO overflows (opposite signs, both huge), each end is
		 * weighted instead, which cannot overflow. */
		for (j = 0; j < n; j++) {
			double u = x[j * k + i];

			x[j * k + i] = isfinite(d) ? lo[i] + d * u : lo[i] * (1 - u) + hi[i] * u;
		}
	}
}
