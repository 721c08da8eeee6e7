/* report.c - "sim report DIR": finds what a finished output directory
 * holds and writes its report; the helpers every kind of report shares. */
#include "cli/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/pretty.h"
#include "cli/usage.h"
#include "engine/sigstop.h"
#include "io/chart.h"

int report_is_prob(const struct model_figure *decl)
{
	return decl->kind == MODEL_SHARE || decl->kind == MODEL_SHARE_GIVEN;
}

int report_figure_name(const char *name)
{
	size_t n = strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

	return n > 0 && n < 64 && !name[n];
}

/* Whether V and W read the same at D decimals. */
static int same_at(double v, double w, int d)
{
	char a[PRETTY_SIZE], b[PRETTY_SIZE];

	return !strcmp(pretty_fixed(a, sizeof(a), v, d), pretty_fixed(b, sizeof(b), w, d));
}

int report_decimals(double v, double lo, double hi)
{
	int d = v != 0 && isfinite(v) ? 2 - (int)floor(log10(fabs(v))) : 2;

	/* Three significant digits, and more decimals while an end of the
	 * interval reads as the value. */
	d = d < 0 ? 0 : d;
	while (!isnan(lo) && !isnan(hi) && lo < hi && d < 6 &&
	       ((lo < v && same_at(v, lo, d)) || (hi > v && same_at(v, hi, d))))
		d++;
	return d;
}

void report_value(char *vbuf, char *cbuf, double v, double lo, double hi, int prob,
		  const char *unit)
{
	char a[PRETTY_SIZE], b[PRETTY_SIZE];
	int has = !isnan(lo) && !isnan(hi), d;

	if (prob) {
		d = has ? pretty_decimals(v, lo, hi) : pretty_decimals(v, v, v);
		pretty_percent(vbuf, PRETTY_SIZE, v, d);
		if (!has)
			snprintf(cbuf, PRETTY_SIZE, "–");
		else if (lo == hi)
			snprintf(cbuf, PRETTY_SIZE, "exact");
		else
			pretty_percent_range(cbuf, PRETTY_SIZE, lo, hi, d);
		return;
	}
	d = report_decimals(v, lo, hi);
	snprintf(vbuf, PRETTY_SIZE, "%s%s", pretty_fixed(a, sizeof(a), v, d), unit);
	if (!has)
		snprintf(cbuf, PRETTY_SIZE, "–");
	else if (lo == hi)
		snprintf(cbuf, PRETTY_SIZE, "exact");
	else
		snprintf(cbuf, PRETTY_SIZE, "%s–%s%s", pretty_fixed(a, sizeof(a), lo, d),
			 pretty_fixed(b, sizeof(b), hi, d), unit);
}

int report_chart(struct report *rp, const char *script, const char *data, const char *out,
		 const char *fig)
{
	char path[4200];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", rp->dir, out);
	ret = chart_render(rp->gnuplot, script, data, path, "svg", fig);
	if (ret == EXIT_OK && !rp->quiet)
		fprintf(stderr, "wrote %s\n", path);
	return ret;
}

int report_image(struct report *rp, const char *script, const char *data, const char *out,
		 const char *fig, const char *caption)
{
	int ret = report_chart(rp, script, data, out, fig);

	if (ret == EXIT_OK)
		doc_image(&rp->doc, out, caption);
	return ret;
}

int report_note_rows(struct doc *d, const char *const *head, int rows, const char *key,
		     char **text, const char *const *who, int n)
{
	char names[1024];
	int i, j;

	for (i = 0; i < n; i++) {
		size_t len = 0;

		if (!text[i] || !*text[i]) {
			free(text[i]);
			text[i] = NULL;
			continue;
		}
		for (j = i; j < n; j++)
			if (text[j] && !strcmp(text[j], text[i]) && len < sizeof(names))
				len += (size_t)snprintf(names + len, sizeof(names) - len, "%s%s",
						       len ? ", " : "", who[j]);
		if (!rows++)
			doc_table_begin(d, "llt", head);
		{
			const char *cells[3] = { key, names, text[i] };

			doc_row(d, cells);
		}
		for (j = n - 1; j > i; j--)
			if (text[j] && !strcmp(text[j], text[i])) {
				free(text[j]);
				text[j] = NULL;
			}
		free(text[i]);
		text[i] = NULL;
	}
	return rows;
}

