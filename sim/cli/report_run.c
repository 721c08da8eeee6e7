/* report_run.c - the report of one run: key findings in words, the
 * results with their intervals, the milestones of the survival curve,
 * how the simulated futures end, the charts and what the figures mean. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/pretty.h"
#include "cli/report.h"
#include "cli/usage.h"
#include "io/output.h"

/* ---------------------------------------------------------------- */
/* Words and numbers */

/* TEXT with its first letter in capitals, into BUF. */
static const char *capital(char *buf, size_t size, const char *text)
{
	snprintf(buf, size, "%s", text);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	return buf;
}

/* "N years" ("one year", "ten years", "2.5 years") into BUF. */
static const char *years(char *buf, size_t size, double y)
{
	char n[PRETTY_SIZE];

	snprintf(buf, size, "%s %s", pretty_words(n, sizeof(n), y), y == 1 ? "year" : "years");
	return buf;
}

/* "monthly steps", or "steps of 0.1 years", for N steps a year, into BUF. */
static const char *steps(char *buf, size_t size, long n)
{
	static const struct { long n; const char *words; } named[] = {
		{ 1, "yearly steps" }, { 2, "half-yearly steps" }, { 4, "quarterly steps" },
		{ 12, "monthly steps" }, { 52, "weekly steps" }, { 365, "daily steps" }
	};
	char t[PRETTY_SIZE];
	size_t i;

	for (i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (named[i].n == n) {
			snprintf(buf, size, "%s", named[i].words);
			return buf;
		}
	snprintf(buf, size, "steps of %s years", pretty_sig(t, sizeof(t), 1.0 / (double)n, 3));
	return buf;
}

/* The decimals the probabilities X[0 .. N-1] need, the most any needs, so
 * that they read alike. */
static int common_decimals(const struct figure *x, int n)
{
	int i, d = 0, k;

	for (i = 0; i < n; i++) {
		if (!x[i].defined)
			continue;
		k = x[i].has_ci ? pretty_decimals(x[i].value, x[i].lo, x[i].hi)
				: pretty_decimals(x[i].value, x[i].value, x[i].value);
		d = k > d ? k : d;
	}
	return d;
}

/* "95.3% (95% interval 95.1%–95.6%)" for the probability F into BUF, with
 * DEC decimals (-1: as many as it needs); SHORT leaves out "95% interval". */
static const char *pct_ci(char *buf, size_t size, const struct figure *f, int shrt, int dec)
{
	char v[PRETTY_SIZE], c[PRETTY_SIZE];

	report_value(v, c, f->value, f->has_ci ? f->lo : NAN, f->has_ci ? f->hi : NAN, 1, "");
	if (dec >= 0) {
		pretty_percent(v, sizeof(v), f->value, dec);
		pretty_percent_range(c, sizeof(c), f->lo, f->hi, dec);
	}
	if (!f->has_ci)
		snprintf(buf, size, "%s", v);
	else if (f->lo == f->hi)
		snprintf(buf, size, "%s (exact: nothing in the scenario is drawn at random)", v);
	else
		snprintf(buf, size, "%s (%s%s)", v, shrt ? "" : "95% interval ", c);
	return buf;
}

/* ---------------------------------------------------------------- */
/* Key findings */

/* The figure KEY of R and its declaration, or NULL. */
static const struct figure *figure(const struct rrun *r, const char *key,
				   const struct model_figure **decl)
{
	int i = summary_find(r->sc.layout, key);

	if (i < 0 || !r->fig[i].defined)
		return NULL;
	if (decl)
		*decl = &r->sc.layout->figures[i];
	return &r->fig[i];
}

/* The row of outcomes.tsv for outcome category K of R's layout, or -1. */
static long outcome_row(const struct rrun *r, size_t k)
{
	size_t i;

	for (i = 0; i < r->outc.t.nrow; i++)
		if (!strcmp(rtable_text(&r->outc, i, 0), r->sc.layout->outcomes[k].key))
			return (long)i;
	return -1;
}

/* Whether outcome category K of R's layout is the futures without an
 * attack: the one counted by p_deterred's counter. */
static int outcome_deterred(const struct rrun *r, size_t k)
{
	const struct model_figure *d = NULL;

	return figure(r, "p_deterred", &d) && d->kind == MODEL_SHARE &&
	       r->sc.layout->outcomes[k].counter == d->num;
}

/* The words of an outcome's label after its "group: " ("attacked: all
 * guarantors fought" gives "all guarantors fought"). */
static const char *after_colon(const char *label)
{
	const char *c = strstr(label, ": ");

	return c ? c + 2 : label;
}

/* The sentence on p_deterred. */
static void finding_deterred(const struct rrun *r, FILE *f)
{
	const struct figure *x = figure(r, "p_deterred", NULL);
	char y[PRETTY_SIZE], t[PRETTY_SIZE], v[PRETTY_SIZE], c[PRETTY_SIZE];

	if (!x)
		return;
	report_value(v, c, x->value, x->has_ci ? x->lo : NAN, x->has_ci ? x->hi : NAN, 1, "");
	fprintf(f, "The challenger is deterred (it does not attack within the horizon) in %s of "
		"simulated futures over %s", v, years(y, sizeof(y), r->sc.horizon));
	if (x->has_ci && x->lo < x->hi)
		fprintf(f, " (95%% interval %s)", c);
	else if (x->has_ci)
		fputs(" (exactly: nothing in the scenario is drawn at random)", f);
	fprintf(f, "; %s futures were simulated. ", pretty_int(t, sizeof(t), (long long)r->trials));
}

/* The sentence on how attacks end: the commonest outcome among them. */
static void finding_outcome(const struct rrun *r, FILE *f)
{
	const struct figure *x = figure(r, "p_deterred", NULL);
	const struct model_layout *L = r->sc.layout;
	double attack = x ? 1 - x->value : NAN, best = -1, next = -1;
	long bi = -1, ni = -1, row;
	size_t k;
	char a[PRETTY_SIZE], p[PRETTY_SIZE];

	for (k = 0; x && k < L->noutcomes; k++) {
		if (outcome_deterred(r, k) || (row = outcome_row(r, k)) < 0)
			continue;
		if (rtable_num(&r->outc, (size_t)row, 2) > best) {
			next = best, ni = bi;
			best = rtable_num(&r->outc, (size_t)row, 2), bi = (long)k;
		} else if (rtable_num(&r->outc, (size_t)row, 2) > next) {
			next = rtable_num(&r->outc, (size_t)row, 2), ni = (long)k;
		}
	}
	if (bi < 0 || !(attack > 0))
		return;
	pretty_percent(a, sizeof(a), attack, x->has_ci ? pretty_decimals(x->value, x->lo, x->hi)
						       : pretty_decimals(attack, attack, attack));
	fprintf(f, "When deterrence fails (%s of futures), the commonest outcome is \u201c%s\u201d: "
		"%s of the attacks", a, after_colon(L->outcomes[bi].label),
		pretty_percent(p, sizeof(p), best / attack, 0));
	if (ni >= 0 && next > 0)
		fprintf(f, "; next comes \u201c%s\u201d (%s)", after_colon(L->outcomes[ni].label),
			pretty_percent(p, sizeof(p), next / attack, 0));
	fputs(". ", f);
}

/* The sentence on the actors: the one most likely to come, by the first
 * breakdown (how often each intervened when attacked). It says no more:
 * how much deterrence rests on each is a question for sim compare
 * without it. */
static void finding_actors(const struct rrun *r, FILE *f)
{
	const struct model_layout *L = r->sc.layout;
	const struct figure *x = L->nbreakdowns ? &r->fig[L->nfigures] : NULL;
	int a, top = -1, *order, n = 0, i;
	char s[256], intro[512], w[PRETTY_SIZE];

	if (!x || L->nactors < 1 || !report_is_prob(&L->breakdowns[0].fig))
		return;
	for (a = 0; a < L->nactors; a++)
		if (x[a].defined && (top < 0 || x[a].value > x[top].value))
			top = a;
	if (top < 0)
		return;
	order = malloc(sizeof(int) * (size_t)L->nactors);
	if (!order)
		return;
	for (a = 0; a < L->nactors; a++)
		if (x[a].defined) {
			for (i = n++; i > 0 && x[order[i - 1]].value < x[a].value; i--)
				order[i] = order[i - 1];
			order[i] = a;
		}
	snprintf(intro, sizeof(intro), "%s", L->breakdowns[0].intro);
	intro[strcspn(intro, ":")] = '\0';
	if (L->nactors == 1)
		fprintf(f, "The one %s is %s. ", L->actor, L->actor_names[top]);
	else
		fprintf(f, "Of the %s %ss, %s is the most likely to come when the challenger "
			"attacks. ",
			pretty_words(w, sizeof(w), L->nactors), L->actor, L->actor_names[top]);
	fprintf(f, "%s: ", intro);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%s %s", i ? (i == n - 1 ? " and " : ", ") : "", L->actor_names[order[i]],
			pct_ci(s, sizeof(s), &x[order[i]], i > 0, common_decimals(x, L->nactors)));
	fputs(". ", f);
	free(order);
}

