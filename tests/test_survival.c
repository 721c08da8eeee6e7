/* test_survival.c - the back-test's scores for censored times to an
 * event, on inputs worked out by hand (Kaplan-Meier with ties, the
 * censored log-likelihood, Harrell's C with ties and censoring, the
 * IPCW Brier score), the baseline fits against known parameters, and
 * cross-validation that never lets a case's outcome reach its own
 * prediction. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_rng.h>

#include "core/rng.h"
#include "study/calscore.h"
#include "study/casescore.h"
#include "study/survival.h"
#include "testutil.h"

/* Predictions S_i(t) = exp(-h_i t), H[i] given. */
static double expo(const void *ctx, size_t i, double t)
{
	return exp(-((const double *)ctx)[i] * t);
}

#define NEAR(x, want, tol, what)							\
	check(fabs((x) - (want)) <= (tol), "%s: observed %.17g vs expected %.17g", what,	\
	      (double)(x), (double)(want))

/* Events before censorings at a tie; the censoring estimate takes the
 * events at a time out of its risk set. Catches the wrong order at ties
 * and an off-by-one in the risk set. */
static void test_km(void **state)
{
	const struct surv_case c[5] = { { 1, 1 }, { 2, 1 }, { 2, 0 }, { 3, 1 }, { 4, 0 } };
	double t[5], s[5];
	size_t m;

	(void)state;
	m = surv_km(c, 5, 0, t, s);
	assert_int_equal(m, 3);
	/* 4/5; then 1 of 4 at risk at t = 2: 0.6; then 1 of 2: 0.3. */
	NEAR(s[0], 0.8, 1e-15, "S(1)");
	NEAR(s[1], 0.6, 1e-15, "S(2)");
	NEAR(s[2], 0.3, 1e-15, "S(3)");
	NEAR(surv_km_at(t, s, m, 2, 1), 0.8, 1e-15, "S(2-)");
	NEAR(surv_km_at(t, s, m, 2, 0), 0.6, 1e-15, "S(2)");
	NEAR(surv_km_at(t, s, m, 0.5, 0), 1, 0, "S(0.5)");
	NEAR(surv_km_at(t, s, m, 9, 0), 0.3, 1e-15, "S(9)");
	/* Censoring: at t = 2 the event there has left, so 1 censoring of
	 * the 3 left: 2/3; at t = 4 the last case: 0. */
	m = surv_km(c, 5, 1, t, s);
	assert_int_equal(m, 2);
	NEAR(t[0], 2, 0, "G's first time");
	NEAR(s[0], 2.0 / 3, 1e-15, "G(2)");
	NEAR(s[1], 0, 0, "G(4)");
	check_finish();
}

/* An event scores the chance of the interval that ends at it, a censored
 * case its survival; an impossible event costs log(1e-300). */
static void test_loglik(void **state)
{
	const struct surv_case c[2] = { { 1, 1 }, { 2, 0 } };
	const double h[2] = { 0.5, 0.5 }, zero[2] = { 0, 0 };
	struct surv_pred p = { expo, h }, q = { expo, zero };
	double want = log(exp(-0.5 * 0.75) - exp(-0.5)) - 1;

	(void)state;
	NEAR(surv_loglik(c, 2, &p, 0.25), want, 1e-14, "log-likelihood");
	NEAR(surv_loglik_case(c, 1, &p, 0.25), -1, 1e-15, "censored term");
	/* An interval reaching back before 0 starts at S(0) = 1. */
	NEAR(surv_loglik_case(c, 0, &p, 5), log(1 - exp(-0.5)), 1e-15, "event near the start");
	/* No hazard: the event is impossible, the censoring certain. */
	NEAR(surv_loglik(c, 2, &q, 0.25), log(1e-300), 1e-9, "impossible event");
	check_finish();
}

/* Pairs: A(1, event), B(2, event), C(3, censored), D(2, censored); with
 * hazards 3, 1, 2, 1: AB, AC, AD concordant, BC discordant, BD (an event
 * and a censoring at one time) tied in prediction: 3.5 of 5. Catches
 * censored cases taken as events, ties at one time left out, and the
 * risk read at the wrong time. */
