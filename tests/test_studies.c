/* test_studies.c - "sim sample" and "sim sensitivity" from the command
 * line: the Latin hypercube's strata, reproducibility, and Sobol' indices
 * of an input that cannot matter. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define CFG "tests/configs/studies.cfg"

/* Splits the data rows of a TSV (no '#' lines, no blank lines, not its
 * column line) into ROWS[r][c] numbers; returns the number of rows. */
static int rows_of(const char *tsv, double rows[][64], int max_rows, int *ncols)
{
	const char *p = tsv;
	int r = 0, named = 0;

	while (*p && r < max_rows) {
		const char *eol = strchr(p, '\n');
		int c = 0;

		if (!eol)
			eol = p + strlen(p);
		if (*p != '#' && p != eol && !named++) {
			p = *eol ? eol + 1 : eol;
			continue;
		}
		if (*p != '#' && p != eol) {
			char *q = (char *)p;

			while (q < eol && c < 64) {
				rows[r][c++] = strtod(q, &q);
				if (*q == '\t')
					q++;
				else
					break;
			}
			*ncols = c;
			r++;
		}
		p = *eol ? eol + 1 : eol;
	}
	return r;
}

/* Every stratum of each range holds exactly one sample. */
static void check_strata(double rows[][64], int n, int col, double lo, double hi)
{
	int seen[64] = { 0 }, i, s;

	for (i = 0; i < n; i++) {
		double x = rows[i][col];

		assert_true(x >= lo && x <= hi);
		/* Halved, so that ranges as wide as the doubles do not overflow. */
		s = (int)floor((x / 2 - lo / 2) / (hi / 2 - lo / 2) * n);
		if (s < 0 || s > n)
			fail_msg("column %d: %g is outside [%g, %g]", col, x, lo, hi);
		if (s == n)
			s = n - 1;
		if (seen[s]++)
			fail_msg("column %d: stratum %d holds two samples", col, s);
	}
}

static void test_sample(void **state)
{
	char dir[256], path[300];
	struct result r;
	double rows[64][64];
	char *a, *b;
	double first;
	int n, nc;

	(void)state;
	make_tmp(dir, sizeof(dir));
	snprintf(path, sizeof(path), "%s/s1", dir);
	sim(&r, "sample", CFG, "--lhs", "20", "--range", "guarantors.[0].guarantee.strength=0:1",
	    "--range", "challenger.war_cost=0.1:0.5", "-n", "500", "-q", "-o", path, NULL);
	if (r.status != 0)
		fail_msg("sim sample: exit %d\n%s", r.status, text(&r.err));
	result_free(&r);
	snprintf(path, sizeof(path), "%s/s1/sample.tsv", dir);
	a = slurp(path, NULL);
	assert_non_null(a);
	assert_non_null(strstr(a, "# range: guarantors.[0].guarantee.strength = 0:1\n"));
	n = rows_of(a, rows, 64, &nc);
	assert_int_equal(n, 20);
	assert_int_equal(nc, 2 + 1 + 3 * 8);
	check_strata(rows, n, 0, 0, 1);
	check_strata(rows, n, 1, 0.1, 0.5);

	/* Same seed, same bytes on stdout (without -o) and any -j. */
	sim(&r, "sample", CFG, "--lhs", "20", "--range", "guarantors.[0].guarantee.strength=0:1",
	    "--range", "challenger.war_cost=0.1:0.5", "-n", "500", "-q", "-j", "1", NULL);
	assert_int_equal(r.status, 0);
	assert_true(same_bytes("sample.tsv vs stdout, -j 1", a, strlen(a), text(&r.out),
			       strlen(text(&r.out))));
	result_free(&r);

	/* Another seed, another design. */
	sim(&r, "sample", CFG, "--lhs", "20", "--range", "guarantors.[0].guarantee.strength=0:1",
	    "--range", "challenger.war_cost=0.1:0.5", "-n", "500", "-q", "-s", "6", NULL);
	assert_int_equal(r.status, 0);
	b = strdup(text(&r.out));
	result_free(&r);
	first = rows[0][0];
	n = rows_of(b, rows, 64, &nc);
	assert_int_equal(n, 20);
	check_strata(rows, n, 0, 0, 1);
	assert_true(rows[0][0] != first);
	free(a);
	free(b);
	remove_tree(dir);
}

