/* test_charts.c - charts, comparisons and reports from the command line:
 * "sim plot" on every kind of result sim writes (png, svg, pdf, dumb), the
 * scripts of plots/ run alone, sim without gnuplot, "sim compare" of a
 * scenario with itself and with a stronger guarantee, and "sim report".
 *
 * The group setup makes the results once, in a temporary directory D:
 *   D/run    sim run -n 3000
 *   D/s1     a 1-D sweep of guarantor 0's guarantee strength
 *   D/s2     a 2-D sweep (strength x target.troop_cap)
 *   D/sens   a sensitivity study of both, two figures
 *   D/cmp    sim compare of the default scenario and tests/configs/studies.cfg
 * gnuplot and xmllint are found on PATH (through /usr/bin/env); both are
 * installed where the tests run. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#define STUDIES "tests/configs/studies.cfg"
#define DEFAULT_NAME "Ukraine, 19-point framework"
#define STUDIES_NAME "studies: two guarantors"
#define STRENGTH "guarantors.[0].guarantee.strength"

/* A chart at 1000x620 with its axes, curves and labels is 35 kB or more
 * (the smallest, a tornado chart, about 35 kB). A blank PNG of that size
 * from gnuplot 5.4,
 *   gnuplot -e "set terminal pngcairo size 1000,620; set output 'blank.png';
 *               unset border; unset tics; plot [0:1][0:1] NaN notitle"
 * is 3284 bytes, and an empty frame with its tics and a title 8691 bytes:
 * 15 kB tells a drawn chart from either. */
#define PNG_MIN_BYTES 15000
#define PNG_WIDTH 1000
#define PNG_HEIGHT 620

/* An empty SVG frame with tics (the same terminal settings) holds 19
 * <path elements; every chart here holds 30 or more. */
#define SVG_MIN_PATHS 20

/* ---------------------------------------------------------------- */
/* Helpers */

/* Occurrences of NEEDLE in S. */
static int count_of(const char *s, const char *needle)
{
	int n = 0;
	size_t len = strlen(needle);

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += len;
	}
	return n;
}

