/* test_stats.c - end to end through the library API: scenarios whose
 * every figure has an exact value, computed here from the spec's formulas
 * (docs/model.md) independently of models/: the
 * contest, the honour probability, the expected utility over coalitions,
 * the hazard and the state's closed forms are all written out again
 * below. Simulated figures must lie within 4 standard errors of the exact
 * values (SE from the binomial variance at the exact proportion, or from
 * the exact variance of the attack time); a correct engine fails one such
 * check with probability about 6e-5, and the seeds are fixed.
 *
 * Scenarios (tests/configs/stats_*.cfg):
 *   none        0 guarantors, constant state, n rounded half up
 *   one         1 guarantor, constant state
 *   three       3 guarantors, every mechanism but arms and monitoring
 *   perception  monitoring with perception_sd 0: fixed biases, clamped
 *   sd0         resolve_sd 0: honour all or nothing (reference kernel only)
 *   dynamic     growth, relaxation, arms, erosion (1, 12 and 52 steps/year)
 *   elections   random election shocks (quadrature over the jumps)
 *   uncertain   an interest drawn per trial; a per-trial perception error
 * and the step-size test: dynamic with elections at 12 vs 52 steps/year.
 * Each scenario runs through the kernel the model picks (the batch kernel
 * whenever it applies) and through the reference kernel (GSIM_REFERENCE=1),
 * and the two must also agree trial by trial but for a vanishing share. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/cfg.h"
#include "engine/engine.h"
#include "engine/scenario.h"
#include "engine/summary.h"
#include "modelutil.h"

#define NSE 4.0
#define THREADS 2
#define MAXG 3
#define MAXN 1000

static int failures, verbose;

/* For power checks only: 1 leaves out the clamp of Hhat at 1, 2 at 0. */
static int unclamped;

/* Checks OBS against EXP within NSE standard errors SE (SE = 0: equal to
 * 1e-12); prints "observed X vs expected Y (Z SE)" on failure, or always
 * when GSIM_TEST_VERBOSE is set. */
static void check(const char *scen, const char *what, double obs, double exp_, double se)
{
	double d = fabs(obs - exp_), z = se > 0 ? d / se : (d > 1e-12 ? INFINITY : 0);
	int ok = isfinite(obs) && (se > 0 ? d <= NSE * se : d <= 1e-12);

	if (!ok || verbose)
		print_message("%s%s: %s: observed %.8g vs expected %.8g (%.2f SE)\n",
			      ok ? "" : "FAIL ", scen, what, obs, exp_, z);
	failures += !ok;
}

/* A check of the test's power: X and Y, which the test must tell apart,
 * are at least 8 standard errors SE apart. WHAT is the printf format FMT
 * with the arguments that follow; prints "WHAT (Z SE apart; need 8)" on
 * failure, or always when GSIM_TEST_VERBOSE is set. */
static void check_apart(double x, double y, double se, const char *fmt, ...)
{
	char what[256];
	va_list ap;
	int bad = fabs(x - y) < 8 * se;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (verbose || bad)
		print_message("%s%s (%.1f SE apart; need 8)\n", bad ? "FAIL " : "", what,
			      fabs(x - y) / se);
	failures += bad;
}

static int setup(void **state)
{
	(void)state;
	failures = 0;
	verbose = getenv("GSIM_TEST_VERBOSE") != NULL;
	return 0;
}

/* ---------------------------------------------------------------- */
/* The spec's model, written out again. */

struct gpar {
	double forces, quality, interest, resolve_sd, icost, ecost, erosion;
	double strength, vote;			/* vote: 0 without ratification */
	double trip, automaticity;		/* trip: 0 without a tripwire */
	double sanctions;
	int arms;
	double arms_rate, arms_dep;
	double bias;				/* perception error b_g */
};

struct mpar {
	double C0, cq, r, K, stake, war, gamma, mh, temp;
	double T0, cap, sust, m, tq;		/* cap, sust: INFINITY if absent */
	double horizon;
	long spy;
	int ng;
	struct gpar g[MAXG];
};

/* Unconditional probabilities (and moments) of a run; linear in the
 * law of the trial, so that mixtures over uncertain values are sums. */
struct exact {
	long n;
	double dt;
	double att, hon, ab, win, et, et2, inter[MAXG];
	double surv[MAXN + 1];			/* no attack by the end of step k-1 */
};

static double Phi(double z)
{
	return 0.5 * erfc(-z / sqrt(2.0));
}

/* Tullock: E^g / (E^g + X^g), with 0/0 = 1/2. */
static double tullock(double E, double X, double gamma)
{
	if (E == 0 && X == 0)
		return 0.5;
	if (X == 0)
		return 1;
	if (E == 0)
		return 0;
	return 1 / (1 + pow(X / E, gamma));
}

