/* cmd_plot.c - "sim plot": every chart the results in a directory support. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic.h"
#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "io/chart.h"
#include "io/output.h"
#include "engine/summary.h"
#include "cli/usage.h"

static const char usage_text[] =
	"usage: sim plot DIR [--format png|svg|pdf|dumb] [--figure KEY] [-o OUT] [-q]\n\n"
	"Draws, with gnuplot, every chart the results in DIR support:\n"
	"  survival.tsv      survival curve with its 95% band   -> survival.FORMAT\n"
	"  outcomes.tsv      outcome breakdown, stacked bar      -> outcomes.FORMAT\n"
	"  sweep.tsv         1 varied path: line with its band   -> sweep.FORMAT\n"
	"                    2 varied paths: heatmap, contours   -> heatmap.FORMAT\n"
	"  sample.tsv        the figure (--figure, default p_deterred) against each\n"
	"                    input, a panel each              -> scatter-FIGURE.FORMAT\n"
	"  sensitivity.tsv   tornado chart of Sobol' indices     -> tornado.FORMAT\n"
	"  screen.tsv        (from 'sim screen') Morris mu* against sigma, for\n"
	"                    each figure                  -> screen-FIGURE.FORMAT\n"
	"  compare.tsv       (from 'sim compare') the scenarios' survival curves\n"
	"                    overlaid and their outcomes side by side\n"
	"  discover.tsv      (from 'sim discover') PRIM's peeling trajectory,\n"
	"                    coverage against density          -> tradeoff.FORMAT\n"
	"  boxes.tsv         (from 'sim discover') the boxes' limits -> boxes.FORMAT\n"
	"  robust.tsv        (from 'sim robust') each design's figure and regret\n"
	"                    over the futures, box plots       -> robust.FORMAT\n"
	"  curves.tsv        (from 'sim backtest') each case's predicted survival\n"
	"                    against what happened             -> cases.FORMAT\n"
	"  groups.tsv        (from 'sim calibrate') predicted against observed\n"
	"                    survival in groups                -> calibration.FORMAT\n"
	"The scripts are those of plots/ (compiled in); each also runs alone, e.g.\n"
	"  gnuplot -e \"data='out/survival.tsv'; out='survival.png'\" plots/survival.gp\n\n"
	"  --format F     png (default), svg, pdf, or dumb (drawn in the terminal)\n"
	"  --figure KEY   the figure of a sample's scatter plots (default p_deterred)\n"
	"  -o, --output OUT  directory for the charts (default DIR)\n"
	"  -q, --quiet    do not list the files written\n"
	"  -h, --help     show this help\n\n"
	"Each chart is drawn into a temporary file and renamed into place once\n"
	"gnuplot has written it whole; DIR (or OUT) is locked meanwhile.\n"
	"Paths given to gnuplot cannot hold spaces, quotes, backslashes, '$', '`'\n"
	"or control characters.\n\n"
	"Exit codes: 0 success, 1 gnuplot missing or failing (or the directory in\n"
	"use), 2 usage error, nothing to chart in DIR, or results sim cannot hand\n"
	"to gnuplot safely; 128 + N when stopped by signal N.\n";

struct plot {
	const char *dir, *outdir, *format, *gnuplot;
	int quiet, charts;
	const char *figure;	/* --figure: the figure of a sample's scatter plots */
};

static int is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Draws one chart with SCRIPT from DATA into OUTDIR/BASE.FORMAT. Returns
 * 0 or the exit code. */
static int draw(struct plot *p, const char *script, const char *data, const char *base,
		const char *fig)
{
	char out[4096];
	int dumb = !strcmp(p->format, "dumb"), r;

	snprintf(out, sizeof(out), "%s/%s.%s", p->outdir, base, p->format);
	if (dumb)
		printf("\n== %s\n", base);
	r = chart_render(p->gnuplot, script, data, dumb ? NULL : out, p->format, fig);
	if (r != 0)
		return r;
	if (dumb)
		fflush(stdout);
	else if (!p->quiet)
		fprintf(stderr, "wrote %s\n", out);
	p->charts++;
	return 0;
}

/* Counts the "# vary:" lines of a sweep file. */
static int varied_paths(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int n = 0;

	while (f && fgets(line, sizeof(line), f) && line[0] == '#')
		n += !strncmp(line, "# vary: ", 8);
	if (f)
		fclose(f);
	return n;
}

/* The most figures a sensitivity file may name. */
#define MAX_FIGS 64

/* Whether NAME can be a figure's key, as models write them (the only
 * names a sensitivity file holds in its first column): letters, digits
 * and '_', at most 63. */
static int known_figure(const char *name)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

	return n > 0 && n < 64 && !name[n];
}

