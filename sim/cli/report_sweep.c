/* report_sweep.c - the report of "sim sweep -o DIR": the chart, the
 * thresholds at which p_deterred crosses 50% and 90% (interpolated
 * linearly between the grid's points, and from the ends of the 95% band),
 * said plainly when it never does, and the points. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/pretty.h"
#include "cli/report.h"
#include "cli/usage.h"

/* The levels whose crossings a sweep's report finds. */
static const double levels[] = { 0.5, 0.9 };
#define NLEVELS 2

struct sweep {
	struct rtable t;
	int nvary;
	long fig, lo, hi;	/* the columns of p_deterred and its interval */
	const char *scenario;
};

/* One series along the fast path: N points (X, the figure, its band). */
struct series {
	double *x, *y, *ylo, *yhi;
	size_t n;
};

/* The first crossing of LEVEL by the points (X[i], Y[i]) (X sorted), from
 * index FROM: its X interpolated linearly into *AT and the grid points
 * around it into *A and *B. Returns the index of the crossing's first
 * point, or -1 when Y never crosses it. */
static long crossing(const double *x, const double *y, size_t n, size_t from, double level,
		     double *at, double *a, double *b)
{
	size_t i;

	for (i = from; i + 1 < n; i++) {
		double d0 = y[i] - level, d1 = y[i + 1] - level;

		if (isnan(d0) || isnan(d1) || (d0 < 0) == (d1 < 0) || d0 == d1) {
			if (d0 == 0 && !isnan(d1)) {
				*at = *a = *b = x[i];
				return (long)i;
			}
			continue;
		}
		*at = x[i] + (level - y[i]) * (x[i + 1] - x[i]) / (y[i + 1] - y[i]);
		*a = x[i];
		*b = x[i + 1];
		return (long)i;
	}
	return -1;
}

/* "about 557,100" for a threshold X into BUF. */
static const char *thr(char *buf, size_t size, double x)
{
	return pretty_sig(buf, size, x, 4);
}

/* The sentence on LEVEL for series S. */
static void level_sentence(FILE *f, const struct series *s, double level)
{
	char a[PRETTY_SIZE], b[PRETTY_SIZE], c[PRETTY_SIZE], lv[PRETTY_SIZE], e1[PRETTY_SIZE];
	char e2[PRETTY_SIZE];
	double at, ga, gb, bl, bh, x1, x2, dummy;
	long i = crossing(s->x, s->y, s->n, 0, level, &at, &ga, &gb);
	long more = i >= 0 ? crossing(s->x, s->y, s->n, (size_t)i + 1, level, &dummy, &dummy, &dummy) : -1;
	int above = s->y[0] >= level;

	pretty_percent(lv, sizeof(lv), level, 0);
	if (i < 0) {
		fprintf(f, "It never crosses %s within the range swept: it stays %s it everywhere "
			"from %s to %s. ", lv, above ? "above" : "below",
			pretty_number(a, sizeof(a), s->x[0]), pretty_number(b, sizeof(b), s->x[s->n - 1]));
		return;
	}
	fprintf(f, "It %s %s at about %s", s->y[i + (i + 1 < (long)s->n)] > s->y[i] ? "rises through"
		: "falls through", lv, thr(c, sizeof(c), at));
	if (ga != gb)
		fprintf(f, " (interpolated between the points %s and %s", pretty_number(a, sizeof(a), ga),
			pretty_number(b, sizeof(b), gb));
	else
		fprintf(f, " (a point of the grid");
	/* where the ends of the 95% band cross it */
	if (s->ylo && crossing(s->x, s->ylo, s->n, 0, level, &x1, &bl, &bh) >= 0 &&
	    crossing(s->x, s->yhi, s->n, 0, level, &x2, &bl, &bh) >= 0)
		fprintf(f, "; from the ends of the 95%% band, between %s and %s",
			thr(e1, sizeof(e1), x1 < x2 ? x1 : x2), thr(e2, sizeof(e2), x1 < x2 ? x2 : x1));
	fputs(")", f);
	if (more >= 0)
		fputs(", and crosses it again further on: the curve is not monotone", f);
	fputs(". ", f);
}

/* Series J of sweep W: the rows whose slow paths hold the values of
 * block J (a 1-D sweep has one), sorted by the fast path. */
