/* sobol.h - variance-based sensitivity: first-order and total Sobol'
 * indices from R independent replicates of a scrambled Saltelli design,
 * with Student's t intervals from the spread of the replicates.
 *
 * Each replicate runs the model on two n-by-k base matrices A and B
 * (design.h, one scrambling of the Sobol' points each) and on the k
 * matrices A_B^(i), i = 0..k-1: A with column i taken from B. That is
 * n*(k+2) runs a replicate for k inputs. */
#ifndef SIM_SOBOL_H
#define SIM_SOBOL_H

#include <stddef.h>

/* One input's indices: estimates and the bounds of their 95% intervals. */
struct sobol_index {
	double s1, s1_lo, s1_hi;	/* first-order index */
	double st, st_lo, st_hi;	/* total index */
};

/* Estimates the Sobol' indices of K inputs from R replicates of N model
 * runs on each design matrix, and writes them to OUT[0..K-1]. FA[q*N + j]
 * and FB[q*N + j] are the outputs on row j of replicate q's A and B;
 * FAB[(q*K + i)*N + j] is the output on row j of its A_B^(i). All outputs
 * must be finite. In each replicate the outputs are first centred on the
 * mean M of its 2N values FA and FB, and with V their variance (divided
 * by 2N, not 2N - 1):
 *
 *   first order (Saltelli et al. 2010)  S1_i = mean_j (FB_j - M) (FAB_ij - FA_j) / V
 *   total (Jansen 1999)                 ST_i = mean_j (FA_j - FAB_ij)^2 / (2V)
 *
 * Centring leaves each estimator's expectation as it is (E[FAB_i - FA] =
 * 0) and removes most of the first-order one's variance when the outputs'
 * mean is far from 0. A replicate whose V is 0 is left out. The estimate
 * is the mean of the R' replicates kept, and its 95% interval is that
 * mean -/+ t(0.975, R' - 1) s / sqrt(R'), s the replicates' standard
 * deviation (R' - 1 divisor): the replicates are independent (their
 * scramblings are), so this is Student's interval for the expectation of
 * a replicate's estimate. With R' = 1 the bounds are NaN.
 *
 * Returns 0, or -1 if N, K or R is 0, no replicate is kept (constant
 * output), or memory runs out; OUT[0..K-1] then holds NaN in every field.
 * Nothing allocated here outlives the call. */
int sobol_indices(size_t n, size_t k, size_t r, const double *fa, const double *fb,
		  const double *fab, struct sobol_index *out);

/* The estimates of one replicate: as sobol_indices() describes them, for
 * the N rows FA[N], FB[N], FAB[i*N + j], into S1[K] and ST[K]. Returns
 * 0, or -1 (S1 and ST untouched) if N or K is 0 or V is 0. */
int sobol_replicate(size_t n, size_t k, const double *fa, const double *fb, const double *fab,
		    double *s1, double *st);

#endif
