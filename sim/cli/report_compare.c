/* report_compare.c - the report of "sim compare -o DIR": the scenarios
 * side by side, their differences from the first with paired intervals,
 * their milestones and charts, and what differs between their configs. */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cfgnotes.h"
#include "cli/pretty.h"
#include "cli/report.h"
#include "cli/usage.h"

/* The most scenarios a comparison's report shows. */
#define MAX_SCEN 64

struct comparison {
	struct rtable t;	/* compare.tsv */
	struct rrun *run;	/* the scenarios, s01/ ... */
	int n;
	const char *paired;	/* the figures whose intervals are paired */
};

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The scenario directories of DIR (sNN with a summary.json), in name
 * order, into NAMES. Returns their number. */
static int scenario_dirs(const char *dir, char **names)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4300];
	struct stat st;
	int n = 0;

	while (d && (e = readdir(d)) != NULL && n < MAX_SCEN) {
		if (e->d_name[0] != 's' || strspn(e->d_name + 1, "0123456789") != strlen(e->d_name + 1) ||
		    !e->d_name[1])
			continue;
		snprintf(path, sizeof(path), "%s/%s/summary.json", dir, e->d_name);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			names[n++] = strdup(e->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, (size_t)n, sizeof(*names), by_name);
	return n;
}

/* Reads compare.tsv and every scenario's run. Returns 0 or -1. */
static int load(struct report *rp, struct comparison *c)
{
	char path[4300], *names[MAX_SCEN];
	int k, n, ret = 0;
	size_t i;

	memset(c, 0, sizeof(*c));
	snprintf(path, sizeof(path), "%s/compare.tsv", rp->dir);
	if (rtable_read(path, &c->t) < 0)
		return -1;
	for (i = 0; i < c->t.nmeta && !c->paired; i++)
		if ((c->paired = strstr(c->t.meta[i], "intervals paired for ")))
			c->paired += strlen("intervals paired for ");
	n = scenario_dirs(rp->dir, names);
	c->run = calloc((size_t)n + 1, sizeof(*c->run));
	for (k = 0; k < n; k++) {
		snprintf(path, sizeof(path), "%s/%s", rp->dir, names[k]);
		if (c->run && ret == 0 && report_run_load(&c->run[k], path) < 0)
			ret = -1;
		c->n += c->run != NULL;
		free(names[k]);
	}
	if (!c->run || n < 2)
		return error("%s holds %d scenario directories (s01/, s02/ ...), expected 2 or more",
			     rp->dir, n);
	return ret;
}

static void release(struct comparison *c)
{
	int k;

	for (k = 0; c->run && k < c->n; k++)
		report_run_free(&c->run[k]);
	free(c->run);
	rtable_free(&c->t);
}

/* Whether the intervals of the differences of figure KEY are paired. */
static int paired(const struct comparison *c, const char *key)
{
	const char *p = c->paired;
	size_t len = strlen(key);

	while (p && (p = strstr(p, key)) != NULL) {
		if ((p == c->paired || p[-1] == ' ') && (p[len] == ',' || !p[len] || p[len] == ';'))
			return 1;
		p += len;
	}
	return 0;
}

/* The declaration of figure KEY in the first scenario that has it. */
static const struct model_figure *decl_of(const struct comparison *c, const char *key)
{
	int k, i;

	for (k = 0; k < c->n; k++)
		if ((i = summary_find(c->run[k].sc.layout, key)) >= 0)
			return &c->run[k].sc.layout->figures[i];
	return NULL;
}

/* The words of figure KEY (declared by D, or NULL), capitalised, into BUF. */
static const char *label_of(const struct model_figure *d, const char *key, char *buf, size_t size)
{
	snprintf(buf, size, "%s", d ? d->label : key);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	return buf;
}