void report_provenance(struct report *rp, const struct rtable *t)
{
	static const char *const keys[] = {
		"run", "model", "config", "content hash", "seed", "trials", "rng", "steps",
		"estimator", "streams", NULL
	};
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);
	const char *v;

	if (!f)
		return;
	if (t->nmeta > 0 && !strncmp(t->meta[0], "gsim ", 5))
		fprintf(f, "%s.", t->meta[0]);
	for (i = 0; keys[i]; i++)
		if ((v = rtable_meta(t, keys[i], 0)))
			fprintf(f, " %c%s: %s.", keys[i][0] - 'a' + 'A', keys[i] + 1, v);
	fclose(f);
	doc_heading(&rp->doc, 2, "Provenance");
	doc_para(&rp->doc, text ? text : "", "small");
	free(text);
}

int report_begin(struct report *rp, const char *title)
{
	return doc_open(&rp->doc, rp->dir, title) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

int report_end(struct report *rp, int ret)
{
	volatile sig_atomic_t *stop = sigstop_install();

	if (ret == EXIT_OK && *stop) {
		error("interrupted; report.md and report.html not written");
		ret = sigstop_status((int)*stop);
	}
	if (doc_close(&rp->doc, ret == EXIT_OK) < 0 && ret == EXIT_OK)
		ret = EXIT_RUNTIME;
	return ret;
}

void report_findings(struct report *rp, const char *heading, const char *text)
{
	const char *p = text ? text : "", *e;

	if (heading)
		doc_heading(&rp->doc, 2, heading);
	doc_box_begin(&rp->doc, "findings");
	/* a paragraph up to each blank line */
	for (; *p; p = *e ? e + 2 : e) {
		char *para;

		e = strstr(p, "\n\n");
		e = e ? e : p + strlen(p);
		para = strndup(p, (size_t)(e - p));
		if (para && *para)
			doc_para(&rp->doc, para, NULL);
		free(para);
	}
	doc_box_end(&rp->doc);
}

void report_caveats(struct report *rp, const char *const *paras)
{
	doc_heading(&rp->doc, 2, "What these figures mean");
	doc_box_begin(&rp->doc, "caveat");
	for (; *paras; paras++)
		doc_para(&rp->doc, *paras, NULL);
	doc_box_end(&rp->doc);
}

int report_close(struct report *rp, const char *const *paras, const struct rtable *t, int ret)
{
	report_caveats(rp, paras);
	report_provenance(rp, t);
	return report_end(rp, ret);
}

/* Whether DIR/NAME is a regular file. */
static int has(const char *dir, const char *name)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The report of the run in DIR. */
static int run_report(struct report *rp)
{
	struct rrun r;
	int ret = EXIT_USAGE;

	if (report_run_load(&r, rp->dir) == 0) {
		ret = report_begin(rp, r.sc.name);
		if (ret == EXIT_OK)
			ret = report_end(rp, report_run(rp, &r));
	}
	report_run_free(&r);
	return ret;
}

int report_dir(const char *dir, const char *gnuplot, int quiet)
{
	static const char *const kinds[] = {
		"compare.tsv", "summary.json", "sweep.tsv", "sensitivity.tsv", "screen.tsv",
		"boxes.tsv", "designs.tsv", NULL
	};
	struct report rp;
	char path[4200];
	int k, ret;

	memset(&rp, 0, sizeof(rp));
	rp.dir = dir;
	rp.gnuplot = gnuplot;
	rp.quiet = quiet;
	for (k = 0; kinds[k] && !has(dir, kinds[k]); k++)
		;
	if (!kinds[k]) {
		error("%s holds no results a report can be made of (the files of sim run, compare, "
		      "sweep, sensitivity, screen, discover or robust)", dir);
		return EXIT_USAGE;
	}
	for (int j = k + 1; kinds[j]; j++)
		if (has(dir, kinds[j]) && !(k == 0 && j == 1))
			warning("%s also holds %s; the report covers %s only (a study a directory)",
				dir, kinds[j], kinds[k]);
	snprintf(path, sizeof(path), "%s/%s", dir, kinds[k]);
	switch (k) {
	case 0: ret = report_compare(&rp); break;
	case 1: ret = run_report(&rp); break;
	case 2: ret = report_sweep(&rp, path); break;
	case 3: ret = report_sensitivity(&rp, path); break;
	case 4: ret = report_screen(&rp, path); break;
	case 5: ret = report_discover(&rp); break;
	default: ret = report_robust(&rp); break;
	}
	if (ret == EXIT_OK && !quiet)
		fprintf(stderr, "wrote %s/report.html and %s/report.md\n", dir, dir);
	return ret;
}
