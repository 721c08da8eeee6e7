/* test_sweep.c - "sim sweep" and --precision, through ./bin/sim run as a
 * child process (fork/exec, no shell) from the top directory of the
 * repository, as 'make check' does.
 *
 *   test_grid             a 2-D grid: file layout, row order, blank lines,
 *                         columns, gnuplot reads it, stdout = the file
 *   test_common_numbers   p_deterred is monotone in the guarantee's strength
 *                         under common random numbers, and neighbour
 *                         differences are far less noisy than with
 *                         --independent
 *   test_point_equals_run every point of a sweep equals 'sim run --set'
 *   test_precision        --precision and --max-trials on run and sweep
 *   test_interrupt_resume SIGINT leaves a valid partial file; --resume
 *                         finishes it into the bytes of an uninterrupted run
 *   test_interrupt_mid_point  SIGINT or SIGTERM mid-point stops within 1 s
 *   test_bad_vary         malformed or invalid --vary: exit 2, no DIR
 *   test_vary_exact       bad --vary values and paths, each message exact
 *   test_extreme_grid     a grid whose HI - LO overflows */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <jansson.h>

#include "testutil.h"

/* The commitment model's 19-point Ukraine, where guarantee strength moves
 * p_deterred across most of its range (in the calibrated default it stays
 * above 0.85). */
#define CONFIG "configs/ukraine-19-point.cfg"
#define STRENGTH "guarantors.[0].guarantee.strength"

/* The summary figures, in the order of the sweep's columns. */
static const char *const figures[] = {
	"p_deterred", "p_attack", "p_honored_given_attack", "p_partial_given_attack",
	"p_abandoned_given_attack", "p_challenger_wins", "p_challenger_wins_given_attack",
	"mean_attack_year"
};
#define NFIG (sizeof(figures) / sizeof(figures[0]))

/* ---------------------------------------------------------------- */
/* Command lines */

/* An argument vector under construction: ./bin/sim and what follows. */
struct args {
	char *v[96];
	int n;
};

static void args_init(struct args *a, const char *cmd)
{
	a->n = 0;
	a->v[a->n++] = (char *)SIM;
	a->v[a->n++] = (char *)cmd;
	a->v[a->n] = NULL;
}

/* Appends the NULL-terminated arguments that follow. */
static void args_add(struct args *a, ...)
{
	va_list ap;
	char *s;

	va_start(ap, a);
	while ((s = va_arg(ap, char *)) != NULL) {
		assert_true(a->n < 94);
		a->v[a->n++] = s;
	}
	va_end(ap);
	a->v[a->n] = NULL;
}

/* ---------------------------------------------------------------- */
/* Reading a sweep's TSV */

/* Splits S at CH into a new array of new strings (empty fields kept). */
static int split(const char *s, char ch, char ***out)
{
	int n = 1, i = 0;
	const char *p;

	for (p = s; *p; p++)
		n += *p == ch;
	*out = calloc((size_t)n, sizeof(char *));
	assert_non_null(*out);
	for (;;) {
		const char *e = strchr(s, ch);

		if (!e) {
			(*out)[i++] = strdup(s);
			break;
		}
		(*out)[i++] = strndup(s, (size_t)(e - s));
		s = e + 1;
	}
	return n;
}

