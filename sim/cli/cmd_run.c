/* cmd_run.c - "sim run": simulate one scenario. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
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
#include "engine/trials.h"
#include "cli/runone.h"
#include "engine/summary.h"
#include "cli/usage.h"
#include "models/model.h"

static const char usage_text[] =
	"usage: sim run [CONFIG] [-o DIR] [-n TRIALS] [-s SEED] [-j THREADS]\n"
	"               [--set PATH=VALUE]... [--estimator NAME]\n"
	"               [--precision [FIG=]EPS [--max-trials N]] [--trials-out FILE]\n"
	"               [--json] [--format FMT] [-q]\n\n"
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
	"      --trials-out FILE  also write FILE, a table of every trial: its\n"
	"                      index, the value it drew for each key the config\n"
	"                      gives a distribution, and each figure for that\n"
	"                      trial (its chance under the conditional estimator,\n"
	"                      0 or 1 under the indicator one); for 'sim discover'.\n"
	"                      The trials run a second time for it, in chunks\n"
	"                      (memory stays constant); one process only\n"
	"      --json          print the summary as JSON instead of the table\n"
	"  -q, --quiet         no progress line on stderr\n"
	CLIOPT_FORMAT_HELP
	"  -h, --help          show this help\n\n"
	"The generator is scenario.rng, else $GSL_RNG_TYPE, else taus2.\n"
	"Exit codes: 0 success, 1 runtime failure (I/O), 2 usage or config error.\n";

struct run_own {
	const char *dir;
	const char *trials_out;
	int json;
};

static int run_option(void *ctx, int c, const char *arg)
{
	struct run_own *ro = ctx;

	if (c == 'o' && ro->dir)
		return usage_error("run", "-o given twice ('%s', then '%s')", ro->dir, arg);
	if (c == 'R' && ro->trials_out)
		return usage_error("run", "--trials-out given twice ('%s', then '%s')",
				   ro->trials_out, arg);
	if (c == 'o')
		ro->dir = arg;
	else if (c == 'R')
		ro->trials_out = arg;
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

/* Whether paths A and B name the same existing file. */
static int same_file(const char *a, const char *b)
{
	struct stat x, y;

	return a && b && stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

/* Whether directory names A and B are the same text, trailing slashes
 * and a leading "./" left out (for a directory not made yet). */
static int same_dir_name(const char *a, const char *b)
{
	size_t na, nb;

	a += strncmp(a, "./", 2) ? 0 : 2;
	b += strncmp(b, "./", 2) ? 0 : 2;
	for (na = strlen(a); na > 1 && a[na - 1] == '/'; na--)
		;
	for (nb = strlen(b); nb > 1 && b[nb - 1] == '/'; nb--)
		;
	return na == nb && !strncmp(a, b, na);
}

/* Refuses a --trials-out PATH that would overwrite the CONFIG read or a
 * file that -o DIR writes. Returns 0 or the exit code. */
static int check_trials_out(const char *path, const char *config, const char *dir)
{
	static const char *const outputs[] = { "summary.json", "survival.tsv", "outcomes.tsv",
					       "config.cfg", NULL };
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	char pdir[4096];
	int i;

	if (!strcmp(path, "-") || !*base)
		return usage_error("run", "--trials-out '%s': give a file name (stdout holds the "
				   "table of figures)", path);
	if (same_file(path, config))
		return usage_error("run", "--trials-out '%s' is the config being run", path);
	snprintf(pdir, sizeof(pdir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	for (i = 0; dir && outputs[i]; i++)
		if (!strcmp(base, outputs[i]) &&
		    (same_file(pdir[0] ? pdir : "/", dir) || same_dir_name(pdir, dir)))
			return usage_error("run", "--trials-out '%s' is one of the files -o %s writes",
					   path, dir);
	return 0;
}

/* Writes the table of every trial of RI's run to PATH (all or nothing).
 * Returns the exit code. */
static int write_trials(const struct run_info *ri, const char *path, int threads, int quiet)
{
	const struct scenario *s = ri->sc;
	char dir[4096], trials[32];
	const char *slash = strrchr(path, '/');
	struct afile af;
	struct progress pr;
	volatile sig_atomic_t *stop = sigstop_install();
	size_t j;
	int k;

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return usage_error("run", "--trials-out path is too long");
	if (slash)
		dir[slash - path] = '\0';
	if (atomic_open_named(&af, slash ? (slash == path ? "/" : dir) : ".",
			      slash ? slash + 1 : path) < 0)
		return EXIT_RUNTIME;
	snprintf(trials, sizeof(trials), "%llu", (unsigned long long)ri->t->trials);
	output_header(af.f, ri->cfg, s, trials);
	for (j = 0; j < s->layout->nparams; j++) {
		fputs("# range: ", af.f);
		output_escape(af.f, s->layout->params[j]);
		fputs(" = drawn per trial\n", af.f);
	}
	fputs("# one row per trial: the values it drew, then each figure for it alone "
	      "(empty: the trial has no chance of the event the figure is given)\n", af.f);
	trials_columns(af.f, s, output_escape);
	progress_init(&pr, !quiet && isatty(STDERR_FILENO), "trials");
	k = trials_write(s, 0, ri->t->trials, threads, af.f, stop, progress_show, &pr);
	progress_done(&pr);
	if (k != 0) {
		atomic_discard(&af);
		if (k > 0)
			error("interrupted; %s not written", path);
		return k > 0 ? sigstop_status((int)*stop) : EXIT_RUNTIME;
	}
	if (atomic_commit(&af) < 0)
		return EXIT_RUNTIME;
	if (!quiet)
		fprintf(stderr, "wrote %llu trials to %s\n", (unsigned long long)ri->t->trials, path);
	return EXIT_OK;
}

int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		CLIOPT_TRIALS, CLIOPT_SEED, CLIOPT_THREADS, CLIOPT_SET, CLIOPT_ESTIMATOR,
		CLIOPT_QUIET,
		CLIOPT_PRECISION,
		{ "json", no_argument, NULL, 'J' },
		{ "trials-out", required_argument, NULL, 'R' },
		CLIOPT_FORMAT,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir, *path = NULL;
	int json, threads, ret = EXIT_OK, r;
	struct run_own ro = { NULL, NULL, 0 };
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

	if (ro.trials_out && cluster_size() > 1)
		return usage_error("run", "--trials-out writes from one process; run it without mpirun");
	if (ro.trials_out && (r = check_trials_out(ro.trials_out, path, dir)) != 0)
		return r;
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
	if (ret == EXIT_OK && ro.trials_out)
		ret = write_trials(&ri, ro.trials_out, threads, o.quiet);
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
