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

#include "atomic.h"
#include "builtin.h"
#include "design.h"
#include "output.h"
#include "rng.h"
#include "sobol.h"
#include "study.h"
#include "usage.h"

#define MAX_RANGES 20

/* The bootstrap's generator: apart from every trial's streams. */
#define BOOT_STREAM 0xb0075ULL

static const char usage_text[] =
	"usage: sim sensitivity [CONFIG] --range PATH=LO:HI [--range PATH=LO:HI]...\n"
	"                       [--base-samples N] [--figures NAME,...] [--bootstrap B]\n"
	"                       [-o DIR] [-n TRIALS] [-s SEED] [-j THREADS]\n"
	"                       [--set PATH=VALUE]... [--precision EPS] [--progress] [-q]\n\n"
	"Estimates how much of the variance of p_deterred (and of other figures on\n"
	"request) each input explains when the inputs vary uniformly over their\n"
	"ranges: first-order indices S1 (Saltelli et al. 2010) and total indices ST\n"
	"(Jansen 1999), from Saltelli's design on a Sobol' sequence: N (k + 2) runs\n"
	"for k ranges, each with common random numbers. 95% intervals come from B\n"
	"bootstrap resamples of the N base rows.\n\n"
	"Writes sensitivity.tsv (figure, input, s1, s1_ci_lo, s1_ci_hi, st,\n"
	"st_ci_lo, st_ci_hi; each figure's inputs by ST, largest first, as a\n"
	"tornado chart wants them) and sensitivity_runs.tsv (every run) into DIR,\n"
	"and prints the indices. Without -o, only prints them.\n\n"
	"  --range PATH=LO:HI   a numeric config path and its range (repeatable)\n"
	"  --base-samples N     base samples N (default 256)\n"
	"  --figures LIST       figures to analyse, comma-separated (default\n"
	"                       p_deterred; 'all' for every figure)\n"
	"  --bootstrap B        bootstrap resamples (default 1000)\n"
	"The other options are those of 'sim sweep' (see 'sim sweep --help');\n"
	"--resume and --independent do not apply here.\n";

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

static void ends_values(const void *ctx, uint64_t p, double *x)
{
	const struct vary *r = ctx;	/* ends with a zeroed entry */
	size_t j;

	for (j = 0; r[j].path; j++)
		x[j] = r[j].v[0];
	x[p / 2] = r[p / 2].v[p % 2];
}

