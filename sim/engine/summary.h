/* summary.h - the figures of a run, with 95% confidence intervals, and the
 * survival curve, computed from a tally. */
#ifndef SIM_SUMMARY_H
#define SIM_SUMMARY_H

#include "engine/engine.h"

enum {
	FIG_P_DETERRED,
	FIG_P_ATTACK,
	FIG_P_HONORED_GIVEN_ATTACK,
	FIG_P_PARTIAL_GIVEN_ATTACK,
	FIG_P_ABANDONED_GIVEN_ATTACK,
	FIG_P_CHALLENGER_WINS,
	FIG_P_CHALLENGER_WINS_GIVEN_ATTACK,
	FIG_MEAN_ATTACK_YEAR,
	N_FIGURES
};

/* One figure. DEFINED is 0 for a figure conditional on an attack when no
 * trial attacked; HAS_CI is 0 when no interval can be given. */
struct figure {
	double value, lo, hi;
	int defined, has_ci;
};

/* The key of figure F in machine-readable output ("p_deterred"). */
const char *summary_key(int f);

/* A short human label of figure F ("deterred over the horizon"). */
const char *summary_label(int f);

/* Whether figure F is one of the spec's summary keys (JSON output). */
int summary_in_json(int f);

/* Fills FIG[0..N_FIGURES-1] from T; DT is the step length in years. */
void summary_compute(const struct tally *t, double dt, struct figure *fig);

/* The Wilson score interval at 95% for X successes in N trials. */
void summary_wilson(uint64_t x, uint64_t n, double *lo, double *hi);

#endif
