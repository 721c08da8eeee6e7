/* summary.h - the figures of a run, with 95% confidence intervals,
 * formed from a tally as the model's layout declares them. */
#ifndef SIM_SUMMARY_H
#define SIM_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "core/tally.h"
#include "models/model.h"

/* One figure. DEFINED is 0 for a figure conditional on an event when no
 * trial had it; HAS_CI is 0 when no interval can be given. */
struct figure {
	double value, lo, hi;
	int defined, has_ci;
};

/* The figures of layout L: its own figures, then each breakdown once per
 * actor (breakdown b of actor a at L->nfigures + b * L->nactors + a). */
size_t summary_count(const struct model_layout *L);

/* The declaration of figure I of L (for a breakdown figure, the
 * breakdown's, whose counter is NUM + the actor). */
const struct model_figure *summary_decl(const struct model_layout *L, size_t i);

/* The counter figure I of L counts (for a breakdown, its actor's). */
size_t summary_num(const struct model_layout *L, size_t i);

/* The counter that holds, for figure I of L, the sum over independent
 * units (trials, or antithetic pairs) of the square of the unit's sum of
 * contributions to the figure's numerator (WHICH 0), to its denominator
 * (1), or of their product (2); for a share of all trials, whose
 * denominator is the unit's number of trials, WHICH 1 holds instead the
 * sum of the numerator over units of one trial (with antithetic pairs:
 * an odd trial at the end) and 2 is unused. The engine keeps these after
 * the model's counters, so that figures of real contributions get
 * intervals. */
static inline size_t summary_moment(const struct model_layout *L, size_t i, int which)
{
	return L->ncounters + 3 * i + (size_t)which;
}

/* The counters that hold, for outcome category I of L, the sum over units
 * of the square of the unit's sum of contributions (WHICH 0) and of that
 * sum over units of one trial (1, as for a share above): after the
 * figures' moments. */
static inline size_t summary_outcome_moment(const struct model_layout *L, size_t i, int which)
{
	return L->ncounters + 3 * summary_count(L) + 2 * i + (size_t)which;
}

/* The same for the unit's chance of an attack by the end of step K (the
 * sum of its contributions to curve counters 0 .. K): after the outcomes'
 * moments, two per step. */
static inline size_t summary_curve_moment(const struct model_layout *L, long k, int which)
{
	return L->ncounters + 3 * summary_count(L) + 2 * L->noutcomes + 2 * (size_t)k +
	       (size_t)which;
}

/* The counters a tally of L over N_STEPS steps holds: the model's, then
 * the moments above. */
static inline size_t summary_counters(const struct model_layout *L, long n_steps)
{
	return summary_curve_moment(L, n_steps, 0);
}

/* Fills *F with the share of trials in outcome category I of L. */
void summary_outcome(const struct model_layout *L, size_t i, const struct tally *t,
		     struct figure *f);

/* Fills *F with the share of trials not attacked by the end of step K of
 * L's curve (its survival). */
void summary_survival(const struct model_layout *L, long k, const struct tally *t,
		      struct figure *f);

/* Fills S[0 .. N-1] with the survival at the end of each of the first N
 * steps of L's curve (the values of summary_survival(), without their
 * intervals, in one pass). */
void summary_curve(const struct model_layout *L, long n, const struct tally *t, double *s);

/* Fills FIG[0 .. summary_count(L) - 1] from T; DT is the step length in
 * years. */
void summary_compute(const struct model_layout *L, const struct tally *t, double dt,
		     struct figure *fig);

/* Fills *F with figure I of L formed from T. */
void summary_figure(const struct model_layout *L, size_t i, const struct tally *t, double dt,
		    struct figure *f);

/* The Wilson score interval at 95% for a proportion P estimated with
 * variance VAR: Wilson's interval for the sample size P (1 - P) / VAR that
 * gives that variance, so that it stays in [0, 1] and is exact ([P, P])
 * when VAR is 0. */
void summary_wilson_var(double p, double var, double *lo, double *hi);

/* The Wilson score interval at 95% for X successes in N trials. */
void summary_wilson(uint64_t x, uint64_t n, double *lo, double *hi);

/* The index of the figure of L called KEY, or -1. */
int summary_find(const struct model_layout *L, const char *key);

#endif