static void free_strings(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

struct row {
	int blank;		/* an empty line */
	char **f;		/* fields */
	int nf;
};

struct tsv {
	int nhead;		/* leading '#' lines */
	char **cols;		/* names in the column line after them */
	int ncols;
	struct row *rows;	/* every line after the header, blank ones too */
	int nrows;
	int ends_newline;
};

/* Parses TEXT (a whole sweep.tsv); fails on a '#' line after the data. */
static void tsv_parse(const char *what, const char *text_, struct tsv *t)
{
	char **lines;
	int n, i;

	memset(t, 0, sizeof(*t));
	n = split(text_, '\n', &lines);
	t->ends_newline = n > 0 && !lines[n - 1][0];
	if (t->ends_newline)
		n--;
	for (i = 0; i < n && lines[i][0] == '#'; i++)
		;
	t->nhead = i;
	if (!t->nhead)
		fail_msg("%s: no '#' header lines", what);
	if (i == n || !lines[i][0])
		fail_msg("%s: no column line after the '#' lines", what);
	t->ncols = split(lines[i++], '\t', &t->cols);
	t->rows = calloc((size_t)(n - i + 1), sizeof(struct row));
	assert_non_null(t->rows);
	for (; i < n; i++) {
		struct row *r = &t->rows[t->nrows++];

		if (lines[i][0] == '#')
			fail_msg("%s: a '#' line after the data: %s", what, lines[i]);
		r->blank = !lines[i][0];
		if (!r->blank)
			r->nf = split(lines[i], '\t', &r->f);
	}
	free_strings(lines, n + t->ends_newline);
}

static void tsv_free(struct tsv *t)
{
	free_strings(t->cols, t->ncols);
	for (int i = 0; i < t->nrows; i++)
		if (!t->rows[i].blank)
			free_strings(t->rows[i].f, t->rows[i].nf);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

static int col(const struct tsv *t, const char *name)
{
	for (int i = 0; i < t->ncols; i++)
		if (!strcmp(t->cols[i], name))
			return i;
	fail_msg("no column '%s' in the header", name);
	return -1;
}

/* The number in S, which must be all of S ("NaN" allowed). */
static double num(const char *s)
{
	char *end;
	double x;

	errno = 0;
	x = strtod(s, &end);
	if (end == s || *end || errno)
		fail_msg("'%s' is not a number", s);
	return x;
}

/* Data rows (not blank lines) of T into ROWS (at most MAX); returns how
 * many. */
static int data_rows(const struct tsv *t, const struct row **rows, int max)
{
	int n = 0;

	for (int i = 0; i < t->nrows; i++)
		if (!t->rows[i].blank) {
			assert_true(n < max);
			rows[n++] = &t->rows[i];
		}
	return n;
}

/* Checks the column names: the varied PATHS, trials, then every figure
 * with its interval; and that every data row has that many fields. */
static void check_columns(const char *what, const struct tsv *t, const char *const *paths,
			  int np)
{
	int k = 0;
	char name[128];

	if (t->ncols != np + 1 + 3 * (int)NFIG)
		fail_msg("%s: %d columns in the header, expected %d", what, t->ncols,
			 np + 1 + 3 * (int)NFIG);
	for (int j = 0; j < np; j++, k++)
		if (strcmp(t->cols[k], paths[j]))
			fail_msg("%s: column %d is '%s', expected '%s'", what, k + 1, t->cols[k],
				 paths[j]);
	if (strcmp(t->cols[k], "trials"))
		fail_msg("%s: column %d is '%s', expected 'trials'", what, k + 1, t->cols[k]);
	k++;
	for (size_t f = 0; f < NFIG; f++)
		for (int s = 0; s < 3; s++, k++) {
			snprintf(name, sizeof(name), "%s%s", figures[f],
				 s == 0 ? "" : s == 1 ? "_ci_lo" : "_ci_hi");
			if (strcmp(t->cols[k], name))
				fail_msg("%s: column %d is '%s', expected '%s'", what, k + 1,
					 t->cols[k], name);
		}
	for (int i = 0; i < t->nrows; i++)
		if (!t->rows[i].blank && t->rows[i].nf != t->ncols)
			fail_msg("%s: data line %d has %d fields, expected %d", what, i + 1,
				 t->rows[i].nf, t->ncols);
}

/* The half-width of p_deterred's interval in row R. */
static double half_width(const struct tsv *t, const struct row *r)
{
	return (num(r->f[col(t, "p_deterred_ci_hi")]) - num(r->f[col(t, "p_deterred_ci_lo")])) / 2;
}

/* The FILE (its size in *LEN) that A has finished: fails when its
 * PARTIAL file is left behind (after WHEN) or FILE is missing. */
static char *finished(const struct args *a, const char *file, const char *partial,
		      const char *when, size_t *len)
{
	char *content;

	if (exists(partial))
		fail_msg("%s is left behind after %s", partial, when);
	content = slurp(file, len);
	if (!content)
		fail_msg("%s: no %s", cmdline(a->v), file);
	return content;
}

/* ---------------------------------------------------------------- */
/* 1. The grid */

/* Finds PROG on $PATH into OUT; returns 0 when absent. */
static int on_path(const char *prog, char *out, size_t size)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save;
	int found = 0;

	if (!path)
		return 0;
	copy = strdup(path);
	for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
		snprintf(out, size, "%s/%s", *dir ? dir : ".", prog);
		found = access(out, X_OK) == 0;
	}
	free(copy);
	return found;
}

static void test_grid(void **state)
{
	static const char *const paths[] = { STRENGTH, "target.troop_cap" };
	static const char *const a_vals[] = { "0.1", "0.4", "0.7" };
	static const char *const b_vals[] = { "600000", "800000" };
	const char *tmp = *state;
	char dir[300], file[400], partial[400], gp[4096], script[600];
	struct args a;
	struct result r;
	struct tsv t;
	char *content;
	size_t len;
	int line = 0;

	snprintf(dir, sizeof(dir), "%s/grid", tmp);
	snprintf(file, sizeof(file), "%s/sweep.tsv", dir);
	snprintf(partial, sizeof(partial), "%s/sweep.tsv.partial", dir);
	args_init(&a, "sweep");
	args_add(&a, CONFIG, "--vary", STRENGTH "=0.1:0.7:3", "--vary",
		 "target.troop_cap=600000,800000", "-n", "2000", "-o", dir, "-q", NULL);
	run_expect(a.v, &r, 0);
	if (r.err.n)
		fail_msg("%s: -q, yet stderr says:\n%s", cmdline(a.v), text(&r.err));
	if (r.out.n)
		fail_msg("%s: with -o, yet stdout says:\n%s", cmdline(a.v), text(&r.out));
	result_free(&r);
	content = finished(&a, file, partial, "a finished sweep", &len);

	tsv_parse(file, content, &t);
	check_columns(file, &t, paths, 2);
	if (!t.ends_newline)
		fail_msg("%s does not end with a newline", file);
	/* Rows in order, the first --vary slowest; exactly one blank line
	 * between the blocks of the first, none at the end. */
	if (t.nrows != 3 * 2 + 2)
		fail_msg("%s: %d lines after the header, expected 8 (6 rows, 2 blank)", file,
			 t.nrows);
	for (int i = 0; i < 3; i++) {
		for (int j = 0; j < 2; j++, line++) {
			const struct row *rw = &t.rows[line];

			if (rw->blank)
				fail_msg("%s: data line %d is blank, expected the row %s=%s %s=%s",
					 file, line + 1, paths[0], a_vals[i], paths[1], b_vals[j]);
			if (strcmp(rw->f[0], a_vals[i]) || strcmp(rw->f[1], b_vals[j]) ||
			    num(rw->f[0]) != strtod(a_vals[i], NULL) ||
			    num(rw->f[1]) != strtod(b_vals[j], NULL))
				fail_msg("%s: data line %d holds the point (%s, %s), expected (%s, %s)",
					 file, line + 1, rw->f[0], rw->f[1], a_vals[i], b_vals[j]);
			if (strcmp(rw->f[2], "2000"))
				fail_msg("%s: data line %d: trials '%s', expected 2000", file,
					 line + 1, rw->f[2]);
			for (size_t f = 0; f < NFIG; f++) {
				double v = num(rw->f[3 + 3 * f]), lo = num(rw->f[4 + 3 * f]),
				       hi = num(rw->f[5 + 3 * f]);

				if (!isnan(v) && !isnan(lo) && !(lo <= v && v <= hi))
					fail_msg("%s: data line %d: %s = %s outside its interval "
						 "[%s, %s]", file, line + 1, figures[f],
						 rw->f[3 + 3 * f], rw->f[4 + 3 * f], rw->f[5 + 3 * f]);
			}
		}
		if (i < 2) {
			if (!t.rows[line].blank)
				fail_msg("%s: data line %d should be the blank line between the "
					 "blocks %s=%s and %s=%s", file, line + 1, paths[0],
					 a_vals[i], paths[0], a_vals[i + 1]);
			line++;
		}
	}
	tsv_free(&t);

	/* gnuplot reads it as a grid. */
	if (!on_path("gnuplot", gp, sizeof(gp))) {
		printf("[          ] note: gnuplot is not on PATH; the pm3d check is skipped\n");
	} else {
		char *gargv[] = { gp, (char *)"-e", script, NULL };

		snprintf(script, sizeof(script),
			 "set terminal dumb; set pm3d map; splot '%s' using 1:2:4 with pm3d", file);
		run(gargv, &r);
		if (r.timed_out || r.status != 0 || strcasestr(text(&r.err), "warning") ||
		    strcasestr(text(&r.err), "error"))
			fail_msg("gnuplot -e \"%s\": exit %d%s\nstderr:\n%s", script, r.status,
				 r.timed_out ? " (timed out)" : "", text(&r.err));
		result_free(&r);
	}

	/* Without -o: the same bytes on stdout. */
	args_init(&a, "sweep");
	args_add(&a, CONFIG, "--vary", STRENGTH "=0.1:0.7:3", "--vary",
		 "target.troop_cap=600000,800000", "-n", "2000", "-q", NULL);
	run_expect(a.v, &r, 0);
	if (!same_bytes("sweep.tsv vs the same sweep on stdout", content, len, r.out.p, r.out.n))
		fail_msg("%s: stdout differs from %s", cmdline(a.v), file);
	result_free(&r);
	free(content);
}

