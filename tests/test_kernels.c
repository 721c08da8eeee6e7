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
#include <gsl/gsl_rng.h>

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

/* The polynomial log is within 1e-15 of libm's, relative to 1 + |log x|,
 * over the normal doubles (the batch kernel's (X/E)^gamma). */
static void test_fast_log(void **state)
{
	double worst = 0, at = 0;
	long i;

	(void)state;
	for (i = -3000000; i <= 3000000; i++) {
		/* x from 2^-1022 to 2^1023, densely near 1 too. */
		double x = i % 2 ? exp(i * (708.0 / 3000000)) : 1 + i * 1e-7;
		double e = fabs(commitment_fast_log(x) - log(x)) / (1 + fabs(log(x)));

		if (e > worst) {
			worst = e;
			at = x;
		}
	}
	assert_true(commitment_fast_log(1) == 0);
	print_message("fast log: max error %.3g of 1 + |log x| (at x = %g), bound 1e-15\n", worst,
		      at);
	if (worst > 1e-15)
		fail_msg("fast log: observed error %.3g at x = %g vs expected < 1e-15", worst, at);
}

/* The contest's power r^g, g in (0, 3]: within 2e-14 of libm's pow for
 * |g log r| <= 30 (X/E within a factor e^30 of 1), within 2e-13 out to
 * |g log r| = 700 (the log's absolute error times g). */
static void test_fast_pow(void **state)
{
	double worst[2] = { 0, 0 }, at_r[2] = { 0, 0 }, at_g[2] = { 0, 0 };
	const double bound[2] = { 2e-14, 2e-13 };
	long i, j;
	int b;

	(void)state;
	for (j = 1; j <= 60; j++) {
		double g = j * 0.05;

		for (i = 0; i <= 100000; i++) {
			double y = -700 + 1400.0 * i / 100000, r = exp(y / g), e;

			if (!(r >= 0x1p-1022 && r <= 0x1.fffffffffffffp1023))
				continue;
			e = fabs(commitment_fast_pow(r, g) / pow(r, g) - 1);
			b = fabs(g * log(r)) > 30;
			if (e > worst[b]) {
				worst[b] = e;
				at_r[b] = r;
				at_g[b] = g;
			}
		}
	}
	for (b = 0; b < 2; b++) {
		print_message("fast pow: max relative error %.3g (at r = %g, g = %g), bound %g\n",
			      worst[b], at_r[b], at_g[b], bound[b]);
		if (worst[b] > bound[b])
			fail_msg("fast pow: observed relative error %.3g at r = %g, g = %g vs "
				 "expected < %g", worst[b], at_r[b], at_g[b], bound[b]);
	}
}

/* At most this many overrides of a scenario in agree_n(). */
#define MAX_EXTRA 4

/* The records of trials [0, n) of PATH under estimator EST and the
 * overrides EXTRA (a NULL-terminated list, or NULL), with the kernel
 * chosen by GSIM_REFERENCE; their size in *SIZE. */
static unsigned char *records(const char *path, const char *est, const char *const *extra,
			      int reference, uint64_t n, const char **kernel, size_t *size,
			      struct scenario *s, struct cfg *c)
{
	char set[64], *sets[1 + MAX_EXTRA] = { set };
	unsigned char *o;
	void *w;
	int nsets = 1;

	while (extra && extra[nsets - 1] && nsets <= MAX_EXTRA) {
		sets[nsets] = (char *)extra[nsets - 1];
		nsets++;
	}
	snprintf(set, sizeof(set), "scenario.estimator=%s", est);
	if (reference)
		setenv("GSIM_REFERENCE", "1", 1);
	else
		unsetenv("GSIM_REFERENCE");
	assert_int_equal(scenario_open(s, c, path, sets, nsets, NULL, NULL), 0);
	*kernel = commitment_kernel(s->instance);
	*size = s->layout->record_size;
	o = calloc(n, *size);
	assert_non_null(o);
	w = s->model->work_alloc(s->instance, s->rng, NULL);
	assert_non_null(w);
	s->model->trials(s->instance, w, s->seed, 0, n, o, NULL);
	s->model->work_free(w);
	unsetenv("GSIM_REFERENCE");
	return o;
}

/* Both kernels draw from the same streams, so the same trial ends the same
 * way in both under the indicator estimator, but for trials whose
 * cumulative hazard lands within the kernels' rounding differences (~1e-10)
 * of the threshold; under the conditional estimator every trial's record
 * agrees (the model's same(): within 1e-7). */