/* The number in compare.tsv of row ROW and column NAME_K (NaN if none). */
static double cell(const struct comparison *c, size_t row, const char *name, int k)
{
	char col[64];
	long j;

	snprintf(col, sizeof(col), "%s_%d", name, k);
	j = table_column(&c->t.t, col);
	return j < 0 ? NAN : rtable_num(&c->t, row, (size_t)j);
}

/* The row of figure KEY in compare.tsv, or -1. */
static long row_of(const struct comparison *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->t.t.nrow; i++)
		if (!strcmp(rtable_text(&c->t, i, 0), key))
			return (long)i;
	return -1;
}

/* A difference D with its interval [LO, HI] into V and CI: percentage
 * points for a probability (PROB), else a signed number with UNIT. */
static void difference(char *v, char *ci, double d, double lo, double hi, int prob,
		       const char *unit)
{
	char a[PRETTY_SIZE], b[PRETTY_SIZE];
	int dec;

	if (isnan(d)) {
		snprintf(v, PRETTY_SIZE, "n/a");
		snprintf(ci, PRETTY_SIZE, "–");
		return;
	}
	if (prob) {
		dec = pretty_decimals(d, lo, hi);
		dec = dec < 1 ? 1 : dec;
		snprintf(v, PRETTY_SIZE, "%s points", pretty_points(a, sizeof(a), d, dec));
		snprintf(ci, PRETTY_SIZE, "%s to %s", pretty_points(a, sizeof(a), lo, dec),
			 pretty_points(b, sizeof(b), hi, dec));
		return;
	}
	dec = report_decimals(d, lo, hi);
	snprintf(v, PRETTY_SIZE, "%s%s%s", d > 0 ? "+" : d < 0 ? "−" : "",
		 pretty_fixed(a, sizeof(a), fabs(d), dec), unit);
	if (isnan(lo) || isnan(hi)) {
		snprintf(ci, PRETTY_SIZE, "–");
		return;
	}
	snprintf(ci, PRETTY_SIZE, "%s%s to ", lo > 0 ? "+" : lo < 0 ? "−" : "",
		 pretty_fixed(a, sizeof(a), fabs(lo), dec));
	snprintf(ci + strlen(ci), PRETTY_SIZE - strlen(ci), "%s%s%s", hi > 0 ? "+" : hi < 0 ? "−" : "",
		 pretty_fixed(b, sizeof(b), fabs(hi), dec), unit);
}

/* The scenarios: number, name, model and config. */
static void scenarios_table(struct report *rp, const struct comparison *c)
{
	static const char *const head[4] = { "", "scenario", "model", "config (files)" };
	char num[16], where[4400];
	int k;

	doc_table_begin(&rp->doc, "llll", head);
	for (k = 0; k < c->n; k++) {
		const char *slash = strrchr(c->run[k].dir, '/');
		const char *cells[4] = { num, c->run[k].sc.name, c->run[k].sc.model->name, where };

		snprintf(num, sizeof(num), "[%d]", k + 1);
		snprintf(where, sizeof(where), "%s (%s/)", c->run[k].config,
			 slash ? slash + 1 : c->run[k].dir);
		doc_row(&rp->doc, cells);
	}
	doc_table_end(&rp->doc, "Every scenario ran the same trials with the same random numbers "
		      "(trial i draws the same numbers in each: common random numbers).");
}

/* The sentence of scenario K on p_deterred, and its difference from the
 * first. */