/* ---------------------------------------------------------------- */
/* 2. Common random numbers */

#define SEEDS 5
#define GRID 21

/* p_deterred along the strength grid for SEED into P. */
static void strength_curve(int seed, int independent, double *p)
{
	char s[16];
	struct args a;
	struct result r;
	struct tsv t;
	const struct row *rows[GRID + 1];
	int n, c;

	snprintf(s, sizeof(s), "%d", seed);
	args_init(&a, "sweep");
	args_add(&a, CONFIG, "--vary", STRENGTH "=0:1:21", "-n", "3000", "-s", s, "-q", NULL);
	if (independent)
		args_add(&a, "--independent", NULL);
	run_expect(a.v, &r, 0);
	tsv_parse(cmdline(a.v), text(&r.out), &t);
	check_columns(cmdline(a.v), &t, (const char *const[]){ STRENGTH }, 1);
	n = data_rows(&t, rows, GRID + 1);
	if (n != GRID || t.nrows != GRID)
		fail_msg("%s: %d rows and %d blank lines, expected %d rows and none", cmdline(a.v),
			 n, t.nrows - n, GRID);
	c = col(&t, "p_deterred");
	for (int i = 0; i < n; i++) {
		p[i] = num(rows[i]->f[c]);
		if (num(rows[i]->f[0]) != (i == GRID - 1 ? 1.0 : (double)i / (GRID - 1)))
			fail_msg("%s: row %d has strength %s, expected %g", cmdline(a.v), i + 1,
				 rows[i]->f[0], (double)i / (GRID - 1));
	}
	if (!strstr(text(&r.out), independent ? "# streams: independent" : "# streams: common"))
		fail_msg("%s: the header does not state the streams", cmdline(a.v));
	tsv_free(&t);
	result_free(&r);
}

/* The scatter of neighbour differences across seeds: the sum over pairs
 * (i, i+1) and seeds of (d - mean of d over the seeds)^2, where d is
 * p[i+1] - p[i]. The trend of the curve, common to every seed, drops out. */
static double neighbour_scatter(double p[SEEDS][GRID])
{
	double sum = 0;

	for (int i = 0; i + 1 < GRID; i++) {
		double m = 0;

		for (int s = 0; s < SEEDS; s++)
			m += p[s][i + 1] - p[s][i];
		m /= SEEDS;
		for (int s = 0; s < SEEDS; s++) {
			double d = p[s][i + 1] - p[s][i] - m;

			sum += d * d;
		}
	}
	return sum;
}