static void agree_n(const char *path, const char *est, const char *const *extra, uint64_t n)
{
	char what[1024];
	size_t len = 0;
	int e;
	const char *kb, *kr;
	struct cfg cb, cr;
	struct scenario sb, sr;
	size_t size, k;
	unsigned char *b = records(path, est, extra, 0, n, &kb, &size, &sb, &cb);
	unsigned char *r = records(path, est, extra, 1, n, &kr, &size, &sr, &cr);
	uint64_t i, differ = 0;
	double attacked = 0;

	len = (size_t)snprintf(what, sizeof(what), "%s, %s", path, est);
	for (e = 0; extra && extra[e] && len < sizeof(what); e++)
		len += (size_t)snprintf(what + len, sizeof(what) - len, ", %s", extra[e]);

	assert_string_equal(kb, "batch");
	assert_string_equal(kr, "reference");
	k = counter_of(&sr, "attacked");
	for (i = 0; i < n; i++) {
		const void *x = b + i * size, *y = r + i * size;

		attacked += sr.model->contribution(sr.instance, y, k);
		if (sb.estimator == MODEL_INDICATOR) {
			const struct cm_record *p = x, *q = y;

			differ += p->attacked != q->attacked || p->step != q->step ||
				  p->intervened != q->intervened ||
				  p->challenger_won != q->challenger_won;
		} else {
			differ += !sr.model->same(sr.instance, x, y);
		}
	}
	free(b);
	free(r);
	print_message("%s: %llu of %llu trials differ between kernels (%.0f attacked)\n", what,
		      (unsigned long long)differ, (unsigned long long)n, attacked);
	if (differ > (sb.estimator == MODEL_INDICATOR ? 2u : 0u))
		fail_msg("%s: observed %llu of %llu trials ending differently in the batch and "
			 "reference kernels vs expected at most %u", what, (unsigned long long)differ,
			 (unsigned long long)n, sb.estimator == MODEL_INDICATOR ? 2u : 0u);
	/* The scenario must exercise attacks, or agreement says little. */
	assert_true(attacked > (double)n / 20);
	scenario_release(&sb);
	scenario_release(&sr);
	cfg_release(&cb);
	cfg_release(&cr);
}

/* agree_n() on 100000 trials of PATH as it is. */
static void agree(const char *path, const char *est)
{
	agree_n(path, est, NULL, 100000);
}

static void test_agree_default(void **state)
{
	(void)state;
	agree("configs/ukraine-19-point.cfg", "indicator");
	agree("configs/ukraine-19-point.cfg", "conditional");
}

static void test_agree_bench(void **state)
{
	(void)state;
	agree("tests/configs/kernels.cfg", "indicator");
	agree("tests/configs/kernels.cfg", "conditional");
}

/* The exact E[W] over coalitions of the contest at gamma = 1 with
 * guarantor g in with probability P[g]: the sum over all 2^NG coalitions
 * in long double. */
static long double exact_ew(int ng, double E, double D, const double *G, const double *P)
{
	long double sum = 0;
	unsigned s;
	int g;

	for (s = 0; s < 1u << ng; s++) {
		long double pr = 1, X = D;

		for (g = 0; g < ng; g++) {
			pr *= s >> g & 1 ? P[g] : 1 - P[g];
			X += s >> g & 1 ? G[g] : 0;
		}
		sum += pr / (1 + X / E);
	}
	return sum;
}

/* The quadrature of E[W] (quad.c) is within 1e-14 of the full sum over
 * coalitions wherever it is used, for 12 guarantors whose forces range
 * from a tenth to thirty times the local balance, at random and at 0-1
 * probabilities; it takes 16 nodes while all guarantors together are at
 * most 3 times the local balance (lambda_all/lambda_0 <= 4), 32 up to
 * 11.7 times (3.8/0.3), and leaves the contraction beyond. */
