/* test_discover.c - scenario discovery: PRIM recovers a known box from a
 * synthetic table (its limits within a tolerance, its restrictions
 * significant and nothing else restricted), peeling never lowers the
 * density it promises, a second box is found once the first's points are
 * removed, the table reader names its errors exactly, and 'sim discover'
 * runs on a real sample of the default scenario. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "study/prim.h"
#include "study/table.h"
#include "testutil.h"

#define N 4000
#define D 4

/* N points uniform on [0, 1]^D from a fixed seed; Y is 1 inside the box
 * x0 < 0.3, x1 > 0.6 (and, with TWO, also inside x2 > 0.8, x3 < 0.25),
 * each label flipped with chance NOISE. */
static void synthetic(double *x, unsigned char *y, double noise, int two)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	size_t i, j;

	assert_non_null(r);
	rng_seed(r, 12345);
	for (i = 0; i < N; i++) {
		double *p = x + i * D;
		int in;

		for (j = 0; j < D; j++)
			p[j] = gsl_rng_uniform(r);
		in = (p[0] < 0.3 && p[1] > 0.6) || (two && p[2] > 0.8 && p[3] < 0.25);
		y[i] = (unsigned char)(gsl_rng_uniform(r) < noise ? !in : in);
	}
	gsl_rng_free(r);
}

/* The box at the knee of the trade-off, pasted, from the points ACTIVE. */
static void find(const struct prim_data *d, const unsigned char *active, struct prim_box *b,
		 struct prim_trajectory *t)
{
	struct prim_opts o = { 0.05, 0.05 };
	size_t k0 = 0, n0 = 0, i;

	assert_int_equal(prim_peel(d, active, &o, t), 0);
	assert_true(t->nbox > 10);
	assert_int_equal(prim_box_copy(b, &t->box[prim_choose(t, 0)], D), 0);
	for (i = 0; i < d->n; i++)
		if (!active || active[i]) {
			n0++;
			k0 += d->y[i];
		}
	assert_int_equal(prim_paste(d, active, &o, b, k0, n0), 0);
}

/* The box x0 < 0.3, x1 > 0.6 with 5% label noise: found within 0.04 on
 * each limit, x2 and x3 unrestricted, both restrictions with quasi-p
 * below 1e-6, density at least 0.9 and coverage at least 0.7 (the noise
 * puts 5% of the box's points and 5% of the others out of place). The
 * trajectory's coverage never rises as it peels. Catches a peel on the
 * wrong side, a density computed over the wrong points, and restrictions
 * left on inputs that do not matter. */
static void test_known_box(void **state)
{
	double *x = malloc(sizeof(double) * N * D);
	unsigned char *y = malloc(N);
	struct prim_data d = { N, D, x, y };
	struct prim_trajectory t;
	struct prim_box b;
	size_t i;

	(void)state;
	assert_non_null(x);
	assert_non_null(y);
	synthetic(x, y, 0.05, 0);
	find(&d, NULL, &b, &t);
	for (i = 1; i < t.nbox; i++)
		check(t.box[i].coverage <= t.box[i - 1].coverage + 1e-12, "coverage rose at peel "
		      "%zu: %g after %g", i, t.box[i].coverage, t.box[i - 1].coverage);
	check(fabs(b.hi[0] - 0.3) < 0.04 && b.lo[0] == -HUGE_VAL, "x0: [%g, %g], expected "
	      "[-inf, 0.3]", b.lo[0], b.hi[0]);
	check(fabs(b.lo[1] - 0.6) < 0.04 && b.hi[1] == HUGE_VAL, "x1: [%g, %g], expected "
	      "[0.6, inf]", b.lo[1], b.hi[1]);
	check(b.restricted == 2, "%zu inputs restricted, expected 2 (x2 [%g, %g], x3 [%g, %g])",
	      b.restricted, b.lo[2], b.hi[2], b.lo[3], b.hi[3]);
	check(b.density >= 0.9 && b.coverage >= 0.7, "density %g, coverage %g", b.density,
	      b.coverage);
	check(prim_quasi_p(&d, NULL, &b, 0) < 1e-6 && prim_quasi_p(&d, NULL, &b, 1) < 1e-6,
	      "quasi-p %g and %g, expected both tiny", prim_quasi_p(&d, NULL, &b, 0),
	      prim_quasi_p(&d, NULL, &b, 1));
	check(isnan(prim_quasi_p(&d, NULL, &b, 2)), "an unrestricted input has a quasi-p");
	prim_box_free(&b);
	prim_trajectory_free(&t);
	free(x);
	free(y);
	check_finish();
}

/* Two boxes: after the first box's points are removed, the second is the
 * other region (x2 > 0.8, x3 < 0.25). Catches a covering step that
 * forgets to remove the first box. */
