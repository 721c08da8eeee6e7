/* test_design.c - experimental designs (Latin hypercube, Saltelli
 * matrices from a Sobol' sequence) and Sobol' sensitivity indices.
 *
 * In the manner of GSL's randist/test.c: fixed seeds, tolerances stated
 * with each check, and failure messages "observed X vs expected Y".
 * Expected values come from closed forms computed here: the stratum
 * arithmetic of a Latin hypercube, the Sobol' indices of the Ishigami
 * function and of a linear model, and a four-row example worked by hand. */
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

static void test_saltelli(void **state)
{
	const size_t n = 4096, k = 5;
	double *a = alloc_guarded(n * k), *b = alloc_guarded(n * k);
	double *a2 = alloc_guarded(n * k), *b2 = alloc_guarded(n * k);
	long outside = 0, equal_rows = 0, zero_rows = 0;
	size_t i, j;

	(void)state;
	check_long("saltelli n 4096 k 5: return", design_saltelli(n, k, a, b), 0);
	for (j = 0; j < n; j++) {
		int eq = 1, zero = 1;

		for (i = 0; i < k; i++) {
			outside += !(a[j * k + i] >= 0 && a[j * k + i] < 1);
			outside += !(b[j * k + i] >= 0 && b[j * k + i] < 1);
			eq &= a[j * k + i] == b[j * k + i];
			zero &= a[j * k + i] == 0 && b[j * k + i] == 0;
		}
		equal_rows += eq;
		zero_rows += zero;
	}
	check_long("saltelli: values outside [0,1)", outside, 0);
	check_long("saltelli: all-zero points (the origin is left out)", zero_rows, 0);
	/* Point 0 is (1/2, ..., 1/2) in every coordinate, so row 0 of A and
	 * B agree; no other row may. */
	check_long("saltelli: rows equal in A and B", equal_rows, 1);
	check_abs("saltelli: A[0][0], GSL's first point", a[0], 0.5, 0);
	check_long("saltelli: A sentinels overwritten", guard_broken(a, n * k), 0);
	check_long("saltelli: B sentinels overwritten", guard_broken(b, n * k), 0);

	/* A sequence, not a random design: a second call gives the same. */
	check_long("saltelli: second call, return", design_saltelli(n, k, a2, b2), 0);
	check_long("saltelli: second call gives the same A",
		   memcmp(a, a2, sizeof(double) * n * k) == 0, 1);
	check_long("saltelli: second call gives the same B",
		   memcmp(b, b2, sizeof(double) * n * k) == 0, 1);

	/* Column means of 4096 Sobol' points: within 1e-3 of 1/2 (a random
	 * sample would need SE 0.0045; the sequence does far better). */
	for (i = 0; i < k; i++) {
		double ma = 0, mb = 0;

		for (j = 0; j < n; j++) {
			ma += a[j * k + i];
			mb += b[j * k + i];
		}
		check_abs("saltelli: column mean of A", ma / (double)n, 0.5, 1e-3);
		check_abs("saltelli: column mean of B", mb / (double)n, 0.5, 1e-3);
	}
	free(a2);
	free(b2);
	free(a);
	free(b);

	/* 2k = 40 is the limit; 2k = 42 is refused and touches nothing. */
	a = alloc_guarded(10 * 21);
	b = alloc_guarded(10 * 21);
	for (i = 0; i < 10 * 21; i++)
		a[i] = b[i] = SENTINEL;
	check_long("saltelli k 21 (42 dimensions): return", design_saltelli(10, 21, a, b), -1);
	for (i = 0, outside = 0; i < 10 * 21 + GUARD; i++)
		outside += a[i] != SENTINEL || b[i] != SENTINEL;
	check_long("saltelli k 21: values written", outside, 0);
	check_long("saltelli k 1000: return", design_saltelli(10, 1000, a, b), -1);
	check_long("saltelli k 20 (40 dimensions): return", design_saltelli(10, 20, a, b), 0);
	check_long("saltelli k 20: A sentinels overwritten", guard_broken(a, 10 * 20), 0);
	check_long("saltelli n 0: return", design_saltelli(0, 3, a, b), 0);
	free(a);
	free(b);
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
 * 1 5, mean 18/8 = 2.25, squared deviations summing to 19.5, V = 19.5/8
 * = 39/16 (the 2N divisor). FB (FAB - FA) = 1, 0, 0, 2.5: mean 7/8, so
 * S1 = (7/8) / (39/16) = 14/39. (FA - FAB)^2 = 1/4, 9/4, 0, 1/4: mean
 * 11/16, so ST = (11/16) / (39/8) = 11/78. */
static void test_sobol_by_hand(void **state)
{
	const double fa[] = { 1, 2, 3, 4 }, fb[] = { 2, 0, 1, 5 }, fab[] = { 1.5, 0.5, 3, 4.5 };
	struct sobol_index o, o2;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);

	(void)state;
	assert_non_null(r);
	check_long("by hand: return", sobol_indices(4, 1, fa, fb, fab, 0, NULL, &o), 0);
	check_abs("by hand: S1 = 14/39", o.s1, 14.0 / 39, 1e-15);
	check_abs("by hand: ST = 11/78", o.st, 11.0 / 78, 1e-15);
	check_long("by hand, nboot 0: S1 bounds are NaN", isnan(o.s1_lo) && isnan(o.s1_hi), 1);
	check_long("by hand, nboot 0: ST bounds are NaN", isnan(o.st_lo) && isnan(o.st_hi), 1);

	/* With a bootstrap: the same estimates, and finite ordered bounds
	 * (FA_j != FB_j in every row, so no resample has V = 0). */
	rng_stream(r, 3, 0, 0);
	check_long("by hand, nboot 200: return", sobol_indices(4, 1, fa, fb, fab, 200, r, &o2), 0);
	check_abs("by hand, nboot 200: S1 unchanged", o2.s1, o.s1, 0);
	check_abs("by hand, nboot 200: ST unchanged", o2.st, o.st, 0);
	check_long("by hand, nboot 200: S1 bounds finite and ordered",
		   isfinite(o2.s1_lo) && o2.s1_lo <= o2.s1_hi, 1);
	check_long("by hand, nboot 200: ST bounds finite and ordered",
		   isfinite(o2.st_lo) && o2.st_lo <= o2.st_hi, 1);
	gsl_rng_free(r);
	check_finish();
}

