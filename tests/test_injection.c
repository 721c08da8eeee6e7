/* test_injection.c - results folders are data, never code: no gnuplot or
 * shell code runs from a sensitivity.tsv's figures or a compare folder's
 * directory names, through sim plot or the scripts of plots/ alone. The
 * tests assert that a sentinel file is NOT created. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#define CFG "tests/configs/studies.cfg"
#define STRENGTH "guarantors.[0].guarantee.strength"

/* Runs "sh -c SCRIPT", expecting EXPECT; returns its stderr. */
static char *shell_err(const char *script, int expect)
{
	char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };

	return run_err(argv, expect);
}

static void check_absent(const char *sentinel, const char *what)
{
	check(!exists(sentinel), "%s: the sentinel %s was created: code ran", what, sentinel);
}

/* ---------------------------------------------------------------- */
/* No gnuplot or shell code from results */

/* A sensitivity.tsv whose figure column holds gnuplot code (for the
 * old -e "fig='...'"), or shell code (for the scripts' grep '...'):
 * sim plot refuses it, exit 2, and nothing runs. */
static void test_sensitivity_injection(void **state)
{
	const char *hostile[] = {
		"x'; system(\"touch %s/PWNED\"); fig='p",
		"p_deterred'; touch %s/PWNED; '",
		"$(touch %s/PWNED)",
	};
	char dir[256], sens[300], h[300], p[400], sentinel[300], field[512], *tsv, *err;
	const char *line;
	size_t i;
	FILE *f;

	(void)state;
	make_tmp(dir, sizeof(dir));
	in(sens, sizeof(sens), dir, "sens");
	in(sentinel, sizeof(sentinel), dir, "PWNED");
	SIM_OK("sensitivity", CFG, "--range", STRENGTH "=0:1", "--range",
	       "challenger.war_cost=0.1:0.5", "--base-samples", "8", "-n", "200", "-q", "-o", sens);
	tsv = slurp(in(p, sizeof(p), sens, "sensitivity.tsv"), NULL);
	assert_non_null(tsv);
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		snprintf(field, sizeof(field), hostile[i], dir);
		snprintf(h, sizeof(h), "%s/h%zu", dir, i);
		assert_int_equal(mkdir(h, 0755), 0);
		f = fopen(in(p, sizeof(p), h, "sensitivity.tsv"), "w");
		assert_non_null(f);
		for (line = tsv; *line; line = strchr(line, '\n') + 1) {
			size_t len = strcspn(line, "\n"), t = strcspn(line, "\t\n");

			/* a row: the hostile figure, then the row's own fields */
			if (*line == '#')
				fprintf(f, "%.*s\n", (int)len, line);
			else
				fprintf(f, "%s%.*s\n", field, (int)(len - t), line + t);
		}
		assert_int_equal(fclose(f), 0);
		err = sim_expect(2, "plot", h, "-q", NULL);
		check(strstr(err, "is not a figure of sim") != NULL,
		      "sim plot of a sensitivity.tsv with figure '%s': stderr\n%s", field, err);
		free(err);
		check_absent(sentinel, field);
		check(!exists(in(p, sizeof(p), h, "tornado.png")), "a tornado chart was drawn for '%s'",
		      field);
	}
	free(tsv);
	remove_tree(dir);
	check_finish();
}

/* A compare folder with a scenario directory named as gnuplot or shell
 * code: refused, exit 2, nothing runs; a name with odd but harmless signs
 * is drawn. */
static void test_compare_injection(void **state)
{
	static const char *const hostile[] = {
		"x'; system(\"touch PWNED\"); '",
		"a';touch PWNED;'b",
		"$(touch PWNED)",
		"`touch PWNED`",
		"a b\"; system(\"touch PWNED\"); \"",
	};
	char dir[256], cmp[300], from[400], to[600], sentinel[300], sim_abs[PATH_MAX];
	char script[2048], *err;
	size_t i;

	(void)state;
	assert_non_null(realpath(SIM, sim_abs));
	make_tmp(dir, sizeof(dir));
	in(cmp, sizeof(cmp), dir, "cmp");
	in(sentinel, sizeof(sentinel), dir, "PWNED");
	SIM_OK("compare", CFG, CFG, "-n", "200", "-q", "-o", cmp);
	in(from, sizeof(from), cmp, "s02");
	for (i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		in(to, sizeof(to), cmp, hostile[i]);
		assert_int_equal(rename(from, to), 0);
		/* gnuplot runs in DIR, where a relative "touch PWNED" would land */
		snprintf(script, sizeof(script), "cd '%s' && exec '%s' plot cmp -q", dir, sim_abs);
		err = shell_err(script, 2);
		check(strstr(err, "cannot give gnuplot the path") != NULL,
		      "sim plot of a compare folder with '%s': stderr\n%s", hostile[i], err);
		free(err);
		check_absent(sentinel, hostile[i]);
		check(!exists(in(script, sizeof(script), cmp, "survival.png")),
		      "sim plot drew a chart with the directory '%s'", hostile[i]);
		snprintf(from, sizeof(from), "%s", to);
	}
	in(to, sizeof(to), cmp, "s02+b,c=d@e%f~g");
	assert_int_equal(rename(from, to), 0);
	SIM_OK("plot", cmp, "-q");
	check(exists(in(script, sizeof(script), cmp, "survival.png")) &&
	      exists(in(script, sizeof(script), cmp, "outcomes.png")),
	      "sim plot did not draw a compare folder with the directory s02+b,c=d@e%%f~g");
	remove_tree(dir);
	check_finish();
}

