/* simplex.c - GSL's Nelder-Mead simplex run to a size. */
#include "study/simplex.h"

#include <gsl/gsl_errno.h>

int simplex_minimise(gsl_multimin_function *fn, gsl_vector *x, double step, size_t iters,
		     double tol, double *fval, double *size)
{
	gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2,
								   fn->n);
	gsl_vector *steps = gsl_vector_alloc(fn->n);
	int status = GSL_CONTINUE;
	size_t it;

	if (!m || !steps) {
		gsl_multimin_fminimizer_free(m);
		gsl_vector_free(steps);
		return GSL_ENOMEM;
	}
	gsl_vector_set_all(steps, step);
	gsl_multimin_fminimizer_set(m, fn, x, steps);
	for (it = 0; it < iters && status == GSL_CONTINUE; it++) {
		int e = gsl_multimin_fminimizer_iterate(m);

		status = gsl_multimin_test_size(gsl_multimin_fminimizer_size(m), tol);
		if (e && status == GSL_CONTINUE)
			status = e;
	}
	gsl_vector_memcpy(x, m->x);
	*fval = m->fval;
	*size = gsl_multimin_fminimizer_size(m);
	gsl_multimin_fminimizer_free(m);
	gsl_vector_free(steps);
	return status;
}