static long steps_of(const struct mpar *p)
{
	return (long)floor(p->horizon * (double)p->spy + 0.5);
}

/* The exact law of one trial: SHIFT[k * ng + g] (NULL: none) is the
 * resolve moved by elections before step k. */
static void exact_run(const struct mpar *p, const double *shift, struct exact *e)
{
	long n = steps_of(p), k;
	double dt = 1.0 / (double)p->spy, S = 1;
	double T0 = fmin(p->T0, p->cap), L = fmin(p->cap, isinf(p->sust) ? p->cap : p->sust);
	int ng = p->ng, g;
	unsigned s;

	assert_true(n <= MAXN);
	memset(e, 0, sizeof(*e));
	e->n = n;
	e->dt = dt;
	e->surv[0] = 1;
	for (k = 0; k < n; k++) {
		double t = (double)k * dt, C, T, A = 0, D, E, EU = 0, win = 0, lam, pk, pa;
		double H[MAXG], Hh[MAXG], G[MAXG], hon = ng > 0, ab = 1;

		C = p->r > 0 ? p->K / (1 + (p->K / p->C0 - 1) * exp(-p->r * t)) : p->C0;
		T = p->m > 0 ? L + (T0 - L) * exp(-p->m * t) : T0;
		for (g = 0; g < ng; g++) {
			const struct gpar *q = &p->g[g];
			double mu, num, h;

			if (q->arms)
				A += q->arms_dep > 0 ? q->arms_rate / q->arms_dep * (1 - exp(-q->arms_dep * t))
						     : q->arms_rate * t;
			mu = q->interest - q->erosion * t + (shift ? shift[k * ng + g] : 0);
			num = mu - q->icost + q->strength * (1 + q->vote);
			h = q->resolve_sd > 0 ? Phi(num / q->resolve_sd) : (num > 0 ? 1 : 0);
			H[g] = q->trip > 0 ? 1 - (1 - h) * (1 - q->automaticity) : h;
			Hh[g] = H[g] + q->bias;
			Hh[g] = unclamped == 1 ? fmax(0, Hh[g]) : unclamped == 2 ? fmin(1, Hh[g])
									 : fmin(1, fmax(0, Hh[g]));
			G[g] = (q->forces + q->trip) * q->quality;
			hon *= H[g];
			ab *= 1 - H[g];
		}
		D = T * p->tq + A;
		E = C * p->cq;
		for (s = 0; s < 1u << ng; s++) {
			double ph = 1, pt = 1, X = D, esc = 0, w;

			for (g = 0; g < ng; g++) {
				if (s >> g & 1) {
					ph *= Hh[g];
					pt *= H[g];
					X += G[g];
					esc += p->g[g].ecost;
				} else {
					ph *= 1 - Hh[g];
					pt *= 1 - H[g];
				}
			}
			w = tullock(E, X, p->gamma);
			EU += ph * (w * p->stake - p->war - esc);
			win += pt * w;
		}
		for (g = 0; g < ng; g++)
			EU -= p->g[g].sanctions;
		lam = p->mh / (1 + exp(-EU / p->temp));
		pk = 1 - exp(-lam * dt);
		pa = S * pk;
		e->att += pa;
		e->hon += pa * hon;
		e->ab += pa * ab;
		e->win += pa * win;
		e->et += pa * t;
		e->et2 += pa * t * t;
		for (g = 0; g < ng; g++)
			e->inter[g] += pa * H[g];
		S *= 1 - pk;
		e->surv[k + 1] = S;
	}
}

/* ACC += W * E. */
static void exact_add(struct exact *acc, const struct exact *e, double w)
{
	long k;
	int g;

	acc->n = e->n;
	acc->dt = e->dt;
	acc->att += w * e->att;
	acc->hon += w * e->hon;
	acc->ab += w * e->ab;
	acc->win += w * e->win;
	acc->et += w * e->et;
	acc->et2 += w * e->et2;
	for (g = 0; g < MAXG; g++)
		acc->inter[g] += w * e->inter[g];
	for (k = 0; k <= e->n; k++)
		acc->surv[k] += w * e->surv[k];
}

/* Nodes and weights of Simpson's rule for the expectation of a function
 * of Normal(0, 1), on [-8, 8] with NQ intervals (NQ even). */
#define NQ 400
static void normal_nodes(double *z, double *w)
{
	double h = 16.0 / NQ, sum = 0;
	int j;

	for (j = 0; j <= NQ; j++) {
		z[j] = -8 + h * j;
		w[j] = (j == 0 || j == NQ ? 1 : j % 2 ? 4 : 2) * h / 3 *
		       exp(-z[j] * z[j] / 2) / sqrt(2 * M_PI);
		sum += w[j];
	}
	assert_true(fabs(sum - 1) < 1e-10);
}