static void test_quadrature(void **state)
{
	enum { NG = 12, CASES = 400 };
	struct cm_tables tab = { 0 };
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	double worst = 0, E = 700000, D = 880000;
	int c, g, used[33] = { 0 };

	(void)state;
	assert_int_equal(cm_quad_alloc(&tab, NG, CASES), 0);
	gsl_rng_set(r, 7);
	for (c = 0; c < CASES; c++) {
		double G[NG], P[NG], total = 0, ratio, got;
		double scale = pow(10, -1 + 2.5 * gsl_rng_uniform(r));
		long double want;

		for (g = 0; g < NG; g++) {
			G[g] = (E + D) * scale / NG * 2 * gsl_rng_uniform(r);
			total += G[g];
			P[g] = c % 4 == 0 ? (double)(gsl_rng_uniform(r) < 0.5) : gsl_rng_uniform(r);
		}
		cm_quad_fill(&tab, NG, c, E, D, G);
		ratio = (E + D + total) / (E + D);
		used[tab.qn[c]]++;
		if (tab.qn[c] != (ratio <= 4 ? 16 : ratio <= 3.8 / 0.3 ? 32 : 0))
			fail_msg("quadrature: ratio %.3f: observed %d nodes vs expected %d", ratio,
				 tab.qn[c], ratio <= 4 ? 16 : ratio <= 3.8 / 0.3 ? 32 : 0);
		if (!tab.qn[c])
			continue;
		got = cm_quad_eval(&tab, NG, c, P);
		want = exact_ew(NG, E, D, G, P);
		if (fabsl(got - want) > worst)
			worst = (double)fabsl(got - want);
		if (fabsl(got - want) > 1e-14)
			fail_msg("quadrature: ratio %.3f, %d nodes: observed %.17g vs expected %.17Lg",
				 ratio, tab.qn[c], got, want);
	}
	print_message("quadrature: %d cases at 16 nodes, %d at 32, %d contracted; max error "
		      "%.2g, bound 1e-14\n", used[16], used[32], used[0], worst);
	assert_true(used[16] > 20 && used[32] > 20 && used[0] > 20);
	cm_quad_free(&tab);
	gsl_rng_free(r);
}

/* With 12 guarantors at gamma = 1 the batch kernel takes E[W] by
 * quadrature and the reference kernel by the full contraction: they agree
 * trial by trial. */
static void test_agree_quadrature(void **state)
{
	(void)state;
	agree_n("tests/configs/kernels12.cfg", "indicator", NULL, 2000);
	agree_n("tests/configs/kernels12.cfg", "conditional", NULL, 2000);
}

#define DRAWN "tests/configs/kernels_drawn.cfg"

/* Force parameters drawn per trial (no contest table: every lane carries
 * its own forces and contest rows), with growth, troop dynamics and arms
 * supply drawn: the batch kernel agrees trial by trial with the reference
 * kernel, at gamma = 1.5, at gamma = 1 (the vectorised division) and with
 * gamma itself drawn (lanes of different gamma). */
static void test_agree_drawn(void **state)
{
	static const char *const gammas[][2] = {
		{ NULL, NULL }, { "challenger.decisiveness=1.0", NULL },
		{ "challenger.decisiveness={ dist = \"uniform\"; min = 0.7; max = 2.0; }", NULL },
	};
	size_t j;

	(void)state;
	for (j = 0; j < sizeof(gammas) / sizeof(gammas[0]); j++) {
		agree_n(DRAWN, "indicator", gammas[j], 20000);
		agree_n(DRAWN, "conditional", gammas[j], 20000);
	}
}

/* The default scenario with only the challenger's forces drawn (the
 * opponents' forces X(S) tabulated: their logs, and X^gamma when gamma is
 * fixed), at its gamma 1.5, at gamma 1 and with gamma drawn. */
static void test_agree_default_drawn(void **state)
{
	static const char *const sets[][3] = {
		{ "challenger.forces={ dist = \"uniform\"; min = 600000.0; max = 800000.0; }", NULL },
		{ "challenger.forces={ dist = \"uniform\"; min = 600000.0; max = 800000.0; }",
		  "challenger.decisiveness=1.0", NULL },
		{ "challenger.forces={ dist = \"uniform\"; min = 600000.0; max = 800000.0; }",
		  "challenger.decisiveness={ dist = \"uniform\"; min = 0.7; max = 2.0; }", NULL },
	};
	size_t j;

	(void)state;
	for (j = 0; j < sizeof(sets) / sizeof(sets[0]); j++) {
		agree_n("configs/ukraine-19-point.cfg", "indicator", sets[j], 20000);
		agree_n("configs/ukraine-19-point.cfg", "conditional", sets[j], 20000);
	}
}

/* With drawn forces, a run's tally and figures are the same bits on 1
 * and on 2 threads, under both estimators. */
