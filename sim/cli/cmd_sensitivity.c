/* cmd_sensitivity.c - "sim sensitivity": variance-based (Sobol') indices of
 * the summary figures with respect to config paths, from independent
 * replicates of Saltelli's design on scrambled Sobol' points, with
 * Student's t intervals. */
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
#include "study/sobol.h"
#include "cli/studyopt.h"
#include "cli/usage.h"

/* Saltelli's design takes 2k dimensions of a Sobol' sequence (40 at most). */
#define MAX_RANGES 20

/* The most base rows in all, replicates times base samples. */
#define MAX_ROWS 1000000

static const char usage_text[] =
	"usage: sim sensitivity [CONFIG] --range PATH=LO:HI [--range PATH=LO:HI]...\n"
	"                       [--base-samples N] [--replicates R] [--figures NAME,...]\n"
	"                       [-o DIR] [-n TRIALS] [-s SEED] [-j THREADS]\n"
	"                       [--set PATH=VALUE]... [--estimator NAME]\n"
	"                       [--precision [FIG=]EPS [--max-trials N]]\n"
	"                       [--resume DIR] [--progress] [-q]\n\n"
	"Estimates how much of the variance of p_deterred (and of other figures on\n"
	"request) each input explains when the inputs vary uniformly over their\n"
	"ranges: first-order indices S1 (Saltelli et al. 2010) and total indices ST\n"
	"(Jansen 1999), from R replicates of Saltelli's design, each on the first N\n"
	"points of a Sobol' sequence scrambled anew (Owen 1995) with the seed:\n"
	"R N (k + 2) runs for k ranges, each with common random numbers. The\n"
	"estimates are the means of the R replicates' and the 95% intervals\n"
	"Student's t intervals from their spread (t with R - 1 degrees of freedom).\n\n"
	"Writes sensitivity.tsv (figure, input, s1, s1_ci_lo, s1_ci_hi, st,\n"
	"st_ci_lo, st_ci_hi; each figure's inputs by ST, largest first, as a\n"
	"tornado chart wants them) and sensitivity_runs.tsv (every run) into DIR,\n"
	"and prints the indices. Without -o, only prints them. The runs stream to\n"
	"DIR/sensitivity_runs.tsv.partial; after SIGINT or SIGTERM (exit code 128\n"
	"+ the signal's number) the same command with --resume DIR instead of\n"
	"-o DIR finishes the study, with the same bytes as an uninterrupted run.\n\n"
	"  --range PATH=LO:HI   a numeric config path and its range (repeatable); or\n"
	"                       PATH=normal:MEAN:SD, lognormal:MU:SIGMA,\n"
	"                       triangular:MIN:MODE:MAX, uniform:LO:HI: drawn from that\n"
	"                       distribution, truncated to its 0.1% and 99.9% quantiles\n"
	"  --base-samples N     base samples of each replicate (default 64; powers\n"
	"                       of 2 keep the Sobol' points a net)\n"
	"  --replicates R       independent scrambled replicates, 2 to 1000\n"
	"                       (default 10; R N at most 1000000)\n"
	"  --group NAME=PATHS   take the ranges PATHS (comma-separated) as one input:\n"
	"                       their columns come from B together, and the group\n"
	"                       gets one row of indices (repeatable)\n"
	"  --figures LIST       figures to analyse, comma-separated (default\n"
	"                       p_deterred; 'all' for every figure)\n"
	"  --resume DIR         finish a study into DIR that was interrupted; give\n"
	"                       the same arguments as the first time\n"
	"The other options are those of 'sim sweep' (see 'sim sweep --help');\n"
	"--independent does not apply here.\n";

struct saltelli {
	const double *a, *b;	/* [r][n][k] */
	size_t n, k, r;
	const size_t *group;	/* [k]: each range's group */
	size_t g;		/* groups (G = K without --group) */
};

/* Point P: replicate after replicate, N (G + 2) points each: rows of its
 * A, then of its B, then of its A_B^(g) for each group g = 0 .. G-1 (A
 * with the columns of g's ranges from B; a range in no group is a group
 * of its own). */
