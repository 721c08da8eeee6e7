/* cmd_sweep.c - "sim sweep": a full factorial grid over config paths. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <omp.h>

#include "atomic.h"
#include "builtin.h"
#include "gslerr.h"
#include "output.h"
#include "points.h"
#include "progress.h"
#include "sigstop.h"
#include "usage.h"

#define MAX_VARY 16
#define MAX_POINTS 100000000ULL

static const char usage_text[] =
	"usage: sim sweep [CONFIG] --vary PATH=LO:HI:N [--vary PATH=V1,V2,...]...\n"
	"                 [-o DIR] [-n TRIALS] [-s SEED] [-j THREADS] [--set PATH=VALUE]...\n"
	"                 [--independent] [--precision EPS [--max-trials N]]\n"
	"                 [--resume DIR] [--progress] [-q]\n\n"
	"Runs the scenario at every point of a grid: each --vary names a numeric\n"
	"config path (as --set does: 'guarantors.[0].guarantee.strength',\n"
	"'guarantors.[United States].interest.mean') and its values, N evenly\n"
	"spaced from LO to HI or listed. The grid is their full factorial.\n\n"
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
	"      --independent    draw each point's trials from its own streams; by\n"
	"                       default trial i draws the same numbers at every\n"
	"                       point (common random numbers: smooth curves,\n"
	"                       precise differences between points)\n"
	"      --precision EPS  per point, add trials until the 95% half-width of\n"
	"                       p_deterred is at most EPS\n"
	"      --max-trials N   at most N trials per point with --precision\n"
	"                       (default 10000000)\n"
	"      --resume DIR     finish a sweep into DIR that was interrupted; give\n"
	"                       the same arguments as the first time\n"
	"      --progress       show progress even when stderr is not a terminal\n"
	"  -q, --quiet          no progress, no closing summary on stderr\n"
	"  -h, --help           show this help\n\n"
	"SIGINT or SIGTERM stops a sweep after the points finished so far, which\n"
	"stay in DIR/sweep.tsv.partial; exit code 128 + the signal's number.\n"
	"Exit codes: 0 success, 1 runtime failure, 2 usage or config error.\n";

struct sweep {
	struct points_opts po;
	struct vary vary[MAX_VARY];
	char *paths[MAX_VARY];
	size_t nvary;
	uint64_t total;
	const char *dir;
	int resume, quiet, progress;
};

/* Values of point P: the last --vary changes fastest. */
static void point_values(const struct sweep *w, uint64_t p, double *x, size_t *idx)
{
	size_t j = w->nvary;

	while (j-- > 0) {
		idx[j] = (size_t)(p % w->vary[j].n);
		x[j] = w->vary[j].v[idx[j]];
		p /= w->vary[j].n;
	}
}

/* Blank lines after the row of point P: one where the last --vary wraps,
 * two where the one before it wraps too (gnuplot's data blocks), none
 * after the last row. */
static int blank_lines(const struct sweep *w, uint64_t p)
{
	size_t idx[MAX_VARY], j;
	double x[MAX_VARY];
	int n = 0;

	if (w->nvary < 2 || p + 1 == w->total)
		return 0;
	point_values(w, p, x, idx);
	for (j = w->nvary; j-- > 1 && idx[j] == w->vary[j].n - 1 && n < 2;)
		n++;
	return n;
}

/* Checks every value of every --vary (the others at their first value),
 * so that a bad value stops the sweep before anything is written. On
 * success leaves point 0's scenario in *S0 and its config in *C0. */
static int check_points(const struct sweep *w, struct cfg *c0, struct scenario *s0)
{
	double x[MAX_VARY];
	size_t idx[MAX_VARY], j, i;
	struct cfg c;
	struct scenario s;

	point_values(w, 0, x, idx);
	if (point_open(&w->po, w->nvary, w->paths, x, 0, c0, s0) < 0)
		return -1;
	for (j = 0; j < w->nvary; j++)
		for (i = 1; i < w->vary[j].n; i++) {
			double saved = x[j];
			int r;

			x[j] = w->vary[j].v[i];
			r = point_open(&w->po, w->nvary, w->paths, x, 0, &c, &s);
			x[j] = saved;
			if (r == 0)
				scenario_release(&s);
			cfg_release(&c);
			if (r < 0)
				return -1;
		}
	return 0;
}

