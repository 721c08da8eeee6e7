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

/* Fills FIG[0 .. summary_count(L) - 1] from T; DT is the step length in
 * years. */
void summary_compute(const struct model_layout *L, const struct tally *t, double dt,
		     struct figure *fig);

/* Fills *F with figure D formed from T, with NUM shifted by SHIFT. */
void summary_figure(const struct model_figure *d, size_t shift, const struct tally *t,
		    double dt, struct figure *f);

/* The Wilson score interval at 95% for X successes in N trials. */
void summary_wilson(uint64_t x, uint64_t n, double *lo, double *hi);

/* The index of the figure of L called KEY, or -1. */
int summary_find(const struct model_layout *L, const char *key);

#endif