static void test_common_numbers(void **state)
{
	double crn[SEEDS][GRID], ind[SEEDS][GRID], sc, si, raw_c = 0, raw_i = 0;

	(void)state;
	for (int s = 0; s < SEEDS; s++) {
		strength_curve(s + 1, 0, crn[s]);
		strength_curve(s + 1, 1, ind[s]);
		for (int i = 0; i + 1 < GRID; i++) {
			if (!(crn[s][i + 1] >= crn[s][i]))
				fail_msg("seed %d, common random numbers: p_deterred falls from "
					 "%.10g at strength %g to %.10g at strength %g", s + 1,
					 crn[s][i], (double)i / (GRID - 1), crn[s][i + 1],
					 (double)(i + 1) / (GRID - 1));
			raw_c += (crn[s][i + 1] - crn[s][i]) * (crn[s][i + 1] - crn[s][i]);
			raw_i += (ind[s][i + 1] - ind[s][i]) * (ind[s][i + 1] - ind[s][i]);
		}
		if (!(crn[s][GRID - 1] - crn[s][0] > 0.3))
			fail_msg("seed %d: p_deterred rises only from %g to %g over the strength "
				 "grid; the test needs a scenario where strength matters", s + 1,
				 crn[s][0], crn[s][GRID - 1]);
	}
	sc = neighbour_scatter(crn);
	si = neighbour_scatter(ind);
	printf("[          ] neighbour differences of p_deterred, scatter across %d seeds: "
	       "common %.4g, independent %.4g (ratio %.1f); raw sums of squares %.4g, %.4g\n",
	       SEEDS, sc, si, si / sc, raw_c, raw_i);
	if (!(5 * sc <= si))
		fail_msg("common random numbers: scatter of neighbour differences %.4g, not 5x "
			 "below the %.4g of --independent", sc, si);
}

/* ---------------------------------------------------------------- */
/* 3. A point of a sweep is 'sim run' at that point */

static void test_point_equals_run(void **state)
{
	static const char *const keys[] = {
		"p_deterred", "p_attack", "p_honored_given_attack", "p_abandoned_given_attack",
		"p_challenger_wins", "p_challenger_wins_given_attack", "mean_attack_year"
	};
	static const char *const paths[] = { "challenger.war_cost", "guarantors.[1].interest" };
	const struct row *rows[8];
	struct args a;
	struct result r;
	struct tsv t;
	int n, nan_seen = 0;
	char *out;

	(void)state;
	/* war_cost 50 deters every attack: the conditional figures are
	 * undefined there (NaN in the TSV, null in the JSON). */
	args_init(&a, "sweep");
	args_add(&a, CONFIG, "--vary", "challenger.war_cost=0.3,50", "--vary",
		 "guarantors.[1].interest=0.1:0.4:3", "-n", "2000", "-s", "7", "-q", NULL);
	run_expect(a.v, &r, 0);
	out = strdup(text(&r.out));
	result_free(&r);
	tsv_parse("sweep", out, &t);
	check_columns("sweep", &t, paths, 2);
	n = data_rows(&t, rows, 8);
	assert_int_equal(n, 6);
	for (int i = 0; i < n; i++) {
		char set0[200], set1[200];
		json_t *j, *ci;
		json_error_t je;

		snprintf(set0, sizeof(set0), "%s=%s", paths[0], rows[i]->f[0]);
		snprintf(set1, sizeof(set1), "%s=%s", paths[1], rows[i]->f[1]);
		args_init(&a, "run");
		args_add(&a, CONFIG, "--set", set0, "--set", set1, "-n", "2000", "-s", "7",
			 "--json", "-q", NULL);
		run_expect(a.v, &r, 0);
		j = json_loads(text(&r.out), 0, &je);
		if (!j)
			fail_msg("%s: the JSON does not parse: %s\n%s", cmdline(a.v), je.text,
				 text(&r.out));
		if (json_integer_value(json_object_get(j, "trials")) != (json_int_t)num(rows[i]->f[2]))
			fail_msg("%s: trials %lld vs %s in the sweep", cmdline(a.v),
				 (long long)json_integer_value(json_object_get(j, "trials")),
				 rows[i]->f[2]);
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			json_t *v = json_object_get(j, keys[k]);
			double x = num(rows[i]->f[col(&t, keys[k])]);

			if (!v)
				fail_msg("%s: no '%s' in the JSON", cmdline(a.v), keys[k]);
			if (json_is_null(v)) {
				nan_seen++;
				if (!isnan(x))
					fail_msg("%s: %s is null, the sweep row has %s", cmdline(a.v),
						 keys[k], rows[i]->f[col(&t, keys[k])]);
			} else if (!json_is_number(v) || json_number_value(v) != x) {
				fail_msg("%s: %s = %.17g, the sweep row (%s, %s) has %s", cmdline(a.v),
					 keys[k], json_number_value(v), rows[i]->f[0], rows[i]->f[1],
					 rows[i]->f[col(&t, keys[k])]);
			}
		}
		ci = json_object_get(j, "p_deterred_ci");
		if (!json_is_array(ci) || json_array_size(ci) != 2 ||
		    json_number_value(json_array_get(ci, 0)) != num(rows[i]->f[col(&t, "p_deterred_ci_lo")]) ||
		    json_number_value(json_array_get(ci, 1)) != num(rows[i]->f[col(&t, "p_deterred_ci_hi")]))
			fail_msg("%s: p_deterred_ci differs from the sweep row's [%s, %s]:\n%s",
				 cmdline(a.v), rows[i]->f[col(&t, "p_deterred_ci_lo")],
				 rows[i]->f[col(&t, "p_deterred_ci_hi")], text(&r.out));
		json_decref(j);
		result_free(&r);
	}
	/* The undefined figures were exercised: 4 per point at war_cost 50. */
	if (nan_seen != 3 * 4)
		fail_msg("expected 12 null figures (3 points without attacks, 4 each), saw %d",
			 nan_seen);
	tsv_free(&t);
	free(out);
}

/* ---------------------------------------------------------------- */
/* 4. --precision */

/* Runs 'sim run CONFIG --json -q' with the arguments that follow; returns
 * its stdout (new) and parses it into *J. */
