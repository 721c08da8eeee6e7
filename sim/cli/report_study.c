/* report_study.c - the reports of "sim sensitivity" (Sobol' indices, a
 * tornado chart a figure) and "sim screen" (Morris's elementary effects,
 * a chart of mu* against sigma a figure): which inputs matter, in words,
 * and their tables. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/pretty.h"
#include "cli/report.h"
#include "cli/usage.h"

/* The most figures a study's report shows. */
#define MAX_FIGS 64

/* The figures of a study table's first column, each once, in order. */
static int figures(const struct rtable *t, const char **figs)
{
	size_t i;
	int n = 0, k;

	for (i = 0; i < t->t.nrow; i++) {
		const char *f = rtable_text(t, i, 0);

		for (k = 0; k < n && strcmp(figs[k], f); k++)
			;
		if (k == n && n < MAX_FIGS)
			figs[n++] = f;
	}
	return n;
}

/* "(from LO to HI)" of input PATH, from the table's "# range: PATH = LO:HI"
 * lines, into BUF ("" when there is none). */
static const char *range_of(const struct rtable *t, const char *path, char *buf, size_t size)
{
	const char *r;
	size_t k, len = strlen(path);

	buf[0] = '\0';
	for (k = 0; (r = rtable_meta(t, "range", k)); k++) {
		const char *colon;
		char a[PRETTY_SIZE], b[PRETTY_SIZE];
		double lo, hi;

		if (strncmp(r, path, len) || strncmp(r + len, " = ", 3))
			continue;
		r += len + 3;
		colon = strchr(r, ':');
		if (colon && !strchr(colon + 1, ':') && sscanf(r, "%lf", &lo) == 1 &&
		    sscanf(colon + 1, "%lf", &hi) == 1)
			snprintf(buf, size, "from %s to %s", pretty_number(a, sizeof(a), lo),
				 pretty_number(b, sizeof(b), hi));
		else
			snprintf(buf, size, "%s", r);
		break;
	}
	return buf;
}

/* An index X with its interval into BUF: "0.67 (0.37 to 0.97)". */
static const char *index_ci(char *buf, size_t size, double x, double lo, double hi)
{
	char a[PRETTY_SIZE], b[PRETTY_SIZE], c[PRETTY_SIZE];

	if (isnan(x)) {
		snprintf(buf, size, "n/a");
		return buf;
	}
	snprintf(buf, size, "%s (%s to %s)", pretty_fixed(a, sizeof(a), x, 2),
		 pretty_fixed(b, sizeof(b), lo, 2), pretty_fixed(c, sizeof(c), hi, 2));
	return buf;
}

/* The title of a study of KIND on table T ("Sensitivity of ...: SCENARIO"). */
static void study_title(char *buf, size_t size, const char *kind, const struct rtable *t)
{
	const char *sc = rtable_meta(t, "scenario", 0);

	snprintf(buf, size, "%s%s%s", kind, sc ? ": " : "", sc ? sc : "");
}

/* ---------------------------------------------------------------- */
/* Sensitivity */

/* The findings on figure FIG of a sensitivity table (its rows sorted by
 * ST, largest first). */
static void sens_findings(struct report *rp, const struct rtable *t, const char *fig)
{
	char *text = NULL, a[PRETTY_SIZE], b[PRETTY_SIZE], c[PRETTY_SIZE], d[PRETTY_SIZE];
	size_t len = 0, i;
	int first = 1, n = 0, zero = 0;
	double s1 = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	for (i = 0; i < t->t.nrow; i++) {
		if (strcmp(rtable_text(t, i, 0), fig))
			continue;
		n++;
		s1 += isnan(rtable_num(t, i, 2)) ? 0 : rtable_num(t, i, 2);
		if (first)
			fprintf(f, "Of the inputs varied, %s explains the most of the variance of %s: its "
				"total-order index is %s (95%% interval %s to %s), the share of the variance "
				"that goes with it, interactions included; alone (first-order) it explains "
				"%s. ", rtable_text(t, i, 1), fig,
				pretty_fixed(a, sizeof(a), rtable_num(t, i, 5), 2),
				pretty_fixed(b, sizeof(b), rtable_num(t, i, 6), 2),
				pretty_fixed(c, sizeof(c), rtable_num(t, i, 7), 2),
				pretty_fixed(d, sizeof(d), rtable_num(t, i, 2), 2));
		first = 0;
		zero += rtable_num(t, i, 6) <= 0;
	}
	if (n > 1)
		fprintf(f, "The first-order indices of the %s inputs add up to %s: %s of the variance "
			"comes from their interactions. ", pretty_words(a, sizeof(a), n),
			pretty_fixed(b, sizeof(b), s1, 2),
			s1 >= 1 ? "none, within the noise," : pretty_percent(c, sizeof(c), 1 - s1, 0));
	if (zero == 1)
		fputs("One input's total-order interval reaches 0: at this sample size it cannot be "
		      "told from an input with no effect.", f);
	else if (zero > 1)
		fprintf(f, "The total-order intervals of %s inputs reach 0: at this sample size they "
			"cannot be told from inputs with no effect.", pretty_words(a, sizeof(a), zero));
	fclose(f);
	report_findings(rp, NULL, text);
	free(text);
}