/* Writes the header of the sweep's TSV into a new string. */
static char *header(const struct sweep *w, const struct cfg *c0, const struct scenario *s0)
{
	char *text = NULL, trials[160];
	size_t len = 0, j;
	FILE *f = open_memstream(&text, &len);
	int i;

	if (w->po.prec.eps > 0)
		snprintf(trials, sizeof(trials), "per point, until the 95%% half-width of "
			 "p_deterred is at most %g, at most %llu (column trials)",
			 w->po.prec.eps, (unsigned long long)w->po.prec.max_trials);
	else
		snprintf(trials, sizeof(trials), "%llu per point", (unsigned long long)s0->trials);
	output_header(f, c0->name, s0, trials);
	fprintf(f, "# streams: %s\n", w->po.independent
		? "independent (each point draws from streams of its own)"
		: "common (trial i draws the same numbers at every point)");
	for (i = 0; i < w->po.nsets; i++)
		fprintf(f, "# set: %s\n", w->po.sets[i]);
	for (j = 0; j < w->nvary; j++) {
		char v[40];
		size_t k;

		fprintf(f, "# vary: %s =", w->paths[j]);
		for (k = 0; k < w->vary[j].n; k++)
			fprintf(f, "%s%s", k ? "," : " ", points_format_value(v, w->vary[j].v[k]));
		fputc('\n', f);
	}
	fprintf(f, "# sweep: %llu points, a row each; the first vary changes slowest\n",
		(unsigned long long)w->total);
	fputs("# ", f);
	for (j = 0; j < w->nvary; j++)
		fprintf(f, "%s%s", j ? "\t" : "", w->paths[j]);
	points_figure_columns(f);
	fputc('\n', f);
	fclose(f);
	return text;
}

/* Opens DIR/sweep.tsv.partial to continue it: checks its header is HEAD
 * and counts its rows into *DONE; drops a last line cut short. */
static FILE *open_resume(const char *partial, const char *head, uint64_t *done)
{
	FILE *f = fopen(partial, "r");
	char *line = NULL;
	size_t cap = 0, hl = strlen(head);
	ssize_t n;
	long keep = 0;
	char *text;
	uint64_t rows = 0;

	if (!f) {
		error("cannot resume: cannot read '%s': %s", partial, strerror(errno));
		return NULL;
	}
	text = malloc(hl + 1);
	if (fread(text, 1, hl, f) != hl || memcmp(text, head, hl)) {
		free(text);
		fclose(f);
		error("cannot resume: '%s' was written by a different sweep (its header "
		      "differs); give the same config and options as the first time", partial);
		return NULL;
	}
	free(text);
	keep = (long)hl;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] != '\n')
			break;
		keep += (long)n;
		if (line[0] != '\n' && line[0] != '#')
			rows++;
	}
	free(line);
	fclose(f);
	if (truncate(partial, keep) < 0) {
		error("cannot resume: cannot truncate '%s': %s", partial, strerror(errno));
		return NULL;
	}
	*done = rows;
	f = fopen(partial, "a");
	if (!f)
		error("cannot resume: cannot append to '%s': %s", partial, strerror(errno));
	return f;
}