static char *run_json(json_t **j, ...)
{
	struct args a;
	struct result r;
	json_error_t je;
	va_list ap;
	char *s, *out;

	args_init(&a, "run");
	args_add(&a, CONFIG, "--json", "-q", NULL);
	va_start(ap, j);
	while ((s = va_arg(ap, char *)) != NULL)
		args_add(&a, s, NULL);
	va_end(ap);
	run_expect(a.v, &r, 0);
	*j = json_loads(text(&r.out), 0, &je);
	if (!*j)
		fail_msg("%s: the JSON does not parse: %s\n%s", cmdline(a.v), je.text, text(&r.out));
	out = strdup(text(&r.out));
	result_free(&r);
	return out;
}

static double json_half_width(const json_t *j)
{
	const json_t *ci = json_object_get(j, "p_deterred_ci");

	assert_true(json_is_array(ci) && json_array_size(ci) == 2);
	return (json_number_value(json_array_get(ci, 1)) -
		json_number_value(json_array_get(ci, 0))) / 2;
}

static void test_precision(void **state)
{
	/* The conditional estimator (the default) meets 0.01 and 0.004 in its
	 * first round; the indicator one needs more rounds for 0.004, and the
	 * conditional one for 0.0005. */
	static const char *const eps_s[] = { "0.01", "0.004", "0.004", "0.0005" };
	static const char *const est_s[] = {
		"scenario.estimator=conditional", "scenario.estimator=conditional",
		"scenario.estimator=indicator", "scenario.estimator=conditional"
	};
	struct args a;
	struct result r;
	struct tsv t;
	const struct row *rows[8];
	json_t *j, *j2, *j3;
	char *o1, *o2, *o3;
	long long trials, min_t = -1, max_t = -1;
	int n;

	(void)state;
	for (size_t e = 0; e < 4; e++) {
		double eps = strtod(eps_s[e], NULL);

		o1 = run_json(&j, "--precision", eps_s[e], "-j", "1", "--set", est_s[e], NULL);
		o2 = run_json(&j2, "--precision", eps_s[e], "-j", "2", "--set", est_s[e], NULL);
		o3 = run_json(&j3, "--precision", eps_s[e], "-j", "1", "--set", est_s[e], NULL);
		trials = json_integer_value(json_object_get(j, "trials"));
		printf("[          ] run --precision %s, %s: %lld trials, half-width %.6g\n",
		       eps_s[e], est_s[e], trials, json_half_width(j));
		if (e == 2 && trials <= 10240)
			fail_msg("run --precision 0.004, indicator: %lld trials, expected more "
				 "than the first round's 10240", trials);
		if (!(json_half_width(j) <= eps))
			fail_msg("run --precision %s: half-width %.10g", eps_s[e], json_half_width(j));
		if (!(trials > 0 && trials < 10000000))
			fail_msg("run --precision %s: %lld trials, expected fewer than the "
				 "default --max-trials 10000000", eps_s[e], trials);
		if (!same_bytes("--precision JSON, -j 1 vs -j 2", o1, strlen(o1), o2, strlen(o2)) ||
		    !same_bytes("--precision JSON, -j 1 vs -j 1 again", o1, strlen(o1), o3,
				strlen(o3)))
			fail_msg("run --precision %s: the JSON is not reproducible", eps_s[e]);
		json_decref(j);
		json_decref(j2);
		json_decref(j3);
		free(o1);
		free(o2);
		free(o3);
	}

	/* --max-trials caps a precision out of reach, exactly. */
	o1 = run_json(&j, "--precision", "0.0001", "--max-trials", "2048", NULL);
	if (json_integer_value(json_object_get(j, "trials")) != 2048)
		fail_msg("run --precision 0.0001 --max-trials 2048: %lld trials, expected 2048\n%s",
			 (long long)json_integer_value(json_object_get(j, "trials")), o1);
	json_decref(j);
	free(o1);

	/* A sweep: the trials differ between points, each meets EPS. */
	args_init(&a, "sweep");
	args_add(&a, CONFIG, "--vary", STRENGTH "=0:1:5", "--precision", "0.0005", "-q", NULL);
	run_expect(a.v, &r, 0);
	tsv_parse(cmdline(a.v), text(&r.out), &t);
	check_columns(cmdline(a.v), &t, (const char *const[]){ STRENGTH }, 1);
	n = data_rows(&t, rows, 8);
	assert_int_equal(n, 5);
	for (int i = 0; i < n; i++) {
		long long ti = (long long)num(rows[i]->f[1]);
		double hw = half_width(&t, rows[i]);

		printf("[          ] sweep --precision 0.0005: strength %s: %lld trials, "
		       "half-width %.6g\n", rows[i]->f[0], ti, hw);
		if (!(hw <= 0.0005))
			fail_msg("%s: row %d: half-width %.10g > 0.0005", cmdline(a.v), i + 1, hw);
		if (min_t < 0 || ti < min_t)
			min_t = ti;
		if (ti > max_t)
			max_t = ti;
	}
	if (min_t == max_t)
		fail_msg("%s: every point used %lld trials; expected them to vary with "
			 "p_deterred", cmdline(a.v), min_t);
	/* And a point of it is 'sim run --precision' at that point. */
	{
		char set[100];
		double x;

		snprintf(set, sizeof(set), STRENGTH "=%s", rows[2]->f[0]);
		o1 = run_json(&j, "--set", set, "--precision", "0.0005", NULL);
		x = json_number_value(json_object_get(j, "p_deterred"));
		if (json_integer_value(json_object_get(j, "trials")) != (json_int_t)num(rows[2]->f[1]) ||
		    x != num(rows[2]->f[col(&t, "p_deterred")]))
			fail_msg("run --set %s --precision 0.0005 gives\n%s\nthe sweep row has "
				 "trials %s, p_deterred %s", set, o1, rows[2]->f[1],
				 rows[2]->f[col(&t, "p_deterred")]);
		json_decref(j);
		free(o1);
	}
	tsv_free(&t);
	result_free(&r);
}

