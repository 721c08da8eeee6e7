/* cmd_screen.c - "sim screen": Morris elementary-effects screening of the
 * summary figures over config ranges, on Campolongo's optimised
 * trajectories with common random numbers, with bootstrap intervals on
 * mu*. The design and the statistics are sim/study/morris.c's. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic.h"
#include "core/rng.h"
#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "engine/cluster.h"
#include "study/design.h"
#include "study/morris.h"
#include "io/output.h"
#include "cli/studyopt.h"
#include "cli/usage.h"

/* The most work the choice of trajectories may take: M^2 + 30 M R
 * distances between trajectories (the removal, then 10 exchange passes),
 * each (k + 1)^2 (n + 8) steps; 3e10 is about ten seconds on one core. */
#define MAX_WORK 3e10

static const char usage_text[] =
	"usage: sim screen [CONFIG] --range PATH=LO:HI [--range PATH=LO:HI]...\n"
	"                  [--trajectories R] [--levels P] [--candidates M]\n"
	"                  [--group NAME=PATH,PATH...]... [--figures NAME,...]\n"
	"                  [--resamples B] [-o DIR] [-n TRIALS] [-s SEED] [-j THREADS]\n"
	"                  [--set PATH=VALUE]... [--estimator NAME]\n"
	"                  [--precision [FIG=]EPS [--max-trials N]]\n"
	"                  [--resume DIR] [--progress] [-q]\n\n"
	"Screens the inputs for the ones that matter to p_deterred (and to other\n"
	"figures on request) by Morris's elementary effects (Morris 1991): each\n"
	"range is scaled to [0,1] on a grid of P levels, and R trajectories of\n"
	"k + 1 points each move every input once by Delta = P / (2 (P - 1)). The R\n"
	"trajectories are those of M candidates drawn with the seed that spread\n"
	"out the most (Campolongo, Cariboni and Saltelli 2007), found by Ruano et\n"
	"al.'s (2012) iterative removal and then pairwise exchanges: R (k + 1)\n"
	"runs, each with common random numbers. An input's effect in a\n"
	"trajectory is the change of the figure over its step, divided by Delta\n"
	"(per unit of the scaled range, signed as if stepping up). Reports mu\n"
	"(their mean), mu* (the mean of their absolute values: the importance),\n"
	"sigma (their standard deviation: interactions or non-linearity), and a\n"
	"95% percentile bootstrap interval on mu* over the trajectories.\n\n"
	"Writes screen.tsv (figure, input, mu_star, mu_star_ci_lo, mu_star_ci_hi,\n"
	"mu, sigma; each figure's inputs by mu*, largest first) and screen_runs.tsv\n"
	"(every run, trajectory after trajectory) into DIR, and prints the table.\n"
	"Without -o, only prints it. 'sim plot DIR' draws mu* against sigma.\n\n"
	"  --range PATH=LO:HI   a numeric config path and its range (repeatable,\n"
	"                       at most 40); or PATH=normal:MEAN:SD, lognormal:MU:SIGMA,\n"
	"                       triangular:MIN:MODE:MAX: the grid mapped through its\n"
	"                       quantiles (truncated to the 0.1% and 99.9% ones)\n"
	"  --trajectories R     trajectories, 2 to 1000 (default 10)\n"
	"  --levels P           levels of the grid, 2 to 100 (default 4; even P\n"
	"                       keeps every point on the grid)\n"
	"  --candidates M       candidate trajectories, R to 100000 (default 10 R);\n"
	"                       choosing takes about M^2 (k + 1)^2 (k + 8) steps,\n"
	"                       at most 3e10 (about ten seconds)\n"
	"  --group NAME=PATHS   move the ranges PATHS (comma-separated, each a\n"
	"                       --range PATH) together as one input NAME (letters,\n"
	"                       digits, '_', '-', '.'); the ranges in no group\n"
	"                       are inputs of their own (repeatable)\n"
	"  --figures LIST       figures to screen, comma-separated (default\n"
	"                       p_deterred; 'all' for every figure)\n"
	"  --resamples B        bootstrap resamples for the intervals, 10 to\n"
	"                       100000 (default 1000; seeded from the seed)\n"
	"  --resume DIR         finish a screen into DIR that was interrupted;\n"
	"                       give the same arguments as the first time\n"
	"The other options are those of 'sim sweep' (see 'sim sweep --help');\n"
	"--independent does not apply here. The runs stream to\n"
	"DIR/screen_runs.tsv.partial; SIGINT or SIGTERM stops the screen (exit\n"
	"code 128 + the signal's number) and --resume DIR finishes it.\n\n"
	"Exit codes: 0 success, 1 runtime failure, 2 usage or config error.\n";