/* The rows of R's survival.tsv at the milestones: years 1, 5 and 10 that
 * fall before the horizon, and the horizon. Returns how many (at most 4),
 * their rows in ROW. */
static int milestones(const struct rrun *r, long *row)
{
	static const double at[] = { 1, 5, 10 };
	double want[4];
	int n = 0, k;
	size_t i;

	for (k = 0; k < 3; k++)
		if (at[k] < r->sc.horizon - 1e-9)
			want[n++] = at[k];
	want[n++] = r->sc.horizon;
	for (k = 0; k < n; k++) {
		row[k] = -1;
		for (i = 0; i < r->surv.t.nrow; i++)
			if (row[k] < 0 || fabs(rtable_num(&r->surv, i, 0) - want[k]) <
					  fabs(rtable_num(&r->surv, (size_t)row[k], 0) - want[k]))
				row[k] = (long)i;
	}
	return n;
}

/* The survival at row I of R's survival.tsv as a figure. */
static struct figure survival_at(const struct rrun *r, long i)
{
	struct figure x = { rtable_num(&r->surv, (size_t)i, 1), rtable_num(&r->surv, (size_t)i, 2),
			    rtable_num(&r->surv, (size_t)i, 3), 1, 1 };

	return x;
}

/* The sentence on the milestones of the survival curve. */
static void finding_milestones(const struct rrun *r, FILE *f)
{
	long row[4];
	int n = r->surv.t.ncol >= 4 ? milestones(r, row) : 0, k;
	char s[256], y[PRETTY_SIZE];

	if (n < 2)
		return;
	fputs("The chance that no attack has come yet is ", f);
	for (k = 0; k < n; k++) {
		struct figure x = survival_at(r, row[k]);

		fprintf(f, "%s%s after %s", k ? (k == n - 1 ? " and " : ", ") : "",
			pct_ci(s, sizeof(s), &x, k > 0, -1),
			years(y, sizeof(y), rtable_num(&r->surv, (size_t)row[k], 0)));
	}
	fputs(".", f);
}

