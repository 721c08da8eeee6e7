/* test_resume.c - --resume of sweeps, samples and sensitivity studies,
 * from partial files made by cutting an uninterrupted run's file (so the
 * tests need no signals and run fast):
 *
 *   test_resume_every_offset  a partial cut at every byte of its last rows
 *                             and the blank line between blocks resumes to
 *                             the uninterrupted bytes
 *   test_resume_content       the config is compared by content: another
 *                             spelling of its path or an edited comment
 *                             resumes, an edited value is refused, with
 *                             the hashes
 *   test_resume_options       each option that changes results, changed,
 *                             is refused with a message naming it
 *   test_resume_bad_rows      more rows than points, wrong fields, values
 *                             not the grid's, an empty or cut header
 *   test_resume_sample        sample resumes to the same bytes
 *   test_resume_sensitivity   sensitivity resumes (its runs and its indices)
 *                             to the same bytes, also from a full partial */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

#define CFG "tests/configs/studies.cfg"
#define VARY1 "challenger.war_cost=0.1,0.2"
#define VARY2 "target.troop_cap=300000,400000"
#define MAXARGS 40
#define SIM_CMD_SWEEP "sweep"

/* ---------------------------------------------------------------- */
/* Helpers */

struct args {
	char *v[MAXARGS];
	int n;
};

/* ./bin/sim, then the NULL-terminated arguments, then those of EXTRA (a
 * NULL-terminated array, may be NULL). */
static void args_make(struct args *a, char *const *extra, ...)
{
	va_list ap;
	char *s;

	a->n = 0;
	a->v[a->n++] = SIM;
	va_start(ap, extra);
	while ((s = va_arg(ap, char *)) != NULL)
		a->v[a->n++] = s;
	va_end(ap);
	for (; extra && *extra; extra++)
		a->v[a->n++] = *extra;
	assert_true(a->n < MAXARGS);
	a->v[a->n] = NULL;
}

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* Makes DIR holding NAME.partial with the N bytes DATA. */
static void make_partial(const char *dir, const char *name, const char *data, size_t n)
{
	char path[600];

	remove_tree(dir);
	assert_int_equal(mkdir(dir, 0777), 0);
	snprintf(path, sizeof(path), "%s/%s.partial", dir, name);
	write_file(path, data, n);
}

/* The file DIR/NAME (its size in *N); fails when absent. */
static char *read_in(const char *dir, const char *name, size_t *n)
{
	char path[600], *s;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s = slurp(path, n);
	if (!s)
		fail_msg("no %s", path);
	return s;
}

/* The offset of the start of the K-th line after the header of S (0: the
 * first row), blank lines counted. */
static size_t line_start(const char *s, int k)
{
	const char *p = s;

	while (*p == '#')
		p = strchr(p, '\n') + 1;
	p = strchr(p, '\n') + 1;	/* the column line */
	while (k-- > 0)
		p = strchr(p, '\n') + 1;
	return (size_t)(p - s);
}

/* Runs A expecting exit 2 and exactly the message EXPECT; the partial
 * file PARTIAL must be left as it was (its bytes DATA, N). */
static int refused(const struct args *a, const char *expect, const char *partial,
		   const char *data, size_t n)
{
	struct result r;
	size_t m;
	char *now;
	int ok = 1;

	run(a->v, &r);
	if (r.status != 2 || strcmp(text(&r.err), expect)) {
		printf("FAILED: %s\n  exit %d (expected 2)\n  stderr:   %s  expected: %s",
		       cmdline(a->v), r.status, text(&r.err), expect);
		ok = 0;
	}
	now = slurp(partial, &m);
	if (!now || !same_bytes("the partial file after a refused --resume", data, n, now, m)) {
		printf("FAILED: %s changed %s\n", cmdline(a->v), partial);
		ok = 0;
	}
	free(now);
	result_free(&r);
	return ok;
}

/* ---------------------------------------------------------------- */
/* 1. Every cut */

