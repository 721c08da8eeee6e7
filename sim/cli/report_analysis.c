/* report_analysis.c - the reports of "sim discover" (PRIM's boxes: where a
 * condition holds, in words, with their limits and charts) and "sim
 * robust" (designs over uncertain futures: regret and satisficing). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/pretty.h"
#include "cli/report.h"
#include "cli/usage.h"

/* What the figures of a discovery and of a robustness study mean. */
static const char *const discover_caveats[] = {
	"A box describes where, among the rows of the table, the condition holds mostly: a "
	"summary of the simulations run, not a law. Its density and coverage are shares of those "
	"rows; its limits lie between points that were simulated, and each row's figure carries "
	"its own simulation noise.", NULL
};
static const char *const robust_caveats[] = {
	"Every design ran in every future with the same trials and seed (common random numbers), "
	"so a regret compares designs, not luck. The futures are a sample of the uncertainties' "
	"ranges, each equally likely: the shares are of that sample, not probabilities of the "
	"world.", NULL
};

/* The condition of a discovery, "p_deterred < 0.8", from its "# where:"
 * line (whose value is written with every digit), into BUF. */
static const char *condition(const struct rtable *t, char *buf, size_t size)
{
	const char *w = rtable_meta(t, "where", 0);
	char fig[128], op[8], num[PRETTY_SIZE];
	double v;

	if (w && sscanf(w, "%127s %7s %lf", fig, op, &v) == 3)
		snprintf(buf, size, "%s %s %s", fig, op, pretty_number(num, sizeof(num), v));
	else
		snprintf(buf, size, "%s", w ? w : "the condition");
	return buf;
}

/* The limits of row I of boxes.tsv in words ("from 220,275 to 638,382",
 * "at most 0.3102"), into BUF. */
static const char *limits(const struct rtable *t, size_t i, char *buf, size_t size)
{
	char a[PRETTY_SIZE], b[PRETTY_SIZE];
	double lo = rtable_num(t, i, 2), hi = rtable_num(t, i, 3);
	int low = lo > rtable_num(t, i, 4), high = hi < rtable_num(t, i, 5);

	pretty_sig(a, sizeof(a), lo, 4);
	pretty_sig(b, sizeof(b), hi, 4);
	if (low && high)
		snprintf(buf, size, "from %s to %s", a, b);
	else if (low)
		snprintf(buf, size, "at least %s", a);
	else if (high)
		snprintf(buf, size, "at most %s", b);
	else
		snprintf(buf, size, "anywhere in its range");
	return buf;
}

/* The sentence on box BOX of boxes.tsv (its rows FIRST .. LAST - 1). */
static void box_sentence(FILE *f, const struct rtable *t, size_t first, size_t last,
			 const char *cond)
{
	char lim[256], a[PRETTY_SIZE], b[PRETTY_SIZE], c[PRETTY_SIZE];
	size_t i;
	int n = 0;

	fprintf(f, "Box %s: where ", rtable_text(t, first, 0));
	for (i = first; i < last; i++) {
		if (rtable_num(t, i, 6) == 0)
			continue;
		fprintf(f, "%s%s is %s", n++ ? " and " : "", rtable_text(t, i, 1),
			limits(t, i, lim, sizeof(lim)));
	}
	if (!n)
		fputs("every input is anywhere in its range", f);
	fprintf(f, ", %s holds in %s of the rows (the box's density); the box holds %s of all the "
		"rows where it holds (its coverage) and %s of all rows (its support). ", cond,
		pretty_percent(a, sizeof(a), rtable_num(t, first, 9), 0),
		pretty_percent(b, sizeof(b), rtable_num(t, first, 8), 0),
		pretty_percent(c, sizeof(c), rtable_num(t, first, 10), 0));
}

