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

#define UKR "configs/ukraine-19-point.cfg"

/* Runs "sim screen" on the 19-point config with ARGS (NULL-terminated,
 * at most 16) into DIR/SUB, failing the test unless it exits 0. */
static void screen_into(const char *dir, const char *sub, const char *threads, ...)
{
	char out[300], *argv[40];
	struct result r;
	const char *a;
	va_list ap;
	int n = 0;

	snprintf(out, sizeof(out), "%s/%s", dir, sub);
	argv[n++] = SIM;
	argv[n++] = "screen";
	argv[n++] = UKR;
	va_start(ap, threads);
	while ((a = va_arg(ap, const char *)) != NULL && n < 30)
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n++] = "-j";
	argv[n++] = (char *)threads;
	argv[n++] = "-q";
	argv[n++] = "-o";
	argv[n++] = out;
	argv[n] = NULL;
	run(argv, &r);
	if (r.status != 0)
		fail_msg("%s: exit %d\n%s", cmdline(argv), r.status, text(&r.err));
	result_free(&r);
}

/* The same seed gives the same bytes on -j 1 and -j 2, and another seed
 * another design. */
static void test_repeat(void **state)
{
	char dir[256], a[300], b[300], *x, *y;
	size_t nx, ny;

	(void)state;
	make_tmp(dir, sizeof(dir));
#define RANGES "--range", "guarantors.[0].guarantee.strength=0:1", "--range", \
	"challenger.war_cost=0.1:0.5", "--range", "guarantors.[1].interest=0:0.5", "-n", "300"
	screen_into(dir, "j1", "1", RANGES, "--figures", "p_deterred,p_attack", NULL);
	screen_into(dir, "j2", "2", RANGES, "--figures", "p_deterred,p_attack", NULL);
	screen_into(dir, "s2", "2", RANGES, "--figures", "p_deterred,p_attack", "-s", "2", NULL);
	x = slurp(in(a, sizeof(a), dir, "j1/screen.tsv"), &nx);
	y = slurp(in(b, sizeof(b), dir, "j2/screen.tsv"), &ny);
	assert_true(x && y);
	assert_true(same_bytes("screen.tsv, -j 1 vs -j 2", x, nx, y, ny));
	free(y);
	y = slurp(in(b, sizeof(b), dir, "s2/screen.tsv"), &ny);
	assert_non_null(y);
	check(nx != ny || memcmp(x, y, nx), "another seed gave the same screen.tsv");
	free(x);
	free(y);
	x = slurp(in(a, sizeof(a), dir, "j1/screen_runs.tsv"), &nx);
	y = slurp(in(b, sizeof(b), dir, "j2/screen_runs.tsv"), &ny);
	assert_true(x && y);
	assert_true(same_bytes("screen_runs.tsv, -j 1 vs -j 2", x, nx, y, ny));
	free(x);
	free(y);
	/* 10 trajectories of 3 + 1 points. */
	check_long("rows of screen_runs.tsv", count_rows(in(a, sizeof(a), dir, "j1/screen_runs.tsv")),
		   40);
	remove_tree(dir);
	check_finish();
}

/* On the 19-point config the target's army starts at min(troops,
 * troop_cap) (docs/model.md, "Target troops"): with troop_cap = 800,000,
 * any target.troops from 800,000 up starts the same army, so that range
 * cannot matter and, on common random numbers, every effect is exactly
 * 0. The US guarantee's strength matters, and only raises p_deterred
 * trial by trial (docs/studies.md), so its every effect is >= 0 and mu =
 * mu* > 0. A group of the two moves like the strength alone. */
