/* cmd_sample.c - "sim sample": a Latin hypercube design over config paths,
 * a row per sample for users' own regression or scenario discovery. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "builtin.h"
#include "design.h"
#include "rng.h"
#include "study.h"
#include "usage.h"

#define MAX_RANGES 40

/* The design's generator is stream DESIGN_STREAM of "trial" 0: apart from
 * every trial's streams. */
#define DESIGN_STREAM 0xde5191ULL

static const char usage_text[] =
	"usage: sim sample [CONFIG] --lhs N --range PATH=LO:HI [--range PATH=LO:HI]...\n"
	"                  [-o DIR] [-n TRIALS] [-s SEED] [-j THREADS] [--set PATH=VALUE]...\n"
	"                  [--independent] [--precision EPS [--max-trials N]]\n"
	"                  [--resume DIR] [--progress] [-q]\n\n"
	"Runs the scenario at N points of a Latin hypercube over the ranges (each\n"
	"range cut into N equal strata, each stratum of each range sampled once;\n"
	"the design follows from the seed). Writes sample.tsv (stdout without -o):\n"
	"a row per sample with the inputs, the trials used and every summary figure\n"
	"with its 95% interval, for regression or scenario discovery with your own\n"
	"tools. The other options are those of 'sim sweep' (see 'sim sweep --help').\n\n"
	"  --lhs N              number of samples\n"
	"  --range PATH=LO:HI   a numeric config path and its range (repeatable)\n";

struct lhs {
	double *x;		/* [n][k] */
	size_t k;
};

static void lhs_values(const void *ctx, uint64_t p, double *x)
{
	const struct lhs *l = ctx;

	memcpy(x, l->x + p * l->k, sizeof(double) * l->k);
}

/* Check points: each range's two ends, the others at their low end. */
static void ends_values(const void *ctx, uint64_t p, double *x)
{
	const struct vary *r = ctx;	/* ends with a zeroed entry */
	size_t j;

	for (j = 0; r[j].path; j++)
		x[j] = r[j].v[0];
	x[p / 2] = r[p / 2].v[p % 2];
}

int cmd_sample(int argc, char **argv)
{
	static const struct option opts[] = {
		STUDY_OPTIONS,
		{ "lhs", required_argument, NULL, 'L' },
		{ "range", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 }
	};
	struct study st, chk;
	struct study_args a;
	struct vary range[MAX_RANGES + 1];
	char *paths[MAX_RANGES], *head = NULL, *extra[MAX_RANGES + 2];
	size_t nr = 0, j, nextra = 0;
	unsigned long long n = 0;
	struct lhs l = { NULL, 0 };
	struct cfg c0;
	struct scenario s0;
	double lo[MAX_RANGES], hi[MAX_RANGES];
	gsl_rng *r;
	int c, rc, ret = EXIT_OK;

	memset(range, 0, sizeof(range));
	study_init(&st, &a, "sample", "sample.tsv");
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, STUDY_SHORT, opts, NULL)) != -1) {
		rc = study_option(&st, &a, c, optarg, "sample");
		if (rc == 0)
			continue;
		if (rc != 1) {
			ret = rc;
			goto out;
		}
		switch (c) {
		case 'L':
			if (parse_u64(optarg, 1, 10000000, &n) < 0) {
				ret = usage_error("sample", "--lhs: expected a number of samples from 1 "
						  "to 10000000, got '%s'", optarg);
				goto out;
			}
			break;
		case 'A':
			if (nr == MAX_RANGES) {
				ret = usage_error("sample", "too many --range options (%d at most)",
						  MAX_RANGES);
				goto out;
			}
			if (range_parse(optarg, "--range", &range[nr]) < 0) {
				ret = EXIT_USAGE;
				goto out;
			}
			paths[nr] = range[nr].path;
			nr++;
			break;
		case 'h':
			fputs(usage_text, stdout);
			goto out;
		case ':':
			ret = usage_error("sample", "option '%s' needs a value", argv[optind - 1]);
			goto out;
		default:
			ret = usage_error("sample", "unknown option '%s'", argv[optind - 1]);
			goto out;
		}
	}
	if (optind < argc)
		st.po.config = argv[optind++];
	if (optind < argc) {
		ret = usage_error("sample", "more than one CONFIG given ('%s')", argv[optind]);
		goto out;
	}
	if (!n || !nr) {
		ret = usage_error("sample", !n ? "no --lhs N given" : "no --range given");
		goto out;
	}
	if (!st.po.threads)
		st.po.threads = omp_get_max_threads();
	st.nvar = nr;
	st.paths = paths;

	/* Both ends of every range must be valid before anything runs. */
	chk = st;
	chk.values = ends_values;
	chk.ctx = range;
	if (study_check(&chk, 2 * nr, &c0, &s0) < 0) {
		cfg_release(&c0);
		ret = EXIT_USAGE;
		goto out;
	}

	/* The design, from the scenario's seed. */
	l.k = nr;
	l.x = malloc(sizeof(double) * n * nr);
	r = gsl_rng_alloc(s0.rng);
	rng_stream(r, s0.seed, 0, DESIGN_STREAM);
	design_lhs(r, (size_t)n, nr, l.x);
	gsl_rng_free(r);
	for (j = 0; j < nr; j++) {
		lo[j] = range[j].v[0];
		hi[j] = range[j].v[1];
	}
	design_scale(l.x, (size_t)n, nr, lo, hi);
	st.values = lhs_values;
	st.ctx = &l;
	st.total = n;

	for (j = 0; j < nr; j++) {
		char a1[40], a2[40];
		size_t len = 0;
		FILE *f = open_memstream(&extra[nextra], &len);

		fprintf(f, "range: %s = %s:%s", paths[j], points_format_value(a1, lo[j]),
			points_format_value(a2, hi[j]));
		fclose(f);
		nextra++;
	}
	{
		size_t len = 0;
		FILE *f = open_memstream(&extra[nextra], &len);

		fprintf(f, "sample: Latin hypercube of %llu points over %zu ranges, drawn with "
			"the seed; a row per sample", n, nr);
		fclose(f);
		nextra++;
	}
	head = study_header(&st, &c0, &s0, (const char *const *)extra, nextra);
	scenario_release(&s0);
	cfg_release(&c0);
	st.head = head;
	ret = study_run(&st);
out:
	while (nextra > 0)
		free(extra[--nextra]);
	free(head);
	free(l.x);
	for (j = 0; j < nr; j++)
		vary_release(&range[j]);
	return ret;
}