static void finding_one(FILE *f, const struct comparison *c, size_t row, int k)
{
	char v[PRETTY_SIZE], ci[PRETTY_SIZE], dv[PRETTY_SIZE], dci[PRETTY_SIZE];
	double x = cell(c, row, "value", k), d = cell(c, row, "diff", k);
	double lo = cell(c, row, "diff_lo", k), hi = cell(c, row, "diff_hi", k);

	report_value(v, ci, x, cell(c, row, "ci_lo", k), cell(c, row, "ci_hi", k), 1, "");
	fprintf(f, "%s%s%s under [%d] %s (95%% interval %s)",
		k == 1 ? "in " : k == c->n ? "; and in " : "; in ",
		v, k == 1 ? " of simulated futures" : "", k, c->run[k - 1].sc.name, ci);
	if (k == 1 || isnan(d))
		return;
	if (lo <= 0 && hi >= 0) {
		difference(dv, dci, d, lo, hi, 1, "");
		fprintf(f, ", which cannot be told from [1] at this number of trials (difference %s, "
			"%s95%% interval %s)", dv, paired(c, "p_deterred") ? "paired " : "", dci);
		return;
	}
	/* "8.0 points fewer (paired 95% interval 7.6 to 8.4 points)" */
	{
		int dec = pretty_decimals(d, lo, hi);
		double a = fabs(d), b1 = d < 0 ? -hi : lo, b2 = d < 0 ? -lo : hi;

		dec = dec < 1 ? 1 : dec;
		fprintf(f, ", %s percentage points %s than [1] (%s95%% interval %s to %s)",
			pretty_fixed(dv, sizeof(dv), 100 * a, dec), d < 0 ? "fewer" : "more",
			paired(c, "p_deterred") ? "paired " : "", pretty_fixed(dci, sizeof(dci), 100 * b1, dec),
			pretty_fixed(ci, sizeof(ci), 100 * b2, dec));
	}
}

/* The key findings: p_deterred in each scenario and its differences. */
static void findings(struct report *rp, const struct comparison *c)
{
	long row = row_of(c, "p_deterred");
	char *text = NULL, y[PRETTY_SIZE];
	size_t len = 0;
	int k, best = 1;
	FILE *f;

	if (row < 0 || !(f = open_memstream(&text, &len)))
		return;
	fprintf(f, "The challenger is deterred (no attack within the horizon of %s years) ",
		pretty_number(y, sizeof(y), c->run[0].sc.horizon));
	for (k = 1; k <= c->n; k++) {
		finding_one(f, c, (size_t)row, k);
		if (cell(c, (size_t)row, "value", k) > cell(c, (size_t)row, "value", best))
			best = k;
	}
	fputs(". ", f);
	if (c->n > 2)
		fprintf(f, "Of these, [%d] deters most. ", best);
	if (paired(c, "p_deterred"))
		fputs("The differences are paired: each compares the scenarios on the same simulated "
		      "futures, so it is known more precisely than either figure alone.", f);
	fclose(f);
	report_findings(rp, "Key findings", text);
	free(text);
}

/* The figures of every scenario, side by side. */
static void figures_table(struct report *rp, const struct comparison *c)
{
	const char **cells = calloc((size_t)c->n + 1, sizeof(char *));
	char (*buf)[2 * PRETTY_SIZE + 8] = calloc((size_t)c->n + 1, sizeof(*buf));
	char align[MAX_SCEN + 2], label[256], v[PRETTY_SIZE], ci[PRETTY_SIZE];
	size_t i;
	int k;

	if (!cells || !buf)
		goto out;
	memset(align, 'n', sizeof(align));
	align[0] = 'l';
	align[c->n + 1] = '\0';
	cells[0] = "figure";
	for (k = 1; k <= c->n; k++) {
		snprintf(buf[k], sizeof(buf[k]), "[%d]", k);
		cells[k] = buf[k];
	}
	doc_table_begin(&rp->doc, align, cells);
	for (i = 0; i < c->t.t.nrow; i++) {
		const char *key = rtable_text(&c->t, i, 0);
		const struct model_figure *d = decl_of(c, key);

		cells[0] = label_of(d, key, label, sizeof(label));
		for (k = 1; k <= c->n; k++) {
			double x = cell(c, i, "value", k);

			report_value(v, ci, x, cell(c, i, "ci_lo", k), cell(c, i, "ci_hi", k),
				     d && report_is_prob(d), d && (d->flags & MODEL_FIG_YEARS) ? " years" : "");
			if (isnan(x))
				snprintf(buf[k], sizeof(buf[k]), "n/a");
			else
				snprintf(buf[k], sizeof(buf[k]), "%s (%s)", v, ci);
			cells[k] = buf[k];
		}
		doc_row(&rp->doc, cells);
	}
	doc_table_end(&rp->doc, "Each figure with its 95% interval in brackets; n/a where it is not "
		      "defined (a share among attacks, with no attack).");
out:
	free(cells);
	free(buf);
}