/* ---------------------------------------------------------------- */
/* 5. Interrupt and resume */

/* The sweep of this test: 40 points, tens of milliseconds each. */
static void resume_args(struct args *a, const char *trials)
{
	args_init(a, "sweep");
	args_add(a, CONFIG, "--vary", STRENGTH "=0:1:8", "--vary",
		 "target.troop_cap=500000:900000:5", "-n", trials, "-q", NULL);
}

static void test_interrupt_resume(void **state)
{
	const char *tmp = *state;
	char dir[300], dir2[300], file[400], partial[400], file2[400], errpath[400];
	struct args a;
	struct result r;
	pid_t pid;
	int st, rows = 0;
	double deadline;
	char *err, *part, *full, *part2, *resumed;
	size_t npart, nfull, npart2, nres;
	struct tsv t;

	snprintf(dir, sizeof(dir), "%s/int", tmp);
	snprintf(dir2, sizeof(dir2), "%s/whole", tmp);
	snprintf(file, sizeof(file), "%s/sweep.tsv", dir);
	snprintf(partial, sizeof(partial), "%s/sweep.tsv.partial", dir);
	snprintf(file2, sizeof(file2), "%s/sweep.tsv", dir2);
	snprintf(errpath, sizeof(errpath), "%s/stderr", tmp);

	/* Start it, wait for 3 rows, interrupt. */
	resume_args(&a, "10000");
	args_add(&a, "-o", dir, NULL);
	pid = start(a.v, errpath);
	deadline = now() + TIMEOUT_SECONDS;
	while ((rows = count_rows(partial)) < 3) {
		if (wait_child(pid, 0, &st))
			fail_msg("%s ended (status 0x%x) before writing 3 rows", cmdline(a.v), st);
		if (now() > deadline) {
			kill_child(pid);
			fail_msg("%s: no 3 rows in %s after %d s", cmdline(a.v), partial,
				 TIMEOUT_SECONDS);
		}
		sleep_ms(5);
	}
	assert_int_equal(kill(pid, SIGINT), 0);
	if (!wait_child(pid, TIMEOUT_SECONDS, &st)) {
		kill_child(pid);
		fail_msg("%s: still running %d s after SIGINT", cmdline(a.v), TIMEOUT_SECONDS);
	}
	err = slurp(errpath, NULL);
	assert_non_null(err);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 130)
		fail_msg("%s, SIGINT after %d rows: %s %d, expected exit 130\nstderr:\n%s",
			 cmdline(a.v), rows, WIFEXITED(st) ? "exit" : "killed by signal",
			 WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st), err);
	if (!strstr(err, "--resume"))
		fail_msg("%s, interrupted: stderr does not mention --resume:\n%s", cmdline(a.v), err);
	free(err);
	if (exists(file))
		fail_msg("%s exists after an interrupted sweep", file);
	part = slurp(partial, &npart);
	if (!part)
		fail_msg("%s: no %s after SIGINT", cmdline(a.v), partial);
	rows = count_rows(partial);
	printf("[          ] interrupted after %d of 40 points\n", rows);
	if (rows < 3 || rows >= 40)
		fail_msg("%s holds %d rows, expected 3 to 39", partial, rows);
	if (!npart || part[npart - 1] != '\n')
		fail_msg("%s does not end with a complete line", partial);
	tsv_parse(partial, part, &t);
	check_columns(partial, &t, (const char *const[]){ STRENGTH, "target.troop_cap" }, 2);
	tsv_free(&t);

	/* The uninterrupted sweep, for reference. */
	resume_args(&a, "10000");
	args_add(&a, "-o", dir2, NULL);
	run_expect(a.v, &r, 0);
	result_free(&r);
	full = slurp(file2, &nfull);
	assert_non_null(full);
	{
		char *sp = stable(part), *sf = stable(full);

		if (strlen(sp) > strlen(sf) || memcmp(sp, sf, strlen(sp)))
			fail_msg("%s is not a prefix of the uninterrupted %s (run lines left out)",
				 partial, file2);
		free(sp);
		free(sf);
	}

	/* --resume with another -n: a different sweep; the partial file stays. */
	resume_args(&a, "8000");
	args_add(&a, "--resume", dir, NULL);
	run_expect(a.v, &r, 2);
	{
		char expect[1024];

		snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': the trials differ "
			 "(-n, --precision, --max-trials or scenario.trials): '10000 per point' "
			 "then, '8000 per point' now; give the same config and options as the "
			 "first time, or start again with -o\n", partial);
		if (strcmp(text(&r.err), expect))
			fail_msg("%s: stderr is\n%s\nexpected\n%s", cmdline(a.v), text(&r.err),
				 expect);
	}
	result_free(&r);
	part2 = slurp(partial, &npart2);
	if (!part2 || !same_bytes("partial file before vs after a refused --resume", part, npart,
				  part2, npart2))
		fail_msg("a refused --resume changed %s", partial);
	if (exists(file))
		fail_msg("a refused --resume created %s", file);
	free(part2);

	/* --resume finishes it into the bytes of the uninterrupted run. */
	resume_args(&a, "10000");
	args_add(&a, "--resume", dir, NULL);
	run_expect(a.v, &r, 0);
	result_free(&r);
	resumed = finished(&a, file, partial, "--resume", &nres);
	if (!same_bytes("resumed vs uninterrupted sweep.tsv", resumed, nres, full, nfull))
		fail_msg("%s differs from the uninterrupted %s", file, file2);

	/* Nothing left to resume. */
	run_expect(a.v, &r, 2);
	if (!strstr(text(&r.err), "nothing to resume"))
		fail_msg("%s on a finished sweep: stderr does not say 'nothing to resume':\n%s",
			 cmdline(a.v), text(&r.err));
	result_free(&r);
	if (!exists(file))
		fail_msg("a refused --resume removed %s", file);
	free(resumed);
	free(full);
	free(part);
}