static void test_resume_every_offset(void **state)
{
	const char *tmp = *state;
	char ref[300], dir[300];
	char *const grid[] = { "--vary", VARY1, "--vary", VARY2, "-n", "20", "-j", "1", "-q",
			       NULL };
	struct args a;
	struct result r;
	char *full, *got;
	size_t nfull, ngot, from, to, k;
	int bad = 0, runs = 0;

	snprintf(ref, sizeof(ref), "%s/ref", tmp);
	snprintf(dir, sizeof(dir), "%s/cut", tmp);
	args_make(&a, grid, SIM_CMD_SWEEP, CFG, "-o", ref, NULL);
	run_expect(a.v, &r, 0);
	result_free(&r);
	full = read_in(ref, "sweep.tsv", &nfull);
	/* Rows 1 and 2, and the blank line that ends the first block: every
	 * cut from the first byte of row 1 to the first byte of row 3. */
	from = line_start(full, 0);
	to = line_start(full, 3);
	assert_true(full[line_start(full, 2)] == '\n');
	args_make(&a, grid, SIM_CMD_SWEEP, CFG, "--resume", dir, NULL);
	for (k = from; k <= to; k++) {
		make_partial(dir, "sweep.tsv", full, k);
		run(a.v, &r);
		runs++;
		got = r.status == 0 ? read_in(dir, "sweep.tsv", &ngot) : NULL;
		if (!got || ngot != nfull || memcmp(got, full, nfull)) {
			if (bad++ < 5) {
				printf("FAILED: cut at byte %zu (line %zu of the rows): exit %d\n%s",
				       k, k - from, r.status, text(&r.err));
				if (got)
					same_bytes("resumed vs uninterrupted", got, ngot, full, nfull);
			}
		}
		free(got);
		result_free(&r);
	}
	printf("[          ] %d cuts resumed, %d wrong\n", runs, bad);
	if (bad)
		fail_msg("%d of %d cuts did not resume to the uninterrupted bytes", bad, runs);
	free(full);
}

/* ---------------------------------------------------------------- */
/* 2. The config by content */

static void test_resume_content(void **state)
{
	const char *tmp = *state;
	char ref[300], dir[300], cfg[300], cfg2[320], partial[400], expect[1024];
	char *const grid[] = { "--vary", VARY1, "--vary", VARY2, "-n", "20", "-q", NULL };
	struct args a;
	struct result r;
	char *full, *orig, *edited, *got, *p;
	size_t nfull, norig, cut, ngot;

	snprintf(ref, sizeof(ref), "%s/ref", tmp);
	snprintf(dir, sizeof(dir), "%s/part", tmp);
	snprintf(cfg, sizeof(cfg), "%s/b.cfg", tmp);
	snprintf(cfg2, sizeof(cfg2), "%s/./b.cfg", tmp);
	snprintf(partial, sizeof(partial), "%s/sweep.tsv.partial", dir);
	orig = slurp(CFG, &norig);
	assert_non_null(orig);
	write_file(cfg, orig, norig);
	args_make(&a, grid, SIM_CMD_SWEEP, cfg, "-o", ref, NULL);
	run_expect(a.v, &r, 0);
	result_free(&r);
	full = read_in(ref, "sweep.tsv", &nfull);
	cut = line_start(full, 1);

	/* Another spelling of the same file resumes. */
	make_partial(dir, "sweep.tsv", full, cut);
	args_make(&a, grid, SIM_CMD_SWEEP, cfg2, "--resume", dir, NULL);
	run_expect(a.v, &r, 0);
	result_free(&r);
	got = read_in(dir, "sweep.tsv", &ngot);
	if (!same_bytes("resumed with ./b.cfg vs uninterrupted with b.cfg", got, ngot, full, nfull))
		fail_msg("resuming with the config spelt '%s' gave other bytes", cfg2);
	free(got);

	/* So does the file with a comment edited. */
	edited = malloc(norig + 64);
	snprintf(edited, norig + 64, "# an edited comment\n%s", orig);
	write_file(cfg, edited, strlen(edited));
	make_partial(dir, "sweep.tsv", full, cut);
	args_make(&a, grid, SIM_CMD_SWEEP, cfg, "--resume", dir, NULL);
	run_expect(a.v, &r, 0);
	result_free(&r);
	got = read_in(dir, "sweep.tsv", &ngot);
	if (!same_bytes("resumed after a comment was edited vs uninterrupted", got, ngot, full,
			nfull))
		fail_msg("resuming after editing a comment gave other bytes");
	free(got);

	/* A value edited: refused, with both hashes. */
	p = strstr(edited, "decisiveness = 1.5");
	assert_non_null(p);
	p[strlen("decisiveness = 1")] = '7';
	write_file(cfg, edited, strlen(edited));
	make_partial(dir, "sweep.tsv", full, cut);
	run(a.v, &r);
	snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': the config differs from "
		 "the one it was written with (hash ", partial);
	if (r.status != 2 || strncmp(text(&r.err), expect, strlen(expect)) ||
	    !strstr(text(&r.err), " now); give the same config as the first time, or start "
		    "again with -o\n"))
		fail_msg("%s after editing decisiveness: exit %d\n%s", cmdline(a.v), r.status,
			 text(&r.err));
	result_free(&r);
	free(edited);
	free(orig);
	free(full);
}

