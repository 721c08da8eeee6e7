/* test_report.c - "sim report": the key findings say what summary.json
 * says (p_deterred and its interval, in percentages), numbers are written
 * for people (800,000), the config's comments reach the assumptions, a
 * sweep's thresholds are the interpolation done by hand (and "never" when
 * there is none), a comparison's report gives the paired difference of
 * compare.tsv, hostile text from a config (names, comments) stays text in
 * HTML and Markdown, every kind of directory gets its report, and the
 * command line refuses what does not fit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <jansson.h>

#include "testutil.h"

/* The number after PREFIX in TEXT (commas dropped), into *X; the decimals
 * it was written with into *DEC. Returns the text after it, or NULL. */
static const char *number_after(const char *text, const char *prefix, double *x, int *dec)
{
	const char *p = strstr(text, prefix), *q;
	char num[64];
	size_t n = 0;

	if (!p)
		return NULL;
	p += strlen(prefix);
	if (!strncmp(p, "\u2212", 3)) {	/* a minus sign */
		num[n++] = '-';
		p += 3;
	}
	for (q = p; (isdigit((unsigned char)*q) || *q == ',' || *q == '.') && n < sizeof(num) - 1; q++)
		if (*q != ',')
			num[n++] = *q;
	num[n] = '\0';
	if (n == 0 || (n == 1 && num[0] == '-'))
		return NULL;
	*x = strtod(num, NULL);
	*dec = strchr(num, '.') ? (int)strlen(strchr(num, '.') + 1) : 0;
	return q;
}

/* Whether the percentage SHOWN (with DEC decimals) is P rounded. */
static int shows(double shown, int dec, double p)
{
	return fabs(shown - 100 * p) <= 0.5 * pow(10, -dec) + 1e-9;
}

/* ---------------------------------------------------------------- */
/* A run's report */

static void test_findings(void **state)
{
	static const char after[] = "% of simulated futures over ten years (95% interval ";
	const char *d = *state;
	char dir[300], path[400], *md, *html;
	const char *p;
	json_t *j;
	json_error_t je;
	double v, lo, hi, pd, plo, phi;
	int dv, dl, dh;

	in(dir, sizeof(dir), d, "run");
	SIM_OK("report", "configs/ukraine-19-point.cfg", "-n", "3000", "-q", "-o", dir);
	j = json_load_file(in(path, sizeof(path), dir, "summary.json"), 0, &je);
	assert_non_null(j);
	pd = json_number_value(json_object_get(j, "p_deterred"));
	plo = json_number_value(json_array_get(json_object_get(j, "p_deterred_ci"), 0));
	phi = json_number_value(json_array_get(json_object_get(j, "p_deterred_ci"), 1));
	json_decref(j);
	md = slurp(in(path, sizeof(path), dir, "report.md"), NULL);
	html = slurp(in(path, sizeof(path), dir, "report.html"), NULL);
	assert_non_null(md);
	assert_non_null(html);
	check(strstr(md, "## Key findings") != NULL, "report.md: no Key findings");
	check(strstr(md, "## Key findings") < strstr(md, "## Results"),
	      "report.md: the key findings are not at the top");
	/* "... in 56.9% of simulated futures over ten years (95% interval 55.1%–58.6%)" */
	p = number_after(md, "does not attack within the horizon) in ", &v, &dv);
	check(p && !strncmp(p, after, strlen(after)),
	      "report.md: no sentence 'deterred ... in X%% of simulated futures over ten years "
	      "(95%% interval ...)':\n%.600s", md);
	if (p)
		p = number_after(p, "(95% interval ", &lo, &dl);
	if (p)
		p = number_after(p, "%\u2013", &hi, &dh);
	check(p && shows(v, dv, pd) && shows(lo, dl, plo) && shows(hi, dh, phi),
	      "key findings: %g%% (%g%%-%g%%) against summary.json's %.6f [%.6f, %.6f]", v, lo, hi,
	      pd, plo, phi);
	check(dv == dl && dl == dh, "key findings: the value and its interval have %d, %d, %d decimals",
	      dv, dl, dh);
	/* the same sentence in the page */
	check(strstr(html, "does not attack within the horizon) in ") != NULL,
	      "report.html: no key findings sentence");
	/* the milestones, the actor the deterrence rests on, the commonest outcome */
	check(strstr(md, "after one year") && strstr(md, "after five years") &&
	      strstr(md, "after ten years"), "report.md: no milestones at years 1, 5 and 10");
	check(strstr(md, "is the most likely to come when the challenger attacks") != NULL, "report.md: no actor named");
	check(strstr(md, "the commonest outcome is") != NULL, "report.md: no commonest outcome");
	free(md);
	free(html);
	check_finish();
}