struct screen_args {
	struct study_ranges ranges;
	unsigned long long r, p, m, b;
	const char *figures_arg;
	const char *groups[STUDY_MAX_RANGES];
	size_t ngroups;
};

/* A screen: its factors, design, runs and statistics. */
struct screen {
	struct study st;
	struct screen_args sa;
	size_t k;				/* factors */
	size_t group[STUDY_MAX_RANGES];		/* input -> factor */
	char *names[STUDY_MAX_RANGES];		/* [k] */
	struct morris_design d;
	double *xs;				/* [points][n] the design, scaled */
	double *out;				/* [points][nfig] */
	int *want;				/* [nfig] */
	char *figures;				/* the wanted keys, for the header */
	char *head;
	struct morris_stat *stat;		/* [nfig][k] */
	int *done;				/* [nfig] figures with statistics */
};

static void screen_values(const void *ctx, uint64_t p, double *x)
{
	const struct screen *z = ctx;

	memcpy(x, z->xs + p * z->sa.ranges.n, sizeof(double) * z->sa.ranges.n);
}

/* Parses ARG, the number of option OPT, into *OUT: WHAT from LO to HI.
 * Returns 0 or the exit code after a usage error. */
static int take_number(const char *arg, const char *opt, const char *what,
		       unsigned long long lo, unsigned long long hi, unsigned long long *out)
{
	if (parse_u64(arg, lo, hi, out) < 0)
		return usage_error("screen", "%s: expected %s from %llu to %llu, got '%s'", opt, what,
				   lo, hi, arg);
	return 0;
}

static int screen_option(void *ctx, int c, const char *arg)
{
	struct screen_args *sa = ctx;

	switch (c) {
	case 'A':
		return study_range_option(&sa->ranges, arg, "screen");
	case 'T':
		return take_number(arg, "--trajectories", "a number", 2, 1000, &sa->r);
	case 'L':
		return take_number(arg, "--levels", "a number of levels", MORRIS_MIN_LEVELS,
				   MORRIS_MAX_LEVELS, &sa->p);
	case 'C':
		return take_number(arg, "--candidates", "a number", 2, 100000, &sa->m);
	case 'B':
		return take_number(arg, "--resamples", "a number", 10, 100000, &sa->b);
	case 'g':
		if (sa->ngroups == STUDY_MAX_RANGES)
			return usage_error("screen", "too many --group options (%d at most)",
					   STUDY_MAX_RANGES);
		sa->groups[sa->ngroups++] = arg;
		return 0;
	case 'F':
		sa->figures_arg = arg;
		return 0;
	}
	return usage_error("screen", "unknown option");
}

/* The factors of Z: its groups, then each range in no group. Returns 0
 * or the exit code. */
static int make_factors(struct screen *z)
{
	return study_groups(&z->sa.ranges, z->sa.groups, z->sa.ngroups, "screen", z->group,
			    z->names, &z->k);
}

/* Checks the numbers of the options of Z against each other. Returns 0
 * or the exit code after a usage error. */
static int check_sizes(struct screen *z)
{
	struct screen_args *sa = &z->sa;
	double work;

	if (!sa->m)
		sa->m = 10 * sa->r;
	if (sa->m < sa->r)
		return usage_error("screen", "--candidates %llu is fewer than --trajectories %llu",
				   sa->m, sa->r);
	if (sa->m > 100000)
		return usage_error("screen", "10 --trajectories is %llu candidates; give "
				   "--candidates M, at most 100000", sa->m);
	work = ((double)sa->m * sa->m + 30.0 * sa->m * sa->r) * (z->k + 1) * (z->k + 1) *
	       (sa->ranges.n + 8);
	if (work > MAX_WORK)
		return usage_error("screen", "choosing %llu trajectories among %llu candidates "
				   "over %zu inputs takes about %.2g steps, more than %.0e: give "
				   "fewer --candidates", sa->r, sa->m, z->k, work, MAX_WORK);
	return 0;
}

/* Resolves --figures (keys separated by commas, or "all") against the
 * layout L of point 0. Returns 0 or the exit code. */
