/* test_units.c - the pure pieces: distributions, the contest function, the
 * exact one-step updates, honour probabilities, election timing, the
 * batch kernel's fast Phi and exp, and the per-trial random streams.
 *
 * In the manner of GSL's randist/test.c: fixed seeds, statistical
 * tolerances stated in standard errors (4 SE: a correct implementation
 * fails one such check with probability about 6e-5), and failure
 * messages "observed X vs expected Y (Z SE)". Every expected value is
 * computed here from closed forms, independently of sim/ and models/. */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_rng.h>

#include "core/dist.h"
#include "core/rng.h"
#include "models/commitment/commitment.h"
#include "testutil.h"

#define SQRT2 1.4142135623730951

/* Compares OBS with EXP to relative tolerance TOL. */
static void check_rel(const char *what, double obs, double exp_, double tol)
{
	double rel = fabs(obs - exp_) / fmax(fabs(exp_), 1e-300);

	if (!(rel <= tol)) {
		print_error("%s: observed %.17g vs expected %.17g (relative error %.3g > %.3g)\n",
			    what, obs, exp_, rel, tol);
		failures++;
	}
}

static double Phi(double z)
{
	return 0.5 * erfc(-z / SQRT2);
}

/* ---------------------------------------------------------------- */
/* Distributions */

#define NDRAW 200000

/* Draws NDRAW values of D at a fixed seed; checks the support, and the
 * sample mean and variance against both dist_mean()/dist_variance() and
 * the hand-computed MEAN and VAR. The SE of the sample variance is
 * sqrt((m4 - var^2) / N) with m4 the sample fourth central moment. */
static void check_dist(const char *name, struct dist dist, double mean, double var,
		       uint64_t purpose)
{
	const struct dist *d = &dist;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	double *x = malloc(sizeof(double) * NDRAW);
	double lo, hi, m = 0, s2 = 0, m4 = 0, se_m, se_v;
	char what[160];
	long i, outside = 0;

	assert_non_null(r);
	assert_non_null(x);
	rng_stream(r, 12345, 0, purpose);
	dist_support(d, &lo, &hi);
	for (i = 0; i < NDRAW; i++) {
		x[i] = dist_draw(d, r, 0);
		if (!(x[i] >= lo && x[i] <= hi)) {
			if (!outside)
				print_error("%s: draw %ld = %.17g outside the support [%.17g, %.17g]\n",
					    name, i, x[i], lo, hi);
			outside++;
		}
		m += x[i];
	}
	m /= NDRAW;
	for (i = 0; i < NDRAW; i++) {
		double e = x[i] - m;

		s2 += e * e;
		m4 += e * e * e * e;
	}
	s2 /= NDRAW - 1;
	m4 /= NDRAW;
	se_m = sqrt(var / NDRAW);
	se_v = sqrt(fmax(m4 - s2 * s2, 0) / NDRAW);

	snprintf(what, sizeof(what), "%s: draws outside the support", name);
	check_long(what, outside, 0);
	/* dist_mean and dist_variance against the closed forms. */
	snprintf(what, sizeof(what), "%s: dist_mean vs closed form", name);
	check_rel(what, dist_mean(d), mean, 1e-12);
	snprintf(what, sizeof(what), "%s: dist_variance vs closed form", name);
	check_rel(what, dist_variance(d), var, 1e-12);
	/* The draws against both. */
	snprintf(what, sizeof(what), "%s: sample mean vs closed form", name);
	check_se(what, m, mean, se_m);
	snprintf(what, sizeof(what), "%s: sample mean vs dist_mean", name);
	check_se(what, m, dist_mean(d), se_m);
	snprintf(what, sizeof(what), "%s: sample variance vs closed form", name);
	check_se(what, s2, var, se_v);
	snprintf(what, sizeof(what), "%s: sample variance vs dist_variance", name);
	check_se(what, s2, dist_variance(d), se_v);
	free(x);
	gsl_rng_free(r);
}

static struct dist mk(enum dist_kind k, double a, double b, double c, double lo, double hi)
{
	struct dist d = { k, a, b, c, lo, hi };
	return d;
}

/* Moments of a normal (M, S) truncated to [A, B], from the standard
 * formulas with libm's erfc only. */
static void truncnorm(double M, double S, double A, double B, double *mean, double *var)
{
	double al = (A - M) / S, be = (B - M) / S;
	double pa = isinf(al) ? 0 : exp(-al * al / 2) / sqrt(2 * M_PI);
	double pb = isinf(be) ? 0 : exp(-be * be / 2) / sqrt(2 * M_PI);
	double Z = Phi(be) - Phi(al);
	double t1 = (isinf(al) ? 0 : al * pa) - (isinf(be) ? 0 : be * pb);

	*mean = M + S * (pa - pb) / Z;
	*var = S * S * (1 + t1 / Z - (pa - pb) * (pa - pb) / (Z * Z));
}

