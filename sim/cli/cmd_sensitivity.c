/* cmd_sensitivity.c - "sim sensitivity": variance-based (Sobol') indices of
 * the summary figures with respect to config paths, from Saltelli's
 * design, with bootstrap intervals. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "core/atomic.h"
#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "engine/cluster.h"
#include "study/design.h"
#include "io/output.h"
#include "core/rng.h"
#include "engine/sigstop.h"
#include "study/sobol.h"
#include "study/study.h"
#include "cli/usage.h"

/* Saltelli's design takes 2k dimensions of a Sobol' sequence (40 at most). */
#define MAX_RANGES 20

static const char usage_text[] =
	"usage: sim sensitivity [CONFIG] --range PATH=LO:HI [--range PATH=LO:HI]...\n"
	"                       [--base-samples N] [--figures NAME,...] [--bootstrap B]\n"
	"                       [-o DIR] [-n TRIALS] [-s SEED] [-j THREADS]\n"
	"                       [--set PATH=VALUE]... [--precision EPS [--max-trials N]]\n"
	"                       [--resume DIR] [--progress] [-q]\n\n"
	"Estimates how much of the variance of p_deterred (and of other figures on\n"
	"request) each input explains when the inputs vary uniformly over their\n"
	"ranges: first-order indices S1 (Saltelli et al. 2010) and total indices ST\n"
	"(Jansen 1999), from Saltelli's design on a Sobol' sequence: N (k + 2) runs\n"
	"for k ranges, each with common random numbers. 95% intervals come from B\n"
	"bootstrap resamples of the N base rows.\n\n"
	"Writes sensitivity.tsv (figure, input, s1, s1_ci_lo, s1_ci_hi, st,\n"
	"st_ci_lo, st_ci_hi; each figure's inputs by ST, largest first, as a\n"
	"tornado chart wants them) and sensitivity_runs.tsv (every run) into DIR,\n"
	"and prints the indices. Without -o, only prints them. The runs stream to\n"
	"DIR/sensitivity_runs.tsv.partial; after SIGINT or SIGTERM (exit code 128\n"
	"+ the signal's number) the same command with --resume DIR instead of\n"
	"-o DIR finishes the study, with the same bytes as an uninterrupted run.\n\n"
	"  --range PATH=LO:HI   a numeric config path and its range (repeatable)\n"
	"  --base-samples N     base samples N (default 256)\n"
	"  --figures LIST       figures to analyse, comma-separated (default\n"
	"                       p_deterred; 'all' for every figure)\n"
	"  --bootstrap B        bootstrap resamples (default 1000)\n"
	"  --resume DIR         finish a study into DIR that was interrupted; give\n"
	"                       the same arguments as the first time\n"
	"The other options are those of 'sim sweep' (see 'sim sweep --help');\n"
	"--independent does not apply here.\n";

struct saltelli {
	const double *a, *b;	/* [n][k] */
	size_t n, k;
};

/* Point P: rows of A, then of B, then of A_B^(i) for i = 0 .. k-1 (A with
 * column i from B). */
static void saltelli_values(const void *ctx, uint64_t p, double *x)
{
	const struct saltelli *s = ctx;
	size_t row = (size_t)(p % s->n), block = (size_t)(p / s->n);

	if (block == 1) {
		memcpy(x, s->b + row * s->k, sizeof(double) * s->k);
		return;
	}
	memcpy(x, s->a + row * s->k, sizeof(double) * s->k);
	if (block >= 2)
		x[block - 2] = s->b[row * s->k + block - 2];
}

/* Parses the --figures list into WANT[N_FIGURES]: names separated by
 * commas, none empty. */