static int choose_figures(struct screen *z, const struct model_layout *L)
{
	const char *list = z->sa.figures_arg;
	char *copy = strdup(list), *tok, *save = NULL;
	size_t f, len = 1;
	int i, ret = 0;

	z->want = calloc(L->nfigures + 1, sizeof(*z->want));
	if (!copy || !z->want) {
		free(copy);
		error("out of memory");
		return EXIT_RUNTIME;
	}
	if (!*list || *list == ',' || list[strlen(list) - 1] == ',' || strstr(list, ",,"))
		ret = usage_error("screen", "--figures '%s': an item is empty", list);
	for (tok = strtok_r(copy, ",", &save); !ret && tok; tok = strtok_r(NULL, ",", &save)) {
		i = summary_find(L, tok);
		if (!strcmp(tok, "all"))
			for (f = 0; f < L->nfigures; f++)
				z->want[f] = 1;
		else if (i >= 0)
			z->want[i] = 1;
		else
			ret = usage_error("screen", "--figures: unknown figure '%s' (see 'sim "
					  "models' for the figures of each model, or give 'all')",
					  tok);
	}
	free(copy);
	for (f = 0; f < L->nfigures; f++)
		len += strlen(L->figures[f].key) + 1;
	z->figures = calloc(len, 1);
	if (!ret && !z->figures) {
		error("out of memory");
		ret = EXIT_RUNTIME;
	}
	for (f = 0; !ret && f < L->nfigures; f++)
		if (z->want[f])
			sprintf(z->figures + strlen(z->figures), "%s%s", *z->figures ? "," : "",
				L->figures[f].key);
	return ret;
}

/* Makes the design of Z from SEED (generator type T), scaled to the
 * ranges, and the room for the figures of its runs. Returns 0 or the exit
 * code. */
static int make_design(struct screen *z, const gsl_rng_type *t, uint64_t seed, size_t nfig)
{
	size_t n = z->sa.ranges.n, points;
	gsl_rng *rng = gsl_rng_alloc(t);
	int r;

	if (!rng) {
		error("out of memory");
		return EXIT_RUNTIME;
	}
	rng_stream(rng, seed, 0, STREAM_MORRIS);
	r = morris_design_make(&z->d, rng, n, z->k, z->group, (unsigned)z->sa.p, (size_t)z->sa.r,
			       (size_t)z->sa.m);
	gsl_rng_free(rng);
	if (r < 0) {
		error("out of memory for %llu candidate trajectories", z->sa.m);
		return EXIT_RUNTIME;
	}
	points = z->d.r * (z->k + 1);
	z->xs = malloc(sizeof(double) * points * n);
	z->out = malloc(sizeof(double) * points * (nfig ? nfig : 1));
	if (!z->xs || !z->out) {
		error("out of memory for the figures of %zu runs", points);
		return EXIT_RUNTIME;
	}
	memcpy(z->xs, z->d.x, sizeof(double) * points * n);
	study_ranges_scale(&z->sa.ranges, z->xs, points);
	z->st.values = screen_values;
	z->st.ctx = z;
	z->st.total = points;
	z->st.collect = z->out;
	return 0;
}

/* The header lines of Z's files beyond the ranges, into EXTRA at *N. */
static void screen_lines(const struct screen *z, char **extra, size_t *n)
{
	size_t g;

	for (g = 0; g < z->sa.ngroups; g++)
		extra[(*n)++] = study_line("group: %s", z->sa.groups[g]);
	extra[(*n)++] = study_line("screen: Morris design, %llu trajectories of %zu + 1 points "
				   "on %llu levels (Delta = %.6g), chosen among %llu candidates "
				   "drawn with the seed for the largest sum of squared distances "
				   "(Campolongo et al. 2007; Ruano et al. 2012's removal, then "
				   "exchanges): %.6g, against %.6g for the first %llu drawn; "
				   "elementary effects of %s", z->sa.r, z->k, z->sa.p, z->d.delta,
				   z->sa.m, z->d.spread, z->d.spread_first, z->sa.r, z->figures);
}

/* Checks the ranges, groups and figures, makes the design and writes the
 * header of Z; leaves point 0 in C0 and S0. Returns EXIT_OK or the exit
 * code (with C0 and S0 released). */