static int series_of(const struct sweep *w, size_t first, size_t n, struct series *s)
{
	size_t i, j;

	s->n = n;
	s->x = malloc(sizeof(double) * n);
	s->y = malloc(sizeof(double) * n);
	s->ylo = malloc(sizeof(double) * n);
	s->yhi = malloc(sizeof(double) * n);
	if (!s->x || !s->y || !s->ylo || !s->yhi)
		return -1;
	for (i = 0; i < n; i++) {
		s->x[i] = rtable_num(&w->t, first + i, (size_t)w->nvary - 1);
		s->y[i] = rtable_num(&w->t, first + i, (size_t)w->fig);
		s->ylo[i] = w->lo >= 0 ? rtable_num(&w->t, first + i, (size_t)w->lo) : NAN;
		s->yhi[i] = w->hi >= 0 ? rtable_num(&w->t, first + i, (size_t)w->hi) : NAN;
	}
	/* sorted by x (insertion: a sweep has few points) */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && s->x[j - 1] > s->x[j]; j--) {
			double t;

			t = s->x[j], s->x[j] = s->x[j - 1], s->x[j - 1] = t;
			t = s->y[j], s->y[j] = s->y[j - 1], s->y[j - 1] = t;
			t = s->ylo[j], s->ylo[j] = s->ylo[j - 1], s->ylo[j - 1] = t;
			t = s->yhi[j], s->yhi[j] = s->yhi[j - 1], s->yhi[j - 1] = t;
		}
	return 0;
}

static void series_free(struct series *s)
{
	free(s->x);
	free(s->y);
	free(s->ylo);
	free(s->yhi);
	memset(s, 0, sizeof(*s));
}

/* The length of the runs of the fast path (rows with the same slow
 * values). */
static size_t run_length(const struct sweep *w)
{
	size_t i;
	int k;

	if (w->nvary < 2)
		return w->t.t.nrow;
	for (i = 1; i < w->t.t.nrow; i++) {
		for (k = 0; k < w->nvary - 1; k++)
			if (rtable_num(&w->t, i, (size_t)k) != rtable_num(&w->t, 0, (size_t)k))
				break;
		if (k < w->nvary - 1)
			break;
	}
	return i;
}

/* The key findings of a 1-D sweep: the range of p_deterred, its
 * thresholds. */
static void findings_1d(struct report *rp, const struct sweep *w, const struct series *s)
{
	char *text = NULL, a[PRETTY_SIZE], b[PRETTY_SIZE], c[PRETTY_SIZE], d[PRETTY_SIZE];
	const char *path = w->t.t.name[0];
	size_t len = 0;
	int k;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	fprintf(f, "As %s goes from %s to %s, the share of simulated futures in which the challenger "
		"is deterred (p_deterred) goes from %s to %s. ", path,
		pretty_number(a, sizeof(a), s->x[0]), pretty_number(b, sizeof(b), s->x[s->n - 1]),
		pretty_percent(c, sizeof(c), s->y[0], 1), pretty_percent(d, sizeof(d), s->y[s->n - 1], 1));
	for (k = 0; k < NLEVELS; k++)
		level_sentence(f, s, levels[k]);
	fclose(f);
	report_findings(rp, "Key findings", text);
	free(text);
}

/* The key findings of a 2-D sweep: where p_deterred is lowest and
 * highest, and for how many values of the slow path it crosses each level
 * along the fast one (RUN points each). */
static void findings_2d(struct report *rp, const struct sweep *w, size_t run)
{
	char *text = NULL, a[PRETTY_SIZE], b[PRETTY_SIZE], c[PRETTY_SIZE], e[PRETTY_SIZE];
	size_t len = 0, i, lo = 0, hi = 0, first, rows = 0;
	int k, crossed[NLEVELS] = { 0 };
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	for (i = 1; i < w->t.t.nrow; i++) {
		lo = rtable_num(&w->t, i, (size_t)w->fig) < rtable_num(&w->t, lo, (size_t)w->fig) ? i : lo;
		hi = rtable_num(&w->t, i, (size_t)w->fig) > rtable_num(&w->t, hi, (size_t)w->fig) ? i : hi;
	}
	fprintf(f, "Over the grid, p_deterred is lowest, %s, at %s = %s and %s = %s, ",
		pretty_percent(a, sizeof(a), rtable_num(&w->t, lo, (size_t)w->fig), 1), w->t.t.name[0],
		pretty_number(b, sizeof(b), rtable_num(&w->t, lo, 0)), w->t.t.name[1],
		pretty_number(c, sizeof(c), rtable_num(&w->t, lo, 1)));
	fprintf(f, "and highest, %s, at %s and %s. ",
		pretty_percent(a, sizeof(a), rtable_num(&w->t, hi, (size_t)w->fig), 1),
		pretty_number(b, sizeof(b), rtable_num(&w->t, hi, 0)),
		pretty_number(e, sizeof(e), rtable_num(&w->t, hi, 1)));
	for (first = 0; run > 1 && first + run <= w->t.t.nrow; first += run, rows++) {
		struct series s;

		if (series_of(w, first, run, &s) == 0)
			for (k = 0; k < NLEVELS; k++) {
				double at, x, y;

				crossed[k] += crossing(s.x, s.y, s.n, 0, levels[k], &at, &x, &y) >= 0;
			}
		series_free(&s);
	}
	for (k = 0; k < NLEVELS; k++)
		fprintf(f, "Along %s it crosses %s for %s of the %s values of %s. ", w->t.t.name[1],
			pretty_percent(a, sizeof(a), levels[k], 0),
			crossed[k] ? pretty_words(b, sizeof(b), crossed[k]) : "none",
			pretty_words(c, sizeof(c), (double)rows), w->t.t.name[0]);
	fclose(f);
	report_findings(rp, "Key findings", text);
	free(text);
}

