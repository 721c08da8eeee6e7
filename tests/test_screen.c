/* test_screen.c - Morris elementary-effects screening: the effects of an
 * analytic function with known ones, the optimised trajectories (their
 * spread and their shape), and "sim screen" from the command line:
 * determinism over threads, an input that cannot matter, and its usage
 * errors. */
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

#include "study/morris.h"
#include "testutil.h"

/* y = 2 x1 + x2^2 + 0 x3, in the scaled units of the design: the effect
 * of x1 is 2 everywhere, that of x2 is 2 x2 + Delta, that of x3 is 0. */
static double analytic(const double *x)
{
	return 2 * x[0] + x[1] * x[1] + 0 * x[2];
}

/* The statistics of the analytic function's effects on a design of R
 * trajectories among M over P levels, with GROUP (NULL: 3 factors). */
static void analytic_stats(unsigned p, const size_t *group, size_t k, struct morris_stat *st)
{
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
	struct morris_design d;
	double *y, *ee;
	size_t i, r = 20;

	assert_non_null(rng);
	gsl_rng_set(rng, 7);
	assert_int_equal(morris_design_make(&d, rng, 3, k, group, p, r, 10 * r), 0);
	y = malloc(sizeof(double) * r * (k + 1));
	ee = malloc(sizeof(double) * r * k);
	assert_true(y && ee);
	for (i = 0; i < r * (k + 1); i++)
		y[i] = analytic(d.x + i * 3);
	morris_effects(&d, y, 1, ee);
	assert_int_equal(morris_stats(ee, r, k, 500, rng, st), 0);
	free(y);
	free(ee);
	morris_design_release(&d);
	gsl_rng_free(rng);
}

static void test_analytic(void **state)
{
	struct morris_stat st[3];
	double delta = morris_delta(4);

	(void)state;
	/* On 2 levels every point is a corner, 0 or 1, and each difference
	 * is computed exactly. */
	analytic_stats(2, NULL, 3, st);
	check(st[0].mustar == 2 && st[0].mu == 2 && st[0].sigma == 0,
	      "P = 2: x1: mu* %.17g, mu %.17g, sigma %.17g; expected 2, 2, 0", st[0].mustar,
	      st[0].mu, st[0].sigma);
	check(st[2].mustar == 0 && st[2].mu == 0 && st[2].sigma == 0 && st[2].lo == 0 &&
	      st[2].hi == 0, "P = 2: x3: mu* %g [%g, %g], expected exactly 0", st[2].mustar,
	      st[2].lo, st[2].hi);
	/* (x + 1)^2 - x^2 at x = 0: the effect of x2 is 1. */
	check(st[1].mustar == 1 && st[1].sigma == 0, "P = 2: x2: mu* %.17g, expected 1",
	      st[1].mustar);

	/* On 4 levels (Delta = 2/3) x1's effect is 2 to rounding, x3's
	 * exactly 0 (its changes leave y's bits alone), x2's 2 x* + Delta
	 * for x* in {0, 1/3}: 2/3 or 4/3. */
	analytic_stats(4, NULL, 3, st);
	check(fabs(st[0].mustar - 2) < 1e-12 && fabs(st[0].mu - 2) < 1e-12 && st[0].sigma < 1e-12,
	      "P = 4: x1: mu* %.17g, mu %.17g, sigma %.3g; expected 2, 2, 0", st[0].mustar,
	      st[0].mu, st[0].sigma);
	check(st[2].mustar == 0 && st[2].mu == 0 && st[2].sigma == 0,
	      "P = 4: x3: mu* %.17g, expected exactly 0", st[2].mustar);
	check(st[1].mustar >= delta - 1e-12 && st[1].mustar <= 2.0 / 3 + delta + 1e-12 &&
	      st[1].sigma > 0 && fabs(st[1].mu - st[1].mustar) < 1e-12,
	      "P = 4: x2: mu* %g, mu %g, sigma %g; expected mu = mu* in [2/3, 4/3], sigma > 0",
	      st[1].mustar, st[1].mu, st[1].sigma);
	check(st[1].lo <= st[1].mustar && st[1].mustar <= st[1].hi && st[1].lo < st[1].hi,
	      "P = 4: x2: interval [%g, %g] around mu* %g", st[1].lo, st[1].hi, st[1].mustar);

	/* Groups: x1 and x3 move together (in one direction), so the group's
	 * effect is x1's; x2 alone is factor 1. */
	{
		const size_t group[3] = { 0, 1, 0 };

		analytic_stats(4, group, 2, st);
		check(fabs(st[0].mu - 2) < 1e-12 && st[0].sigma < 1e-12,
		      "group {x1, x3}: mu %.17g sigma %.3g, expected 2 and 0", st[0].mu,
		      st[0].sigma);
		check(st[1].mustar > 0, "group {x2}: mu* %g, expected > 0", st[1].mustar);
	}
	check_finish();
}