/* ---------------------------------------------------------------- */
/* Running a scenario through the library */

/* A finished run: its sums and figures, with the counters and figures
 * the checks read found by name in the model's layout. */
struct run {
	struct tally t;
	struct figure fig[64];
	long n_steps, spy;
	double dt;
	size_t attacked, curve, intervened, cell;	/* counter indices */
	int cond;		/* the conditional estimator's real sums */
	int p_deterred, p_honored, p_partial, p_abandoned, p_wins, p_wins_given, mean_year;
};

/* Figure KEY of R. */
#define FIG(r, key) ((r)->fig[(r)->key])

/* Runs the scenario at PATH with the NSETS overrides SETS and estimator
 * EST on THREADS threads into R, through the reference kernel when
 * REFERENCE, else through whichever kernel the model picks (the batch
 * kernel whenever it applies; docs/model.md). */
static void run_sim(const char *path, char **sets0, int nsets, const char *est, struct run *r,
		    int reference)
{
	struct cfg cfg;
	struct scenario sc;
	char set[64], *sets[16];
	unsigned char *frac;

	memset(r, 0, sizeof(*r));
	assert_true(nsets < 16);
	if (nsets)
		memcpy(sets, sets0, sizeof(*sets) * (size_t)nsets);
	snprintf(set, sizeof(set), "scenario.estimator=%s", est);
	sets[nsets++] = set;
	if (reference)
		setenv("GSIM_REFERENCE", "1", 1);
	else
		unsetenv("GSIM_REFERENCE");
	if (scenario_open(&sc, &cfg, path, sets, nsets, NULL, NULL) < 0) {
		cfg_release(&cfg);
		fail_msg("%s: cannot load the scenario", path);
	}
	unsetenv("GSIM_REFERENCE");
	assert_int_equal(engine_tally(&r->t, &sc), 0);
	assert_int_equal(run_trials(&sc, 0, sc.trials, THREADS, &r->t), 0);
	assert_true(summary_count(sc.layout) <= 64);
	summary_compute(sc.layout, &r->t, sc.dt, r->fig);
	/* The tally outlives the scenario, so it keeps its fraction bits. */
	frac = malloc(r->t.n);
	assert_non_null(frac);
	memcpy(frac, sc.frac, r->t.n);
	r->t.frac = frac;
	r->cond = sc.estimator == MODEL_CONDITIONAL;
	r->attacked = counter_of(&sc, "attacked");
	r->curve = counter_of(&sc, "attacks_in_step");
	r->intervened = sc.layout->nactors ? counter_of(&sc, "intervened_1") : 0;
	r->cell = counter_of(&sc, "honored_defended");
	r->p_deterred = fig_of(&sc, "p_deterred");
	r->p_honored = fig_of(&sc, "p_honored_given_attack");
	r->p_partial = fig_of(&sc, "p_partial_given_attack");
	r->p_abandoned = fig_of(&sc, "p_abandoned_given_attack");
	r->p_wins = fig_of(&sc, "p_challenger_wins");
	r->p_wins_given = fig_of(&sc, "p_challenger_wins_given_attack");
	r->mean_year = fig_of(&sc, "mean_attack_year");
	r->n_steps = sc.n_steps;
	r->spy = sc.steps_per_year;
	r->dt = sc.dt;
	assert_int_equal(r->t.trials, sc.trials);
	scenario_release(&sc);
	cfg_release(&cfg);
}

/* Binomial SE of a proportion P over N. */
static double bse(double p, double n)
{
	return sqrt(p * (1 - p) / n);
}

/* The standard error to hold figure F of R to: the binomial one BINOM
 * under the indicator estimator; the figure's own (its interval's
 * half-width over z) under the conditional one, at least 2.5e-10 (4 SE:
 * 1e-9, the kernels' rounding). */
static double fig_se(const struct run *r, int f, double binom)
{
	const struct figure *x = &r->fig[f];

	if (!r->cond)
		return binom;
	return fmax((x->hi - x->lo) / (2 * 1.959963984540054), 2.5e-10);
}

/* Every figure of R against the exact law E. Under the conditional
 * estimator a scenario whose p_deterred has no width left (every state
 * fixed) must match E exactly (to 1e-9) in its curve and counts too; else
 * they are held to the binomial SE, which bounds theirs. */
