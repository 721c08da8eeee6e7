/* test_kernels.c - the batch kernel against the reference kernel and
 * against GSL and libm: its Phi table and its exp, and trial-by-trial
 * agreement of outcomes drawn from the same streams. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>

#include "models/commitment/commitment.h"
#include "models/commitment/internal.h"
#include "models/model.h"
#include "engine/engine.h"
#include "engine/scenario.h"
#include "engine/summary.h"
#include "testutil.h"
#include "modelutil.h"

/* The table Phi is within 3e-10 of GSL's Phi everywhere. */
static void test_fast_phi(void **state)
{
	double *t = commitment_phi_table(), worst = 0, at = 0;
	long i;

	(void)state;
	assert_non_null(t);
	for (i = -1000000; i <= 1000000; i++) {
		double z = i * 1e-5, e = fabs(commitment_fast_phi(t, z) - gsl_cdf_ugaussian_P(z));

		if (e > worst) {
			worst = e;
			at = z;
		}
	}
	free(t);
	print_message("fast Phi: max error %.3g (at z = %g), bound 3e-10\n", worst, at);
	if (worst > 3e-10)
		fail_msg("fast Phi: max error %.3g at z = %g, expected < 3e-10", worst, at);
}

/* The polynomial exp is within 4 ulp (relative 1e-15) of libm's. */
static void test_fast_exp(void **state)
{
	double worst = 0, at = 0;
	long i;

	(void)state;
	for (i = -1416000; i <= 1416000; i++) {
		double x = i * 5e-4, e = fabs(commitment_fast_exp(x) / exp(x) - 1);

		if (e > worst) {
			worst = e;
			at = x;
		}
	}
	print_message("fast exp: max relative error %.3g (at x = %g), bound 1e-15\n", worst, at);
	if (worst > 1e-15)
		fail_msg("fast exp: max relative error %.3g at x = %g, expected < 1e-15", worst, at);
	/* Clamped beyond +-708, finite and positive. */
	assert_true(commitment_fast_exp(-1e6) > 0 && isfinite(commitment_fast_exp(1e6)));
}

/* Runs trials [0, n) of PATH with the kernel chosen by GSIM_REFERENCE. */
static struct cm_record *outcomes(const char *path, int reference, uint64_t n,
				const char **kernel)
{
	struct cfg c;
	struct scenario s;
	struct cm_record *o = calloc(n, sizeof(*o));
	void *w;

	if (reference)
		setenv("GSIM_REFERENCE", "1", 1);
	else
		unsetenv("GSIM_REFERENCE");
	assert_int_equal(scenario_open(&s, &c, path, NULL, 0, NULL, NULL), 0);
	*kernel = commitment_kernel(s.instance);
	w = s.model->work_alloc(s.instance, s.rng, NULL);
	assert_non_null(w);
	s.model->trials(s.instance, w, s.seed, 0, n, o, NULL);
	s.model->work_free(w);
	scenario_release(&s);
	cfg_release(&c);
	unsetenv("GSIM_REFERENCE");
	return o;
}

/* Both kernels draw from the same streams, so the same trial ends the same
 * way in both, but for trials whose cumulative hazard lands within the
 * kernels' rounding differences (~1e-10) of the threshold. */
static void agree(const char *path)
{
	const uint64_t n = 100000;
	const char *kb, *kr;
	struct cm_record *b = outcomes(path, 0, n, &kb), *r = outcomes(path, 1, n, &kr);
	uint64_t i, differ = 0, attacked = 0;

	assert_string_equal(kb, "batch");
	assert_string_equal(kr, "reference");
	for (i = 0; i < n; i++) {
		attacked += r[i].attacked;
		if (b[i].attacked != r[i].attacked || b[i].step != r[i].step ||
		    b[i].intervened != r[i].intervened ||
		    b[i].challenger_won != r[i].challenger_won)
			differ++;
	}
	free(b);
	free(r);
	print_message("%s: %llu of %llu trials differ between kernels (%llu attacked)\n", path,
		      (unsigned long long)differ, (unsigned long long)n,
		      (unsigned long long)attacked);
	if (differ > 2)
		fail_msg("%s: %llu of %llu trials end differently in the batch and reference "
			 "kernels, expected at most 2", path, (unsigned long long)differ,
			 (unsigned long long)n);
	/* The scenario must exercise attacks, or agreement says little. */
	assert_true(attacked > n / 20);
}