static void test_second_box(void **state)
{
	double *x = malloc(sizeof(double) * N * D);
	unsigned char *y = malloc(N), *active = malloc(N);
	struct prim_data d = { N, D, x, y };
	struct prim_trajectory t;
	struct prim_box b[2];
	size_t i;

	(void)state;
	assert_non_null(x);
	assert_non_null(y);
	assert_non_null(active);
	synthetic(x, y, 0.0, 1);
	find(&d, NULL, &b[0], &t);
	prim_trajectory_free(&t);
	for (i = 0; i < N; i++)
		active[i] = !prim_inside(&d, &b[0], i);
	find(&d, active, &b[1], &t);
	prim_trajectory_free(&t);
	/* The first box is the larger region (0.3 x 0.4 against 0.2 x 0.25). */
	check(b[0].hi[0] < 0.35 && b[0].lo[1] > 0.55, "first box: x0 < %g, x1 > %g", b[0].hi[0],
	      b[0].lo[1]);
	check(b[1].lo[2] > 0.75 && b[1].lo[2] < 0.85 && b[1].hi[3] > 0.2 && b[1].hi[3] < 0.3,
	      "second box: x2 > %g, x3 < %g, expected 0.8 and 0.25", b[1].lo[2], b[1].hi[3]);
	prim_box_free(&b[0]);
	prim_box_free(&b[1]);
	free(x);
	free(y);
	free(active);
	check_finish();
}

/* 'sim discover' on a real sample of the default scenario: deterrence
 * below 0.8 comes with frequent crises and a cheap war (the box's limits
 * on the rate and the cost of war, the others free to be noise), the
 * files written; then the exact messages of bad conditions and tables.
 * Catches a command that reads the wrong columns or loses the inputs. */
static void test_command(void **state)
{
	const char *dir = *state;
	char smp[512], table[600], out[512], bad[600], file[600];
	const char *o;
	struct result r;

	snprintf(smp, sizeof(smp), "%s/smp", dir);
	snprintf(table, sizeof(table), "%s/sample.tsv", smp);
	snprintf(out, sizeof(out), "%s/disc", dir);
	sim(&r, "sample", "--lhs", "40", "-n", "1000", "-q", "-o", smp, "--range",
	    "guarantors.[0].guarantee.strength=0:1", "--range", "challenger.war_cost=0:0.6",
	    "--range", "challenger.crisis_rate=0.05:1", NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	sim(&r, "discover", table, "--where", "p_deterred < 0.8", "-o", out, NULL);
	o = text(&r.out);
	check(r.status == 0 && strstr(o, "where p_deterred < 0.8") &&
	      strstr(o, "challenger.war_cost ") && strstr(o, "challenger.crisis_rate "),
	      "discover: exit %d\n%s%s", r.status, o, text(&r.err));
	result_free(&r);
	snprintf(file, sizeof(file), "%s/boxes.tsv", out);
	check(access(file, R_OK) == 0, "no %s", file);
	snprintf(file, sizeof(file), "%s/discover.tsv", out);
	check(access(file, R_OK) == 0, "no %s", file);
	{
		static const struct { const char *where, *msg; } cases[] = {
			{ "p_deterred 0.5", "--where: expected FIGURE < VALUE (or <=, >, >=), got "
			  "'p_deterred 0.5'" },
			{ "p_deterred < x", "--where: expected a number after '<' in 'p_deterred < x'" },
			{ "< 0.5", "--where: no figure before '<' in '< 0.5'" },
			{ "p_nothing >= 0.5", "--where: the table has no column 'p_nothing'" },
		};
		size_t i;
		char want[300];

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			sim(&r, "discover", table, "--where", cases[i].where, NULL);
			snprintf(want, sizeof(want), "sim: error: %s\nTry 'sim discover --help'.\n",
				 cases[i].msg);
			check(r.status == 2 && !strcmp(text(&r.err), want), "--where '%s': exit %d\n"
			      "  observed: %s  expected: %s", cases[i].where, r.status, text(&r.err),
			      want);
			result_free(&r);
		}
	}
	snprintf(bad, sizeof(bad), "%s/bad.tsv", dir);
	put_file(bad, "# a\tb\ttrials\tp_deterred\n0.1\t0.2\t10\t0.5\n0.3\t0.4\n");
	sim(&r, "discover", bad, "--where", "p_deterred < 0.5", NULL);
	{
		char want[700];

		snprintf(want, sizeof(want), "%s:3: error: expected 4 tab-separated fields, as the "
			 "column line has, got 2\n", bad);
		check(r.status == 2 && !strcmp(text(&r.err), want), "bad table: exit %d\n  observed: "
		      "%s  expected: %s", r.status, text(&r.err), want);
	}
	result_free(&r);
	{
		/* A directory is refused at once (a FIFO the same way: opened
		 * without blocking), and so is a table without rows. */
		char want[700];

		sim(&r, "discover", dir, "--where", "p_deterred < 0.5", NULL);
		snprintf(want, sizeof(want), "%s: error: not a regular file (a table sim wrote)\n",
			 dir);
		check(r.status == 2 && !strcmp(text(&r.err), want), "a directory: exit %d\n  "
		      "observed: %s  expected: %s", r.status, text(&r.err), want);
		result_free(&r);
		put_file(bad, "# a\tb\ttrials\tp_deterred\n");
		sim(&r, "discover", bad, "--where", "p_deterred < 0.5", NULL);
		snprintf(want, sizeof(want), "%s: error: no rows\n", bad);
		check(r.status == 2 && !strcmp(text(&r.err), want), "no rows: exit %d\n  observed: "
		      "%s  expected: %s", r.status, text(&r.err), want);
		result_free(&r);
	}
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_known_box, check_setup),
		cmocka_unit_test_setup(test_second_box, check_setup),
		cmocka_unit_test_setup_teardown(test_command, check_tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
