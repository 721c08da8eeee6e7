/* test_design.c - experimental designs (Latin hypercube, Saltelli
 * matrices from an Owen-scrambled Sobol' sequence) and Sobol' sensitivity
 * indices with their intervals from replicates.
 *
 * In the manner of GSL's randist/test.c: fixed seeds, tolerances stated
 * with each check, and failure messages "observed X vs expected Y".
 * Expected values come from closed forms computed here: the stratum
 * arithmetic of a Latin hypercube, the net structure of Sobol' points,
 * the Sobol' indices of the Ishigami function and of a linear model, and
 * a four-row example worked by hand; the coverage of the indices'
 * intervals is measured over many seeds. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <gsl/gsl_rng.h>

#include "study/design.h"
#include "core/rng.h"
#include "study/sobol.h"
#include "testutil.h"

#define GUARD 4			/* sentinels after each output array */
#define SENTINEL -12345.5

/* Compares OBS with EXP to absolute tolerance TOL; prints and counts a
 * failure. */
static void check_abs(const char *what, double obs, double exp_, double tol)
{
	if (!(fabs(obs - exp_) <= tol)) {
		print_error("%s: observed %.10g vs expected %.10g (|difference| %.3g > %.3g)\n",
			    what, obs, exp_, fabs(obs - exp_), tol);
		failures++;
	}
}

/* Returns an array of N doubles followed by GUARD sentinels. */
static double *alloc_guarded(size_t n)
{
	double *x = malloc(sizeof(double) * (n + GUARD));
	size_t i;

	assert_non_null(x);
	for (i = 0; i < GUARD; i++)
		x[n + i] = SENTINEL;
	return x;
}

/* Counts the sentinels after X[N] that were overwritten. */
static long guard_broken(const double *x, size_t n)
{
	long bad = 0;
	size_t i;

	for (i = 0; i < GUARD; i++)
		bad += x[n + i] != SENTINEL;
	return bad;
}

/* ---------------------------------------------------------------- */
/* Latin hypercube */

/* Fills X with the N x K Latin hypercube design_lhs draws from R seeded
 * with stream (SEED, 0, 0). */
static void lhs(gsl_rng *r, uint64_t seed, size_t n, size_t k, double *x)
{
	rng_stream(r, seed, 0, 0);
	design_lhs(r, n, k, x);
}

/* check_long(COUNT, 0) of the check "AT: NAME". */
static void check_none(const char *at, const char *name, long count)
{
	char what[160];

	snprintf(what, sizeof(what), "%s: %s", at, name);
	check_long(what, count, 0);
}

/* Returns the stratum j of N with j/N <= X < (j+1)/N (both ends computed
 * in double, as design.h states), or N if there is none. */
static size_t stratum(double x, size_t n)
{
	double g = floor(x * (double)n);
	size_t j;
	long t;

	/* x * n can round across a boundary: try the neighbours too. */
	for (t = -1; t <= 1; t++) {
		if (g + (double)t < 0 || g + (double)t >= (double)n)
			continue;
		j = (size_t)(g + (double)t);
		if (x >= (double)j / (double)n && x < (double)(j + 1) / (double)n)
			return j;
	}
	return n;
}