/* ---------------------------------------------------------------- */
/* 3. Options */

static void test_resume_options(void **state)
{
	static const struct {
		const char *a[8];
		const char *what;	/* the message after "cannot resume 'P': " */
	} cases[] = {
		{ { "-n", "30" }, "the trials differ (-n, --precision, --max-trials or "
		  "scenario.trials): '20 per point' then, '30 per point' now; give the same config "
		  "and options as the first time, or start again with -o" },
		{ { "-n", "20", "-s", "9" }, "the seed differs (-s or scenario.seed): '5' then, "
		  "'9' now; give the same config and options as the first time, or start again "
		  "with -o" },
		{ { "-n", "20", "--independent" }, "the streams differ (--independent): 'common "
		  "(trial i draws the same numbers at every point)' then, 'independent (each point "
		  "draws from streams of its own)' now; give the same config and options as the "
		  "first time, or start again with -o" },
		{ { "-n", "20", "--set", "challenger.temperature=0.2" }, "the --set options "
		  "differ: '' then, 'challenger.temperature=0.2' now; give the same options as "
		  "the first time, or start again with -o" },
		{ { "-n", "20", "--precision", "0.1" }, "the trials differ (-n, --precision, "
		  "--max-trials or scenario.trials): '20 per point' then, 'per point, until the "
		  "95% half-width of p_deterred is at most 0.1, at most 10000000 (column trials)' "
		  "now; give the same config and options as the first time, or start again with "
		  "-o" },
	};
	const char *tmp = *state;
	char ref[300], dir[300], partial[400], expect[1024];
	struct args a;
	struct result r;
	char *full;
	size_t nfull, cut;
	int bad = 0;

	snprintf(ref, sizeof(ref), "%s/ref", tmp);
	snprintf(dir, sizeof(dir), "%s/part", tmp);
	snprintf(partial, sizeof(partial), "%s/sweep.tsv.partial", dir);
	args_make(&a, NULL, SIM_CMD_SWEEP, CFG, "--vary", VARY1, "--vary", VARY2, "-n", "20",
		  "-q", "-o", ref, NULL);
	run_expect(a.v, &r, 0);
	result_free(&r);
	full = read_in(ref, "sweep.tsv", &nfull);
	cut = line_start(full, 1);
	make_partial(dir, "sweep.tsv", full, cut);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		args_make(&a, (char *const *)cases[i].a, SIM_CMD_SWEEP, CFG, "--vary", VARY1,
			  "--vary", VARY2, "-q", "--resume", dir, NULL);
		snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': %s\n", partial,
			 cases[i].what);
		bad += !refused(&a, expect, partial, full, cut);
	}
	/* Other grid values, and another grid. */
	args_make(&a, NULL, SIM_CMD_SWEEP, CFG, "--vary", "challenger.war_cost=0.1,0.3",
		  "--vary", VARY2, "-n", "20", "-q", "--resume", dir, NULL);
	snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': the --vary options "
		 "differ: 'challenger.war_cost = 0.1,0.2; target.troop_cap = 300000,400000' then, "
		 "'challenger.war_cost = 0.1,0.3; target.troop_cap = 300000,400000' now; give the "
		 "same config and options as the first time, or start again with -o\n", partial);
	bad += !refused(&a, expect, partial, full, cut);
	args_make(&a, NULL, SIM_CMD_SWEEP, CFG, "--vary", VARY1, "-n", "20", "-q", "--resume",
		  dir, NULL);
	snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': the --vary options "
		 "differ: 'challenger.war_cost = 0.1,0.2; target.troop_cap = 300000,400000' then, "
		 "'challenger.war_cost = 0.1,0.2' now; give the same config and options as the "
		 "first time, or start again with -o\n", partial);
	bad += !refused(&a, expect, partial, full, cut);
	/* The same grid written another way resumes. */
	args_make(&a, NULL, SIM_CMD_SWEEP, CFG, "--vary", "challenger.war_cost=0.1:0.2:2",
		  "--vary", "target.troop_cap=3e5,4e5", "-n", "20", "-q", "--resume", dir, NULL);
	run_expect(a.v, &r, 0);
	result_free(&r);
	if (bad)
		fail_msg("%d cases failed", bad);
	free(full);
}