static void test_dist_uniform(void **state)
{
	(void)state;
	check_dist("uniform(2,5)", mk(DIST_UNIFORM, 0, 0, 0, 2, 5), 3.5, 9.0 / 12, 1);
	check_dist("uniform(-0.3,0.1)", mk(DIST_UNIFORM, 0, 0, 0, -0.3, 0.1), -0.1, 0.16 / 12, 2);
	check_finish();
}

static void test_dist_normal(void **state)
{
	double m, v;

	(void)state;
	check_dist("normal(1,2)", mk(DIST_NORMAL, 1.0, 2.0, 0, -INFINITY, INFINITY), 1.0, 4.0, 3);

	/* Two-sided truncation, asymmetric window. The numbers were also
	 * checked by hand: alpha = -1, beta = 2 gives mean 0.22964, variance 0.51976 */
	truncnorm(0, 1, -1, 2, &m, &v);
	check_rel("truncnorm(0,1,[-1,2]) mean, formula vs literal", m, 0.22963717909132897, 1e-10);
	check_rel("truncnorm(0,1,[-1,2]) variance, formula vs literal", v, 0.5197625392115338, 1e-10);
	check_dist("normal(0,1) on [-1,2]", mk(DIST_NORMAL, 0.0, 1.0, 0, -1.0, 2.0), m, v, 4);

	/* One-sided (min only), the way a resolve or strength is truncated. */
	truncnorm(0.2, 0.3, 0, INFINITY, &m, &v);
	check_dist("normal(0.2,0.3) on [0,inf)", mk(DIST_NORMAL, 0.2, 0.3, 0, 0.0, INFINITY), m, v,
		   5);

	/* Max only. */
	truncnorm(5, 2, -INFINITY, 4, &m, &v);
	check_dist("normal(5,2) on (-inf,4]", mk(DIST_NORMAL, 5.0, 2.0, 0, -INFINITY, 4.0), m, v, 6);
	check_finish();
}

/* Inverse-CDF draws: every quantile function rises with U and is the
 * distribution's CDF inverted (at a few points against GSL's CDFs); a
 * twin draw is the quantile of 1 - u; the quantile of a truncated normal
 * rises with its mean at every U (so common random numbers stay
 * monotone), and a window far in a tail keeps its draws inside it. */
static void test_dist_quantile(void **state)
{
	const struct dist ds[] = {
		mk(DIST_UNIFORM, 0, 0, 0, 2, 5), mk(DIST_NORMAL, 0.2, 0.3, 0, 0, 1),
		mk(DIST_NORMAL, 0, 1, 0, 8, 9), mk(DIST_NORMAL, 0, 1, 0, -40, -38),
		mk(DIST_LOGNORMAL, 0.1, 0.5, 0, 0, INFINITY), mk(DIST_BETA, 4, 6, 0, 0, 1),
		mk(DIST_TRIANGULAR, 0, 0, 0.6, 0.5, 0.8)
	};
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	size_t k;
	int i;

	(void)state;
	assert_non_null(r);
	for (k = 0; k < sizeof(ds) / sizeof(ds[0]); k++) {
		double prev = -INFINITY, lo, hi;
		long down = 0, outside = 0;

		dist_support(&ds[k], &lo, &hi);
		for (i = 1; i < 10000; i++) {
			double x = dist_quantile(&ds[k], i / 10000.0);

			down += x < prev;
			outside += !(x >= ds[k].lo && x <= ds[k].hi) && ds[k].kind != DIST_LOGNORMAL;
			prev = x;
		}
		check(down == 0, "dist %zu: the quantile falls %ld times as u rises", k, down);
		check(outside == 0, "dist %zu: %ld quantiles outside [%g, %g]", k, outside,
		      ds[k].lo, ds[k].hi);
		rng_stream(r, 7, k, 1);
		{
			double u = gsl_rng_uniform_pos(r), x;

			rng_stream(r, 7, k, 1);
			x = dist_draw(&ds[k], r, 1);
			check_rel("a twin draw is the quantile of 1 - u", x,
				  dist_quantile(&ds[k], 1 - u), 1e-15);
		}
	}
	/* The CDF at the quantile gives U back. */
	check_rel("beta(4,6) quantile", gsl_cdf_beta_P(dist_quantile(&ds[5], 0.3), 4, 6), 0.3,
		  1e-9);
	check_rel("normal(0.2,0.3) on [0,1] quantile",
		  (gsl_cdf_gaussian_P(dist_quantile(&ds[1], 0.7) - 0.2, 0.3) -
		   gsl_cdf_gaussian_P(-0.2, 0.3)) /
		  (gsl_cdf_gaussian_P(0.8, 0.3) - gsl_cdf_gaussian_P(-0.2, 0.3)), 0.7, 1e-9);
	check_rel("normal(0,1) on [8,9] quantile",
		  (gsl_cdf_ugaussian_Q(8) - gsl_cdf_ugaussian_Q(dist_quantile(&ds[2], 0.5))) /
		  (gsl_cdf_ugaussian_Q(8) - gsl_cdf_ugaussian_Q(9)), 0.5, 1e-9);
	/* A truncated normal's quantile rises with its mean, at every u. */
	for (i = 1; i < 1000; i++) {
		double u = i / 1000.0, prev = -INFINITY, mu;
		long down = 0;

		for (mu = -0.5; mu <= 1.5; mu += 0.05) {
			struct dist d = mk(DIST_NORMAL, mu, 0.15, 0, 0, 1);
			double x = dist_quantile(&d, u);

			down += x < prev;
			prev = x;
		}
		if (down)
			check(0, "u = %g: the quantile falls %ld times as the mean rises", u, down);
	}
	gsl_rng_free(r);
	check_finish();
}