/* The findings and the table of every box. */
static void boxes(struct report *rp, const struct rtable *t, const char *cond)
{
	static const char *const head[5] = { "box", "input", "limits in the box",
					     "range in the data", "quasi-p" };
	char *text = NULL, lim[256], range[2 * PRETTY_SIZE + 8], a[PRETTY_SIZE], b[PRETTY_SIZE];
	char qp[PRETTY_SIZE];
	size_t len = 0, i, first = 0;
	FILE *f = open_memstream(&text, &len);

	for (i = 1; f && i <= t->t.nrow; i++)
		if (i == t->t.nrow || rtable_num(t, i, 0) != rtable_num(t, first, 0)) {
			box_sentence(f, t, first, i, cond);
			first = i;
		}
	if (f)
		fclose(f);
	report_findings(rp, "Key findings", text);
	free(text);
	doc_heading(&rp->doc, 2, "The boxes");
	doc_table_begin(&rp->doc, "lllln", head);
	for (i = 0; i < t->t.nrow; i++) {
		const char *cells[5] = { rtable_text(t, i, 0), rtable_text(t, i, 1), lim, range, qp };

		limits(t, i, lim, sizeof(lim));
		snprintf(range, sizeof(range), "%s to %s", pretty_sig(a, sizeof(a), rtable_num(t, i, 4), 4),
			 pretty_sig(b, sizeof(b), rtable_num(t, i, 5), 4));
		if (rtable_num(t, i, 6) == 0 || isnan(rtable_num(t, i, 7)))
			snprintf(qp, sizeof(qp), "–");
		else
			pretty_sig(qp, sizeof(qp), rtable_num(t, i, 7), 2);
		doc_row(&rp->doc, cells);
	}
	doc_table_end(&rp->doc, "Quasi-p: the chance that the box without that restriction would "
		      "hold as many cases of interest (small: the restriction matters).");
}

int report_discover(struct report *rp)
{
	struct rtable t;
	char path[4200], title[512], cond[256];
	int ret;

	snprintf(path, sizeof(path), "%s/boxes.tsv", rp->dir);
	if (rtable_read(path, &t) < 0)
		return EXIT_USAGE;
	condition(&t, cond, sizeof(cond));
	snprintf(title, sizeof(title), "Scenario discovery: where %s", cond);
	ret = t.t.ncol >= 11 ? report_begin(rp, title) : error("%s: not a boxes.tsv", path);
	if (ret == EXIT_OK) {
		const char *rows = rtable_meta(&t, "rows", 0), *on = NULL;
		char lede[1024];
		size_t k;

		for (k = 0; k < t.nmeta && !on; k++)
			if (!strncmp(t.meta[k], "discover (PRIM) on ", 19))
				on = t.meta[k] + 19;
		snprintf(lede, sizeof(lede), "PRIM (Friedman and Fisher 1999) looked for ranges of the "
			 "inputs in which %s holds in most rows of %s (its rows: %s).", cond,
			 on ? on : "the table", rows ? rows : "?");
		doc_para(&rp->doc, lede, "lede");
		boxes(rp, &t, cond);
		snprintf(path, sizeof(path), "%s/discover.tsv", rp->dir);
		ret = report_image(rp, "tradeoff.gp", path, "tradeoff.svg", NULL, "PRIM's peeling: the "
				   "coverage and density of each box along the way; the chosen box is "
				   "marked.");
		snprintf(path, sizeof(path), "%s/boxes.tsv", rp->dir);
		if (ret == EXIT_OK)
			ret = report_image(rp, "boxlimits.gp", path, "boxes.svg", NULL, "The limits of "
					   "each box on each input, within the range of the data.");
		ret = report_close(rp, discover_caveats, &t, ret);
	}
	rtable_free(&t);
	return ret < 0 ? EXIT_USAGE : ret;
}

/* ---------------------------------------------------------------- */
/* Robustness */