/* The scripts alone refuse a figure or a file name that would break their
 * shell commands' quoting, or that gnuplot would read as a command. */
static void test_scripts_refuse(void **state)
{
	char dir[256], sens[300], run_[300], sentinel[300], vars[2048], arg[1024], out[400];
	char *err;

	(void)state;
	make_tmp(dir, sizeof(dir));
	in(sens, sizeof(sens), dir, "sens");
	in(run_, sizeof(run_), dir, "run");
	in(sentinel, sizeof(sentinel), dir, "PWNED");
	in(out, sizeof(out), dir, "t.png");
	SIM_OK("sensitivity", CFG, "--range", STRENGTH "=0:1", "--range",
	       "challenger.war_cost=0.1:0.5", "--base-samples", "4", "-n", "100", "-q", "-o", sens);
	SIM_OK("run", CFG, "-n", "200", "-q", "-o", run_);
	{
		snprintf(vars, sizeof(vars), "data='%s/sensitivity.tsv'; out='%s'; "
			 "fig=\"p'; touch %s; '\"", sens, out, sentinel);
		char *argv[] = { "/usr/bin/env", "gnuplot", "-e", vars, "plots/tornado.gp", NULL };

		err = run_err(argv, 1);
		check(strstr(err, "is not a figure name") != NULL, "tornado.gp with fig holding a "
		      "quote: stderr\n%s", err);
		free(err);
		check_absent(sentinel, "tornado.gp with fig holding a quote");
	}
	{
		snprintf(arg, sizeof(arg), "%s/x';touch %s;'y/survival.tsv", dir, sentinel);
		char *argv[] = { "/usr/bin/env", "gnuplot", "-c", "plots/survival.gp", arg, out, "png",
				 NULL };

		err = run_err(argv, 1);
		check(strstr(err, "a file name in data holds a quote") != NULL,
		      "survival.gp with a quote in a file name: stderr\n%s", err);
		free(err);
		check_absent(sentinel, "survival.gp with a quote in a file name");
	}
	{
		snprintf(vars, sizeof(vars), "data='<touch %s'; term='dumb'", sentinel);
		char *argv[] = { "/usr/bin/env", "gnuplot", "-e", vars, "plots/outcomes.gp", NULL };

		err = run_err(argv, 1);
		check(strstr(err, "starts with '-', '<' or '|'") != NULL,
		      "outcomes.gp with data='<...': stderr\n%s", err);
		free(err);
		check_absent(sentinel, "outcomes.gp with data='<touch ...'");
	}
	{
		snprintf(vars, sizeof(vars), "data='%s/survival.tsv'; out='|touch %s'; term='png'", run_,
			 sentinel);
		char *argv[] = { "/usr/bin/env", "gnuplot", "-e", vars, "plots/survival.gp", NULL };

		err = run_err(argv, 1);
		check(strstr(err, "out must be a file name, not a pipe") != NULL,
		      "survival.gp with out='|...': stderr\n%s", err);
		free(err);
		check_absent(sentinel, "survival.gp with out='|touch ...'");
	}
	{
		/* Hostile text inside data files: names of ranges, cases,
		 * predictors and designs reach the charts as labels, never as
		 * shell or gnuplot code. */
		static const struct { const char *script, *file, *text; } cases[] = {
			{ "scatter", "s.tsv", "# range: a';touch SENTINEL;' = 0:1\n# a';touch SENTINEL;'"
			  "\ttrials\tp_deterred\n0.1\t10\t0.5\n0.9\t10\t0.7\n" },
			{ "cases", "c.tsv", "# case: x';touch SENTINEL;'`touch SENTINEL`\n# observed: 1 "
			  "years, held\n# year\tsurvival\n0\t1\n1\t0.9\n" },
			{ "calibration", "g.tsv", "# tau: 5\n# predictor\tgroup\n"
			  "x';touch_SENTINEL;'\t1\t10\t0.5\t0.6\t0.4\t0.8\n" },
		};
		char file[400], text[600], *p;
		size_t i;

		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			char script[64];

			snprintf(text, sizeof(text), "%s", cases[i].text);
			while ((p = strstr(text, "SENTINEL")) != NULL) {
				char rest[600];

				snprintf(rest, sizeof(rest), "%s", p + 8);
				snprintf(p, sizeof(text) - (size_t)(p - text), "%s%s", sentinel, rest);
			}
			in(file, sizeof(file), dir, cases[i].file);
			put_file(file, text);
			snprintf(vars, sizeof(vars), "data='%s'; out='%s'", file, out);
			snprintf(script, sizeof(script), "plots/%s.gp", cases[i].script);
			{
				char *argv[] = { "/usr/bin/env", "gnuplot", "-e", vars, script, NULL };
				struct result r;

				run(argv, &r);
				result_free(&r);
			}
			check_absent(sentinel, cases[i].script);
		}
	}
	remove_tree(dir);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_sensitivity_injection, check_setup),
		cmocka_unit_test_setup(test_compare_injection, check_setup),
		cmocka_unit_test_setup(test_scripts_refuse, check_setup),
	};

	if (access(SIM, X_OK) != 0) {
		fprintf(stderr, "%s not built: run 'make' first (make check does)\n", SIM);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