static void test_dist_lognormal(void **state)
{
	double s2 = 0.25;

	(void)state;
	check_dist("lognormal(0.1,0.5)", mk(DIST_LOGNORMAL, 0.1, 0.5, 0, 0, INFINITY),
		   exp(0.1 + s2 / 2), (exp(s2) - 1) * exp(0.2 + s2), 7);
	check_dist("lognormal(-2,0.2)", mk(DIST_LOGNORMAL, -2.0, 0.2, 0, 0, INFINITY),
		   exp(-2 + 0.02), (exp(0.04) - 1) * exp(-4 + 0.04), 8);
	check_finish();
}

static void test_dist_beta(void **state)
{
	(void)state;
	/* Beta(2,5): mean 2/7, variance ab / ((a+b)^2 (a+b+1)) = 10/392. */
	check_dist("beta(2,5)", mk(DIST_BETA, 2.0, 5.0, 0, 0, 1), 2.0 / 7, 10.0 / 392, 9);
	/* Rescaled to [1,3]: mean 1 + 2 * 2/7, variance 4 * 10/392. */
	check_dist("beta(2,5) on [1,3]", mk(DIST_BETA, 2.0, 5.0, 0, 1, 3), 1 + 4.0 / 7,
		   40.0 / 392, 10);
	/* U-shaped, a, b < 1: mean 1/3 (on [0,1]), var 0.5*0.25/(0.5625*1.75). */
	check_dist("beta(0.25,0.5) on [-1,1]", mk(DIST_BETA, 0.25, 0.5, 0, -1, 1),
		   -1 + 2 * (0.25 / 0.75), 4 * 0.125 / (0.5625 * 1.75), 11);
	check_finish();
}

