/* cliopt.c - the shared options of the commands. */
#include "cli/cliopt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/scenario.h"
#include "cli/usage.h"

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
	case 'q':
		o->quiet = 1;
		return 0;
	case 'P':
		if (parse_real(arg, 0, &o->eps) < 0 || !(o->eps > 0) || !(o->eps < 0.5))
			return usage_error(cmd, "--precision: expected a half-width between 0 and "
					   "0.5, got '%s'", arg);
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