/* The table of figure FIG's indices. */
static void sens_table(struct report *rp, const struct rtable *t, const char *fig)
{
	static const char *const head[4] = { "input", "range", "total-order S_T (95% interval)",
					     "first-order S_1 (95% interval)" };
	char range[512], st[3 * PRETTY_SIZE], s1[3 * PRETTY_SIZE];
	size_t i;

	doc_table_begin(&rp->doc, "llnn", head);
	for (i = 0; i < t->t.nrow; i++) {
		const char *cells[4] = { rtable_text(t, i, 1), range, st, s1 };

		if (strcmp(rtable_text(t, i, 0), fig))
			continue;
		range_of(t, cells[0], range, sizeof(range));
		index_ci(st, sizeof(st), rtable_num(t, i, 5), rtable_num(t, i, 6), rtable_num(t, i, 7));
		index_ci(s1, sizeof(s1), rtable_num(t, i, 2), rtable_num(t, i, 3), rtable_num(t, i, 4));
		doc_row(&rp->doc, cells);
	}
	doc_table_end(&rp->doc, "S_T: the share of the figure's variance that goes with the input, "
		      "its interactions included; S_1: the share it explains alone. Largest S_T "
		      "first.");
}

/* ---------------------------------------------------------------- */
/* Screening */

/* The findings on figure FIG of a screening: the input that moves it most. */
static void screen_findings(struct report *rp, const struct rtable *t, const char *fig)
{
	char *text = NULL, a[PRETTY_SIZE];
	size_t len = 0, i;
	FILE *f;

	for (i = 0; i < t->t.nrow && strcmp(rtable_text(t, i, 0), fig); i++)
		;
	if (i == t->t.nrow || !(f = open_memstream(&text, &len)))
		return;
	fprintf(f, "Of the inputs screened, %s moves %s the most: its mean absolute elementary "
		"effect mu* is %s (the change of %s per step over its whole range, scaled to 0-1)%s.",
		rtable_text(t, i, 1), fig, pretty_sig(a, sizeof(a), rtable_num(t, i, 2), 3), fig,
		rtable_num(t, i, 6) > 0.5 * rtable_num(t, i, 2) ? ", and its effects vary (sigma is "
		"large against mu*): it acts non-linearly or with other inputs" : "");
	fclose(f);
	report_findings(rp, NULL, text);
	free(text);
}

/* The table of figure FIG of a screening. */
static void screen_table(struct report *rp, const struct rtable *t, const char *fig)
{
	static const char *const head[5] = { "input", "range", "mu* (95% interval)", "mu", "sigma" };
	char range[512], ms[3 * PRETTY_SIZE], mu[PRETTY_SIZE], sd[PRETTY_SIZE], a[PRETTY_SIZE];
	size_t i;

	doc_table_begin(&rp->doc, "llnnn", head);
	for (i = 0; i < t->t.nrow; i++) {
		const char *cells[5] = { rtable_text(t, i, 1), range, ms, mu, sd };

		if (strcmp(rtable_text(t, i, 0), fig))
			continue;
		range_of(t, cells[0], range, sizeof(range));
		snprintf(ms, sizeof(ms), "%s (%s to %s)", pretty_sig(a, sizeof(a), rtable_num(t, i, 2), 3),
			 pretty_sig(mu, sizeof(mu), rtable_num(t, i, 3), 3),
			 pretty_sig(sd, sizeof(sd), rtable_num(t, i, 4), 3));
		pretty_sig(mu, sizeof(mu), rtable_num(t, i, 5), 3);
		pretty_sig(sd, sizeof(sd), rtable_num(t, i, 6), 3);
		doc_row(&rp->doc, cells);
	}
	doc_table_end(&rp->doc, "mu*: the mean absolute change of the figure when the input moves "
		      "one step of the grid, per unit of its scaled range (its importance); mu: the "
		      "same with signs; sigma: the spread of the changes (non-linearity or "
		      "interactions). Largest mu* first.");
}

