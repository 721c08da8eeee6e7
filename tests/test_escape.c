/* test_escape.c - text from users (config paths, --set values, scenario
 * and guarantor names) never becomes structure or markup: no line or field
 * added to a data file by a newline or a tab, no HTML or Markdown from a
 * name in report.md and report.html. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#define CFG "tests/configs/studies.cfg"
#define STRENGTH "guarantors.[0].guarantee.strength"

/* ---------------------------------------------------------------- */
/* Newlines and tabs stay in their line and field */

/* Tabs in LINE (up to its newline) + 1. */
static int fields(const char *line)
{
	int n = 1;

	for (; *line && *line != '\n'; line++)
		n += *line == '\t';
	return n;
}

/* Every line of the TSV at PATH is a '#' line of the header block, its
 * column line, or, after it, a blank line or a row with as many fields
 * as the column line; the header holds exactly one line starting with each of the
 * NULL-terminated prefixes that follow, each holding the escaped text
 * ESCAPED. */
static void check_tsv(const char *path, const char *escaped, ...)
{
	char *tsv = slurp(path, NULL);
	const char *line, *prefix;
	int header = 1, cols = 0, n = 0, k;
	va_list ap;

	if (!tsv) {
		check(0, "%s: missing", path);
		return;
	}
	for (line = tsv; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
		n++;
		if (header && *line == '#')
			continue;
		if (header) {
			cols = fields(line);	/* the column line */
			header = 0;
			continue;
		}
		if (*line == '\n')
			continue;
		check(*line != '#' && fields(line) == cols, "%s:%d: '%.*s' is neither a header line "
		      "nor a row of %d fields", path, n, (int)strcspn(line, "\n"), line, cols);
	}
	va_start(ap, escaped);
	while ((prefix = va_arg(ap, const char *)) != NULL) {
		size_t len = strlen(prefix);
		int found = 0, right = 0;

		for (line = tsv, k = 0; *line && *line == '#'; line = strchr(line, '\n') + 1, k++)
			if (!strncmp(line, prefix, len)) {
				found++;
				right += strstr(line, escaped) != NULL &&
					 strstr(line, escaped) < strchr(line, '\n');
			}
		check(found == 1 && right == 1, "%s: %d header lines start with '%s' (%d holding "
		      "'%s'), expected 1", path, found, prefix, right, escaped);
	}
	va_end(ap);
	free(tsv);
}

/* A config whose path holds a newline and a tab, and a --set whose text
 * holds a newline and a tab (names cannot: the checker refuses control
 * characters in strings): every .tsv of run, sweep, sample,
 * sensitivity and compare keeps its header and its rows; config.cfg
 * still reads; the table on stdout shows the escapes. */
