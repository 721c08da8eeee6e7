/* cmd_report.c - "sim report": runs a scenario and reports on it, or
 * reports on a finished output directory of run, compare, sweep,
 * sensitivity, screen, discover or robust (cli/report.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <omp.h>

#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "cli/report.h"
#include "cli/runone.h"
#include "cli/usage.h"
#include "core/atomic.h"
#include "engine/sigstop.h"
#include "io/chart.h"
#include "io/output.h"

static const char usage_text[] =
	"usage: sim report [CONFIG] -o DIR [-n TRIALS] [-s SEED] [-j THREADS]\n"
	"                  [--set PATH=VALUE]... [--estimator NAME] [--pdf]\n"
	"                  [--format FMT] [-q]\n"
	"       sim report DIR [--pdf] [-q]\n\n"
	"Writes a report an analyst can hand in: DIR/report.md and a self-contained\n"
	"DIR/report.html (charts inline as SVG, drawn with gnuplot).\n\n"
	"With CONFIG (or none: the embedded default scenario) and -o DIR, runs the\n"
	"scenario, prints the table of 'sim run', writes the files of 'sim run -o\n"
	"DIR' and reports on them: key findings in words (p_deterred with its 95%\n"
	"interval, how attacks end, which actor is most likely to come, the survival\n"
	"at years 1, 5 and 10), the results, how the simulated futures end, the\n"
	"charts, what the figures mean, the assumptions with the config's own\n"
	"comments on each value (its source or judgement), and the provenance.\n\n"
	"With DIR, a finished output directory, reports on what it holds: a run\n"
	"(summary.json), a comparison (compare.tsv: the scenarios side by side with\n"
	"their paired differences and what differs in their configs), a sweep\n"
	"(sweep.tsv: its chart and where p_deterred crosses 50% and 90%,\n"
	"interpolated), a sensitivity study (sensitivity.tsv: Sobol' indices, a\n"
	"tornado chart), a screening (screen.tsv), a discovery (boxes.tsv) or a\n"
	"robustness study (designs.tsv). See docs/reports.md.\n\n"
	"  -o, --output DIR  where to run and write (required with CONFIG); locked\n"
	"                    meanwhile, and it cannot hold spaces, quotes,\n"
	"                    backslashes, '$', '`' or control characters (gnuplot\n"
	"                    reads it)\n"
	"      --pdf         also print report.html to DIR/report.pdf with a headless\n"
	"                    Chromium (sudo apt-get install chromium)\n"
	CLIOPT_FORMAT_HELP
	"  -q, --quiet       no progress line, no list of the files written\n"
	"  The other options are those of 'sim run'.\n"
	"Exit codes: 0 success, 1 runtime failure (or gnuplot missing, or Chromium\n"
	"missing with --pdf, or DIR in use), 2 usage or config error, or a DIR with\n"
	"nothing to report on, 128 + N when stopped by signal N.\n";

/* The options of the command's own. */
struct report_opts {
	const char *dir;
	int pdf;
};

static int own_option(void *ctx, int c, const char *arg)
{
	struct report_opts *ro = ctx;

	if (c == 'p') {
		ro->pdf = 1;
		return 0;
	}
	return cliopt_output(&ro->dir, c, arg);
}

/* Runs the scenario of CONFIG (NULL: the default) as O says, writes its
 * files into DIR and reports on them. Returns the exit code. */
static int run_and_report(const char *gnuplot, const char *path, const char *dir,
			  const struct cliopt *o)
{
	int threads, ret;
	struct cfg cfg;
	struct scenario sc;
	struct tally t;
	struct figure *fig = NULL;
	struct run_info ri;
	struct precision prec = { 0, 0, 0 };

	if (scenario_open(&sc, &cfg, path, o->sets, o->nsets, o->trials_p, o->seed_p) < 0) {
		cfg_release(&cfg);
		return EXIT_USAGE;
	}
	memset(&t, 0, sizeof(t));
	/* The directory is locked for the whole command: another writer fails now. */
	ret = atomic_lock(dir) < 0 ? EXIT_RUNTIME : EXIT_OK;
	threads = o->threads ? o->threads : omp_get_max_threads();
	ri.cfg = &cfg;
	ri.sc = &sc;
	fig = ret == EXIT_OK ? malloc(sizeof(*fig) * summary_count(sc.layout)) : NULL;
	if (ret == EXIT_OK && !fig) {
		error("out of memory");
		ret = EXIT_RUNTIME;
	}
	if (ret == EXIT_OK)
		ret = runone(&ri, &t, fig, &prec, threads, o->quiet, 0);
	if (ret == EXIT_OK && output_dir(dir, &ri) < 0)
		ret = EXIT_RUNTIME;
	/* Ctrl-C from here on stops with 128 + N too, leaving no chart or
	 * report half-written (the data files are whole). */
	sigstop_install();
	if (ret == EXIT_OK)
		ret = report_dir(dir, gnuplot, 1);
	if (ret == EXIT_OK)
		output_table(stdout, &ri);
	if (ret == EXIT_OK && cliopt_flush())
		ret = EXIT_RUNTIME;
	free(fig);
	tally_release(&t);
	scenario_release(&sc);
	cfg_release(&cfg);
	return ret;
}

/* Whether O holds an option of a run (not for a finished directory). */
static int run_options(const struct cliopt *o)
{
	return o->nsets > 0 || o->trials_p || o->seed_p || o->threads || o->estimator[0];
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		CLIOPT_TRIALS, CLIOPT_SEED, CLIOPT_THREADS, CLIOPT_SET, CLIOPT_ESTIMATOR,
		CLIOPT_QUIET,
		CLIOPT_FORMAT,
		{ "pdf", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char gnuplot[4096];
	const char *path = NULL, *dir;
	struct report_opts ro = { NULL, 0 };
	struct cliopt o;
	struct stat st;
	int r, finished = 0;

	cliopt_init(&o);
	r = cliopt_parse(&o, argc, argv, ":o:n:s:j:qh", opts, "report", usage_text, own_option, &ro);
	if (r)
		return r < 0 ? EXIT_OK : r;
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc)
		return usage_error("report", "more than one CONFIG or DIR given ('%s')", argv[optind]);
	finished = path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	if (finished && ro.dir)
		return usage_error("report", "'%s' is a directory: 'sim report DIR' writes its report "
				   "into DIR, without -o", path);
	if (finished && run_options(&o))
		return usage_error("report", "-n, -s, -j, --set and --estimator are options of a run; "
				   "'%s' is a finished directory", path);
	if (!finished && !ro.dir)
		return usage_error("report", "no -o DIR given (or a DIR of results to report on)");
	dir = finished ? path : ro.dir;
	if (chart_check_path(dir) < 0)
		return EXIT_USAGE;
	if (chart_find_gnuplot(gnuplot, sizeof(gnuplot)) < 0) {
		error("gnuplot is not installed (or not on PATH), and a report needs its charts; "
		      "install it with: %s", CHART_INSTALL);
		return EXIT_RUNTIME;
	}
	if (finished)
		r = atomic_lock(dir) < 0 ? EXIT_RUNTIME : report_dir(dir, gnuplot, o.quiet);
	else
		r = run_and_report(gnuplot, path, dir, &o);
	if (r == EXIT_OK && !finished && !o.quiet)
		fprintf(stderr, "wrote %s/report.html and %s/report.md (with survival.svg, "
			"outcomes.svg and the data files)\n", dir, dir);
	if (r == EXIT_OK && ro.pdf)
		r = report_pdf(dir, o.quiet);
	return r;
}
