/* test_estimators.c - the two estimators of a run (docs/studies.md):
 *
 *   agree      on every shipped config, the conditional and the indicator
 *              estimators give every figure within 4 standard errors of
 *              their difference (given an event, when 50 trials had it);
 *   coverage   over 200 seeds of 2,000 trials, the conditional estimator's
 *              95% intervals of p_deterred, p_honored_given_attack and
 *              mean_attack_year hold the value of a run of 400,000 trials
 *              in 92% to 98% of the seeds, and intervals half as wide do
 *              not (the test's power);
 *   monotone   with common random numbers, raising the mean of a
 *              truncated-normal guarantee strength never lowers any
 *              trial's chance of deterrence (inverse-CDF draws move each
 *              trial's strength up, and the model is monotone in it);
 *   exact      a scenario with nothing drawn has exact conditional
 *              figures: every seed gives the same bits and an interval of
 *              no width. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "modelutil.h"

#define MAXFIG 64

/* A finished run of PATH (NULL: the default) with the overrides SETS:
 * its figures in FIG (summary_count() of them, at most MAXFIG), and the
 * sum of each one's denominator in DEN (the trials, or the trials
 * attacked). */
struct done {
	struct figure fig[MAXFIG];
	double den[MAXFIG];
	size_t nfig;
};

static void run_one(const char *path, char **sets, int nsets, uint64_t trials, uint64_t seed,
		    struct done *d, struct scenario *keep)
{
	struct cfg c;
	struct scenario s;
	struct tally t;

	if (scenario_open(&s, &c, path, sets, nsets, &trials, &seed) < 0) {
		cfg_release(&c);
		fail_msg("%s: cannot load", path ? path : "(default)");
	}
	assert_int_equal(engine_tally(&t, &s), 0);
	assert_int_equal(run_trials(&s, 0, trials, 2, &t), 0);
	d->nfig = summary_count(s.layout);
	assert_true(d->nfig <= MAXFIG);
	summary_compute(s.layout, &t, s.dt, d->fig);
	for (size_t i = 0; i < d->nfig; i++) {
		const struct model_figure *f = summary_decl(s.layout, i);

		d->den[i] = f->kind == MODEL_SHARE ? (double)trials : (double)tally_get(&t, f->den);
	}
	tally_release(&t);
	if (keep)
		*keep = s;
	else
		scenario_release(&s);
	cfg_release(&c);
}

/* The standard error of figure X, from its 95% interval. */
static double se_of(const struct figure *x)
{
	return (x->hi - x->lo) / (2 * 1.959963984540054);
}

/* Both estimators on PATH: every figure with an interval in both within
 * 4 SE, but those given an event that fewer than 50 trials of the
 * indicator run had (an interval's width says little about its error
 * then). */
static int agree(const char *path, int *skipped)
{
	char *ind[] = { "scenario.estimator=indicator" }, *con[] = { "scenario.estimator=conditional" };
	struct done a, b;
	struct scenario s;
	size_t i;
	int bad = 0;

	run_one(path, ind, 1, 20000, 7, &a, NULL);
	run_one(path, con, 1, 20000, 7, &b, &s);
	for (i = 0; i < a.nfig; i++) {
		const struct figure *x = &a.fig[i], *y = &b.fig[i];
		double se = sqrt(se_of(x) * se_of(x) + se_of(y) * se_of(y));
		const char *key = summary_decl(s.layout, i)->key;

		if (!x->has_ci || !y->has_ci || a.den[i] < 50) {
			*skipped += 1;
			continue;
		}
		if (!(fabs(x->value - y->value) <= 4 * se + 1e-12)) {
			print_error("%s: %s: conditional %.6f vs indicator %.6f (%.2f SE)\n", path,
				    key ? key : "breakdown", y->value, x->value,
				    fabs(x->value - y->value) / se);
			bad++;
		}
	}
	scenario_release(&s);
	return bad;
}

static void test_agree(void **state)
{
	static const char *const dirs[] = { "configs", "configs/history" };
	int bad = 0, n = 0, skipped = 0;
	size_t k;

	(void)state;
	for (k = 0; k < 2; k++) {
		DIR *d = opendir(dirs[k]);
		struct dirent *e;

		assert_non_null(d);
		while ((e = readdir(d)) != NULL) {
			char path[4096];
			size_t len = strlen(e->d_name);

			if (len < 5 || strcmp(e->d_name + len - 4, ".cfg"))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[k], e->d_name);
			bad += agree(path, &skipped);
			n++;
		}
		closedir(d);
	}
	print_message("both estimators on %d configs: %d figures more than 4 SE apart (%d "
		      "given an event too rare to tell)\n", n, bad, skipped);
	assert_true(n >= 15);
	assert_int_equal(bad, 0);
}