/* The key findings: two paragraphs in words. */
static void findings(struct report *rp, const struct rrun *r)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (!f)
		return;
	finding_deterred(r, f);
	finding_outcome(r, f);
	fputs("\n\n", f);
	finding_actors(r, f);
	finding_milestones(r, f);
	fclose(f);
	report_findings(rp, "Key findings", text);
	free(text);
}

/* ---------------------------------------------------------------- */
/* Results */

/* The unit after a figure's value: years for a time. */
static const char *unit_of(const struct model_figure *decl)
{
	return decl->flags & MODEL_FIG_YEARS ? " years" : "";
}

/* A row of a results table: the first N - 2 CELLS given, the value and
 * the interval of X (declared by DECL) formatted into the last two, or
 * into the two before a note when NOTE is not NULL. */
static void figure_row(struct doc *d, const char **cells, int n, const struct figure *x,
		       const struct model_figure *decl, const char *note)
{
	char v[PRETTY_SIZE], ci[PRETTY_SIZE];
	int at = note ? n - 3 : n - 2;

	if (!x->defined) {
		snprintf(v, sizeof(v), "n/a");
		snprintf(ci, sizeof(ci), "–");
	} else {
		report_value(v, ci, x->value, x->has_ci ? x->lo : NAN, x->has_ci ? x->hi : NAN,
			     report_is_prob(decl), unit_of(decl));
	}
	cells[at] = v;
	cells[at + 1] = ci;
	if (note)
		cells[n - 1] = note;
	doc_row(d, cells);
}

/* Every figure of the model, in words, with its interval. */
static void results_table(struct report *rp, const struct rrun *r)
{
	static const char *const head[4] = { "figure", "value", "95% interval", "meaning (key)" };
	const struct model_layout *L = r->sc.layout;
	char label[256], note[512];
	size_t i;

	doc_table_begin(&rp->doc, "lnnt", head);
	for (i = 0; i < L->nfigures; i++) {
		const char *cells[4] = { capital(label, sizeof(label), L->figures[i].label) };

		snprintf(note, sizeof(note), "%s (%s)", L->figures[i].meaning, L->figures[i].key);
		figure_row(&rp->doc, cells, 4, &r->fig[i], &L->figures[i], note);
	}
	doc_table_end(&rp->doc, "A bar '|' reads 'given': 'challenger won | attack' is the share "
		      "the challenger won among the futures with an attack.");
}