static void test_no_effect(void **state)
{
	char dir[256], path[300], *s, *line, *save = NULL;
	double prev = INFINITY;
	int rows = 0, zero = 0, real = 0, group = 0;

	(void)state;
	make_tmp(dir, sizeof(dir));
	screen_into(dir, "d", "2", "--range", "target.troops=800000:1000000", "--range",
		    "guarantors.[0].guarantee.strength=0:1", "--range", "challenger.war_cost=0.2:0.4",
		    "--range", "guarantors.[United Kingdom].erosion_rate=0:0.1", "--trajectories",
		    "8", "-n", "400", NULL);
	screen_into(dir, "g", "2", "--range", "target.troops=800000:1000000", "--range",
		    "guarantors.[0].guarantee.strength=0:1", "--group",
		    "us=guarantors.[0].guarantee.strength,target.troops", "-n", "400", NULL);
	s = slurp(in(path, sizeof(path), dir, "d/screen.tsv"), NULL);
	assert_non_null(s);
	check(strstr(s, "\nfigure\tinput\tmu_star\tmu_star_ci_lo\tmu_star_ci_hi\tmu\tsigma\n") != NULL,
	      "screen.tsv: no column line");
	check(strstr(s, "\n# range: target.troops = 800000:1000000\n") != NULL,
	      "screen.tsv: no range line");
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char fig[64], input[128];
		double ms, lo, hi, mu, sd;

		if (line[0] == '#' || !strncmp(line, "figure\t", 7))
			continue;
		assert_int_equal(sscanf(line, "%63[^\t]\t%127[^\t]\t%lf\t%lf\t%lf\t%lf\t%lf", fig,
					input, &ms, &lo, &hi, &mu, &sd), 7);
		check(!strcmp(fig, "p_deterred"), "figure %s", fig);
		check(ms <= prev, "%s: mu* %g after %g: not sorted", input, ms, prev);
		check(lo <= ms && ms <= hi, "%s: mu* %g outside [%g, %g]", input, ms, lo, hi);
		prev = ms;
		rows++;
		if (!strcmp(input, "target.troops")) {
			zero = 1;
			check(ms == 0 && mu == 0 && sd == 0 && lo == 0 && hi == 0,
			      "target.troops: mu* %g [%g, %g], mu %g, sigma %g; expected all 0", ms,
			      lo, hi, mu, sd);
		} else if (!strcmp(input, "guarantors.[0].guarantee.strength")) {
			real = 1;
			check(ms > 0.05 && mu == ms, "strength: mu* %g, mu %g; expected mu = mu* > 0.05",
			      ms, mu);
		}
	}
	check_long("rows of screen.tsv", rows, 4);
	check(zero && real, "screen.tsv lacks target.troops or the strength");
	free(s);
	s = slurp(in(path, sizeof(path), dir, "g/screen.tsv"), NULL);
	assert_non_null(s);
	check(strstr(s, "\n# group: us=guarantors.[0].guarantee.strength,target.troops\n") !=
	      NULL, "screen.tsv: no group line");
	for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		group += !strncmp(line, "p_deterred\tus\t", 14);
	check_long("rows of the group us", group, 1);
	free(s);
	remove_tree(dir);
	check_finish();
}

/* Runs "sim screen" on the 19-point config with ARGS (NULL-terminated)
 * and checks it fails with exit 2 and exactly the stderr ERR. */
static void check_usage(const char *err, ...)
{
	char *argv[20];
	const char *a;
	va_list ap;
	int n = 0;
	char *got;

	argv[n++] = SIM;
	argv[n++] = "screen";
	argv[n++] = UKR;
	va_start(ap, err);
	while ((a = va_arg(ap, const char *)) != NULL && n < 19)
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	got = run_err(argv, 2);
	check(!strcmp(got, err), "%s:\n  got      %s  expected %s", cmdline(argv), got, err);
	free(got);
}

#define TRY "Try 'sim screen --help'.\n"
#define WC "--range", "challenger.war_cost=0.1:0.5"

static void test_usage(void **state)
{
	(void)state;
	check_usage("sim: error: no --range given\n" TRY, NULL);
	check_usage("sim: error: --levels: expected a number of levels from 2 to 100, got '1'\n"
		    TRY, WC, "--levels", "1", NULL);
	check_usage("sim: error: --levels: expected a number of levels from 2 to 100, got "
		    "'101'\n" TRY, WC, "--levels", "101", NULL);
	check_usage("sim: error: --trajectories: expected a number from 2 to 1000, got "
		    "'1001'\n" TRY, WC, "--trajectories", "1001", NULL);
	check_usage("sim: error: --candidates: expected a number from 2 to 100000, got "
		    "'100001'\n" TRY, WC, "--candidates", "100001", NULL);
	check_usage("sim: error: --candidates 5 is fewer than --trajectories 20\n" TRY, WC,
		    "--trajectories", "20", "--candidates", "5", NULL);
	check_usage("sim: error: --resamples: expected a number from 10 to 100000, got 'x'\n"
		    TRY, WC, "--resamples", "x", NULL);
	check_usage("sim: error: --group g: 'target.troops' is not the PATH of a --range\n" TRY,
		    WC, "--group", "g=target.troops", NULL);
	check_usage("sim: error: --group b: challenger.war_cost is already in a group\n" TRY, WC,
		    "--group", "a=challenger.war_cost", "--group", "b=challenger.war_cost", NULL);
	check_usage("sim: error: --figures 'p_deterred,': an item is empty\n" TRY, WC,
		    "--figures", "p_deterred,", NULL);
	check_usage("sim: error: choosing 1000 trajectories among 100000 candidates over 1 "
		    "inputs takes about 4.7e+11 steps, more than 3e+10: give fewer --candidates\n"
		    TRY, WC, "--trajectories", "1000", "--candidates", "100000", NULL);
	check_usage("sim: error: --independent does not apply to screen (elementary effects "
		    "need common random numbers)\n" TRY, WC, "--independent", NULL);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_analytic, check_setup),
		cmocka_unit_test_setup(test_design, check_setup),
		cmocka_unit_test_setup(test_repeat, check_setup),
		cmocka_unit_test_setup(test_no_effect, check_setup),
		cmocka_unit_test_setup(test_usage, check_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
