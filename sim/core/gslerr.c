/* gslerr.c - a GSL error handler that records instead of aborting. The
 * flag is the process's one piece of shared mutable state: GSL's handler
 * is process-wide, so it is atomic and only ever set. */
#include "core/gslerr.h"

#include <stdatomic.h>
#include <stdio.h>
#include <gsl/gsl_errno.h>

static atomic_int failed;

int sim_gsl_failed(void)
{
	return atomic_load(&failed);
}

static void handler(const char *reason, const char *file, int line, int gsl_errno)
{
	if (atomic_exchange(&failed, 1))
		return;
	fprintf(stderr, "sim: error: GSL: %s (%s, at %s:%d)\n", reason,
		gsl_strerror(gsl_errno), file, line);
}

void gslerr_install(void)
{
	gsl_set_error_handler(handler);
}