/* ---------------------------------------------------------------- */
/* 4. Bad partial files */

static void test_resume_bad_rows(void **state)
{
	const char *tmp = *state;
	char ref[300], dir[300], partial[400], expect[1024];
	struct args a;
	struct result r;
	char *full, *bad_text;
	size_t nfull, r1, r2, r3, hl;
	int bad = 0, line2, line3;

	snprintf(ref, sizeof(ref), "%s/ref", tmp);
	snprintf(dir, sizeof(dir), "%s/part", tmp);
	snprintf(partial, sizeof(partial), "%s/sweep.tsv.partial", dir);
	args_make(&a, NULL, SIM_CMD_SWEEP, CFG, "--vary", VARY1, "--vary", VARY2, "-n", "20",
		  "-q", "-o", ref, NULL);
	run_expect(a.v, &r, 0);
	result_free(&r);
	full = read_in(ref, "sweep.tsv", &nfull);
	hl = line_start(full, 0);
	r1 = line_start(full, 1);
	r2 = line_start(full, 2);
	r3 = line_start(full, 3);
	args_make(&a, NULL, SIM_CMD_SWEEP, CFG, "--vary", VARY1, "--vary", VARY2, "-n", "20",
		  "-q", "--resume", dir, NULL);
	bad_text = malloc(nfull + 1000);
	/* The line numbers of rows 2 and 3. */
	line2 = 1;
	for (size_t k = 0; k < r1; k++)
		line2 += full[k] == '\n';
	line3 = line2 + 1;

	/* More rows than points: the whole file and its last row again. */
	memcpy(bad_text, full, nfull);
	memcpy(bad_text + nfull, full + line_start(full, 4), nfull - line_start(full, 4));
	make_partial(dir, "sweep.tsv", bad_text, nfull + nfull - line_start(full, 4));
	snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': it has more rows than "
		 "the study's 4 points; start again with -o\n", partial);
	bad += !refused(&a, expect, partial, bad_text, nfull + nfull - line_start(full, 4));

	/* A field dropped from row 2. */
	memcpy(bad_text, full, r2);
	bad_text[r2 - 1] = '\0';
	*strrchr(bad_text, '\t') = '\n';
	make_partial(dir, "sweep.tsv", bad_text, strlen(bad_text));
	snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': line %d has 26 fields, "
		 "expected 27; start again with -o\n", partial, line2);
	bad += !refused(&a, expect, partial, bad_text, strlen(bad_text));

	/* A figure that is not a number. */
	memcpy(bad_text, full, r2);
	bad_text[r2] = '\0';
	memcpy(strrchr(bad_text, '\t') + 1, "x", 1);
	make_partial(dir, "sweep.tsv", bad_text, strlen(bad_text));
	{
		/* The field is 'x' followed by the rest of the original digits. */
		char *f = strrchr(bad_text, '\t') + 1;

		snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': line %d: field 27 "
			 "('%.*s') is not a number; start again with -o\n", partial, line2,
			 (int)strcspn(f, "\n"), f);
	}
	bad += !refused(&a, expect, partial, bad_text, strlen(bad_text));

	/* Row 2 with the values of another point. */
	memcpy(bad_text, full, r2);
	memcpy(bad_text + r1, "0.3", 3);
	make_partial(dir, "sweep.tsv", bad_text, r2);
	snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': line %d has "
		 "challenger.war_cost = 0.3, but point 2 of this study has 0.1; start again with "
		 "-o\n", partial, line2);
	bad += !refused(&a, expect, partial, bad_text, r2);

	/* The blank line missing between the blocks, with a row after it. */
	memcpy(bad_text, full, r2);
	memcpy(bad_text + r2, full + r3, nfull - r3);
	make_partial(dir, "sweep.tsv", bad_text, r2 + nfull - r3);
	snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': line %d is a row where "
		 "a blank line should be (after point 2); start again with -o\n", partial, line3);
	bad += !refused(&a, expect, partial, bad_text, r2 + nfull - r3);

	/* Empty, and the header cut short (at several places). */
	make_partial(dir, "sweep.tsv", full, 0);
	snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': it is empty (the first "
		 "run was stopped before it wrote anything); start again with -o\n", partial);
	bad += !refused(&a, expect, partial, full, 0);
	snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': its header is cut short "
		 "(the first run was stopped before it wrote any row); start again with -o\n",
		 partial);
	for (size_t k = 1; k < hl; k += (k < 4 ? 1 : 97)) {
		make_partial(dir, "sweep.tsv", full, k);
		bad += !refused(&a, expect, partial, full, k);
	}
	make_partial(dir, "sweep.tsv", full, hl - 1);
	bad += !refused(&a, expect, partial, full, hl - 1);
	/* The whole header and no row: resumes from the first point. */
	make_partial(dir, "sweep.tsv", full, hl);
	run_expect(a.v, &r, 0);
	result_free(&r);
	if (bad)
		fail_msg("%d cases failed", bad);
	free(bad_text);
	free(full);
}