static void test_cindex(void **state)
{
	const struct surv_case c[4] = { { 1, 1 }, { 2, 1 }, { 3, 0 }, { 2, 0 } };
	const double h[4] = { 3, 1, 2, 1 }, flat[4] = { 1, 1, 1, 1 }, right[4] = { 4, 3, 1, 2 };
	struct surv_pred p = { expo, h };

	(void)state;
	NEAR(surv_cindex(c, 4, &p), 0.7, 1e-15, "C");
	p.ctx = flat;
	NEAR(surv_cindex(c, 4, &p), 0.5, 1e-15, "C of one prediction for all");
	p.ctx = right;
	NEAR(surv_cindex(c, 4, &p), 1, 1e-15, "C of the right order");
	{
		const struct surv_case none[2] = { { 1, 0 }, { 2, 0 } };

		check(isnan(surv_cindex(none, 2, &p)), "C without a comparable pair should be NaN");
	}
	check_finish();
}

/* Cases (1, event), (2, censored), (3, event), (4, censored); G is 1
 * before 2, 2/3 from 2, 0 from 4. At tau = 2.5 with S = exp(-0.2 t):
 * (s^2 / 1 + 0 + 2 (1 - s)^2 / (2/3)) / 4. Catches an unweighted score,
 * a censored case counted, and G read after instead of before the event. */
static void test_brier(void **state)
{
	const struct surv_case c[4] = { { 1, 1 }, { 2, 0 }, { 3, 1 }, { 4, 0 } };
	const double h[4] = { 0.2, 0.2, 0.2, 0.2 };
	struct surv_pred p = { expo, h };
	double s = exp(-0.5), tau = 2.5;

	(void)state;
	NEAR(surv_brier(c, 4, &p, tau), (s * s + 2 * (1 - s) * (1 - s) * 1.5) / 4, 1e-15,
	     "Brier at 2.5");
	/* At 1.5 only case 1 has had its event; G(1-) = 1, G(1.5) = 1. */
	s = exp(-0.3);
	NEAR(surv_brier(c, 4, &p, 1.5), (s * s + 3 * (1 - s) * (1 - s)) / 4, 1e-15, "Brier at 1.5");
	/* Beyond the last case G is 0: undefined. */
	check(isnan(surv_brier(c, 4, &p, 5)), "Brier where nothing is under observation");
	check_finish();
}

/* N cases drawn from a Weibull with hazard scale LAMBDA and shape K (K 1:
 * exponential with log rate B0 + B1 x, x alternating 0 and 1), censored at
 * CENS years. */
static void draw(struct surv_case *c, double *x, size_t n, double lambda, double k, double b0,
		 double b1, double cens, uint64_t seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	size_t i;

	assert_non_null(r);
	rng_seed(r, seed);
	for (i = 0; i < n; i++) {
		double u = gsl_rng_uniform_pos(r), t;

		x[i] = (double)(i % 2);
		if (b0 == b0 && lambda == 0)
			t = -log(u) / exp(b0 + b1 * x[i]);
		else
			t = pow(-log(u), 1 / k) / lambda;
		c[i].t = t < cens ? t : cens;
		c[i].event = t < cens;
	}
	gsl_rng_free(r);
}

/* The fits recover the parameters of cases drawn from them: a constant
 * hazard (near the closed form events / time at a fine width), a Weibull
 * shape, a regression slope. The tolerances are about 4 standard errors
 * at 4,000 cases. */
static void test_fits(void **state)
{
	enum { N = 4000 };
	struct surv_case *c = malloc(sizeof(*c) * N);
	double *x = malloc(sizeof(double) * N), d = 0, time = 0;
	struct surv_fit f;
	size_t i;

	(void)state;
	assert_non_null(c);
	assert_non_null(x);
	draw(c, x, N, 0.2, 1, NAN, 0, 8, 11);
	for (i = 0; i < N; i++)
		d += c[i].event, time += c[i].t;
	assert_int_equal(surv_fit(SURV_CONSTANT, c, NULL, N, NULL, 0, 1e-6, 0, &f), 0);
	NEAR(exp(f.par[0]), d / time, 1e-4 * d / time, "constant hazard vs events / time");
	NEAR(exp(f.par[0]), 0.2, 4 * 0.2 / sqrt(d), "constant hazard vs the truth");

	draw(c, x, N, 0.2, 1.5, NAN, 0, 8, 12);
	assert_int_equal(surv_fit(SURV_WEIBULL, c, NULL, N, NULL, 0, 1.0 / 12, 0, &f), 0);
	NEAR(exp(f.par[1]), 1.5, 0.1, "Weibull shape");
	NEAR(exp(f.par[0]), 0.2, 0.015, "Weibull scale");

	draw(c, x, N, 0, 1, -2, 1, 8, 13);
	assert_int_equal(surv_fit(SURV_EXPREG, c, NULL, N, x, 1, 1.0 / 12, 0, &f), 0);
	NEAR(f.par[0], -2, 0.15, "regression intercept");
	NEAR(f.par[1], 1, 0.15, "regression slope");
	free(c);
	free(x);
	check_finish();
}

