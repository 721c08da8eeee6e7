/* test_calibrate.c - the coded case base and its calibration: the table
 * is read and checked (exact messages), every case's codes map to a
 * crisis config that checks and runs, the calibrator recovers a known
 * parameter from cases simulated by the model itself (the true value in
 * its likelihood interval), and cross-validation never lets a case's
 * outcome reach its own prediction. */
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
#include "study/calibrate.h"
#include "testutil.h"

/* A row of the table: ID, event and years, and codes varied by K. */
static void row(char *buf, size_t size, const char *id, int event, double years, int k)
{
	snprintf(buf, size,
		 "%s\tcase %s\t%s\tA%d\tB\t%s\t1990-01\t2000-01\t%d\t%.6f\t"
		 "%d\t%d\t%d\t%d\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%d\t%d\thigh\tsrc\tnote\n",
		 id, id, k % 3 == 0 ? "ceasefire" : "guarantee", k % 6, k % 4 ? "G" : "-", event, years,
		 k % 4 != 0, k % 2, k % 3 == 1, k % 5 == 0, k % 5 == 0 ? "2000" : "0", k % 7 == 0,
		 k % 3 == 0, k % 6 == 0, k % 2 == 1, k % 3 == 2, k % 4 == 1,
		 k % 8 == 3 ? "NA" : k % 3 == 0 ? "1.5" : k % 3 == 1 ? "0.8" : "2.5", 1 + k % 3,
		 k % 2, k % 3 != 0);
}

/* Writes a table of N cases to PATH (events at 3 years, censored at 10). */
static void table(const char *path, int n)
{
	size_t size = (size_t)n * 512 + 256, len;
	char *text = malloc(size), id[32];
	int k;

	assert_non_null(text);
	len = (size_t)snprintf(text, size, "# a test case base\n");
	for (k = 0; k < n; k++) {
		snprintf(id, sizeof(id), "c%d", k);
		row(text + len, size - len, id, k % 2, k % 2 ? 3.0 : 10.0, k);
		len += strlen(text + len);
	}
	put_file(path, text);
	free(text);
}

/* Exact messages for bad rows. Catches an accepted row and a wrong line
 * or column in the message. */
static void test_read(void **state)
{
	const char *dir = *state;
	char path[512], good[600], bad[700], want[800];
	static const struct { const char *from, *to, *msg; } cases[] = {
		{ "\thigh\t", "\tsure\t", "confidence: expected high, medium or low, got 'sure'" },
		{ "c1\tcase", "C 1\tcase", "id: 'C 1' must be made of a-z, 0-9 and '-'" },
		{ "\t1\t3.000000\t", "\t2\t3.000000\t", "event: expected 0 or 1, got '2'" },
		{ "\t1\t3.000000\t", "\t1\t-3\t", "years: expected a number > 0, got '-3'" },
		{ "\tsrc\tnote", "\tsrc", "expected 28 tab-separated fields (id ... notes), got 27" },
	};
	struct cb_base b;
	size_t i;
	FILE *err;

	snprintf(path, sizeof(path), "%s/cases.tsv", dir);
	table(path, 6);
	assert_int_equal(cb_read(path, &b, stderr), 0);
	assert_int_equal(b.n, 6);
	check(b.c[1].event == 1 && b.c[1].years == 3 && isnan(b.c[3].code[CB_BALANCE]) &&
	      b.c[3].code[CB_STAKES] == 1, "codes of the rows read wrongly");
	cb_free(&b);
	row(good, sizeof(good), "c1", 1, 3, 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *at = strstr(good, cases[i].from), *text;

		assert_non_null(at);
		snprintf(bad, sizeof(bad), "%.*s%s%s", (int)(at - good), good, cases[i].to,
			 at + strlen(cases[i].from));
		snprintf(path, sizeof(path), "%s/bad%zu.tsv", dir, i);
		put_file(path, bad);
		err = tmpfile();
		assert_non_null(err);
		assert_int_equal(cb_read(path, &b, err), -1);
		rewind(err);
		text = calloc(1, 1024);
		assert_non_null(text);
		if (!fgets(text, 1023, err))
			text[0] = '\0';
		snprintf(want, sizeof(want), "%s:1: error: %s\n", path, cases[i].msg);
		check(!strcmp(text, want), "case %zu:\n  observed: %s  expected: %s", i, text, want);
		free(text);
		fclose(err);
	}
	check_finish();
}