static void test_drawn_threads(void **state)
{
	static const char *const ests[] = { "conditional", "indicator" };
	size_t e, f;

	(void)state;
	for (e = 0; e < 2; e++) {
		char set[64], *sets[] = { set };
		struct cfg c;
		struct scenario s;
		struct tally t1, t2;
		struct figure f1[64], f2[64];

		snprintf(set, sizeof(set), "scenario.estimator=%s", ests[e]);
		assert_int_equal(scenario_open(&s, &c, DRAWN, sets, 1, NULL, NULL), 0);
		assert_string_equal(commitment_kernel(s.instance), "batch");
		assert_int_equal(engine_tally(&t1, &s), 0);
		assert_int_equal(engine_tally(&t2, &s), 0);
		assert_int_equal(run_trials(&s, 0, 5000, 1, &t1), 0);
		assert_int_equal(run_trials(&s, 0, 5000, 2, &t2), 0);
		if (!same_sums(ests[e], &t1, &t2))
			fail_msg("%s: the tallies of -j 1 and -j 2 differ", ests[e]);
		assert_true(summary_count(s.layout) <= 64);
		summary_compute(s.layout, &t1, s.dt, f1);
		summary_compute(s.layout, &t2, s.dt, f2);
		for (f = 0; f < summary_count(s.layout); f++)
			if (memcmp(&f1[f].value, &f2[f].value, sizeof(double)) ||
			    memcmp(&f1[f].lo, &f2[f].lo, sizeof(double)) ||
			    memcmp(&f1[f].hi, &f2[f].hi, sizeof(double)))
				fail_msg("%s: %s: observed %.17g [%.17g, %.17g] on 2 threads vs "
					 "expected %.17g [%.17g, %.17g] (1 thread)", ests[e],
					 summary_decl(s.layout, f)->key, f2[f].value, f2[f].lo,
					 f2[f].hi, f1[f].value, f1[f].lo, f1[f].hi);
		tally_release(&t1);
		tally_release(&t2);
		scenario_release(&s);
		cfg_release(&c);
	}
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
 * kernels stays a number, with the forces fixed (the contest table), the
 * challenger's drawn (the tables of X(S)) and the target's drawn (every
 * lane its own X(S)). */
static void test_huge(void **state)
{
	static const char *const sets[] = {
		NULL, "challenger.forces={ dist = \"uniform\"; min = 1.6e308; max = 1.7e308; }",
		"target.troops={ dist = \"uniform\"; min = 1.6e308; max = 1.7e308; }",
	};
	int reference, j;

	(void)state;
	for (j = 0; j < 3; j++)
	for (reference = 0; reference < 2; reference++) {
		char *set[] = { (char *)sets[j] };
		struct cfg c;
		struct scenario s;
		struct tally t;
		struct figure fig[64];
		size_t f;

		if (reference)
			setenv("GSIM_REFERENCE", "1", 1);
		assert_int_equal(scenario_open(&s, &c, "tests/configs/huge.cfg", set, sets[j] ? 1 : 0,
					       NULL, NULL), 0);
		assert_string_equal(commitment_kernel(s.instance), reference ? "reference" : "batch");
		assert_int_equal(engine_tally(&t, &s), 0);
		assert_int_equal(run_trials(&s, 0, s.trials, 2, &t), 0);
		assert_true(summary_count(s.layout) <= 64);
		summary_compute(s.layout, &t, s.dt, fig);
		for (f = 0; f < summary_count(s.layout); f++)
			if (fig[f].defined && (!isfinite(fig[f].value) || !isfinite(fig[f].lo) ||
					       !isfinite(fig[f].hi)))
				fail_msg("%s kernel, %s: %s is %g [%g, %g]",
					 reference ? "reference" : "batch", sets[j] ? sets[j] : "as is",
					 summary_decl(s.layout, f)->key, fig[f].value, fig[f].lo,
					 fig[f].hi);
		assert_true(fig[fig_of(&s, "p_deterred")].defined);
		nan_ng = s.layout->nactors;
		/* A NaN hazard would pass for deterrence (NaN > x is false): the
		 * steps themselves must be numbers. */
		{
			struct model_trace_sink sink = { NULL, nan_step, nan_event };
			void *w = s.model->work_alloc(s.instance, s.rng, NULL);
			void *o = calloc(1, s.layout->record_size);
			uint64_t i;

			assert_non_null(o);
			nan_steps = 0;
			for (i = 0; i < 20; i++)
				s.model->trace(s.instance, w, s.seed, i, &sink, o);
			s.model->work_free(w);
			free(o);
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
		cmocka_unit_test(test_fast_log),
		cmocka_unit_test(test_fast_pow),
		cmocka_unit_test(test_agree_default),
		cmocka_unit_test(test_agree_bench),
		cmocka_unit_test(test_agree_drawn),
		cmocka_unit_test(test_quadrature),
		cmocka_unit_test(test_agree_quadrature),
		cmocka_unit_test(test_agree_default_drawn),
		cmocka_unit_test(test_drawn_threads),
		cmocka_unit_test(test_huge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
