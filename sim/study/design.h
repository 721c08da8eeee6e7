/* design.h - experimental designs on the unit hypercube: Latin hypercube
 * samples, and the two base matrices of a Saltelli (Sobol' index) design
 * drawn from a Sobol' low-discrepancy sequence.
 *
 * Every design is an n-by-k matrix of doubles stored row-major: row j
 * (sample j) is x[j*k .. j*k + k-1]. The caller owns every array; nothing
 * here allocates memory that outlives a call. */
#ifndef SIM_DESIGN_H
#define SIM_DESIGN_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

/* Fills X[N*K] with a Latin hypercube sample of N points on [0,1)^K,
 * drawing from R. In every dimension each stratum [j/N, (j+1)/N) holds
 * exactly one point (j/N and (j+1)/N as computed in double): the order of
 * the strata down a column is a uniform random permutation, independent
 * between columns, and the position within a stratum is uniform. The
 * design is a pure function of R's state on entry; R advances by N*K
 * uniforms and K shuffles of N rows. Takes O(N*K^2) time (the shuffles
 * move whole rows) and no memory beyond X. Does nothing if N or K is 0. */
void design_lhs(const gsl_rng *r, size_t n, size_t k, double *x);

/* Fills A[N*K] and B[N*K] with replicate REP of Saltelli's base matrices
 * for a study with SEED: the first N points of a 2K-dimensional Sobol'
 * sequence (GSL's gsl_qrng_sobol, 30 bits a coordinate, its points
 * preceded by the origin, which GSL never emits), each coordinate
 * Owen-scrambled (Owen 1995; see design.c) by random bits drawn from
 * rng_key(SEED, REP, STREAM_SCRAMBLE). Coordinates 0..K-1 of point j form
 * row j of A, coordinates K..2K-1 row j of B. Every value is in [0,1), and
 * each point on its own is uniform on [0,1)^2K; for N = 2^m the points
 * keep the sequence's net structure (every column has exactly one value
 * in each [j/N, (j+1)/N)). Distinct replicates are independent
 * scramblings of the same points. The result depends on N, K, SEED and
 * REP alone. Returns 0, or -1 if 2K exceeds the generator's maximum
 * dimension (40) or the generator cannot be allocated (A and B untouched;
 * GSL's error handler is called in the latter case), or if N exceeds the
 * 2^30 points the sequence has (A and B then hold the points it gave).
 * K = 0 or N = 0 fills nothing and returns 0. */
int design_saltelli(size_t n, size_t k, uint64_t seed, uint64_t rep, double *a, double *b);

/* Maps each column i of the N-by-K matrix X from [0,1] to [LO[i], HI[i]]
 * in place: x -> LO[i] + (HI[i] - LO[i]) * x, or LO[i] (1 - x) + HI[i] x
 * where HI[i] - LO[i] overflows. LO and HI hold K values;
 * HI[i] < LO[i] is allowed and reverses the column. */
void design_scale(double *x, size_t n, size_t k, const double *lo, const double *hi);

#endif