static void saltelli_values(const void *ctx, uint64_t p, double *x)
{
	const struct saltelli *s = ctx;
	uint64_t per = (uint64_t)s->n * (s->g + 2), q = p / per;
	size_t row = (size_t)(p % per % s->n), block = (size_t)(p % per / s->n), j;
	const double *a = s->a + q * s->n * s->k, *b = s->b + q * s->n * s->k;

	if (block == 1) {
		memcpy(x, b + row * s->k, sizeof(double) * s->k);
		return;
	}
	memcpy(x, a + row * s->k, sizeof(double) * s->k);
	for (j = 0; block >= 2 && j < s->k; j++)
		if (s->group[j] == block - 2)
			x[j] = b[row * s->k + j];
}

/* Parses the --figures LIST into WANT[L->nfigures]: keys of L's figures
 * separated by commas, none empty, or "all". */
static int parse_figures(const char *list, const struct model_layout *L, int *want)
{
	char *copy = strdup(list), *tok = copy, *comma;
	int f, ok = copy != NULL, item = 1;
	size_t i;

	for (; ok; tok = comma + 1, item++) {
		comma = strchr(tok, ',');
		if (comma)
			*comma = '\0';
		f = summary_find(L, tok);
		if (!*tok) {
			error("--figures '%s': item %d is empty", list, item);
			ok = 0;
		} else if (!strcmp(tok, "all")) {
			for (i = 0; i < L->nfigures; i++)
				want[i] = 1;
		} else if (f < 0) {
			char known[2048] = "";

			for (i = 0; i < L->nfigures; i++)
				snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s, ",
					 L->figures[i].key);
			error("--figures: unknown figure '%s' (known: %sall)", tok, known);
			ok = 0;
		} else {
			want[f] = 1;
		}
		if (!comma)
			break;
	}
	free(copy);
	return ok ? 0 : -1;
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
	const char *groups[STUDY_MAX_RANGES];	/* --group, as given */
	size_t ngroups;
	unsigned long long n, nrep;
	const char *figures_arg;	/* --figures, as given */
};

/* A sensitivity study: its design, the figures of every run, the indices. */
struct sens {
	struct study st;
	struct sens_args sa;
	struct saltelli sd;
	double *A, *B, *out;	/* out: [runs][nfig] */
	int *want;		/* [nfig] the figures analysed */
	char *figures;		/* their keys, comma-separated, for the header */
	struct row *rows;
	size_t nrows;
	char *head;
	size_t group[STUDY_MAX_RANGES];		/* each range's group */
	char *names[STUDY_MAX_RANGES];		/* each group's name */
	size_t k;				/* groups */
};

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
	case 'E':
		if (parse_u64(arg, 2, 1000, &sa->nrep) < 0)
			return usage_error("sensitivity", "--replicates: expected a number from 2 to "
					   "1000, got '%s'", arg);
		return 0;
	case 'T':
		return usage_error("sensitivity", "--bootstrap is gone: the intervals now come "
				   "from independent scrambled replicates (--replicates R)");
	case 'F':
		sa->figures_arg = arg;
		return 0;
	case 'g':
		if (sa->ngroups == STUDY_MAX_RANGES)
			return usage_error("sensitivity", "too many --group options (%d at most)",
					   STUDY_MAX_RANGES);
		sa->groups[sa->ngroups++] = arg;
		return 0;
	}
	return usage_error("sensitivity", "unknown option");
}

/* Resolves --figures against the layout L of point 0. */
static int choose_figures(struct sens *z, const struct model_layout *L)
{
	size_t f, len = 1;

	z->want = calloc(L->nfigures + 1, sizeof(*z->want));
	if (!z->want)
		return error("out of memory");
	if (parse_figures(z->sa.figures_arg, L, z->want) < 0)
		return -1;
	for (f = 0; f < L->nfigures; f++)
		len += strlen(L->figures[f].key) + 1;
	z->figures = calloc(len, 1);
	if (!z->figures)
		return error("out of memory");
	for (f = 0; f < L->nfigures; f++)
		if (z->want[f])
			sprintf(z->figures + strlen(z->figures), "%s%s", *z->figures ? "," : "",
				L->figures[f].key);
	return 0;
}