/* Reads the figures of the first column of the table at PATH (after its
 * column line) into FIGS, each once, into *N; with TOGETHER the rows of a
 * figure must stand together. Refuses a first column holding anything
 * but sim's figures, which become chart names and gnuplot arguments.
 * Returns 0 or the exit code after printing the error. */
static int figures_of(const char *path, char figs[][64], int *n, int together)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int i, ret = 0, k = 0, named = 0;

	*n = 0;
	if (!f) {
		error("cannot read %s", path);
		return EXIT_RUNTIME;
	}
	while (ret == 0 && fgets(line, sizeof(line), f)) {
		k++;
		if (line[0] == '#' || line[0] == '\n' || !named++)
			continue;	/* comments, blank lines, the column line */
		line[strcspn(line, "\t\n")] = '\0';
		for (i = 0; i < *n && strcmp(figs[i], line); i++)
			;
		if (!known_figure(line)) {
			char *shown = output_escaped(line);

			error("%s:%d: '%.80s' is not a figure of sim; not charting it", path, k,
			      shown ? shown : "?");
			free(shown);
			ret = EXIT_USAGE;
		} else if (i < *n && together && i != *n - 1) {
			error("%s:%d: the rows of '%s' are not together; not charting them", path, k,
			      line);
			ret = EXIT_USAGE;
		} else if (i == *n && *n == MAX_FIGS) {
			error("%s:%d: more than %d figures; not charting them", path, k, MAX_FIGS);
			ret = EXIT_USAGE;
		} else if (i == *n) {
			strcpy(figs[(*n)++], line);
		}
	}
	fclose(f);
	return ret;
}

/* Draws a tornado chart for each figure of a sensitivity file. */
static int tornadoes(struct plot *p, const char *path)
{
	char figs[MAX_FIGS][64], base[128];
	int n, i, ret = figures_of(path, figs, &n, 0);

	for (i = 0; i < n && ret == 0; i++) {
		if (n == 1)
			snprintf(base, sizeof(base), "tornado");
		else
			snprintf(base, sizeof(base), "tornado-%s", figs[i]);
		ret = draw(p, "tornado.gp", path, base, figs[i]);
	}
	return ret;
}

/* Draws a Morris chart, screen-FIG, for each figure of a screen file
 * (whose rows of a figure stand together). */
static int screens(struct plot *p, const char *path)
{
	char figs[MAX_FIGS][64], base[128];
	int n, i, ret = figures_of(path, figs, &n, 1);

	for (i = 0; i < n && ret == 0; i++) {
		snprintf(base, sizeof(base), "screen-%s", figs[i]);
		ret = draw(p, "morris.gp", path, base, figs[i]);
	}
	return ret;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The FILE of every scenario directory of a comparison, in name order,
 * space-separated, into *LIST (NULL when there is none). Returns 0, or
 * EXIT_USAGE after an error when a path cannot be given to gnuplot. */
static int scenario_files(const char *dir, const char *file, char **list)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *names[256], path[4096];
	size_t n = 0, i, len = 0;
	int ret = 0;
	FILE *f;

	*list = NULL;
	while (d && (e = readdir(d)) != NULL && n < 256) {
		snprintf(path, sizeof(path), "%s/%s/%s", dir, e->d_name, file);
		if (e->d_name[0] == '.' || !is_file(path))
			continue;
		if (chart_check_path(path) < 0) {
			ret = EXIT_USAGE;
			break;
		}
		names[n++] = strdup(path);
	}
	if (d)
		closedir(d);
	if (ret || !n) {
		while (n > 0)
			free(names[--n]);
		return ret;
	}
	qsort(names, n, sizeof(*names), by_name);
	f = open_memstream(list, &len);
	for (i = 0; i < n; i++) {
		fprintf(f, "%s%s", i ? " " : "", names[i]);
		free(names[i]);
	}
	fclose(f);
	return 0;
}

/* Draws SCRIPT's chart BASE from DIR/FILE when there is such a file.
 * Returns 0 or the exit code. */
static int plot_one(struct plot *p, const char *file, const char *script, const char *base)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", p->dir, file);
	return is_file(path) ? draw(p, script, path, base, NULL) : 0;
}

