/* test_ranges.c - ranges that are distributions: each kind maps the unit
 * interval through its quantile function (truncated to its 0.1% and 99.9%
 * quantiles), a uniform range stays linear, a Latin hypercube through a
 * normal range has the normal's mean and sd within their standard errors,
 * and bad specifications are refused with exact messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "study/design.h"
#include "study/study.h"
#include "testutil.h"

#define NEAR(x, want, tol, what)							\
	check(fabs((x) - (want)) <= (tol), "%s: observed %.17g vs expected %.17g", what,	\
	      (double)(x), (double)(want))

/* The quantiles, worked by hand: normal(2, 3) at 0.5 is 2 and its ends
 * 2 -+ 3 x 3.0902323; triangular(0, 1, 4) at p = 0.25 (the mode's share)
 * is the mode 1, at 0.5 4 - sqrt(6); lognormal(0, 1) at 0.5 is 1;
 * uniform 1:3 at 0.25 is 1.5. */
static void test_quantiles(void **state)
{
	struct study_ranges r;
	double x[4] = { 0.5, 0.5, 0.5, 0.25 };
	double tri[4], u;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.n = 4;
	assert_int_equal(study_range_dist(&r, 0, "normal:2:3", "a=normal:2:3"), 0);
	assert_int_equal(study_range_dist(&r, 1, "triangular:0:1:4", "b=triangular:0:1:4"), 0);
	assert_int_equal(study_range_dist(&r, 2, "lognormal:0:1", "c=lognormal:0:1"), 0);
	assert_int_equal(study_range_dist(&r, 3, "uniform:1:3", "d=uniform:1:3"), 0);
	assert_int_equal(study_range_dist(&r, 3, "1:3", "d=1:3"), 1);
	NEAR(r.lo[0], 2 - 3 * 3.090232306167813, 1e-9, "normal's 0.1% quantile");
	NEAR(r.hi[0], 2 + 3 * 3.090232306167813, 1e-9, "normal's 99.9% quantile");
	NEAR(r.lo[3], 1, 0, "uniform's low end");
	study_ranges_scale(&r, x, 1);
	NEAR(x[0], 2, 1e-12, "normal median");
	NEAR(x[1], 4 - sqrt(6), 1e-12, "triangular median");
	NEAR(x[2], 1, 1e-12, "lognormal median");
	NEAR(x[3], 1.5, 1e-12, "uniform at 0.25");
	/* The triangular's mode at its share of the mass, mapped from the
	 * truncated unit interval. */
	u = (0.25 - RANGE_TAIL) / (1 - 2 * RANGE_TAIL);
	tri[0] = 0.5;
	tri[1] = u;
	tri[2] = 0.5;
	tri[3] = 0.5;
	study_ranges_scale(&r, tri, 1);
	NEAR(tri[1], 1, 1e-12, "triangular at the mode's share");
	check_finish();
}

/* 4,000 points of a Latin hypercube through normal(0.3, 0.05): mean 0.3
 * within 4 standard errors, sd 0.05 within 2% (the truncation at 0.1%
 * removes 0.3% of the variance). Catches a range left linear. */
static void test_lhs_normal(void **state)
{
	enum { N = 4000 };
	struct study_ranges r;
	double *x = malloc(sizeof(double) * N), m = 0, v = 0;
	gsl_rng *g = gsl_rng_alloc(gsl_rng_taus2);
	size_t i;

	(void)state;
	assert_non_null(x);
	assert_non_null(g);
	memset(&r, 0, sizeof(r));
	r.n = 1;
	assert_int_equal(study_range_dist(&r, 0, "normal:0.3:0.05", "p=normal:0.3:0.05"), 0);
	rng_seed(g, 7);
	design_lhs(g, N, 1, x);
	study_ranges_scale(&r, x, N);
	for (i = 0; i < N; i++)
		m += x[i] / N;
	for (i = 0; i < N; i++)
		v += (x[i] - m) * (x[i] - m) / (N - 1);
	check_se("mean of the normal range", m, 0.3, 0.05 / sqrt(N));
	NEAR(sqrt(v), 0.05, 0.001, "sd of the normal range");
	gsl_rng_free(g);
	free(x);
	check_finish();
}

/* The command line: exact messages for an unknown distribution and bad
 * parameters; a normal range's header line in sample.tsv. */
static void test_command(void **state)
{
	const char *dir = *state;
	static const struct { const char *arg, *msg; } cases[] = {
		{ "challenger.war_cost=gamma:1:2", "--range 'challenger.war_cost=gamma:1:2': unknown "
		  "distribution (uniform:LO:HI, normal:MEAN:SD, lognormal:MU:SIGMA, "
		  "triangular:MIN:MODE:MAX)" },
		{ "challenger.war_cost=normal:0.3:0", "--range 'challenger.war_cost=normal:0.3:0': "
		  "expected normal:MEAN:SD with a spread > 0" },
		{ "challenger.war_cost=triangular:0:2:1", "--range "
		  "'challenger.war_cost=triangular:0:2:1': expected triangular:MIN:MODE:MAX with MIN "
		  "<= MODE <= MAX, MIN < MAX" },
		{ "challenger.war_cost=uniform:1", "--range 'challenger.war_cost=uniform:1': "
		  "expected uniform:LO:HI with numbers LO < HI" },
	};
	char out[512], file[600], want[400], *body;
	struct result r;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sim(&r, "sample", "--lhs", "4", "--range", cases[i].arg, NULL);
		snprintf(want, sizeof(want), "sim: error: %s\n", cases[i].msg);
		check(r.status == 2 && !strncmp(text(&r.err), want, strlen(want)), "%s: exit %d\n"
		      "  observed: %s  expected: %s", cases[i].arg, r.status, text(&r.err), want);
		result_free(&r);
	}
	snprintf(out, sizeof(out), "%s/smp", dir);
	sim(&r, "sample", "--lhs", "4", "-n", "200", "-q", "-o", out, "--range",
	    "challenger.war_cost=normal:0.3:0.05", NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	snprintf(file, sizeof(file), "%s/sample.tsv", out);
	body = slurp(file, NULL);
	check(body && strstr(body, "# range: challenger.war_cost = normal:0.3:0.05 (truncated to "
			     "its 0.1% and 99.9% quantiles, "), "sample.tsv lacks the range line");
	free(body);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_quantiles, check_setup),
		cmocka_unit_test_setup(test_lhs_normal, check_setup),
		cmocka_unit_test_setup_teardown(test_command, check_tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