/* The share of COUNT runs of 2,000 trials (seeds 1000 ..) whose interval of
 * each figure KEYS[j] holds TRUTH[j], in COVER[j]; with intervals shrunk
 * by SHRINK about their estimate. */
static void coverage(const char *path, const char *const *keys, const double *truth, int nk,
		     int count, double shrink, double *cover)
{
	struct scenario s;
	struct done d;
	int r, j, idx[8];

	run_one(path, NULL, 0, 2, 1, &d, &s);
	for (j = 0; j < nk; j++)
		idx[j] = fig_of(&s, keys[j]);
	scenario_release(&s);
	for (j = 0; j < nk; j++)
		cover[j] = 0;
	for (r = 0; r < count; r++) {
		run_one(path, NULL, 0, 2000, 1000 + (uint64_t)r, &d, NULL);
		for (j = 0; j < nk; j++) {
			const struct figure *x = &d.fig[idx[j]];
			double lo = x->value - (x->value - x->lo) * shrink;
			double hi = x->value + (x->hi - x->value) * shrink;

			cover[j] += x->defined && lo <= truth[j] && truth[j] <= hi;
		}
	}
	for (j = 0; j < nk; j++)
		cover[j] /= count;
}

static void test_coverage(void **state)
{
	static const char *const keys[] = {
		"p_deterred", "p_honored_given_attack", "mean_attack_year"
	};
	struct done big;
	struct scenario s;
	double truth[3], cover[3], narrow[3];
	int j;

	(void)state;
	/* The reference: its SE is 0.07 of a 2,000-trial run's. */
	run_one(NULL, NULL, 0, 400000, 99, &big, &s);
	for (j = 0; j < 3; j++)
		truth[j] = big.fig[fig_of(&s, keys[j])].value;
	scenario_release(&s);
	coverage(NULL, keys, truth, 3, 200, 1.0, cover);
	coverage(NULL, keys, truth, 3, 200, 0.5, narrow);
	for (j = 0; j < 3; j++) {
		print_message("%s: 95%% intervals hold %.4f in %.3f of 200 runs of 2,000 trials "
			      "(half as wide: %.3f)\n", keys[j], truth[j], cover[j], narrow[j]);
		check(cover[j] >= 0.92 && cover[j] <= 0.98, "%s: coverage %.3f, expected 0.92 to "
		      "0.98", keys[j], cover[j]);
		check(narrow[j] < 0.92, "%s: intervals half as wide still cover %.3f: the test "
		      "cannot tell", keys[j], narrow[j]);
	}
	check_finish();
}

/* The chance of deterrence of each of N trials of the default scenario
 * with Alpha's strength a normal of mean MEAN, sd 0.15, in [0, 1]. */
static double *deterred(double mean, uint64_t n)
{
	char set[160], *sets[] = { set };
	struct cfg c;
	struct scenario s;
	double *p = malloc(sizeof(double) * n);
	unsigned char *rec;
	size_t k;
	uint64_t i;
	void *w;

	snprintf(set, sizeof(set), "guarantors.[0].guarantee.strength={ dist = \"normal\"; "
		 "mean = %.17g; sd = 0.15; min = 0; max = 1; }", mean);
	assert_non_null(p);
	assert_int_equal(scenario_open(&s, &c, NULL, sets, 1, NULL, NULL), 0);
	assert_int_equal(s.estimator, MODEL_CONDITIONAL);
	rec = calloc(n, s.layout->record_size);
	assert_non_null(rec);
	k = counter_of(&s, "deterred");
	w = s.model->work_alloc(s.instance, s.rng, NULL);
	s.model->trials(s.instance, w, s.seed, 0, n, rec, NULL);
	for (i = 0; i < n; i++)
		p[i] = s.model->contribution(s.instance, rec + i * s.layout->record_size, k);
	s.model->work_free(w);
	free(rec);
	scenario_release(&s);
	cfg_release(&c);
	return p;
}

static void test_monotone(void **state)
{
	const uint64_t n = 4000;
	const double means[] = { 0.1, 0.3, 0.5, 0.7, 0.9 };
	double *prev = NULL, rise = 0;
	uint64_t i, lower = 0;
	size_t m;

	(void)state;
	for (m = 0; m < sizeof(means) / sizeof(means[0]); m++) {
		double *p = deterred(means[m], n);

		for (i = 0; prev && i < n; i++) {
			if (p[i] < prev[i] - 1e-12) {
				if (lower < 5)
					print_error("trial %llu: mean %g -> %g lowers P(deterred) from "
						    "%.12f to %.12f\n", (unsigned long long)i,
						    means[m - 1], means[m], prev[i], p[i]);
				lower++;
			}
			rise += p[i] - prev[i];
		}
		free(prev);
		prev = p;
	}
	free(prev);
	print_message("strength mean 0.1 to 0.9: %llu of %llu trial steps lower P(deterred); "
		      "mean rise %.4f\n", (unsigned long long)lower,
		      (unsigned long long)(4 * n), rise / (double)n);
	assert_int_equal(lower, 0);
	/* The lever must move something, or the test says nothing. */
	assert_true(rise / (double)n > 0.01);
}

