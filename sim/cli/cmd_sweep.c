/* cmd_sweep.c - "sim sweep": a full factorial grid over config paths. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/builtin.h"
#include "cli/studyopt.h"
#include "cli/usage.h"

#define MAX_VARY 16
#define MAX_POINTS 100000000ULL

static const char usage_text[] =
	"usage: sim sweep [CONFIG] --vary PATH=LO:HI:N [--vary PATH=V1,V2,...]...\n"
	"                 [-o DIR] [-n TRIALS] [-s SEED] [-j THREADS] [--set PATH=VALUE]...\n"
	"                 [--estimator NAME] [--independent]\n"
	"                 [--precision [FIG=]EPS [--max-trials N]]\n"
	"                 [--resume DIR] [--progress] [--format FMT] [-q]\n\n"
	"Runs the scenario at every point of a grid: each --vary names a numeric\n"
	"config path (as --set does: 'guarantors.[0].guarantee.strength',\n"
	"'guarantors.[United States].interest.mean') and its values, N evenly\n"
	"spaced from LO to HI or listed (decimal numbers, none empty). The grid\n"
	"is their full factorial. Each --vary names a setting of its own (not\n"
	"one named by another, by index or by name); scenario.trials and\n"
	"scenario.seed are set with -n and -s, not varied.\n\n"
	"Output: sweep.tsv (on stdout without -o), a row per point with the varied\n"
	"values, the trials used, and every summary figure with its 95% interval\n"
	"(columns NAME, NAME_ci_lo, NAME_ci_hi); the first --vary changes slowest,\n"
	"and a blank line separates the runs of the last one, so gnuplot's pm3d\n"
	"reads a 2-D grid as it is. Rows are written as points finish to\n"
	"DIR/sweep.tsv.partial, renamed to DIR/sweep.tsv at the end.\n\n"
	"  -o, --output DIR     write DIR/sweep.tsv\n"
	"  -n, --trials N       trials per point (overrides scenario.trials)\n"
	"  -s, --seed S         seed (overrides scenario.seed)\n"
	"  -j, --threads N      threads (default: all cores); same bytes for any N\n"
	"      --set PATH=VALUE override a config value at every point\n"
	"      --estimator NAME conditional (default) or indicator: see 'sim run\n"
	"                       --help'\n"
	"      --independent    draw each point's trials from its own streams; by\n"
	"                       default trial i draws the same numbers at every\n"
	"                       point (common random numbers: smooth curves,\n"
	"                       precise differences between points)\n"
	"      --precision [FIG=]EPS  per point, add trials until the 95%\n"
	"                       half-width of FIG (default p_deterred) is at most EPS\n"
	"      --max-trials N   at most N trials per point with --precision\n"
	"                       (default 10000000); needs --precision\n"
	"      --resume DIR     finish a sweep into DIR that was interrupted; give\n"
	"                       the same config and options as the first time\n"
	"                       (checked: the config by content, every option\n"
	"                       that changes results, every row), instead of -o\n"
	"      --progress       show progress even when stderr is not a terminal\n"
	"  -q, --quiet          no progress, no closing summary on stderr\n"
	CLIOPT_FORMAT_HELP
	"  -h, --help           show this help\n\n"
	"SIGINT or SIGTERM stops a sweep within a second, keeping the points\n"
	"finished so far in DIR/sweep.tsv.partial; exit code 128 + the signal's\n"
	"number. Under mpirun, Ctrl-C makes mpirun itself return 1 (see\n"
	"docs/cluster.md).\n"
	"Exit codes: 0 success, 1 runtime failure, 2 usage or config error.\n";

struct grid {
	struct vary vary[MAX_VARY];
	char *paths[MAX_VARY];
	size_t nvary;
	uint64_t total;
};

/* Values of point P: the last --vary changes fastest. */
static void grid_values(const void *ctx, uint64_t p, double *x)
{
	const struct grid *g = ctx;
	size_t j = g->nvary;

	while (j-- > 0) {
		x[j] = g->vary[j].v[p % g->vary[j].n];
		p /= g->vary[j].n;
	}
}

/* Blank lines after the row of point P: one where the last --vary wraps,
 * two where the one before it wraps too (gnuplot's data blocks), none
 * after the last row. */