static void test_dist_triangular(void **state)
{
	(void)state;
	/* min 0, mode 1, max 4: mean 5/3, variance (0+1+16-0-0-4)/18. */
	check_dist("triangular(0,1,4)", mk(DIST_TRIANGULAR, 0, 0, 1.0, 0.0, 4.0), 5.0 / 3,
		   13.0 / 18, 12);
	/* Mode at an end: right triangles. */
	check_dist("triangular(0.5,0.5,0.8)", mk(DIST_TRIANGULAR, 0, 0, 0.5, 0.5, 0.8), 1.8 / 3,
		   (0.25 + 0.25 + 0.64 - 0.25 - 0.4 - 0.4) / 18, 13);
	check_dist("triangular(-1,3,3)", mk(DIST_TRIANGULAR, 0, 0, 3.0, -1.0, 3.0), 5.0 / 3,
		   (1 + 9 + 9 + 3 + 3 - 9) / 18.0, 14);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* The contest function */

static void test_contest(void **state)
{
	double g[] = { 0.5, 1, 1.5, 2, 7 };
	unsigned i;
	double w;

	(void)state;
	for (i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		check_rel("contest(3e5, 3e5) = 1/2", commitment_contest(3e5, 3e5, g[i]), 0.5, 1e-15);
		check_rel("contest(0, 0) = 1/2", commitment_contest(0, 0, g[i]), 0.5, 0);
		check_rel("contest(E, 0) = 1", commitment_contest(5e5, 0, g[i]), 1.0, 0);
		check_se("contest(0, X) = 0", commitment_contest(0, 5e5, g[i]), 0.0, 0);
	}
	check_rel("contest(2, 1, gamma 1) = 2/3", commitment_contest(2, 1, 1), 2.0 / 3, 1e-15);
	check_rel("contest(2e5, 1e5, gamma 1) = 2/3", commitment_contest(2e5, 1e5, 1), 2.0 / 3, 1e-15);
	check_rel("contest(2, 1, gamma 2) = 0.8", commitment_contest(2, 1, 2), 0.8, 1e-15);
	check_rel("contest(1, 2, gamma 2) = 0.2", commitment_contest(1, 2, 2), 0.2, 1e-14);
	check_rel("contest(3, 1, gamma 1.5)", commitment_contest(3, 1, 1.5),
		  pow(3, 1.5) / (pow(3, 1.5) + 1), 1e-14);

	w = commitment_contest(1e300, 1, 50);
	check_rel("contest(1e300, 1, gamma 50) = 1", w, 1.0, 0);
	w = commitment_contest(1, 1e300, 50);
	check_se("contest(1, 1e300, gamma 50) = 0", w, 0.0, 0);
	w = commitment_contest(1e-300, 1e300, 50);
	check_se("contest(1e-300, 1e300, gamma 50) = 0", w, 0.0, 0);
	w = commitment_contest(1e300, 1e-300, 50);
	check_rel("contest(1e300, 1e-300, gamma 50) = 1", w, 1.0, 0);
	w = commitment_contest(1e-300, 1e-300, 50);
	check_rel("contest(1e-300, 1e-300, gamma 50) = 1/2", w, 0.5, 1e-15);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* Exact updates: n steps of length T/n equal the closed form at T. */

/* Checks that N steps of length T/N of STEP (with parameters A and B)
 * from X0 end within 1e-9 (relative) of EXACT, for N = 1, 12 and 365;
 * "WHAT, n = N" names each check. */
static void check_steps(const char *what, double (*step)(double, double, double, double),
			double x0, double a, double b, double T, double exact)
{
	static const long ns[] = { 1, 12, 365 };
	char what_n[96];
	unsigned j;
	long i;

	for (j = 0; j < 3; j++) {
		double x = x0;

		for (i = 0; i < ns[j]; i++)
			x = step(x, a, b, T / (double)ns[j]);
		snprintf(what_n, sizeof(what_n), "%s, n = %ld", what, ns[j]);
		check_rel(what_n, x, exact, 1e-9);
	}
}

static void test_step_forces(void **state)
{
	const double C0 = 7e5, K = 1e6, r = 0.06, T = 10;
	const double exact = K / (1 + (K / C0 - 1) * exp(-r * T));

	(void)state;
	check_steps("logistic growth", commitment_step_forces, C0, K, r, T, exact);
	/* Decline toward K from above. */
	check_steps("logistic decline", commitment_step_forces, 1.2e6, K, 0.5, T,
		    K / (1 + (K / 1.2e6 - 1) * exp(-0.5 * T)));
	/* Checked independently (Python): 809,582.22 after ten years. */
	check_rel("logistic growth after 10 years, literal", exact, 809582.2236856228, 1e-12);
	check_rel("growth rate 0 leaves forces unchanged",
		  commitment_step_forces(C0, K, 0, 1.0 / 12), C0, 0);
	check_finish();
}

static void test_step_troops(void **state)
{
	const double T0 = 8e5, L = 6e5, m = 0.25, T = 10;

	(void)state;
	check_steps("troop relaxation down", commitment_step_troops, T0, L, m, T,
		    L + (T0 - L) * exp(-m * T));
	/* Rising toward L from below. */
	check_steps("troop relaxation up", commitment_step_troops, 1e5, L, m, T,
		    L + (1e5 - L) * exp(-m * T));
	check_rel("demobilization_rate 0 leaves troops unchanged",
		  commitment_step_troops(T0, L, 0, 1.0 / 12), T0, 0);
	check_finish();
}

static void test_step_arms(void **state)
{
	const double s = 1e4, d = 0.25, T = 10;

	(void)state;
	check_steps("arms stock from 0", commitment_step_arms, 0, s, d, T,
		    s / d * (1 - exp(-d * T)));
	check_steps("arms stock, no depreciation", commitment_step_arms, 0, s, 0, T, s * T);
	check_steps("arms stock decaying, no deliveries", commitment_step_arms, 5e4, 0, d, T,
		    5e4 * exp(-d * T));
	check_finish();
}

/* ---------------------------------------------------------------- */
/* Honour probability */

static void test_honour(void **state)
{
	const double z975 = 1.959963984540054;
	double h;

	(void)state;
	check_rel("sd 0, num > 0 gives 1", commitment_honour(0.1, 0, 0, 0), 1, 0);
	check_rel("sd 0, tiny num > 0 gives 1", commitment_honour(1e-300, 0, 0, 0), 1, 0);
	check_se("sd 0, num = 0 gives 0", commitment_honour(0, 0, 0, 0), 0, 0);
	check_se("sd 0, num < 0 gives 0", commitment_honour(-0.1, 0, 0, 0), 0, 0);
	check_rel("Phi(0) = 1/2", commitment_honour(0, 0.3, 0, 0), 0.5, 1e-15);
	check_rel("Phi(1.96) = 0.975", commitment_honour(0.3 * z975, 0.3, 0, 0), 0.975, 1e-12);
	check_rel("Phi(-1.96) = 0.025", commitment_honour(-0.3 * z975, 0.3, 0, 0), 0.025, 1e-11);
	check_rel("Phi(0.2/0.25)", commitment_honour(0.2, 0.25, 0, 0), Phi(0.8), 1e-13);

	/* Tripwire: 1 - (1 - h)(1 - a). */
	h = Phi(-0.2 / 0.3);
	check_rel("tripwire, a = 0.4", commitment_honour(-0.2, 0.3, 1, 0.4),
		  1 - (1 - h) * (1 - 0.4), 1e-13);
	check_rel("tripwire, a = 0", commitment_honour(-0.2, 0.3, 1, 0), h, 1e-13);
	check_rel("tripwire, a = 1", commitment_honour(-0.2, 0.3, 1, 1), 1, 1e-15);
	check_rel("tripwire, sd 0, num < 0 gives a", commitment_honour(-0.2, 0, 1, 0.35), 0.35, 1e-15);
	check_rel("no tripwire ignores automaticity", commitment_honour(-0.2, 0.3, 0, 0.9), h, 1e-13);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* Election timing */

/* Elections in step k of a run with SPY steps per year. */
static long in_step(double next, double interval, long k, long spy)
{
	double dt = 1.0 / (double)spy, tol = 1e-9 * dt;

	return commitment_elections_by(next, interval, (double)(k + 1) / (double)spy, tol) -
	       commitment_elections_by(next, interval, (double)k / (double)spy, tol);
}

static void test_elections(void **state)
{
	const double tol12 = 1e-9 / 12;
	long k, n, total, per_year[3];

	(void)state;
	/* t = 0 is never counted, whatever the interval. */
	check_long("election at 0 not counted by t = 0",
		   commitment_elections_by(0, 1, 0, tol12), 0);
	check_long("election at 0 not counted by t = 0.5",
		   commitment_elections_by(0, 1, 0.5, tol12), 0);
	check_long("elections 0 and 1: only 1 counted by t = 1",
		   commitment_elections_by(0, 1, 1, tol12), 1);
	check_long("election at 1e-12 (within tolerance of 0) not counted",
		   commitment_elections_by(1e-12, 1, 0.5, tol12), 0);
	check_long("step 0 holds no election at t = 0", in_step(0, 1, 0, 12), 0);

	/* An election at exactly t = 1 belongs to step 11 (ends at 12/12). */
	check_long("election at 1.0 counted by t_12 = 12/12",
		   commitment_elections_by(1.0, 4, 12.0 / 12, tol12), 1);
	check_long("election at 1.0 not counted by t_11 = 11/12",
		   commitment_elections_by(1.0, 4, 11.0 / 12, tol12), 0);
	check_long("election at 1.0 in step 11", in_step(1.0, 4, 11, 12), 1);
	check_long("election at 1.0 not in step 12", in_step(1.0, 4, 12, 12), 0);
	/* Rounding on either side of the boundary does not move it. */
	check_long("election at 1 - 1e-15 in step 11", in_step(1.0 - 1e-15, 4, 11, 12), 1);
	check_long("election at 1 + 1e-15 in step 11", in_step(1.0 + 1e-15, 4, 11, 12), 1);
	check_long("election at 0.1 * 10 in step 11", in_step(0.1 * 10, 4, 11, 12), 1);
	/* Interior: t = 0.95 is in step 11 (0.9167, 1]. */
	check_long("election at 0.95 in step 11", in_step(0.95, 4, 11, 12), 1);
	check_long("election at 0.95 not in step 10", in_step(0.95, 4, 10, 12), 0);
	/* After the last election: later steps hold the rest of the series. */
	check_long("elections 1, 5, 9 by t = 10", commitment_elections_by(1.0, 4, 10, tol12), 3);
	check_long("election at 5 in step 59", in_step(1.0, 4, 59, 12), 1);

	/* Quarterly elections on monthly steps: four a year, at most one
	 * per step, in steps 2, 5, 8, 11, ... (they end at 3/12, 6/12, ...). */
	per_year[0] = per_year[1] = per_year[2] = 0;
	for (k = 0; k < 36; k++) {
		n = in_step(0.25, 0.25, k, 12);
		if (n < 0 || n > 1) {
			print_error("quarterly elections: step %ld holds %ld elections, "
				    "expected 0 or 1\n", k, n);
			failures++;
		}
		check_long("quarterly election falls in steps 2, 5, 8, ...", n, k % 3 == 2);
		per_year[k / 12] += n;
	}
	check_long("quarterly elections in year 1", per_year[0], 4);
	check_long("quarterly elections in year 2", per_year[1], 4);
	check_long("quarterly elections in year 3", per_year[2], 4);
	/* Starting at t = 0 (not counted) gives the same. */
	for (total = 0, k = 0; k < 36; k++)
		total += in_step(0, 0.25, k, 12);
	check_long("quarterly elections from t = 0 over 3 years", total, 12);

	/* Many in one step: interval 0.01 at 1 step per year. */
	check_long("interval 0.01 from 0.01: 100 elections in step 0", in_step(0.01, 0.01, 0, 1), 100);
	check_long("interval 0.01 from 0: 100 elections in step 0", in_step(0, 0.01, 0, 1), 100);
	check_long("interval 0.01: 100 elections in step 1", in_step(0.01, 0.01, 1, 1), 100);

	/* No elections. */
	check_long("interval 0: none", commitment_elections_by(0.5, 0, 10, tol12), 0);
	check_long("interval < 0: none", commitment_elections_by(0.5, -1, 10, tol12), 0);
	check_long("first election after t: none", commitment_elections_by(3.5, 1, 3, tol12), 0);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* The batch kernel's Phi and exp, against GSL and libm. */

static void test_fast_phi(void **state)
{
	double *tab = commitment_phi_table();
	const long N = 2000000;		/* z step 1e-5: every cubic piece sampled */
	double worst = 0, zw = 0, prev = -1, f, g, z;
	long i, back = 0;

	(void)state;
	assert_non_null(tab);
	for (i = 0; i <= N; i++) {
		z = -10 + 20.0 * (double)i / (double)N;
		f = commitment_fast_phi(tab, z);
		g = gsl_cdf_ugaussian_P(z);
		if (fabs(f - g) > worst) {
			worst = fabs(f - g);
			zw = z;
		}
		back += f < prev;
		prev = f;
	}
	/* docs/model.md: error below 3e-10; outside [-8, 8] within 1e-15
	 * of 0 or 1 (and Phi(8) is itself within 1e-15 of 1). */
	if (!(worst <= 3e-10)) {
		print_error("fast Phi: observed error %.3g at z = %.8g vs expected <= 3e-10\n", worst, zw);
		failures++;
	}
	check_long("fast Phi: decreasing steps on [-10, 10]", back, 0);
	check_rel("fast Phi(0)", commitment_fast_phi(tab, 0), 0.5, 1e-12);
	check_se("fast Phi(-9) within 1e-15 of 0", commitment_fast_phi(tab, -9), 0, 0);
	check_rel("fast Phi(9) within 1e-15 of 1", commitment_fast_phi(tab, 9), 1, 1e-15);
	check_se("fast Phi(-1e300) within 1e-15 of 0", commitment_fast_phi(tab, -1e300), 0, 0);
	check_rel("fast Phi(1e300) within 1e-15 of 1", commitment_fast_phi(tab, 1e300), 1, 1e-15);
	check_se("fast Phi(-inf) within 1e-15 of 0", commitment_fast_phi(tab, -INFINITY), 0, 0);
	check_rel("fast Phi(inf) within 1e-15 of 1", commitment_fast_phi(tab, INFINITY), 1, 1e-15);
	/* Knots and the points between them, where a table is most often off. */
	for (i = -512; i <= 512; i++) {
		char what[64];

		z = i / 64.0;
		snprintf(what, sizeof(what), "fast Phi at the knot %g", z);
		check_se(what, commitment_fast_phi(tab, z), gsl_cdf_ugaussian_P(z), 3e-10 / NSE);
		z = (i + 0.5) / 64.0;
		snprintf(what, sizeof(what), "fast Phi between knots at %g", z);
		check_se(what, commitment_fast_phi(tab, z), gsl_cdf_ugaussian_P(z), 3e-10 / NSE);
	}
	free(tab);
	check_finish();
}

static void test_fast_exp(void **state)
{
	const long N = 2000000;
	double worst = 0, xw = 0, x, f, g;
	long i;

	(void)state;
	/* docs/model.md: relative error about 1e-16; allow 2 ulp of libm. */
	for (i = 0; i <= N; i++) {
		x = -708 + 1416.0 * (double)i / (double)N;
		f = commitment_fast_exp(x);
		g = exp(x);
		if (fabs(f - g) / g > worst) {
			worst = fabs(f - g) / g;
			xw = x;
		}
	}
	for (i = 0; i <= N / 10; i++) {		/* the range of -EU/temperature */
		x = -20 + 40.0 * (double)i / (double)(N / 10);
		f = commitment_fast_exp(x);
		g = exp(x);
		if (fabs(f - g) / g > worst) {
			worst = fabs(f - g) / g;
			xw = x;
		}
	}
	if (!(worst <= 2 * 0x1p-52)) {
		print_error("fast exp: observed relative error %.3g at x = %.17g vs expected <= %.3g\n",
			    worst, xw, 2 * 0x1p-52);
		failures++;
	}
	check_rel("fast exp(0)", commitment_fast_exp(0), 1, 0);
	check_rel("fast exp(1)", commitment_fast_exp(1), M_E, 2 * 0x1p-52);
	check_rel("fast exp(-1000) clamped to exp(-708)", commitment_fast_exp(-1000), exp(-708), 2 * 0x1p-52);
	check_rel("fast exp(1000) clamped to exp(708)", commitment_fast_exp(1000), exp(708), 2 * 0x1p-52);
	check_rel("fast exp(-inf) clamped", commitment_fast_exp(-INFINITY), exp(-708), 2 * 0x1p-52);
	check_rel("fast exp(inf) clamped", commitment_fast_exp(INFINITY), exp(708), 2 * 0x1p-52);
	check_finish();
}

/* ---------------------------------------------------------------- */
/* Random streams */

#define NSTREAM (1L << 20)

struct state3 {
	unsigned long s[3];
};

static int cmp_state3(const void *a, const void *b)
{
	const struct state3 *x = a, *y = b;
	int i;

	for (i = 0; i < 3; i++)
		if (x->s[i] != y->s[i])
			return x->s[i] < y->s[i] ? -1 : 1;
	return 0;
}

/* Number of pairs of equal states among the sorted S[0..N-1]. */
static long equal_pairs(struct state3 *s, long n)
{
	long i, run = 1, pairs = 0;

	qsort(s, (size_t)n, sizeof(*s), cmp_state3);
	for (i = 1; i <= n; i++) {
		if (i < n && !cmp_state3(&s[i], &s[i - 1])) {
			run++;
			continue;
		}
		pairs += run * (run - 1) / 2;
		run = 1;
	}
	return pairs;
}

static void test_rng_streams_distinct(void **state)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	struct state3 *s = malloc(sizeof(*s) * NSTREAM);
	long i, pairs;

	(void)state;
	assert_non_null(r);
	assert_non_null(s);
	assert_int_equal(gsl_rng_size(r), sizeof(s->s));

	/* rng_stream: 2^20 trials of seed 1 give 2^20 distinct states. */
	for (i = 0; i < NSTREAM; i++) {
		rng_stream(r, 1, (uint64_t)i, 0);
		memcpy(s[i].s, gsl_rng_state(r), sizeof(s->s));
	}
	pairs = equal_pairs(s, NSTREAM);
	check_long("rng_stream: pairs of equal taus2 states among 2^20 trials", pairs, 0);

	/* The same check can fail: seeding through gsl_rng_set() keeps 32
	 * bits of the key, and 2^20 keys of 32 bits collide in about
	 * C(2^20, 2) / 2^32 = 128 pairs (birthday bound). The detector must
	 * see them, or the check above proves nothing. */
	for (i = 0; i < NSTREAM; i++) {
		gsl_rng_set(r, (unsigned long)(rng_key(1, (uint64_t)i, 0) & 0xffffffffUL));
		memcpy(s[i].s, gsl_rng_state(r), sizeof(s->s));
	}
	pairs = equal_pairs(s, NSTREAM);
	if (pairs <= 0) {
		print_error("gsl_rng_set with 32-bit seeds: observed %ld equal pairs vs expected "
			    "about 128: the collision detector is blind\n", pairs);
		failures++;
	}
	free(s);
	gsl_rng_free(r);
	check_finish();
}

static void test_rng_streams_repeat(void **state)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_taus2);
	unsigned long a[10], b[10];
	uint64_t p;
	int i, same;

	(void)state;
	assert_non_null(r);
	rng_stream(r, 7, 123456, 2);
	for (i = 0; i < 10; i++)
		a[i] = gsl_rng_get(r);
	gsl_rng_get(r);	/* move away, then reseed */
	rng_stream(r, 7, 123456, 2);
	for (i = 0, same = 1; i < 10; i++)
		same &= gsl_rng_get(r) == a[i];
	check_long("same (seed, trial, purpose): same first 10 outputs", same, 1);

	/* Other purposes, trials and seeds give other streams. */
	for (p = 0; p < 8; p++) {
		struct { uint64_t seed, trial, purpose; } o[3] = {
			{ 7, 123456, p }, { 7, 123457 + p, 2 }, { 8 + p, 123456, 2 }
		};
		int j;

		for (j = 0; j < 3; j++) {
			if (j == 0 && p == 2)
				continue;
			rng_stream(r, o[j].seed, o[j].trial, o[j].purpose);
			for (i = 0, same = 0; i < 10; i++) {
				b[i] = gsl_rng_get(r);
				same += b[i] == a[i];
			}
			if (same > 1) {
				print_error("stream (%llu, %llu, %llu) shares %d of 10 outputs with "
					    "(7, 123456, 2)\n", (unsigned long long)o[j].seed,
					    (unsigned long long)o[j].trial,
					    (unsigned long long)o[j].purpose, same);
				failures++;
			}
		}
	}
	/* Keys: distinct purposes of one trial, and distinct seeds. */
	for (p = 1; p < 4; p++)
		if (rng_key(1, 0, p) == rng_key(1, 0, 0) || rng_key(1, 0, p) == rng_key(1 + p, 0, 0)) {
			print_error("rng_key collides for purpose %llu\n", (unsigned long long)p);
			failures++;
		}
	gsl_rng_free(r);
	check_finish();
}

static void test_rng_types(void **state)
{
	static const char *const names[] = { "taus2", "taus", "taus113", "mt19937", "mrg", "cmrg" };
	const long N = 100000;
	char what[96];
	unsigned j;
	long i, outside;

	(void)state;
	for (j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
		const gsl_rng_type *t = rng_type(names[j]);
		gsl_rng *r;
		double sum = 0, u, first;

		if (!t) {
			print_error("rng_type(\"%s\") is NULL\n", names[j]);
			failures++;
			continue;
		}
		r = gsl_rng_alloc(t);
		assert_non_null(r);
		rng_stream(r, 1, 0, 0);
		for (i = 0, outside = 0; i < N; i++) {
			u = gsl_rng_uniform(r);
			outside += !(u >= 0 && u < 1);
			sum += u;
		}
		snprintf(what, sizeof(what), "%s: uniforms outside [0,1)", names[j]);
		check_long(what, outside, 0);
		snprintf(what, sizeof(what), "%s: mean of %ld uniforms", names[j], N);
		check_se(what, sum / (double)N, 0.5, sqrt(1.0 / 12 / (double)N));

		/* Two trials' streams differ. */
		rng_stream(r, 1, 0, 0);
		first = gsl_rng_uniform(r);
		rng_stream(r, 1, 1, 0);
		if (gsl_rng_uniform(r) == first) {
			print_error("%s: trials 0 and 1 start with the same number\n", names[j]);
			failures++;
		}
		gsl_rng_free(r);
	}
	if (rng_type("ranlux") || rng_type("no such generator")) {
		print_error("rng_type accepts a generator it cannot seed per trial\n");
		failures++;
	}
	check_finish();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_dist_uniform, check_setup),
		cmocka_unit_test_setup(test_dist_normal, check_setup),
		cmocka_unit_test_setup(test_dist_quantile, check_setup),
		cmocka_unit_test_setup(test_dist_lognormal, check_setup),
		cmocka_unit_test_setup(test_dist_beta, check_setup),
		cmocka_unit_test_setup(test_dist_triangular, check_setup),
		cmocka_unit_test_setup(test_contest, check_setup),
		cmocka_unit_test_setup(test_step_forces, check_setup),
		cmocka_unit_test_setup(test_step_troops, check_setup),
		cmocka_unit_test_setup(test_step_arms, check_setup),
		cmocka_unit_test_setup(test_honour, check_setup),
		cmocka_unit_test_setup(test_elections, check_setup),
		cmocka_unit_test_setup(test_fast_phi, check_setup),
		cmocka_unit_test_setup(test_fast_exp, check_setup),
		cmocka_unit_test_setup(test_rng_streams_distinct, check_setup),
		cmocka_unit_test_setup(test_rng_streams_repeat, check_setup),
		cmocka_unit_test_setup(test_rng_types, check_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