static void test_numbers(void **state)
{
	const char *d = *state;
	char dir[300], path[400], *md;

	in(dir, sizeof(dir), d, "run");
	md = slurp(in(path, sizeof(path), dir, "report.md"), NULL);
	assert_non_null(md);
	check(strstr(md, "| troop_cap | 800,000 |") != NULL, "report.md: the troop cap is not "
	      "'800,000'");
	check(strstr(md, "| max_forces | 1,000,000 |") != NULL, "report.md: max_forces is not "
	      "'1,000,000'");
	check(!strstr(md, "e+0") && !strstr(md, "e-0"), "report.md: a number in exponent notation");
	/* the config's comments beside their values */
	check(strstr(md, "source: European 19-point counter-proposal") != NULL,
	      "report.md: the comment on troop_cap is not in the assumptions");
	check(strstr(md, "Set for this run; the config has 100,000.") != NULL,
	      "report.md: the overridden trials are not said to be");
	check(strstr(md, "The config's own notes") && strstr(md, "IISS, The Military Balance 2025"),
	      "report.md: the config's header notes are not there");
	/* what the figures mean */
	check(strstr(md, "What these figures mean") && strstr(md, "docs/validation.md") &&
	      strstr(md, "simulation's own noise"), "report.md: no caveats");
	free(md);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* A sweep's thresholds */

static const char sweep_head[] =
	"# gsim 0.1.0 (commit test)\n"
	"# scenario: synthetic sweep\n"
	"# vary: target.troop_cap = 0,100000,200000,300000\n"
	"target.troop_cap\ttrials\tp_deterred\tp_deterred_ci_lo\tp_deterred_ci_hi\n";

static void test_sweep_threshold(void **state)
{
	const char *d = *state;
	char dir[300], path[400], *md, want[128];
	/* p at the points; 0.5 is crossed between 100,000 (0.4) and 200,000
	 * (0.7), 0.9 between 200,000 and 300,000 (0.95) */
	static const double x[4] = { 0, 100000, 200000, 300000 }, p[4] = { 0.3, 0.4, 0.7, 0.95 };
	double at50 = x[1] + (0.5 - p[1]) * (x[2] - x[1]) / (p[2] - p[1]);
	double at90 = x[2] + (0.9 - p[2]) * (x[3] - x[2]) / (p[3] - p[2]);
	struct buf b = { NULL, 0, 0 };
	char line[256];
	int i;

	in(dir, sizeof(dir), d, "sweep");
	assert_int_equal(mkdir(dir, 0755), 0);
	buf_add(&b, sweep_head, strlen(sweep_head));
	for (i = 0; i < 4; i++) {
		snprintf(line, sizeof(line), "%.0f\t1000\t%g\t%g\t%g\n", x[i], p[i], p[i] - 0.01, p[i] + 0.01);
		buf_add(&b, line, strlen(line));
	}
	put_file(in(path, sizeof(path), dir, "sweep.tsv"), b.p);
	free(b.p);
	SIM_OK("report", dir, "-q");
	md = slurp(in(path, sizeof(path), dir, "report.md"), NULL);
	assert_non_null(md);
	/* 133,333.3 and 280,000, at four significant digits */
	check(fabs(at50 - 133333.333) < 0.01 && fabs(at90 - 280000) < 1e-6, "hand interpolation");
	snprintf(want, sizeof(want), "rises through 50%% at about %s", "133,300");
	check(strstr(md, want) != NULL, "report.md: no '%s':\n%.800s", want, md);
	snprintf(want, sizeof(want), "rises through 90%% at about %s", "280,000");
	check(strstr(md, want) != NULL, "report.md: no '%s':\n%.800s", want, md);
	check(strstr(md, "interpolated between the points 100,000 and 200,000") != NULL,
	      "report.md: the grid points around the 50%% threshold are not named");
	check(strstr(md, "| p_deterred | 133,300 | 280,000 |") != NULL,
	      "report.md: no thresholds table row");
	free(md);

	/* a curve that stays between the levels crosses neither */
	put_file(in(path, sizeof(path), dir, "sweep.tsv"), "");
	b.p = NULL;
	b.n = b.cap = 0;
	buf_add(&b, sweep_head, strlen(sweep_head));
	for (i = 0; i < 4; i++) {
		snprintf(line, sizeof(line), "%.0f\t1000\t%g\t%g\t%g\n", x[i], 0.6 + 0.05 * i,
			 0.59 + 0.05 * i, 0.61 + 0.05 * i);
		buf_add(&b, line, strlen(line));
	}
	put_file(path, b.p);
	free(b.p);
	SIM_OK("report", dir, "-q");
	md = slurp(in(path, sizeof(path), dir, "report.md"), NULL);
	assert_non_null(md);
	check(strstr(md, "It never crosses 50% within the range swept: it stays above it") &&
	      strstr(md, "It never crosses 90% within the range swept: it stays below it"),
	      "report.md: no plain statement that p_deterred never crosses:\n%.800s", md);
	free(md);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* A comparison's report */

/* The value of column NAME in the row of FIGURE of the table TEXT. */
static double tsv_value(const char *text, const char *figure, const char *name)
{
	const char *line = text, *head = NULL;
	int col = -1, k;

	for (; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (*line == '#')
			continue;
		if (!head) {
			const char *p = line;

			head = line;
			for (k = 0; p && *p != '\n'; k++, p = strchr(p, '\t') ? strchr(p, '\t') + 1 : NULL)
				if (!strncmp(p, name, strlen(name)) && strchr("\t\n", p[strlen(name)]))
					col = k;
			continue;
		}
		if (!strncmp(line, figure, strlen(figure)) && line[strlen(figure)] == '\t') {
			const char *p = line;

			for (k = 0; k < col && p; k++)
				p = strchr(p, '\t') ? strchr(p, '\t') + 1 : NULL;
			return p && col >= 0 ? strtod(p, NULL) : NAN;
		}
	}
	return NAN;
}

static void test_compare(void **state)
{
	const char *d = *state;
	char dir[300], path[400], *md, *tsv;
	const char *p;
	double diff, lo, hi, a, b = NAN, c = NAN;
	int da, db, dc;

	in(dir, sizeof(dir), d, "cmp");
	SIM_OK("compare", "configs/ukraine-19-point.cfg", "configs/ukraine-28-point.cfg", "-n", "2000",
	       "-q", "-o", dir);
	SIM_OK("report", dir, "-q");
	tsv = slurp(in(path, sizeof(path), dir, "compare.tsv"), NULL);
	md = slurp(in(path, sizeof(path), dir, "report.md"), NULL);
	assert_non_null(tsv);
	assert_non_null(md);
	diff = tsv_value(tsv, "p_deterred", "diff_2");
	lo = tsv_value(tsv, "p_deterred", "diff_lo_2");
	hi = tsv_value(tsv, "p_deterred", "diff_hi_2");
	check(diff < 0 && lo < hi, "compare.tsv: diff_2 %g [%g, %g]", diff, lo, hi);
	/* "..., 9.6 percentage points fewer than [1] (paired 95% interval 9.1 to 10.1)" */
	p = strstr(md, " percentage points fewer than \\[1\\] (paired 95% interval ");
	check(p != NULL, "report.md: no paired difference in the key findings:\n%.900s", md);
	if (p) {
		const char *s = p;

		while (s > md && (isdigit((unsigned char)s[-1]) || s[-1] == '.'))
			s--;
		a = strtod(s, NULL);
		da = memchr(s, '.', (size_t)(p - s)) ? (int)(p - (const char *)memchr(s, '.', (size_t)(p - s)) - 1) : 0;
		p = number_after(p, "interval ", &b, &db);
		if (p)
			p = number_after(p, " to ", &c, &dc);
		check(p && shows(a, da, -diff) && shows(b, db, -hi) && shows(c, dc, -lo),
		      "report.md: %g points (%g to %g) against compare.tsv's %g [%g, %g]", a, b, c,
		      diff, lo, hi);
	}
	check(strstr(md, "| Deterred over the whole horizon | \\[2\\] | \u2212") != NULL,
	      "report.md: no differences table row for p_deterred");
	check(strstr(md, "What differs between the scenarios") && strstr(md, "| target.troop_cap | "
	      "800,000 | 600,000 |"), "report.md: the troop caps' difference is not listed");
	check(strstr(md, "the US 28-point draft said 600,000") != NULL,
	      "report.md: the configs' notes on the differing key are not there");
	free(tsv);
	free(md);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* Hostile text */

static const char hostile_cfg[] =
	"# <script>alert('header')</script> *bold* [link](http://e.org) | pipe | `code`\n"
	"scenario = {\n"
	"  name = \"<script>alert(1)</script> | `x` *y* [l](http://e.org) _z_\";\n"
	"  description = \"# Not a heading | x <b>b</b>\";\n"
	"  horizon_years = 4.0;\n"
	"  steps_per_year = 4;\n"
	"  trials = 500;\n"
	"  seed = 5;\n"
	"};\n"
	"challenger = {\n"
	"  forces = 500000.0; growth_rate = 0.1; max_forces = 500000.0;\n"
	"  # <script>alert(2)</script> above war_cost\n"
	"  war_cost = 0.3;\n"
	"  decisiveness = 1.5; max_hazard = 0.6; temperature = 0.15;\n"
	"};\n"
	"target = {\n"
	"  troops = 400000.0;\n"
	"  troop_cap = 400000.0;   # source: <b>evil</b> | a [b](c) *d* `e` & \"f\"\n"
	"};\n"
	"guarantors = (\n"
	"  { name = \"A|B <i>x</i>\"; forces = 100000.0; interest = 0.2; resolve_sd = 0.2;\n"
	"    intervention_cost = 0.6; escalation_cost = 0.25;\n"
	"    guarantee = { strength = 0.3; };   # <img src=x onerror=alert(3)>\n"
	"  }\n"
	");\n";

/* The unescaped '|' of LINE (up to its newline). */
static int bars(const char *line)
{
	int n = 0;

	for (const char *p = line; *p && *p != '\n'; p++)
		n += *p == '|' && (p == line || p[-1] != '\\');
	return n;
}

/* Checks the Markdown MD: no raw HTML, no unescaped markup, every table
 * row with its header's cells. */
static void check_md(const char *what, const char *md)
{
	const char *line, *table = NULL;
	int n = 0;

	check(!strstr(md, "<script") && !strstr(md, "<b>") && !strstr(md, "<img") && !strstr(md, "<i>"),
	      "%s holds raw HTML from the config", what);
	for (line = md; *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : "") {
		n++;
		for (const char *q = line; strncmp(line, "![", 2) && *q && *q != '\n'; q++)
			check(!strchr("`*[]", *q) || (q > line && q[-1] == '\\'),
			      "%s:%d: an unescaped '%c' in '%.*s'", what, n, *q,
			      (int)strcspn(line, "\n"), line);
		if (*line == '|') {
			table = table ? table : line;
			check(bars(line) == bars(table), "%s:%d: %d bars, the header %d", what, n,
			      bars(line), bars(table));
		} else {
			table = NULL;
		}
	}
}

static void test_hostile(void **state)
{
	const char *d = *state;
	char cfg[300], dir[300], path[400], *md, *html, *lower;

	in(cfg, sizeof(cfg), d, "hostile.cfg");
	in(dir, sizeof(dir), d, "hostile");
	put_file(cfg, hostile_cfg);
	SIM_OK("report", cfg, "-q", "-o", dir);
	md = slurp(in(path, sizeof(path), dir, "report.md"), NULL);
	html = slurp(in(path, sizeof(path), dir, "report.html"), NULL);
	assert_non_null(md);
	assert_non_null(html);
	check_md("report.md", md);
	check(strstr(md, "&lt;b&gt;evil&lt;/b&gt; \\| a \\[b\\](c) \\*d\\* \\`e\\` &amp;") != NULL,
	      "report.md: the comment on troop_cap is not there, escaped");
	check(strstr(md, "\\# Not a heading") != NULL, "report.md: the description's '#' is not "
	      "escaped");
	lower = strdup(html);
	for (char *q = lower; *q; q++)
		*q = (char)tolower((unsigned char)*q);
	check(!strstr(lower, "<script") && !strstr(lower, "<b>") && !strstr(lower, "<img") &&
	      !strstr(lower, "<i>"), "report.html holds raw HTML from the config");
	check(strstr(html, "&lt;script&gt;alert(2)&lt;/script&gt; above war_cost") != NULL,
	      "report.html: the comment above war_cost is not there, escaped");
	check(strstr(html, "&lt;script&gt;alert(&#39;header&#39;)") ||
	      strstr(html, "&lt;script&gt;alert('header')"), "report.html: the header comment is not "
	      "there, escaped");
	check(strstr(html, "A|B &lt;i&gt;x&lt;/i&gt;") != NULL, "report.html: the guarantor's name");
	free(lower);
	free(md);
	free(html);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* Every kind of directory, and the command line */

/* Runs ARGS (a command writing into DIR), then 'sim report DIR', and checks
 * report.md holds each of the NULL-terminated strings after it. */
static void kind(const char *dir, const char *const *args, ...)
{
	char *argv[40], path[400], *md;
	const char *want;
	struct result r;
	va_list ap;
	int n = 0;

	argv[n++] = SIM;
	for (; *args && n < 36; args++)
		argv[n++] = (char *)*args;
	argv[n++] = "-o";
	argv[n++] = (char *)dir;
	argv[n] = NULL;
	run_expect(argv, &r, 0);
	result_free(&r);
	SIM_OK("report", dir, "-q");
	md = slurp(in(path, sizeof(path), dir, "report.md"), NULL);
	check(md != NULL, "%s: no report.md", dir);
	va_start(ap, args);
	while (md && (want = va_arg(ap, const char *)) != NULL)
		check(strstr(md, want) != NULL, "%s/report.md: no '%s'", dir, want);
	va_end(ap);
	if (md)
		check_md(dir, md);
	free(md);
}

static void test_kinds(void **state)
{
	static const char *const sens[] = {
		"sensitivity", "tests/configs/studies.cfg", "-n", "200", "-q", "--base-samples", "8",
		"--replicates", "3", "--range", "guarantors.[0].guarantee.strength=0:1", "--range",
		"challenger.war_cost=0.1:0.5", NULL
	};
	static const char *const scr[] = {
		"screen", "tests/configs/studies.cfg", "-n", "200", "-q", "--trajectories", "4",
		"--range", "guarantors.[0].guarantee.strength=0:1", "--range",
		"challenger.war_cost=0.1:0.5", NULL
	};
	static const char *const rob[] = {
		"robust", "tests/configs/studies.cfg", "--design", "weak=--set "
		"guarantors.[0].guarantee.strength=0.2", "--design", "strong=--set "
		"guarantors.[0].guarantee.strength=0.8", "--range", "challenger.war_cost=0.1:0.6",
		"--lhs", "6", "-n", "200", "-q", NULL
	};
	static const char *const smp[] = {
		"sample", "tests/configs/studies.cfg", "--lhs", "40", "-n", "200", "-q", "--range",
		"guarantors.[0].guarantee.strength=0:1", "--range", "challenger.war_cost=0.1:0.6", NULL
	};
	const char *d = *state;
	char dir[300], table[400];

	kind(in(dir, sizeof(dir), d, "sens"), sens, "explains the most of the variance of p_deterred",
	     "](tornado.svg)", "What these figures mean", NULL);
	kind(in(dir, sizeof(dir), d, "scr"), scr, "moves p_deterred the most",
	     "](screen-p_deterred.svg)", NULL);
	kind(in(dir, sizeof(dir), d, "rob"), rob, "minimax regret", "](robust.svg)", NULL);
	in(dir, sizeof(dir), d, "smp");
	{
		char *argv[40];
		int n = 0;
		struct result r;

		argv[n++] = SIM;
		for (const char *const *a = smp; *a; a++)
			argv[n++] = (char *)*a;
		argv[n++] = "-o";
		argv[n++] = dir;
		argv[n] = NULL;
		run_expect(argv, &r, 0);
		result_free(&r);
	}
	in(table, sizeof(table), dir, "sample.tsv");
	{
		const char *const disc[] = { "discover", table, "--where", "p_deterred < 0.6", NULL };

		kind(in(dir, sizeof(dir), d, "disc"), disc, "Box 1: where", "](boxes.svg)", NULL);
	}
	check_finish();
}

static void test_usage(void **state)
{
	const char *d = *state;
	char dir[300], empty[300], *err;

	in(dir, sizeof(dir), d, "run");
	in(empty, sizeof(empty), d, "empty");
	assert_int_equal(mkdir(empty, 0755), 0);
	err = sim_expect(2, "report", dir, "-n", "100", NULL);
	check(strstr(err, "options of a run") != NULL, "report DIR -n: stderr\n%s", err);
	free(err);
	err = sim_expect(2, "report", dir, "-o", empty, NULL);
	check(strstr(err, "without -o") != NULL, "report DIR -o: stderr\n%s", err);
	free(err);
	err = sim_expect(2, "report", empty, NULL);
	check(strstr(err, "holds no results a report can be made of") != NULL,
	      "report EMPTY: stderr\n%s", err);
	free(err);
	err = sim_expect(2, "report", NULL);
	check(strstr(err, "no -o DIR given") != NULL, "report: stderr\n%s", err);
	free(err);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_findings, check_setup),
		cmocka_unit_test_setup(test_numbers, check_setup),
		cmocka_unit_test_setup(test_sweep_threshold, check_setup),
		cmocka_unit_test_setup(test_compare, check_setup),
		cmocka_unit_test_setup(test_hostile, check_setup),
		cmocka_unit_test_setup(test_kinds, check_setup),
		cmocka_unit_test_setup(test_usage, check_setup),
	};

	return cmocka_run_group_tests(tests, tmp_setup, tmp_teardown);
}