/* ---------------------------------------------------------------- */
/* 5. Sample and sensitivity */

/* Runs A (ending in -o REF) into REF, then for each cut of FILE at the
 * line starts LINES[] (and mid-line), resumes B (ending in --resume DIR):
 * FILES[] in DIR and stdout must equal the uninterrupted run's. */
static void resume_cuts(char *const *a_ref, char *const *a_res, const char *ref,
			const char *dir, const char *file, const char *const *files,
			const int *lines, int nlines)
{
	struct args a;
	struct result r;
	char *full, *out, *want, *got;
	size_t nfull, nw, ng;
	int bad = 0;

	args_make(&a, a_ref, NULL);
	run_expect(a.v, &r, 0);
	out = strdup(text(&r.out));
	result_free(&r);
	full = read_in(ref, file, &nfull);
	args_make(&a, a_res, NULL);
	for (int i = 0; i < 2 * nlines; i++) {
		size_t cut = line_start(full, lines[i / 2]) + (i % 2 ? 7 : 0);

		if (cut > nfull)
			cut = nfull;
		make_partial(dir, file, full, cut);
		run_expect(a.v, &r, 0);
		if (strcmp(text(&r.out), out)) {
			printf("FAILED: cut at byte %zu: stdout differs:\n%s\nexpected:\n%s\n", cut,
			       text(&r.out), out);
			bad++;
		}
		for (int k = 0; files[k]; k++) {
			want = read_in(ref, files[k], &nw);
			got = read_in(dir, files[k], &ng);
			if (!same_bytes(files[k], got, ng, want, nw)) {
				printf("FAILED: cut at byte %zu: %s differs\n", cut, files[k]);
				bad++;
			}
			free(want);
			free(got);
		}
		result_free(&r);
	}
	if (bad)
		fail_msg("%d resumed files or outputs differ", bad);
	free(out);
	free(full);
}