static void compare(const char *name, const struct run *r, const struct exact *e, int ng)
{
	const struct tally *t = &r->t;
	double N = (double)t->trials, m = (double)tally_get(t, r->attacked);
	double pd = e->surv[e->n], p, mean, var, cum = 0;
	int exact = r->cond && fig_se(r, r->p_deterred, 0) <= 2.5e-10;
	char what[96];
	long k;
	int g;

	if (r->n_steps != e->n) {
		print_message("FAIL %s: observed %ld steps vs expected %ld\n", name, r->n_steps, e->n);
		failures++;
		return;
	}
	check(name, "p_deterred", FIG(r, p_deterred).value, pd,
	      fig_se(r, r->p_deterred, bse(pd, N)));
	check(name, "p_deterred from the counts", (N - m) / N, pd,
	      exact ? 2.5e-10 : bse(pd, N));
	for (k = 0; k < e->n; k++) {
		cum += (double)tally_get(t, r->curve + (size_t)k);
		if ((k + 1) % r->spy == 0 || k + 1 == e->n) {
			p = e->surv[k + 1];
			snprintf(what, sizeof(what), "survival at t = %g", (double)(k + 1) * r->dt);
			check(name, what, 1 - cum / N, p, exact ? 2.5e-10 : bse(p, N));
		}
	}
	if (m == 0) {
		print_message("FAIL %s: no trial attacked\n", name);
		failures++;
		return;
	}
	p = ng > 0 ? e->hon / e->att : 0;
	check(name, "p_honored_given_attack", FIG(r, p_honored).value, p,
	      fig_se(r, r->p_honored, bse(p, m)));
	p = e->ab / e->att;
	check(name, "p_abandoned_given_attack", FIG(r, p_abandoned).value, p,
	      fig_se(r, r->p_abandoned, bse(p, m)));
	p = 1 - (ng > 0 ? e->hon / e->att : 0) - e->ab / e->att;
	check(name, "p_partial_given_attack", FIG(r, p_partial).value, p,
	      fig_se(r, r->p_partial, bse(fmax(p, 0), m)));
	p = e->win / e->att;
	check(name, "p_challenger_wins_given_attack", FIG(r, p_wins_given).value, p,
	      fig_se(r, r->p_wins_given, bse(p, m)));
	p = e->win;
	check(name, "p_challenger_wins", FIG(r, p_wins).value, p, fig_se(r, r->p_wins, bse(p, N)));
	mean = e->et / e->att;
	var = e->et2 / e->att - mean * mean;
	check(name, "mean_attack_year", FIG(r, mean_year).value, mean,
	      fig_se(r, r->mean_year, sqrt(var / m)));
	for (g = 0; g < ng; g++) {
		p = e->inter[g] / e->att;
		snprintf(what, sizeof(what), "guarantor %d intervenes | attack", g);
		check(name, what, (double)tally_get(t, r->intervened + (size_t)g) / m, p,
		      exact ? 2.5e-10 : bse(p, m));
	}
}

/* The two kernels draw from the same streams and compute the same model,
 * so they give the same outcome in all but a vanishing share of trials
 * (docs/model.md). Under the indicator estimator trials whose outcome
 * differs are counted from below by half the summed absolute differences
 * of the per-step and per-cell counts; allowed: 1 in 100,000. Under the
 * conditional one the same sums differ by rounding only: allowed 1e-8 a
 * trial. */
static void check_kernels(const char *name, const struct run *a, const struct run *b)
{
	const struct tally *x = &a->t, *y = &b->t;
	double dstep = 0, dcell = 0, allowed = (double)x->trials * (a->cond ? 1e-8 : 1e-5);
	long k;
	int i, j;

	for (k = 0; k < a->n_steps; k++)
		dstep += fabs((double)tally_get(x, a->curve + (size_t)k) -
			      (double)tally_get(y, b->curve + (size_t)k));
	for (i = 0; i < 3; i++)
		for (j = 0; j < 2; j++)
			dcell += fabs((double)tally_get(x, a->cell + 2 * (size_t)i + (size_t)j) -
				      (double)tally_get(y, b->cell + 2 * (size_t)i + (size_t)j));
	dstep = fmax(dstep, fabs((double)tally_get(x, a->attacked) -
				 (double)tally_get(y, b->attacked)) * 2) / 2;
	dcell /= 2;
	if (dstep > allowed || dcell > allowed || verbose)
		print_message("%s%s: batch vs reference kernel: observed %.3g trials attacked at "
			      "another step and %.3g with another outcome vs expected <= %.3g\n",
			      dstep > allowed || dcell > allowed ? "FAIL " : "", name, dstep,
			      dcell, allowed);
	failures += dstep > allowed || dcell > allowed;
}

/* Runs a scenario under both estimators through both kernels, compares
 * each run with the exact law E and the kernels with each other. */
