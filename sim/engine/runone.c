/* runone.c - one scenario's trials, for run and report. */
#include "engine/runone.h"

#include <string.h>
#include <unistd.h>

#include "engine/cluster.h"
#include "core/gslerr.h"
#include "engine/progress.h"
#include "engine/sigstop.h"
#include "cli/usage.h"

int runone(struct run_info *ri, struct tally *t, struct figure *fig,
	   const struct precision *prec, int threads, int quiet)
{
	struct progress pr;
	volatile sig_atomic_t *stop;
	double t0;
	int r;

	memset(t, 0, sizeof(*t));
	if (tally_init(t, ri->sc) < 0) {
		error("out of memory");
		return EXIT_RUNTIME;
	}
	progress_init(&pr, !quiet && isatty(STDERR_FILENO) && cluster_rank() == 0, "trials");
	t0 = progress_now();
	stop = sigstop_install();
	r = engine_run_precise(ri->sc, prec, threads, t, progress_show, &pr, stop);
	progress_done(&pr);
	if (r < 0) {
		error("out of memory while running trials");
		return EXIT_RUNTIME;
	}
	if (r > 0) {
		error("interrupted; nothing written");
		return sigstop_exit_code((int)*stop);
	}
	if (sim_gsl_failed())
		return EXIT_RUNTIME;
	summary_compute(t, ri->sc->dt, fig);
	ri->t = t;
	ri->fig = fig;
	ri->threads = threads;
	ri->seconds = progress_now() - t0;
	return EXIT_OK;
}