static int plot_dir(struct plot *p)
{
	char path[4096], *list;
	int ret = 0, nv;

	snprintf(path, sizeof(path), "%s/compare.tsv", p->dir);
	if (is_file(path)) {
		ret = scenario_files(p->dir, "survival.tsv", &list);
		if (list && ret == 0)
			ret = draw(p, "survival.gp", list, "survival", NULL);
		free(list);
		if (ret == 0)
			ret = scenario_files(p->dir, "outcomes.tsv", &list);
		else
			list = NULL;
		if (list && ret == 0)
			ret = draw(p, "outcomes.gp", list, "outcomes", NULL);
		free(list);
	}
	ret = ret ? ret : plot_one(p, "survival.tsv", "survival.gp", "survival");
	ret = ret ? ret : plot_one(p, "outcomes.tsv", "outcomes.gp", "outcomes");
	snprintf(path, sizeof(path), "%s/sweep.tsv", p->dir);
	if (ret == 0 && is_file(path)) {
		nv = varied_paths(path);
		if (nv == 1)
			ret = draw(p, "sweep.gp", path, "sweep", NULL);
		else if (nv == 2)
			ret = draw(p, "heatmap.gp", path, "heatmap", NULL);
		else
			warning("%s varies %d paths; sim plot charts sweeps of 1 or 2", path, nv);
	}
	snprintf(path, sizeof(path), "%s/sensitivity.tsv", p->dir);
	if (ret == 0 && is_file(path))
		ret = tornadoes(p, path);
	snprintf(path, sizeof(path), "%s/screen.tsv", p->dir);
	if (ret == 0 && is_file(path))
		ret = screens(p, path);
	snprintf(path, sizeof(path), "%s/sample.tsv", p->dir);
	if (ret == 0 && is_file(path)) {
		char base[128];

		snprintf(base, sizeof(base), "scatter-%s", p->figure);
		ret = draw(p, "scatter.gp", path, base, p->figure);
	}
	ret = ret ? ret : plot_one(p, "discover.tsv", "tradeoff.gp", "tradeoff");
	ret = ret ? ret : plot_one(p, "boxes.tsv", "boxlimits.gp", "boxes");
	ret = ret ? ret : plot_one(p, "robust.tsv", "robust.gp", "robust");
	ret = ret ? ret : plot_one(p, "curves.tsv", "cases.gp", "cases");
	ret = ret ? ret : plot_one(p, "groups.tsv", "calibration.gp", "calibration");
	return ret;
}

static int plot_option(void *ctx, int c, const char *arg)
{
	struct plot *p = ctx;

	if (c == 'o') {
		p->outdir = arg;
		return 0;
	}
	if (c == 'F') {
		if (!known_figure(arg))
			return usage_error("plot", "--figure: '%.60s' is not a figure name (letters, "
					   "digits and '_')", arg);
		p->figure = arg;
		return 0;
	}
	if (c != 'f')
		return EXIT_USAGE;
	if (strcmp(arg, "png") && strcmp(arg, "svg") && strcmp(arg, "pdf") && strcmp(arg, "dumb"))
		return usage_error("plot", "--format: expected png, svg, pdf or dumb, got '%s'", arg);
	p->format = arg;
	return 0;
}

int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "figure", required_argument, NULL, 'F' },
		CLIOPT_QUIET,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct plot p = { NULL, NULL, "png", NULL, 0, 0, "p_deterred" };
	char gnuplot[4096];
	struct stat st;
	struct cliopt o;
	int c;

	cliopt_init(&o);
	c = cliopt_parse(&o, argc, argv, ":f:o:qh", opts, "plot", usage_text, plot_option, &p);
	if (c)
		return c < 0 ? EXIT_OK : c;
	p.quiet = o.quiet;
	if (optind != argc - 1)
		return usage_error("plot", optind == argc ? "no DIR given" : "more than one DIR given");
	p.dir = argv[optind];
	if (!p.outdir)
		p.outdir = p.dir;
	if (stat(p.dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		error("'%s' is not a directory of results", p.dir);
		return EXIT_USAGE;
	}
	if (chart_check_path(p.dir) < 0 || chart_check_path(p.outdir) < 0)
		return EXIT_USAGE;
	if (chart_find_gnuplot(gnuplot, sizeof(gnuplot)) < 0) {
		error("gnuplot is not installed (or not on PATH); install it with: %s. "
		      "The data files in %s are complete without it.", CHART_INSTALL, p.dir);
		return EXIT_RUNTIME;
	}
	p.gnuplot = gnuplot;
	/* The charts are written under the lock of their directory. */
	if (strcmp(p.format, "dumb") && atomic_lock(p.outdir) < 0)
		return EXIT_RUNTIME;
	c = plot_dir(&p);
	if (c)
		return c;
	if (cliopt_flush())
		return EXIT_RUNTIME;
	if (!p.charts) {
		error("%s holds no results sim can chart (survival.tsv, outcomes.tsv, "
		      "sweep.tsv, sample.tsv, sensitivity.tsv, screen.tsv, compare.tsv, or the "
		      "files of discover, robust, backtest or calibrate)", p.dir);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}