static int parse_figures(const char *list, int *want)
{
	char *copy = strdup(list), *tok = copy, *comma;
	int f, ok = 1, item = 1;

	memset(want, 0, sizeof(int) * N_FIGURES);
	for (; ok; tok = comma + 1, item++) {
		comma = strchr(tok, ',');
		if (comma)
			*comma = '\0';
		if (!*tok) {
			error("--figures '%s': item %d is empty", list, item);
			ok = 0;
		} else if (!strcmp(tok, "all")) {
			for (f = 0; f < N_FIGURES; f++)
				want[f] = 1;
		} else {
			for (f = 0; f < N_FIGURES && strcmp(summary_key(f), tok); f++)
				;
			if (f == N_FIGURES) {
				error("--figures: unknown figure '%s' (known: p_deterred, p_attack, "
				      "p_honored_given_attack, p_partial_given_attack, "
				      "p_abandoned_given_attack, p_challenger_wins, "
				      "p_challenger_wins_given_attack, mean_attack_year, all)", tok);
				ok = 0;
			} else {
				want[f] = 1;
			}
		}
		if (!comma)
			break;
	}
	free(copy);
	return ok ? 0 : -1;
}

/* Subtracts the mean of FA and FB from every output. */
static void center(double *fa, double *fb, double *fab, size_t n, size_t k)
{
	double m = 0;
	size_t i;

	for (i = 0; i < n; i++)
		m += fa[i] + fb[i];
	m /= (double)(2 * n);
	for (i = 0; i < n; i++) {
		fa[i] -= m;
		fb[i] -= m;
	}
	for (i = 0; i < n * k; i++)
		fab[i] -= m;
}

struct row {
	int fig;
	size_t input;
	struct sobol_index ix;
};

static int by_st(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;

	if (a->fig != b->fig)
		return a->fig - b->fig;
	if (a->ix.st != b->ix.st)
		return a->ix.st > b->ix.st ? -1 : 1;
	return a->input < b->input ? -1 : a->input > b->input;
}

struct sens_args {
	struct study_ranges ranges;
	unsigned long long n, nboot;
	int want[N_FIGURES];
	char figures[512];	/* the figures wanted, as the header says them */
};

/* Says that the indices were interrupted, with the advice to resume;
 * returns the exit code. */
static int interrupted(const struct study *st)
{
	if (!st->dir)
		error("interrupted while computing the indices");
	else
		error("interrupted while computing the indices; the runs are in %s/%s.partial; "
		      "to finish, run the same command with --resume %s instead of -o", st->dir,
		      st->file, st->dir);
	return sigstop_exit_code((int)*st->po.stop);
}

static int sens_option(void *ctx, int c, const char *arg)
{
	struct sens_args *sa = ctx;

	switch (c) {
	case 'A':
		return study_range_option(&sa->ranges, arg, "sensitivity");
	case 'B':
		if (parse_u64(arg, 2, 1000000, &sa->n) < 0)
			return usage_error("sensitivity", "--base-samples: expected a number from 2 "
					   "to 1000000, got '%s'", arg);
		return 0;
	case 'T':
		if (parse_u64(arg, 0, 100000, &sa->nboot) < 0)
			return usage_error("sensitivity", "--bootstrap: expected a number from 0 to "
					   "100000, got '%s'", arg);
		return 0;
	case 'F':
		return parse_figures(arg, sa->want) < 0 ? EXIT_USAGE : 0;
	}
	return usage_error("sensitivity", "unknown option");
}