static void test_sobol_degenerate(void **state)
{
	const double c[] = { 3, 3, 3, 3, 3, 3, 3, 3 };
	struct sobol_index o[2];

	(void)state;
	o[0].s1 = o[1].st_hi = 0;
	check_long("constant output: return", sobol_indices(4, 2, c, c, c, 0, NULL, o), -1);
	check_long("constant output: out[0] all NaN",
		   isnan(o[0].s1) && isnan(o[0].s1_lo) && isnan(o[0].s1_hi) &&
		   isnan(o[0].st) && isnan(o[0].st_lo) && isnan(o[0].st_hi), 1);
	check_long("constant output: out[1] all NaN",
		   isnan(o[1].s1) && isnan(o[1].s1_lo) && isnan(o[1].s1_hi) &&
		   isnan(o[1].st) && isnan(o[1].st_lo) && isnan(o[1].st_hi), 1);
	check_long("n 0: return", sobol_indices(0, 2, c, c, c, 0, NULL, o), -1);
	check_finish();
}

/* Runs the Saltelli design of N base points for the K-input model F on
 * the box [LO, HI] and estimates its indices with NBOOT resamples drawn
 * from a stream of SEED. */
static void saltelli_run(size_t n, size_t k, double (*f)(const double *), const double *lo,
			 const double *hi, size_t nboot, uint64_t seed, struct sobol_index *out)
{
	double *a = malloc(sizeof(double) * n * k), *b = malloc(sizeof(double) * n * k);
	double *fa = malloc(sizeof(double) * n), *fb = malloc(sizeof(double) * n);
	double *fab = malloc(sizeof(double) * n * k), row[64];
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	size_t i, j;

	assert_true(k <= 64);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(fa);
	assert_non_null(fb);
	assert_non_null(fab);
	assert_non_null(r);
	assert_int_equal(design_saltelli(n, k, a, b), 0);
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
	rng_stream(r, seed, 0, 0);
	assert_int_equal(sobol_indices(n, k, fa, fb, fab, nboot, r, out), 0);
	gsl_rng_free(r);
	free(a);
	free(b);
	free(fa);
	free(fb);
	free(fab);
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

/* Checks one estimate: within TOL of EXP, and EXP within the bootstrap
 * interval [LO - WIDEN, HI + WIDEN]. Prints the comparison either way. */
static void check_index(const char *what, double obs, double lo, double hi, double exp_,
			double tol, double widen)
{
	printf("    %-28s observed %8.5f  [%8.5f, %8.5f]  vs expected %8.5f\n", what, obs, lo, hi,
	       exp_);
	check_abs(what, obs, exp_, tol);
	if (!(exp_ >= lo - widen && exp_ <= hi + widen)) {
		print_error("%s: expected %.5f outside the bootstrap interval [%.5f, %.5f] "
			    "widened by %.3g\n", what, exp_, lo, hi, widen);
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

static void test_sobol_ishigami(void **state)
{
	const size_t n = 1 << 14, nboot = 500;
	const double lo[3] = { -M_PI, -M_PI, -M_PI }, hi[3] = { M_PI, M_PI, M_PI };
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
	saltelli_run(n, 3, ishigami, lo, hi, nboot, 2010, o);
	printf("    Ishigami, n = %zu, nboot = %zu, tolerance 0.02, intervals widened by 0.01:\n",
	       n, nboot);
	check_indices("Ishigami", o, s1, st, 0.02, 0.01);
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
	const size_t n = 1 << 14;
	const double lo[3] = { 0, 0, 0 }, hi[3] = { 1, 1, 1 }, exact[3] = { 0.2, 0.8, 0 };
	struct sobol_index o[3];

	(void)state;
	saltelli_run(n, 3, linear, lo, hi, 200, 1999, o);
	printf("    linear, n = %zu, nboot = 200, tolerance 0.01, intervals widened by 0.01:\n", n);
	check_indices("linear", o, exact, exact, 0.01, 0.01);
	/* x3 does not enter f: f(A_B^(3)) = f(A) row for row, so its
	 * indices are 0 up to rounding. */
	check_abs("linear S1_3 exactly 0", o[2].s1, 0, 1e-15);
	check_abs("linear ST_3 exactly 0", o[2].st, 0, 0);
	check_finish();
}

/* The same seed gives the same intervals; another seed other ones. */
static void test_sobol_repeat(void **state)
{
	const size_t n = 1 << 10;
	const double lo[3] = { -M_PI, -M_PI, -M_PI }, hi[3] = { M_PI, M_PI, M_PI };
	struct sobol_index x[3], y[3], z[3];

	(void)state;
	saltelli_run(n, 3, ishigami, lo, hi, 100, 42, x);
	saltelli_run(n, 3, ishigami, lo, hi, 100, 42, y);
	saltelli_run(n, 3, ishigami, lo, hi, 100, 43, z);
	check_long("sobol: same seed, same results (memcmp == 0)", memcmp(x, y, sizeof(x)) == 0, 1);
	check_abs("sobol: another seed, same S1_1 estimate", z[0].s1, x[0].s1, 0);
	check_long("sobol: another seed, other S1_1 interval",
		   z[0].s1_lo != x[0].s1_lo || z[0].s1_hi != x[0].s1_hi, 1);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lhs_strata, check_setup),
		cmocka_unit_test_setup(test_lhs_independent_columns, check_setup),
		cmocka_unit_test_setup(test_lhs_repeat, check_setup),
		cmocka_unit_test_setup(test_saltelli, check_setup),
		cmocka_unit_test_setup(test_scale, check_setup),
		cmocka_unit_test_setup(test_sobol_by_hand, check_setup),
		cmocka_unit_test_setup(test_sobol_degenerate, check_setup),
		cmocka_unit_test_setup(test_sobol_ishigami, check_setup),
		cmocka_unit_test_setup(test_sobol_linear, check_setup),
		cmocka_unit_test_setup(test_sobol_repeat, check_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