static int grid_blank(const void *ctx, uint64_t p)
{
	const struct grid *g = ctx;
	size_t j;
	int n = 0;

	if (g->nvary < 2 || p + 1 == g->total)
		return 0;
	for (j = g->nvary; j-- > 1 && n < 2; p /= g->vary[j].n) {
		if (p % g->vary[j].n != g->vary[j].n - 1)
			break;
		n++;
	}
	return n;
}

/* Values of the check points: each value of each --vary in turn, the
 * others at their first value. */
struct check {
	const struct grid *g;
};

static void check_values(const void *ctx, uint64_t p, double *x)
{
	const struct grid *g = ((const struct check *)ctx)->g;
	size_t j;

	for (j = 0; j < g->nvary; j++)
		x[j] = g->vary[j].v[0];
	for (j = 0; j < g->nvary; p -= g->vary[j].n, j++)
		if (p < g->vary[j].n) {
			x[j] = g->vary[j].v[p];
			break;
		}
}

static int sweep_option(void *ctx, int c, const char *arg)
{
	struct grid *g = ctx;

	if (c != 'V')
		return usage_error("sweep", "unknown option");
	if (g->nvary == MAX_VARY)
		return usage_error("sweep", "too many --vary options (%d at most)", MAX_VARY);
	if (vary_parse(arg, "--vary", &g->vary[g->nvary]) < 0)
		return EXIT_USAGE;
	g->paths[g->nvary] = g->vary[g->nvary].path;
	g->nvary++;
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	static const struct option opts[] = {
		STUDY_OPTIONS,
		{ "vary", required_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct study st, chk;
	struct study_args a;
	struct grid g;
	struct check ck = { &g };
	struct cfg c0;
	struct scenario s0;
	char *extra[MAX_VARY + 1];
	size_t j, nextra = 0;
	int ret;

	memset(&g, 0, sizeof(g));
	study_init(&st, &a, "sweep", "sweep.tsv");
	ret = study_parse(&st, &a, argc, argv, opts, usage_text, sweep_option, &g);
	if (ret)
		goto out;
	if (!g.nvary) {
		ret = usage_error("sweep", "no --vary given");
		goto out;
	}
	for (g.total = 1, j = 0; j < g.nvary; j++) {
		if (g.total > MAX_POINTS / g.vary[j].n) {
			ret = usage_error("sweep", "the grid has more than %llu points", MAX_POINTS);
			goto out;
		}
		g.total *= g.vary[j].n;
	}
	if (points_check_paths(&st.po, g.nvary, g.paths, "--vary") < 0) {
		ret = EXIT_USAGE;
		goto out;
	}
	st.nvar = chk.nvar = g.nvary;
	st.paths = g.paths;
	st.total = g.total;
	st.values = grid_values;
	st.blank = grid_blank;
	st.ctx = &g;

	/* A bad value stops the sweep before anything is written. */
	chk = st;
	chk.values = check_values;
	chk.ctx = &ck;
	for (chk.total = 0, j = 0; j < g.nvary; j++)
		chk.total += g.vary[j].n;
	if (study_check(&chk, chk.total, &c0, &s0) < 0) {
		ret = EXIT_USAGE;
		goto out;
	}
	if ((ret = cliopt_check_precision(&st.po.prec, s0.layout, "sweep")) != 0) {
		scenario_release(&s0);
		cfg_release(&c0);
		goto out;
	}
	for (j = 0; j < g.nvary; j++) {
		char *list = NULL, v[40];
		size_t k, len = 0;
		FILE *f = open_memstream(&list, &len);

		for (k = 0; k < g.vary[j].n; k++)
			fprintf(f, "%s%s", k ? "," : "", points_format_value(v, g.vary[j].v[k]));
		fclose(f);
		extra[nextra++] = study_line("vary: %s = %s", g.paths[j], list);
		free(list);
	}
	extra[nextra++] = study_line("sweep: %llu points, a row each; the first vary changes "
				     "slowest", (unsigned long long)g.total);
	ret = study_start(&st, &c0, &s0, extra, nextra);
out:
	for (j = 0; j < g.nvary; j++)
		vary_release(&g.vary[j]);
	return ret < 0 ? EXIT_OK : ret;
}