static void both(const char *name, const char *path, char **sets, int nsets,
		 const struct exact *e, int ng)
{
	static const char *const est[] = { "indicator", "conditional" };
	struct run a, b;
	char what[128];
	int i;

	for (i = 0; i < 2; i++) {
		run_sim(path, sets, nsets, est[i], &a, 0);
		snprintf(what, sizeof(what), "%s [%s, default kernel]", name, est[i]);
		compare(what, &a, e, ng);
		run_sim(path, sets, nsets, est[i], &b, 1);
		snprintf(what, sizeof(what), "%s [%s, reference kernel]", name, est[i]);
		compare(what, &b, e, ng);
		snprintf(what, sizeof(what), "%s [%s]", name, est[i]);
		check_kernels(what, &a, &b);
		free((void *)a.t.frac);
		free((void *)b.t.frac);
		tally_release(&a.t);
		tally_release(&b.t);
	}
}

/* The exact law E of P, a scenario with a constant state: the closed
 * forms of a constant hazard LAMBDA (read off step 0) must equal the
 * step-by-step law, or the scenario is not constant and the test is wrong.
 * Survival exp(-lambda n dt); attack at step k with probability
 * (1 - q) q^k, q = exp(-lambda dt), at t_k. */
static void exact_constant(const char *name, const struct mpar *p, struct exact *e)
{
	double dt, lam, q, mean = 0;
	long k, n = steps_of(p);

	exact_run(p, NULL, e);
	dt = 1.0 / (double)p->spy;
	lam = -log(e->surv[1]) / dt;
	q = exp(-lam * dt);
	for (k = 0; k < n; k++)
		mean += (1 - q) * pow(q, (double)k) * (double)k * dt;
	mean /= 1 - pow(q, (double)n);
	if (fabs(e->surv[n] - exp(-lam * (double)n * dt)) > 1e-12 ||
	    fabs(e->et / e->att - mean) > 1e-10) {
		print_message("FAIL %s: not a constant hazard: survival %.15g vs exp(-lambda T) %.15g, "
			      "mean year %.15g vs %.15g\n", name, e->surv[n],
			      exp(-lam * (double)n * dt), e->et / e->att, mean);
		failures++;
	}
	if (verbose)
		print_message("%s: lambda %.6g per year, %ld steps, p_deterred %.6f\n", name, lam, n,
			      e->surv[n]);
	if (!(e->surv[n] > 0.2 && e->surv[n] < 0.8)) {
		print_message("FAIL %s: exact p_deterred %.4f is not in (0.2, 0.8)\n", name, e->surv[n]);
		failures++;
	}
}

/* ---------------------------------------------------------------- */
/* Scenario parameters, as in tests/configs (defaults of the spec filled). */

static struct gpar gdef(void)
{
	struct gpar g;

	memset(&g, 0, sizeof(g));
	g.quality = 1;
	g.resolve_sd = 0.3;
	return g;
}

static struct mpar mdef(void)
{
	struct mpar p;

	memset(&p, 0, sizeof(p));
	p.cq = p.stake = p.gamma = p.tq = 1;
	p.cap = p.sust = INFINITY;
	p.spy = 12;
	return p;
}

/* Challenger and target shared by most scenarios. */
static struct mpar base_ct(void)
{
	struct mpar p = mdef();

	p.C0 = 5e5; p.cq = 1.2; p.war = 0.3; p.gamma = 1.5; p.mh = 0.4; p.temp = 0.15;
	p.T0 = 4e5; p.cap = 4e5; p.tq = 1.1;
	return p;
}

static struct gpar alpha(double resolve_sd)
{
	struct gpar g = gdef();

	g.forces = 1e5; g.quality = 2; g.interest = 0.2; g.resolve_sd = resolve_sd;
	g.icost = 0.6; g.ecost = 0.25; g.strength = 0.3; g.vote = 0.67; g.sanctions = 0.05;
	return g;
}

static void test_none(void **state)
{
	struct mpar p = mdef();
	struct exact e;

	(void)state;
	p.C0 = 6e5; p.war = 0.6; p.mh = 0.3; p.temp = 0.1; p.T0 = 5e5;
	p.horizon = 6.125; p.spy = 4; p.ng = 0;
	exact_constant("none", &p, &e);
	assert_int_equal(e.n, 25);	/* 24.5 steps, rounded half up */
	both("none", "tests/configs/stats_none.cfg", NULL, 0, &e, 0);
	assert_int_equal(failures, 0);
}

static void test_one(void **state)
{
	struct mpar p = base_ct();
	struct exact e;

	(void)state;
	p.horizon = 5; p.spy = 12; p.ng = 1;
	p.g[0] = alpha(0.2);
	exact_constant("one", &p, &e);
	both("one", "tests/configs/stats_one.cfg", NULL, 0, &e, 1);
	assert_int_equal(failures, 0);
}