static void test_lhs_strata(void **state)
{
	static const size_t nk[][2] = {
		{ 1, 1 }, { 2, 3 }, { 7, 5 }, { 10, 1 }, { 100, 4 }, { 1000, 10 }, { 3, 40 }, { 4096, 3 }
	};
	static const uint64_t seeds[] = { 1, 2, 20240601 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	char at[96], what[160];
	unsigned c, s;

	(void)state;
	assert_non_null(r);
	for (c = 0; c < sizeof(nk) / sizeof(nk[0]); c++)
		for (s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
			size_t n = nk[c][0], k = nk[c][1], i, j, d;
			double *x = alloc_guarded(n * k);
			long *hits = calloc(n, sizeof(long));
			long outside = 0, missing = 0, multiple = 0, unplaced = 0;
			double pos = 0;

			assert_non_null(hits);
			lhs(r, seeds[s], n, k, x);
			for (d = 0; d < k; d++) {
				memset(hits, 0, n * sizeof(long));
				for (j = 0; j < n; j++) {
					double v = x[j * k + d];

					outside += !(v >= 0 && v < 1);
					i = stratum(v, n);
					if (i == n) {
						unplaced++;
						continue;
					}
					hits[i]++;
					pos += v * (double)n - (double)i;
				}
				for (i = 0; i < n; i++) {
					missing += hits[i] == 0;
					multiple += hits[i] > 1;
				}
			}
			snprintf(at, sizeof(at), "lhs n %zu k %zu seed %llu", n, k,
				 (unsigned long long)seeds[s]);
			check_none(at, "values outside [0,1)", outside);
			check_none(at, "values in no stratum", unplaced);
			check_none(at, "empty strata", missing);
			check_none(at, "strata hit twice or more", multiple);
			check_none(at, "sentinels overwritten", guard_broken(x, n * k));
			/* Position within the stratum: uniform, mean 1/2, SE
			 * sqrt(1/12 / (n k)). */
			snprintf(what, sizeof(what), "%s: mean position in stratum", at);
			check_se(what, pos / (double)(n * k), 0.5, sqrt(1.0 / 12 / (double)(n * k)));
			free(hits);
			free(x);
		}
	gsl_rng_free(r);
	check_finish();
}

/* The stratum orders of different columns are independent: Spearman's
 * rank correlation of two columns (here the stratum numbers are the ranks)
 * has mean 0 and SE 1/sqrt(n - 1). */
static void test_lhs_independent_columns(void **state)
{
	const size_t n = 2000, k = 6;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	double *x = alloc_guarded(n * k);
	char what[96];
	size_t d, e, j;

	(void)state;
	assert_non_null(r);
	lhs(r, 77, n, k, x);
	for (d = 0; d < k; d++)
		for (e = d + 1; e < k; e++) {
			double m = ((double)n - 1) / 2, sxy = 0, sxx = 0;

			for (j = 0; j < n; j++) {
				double a = (double)stratum(x[j * k + d], n) - m;
				double b = (double)stratum(x[j * k + e], n) - m;

				sxy += a * b;
				sxx += a * a;
			}
			snprintf(what, sizeof(what), "lhs: rank correlation of columns %zu and %zu", d, e);
			check_se(what, sxy / sxx, 0, 1 / sqrt((double)n - 1));
		}
	free(x);
	gsl_rng_free(r);
	check_finish();
}

static void test_lhs_repeat(void **state)
{
	const size_t n = 500, k = 7;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	double *x = alloc_guarded(n * k), *y = alloc_guarded(n * k);
	size_t i;
	long same;

	(void)state;
	assert_non_null(r);
	lhs(r, 5, n, k, x);
	lhs(r, 5, n, k, y);
	check_long("lhs: same seed gives the same design (memcmp == 0)",
		   memcmp(x, y, sizeof(double) * n * k) == 0, 1);

	/* Another seed: with continuous positions no value should repeat. */
	lhs(r, 6, n, k, y);
	for (i = 0, same = 0; i < n * k; i++)
		same += x[i] == y[i];
	check_long("lhs: seeds 5 and 6, equal values", same, 0);

	/* The design depends on r's state, not on its seed alone: a second
	 * design from the same generator differs from the first. */
	lhs(r, 5, n, k, y);
	design_lhs(r, n, k, y);
	for (i = 0, same = 0; i < n * k; i++)
		same += x[i] == y[i];
	check_long("lhs: the next design from one generator, equal values", same, 0);
	free(x);
	free(y);
	gsl_rng_free(r);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* Saltelli matrices and scaling */

/* Counts the elementary boxes [i/2^E, (i+1)/2^E) x [j/2^(M-E), ...) of
 * columns C0 and C1 of the N = 2^M rows of X (K columns) that do not hold
 * exactly one point: 0 for every E when the two columns are a (0,m,2)-net. */
static long net_misses(const double *x, size_t n, size_t k, size_t c0, size_t c1, int m, int e)
{
	long *hits = calloc(n, sizeof(long)), bad = 0;
	size_t j;

	assert_non_null(hits);
	for (j = 0; j < n; j++) {
		size_t u = (size_t)ldexp(x[j * k + c0], e), v = (size_t)ldexp(x[j * k + c1], m - e);

		hits[u << (m - e) | v]++;
	}
	for (j = 0; j < n; j++)
		bad += hits[j] != 1;
	free(hits);
	return bad;
}

/* The scrambled design's values lie in [0,1) and keep the net of the
 * Sobol' points. */
static void test_saltelli(void **state)
{
	const size_t n = 4096, k = 5;
	double *a = alloc_guarded(n * k), *b = alloc_guarded(n * k);
	long outside = 0, bad;
	char what[96];
	size_t i, j;
	int e;

	(void)state;
	check_long("saltelli n 4096 k 5: return", design_saltelli(n, k, 7, 0, a, b), 0);
	for (j = 0; j < n * k; j++) {
		outside += !(a[j] >= 0 && a[j] < 1);
		outside += !(b[j] >= 0 && b[j] < 1);
	}
	check_long("saltelli: values outside [0,1)", outside, 0);
	check_long("saltelli: A sentinels overwritten", guard_broken(a, n * k), 0);
	check_long("saltelli: B sentinels overwritten", guard_broken(b, n * k), 0);

	/* Scrambling keeps the net: 4096 = 2^12 points with the origin, so
	 * every column (a one-dimensional projection) has one value in each
	 * of the 4096 strata, and the first two dimensions, of t = 0, one
	 * point in every elementary box of area 2^-12. */
	for (i = 0; i < 2 * k; i++) {
		const double *x = i < k ? a + i : b + i - k;
		long missing = 0, multiple = 0;
		long *hits = calloc(n + 1, sizeof(long));

		assert_non_null(hits);
		for (j = 0; j < n; j++)
			hits[stratum(x[j * k], n)]++;	/* hits[n]: in no stratum */
		for (j = 0; j < n; j++) {
			missing += hits[j] == 0;
			multiple += hits[j] > 1;
		}
		snprintf(what, sizeof(what), "saltelli: dimension %zu, empty strata", i);
		check_long(what, missing, 0);
		snprintf(what, sizeof(what), "saltelli: dimension %zu, strata hit twice or more", i);
		check_long(what, multiple, 0);
		free(hits);
	}
	for (e = 0, bad = 0; e <= 12; e++)
		bad += net_misses(a, n, k, 0, 1, 12, e);
	check_long("saltelli: columns 0 and 1 of A, elementary boxes without exactly one point",
		   bad, 0);

	/* Column means of a scrambled net: each stratum's value uniform in
	 * it, so the mean is 1/2 with SE sqrt(1/12) / n, about 7e-5. */
	for (i = 0; i < k; i++) {
		double ma = 0, mb = 0;

		for (j = 0; j < n; j++) {
			ma += a[j * k + i];
			mb += b[j * k + i];
		}
		check_se("saltelli: column mean of A", ma / (double)n, 0.5, sqrt(1.0 / 12) / (double)n);
		check_se("saltelli: column mean of B", mb / (double)n, 0.5, sqrt(1.0 / 12) / (double)n);
	}

	free(a);
	free(b);
	check_finish();
}

/* The same seed and replicate give the same bytes; the design of 100 rows
 * is the first 100 rows of that of 4096; another replicate or another
 * seed scrambles anew (no value repeats). At most 2k = 40 dimensions. */
static void test_saltelli_repeat(void **state)
{
	const size_t n = 4096, k = 5;
	double *a = alloc_guarded(n * k), *b = alloc_guarded(n * k);
	double *a2 = alloc_guarded(n * k), *b2 = alloc_guarded(n * k);
	long outside, equal;
	size_t i, j;

	(void)state;
	check_long("saltelli: first call, return", design_saltelli(n, k, 7, 0, a, b), 0);
	check_long("saltelli: second call, return", design_saltelli(n, k, 7, 0, a2, b2), 0);
	check_long("saltelli: second call gives the same A",
		   memcmp(a, a2, sizeof(double) * n * k) == 0, 1);
	check_long("saltelli: second call gives the same B",
		   memcmp(b, b2, sizeof(double) * n * k) == 0, 1);
	check_long("saltelli n 100: return", design_saltelli(100, k, 7, 0, a2, b2), 0);
	check_long("saltelli: n 100 gives the first rows of n 4096",
		   memcmp(a, a2, sizeof(double) * 100 * k) == 0 &&
		   memcmp(b, b2, sizeof(double) * 100 * k) == 0, 1);
	design_saltelli(n, k, 7, 1, a2, b2);
	for (j = 0, equal = 0; j < n * k; j++)
		equal += (a[j] == a2[j]) + (b[j] == b2[j]);
	check_long("saltelli: replicates 0 and 1, equal values", equal, 0);
	design_saltelli(n, k, 8, 0, a2, b2);
	for (j = 0, equal = 0; j < n * k; j++)
		equal += (a[j] == a2[j]) + (b[j] == b2[j]);
	check_long("saltelli: seeds 7 and 8, equal values", equal, 0);
	free(a2);
	free(b2);
	free(a);
	free(b);

	/* 2k = 40 is the limit; 2k = 42 is refused and touches nothing. */
	a = alloc_guarded(10 * 21);
	b = alloc_guarded(10 * 21);
	for (i = 0; i < 10 * 21; i++)
		a[i] = b[i] = SENTINEL;
	check_long("saltelli k 21 (42 dimensions): return", design_saltelli(10, 21, 1, 0, a, b), -1);
	for (i = 0, outside = 0; i < 10 * 21 + GUARD; i++)
		outside += a[i] != SENTINEL || b[i] != SENTINEL;
	check_long("saltelli k 21: values written", outside, 0);
	check_long("saltelli k 1000: return", design_saltelli(10, 1000, 1, 0, a, b), -1);
	check_long("saltelli k 20 (40 dimensions): return", design_saltelli(10, 20, 1, 0, a, b), 0);
	check_long("saltelli k 20: A sentinels overwritten", guard_broken(a, 10 * 20), 0);
	check_long("saltelli n 0: return", design_saltelli(0, 3, 1, 0, a, b), 0);
	free(a);
	free(b);
	check_finish();
}

/* A point of a scrambled design is uniform on the cube, whatever the
 * point: over 4000 replicates, the origin (point 0) and point 5 have
 * every coordinate's mean 1/2 (SE sqrt(1/12/4000)) and a quarter of
 * their values below 1/4 (SE sqrt(3/16/4000)), and two of their
 * coordinates are uncorrelated (SE 1/sqrt(4000)). */
static void test_saltelli_uniform(void **state)
{
	const size_t reps = 4000, n = 6, k = 2;
	double a[6 * 2], b[6 * 2], sum[2][4] = { { 0 } }, low[2][4] = { { 0 } }, sxy[2] = { 0 };
	const size_t pts[2] = { 0, 5 };
	char what[96];
	size_t q, p, c;

	(void)state;
	for (q = 0; q < reps; q++) {
		assert_int_equal(design_saltelli(n, k, 2024, q, a, b), 0);
		for (p = 0; p < 2; p++) {
			const double *pa = a + pts[p] * k, *pb = b + pts[p] * k;
			double x[4] = { pa[0], pa[1], pb[0], pb[1] };

			for (c = 0; c < 4; c++) {
				sum[p][c] += x[c];
				low[p][c] += x[c] < 0.25;
			}
			sxy[p] += (x[0] - 0.5) * (x[3] - 0.5) * 12;
		}
	}
	for (p = 0; p < 2; p++) {
		for (c = 0; c < 4; c++) {
			snprintf(what, sizeof(what), "scrambled point %zu, coordinate %zu: mean", pts[p],
				 c);
			check_se(what, sum[p][c] / (double)reps, 0.5, sqrt(1.0 / 12 / (double)reps));
			snprintf(what, sizeof(what), "scrambled point %zu, coordinate %zu: share below 1/4",
				 pts[p], c);
			check_se(what, low[p][c] / (double)reps, 0.25, sqrt(3.0 / 16 / (double)reps));
		}
		snprintf(what, sizeof(what), "scrambled point %zu: correlation of A_0 and B_1",
			 pts[p]);
		check_se(what, sxy[p] / (double)reps, 0, 1 / sqrt((double)reps));
	}
	check_finish();
}

static void test_scale(void **state)
{
	double x[] = { 0, 0.5, 0.25, 0.999, 0.75, 0.1 };	/* 2 rows, 3 columns */
	const double lo[] = { -M_PI, 2, 1 }, hi[] = { M_PI, 6, -1 };

	(void)state;
	design_scale(x, 2, 3, lo, hi);
	check_abs("scale: 0 -> -pi", x[0], -M_PI, 0);
	check_abs("scale: 0.5 on [2,6] -> 4", x[1], 4, 0);
	check_abs("scale: 0.25 on reversed [1,-1] -> 0.5", x[2], 0.5, 0);
	check_abs("scale: 0.999 on [-pi,pi]", x[3], -M_PI + 2 * M_PI * 0.999, 1e-15);
	check_abs("scale: 0.75 on [2,6] -> 5", x[4], 5, 0);
	check_abs("scale: 0.1 on reversed [1,-1] -> 0.8", x[5], 0.8, 1e-15);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* Sobol' indices */

/* Four rows, one input, worked by hand. FA and FB together: 1 2 3 4 2 0
 * 1 5, mean M = 18/8 = 2.25, squared deviations summing to 19.5, V =
 * 19.5/8 = 39/16 (the 2N divisor). FAB - FA = 0.5, -1.5, 0, 0.5 and FB -
 * M = -0.25, -2.25, -1.25, 2.75: products -0.125, 3.375, 0, 1.375, mean
 * 37/32, so S1 = (37/32) / (39/16) = 37/78. (FA - FAB)^2 = 1/4, 9/4, 0,
 * 1/4: mean 11/16, so ST = (11/16) / (39/8) = 11/78. A second replicate
 * with FAB = FA has S1 = ST = 0: the two give the mean 37/156 with
 * standard error 37/156 (two values 37/78 and 0: s = (37/78) / sqrt 2),
 * and t(0.975, 1) = 12.7062047361747 (tan(0.475 pi)). */
static void test_sobol_by_hand(void **state)
{
	const double fa[] = { 1, 2, 3, 4, 1, 2, 3, 4 }, fb[] = { 2, 0, 1, 5, 2, 0, 1, 5 };
	const double fab[] = { 1.5, 0.5, 3, 4.5, 1, 2, 3, 4 };
	const double t1 = tan(0.475 * M_PI);
	struct sobol_index o;
	double s1, st;

	(void)state;
	check_abs("by hand: t(0.975, 1) = tan(0.475 pi)", t1, 12.7062047361747, 1e-12);
	check_long("by hand, one replicate: return", sobol_replicate(4, 1, fa, fb, fab, &s1, &st), 0);
	check_abs("by hand, one replicate: S1 = 37/78", s1, 37.0 / 78, 1e-15);
	check_abs("by hand, one replicate: ST = 11/78", st, 11.0 / 78, 1e-15);
	check_long("by hand, R 1: return", sobol_indices(4, 1, 1, fa, fb, fab, &o), 0);
	check_abs("by hand, R 1: S1 = 37/78", o.s1, 37.0 / 78, 1e-15);
	check_abs("by hand, R 1: ST = 11/78", o.st, 11.0 / 78, 1e-15);
	check_long("by hand, R 1: S1 bounds are NaN", isnan(o.s1_lo) && isnan(o.s1_hi), 1);
	check_long("by hand, R 1: ST bounds are NaN", isnan(o.st_lo) && isnan(o.st_hi), 1);

	check_long("by hand, R 2: return", sobol_indices(4, 1, 2, fa, fb, fab, &o), 0);
	check_abs("by hand, R 2: S1 = 37/156", o.s1, 37.0 / 156, 1e-15);
	check_abs("by hand, R 2: S1 low = 37/156 (1 - t)", o.s1_lo, 37.0 / 156 * (1 - t1), 1e-13);
	check_abs("by hand, R 2: S1 high = 37/156 (1 + t)", o.s1_hi, 37.0 / 156 * (1 + t1), 1e-13);
	check_abs("by hand, R 2: ST = 11/156", o.st, 11.0 / 156, 1e-15);
	check_abs("by hand, R 2: ST low = 11/156 (1 - t)", o.st_lo, 11.0 / 156 * (1 - t1), 1e-13);
	check_abs("by hand, R 2: ST high = 11/156 (1 + t)", o.st_hi, 11.0 / 156 * (1 + t1), 1e-13);
	check_finish();
}

static void test_sobol_degenerate(void **state)
{
	const double c[] = { 3, 3, 3, 3, 3, 3, 3, 3 };
	const double fa[] = { 3, 3, 3, 3, 1, 2, 3, 4 }, fb[] = { 3, 3, 3, 3, 2, 0, 1, 5 };
	const double fab[] = { 3, 3, 3, 3, 1.5, 0.5, 3, 4.5 };
	struct sobol_index o[2];

	(void)state;
	o[0].s1 = o[1].st_hi = 0;
	check_long("constant output: return", sobol_indices(4, 2, 1, c, c, c, o), -1);
	check_long("constant output: out[0] all NaN",
		   isnan(o[0].s1) && isnan(o[0].s1_lo) && isnan(o[0].s1_hi) &&
		   isnan(o[0].st) && isnan(o[0].st_lo) && isnan(o[0].st_hi), 1);
	check_long("constant output: out[1] all NaN",
		   isnan(o[1].s1) && isnan(o[1].s1_lo) && isnan(o[1].s1_hi) &&
		   isnan(o[1].st) && isnan(o[1].st_lo) && isnan(o[1].st_hi), 1);
	check_long("n 0: return", sobol_indices(0, 2, 1, c, c, c, o), -1);
	check_long("r 0: return", sobol_indices(4, 2, 0, c, c, c, o), -1);
	check_long("k 0: return", sobol_indices(4, 0, 1, c, c, c, o), -1);
	/* Replicate 0 constant, replicate 1 the example by hand: only the
	 * latter is kept, so its estimates, and no interval. */
	check_long("one constant replicate of 2: return", sobol_indices(4, 1, 2, fa, fb, fab, o), 0);
	check_abs("one constant replicate of 2: S1 of the other", o[0].s1, 37.0 / 78, 1e-15);
	check_long("one constant replicate of 2: bounds NaN", isnan(o[0].s1_lo) && isnan(o[0].st_hi),
		   1);
	check_finish();
}

/* The outputs of R replicates of the Saltelli design of N base points for
 * the K-input model F on the box [LO, HI], scrambled with SEED, laid out
 * as sobol_indices() wants them. */
struct saltelli_out {
	double *fa, *fb, *fab;
};

static void saltelli_outputs(size_t n, size_t k, size_t r, double (*f)(const double *),
			     const double *lo, const double *hi, uint64_t seed,
			     struct saltelli_out *o)
{
	double *a = malloc(sizeof(double) * n * k), *b = malloc(sizeof(double) * n * k), row[64];
	size_t i, j, q;

	assert_true(k <= 64);
	assert_non_null(a);
	assert_non_null(b);
	for (q = 0; q < r; q++) {
		double *fa = o->fa + q * n, *fb = o->fb + q * n, *fab = o->fab + q * k * n;

		assert_int_equal(design_saltelli(n, k, seed, q, a, b), 0);
		design_scale(a, n, k, lo, hi);
		design_scale(b, n, k, lo, hi);
		for (j = 0; j < n; j++) {
			fa[j] = f(a + j * k);
			fb[j] = f(b + j * k);
			for (i = 0; i < k; i++) {
				memcpy(row, a + j * k, sizeof(double) * k);
				row[i] = b[j * k + i];
				fab[i * n + j] = f(row);
			}
		}
	}
	free(a);
	free(b);
}

/* Runs R replicates of N base points of model F (see saltelli_outputs)
 * and estimates its indices into OUT. */
static void saltelli_run(size_t n, size_t k, size_t r, double (*f)(const double *),
			 const double *lo, const double *hi, uint64_t seed, struct sobol_index *out)
{
	struct saltelli_out o = { malloc(sizeof(double) * r * n), malloc(sizeof(double) * r * n),
				  malloc(sizeof(double) * r * n * k) };

	assert_non_null(o.fa);
	assert_non_null(o.fb);
	assert_non_null(o.fab);
	saltelli_outputs(n, k, r, f, lo, hi, seed, &o);
	assert_int_equal(sobol_indices(n, k, r, o.fa, o.fb, o.fab, out), 0);
	free(o.fa);
	free(o.fb);
	free(o.fab);
}

#define ISHI_A 7.0
#define ISHI_B 0.1

static double ishigami(const double *x)
{
	double s = sin(x[0]), t = sin(x[1]), x3 = x[2] * x[2];

	return s + ISHI_A * t * t + ISHI_B * x3 * x3 * s;
}

/* Ishigami on [-pi, pi]^3 (Sobol' and Levitan 1999; Saltelli et al.
 * 2010): V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2
 * / 2, V2 = a^2/8, V3 = 0, V13 = 8 b^2 pi^8 / 225, all other terms 0. */
static void ishigami_exact(double s1[3], double st[3])
{
	const double a = ISHI_A, b = ISHI_B, p4 = pow(M_PI, 4), p8 = p4 * p4;
	double v = a * a / 8 + b * p4 / 5 + b * b * p8 / 18 + 0.5;
	double v1 = 0.5 * (1 + b * p4 / 5) * (1 + b * p4 / 5), v2 = a * a / 8;
	double v13 = 8 * b * b * p8 / 225;

	s1[0] = v1 / v;
	s1[1] = v2 / v;
	s1[2] = 0;
	st[0] = (v1 + v13) / v;
	st[1] = v2 / v;
	st[2] = v13 / v;
}

/* Checks one estimate: within TOL of EXP, and EXP within the interval
 * [LO - WIDEN, HI + WIDEN]. Prints the comparison either way. */
static void check_index(const char *what, double obs, double lo, double hi, double exp_,
			double tol, double widen)
{
	printf("    %-28s observed %8.5f  [%8.5f, %8.5f]  vs expected %8.5f\n", what, obs, lo, hi,
	       exp_);
	check_abs(what, obs, exp_, tol);
	if (!(exp_ >= lo - widen && exp_ <= hi + widen)) {
		print_error("%s: expected %.5f outside the interval [%.5f, %.5f] widened by %.3g\n",
			    what, exp_, lo, hi, widen);
		failures++;
	}
}

/* check_index of every S1_i, then every ST_i (i = 1, 2, 3) of MODEL's
 * estimates O against the exact S1 and ST. */
static void check_indices(const char *model, const struct sobol_index o[3], const double s1[3],
			  const double st[3], double tol, double widen)
{
	char what[64];
	int i;

	for (i = 0; i < 3; i++) {
		snprintf(what, sizeof(what), "%s S1_%d", model, i + 1);
		check_index(what, o[i].s1, o[i].s1_lo, o[i].s1_hi, s1[i], tol, widen);
	}
	for (i = 0; i < 3; i++) {
		snprintf(what, sizeof(what), "%s ST_%d", model, i + 1);
		check_index(what, o[i].st, o[i].st_lo, o[i].st_hi, st[i], tol, widen);
	}
}

static const double pi3_lo[3] = { -M_PI, -M_PI, -M_PI }, pi3_hi[3] = { M_PI, M_PI, M_PI };

static void test_sobol_ishigami(void **state)
{
	const size_t n = 1 << 12, r = 4;
	/* The literature's rounded values (Saltelli et al. 2010, table). */
	const double lit_s1[3] = { 0.3139, 0.4424, 0 }, lit_st[3] = { 0.5576, 0.4424, 0.2437 };
	struct sobol_index o[3];
	double s1[3], st[3];
	char what[64];
	int i;

	(void)state;
	ishigami_exact(s1, st);
	for (i = 0; i < 3; i++) {
		snprintf(what, sizeof(what), "closed form S1_%d vs literature", i + 1);
		check_abs(what, s1[i], lit_s1[i], 1e-4);
		snprintf(what, sizeof(what), "closed form ST_%d vs literature", i + 1);
		check_abs(what, st[i], lit_st[i], 1e-4);
	}
	saltelli_run(n, 3, r, ishigami, pi3_lo, pi3_hi, 2010, o);
	printf("    Ishigami, %zu replicates of n = %zu, tolerance 0.01, intervals widened by "
	       "0.002:\n", r, n);
	check_indices("Ishigami", o, s1, st, 0.01, 0.002);
	check_finish();
}

/* The coverage of the 95% intervals, over COVER_SEEDS seeds (each
 * scrambling its replicates anew) of COVER_R replicates of COVER_N base
 * points of the Ishigami function. With 1000 seeds the binomial SE of a
 * coverage of 0.95 is sqrt(0.95 0.05 / 1000) = 0.0069: the band [0.90,
 * 0.98] accepts 0.95 - 7.3 SE to 0.95 + 4.4 SE, and refuses a coverage of
 * 0.99 or more (the bootstrap of a fixed design had 1.000 for every index)
 * with 3.2 SE of room, its own SE (0.0031) included. */
#define COVER_SEEDS 1000
#define COVER_N 64
#define COVER_R 10
#define COVER_LO 0.90
#define COVER_HI 0.98

static void test_sobol_coverage(void **state)
{
	const size_t n = COVER_N, r = COVER_R, k = 3;
	struct saltelli_out o = { malloc(sizeof(double) * r * n), malloc(sizeof(double) * r * n),
				  malloc(sizeof(double) * r * n * k) };
	double s1[3], st[3], width[6] = { 0 }, sq[6] = { 0 };
	long hit[6] = { 0 };
	struct sobol_index x[3];
	char what[96];
	uint64_t seed;
	size_t i;

	(void)state;
	assert_non_null(o.fa);
	assert_non_null(o.fb);
	assert_non_null(o.fab);
	ishigami_exact(s1, st);
	for (seed = 1; seed <= COVER_SEEDS; seed++) {
		saltelli_outputs(n, k, r, ishigami, pi3_lo, pi3_hi, seed, &o);
		assert_int_equal(sobol_indices(n, k, r, o.fa, o.fb, o.fab, x), 0);
		for (i = 0; i < k; i++) {
			hit[i] += x[i].s1_lo <= s1[i] && s1[i] <= x[i].s1_hi;
			hit[k + i] += x[i].st_lo <= st[i] && st[i] <= x[i].st_hi;
			width[i] += x[i].s1_hi - x[i].s1_lo;
			width[k + i] += x[i].st_hi - x[i].st_lo;
			sq[i] += (x[i].s1 - s1[i]) * (x[i].s1 - s1[i]);
			sq[k + i] += (x[i].st - st[i]) * (x[i].st - st[i]);
		}
	}
	printf("    Ishigami, %d seeds of %d replicates of n = %d: coverage of the 95%% "
	       "intervals (SE %.4f)\n", COVER_SEEDS, COVER_R, COVER_N,
	       sqrt(0.95 * 0.05 / COVER_SEEDS));
	for (i = 0; i < 2 * k; i++) {
		double cov = (double)hit[i] / COVER_SEEDS;

		snprintf(what, sizeof(what), "%s_%zu", i < k ? "S1" : "ST", i % k + 1);
		printf("    %-6s coverage %.3f, mean half-width %.4f, RMS error %.4f\n", what, cov,
		       width[i] / 2 / COVER_SEEDS, sqrt(sq[i] / COVER_SEEDS));
		if (!(cov >= COVER_LO && cov <= COVER_HI)) {
			print_error("Ishigami %s: coverage observed %.3f vs expected %.2f to %.2f "
				    "(%.1f binomial SE from 0.95)\n", what, cov, COVER_LO, COVER_HI,
				    (cov - 0.95) / sqrt(0.95 * 0.05 / COVER_SEEDS));
			failures++;
		}
	}
	free(o.fa);
	free(o.fb);
	free(o.fab);
	check_finish();
}

static double linear(const double *x)
{
	return 1 * x[0] + 2 * x[1] + 0 * x[2];
}

/* f = x1 + 2 x2 + 0 x3 on [0,1]^3: V = 1/12 + 4/12, no interactions, so
 * S1 = ST = (1/5, 4/5, 0). */
static void test_sobol_linear(void **state)
{
	const size_t n = 1 << 12;
	const double lo[3] = { 0, 0, 0 }, hi[3] = { 1, 1, 1 }, exact[3] = { 0.2, 0.8, 0 };
	struct sobol_index o[3];

	(void)state;
	saltelli_run(n, 3, 4, linear, lo, hi, 1999, o);
	printf("    linear, 4 replicates of n = %zu, tolerance 0.01, intervals widened by 0.002:\n",
	       n);
	check_indices("linear", o, exact, exact, 0.01, 0.002);
	/* x3 does not enter f: f(A_B^(3)) = f(A) row for row, so its
	 * indices are 0 up to rounding, and so are their intervals. */
	check_abs("linear S1_3 exactly 0", o[2].s1, 0, 1e-15);
	check_abs("linear ST_3 exactly 0", o[2].st, 0, 0);
	check_abs("linear ST_3 interval's upper end exactly 0", o[2].st_hi, 0, 0);
	check_finish();
}

/* The same seed gives the same results; another seed other ones. */
static void test_sobol_repeat(void **state)
{
	const size_t n = 1 << 8;
	struct sobol_index x[3], y[3], z[3];

	(void)state;
	saltelli_run(n, 3, 5, ishigami, pi3_lo, pi3_hi, 42, x);
	saltelli_run(n, 3, 5, ishigami, pi3_lo, pi3_hi, 42, y);
	saltelli_run(n, 3, 5, ishigami, pi3_lo, pi3_hi, 43, z);
	check_long("sobol: same seed, same results (memcmp == 0)", memcmp(x, y, sizeof(x)) == 0, 1);
	check_long("sobol: another seed, another S1_1 estimate and interval",
		   z[0].s1 != x[0].s1 && z[0].s1_lo != x[0].s1_lo && z[0].s1_hi != x[0].s1_hi, 1);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lhs_strata, check_setup),
		cmocka_unit_test_setup(test_lhs_independent_columns, check_setup),
		cmocka_unit_test_setup(test_lhs_repeat, check_setup),
		cmocka_unit_test_setup(test_saltelli, check_setup),
		cmocka_unit_test_setup(test_saltelli_repeat, check_setup),
		cmocka_unit_test_setup(test_saltelli_uniform, check_setup),
		cmocka_unit_test_setup(test_scale, check_setup),
		cmocka_unit_test_setup(test_sobol_by_hand, check_setup),
		cmocka_unit_test_setup(test_sobol_degenerate, check_setup),
		cmocka_unit_test_setup(test_sobol_ishigami, check_setup),
		cmocka_unit_test_setup(test_sobol_coverage, check_setup),
		cmocka_unit_test_setup(test_sobol_linear, check_setup),
		cmocka_unit_test_setup(test_sobol_repeat, check_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
