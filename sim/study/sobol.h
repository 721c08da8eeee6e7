/* sobol.h - variance-based sensitivity: first-order and total Sobol'
 * indices from a Saltelli design, with bootstrap percentile intervals.
 *
 * The model is run on two n-by-k base matrices A and B (design.h) and on
 * the k matrices A_B^(i), i = 0..k-1: A with column i taken from B. That
 * is n*(k+2) runs for k inputs. */
#ifndef SIM_SOBOL_H
#define SIM_SOBOL_H

#include <signal.h>
#include <stddef.h>
#include <gsl/gsl_rng.h>

/* One input's indices: estimates and the bounds of their 95% bootstrap
 * percentile intervals. */
struct sobol_index {
	double s1, s1_lo, s1_hi;	/* first-order index */
	double st, st_lo, st_hi;	/* total index */
};

/* Estimates the Sobol' indices of K inputs from N model runs on each
 * design matrix, and writes them to OUT[0..K-1]. FA[N] and FB[N] are the
 * outputs on the rows of A and B; FAB[i*N + j] is the output on row j of
 * A_B^(i). All outputs must be finite. With V the variance of the 2N
 * values FA and FB taken together, divided by 2N (not 2N - 1):
 *
 *   first order (Saltelli et al. 2010)  S1_i = mean_j FB_j (FAB_ij - FA_j) / V
 *   total (Jansen 1999)                 ST_i = mean_j (FA_j - FAB_ij)^2 / (2V)
 *
 * The intervals come from NBOOT bootstrap resamples of the N rows (j),
 * drawn with R: each resample draws N row numbers with
 * gsl_rng_uniform_int(R, N), in order, and uses those rows for every
 * index and for its own V. The bounds are the 2.5% and 97.5% quantiles of
 * the resampled estimates, interpolated as gsl_stats_quantile_from_sorted_data
 * does. A resample whose V is 0 is left out; if no resample is left (or
 * NBOOT is 0, when R may be NULL) the bounds are NaN. N must not exceed
 * gsl_rng_max(R) - gsl_rng_min(R) + 1.
 *
 * Returns 0, or -1 if N or K is 0, V is 0 (constant output), or memory
 * runs out; OUT[0..K-1] then holds NaN in every field. Nothing allocated
 * here outlives the call. */
int sobol_indices(size_t n, size_t k, const double *fa, const double *fb, const double *fab,
		  size_t nboot, const gsl_rng *r, struct sobol_index *out);

/* As sobol_indices(), but returns 1 (OUT all NaN) as soon as *STOP (when
 * not NULL) is set, say by a signal handler, between resamples. */
int sobol_indices_stop(size_t n, size_t k, const double *fa, const double *fb,
		       const double *fab, size_t nboot, const gsl_rng *r, struct sobol_index *out,
		       volatile sig_atomic_t *stop);

#endif