static int parse_options(struct sweep *w, int argc, char **argv, char **sets,
			 uint64_t *trials, uint64_t *seed)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "trials", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "threads", required_argument, NULL, 'j' },
		{ "set", required_argument, NULL, 'S' },
		{ "vary", required_argument, NULL, 'V' },
		{ "independent", no_argument, NULL, 'I' },
		{ "precision", required_argument, NULL, 'P' },
		{ "max-trials", required_argument, NULL, 'M' },
		{ "resume", required_argument, NULL, 'R' },
		{ "progress", no_argument, NULL, 'G' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	unsigned long long v;
	char *end;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":o:n:s:j:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			w->dir = optarg;
			break;
		case 'n':
			if (parse_u64(optarg, 1, SCENARIO_MAX_TRIALS, &v) < 0)
				return usage_error("sweep", "-n: expected a whole number of trials "
						   "from 1 to %lld, got '%s'", SCENARIO_MAX_TRIALS, optarg);
			*trials = v;
			w->po.trials = trials;
			break;
		case 's':
			if (parse_u64(optarg, 0, INT64_MAX, &v) < 0)
				return usage_error("sweep", "-s: expected a seed from 0 to %lld, got '%s'",
						   (long long)INT64_MAX, optarg);
			*seed = v;
			w->po.seed = seed;
			break;
		case 'j':
			if (parse_u64(optarg, 1, 1024, &v) < 0)
				return usage_error("sweep", "-j: expected a number of threads from 1 "
						   "to 1024, got '%s'", optarg);
			w->po.threads = (int)v;
			break;
		case 'S':
			if (w->po.nsets == 256)
				return usage_error("sweep", "too many --set options (256 at most)");
			sets[w->po.nsets++] = optarg;
			break;
		case 'V':
			if (w->nvary == MAX_VARY)
				return usage_error("sweep", "too many --vary options (%d at most)", MAX_VARY);
			if (vary_parse(optarg, "--vary", &w->vary[w->nvary]) < 0)
				return EXIT_USAGE;
			w->paths[w->nvary] = w->vary[w->nvary].path;
			w->nvary++;
			break;
		case 'I':
			w->po.independent = 1;
			break;
		case 'P':
			errno = 0;
			w->po.prec.eps = strtod(optarg, &end);
			if (end == optarg || *end || errno || !(w->po.prec.eps > 0) ||
			    !(w->po.prec.eps < 0.5))
				return usage_error("sweep", "--precision: expected a half-width "
						   "between 0 and 0.5, got '%s'", optarg);
			break;
		case 'M':
			if (parse_u64(optarg, 1, SCENARIO_MAX_TRIALS, &v) < 0)
				return usage_error("sweep", "--max-trials: expected a whole number "
						   "from 1 to %lld, got '%s'", SCENARIO_MAX_TRIALS, optarg);
			w->po.prec.max_trials = v;
			break;
		case 'R':
			w->dir = optarg;
			w->resume = 1;
			break;
		case 'G':
			w->progress = 1;
			break;
		case 'q':
			w->quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return -1;
		case ':':
			return usage_error("sweep", "option '%s' needs a value", argv[optind - 1]);
		default:
			return usage_error("sweep", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		w->po.config = argv[optind++];
	if (optind < argc)
		return usage_error("sweep", "more than one CONFIG given ('%s')", argv[optind]);
	if (!w->nvary)
		return usage_error("sweep", "no --vary given");
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	struct sweep w;
	char *sets[256], *head = NULL, *partial = NULL, *final = NULL;
	uint64_t trials, seed, p, done = 0, trial_steps = 0, trials_run = 0;
	struct cfg c0;
	struct scenario s0;
	struct progress pr;
	FILE *out = NULL;
	size_t j;
	int ret = EXIT_OK, r;
	double t0;

	memset(&w, 0, sizeof(w));
	w.po.sets = sets;
	w.po.prec.max_trials = 10000000;
	r = parse_options(&w, argc, argv, sets, &trials, &seed);
	if (r) {
		ret = r < 0 ? EXIT_OK : r;
		goto out_vary;
	}
	if (!w.po.threads)
		w.po.threads = omp_get_max_threads();
	for (w.total = 1, j = 0; j < w.nvary; j++) {
		if (w.total > MAX_POINTS / w.vary[j].n) {
			ret = usage_error("sweep", "the grid has more than %llu points", MAX_POINTS);
			goto out_vary;
		}
		w.total *= w.vary[j].n;
	}
	if (check_points(&w, &c0, &s0) < 0) {
		cfg_release(&c0);
		ret = EXIT_USAGE;
		goto out_vary;
	}
	head = header(&w, &c0, &s0);
	scenario_release(&s0);
	cfg_release(&c0);

	if (!w.dir) {
		out = stdout;
		fputs(head, out);
	} else {
		size_t n = strlen(w.dir) + 32;

		partial = malloc(n);
		final = malloc(n);
		snprintf(partial, n, "%s/sweep.tsv.partial", w.dir);
		snprintf(final, n, "%s/sweep.tsv", w.dir);
		if (w.resume) {
			if (access(partial, F_OK) < 0 && access(final, F_OK) == 0) {
				error("nothing to resume: '%s' is complete", final);
				ret = EXIT_USAGE;
				goto out;
			}
			out = open_resume(partial, head, &done);
		} else if (atomic_mkdirs(w.dir) == 0) {
			out = fopen(partial, "w");
			if (!out)
				error("cannot create '%s': %s", partial, strerror(errno));
			else
				fputs(head, out);
		}
		if (!out) {
			ret = w.resume ? EXIT_USAGE : EXIT_RUNTIME;
			goto out;
		}
	}
	fflush(out);

	w.po.stop = sigstop_install();
	progress_init(&pr, !w.quiet && (w.progress || isatty(STDERR_FILENO)), "points");
	t0 = progress_now();
	for (p = done; p < w.total; p++) {
		double x[MAX_VARY];
		size_t idx[MAX_VARY];
		struct cfg c;
		struct scenario s;
		struct tally t;
		struct figure fig[N_FIGURES];
		char v[40];
		int b;

		point_values(&w, p, x, idx);
		if (point_open(&w.po, w.nvary, w.paths, x, p, &c, &s) < 0) {
			cfg_release(&c);
			ret = EXIT_USAGE;
			break;
		}
		r = point_run(&w.po, &s, &t, fig);
		if (r == 0 && !sim_gsl_failed()) {
			for (j = 0; j < w.nvary; j++)
				fprintf(out, "%s%s", j ? "\t" : "", points_format_value(v, x[j]));
			points_figure_fields(out, t.trials, fig);
			fputc('\n', out);
			for (b = blank_lines(&w, p); b > 0; b--)
				fputc('\n', out);
			trials_run += t.trials;
			trial_steps += t.trial_steps;
		}
		tally_release(&t);
		scenario_release(&s);
		cfg_release(&c);
		if (fflush(out) != 0 || ferror(out)) {
			error("cannot write '%s': %s", w.dir ? partial : "stdout", strerror(errno));
			ret = EXIT_RUNTIME;
			break;
		}
		if (r != 0 || sim_gsl_failed()) {
			ret = r > 0 ? sigstop_exit_code((int)*w.po.stop) : EXIT_RUNTIME;
			break;
		}
		progress_show(&pr, p + 1 - done, w.total - done);
	}
	progress_done(&pr);
	if (ret != EXIT_OK) {
		if (w.dir) {
			fclose(out);
			out = NULL;
		}
		if (ret > 128)
			error("interrupted after %llu of %llu points%s%s%s", (unsigned long long)p,
			      (unsigned long long)w.total,
			      w.dir ? "; they are in " : "", w.dir ? partial : "",
			      w.dir ? "; to finish, run the same command with --resume DIR" : "");
		goto out;
	}
	if (w.dir) {
		r = fsync(fileno(out));
		if (fclose(out) != 0 || r != 0) {
			out = NULL;
			error("cannot write '%s': %s", partial, strerror(errno));
			ret = EXIT_RUNTIME;
			goto out;
		}
		out = NULL;
		if (rename(partial, final) < 0) {
			error("cannot rename '%s' to '%s': %s", partial, final, strerror(errno));
			ret = EXIT_RUNTIME;
			goto out;
		}
	}
	if (!w.quiet) {
		double el = progress_now() - t0;

		fprintf(stderr, "sweep: %llu points (%llu run now), %llu trials, %.4g trial-steps "
			"in %.2f s on %d thread%s: %.4g points/s, %.4g trial-steps/s%s%s\n",
			(unsigned long long)w.total, (unsigned long long)(w.total - done),
			(unsigned long long)trials_run, (double)trial_steps, el, w.po.threads,
			w.po.threads == 1 ? "" : "s", (double)(w.total - done) / el,
			(double)trial_steps / el, w.dir ? "; wrote " : "", w.dir ? final : "");
	}
out:
	free(head);
	free(partial);
	free(final);
out_vary:
	for (j = 0; j < w.nvary; j++)
		vary_release(&w.vary[j]);
	return ret;
}
