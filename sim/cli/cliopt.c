/* cliopt.c - the shared options of the commands. */
#include "cli/cliopt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/atomic.h"
#include "engine/cluster.h"
#include "engine/engine.h"
#include "io/tabular.h"
#include "engine/sigstop.h"
#include "engine/scenario.h"
#include "cli/usage.h"

/* What --format asked for: one value for the whole process, read when
 * the command has written its tables. */
static int format_asked = TABULAR_TSV;

int cliopt_format(void)
{
	return format_asked;
}

int cliopt_convert_tables(void)
{
	size_t i, n = atomic_placed_count(), done = 0;
	volatile sig_atomic_t *stop;
	int k;

	if (format_asked == TABULAR_TSV)
		return EXIT_OK;
	stop = sigstop_install();
	for (i = 0; i < n; i++) {
		const char *p = atomic_placed(i);
		size_t len = strlen(p);

		if (len < 4 || strcmp(p + len - 4, ".tsv"))
			continue;
		if (*stop || (k = tabular_convert(p, format_asked, stop)) > 0) {
			error("interrupted: the %s copies were not all written (the .tsv files are "
			      "whole)", format_asked == TABULAR_CSV ? "CSV" : "JSON");
			return sigstop_status((int)*stop);
		}
		if (k < 0)
			return EXIT_RUNTIME;
		done++;
	}
	if (!done && cluster_rank() == 0)
		fprintf(stderr, "sim: note: --format: no .tsv table was written to convert "
			"(tables are written into -o DIR)\n");
	return EXIT_OK;
}

void cliopt_init(struct cliopt *o)
{
	memset(o, 0, sizeof(*o));
	o->max_trials = 10000000;
}


int cliopt_take(struct cliopt *o, int c, const char *arg, const char *cmd)
{
	unsigned long long v;

	switch (c) {
	case 'n':
		if (parse_u64(arg, 1, SCENARIO_MAX_TRIALS, &v) < 0)
			return usage_error(cmd, "-n: expected a whole number of trials from 1 to "
					   "%lld, got '%s'", SCENARIO_MAX_TRIALS, arg);
		o->trials = v;
		o->trials_p = &o->trials;
		return 0;
	case 's':
		if (parse_u64(arg, 0, INT64_MAX, &v) < 0)
			return usage_error(cmd, "-s: expected a seed from 0 to %lld, got '%s'",
					   (long long)INT64_MAX, arg);
		o->seed = v;
		o->seed_p = &o->seed;
		return 0;
	case 'j':
		if (parse_u64(arg, 1, 1024, &v) < 0)
			return usage_error(cmd, "-j: expected a number of threads from 1 to 1024, "
					   "got '%s'", arg);
		o->threads = (int)v;
		return 0;
	case 'S':
		if (o->nsets == 256)
			return usage_error(cmd, "too many --set options (256 at most)");
		o->sets[o->nsets++] = (char *)arg;
		return 0;
	case 'X':
		/* --estimator NAME is --set scenario.estimator=NAME. */
		if (strcmp(arg, "conditional") && strcmp(arg, "indicator"))
			return usage_error(cmd, "--estimator: expected 'conditional' or "
					   "'indicator', got '%s'", arg);
		if (o->estimator[0])
			return usage_error(cmd, "--estimator given twice");
		if (o->nsets == 256)
			return usage_error(cmd, "too many --set options (256 at most)");
		snprintf(o->estimator, sizeof(o->estimator), "scenario.estimator=%s", arg);
		o->sets[o->nsets++] = o->estimator;
		return 0;
	case 'q':
		o->quiet = 1;
		return 0;
	case 'P': {
		/* [FIG=]EPS */
		const char *eq = strchr(arg, '=');

		o->prec_fig[0] = '\0';
		if (eq) {
			size_t n = (size_t)(eq - arg);

			if (n == 0 || n >= sizeof(o->prec_fig))
				return usage_error(cmd, "--precision: expected EPS or FIG=EPS, got "
						   "'%s'", arg);
			memcpy(o->prec_fig, arg, n);
			o->prec_fig[n] = '\0';
			arg = eq + 1;
		}
		if (parse_real(arg, 0, &o->eps) < 0 || !(o->eps > 0) || !isfinite(o->eps))
			return usage_error(cmd, "--precision: expected a half-width above 0, got "
					   "'%s'", arg);
		return 0;
	}
	case CLIOPT_FORMAT_CODE:
		if (tabular_format(arg) < 0)
			return usage_error(cmd, "--format: expected tsv, csv or json, got '%s'", arg);
		format_asked = tabular_format(arg);
		return 0;
	case 'M':
		if (parse_u64(arg, 1, SCENARIO_MAX_TRIALS, &v) < 0)
			return usage_error(cmd, "--max-trials: expected a whole number from 1 to "
					   "%lld, got '%s'", SCENARIO_MAX_TRIALS, arg);
		o->max_trials = v;
		o->max_trials_given = 1;
		return 0;
	}
	return 1;
}

struct precision cliopt_precision(const struct cliopt *o)
{
	struct precision p = { o->eps, o->max_trials, o->prec_fig[0] ? o->prec_fig : NULL };

	return p;
}

int cliopt_check_precision(const struct precision *p, const struct model_layout *L,
			   const char *cmd)
{
	int f = engine_precision_figure(p, L);

	if (f < 0) {
		char names[1024];
		size_t i, len = 0;

		names[0] = '\0';
		for (i = 0; i < L->nfigures && len + 2 < sizeof(names); i++)
			len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
						i ? ", " : "", L->figures[i].key);
		return usage_error(cmd, "--precision: no figure '%s'; the figures are %s",
				   p->fig, names);
	}
	if (p->eps > 0 && L->figures[f].kind != MODEL_MEAN_GIVEN && !(p->eps < 0.5))
		return usage_error(cmd, "--precision: %s is a probability: expected a half-width "
				   "below 0.5, got %g", L->figures[f].key, p->eps);
	return 0;
}

int cliopt_flush(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		error("cannot write to stdout: %s", strerror(errno ? errno : EIO));
		return EXIT_RUNTIME;
	}
	return 0;
}

int cliopt_parse(struct cliopt *o, int argc, char **argv, const char *shortopts,
		 const struct option *opts, const char *cmd, const char *usage,
		 cliopt_own_fn own, void *ctx)
{
	int c, r;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		r = cliopt_take(o, c, optarg, cmd);
		if (r != 1) {
			if (r)
				return r;
			continue;
		}
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return -1;
		case ':':
			return usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
		case '?':
			return usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		default:
			r = own ? own(ctx, c, optarg) : usage_error(cmd, "unknown option '%s'",
								     argv[optind - 1]);
			if (r)
				return r;
		}
	}
	if (o->max_trials_given && !(o->eps > 0))
		return usage_error(cmd, "--max-trials needs --precision");
	return 0;
}

int cliopt_number(const char *cmd, const char *opt, const char *arg, double lo, double hi,
		  int whole, double *x)
{
	char *end;

	*x = strtod(arg, &end);
	if (end == arg || *end || !(*x >= lo && *x <= hi) || (whole && *x != floor(*x)))
		return usage_error(cmd, "%s: expected a %s from %g to %g, got '%s'", opt,
				   whole ? "whole number" : "number", lo, hi, arg);
	return 0;
}

int cliopt_output(void *ctx, int c, const char *arg)
{
	if (c != 'o')
		return EXIT_USAGE;
	if (*(const char **)ctx) {
		error("-o given twice ('%s', then '%s')", *(const char **)ctx, arg);
		return EXIT_USAGE;
	}
	*(const char **)ctx = arg;
	return 0;
}
