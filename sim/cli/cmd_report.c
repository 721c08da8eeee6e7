/* cmd_report.c - "sim report": runs a scenario, draws its charts, and
 * writes report.md and a self-contained report.html. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <omp.h>

#include "core/atomic.h"
#include "cli/builtin.h"
#include "cli/cliopt.h"
#include "io/chart.h"
#include "engine/engine.h"
#include "core/gslerr.h"
#include "io/markup.h"
#include "io/output.h"
#include "engine/progress.h"
#include "engine/scenario.h"
#include "engine/sigstop.h"
#include "cli/runone.h"
#include "engine/summary.h"
#include "cli/usage.h"
#include "models/model.h"

static const char usage_text[] =
	"usage: sim report [CONFIG] -o DIR [-n TRIALS] [-s SEED] [-j THREADS]\n"
	"                  [--set PATH=VALUE]... [--estimator NAME] [-q]\n\n"
	"Runs the scenario (the embedded default without CONFIG), prints the table\n"
	"of 'sim run', writes the files of 'sim run -o DIR', draws its charts as\n"
	"SVG with gnuplot, and writes\n"
	"DIR/report.md and a self-contained DIR/report.html (charts inline): the\n"
	"scenario's assumptions as tables (actors, guarantees, mechanisms, caps),\n"
	"the results with their 95% intervals, every chart, and the provenance.\n\n"
	"  -o, --output DIR  where to write (required); locked meanwhile, and it\n"
	"                    cannot hold spaces, quotes, backslashes, '$', '`' or\n"
	"                    control characters (gnuplot reads it)\n"
	"  The other options are those of 'sim run'.\n"
	"Exit codes: 0 success, 1 runtime failure (or gnuplot missing, or DIR in\n"
	"use), 2 usage or config error, 128 + N when stopped by signal N.\n";

/* A document written twice at once: Markdown and HTML. */
struct doc {
	FILE *md, *html;
	int figures;		/* SVGs inlined so far */
};

static void heading(struct doc *d, int level, const char *text)
{
	fprintf(d->md, "\n%.*s ", level, "######");
	markup_md(d->md, text, 0);
	fputs("\n\n", d->md);
	fprintf(d->html, "<h%d>", level);
	markup_html(d->html, text);
	fprintf(d->html, "</h%d>\n", level);
}

static void para(struct doc *d, const char *text)
{
	markup_md(d->md, text, 1);
	fputs("\n\n", d->md);
	fputs("<p>", d->html);
	markup_html(d->html, text);
	fputs("</p>\n", d->html);
}

/* Whether a cell reads as a number (or an interval of numbers), to be
 * aligned right. */
static int numeric(const char *s)
{
	char *end;

	strtod(s, &end);
	return end != s;
}

/* A table row of N cells; HEAD marks the header row. */
static void row(struct doc *d, int n, const char *const *cells, int head)
{
	int i;

	fputs("|", d->md);
	fputs("<tr>", d->html);
	for (i = 0; i < n; i++) {
		fputc(' ', d->md);
		markup_md(d->md, cells[i], 0);
		fputs(" |", d->md);
		fputs(head ? "<th>" : numeric(cells[i]) ? "<td class=\"n\">" : "<td>", d->html);
		markup_html(d->html, cells[i]);
		fputs(head ? "</th>" : "</td>", d->html);
	}
	fputs("\n", d->md);
	fputs("</tr>\n", d->html);
	if (head) {
		fputs("|", d->md);
		for (i = 0; i < n; i++)
			fputs("---|", d->md);
		fputs("\n", d->md);
	}
}

static void table_begin(struct doc *d)
{
	fputs("<table>\n", d->html);
}

static void table_end(struct doc *d)
{
	fputs("\n", d->md);
	fputs("</table>\n", d->html);
}

/* Writes SVG into one page beside others: every id, and every reference
 * to one ("#id" in href or url()), gets the prefix "fN-", since gnuplot's
 * SVGs all use the same ids. */
static void inline_svg(FILE *f, const char *svg, int n)
{
	static const char *const marks[] = {
		"url(#", "href=\"#", "href='#", "id=\"", "id='", NULL
	};
	const char *p = svg;
	int i;

	while (*p) {
		for (i = 0; marks[i]; i++) {
			size_t len = strlen(marks[i]);

			if (!strncmp(p, marks[i], len) && (i < 3 || p == svg || p[-1] == ' ')) {
				fprintf(f, "%sf%d-", marks[i], n);
				p += len;
				break;
			}
		}
		if (!marks[i])
			fputc(*p++, f);
	}
}

