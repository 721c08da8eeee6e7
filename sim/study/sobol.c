/* sobol.c - Sobol' index estimators (Saltelli 2010 first order, Jansen
 * 1999 total) and their intervals from independent replicates, with GSL. */
#include "study/sobol.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <gsl/gsl_cdf.h>

int sobol_replicate(size_t n, size_t k, const double *fa, const double *fb, const double *fab,
		    double *s1, double *st)
{
	double mean = 0, v = 0;
	size_t i, j;

	if (n == 0 || k == 0)
		return -1;
	for (j = 0; j < n; j++)
		mean += fa[j] + fb[j];
	mean /= (double)(2 * n);
	for (j = 0; j < n; j++)
		v += (fa[j] - mean) * (fa[j] - mean) + (fb[j] - mean) * (fb[j] - mean);
	v /= (double)(2 * n);
	if (!(v > 0))
		return -1;
	for (i = 0; i < k; i++) {
		const double *fabi = fab + i * n;
		double a = 0, t = 0;

		for (j = 0; j < n; j++) {
			double d = fabi[j] - fa[j];

			a += (fb[j] - mean) * d;
			t += d * d;
		}
		s1[i] = a / (double)n / v;
		st[i] = t / (double)n / (2 * v);
	}
	return 0;
}

/* The mean of the M values X[0], X[STRIDE], ... into *EST, and the bounds
 * of Student's 95% interval for it (NaN if M < 2). */
static void sobol_interval(const double *x, size_t m, size_t stride, double *est, double *lo,
			   double *hi)
{
	double mean = 0, ss = 0, h;
	size_t q;

	for (q = 0; q < m; q++)
		mean += x[q * stride];
	mean /= (double)m;
	for (q = 0; q < m; q++)
		ss += (x[q * stride] - mean) * (x[q * stride] - mean);
	*est = mean + 0.0;	/* no negative zero */
	if (m < 2) {
		*lo = *hi = NAN;
		return;
	}
	h = gsl_cdf_tdist_Pinv(0.975, (double)(m - 1)) * sqrt(ss / (double)(m - 1) / (double)m);
	*lo = mean - h + 0.0;
	*hi = mean + h + 0.0;
}

int sobol_indices(size_t n, size_t k, size_t r, const double *fa, const double *fb,
		  const double *fab, struct sobol_index *out)
{
	double *s1 = NULL, *st = NULL;
	size_t i, q, m = 0;
	int rc = -1;

	if (n == 0 || k == 0 || r == 0 || k > SIZE_MAX / r / sizeof(double))
		goto done;
	s1 = malloc(sizeof(double) * k * r);
	st = malloc(sizeof(double) * k * r);
	if (!s1 || !st)
		goto done;
	/* Replicate q's estimates go to row M of the R-by-K arrays, M
	 * counting the replicates kept. */
	for (q = 0; q < r; q++)
		m += !sobol_replicate(n, k, fa + q * n, fb + q * n, fab + q * k * n, s1 + m * k,
				      st + m * k);
	if (m == 0)
		goto done;
	for (i = 0; i < k; i++) {
		sobol_interval(s1 + i, m, k, &out[i].s1, &out[i].s1_lo, &out[i].s1_hi);
		sobol_interval(st + i, m, k, &out[i].st, &out[i].st_lo, &out[i].st_hi);
	}
	rc = 0;
done:
	if (rc)
		for (i = 0; i < k; i++) {
			out[i].s1 = out[i].s1_lo = out[i].s1_hi = NAN;
			out[i].st = out[i].st_lo = out[i].st_hi = NAN;
		}
	free(s1);
	free(st);
	return rc;
}