/* The thresholds of every series (a row per value of the slow paths). */
static void thresholds_table(struct report *rp, const struct sweep *w, size_t run)
{
	const char *head[3] = { w->nvary > 1 ? w->t.t.name[0] : "level", "crosses 50% at",
				"crosses 90% at" };
	char v[PRETTY_SIZE], cells_buf[NLEVELS][2 * PRETTY_SIZE + 32];
	size_t first;
	int k;

	doc_table_begin(&rp->doc, "lnn", head);
	for (first = 0; first + run <= w->t.t.nrow && run > 1; first += run) {
		struct series s;
		const char *cells[3] = { v, cells_buf[0], cells_buf[1] };

		if (series_of(w, first, run, &s) == 0) {
			for (k = 0; k < NLEVELS; k++) {
				double at, a, b;
				char t[PRETTY_SIZE];

				if (crossing(s.x, s.y, s.n, 0, levels[k], &at, &a, &b) >= 0)
					snprintf(cells_buf[k], sizeof(cells_buf[k]), "%s", thr(t, sizeof(t), at));
				else
					snprintf(cells_buf[k], sizeof(cells_buf[k]), "never (%s it)",
						 s.y[0] >= levels[k] ? "above" : "below");
			}
			if (w->nvary > 1)
				pretty_number(v, sizeof(v), rtable_num(&w->t, first, 0));
			else
				snprintf(v, sizeof(v), "p_deterred");
			doc_row(&rp->doc, cells);
		}
		series_free(&s);
		if (w->nvary < 2)
			break;
	}
	snprintf(v, sizeof(v), "%s", w->t.t.name[w->nvary - 1]);
	{
		char cap[512];

		snprintf(cap, sizeof(cap), "The values of %s at which p_deterred crosses 50%% and 90%%, "
			 "interpolated linearly between the points of the grid.", v);
		doc_table_end(&rp->doc, cap);
	}
}

/* The points of the sweep: the varied values and p_deterred. */
static void points_table(struct report *rp, const struct sweep *w)
{
	const char *cells[8];
	char align[8], num[5][PRETTY_SIZE], v[PRETTY_SIZE], ci[PRETTY_SIZE], tr[PRETTY_SIZE];
	size_t i;
	int k, n = w->nvary < 5 ? w->nvary : 5, dec = 0;

	for (k = 0; k < n; k++) {
		cells[k] = w->t.t.name[k];
		align[k] = 'n';
	}
	cells[n] = "trials";
	cells[n + 1] = "p_deterred";
	cells[n + 2] = "95% interval";
	memcpy(align + n, "nnn", 4);
	/* the decimals the most precise point needs, for every point */
	for (i = 0; i < w->t.t.nrow && w->lo >= 0 && w->hi >= 0; i++) {
		int d = pretty_decimals(rtable_num(&w->t, i, (size_t)w->fig),
					rtable_num(&w->t, i, (size_t)w->lo), rtable_num(&w->t, i, (size_t)w->hi));

		dec = d > dec ? d : dec;
	}
	doc_table_begin(&rp->doc, align, cells);
	for (i = 0; i < w->t.t.nrow; i++) {
		for (k = 0; k < n; k++)
			cells[k] = pretty_number(num[k], sizeof(num[k]), rtable_num(&w->t, i, (size_t)k));
		report_value(v, ci, rtable_num(&w->t, i, (size_t)w->fig),
			     w->lo >= 0 ? rtable_num(&w->t, i, (size_t)w->lo) : NAN,
			     w->hi >= 0 ? rtable_num(&w->t, i, (size_t)w->hi) : NAN, 1, "");
		if (w->lo >= 0 && w->hi >= 0) {
			pretty_percent(v, sizeof(v), rtable_num(&w->t, i, (size_t)w->fig), dec);
			pretty_percent_range(ci, sizeof(ci), rtable_num(&w->t, i, (size_t)w->lo),
					     rtable_num(&w->t, i, (size_t)w->hi), dec);
		}
		cells[n] = pretty_number(tr, sizeof(tr), rtable_num(&w->t, i, (size_t)n));
		cells[n + 1] = v;
		cells[n + 2] = ci;
		doc_row(&rp->doc, cells);
	}
	doc_table_end(&rp->doc, "The points of the sweep; sweep.tsv holds every figure at each "
		      "point, with its interval.");
}