/* A point's run is stopped mid-point: point 1 is quick, point 2 would take
 * a minute; SIGINT while it runs ends the sweep within a second, exit 130,
 * with point 1's row kept. SIGTERM likewise, exit 143. */
static void test_interrupt_mid_point(void **state)
{
	const char *tmp = *state;
	static const int sigs[] = { SIGINT, SIGTERM };
	char dir[300], partial[400], errpath[400];
	struct args a;
	int st;

	snprintf(dir, sizeof(dir), "%s/mid", tmp);
	snprintf(partial, sizeof(partial), "%s/sweep.tsv.partial", dir);
	snprintf(errpath, sizeof(errpath), "%s/stderr", tmp);
	for (int k = 0; k < 2; k++) {
		double deadline, t0;
		pid_t pid;
		char *err, expect[600];

		remove_tree(dir);
		args_init(&a, "sweep");
		args_add(&a, "tests/configs/studies.cfg", "--vary", "scenario.horizon_years=0.25,400",
			 "--set", "challenger.war_cost=50", "-n", "2000000", "-j", "1", "-q", "-o",
			 dir, NULL);
		pid = start(a.v, errpath);
		deadline = now() + TIMEOUT_SECONDS;
		while (count_rows(partial) < 1) {
			if (wait_child(pid, 0, &st))
				fail_msg("%s ended (status 0x%x) before its first row", cmdline(a.v), st);
			if (now() > deadline) {
				kill_child(pid);
				fail_msg("%s: no row after %d s", cmdline(a.v), TIMEOUT_SECONDS);
			}
			sleep_ms(5);
		}
		sleep_ms(200);
		t0 = now();
		assert_int_equal(kill(pid, sigs[k]), 0);
		if (!wait_child(pid, 10, &st)) {
			kill_child(pid);
			fail_msg("%s: still running 10 s after signal %d", cmdline(a.v), sigs[k]);
		}
		printf("[          ] signal %d: stopped %.3f s after it, mid-point\n", sigs[k],
		       now() - t0);
		err = slurp(errpath, NULL);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 128 + sigs[k])
			fail_msg("%s: status 0x%x after signal %d, expected exit %d\n%s", cmdline(a.v),
				 st, sigs[k], 128 + sigs[k], err);
		if (now() - t0 > 1.0)
			fail_msg("%s: stopped %.2f s after signal %d, more than 1 s", cmdline(a.v),
				 now() - t0, sigs[k]);
		snprintf(expect, sizeof(expect), "sim: error: interrupted after 1 of 2 points; they "
			 "are in %s; to finish, run the same command with --resume %s instead of -o\n",
			 partial, dir);
		if (strcmp(err, expect))
			fail_msg("stderr after signal %d:\n%s\nexpected:\n%s", sigs[k], err, expect);
		if (count_rows(partial) != 1)
			fail_msg("%s holds %d rows after signal %d, expected 1", partial,
				 count_rows(partial), sigs[k]);
		free(err);
	}
}

/* ---------------------------------------------------------------- */
/* 6. Bad --vary */

static void test_bad_vary(void **state)
{
	static const struct {
		const char *vary;
		int located;	/* the message starts with "--vary:1: error:" */
	} cases[] = {
		{ "nonsense", 0 },
		{ "A=1:2", 0 },
		{ "A=x,y", 0 },
		{ "target.troop_capp=1:2:2", 1 },
		{ STRENGTH "=0:2:3", 1 },
	};
	const char *tmp = *state;
	char dir[300];
	struct args a;
	struct result r;

	snprintf(dir, sizeof(dir), "%s/out", tmp);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		args_init(&a, "sweep");
		args_add(&a, CONFIG, "--vary", cases[i].vary, "-n", "100", "-o", dir, "-q", NULL);
		run_expect(a.v, &r, 2);
		if (!r.err.n)
			fail_msg("%s: exit 2 without a message", cmdline(a.v));
		if (!strstr(text(&r.err), "--vary"))
			fail_msg("%s: the message does not name --vary:\n%s", cmdline(a.v),
				 text(&r.err));
		if (cases[i].located && strncmp(text(&r.err), "--vary:1: error:", 16))
			fail_msg("%s: the message does not start with '--vary:1: error:':\n%s",
				 cmdline(a.v), text(&r.err));
		if (r.out.n)
			fail_msg("%s: stdout should be empty:\n%s", cmdline(a.v), text(&r.out));
		if (exists(dir))
			fail_msg("%s: created %s", cmdline(a.v), dir);
		result_free(&r);
	}
}

/* Bad --vary values and paths, each with its exact message: empty
 * items, spaces, numbers beyond a double, the same setting twice (also
 * when named once by index and once by name), a setting inside another,
 * the trials and seed that -n and -s override, and a --set that every
 * point overrides. */
