/* morris.h - Morris (1991) elementary-effects screening: trajectories on
 * a grid of P levels of the unit hypercube, chosen for spread among M
 * candidates as Campolongo, Cariboni and Saltelli (2007) propose (the
 * selection by Ruano, Ribes, Seco and Ferrer's (2012) iterative removal,
 * then pairwise exchanges), with groups of inputs that move together;
 * and the effects' statistics mu, mu* and sigma, with a bootstrap
 * interval on mu*.
 *
 * There are N inputs and K factors (K = N without groups): factor f moves
 * the inputs i with GROUP[i] = f. A trajectory has K + 1 points of N
 * coordinates; from point j to point j + 1 the factor ORDER[j] moves, all
 * its inputs by DIR[j] Delta, Delta = P / (2 (P - 1)). Each input has its
 * own base level x* in {0, 1/(P-1), ..., <= 1 - Delta} and takes only the
 * values x* and x* + Delta. Nothing here calls exit. */
#ifndef SIM_MORRIS_H
#define SIM_MORRIS_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

/* The bounds the command line enforces. */
#define MORRIS_MIN_LEVELS 2
#define MORRIS_MAX_LEVELS 100

/* A design of R trajectories over N inputs in K factors. */
struct morris_design {
	size_t n, k, r;
	unsigned p;		/* levels */
	double delta;		/* the step, P / (2 (P - 1)) */
	double *x;		/* [r][k+1][n] the points, on [0,1] */
	size_t *order;		/* [r][k] the factor each step moves */
	signed char *dir;	/* [r][k] +1 up, -1 down */
	double spread;		/* the chosen ones' sum of squared distances */
	double spread_first;	/* that of the first R candidates drawn */
};

/* The statistics of one factor's R elementary effects. */
struct morris_stat {
	double mu;		/* mean of the effects */
	double mustar;		/* mean of their absolute values */
	double sigma;		/* their standard deviation (R - 1) */
	double lo, hi;		/* 95% bootstrap percentile interval on mu* */
};

/* Returns the step Delta of a grid of P levels, P / (2 (P - 1)). */
double morris_delta(unsigned p);

/* Fills M candidate trajectories drawn from RNG into X[m][k+1][n],
 * ORDER[m][k] and DIR[m][k]: for each,
 * a base level of each input uniform among the grid's floor(P/2) levels
 * at most 1 - Delta, a direction of each factor (+1 or -1, even odds) and
 * a uniform random order of the factors. GROUP[n] maps inputs to factors
 * (NULL: input i is factor i, N = K); every factor must have an input. */
void morris_candidates(const gsl_rng *rng, size_t n, size_t k, const size_t *group,
		       unsigned p, size_t m, double *x, size_t *order, signed char *dir);

/* Returns Campolongo's distance between trajectories A and B (K + 1
 * points of N coordinates each): the sum over every pair of a point of A
 * and a point of B of their Euclidean distance. */
double morris_distance(const double *a, const double *b, size_t n, size_t k);

/* Returns the sum of the squared distances between the R trajectories
 * IDX[0..R-1] of X (Campolongo's objective, squared). */
double morris_spread(const double *x, const size_t *idx, size_t r, size_t n, size_t k);

/* Chooses R of the M trajectories of X into CHOSEN[r] (ascending), for a
 * large sum of squared distances: Ruano et al.'s (2012) iterative removal
 * from M down to R (each time the trajectory whose removal leaves the
 * largest sum), then exchanges of a chosen one for an unchosen one while
 * one raises the sum (at most 10 passes). Takes about M^2 + 30 M R distances
 * and memory for 3 M doubles; deterministic (ties go to the lower index).
 * Returns 0, or -1 when out of memory. */
int morris_select(const double *x, size_t m, size_t n, size_t k, size_t r, size_t *chosen);

/* Makes in D the design of R trajectories chosen among M candidates drawn
 * from RNG (morris_candidates(), then morris_select()). Returns 0, or -1
 * when out of memory (D then holds nothing to release). */
int morris_design_make(struct morris_design *d, const gsl_rng *rng, size_t n, size_t k,
		       const size_t *group, unsigned p, size_t r, size_t m);

/* Frees what D holds. */
void morris_design_release(struct morris_design *d);

/* Writes the elementary effects EE[r][k] of D from the outputs at its
 * points, Y[(t (k+1) + j) * STRIDE] for point j of trajectory t: the
 * effect of the factor step j moves is DIR (y(j+1) - y(j)) / Delta. */
void morris_effects(const struct morris_design *d, const double *y, size_t stride,
		    double *ee);

/* Computes into OUT[k] the statistics of the effects EE[r][k] (R >= 2),
 * with B bootstrap resamples of the trajectories drawn from RNG for the
 * intervals (B = 0: the interval is NaN). Returns 0, or -1 when out of
 * memory. */
int morris_stats(const double *ee, size_t r, size_t k, size_t b, const gsl_rng *rng,
		 struct morris_stat *out);

#endif