/* Parses the --figures list into WANT[N_FIGURES]. */
static int parse_figures(const char *list, int *want)
{
	char *copy = strdup(list), *tok, *save;
	int f, ok = 1;

	memset(want, 0, sizeof(int) * N_FIGURES);
	for (tok = strtok_r(copy, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "all")) {
			for (f = 0; f < N_FIGURES; f++)
				want[f] = 1;
			continue;
		}
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
	struct study st, chk;
	struct study_args a;
	struct vary range[MAX_RANGES + 1];
	char *paths[MAX_RANGES], *head = NULL, *extra[MAX_RANGES + 2];
	size_t nr = 0, j, nextra = 0, nrows = 0, i;
	unsigned long long n = 256, nboot = 1000;
	struct saltelli sd = { NULL, NULL, 0, 0 };
	double *A = NULL, *B = NULL, *out = NULL, *fa = NULL, *fb = NULL, *fab = NULL;
	double lo[MAX_RANGES], hi[MAX_RANGES];
	struct row *rows = NULL;
	int want[N_FIGURES] = { 1 }, c, rc, ret = EXIT_OK, f;
	struct cfg c0;
	struct scenario s0;
	gsl_rng *r = NULL;

	memset(range, 0, sizeof(range));
	study_init(&st, &a, "sensitivity", "sensitivity_runs.tsv");
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, STUDY_SHORT, opts, NULL)) != -1) {
		rc = study_option(&st, &a, c, optarg, "sensitivity");
		if (rc == 0) {
			if (c == 'R' || c == 'I') {
				ret = usage_error("sensitivity", "%s does not apply to sensitivity",
						  c == 'R' ? "--resume" : "--independent");
				goto out;
			}
			continue;
		}
		if (rc != 1) {
			ret = rc;
			goto out;
		}
		switch (c) {
		case 'A':
			if (nr == MAX_RANGES) {
				ret = usage_error("sensitivity", "too many --range options (%d at "
						  "most)", MAX_RANGES);
				goto out;
			}
			if (range_parse(optarg, "--range", &range[nr]) < 0) {
				ret = EXIT_USAGE;
				goto out;
			}
			paths[nr] = range[nr].path;
			nr++;
			break;
		case 'B':
			if (parse_u64(optarg, 2, 1000000, &n) < 0) {
				ret = usage_error("sensitivity", "--base-samples: expected a number "
						  "from 2 to 1000000, got '%s'", optarg);
				goto out;
			}
			break;
		case 'T':
			if (parse_u64(optarg, 0, 100000, &nboot) < 0) {
				ret = usage_error("sensitivity", "--bootstrap: expected a number from "
						  "0 to 100000, got '%s'", optarg);
				goto out;
			}
			break;
		case 'F':
			if (parse_figures(optarg, want) < 0) {
				ret = EXIT_USAGE;
				goto out;
			}
			break;
		case 'h':
			fputs(usage_text, stdout);
			goto out;
		case ':':
			ret = usage_error("sensitivity", "option '%s' needs a value", argv[optind - 1]);
			goto out;
		default:
			ret = usage_error("sensitivity", "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc)
		st.po.config = argv[optind++];
	if (optind < argc) {
		ret = usage_error("sensitivity", "more than one CONFIG given ('%s')", argv[optind]);
		goto out;
	}
	if (!nr) {
		ret = usage_error("sensitivity", "no --range given");
		goto out;
	}
	if (!st.po.threads)
		st.po.threads = omp_get_max_threads();
	st.nvar = nr;
	st.paths = paths;
	chk = st;
	chk.values = ends_values;
	chk.ctx = range;
	if (study_check(&chk, 2 * nr, &c0, &s0) < 0) {
		cfg_release(&c0);
		ret = EXIT_USAGE;
		goto out;
	}

	A = malloc(sizeof(double) * n * nr);
	B = malloc(sizeof(double) * n * nr);
	if (!A || !B || design_saltelli((size_t)n, nr, A, B) < 0) {
		error("cannot make Saltelli's design of %llu x %zu", n, nr);
		ret = EXIT_RUNTIME;
		goto out_s0;
	}
	for (j = 0; j < nr; j++) {
		lo[j] = range[j].v[0];
		hi[j] = range[j].v[1];
	}
	design_scale(A, (size_t)n, nr, lo, hi);
	design_scale(B, (size_t)n, nr, lo, hi);
	sd.a = A;
	sd.b = B;
	sd.n = (size_t)n;
	sd.k = nr;
	st.values = saltelli_values;
	st.ctx = &sd;
	st.total = n * (nr + 2);
	out = malloc(sizeof(double) * st.total * N_FIGURES);
	st.collect = out;

	for (j = 0; j < nr; j++) {
		char a1[40], a2[40];
		size_t len = 0;
		FILE *fm = open_memstream(&extra[nextra], &len);

		fprintf(fm, "range: %s = %s:%s", paths[j], points_format_value(a1, lo[j]),
			points_format_value(a2, hi[j]));
		fclose(fm);
		nextra++;
	}
	{
		size_t len = 0;
		FILE *fm = open_memstream(&extra[nextra], &len);

		fprintf(fm, "sensitivity: Saltelli's design, %llu base samples x (%zu + 2): rows "
			"of A, of B, then of A with column i from B for each input i", n, nr);
		fclose(fm);
		nextra++;
	}
	head = study_header(&st, &c0, &s0, (const char *const *)extra, nextra);
	st.head = head;
	/* Without -o the runs are not written anywhere. */
	st.discard = !st.dir;
	ret = study_run(&st);
	if (ret != EXIT_OK)
		goto out_s0;

	fa = malloc(sizeof(double) * n);
	fb = malloc(sizeof(double) * n);
	fab = malloc(sizeof(double) * n * nr);
	rows = calloc(N_FIGURES * nr, sizeof(*rows));
	r = gsl_rng_alloc(s0.rng);
	for (f = 0; f < N_FIGURES; f++) {
		struct sobol_index ix[MAX_RANGES];

		if (!want[f])
			continue;
		for (i = 0; i < n; i++) {
			fa[i] = out[i * N_FIGURES + (size_t)f];
			fb[i] = out[(n + i) * N_FIGURES + (size_t)f];
			for (j = 0; j < nr; j++)
				fab[j * n + i] = out[((2 + j) * n + i) * N_FIGURES + (size_t)f];
		}
		rng_stream(r, s0.seed, (uint64_t)f, BOOT_STREAM);
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
		if (sobol_indices((size_t)n, nr, fa, fb, fab, (size_t)nboot, r, ix) < 0)
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
	if (fflush(stdout) != 0 || ferror(stdout)) {
		error("cannot write to stdout");
		ret = EXIT_RUNTIME;
	}
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

			fprintf(af.f, "%s\t%s\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\n",
				summary_key(rows[i].fig), paths[rows[i].input], x->s1, x->s1_lo,
				x->s1_hi, x->st, x->st_lo, x->st_hi);
		}
		if (atomic_commit(&af) < 0)
			ret = EXIT_RUNTIME;
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
	free(A);
	free(B);
	free(out);
	free(fa);
	free(fb);
	free(fab);
	free(rows);
	for (j = 0; j < nr; j++)
		vary_release(&range[j]);
	return ret;
}