/* The chart SVG at DIR/NAME: linked from Markdown, inlined in HTML. */
static void image(struct doc *d, const char *dir, const char *name, const char *caption)
{
	char path[4096], *svg, *start;

	fprintf(d->md, "![%s](%s)\n\n", caption, name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	svg = NULL;
	{
		FILE *f = fopen(path, "r");
		size_t len = 0, n;
		char buf[8192];
		FILE *m = open_memstream(&svg, &len);

		while (f && (n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, m);
		if (f)
			fclose(f);
		fclose(m);
	}
	start = svg ? strstr(svg, "<svg") : NULL;
	fputs("<figure>\n", d->html);
	if (start)
		inline_svg(d->html, start, ++d->figures);
	fputs("<figcaption>", d->html);
	markup_html(d->html, caption);
	fputs("</figcaption></figure>\n", d->html);
	free(svg);
}

/* Formats the value of setting S: a number, a string, or a distribution. */
static char *value_text(const config_setting_t *s)
{
	char *text = NULL, num[40];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	const char *dist;
	int i, n;

	switch (config_setting_type(s)) {
	case CONFIG_TYPE_INT:
		fprintf(f, "%d", config_setting_get_int(s));
		break;
	case CONFIG_TYPE_INT64:
		fprintf(f, "%lld", config_setting_get_int64(s));
		break;
	case CONFIG_TYPE_FLOAT:
		fputs(cfg_format_real(num, config_setting_get_float(s)), f);
		break;
	case CONFIG_TYPE_STRING:
		fputs(config_setting_get_string(s), f);
		break;
	case CONFIG_TYPE_BOOL:
		fputs(config_setting_get_bool(s) ? "true" : "false", f);
		break;
	default:
		if (config_setting_lookup_string(s, "dist", &dist)) {
			fprintf(f, "%s(", dist);
			n = config_setting_length(s);
			for (i = 0; i < n; i++) {
				const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
				char *v;

				if (!strcmp(config_setting_name(e), "dist"))
					continue;
				v = value_text(e);
				fprintf(f, "%s%s %s", ftell(f) > (long)strlen(dist) + 1 ? ", " : "",
					config_setting_name(e), v);
				free(v);
			}
			fputc(')', f);
		}
	}
	fclose(f);
	return text;
}

static int is_dist(const config_setting_t *s)
{
	return config_setting_is_group(s) && config_setting_get_member(s, "dist");
}

/* Rows "key | value" for the settings of GROUP, subgroups as dotted keys. */
static void group_rows(struct doc *d, const config_setting_t *g, const char *prefix)
{
	int i, n = config_setting_length(g);

	for (i = 0; i < n; i++) {
		const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
		char key[512];

		snprintf(key, sizeof(key), "%s%s", prefix, config_setting_name(s));
		if (config_setting_is_group(s) && !is_dist(s)) {
			char sub[520];

			snprintf(sub, sizeof(sub), "%s.", key);
			group_rows(d, s, sub);
		} else {
			char *v = value_text(s);
			const char *cells[2] = { key, v };

			row(d, 2, cells, 0);
			free(v);
		}
	}
}

/* The settings of each element of LIST (an actor), one column each, one
 * row per key; the row of "name" heads the table, as ACTOR, or without
 * names a row of the elements' numbers. */
static void guarantor_table(struct doc *d, const config_setting_t *list, const char *actor)
{
	int ng = config_setting_length(list), i, j, k;
	const char **keys = NULL;
	int nk = 0, cap = 0;

	/* The union of their flattened keys, in order of first appearance. */
	for (i = 0; i < ng; i++) {
		const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
		const config_setting_t *stack[8];
		int pos[8], depth = 0;
		char path[512];

		stack[0] = g;
		pos[0] = 0;
		while (depth >= 0) {
			const config_setting_t *s;

			if (pos[depth] >= config_setting_length(stack[depth])) {
				depth--;
				continue;
			}
			s = config_setting_get_elem(stack[depth], (unsigned)pos[depth]++);
			if (config_setting_is_group(s) && !is_dist(s) && depth < 7) {
				stack[++depth] = s;
				pos[depth] = 0;
				continue;
			}
			path[0] = '\0';
			for (k = 1; k <= depth; k++) {
				strcat(path, config_setting_name(stack[k]));
				strcat(path, ".");
			}
			strcat(path, config_setting_name(s));
			for (j = 0; j < nk && strcmp(keys[j], path); j++)
				;
			if (j == nk) {
				if (nk == cap)
					keys = realloc(keys, sizeof(*keys) * (size_t)(cap = cap ? 2 * cap : 32));
				keys[nk++] = strdup(path);
			}
		}
	}
	table_begin(d);
	{
		const char **cells = calloc((size_t)ng + 1, sizeof(*cells));
		char **owned = calloc((size_t)ng + 1, sizeof(*owned));

		/* Elements without names (a schedule's entries) are headed by
		 * their numbers. */
		for (j = 0; j < nk && strcmp(keys[j], "name"); j++)
			;
		if (j == nk) {
			cells[0] = "entry";
			for (i = 0; i < ng; i++) {
				owned[i] = malloc(16);
				if (owned[i])
					snprintf(owned[i], 16, "%d", i + 1);
				cells[i + 1] = owned[i] ? owned[i] : "?";
			}
			row(d, ng + 1, cells, 1);
			for (i = 0; i < ng; i++)
				free(owned[i]);
		}
		for (j = 0; j < nk; j++) {
			int head = !strcmp(keys[j], "name");

			cells[0] = head ? actor : keys[j];
			for (i = 0; i < ng; i++) {
				const config_setting_t *s =
					config_setting_lookup(config_setting_get_elem(list, (unsigned)i), keys[j]);

				owned[i] = s ? value_text(s) : strdup("none");
				cells[i + 1] = owned[i];
			}
			row(d, ng + 1, cells, head);
			for (i = 0; i < ng; i++)
				free(owned[i]);
		}
		free(cells);
		free(owned);
	}
	table_end(d);
	for (j = 0; j < nk; j++)
		free((char *)keys[j]);
	free(keys);
}

/* A row of a results table: CELLS[0] and [1] given, the value and the
 * interval of X formatted into the last two. */
static void figure_row(struct doc *d, const char **cells, int n, const struct figure *x)
{
	char v[32], ci[64];

	if (x->defined)
		snprintf(v, sizeof(v), "%.4f", x->value);
	else
		snprintf(v, sizeof(v), "n/a");
	if (x->has_ci)
		snprintf(ci, sizeof(ci), "%.4f to %.4f", x->lo, x->hi);
	else
		snprintf(ci, sizeof(ci), "-");
	cells[n - 2] = v;
	cells[n - 1] = ci;
	row(d, n, cells, 0);
}

static void results(struct doc *d, const struct run_info *ri)
{
	static const char *const head[4] = { "figure", "meaning", "value", "95% interval" };
	const struct model_layout *L = ri->sc->layout;
	size_t i, b;
	int g;

	table_begin(d);
	row(d, 4, head, 1);
	for (i = 0; i < L->nfigures; i++) {
		const char *cells[4] = { L->figures[i].key, L->figures[i].label, NULL, NULL };

		figure_row(d, cells, 4, &ri->fig[i]);
	}
	table_end(d);
	for (b = 0; b < L->nbreakdowns && L->nactors > 0; b++) {
		const struct model_breakdown *bd = &L->breakdowns[b];
		const struct figure *x = &ri->fig[L->nfigures + b * (size_t)L->nactors];
		const char *h2[3] = { L->actor, bd->column, "95% interval" };

		if (!x->defined)
			continue;
		para(d, bd->intro);
		table_begin(d);
		row(d, 3, h2, 1);
		for (g = 0; g < L->nactors; g++) {
			const char *cells[3] = { L->actor_names[g], NULL, NULL };

			figure_row(d, cells, 3, &x[g]);
		}
		table_end(d);
	}
}

/* The assumptions: the scenario section, then the model's sections. */
static void assumptions(struct doc *d, const struct run_info *ri)
{
	static const char *const h[2] = { "key", "value" };
	const config_setting_t *root = config_root_setting(&ri->cfg->lc), *s;
	const struct model_layout *L = ri->sc->layout;
	size_t i;

	heading(d, 2, "Assumptions");
	for (i = 0; i <= L->nsections; i++) {
		const char *key = i ? L->sections[i - 1].key : "scenario";
		const char *title = i ? L->sections[i - 1].title : "Scenario";

		s = config_setting_get_member(root, key);
		if (!s)
			continue;
		if (i && L->sections[i - 1].list) {
			if (config_setting_length(s) > 0) {
				heading(d, 3, title);
				guarantor_table(d, s, L->actor ? L->actor : "name");
			}
			continue;
		}
		heading(d, 3, title);
		table_begin(d);
		row(d, 2, h, 1);
		group_rows(d, s, "");
		table_end(d);
	}
	para(d, "Every key, its meaning and its default are described in docs/ "
	     "(docs/model.md for the commitment model, docs/baseline.md, "
	     "docs/models/crisis.md); "
	     "config.cfg in this directory is the resolved config that ran.");
}

static int write_report(const char *dir, const struct run_info *ri)
{
	struct afile md, html;
	struct doc d;
	char line[1024];
	int ok;

	if (atomic_open(&md, dir, "report.md") < 0)
		return -1;
	if (atomic_open(&html, dir, "report.html") < 0) {
		atomic_discard(&md);
		return -1;
	}
	d.md = md.f;
	d.html = html.f;
	d.figures = 0;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", d.html);
	markup_html(d.html, ri->sc->name);
	fputs("</title>\n<style>\nbody{font-family:sans-serif;max-width:60em;margin:2em auto;"
	      "padding:0 1em;color:#222;line-height:1.45}\ntable{border-collapse:collapse;"
	      "margin:.5em 0 1.5em}\nth,td{border:1px solid #ccc;padding:.25em .6em;text-align:"
	      "left}\ntd.n{text-align:right;font-variant-numeric:tabular-nums}\nfigure{margin:1em 0}\n"
	      "figure svg{max-width:100%;height:auto}\nfigcaption{color:#555;font-size:.9em}\n"
	      "</style></head><body>\n", d.html);

	fputs("# ", d.md);
	markup_md(d.md, ri->sc->name, 0);
	fputc('\n', d.md);
	fputs("<h1>", d.html);
	markup_html(d.html, ri->sc->name);
	fputs("</h1>\n", d.html);
	if (ri->sc->description)
		para(&d, ri->sc->description);
	snprintf(line, sizeof(line), "A simulation of whether the challenger is deterred over %g "
		 "years, in %ld steps of %g years, with %llu trials. Figures carry 95%% "
		 "intervals of the simulation's own noise, not of the uncertainty of the "
		 "assumptions below.%s", ri->sc->horizon, ri->sc->n_steps, ri->sc->dt,
		 (unsigned long long)ri->t->trials, ri->sc->estimator == MODEL_CONDITIONAL
		 ? " Each trial adds its chances of each outcome given what it drew, instead "
		   "of one drawn outcome: the same figures, with less noise." : "");
	para(&d, line);

	heading(&d, 2, "Results");
	results(&d, ri);
	image(&d, dir, "survival.svg", ri->sc->layout->curve_caption);
	image(&d, dir, "outcomes.svg", ri->sc->layout->outcomes_caption);
	assumptions(&d, ri);

	heading(&d, 2, "Provenance");
	snprintf(line, sizeof(line), "gsim %s, model %s; config %s; seed %llu; %llu trials; "
		 "generator %s; %s estimator%s. 'sim run %s/config.cfg' reproduces these "
		 "figures exactly.", SIM_VERSION, ri->sc->model->name, ri->cfg->name,
		 (unsigned long long)ri->sc->seed, (unsigned long long)ri->t->trials,
		 ri->sc->rng->name, scenario_estimator_name(ri->sc),
		 ri->sc->antithetic ? " with antithetic pairs" : "", dir);
	para(&d, line);
	fputs("</body></html>\n", d.html);

	ok = atomic_finish(&md) == 0;
	ok = atomic_finish(&html) == 0 && ok;
	ok = ok && atomic_rename(&md) == 0 && atomic_rename(&html) == 0;
	atomic_discard(&md);
	atomic_discard(&html);
	return ok ? 0 : -1;
}

/* Draws DIR/NAME.svg from DIR/NAME.tsv with plots/NAME.gp. */
static int draw(const char *gnuplot, const char *dir, const char *name)
{
	char data[4096], out[4096], script[64];

	snprintf(data, sizeof(data), "%s/%s.tsv", dir, name);
	snprintf(out, sizeof(out), "%s/%s.svg", dir, name);
	snprintf(script, sizeof(script), "%s.gp", name);
	return chart_render(gnuplot, script, data, out, "svg", NULL);
}

/* Writes the data files of RI into DIR, draws the charts with GNUPLOT and
 * writes the report. Returns the exit code. */
static int write_all(const char *gnuplot, const char *dir, const struct run_info *ri)
{
	volatile sig_atomic_t *stop;
	int ret;

	if (output_dir(dir, ri) < 0)
		return EXIT_RUNTIME;
	/* Ctrl-C from here on stops with 128 + N too, leaving no chart or
	 * report half-written (the data files are whole). */
	stop = sigstop_install();
	ret = draw(gnuplot, dir, "survival");
	if (ret == EXIT_OK)
		ret = draw(gnuplot, dir, "outcomes");
	if (ret == EXIT_OK && !*stop && write_report(dir, ri) < 0)
		ret = EXIT_RUNTIME;
	if (ret == EXIT_OK && *stop) {
		error("interrupted after the charts; report.md and report.html not written");
		ret = sigstop_status((int)*stop);
	}
	return ret;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		CLIOPT_TRIALS, CLIOPT_SEED, CLIOPT_THREADS, CLIOPT_SET, CLIOPT_ESTIMATOR,
		CLIOPT_QUIET,
		CLIOPT_FORMAT,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char gnuplot[4096];
	const char *dir = NULL, *path = NULL;
	int threads, ret = EXIT_OK, r;
	struct cliopt o;
	struct cfg cfg;
	struct scenario sc;
	struct tally t;
	struct figure *fig = NULL;
	struct run_info ri;
	struct precision prec = { 0, 0, 0 };

	cliopt_init(&o);
	r = cliopt_parse(&o, argc, argv, ":o:n:s:j:qh", opts, "report", usage_text, cliopt_output,
			 (void *)&dir);
	if (r)
		return r < 0 ? EXIT_OK : r;
	if (optind < argc)
		path = argv[optind++];
	if (optind < argc)
		return usage_error("report", "more than one CONFIG given ('%s')", argv[optind]);
	if (!dir)
		return usage_error("report", "no -o DIR given");
	if (chart_check_path(dir) < 0)
		return EXIT_USAGE;
	if (chart_find_gnuplot(gnuplot, sizeof(gnuplot)) < 0) {
		error("gnuplot is not installed (or not on PATH), and a report needs its charts; "
		      "install it with: %s", CHART_INSTALL);
		return EXIT_RUNTIME;
	}
	if (scenario_open(&sc, &cfg, path, o.sets, o.nsets, o.trials_p, o.seed_p) < 0) {
		cfg_release(&cfg);
		return EXIT_USAGE;
	}
	memset(&t, 0, sizeof(t));
	/* The directory is locked for the whole command: another writer fails now. */
	if (atomic_lock(dir) < 0) {
		ret = EXIT_RUNTIME;
		goto out;
	}
	threads = o.threads ? o.threads : omp_get_max_threads();
	ri.cfg = &cfg;
	ri.sc = &sc;
	fig = malloc(sizeof(*fig) * summary_count(sc.layout));
	ret = fig ? runone(&ri, &t, fig, &prec, threads, o.quiet, 0) : EXIT_RUNTIME;
	if (!fig)
		error("out of memory");
	if (ret != EXIT_OK)
		goto out;
	ret = write_all(gnuplot, dir, &ri);
	if (ret != EXIT_OK)
		goto out;
	output_table(stdout, &ri);
	if (cliopt_flush()) {
		ret = EXIT_RUNTIME;
		goto out;
	}
	if (!o.quiet)
		fprintf(stderr, "wrote %s/report.html and %s/report.md (with survival.svg, "
			"outcomes.svg and the data files)\n", dir, dir);
out:
	free(fig);
	tally_release(&t);
	scenario_release(&sc);
	cfg_release(&cfg);
	return ret;
}
