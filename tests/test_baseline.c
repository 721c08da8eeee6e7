/* test_baseline.c - the baseline model against its closed forms
 * (docs/baseline.md): p_deterred = exp(-(rate T)^shape), the survival
 * curve exp(-H(t_{k+1})) at every year, and the mean attack year, for a
 * constant, a rising and a falling hazard, and for a rate drawn per trial
 * (a mixture over the draws). Both estimators: the indicator one within 4
 * standard errors, in the manner of GSL's randist tests; the conditional
 * one exactly (to 1e-12) when the rate is fixed, since every trial then
 * adds the same survival curve, and within 4 of its own standard errors
 * when the rate is drawn. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "modelutil.h"

#define N 200000

/* The config of a baseline run of 6 years, 4 steps a year. */
static void config(char *buf, size_t size, const char *est, const char *rate, double shape)
{
	snprintf(buf, size, "scenario = { name = \"b\"; horizon_years = 6.0; steps_per_year = 4; "
		 "trials = %d; seed = 11; estimator = \"%s\"; };\nmodel = \"baseline\";\n"
		 "attack = { rate = %s; shape = %.17g; };\n", N, est, rate, shape);
}

/* Survival to time T for a rate uniform on [A, B] (A < B) or fixed (A = B). */
static double surv(double a, double b, double shape, double t)
{
	const int m = 20000;
	double s = 0;
	int i;

	if (a == b)
		return exp(-pow(a * t, shape));
	for (i = 0; i < m; i++)	/* midpoint rule over the rate */
		s += exp(-pow((a + (b - a) * (i + 0.5) / m) * t, shape));
	return s / m;
}

static void check_case(const char *est, const char *rate, double a, double b, double shape)
{
	char text[512], what[128];
	struct cfg c;
	struct scenario s;
	struct tally t;
	struct figure fig[8];
	double dt = 0.25, mean = 0, p, sd, att = 0;
	/* A fixed rate under the conditional estimator leaves nothing random. */
	int exact = a == b && strcmp(est, "conditional") == 0;
	long k;

	config(text, sizeof(text), est, rate, shape);
	assert_int_equal(cfg_load_string(&c, "baseline", text), 0);
	assert_int_equal(scenario_load(&s, &c, NULL, NULL), 0);
	assert_int_equal(engine_tally(&t, &s), 0);
	assert_int_equal(run_trials(&s, 0, s.trials, 2, &t), 0);
	summary_compute(s.layout, &t, s.dt, fig);
	p = surv(a, b, shape, 6.0);
	sd = exact ? 0 : fig[fig_of(&s, "p_deterred")].hi - fig[fig_of(&s, "p_deterred")].lo;
	sd /= 2 * 1.959963984540054;
	snprintf(what, sizeof(what), "%s, rate %s, shape %g: p_deterred", est, rate, shape);
	check_se(what, fig[fig_of(&s, "p_deterred")].value, p, sd);
	for (k = 0; k < s.n_steps; k++) {
		double pk = surv(a, b, shape, (double)k * dt) - surv(a, b, shape, (double)(k + 1) * dt);

		mean += (double)k * dt * pk;
		att += (double)tally_get(&t, s.layout->curve + (size_t)k);
		if ((k + 1) % 4 == 0) {
			double q = surv(a, b, shape, (double)(k + 1) * dt);

			/* The indicator's binomial error bounds the conditional one's. */
			snprintf(what, sizeof(what), "%s, rate %s, shape %g: survival at %g", est,
				 rate, shape, (double)(k + 1) * dt);
			check_se(what, 1 - att / N, q, exact ? 0 : sqrt(q * (1 - q) / N));
		}
	}
	mean /= 1 - p;
	snprintf(what, sizeof(what), "%s, rate %s, shape %g: mean_attack_year", est, rate,
		 shape);
	{
		const struct figure *y = &fig[fig_of(&s, "mean_attack_year")];

		/* The interval's half-width is 1.96 standard errors of the mean. */
		check_se(what, y->value, mean,
			 exact ? 0 : (y->hi - y->lo) / (2 * 1.959963984540054));
		if (exact)
			check(y->hi - y->lo < 1e-9, "%s: interval %g wide, expected none", what,
			      y->hi - y->lo);
	}
	tally_release(&t);
	scenario_release(&s);
	cfg_release(&c);
}

static void test_closed_forms(void **state)
{
	static const char *const est[] = { "indicator", "conditional" };
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		check_case(est[i], "0.1", 0.1, 0.1, 1.0);
		check_case(est[i], "0.1", 0.1, 0.1, 2.5);
		check_case(est[i], "0.1", 0.1, 0.1, 0.5);
		check_case(est[i], "{ dist = \"uniform\"; min = 0.02; max = 0.3; }", 0.02, 0.3,
			   1.0);
	}
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_closed_forms, check_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