/* The milestones of the survival curve, as a table. */
static void milestone_table(struct report *rp, const struct rrun *r)
{
	static const char *const head[3] = { "after", "no attack yet", "95% interval" };
	long row[4];
	int n = r->surv.t.ncol >= 4 ? milestones(r, row) : 0, k;
	char y[PRETTY_SIZE], yc[PRETTY_SIZE];
	struct model_figure prob = { .kind = MODEL_SHARE };

	if (n < 1)
		return;
	doc_table_begin(&rp->doc, "lnn", head);
	for (k = 0; k < n; k++) {
		struct figure x = survival_at(r, row[k]);
		const char *cells[3] = { capital(yc, sizeof(yc), years(y, sizeof(y),
						 rtable_num(&r->surv, (size_t)row[k], 0))) };

		figure_row(&rp->doc, cells, 3, &x, &prob, NULL);
	}
	doc_table_end(&rp->doc, "Milestones of the survival curve: the chance that the challenger "
		      "has not attacked by then.");
}

/* The per-actor breakdowns, a table each. */
static void breakdown_tables(struct report *rp, const struct rrun *r)
{
	const struct model_layout *L = r->sc.layout;
	char v[PRETTY_SIZE], c[PRETTY_SIZE], cap[512];
	size_t b;
	int a;

	for (b = 0; b < L->nbreakdowns && L->nactors > 0; b++) {
		const struct model_breakdown *bd = &L->breakdowns[b];
		const struct figure *x = &r->fig[L->nfigures + b * (size_t)L->nactors];
		const char *head[3] = { L->actor, bd->column, "95% interval" };

		int dec = report_is_prob(&bd->fig) ? common_decimals(x, L->nactors) : -1;

		doc_table_begin(&rp->doc, "lnn", head);
		for (a = 0; a < L->nactors; a++) {
			const char *cells[3] = { L->actor_names[a], v, c };

			if (dec < 0 || !x[a].defined || !x[a].has_ci || x[a].lo == x[a].hi) {
				figure_row(&rp->doc, cells, 3, &x[a], &bd->fig, NULL);
				continue;
			}
			pretty_percent(v, sizeof(v), x[a].value, dec);
			pretty_percent_range(c, sizeof(c), x[a].lo, x[a].hi, dec);
			doc_row(&rp->doc, cells);
		}
		/* the breakdown's intro, without the colon that led to a table */
		snprintf(cap, sizeof(cap), "%s", bd->intro);
		if (*cap && cap[strlen(cap) - 1] == ':')
			cap[strlen(cap) - 1] = '.';
		doc_table_end(&rp->doc, cap);
	}
}

/* How the simulated futures end: each outcome category's share of all
 * futures, and of those with an attack. */
static void outcome_table(struct report *rp, const struct rrun *r)
{
	static const char *const head[4] = { "outcome", "share of futures", "95% interval",
					     "share of attacks" };
	const struct model_layout *L = r->sc.layout;
	const struct figure *det = figure(r, "p_deterred", NULL);
	double attack = det ? 1 - det->value : NAN;
	char v[PRETTY_SIZE], c[PRETTY_SIZE], s[PRETTY_SIZE], label[256];
	size_t k;
	long i;

	doc_table_begin(&rp->doc, "lnnn", head);
	for (k = 0; k < L->noutcomes; k++) {
		const char *cells[4] = { capital(label, sizeof(label), L->outcomes[k].label), v, c, s };

		if ((i = outcome_row(r, k)) < 0 || r->outc.t.ncol < 5)
			continue;
		report_value(v, c, rtable_num(&r->outc, (size_t)i, 2), rtable_num(&r->outc, (size_t)i, 3),
			     rtable_num(&r->outc, (size_t)i, 4), 1, "");
		if (outcome_deterred(r, k) || !(attack > 0))
			snprintf(s, sizeof(s), "–");
		else
			pretty_percent(s, sizeof(s), rtable_num(&r->outc, (size_t)i, 2) / attack,
				       attack * 100 >= 1 ? 0 : 1);
		doc_row(&rp->doc, cells);
	}
	doc_table_end(&rp->doc, L->outcomes_caption);
}

/* ---------------------------------------------------------------- */
/* What the figures mean */