static int prepare_screen(struct screen *z, struct cfg *c0, struct scenario *s0)
{
	char *extra[2 * STUDY_MAX_RANGES + 2];
	size_t nextra = 0;
	int ret;

	if (!z->sa.ranges.n)
		return usage_error("screen", "no --range given");
	if ((ret = make_factors(z)) != 0 || (ret = check_sizes(z)) != 0)
		return ret;
	if (study_check_ranges(&z->st, &z->sa.ranges, c0, s0) < 0)
		return EXIT_USAGE;
	if (cliopt_check_precision(&z->st.po.prec, s0->layout, "screen"))
		ret = EXIT_USAGE;
	else
		ret = choose_figures(z, s0->layout);
	if (!ret)
		ret = make_design(z, s0->rng, s0->seed, s0->layout->nfigures);
	if (ret) {
		scenario_release(s0);
		cfg_release(c0);
		return ret;
	}
	study_range_lines(&z->sa.ranges, extra, &nextra);
	screen_lines(z, extra, &nextra);
	z->head = study_header(&z->st, c0, s0, (const char *const *)extra, nextra);
	while (nextra > 0)
		free(extra[--nextra]);
	z->st.head = z->head;
	if (!z->head) {
		error("out of memory");
		scenario_release(s0);
		cfg_release(c0);
		return EXIT_RUNTIME;
	}
	return EXIT_OK;
}

/* The statistics of every figure wanted of Z's runs, with the bootstrap
 * of figure F seeded from stream (SEED, 1 + F) of type T. Returns EXIT_OK
 * or the exit code. */
static int statistics(struct screen *z, const gsl_rng_type *t, uint64_t seed)
{
	size_t nf = z->st.nfig, k = z->k, f, p;
	double *ee = malloc(sizeof(double) * z->d.r * k);
	gsl_rng *rng = gsl_rng_alloc(t);
	int ret = EXIT_OK;

	z->stat = calloc(nf * k + 1, sizeof(*z->stat));
	z->done = calloc(nf + 1, sizeof(*z->done));
	if (!ee || !rng || !z->stat || !z->done) {
		error("out of memory");
		ret = EXIT_RUNTIME;
	}
	for (f = 0; ret == EXIT_OK && f < nf; f++) {
		if (!z->want[f])
			continue;
		for (p = 0; p < z->st.total && !isnan(z->out[p * nf + f]); p++)
			;
		if (p < z->st.total) {
			warning("%s is undefined at some points (no attack); no effects for it",
				z->st.keys[f]);
			continue;
		}
		morris_effects(&z->d, z->out + f, nf, ee);
		rng_stream(rng, seed, 1 + f, STREAM_MORRIS);
		if (morris_stats(ee, z->d.r, k, (size_t)z->sa.b, rng, z->stat + f * k) < 0) {
			error("out of memory");
			ret = EXIT_RUNTIME;
		}
		z->done[f] = 1;
	}
	free(ee);
	if (rng)
		gsl_rng_free(rng);
	return ret;
}

/* Writes into ORDER[k] the factors of figure F of Z by mu*, largest
 * first (ties by factor). */