static void test_resume_sample(void **state)
{
	const char *tmp = *state;
	char ref[300], dir[300];
	static const int lines[] = { 0, 1, 5, 9, 10 };
	static const char *const files[] = { "sample.tsv", NULL };

	snprintf(ref, sizeof(ref), "%s/ref", tmp);
	snprintf(dir, sizeof(dir), "%s/part", tmp);
	{
		char *const a[] = { SIM, "sample", CFG, "--lhs", "10", "--range", "challenger.war_cost"
				    "=0.1:0.5", "--range", "guarantors.[1].interest=0:0.4", "-n",
				    "50", "-q", "-o", ref, NULL };
		char *const b[] = { SIM, "sample", CFG, "--lhs", "10", "--range", "challenger.war_cost"
				    "=0.1:0.5", "--range", "guarantors.[1].interest=0:0.4", "-n",
				    "50", "-q", "--resume", dir, NULL };

		resume_cuts(a + 1, b + 1, ref, dir, "sample.tsv", files, lines, 5);
	}
}

/* Sensitivity resumes its runs and gives the same indices: from a cut
 * runs file, and from a complete one (stopped while computing the
 * indices, before sensitivity.tsv was written). */
static void test_resume_sensitivity(void **state)
{
	const char *tmp = *state;
	char ref[300], dir[300];
	static const int lines[] = { 0, 3, 17, 31, 32 };
	static const char *const files[] = { "sensitivity.tsv", "sensitivity_runs.tsv", NULL };
	char *const a[] = { SIM, "sensitivity", CFG, "--range", "challenger.war_cost=0.1:0.5",
			    "--range", "guarantors.[0].guarantee.strength=0:1", "--base-samples", "4",
			    "--replicates", "2", "--figures", "p_deterred,p_attack", "-n", "50",
			    "-q", "-o", ref, NULL };
	char *const b[] = { SIM, "sensitivity", CFG, "--range", "challenger.war_cost=0.1:0.5",
			    "--range", "guarantors.[0].guarantee.strength=0:1", "--base-samples", "4",
			    "--replicates", "2", "--figures", "p_deterred,p_attack", "-n", "50",
			    "-q", "--resume", dir, NULL };
	char partial[400], expect[1024];
	struct args c;
	char *runs;
	size_t nruns;

	snprintf(ref, sizeof(ref), "%s/ref", tmp);
	snprintf(dir, sizeof(dir), "%s/part", tmp);
	resume_cuts(a + 1, b + 1, ref, dir, "sensitivity_runs.tsv", files, lines, 5);

	/* Another --replicates changes the design and the indices: refused. */
	runs = read_in(ref, "sensitivity_runs.tsv", &nruns);
	make_partial(dir, "sensitivity_runs.tsv", runs, line_start(runs, 5));
	snprintf(partial, sizeof(partial), "%s/sensitivity_runs.tsv.partial", dir);
	args_make(&c, NULL, "sensitivity", CFG, "--range", "challenger.war_cost=0.1:0.5",
		  "--range", "guarantors.[0].guarantee.strength=0:1", "--base-samples", "4",
		  "--replicates", "3", "--figures", "p_deterred,p_attack", "-n", "50", "-q",
		  "--resume", dir, NULL);
	snprintf(expect, sizeof(expect), "sim: error: cannot resume '%s': the design or the "
		 "indices differ (--base-samples, --replicates, --figures): 'Saltelli's design, 2 "
		 "replicates of 4 base samples x (2 + 2), each on Sobol' points Owen-scrambled with "
		 "the seed: rows of A, of B, then of A with column i from B for each input i, "
		 "replicate after replicate; indices of p_deterred,p_attack' then, 'Saltelli's "
		 "design, 3 replicates of 4 base samples x (2 + 2), each on Sobol' points "
		 "Owen-scrambled with the seed: rows of A, of B, then of A with column i from B for "
		 "each input i, replicate after replicate; indices of p_deterred,p_attack' now; give "
		 "the same config and options as the first time, or start again with -o\n", partial);
	if (!refused(&c, expect, partial, runs, line_start(runs, 5)))
		fail_msg("sensitivity --resume with another --replicates was not refused as it should");
	free(runs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resume_every_offset, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_resume_content, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_resume_options, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_resume_bad_rows, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_resume_sample, tmp_setup, tmp_teardown),
		cmocka_unit_test_setup_teardown(test_resume_sensitivity, tmp_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