/* The findings of a robustness study: minimax regret, satisficing. */
static void robust_findings(struct report *rp, const struct rtable *t)
{
	const char *fig = rtable_meta(t, "figure", 0), *fut = rtable_meta(t, "futures", 0);
	char *text = NULL, a[PRETTY_SIZE], b[PRETTY_SIZE];
	size_t len = 0, i, mm = 0, sat = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	for (i = 1; i < t->t.nrow; i++) {
		if (rtable_num(t, i, 10) < rtable_num(t, mm, 10))
			mm = i;
		if (rtable_num(t, i, 7) > rtable_num(t, sat, 7))
			sat = i;
	}
	if (rtable_num(t, mm, 10) == 0)
		fprintf(f, "Over the futures (%s), design %s is the best in every one: its regret is 0 "
			"throughout (minimax regret). ", fut ? fut : "the sample of uncertain futures",
			rtable_text(t, mm, 0));
	else
		fprintf(f, "Over the futures (%s), design %s has the smallest worst regret: in no "
			"future is its figure more than %s below the best design's (minimax regret). ",
			fut ? fut : "the sample of uncertain futures", rtable_text(t, mm, 0),
			pretty_fixed(a, sizeof(a), rtable_num(t, mm, 10), 3));
	fprintf(f, "Design %s reaches the satisficing level most often, in %s of the futures. ",
		rtable_text(t, sat, 0), pretty_percent(b, sizeof(b), rtable_num(t, sat, 7), 0));
	if (fig)
		fprintf(f, "The figure compared: %s.", fig);
	fclose(f);
	report_findings(rp, "Key findings", text);
	free(text);
}

/* The designs' summaries. */
static void designs_table(struct report *rp, const struct rtable *t)
{
	static const char *const head[8] = { "design", "mean", "worst", "median", "satisficing",
					     "mean regret", "worst regret", "best in" };
	static const int col[8] = { 0, 1, 2, 4, 7, 8, 10, 11 };
	char v[8][PRETTY_SIZE];
	size_t i;
	int k;

	doc_table_begin(&rp->doc, "lnnnnnnn", head);
	for (i = 0; i < t->t.nrow; i++) {
		const char *cells[8] = { rtable_text(t, i, 0) };

		for (k = 1; k < 8; k++) {
			double x = rtable_num(t, i, (size_t)col[k]);

			cells[k] = col[k] == 7 || col[k] == 11 ? pretty_percent(v[k], sizeof(v[k]), x, 0)
							       : pretty_fixed(v[k], sizeof(v[k]), x, 3);
		}
		doc_row(&rp->doc, cells);
	}
	doc_table_end(&rp->doc, "The figure over the futures (mean, worst, median); satisficing: the "
		      "share of futures where it reaches the level; regret: the best design's figure "
		      "in that future minus this one's; best in: the share of futures where it is the "
		      "best.");
}

int report_robust(struct report *rp)
{
	struct rtable t;
	char path[4200], title[256];
	const char *d;
	size_t k;
	int ret;

	snprintf(path, sizeof(path), "%s/designs.tsv", rp->dir);
	if (rtable_read(path, &t) < 0)
		return EXIT_USAGE;
	snprintf(title, sizeof(title), "Robustness of %zu designs", t.t.nrow);
	ret = t.t.ncol >= 12 ? report_begin(rp, title) : error("%s: not a designs.tsv", path);
	if (ret == EXIT_OK) {
		static const char *const head[1] = { "design (as given)" };

		robust_findings(rp, &t);
		doc_heading(&rp->doc, 2, "Results");
		designs_table(rp, &t);
		doc_table_begin(&rp->doc, "l", head);
		for (k = 0; (d = rtable_meta(&t, "design", k)); k++)
			doc_row(&rp->doc, &d);
		doc_table_end(&rp->doc, NULL);
		snprintf(path, sizeof(path), "%s/robust.tsv", rp->dir);
		ret = report_image(rp, "robust.gp", path, "robust.svg", NULL, "Each design's figure and "
				   "regret over the futures.");
		ret = report_close(rp, robust_caveats, &t, ret);
	}
	rtable_free(&t);
	return ret < 0 ? EXIT_USAGE : ret;
}
