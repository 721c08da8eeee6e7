/* studyopt.c - the command line of the study commands: their shared
 * options, ranges, and header lines. */
#include "study/study.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "cli/usage.h"

void study_init(struct study *s, struct study_args *a, const char *cmd, const char *file)
{
	memset(s, 0, sizeof(*s));
	cliopt_init(&a->o);
	s->cmd = cmd;
	s->file = file;
}

int study_option(struct study *s, int c, const char *optarg)
{
	switch (c) {
	case 'o':
	case 'R':
		/* One destination: "--resume D -o E" would silently take E. */
		if (s->dir)
			return usage_error(s->cmd, "%s%s and %s %s: give either -o DIR (a new "
					   "study) or --resume DIR (finish one), once",
					   s->resume ? "--resume " : "-o ", s->dir,
					   c == 'R' ? "--resume" : "-o", optarg);
		s->dir = optarg;
		s->resume = c == 'R';
		return 0;
	case 'I':
		s->po.independent = 1;
		return 0;
	case 'G':
		s->progress = 1;
		return 0;
	}
	return 1;
}

/* The study options of a command's own (-o, --independent, --resume,
 * --progress), then the command's. */
struct own_chain {
	struct study *s;
	study_own_fn own;
	void *ctx;
};

static int chain_option(void *ctx, int c, const char *arg)
{
	struct own_chain *ch = ctx;
	int r = study_option(ch->s, c, arg);

	return r == 1 ? ch->own(ch->ctx, c, arg) : r;
}

int study_parse(struct study *s, struct study_args *a, int argc, char **argv,
		const struct option *opts, const char *usage, study_own_fn own, void *ctx)
{
	struct own_chain ch = { s, own, ctx };
	int r = cliopt_parse(&a->o, argc, argv, STUDY_SHORT, opts, s->cmd, usage, chain_option,
			     &ch);

	if (r)
		return r;
	if (optind < argc)
		s->po.config = argv[optind++];
	if (optind < argc)
		return usage_error(s->cmd, "more than one CONFIG given ('%s')", argv[optind]);
	s->po.sets = a->o.sets;
	s->po.nsets = a->o.nsets;
	s->po.trials = a->o.trials_p;
	s->po.seed = a->o.seed_p;
	s->po.threads = a->o.threads ? a->o.threads : omp_get_max_threads();
	s->po.prec.eps = a->o.eps;
	s->po.prec.max_trials = a->o.max_trials;
	s->quiet = a->o.quiet;
	return 0;
}

int study_range_option(struct study_ranges *r, const char *arg, const char *cmd)
{
	size_t max = r->max ? r->max : STUDY_MAX_RANGES;

	if (r->n == max)
		return usage_error(cmd, "too many --range options (%zu at most)", max);
	if (range_parse(arg, "--range", &r->r[r->n]) < 0)
		return EXIT_USAGE;
	r->paths[r->n] = r->r[r->n].path;
	r->lo[r->n] = r->r[r->n].v[0];
	r->hi[r->n] = r->r[r->n].v[1];
	r->n++;
	return 0;
}

/* Check point P: the low or high end (P odd) of range P / 2. */
static void ends_values(const void *ctx, uint64_t p, double *x)
{
	const struct study_ranges *r = ctx;

	memcpy(x, r->lo, sizeof(double) * r->n);
	x[p / 2] = p % 2 ? r->hi[p / 2] : r->lo[p / 2];
}

int study_check_ranges(struct study *s, const struct study_ranges *r, struct cfg *c0,
		       struct scenario *s0)
{
	struct study chk;

	s->nvar = r->n;
	s->paths = (char **)r->paths;
	s->po.vary_name = "--range";
	if (points_check_paths(&s->po, r->n, (char *const *)r->paths, "--range") < 0)
		return -1;
	chk = *s;
	chk.values = ends_values;
	chk.ctx = r;
	return study_check(&chk, 2 * r->n, c0, s0);
}

void study_ranges_release(struct study_ranges *r)
{
	size_t j;

	for (j = 0; j < r->n; j++)
		vary_release(&r->r[j]);
	r->n = 0;
}

char *study_line(const char *fmt, ...)
{
	char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

void study_range_lines(const struct study_ranges *r, char **extra, size_t *n)
{
	char a[40], b[40];
	size_t j;

	for (j = 0; j < r->n; j++)
		extra[(*n)++] = study_line("range: %s = %s:%s", r->paths[j],
					   points_format_value(a, r->lo[j]),
					   points_format_value(b, r->hi[j]));
}