/* Each trajectory of X (M of them, N inputs in K factors) moves each
 * factor once, all its inputs by DIR Delta and no other, and stays in
 * [0,1]. */
static void check_shape(const double *x, const size_t *order, const signed char *dir,
			size_t m, size_t n, size_t k, const size_t *group, unsigned p)
{
	double delta = morris_delta(p);
	size_t t, j, i;

	for (t = 0; t < m; t++) {
		int seen[8] = { 0 };

		for (j = 0; j < k; j++) {
			const double *a = x + (t * (k + 1) + j) * n, *b = a + n;
			size_t f = order[t * k + j];

			seen[f]++;
			for (i = 0; i < n; i++) {
				double step = group[i] == f ? dir[t * k + j] * delta : 0;

				if (!(fabs(b[i] - a[i] - step) < 1e-12) ||
				    !(a[i] >= 0 && a[i] <= 1 && b[i] >= 0 && b[i] <= 1)) {
					check(0, "P = %u trajectory %zu step %zu input %zu: from %g "
					      "to %g, expected a move of %g in [0,1]", p, t, j, i,
					      a[i], b[i], step);
					return;
				}
			}
		}
		for (j = 0; j < k; j++)
			check(seen[j] == 1, "P = %u trajectory %zu: factor %zu moved %d times", p, t,
			      j, seen[j]);
	}
}

static void test_design(void **state)
{
	enum { N = 6, K = 5, M = 100, R = 10 };
	const size_t group[N] = { 0, 1, 2, 3, 4, 2 };
	static double x[M * (K + 1) * N];
	size_t order[M * K], chosen[R], idx[R], i, t, better = 0;
	signed char dir[M * K];
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_taus2);
	const unsigned levels[] = { 2, 3, 4, 5, 10 };
	double opt, spread;

	(void)state;
	assert_non_null(rng);
	gsl_rng_set(rng, 11);
	for (i = 0; i < sizeof(levels) / sizeof(*levels); i++) {
		morris_candidates(rng, N, K, group, levels[i], M, x, order, dir);
		check_shape(x, order, dir, M, N, K, group, levels[i]);
	}
	/* The chosen R of the M spread further than any of 200 random
	 * choices of R (and than the first R drawn). */
	assert_int_equal(morris_select(x, M, N, K, R, chosen), 0);
	for (t = 1; t < R; t++)
		check(chosen[t] > chosen[t - 1], "chosen not ascending at %zu", t);
	opt = morris_spread(x, chosen, R, N, K);
	for (t = 0; t < 200; t++) {
		for (i = 0; i < R; i++) {
			size_t j;

			do {
				idx[i] = (size_t)gsl_rng_uniform_int(rng, M);
				for (j = 0; j < i && idx[j] != idx[i]; j++)
					;
			} while (j < i);
		}
		spread = morris_spread(x, idx, R, N, K);
		better += opt > spread;
	}
	for (i = 0; i < R; i++)
		idx[i] = i;
	spread = morris_spread(x, idx, R, N, K);
	check(better == 200, "the optimised spread %g beats only %zu of 200 random choices",
	      opt, better);
	check(opt > 1.05 * spread, "the optimised spread %g vs the first R's %g", opt, spread);
	gsl_rng_free(rng);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_analytic, check_setup),
		cmocka_unit_test_setup(test_design, check_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
