/* paired.h - intervals for the difference of two figures measured on the
 * same trials (sim compare's paired differences).
 *
 * Trial i gives each of two scenarios a contribution to a figure, x_i in
 * the first and y_i in the second, and the figure's difference is the
 * mean of d_i = y_i - x_i over the N trials. What the pairing keeps is
 * S1 = sum d_i and S2 = sum d_i^2. */
#ifndef SIM_PAIRED_H
#define SIM_PAIRED_H

#include <stdint.h>

/* Tango's score interval (Tango 1998, "Equivalence test and confidence
 * interval for the difference in proportions for the paired-sample
 * design", Stat. Med. 17, 891-908) for the difference of two paired
 * proportions, p_y - p_x, from B trials where only y had the event and C
 * where only x had it, of N: the differences D in [-1, 1] whose score
 * statistic
 *
 *   Z(D) = (B - C - N D) / sqrt(N (2 q(D) + D (1 - D)))
 *
 * lies in [-Z, Z], q(D) being the maximum likelihood estimate of the
 * probability of the "only x" cell given D. It depends on B, C and N
 * alone, holds (B - C) / N, lies in [-1, 1], and is a proper interval
 * even when B = C = 0: then it is +/- Z^2 / (N + Z^2). Sets *LO and *HI
 * (NaN if N is 0 or B + C exceeds N). */
void paired_score(uint64_t b, uint64_t c, uint64_t n, double z, double *lo, double *hi);

/* The normal interval of the mean difference S1 / N from the sums S1 and
 * S2 over N trials of contributions in [0, 1]: S1 / N -/+ Z sqrt((S2 -
 * S1^2 / N) / N^2). Where that variance is 0 or less (every difference
 * the same, up to rounding), which does not make the mean exact, the
 * half-width is Z^2 / (N + Z^2) instead, that of the score interval of
 * 0/1 contributions with no discordant trial (0/1 being the most spread
 * out that contributions in [0, 1] can be). Sets *LO and *HI. */
void paired_normal(double s1, double s2, double n, double z, double *lo, double *hi);

/* The normal interval of the difference D = S1 / TRIALS for units of one
 * or two trials (antithetic pairs; UNITS of them in all, the pairs being
 * TRIALS - UNITS): S1 and S2 are the sums over units of the difference
 * of the unit's sums and of its square, S3 that sum over the units of a
 * single trial. By the delta method for a ratio over clusters of W
 * trials, Var(D) = sum (d_j - D W_j)^2 UNITS / ((UNITS - 1) TRIALS^2),
 * with sum W^2 = 4 pairs + singles and sum d W = 2 S1 - S3 (S1 when no
 * unit is a pair). Where that spread is 0 or less the half-width is Z^2 /
 * (UNITS + Z^2), as in paired_normal(). Sets *LO and *HI (NaN with fewer
 * than 2 units). */
void paired_clusters(double s1, double s2, double s3, uint64_t trials, uint64_t units, double z,
		     double *lo, double *hi);

/* Whether S1 and S2 over N trials are those of differences that are all
 * -1, 0 or 1 (two 0/1 indicators): both whole, |S1| <= S2 <= N and S2 -
 * S1 even. If so, sets *B = (S2 + S1) / 2 and *C = (S2 - S1) / 2. */
int paired_discordant(double s1, double s2, uint64_t n, uint64_t *b, uint64_t *c);

#endif