/* Makes the replicates of Saltelli's design of Z, scrambled with SEED,
 * and the room for the figures of their runs. Returns 0, or -1 after an
 * error. */
static int make_design(struct sens *z, size_t nfig, uint64_t seed)
{
	size_t n = (size_t)z->sa.n, nr = z->sa.ranges.n, r = (size_t)z->sa.nrep, q;

	z->A = malloc(sizeof(double) * r * n * nr);
	z->B = malloc(sizeof(double) * r * n * nr);
	if (!z->A || !z->B)
		return error("out of memory for Saltelli's design of %zu x %zu x %zu", r, n, nr);
	for (q = 0; q < r; q++) {
		double *a = z->A + q * n * nr, *b = z->B + q * n * nr;

		if (design_saltelli(n, nr, seed, q, a, b) < 0)
			return error("cannot make Saltelli's design of %zu x %zu", n, nr);
		study_ranges_scale(&z->sa.ranges, a, n);
		study_ranges_scale(&z->sa.ranges, b, n);
	}
	z->sd = (struct saltelli){ z->A, z->B, n, nr, r, z->group, z->k };
	z->st.values = saltelli_values;
	z->st.ctx = &z->sd;
	z->st.total = r * n * (z->k + 2);
	z->out = malloc(sizeof(double) * z->st.total * nfig);
	if (!z->out)
		return error("out of memory for the figures of %llu runs",
			     (unsigned long long)z->st.total);
	z->st.collect = z->out;
	return 0;
}

/* The indices of figure F of Z's runs into its rows. */
static void figure_indices(struct sens *z, size_t f, double *fa, double *fb, double *fab)
{
	size_t n = (size_t)z->sa.n, nr = z->k, r = (size_t)z->sa.nrep;
	size_t nf = z->st.nfig, i, j, q;
	struct sobol_index ix[MAX_RANGES];

	for (i = 0; i < z->st.total; i++)
		if (isnan(z->out[i * nf + f])) {
			warning("%s is undefined at some points (no attack); no indices for it",
				z->st.keys[f]);
			return;
		}
	/* Replicate q's runs start at q N (k + 2); see saltelli_values(). */
	for (q = 0; q < r; q++) {
		const double *o = z->out + q * n * (nr + 2) * nf;

		for (i = 0; i < n; i++) {
			fa[q * n + i] = o[i * nf + f];
			fb[q * n + i] = o[(n + i) * nf + f];
			for (j = 0; j < nr; j++)
				fab[(q * nr + j) * n + i] = o[((2 + j) * n + i) * nf + f];
		}
	}
	if (sobol_indices(n, nr, r, fa, fb, fab, ix) < 0)
		warning("%s does not vary over the ranges; its indices are undefined",
			z->st.keys[f]);
	for (j = 0; j < nr; j++) {
		z->rows[z->nrows].fig = (int)f;
		z->rows[z->nrows].input = j;
		z->rows[z->nrows].ix = ix[j];
		z->nrows++;
	}
}

/* The indices of every figure wanted, sorted for a tornado chart. Returns
 * EXIT_OK or the exit code. */
static int indices(struct sens *z)
{
	size_t rn = (size_t)z->sa.nrep * (size_t)z->sa.n, nr = z->k, f;
	double *fa = malloc(sizeof(double) * rn), *fb = malloc(sizeof(double) * rn);
	double *fab = malloc(sizeof(double) * rn * nr);
	int ret = EXIT_OK;

	z->rows = calloc(z->st.nfig * nr + 1, sizeof(*z->rows));
	if (!fa || !fb || !fab || !z->rows) {
		error("out of memory");
		ret = EXIT_RUNTIME;
	}
	for (f = 0; ret == EXIT_OK && f < z->st.nfig; f++)
		if (z->want[f])
			figure_indices(z, f, fa, fb, fab);
	if (ret == EXIT_OK)
		qsort(z->rows, z->nrows, sizeof(*z->rows), by_st);
	free(fa);
	free(fb);
	free(fab);
	return ret;
}