/* What a sweep's figures mean (the first only when its points share
 * their random numbers). */
static const char *const caveats[] = {
	"Every point ran the same trials with the same random numbers (common random numbers): "
	"the curve is smooth, and its changes from point to point are those of the varied value, "
	"not of luck.",
	"A threshold is where the straight line between two neighbouring points of the grid "
	"crosses the level: between the points the sweep did not run, so a finer grid there "
	"tells it better. The range from the ends of the 95% band is where the band's edges "
	"cross the level; it measures the simulation's noise at the points, not the uncertainty "
	"of the other assumptions, which stay as the config sets them.",
	"\u201cDeterred\u201d means no attack within the horizon. How well gsim's models predict "
	"held-out historical cases is in docs/validation.md.", NULL
};

/* Whether the points of sweep W share their random numbers. */
static int common_streams(const struct sweep *w)
{
	const char *streams = rtable_meta(&w->t, "streams", 0);

	return streams && !strncmp(streams, "common", 6);
}

/* Reads the sweep at PATH into W. Returns 0 or -1. */
static int load(struct sweep *w, const char *path)
{
	memset(w, 0, sizeof(*w));
	if (rtable_read(path, &w->t) < 0)
		return -1;
	while (rtable_meta(&w->t, "vary", (size_t)w->nvary))
		w->nvary++;
	w->fig = table_column(&w->t.t, "p_deterred");
	w->lo = table_column(&w->t.t, "p_deterred_ci_lo");
	w->hi = table_column(&w->t.t, "p_deterred_ci_hi");
	w->scenario = rtable_meta(&w->t, "scenario", 0);
	if (w->nvary < 1 || w->fig < 0 || (size_t)w->nvary >= w->t.t.ncol)
		return error("%s: not a sweep sim wrote (no '# vary:' line or no p_deterred column)",
			     path);
	return 0;
}

int report_sweep(struct report *rp, const char *path)
{
	struct sweep w;
	struct series s = { 0 };
	char title[1024], cap[1024];
	size_t run;
	int ret = EXIT_USAGE;

	if (load(&w, path) == 0) {
		snprintf(title, sizeof(title), "Sweep of %s%s%s", w.t.t.name[0],
			 w.nvary > 1 ? " and more" : "", w.scenario ? ": " : "");
		if (w.scenario)
			strncat(title, w.scenario, sizeof(title) - strlen(title) - 1);
		ret = report_begin(rp, title);
	}
	if (ret == EXIT_OK) {
		run = run_length(&w);
		if (w.nvary == 1 && series_of(&w, 0, w.t.t.nrow, &s) == 0 && s.n >= 1)
			findings_1d(rp, &w, &s);
		else if (w.nvary == 2)
			findings_2d(rp, &w, run);
		doc_heading(&rp->doc, 2, "Results");
		if (w.nvary <= 2)
			thresholds_table(rp, &w, run);
		if (w.nvary == 1) {
			snprintf(cap, sizeof(cap), "p_deterred by %s, with its 95%% band.", w.t.t.name[0]);
			ret = report_image(rp, "sweep.gp", path, "sweep.svg", "p_deterred", cap);
		} else if (w.nvary == 2) {
			snprintf(cap, sizeof(cap), "p_deterred over the grid of %s and %s.",
				 w.t.t.name[0], w.t.t.name[1]);
			ret = report_image(rp, "heatmap.gp", path, "heatmap.svg", NULL, cap);
		}
		points_table(rp, &w);
		ret = report_close(rp, common_streams(&w) ? caveats : caveats + 1, &w.t, ret);
	}
	series_free(&s);
	rtable_free(&w.t);
	return ret;
}