static void test_agree_default(void **state)
{
	(void)state;
	agree("configs/default.cfg");
}

static void test_agree_bench(void **state)
{
	(void)state;
	agree("tests/configs/kernels.cfg");
}

static int nan_steps;

static int nan_ng;		/* guarantors of the scenario traced */

/* Counts a step whose honour (true or perceived), expected utility, hazard
 * or cumulative hazard is NaN. */
static void nan_step(void *ctx, const struct model_trace_step *st)
{
	const double *v = st->values, *after = v + CM_COL_H + 3 * nan_ng;
	int g, bad = isnan(after[0]) || isnan(after[1]) || isnan(after[2]);

	(void)ctx;
	for (g = 0; g < nan_ng; g++)
		bad |= isnan(v[CM_COL_H + 3 * g]) || isnan(v[CM_COL_H + 3 * g + 1]);
	nan_steps += bad;
}

static void nan_event(void *ctx, const struct model_trace_event *e)
{
	(void)ctx;
	nan_steps += e->kind == CM_EV_ATTACK && isnan(e->values[1]);
}

/* Sums of forces that overflow to infinity, costs and stakes near the
 * largest double, a temperature near the smallest: every figure of both
 * kernels stays a number. */
static void test_huge(void **state)
{
	int reference;

	(void)state;
	for (reference = 0; reference < 2; reference++) {
		struct cfg c;
		struct scenario s;
		struct tally t;
		struct figure fig[64];
		size_t f;

		if (reference)
			setenv("GSIM_REFERENCE", "1", 1);
		assert_int_equal(scenario_open(&s, &c, "tests/configs/huge.cfg", NULL, 0, NULL, NULL), 0);
		assert_int_equal(engine_tally(&t, &s), 0);
		assert_int_equal(run_trials(&s, 0, s.trials, 2, &t), 0);
		assert_true(summary_count(s.layout) <= 64);
		summary_compute(s.layout, &t, s.dt, fig);
		for (f = 0; f < summary_count(s.layout); f++)
			if (fig[f].defined && (!isfinite(fig[f].value) || !isfinite(fig[f].lo) ||
					       !isfinite(fig[f].hi)))
				fail_msg("%s kernel: %s is %g [%g, %g]", reference ? "reference" : "batch",
					 summary_decl(s.layout, f)->key, fig[f].value, fig[f].lo,
					 fig[f].hi);
		assert_true(fig[fig_of(&s, "p_deterred")].defined);
		nan_ng = s.layout->nactors;
		/* A NaN hazard would pass for deterrence (NaN > x is false): the
		 * steps themselves must be numbers. */
		{
			struct model_trace_sink sink = { NULL, nan_step, nan_event };
			void *w = s.model->work_alloc(s.instance, s.rng, NULL);
			struct cm_record o;
			uint64_t i;

			nan_steps = 0;
			for (i = 0; i < 20; i++)
				s.model->trace(s.instance, w, s.seed, i, &sink, &o);
			s.model->work_free(w);
			if (nan_steps)
				fail_msg("%d steps with NaN in the trace", nan_steps);
		}
		tally_release(&t);
		scenario_release(&s);
		cfg_release(&c);
		unsetenv("GSIM_REFERENCE");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_phi),
		cmocka_unit_test(test_fast_exp),
		cmocka_unit_test(test_agree_default),
		cmocka_unit_test(test_agree_bench),
		cmocka_unit_test(test_huge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