/* Cross-validation scores each case by a fit that never saw it: change a
 * held-out case's outcome and its term is the new outcome's term under
 * the very fit it had before, for leave-one-out and 5 folds. Catches a
 * fold fitted on all cases. */
static void test_cv(void **state)
{
	enum { N = 40 };
	struct surv_case c[N];
	double x[N], out[N], out2[N];
	size_t folds[2] = { N, 5 }, j, i, m, train[N];

	(void)state;
	draw(c, x, N, 0, 1, -1.5, 0.8, 6, 21);
	for (j = 0; j < 2; j++) {
		size_t fo = folds[j], held = 7, fold = held % fo;
		struct surv_fit f;
		struct surv_case swapped[N];
		double want, h[N];
		struct surv_pred p = { expo, h };

		assert_false(isnan(surv_cv(SURV_EXPREG, c, N, x, 1, 1.0 / 12, 0.01, fo, NULL, out, NULL)));
		for (i = 0, m = 0; i < N; i++)
			if (i % fo != fold)
				train[m++] = i;
		assert_int_equal(surv_fit(SURV_EXPREG, c, train, m, x, 1, 1.0 / 12, 0.01, &f), 0);
		for (i = 0; i < N; i++)
			h[i] = exp(f.par[0] + f.par[1] * x[i]);
		for (i = 0; i < N; i++)
			swapped[i] = c[i];
		swapped[held].event = !c[held].event;
		want = surv_loglik_case(swapped, held, &p, 1.0 / 12);
		assert_false(isnan(surv_cv(SURV_EXPREG, swapped, N, x, 1, 1.0 / 12, 0.01, fo, NULL, out2, NULL)));
		NEAR(out2[held], want, 1e-9, fo == N ? "leave-one-out term" : "5-fold term");
		NEAR(out[held], surv_loglik_case(c, held, &p, 1.0 / 12), 1e-9, "held-out term");
	}
	check_finish();
}

/* The bootstrap interval holds the score of the whole sample, and the
 * same seed gives the same interval. */
static void test_bootstrap(void **state)
{
	enum { N = 60 };
	struct surv_case c[N];
	double x[N], h[N], lo, hi, lo2, hi2, w = 1.0 / 12;
	struct surv_pred p = { expo, h };
	size_t i;

	(void)state;
	draw(c, x, N, 0, 1, -1.5, 0.8, 6, 31);
	for (i = 0; i < N; i++)
		h[i] = exp(-1.5 + 0.8 * x[i]);
	assert_int_equal(surv_bootstrap(c, N, &p, surv_score_cindex, NULL, 400, 5, &lo, &hi), 400);
	check(lo <= surv_cindex(c, N, &p) && surv_cindex(c, N, &p) <= hi,
	      "C %.4f outside its bootstrap interval [%.4f, %.4f]", surv_cindex(c, N, &p), lo, hi);
	surv_bootstrap(c, N, &p, surv_score_cindex, NULL, 400, 5, &lo2, &hi2);
	check(lo == lo2 && hi == hi2, "the same seed gave [%g, %g] and [%g, %g]", lo, hi, lo2, hi2);
	assert_true(surv_bootstrap(c, N, &p, surv_score_loglik, &w, 200, 6, &lo, &hi) == 200);
	check(lo < hi && hi < 0, "log-likelihood interval [%g, %g]", lo, hi);
	check_finish();
}

/* A model's curve is read at step ends and linearly between them, up to
 * half a step past its end (a horizon rounded to the grid); baselines
 * without covariates rank all cases alike. Catches an off-by-one step
 * and a curve read past its end. */