static void test_three(void **state)
{
	struct mpar p = base_ct();
	struct gpar *g = p.g;
	struct exact e;

	(void)state;
	p.war = 0.35; p.T0 = 4.5e5; p.sust = 4e5; p.m = 0.2;
	p.horizon = 4; p.spy = 52; p.ng = 3;
	g[0] = alpha(0.3);
	g[1] = gdef();
	g[1].forces = 25000; g[1].quality = 1.3; g[1].interest = 0.25;
	g[1].icost = 0.6; g[1].ecost = 0.1; g[1].strength = 0.4;
	g[1].trip = 1e4; g[1].automaticity = 0.4; g[1].sanctions = 0.03;
	g[2] = gdef();
	g[2].forces = 30000; g[2].interest = 0.1; g[2].resolve_sd = 0.5; g[2].icost = 0.8;
	g[2].strength = 0.2; g[2].vote = 0.5; g[2].trip = 5000; g[2].automaticity = 0.2;
	exact_constant("three", &p, &e);
	both("three", "tests/configs/stats_three.cfg", NULL, 0, &e, 3);
	assert_int_equal(failures, 0);
}

static struct mpar perception_par(void)
{
	struct mpar p = base_ct();
	struct gpar *g = p.g;

	p.horizon = 5; p.spy = 12; p.ng = 3;
	g[0] = gdef();
	g[0].forces = 5e4; g[0].interest = 0.3; g[0].icost = 0.5; g[0].ecost = 0.2;
	g[0].strength = 0.25; g[0].bias = 0.1;
	g[1] = gdef();
	g[1].forces = 4e4; g[1].quality = 1.5; g[1].interest = 0.3; g[1].resolve_sd = 0.2;
	g[1].icost = 0.3; g[1].ecost = 0.15; g[1].strength = 0.3;
	g[1].trip = 5000; g[1].automaticity = 0.5; g[1].bias = 0.3;
	g[2] = gdef();
	g[2].forces = 6e4; g[2].interest = 0; g[2].icost = 0.6; g[2].ecost = 0.3;
	g[2].strength = 0.3; g[2].sanctions = 0.02; g[2].bias = -0.4;
	return p;
}

static void test_perception(void **state)
{
	struct mpar p = perception_par(), q;
	struct exact e, e0;
	int g;

	(void)state;
	exact_constant("perception", &p, &e);
	/* The biases must matter, or this test would not see them ignored. */
	q = p;
	for (g = 0; g < 3; g++)
		q.g[g].bias = 0;
	exact_run(&q, NULL, &e0);
	if (fabs(e0.surv[e0.n] - e.surv[e.n]) < 0.02) {
		print_message("FAIL perception: biases move p_deterred by only %.4f\n",
			      e0.surv[e0.n] - e.surv[e.n]);
		failures++;
	}
	/* So must each clamp: without it p_deterred moves by many SE. */
	for (unclamped = 1; unclamped <= 2; unclamped++) {
		double se = bse(e.surv[e.n], 200000);

		exact_run(&p, NULL, &e0);
		check_apart(e0.surv[e0.n], e.surv[e.n], se,
			    "perception: without the clamp at %d, p_deterred %.6f vs %.6f",
			    unclamped == 1, e0.surv[e0.n], e.surv[e.n]);
	}
	unclamped = 0;
	both("perception", "tests/configs/stats_perception.cfg", NULL, 0, &e, 3);
	assert_int_equal(failures, 0);
}

/* resolve_sd 0: H = 1 for Firm, H = automaticity for Loose. */
static void test_sd0(void **state)
{
	struct mpar p = base_ct();
	struct gpar *g = p.g;
	struct exact e;

	(void)state;
	p.horizon = 5; p.spy = 12; p.ng = 2;
	g[0] = gdef();
	g[0].forces = 6e4; g[0].interest = 0.3; g[0].resolve_sd = 0; g[0].icost = 0.5;
	g[0].ecost = 0.2; g[0].strength = 0.3; g[0].bias = -0.3;
	g[1] = gdef();
	g[1].forces = 4e4; g[1].interest = 0.1; g[1].resolve_sd = 0; g[1].icost = 0.6;
	g[1].ecost = 0.1; g[1].strength = 0.3; g[1].vote = 0.5;
	g[1].trip = 8000; g[1].automaticity = 0.35; g[1].sanctions = 0.04;
	exact_constant("resolve_sd 0", &p, &e);
	if (fabs(e.hon / e.att - 0.35) > 1e-12 || e.ab != 0) {
		print_message("FAIL resolve_sd 0: the scenario is not all-or-nothing\n");
		failures++;
	}
	both("resolve_sd 0", "tests/configs/stats_sd0.cfg", NULL, 0, &e, 2);
	assert_int_equal(failures, 0);
}

