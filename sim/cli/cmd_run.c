/* cmd_run.c - "sim run": simulate one scenario. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <omp.h>

#include "core/atomic.h"
#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "engine/cluster.h"
#include "core/gslerr.h"
#include "engine/engine.h"
#include "io/output.h"
#include "engine/progress.h"
#include "engine/scenario.h"
#include "engine/sigstop.h"
#include "cli/runone.h"
#include "engine/summary.h"
#include "cli/usage.h"
#include "models/model.h"

static const char usage_text[] =
	"usage: sim run [CONFIG] [-o DIR] [-n TRIALS] [-s SEED] [-j THREADS]\n"
	"               [--set PATH=VALUE]... [--estimator NAME]\n"
	"               [--precision [FIG=]EPS [--max-trials N]] [--json] [-q]\n\n"
	"Simulates the scenario in CONFIG (without one, the embedded default: a\n"
	"post-ceasefire Ukraine with three guarantors) and prints every summary\n"
	"figure with its 95% confidence interval.\n\n"
	"  -o, --output DIR    also write summary.json, survival.tsv, outcomes.tsv\n"
	"                      and config.cfg (the resolved config) into DIR, which\n"
	"                      is locked meanwhile (another writer fails at once)\n"
	"  -n, --trials N      trials to run (overrides scenario.trials)\n"
	"  -s, --seed S        seed, 0 to 2^63-1 (overrides scenario.seed)\n"
	"  -j, --threads N     threads (default: all cores, or OMP_NUM_THREADS);\n"
	"                      results are the same bytes for any N\n"
	"      --set PATH=VALUE  override a config value by its path, e.g.\n"
	"                      --set target.troop_cap=600000\n"
	"                      --set guarantors.[0].guarantee.strength=0.8\n"
	"                      --set 'guarantors.[United States].interest=0.5'\n"
	"                      VALUE may be a number, a string or a libconfig\n"
	"                      group such as '{ dist = \"uniform\"; min = 0; max = 1; }'\n"
	"      --estimator NAME  conditional (default: each trial adds its chances\n"
	"                      of attack and of each outcome, given the path it\n"
	"                      drew; far narrower intervals) or indicator (each\n"
	"                      trial adds 0 or 1); same as --set\n"
	"                      scenario.estimator=NAME (see docs/studies.md)\n"
	"      --precision [FIG=]EPS  add trials until the 95% half-width of\n"
	"                      figure FIG (default p_deterred) is at most EPS\n"
	"                      (scenario.trials is then ignored)\n"
	"      --max-trials N  at most N trials with --precision (default 10000000);\n"
	"                      needs --precision\n"
	"      --json          print the summary as JSON instead of the table\n"
	"  -q, --quiet         no progress line on stderr\n"
	"  -h, --help          show this help\n\n"
	"The generator is scenario.rng, else $GSL_RNG_TYPE, else taus2.\n"
	"Exit codes: 0 success, 1 runtime failure (I/O), 2 usage or config error.\n";

struct run_own {
	const char *dir;
	int json;
};

static int run_option(void *ctx, int c, const char *arg)
{
	struct run_own *ro = ctx;

	if (c == 'o' && ro->dir)
		return usage_error("run", "-o given twice ('%s', then '%s')", ro->dir, arg);
	if (c == 'o')
		ro->dir = arg;
	else if (c == 'J')
		ro->json = 1;
	else
		return usage_error("run", "unknown option");
	return 0;
}

/* Writes the files of RI into DIR (when not NULL) and shows its figures,
 * as JSON when JSON. Returns the exit code. */
static int show(const struct run_info *ri, const char *dir, int json)
{
	int ret = EXIT_OK;

	if (dir && output_dir(dir, ri) < 0)
		return EXIT_RUNTIME;
	if (json) {
		json_t *j = output_json(ri);

		if (output_dump_json(stdout, j) < 0)
			ret = EXIT_RUNTIME;
		json_decref(j);
	} else if (output_table(stdout, ri) < 0) {
		ret = EXIT_RUNTIME;
	}
	return ret;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		CLIOPT_TRIALS, CLIOPT_SEED, CLIOPT_THREADS, CLIOPT_SET, CLIOPT_ESTIMATOR,
		CLIOPT_QUIET,
		CLIOPT_PRECISION,
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir, *path = NULL;
	int json, threads, ret = EXIT_OK, r;
	struct run_own ro = { NULL, 0 };
	struct cliopt o;
	struct cfg cfg;
	struct scenario sc;
	struct tally t;
	struct figure *fig = NULL;
	struct run_info ri;
	struct precision prec;

	cliopt_init(&o);
	r = cliopt_parse(&o, argc, argv, ":o:n:s:j:qh", opts, "run", usage_text, run_option, &ro);
	if (r)
		return r < 0 ? EXIT_OK : r;
	dir = ro.dir;
	json = ro.json;
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc)
		return usage_error("run", "more than one CONFIG given ('%s')", argv[optind]);

	sigstop_install();	/* a signal while the scenario loads stops the run */
	if (scenario_open(&sc, &cfg, path, o.sets, o.nsets, o.trials_p, o.seed_p) < 0) {
		cfg_release(&cfg);
		return EXIT_USAGE;
	}
	prec = cliopt_precision(&o);
	if (cliopt_check_precision(&prec, sc.layout, "run")) {
		scenario_release(&sc);
		cfg_release(&cfg);
		return EXIT_USAGE;
	}
	/* The directory is locked for the whole run: another writer fails now. */
	if (dir && cluster_rank() == 0 && atomic_lock(dir) < 0) {
		ret = EXIT_RUNTIME;
		goto out_cfg;
	}
	threads = o.threads ? o.threads : omp_get_max_threads();
	ri.cfg = &cfg;
	ri.sc = &sc;
	fig = malloc(sizeof(*fig) * summary_count(sc.layout));
	if (!fig) {
		error("out of memory");
		ret = EXIT_RUNTIME;
		goto out_cfg;
	}
	/* Under MPI, the trials are split among the processes. */
	ret = runone(&ri, &t, fig, &prec, threads, o.quiet, 1);
	/* Every process has the counts; the first writes. */
	if (ret != EXIT_OK || cluster_rank() != 0)
		goto out;
	/* The resolved config states the trials that ran. */
	cfg_put_int(config_lookup(&cfg.lc, "scenario"), "trials", (long long)t.trials);

	ret = show(&ri, dir, json);
	if (cliopt_flush())
		ret = EXIT_RUNTIME;
	if (dir && !o.quiet && ret == EXIT_OK)
		fprintf(stderr, "wrote summary.json, survival.tsv, outcomes.tsv, config.cfg to %s/\n", dir);
out:
	tally_release(&t);
out_cfg:
	free(fig);
	scenario_release(&sc);
	cfg_release(&cfg);
	return ret;
}