/* Every case of the shipped case base maps, under each mapping at its
 * defaults, to a config that checks and runs, and the curves differ
 * between cases (a mapping that ignored the codes would give one curve).
 * Catches a code the generator writes as a key the model lacks. */
static void test_shipped(void **state)
{
	const struct cb_mapping *m;
	struct cb_base b;

	(void)state;
	assert_int_equal(cb_read("configs/history/casebase.tsv", &b, stderr), 0);
	check(b.n >= 60, "the case base holds %zu cases, fewer than 60", b.n);
	for (m = cb_mappings; m->model; m++) {
		struct cal_setup s = { &b, 2, 1, { 0 }, m, NULL, NULL };
		struct case_curve *cv = calloc(b.n, sizeof(*cv));
		double lo = 1, hi = 0;
		size_t i;

		assert_non_null(cv);
		check(cal_curves(&s, m->defaults, NULL, b.n, cv) == 0, "%s: a case's config fails",
		      m->model);
		for (i = 0; i < b.n && cv[i].s; i++) {
			double s5 = casescore_curve_S(cv, i, 5);

			lo = s5 < lo ? s5 : lo;
			hi = s5 > hi ? s5 : hi;
			free(cv[i].s);
		}
		check(hi - lo > 0.05, "%s: every case predicted alike (S(5) from %g to %g)", m->model,
		      lo, hi);
		free(cv);
	}
	cb_free(&b);
	check_finish();
}

/* The default scenario carries the shipped calibration: every setting of
 * configs/calibration/crisis.cfg appears, as written, in the challenger
 * group of configs/default.cfg (which cannot @include it: it is compiled
 * in). Catches a calibration updated in one place and not the other. */