static void test_control_chars(void **state)
{
	static const char set[] = "target.troops=\n100000\t";
	static const char set_esc[] = "target.troops=\\n100000\\t";
	static const char path_esc[] = "we\\nird\\tname.cfg";
	char dir[256], cfg[300], d[400], p[500], *src, *err;
	struct result r;
	FILE *f;

	(void)state;
	make_tmp(dir, sizeof(dir));
	in(cfg, sizeof(cfg), dir, "we\nird\tname.cfg");
	src = slurp(CFG, NULL);
	assert_non_null(src);
	f = fopen(cfg, "w");
	assert_non_null(f);
	fputs(src, f);
	assert_int_equal(fclose(f), 0);
	free(src);

	SIM_OK("run", cfg, "-n", "200", "-q", "--set", set, "-o", in(d, sizeof(d), dir, "run"));
	check_tsv(in(p, sizeof(p), d, "survival.tsv"), path_esc, "# config: ", NULL);
	check_tsv(in(p, sizeof(p), d, "outcomes.tsv"), path_esc, "# config: ", NULL);
	err = sim_expect(0, "check", in(p, sizeof(p), d, "config.cfg"), NULL);
	free(err);
	src = slurp(p, NULL);
	check(src && strstr(src, path_esc), "config.cfg: no escaped '# from:' path");
	free(src);

	SIM_OK("sweep", cfg, "--vary", STRENGTH "=0,1", "--vary", "challenger.war_cost=0.2,0.4",
	       "-n", "200", "-q", "--set", set, "-o", in(d, sizeof(d), dir, "sweep"));
	check_tsv(in(p, sizeof(p), d, "sweep.tsv"), set_esc, "# set: ", NULL);
	check_tsv(p, path_esc, "# config: ", NULL);

	SIM_OK("sample", cfg, "--lhs", "3", "--range", STRENGTH "=0:1", "-n", "200", "-q", "--set",
	       set, "-o", in(d, sizeof(d), dir, "sample"));
	check_tsv(in(p, sizeof(p), d, "sample.tsv"), set_esc, "# set: ", NULL);

	SIM_OK("sensitivity", cfg, "--range", STRENGTH "=0:1", "--range",
	       "challenger.war_cost=0.1:0.5", "--base-samples", "4", "-n", "100", "-q", "--set", set,
	       "-o", in(d, sizeof(d), dir, "sens"));
	check_tsv(in(p, sizeof(p), d, "sensitivity.tsv"), set_esc, "# set: ", NULL);
	check_tsv(in(p, sizeof(p), d, "sensitivity_runs.tsv"), set_esc, "# set: ", NULL);

	SIM_OK("compare", cfg, cfg, "-n", "200", "-q", "--set", set, "-o",
	       in(d, sizeof(d), dir, "cmp"));
	check_tsv(in(p, sizeof(p), d, "compare.tsv"), path_esc, "# config: ", "# scenario 1: ",
		  "# scenario 2: ", NULL);
	check_tsv(in(p, sizeof(p), d, "s01/survival.tsv"), path_esc, "# config: ", NULL);
	check_tsv(in(p, sizeof(p), d, "s02/outcomes.tsv"), path_esc, "# config: ", NULL);

	/* init --name takes no control character (a name goes into headers) */
	err = sim_expect(2, "init", "-", "--name", "a\tb", NULL);
	check(strstr(err, "control characters") != NULL, "init --name with a tab: stderr\n%s", err);
	free(err);

	sim(&r, "run", cfg, "-n", "200", "-q", NULL);
	check(r.status == 0 && strstr(text(&r.out), path_esc) && !strstr(text(&r.out), "we\nird"),
	      "sim run: the table does not show the config's path escaped:\n%s", text(&r.out));
	result_free(&r);
	remove_tree(dir);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* No markup from names in report.md and report.html */

/* The unescaped '|' of LINE (up to its newline). */
static int bars(const char *line)
{
	int n = 0;

	for (const char *p = line; *p && *p != '\n'; p++)
		n += *p == '|' && (p == line || p[-1] != '\\');
	return n;
}

static void test_report_markup(void **state)
{
	char dir[256], out[300], p[400], *md, *html, *lower;
	const char *line, *table = NULL;
	int titles = 0, n = 0;

	(void)state;
	make_tmp(dir, sizeof(dir));
	in(out, sizeof(out), dir, "rep");
	SIM_OK("report", CFG, "-n", "300", "-q", "-o", out,
	       "--set", "scenario.name=\"<script>alert(1)</script> | `x` *y* [l](http://e.org) _z_\"",
	       "--set", "scenario.description=\"# Not a heading | x\"",
	       "--set", "guarantors.[0].name=\"A|B <b>bold</b>\"");
	md = slurp(in(p, sizeof(p), out, "report.md"), NULL);
	html = slurp(in(p, sizeof(p), out, "report.html"), NULL);
	assert_non_null(md);
	assert_non_null(html);
	check(!strstr(md, "<script") && !strstr(md, "<b>"), "report.md holds raw HTML from a name");
	check(strstr(md, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
	      "report.md: the name is not there HTML-escaped");
	for (line = md; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
		n++;
		titles += !strncmp(line, "# ", 2);
		check(strncmp(line, "- ", 2) && strncmp(line, "1. ", 3) && strncmp(line, "#N", 2),
		      "report.md:%d: '%.*s' is a list or a heading from the description", n,
		      (int)strcspn(line, "\n"), line);
		for (const char *q = line; strncmp(line, "![", 2) && *q && *q != '\n'; q++)
			check(!strchr("`*[]", *q) || (q > line && q[-1] == '\\'),
			      "report.md:%d: an unescaped '%c' in '%.*s'", n, *q,
			      (int)strcspn(line, "\n"), line);
		if (*line == '|') {
			if (!table)
				table = line;
			check(bars(line) == bars(table), "report.md:%d: %d cells' bars, the table's "
			      "header has %d: '%.*s'", n, bars(line), bars(table),
			      (int)strcspn(line, "\n"), line);
		} else {
			table = NULL;
		}
	}
	check(titles == 1, "report.md: %d lines start with '# ', expected 1 (the title)", titles);
	check(strstr(md, "\\# Not a heading") != NULL, "report.md: the description's '#' is not "
	      "escaped");
	lower = strdup(html);
	for (char *q = lower; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	check(!strstr(lower, "<script") && !strstr(lower, "<b>"),
	      "report.html holds raw HTML from a name");
	check(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;") != NULL,
	      "report.html: the name is not there HTML-escaped");
	free(lower);
	free(md);
	free(html);
	remove_tree(dir);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_control_chars, check_setup),
		cmocka_unit_test_setup(test_report_markup, check_setup),
	};

	if (access(SIM, X_OK) != 0) {
		fprintf(stderr, "%s not built: run 'make' first (make check does)\n", SIM);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