int cmd_sensitivity(int argc, char **argv)
{
	static const struct option opts[] = {
		STUDY_OPTIONS,
		{ "range", required_argument, NULL, 'A' },
		{ "base-samples", required_argument, NULL, 'B' },
		{ "figures", required_argument, NULL, 'F' },
		{ "bootstrap", required_argument, NULL, 'T' },
		{ NULL, 0, NULL, 0 }
	};
	struct study st;
	struct study_args a;
	struct sens_args sa;
	char **paths, *head = NULL, *extra[MAX_RANGES + 2];
	size_t nr, j, nextra = 0, nrows = 0, i;
	unsigned long long n, nboot;
	struct saltelli sd = { NULL, NULL, 0, 0 };
	double *A = NULL, *B = NULL, *out = NULL, *fa = NULL, *fb = NULL, *fab = NULL;
	struct row *rows = NULL;
	int ret, f, k;
	struct cfg c0;
	struct scenario s0;
	gsl_rng *r = NULL;

	memset(&sa, 0, sizeof(sa));
	sa.ranges.max = MAX_RANGES;
	sa.n = 256;
	sa.nboot = 1000;
	sa.want[FIG_P_DETERRED] = 1;
	study_init(&st, &a, "sensitivity", "sensitivity_runs.tsv");
	ret = study_parse(&st, &a, argc, argv, opts, usage_text, sens_option, &sa);
	if (ret)
		goto out;
	if (st.po.independent) {
		ret = usage_error("sensitivity", "--independent does not apply to sensitivity "
				  "(Saltelli's estimators need common random numbers)");
		goto out;
	}
	for (f = 0; f < N_FIGURES; f++)
		if (sa.want[f])
			snprintf(sa.figures + strlen(sa.figures), sizeof(sa.figures) -
				 strlen(sa.figures), "%s%s", *sa.figures ? "," : "", summary_key(f));
	nr = sa.ranges.n;
	n = sa.n;
	nboot = sa.nboot;
	paths = sa.ranges.paths;
	if (!nr) {
		ret = usage_error("sensitivity", "no --range given");
		goto out;
	}
	if (study_check_ranges(&st, &sa.ranges, &c0, &s0) < 0) {
		ret = EXIT_USAGE;
		goto out;
	}

	A = malloc(sizeof(double) * n * nr);
	B = malloc(sizeof(double) * n * nr);
	if (!A || !B) {
		error("out of memory for Saltelli's design of %llu x %zu", n, nr);
		ret = EXIT_RUNTIME;
		goto out_s0;
	}
	if (design_saltelli((size_t)n, nr, A, B) < 0) {
		error("cannot make Saltelli's design of %llu x %zu", n, nr);
		ret = EXIT_RUNTIME;
		goto out_s0;
	}
	design_scale(A, (size_t)n, nr, sa.ranges.lo, sa.ranges.hi);
	design_scale(B, (size_t)n, nr, sa.ranges.lo, sa.ranges.hi);
	sd.a = A;
	sd.b = B;
	sd.n = (size_t)n;
	sd.k = nr;
	st.values = saltelli_values;
	st.ctx = &sd;
	st.total = n * (nr + 2);
	out = malloc(sizeof(double) * st.total * N_FIGURES);
	if (!out) {
		error("out of memory for the figures of %llu runs", (unsigned long long)st.total);
		ret = EXIT_RUNTIME;
		goto out_s0;
	}
	st.collect = out;

	study_range_lines(&sa.ranges, extra, &nextra);
	extra[nextra++] = study_line("sensitivity: Saltelli's design, %llu base samples x "
				     "(%zu + 2): rows of A, of B, then of A with column i "
				     "from B for each input i; indices of %s, %llu bootstrap "
				     "resamples", n, nr, sa.figures, nboot);
	head = study_header(&st, &c0, &s0, (const char *const *)extra, nextra);
	st.head = head;
	/* Without -o the runs are not written anywhere. With it, the runs'
	 * file is renamed into place once sensitivity.tsv is written, so that
	 * --resume can finish a study stopped while computing the indices. */
	st.discard = !st.dir;
	st.defer_commit = st.dir != NULL;
	ret = study_run(&st);
	if (ret != EXIT_OK || cluster_rank() != 0)
		goto out_s0;
	if (st.resumed_head) {
		free(head);
		head = st.resumed_head;
		st.resumed_head = NULL;
	}

	fa = malloc(sizeof(double) * n);
	fb = malloc(sizeof(double) * n);
	fab = malloc(sizeof(double) * n * nr);
	rows = calloc(N_FIGURES * nr, sizeof(*rows));
	r = gsl_rng_alloc(s0.rng);
	for (f = 0; f < N_FIGURES; f++) {
		struct sobol_index ix[MAX_RANGES];

		if (!sa.want[f])
			continue;
		for (i = 0; i < n; i++) {
			fa[i] = out[i * N_FIGURES + (size_t)f];
			fb[i] = out[(n + i) * N_FIGURES + (size_t)f];
			for (j = 0; j < nr; j++)
				fab[j * n + i] = out[((2 + j) * n + i) * N_FIGURES + (size_t)f];
		}
		rng_stream(r, s0.seed, (uint64_t)f, STREAM_BOOTSTRAP);
		for (i = 0; i < n * (nr + 2); i++)
			if (isnan(out[i * N_FIGURES + (size_t)f]))
				break;
		if (i < n * (nr + 2)) {
			warning("%s is undefined at some points (no attack); no indices for it",
				summary_key(f));
			continue;
		}
		/* Centring the outputs leaves every index's expectation as it is
		 * (E[f_AB - f_A] = 0) and cuts the variance of the first-order
		 * estimator when the figure's mean is far from 0. */
		center(fa, fb, fab, (size_t)n, nr);
		k = sobol_indices_stop((size_t)n, nr, fa, fb, fab, (size_t)nboot, r, ix, st.po.stop);
		if (k > 0) {
			ret = interrupted(&st);
			goto out_s0;
		}
		if (k < 0)
			warning("%s does not vary over the ranges; its indices are undefined",
				summary_key(f));
		for (j = 0; j < nr; j++) {
			rows[nrows].fig = f;
			rows[nrows].input = j;
			rows[nrows].ix = ix[j];
			nrows++;
		}
	}
	qsort(rows, nrows, sizeof(*rows), by_st);

	printf("%-30s %-40s %8s %19s %8s %19s\n", "figure", "input", "S1", "95% CI", "ST", "95% CI");
	for (i = 0; i < nrows; i++) {
		const struct sobol_index *x = &rows[i].ix;

		printf("%-30s %-40s %8.4f [%7.4f, %7.4f] %8.4f [%7.4f, %7.4f]\n",
		       summary_key(rows[i].fig), paths[rows[i].input], x->s1, x->s1_lo, x->s1_hi,
		       x->st, x->st_lo, x->st_hi);
	}
	if (cliopt_flush())
		ret = EXIT_RUNTIME;
	if (st.dir && ret == EXIT_OK) {
		struct afile af;

		if (atomic_open(&af, st.dir, "sensitivity.tsv") < 0) {
			ret = EXIT_RUNTIME;
			goto out_s0;
		}
		/* The provenance of the runs, without their column line. */
		for (i = strlen(head) - 1; i > 0 && head[i - 1] != '\n'; i--)
			;
		fwrite(head, 1, i, af.f);
		fprintf(af.f, "# bootstrap: %llu resamples of the base rows, 95%% percentile "
			"intervals\n", nboot);
		fprintf(af.f, "# figure\tinput\ts1\ts1_ci_lo\ts1_ci_hi\tst\tst_ci_lo\tst_ci_hi\n");
		for (i = 0; i < nrows; i++) {
			const struct sobol_index *x = &rows[i].ix;

			fprintf(af.f, "%s\t", summary_key(rows[i].fig));
			output_escape(af.f, paths[rows[i].input]);
			fprintf(af.f, "\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\n", x->s1, x->s1_lo,
				x->s1_hi, x->st, x->st_lo, x->st_hi);
		}
		if (atomic_commit(&af) < 0)
			ret = EXIT_RUNTIME;
		else
			ret = study_commit(&st);
	}
out_s0:
	scenario_release(&s0);
	cfg_release(&c0);
out:
	if (r)
		gsl_rng_free(r);
	while (nextra > 0)
		free(extra[--nextra]);
	free(head);
	free(st.resumed_head);
	free(A);
	free(B);
	free(out);
	free(fa);
	free(fb);
	free(fab);
	free(rows);
	study_ranges_release(&sa.ranges);
	return ret < 0 ? EXIT_OK : ret;
}