static void test_casescore(void **state)
{
	double s1[4] = { 0.9, 0.8, 0.7, 0.6 }, s2[4] = { 0.99, 0.98, 0.97, 0.96 };
	struct case_curve cv[2] = { { 0.5, 4, s1 }, { 0.5, 4, s2 } };
	/* Case 0 attacked at 1.25 years (between steps 1 and 2), case 1
	 * censored at 2.1 (past the curve's end of 2 by less than half a step). */
	struct surv_case c[2] = { { 1.25, 1 }, { 2.1, 0 } };
	struct case_scores out;
	double w = CASESCORE_WIDTH, want;

	(void)state;
	want = log((0.8 + (0.7 - 0.8) * (1.25 - w - 1.0) / 0.5) - (0.8 + (0.7 - 0.8) * 0.5)) +
	       log(0.96);
	assert_int_equal(casescore_curves(c, 2, cv, 50, 1, &out), 0);
	NEAR(out.loglik[0], want, 1e-12, "log-likelihood of two curves");
	NEAR(out.cindex[0], 1, 0, "C of two curves");
	{
		struct surv_case far[2] = { { 1.25, 1 }, { 2.3, 0 } };

		assert_int_equal(casescore_curves(far, 2, cv, 50, 1, &out), 0);
		check(isnan(out.loglik[0]), "a curve read past its end should give NaN, got %g",
		      out.loglik[0]);
	}
	{
		enum { N = 30 };
		struct surv_case many[N];
		double x[N];

		draw(many, x, N, 0, 1, -1.5, 0.8, 6, 41);
		assert_int_equal(casescore_baseline(SURV_WEIBULL, many, N, 100, 1, &out), 0);
		NEAR(out.cindex[0], 0.5, 0, "a baseline's C");
		check(out.loglik[0] < 0 && out.brier[1][0] > 0 && out.brier[1][0] < 1,
		      "baseline scores: log-likelihood %g, Brier at 5 years %g", out.loglik[0],
		      out.brier[1][0]);
	}
	check_finish();
}

/* A prediction of case I's survival: CTX holds one value per case,
 * whatever the time. */
static double flat_S(const void *ctx, size_t i, double t)
{
	(void)t;
	return ((const double *)ctx)[i];
}

/* The calibration groups, worked by hand: eight cases split by
 * prediction into two groups of four; the safer group (times 1 event,
 * 2 censored, 3 event, 6 censored) has Kaplan-Meier 0.75 x 0.5 = 0.375
 * at 5 years, Greenwood variance 1/12 + 1/2, log-log interval
 * [0.010971, 0.808001]; the other, every case attacked by 4, has 0 with
 * [0, 0]. Catches groups formed in input order, censoring counted as
 * an attack, and the wrong variance. */
static void test_groups(void **state)
{
	const struct surv_case c[8] = { { 1, 1 }, { 0.5, 1 }, { 2, 0 }, { 1.5, 1 },
					{ 3, 1 }, { 2.5, 1 }, { 6, 0 }, { 4, 1 } };
	const double pred[8] = { 0.9, 0.1, 0.8, 0.2, 0.7, 0.3, 0.6, 0.4 };
	struct surv_pred p = { flat_S, pred };
	struct calscore_group g[2];

	(void)state;
	assert_int_equal(calscore_groups(c, 8, &p, 5, 2, g), 0);
	check_long("cases in group 1", (long)g[0].n, 4);
	NEAR(g[0].pred, 0.25, 1e-12, "group 1 predicted");
	NEAR(g[0].km, 0, 1e-12, "group 1 observed");
	NEAR(g[0].lo, 0, 1e-12, "group 1 low end");
	NEAR(g[1].pred, 0.75, 1e-12, "group 2 predicted");
	NEAR(g[1].km, 0.375, 1e-12, "group 2 observed");
	NEAR(g[1].lo, 0.010971120978853017, 1e-9, "group 2 low end");
	NEAR(g[1].hi, 0.8080010745550896, 1e-9, "group 2 high end");
	assert_int_equal(calscore_groups(c, 8, &p, 5, 9, g), -1);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_km, check_setup),
		cmocka_unit_test_setup(test_groups, check_setup),
		cmocka_unit_test_setup(test_loglik, check_setup),
		cmocka_unit_test_setup(test_cindex, check_setup),
		cmocka_unit_test_setup(test_brier, check_setup),
		cmocka_unit_test_setup(test_fits, check_setup),
		cmocka_unit_test_setup(test_cv, check_setup),
		cmocka_unit_test_setup(test_bootstrap, check_setup),
		cmocka_unit_test_setup(test_casescore, check_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