/* Prints the indices; with -o, writes sensitivity.tsv and puts the runs'
 * file in place. Returns the exit code. */
static int report(struct sens *z)
{
	char **paths = z->names;
	struct afile af;
	size_t i, w;

	/* A block per figure, the inputs' column as wide as the longest. */
	for (i = 0, w = 5; i < z->nrows; i++)
		if (strlen(paths[z->rows[i].input]) > w)
			w = strlen(paths[z->rows[i].input]);
	for (i = 0; i < z->nrows; i++) {
		const struct sobol_index *x = &z->rows[i].ix;

		if (i == 0 || z->rows[i].fig != z->rows[i - 1].fig)
			printf("%s%s\n  %-*s %8s %19s %8s %19s\n", i ? "\n" : "",
			       z->st.keys[z->rows[i].fig], (int)w, "input", "S1", "95% CI", "ST",
			       "95% CI");
		printf("  %-*s %8.4f [%7.4f, %7.4f] %8.4f [%7.4f, %7.4f]\n", (int)w,
		       paths[z->rows[i].input], x->s1, x->s1_lo, x->s1_hi, x->st, x->st_lo,
		       x->st_hi);
	}
	if (cliopt_flush())
		return EXIT_RUNTIME;
	if (!z->st.dir)
		return EXIT_OK;
	if (atomic_open(&af, z->st.dir, "sensitivity.tsv") < 0)
		return EXIT_RUNTIME;
	/* The provenance of the runs, without their column line. */
	for (i = strlen(z->head) - 1; i > 0 && z->head[i - 1] != '\n'; i--)
		;
	fwrite(z->head, 1, i, af.f);
	fprintf(af.f, "# intervals: Student's t from %llu independent replicates (their mean "
		"-/+ t(0.975, %llu) times its standard error)\n", z->sa.nrep, z->sa.nrep - 1);
	fprintf(af.f, "figure\tinput\ts1\ts1_ci_lo\ts1_ci_hi\tst\tst_ci_lo\tst_ci_hi\n");
	for (i = 0; i < z->nrows; i++) {
		const struct sobol_index *x = &z->rows[i].ix;

		fprintf(af.f, "%s\t", z->st.keys[z->rows[i].fig]);
		output_escape(af.f, paths[z->rows[i].input]);
		fprintf(af.f, "\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\n", x->s1, x->s1_lo,
			x->s1_hi, x->st, x->st_lo, x->st_hi);
	}
	if (atomic_commit(&af) < 0)
		return EXIT_RUNTIME;
	return study_commit(&z->st);
}

/* Checks the ranges and the figures, makes the design and writes the
 * header of Z; leaves point 0 in C0 and S0. Returns EXIT_OK or the exit
 * code (with C0 and S0 released). */