static struct mpar dynamic_par(long spy)
{
	struct mpar p = mdef();
	struct gpar *g = p.g;

	p.C0 = 6e5; p.r = 0.15; p.K = 9e5; p.war = 0.3; p.gamma = 1.5; p.mh = 0.5; p.temp = 0.1;
	p.T0 = 8.8e5; p.cap = 8e5; p.sust = 5e5; p.m = 0.3; p.tq = 1.1;
	p.horizon = 6; p.spy = spy; p.ng = 2;
	g[0] = gdef();
	g[0].forces = 8e4; g[0].quality = 2; g[0].interest = 0.3; g[0].icost = 0.6;
	g[0].ecost = 0.2; g[0].erosion = 0.04; g[0].strength = 0.35; g[0].vote = 0.6;
	g[0].arms = 1; g[0].arms_rate = 2e4; g[0].arms_dep = 0.25;
	g[1] = gdef();
	g[1].forces = 3e4; g[1].quality = 1.3; g[1].interest = 0.25; g[1].icost = 0.55;
	g[1].ecost = 0.1; g[1].erosion = 0.02; g[1].strength = 0.3;
	g[1].trip = 1e4; g[1].automaticity = 0.3; g[1].sanctions = 0.03;
	g[1].arms = 1; g[1].arms_rate = 1e4; g[1].arms_dep = 0;
	return p;
}

static void test_dynamic(void **state)
{
	static char *sets52[] = { "scenario.steps_per_year=52" };
	static char *sets1[] = { "scenario.steps_per_year=1", "scenario.trials=200000" };
	struct mpar p = dynamic_par(12);
	struct exact e;

	(void)state;
	exact_run(&p, NULL, &e);
	both("dynamic, 12 steps/year", "tests/configs/stats_dynamic.cfg", NULL, 0, &e, 2);

	/* Yearly steps: a state read one step early or late is a year off. */
	p = dynamic_par(1);
	exact_run(&p, NULL, &e);
	both("dynamic, 1 step/year", "tests/configs/stats_dynamic.cfg", sets1, 2, &e, 2);

	p = dynamic_par(52);
	exact_run(&p, NULL, &e);
	both("dynamic, 52 steps/year", "tests/configs/stats_dynamic.cfg", sets52, 1, &e, 2);
	assert_int_equal(failures, 0);
}

/* Elections at 0 (never), 1.5 and 3.0 (ending steps 2 and 5 of 8): the
 * resolve moves by x1 from step 3 and by x1 + x2 from step 6, each x_i
 * being 0 with probability 0.3 and Normal(0, 0.3) otherwise. */
static void test_elections(void **state)
{
	struct mpar p = base_ct();
	static double z[NQ + 1], wz[NQ + 1], x[NQ + 2], wx[NQ + 2];
	const double turnover = 0.7, sd = 0.6 * (1 - 0.5);
	double shift[8];
	struct exact e, e1, late;
	int i, j, k;

	(void)state;
	p.mh = 0.5; p.temp = 0.1; p.horizon = 4; p.spy = 2; p.ng = 1;
	p.g[0] = gdef();
	p.g[0].forces = 1e5; p.g[0].quality = 2; p.g[0].interest = 0.2; p.g[0].resolve_sd = 0.2;
	p.g[0].icost = 0.6; p.g[0].ecost = 0.4; p.g[0].strength = 0.3; p.g[0].vote = 0.5;
	normal_nodes(z, wz);
	x[0] = 0;
	wx[0] = 1 - turnover;
	for (j = 0; j <= NQ; j++) {
		x[j + 1] = sd * z[j];
		wx[j + 1] = turnover * wz[j];
	}
	memset(&e, 0, sizeof(e));
	memset(&late, 0, sizeof(late));
	for (i = 0; i < NQ + 2; i++)
		for (j = 0; j < NQ + 2; j++) {
			for (k = 0; k < 8; k++)
				shift[k] = k < 3 ? 0 : k < 6 ? x[i] : x[i] + x[j];
			exact_run(&p, shift, &e1);
			exact_add(&e, &e1, wx[i] * wx[j]);
			/* The same jumps one step late, to show the test sees it. */
			for (k = 0; k < 8; k++)
				shift[k] = k < 4 ? 0 : k < 7 ? x[i] : x[i] + x[j];
			exact_run(&p, shift, &e1);
			exact_add(&late, &e1, wx[i] * wx[j]);
		}
	/* Power: jumps one step late move P(honored | attack) by many SE at
	 * the configured 1,000,000 trials (about 600,000 attacks). */
	{
		double h = e.hon / e.att, hl = late.hon / late.att, se = bse(h, 1e6 * e.att);

		check_apart(hl, h, se, "elections: exact P(honored | attack) %.6f, jumps one "
			    "step late %.6f", h, hl);
	}
	both("elections", "tests/configs/stats_elections.cfg", NULL, 0, &e, 1);
	assert_int_equal(failures, 0);
}