static void test_exact(void **state)
{
	struct done a, b;
	size_t i;

	(void)state;
	run_one("tests/configs/studies.cfg", NULL, 0, 2000, 1, &a, NULL);
	run_one("tests/configs/studies.cfg", NULL, 0, 3000, 2, &b, NULL);
	for (i = 0; i < a.nfig; i++) {
		if (!a.fig[i].defined)
			continue;
		check(a.fig[i].value == b.fig[i].value, "figure %zu: %.17g with seed 1, %.17g with "
		      "seed 2", i, a.fig[i].value, b.fig[i].value);
		check(a.fig[i].lo == a.fig[i].value && a.fig[i].hi == a.fig[i].value,
		      "figure %zu: %.17g [%.17g, %.17g], expected no width", i, a.fig[i].value,
		      a.fig[i].lo, a.fig[i].hi);
	}
	/* And so are every step of the survival curve and every outcome. */
	{
		struct cfg c;
		struct scenario sc;
		struct tally t;
		struct figure f;
		long k;

		assert_int_equal(scenario_open(&sc, &c, "tests/configs/studies.cfg", NULL, 0, NULL,
					       NULL), 0);
		assert_int_equal(engine_tally(&t, &sc), 0);
		assert_int_equal(run_trials(&sc, 0, 2001, 2, &t), 0);
		for (k = 0; k < sc.n_steps; k++) {
			summary_survival(sc.layout, k, &t, &f);
			check(f.lo == f.value && f.hi == f.value, "survival at step %ld: %.17g "
			      "[%.17g, %.17g], expected no width", k, f.value, f.lo, f.hi);
		}
		for (i = 0; i < sc.layout->noutcomes; i++) {
			summary_outcome(sc.layout, i, &t, &f);
			check(f.lo == f.value && f.hi == f.value, "outcome %s: %.17g [%.17g, %.17g], "
			      "expected no width", sc.layout->outcomes[i].key, f.value, f.lo, f.hi);
		}
		tally_release(&t);
		scenario_release(&sc);
		cfg_release(&c);
	}
	check_finish();
}

/* Units of unequal size (an odd trial after the antithetic pairs): the
 * interval is that of a ratio over clusters, so an odd count gives an
 * interval as wide as its neighbours' (3 trials, 2 units, is no longer a
 * point), and one unit, whose spread cannot be told, gives [0, 1]. On the
 * commitment version of the default, whose p_deterred (about 0.46) leaves
 * room for a wide interval at 3 trials. */
#define ODD_CONFIG "configs/ukraine-19-point.cfg"
static void test_odd_trials(void **state)
{
	struct done a, b, c, one;
	struct scenario s;
	int f;

	(void)state;
	run_one(ODD_CONFIG, NULL, 0, 2000, 3, &a, &s);
	f = fig_of(&s, "p_deterred");
	scenario_release(&s);
	run_one(ODD_CONFIG, NULL, 0, 2001, 3, &b, NULL);
	run_one(ODD_CONFIG, NULL, 0, 3, 3, &c, NULL);
	run_one(ODD_CONFIG, NULL, 0, 2, 3, &one, NULL);
	check(fabs(se_of(&b.fig[f]) / se_of(&a.fig[f]) - 1) < 0.05, "p_deterred: SE %.6g at "
	      "2001 trials vs %.6g at 2000", se_of(&b.fig[f]), se_of(&a.fig[f]));
	check(c.fig[f].hi - c.fig[f].lo > 0.01, "p_deterred at 3 trials: [%g, %g]", c.fig[f].lo,
	      c.fig[f].hi);
	check(one.fig[f].lo == 0 && one.fig[f].hi == 1 && one.fig[f].has_ci, "p_deterred of one "
	      "pair: [%g, %g], expected [0, 1]", one.fig[f].lo, one.fig[f].hi);
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agree),
		cmocka_unit_test_setup(test_coverage, check_setup),
		cmocka_unit_test(test_monotone),
		cmocka_unit_test_setup(test_exact, check_setup),
		cmocka_unit_test_setup(test_odd_trials, check_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
