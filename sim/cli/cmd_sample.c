/* cmd_sample.c - "sim sample": a Latin hypercube design over config paths,
 * a row per sample for users' own regression or scenario discovery. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "cli/builtin.h"
#include "study/design.h"
#include "core/rng.h"
#include "cli/studyopt.h"
#include "cli/usage.h"

static const char usage_text[] =
	"usage: sim sample [CONFIG] --lhs N --range PATH=LO:HI [--range PATH=LO:HI]...\n"
	"                  [-o DIR] [-n TRIALS] [-s SEED] [-j THREADS] [--set PATH=VALUE]...\n"
	"                  [--estimator NAME] [--independent]\n"
	"                  [--precision [FIG=]EPS [--max-trials N]]\n"
	"                  [--resume DIR] [--progress] [-q]\n\n"
	"Runs the scenario at N points of a Latin hypercube over the ranges (each\n"
	"range cut into N equal strata, each stratum of each range sampled once;\n"
	"the design follows from the seed). Writes sample.tsv (stdout without -o):\n"
	"a row per sample with the inputs, the trials used and every summary figure\n"
	"with its 95% interval, for regression or scenario discovery with your own\n"
	"tools. The other options are those of 'sim sweep' (see 'sim sweep --help').\n\n"
	"  --lhs N              number of samples\n"
	"  --range PATH=LO:HI   a numeric config path and its range (repeatable); or\n"
	"                       PATH=normal:MEAN:SD, lognormal:MU:SIGMA,\n"
	"                       triangular:MIN:MODE:MAX, uniform:LO:HI: drawn from that\n"
	"                       distribution, truncated to its 0.1% and 99.9% quantiles\n";

struct lhs {
	double *x;		/* [n][k] */
	size_t k;
};

static void lhs_values(const void *ctx, uint64_t p, double *x)
{
	const struct lhs *l = ctx;

	memcpy(x, l->x + p * l->k, sizeof(double) * l->k);
}

struct sample_args {
	struct study_ranges ranges;
	unsigned long long n;
};

static int sample_option(void *ctx, int c, const char *arg)
{
	struct sample_args *sa = ctx;

	switch (c) {
	case 'L':
		if (parse_u64(arg, 1, 10000000, &sa->n) < 0)
			return usage_error("sample", "--lhs: expected a number of samples from 1 to "
					   "10000000, got '%s'", arg);
		return 0;
	case 'A':
		return study_range_option(&sa->ranges, arg, "sample");
	}
	return usage_error("sample", "unknown option");
}

int cmd_sample(int argc, char **argv)
{
	static const struct option opts[] = {
		STUDY_OPTIONS,
		{ "lhs", required_argument, NULL, 'L' },
		{ "range", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 }
	};
	struct study st;
	struct study_args a;
	struct sample_args sa;
	char *extra[STUDY_MAX_RANGES + 1];
	size_t nr, nextra = 0;
	struct lhs l = { NULL, 0 };
	struct cfg c0;
	struct scenario s0;
	gsl_rng *r;
	int ret;

	memset(&sa, 0, sizeof(sa));
	study_init(&st, &a, "sample", "sample.tsv");
	ret = study_parse(&st, &a, argc, argv, opts, usage_text, sample_option, &sa);
	if (ret)
		goto out;
	nr = sa.ranges.n;
	if (!sa.n || !nr) {
		ret = usage_error("sample", !sa.n ? "no --lhs N given" : "no --range given");
		goto out;
	}
	/* Both ends of every range must be valid before anything runs. */
	if (study_check_ranges(&st, &sa.ranges, &c0, &s0) < 0) {
		ret = EXIT_USAGE;
		goto out;
	}
	if ((ret = cliopt_check_precision(&st.po.prec, s0.layout, "sample")) != 0) {
		scenario_release(&s0);
		cfg_release(&c0);
		goto out;
	}

	/* The design, from the scenario's seed. */
	l.k = nr;
	l.x = malloc(sizeof(double) * sa.n * nr);
	if (!l.x) {
		error("out of memory for a design of %llu x %zu", sa.n, nr);
		scenario_release(&s0);
		cfg_release(&c0);
		ret = EXIT_RUNTIME;
		goto out;
	}
	r = gsl_rng_alloc(s0.rng);
	rng_stream(r, s0.seed, 0, STREAM_DESIGN);
	design_lhs(r, (size_t)sa.n, nr, l.x);
	gsl_rng_free(r);
	study_ranges_scale(&sa.ranges, l.x, (size_t)sa.n);
	st.values = lhs_values;
	st.ctx = &l;
	st.total = sa.n;

	study_range_lines(&sa.ranges, extra, &nextra);
	extra[nextra++] = study_line("sample: Latin hypercube of %llu points over %zu ranges, "
				     "drawn with the seed; a row per sample", sa.n, nr);
	ret = study_start(&st, &c0, &s0, extra, nextra);
out:
	free(l.x);
	study_ranges_release(&sa.ranges);
	return ret < 0 ? EXIT_OK : ret;
}
