/* simplex.h - GSL's Nelder-Mead simplex (nmsimplex2) run to a size, the
 * loop the baseline fits (hazards.c) and the calibration (calibrate.c)
 * share. */
#ifndef SIM_SIMPLEX_H
#define SIM_SIMPLEX_H

#include <stddef.h>
#include <gsl/gsl_multimin.h>

/* Minimises FN from X (FN->n coordinates), every first step STEP, for at
 * most ITERS iterations or until the simplex's size is below TOL; X then
 * holds the best point, *FVAL its value and *SIZE the simplex's last
 * size. Returns GSL_SUCCESS when the size fell below TOL, the error of
 * an iteration that made no progress, GSL_CONTINUE when the iterations
 * ran out, or GSL_ENOMEM. */
int simplex_minimise(gsl_multimin_function *fn, gsl_vector *x, double step, size_t iters,
		     double tol, double *fval, double *size);

#endif
