/* studyopt.c - the command line of the study commands: their shared
 * options and --range. */
#include "cli/studyopt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <omp.h>

#include "cli/usage.h"
#include "engine/sigstop.h"

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
	/* From now a signal stops the study, also while its configs load
	 * (a long scenario takes a while to lay out): study_run() says so. */
	s->po.stop = sigstop_install();
	if (optind < argc)
		s->po.config = argv[optind++];
	if (optind < argc)
		return usage_error(s->cmd, "more than one CONFIG given ('%s')", argv[optind]);
	s->po.sets = a->o.sets;
	s->po.nsets = a->o.nsets;
	s->po.trials = a->o.trials_p;
	s->po.seed = a->o.seed_p;
	s->po.threads = a->o.threads ? a->o.threads : omp_get_max_threads();
	s->po.prec = cliopt_precision(&a->o);
	s->quiet = a->o.quiet;
	return 0;
}

int study_range_option(struct study_ranges *r, const char *arg, const char *cmd)
{
	size_t max = r->max ? r->max : STUDY_MAX_RANGES;

	if (r->n == max)
		return usage_error(cmd, "too many --range options (%zu at most)", max);
	{
		/* PATH=DIST:A:B[:C] names a distribution; PATH=LO:HI is uniform. */
		const char *eq = strchr(arg, '=');
		int k = eq ? study_range_dist(r, r->n, eq + 1, arg) : 1;

		if (k < 0)
			return EXIT_USAGE;
		if (k == 0) {
			memset(&r->r[r->n], 0, sizeof(r->r[r->n]));
			if (!(r->r[r->n].path = strndup(arg, (size_t)(eq - arg))) || eq == arg) {
				free(r->r[r->n].path);
				return usage_error(cmd, "--range '%s': expected PATH=VALUES", arg);
			}
			r->paths[r->n] = r->r[r->n].path;
			r->n++;
			return 0;
		}
	}
	if (range_parse(arg, "--range", &r->r[r->n]) < 0)
		return EXIT_USAGE;
	r->paths[r->n] = r->r[r->n].path;
	r->lo[r->n] = r->r[r->n].v[0];
	r->hi[r->n] = r->r[r->n].v[1];
	r->dist[r->n] = RANGE_UNIFORM;
	r->n++;
	return 0;
}


/* The range called PATH (LEN bytes) among R's, or -1. */
static int range_index(const struct study_ranges *r, const char *path, size_t len)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strlen(r->paths[i]) == len && !strncmp(r->paths[i], path, len))
			return (int)i;
	return -1;
}

/* Takes "NAME=PATH,PATH..." as group F. Returns 0 or the exit code. */
static int take_group(const struct study_ranges *r, const char *arg, size_t f, const char *cmd,
		      size_t *group, char **names, char *taken)
{
	const char *eq = strchr(arg, '='), *p;
	size_t len;
	int i;

	len = eq ? (size_t)(eq - arg) : 0;
	if (!eq || !len || strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "0123456789_-.") != len || len > 63)
		return usage_error(cmd, "--group '%s': expected NAME=PATH,PATH... with a "
				   "NAME of letters, digits, '_', '-' and '.' (at most 63)", arg);
	names[f] = strndup(arg, len);
	if (!names[f]) {
		error("out of memory");
		return EXIT_RUNTIME;
	}
	for (p = eq + 1;; p += len + 1) {
		len = strcspn(p, ",");
		i = range_index(r, p, len);
		if (i < 0)
			return usage_error(cmd, "--group %s: '%.*s' is not the PATH of a --range",
					   names[f], (int)len, p);
		if (taken[i])
			return usage_error(cmd, "--group %s: %s is already in a group", names[f],
					   r->paths[i]);
		taken[i] = 1;
		group[i] = f;
		if (!p[len])
			break;
	}
	return 0;
}

int study_groups(const struct study_ranges *r, const char *const *specs, size_t nspecs,
		 const char *cmd, size_t *group, char **names, size_t *k)
{
	char taken[STUDY_MAX_RANGES] = { 0 };
	size_t g, i;
	int ret;

	for (g = 0; g < nspecs; g++) {
		for (i = 0; i < g; i++)
			if (!strncmp(specs[i], specs[g], strcspn(specs[g], "=") + 1))
				return usage_error(cmd, "--group %.*s given twice",
						   (int)strcspn(specs[g], "="), specs[g]);
		if ((ret = take_group(r, specs[g], g, cmd, group, names, taken)) != 0)
			return ret;
	}
	*k = nspecs;
	for (i = 0; i < r->n; i++)
		if (!taken[i]) {
			group[i] = *k;
			names[*k] = strdup(r->paths[i]);
			if (!names[(*k)++]) {
				error("out of memory");
				return EXIT_RUNTIME;
			}
		}
	return 0;
}