static void by_mustar(const struct screen *z, size_t f, size_t *order)
{
	const struct morris_stat *s = z->stat + f * z->k;
	size_t i, j, t;

	for (i = 0; i < z->k; i++) {
		order[i] = i;
		for (j = i; j > 0 && s[order[j]].mustar > s[order[j - 1]].mustar; j--) {
			t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	}
}

/* The width of the input column of the table: Z's longest name. */
static int name_width(const struct screen *z)
{
	size_t i, w = 5;

	for (i = 0; i < z->k; i++)
		if (strlen(z->names[i]) > w)
			w = strlen(z->names[i]);
	return (int)w;
}

/* Writes to F a row per figure and input of Z, each figure's inputs by
 * mu*: tab-separated (TSV) or as the table on the terminal. */
static void write_rows(const struct screen *z, FILE *f, int tsv)
{
	size_t order[STUDY_MAX_RANGES], g, i;

	for (g = 0; g < z->st.nfig; g++) {
		if (!z->done[g])
			continue;
		by_mustar(z, g, order);
		for (i = 0; i < z->k; i++) {
			const struct morris_stat *s = z->stat + g * z->k + order[i];

			if (!tsv) {
				fprintf(f, "%-24s %-*s %10.4g [%9.4g, %9.4g] %10.4g %10.4g\n",
					z->st.keys[g], name_width(z), z->names[order[i]], s->mustar,
					s->lo, s->hi, s->mu, s->sigma);
				continue;
			}
			fprintf(f, "%s\t", z->st.keys[g]);
			output_escape(f, z->names[order[i]]);
			fprintf(f, "\t%.6g\t%.6g\t%.6g\t%.6g\t%.6g\n", s->mustar, s->lo, s->hi, s->mu,
				s->sigma);
		}
	}
}

/* Writes Z's statistics as screen.tsv into DIR. Returns 0 or -1. */
static int write_tsv(const struct screen *z)
{
	struct afile af;
	size_t i;

	if (atomic_open(&af, z->st.dir, "screen.tsv") < 0)
		return -1;
	/* The provenance of the runs, without their column line. */
	for (i = strlen(z->head) - 1; i > 0 && z->head[i - 1] != '\n'; i--)
		;
	fwrite(z->head, 1, i, af.f);
	fprintf(af.f, "# effects: per unit of the scaled range (LO = 0, HI = 1), signed as if "
		"stepping up\n# intervals: 95%% percentile bootstrap of mu* over the %llu "
		"trajectories, %llu resamples drawn with the seed\n", z->sa.r, z->sa.b);
	fprintf(af.f, "figure\tinput\tmu_star\tmu_star_ci_lo\tmu_star_ci_hi\tmu\tsigma\n");
	write_rows(z, af.f, 1);
	return atomic_commit(&af);
}

/* Prints the statistics; with -o, writes screen.tsv and puts the runs'
 * file in place. Returns the exit code. */
static int report(struct screen *z)
{
	printf("%-24s %-*s %10s %23s %10s %10s\n", "figure", name_width(z), "input", "mu*",
	       "95% CI", "mu", "sigma");
	write_rows(z, stdout, 0);
	if (cliopt_flush())
		return EXIT_RUNTIME;
	if (!z->st.dir)
		return EXIT_OK;
	if (write_tsv(z) < 0)
		return EXIT_RUNTIME;
	return study_commit(&z->st);
}

static void screen_release(struct screen *z)
{
	size_t i;

	free(z->head);
	free(z->st.resumed_head);
	free(z->xs);
	free(z->out);
	free(z->want);
	free(z->figures);
	free(z->stat);
	free(z->done);
	for (i = 0; i < STUDY_MAX_RANGES; i++)
		free(z->names[i]);
	morris_design_release(&z->d);
	study_release(&z->st);
	study_ranges_release(&z->sa.ranges);
}

int cmd_screen(int argc, char **argv)
{
	static const struct option opts[] = {
		STUDY_OPTIONS,
		{ "range", required_argument, NULL, 'A' },
		{ "trajectories", required_argument, NULL, 'T' },
		{ "levels", required_argument, NULL, 'L' },
		{ "candidates", required_argument, NULL, 'C' },
		{ "group", required_argument, NULL, 'g' },
		{ "figures", required_argument, NULL, 'F' },
		{ "resamples", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 }
	};
	struct screen *z = calloc(1, sizeof(*z));
	struct study_args a;
	struct cfg c0;
	struct scenario s0;
	int ret;

	if (!z) {
		error("out of memory");
		return EXIT_RUNTIME;
	}
	z->sa.r = 10;
	z->sa.p = 4;
	z->sa.b = 1000;
	z->sa.figures_arg = "p_deterred";
	study_init(&z->st, &a, "screen", "screen_runs.tsv");
	ret = study_parse(&z->st, &a, argc, argv, opts, usage_text, screen_option, &z->sa);
	if (!ret && z->st.po.independent)
		ret = usage_error("screen", "--independent does not apply to screen (elementary "
				  "effects need common random numbers)");
	if (!ret)
		ret = prepare_screen(z, &c0, &s0);
	if (ret) {
		screen_release(z);
		free(z);
		return ret < 0 ? EXIT_OK : ret;
	}
	/* As in sensitivity: the runs' file goes into place after screen.tsv,
	 * so that --resume can finish a screen stopped in between. */
	z->st.discard = !z->st.dir;
	z->st.defer_commit = z->st.dir != NULL;
	ret = study_run(&z->st);
	if (ret == EXIT_OK && cluster_rank() == 0) {
		if (z->st.resumed_head) {
			free(z->head);
			z->head = z->st.resumed_head;
			z->st.resumed_head = NULL;
		}
		ret = statistics(z, s0.rng, s0.seed);
		if (ret == EXIT_OK)
			ret = report(z);
	}
	scenario_release(&s0);
	cfg_release(&c0);
	screen_release(z);
	free(z);
	return ret;
}