/* ---------------------------------------------------------------- */
/* The report of a study */

/* What a kind of study's report shows. */
struct study_kind {
	const char *title;	/* "Sensitivity" */
	const char *cmd;	/* "sensitivity" */
	size_t ncols;		/* the columns of its table */
	const char *heading;	/* of a figure's section: "... of %s" */
	void (*findings)(struct report *rp, const struct rtable *t, const char *fig);
	void (*table)(struct report *rp, const struct rtable *t, const char *fig);
	const char *script;	/* its chart's */
	const char *one, *each;	/* the chart's name with one figure, with several ("%s") */
	const char *caption;	/* "... of %s" */
	const char *caveats[2];
};

static const struct study_kind sensitivity = {
	"Sensitivity", "sensitivity", 8, "What explains the variance of %s", sens_findings, sens_table,
	"tornado.gp", "tornado.svg", "tornado-%s.svg",
	"Sobol' indices of %s, with their 95% intervals.",
	{ "Sobol' indices split the variance of a figure over the inputs as they vary uniformly "
	  "over the ranges given (or the distributions): other ranges give other indices. Their "
	  "intervals come from independent replicates of the design and can reach below 0 or above "
	  "1 when the replicates are few; more base samples or replicates narrow them. Each point "
	  "of the design is itself a simulation with its own noise, which the indices carry.", NULL }
};

static const struct study_kind screening = {
	"Screening", "screen", 7, "Which inputs move %s", screen_findings, screen_table,
	"morris.gp", "screen-%s.svg", "screen-%s.svg",
	"Morris screening of %s: mu* (importance) against sigma (non-linearity or interactions).",
	{ "A screening ranks many inputs cheaply: it tells the inputs that matter from those that "
	  "do not, over the ranges given, but not how much of the variance each explains (sim "
	  "sensitivity measures that, for the few that matter). Its intervals on mu* are "
	  "bootstrapped over the trajectories.", NULL }
};

/* The report of the study of kind K in the table at PATH: a section per
 * figure (findings, table, chart). */
static int study(struct report *rp, const char *path, const struct study_kind *k)
{
	struct rtable t;
	const char *figs[MAX_FIGS];
	char title[1024], out[128], text[512];
	int n, i, ret;

	if (rtable_read(path, &t) < 0)
		return EXIT_USAGE;
	n = figures(&t, figs);
	study_title(title, sizeof(title), k->title, &t);
	ret = t.t.ncol >= k->ncols ? report_begin(rp, title) : error("%s: not a table of 'sim %s'",
								       path, k->cmd);
	if (ret == EXIT_OK) {
		for (i = 0; i < n && ret == EXIT_OK; i++) {
			snprintf(text, sizeof(text), k->heading, figs[i]);
			doc_heading(&rp->doc, 2, text);
			k->findings(rp, &t, figs[i]);
			k->table(rp, &t, figs[i]);
			if (!report_figure_name(figs[i]))
				continue;
			snprintf(out, sizeof(out), n == 1 ? k->one : k->each, figs[i]);
			snprintf(text, sizeof(text), k->caption, figs[i]);
			ret = report_image(rp, k->script, path, out, figs[i], text);
		}
		ret = report_close(rp, k->caveats, &t, ret);
	}
	rtable_free(&t);
	return ret < 0 ? EXIT_USAGE : ret;
}

int report_sensitivity(struct report *rp, const char *path)
{
	return study(rp, path, &sensitivity);
}

int report_screen(struct report *rp, const char *path)
{
	return study(rp, path, &screening);
}