static void test_default_calibrated(void **state)
{
	char *frag = slurp("configs/calibration/crisis.cfg", NULL);
	char *def = slurp("configs/default.cfg", NULL), *line, *save, *ch;
	int n = 0;

	(void)state;
	assert_non_null(frag);
	assert_non_null(def);
	ch = strstr(def, "\nchallenger = {");
	assert_non_null(ch);
	for (line = strtok_r(frag, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *end = strstr(line, "; };"), want[300];

		if (line[0] == '#' || !end)
			continue;
		snprintf(want, sizeof(want), "\n  %.*s; };", (int)(end - line), line);
		check(strstr(ch, want) != NULL, "configs/default.cfg lacks the calibrated setting%s",
		      want);
		n++;
	}
	check(n >= 2, "configs/calibration/crisis.cfg holds %d fitted settings, expected 2", n);
	free(frag);
	free(def);
	check_finish();
}

/* Draws every case's time from its own curve under the mapping at P:
 * the attack in the first month whose survival falls below a uniform,
 * censored at 10 years. */
static void simulate(struct cb_base *b, const struct cal_setup *s, const double *p, uint64_t seed)
{
	struct case_curve *cv = calloc(b->n, sizeof(*cv));
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	size_t i;

	assert_non_null(cv);
	assert_non_null(r);
	rng_seed(r, seed);
	assert_int_equal(cal_curves(s, p, NULL, b->n, cv), 0);
	for (i = 0; i < b->n; i++) {
		double u = gsl_rng_uniform_pos(r);
		long k;

		for (k = 0; k < cv[i].n && cv[i].s[k] >= u; k++)
			;
		b->c[i].event = k < cv[i].n && (double)(k + 1) * cv[i].dt <= 10 + 1e-9;
		b->c[i].years = b->c[i].event ? (double)(k + 1) * cv[i].dt : 10;
		free(cv[i].s);
	}
	free(cv);
	gsl_rng_free(r);
}

/* Cases simulated with crisis_rate 0.8: fitted from 0.2, the estimate
 * lies in its likelihood interval, and so does the truth (a fixed seed).
 * Catches a likelihood that ignores the parameter and a fit that does not
 * move. */
static void test_recover(void **state)
{
	const char *dir = *state;
	char path[512];
	struct cb_base b;
	struct cal_setup s = { &b, 2, 1, { 0 }, NULL, NULL, NULL };
	double p[CB_NPAR], truth = 0.8, lo, hi, l;
	int j;

	snprintf(path, sizeof(path), "%s/sim.tsv", dir);
	table(path, 100);
	assert_int_equal(cb_read(path, &b, stderr), 0);
	for (j = 0; j < CB_NPAR; j++)
		p[j] = cb_par_default[j];
	p[CB_P_RATE] = truth;
	simulate(&b, &s, p, 7);
	s.free[CB_P_RATE] = 1;
	p[CB_P_RATE] = 0.2;
	l = cal_fit(&s, p, NULL, b.n, NULL);
	assert_false(isnan(l));
	assert_int_equal(cal_profile(&s, p, CB_P_RATE, &lo, &hi), 0);
	check(lo < p[CB_P_RATE] && p[CB_P_RATE] < hi, "fit %g outside [%g, %g]", p[CB_P_RATE], lo, hi);
	check(lo < truth && truth < hi, "crisis_rate: truth %g outside the interval [%g, %g] (fit %g)",
	      truth, lo, hi, p[CB_P_RATE]);
	check(hi / lo < 3, "an interval [%g, %g] too wide to tell anything", lo, hi);
	print_message("[          ] crisis_rate: truth %.3f, fit %.3f [%.3f, %.3f], log-likelihood %.2f\n",
		      truth, p[CB_P_RATE], lo, hi, l);
	cb_free(&b);
	check_finish();
}

/* A held-out case's term is that of its own outcome under the fit to the
 * other folds: swap its outcome, and the term is the swapped outcome's
 * under the very same fit; and with folds by pair, a case's term does not
 * move when the outcome of another case of its pair does (both are held
 * out together), while that of a case of another pair does. Catches a
 * fold fitted with its own cases, and a pair split across folds. */
static void test_cv(void **state)
{
	const char *dir = *state;
	char path[512];
	struct cb_base b;
	struct cal_setup s = { &b, 2, 1, { 0 }, NULL, NULL, NULL };
	double p[CB_NPAR], q[CB_NPAR], *out, *out2, want;
	size_t train[40], group[40], m = 0, i, folds = 4, held = 5, mate = 11, other = 6;
	int j;

	snprintf(path, sizeof(path), "%s/cv.tsv", dir);
	table(path, 40);
	assert_int_equal(cb_read(path, &b, stderr), 0);
	for (j = 0; j < CB_NPAR; j++)
		p[j] = q[j] = cb_par_default[j];
	s.free[CB_P_RATE] = 1;
	out = calloc(b.n, sizeof(double));
	out2 = calloc(b.n, sizeof(double));
	assert_false(isnan(cal_cv(&s, p, folds, out, NULL)));
	for (i = 0; i < b.n; i++)
		if (i % folds != held % folds)
			train[m++] = i;
	assert_false(isnan(cal_fit(&s, q, train, m, NULL)));
	b.c[held].event = !b.c[held].event;
	b.c[held].years = b.c[held].event ? 2.5 : 10;
	want = cal_loglik(&s, q, &held, 1);
	assert_false(isnan(cal_cv(&s, p, folds, out2, NULL)));
	check(fabs(out2[held] - want) < 1e-9, "held-out term %.12g, expected %.12g (the fit "
	      "without it)", out2[held], want);
	/* By case, case 11 (challenger A5, as case 5) is in another fold,
	 * whose fit saw case 5 change. */
	check(fabs(out2[mate] - out[mate]) > 1e-9, "case folds: case %zu's term did not move "
	      "(%.12g) when case %zu's outcome did", mate, out[mate], held);
	/* By pair, it is held out with case 5, and its fit never saw it. */
	assert_int_equal(cb_pairs(&b, group), 6);
	check(group[held] == group[mate] && group[held] != group[other], "pairs of cases %zu, %zu, "
	      "%zu: %zu, %zu, %zu", held, mate, other, group[held], group[mate], group[other]);
	s.group = group;
	b.c[held].event = !b.c[held].event;
	b.c[held].years = b.c[held].event ? 3.0 : 10;
	assert_false(isnan(cal_cv(&s, p, folds, out, NULL)));
	b.c[held].event = !b.c[held].event;
	b.c[held].years = b.c[held].event ? 2.5 : 10;
	assert_false(isnan(cal_cv(&s, p, folds, out2, NULL)));
	check(fabs(out2[mate] - out[mate]) < 1e-12, "pair folds: case %zu's term moved from %.12g "
	      "to %.12g with its pair-mate's outcome", mate, out[mate], out2[mate]);
	check(fabs(out2[other] - out[other]) > 1e-9, "pair folds: case %zu, of another pair, "
	      "did not move (%.12g)", other, out[other]);
	free(out);
	free(out2);
	cb_free(&b);
	check_finish();
}

/* The command: a fit printed with its interval and the baselines beside
 * it, files written with -o, and exact usage errors. */
static void test_command(void **state)
{
	const char *dir = *state;
	char path[512], out[512], file[600];
	struct result r;

	snprintf(path, sizeof(path), "%s/cmd.tsv", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	table(path, 24);
	sim(&r, "calibrate", path, "--fit", "crisis_rate", "--folds", "3", "-o", out, NULL);
	if (r.status != 0)
		fail_msg("sim calibrate: exit %d\n%s", r.status, text(&r.err));
	check(strstr(text(&r.out), "crisis_rate") && strstr(text(&r.out), "Cross-validated (3 folds of the 6 pairs:") &&
	      strstr(text(&r.out), "exponential regression"), "output:\n%s", text(&r.out));
	result_free(&r);
	snprintf(file, sizeof(file), "%s/calibration.tsv", out);
	check(access(file, R_OK) == 0, "no %s", file);
	snprintf(file, sizeof(file), "%s/calibration.cfg", out);
	{
		char *frag = slurp(file, NULL), scen[600], run[600];

		/* The fitted crisis rate, a key as it stands, with its spread. */
		check(frag && strstr(frag, "\ncrisis_rate = { dist = \"lognormal\"; mu = "),
		      "%s lacks the fitted crisis_rate:\n%s", file, frag ? frag : "(none)");
		free(frag);
		/* It goes into a scenario's challenger group by @include. */
		snprintf(scen, sizeof(scen), "%s/calibrated.cfg", out);
		put_file(scen, "scenario = { name = \"calibrated\"; horizon_years = 5.0; trials = 2000; };\n"
			 "model = \"crisis\";\nchallenger = {\n  forces = 100000.0;\n  war_cost = 0.3;\n"
			 "  @include \"calibration.cfg\"\n};\ntarget = { troops = 100000.0; };\n"
			 "guarantors = ();\n");
		snprintf(run, sizeof(run), "%s/run", dir);
		sim(&r, "run", scen, "-o", run, NULL);
		check(r.status == 0, "the fragment does not include into a scenario: exit %d\n%s",
		      r.status, text(&r.err));
		result_free(&r);
	}
	snprintf(file, sizeof(file), "%s/groups.tsv", out);
	check(access(file, R_OK) == 0, "no %s", file);
	snprintf(file, sizeof(file), "%s/predictions.tsv", out);
	check(access(file, R_OK) == 0, "no %s", file);
	{
		/* The cases run one a thread: the same bytes on 1 and 2 threads. */
		struct result one, two;

		sim(&one, "calibrate", path, "--fit", "crisis_rate", "--folds", "3", "-j", "1", NULL);
		sim(&two, "calibrate", path, "--fit", "crisis_rate", "--folds", "3", "-j", "2", NULL);
		check(one.status == 0 && !strcmp(text(&one.out), text(&two.out)),
		      "calibrate on 1 and 2 threads differs:\n%s---\n%s", text(&one.out),
		      text(&two.out));
		result_free(&one);
		result_free(&two);
	}
	{
		/* A bootstrap over the pairs: its replicates written, its
		 * interval printed, and its spread given to the fragment. */
		char boot[600], *rows, *frag, *at;
		int n = 0;

		sim(&r, "calibrate", path, "--fit", "crisis_rate", "--folds", "3", "--bootstrap", "6",
		    "-o", out, NULL);
		check(r.status == 0 && strstr(text(&r.out), "95% bootstrap (others refitted)") &&
		      strstr(text(&r.out), "6 refits, each on the 6 pairs drawn with replacement"),
		      "--bootstrap: exit %d\n%s%s", r.status, text(&r.out), text(&r.err));
		result_free(&r);
		snprintf(boot, sizeof(boot), "%s/bootstrap.tsv", out);
		rows = slurp(boot, NULL);
		for (at = rows; at && (at = strchr(at, '\n')); at++)
			n += at[1] && at[1] != '#';
		check(n == 7, "%s: %d lines after the '#' lines, expected the column line and 6 "
		      "replicates", boot, n);
		free(rows);
		snprintf(boot, sizeof(boot), "%s/calibration.cfg", out);
		frag = slurp(boot, NULL);
		check(frag && strstr(frag, "that of the log of\n# its bootstrap refits"),
		      "%s does not say its spread is the bootstrap's:\n%s", boot, frag ? frag : "");
		free(frag);
	}
	sim(&r, "calibrate", path, "--bootstrap", "1", NULL);
	assert_int_equal(r.status, 1);
	assert_string_equal(text(&r.err), "calibrate: 1 bootstrap refits over 6 pairs ...\n"
			    "sim: error: --bootstrap: at least 2 replicates are needed\n");
	result_free(&r);
	sim(&r, "calibrate", path, "--model", "commitment", "--folds", "3", NULL);
	check(r.status == 0 && strstr(text(&r.out), "commitment mapping, fitted") &&
	      strstr(text(&r.out), "max_hazard"), "commitment: exit %d\n%s%s", r.status,
	      text(&r.out), text(&r.err));
	result_free(&r);
	sim(&r, "calibrate", path, "--model", "commitment", "--fit", "crisis_decay", NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(text(&r.err), "sim: error: --fit: 'crisis_decay' is not a parameter of "
			    "the commitment mapping (max_hazard, temperature, war_cost, "
			    "treaty_strength, guarantor_force)\nTry 'sim calibrate --help'.\n");
	result_free(&r);
	sim(&r, "calibrate", path, "--model", "nonsense", NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(text(&r.err), "sim: error: --model: 'nonsense' has no mapping (crisis, "
			    "commitment)\nTry 'sim calibrate --help'.\n");
	result_free(&r);
	sim(&r, "calibrate", path, "--fit", "crisis_rate,nonsense", NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(text(&r.err), "sim: error: --fit: 'nonsense' is not a parameter of the "
			    "crisis mapping (crisis_rate, decision_sd, war_cost, treaty_strength, "
			    "guarantor_force, crisis_decay)\nTry 'sim calibrate --help'.\n");
	result_free(&r);
	sim(&r, "calibrate", path, "--folds", "1", NULL);
	assert_int_equal(r.status, 2);
	assert_string_equal(text(&r.err), "sim: error: --folds: expected a whole number >= 2, got "
			    "'1'\nTry 'sim calibrate --help'.\n");
	result_free(&r);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_read, check_tmp_setup, tmp_teardown),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test_setup(test_default_calibrated, check_setup),
		cmocka_unit_test_setup_teardown(test_recover, check_tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_cv, check_tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_command, check_tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