static void test_vary_exact(void **state)
{
	static const struct {
		const char *a[8];
		const char *err;
	} cases[] = {
		{ { "--vary", "challenger.war_cost=1,,2" },
		  "sim: error: --vary 'challenger.war_cost=1,,2': value 2 is empty\n" },
		{ { "--vary", "challenger.war_cost=1,2," },
		  "sim: error: --vary 'challenger.war_cost=1,2,': value 3 is empty\n" },
		{ { "--vary", "challenger.war_cost=,1" },
		  "sim: error: --vary 'challenger.war_cost=,1': value 1 is empty\n" },
		{ { "--vary", "challenger.war_cost=0.1, 0.2" },
		  "sim: error: --vary 'challenger.war_cost=0.1, 0.2': ' 0.2' is not a number\n" },
		{ { "--vary", "challenger.war_cost=0x1,2" },
		  "sim: error: --vary 'challenger.war_cost=0x1,2': '0x1' is not a number\n" },
		{ { "--vary", "challenger.war_cost=1e309:0:3" },
		  "sim: error: --vary 'challenger.war_cost=1e309:0:3': '1e309' is beyond the largest "
		  "number, about 1.8e308\n" },
		{ { "--vary", "challenger.war_cost=0:1:3:4" },
		  "sim: error: --vary 'challenger.war_cost=0:1:3:4': expected PATH=LO:HI:N with "
		  "numbers LO, HI and a count N from 1 to 1000000\n" },
		{ { "--vary", STRENGTH "=0,1", "--vary", STRENGTH "=0.2,0.3" },
		  "sim: error: --vary 2 (" STRENGTH ") names the same setting as --vary 1 ("
		  STRENGTH "); vary each setting once\n" },
		{ { "--vary", "guarantors.[United States].interest=0.1,0.2", "--vary",
		    "guarantors.[0].interest=0.3,0.4" },
		  "sim: error: --vary 2 (guarantors.[0].interest) names the same setting as --vary 1 "
		  "(guarantors.[United States].interest); vary each setting once\n" },
		{ { "--vary", "guarantors.[united states].guarantee.strength=0,1", "--vary",
		    "target.troop_cap=1e5,2e5", "--vary", "guarantors.[00].guarantee.strength=0.5" },
		  "sim: error: --vary 3 (guarantors.[00].guarantee.strength) names the same setting "
		  "as --vary 1 (guarantors.[united states].guarantee.strength); vary each setting "
		  "once\n" },
		{ { "--vary", "target.troop_cap=1e5,2e5", "--vary", "target=1,2" },
		  "sim: error: --vary 2 (target) contains --vary 1 (target.troop_cap); vary each "
		  "setting once\n" },
		{ { "--vary", "scenario.trials=100,200" },
		  "sim: error: --vary 1 (scenario.trials): the trials are not varied (-n would "
		  "override them); give -n N, or --precision EPS to let each point find its own\n" },
		{ { "--vary", "target.troop_cap=1e5,2e5", "--vary", "scenario.seed=1:3:3" },
		  "sim: error: --vary 2 (scenario.seed): the seed is not varied (-s would override "
		  "it); give -s SEED, or --independent for streams of each point's own\n" },
		{ { "--set", "guarantors.[United States].interest=0.5", "--vary",
		    "guarantors.[0].interest=0.1,0.2" },
		  "sim: error: --set 1 (guarantors.[United States].interest=0.5) is overridden by "
		  "--vary 1 (guarantors.[0].interest) at every point; drop one of them\n" },
	};
	const char *tmp = *state;
	char dir[300];
	struct args a;
	struct result r;
	int bad = 0;

	snprintf(dir, sizeof(dir), "%s/out", tmp);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		args_init(&a, "sweep");
		args_add(&a, CONFIG, "-n", "100", "-o", dir, "-q", NULL);
		for (int k = 0; cases[i].a[k]; k++)
			args_add(&a, cases[i].a[k], NULL);
		run(a.v, &r);
		if (r.status != 2 || strcmp(text(&r.err), cases[i].err) || r.out.n || exists(dir)) {
			printf("FAILED: %s\n  exit %d (expected 2)%s\n  stderr:   %s  expected: %s",
			       cmdline(a.v), r.status, exists(dir) ? ", created DIR" : "",
			       text(&r.err), cases[i].err);
			bad++;
		}
		remove_tree(dir);
		result_free(&r);
	}
	if (bad)
		fail_msg("%d of %zu cases failed", bad, sizeof(cases) / sizeof(cases[0]));
}

/* Grid points from LO to HI of opposite signs near the largest double:
 * HI - LO overflows, the points must not. */
static void test_extreme_grid(void **state)
{
	struct args a;
	struct result r;
	struct tsv t;
	const struct row *rows[4];

	(void)state;
	args_init(&a, "sweep");
	args_add(&a, CONFIG, "--vary", "guarantors.[0].interest=1e308:-1e308:3", "-n", "200",
		 "-q", NULL);
	run_expect(a.v, &r, 0);
	tsv_parse(cmdline(a.v), text(&r.out), &t);
	assert_int_equal(data_rows(&t, rows, 4), 3);
	assert_string_equal(rows[0]->f[0], "1e+308");
	assert_string_equal(rows[1]->f[0], "0");
	assert_string_equal(rows[2]->f[0], "-1e+308");
	if (!strstr(text(&r.out), "# vary: guarantors.[0].interest = 1e+308,0,-1e+308\n"))
		fail_msg("%s: no vary line with the three values:\n%s", cmdline(a.v), text(&r.out));
	tsv_free(&t);
	result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_grid, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_common_numbers, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_point_equals_run, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_precision, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_resume, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_interrupt_mid_point, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_bad_vary, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_vary_exact, tmp_setup, tmp_teardown),
		cmocka_unit_test(test_extreme_grid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