/* The differences of every scenario from the first. */
static void differences_table(struct report *rp, const struct comparison *c)
{
	const char *cells[4];
	static const char *const head[4] = { "figure", "scenario", "difference from [1]",
					     "95% interval" };
	char label[256], who[16], v[PRETTY_SIZE], ci[2 * PRETTY_SIZE];
	size_t i;
	int k;

	doc_table_begin(&rp->doc, "llnn", head);
	for (i = 0; i < c->t.t.nrow; i++) {
		const char *key = rtable_text(&c->t, i, 0);
		const struct model_figure *d = decl_of(c, key);

		label_of(d, key, label, sizeof(label));
		for (k = 2; k <= c->n; k++) {
			difference(v, ci, cell(c, i, "diff", k), cell(c, i, "diff_lo", k),
				   cell(c, i, "diff_hi", k), d && report_is_prob(d),
				   d && (d->flags & MODEL_FIG_YEARS) ? " years" : "");
			if (!paired(c, key) && !isnan(cell(c, i, "diff", k)))
				strcat(ci, " (as if independent)");
			snprintf(who, sizeof(who), "[%d]", k);
			cells[0] = k == 2 ? label : "";
			cells[1] = who;
			cells[2] = v;
			cells[3] = ci;
			doc_row(&rp->doc, cells);
		}
	}
	doc_table_end(&rp->doc, "Paired intervals compare the scenarios future by future on the "
		      "same trials; those marked 'as if independent' (figures among attacks, whose "
		      "attacks differ) treat the scenarios as independent, which overstates them.");
}

/* The milestones of each scenario's survival curve. */
static void milestones_table(struct report *rp, const struct comparison *c)
{
	static const double at[] = { 1, 5, 10 };
	const char *cells[5] = { "scenario" };
	char head[4][PRETTY_SIZE], val[4][2 * PRETTY_SIZE + 8], num[16];
	double want[4];
	int n = 0, k, j;
	char align[6] = "lnnnn";

	for (j = 0; j < 3; j++)
		if (at[j] < c->run[0].sc.horizon - 1e-9)
			want[n++] = at[j];
	want[n++] = c->run[0].sc.horizon;
	align[n + 1] = '\0';
	for (j = 0; j < n; j++) {
		char y[PRETTY_SIZE];

		snprintf(head[j], sizeof(head[j]), "after %s %s", pretty_number(y, sizeof(y), want[j]),
			 want[j] == 1 ? "year" : "years");
		cells[j + 1] = head[j];
	}
	doc_table_begin(&rp->doc, align, cells);
	for (k = 0; k < c->n; k++) {
		const struct rtable *s = &c->run[k].surv;

		snprintf(num, sizeof(num), "[%d]", k + 1);
		cells[0] = num;
		for (j = 0; j < n; j++) {
			size_t i, best = 0;
			char v[PRETTY_SIZE], ci[PRETTY_SIZE];

			for (i = 0; i < s->t.nrow; i++)
				if (fabs(rtable_num(s, i, 0) - want[j]) < fabs(rtable_num(s, best, 0) - want[j]))
					best = i;
			report_value(v, ci, rtable_num(s, best, 1), rtable_num(s, best, 2),
				     rtable_num(s, best, 3), 1, "");
			snprintf(val[j], sizeof(val[j]), "%s (%s)", v, ci);
			cells[j + 1] = s->t.nrow && s->t.ncol >= 4 ? val[j] : "–";
		}
		doc_row(&rp->doc, cells);
	}
	doc_table_end(&rp->doc, "The chance that the challenger has not attacked by then, with its "
		      "95% interval.");
}

