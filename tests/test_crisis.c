/* test_crisis.c - the crisis model (models/crisis) against the law of a
 * trial, written out again below independently of models/: a crisis
 * comes at challenger.crisis_rate a year; at each the challenger attacks
 * with probability q = Phi(EU / decision_sd), where
 *   EU = stake sum_S Pb(S) W(S) - war_cost - sum_g B_g escalation_cost_g
 *        - sum_g sanctions_g,
 * W(S) = 1 / (1 + (X(S)/E)^gamma), X(S) = D + sum_{g in S} G_g, Pb the
 * coalition law of the challenger's beliefs B_g. Without learning the
 * hazard of war is crisis_rate q a year; with learning each step's crises
 * are drawn (Poisson) and the step's survival is (1 - q)^N.
 *
 *   closed_forms    0, 1 and 2 guarantors in a constant state (no growth,
 *                   relaxation, arms, erosion, elections, pressure; learning
 *                   off): p_deterred, the outcome shares, p_challenger_wins,
 *                   mean_attack_year, each guarantor's share and the
 *                   survival curve exact (1e-12) under the conditional
 *                   estimator, with the forces fixed (contests tabulated)
 *                   and drawn (contests per trial), and within 4 standard
 *                   errors under the indicator one (fixed seeds);
 *   learning_law    learning on without probes: each trial survives with
 *                   (1 - q)^N for a whole N, N ~ Poisson(rate T);
 *   random_utility  EU <= -3 decision_sd means under 0.2% a crisis (q from
 *                   p_deterred), and stake 0 (war_cost > 0) almost no attack;
 *   step_size       a constant state gives one p_deterred at 1, 4, 12, 52
 *                   steps a year; a dynamic one (growth, relaxation,
 *                   erosion, arms; or pressure) is the left Riemann sum of
 *                   its closed-form state and converges to the integral;
 *   monotone        p_deterred moves the right way in every lever, trial by
 *                   trial with common random numbers, on the shipped Ukraine
 *                   config and a historical case, learning on and off, and
 *                   jumps at the ratification threshold;
 *   probe_belief    the belief after probes follows the counts of answered
 *                   and unanswered probes traced, an answered probe never
 *                   lowers it, probes come at probe_prob and are answered
 *                   at H;
 *   schedule_curve  a change at t leaves the survival curve before t as it
 *                   was (to the bit) and moves it after t the expected way;
 *   schedule_errors bad schedule entries, each message exact (sim check).
 *
 * Each check says in a comment what it would catch. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cfg.h"
#include "core/diag.h"
#include "testutil.h"
#include "modelutil.h"

#define MAXG 2
#define THREADS 2

/* ---------------------------------------------------------------- */
/* The law of a step, written out again. */

struct gp {
	const char *name;
	double forces, quality, interest, resolve_sd, icost, ecost, doubt, strength;
	double erosion, bipartisan;
	int rat;
	double vote, required, lock;
	int trip;
	double troops, automaticity, scale;
	int sanc;
	double sanctions;
	int mon;
	double mq, warning;
	int arms;
	double arms_rate, arms_dep;
};

struct cp {
	double C, cq, stake, war, gamma, rate, sd;	/* sd 0: left at its default (0.1) */
	double growth, K;				/* growth 0: none */
	double pressure;
	double T, cap, sust, demob, tq;			/* cap, sust 0: absent */
	double horizon;
	long spy;
	int learning;
	double probe, prior;
	int drawn;	/* forces drawn from [C, C (1 + 1e-13)]: no table of contests */
	int ng;
	struct gp g[MAXG];
};