static void caveats(struct report *rp, const struct rrun *r)
{
	char y[PRETTY_SIZE], t[PRETTY_SIZE], s1[1024], s2[1024];
	const struct model_figure *d = NULL;
	const char *paras[] = {
		s1, s2, r->sc.estimator == MODEL_CONDITIONAL
		? "Each simulated future adds its chance of each outcome given what it drew "
		  "(computed exactly from the hazard) instead of one drawn outcome, and futures "
		  "come in antithetic pairs: the same figures as counting outcomes, with less "
		  "noise (the conditional estimator; docs/model.md, \u201cTwo estimators\u201d)."
		: "Each simulated future counts the one outcome it drew (the indicator "
		  "estimator; docs/model.md, \u201cTwo estimators\u201d).",
		"How well gsim's models predict held-out historical cases, how their rates were "
		"calibrated on a coded case base, and what that case base cannot say are in "
		"docs/validation.md; the models are described in docs/models.md. The figures "
		"follow from the model and the assumptions below: they are a way to reason about a "
		"guarantee, not a forecast.", NULL
	};

	figure(r, "p_deterred", &d);
	snprintf(s1, sizeof(s1), "Every figure is over the scenario's horizon of %s, in %ld %s. "
		 "\u201cDeterred\u201d (p_deterred) is %s: an attack after the horizon is not "
		 "counted, and a future in which the challenger is deterred is not one in which it "
		 "has given up.",
		 years(y, sizeof(y), r->sc.horizon), r->sc.n_steps,
		 steps(t, sizeof(t), r->sc.steps_per_year),
		 d ? d->meaning : "that no attack comes within the horizon");
	snprintf(s2, sizeof(s2), "The 95%% intervals measure the simulation's own noise, how far "
		 "the figures could move in another %s simulated futures of the same assumptions; "
		 "they narrow with more trials. They do not measure the uncertainty of the "
		 "assumptions below or of the model: inputs the config gives as distributions are "
		 "drawn anew in each future, so their spread is inside the figures, but the choice "
		 "of those distributions, of the other values and of the model is not.",
		 pretty_int(t, sizeof(t), (long long)r->trials));
	report_caveats(rp, paras);
}

/* The provenance of the run: what ran, from summary.json. */
static void provenance(struct report *rp, const struct rrun *r)
{
	const json_t *p = json_object_get(r->summary, "provenance");
	const json_t *run = json_object_get(r->summary, "run");
	char *text = NULL, t[PRETTY_SIZE];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	const char *s;

	if (!f)
		return;
	fprintf(f, "gsim %s", (s = json_string_value(json_object_get(p, "gsim"))) ? s : SIM_VERSION);
	if ((s = json_string_value(json_object_get(p, "commit"))))
		fprintf(f, " (commit %s)", s);
	if ((s = json_string_value(json_object_get(p, "libraries"))))
		fprintf(f, ", %s", s);
	fprintf(f, "; model %s; config %s", r->sc.model->name, r->config);
	if ((s = json_string_value(json_object_get(run, "content_hash"))))
		fprintf(f, " (content hash %s)", s);
	fprintf(f, "; seed %llu; %s trials; generator %s; %s estimator%s.",
		(unsigned long long)r->sc.seed, pretty_int(t, sizeof(t), (long long)r->trials),
		r->sc.rng->name, scenario_estimator_name(&r->sc),
		r->sc.antithetic ? " with antithetic pairs" : "");
	if ((s = json_string_value(json_object_get(p, "date"))))
		fprintf(f, " Run %s", s);
	if (s && (s = json_string_value(json_object_get(p, "host"))))
		fprintf(f, " on %s", s);
	if ((s = json_string_value(json_object_get(p, "command"))))
		fprintf(f, ": %s", s);
	fprintf(f, ". 'sim run %s/config.cfg' reproduces these figures exactly; the data are in "
		"summary.json, survival.tsv and outcomes.tsv beside this report.", r->dir);
	fclose(f);
	doc_heading(&rp->doc, 2, "Provenance");
	doc_para(&rp->doc, text, "small");
	free(text);
}

int report_run(struct report *rp, struct rrun *r)
{
	char data[4200];
	int ret;

	if (r->sc.description)
		doc_para(&rp->doc, r->sc.description, "lede");
	findings(rp, r);
	doc_heading(&rp->doc, 2, "Results");
	results_table(rp, r);
	doc_grid_begin(&rp->doc);
	milestone_table(rp, r);
	breakdown_tables(rp, r);
	doc_grid_end(&rp->doc);
	outcome_table(rp, r);
	snprintf(data, sizeof(data), "%s/survival.tsv", r->dir);
	ret = report_image(rp, "survival.gp", data, "survival.svg", NULL,
			   r->sc.layout->curve_caption);
	snprintf(data, sizeof(data), "%s/outcomes.tsv", r->dir);
	if (ret == EXIT_OK)
		ret = report_image(rp, "outcomes.gp", data, "outcomes.svg", NULL,
				   r->sc.layout->outcomes_caption);
	caveats(rp, r);
	report_assumptions(rp, r);
	provenance(rp, r);
	return ret;
}