/* The overlaid survival curves and the outcomes side by side. */
static int charts(struct report *rp, const struct comparison *c)
{
	char *surv = NULL, *outc = NULL;
	size_t ls = 0, lo = 0;
	FILE *fs = open_memstream(&surv, &ls), *fo = open_memstream(&outc, &lo);
	int k, ret = EXIT_RUNTIME, same = 1;

	if (fs && fo) {
		for (k = 0; k < c->n; k++) {
			fprintf(fs, "%s%s/survival.tsv", k ? " " : "", c->run[k].dir);
			fprintf(fo, "%s%s/outcomes.tsv", k ? " " : "", c->run[k].dir);
			same = same && c->run[k].sc.model == c->run[0].sc.model;
		}
	}
	if (fs)
		fclose(fs);
	if (fo)
		fclose(fo);
	if (surv && outc) {
		ret = report_image(rp, "survival.gp", surv, "survival.svg", NULL, "The chance that "
				   "the challenger has not attacked yet, by year, in each scenario, with "
				   "its 95% band.");
		/* The outcomes of one model's categories only. */
		if (ret == EXIT_OK && same)
			ret = report_image(rp, "outcomes.gp", outc, "outcomes.svg", NULL,
					   c->run[0].sc.layout->outcomes_caption);
	}
	free(surv);
	free(outc);
	return ret;
}

/* What the figures of a comparison mean. */
static void caveats(struct report *rp, const struct comparison *c)
{
	char t[PRETTY_SIZE], s[1200];
	const char *paras[] = {
		s, "The 95% intervals measure the simulation's noise, not the uncertainty of the "
		"assumptions or of the model; \u201cdeterred\u201d means no attack within the "
		"horizon. How well gsim's models predict held-out historical cases is in "
		"docs/validation.md. The figures are a way to reason about guarantees, not "
		"forecasts.", NULL
	};

	snprintf(s, sizeof(s), "Every scenario ran %s simulated futures with the same random "
		 "numbers: future i of one scenario draws what future i of another draws. A "
		 "difference is then one of the scenarios' assumptions, not of luck, and for the "
		 "shares of all futures its interval is paired (future by future), narrower than "
		 "the figures' own. The shares among attacks compare different sets of attacks: "
		 "their intervals treat the scenarios as independent.",
		 pretty_int(t, sizeof(t), (long long)c->run[0].trials));
	report_caveats(rp, paras);
}

int report_compare(struct report *rp)
{
	struct comparison c;
	char title[256];
	int ret = EXIT_USAGE, k;

	if (load(rp, &c) == 0) {
		snprintf(title, sizeof(title), "Comparison of %d scenarios", c.n);
		ret = report_begin(rp, title);
	}
	if (ret == EXIT_OK) {
		scenarios_table(rp, &c);
		findings(rp, &c);
		doc_heading(&rp->doc, 2, "Results");
		figures_table(rp, &c);
		differences_table(rp, &c);
		milestones_table(rp, &c);
		ret = charts(rp, &c);
		caveats(rp, &c);
		report_config_diff(rp, c.run, c.n);
		for (k = 0; k < c.n; k++)
			if (strcmp(c.run[k].sc.model->name, c.run[0].sc.model->name))
				break;
		doc_para(&rp->doc, k < c.n ? "The scenarios are of different models: the outcomes "
			 "chart, whose categories are a model's own, is left out." : "Each scenario's "
			 "own report: 'sim report DIR/sNN'.", "small");
		report_provenance(rp, &c.t);
		ret = report_end(rp, ret);
	}
	release(&c);
	return ret;
}
