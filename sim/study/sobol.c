/* sobol.c - Sobol' index estimators (Saltelli 2010 first order, Jansen
 * 1999 total) and their bootstrap intervals, with GSL. */
#include "study/sobol.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

/* Row number J of the sample: IDX[J], or J itself when IDX is NULL. */
static size_t sobol_row(const size_t *idx, size_t j)
{
	return idx ? idx[j] : j;
}

/* Estimates S1 and ST of the K inputs from the N rows IDX (NULL: rows
 * 0..N-1 in order) and writes input i's to S1[i * STRIDE] and
 * ST[i * STRIDE]. BUF is scratch for 2N doubles. Returns 0, or -1 (S1 and
 * ST untouched) if the variance of the rows' FA and FB values is 0. */
static int sobol_estimate(size_t n, size_t k, const double *fa, const double *fb,
			  const double *fab, const size_t *idx, double *buf,
			  double *s1, double *st, size_t stride)
{
	double mean, v;
	size_t i, j;

	for (j = 0; j < n; j++) {
		buf[j] = fa[sobol_row(idx, j)];
		buf[n + j] = fb[sobol_row(idx, j)];
	}
	mean = gsl_stats_mean(buf, 1, 2 * n);
	v = gsl_stats_variance_with_fixed_mean(buf, 1, 2 * n, mean);	/* divides by 2N */
	if (!(v > 0))
		return -1;
	for (i = 0; i < k; i++) {
		const double *fabi = fab + i * n;
		double a = 0, t = 0;

		for (j = 0; j < n; j++) {
			size_t row = sobol_row(idx, j);
			double d = fabi[row] - fa[row];

			a += fb[row] * d;
			t += d * d;
		}
		s1[i * stride] = a / (double)n / v;
		st[i * stride] = t / (double)n / (2 * v);
	}
	return 0;
}

/* Sets the bounds of the 95% percentile interval from the M values X
 * (sorted here), or NaN if M is 0. */
static void sobol_interval(double *x, size_t m, double *lo, double *hi)
{
	if (m == 0) {
		*lo = *hi = NAN;
		return;
	}
	gsl_sort(x, 1, m);
	*lo = gsl_stats_quantile_from_sorted_data(x, 1, m, 0.025);
	*hi = gsl_stats_quantile_from_sorted_data(x, 1, m, 0.975);
}

int sobol_indices(size_t n, size_t k, const double *fa, const double *fb, const double *fab,
		  size_t nboot, const gsl_rng *r, struct sobol_index *out)
{
	return sobol_indices_stop(n, k, fa, fb, fab, nboot, r, out, NULL);
}

int sobol_indices_stop(size_t n, size_t k, const double *fa, const double *fb,
		       const double *fab, size_t nboot, const gsl_rng *r, struct sobol_index *out,
		       volatile sig_atomic_t *stop)
{
	double *buf = NULL, *pt = NULL, *s1b = NULL, *stb = NULL;
	size_t *idx = NULL;
	size_t b, i, j, m = 0;
	int rc = -1;

	if (n == 0 || k == 0 || n > SIZE_MAX / 2 / sizeof(double) ||
	    k > SIZE_MAX / 2 / sizeof(double) || (nboot && k > SIZE_MAX / nboot / sizeof(double)))
		goto done;
	buf = malloc(sizeof(double) * 2 * n);
	pt = malloc(sizeof(double) * 2 * k);
	if (nboot) {
		idx = malloc(sizeof(size_t) * n);
		s1b = malloc(sizeof(double) * k * nboot);
		stb = malloc(sizeof(double) * k * nboot);
	}
	if (!buf || !pt || (nboot && (!idx || !s1b || !stb)))
		goto done;
	if (sobol_estimate(n, k, fa, fb, fab, NULL, buf, pt, pt + k, 1))
		goto done;

	/* Resample b's estimates go to column M of the K-by-NBOOT arrays,
	 * M counting the resamples kept. */
	for (b = 0; b < nboot; b++) {
		if (stop && *stop) {
			rc = 1;
			goto done;
		}
		for (j = 0; j < n; j++)
			idx[j] = gsl_rng_uniform_int(r, (unsigned long)n);
		m += !sobol_estimate(n, k, fa, fb, fab, idx, buf, s1b + m, stb + m, nboot);
	}
	for (i = 0; i < k; i++) {
		out[i].s1 = pt[i];
		out[i].st = pt[k + i];
		sobol_interval(s1b ? s1b + i * nboot : NULL, m, &out[i].s1_lo, &out[i].s1_hi);
		sobol_interval(stb ? stb + i * nboot : NULL, m, &out[i].st_lo, &out[i].st_hi);
	}
	rc = 0;
done:
	if (rc)
		for (i = 0; i < k; i++) {
			out[i].s1 = out[i].s1_lo = out[i].s1_hi = NAN;
			out[i].st = out[i].st_lo = out[i].st_hi = NAN;
		}
	free(buf);
	free(pt);
	free(idx);
	free(s1b);
	free(stb);
	return rc;
}