static void test_uncertain(void **state)
{
	static char *sets[] = {
		"guarantors.[0].interest=0.2",
		"guarantors.[0].guarantee.monitoring={ perception_bias = -0.05; perception_sd = 0.15; }",
	};
	static double z[NQ + 1], wz[NQ + 1];
	struct mpar p = base_ct();
	struct exact e, e1;
	const double lo = -0.2, hi = 0.6, h = (hi - lo) / NQ;
	int j;

	(void)state;
	p.mh = 0.5; p.temp = 0.1; p.horizon = 5; p.spy = 12; p.ng = 1;
	p.g[0] = gdef();
	p.g[0].forces = 1e5; p.g[0].quality = 2; p.g[0].resolve_sd = 0.2;
	p.g[0].icost = 0.5; p.g[0].ecost = 0.3; p.g[0].strength = 0.3;

	/* Interest ~ uniform(-0.2, 0.6), drawn once per trial: Simpson. */
	memset(&e, 0, sizeof(e));
	for (j = 0; j <= NQ; j++) {
		p.g[0].interest = lo + h * j;
		exact_run(&p, NULL, &e1);
		exact_add(&e, &e1, (j == 0 || j == NQ ? 1 : j % 2 ? 4 : 2) / (3.0 * NQ));
	}
	both("uncertain interest", "tests/configs/stats_uncertain.cfg", NULL, 0, &e, 1);

	/* Interest 0.2; perception error b ~ Normal(-0.05, 0.15) per trial,
	 * so that Hhat = clamp(H + b, 0, 1). */
	p.g[0].interest = 0.2;
	normal_nodes(z, wz);
	memset(&e, 0, sizeof(e));
	for (j = 0; j <= NQ; j++) {
		p.g[0].bias = -0.05 + 0.15 * z[j];
		exact_run(&p, NULL, &e1);
		exact_add(&e, &e1, wz[j]);
	}
	both("perception error", "tests/configs/stats_uncertain.cfg", sets, 2, &e, 1);
	assert_int_equal(failures, 0);
}

/* The dynamic scenario with elections, at 12 and 52 steps a year: the
 * spec's updates are exact, so only the hazard's piecewise-constant
 * sampling differs, an O(dt) effect well below the tolerance here. */
static void test_step_size(void **state)
{
	static char *sets[] = {
		"scenario.trials=40000",
		"guarantors.[0].election_interval=1.5",
		"guarantors.[0].next_election=0.4",
		"guarantors.[0].turnover_prob=0.6",
		"guarantors.[0].election_shock=0.3",
		"guarantors.[1].election_interval=2.0",
		"guarantors.[1].next_election=1.0",
		"guarantors.[1].turnover_prob=0.5",
		"guarantors.[1].election_shock=0.25",
		"scenario.steps_per_year=52",
	};
	struct run a, b;
	double pa, pb, se;
	int f, figs[2];

	(void)state;
	run_sim("tests/configs/stats_dynamic.cfg", sets, 9, "indicator", &a, 0);
	run_sim("tests/configs/stats_dynamic.cfg", sets, 10, "indicator", &b, 0);
	assert_int_equal(a.n_steps, 72);
	assert_int_equal(b.n_steps, 312);
	figs[0] = a.p_deterred;
	figs[1] = a.p_wins;
	for (f = 0; f < 2; f++) {
		pa = a.fig[figs[f]].value;
		pb = b.fig[figs[f]].value;
		se = sqrt(pa * (1 - pa) / (double)a.t.trials + pb * (1 - pb) / (double)b.t.trials);
		check("step size, 52 vs 12 steps/year", f ? "p_challenger_wins" : "p_deterred", pb, pa,
		      se);
	}
	free((void *)a.t.frac);
	free((void *)b.t.frac);
	tally_release(&a.t);
	tally_release(&b.t);
	assert_int_equal(failures, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_none, setup),
		cmocka_unit_test_setup(test_one, setup),
		cmocka_unit_test_setup(test_three, setup),
		cmocka_unit_test_setup(test_perception, setup),
		cmocka_unit_test_setup(test_sd0, setup),
		cmocka_unit_test_setup(test_dynamic, setup),
		cmocka_unit_test_setup(test_elections, setup),
		cmocka_unit_test_setup(test_uncertain, setup),
		cmocka_unit_test_setup(test_step_size, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