static int prepare_study(struct sens *z, struct cfg *c0, struct scenario *s0)
{
	char *extra[2 * MAX_RANGES + 2];
	size_t nextra = 0;
	int ret = EXIT_OK;

	if (!z->sa.ranges.n)
		return usage_error("sensitivity", "no --range given");
	if (z->sa.n * z->sa.nrep > MAX_ROWS)
		return usage_error("sensitivity", "--base-samples %llu times --replicates %llu is "
				   "%llu base rows; at most %d", z->sa.n, z->sa.nrep,
				   z->sa.n * z->sa.nrep, MAX_ROWS);
	if (study_check_ranges(&z->st, &z->sa.ranges, c0, s0) < 0)
		return EXIT_USAGE;
	if ((ret = study_groups(&z->sa.ranges, z->sa.groups, z->sa.ngroups, "sensitivity",
				z->group, z->names, &z->k)) != 0) {
		scenario_release(s0);
		cfg_release(c0);
		return ret;
	}
	if (cliopt_check_precision(&z->st.po.prec, s0->layout, "sensitivity"))
		ret = EXIT_USAGE;
	else if (choose_figures(z, s0->layout) < 0)
		ret = EXIT_USAGE;
	else if (make_design(z, s0->layout->nfigures, s0->seed) < 0)
		ret = EXIT_RUNTIME;
	if (ret != EXIT_OK) {
		scenario_release(s0);
		cfg_release(c0);
		return ret;
	}
	study_range_lines(&z->sa.ranges, extra, &nextra);
	{
		size_t g;

		for (g = 0; g < z->sa.ngroups; g++)
			extra[nextra++] = study_line("group: %s", z->sa.groups[g]);
	}
	extra[nextra++] = study_line("sensitivity: Saltelli's design, %llu replicates of %llu "
				     "base samples x (%zu + 2), each on Sobol' points Owen-"
				     "scrambled with the seed: rows of A, of B, then of A with "
				     "column i from B for each input i%s, replicate after "
				     "replicate; indices of %s", z->sa.nrep, z->sa.n, z->k,
				     z->sa.ngroups ? " (the columns of all its ranges for each "
				     "group)" : "", z->figures);
	z->head = study_header(&z->st, c0, s0, (const char *const *)extra, nextra);
	while (nextra > 0)
		free(extra[--nextra]);
	z->st.head = z->head;
	return EXIT_OK;
}

static void sens_release(struct sens *z)
{
	free(z->head);
	free(z->st.resumed_head);
	free(z->A);
	free(z->B);
	free(z->out);
	free(z->want);
	free(z->figures);
	free(z->rows);
	for (size_t g = 0; g < z->k; g++)
		free(z->names[g]);
	study_release(&z->st);
	study_ranges_release(&z->sa.ranges);
}

int cmd_sensitivity(int argc, char **argv)
{
	static const struct option opts[] = {
		STUDY_OPTIONS,
		{ "range", required_argument, NULL, 'A' },
		{ "base-samples", required_argument, NULL, 'B' },
		{ "figures", required_argument, NULL, 'F' },
		{ "replicates", required_argument, NULL, 'E' },
		{ "bootstrap", required_argument, NULL, 'T' },
		{ "group", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 }
	};
	struct sens z;
	struct study_args a;
	struct cfg c0;
	struct scenario s0;
	int ret;

	memset(&z, 0, sizeof(z));
	z.sa.ranges.max = MAX_RANGES;
	z.sa.n = 64;
	z.sa.nrep = 10;
	z.sa.figures_arg = "p_deterred";
	study_init(&z.st, &a, "sensitivity", "sensitivity_runs.tsv");
	ret = study_parse(&z.st, &a, argc, argv, opts, usage_text, sens_option, &z.sa);
	if (!ret && z.st.po.independent)
		ret = usage_error("sensitivity", "--independent does not apply to sensitivity "
				  "(Saltelli's estimators need common random numbers)");
	if (!ret)
		ret = prepare_study(&z, &c0, &s0);
	if (ret) {
		sens_release(&z);
		return ret < 0 ? EXIT_OK : ret;
	}
	/* Without -o the runs are not written anywhere. With it, the runs'
	 * file is renamed into place once sensitivity.tsv is written, so that
	 * --resume can finish a study stopped while computing the indices. */
	z.st.discard = !z.st.dir;
	z.st.defer_commit = z.st.dir != NULL;
	ret = study_run(&z.st);
	if (ret == EXIT_OK && cluster_rank() == 0) {
		if (z.st.resumed_head) {
			free(z.head);
			z.head = z.st.resumed_head;
			z.st.resumed_head = NULL;
		}
		ret = indices(&z);
		if (ret == EXIT_OK)
			ret = report(&z);
	}
	scenario_release(&s0);
	cfg_release(&c0);
	sens_release(&z);
	return ret;
}