static double Phi(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

/* 1 / (1 + (X/E)^gamma), with 0/0 = 1/2. */
static double tullock(double E, double X, double gamma)
{
	if (E == 0)
		return X == 0 ? 0.5 : 0;
	return 1 / (1 + pow(X / E, gamma));
}

static double sd_of(const struct cp *p)
{
	return p->sd > 0 ? p->sd : 0.1;
}

/* What the challenger sees and the guarantors do at one moment. */
struct look {
	double H[MAXG], B[MAXG], W[1 << MAXG], Ph[1 << MAXG], Pb[1 << MAXG];
	double E, D, eu, q;
};

/* The share of a downward revision that passes for guarantor Q. */
static double delta_of(const struct gp *q)
{
	int rat = q->rat && q->vote >= q->required;

	return (1 - (rat ? q->lock : 0)) * (1 - q->bipartisan);
}

/* The quantities at time T of P's closed-form state (no elections):
 * logistic growth, relaxation toward min(cap, sustainable), arms
 * accumulating with depreciation at a rate that pressure dilutes,
 * resolve eroding at erosion times delta, and the share
 * of provisions kept exp(-pressure delta t) scaling the tripwire troops,
 * the strength, monitoring, warning, sanctions. BELIEF (NULL: none)
 * overrides the beliefs B_g. */
static void look_at(const struct cp *p, double t, const double *belief, struct look *o)
{
	double C = p->C, T = p->cap > 0 ? fmin(p->T, p->cap) : p->T, arms = 0, warn = 1;
	double esc = 0, sanc = 0, G[MAXG], ew = 0;
	double L = fmin(p->cap > 0 ? p->cap : INFINITY, p->sust > 0 ? p->sust : INFINITY);
	unsigned s, n = 1u << p->ng;
	int g;

	if (p->growth > 0)
		C = p->K / (1 + (p->K / p->C - 1) * exp(-p->growth * t));
	if (p->demob > 0)
		T = L + (T - L) * exp(-p->demob * t);
	for (g = 0; g < p->ng; g++) {
		const struct gp *q = &p->g[g];
		int rat = q->rat && q->vote >= q->required;
		double mu = q->interest - q->erosion * delta_of(q) * t, num, h, a, de;
		double kept = exp(-p->pressure * delta_of(q) * t), troops = q->troops * kept;

		num = mu - q->icost + q->strength * kept * (1 + (rat ? q->vote : 0));
		h = q->resolve_sd > 0 ? Phi(num / q->resolve_sd) : (num > 0 ? 1 : 0);
		a = q->trip ? q->automaticity * (1 - exp(-troops / q->scale)) : 0;
		o->H[g] = 1 - (1 - h) * (1 - a);
		de = q->doubt * (1 - (q->mon ? q->mq * kept : 0));
		o->B[g] = belief ? belief[g] : o->H[g] * (1 - de);
		G[g] = (q->forces + (q->trip ? troops : 0)) * q->quality;
		if (q->mon)
			warn *= 1 + q->warning * kept;
		if (q->sanc)
			sanc += q->sanctions * kept;
		if (q->arms) {
			/* A' = rate e^{-kappa t} - d A, A(0) = 0, kappa = pressure delta. */
			double kap = p->pressure * delta_of(q), d = q->arms_dep;

			arms += d != kap ? q->arms_rate * (exp(-kap * t) - exp(-d * t)) / (d - kap)
					 : q->arms_rate * t * exp(-d * t);
		}
		esc += o->B[g] * q->ecost;
	}
	o->E = C * p->cq;
	o->D = (T * p->tq + arms) * warn;
	for (s = 0; s < n; s++) {
		double X = o->D, pb = 1, ph = 1;

		for (g = 0; g < p->ng; g++) {
			if (s >> g & 1) {
				X += G[g];
				pb *= o->B[g];
				ph *= o->H[g];
			} else {
				pb *= 1 - o->B[g];
				ph *= 1 - o->H[g];
			}
		}
		o->W[s] = tullock(o->E, X, p->gamma);
		o->Pb[s] = pb;
		o->Ph[s] = ph;
		ew += pb * o->W[s];
	}
	o->eu = p->stake * ew - p->war - esc - sanc;
	o->q = Phi(o->eu / sd_of(p));
}

static long steps_of(const struct cp *p)
{
	return (long)floor(p->horizon * (double)p->spy + 0.5);
}

/* The exact figures of a constant-state scenario without learning. */
struct want {
	double q, pdet, hon, part, ab, win, year, year_sd, inter[MAXG];
	double surv[600];		/* no attack by the end of step k */
};

static void exact(const struct cp *p, struct want *w)
{
	struct look o;
	long n = steps_of(p), k;
	double dt = 1.0 / (double)p->spy, h, s1, e1 = 0, e2 = 0, win = 0;
	unsigned s;
	int g;

	assert_true(n <= 600);
	look_at(p, 0, NULL, &o);
	w->q = o.q;
	h = p->rate * o.q;
	w->pdet = exp(-h * (double)n * dt);
	w->hon = p->ng > 0;
	w->ab = 1;
	for (g = 0; g < p->ng; g++) {
		w->hon *= o.H[g];
		w->ab *= 1 - o.H[g];
		w->inter[g] = o.H[g];
	}
	w->part = 1 - w->hon - w->ab;
	for (s = 0; s < 1u << p->ng; s++)
		win += o.Ph[s] * o.W[s];
	w->win = (1 - w->pdet) * win;
	s1 = exp(-h * dt);
	for (k = 0; k < n; k++) {
		double pk = pow(s1, (double)k) * (1 - s1), t = (double)k * dt;

		e1 += pk * t;
		e2 += pk * t * t;
		w->surv[k] = pow(s1, (double)(k + 1));
	}
	w->year = e1 / (1 - w->pdet);
	w->year_sd = sqrt(fmax(0, e2 / (1 - w->pdet) - w->year * w->year));
}

/* ---------------------------------------------------------------- */
/* Configs and runs through the library. */

struct text {
	char s[16384];
	size_t n;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(t->s + t->n, sizeof(t->s) - t->n, fmt, ap);
	va_end(ap);
	assert_true(k >= 0 && (size_t)k < sizeof(t->s) - t->n);
	t->n += (size_t)k;
}

/* P as a config, every key written out. */
static void config_of(const struct cp *p, const char *est, uint64_t trials, uint64_t seed,
		      struct text *t)
{
	int g;

	t->n = 0;
	add(t, "scenario = { name = \"crisis test\"; horizon_years = %.17g; steps_per_year = %ld; "
	    "trials = %llu; seed = %llu; estimator = \"%s\"; };\nmodel = \"crisis\";\n",
	    p->horizon, p->spy, (unsigned long long)trials, (unsigned long long)seed, est);
	if (p->drawn)
		add(t, "challenger = { forces = { dist = \"uniform\"; min = %.17g; max = %.17g; };",
		    p->C, p->C * (1 + 1e-13));
	else
		add(t, "challenger = { forces = %.17g;", p->C);
	add(t, " quality = %.17g; stake = %.17g; war_cost = %.17g; decisiveness = %.17g; "
	    "crisis_rate = %.17g; learning = %s; probe_prob = %.17g; prior_weight = %.17g;",
	    p->cq, p->stake, p->war, p->gamma, p->rate, p->learning ? "true" : "false", p->probe,
	    p->prior > 0 ? p->prior : 4.0);
	if (p->sd > 0)
		add(t, " decision_sd = %.17g;", p->sd);
	if (p->growth > 0)
		add(t, " growth_rate = %.17g; max_forces = %.17g;", p->growth, p->K);
	if (p->pressure > 0)
		add(t, " pressure = %.17g;", p->pressure);
	add(t, " };\ntarget = { troops = %.17g; quality = %.17g; demobilization_rate = %.17g;",
	    p->T, p->tq, p->demob);
	if (p->cap > 0)
		add(t, " troop_cap = %.17g;", p->cap);
	if (p->sust > 0)
		add(t, " sustainable_troops = %.17g;", p->sust);
	add(t, " };\nguarantors = (\n");
	for (g = 0; g < p->ng; g++) {
		const struct gp *q = &p->g[g];

		add(t, "  { name = \"%s\"; forces = %.17g; quality = %.17g; interest = %.17g; "
		    "resolve_sd = %.17g; intervention_cost = %.17g; escalation_cost = %.17g; "
		    "doubt = %.17g; erosion_rate = %.17g; bipartisan = %.17g;\n    guarantee = { "
		    "strength = %.17g;", q->name, q->forces, q->quality, q->interest, q->resolve_sd,
		    q->icost, q->ecost, q->doubt, q->erosion, q->bipartisan, q->strength);
		if (q->rat)
			add(t, " ratification = { vote_share = %.17g; required = %.17g; lock = %.17g; };",
			    q->vote, q->required, q->lock);
		if (q->trip)
			add(t, " tripwire = { troops = %.17g; automaticity = %.17g; scale = %.17g; };",
			    q->troops, q->automaticity, q->scale);
		if (q->sanc)
			add(t, " sanctions = { cost = %.17g; };", q->sanctions);
		if (q->mon)
			add(t, " monitoring = { quality = %.17g; warning = %.17g; };", q->mq, q->warning);
		if (q->arms)
			add(t, " arms_supply = { per_year = %.17g; depreciation = %.17g; };",
			    q->arms_rate, q->arms_dep);
		add(t, " }; }%s\n", g + 1 < p->ng ? "," : "");
	}
	add(t, ");\n");
}

/* Opens the config at PATH (or the text TEXT when PATH is NULL) with the
 * NSETS overrides SETS into S and C; fails the test when it does not
 * check. */
static void open_scen(struct scenario *s, struct cfg *c, const char *path, const char *text,
		      char *const *sets, int nsets)
{
	struct diag d = { c, NULL, 0 };
	int i;

	memset(s, 0, sizeof(*s));
	if ((path ? cfg_load(c, path) : cfg_load_string(c, "crisis-test", text)) < 0)
		fail_msg("%s: cannot load", path ? path : text);
	for (i = 0; i < nsets; i++)
		cfg_set(c, sets[i], i + 1, &d);
	if (d.errors || scenario_load(s, c, NULL, NULL) < 0)
		fail_msg("%s: does not check (overrides: %s%s)", path ? path : text,
			 nsets ? sets[0] : "none", nsets > 1 ? ", ..." : "");
}

/* A finished run: its tally and figures. */
struct run {
	struct tally t;
	struct figure fig[64];
	uint64_t trials;
	long n_steps;
	double dt;
	size_t curve;
	int det, hon, part, ab, win, year;
	double inter[MAXG];
	unsigned char *frac;	/* the tally's fraction bits, which outlive the scenario */
};

static void run_free(struct run *r)
{
	tally_release(&r->t);
	free(r->frac);
}

static void run_scen(struct scenario *s, struct run *r)
{
	int g;

	memset(r, 0, sizeof(*r));
	assert_int_equal(engine_tally(&r->t, s), 0);
	assert_int_equal(run_trials(s, 0, s->trials, THREADS, &r->t), 0);
	assert_true(summary_count(s->layout) <= 64);
	summary_compute(s->layout, &r->t, s->dt, r->fig);
	r->frac = malloc(r->t.n);
	assert_non_null(r->frac);
	memcpy(r->frac, s->frac, r->t.n);
	r->t.frac = r->frac;
	r->trials = s->trials;
	r->n_steps = s->n_steps;
	r->dt = s->dt;
	r->curve = s->layout->curve;
	r->det = fig_of(s, "p_deterred");
	r->hon = fig_of(s, "p_honored_given_attack");
	r->part = fig_of(s, "p_partial_given_attack");
	r->ab = fig_of(s, "p_abandoned_given_attack");
	r->win = fig_of(s, "p_challenger_wins");
	r->year = fig_of(s, "mean_attack_year");
	for (g = 0; g < s->layout->nactors && g < MAXG; g++) {
		char name[32];

		snprintf(name, sizeof(name), "intervened_%d", g + 1);
		r->inter[g] = (double)(tally_get(&r->t, counter_of(s, name)) /
				       tally_get(&r->t, counter_of(s, "attacked")));
	}
}

/* Runs the text config TEXT (with overrides) into R. */
static void run_text(const char *text, char *const *sets, int nsets, struct run *r)
{
	struct cfg c;
	struct scenario s;

	open_scen(&s, &c, NULL, text, sets, nsets);
	run_scen(&s, r);
	scenario_release(&s);
	cfg_release(&c);
}

/* The survival to the end of step K of R. */
static double survival(const struct run *r, long k)
{
	long double att = 0;
	long j;

	for (j = 0; j <= k; j++)
		att += tally_get(&r->t, r->curve + (size_t)j);
	return (double)(1 - att / (long double)r->trials);
}

/* Each of N trials' contribution to counter NAME of S (one thread: the
 * runs are short, and a trial is a pure function of the seed and its
 * index anyway). */
static double *per_trial(const struct scenario *s, uint64_t n, const char *name)
{
	size_t rs = s->layout->record_size, k = counter_of(s, name);
	unsigned char *rec = calloc(n, rs);
	double *p = malloc(sizeof(double) * n);
	void *w = s->model->work_alloc(s->instance, s->rng, NULL);
	uint64_t i;

	assert_non_null(rec);
	assert_non_null(p);
	assert_non_null(w);
	s->model->trials(s->instance, w, s->seed, 0, n, rec, NULL);
	s->model->work_free(w);
	for (i = 0; i < n; i++)
		p[i] = s->model->contribution(s->instance, rec + i * rs, k);
	free(rec);
	return p;
}

/* ---------------------------------------------------------------- */
/* 1. Closed forms. */

static const struct gp gp_zero;

/* 0 guarantors: a binding troop cap, gamma 1.5. */
static struct cp scen_none(void)
{
	struct cp p = { .C = 100, .cq = 1.2, .stake = 1, .war = 0.6, .gamma = 1.5, .rate = 0.5,
			.sd = 0.15, .T = 150, .cap = 120, .tq = 0.9, .horizon = 4, .spy = 2 };

	return p;
}

/* 1 guarantor: a ratification that falls short, a tripwire, sanctions,
 * doubt without monitoring, gamma 1. */
static struct cp scen_one(void)
{
	struct cp p = { .C = 150, .cq = 1, .stake = 1, .war = 0.5, .gamma = 1, .rate = 0.8,
			.sd = 0.2, .T = 100, .tq = 1.1, .horizon = 5, .spy = 2, .ng = 1 };
	struct gp a = gp_zero;

	a.name = "A";
	a.forces = 30, a.quality = 1.5, a.interest = -0.2, a.resolve_sd = 0.4, a.icost = 0.15;
	a.ecost = 0.05, a.doubt = 0.3, a.strength = 0.6;
	a.rat = 1, a.vote = 0.6, a.required = 2.0 / 3, a.lock = 0.5;
	a.trip = 1, a.troops = 20, a.automaticity = 0.4, a.scale = 10;
	a.sanc = 1, a.sanctions = 0.05;
	p.g[0] = a;
	return p;
}

/* 2 guarantors: A ratified with monitoring (doubt and warning), B with a
 * resolve_sd of 0 (honour all or nothing: here nothing, so only its
 * tripwire brings it in), gamma 0.8, a binding cap. */
static struct cp scen_two(void)
{
	struct cp p = { .C = 200, .cq = 1, .stake = 1.2, .war = 0.6, .gamma = 0.8, .rate = 1.5,
			.sd = 0.25, .T = 150, .cap = 140, .tq = 1, .horizon = 3, .spy = 4, .ng = 2 };
	struct gp a = gp_zero, b = gp_zero;

	a.name = "A";
	a.forces = 40, a.quality = 1.2, a.interest = 0, a.resolve_sd = 0.3, a.icost = 0.2;
	a.ecost = 0.1, a.doubt = 0.4, a.strength = 0.3;
	a.rat = 1, a.vote = 0.8, a.required = 0.6, a.lock = 0.5;
	a.trip = 1, a.troops = 5, a.automaticity = 0.3, a.scale = 5;
	a.sanc = 1, a.sanctions = 0.03;
	a.mon = 1, a.mq = 0.5, a.warning = 0.1;
	b.name = "B";
	b.forces = 20, b.quality = 1, b.interest = -0.1, b.resolve_sd = 0, b.icost = 0.1;
	b.ecost = 0.05, b.doubt = 0.1, b.strength = 0.1;
	b.trip = 1, b.troops = 3, b.automaticity = 0.6, b.scale = 4;
	b.sanc = 1, b.sanctions = 0.02;
	p.g[0] = a;
	p.g[1] = b;
	return p;
}

/* Every figure of P: exact under the conditional estimator (a few trials;
 * nothing is drawn), within 4 SE under the indicator (N trials). Catches
 * any departure from the law above: q = Phi(EU/sd) (not a logistic), the
 * coalition sums, the tripwire's saturation, ratification's threshold,
 * doubt and monitoring, the cap, gamma, step timing of mean_attack_year,
 * and how each outcome is counted. */
static void check_closed(const char *label, const struct cp *p0, const char *est, uint64_t n,
			 int drawn)
{
	struct cp pd = *p0, *p = &pd;
	struct text t;
	struct want w;
	struct run r;
	char what[160];
	int cond = !strcmp(est, "conditional"), g;
	double pa, na, se;
	long k;

	pd.drawn = drawn;
	exact(p, &w);
	config_of(p, est, n, 17, &t);
	run_text(t.s, NULL, 0, &r);
	pa = 1 - w.pdet;
	na = (double)n * pa;
	se = cond ? 0 : sqrt(w.pdet * pa / (double)n);
	if (drawn)
		est = "conditional, forces drawn";
	snprintf(what, sizeof(what), "%s, %s: p_deterred", label, est);
	check_se(what, r.fig[r.det].value, w.pdet, se);
	snprintf(what, sizeof(what), "%s, %s: p_honored_given_attack", label, est);
	check_se(what, r.fig[r.hon].value, w.hon, cond ? 0 : sqrt(w.hon * (1 - w.hon) / na));
	snprintf(what, sizeof(what), "%s, %s: p_partial_given_attack", label, est);
	check_se(what, r.fig[r.part].value, w.part, cond ? 0 : sqrt(w.part * (1 - w.part) / na));
	snprintf(what, sizeof(what), "%s, %s: p_abandoned_given_attack", label, est);
	check_se(what, r.fig[r.ab].value, w.ab, cond ? 0 : sqrt(w.ab * (1 - w.ab) / na));
	snprintf(what, sizeof(what), "%s, %s: p_challenger_wins", label, est);
	check_se(what, r.fig[r.win].value, w.win,
		 cond ? 0 : sqrt(w.win * (1 - w.win) / (double)n));
	snprintf(what, sizeof(what), "%s, %s: mean_attack_year", label, est);
	check_se(what, r.fig[r.year].value, w.year, cond ? 0 : w.year_sd / sqrt(na));
	for (g = 0; g < p->ng; g++) {
		snprintf(what, sizeof(what), "%s, %s: guarantor %s intervenes | attack", label, est,
			 p->g[g].name);
		check_se(what, r.inter[g], w.inter[g],
			 cond ? 0 : sqrt(w.inter[g] * (1 - w.inter[g]) / na));
	}
	/* The curve too: S(k) = exp(-rate q (k + 1) dt) at every step. */
	for (k = 0; k < r.n_steps; k++) {
		snprintf(what, sizeof(what), "%s, %s: survival to the end of step %ld", label, est, k);
		check_se(what, survival(&r, k), w.surv[k],
			 cond ? 0 : sqrt(w.surv[k] * (1 - w.surv[k]) / (double)n));
	}
	/* The test's power: the figures are far from trivial values. */
	check(w.pdet > 0.1 && w.pdet < 0.9, "%s: p_deterred %g too near 0 or 1 to test", label,
	      w.pdet);
	run_free(&r);
}

static void test_closed_forms(void **state)
{
	struct cp a = scen_none(), b = scen_one(), c = scen_two();

	(void)state;
	/* Fixed forces: the model may tabulate the contests once per run;
	 * drawn ones (a spread of 1e-13) make it compute them per trial. */
	check_closed("0 guarantors", &a, "conditional", 4, 0);
	check_closed("1 guarantor", &b, "conditional", 4, 0);
	check_closed("2 guarantors", &c, "conditional", 4, 0);
	check_closed("0 guarantors", &a, "conditional", 4, 1);
	check_closed("1 guarantor", &b, "conditional", 4, 1);
	check_closed("2 guarantors", &c, "conditional", 4, 1);
	check_closed("0 guarantors", &a, "indicator", 20000, 0);
	check_closed("1 guarantor", &b, "indicator", 20000, 0);
	check_closed("2 guarantors", &c, "indicator", 20000, 0);
	check_finish();
}

/* Learning on but no probes (probe_prob 0): beliefs never move, so q is
 * constant; each step's crises are drawn and the trial survives them with
 * (1 - q)^N. Each trial's chance of deterrence must be (1 - q)^N for a
 * whole N (catches exp(-q N), or a hazard that ignores the draw), the N
 * must average rate T (Poisson; catches a wrong rate per step), and both
 * estimators must give E[(1 - q)^N] = exp(-rate T q). */
static void test_learning_law(void **state)
{
	struct cp p = scen_two();
	struct text t;
	struct cfg c;
	struct scenario s;
	struct want w;
	struct run r;
	const uint64_t n = 4000;
	double *d, sumN = 0, lq, worst = 0;
	uint64_t i, bad = 0;

	(void)state;
	p.learning = 1;
	p.probe = 0;
	p.horizon = 4;
	exact(&p, &w);
	lq = log1p(-w.q);
	config_of(&p, "conditional", n, 5, &t);
	open_scen(&s, &c, NULL, t.s, NULL, 0);
	d = per_trial(&s, n, "deterred");
	for (i = 0; i < n; i++) {
		double N = log(d[i]) / lq, off = fabs(N - nearbyint(N));

		worst = fmax(worst, off);
		if (off > 1e-6 && bad++ < 3)
			print_error("trial %llu: P(deterred) %.15g = (1 - q)^%.9g, expected a whole "
				    "power of 1 - q = %.15g\n", (unsigned long long)i, d[i], N, 1 - w.q);
		sumN += nearbyint(N);
	}
	check(bad == 0, "learning without probes: %llu of %llu trials not (1 - q)^N",
	      (unsigned long long)bad, (unsigned long long)n);
	if (getenv("GSIM_TEST_VERBOSE"))
		print_message("learning without probes: every trial (1 - q)^N to %.3g in N; mean N "
			      "%.4f\n", worst, sumN / (double)n);
	/* Antithetic pairs only shrink the variance of the mean of N. */
	check_se("learning without probes: mean crises per trial", sumN / (double)n,
		 p.rate * p.horizon, sqrt(p.rate * p.horizon / (double)n));
	free(d);
	run_scen(&s, &r);
	check_se("learning without probes, conditional: p_deterred", r.fig[r.det].value, w.pdet,
		 (r.fig[r.det].hi - r.fig[r.det].lo) / (2 * 1.959963984540054));
	check_se("learning without probes, conditional: p_honored_given_attack",
		 r.fig[r.hon].value, w.hon, 0);
	run_free(&r);
	scenario_release(&s);
	cfg_release(&c);
	config_of(&p, "indicator", 20000, 6, &t);
	run_text(t.s, NULL, 0, &r);
	check_se("learning without probes, indicator: p_deterred", r.fig[r.det].value, w.pdet,
		 sqrt(w.pdet * (1 - w.pdet) / 20000));
	run_free(&r);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* 2. The random-utility decision. */

/* The per-crisis chance of war of P, from its p_deterred: q = -log(p) /
 * (rate T). */
static double q_from_run(const struct cp *p)
{
	struct text t;
	struct run r;
	double pd;

	config_of(p, "conditional", 2, 1, &t);
	run_text(t.s, NULL, 0, &r);
	pd = r.fig[r.det].value;
	run_free(&r);
	return -log(pd) / (p->rate * (double)steps_of(p) / (double)p->spy);
}

static void test_random_utility(void **state)
{
	/* 0 guarantors, C = T, gamma 1: W = 1/2 and EU = 1/2 - war_cost;
	 * decision_sd left at its default. */
	const double z[] = { -3, -3.5, -4, -6, 0, 3 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(z) / sizeof(z[0]); i++) {
		struct cp p = { .C = 100, .cq = 1, .stake = 1, .gamma = 1, .T = 100, .tq = 1,
				.horizon = 10, .spy = 4 };
		char what[128];
		double q;

		p.war = 0.5 - 0.1 * z[i];
		p.rate = z[i] < 0 ? 100 : 0.1;	/* p_deterred away from 0 and 1 */
		q = q_from_run(&p);
		snprintf(what, sizeof(what), "EU = %g decision_sd (default sd): chance of war a crisis",
			 z[i]);
		/* Phi: a logistic of the same spread would give 4.7% at -3. */
		check(fabs(q - Phi(z[i])) <= 1e-6 * Phi(z[i]),
		      "%s: observed %.10g vs expected Phi(%g) = %.10g", what, q, z[i], Phi(z[i]));
		if (z[i] <= -3)
			check(q < 0.002, "%s: %.6g, expected below 0.2%%", what, q);
	}

	/* stake 0 with war_cost > 0, on the starter config (learning on, its
	 * decision_sd the default 0.1): EU = -war_cost - sanctions = -3.5 sd,
	 * so almost no attack (catches a stake that does not scale the value
	 * of war, or costs left out); with learning off exactly 1 - exp(-rate
	 * T Phi(-0.35 / 0.1)). */
	{
		char *text = scenario_starter(model_lookup("crisis"), "stake 0");
		char *on[] = { "scenario.horizon_years=10", "challenger.crisis_rate=1",
			       "challenger.war_cost=0.3", "challenger.pressure=0",
			       "guarantors.[0].escalation_cost=0",
			       "guarantors.[0].guarantee.sanctions.cost=0.05", "scenario.trials=2000",
			       "challenger.stake=0", "challenger.learning=false", "scenario.trials=2" };
		struct run r;
		double qx = Phi(-(0.3 + 0.05) / 0.1), pa;

		assert_non_null(text);
		run_text(text, on, 8, &r);
		pa = 1 - r.fig[r.det].value;
		check(pa < 0.005, "starter, stake 0, learning on: p_attack %.6g, expected almost none "
		      "(about %.6g)", pa, -expm1(-10 * qx));
		run_free(&r);
		run_text(text, on, 10, &r);
		check_se("starter, stake 0, learning off: p_attack", 1 - r.fig[r.det].value,
			 -expm1(-10 * qx), 0);
		run_free(&r);
		/* Power: with its stake the same challenger nearly always attacks. */
		run_text(text, on, 7, &r);
		check(r.fig[r.det].value < 0.5, "starter with stake 1: p_deterred %.4g, expected "
		      "attacks (else stake 0 tests nothing)", r.fig[r.det].value);
		run_free(&r);
		free(text);
	}
	check_finish();
}

/* ---------------------------------------------------------------- */
/* 3. Step size. */

/* The dynamic scenario: logistic growth, relaxation to below the cap,
 * erosion slowed by a ratified lock and a bipartisan share, arms with
 * depreciation. */
static struct cp scen_dynamic(void)
{
	struct cp p = scen_one();

	p.horizon = 6;
	p.rate = 0.6;
	p.war = 0.45;
	p.growth = 0.4, p.K = 260;
	p.T = 150, p.cap = 140, p.sust = 90, p.demob = 0.5;
	p.g[0].interest = 0.3, p.g[0].erosion = 0.15, p.g[0].bipartisan = 0.2;
	p.g[0].vote = 0.8, p.g[0].required = 0.6, p.g[0].lock = 0.5;
	p.g[0].arms = 1, p.g[0].arms_rate = 20, p.g[0].arms_dep = 0.3;
	return p;
}

/* Pressure on both guarantors of scen_two (A's provisions locked by its
 * ratification, B's by a bipartisan share), with erosion and growth. */
static struct cp scen_pressure(void)
{
	struct cp p = scen_two();

	p.horizon = 6;
	p.rate = 0.5;
	p.pressure = 0.3;
	p.growth = 0.1, p.K = 300;
	p.g[0].erosion = 0.05;
	p.g[1].bipartisan = 0.3;
	p.g[1].resolve_sd = 0.2;
	/* Deliveries diluted by pressure: an update that held the rate at
	 * the step's start would depend on the step size. */
	p.g[1].arms = 1, p.g[1].arms_rate = 30, p.g[1].arms_dep = 0.2;
	return p;
}

static double p_at(struct cp *p, long spy)
{
	struct text t;
	struct run r;
	double v;

	p->spy = spy;
	config_of(p, "conditional", 2, 3, &t);
	run_text(t.s, NULL, 0, &r);
	v = r.fig[r.det].value;
	run_free(&r);
	return v;
}

/* Dynamic: the integral of the hazard over the closed-form state
 * (Simpson), and at each step size the left Riemann sum, which the
 * model's exact updates give to rounding (catches an update that is not
 * the exact flow, a hazard read at the step's end, a lock or bipartisan
 * share that does not slow erosion and pressure, a provision pressure
 * does not dilute). The last run repeats 12 steps a year with the forces
 * drawn (no table of contests). */
static void dynamic(const char *label, struct cp *d0)
{
	const long spy[] = { 1, 4, 12, 52, 12 };
	struct cp dd = *d0, *d = &dd;
	struct look o;
	double err[4], cont = 0, h = d->horizon / 20000;
	size_t i;
	int j;

	for (j = 0; j <= 20000; j++) {
		look_at(d, j * h, NULL, &o);
		cont += (j == 0 || j == 20000 ? 1 : j % 2 ? 4 : 2) * o.q;
	}
	cont = exp(-d->rate * cont * h / 3);
	for (i = 0; i < 5; i++) {
		long n = (long)(d->horizon * (double)spy[i] + 0.5), k;
		double sum = 0, dt = 1.0 / (double)spy[i], v;
		char what[96];

		d->drawn = i == 4;
		v = p_at(d, spy[i]);
		for (k = 0; k < n; k++) {
			look_at(d, (double)k * dt, NULL, &o);
			sum += o.q * dt;
		}
		snprintf(what, sizeof(what), "%s, %ld steps a year%s: p_deterred", label, spy[i],
			 d->drawn ? ", forces drawn" : "");
		check(fabs(v - exp(-d->rate * sum)) <= 1e-11, "%s: observed %.15g vs expected %.15g "
		      "(the left Riemann sum of the hazard)", what, v, exp(-d->rate * sum));
		if (i < 4)
			err[i] = fabs(v - cont);
		if (getenv("GSIM_TEST_VERBOSE"))
			print_message("%s %.12f, continuous %.12f\n", what, v, cont);
	}
	/* Convergence: each refinement shrinks the error about as dt does. */
	check(err[0] > 1e-4, "%s: the 1-step-a-year error %.3g is too small to test", label,
	      err[0]);
	for (i = 1; i < 4; i++)
		check(err[i] < 0.6 * err[i - 1], "%s: error at %ld steps a year %.4g, at %ld %.4g: "
		      "not shrinking", label, spy[i], err[i], spy[i - 1], err[i - 1]);
	check(err[3] < 0.05 * err[0], "%s: error at 52 steps a year %.4g vs %.4g at 1", label,
	      err[3], err[0]);
}

/* Crises that grow rarer: with no guarantor and a constant state,
 * p_deterred = exp(-rate q (1 - exp(-a T)) / a) at every step size, with
 * the crises' count integrated over each step. Catches the rate read at a
 * step's start (step-size dependent) and the decay ignored. */
static void test_crisis_decay(void **state)
{
	const double rate = 0.8, a = 0.3, T = 6, E = 500, D = 400, gamma = 1.5, cost = 0.3;
	const double sd = 0.16, q = Phi((tullock(E, D, gamma) - cost) / sd);
	const double want = exp(-rate * q * (1 - exp(-a * T)) / a);
	static const long spy[4] = { 1, 4, 12, 52 };
	char text[1024];
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		struct run r;

		snprintf(text, sizeof(text),
			 "scenario = { name = \"decay\"; horizon_years = %g; steps_per_year = %ld; "
			 "trials = 4; seed = 3; };\nmodel = \"crisis\";\n"
			 "challenger = { forces = %g; war_cost = %g; decisiveness = %g; crisis_rate = %g; "
			 "crisis_decay = %g; decision_sd = %g; learning = false; };\n"
			 "target = { troops = %g; };\nguarantors = ();\n",
			 T, spy[i], E, cost, gamma, rate, a, sd, D);
		run_text(text, NULL, 0, &r);
		check(fabs(r.fig[r.det].value - want) < 1e-12, "%ld steps a year: p_deterred: observed "
		      "%.15g vs expected %.15g", spy[i], r.fig[r.det].value, want);
		run_free(&r);
	}
	check_finish();
}

static void test_step_size(void **state)
{
	const long spy[] = { 1, 4, 12, 52 };
	struct cp c = scen_two(), d = scen_dynamic(), e = scen_pressure();
	struct look o;
	size_t i;

	(void)state;
	/* Constant state: exp(-rate T q) at every step size (catches a hazard
	 * per step that is not rate q dt, e.g. 1 - exp(-q) per step). */
	c.horizon = 6;
	look_at(&c, 0, NULL, &o);
	for (i = 0; i < 4; i++) {
		char what[96];

		snprintf(what, sizeof(what), "constant state, %ld steps a year: p_deterred", spy[i]);
		check_se(what, p_at(&c, spy[i]), exp(-c.rate * c.horizon * o.q), 0);
	}
	dynamic("dynamic", &d);
	dynamic("pressure", &e);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* 4. Monotonicity, path by path. */

/* Trials per run: about 11,520 trial-steps, 32 to 96 trials (even: whole
 * antithetic pairs). */
static uint64_t mono_trials;
#define MONO_TRIALS mono_trials

/* The configs: the shipped Ukraine one and a historical case (the first
 * found of each list). */
static const char *const mono_ukraine[] = { "configs/crisis-ukraine-19-point.cfg", NULL };
static const char *const mono_history[] = {
	"configs/history/crisis-korea-1953.cfg", "configs/history/crisis-nato-baltics-2004.cfg", NULL
};

enum { ALL, EACH, MECH };

struct lever {
	const char *key;	/* full path (ALL), or after "guarantors.[g]." */
	int scope;		/* ALL; EACH guarantor; the first with MECH (MECH) */
	const char *mech;	/* the guarantee's group it needs, or NULL */
	int dir;		/* +1: p_deterred non-decreasing in it; -1: non-increasing */
	int nv;
	double v[6];
	const char *base;	/* a set before the lever's (after the prefix), or NULL */
};

static const struct lever levers[] = {
	{ "guarantee.strength", MECH, NULL, +1, 4, { 0, 0.3, 0.6, 1 }, NULL },
	/* Values 1 and 2 straddle the threshold (checked for a jump). */
	{ "guarantee.ratification.vote_share", MECH, "ratification", +1, 5,
	  { 0.3, 0.6 - 1e-9, 0.6, 0.8, 1 }, "guarantee.ratification.required=0.6" },
	{ "guarantee.tripwire.troops", MECH, "tripwire", +1, 4, { 0, 2000, 10000, 50000 }, NULL },
	{ "guarantee.tripwire.automaticity", MECH, "tripwire", +1, 4, { 0, 0.3, 0.7, 1 }, NULL },
	{ "guarantee.monitoring.quality", MECH, "monitoring", +1, 4, { 0, 0.4, 0.8, 1 },
	  "doubt=0.5" },
	{ "guarantee.monitoring.warning", MECH, "monitoring", +1, 4, { 0, 0.05, 0.2, 1 }, NULL },
	{ "guarantee.sanctions.cost", MECH, "sanctions", +1, 4, { 0, 0.05, 0.15, 0.5 }, NULL },
	{ "guarantee.arms_supply.per_year", MECH, "arms_supply", +1, 4,
	  { 0, 10000, 50000, 200000 }, NULL },
	{ "target.troop_cap", ALL, NULL, +1, 4, { 0.4, 0.6, 0.8, 0.99 }, NULL },	/* x troops */
	{ "interest", EACH, NULL, +1, 4, { -0.5, 0, 0.3, 1 }, NULL },
	{ "forces", EACH, NULL, +1, 4, { 0, 20000, 100000, 500000 }, NULL },
	{ "challenger.pressure", ALL, NULL, -1, 4, { 0, 0.05, 0.2, 1 }, NULL },
	{ "intervention_cost", MECH, NULL, -1, 4, { -0.3, 0.2, 0.6, 1.2 }, NULL },
	{ "erosion_rate", MECH, NULL, -1, 4, { 0, 0.02, 0.1, 0.5 }, NULL },
	{ "challenger.stake", ALL, NULL, -1, 4, { 0, 0.5, 1, 2 }, NULL },
	{ "challenger.growth_rate", ALL, NULL, -1, 4, { 0, 0.05, 0.2, 1 }, NULL },
};

/* The sets that give a guarantor group MECH with its required keys. */
static int mech_sets(const char *mech, const char *pre, char sets[][160])
{
	if (!strcmp(mech, "ratification")) {
		snprintf(sets[0], 160, "%s.guarantee.ratification.vote_share=0.7", pre);
		return 1;
	}
	if (!strcmp(mech, "tripwire")) {
		snprintf(sets[0], 160, "%s.guarantee.tripwire.troops=5000", pre);
		snprintf(sets[1], 160, "%s.guarantee.tripwire.automaticity=0.5", pre);
		return 2;
	}
	if (!strcmp(mech, "sanctions")) {
		snprintf(sets[0], 160, "%s.guarantee.sanctions.cost=0.05", pre);
		return 1;
	}
	if (!strcmp(mech, "arms_supply")) {
		snprintf(sets[0], 160, "%s.guarantee.arms_supply.per_year=10000", pre);
		return 1;
	}
	snprintf(sets[0], 160, "%s.guarantee.monitoring.quality=0.5", pre);
	return 1;
}

/* The number at PATH of config C (a plain number), or NAN. */
static double number_at(struct cfg *c, const char *path)
{
	config_setting_t *s = config_lookup(&c->lc, path);

	if (!s)
		return NAN;
	switch (config_setting_type(s)) {
	case CONFIG_TYPE_FLOAT:
		return config_setting_get_float(s);
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return (double)config_setting_get_int64(s);
	default:
		return NAN;
	}
}

/* The first guarantor of C with the guarantee group MECH, or -1. */
static int with_mech(struct cfg *c, const char *mech)
{
	config_setting_t *l = config_lookup(&c->lc, "guarantors");
	int g, n = l ? config_setting_length(l) : 0;

	for (g = 0; g < n; g++) {
		config_setting_t *gu = config_setting_get_member(config_setting_get_elem(l, (unsigned)g),
								 "guarantee");

		if (gu && config_setting_get_member(gu, mech))
			return g;
	}
	return -1;
}

/* Each trial's chance of deterrence in PATH with the overrides SETS. */
static double *mono_run(const char *path, char sets[][160], int nsets)
{
	char *p[12];
	struct cfg c;
	struct scenario s;
	double *d;
	int i;

	for (i = 0; i < nsets; i++)
		p[i] = sets[i];
	open_scen(&s, &c, path, NULL, p, nsets);
	assert_int_equal(s.estimator, MODEL_CONDITIONAL);
	d = per_trial(&s, MONO_TRIALS, "deterred");
	scenario_release(&s);
	cfg_release(&c);
	return d;
}

static double mean_of(const double *x, uint64_t n)
{
	double s = 0;
	uint64_t i;

	for (i = 0; i < n; i++)
		s += x[i];
	return s / (double)n;
}

/* Lever L of guarantor G (-1: none) on PATH with learning LEARN: each
 * trial's chance of deterrence must move with DIR between consecutive
 * values (within 1e-12), and the lever must move the mean at all. */
static void mono_lever(const char *path, const char *learn, const struct lever *L, int g,
		       int add_mech, double troops, double forces)
{
	char sets[12][160], pre[32], what[256];
	double *prev = NULL, first = 0, last = 0, below = 0, val[6];
	int j, ns0 = 0;

	snprintf(pre, sizeof(pre), "guarantors.[%d]", g < 0 ? 0 : g);
	snprintf(sets[ns0++], 160, "challenger.learning=%s", learn);
	if (add_mech)	/* no guarantor has the group: the first gets one */
		ns0 += mech_sets(L->mech, pre, sets + ns0);
	if (L->base)
		snprintf(sets[ns0++], 160, "%s%s%s", L->scope == ALL ? "" : pre,
			 L->scope == ALL ? "" : ".", L->base);
	if (!strcmp(L->key, "challenger.growth_rate") && forces > 0)	/* no max_forces yet */
		snprintf(sets[ns0++], 160, "challenger.max_forces=%.17g", 2 * forces);
	for (j = 0; j < L->nv; j++) {
		double v = L->v[j], *d;
		uint64_t i, low = 0;
		int ns = ns0;

		if (!strcmp(L->key, "target.troop_cap"))
			v *= troops;
		val[j] = v;
		if (L->scope == ALL)
			snprintf(sets[ns++], 160, "%s=%.17g", L->key, v);
		else
			snprintf(sets[ns++], 160, "%s.%s=%.17g", pre, L->key, v);
		d = mono_run(path, sets, ns);
		snprintf(what, sizeof(what), "%s, learning %s: %s%s%s", path, learn,
			 L->scope == ALL ? "" : pre, L->scope == ALL ? "" : ".", L->key);
		for (i = 0; prev && i < MONO_TRIALS; i++)
			if (L->dir * (d[i] - prev[i]) < -1e-12) {
				if (low++ < 3)
					print_error("%s: trial %llu: %.10g -> %.10g moves P(deterred) "
						    "the wrong way, %.15g -> %.15g\n", what,
						    (unsigned long long)i, val[j - 1], val[j], prev[i],
						    d[i]);
			}
		check(low == 0, "%s: %llu of %llu trials move the wrong way from %.10g to %.10g", what,
		      (unsigned long long)low, (unsigned long long)MONO_TRIALS, val[j - (j > 0)],
		      val[j]);
		if (j == 0)
			first = mean_of(d, MONO_TRIALS);
		if (j == L->nv - 1)
			last = mean_of(d, MONO_TRIALS);
		/* The ratification threshold: strictly more just above it. */
		if (!strcmp(L->key, "guarantee.ratification.vote_share") && j == 1)
			below = mean_of(d, MONO_TRIALS);
		if (!strcmp(L->key, "guarantee.ratification.vote_share") && j == 2)
			check(mean_of(d, MONO_TRIALS) > below + 1e-9, "%s: p_deterred %.12g at the "
			      "required share, %.12g just below: no jump", what,
			      mean_of(d, MONO_TRIALS), below);
		free(prev);
		prev = d;
	}
	free(prev);
	if (getenv("GSIM_TEST_VERBOSE"))
		print_message("%s: p_deterred %.6f -> %.6f\n", what, first, last);
	/* Power: the lever reaches the figure (else the checks above say
	 * nothing). */
	check(L->dir * (last - first) > 1e-9, "%s: p_deterred %.12g at %g and %.12g at %g: the "
	      "lever moves nothing", what, first, val[0], last, val[L->nv - 1]);
}

static void mono_config(const char *path)
{
	static const char *const learn[] = { "true", "false" };
	struct cfg c;
	struct scenario s;
	double troops, forces;
	size_t i, k;
	int ng, g;

	open_scen(&s, &c, path, NULL, NULL, 0);
	ng = s.layout->nactors;
	mono_trials = (uint64_t)(11520 / s.n_steps) & ~(uint64_t)1;
	mono_trials = mono_trials < 32 ? 32 : mono_trials > 96 ? 96 : mono_trials;
	troops = number_at(&c, "target.troops");
	/* growth_rate needs a max_forces: twice the forces when there is none. */
	forces = config_lookup(&c.lc, "challenger.max_forces") ? 0
								: number_at(&c, "challenger.forces");
	check(ng >= 1 && troops > 0 && !isnan(forces), "%s: %d guarantors, troops %g, forces %g: "
	      "cannot test its levers", path, ng, troops, forces);
	for (k = 0; k < 2; k++)
		for (i = 0; i < sizeof(levers) / sizeof(levers[0]); i++) {
			const struct lever *L = &levers[i];

			if (L->scope == ALL) {
				mono_lever(path, learn[k], L, -1, 0, troops, forces);
			} else if (L->scope == EACH) {
				for (g = 0; g < ng; g++)
					mono_lever(path, learn[k], L, g, 0, troops, forces);
			} else {
				g = L->mech ? with_mech(&c, L->mech) : 0;
				mono_lever(path, learn[k], L, g < 0 ? 0 : g, g < 0, troops, forces);
			}
		}
	scenario_release(&s);
	cfg_release(&c);
}

static const char *first_found(const char *const *list)
{
	for (; *list; list++)
		if (access(*list, R_OK) == 0)
			return *list;
	return NULL;
}

/* Catches any lever that moves a trial's chance of deterrence the wrong
 * way (by more than 1e-12) between two of its values with every random
 * number the same: a sign error, a provision that pressure or a lock
 * treats backwards, beliefs that fall when a guarantor is more likely to
 * honour (answers drawn against 1 - H), a ratification that fails at its
 * threshold; and a lever that moves nothing at all. */
static void test_monotone(void **state)
{
	const char *a = first_found(mono_ukraine), *b = first_found(mono_history);

	(void)state;
	if (!a)
		fail_msg("%s is missing", mono_ukraine[0]);
	if (!b)
		fail_msg("%s (or %s) is missing", mono_history[0], mono_history[1]);
	mono_config(a);
	mono_config(b);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* The belief after probes. */

#define MAXSTEPS 64
#define MAXPROBES 4096

struct probe_log {
	size_t belief[MAXG], eu, q, crises, probe_kind;
	long steps;
	double B[MAXSTEPS][MAXG], eu_at[MAXSTEPS], q_at[MAXSTEPS], crises_at[MAXSTEPS];
	int np;
	long pk[MAXPROBES];
	int pg[MAXPROBES], pyes[MAXPROBES];
};

static void on_step(void *ctx, const struct model_trace_step *st)
{
	struct probe_log *l = ctx;
	int g;

	assert_true(st->k < MAXSTEPS);
	for (g = 0; g < MAXG; g++)
		l->B[st->k][g] = st->values[l->belief[g]];
	l->eu_at[st->k] = st->values[l->eu];
	l->q_at[st->k] = st->values[l->q];
	l->crises_at[st->k] = st->values[l->crises];
	l->steps = st->k + 1;
}

static void on_event(void *ctx, const struct model_trace_event *e)
{
	struct probe_log *l = ctx;

	if (e->kind != l->probe_kind)
		return;
	assert_true(l->np < MAXPROBES);
	l->pk[l->np] = e->k;
	l->pg[l->np] = (int)e->values[0];
	l->pyes[l->np] = e->values[1] != 0;
	l->np++;
}

/* The index in a traced step's values of column NAME (of actor G when it
 * is per actor): a per-actor block is repeated for each actor in place. */
static size_t column_of(const struct model_layout *L, const char *name, int g)
{
	size_t i = 0, at = 0;

	while (i < L->ncolumns) {
		size_t b = 0, j;

		if (!L->columns[i].per_actor) {
			if (!strcmp(L->columns[i].name, name))
				return at;
			at++;
			i++;
			continue;
		}
		while (i + b < L->ncolumns && L->columns[i + b].per_actor)
			b++;
		for (j = 0; j < b; j++)
			if (!strcmp(L->columns[i + j].name, name))
				return at + (size_t)g * b + j;
		at += b * (size_t)L->nactors;
		i += b;
	}
	fail_msg("no trace column '%s'", name);
	return 0;
}

/* A constant state with learning on: the belief in each guarantor must
 * be (w seen + yes) / (w + yes + no), with yes and no counted from the
 * traced probe events of earlier steps and seen = H (1 - doubt) (catches
 * a wrong update, or one that counts a probe in its own step); the EU and
 * q must follow from those beliefs; a step whose probes of a guarantor
 * were all answered must not lower the belief in it; probes come at
 * probe_prob of the crises and are answered at H (within 4 SE; catches
 * answers drawn against 1 - H, which would also break monotonicity). */
static void test_probe_belief(void **state)
{
	struct cp p = scen_two();
	struct text t;
	struct cfg c;
	struct scenario s;
	struct look o0;
	struct probe_log *l = calloc(1, sizeof(*l));
	struct model_trace_sink sink = { l, on_step, on_event };
	unsigned char *rec;
	void *w;
	long rises = 0, falls = 0, answered = 0, k;
	double ncrises = 0, nprobes = 0, nyes[MAXG] = { 0 };
	uint64_t i;
	size_t e;
	int g;

	(void)state;
	assert_non_null(l);
	p.learning = 1;
	p.probe = 0.6;
	p.prior = 2;
	p.rate = 3;
	p.war = 1.2;	/* few attacks: the trace goes on either way */
	p.horizon = 5;
	p.spy = 4;
	look_at(&p, 0, NULL, &o0);
	config_of(&p, "conditional", 40, 9, &t);
	open_scen(&s, &c, NULL, t.s, NULL, 0);
	for (g = 0; g < MAXG; g++)
		l->belief[g] = column_of(s.layout, "belief", g);
	l->eu = column_of(s.layout, "eu", 0);
	l->q = column_of(s.layout, "q", 0);
	l->crises = column_of(s.layout, "crises", 0);
	for (e = 0; e < s.layout->nevents; e++)
		if (!strcmp(s.layout->events[e].name, "probe"))
			break;
	assert_true(e < s.layout->nevents);
	l->probe_kind = e;
	rec = calloc(1, s.layout->record_size);
	w = s.model->work_alloc(s.instance, s.rng, NULL);
	assert_non_null(rec);
	assert_non_null(w);
	for (i = 0; i < 40; i++) {
		double yes[MAXG] = { 0 }, no[MAXG] = { 0 };
		int j = 0;

		l->np = 0;
		l->steps = 0;
		s.model->trace(s.instance, w, s.seed, i, &sink, rec);
		check_long("traced steps", l->steps, s.n_steps);
		for (k = 0; k < l->steps; k++)
			ncrises += l->crises_at[k];
		for (j = 0; j < l->np; j++) {
			nprobes += l->pg[j] == 0;
			nyes[l->pg[j]] += l->pyes[j];
		}
		j = 0;
		for (k = 0; k < l->steps; k++) {
			double B[MAXG];
			int ok[MAXG], any[MAXG];
			struct look o;

			for (g = 0; g < MAXG; g++) {
				B[g] = (p.prior * o0.B[g] + yes[g]) / (p.prior + yes[g] + no[g]);
				check(fabs(l->B[k][g] - B[g]) <= 1e-12, "trial %llu, step %ld: belief in "
				      "%s observed %.15g vs expected %.15g (%g answered, %g not)",
				      (unsigned long long)i, k, p.g[g].name, l->B[k][g], B[g], yes[g],
				      no[g]);
				ok[g] = 1;
				any[g] = 0;
			}
			look_at(&p, 0, B, &o);
			check(fabs(l->eu_at[k] - o.eu) <= 1e-12 && fabs(l->q_at[k] - o.q) <= 1e-12,
			      "trial %llu, step %ld: eu %.15g, q %.15g vs expected %.15g, %.15g",
			      (unsigned long long)i, k, l->eu_at[k], l->q_at[k], o.eu, o.q);
			/* This step's probes count from the next step on. */
			for (; j < l->np && l->pk[j] == k; j++) {
				g = l->pg[j];
				any[g] = 1;
				if (l->pyes[j])
					yes[g]++;
				else
					no[g]++, ok[g] = 0;
			}
			check(j == l->np || l->pk[j] > k, "trial %llu: probe events out of order",
			      (unsigned long long)i);
			if (k + 1 >= l->steps)
				continue;
			for (g = 0; g < MAXG; g++) {
				double d = l->B[k + 1][g] - l->B[k][g];

				if (any[g] && ok[g]) {
					answered++;
					check(d >= -1e-12, "trial %llu, step %ld: answered probes of %s "
					      "lower the belief %.15g -> %.15g", (unsigned long long)i, k,
					      p.g[g].name, l->B[k][g], l->B[k + 1][g]);
				}
				rises += d > 1e-12;
				falls += d < -1e-12;
			}
		}
	}
	check_se("probes per crisis", nprobes / ncrises, p.probe,
		 sqrt(p.probe * (1 - p.probe) / ncrises));
	for (g = 0; g < MAXG; g++) {
		char what[64];

		snprintf(what, sizeof(what), "probes of %s answered", p.g[g].name);
		check_se(what, nyes[g] / nprobes, o0.H[g], sqrt(o0.H[g] * (1 - o0.H[g]) / nprobes));
	}
	if (getenv("GSIM_TEST_VERBOSE"))
		print_message("probes: %.0f crises, %.0f probes; %ld steps of answered probes only; beliefs rose %ld times, fell "
			      "%ld\n", ncrises, nprobes, answered, rises, falls);
	/* Power: beliefs move both ways, and answered probes were seen. */
	check(answered > 50 && rises > 50 && falls > 50, "probes: %ld answered steps, %ld rises, "
	      "%ld falls of belief: too few to test", answered, rises, falls);
	s.model->work_free(w);
	free(rec);
	free(l);
	scenario_release(&s);
	cfg_release(&c);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* 5. Schedules. */

/* The starter config (learning on, growth, arms, a tripwire) without its
 * schedule, with war_cost raised so that the curve stays away from 0,
 * followed by SCHEDULE. */
static char *starter_with(const char *schedule)
{
	char *text = scenario_starter(model_lookup("crisis"), "schedule"), *cut, *out;
	size_t n;

	assert_non_null(text);
	cut = strstr(text, "\nschedule = (");
	assert_non_null(cut);
	*cut = '\0';
	n = strlen(text) + strlen(schedule) + 64;
	out = malloc(n);
	assert_non_null(out);
	snprintf(out, n, "%s\n%s\n", text, schedule);
	free(text);
	return out;
}

/* Runs the starter with SCHEDULE against it without; a change at AT whose
 * first step is K0 must leave the curve of steps before K0 as it was (to
 * the bit: the same trials, the same draws) and move every later point
 * by DIR, strictly; each trial's chance of deterrence must move by DIR
 * too. Catches a change applied early or late by a step, or one that
 * leaks into the draws before it. */
static void schedule_case(const char *label, const char *schedule, long k0, int dir)
{
	/* The starter's own examples (a guarantor with forces and costs, few
	 * crises) deter nearly always; these keep the curve in the middle. */
	char *sets[] = { "challenger.war_cost=0.5", "scenario.trials=1000",
			 "challenger.crisis_rate=1", "guarantors.[0].forces=0",
			 "guarantors.[0].intervention_cost=0", "guarantors.[0].escalation_cost=0",
			 "guarantors.[0].guarantee.strength=0.5", "target.troops=880000",
			 "target.demobilization_rate=0" };
	char *a = starter_with(""), *b = starter_with(schedule);
	struct run ra, rb;
	long k, same = 0, moved = 0;

	run_text(a, sets, 9, &ra);
	run_text(b, sets, 9, &rb);
	assert_int_equal(ra.n_steps, rb.n_steps);
	for (k = 0; k < ra.n_steps; k++) {
		double sa = survival(&ra, k), sb = survival(&rb, k);

		if (k < k0) {
			int eq = tally_get(&ra.t, ra.curve + (size_t)k) == tally_get(&rb.t, rb.curve + (size_t)k);

			check(eq, "%s: step %ld (before the change): attacks %.17Lg without it vs %.17Lg "
			      "with it", label, k, tally_get(&ra.t, ra.curve + (size_t)k),
			      tally_get(&rb.t, rb.curve + (size_t)k));
			same += eq;
		} else {
			int ok = dir * (sb - sa) > 1e-12;

			check(ok, "%s: survival to the end of step %ld (after the change) %.12g with it "
			      "vs %.12g without", label, k, sb, sa);
			moved += ok;
		}
	}
	check(ra.fig[ra.det].value > 0.05 && ra.fig[ra.det].value < 0.95, "%s: p_deterred %g "
	      "too near 0 or 1", label, ra.fig[ra.det].value);
	if (getenv("GSIM_TEST_VERBOSE"))
		print_message("%s: %ld steps the same before, %ld moved after; p_deterred %.6f -> "
			      "%.6f\n", label, same, moved, ra.fig[ra.det].value,
			      rb.fig[rb.det].value);
	run_free(&ra);
	run_free(&rb);
	free(a);
	free(b);
}

static void test_schedule_curve(void **state)
{
	(void)state;
	/* 12 steps a year: t = 3 is step 36; 2.9 rounds up to step 35. */
	schedule_case("tripwire troops to 0 at 3",
		      "schedule = ( { at = 3.0; path = \"guarantors.[Guarantor A].guarantee.tripwire."
		      "troops\"; value = 0.0; } );", 36, -1);
	schedule_case("crisis_rate to 0.2 at 3",
		      "schedule = ( { at = 3.0; path = \"challenger.crisis_rate\"; value = 0.2; } );",
		      36, +1);
	/* A change that leaves the tripwire's troops as they were. */
	schedule_case("tripwire automaticity to 0 at 3",
		      "schedule = ( { at = 3.0; path = \"guarantors.[0].guarantee.tripwire."
		      "automaticity\"; value = 0.0; } );", 36, -1);
	/* Changes of the state itself: forces and troops. */
	schedule_case("forces to 900000 at 3",
		      "schedule = ( { at = 3.0; path = \"challenger.forces\"; value = 900000.0; } );",
		      36, -1);
	schedule_case("troops to 500000 at 3",
		      "schedule = ( { at = 3.0; path = \"target.troops\"; value = 500000.0; } );", 36,
		      -1);
	schedule_case("war_cost to 0.7 at 2.9",
		      "schedule = ( { at = 2.9; path = \"challenger.war_cost\"; value = 0.7; } );", 35,
		      +1);
	schedule_case("sanctions to 0 and interest to -1 at 3",
		      "schedule = ( { at = 3.0; path = \"guarantors.[Guarantor A].guarantee.sanctions."
		      "cost\"; value = 0.0; },\n { at = 3.0; path = \"guarantors.[Guarantor A]."
		      "interest\"; value = -1.0; } );", 36, -1);
	check_finish();
}

/* The config of the error cases: 2 guarantors, A with a tripwire, B
 * without; the schedule entry's lines from line 8 on. */
#define ERR_HEAD \
	"scenario = { name = \"e\"; horizon_years = 5.0; steps_per_year = 4; trials = 10; };\n" \
	"model = \"crisis\";\n" \
	"challenger = { forces = 100.0; war_cost = 0.3; };\n" \
	"target = { troops = 100.0; };\n" \
	"guarantors = ( { name = \"A\"; interest = 0.1; guarantee = { strength = 0.5;\n" \
	"  tripwire = { troops = 10.0; automaticity = 0.5; }; }; },\n" \
	"  { name = \"B\"; interest = 0.1; guarantee = { strength = 0.5; }; } );\n" \
	"schedule = (\n"

/* Checks that the schedule entry ENTRY gives exactly the message EXPECT
 * (with "%s" for the file) and exit code 2, nothing on stdout. */
static void err_case(const char *dir, int i, const char *entry, const char *expect)
{
	char path[512], want[1024], *cfg;
	struct result r;
	size_t n = strlen(ERR_HEAD) + strlen(entry) + 16;

	cfg = malloc(n);
	assert_non_null(cfg);
	snprintf(cfg, n, "%s%s\n);\n", ERR_HEAD, entry);
	snprintf(path, sizeof(path), "%s/e%02d.cfg", dir, i);
	put_file(path, cfg);
	free(cfg);
	snprintf(want, sizeof(want), expect, path);
	sim(&r, "check", path, NULL);
	check(r.status == 2, "case %d: exit %d, expected 2", i, r.status);
	check(!strcmp(text(&r.err), want), "case %d: stderr\n  observed: %s  expected: %s", i,
	      text(&r.err), want);
	check(r.out.n == 0, "case %d: stdout not empty: %s", i, text(&r.out));
	result_free(&r);
}

/* Each message in the curl form FILE:LINE: error: PATH: what, the line
 * being that of the entry's offending key (or the entry's own line for a
 * missing key). Catches a wrong path in the message (such as
 * "schedule.[0].path.path"), a wrong line, or an entry accepted. */
static void test_schedule_errors(void **state)
{
	const char *dir = *state;
	int i = 0;

	err_case(dir, i++, "  { at = 3.0;\n    path = \"challenger.foo\";\n    value = 1.0; }",
		 "%s:10: error: schedule.[0].path: 'challenger.foo' is not a numeric key of the "
		 "crisis model\n");
	err_case(dir, i++, "  { at = 3.0;\n    path = \"guarantors.[Nobody].interest\";\n"
		 "    value = 1.0; }",
		 "%s:10: error: schedule.[0].path: 'guarantors.[Nobody].interest' names no "
		 "guarantor of this config\n");
	err_case(dir, i++, "  { at = 3.0;\n    path = \"challenger\";\n    value = 1.0; }",
		 "%s:10: error: schedule.[0].path: 'challenger' is not a path to a key (such as "
		 "\"guarantors.[NAME].guarantee.strength\")\n");
	err_case(dir, i++, "  { at = 3.0;\n    path = \"guarantors.[B].guarantee.tripwire.troops\";\n"
		 "    value = 0.0; }",
		 "%s:10: error: schedule.[0].path: guarantor 'B' has no tripwire group to change; "
		 "add one (its value at the start) to the guarantee\n");
	err_case(dir, i++, "  { at = 3.0;\n    path = \"guarantors.[A].guarantee.strength\";\n"
		 "    value = 1.5; }",
		 "%s:11: error: schedule.[0].value: must be in [0, 1] for "
		 "guarantors.[A].guarantee.strength, got 1.5\n");
	err_case(dir, i++, "  { at = 3.0;\n    path = \"guarantors.[0].guarantee.tripwire.troops\";\n"
		 "    value = -1.0; }",
		 "%s:11: error: schedule.[0].value: must be >= 0 for "
		 "guarantors.[0].guarantee.tripwire.troops, got -1\n");
	err_case(dir, i++, "  { at = 3.0;\n    path = \"challenger.decision_sd\";\n"
		 "    value = 0.0; }",
		 "%s:11: error: schedule.[0].value: must be > 0 for challenger.decision_sd, "
		 "got 0\n");
	err_case(dir, i++, "  { at = 7.0;\n    path = \"target.troops\";\n    value = 1.0; }",
		 "%s:9: error: schedule.[0].at: must be after 0 and at most the start of the last "
		 "step (4.75 years), got 7\n");
	err_case(dir, i++, "  { at = 0.0;\n    path = \"target.troops\";\n    value = 1.0; }",
		 "%s:9: error: schedule.[0].at: must be after 0 and at most the start of the last "
		 "step (4.75 years), got 0\n");
	/* A change after the last step's start would never apply. */
	err_case(dir, i++, "  { at = 4.9;\n    path = \"target.troops\";\n    value = 1.0; }",
		 "%s:9: error: schedule.[0].at: must be after 0 and at most the start of the last "
		 "step (4.75 years), got 4.9\n");
	/* Paths: a trailing dot, an index that is not a plain number. */
	err_case(dir, i++, "  { at = 3.0;\n    path = \"challenger.war_cost.\";\n    value = 1.0; }",
		 "%s:10: error: schedule.[0].path: 'challenger.war_cost.' is not a path to a key "
		 "(such as \"guarantors.[NAME].guarantee.strength\")\n");
	err_case(dir, i++, "  { at = 3.0;\n    path = \"guarantors.[+0].interest\";\n    value = 1.0; }",
		 "%s:10: error: schedule.[0].path: 'guarantors.[+0].interest' names no guarantor of "
		 "this config\n");
	/* The config's own rules hold for scheduled values: a crisis rate a
	 * step can bear, elections a step can hold (an interval of 1e-300
	 * would hang the run), forces within the ceiling. */
	err_case(dir, i++, "  { at = 3.0;\n    path = \"challenger.crisis_rate\";\n    value = 1e9; }",
		 "%s:11: error: schedule.[0].value: must be at most 100 crises a step (400 a year at "
		 "this step size), got 1e+09\n");
	err_case(dir, i++, "  { at = 3.0;\n    path = \"guarantors.[A].election_interval\";\n"
		 "    value = 1e-300; }",
		 "%s:11: error: schedule.[0].value: must be 0 (no elections) or at least 0.0025 years "
		 "(100 elections a step at most), got 1e-300\n");
	err_case(dir, i++, "  { path = \"target.troops\";\n    value = 1.0; }",
		 "%s:9: error: schedule.[0].at: required (every change has at, path and value)\n");
	err_case(dir, i++, "  { at = 3.0;\n    path = \"target.troops\"; }",
		 "%s:9: error: schedule.[0].value: required (every change has at, path and value)\n");
	err_case(dir, i++, "  { at = 3.0;\n    value = 1.0; }",
		 "%s:9: error: schedule.[0].path: required key is missing\n");
	err_case(dir, i++, "  { at = 3.0;\n    path = 3;\n    value = 1.0; }",
		 "%s:10: error: schedule.[0].path: must be a string, got a number\n");
	err_case(dir, i++, "  { at = 3.0;\n    path = \"target.troops\";\n    value = 1.0;\n"
		 "    when = 2.0; }",
		 "%s:12: error: schedule.[0].when: unknown key\n");
	/* A change that breaks a rule of the config names the value. */
	err_case(dir, i++, "  { at = 3.0;\n    path = \"target.demobilization_rate\";\n"
		 "    value = 0.5; }",
		 "%s:11: error: schedule.[0].value: demobilization_rate > 0 needs "
		 "target.troop_cap or sustainable_troops\n");
	/* The second entry is numbered [1]. */
	err_case(dir, i++, "  { at = 1.0; path = \"target.troops\"; value = 1.0; },\n"
		 "  { at = 2.0;\n    path = \"guarantors.[A].guarantee.tripwire.automaticity\";\n"
		 "    value = 2.0; }",
		 "%s:12: error: schedule.[1].value: must be in [0, 1] for "
		 "guarantors.[A].guarantee.tripwire.automaticity, got 2\n");
	check_finish();
}

static int errors_setup(void **state)
{
	failures = 0;
	return tmp_setup(state);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_closed_forms, check_setup),
		cmocka_unit_test_setup(test_learning_law, check_setup),
		cmocka_unit_test_setup(test_random_utility, check_setup),
		cmocka_unit_test_setup(test_step_size, check_setup),
		cmocka_unit_test_setup(test_crisis_decay, check_setup),
		cmocka_unit_test_setup(test_monotone, check_setup),
		cmocka_unit_test_setup(test_probe_belief, check_setup),
		cmocka_unit_test_setup(test_schedule_curve, check_setup),
		cmocka_unit_test_setup_teardown(test_schedule_errors, errors_setup, tmp_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