/* Runs ./bin/sim with ARGS (NULL-terminated), failing unless it exits 0. */
static void sim_ok(const char *first, ...)
{
	char *argv[64];
	int n = 0;
	va_list ap;
	struct result r;

	argv[n++] = (char *)SIM;
	argv[n++] = (char *)first;
	va_start(ap, first);
	while (n < 63 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	run_expect(argv, &r, 0);
	result_free(&r);
}

/* Runs PROG (found on PATH by /usr/bin/env) with ARGS (NULL-terminated);
 * returns its exit code, and puts its stderr in ERR (at most SIZE bytes)
 * when ERR is not NULL. */
static int tool(char *err, size_t size, const char *prog, ...)
{
	char *argv[64];
	int n = 0, status;
	va_list ap;
	struct result r;

	argv[n++] = (char *)"/usr/bin/env";
	argv[n++] = (char *)prog;
	va_start(ap, prog);
	while (n < 63 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	run(argv, &r);
	status = r.timed_out ? -1 : r.status;
	if (err)
		snprintf(err, size, "%s", text(&r.err));
	result_free(&r);
	return status;
}

/* A file written by gnuplot's pngcairo terminal at 1000x620, not blank. */
static void check_png(const char *path)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t len;
	unsigned char *p = (unsigned char *)slurp(path, &len);
	unsigned long w, h;

	if (!p) {
		check(0, "%s: missing", path);
		return;
	}
	if (len < 24 || memcmp(p, sig, 8) || memcmp(p + 12, "IHDR", 4)) {
		check(0, "%s: not a PNG (no signature and IHDR chunk)", path);
		free(p);
		return;
	}
	w = (unsigned long)p[16] << 24 | (unsigned long)p[17] << 16 | (unsigned long)p[18] << 8 | p[19];
	h = (unsigned long)p[20] << 24 | (unsigned long)p[21] << 16 | (unsigned long)p[22] << 8 | p[23];
	check(w == PNG_WIDTH && h == PNG_HEIGHT, "%s: %lux%lu pixels, expected %dx%d", path, w, h,
	      PNG_WIDTH, PNG_HEIGHT);
	check(len > PNG_MIN_BYTES, "%s: %zu bytes, no more than a blank PNG (%d)", path, len,
	      PNG_MIN_BYTES);
	free(p);
}

/* Well-formed XML (xmllint), drawn (<path elements), and holding each of
 * the NULL-terminated strings that follow as text. */
static void check_svg(const char *path, ...)
{
	char *s = slurp(path, NULL), err[2048];
	const char *name;
	va_list ap;
	int rc, paths;

	if (!s) {
		check(0, "%s: missing", path);
		return;
	}
	rc = tool(err, sizeof(err), "xmllint", "--noout", path, NULL);
	check(rc == 0, "%s: xmllint --noout exits %d:\n%s", path, rc, err);
	paths = count_of(s, "<path");
	check(paths >= SVG_MIN_PATHS, "%s: %d <path elements, expected %d or more", path, paths,
	      SVG_MIN_PATHS);
	va_start(ap, path);
	while ((name = va_arg(ap, const char *)) != NULL)
		check(strstr(s, name) != NULL, "%s: no text '%s'", path, name);
	va_end(ap);
	free(s);
}

/* Starts with %PDF- and ends with %%EOF (and maybe a line end). */
static void check_pdf(const char *path)
{
	size_t len;
	char *p = slurp(path, &len);

	if (!p) {
		check(0, "%s: missing", path);
		return;
	}
	while (len > 0 && (p[len - 1] == '\n' || p[len - 1] == '\r'))
		len--;
	check(len >= 10 && !memcmp(p, "%PDF-", 5), "%s: does not start with %%PDF-", path);
	check(len >= 10 && !memcmp(p + len - 5, "%%EOF", 5), "%s: does not end with %%%%EOF", path);
	free(p);
}

/* The directory DIR holds exactly the files of the NULL-terminated
 * names that follow (given sorted). */
static void check_files(const char *dir, ...)
{
	char *have = list_dir(dir), want[4096] = "";
	const char *name;
	va_list ap;

	va_start(ap, dir);
	while ((name = va_arg(ap, const char *)) != NULL) {
		strcat(want, name);
		strcat(want, "\n");
	}
	va_end(ap);
	check(have && !strcmp(have, want), "%s holds:\n%s\nexpected:\n%s", dir,
	      have ? have : "(cannot read it)\n", want);
	free(have);
}

/* The names, sizes and bytes of every file in DIR (not recursive), to tell
 * whether anything in it changed. The caller frees it. */
static char *snapshot(const char *dir)
{
	char *names = list_dir(dir), *line, *save, path[4096], head[4200];
	struct buf b = { NULL, 0, 0 };

	assert_non_null(names);
	buf_add(&b, "", 0);
	for (line = strtok_r(names, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		size_t len = 0;
		char *content;

		snprintf(path, sizeof(path), "%s/%s", dir, line);
		content = slurp(path, &len);
		snprintf(head, sizeof(head), "== %s (%zu bytes)\n", line, len);
		buf_add(&b, head, strlen(head));
		if (content)
			buf_add(&b, content, len);
		free(content);
	}
	free(names);
	return b.p;
}

/* Runs ARGV; returns -1 (saying why, with its stderr) unless it exits 0:
 * for the group setup, which reports a failure by returning -1. */
static int setup_run(char *const argv[])
{
	struct result r;
	int ok;

	run(argv, &r);
	ok = !r.timed_out && r.status == 0;
	if (!ok)
		fprintf(stderr, "setup: %s: exit %d%s\n%s", cmdline(argv), r.status,
			r.timed_out ? " (timed out)" : "", text(&r.err));
	result_free(&r);
	return ok ? 0 : -1;
}

/* The group's directory D and the results in it. */
static int group_setup(void **state)
{
	char run_[300], s1[300], s2[300], sens[300], cmp[300], cal[300], bt[300], smp[300],
	     smpt[320], disc[300], rob[300], scr[300];
	const char *d;

	if (tmp_setup(state) < 0)
		return -1;
	d = *state;
	snprintf(run_, sizeof(run_), "%s/run", d);
	snprintf(s1, sizeof(s1), "%s/s1", d);
	snprintf(s2, sizeof(s2), "%s/s2", d);
	snprintf(sens, sizeof(sens), "%s/sens", d);
	snprintf(cmp, sizeof(cmp), "%s/cmp", d);
	snprintf(cal, sizeof(cal), "%s/cal", d);
	snprintf(bt, sizeof(bt), "%s/bt", d);
	snprintf(smp, sizeof(smp), "%s/smp", d);
	snprintf(smpt, sizeof(smpt), "%s/sample.tsv", smp);
	snprintf(disc, sizeof(disc), "%s/disc", d);
	snprintf(rob, sizeof(rob), "%s/rob", d);
	snprintf(scr, sizeof(scr), "%s/scr", d);
	{
		char *a[] = { SIM, "run", "-n", "3000", "-q", "-o", run_, NULL };
		char *b[] = { SIM, "sweep", "--vary", STRENGTH "=0:1:6", "-n", "2000", "-q", "-o", s1,
			      NULL };
		char *c[] = { SIM, "sweep", "--vary", STRENGTH "=0:1:6", "--vary",
			      "target.troop_cap=400000:900000:5", "-n", "2000", "-q", "-o", s2, NULL };
		char *e[] = { SIM, "sensitivity", "--range", STRENGTH "=0:1", "--range",
			      "target.troop_cap=400000:900000", "--range",
			      "challenger.war_cost=0.1:0.5", "--base-samples", "8", "--replicates",
			      "2", "-n", "1000", "--figures", "p_deterred,p_challenger_wins", "-q",
			      "-o", sens, NULL };
		char *f[] = { SIM, "compare", "configs/default.cfg", STUDIES, "-n", "3000", "-q",
			      "-o", cmp, NULL };
		char *g[] = { SIM, "calibrate", "--fit", "crisis_rate", "--folds", "2", "-o", cal,
			      NULL };
		char *h[] = { SIM, "backtest", "-n", "200", "-q", "-o", bt, NULL };
		char *i[] = { SIM, "sample", "configs/ukraine-19-point.cfg", "--lhs", "60", "-n",
			      "500", "-q", "-o", smp, "--range", STRENGTH "=0:1", "--range",
			      "challenger.war_cost=0.1:0.6", NULL };
		char *j[] = { SIM, "discover", smpt, "--where", "p_deterred < 0.4", "--boxes", "2",
			      "-o", disc, NULL };
		char *l[] = { SIM, "screen", "configs/ukraine-19-point.cfg", "--range",
			      STRENGTH "=0:1", "--range", "challenger.war_cost=0.1:0.6",
			      "--trajectories", "4", "-n", "300", "-q", "-o", scr, NULL };
		char *k[] = { SIM, "robust", "configs/ukraine-19-point.cfg", "--design",
			      "weak=--set " STRENGTH "=0.2", "--design", "strong=--set " STRENGTH "=0.8",
			      "--range", "challenger.war_cost=0.1:0.6", "--lhs", "6", "-n", "500", "-q",
			      "-o", rob, NULL };

		if (setup_run(a) < 0 || setup_run(b) < 0 || setup_run(c) < 0 ||
		    setup_run(e) < 0 || setup_run(f) < 0 || setup_run(g) < 0 ||
		    setup_run(h) < 0 || setup_run(i) < 0 || setup_run(j) < 0 || setup_run(k) < 0 ||
		    setup_run(l) < 0) {
			tmp_teardown(state);
			return -1;
		}
	}
	return 0;
}

/* The results of the group setup, and where each one's charts go. */
static const struct {
	const char *dir;		/* in D */
	const char *charts[3];		/* what sim plot draws from it */
} results[] = {
	{ "run", { "outcomes", "survival", NULL } },
	{ "s1", { "sweep", NULL, NULL } },
	{ "s2", { "heatmap", NULL, NULL } },
	{ "sens", { "tornado-p_challenger_wins", "tornado-p_deterred", NULL } },
	{ "cmp", { "outcomes", "survival", NULL } },
	{ "cal", { "calibration", NULL, NULL } },
	{ "bt", { "cases", NULL, NULL } },
	{ "smp", { "scatter-p_deterred", NULL, NULL } },
	{ "disc", { "boxes", "tradeoff", NULL } },
	{ "rob", { "robust", NULL, NULL } },
	{ "scr", { "screen-p_deterred", NULL, NULL } },
};
#define N_RESULTS (sizeof(results) / sizeof(results[0]))

/* sim plot D/DIR --format FMT -o D/FMT-DIR for every result: exit 0, and
 * exactly the expected charts in each output directory. */
static void plot_all(const char *d, const char *fmt)
{
	char dir[300], out[300], n0[64], n1[64];
	size_t i;

	for (i = 0; i < N_RESULTS; i++) {
		snprintf(dir, sizeof(dir), "%s/%s", d, results[i].dir);
		snprintf(out, sizeof(out), "%s/%s-%s", d, fmt, results[i].dir);
		sim_ok("plot", dir, "--format", fmt, "-o", out, "-q", NULL);
		snprintf(n0, sizeof(n0), "%s.%s", results[i].charts[0], fmt);
		if (results[i].charts[1]) {
			snprintf(n1, sizeof(n1), "%s.%s", results[i].charts[1], fmt);
			check_files(out, n0, n1, NULL);
		} else {
			check_files(out, n0, NULL);
		}
	}
}

/* The path of chart NAME.FMT of result DIR, as plot_all() put it. */
static const char *chart(const char *d, const char *fmt, const char *dir, const char *name)
{
	static char path[400];

	snprintf(path, sizeof(path), "%s/%s-%s/%s.%s", d, fmt, dir, name, fmt);
	return path;
}

/* ---------------------------------------------------------------- */
/* 1. Every chart, from data the program produced */

static void test_plot_png(void **state)
{
	const char *d = *state;
	size_t i;

	plot_all(d, "png");
	for (i = 0; i < N_RESULTS; i++)
		for (int k = 0; k < 3 && results[i].charts[k]; k++)
			check_png(chart(d, "png", results[i].dir, results[i].charts[k]));
	check_finish();
}

static void test_plot_svg(void **state)
{
	const char *d = *state;

	plot_all(d, "svg");
	check_svg(chart(d, "svg", "run", "survival"), DEFAULT_NAME, NULL);
	check_svg(chart(d, "svg", "run", "outcomes"), DEFAULT_NAME, NULL);
	check_svg(chart(d, "svg", "s1", "sweep"), STRENGTH, DEFAULT_NAME, NULL);
	check_svg(chart(d, "svg", "s2", "heatmap"), STRENGTH, "target.troop_cap", NULL);
	check_svg(chart(d, "svg", "sens", "tornado-p_deterred"), STRENGTH, "target.troop_cap",
		  "challenger.war_cost", NULL);
	check_svg(chart(d, "svg", "sens", "tornado-p_challenger_wins"), STRENGTH,
		  "target.troop_cap", "challenger.war_cost", NULL);
	check_svg(chart(d, "svg", "cmp", "survival"), DEFAULT_NAME, STUDIES_NAME, NULL);
	check_svg(chart(d, "svg", "cmp", "outcomes"), NULL);
	check_finish();
}

static void test_plot_pdf(void **state)
{
	const char *d = *state;
	size_t i;

	plot_all(d, "pdf");
	for (i = 0; i < N_RESULTS; i++)
		for (int k = 0; k < 3 && results[i].charts[k]; k++)
			check_pdf(chart(d, "pdf", results[i].dir, results[i].charts[k]));
	check_finish();
}

/* Each script of plots/ drawn directly by gnuplot, as its usage says. */
static void test_scripts_alone(void **state)
{
	static const struct {
		const char *script, *data;
	} cases[] = {
		{ "survival", "run/survival.tsv" },
		{ "outcomes", "run/outcomes.tsv" },
		{ "sweep", "s1/sweep.tsv" },
		{ "heatmap", "s2/sweep.tsv" },
		{ "tornado", "sens/sensitivity.tsv" },
		{ "calibration", "cal/groups.tsv" },
		{ "cases", "bt/curves.tsv" },
		{ "tradeoff", "disc/discover.tsv" },
		{ "boxlimits", "disc/boxes.tsv" },
		{ "robust", "rob/robust.tsv" },
		{ "scatter", "smp/sample.tsv" },
	};
	const char *d = *state;
	char dir[300], vars[1200], script[64], out[400], err[2048];
	size_t i;
	int rc;

	snprintf(dir, sizeof(dir), "%s/alone", d);
	assert_int_equal(mkdir(dir, 0755), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(out, sizeof(out), "%s/%s.png", dir, cases[i].script);
		snprintf(vars, sizeof(vars), "data='%s/%s'; out='%s'", d, cases[i].data, out);
		snprintf(script, sizeof(script), "plots/%s.gp", cases[i].script);
		rc = tool(err, sizeof(err), "gnuplot", "-e", vars, script, NULL);
		check(rc == 0, "gnuplot -e \"%s\" %s: exit %d\n%s", vars, script, rc, err);
		check_png(out);
	}
	check_files(dir, "boxlimits.png", "calibration.png", "cases.png", "heatmap.png",
		    "outcomes.png", "robust.png", "scatter.png", "survival.png", "sweep.png",
		    "tornado.png", "tradeoff.png", NULL);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* 2. --format dumb */

/* Lines of S that start, after spaces, with LABEL then " |" or " +" (a
 * tick label on the y axis). */
static int y_ticks(const char *s, const char *label)
{
	int n = 0;
	size_t len = strlen(label);

	for (;;) {
		while (*s == ' ')
			s++;
		if (!strncmp(s, label, len) && s[len] == ' ' && (s[len + 1] == '|' || s[len + 1] == '+'))
			n++;
		s = strchr(s, '\n');
		if (!s)
			return n;
		s++;
	}
}

/* Lines of S whose words (separated by spaces) are exactly WORDS (separated
 * by single spaces). */
static int lines_of_words(const char *s, const char *words)
{
	char *copy = strdup(s), *line, *save, *w, *save2;
	struct buf b = { NULL, 0, 0 };
	int n = 0;

	assert_non_null(copy);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		b.n = 0;
		buf_add(&b, "", 0);
		for (w = strtok_r(line, " ", &save2); w; w = strtok_r(NULL, " ", &save2)) {
			if (b.n)
				buf_add(&b, " ", 1);
			buf_add(&b, w, strlen(w));
		}
		n += !strcmp(b.p, words);
	}
	free(b.p);
	free(copy);
	return n;
}

static void test_plot_dumb(void **state)
{
	static const char *const ticks[] = { "0.0", "0.2", "0.4", "0.6", "0.8", "1.0" };
	const char *d = *state;
	char dir[300], *before, *after;
	struct result r;
	char *argv[] = { SIM, "plot", dir, "--format", "dumb", NULL };
	const char *out;
	size_t i;

	snprintf(dir, sizeof(dir), "%s/run", d);
	before = snapshot(dir);
	run_expect(argv, &r, 0);
	out = text(&r.out);
	check(strstr(out, "== survival\n") && strstr(out, "== outcomes\n"),
	      "no '== survival' and '== outcomes' headings on stdout:\n%s", out);
	/* both charts have the probability axis, 0.0 to 1.0 */
	for (i = 0; i < sizeof(ticks) / sizeof(ticks[0]); i++)
		check(y_ticks(out, ticks[i]) >= 2, "tick label %s on %d y axes, expected 2:\n%s",
		      ticks[i], y_ticks(out, ticks[i]), out);
	/* the years of the survival chart (the default starts in 2026-01) */
	check(lines_of_words(out, "2026 2028 2030 2032 2034 2036") == 1,
	      "no line of year ticks 2026 2028 ... 2036:\n%s", out);
	/* the borders: the x axis '+-----...' and the y axis '|' */
	check(count_of(out, "+--------------------") >= 2, "no x axis border on stdout:\n%s", out);
	check(count_of(out, " |-+") >= 10, "no y axis border with tics on stdout:\n%s", out);
	check(strstr(out, DEFAULT_NAME) != NULL, "no '%s' on stdout", DEFAULT_NAME);
	check(strstr(out, "deterred: no attack") != NULL, "no outcome key on stdout");
	after = snapshot(dir);
	check(!strcmp(before, after), "sim plot --format dumb changed %s:\nbefore:\n%.400s\nafter:\n%.400s",
	      dir, before, after);
	free(before);
	free(after);
	result_free(&r);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* 3. No gnuplot on PATH */

static void test_no_gnuplot(void **state)
{
	const char *d = *state;
	char empty[300], dir[300], rep[300], want[1024], *before, *after, **env;
	struct result r;
	char *plot[] = { SIM, "plot", dir, NULL };
	char *report[] = { SIM, "report", "-n", "3000", "-q", "-o", rep, NULL };

	snprintf(empty, sizeof(empty), "%s/empty-path", d);
	snprintf(dir, sizeof(dir), "%s/run", d);
	snprintf(rep, sizeof(rep), "%s/rep-nognuplot", d);
	assert_int_equal(mkdir(empty, 0755), 0);
	env = env_with("PATH", empty);
	before = snapshot(dir);

	run_env(plot, env, &r);
	check(!r.timed_out && r.status == 1, "sim plot without gnuplot: exit %d, expected 1",
	      r.status);
	snprintf(want, sizeof(want), "sim: error: gnuplot is not installed (or not on PATH); "
		 "install it with: sudo apt-get install gnuplot-nox. The data files in %s are "
		 "complete without it.\n", dir);
	check(!strcmp(text(&r.err), want), "sim plot without gnuplot: stderr\n%s\nexpected\n%s",
	      text(&r.err), want);
	check(r.out.n == 0, "sim plot without gnuplot: stdout\n%s", text(&r.out));
	result_free(&r);
	after = snapshot(dir);
	check(!strcmp(before, after), "sim plot without gnuplot changed %s", dir);

	run_env(report, env, &r);
	check(!r.timed_out && r.status == 1, "sim report without gnuplot: exit %d, expected 1",
	      r.status);
	check(strstr(text(&r.err), "apt-get install gnuplot-nox") != NULL,
	      "sim report without gnuplot: stderr does not say 'apt-get install gnuplot-nox':\n%s",
	      text(&r.err));
	check(r.out.n == 0, "sim report without gnuplot: stdout\n%s", text(&r.out));
	check(!exists(rep), "sim report without gnuplot created %s", rep);
	result_free(&r);
	/* gnuplot leaves nothing in the empty directory either */
	check_files(empty, NULL);

	env_free(env);
	free(before);
	free(after);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* 4. Nothing to chart, no directory, a bad format */

static void test_plot_errors(void **state)
{
	const char *d = *state;
	char empty[300], missing[300], dir[300], *before, *after;
	struct result r;

	snprintf(empty, sizeof(empty), "%s/no-results", d);
	snprintf(missing, sizeof(missing), "%s/missing", d);
	snprintf(dir, sizeof(dir), "%s/run", d);
	assert_int_equal(mkdir(empty, 0755), 0);

	sim(&r, "plot", empty, NULL);
	check(r.status == 2, "sim plot %s (empty): exit %d, expected 2", empty, r.status);
	check(!strncmp(text(&r.err), "sim: error: ", 12) && strstr(text(&r.err), empty) &&
	      strstr(text(&r.err), "no results"),
	      "sim plot %s (empty): stderr does not say it holds no results:\n%s", empty,
	      text(&r.err));
	result_free(&r);
	check_files(empty, NULL);

	sim(&r, "plot", missing, NULL);
	check(r.status == 2, "sim plot %s (missing): exit %d, expected 2", missing, r.status);
	check(!strncmp(text(&r.err), "sim: error: ", 12) && strstr(text(&r.err), missing),
	      "sim plot %s (missing): stderr does not name it:\n%s", missing, text(&r.err));
	check(!exists(missing), "sim plot %s (missing) created it", missing);
	result_free(&r);

	before = snapshot(dir);
	sim(&r, "plot", dir, "--format", "jpg", NULL);
	check(r.status == 2, "sim plot --format jpg: exit %d, expected 2", r.status);
	check(strstr(text(&r.err), "'jpg'") != NULL, "sim plot --format jpg: stderr:\n%s",
	      text(&r.err));
	result_free(&r);
	after = snapshot(dir);
	check(!strcmp(before, after), "sim plot --format jpg changed %s", dir);
	free(before);
	free(after);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* 5. sim compare */

/* The number in field K (from 0) of the tab-separated LINE; NaN when
 * there is none. */
static double field(const char *line, int k, char *word, size_t size)
{
	const char *p = line;
	size_t len;

	word[0] = '\0';
	for (; k > 0 && p; k--) {
		p = strchr(p, '\t');
		if (p)
			p++;
	}
	if (!p)
		return NAN;
	len = strcspn(p, "\t\n");
	snprintf(word, size, "%.*s", (int)(len < size ? len : size - 1), p);
	return strtod(word, NULL);
}

/* The column called NAME in the header line of compare.tsv ("# figure\t..."),
 * or -1. */
static int column(const char *header, const char *name)
{
	char word[128];
	int k;

	for (k = 0; k < 64; k++) {
		field(header, k, word, sizeof(word));
		if (!strcmp(word, name))
			return k;
		if (!strchr(header, '\t'))
			break;
	}
	return -1;
}

/* The line of compare.tsv TSV that starts with PREFIX then a tab (PREFIX
 * "# figure": the header), or NULL. */
static const char *tsv_line(const char *tsv, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *p = tsv; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, prefix, n) && p[n] == '\t')
			return p;
	return NULL;
}

static int paired(const char *figure)
{
	return !strcmp(figure, "p_deterred") || !strcmp(figure, "p_attack") ||
	       !strcmp(figure, "p_challenger_wins");
}

static void test_compare_self(void **state)
{
	const char *d = *state;
	char dir[300], path[400], word[128], fig[64];
	char *argv[] = { SIM, "compare", "configs/default.cfg", "configs/default.cfg", "-n", "3000",
			 "-q", "-o", dir, NULL };
	struct result r;
	char *tsv, *a, *b;
	const char *head, *p, *out;
	int cd, clo, chi, rows = 0, npaired = 0;
	size_t na, nb;

	snprintf(dir, sizeof(dir), "%s/self", d);
	run_expect(argv, &r, 0);
	snprintf(path, sizeof(path), "%s/compare.tsv", dir);
	tsv = slurp(path, NULL);
	assert_non_null(tsv);
	head = tsv_line(tsv, "figure");
	assert_non_null(head);
	cd = column(head, "diff_2");
	clo = column(head, "diff_lo_2");
	chi = column(head, "diff_hi_2");
	assert_true(cd > 0 && clo == cd + 1 && chi == cd + 2);
	for (p = tsv; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
		double v, lo, hi;

		if (*p == '#' || *p == '\n' || p == head)
			continue;
		rows++;
		field(p, 0, fig, sizeof(fig));
		v = field(p, cd, word, sizeof(word));
		check(v == 0 && strcmp(word, "NaN"), "%s: %s diff_2 is '%s', expected 0", path, fig,
		      word);
		if (paired(fig)) {
			npaired++;
			lo = field(p, clo, word, sizeof(word));
			hi = field(p, chi, word, sizeof(word));
			check(lo == 0 && hi == 0, "%s: %s paired interval [%g, %g], expected [0, 0]",
			      path, fig, lo, hi);
		}
	}
	check(rows == 8, "%s: %d figures, expected 8", path, rows);
	check(npaired == 3, "%s: %d paired figures, expected 3", path, npaired);

	/* the table: +0.0000 for every difference, [+0.0000, +0.0000] paired */
	out = strstr(text(&r.out), "\n[2] - [1]");
	assert_non_null(out);
	check(count_of(out, "+0.0000  [") == 8,
	      "the table does not show +0.0000 for each of 8 differences:\n%s", out);
	check(count_of(out, "[+0.0000, +0.0000]") == 3,
	      "the table does not show [+0.0000, +0.0000] for the 3 paired figures:\n%s", out);

	/* both scenarios wrote the same files, byte for byte */
	snprintf(path, sizeof(path), "%s/s01/survival.tsv", dir);
	a = slurp(path, &na);
	snprintf(path, sizeof(path), "%s/s02/survival.tsv", dir);
	b = slurp(path, &nb);
	assert_non_null(a);
	assert_non_null(b);
	check(strstr(a, "# config: configs/default.cfg\n") != NULL, "s01/survival.tsv: no '# config:' line");
	check(same_bytes("s01/survival.tsv vs s02/survival.tsv", a, na, b, nb), "survival.tsv differ");
	free(a);
	free(b);
	snprintf(path, sizeof(path), "%s/s01/outcomes.tsv", dir);
	a = slurp(path, &na);
	snprintf(path, sizeof(path), "%s/s02/outcomes.tsv", dir);
	b = slurp(path, &nb);
	assert_non_null(a);
	assert_non_null(b);
	check(same_bytes("s01/outcomes.tsv vs s02/outcomes.tsv", a, na, b, nb), "outcomes.tsv differ");
	free(a);
	free(b);
	free(tsv);
	result_free(&r);
	check_finish();
}

/* Compares STUDIES with CFG (Alpha's guarantee stronger) under estimator
 * EST and checks p_deterred's paired difference. */
static void compare_difference(const char *d, const char *cfg, const char *est)
{
	char dir[300], path[400], word[128], set[64], *text_;
	char *argv[] = { SIM, "compare", STUDIES, (char *)cfg, "-n", "3000", "-q", "-o", dir,
			 "--set", set, NULL };
	struct result r;
	const char *head, *row;
	double v1, v2, diff, lo, hi;

	snprintf(dir, sizeof(dir), "%s/diff-%s", d, est);
	snprintf(set, sizeof(set), "scenario.estimator=%s", est);
	run_expect(argv, &r, 0);
	result_free(&r);
	snprintf(path, sizeof(path), "%s/compare.tsv", dir);
	text_ = slurp(path, NULL);
	assert_non_null(text_);
	head = tsv_line(text_, "figure");
	row = tsv_line(text_, "p_deterred");
	assert_non_null(head);
	assert_non_null(row);
	v1 = field(row, column(head, "value_1"), word, sizeof(word));
	v2 = field(row, column(head, "value_2"), word, sizeof(word));
	diff = field(row, column(head, "diff_2"), word, sizeof(word));
	lo = field(row, column(head, "diff_lo_2"), word, sizeof(word));
	hi = field(row, column(head, "diff_hi_2"), word, sizeof(word));
	check(diff > 0, "%s: p_deterred: diff_2 = %g, expected > 0", est, diff);
	check(fabs(diff - (v2 - v1)) < 1e-9, "%s: p_deterred: diff_2 = %g, but value_2 - value_1 "
	      "= %g", est, diff, v2 - v1);
	if (strcmp(est, "indicator") == 0)
		check(lo > 0 && lo < diff && diff < hi, "%s: p_deterred: paired interval [%g, %g] "
		      "around %g does not exclude 0", est, lo, hi, diff);
	else	/* every state is fixed: the conditional figures are exact */
		check(lo == diff && diff == hi, "%s: p_deterred: paired interval [%g, %g] around "
		      "%g, expected none", est, lo, hi, diff);
	free(text_);
}

/* A stronger guarantee of Alpha deters more, and the paired interval
 * excludes zero under the indicator estimator; under the conditional one
 * the scenario has nothing random left, so the difference is exact. */
static void test_compare_difference(void **state)
{
	const char *d = *state;
	char cfg[300], *text_, *at;
	FILE *f;

	snprintf(cfg, sizeof(cfg), "%s/strong.cfg", d);
	text_ = slurp(STUDIES, NULL);
	assert_non_null(text_);
	/* guarantor 0 (Alpha) is the first 'strength' of the file */
	at = strstr(text_, "strength = 0.3;");
	assert_non_null(at);
	assert_true(strstr(text_, "strength") == at);
	at[strlen("strength = 0.")] = '9';
	f = fopen(cfg, "w");
	assert_non_null(f);
	fputs(text_, f);
	assert_int_equal(fclose(f), 0);
	free(text_);
	compare_difference(d, cfg, "indicator");
	compare_difference(d, cfg, "conditional");
	check_finish();
}

/* ---------------------------------------------------------------- */
/* 6. sim report */

static void test_report(void **state)
{
	static const char *const html_has[] = {
		DEFAULT_NAME, "United States", "United Kingdom", "France", "troop_cap", "p_deterred"
	};
	const char *d = *state;
	char dir[300], path[400], err[2048];
	char *argv[] = { SIM, "report", "-n", "3000", "-q", "-o", dir, NULL };
	struct result r;
	char *html, *md, *p, *end;
	size_t i;
	int k = 0, rc;

	snprintf(dir, sizeof(dir), "%s/rep", d);
	run_expect(argv, &r, 0);
	check(strstr(text(&r.out), "p_deterred") && strstr(text(&r.out), DEFAULT_NAME) &&
	      strstr(text(&r.out), "United States"), "sim report: no table on stdout:\n%s",
	      text(&r.out));
	result_free(&r);
	check_files(dir, "config.cfg", "outcomes.svg", "outcomes.tsv", "report.html", "report.md",
		    "summary.json", "survival.svg", "survival.tsv", NULL);

	snprintf(path, sizeof(path), "%s/report.html", dir);
	html = slurp(path, NULL);
	assert_non_null(html);
	check(count_of(html, "<svg") == 2, "report.html: %d '<svg', expected 2 (charts inline)",
	      count_of(html, "<svg"));
	check(!strstr(html, "<img") && !strstr(html, "src="),
	      "report.html refers to an external image (<img or src=)");
	/* links within the page only (the SVGs' own #ids) */
	for (p = html; (p = strstr(p, "href=")) != NULL; p += 5)
		check(p[6] == '#', "report.html: a link out of the page: %.60s", p);
	for (i = 0; i < sizeof(html_has) / sizeof(html_has[0]); i++)
		check(strstr(html, html_has[i]) != NULL, "report.html: no '%s'", html_has[i]);
	/* the guarantors in the results (how often each intervened) and in the
	 * assumptions (a column each, with their guarantees) */
	for (i = 1; i < 4; i++)
		check(count_of(html, html_has[i]) >= 2, "report.html: '%s' %d times, expected in "
		      "the results and in the assumptions", html_has[i], count_of(html, html_has[i]));
	check(strstr(html, "guarantee.strength") != NULL, "report.html: no guarantee.strength");
	/* each inline SVG is well-formed on its own */
	for (p = html; (p = strstr(p, "<svg")) != NULL; p = end) {
		FILE *f;

		end = strstr(p, "</svg>");
		if (!end) {
			check(0, "report.html: an <svg without </svg>");
			break;
		}
		end += strlen("</svg>");
		snprintf(path, sizeof(path), "%s/inline-%d.svg", d, ++k);
		f = fopen(path, "w");
		assert_non_null(f);
		fwrite(p, 1, (size_t)(end - p), f);
		assert_int_equal(fclose(f), 0);
		rc = tool(err, sizeof(err), "xmllint", "--noout", path, NULL);
		check(rc == 0, "report.html: inline SVG %d is not well-formed (xmllint exit %d):\n%s",
		      k, rc, err);
	}
	free(html);

	snprintf(path, sizeof(path), "%s/report.md", dir);
	md = slurp(path, NULL);
	assert_non_null(md);
	check(strstr(md, "![") != NULL && strstr(md, "](survival.svg)") != NULL &&
	      strstr(md, "](outcomes.svg)") != NULL,
	      "report.md: no image links ![...](survival.svg) and ![...](outcomes.svg)");
	check(!strncmp(md, "| figure |", 10) || strstr(md, "\n| figure |") != NULL,
	      "report.md: no table header line '| figure |'");
	free(md);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plot_png, check_setup),
		cmocka_unit_test_setup(test_plot_svg, check_setup),
		cmocka_unit_test_setup(test_plot_pdf, check_setup),
		cmocka_unit_test_setup(test_scripts_alone, check_setup),
		cmocka_unit_test_setup(test_plot_dumb, check_setup),
		cmocka_unit_test_setup(test_no_gnuplot, check_setup),
		cmocka_unit_test_setup(test_plot_errors, check_setup),
		cmocka_unit_test_setup(test_compare_self, check_setup),
		cmocka_unit_test_setup(test_compare_difference, check_setup),
		cmocka_unit_test_setup(test_report, check_setup),
	};

	return cmocka_run_group_tests(tests, group_setup, tmp_teardown);
}
