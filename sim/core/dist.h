/* dist.h - numbers that may be uncertain: a fixed value or a distribution
 * drawn once per trial. */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include <gsl/gsl_rng.h>

enum dist_kind {
	DIST_FIXED,		/* a: the value */
	DIST_UNIFORM,		/* on [lo, hi] */
	DIST_NORMAL,		/* a: mean, b: sd, truncated to [lo, hi] by redraw */
	DIST_LOGNORMAL,		/* a: mu, b: sigma (of log x) */
	DIST_BETA,		/* a, b shapes, rescaled to [lo, hi] */
	DIST_TRIANGULAR		/* lo: min, c: mode, hi: max */
};

struct dist {
	enum dist_kind kind;
	double a, b, c;
	double lo, hi;
};

/* Returns a fixed distribution with value V. */
struct dist dist_fixed(double v);

/* Returns the quantile of D at U in (0, 1): the value below which D falls
 * with probability U (clamped to D's bounds). Every draw is a quantile of
 * a uniform, so that a value of D moves monotonically with its location
 * parameters (common random numbers stay path-wise monotone). */
double dist_quantile(const struct dist *d, double u);

/* Draws one value of D from R as the quantile of one uniform (reflected,
 * 1 - u, when ANTI). A fixed distribution consumes no number. */
double dist_draw(const struct dist *d, const gsl_rng *r, int anti);

/* A standard normal drawn by GSL never lies beyond this many standard
 * deviations: its samplers reach about 9.3 with 32-bit uniforms and 12.1
 * with 53-bit ones. */
#define DIST_Z_MAX 13.0

/* Sets *LO and *HI to a closed interval that holds every value D can
 * draw: [min, max] where D has them, and within DIST_Z_MAX standard
 * deviations of the mean of a normal, or of mu for the log of a
 * lognormal. An end is infinite when draws can overflow a double, and a
 * lognormal's LO is 0 when they can underflow. */
void dist_support(const struct dist *d, double *lo, double *hi);

/* Returns the mean of D (for tests and reports). */
double dist_mean(const struct dist *d);

/* Returns the variance of D (for tests and reports). */
double dist_variance(const struct dist *d);

/* Returns the probability that an untruncated normal D falls in [lo, hi]. */
double dist_normal_window_mass(const struct dist *d);

/* Returns the name of KIND as written in configs ("normal"), or "fixed". */
const char *dist_name(enum dist_kind kind);

#endif