static void test_sample_errors(void **state)
{
	struct result r;

	(void)state;
	sim(&r, "sample", CFG, "--lhs", "5", NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(text(&r.err), "no --range given"));
	result_free(&r);
	sim(&r, "sample", CFG, "--lhs", "5", "--range", "challenger.war_cost=0.5:0.1", NULL);
	assert_int_equal(r.status, 2);
	result_free(&r);
	/* The upper end is out of range: checked before anything runs. */
	sim(&r, "sample", CFG, "--lhs", "5", "--range", "guarantors.[0].guarantee.strength=0:2",
	    NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(text(&r.err), "--range:1: error: guarantors.[0].guarantee.strength: "
			    "must be in [0, 1], got 2\n");
	assert_int_equal(r.out.n, 0);
	result_free(&r);
	/* The same setting twice (by name and by index). */
	sim(&r, "sample", CFG, "--lhs", "5", "--range", "guarantors.[Beta].interest=0:1",
	    "--range", "challenger.war_cost=0.1:0.5", "--range", "guarantors.[1].interest=0:0.5",
	    NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(text(&r.err), "sim: error: --range 3 (guarantors.[1].interest) names "
			    "the same setting as --range 1 (guarantors.[Beta].interest); vary each "
			    "setting once\n");
	result_free(&r);
	sim(&r, "sensitivity", CFG, "--range", "scenario.seed=0:10", NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(text(&r.err), "sim: error: --range 1 (scenario.seed): the seed is not "
			    "varied (-s would override it); give -s SEED, or --independent for "
			    "streams of each point's own\n");
	result_free(&r);
	sim(&r, "sample", CFG, "--lhs", "5", "--range", "challenger.war_cost=0.1: 0.5", NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(text(&r.err), "sim: error: --range 'challenger.war_cost=0.1: 0.5': "
			    "' 0.5' is not a number\n");
	result_free(&r);
}

/* A range of opposite signs near the largest double: HI - LO overflows,
 * the design's values must not. */
static void test_sample_extreme(void **state)
{
	struct result r;
	double rows[8][64];
	int n, nc, i;

	(void)state;
	sim(&r, "sample", CFG, "--lhs", "6", "--range", "guarantors.[0].interest=-1e308:1e308",
	    "-n", "100", "-q", NULL);
	if (r.status != 0)
		fail_msg("sample over -1e308:1e308: exit %d\n%s", r.status, text(&r.err));
	n = rows_of(text(&r.out), rows, 8, &nc);
	assert_int_equal(n, 6);
	for (i = 0; i < n; i++)
		if (!isfinite(rows[i][0]) || fabs(rows[i][0]) > 1e308)
			fail_msg("row %d: the sample %g is outside [-1e308, 1e308]", i + 1, rows[i][0]);
	check_strata(rows, n, 0, -1e308, 1e308);
	result_free(&r);
}

/* An input with no effect gets S1 = ST = 0 exactly: with common random
 * numbers, its A_B rows give the very outputs of A. The inputs that do
 * matter have ST > 0, and rows come largest ST first. */
static void test_sensitivity(void **state)
{
	char dir[256], path[300];
	struct result r;
	char *s, *line;
	double st_prev = INFINITY;
	int n = 0, zero = 0;

	(void)state;
	make_tmp(dir, sizeof(dir));
	sim(&r, "sensitivity", CFG, "--range", "guarantors.[0].guarantee.strength=0:1",
	    "--range", "challenger.war_cost=0.1:0.5", "--range", "challenger.growth_rate=0:0.5",
	    "--base-samples", "32", "--replicates", "4", "-n", "1000", "-q", "-o", dir, NULL);
	if (r.status != 0)
		fail_msg("sim sensitivity: exit %d\n%s", r.status, text(&r.err));
	result_free(&r);
	snprintf(path, sizeof(path), "%s/sensitivity.tsv", dir);
	s = slurp(path, NULL);
	assert_non_null(s);
	assert_non_null(strstr(s, "\nfigure\tinput\ts1\ts1_ci_lo\ts1_ci_hi\tst\tst_ci_lo\tst_ci_hi\n"));
	for (line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
		char fig[64], input[128];
		double s1, s1lo, s1hi, st, stlo, sthi;

		if (line[0] == '#' || !strncmp(line, "figure\t", 7))
			continue;
		assert_int_equal(sscanf(line, "%63s %127s %lf %lf %lf %lf %lf %lf", fig, input,
					&s1, &s1lo, &s1hi, &st, &stlo, &sthi), 8);
		assert_string_equal(fig, "p_deterred");
		assert_true(st <= st_prev);
		st_prev = st;
		if (!strcmp(input, "challenger.growth_rate")) {
			assert_true(s1 == 0 && st == 0);
			zero = 1;
		} else {
			if (!(st > 0.05))
				fail_msg("%s: total index %g, expected > 0.05", input, st);
		}
		n++;
	}
	assert_int_equal(n, 3);
	assert_true(zero);
	free(s);
	snprintf(path, sizeof(path), "%s/sensitivity_runs.tsv", dir);
	assert_true(exists(path));
	remove_tree(dir);
}

/* The indices of INPUT in the sensitivity.tsv of DIR into S1 and ST;
 * returns whether found. */
static int index_of(const char *dir, const char *input, double *s1, double *st)
{
	char path[300], *s, *line;
	int found = 0;

	snprintf(path, sizeof(path), "%s/sensitivity.tsv", dir);
	s = slurp(path, NULL);
	for (line = s ? strtok(s, "\n") : NULL; line && !found; line = strtok(NULL, "\n")) {
		char fig[64], in[128];
		double a, b, c, d, e, f;

		if (line[0] != '#' && sscanf(line, "%63s %127s %lf %lf %lf %lf %lf %lf", fig, in, &a,
					     &b, &c, &d, &e, &f) == 8 && !strcmp(in, input)) {
			*s1 = a;
			*st = d;
			found = 1;
		}
	}
	free(s);
	return found;
}

/* A group of the US strength and the growth rate (which has no effect
 * here) has exactly the indices of the strength alone: its A_B rows move
 * the strength as the strength's own do, and the growth rate changes no
 * output on common random numbers. The group's row replaces its members'.
 * Catches a group whose columns are not taken together from B. */
static void test_sensitivity_groups(void **state)
{
	char one[256], two[256];
	double s1a, sta, s1b, stb, x, y;
	struct result r;

	(void)state;
	make_tmp(one, sizeof(one));
	make_tmp(two, sizeof(two));
	/* The growth rate first and the strength last: a group taken as one
	 * column (the first of the design's) would be the growth rate's. */
	sim(&r, "sensitivity", CFG, "--range", "challenger.growth_rate=0:0.5",
	    "--range", "challenger.war_cost=0.1:0.5", "--range", "guarantors.[0].guarantee.strength=0:1",
	    "--base-samples", "16", "--replicates", "3", "-n", "500", "-q", "-o", one, NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	sim(&r, "sensitivity", CFG, "--range", "challenger.growth_rate=0:0.5",
	    "--range", "challenger.war_cost=0.1:0.5", "--range", "guarantors.[0].guarantee.strength=0:1",
	    "--group", "us=guarantors.[0].guarantee.strength,challenger.growth_rate",
	    "--base-samples", "16", "--replicates", "3", "-n", "500", "-q", "-o", two, NULL);
	assert_int_equal(r.status, 0);
	result_free(&r);
	assert_true(index_of(one, "guarantors.[0].guarantee.strength", &s1a, &sta));
	assert_true(index_of(two, "us", &s1b, &stb));
	if (s1a != s1b || sta != stb || !(sta > 0.05))
		fail_msg("group us: S1 %g, ST %g; the strength alone: S1 %g, ST %g", s1b, stb, s1a,
			 sta);
	assert_false(index_of(two, "challenger.growth_rate", &x, &y));
	assert_true(index_of(two, "challenger.war_cost", &x, &y));
	remove_tree(one);
	remove_tree(two);
}

/* The scrambled design is a pure function of the options: the same seed
 * gives the same bytes on any -j; another seed scrambles anew. Each
 * replicate's rows of A, 8 = 2^3 of them, hold one value of each range
 * in each eighth of it (the net the scrambling keeps). */
static void test_sensitivity_repeat(void **state)
{
	static double rows[128][64];
	static const char *const files[] = { "sensitivity.tsv", "sensitivity_runs.tsv" };
	char dir[256], d1[300], d2[300], d3[300], p1[400], p2[400];
	struct result r1, r2, r3;
	char *x, *y;
	size_t nx, ny;
	double first;
	int n, nc, q, f;

	(void)state;
	make_tmp(dir, sizeof(dir));
	snprintf(d1, sizeof(d1), "%s/j2", dir);
	snprintf(d2, sizeof(d2), "%s/j1", dir);
	snprintf(d3, sizeof(d3), "%s/s9", dir);
#define SENS_ARGS "sensitivity", CFG, "--range", "guarantors.[0].guarantee.strength=0:1", \
	"--range", "challenger.war_cost=0.1:0.5", "--base-samples", "8", "--replicates", "3", \
	"-n", "100", "-q"
	sim(&r1, SENS_ARGS, "-j", "2", "-o", d1, NULL);
	sim(&r2, SENS_ARGS, "-j", "1", "-o", d2, NULL);
	sim(&r3, SENS_ARGS, "-s", "9", "-o", d3, NULL);
#undef SENS_ARGS
	if (r1.status || r2.status || r3.status)
		fail_msg("sim sensitivity: exit %d, %d, %d\n%s%s%s", r1.status, r2.status, r3.status,
			 text(&r1.err), text(&r2.err), text(&r3.err));
	assert_string_equal(text(&r1.out), text(&r2.out));
	for (f = 0; f < 2; f++) {
		x = slurp(in(p1, sizeof(p1), d1, files[f]), &nx);
		y = slurp(in(p2, sizeof(p2), d2, files[f]), &ny);
		if (!x || !y || !same_bytes(files[f], x, nx, y, ny))
			fail_msg("%s differs between -j 2 and -j 1", files[f]);
		free(x);
		free(y);
	}
	x = slurp(in(p1, sizeof(p1), d1, "sensitivity_runs.tsv"), NULL);
	y = slurp(in(p2, sizeof(p2), d3, "sensitivity_runs.tsv"), NULL);
	assert_non_null(x);
	assert_non_null(y);
	n = rows_of(x, rows, 128, &nc);
	assert_int_equal(n, 3 * 8 * 4);
	for (q = 0; q < 3; q++) {
		check_strata(rows + q * 32, 8, 0, 0, 1);
		check_strata(rows + q * 32, 8, 1, 0.1, 0.5);
	}
	first = rows[0][0];
	assert_int_equal(rows_of(y, rows, 128, &nc), 3 * 8 * 4);
	if (rows[0][0] == first)
		fail_msg("seeds 1 and 9 give the same first point (%g)", first);
	free(x);
	free(y);
	result_free(&r1);
	result_free(&r2);
	result_free(&r3);
	remove_tree(dir);
}

/* SIGINT stops a study with exit 130 and the advice to resume, which
 * finishes it into the bytes of an uninterrupted run (for sensitivity:
 * its runs, its indices and what it prints). */
static void interrupt_resume(const char *cmd, char *const *opts, const char *file,
			     const char *const *files)
{
	char dir[256], ref[300], out[300], part[400], errpath[400], *argv[40], *err, *expect;
	struct result r;
	pid_t pid;
	int n = 0, st, k;

	make_tmp(dir, sizeof(dir));
	snprintf(ref, sizeof(ref), "%s/ref", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(part, sizeof(part), "%s/%s.partial", out, file);
	snprintf(errpath, sizeof(errpath), "%s/stderr", dir);
	argv[n++] = SIM;
	argv[n++] = (char *)cmd;
	for (k = 0; opts[k]; k++)
		argv[n++] = opts[k];
	argv[n++] = "-o";
	argv[n++] = out;
	argv[n] = NULL;
	pid = start(argv, errpath);
	wait_rows(pid, argv, part, 3, 30);
	kill(pid, SIGINT);
	if (!wait_child(pid, 10, &st)) {
		kill_child(pid);
		fail_msg("%s: still running 10 s after SIGINT", cmdline(argv));
	}
	err = slurp(errpath, NULL);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 130)
		fail_msg("%s after SIGINT: status 0x%x, expected exit 130\n%s", cmdline(argv), st, err);
	if (asprintf(&expect, "; they are in %s; to finish, run the same command with --resume %s "
		     "instead of -o\n", part, out) < 0 || !strstr(err, expect))
		fail_msg("%s after SIGINT: stderr does not end with the advice '%s':\n%s",
			 cmdline(argv), expect, err);
	free(expect);
	free(err);
	argv[n - 2] = "--resume";
	run(argv, &r);
	if (r.status != 0)
		fail_msg("%s: exit %d\n%s", cmdline(argv), r.status, text(&r.err));
	argv[n - 2] = "-o";
	argv[n - 1] = ref;
	{
		struct result r2;

		run(argv, &r2);
		assert_int_equal(r2.status, 0);
		if (strcmp(text(&r.out), text(&r2.out)))
			fail_msg("%s: stdout after --resume differs:\n%s\nuninterrupted:\n%s", cmd,
				 text(&r.out), text(&r2.out));
		result_free(&r2);
	}
	result_free(&r);
	for (k = 0; files[k]; k++) {
		char a[400], b[400], *x, *y;
		size_t nx, ny;

		snprintf(a, sizeof(a), "%s/%s", out, files[k]);
		snprintf(b, sizeof(b), "%s/%s", ref, files[k]);
		x = slurp(a, &nx);
		y = slurp(b, &ny);
		if (!x || !y || !same_bytes(files[k], x, nx, y, ny))
			fail_msg("%s: the resumed %s differs from the uninterrupted one", cmd, files[k]);
		free(x);
		free(y);
	}
	remove_tree(dir);
}

static void test_interrupt_sensitivity(void **state)
{
	char *const opts[] = { CFG, "--range", "guarantors.[0].guarantee.strength=0:1", "--range",
			       "challenger.war_cost=0.1:0.5", "--base-samples", "8", "-n", "20000",
			       "-j", "1", "--replicates", "4", NULL };
	static const char *const files[] = { "sensitivity.tsv", "sensitivity_runs.tsv", NULL };

	(void)state;
	interrupt_resume("sensitivity", opts, "sensitivity_runs.tsv", files);
}

static void test_interrupt_sample(void **state)
{
	char *const opts[] = { CFG, "--lhs", "60", "--range", "challenger.war_cost=0.1:0.5",
			       "-n", "20000", "-j", "1", NULL };
	static const char *const files[] = { "sample.tsv", NULL };

	(void)state;
	interrupt_resume("sample", opts, "sample.tsv", files);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_sample_errors),
		cmocka_unit_test(test_sample_extreme),
		cmocka_unit_test(test_sensitivity),
		cmocka_unit_test(test_sensitivity_groups),
		cmocka_unit_test(test_sensitivity_repeat),
		cmocka_unit_test(test_interrupt_sensitivity),
		cmocka_unit_test(test_interrupt_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
